"""Batched maintenance writes: retention purge, last_message_at repair, client erasure, company deletion.

Each function works in short transactions of at most `batch_size` sessions
(or clients, or users), so no transaction keeps row locks for long on a
large table. An interrupted run leaves every committed batch done, and the
next run finishes the rest. `on_batch(progress)` is called after each
committed batch; it drives progress bars, and tests raise from it to
simulate an interruption.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from chat.models import ChatMessage, ChatSession
from clients.models import Client
from clients.services import client_update
from companies.models import Company

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
CLIENT_PERSONAL_FIELDS = ("name", "email", "phone", "external_id", "metadata")


def _ignore(*args):
    pass


@dataclass
class DeletionResult:
    sessions: int = 0
    messages: int = 0
    batches: int = 0


def delete_session_batch(session_ids):
    """Delete sessions and their messages in one transaction; return (sessions, messages) deleted.

    The ORM's delete() removes the messages first with one DELETE, then the
    sessions, and applies the on_delete rule of any other model that refers
    to a session. Only the ids are loaded, not the sessions' metadata.
    """
    with transaction.atomic(savepoint=False):
        _total, detail = ChatSession.objects.filter(pk__in=session_ids).only("pk").delete()
    return detail.get(ChatSession._meta.label, 0), detail.get(ChatMessage._meta.label, 0)


def session_purge(*, before, company=None, batch_size=BATCH_SIZE, dry_run=False, on_batch=_ignore):
    """Delete the sessions whose `last_message_at` is before `before`, with their messages.

    With `dry_run`, count them and delete nothing. Each batch locks its
    sessions (SELECT ... FOR UPDATE on PostgreSQL) before deleting, so a
    session that receives a message meanwhile is re-checked and kept.
    """
    sessions = ChatSession.objects.all() if company is None else ChatSession.objects.for_company(company)
    sessions = sessions.filter(last_message_at__lt=before)
    company_id = company.pk if company else None
    logger.info("Purge started: company %s before %s dry_run %s", company_id, before.isoformat(), dry_run)

    if dry_run:
        result = DeletionResult(
            sessions=sessions.count(), messages=ChatMessage.objects.filter(session__in=sessions).count()
        )
    else:
        result = _purge_batches(sessions.order_by("last_message_at", "id"), batch_size, on_batch)

    logger.info(
        "Purge finished: company %s sessions %d messages %d batches %d dry_run %s",
        company_id,
        result.sessions,
        result.messages,
        result.batches,
        dry_run,
    )
    return result


def _purge_batches(sessions, batch_size, on_batch):
    result = DeletionResult()
    while True:
        with transaction.atomic():
            # Locked rows are re-read after a concurrent update, so a session
            # whose last_message_at just moved past `before` drops out here.
            session_ids = list(sessions.select_for_update().values_list("pk", flat=True)[:batch_size])
            if not session_ids:
                return result
            deleted_sessions, deleted_messages = delete_session_batch(session_ids)

        result.sessions += deleted_sessions
        result.messages += deleted_messages
        result.batches += 1
        on_batch(result)


@dataclass
class RefreshResult:
    sessions_checked: int = 0
    sessions_changed: int = 0
    batches: int = 0


def session_refresh_last_message_at(*, company=None, batch_size=BATCH_SIZE, on_batch=_ignore):
    """Set each session's `last_message_at` to its latest message time (its `created_at` when it has none).

    This is a repair, so unlike message_append() it may move the value back.
    Each batch first locks its sessions, then updates them in a second
    statement, whose fresh snapshot includes messages appended while it waited.
    """
    sessions = ChatSession.objects.all() if company is None else ChatSession.objects.for_company(company)
    sessions = sessions.order_by("pk")
    latest_message = (
        ChatMessage.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(latest=Max("created_at"))
    )
    expected = Coalesce(Subquery(latest_message.values("latest")), F("created_at"))
    company_id = company.pk if company else None
    logger.info("Refresh of last_message_at started: company %s", company_id)

    result = RefreshResult()
    last_id = None
    while True:
        batch = sessions if last_id is None else sessions.filter(pk__gt=last_id)
        with transaction.atomic():
            session_ids = list(batch.select_for_update().values_list("pk", flat=True)[:batch_size])
            if not session_ids:
                break
            changed = (
                ChatSession.objects.filter(pk__in=session_ids)
                .filter(~Q(last_message_at=expected))
                .update(last_message_at=expected)
            )

        result.sessions_checked += len(session_ids)
        result.sessions_changed += changed
        result.batches += 1
        last_id = session_ids[-1]
        on_batch(result)

    logger.info(
        "Refresh of last_message_at finished: company %s checked %d changed %d",
        company_id,
        result.sessions_checked,
        result.sessions_changed,
    )
    return result


@dataclass
class ErasureResult:
    # Personal fields of the client row that were not empty before.
    client_fields: list = field(default_factory=list)
    sessions: int = 0
    messages: int = 0


def client_erase(*, client, dry_run=False, batch_size=BATCH_SIZE):
    """Erase a client's personal data: its personal fields and the content and metadata of its messages.

    Rows, counts, roles and timestamps stay (the client's `updated_at`
    records the erasure). Message metadata is erased too, because imports
    keep tool-call arguments and similar copies of the content there. On
    PostgreSQL the search trigger empties the messages' search vectors.
    Running it again changes nothing. Messages are erased in batches of
    sessions, then the client row, so an interrupted run is finished by the
    next one.
    """
    logger.info("Erasure started: client %s company %s dry_run %s", client.pk, client.company_id, dry_run)
    sessions = ChatSession.objects.for_company(client.company_id).filter(client=client)
    to_erase = ChatMessage.objects.filter(Q(session__in=sessions) & (~Q(content="") | ~Q(metadata={})))
    result = ErasureResult(client_fields=[name for name in CLIENT_PERSONAL_FIELDS if getattr(client, name)])

    if dry_run:
        counts = to_erase.aggregate(messages=Count("id"), sessions=Count("session", distinct=True))
        result.messages, result.sessions = counts["messages"], counts["sessions"]
    else:
        _erase_messages(sessions, result, batch_size)
        if result.client_fields:
            client_update(client=client, name="", email="", phone="", external_id="", metadata={})

    logger.info(
        "Erasure finished: client %s fields %s sessions %d messages %d dry_run %s",
        client.pk,
        ",".join(result.client_fields),
        result.sessions,
        result.messages,
        dry_run,
    )
    return result


def _erase_messages(sessions, result, batch_size):
    last_id = None
    sessions = sessions.order_by("pk")
    while True:
        batch = sessions if last_id is None else sessions.filter(pk__gt=last_id)
        session_ids = list(batch.values_list("pk", flat=True)[:batch_size])
        if not session_ids:
            return
        with transaction.atomic():
            messages = ChatMessage.objects.filter(session_id__in=session_ids).filter(~Q(content="") | ~Q(metadata={}))
            touched_sessions = messages.values("session_id").distinct().count()
            erased = messages.update(content="", metadata={})
        result.messages += erased
        result.sessions += touched_sessions
        last_id = session_ids[-1]


@dataclass
class CompanyDeletionResult:
    sessions: int = 0
    messages: int = 0
    clients: int = 0
    users: int = 0
    batches: int = 0
    company_deleted: bool = False


def company_delete_in_batches(*, company, batch_size=BATCH_SIZE, dry_run=False, on_batch=_ignore):
    """Delete a company with all its data in short transactions, never loading it all into memory.

    Order: the company is marked inactive, then its sessions with their
    messages, its clients and its users are deleted in batches, and the
    company row last. Interrupted, the company is still there (inactive)
    and a second run deletes the rest. With `dry_run`, count only.
    """
    company_id = company.pk
    logger.info("Company deletion started: company %s dry_run %s", company_id, dry_run)
    if dry_run:
        return _count_company_rows(company)

    Company.objects.filter(pk=company_id).update(is_active=False)
    result = CompanyDeletionResult()
    _delete_company_sessions(company, batch_size, result, on_batch)
    result.clients = _delete_in_batches(Client.objects.for_company(company), batch_size, result, on_batch)
    result.users = _delete_in_batches(User.objects.for_company(company), batch_size, result, on_batch)
    company.delete()
    result.company_deleted = True

    logger.info(
        "Company deletion finished: company %s sessions %d messages %d clients %d users %d batches %d",
        company_id,
        result.sessions,
        result.messages,
        result.clients,
        result.users,
        result.batches,
    )
    return result


def _count_company_rows(company):
    return CompanyDeletionResult(
        sessions=ChatSession.objects.for_company(company).count(),
        messages=ChatMessage.objects.for_company(company).count(),
        clients=Client.objects.for_company(company).count(),
        users=User.objects.for_company(company).count(),
    )


def _delete_company_sessions(company, batch_size, result, on_batch):
    sessions = ChatSession.objects.for_company(company).order_by("pk")
    while session_ids := list(sessions.values_list("pk", flat=True)[:batch_size]):
        deleted_sessions, deleted_messages = delete_session_batch(session_ids)
        result.sessions += deleted_sessions
        result.messages += deleted_messages
        result.batches += 1
        on_batch(result)


def _delete_in_batches(queryset, batch_size, result, on_batch):
    """Delete the rows of `queryset` through the ORM, `batch_size` at a time; return the count."""
    model = queryset.model
    deleted = 0
    queryset = queryset.order_by("pk")
    while row_ids := list(queryset.values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            _total, detail = model.objects.filter(pk__in=row_ids).delete()
        deleted += detail.get(model._meta.label, 0)
        result.batches += 1
        on_batch(result)
    return deleted
