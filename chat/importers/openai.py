"""The OpenAI chat fine-tuning format: `{"messages": [{"role", "content"}, ...]}` a record.

Variants also read:
- A top-level `system` string or list of parts (the Anthropic and Amazon
  Bedrock variant) becomes a first system message with
  `{"source_field": "system"}` in its metadata.
- Content may be a list of parts.
- Message keys other than role and content (`name`, `tool_calls`,
  `tool_call_id`, `weight`, ...) are kept in the message metadata.
- Top-level keys other than `messages` and `system` (such as `tools`) are
  kept in the session metadata.

Records have no id, so the session id is `openai:<hash>` (see
records.conversation_id()).
"""

from chat.importers.records import SessionRecord, conversation_id, conversation_messages, extra_keys, require_dict

ID_PREFIX = "openai"

# Source role -> (stored role, keep the source name in metadata["source_role"]).
ROLES = {
    "system": ("system", False),
    "developer": ("system", True),
    "user": ("user", False),
    "assistant": ("assistant", False),
    "tool": ("tool", False),
    "function": ("tool", True),
}


def parse_record(value, *, company):
    """Return the SessionRecord of one OpenAI-format record, or raise RecordError."""
    record = require_dict(value, "record")
    messages = conversation_messages(record, list_key="messages", role_key="role", content_key="content", roles=ROLES)
    return SessionRecord(
        id=conversation_id(ID_PREFIX, company, record),
        messages=messages,
        metadata=extra_keys(record, {"messages", "system"}),
    )
