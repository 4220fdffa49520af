"""This product's own JSONL export (see chat.native_format), read back.

Every key of the format is required, datetimes included, so an export
imported into an empty database and exported again gives the same bytes.
A line whose `company` is not the company being imported into is rejected:
moving one company's sessions into another company has to be a deliberate
edit of the file, not a mistyped --company.
"""

import datetime
import json

from django.utils.translation import gettext as _

from chat.importers.records import (
    ClientRecord,
    MessageRecord,
    RecordError,
    SessionRecord,
    require_dict,
    require_list,
)
from chat.native_format import FORMAT_VERSION

SESSION_KEYS = ("id", "company", "user", "client", "language", "created_at", "last_message_at", "metadata", "messages")
CLIENT_KEYS = ("id", "name", "email", "phone", "external_id", "metadata", "created_at", "updated_at")
MESSAGE_KEYS = ("role", "content", "metadata", "created_at")


def parse_record(value, *, company):
    """Return the SessionRecord of one native line, or raise RecordError."""
    record = require_dict(value, "record")
    if record.get("format") != FORMAT_VERSION:
        raise RecordError(
            _("format is %(found)s, expected %(expected)s. Use --format openai or --format sharegpt for other files.")
            % {"found": _json_text(record.get("format")), "expected": FORMAT_VERSION}
        )
    _require_keys(record, SESSION_KEYS, "record")
    if record["company"] != company.slug:
        raise RecordError(
            _("the session belongs to company %(found)s, not %(expected)s.")
            % {"found": _json_text(record["company"]), "expected": company.slug}
        )

    if not isinstance(record["id"], str):
        raise RecordError(_("id must be a string."))

    return SessionRecord(
        id=record["id"],
        username=_optional_string(record["user"], "user"),
        client=_client(record["client"]),
        language=record["language"],
        created_at=parse_datetime(record["created_at"], "created_at"),
        last_message_at=parse_datetime(record["last_message_at"], "last_message_at"),
        metadata=record["metadata"],
        messages=[
            _message(message, f"messages.{position}")
            for position, message in enumerate(require_list(record["messages"], "messages", allow_empty=True))
        ],
    )


def parse_datetime(value, name):
    """Parse an ISO 8601 datetime; a value without a UTC offset is taken as UTC."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(
            _("%(field)s: invalid datetime %(value)s; use ISO 8601 such as %(example)s.")
            % {"field": name, "value": _json_text(value), "example": "2026-01-31T12:00:00.000000Z"}
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _client(value):
    if value is None:
        return None
    client = require_dict(value, "client")
    _require_keys(client, CLIENT_KEYS, "client")
    for key in ("id", "name", "email", "phone", "external_id"):
        if not isinstance(client[key], str):
            raise RecordError(_("%(field)s must be a string.") % {"field": f"client.{key}"})
    return ClientRecord(
        id=client["id"],
        name=client["name"],
        email=client["email"],
        phone=client["phone"],
        external_id=client["external_id"],
        metadata=client["metadata"],
        created_at=parse_datetime(client["created_at"], "client.created_at"),
        updated_at=parse_datetime(client["updated_at"], "client.updated_at"),
    )


def _message(value, name):
    message = require_dict(value, name)
    _require_keys(message, MESSAGE_KEYS, name)
    return MessageRecord(
        role=message["role"],
        content=message["content"],
        metadata=message["metadata"],
        created_at=parse_datetime(message["created_at"], f"{name}.created_at"),
    )


def _require_keys(value, keys, name):
    missing = [key for key in keys if key not in value]
    if missing:
        raise RecordError(_("%(field)s: missing %(keys)s.") % {"field": name, "keys": ", ".join(missing)})


def _optional_string(value, name):
    if value is not None and not isinstance(value, str):
        raise RecordError(_("%(field)s must be a string or null.") % {"field": name})
    return value


def _json_text(value):
    # Values from the file are shown as JSON, cut to keep one error on one line.
    return json.dumps(value, ensure_ascii=False)[:100]
