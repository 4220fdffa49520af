"""Writes to users beyond what Django's auth forms do."""

import logging

from django.contrib.auth.models import Group

logger = logging.getLogger(__name__)

# Created by migration accounts 0002 with the permissions a company's staff needs.
COMPANY_STAFF_GROUP = "Company staff"


def user_add_default_group(*, user):
    """Add `user` to the "Company staff" group when it is company staff without any group; return True if added.

    Users with a group keep exactly the groups they have, so an operator can
    give a staff user a narrower group, or none of this group's permissions.
    """
    if not user.is_staff or user.is_superuser or user.company_id is None or user.groups.exists():
        return False

    group = Group.objects.filter(name=COMPANY_STAFF_GROUP).first()
    if group is None:
        logger.warning("Group %r is missing; user %s got no default group. Run migrate.", COMPANY_STAFF_GROUP, user.pk)
        return False

    user.groups.add(group)
    logger.info("Added user %s to the default company staff group %s", user.pk, group.pk)
    return True
