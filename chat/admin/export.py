"""The admin's JSONL export: selected sessions in the native format, streamed in batches."""

import logging

from django.http import StreamingHttpResponse
from django.utils import timezone

from chat.models import ChatMessage
from chat.native_format import dumps_line, session_to_native

logger = logging.getLogger(__name__)

EXPORT_BATCH_SIZE = 200
MESSAGE_CHUNK_SIZE = 2000


def iter_native_lines(queryset, *, batch_size=EXPORT_BATCH_SIZE):
    """Yield one native JSONL line per session of `queryset`, in primary key order.

    Two queries per batch of sessions: the sessions with their company, user
    and client, then their messages, streamed in session order so that memory
    holds one session's messages at a time.
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
    messages = (
        ChatMessage.objects.filter(session_id__in=[session.pk for session in sessions])
        .order_by("session_id", "created_at", "id")
        .only("session_id", "role", "content", "metadata", "created_at")
        .iterator(chunk_size=MESSAGE_CHUNK_SIZE)
    )
    pending = next(messages, None)
    for session in sessions:
        own_messages = []
        while pending is not None and pending.session_id == session.pk:
            own_messages.append(pending)
            pending = next(messages, None)
        yield dumps_line(session_to_native(session, own_messages))

    if pending is not None:
        # Both queries order by the same column in the same collation, so this
        # means a line above was written without some of its messages.
        raise RuntimeError(f"Export out of order: message {pending.pk} of session {pending.session_id} was left over.")


def export_response(queryset, *, user):
    """Return a streamed JSONL download of the sessions in `queryset`."""
    filename = timezone.now().strftime("chat-sessions-%Y%m%d-%H%M%S.jsonl")
    logger.info("User %s started a session export %s", user.pk, filename)
    response = StreamingHttpResponse(iter_native_lines(queryset), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
