"""The admin's JSONL export: selected sessions in the native format, streamed in batches."""

import logging

from django.http import StreamingHttpResponse
from django.utils import timezone

from chat.exporting import messages_by_session
from chat.native_format import dumps_line, session_to_native

logger = logging.getLogger(__name__)

EXPORT_BATCH_SIZE = 200


def iter_native_lines(queryset, *, batch_size=EXPORT_BATCH_SIZE):
    """Yield one native JSONL line per session of `queryset`, in primary key order.

    Two queries per batch of sessions: the sessions with their company, user
    and client, then their messages (the same grouping as the export command).
    """
    sessions_query = queryset.order_by("pk").select_related("company", "user", "client")
    last_pk = None
    while True:
        batch_query = sessions_query if last_pk is None else sessions_query.filter(pk__gt=last_pk)
        sessions = list(batch_query[:batch_size])
        if not sessions:
            return

        yield from _lines_for_batch(sessions)
        last_pk = sessions[-1].pk


def _lines_for_batch(sessions):
    messages = messages_by_session([session.pk for session in sessions])
    for session in sessions:
        yield dumps_line(session_to_native(session, messages.get(session.pk, ())))


def export_response(queryset, *, user):
    """Return a streamed JSONL download of the sessions in `queryset`."""
    filename = timezone.now().strftime("chat-sessions-%Y%m%d-%H%M%S.jsonl")
    logger.info("User %s started a session export %s", user.pk, filename)
    response = StreamingHttpResponse(iter_native_lines(queryset), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
