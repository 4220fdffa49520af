"""The native JSONL format: one session with its messages a line.

Written by `export_chat_sessions` and the admin's export action, read back by
`import_chat_sessions --format native`. Each line is a JSON object:

    {"format": "chat-session/1", "id": "...", "company": "<company slug>",
     "user": "<username>" or null,
     "client": {"id", "name", "email", "phone", "external_id", "metadata",
                "created_at", "updated_at"} or null,
     "language": "es", "created_at": "<ISO 8601 UTC>",
     "last_message_at": "<ISO 8601 UTC>", "metadata": {...},
     "messages": [{"role", "content", "metadata", "created_at"}, ...]}

Messages are in chronological order (created_at, then id). Datetimes are
UTC with microseconds, so an export of an import of an export is
byte-identical. Keys are written in a fixed order.
"""

import datetime
import json

FORMAT_VERSION = "chat-session/1"


def format_datetime(value):
    """Return `value` as ISO 8601 in UTC with microseconds, ending in Z."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def client_to_native(client):
    if client is None:
        return None
    return {
        "id": client.id,
        "name": client.name,
        "email": client.email,
        "phone": client.phone,
        "external_id": client.external_id,
        "metadata": client.metadata,
        "created_at": format_datetime(client.created_at),
        "updated_at": format_datetime(client.updated_at),
    }


def session_to_native(session, messages):
    """Return the native dict of `session`, with `messages` in chronological order.

    `session` needs `company`, `user` and `client` loaded (select_related) to
    avoid a query per session.
    """
    return {
        "format": FORMAT_VERSION,
        "id": session.id,
        "company": session.company.slug,
        "user": session.user.username if session.user_id else None,
        "client": client_to_native(session.client),
        "language": session.language,
        "created_at": format_datetime(session.created_at),
        "last_message_at": format_datetime(session.last_message_at),
        "metadata": session.metadata,
        "messages": [
            {
                "role": message.role,
                "content": message.content,
                "metadata": message.metadata,
                "created_at": format_datetime(message.created_at),
            }
            for message in messages
        ],
    }


def dumps_line(native):
    """Return one JSONL line (with its newline) for a native dict."""
    return json.dumps(native, ensure_ascii=False, separators=(",", ":")) + "\n"
