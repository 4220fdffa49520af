"""The ShareGPT format: `{"conversations": [{"from", "value"}, ...]}` a record.

Usually a JSON array of records (FastChat, LLaMA-Factory); JSON Lines also
work. Role names map as follows:
- `human` and `user` become user.
- `gpt`, `chatgpt`, `bard`, `bing` and `assistant` become assistant, and so
  does `function_call` (the assistant calling a tool).
- `observation`, `function` and `tool` (a tool's result) become tool.
- `system` stays system.
Names other than user, assistant, system, tool, human and gpt are kept in the
message metadata as `source_role`.

A record's `id` (a string or an integer) becomes the session id when it is a
valid session id; otherwise the session id is `sharegpt:<hash>` and the
original id is kept as `source_id` in the session metadata. A top-level
`system` prompt becomes a first system message; other top-level keys (such as
`tools`) and other turn keys are kept in the session and message metadata.
"""

from chat.importers.records import SessionRecord, conversation_id, conversation_messages, extra_keys, require_dict
from core.ids import CALLER_ID_RE

ID_PREFIX = "sharegpt"

# Source role -> (stored role, keep the source name in metadata["source_role"]).
ROLES = {
    "system": ("system", False),
    "human": ("user", False),
    "user": ("user", False),
    "gpt": ("assistant", False),
    "assistant": ("assistant", False),
    "chatgpt": ("assistant", True),
    "bard": ("assistant", True),
    "bing": ("assistant", True),
    "function_call": ("assistant", True),
    "observation": ("tool", True),
    "function": ("tool", True),
    "tool": ("tool", False),
}


def parse_record(value, *, company):
    """Return the SessionRecord of one ShareGPT record, or raise RecordError."""
    record = require_dict(value, "record")
    messages = conversation_messages(
        record, list_key="conversations", role_key="from", content_key="value", roles=ROLES
    )
    session_id, metadata = _session_id(record, company)
    return SessionRecord(id=session_id, messages=messages, metadata=metadata)


def _session_id(record, company):
    metadata = extra_keys(record, {"id", "conversations", "system"})
    source_id = record.get("id")
    if isinstance(source_id, int) and not isinstance(source_id, bool):
        source_id = str(source_id)
    if isinstance(source_id, str) and CALLER_ID_RE.match(source_id):
        return source_id, metadata

    if "id" in record:
        metadata["source_id"] = record["id"]
    return conversation_id(ID_PREFIX, company, record), metadata
