"""The real conversation files of the shared data folder import completely, and only once."""

import pytest
from django.db.models import Count

from chat.models import ChatMessage, ChatSession
from tests.commands.conftest import run, summary

# (file, format, sessions, messages, records already present on the first import, roles)
REAL_FILES = [
    # 1,000 messages plus the top-level "system" key of each of the 500 records.
    (
        "anthropic-json-mode.messages.jsonl",
        "openai",
        500,
        1500,
        0,
        {"system": 500, "user": 500, "assistant": 500},
    ),
    (
        "llamafactory-reason-tool-use.messages.jsonl",
        "openai",
        50,
        274,
        0,
        {"system": 50, "user": 70, "assistant": 112, "tool": 42},
    ),
    ("fastchat-dummy.sharegpt.json", "sharegpt", 500, 2000, 0, {"user": 1000, "assistant": 1000}),
    # 300 records of which 35 repeat an earlier one exactly: 1,690 of the 1,914 turns are distinct.
    (
        "llamafactory-glaive-toolcall-en.sharegpt.json",
        "sharegpt",
        265,
        1690,
        35,
        {"user": 652, "assistant": 845, "tool": 193},
    ),
]


def role_counts():
    return dict(ChatMessage.objects.values_list("role").annotate(count=Count("id")).order_by())


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "format", "sessions", "messages", "repeats", "roles"), REAL_FILES)
def test_real_file_imports_once(company, real_chats_dir, name, format, sessions, messages, repeats, roles):
    path = str(real_chats_dir / name)

    first = run("import_chat_sessions", path, company="acme", format=format, session_language="en")
    again = run("import_chat_sessions", path, company="acme", format=format, session_language="en")

    assert first.stdout == summary(imported=sessions, present=repeats, messages=messages)
    assert first.stderr == ""
    assert again.stdout == summary(present=sessions + repeats)
    assert ChatSession.objects.for_company(company).filter(language="en").count() == sessions
    assert ChatMessage.objects.count() == messages
    assert role_counts() == roles


@pytest.mark.django_db
def test_real_file_parts_metadata(company, real_chats_dir):
    path = str(real_chats_dir / "llamafactory-reason-tool-use.messages.jsonl")

    run("import_chat_sessions", path, company="acme", format="openai")

    session = ChatSession.objects.first()
    assert set(session.metadata) == {"tools"}
    reasoning = ChatMessage.objects.filter(metadata__content_parts__0__type="reasoning").first()
    parts = reasoning.metadata["content_parts"]
    assert sum(part["length"] for part in parts) + 2 * (len(parts) - 1) == len(reasoning.content)


@pytest.mark.django_db
def test_real_file_tool_turns_keep_source_role(company, real_chats_dir):
    path = str(real_chats_dir / "llamafactory-glaive-toolcall-en.sharegpt.json")

    run("import_chat_sessions", path, company="acme", format="sharegpt")

    sources = dict(
        ChatMessage.objects.exclude(metadata={})
        .values_list("metadata__source_role")
        .annotate(count=Count("id"))
        .order_by()
    )
    assert sources == {"function_call": 193, "observation": 193}
