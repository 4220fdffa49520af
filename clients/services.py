"""Writes to clients. Every write path (API, admin, commands) calls these."""

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clients.models import Client
from core.exceptions import ConflictError

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = ("name", "email", "phone", "external_id", "metadata")


def client_create(*, company, id=None, **fields):
    """Create a client of `company`; raise ConflictError when the id or external id is taken."""
    client = Client(company=company, **fields)
    if id is not None:
        client.id = id
    _full_clean(client)
    _save(client, force_insert=True)
    logger.debug("Created client %s for company %s", client.pk, company.pk)
    return client


def client_update(*, client, **changes):
    """Change the editable fields of a client."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"client_update() got unexpected fields: {sorted(unknown)}")

    for field, value in changes.items():
        setattr(client, field, value)
    _full_clean(client)
    _save(client)
    logger.info("Updated client %s fields %s", client.pk, ",".join(sorted(changes)))
    return client


def client_delete(*, client):
    """Delete a client; its sessions stay, with the client emptied."""
    client_id = client.pk
    client.delete()
    logger.info("Deleted client %s", client_id)


def _full_clean(client):
    # The unique checks run in the database instead (see _save), so that two
    # concurrent requests cannot both pass a pre-check.
    client.full_clean(validate_unique=False, validate_constraints=False)


def _save(client, **kwargs):
    try:
        with transaction.atomic():
            client.save(**kwargs)
    except IntegrityError as error:
        if kwargs.get("force_insert") and Client.objects.filter(pk=client.pk).exists():
            raise ConflictError(_("A client with id %(id)s already exists.") % {"id": client.pk}, field="id") from error
        if client.external_id and (
            Client.objects.for_company(client.company_id)
            .filter(external_id=client.external_id)
            .exclude(pk=client.pk)
            .exists()
        ):
            raise ConflictError(
                _("This company already has a client with external id %(external_id)s.")
                % {"external_id": client.external_id},
                field="external_id",
            ) from error
        raise
