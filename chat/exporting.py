"""Streaming export of sessions in the native JSONL format (see chat.native_format).

Sessions are read in keyset batches of (company, id), one company at a
time, through the chat_sessions_co_id_idx index. The messages of a whole
batch come from one query. Memory contains one batch, whatever the number
of sessions. Each batch is its own query, so a long export keeps no
transaction open, and a session changed during the export is written as it
was when its batch was read.
"""

import logging
from dataclasses import dataclass

from chat.models import ChatMessage, ChatSession
from chat.native_format import dumps_line, session_to_native
from companies.models import Company

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class ExportResult:
    sessions: int = 0
    messages: int = 0
    bytes: int = 0


def export_sessions(*, output, company=None, since=None, until=None, batch_size=BATCH_SIZE, on_batch=None):
    """Write the native lines of the selected sessions to the text stream `output`.

    Selects the sessions of `company` (or of every company, ordered by
    company id) whose `last_message_at` is at or after `since` and before
    `until`. `on_batch(sessions_in_batch)` is called after each batch.
    """
    result = ExportResult()
    company_id = company.pk if company else None
    logger.info("Export started: company %s since %s until %s", company_id, since, until)

    for native_batch in iter_native_batches(company=company, since=since, until=until, batch_size=batch_size):
        for native in native_batch:
            line = dumps_line(native)
            output.write(line)
            result.sessions += 1
            result.messages += len(native["messages"])
            result.bytes += len(line.encode())
        if on_batch:
            on_batch(len(native_batch))

    logger.info(
        "Export finished: company %s sessions %d messages %d bytes %d",
        company_id,
        result.sessions,
        result.messages,
        result.bytes,
    )
    return result


def iter_native_batches(*, company=None, since=None, until=None, batch_size=BATCH_SIZE):
    """Yield lists of native dicts, one list per batch of sessions."""
    companies = [company] if company else Company.objects.order_by("pk").iterator()
    for batch_company in companies:
        for sessions in _session_batches(batch_company, since, until, batch_size):
            messages = messages_by_session([session.pk for session in sessions])
            yield [session_to_native(session, messages.get(session.pk, ())) for session in sessions]


def count_sessions(*, company=None, since=None, until=None):
    """Return how many sessions export_sessions() would write, for a progress bar's total."""
    return _selected(
        ChatSession.objects.all() if company is None else ChatSession.objects.for_company(company), since, until
    ).count()


def _selected(queryset, since, until):
    if since is not None:
        queryset = queryset.filter(last_message_at__gte=since)
    if until is not None:
        queryset = queryset.filter(last_message_at__lt=until)
    return queryset


def _session_batches(company, since, until, batch_size):
    queryset = _selected(ChatSession.objects.for_company(company), since, until)
    queryset = queryset.select_related("user", "client").order_by("id")
    last_id = None
    while True:
        batch_queryset = queryset if last_id is None else queryset.filter(pk__gt=last_id)
        sessions = list(batch_queryset[:batch_size])
        for session in sessions:
            # Every session of the batch has this company; assigning it is
            # cheaper than joining and building one Company per row.
            session.company = company
        if sessions:
            yield sessions
        if len(sessions) < batch_size:
            return
        last_id = sessions[-1].pk


def messages_by_session(session_ids):
    """Return {session id: its messages in chronological order} for `session_ids`, in one query.

    Callers pass ids from a company-scoped query, so no company filter is repeated here.
    """
    rows = (
        ChatMessage.objects.filter(session_id__in=session_ids)
        .order_by("session_id", "created_at", "id")
        .values_list("session_id", "role", "content", "metadata", "created_at", named=True)
    )
    messages = {}
    for row in rows:
        messages.setdefault(row.session_id, []).append(row)
    return messages
