"""Writes to users and their API tokens: every path that creates, lists or revokes tokens calls these."""

import datetime
import logging

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import CONSTANTS

from accounts.models import User

logger = logging.getLogger(__name__)

# Created by migration accounts 0002 with the permissions a company's staff needs.
COMPANY_STAFF_GROUP = "Company staff"

# Shortest key prefix that revoke accepts, so that a typo cannot match an arbitrary token.
MIN_KEY_PREFIX_LENGTH = 4


def api_token_create(*, user, expiry_days=None):
    """Create an API token for `user`; return (token row, plain token).

    The plain token is not stored (only its SHA-512 digest), so this is the
    one chance to show it. Without `expiry_days` the token does not expire.
    """
    if not user.is_active:
        raise ValidationError(_("User %(username)s is inactive.") % {"username": user.get_username()})
    if expiry_days is not None and expiry_days < 1:
        raise ValidationError(_("The expiry must be at least 1 day; got %(days)d.") % {"days": expiry_days})

    expiry = datetime.timedelta(days=expiry_days) if expiry_days is not None else None
    token, plain = AuthToken.objects.create(user=user, expiry=expiry)
    logger.info("Created API token %s for user %s", token.token_key, user.pk)
    return token, plain


def api_token_list(*, user=None):
    """Return the API tokens, of one user or of all, newest first."""
    tokens = AuthToken.objects.select_related("user").order_by("-created", "token_key")
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens


def api_token_revoke(*, token_key=None, user=None):
    """Delete the tokens whose key starts with `token_key`, or all tokens of `user`; return how many.

    A key prefix must match exactly one token, so a short prefix cannot
    revoke several by mistake.
    """
    if (token_key is None) == (user is None):
        raise TypeError("api_token_revoke() takes exactly one of token_key and user")

    if user is not None:
        count, _details = AuthToken.objects.filter(user=user).delete()
        logger.info("Revoked %d API tokens of user %s", count, user.pk)
        return count

    key = token_key[: CONSTANTS.TOKEN_KEY_LENGTH]
    if len(key) < MIN_KEY_PREFIX_LENGTH:
        raise ValidationError(_("Give at least %(min)d characters of the token key.") % {"min": MIN_KEY_PREFIX_LENGTH})
    matches = list(AuthToken.objects.filter(token_key__startswith=key)[:2])
    if not matches:
        raise ValidationError(_("No API token has a key starting with %(key)s.") % {"key": key})
    if len(matches) > 1:
        raise ValidationError(
            _("More than one API token has a key starting with %(key)s; give more characters.") % {"key": key}
        )
    matches[0].delete()
    logger.info("Revoked API token %s of user %s", matches[0].token_key, matches[0].user_id)
    return 1


def user_by_username(username):
    """Return the user named `username`, or raise ValidationError."""
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as error:
        raise ValidationError(_("No user is named %(username)s.") % {"username": username}) from error


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
