"""The format-independent session record that every importer produces, and its helpers."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Text parts of a message given as a list of parts are joined with this separator.
PART_SEPARATOR = "\n\n"
# Hex digits of the SHA-256 kept in generated session ids (128 bits).
HASH_DIGITS = 32


class RecordError(Exception):
    """A record that cannot be imported; the message names the field and the problem."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class MessageRecord:
    role: str
    content: str
    metadata: dict = field(default_factory=dict)
    # None: the writer assigns the import time, one microsecond apart per position.
    created_at: datetime.datetime | None = None


@dataclass
class ClientRecord:
    id: str
    name: str
    email: str
    phone: str
    external_id: str
    metadata: dict
    created_at: datetime.datetime
    updated_at: datetime.datetime


@dataclass
class SessionRecord:
    id: str
    messages: list[MessageRecord]
    metadata: dict = field(default_factory=dict)
    # None: the --language option or the company's default language.
    language: str | None = None
    created_at: datetime.datetime | None = None
    last_message_at: datetime.datetime | None = None
    username: str | None = None
    client: ClientRecord | None = None


def conversation_id(prefix, company, value):
    """Return `<prefix>:<hash>` for a record that has no id of its own.

    The hash is a SHA-256 of the company's slug and the record's canonical
    JSON (sorted keys, no spaces), so the same record always gets the same
    id in one company, and two companies importing one file get different ids.
    """
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(f"{company.slug}\n{canonical}".encode()).hexdigest()
    return f"{prefix}:{digest[:HASH_DIGITS]}"


def require_dict(value, name):
    if not isinstance(value, dict):
        raise RecordError(_("%(field)s must be a JSON object.") % {"field": name})
    return value


def require_list(value, name, *, allow_empty=False):
    if not isinstance(value, list):
        raise RecordError(_("%(field)s must be a JSON array.") % {"field": name})
    if not value and not allow_empty:
        raise RecordError(_("%(field)s is empty; a conversation needs at least one message.") % {"field": name})
    return value


def map_role(source_role, roles, name):
    """Return (role, metadata) for a source role name, using the {source: (role, keep)} table `roles`.

    When `keep` is true the source name goes into the message metadata as
    `source_role`, because the stored role alone would lose it.
    """
    if not isinstance(source_role, str) or source_role not in roles:
        raise RecordError(
            _("%(field)s: unknown role %(role)s; expected one of: %(choices)s.")
            % {"field": name, "role": json.dumps(source_role), "choices": ", ".join(roles)}
        )
    role, keep = roles[source_role]
    return role, ({"source_role": source_role} if keep else {})


def content_to_text(content, name):
    """Return (text, metadata) for a message content: a string, null, or a list of parts.

    A list of parts becomes its text parts joined with a blank line. The
    metadata key `content_parts` lists every part in order: text parts as
    {"type", "length"} (so the text can be split back), other parts (images,
    audio) whole, since they have no text.
    """
    if content is None:
        return "", {}
    if isinstance(content, str):
        return content, {}
    if not isinstance(content, list):
        raise RecordError(_("%(field)s must be a string, a list of parts or null.") % {"field": name})

    texts = []
    parts = []
    for position, part in enumerate(content):
        text, description = _part_text(part, f"{name}.{position}")
        if text is None:
            parts.append(description)
            continue
        texts.append(text)
        parts.append({"type": description, "length": len(text)})
    return PART_SEPARATOR.join(texts), {"content_parts": parts}


def _part_text(part, name):
    """Return (text, type) for a text part, or (None, part) for a part without text."""
    if isinstance(part, str):
        return part, "text"
    if not isinstance(part, dict):
        raise RecordError(_("%(field)s must be a string or a JSON object.") % {"field": name})

    part_type = part.get("type", "text")
    # OpenAI parts keep their text under "text"; LLaMA-Factory's under "value".
    for key in ("text", "value"):
        if isinstance(part.get(key), str):
            return part[key], part_type
    return None, part


def extra_keys(value, known):
    """Return the keys of `value` outside `known`, kept as session or message metadata."""
    return {key: item for key, item in value.items() if key not in known}


def system_prompt_message(system):
    """Return the first system message for a top-level `system` key."""
    content, metadata = content_to_text(system, "system")
    return MessageRecord(role="system", content=content, metadata={"source_field": "system", **metadata})


def message_from(source, name, *, role_key, content_key, roles):
    """Return the MessageRecord of one source message; other keys go into its metadata."""
    source = require_dict(source, name)
    role, role_metadata = map_role(source.get(role_key), roles, f"{name}.{role_key}")
    content, content_metadata = content_to_text(source.get(content_key), f"{name}.{content_key}")
    metadata = {**extra_keys(source, {role_key, content_key}), **role_metadata, **content_metadata}
    return MessageRecord(role=role, content=content, metadata=metadata)


def conversation_messages(record, *, list_key, role_key, content_key, roles):
    """Return the MessageRecords of a conversation record, led by its top-level `system` prompt if any."""
    source_messages = require_list(record.get(list_key), list_key)
    messages = []
    if record.get("system") is not None:
        messages.append(system_prompt_message(record["system"]))
    for position, source in enumerate(source_messages):
        name = f"{list_key}.{position}"
        messages.append(message_from(source, name, role_key=role_key, content_key=content_key, roles=roles))
    return messages
