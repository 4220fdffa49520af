import io
import json
import sys

import pytest

from chat.models import ChatMessage, ChatSession
from tests.commands.conftest import run, summary, write_jsonl
from tests.factories import CompanyFactory

SIMPLE = {
    "messages": [{"role": "user", "content": "Hola"}, {"role": "assistant", "content": "¡Hola! ¿En qué te ayudo?"}]
}
TOOL_CALLS = [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Lima"}'}}]
IMAGE_PART = {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
RICH = {
    "system": "Be brief.",
    "messages": [
        {"role": "developer", "content": "Answer in JSON."},
        {"role": "user", "content": [{"type": "text", "text": "Weather in Lima?"}, IMAGE_PART]},
        {"role": "assistant", "content": None, "tool_calls": TOOL_CALLS},
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 18}'},
        {"role": "function", "name": "weather", "content": "18"},
        {
            "role": "assistant",
            "content": [{"type": "reasoning", "value": "It is mild."}, {"type": "text", "value": "18 °C"}],
            "weight": 1,
        },
        {"role": "user", "content": ""},
    ],
    "tools": '[{"name": "weather"}]',
}

DRY_RUN_HEADER = "Dry run: nothing was written. The counts below are what an import would do.\n"


def stored_messages(session):
    return list(
        ChatMessage.objects.filter(session=session)
        .order_by("created_at", "id")
        .values_list("role", "content", "metadata")
    )


@pytest.mark.django_db
def test_openai_import_maps_roles_parts_and_extra_keys(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [RICH])

    output = run("import_chat_sessions", str(path), company="acme", format="openai")

    assert output.stdout == summary(imported=1, messages=8)
    assert output.stderr == ""
    session = ChatSession.objects.get()
    assert session.id.startswith("openai:")
    assert len(session.id) == len("openai:") + 32
    assert session.company == company
    assert session.language == "es"
    assert session.metadata == {"tools": '[{"name": "weather"}]'}
    assert stored_messages(session) == [
        ("system", "Be brief.", {"source_field": "system"}),
        ("system", "Answer in JSON.", {"source_role": "developer"}),
        ("user", "Weather in Lima?", {"content_parts": [{"type": "text", "length": 16}, IMAGE_PART]}),
        ("assistant", "", {"tool_calls": TOOL_CALLS}),
        ("tool", '{"temp": 18}', {"tool_call_id": "call_1"}),
        ("tool", "18", {"name": "weather", "source_role": "function"}),
        (
            "assistant",
            "It is mild.\n\n18 °C",
            {"weight": 1, "content_parts": [{"type": "reasoning", "length": 11}, {"type": "text", "length": 5}]},
        ),
        ("user", "", {}),
    ]


@pytest.mark.django_db
def test_openai_import_sets_times_in_file_order(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [RICH])

    run("import_chat_sessions", str(path), company="acme", format="openai")

    session = ChatSession.objects.get()
    times = list(ChatMessage.objects.filter(session=session).order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert len(set(times)) == len(times)
    assert session.created_at <= times[0]
    assert session.last_message_at == times[-1]


@pytest.mark.django_db
def test_openai_import_language_option(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE])

    run("import_chat_sessions", str(path), company="acme", format="openai", session_language="en")

    assert ChatSession.objects.get().language == "en"


@pytest.mark.django_db
def test_openai_reimport_adds_nothing(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE, RICH])
    run("import_chat_sessions", str(path), company="acme", format="openai")
    ids_before = set(ChatSession.objects.values_list("id", flat=True))

    output = run("import_chat_sessions", str(path), company="acme", format="openai")

    assert output.stdout == summary(present=2)
    assert set(ChatSession.objects.values_list("id", flat=True)) == ids_before
    assert ChatMessage.objects.count() == 10


@pytest.mark.django_db
def test_openai_same_record_twice_in_file(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE, SIMPLE])

    output = run("import_chat_sessions", str(path), company="acme", format="openai")

    assert output.stdout == summary(imported=1, present=1, messages=2)
    assert ChatSession.objects.count() == 1


@pytest.mark.django_db
def test_openai_ids_differ_per_company(company, tmp_path):
    CompanyFactory(slug="globex")
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE])

    run("import_chat_sessions", str(path), company="acme", format="openai")
    run("import_chat_sessions", str(path), company="globex", format="openai")

    sessions = dict(ChatSession.objects.values_list("company__slug", "id"))
    assert sessions.keys() == {"acme", "globex"}
    assert sessions["acme"] != sessions["globex"]


@pytest.mark.django_db
def test_openai_bad_lines_reported_and_skipped(company, tmp_path):
    path = write_jsonl(
        tmp_path / "chats.jsonl",
        [
            SIMPLE,
            "{not json",
            "[1, 2]",
            {"prompt": "no messages"},
            {"messages": []},
            {"messages": [{"role": "robot", "content": "beep"}]},
            {"messages": [{"role": "user", "content": 42}]},
            {"messages": [{"role": "user", "content": "x" * 100_001}]},
            '{"messages": [{"role": "user", "content": NaN}]}',
            {"messages": [{"role": "user", "content": "a\u0000b"}]},
            {"messages": [{"role": "user", "content": "ok"}], "tools": "t" * 70_000},
            RICH,
        ],
    )

    output = run("import_chat_sessions", str(path), company="acme", format="openai", expect_error=True)

    assert output.stderr.splitlines() == [
        "line 2: invalid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "line 3: record must be a JSON object.",
        "line 4: messages must be a JSON array.",
        "line 5: messages is empty; a conversation needs at least one message.",
        'line 6: messages.0.role: unknown role "robot"; expected one of: system, developer, user, assistant, tool, '
        "function.",
        "line 7: messages.0.content must be a string, a list of parts or null.",
        "line 8: messages.0.content: Content has 100001 characters; the maximum is 100000.",
        "line 9: invalid JSON: NaN is not valid JSON.",
        "line 10: messages.0 contains a NUL character (\\u0000), which cannot be stored.",
        "line 11: metadata: Metadata is 70012 bytes encoded; the maximum is 65536 bytes.",
    ]
    assert output.stdout == summary(imported=2, skipped=10, messages=10)
    assert output.error == "10 records were skipped; see the messages above."
    assert ChatSession.objects.count() == 2
    assert ChatMessage.objects.count() == 10


@pytest.mark.django_db
def test_openai_bom_crlf_and_blank_lines(company, tmp_path):
    path = tmp_path / "chats.jsonl"
    body = "\r\n".join([json.dumps(SIMPLE, ensure_ascii=False), "", "   ", json.dumps(RICH, ensure_ascii=False)])
    path.write_bytes(b"\xef\xbb\xbf" + body.encode() + b"\r\n")

    output = run("import_chat_sessions", str(path), company="acme", format="openai")

    assert output.stdout == summary(imported=2, messages=10)
    assert ChatMessage.objects.filter(content="¡Hola! ¿En qué te ayudo?").count() == 1


@pytest.mark.django_db
def test_openai_invalid_utf8_line_skipped(company, tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_bytes(json.dumps(SIMPLE).encode() + b'\n{"messages": "\xff"}\n')

    output = run("import_chat_sessions", str(path), company="acme", format="openai", expect_error=True)

    assert output.stderr == "line 2: not valid UTF-8 at byte 15 of the line.\n"
    assert output.stdout == summary(imported=1, skipped=1, messages=2)


@pytest.mark.django_db
def test_openai_dry_run_writes_nothing(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE, RICH, SIMPLE, "oops"])

    output = run("import_chat_sessions", str(path), company="acme", format="openai", dry_run=True, expect_error=True)

    assert output.stdout == DRY_RUN_HEADER + summary(imported=2, present=1, skipped=1, messages=10)
    assert ChatSession.objects.count() == 0
    assert ChatMessage.objects.count() == 0


@pytest.mark.django_db
def test_openai_dry_run_counts_repeats_across_batches(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE, RICH, SIMPLE])

    output = run("import_chat_sessions", str(path), company="acme", format="openai", dry_run=True, batch_size=2)

    assert output.stdout == DRY_RUN_HEADER + summary(imported=2, present=1, messages=10)
    assert ChatSession.objects.count() == 0


@pytest.mark.django_db
def test_import_reads_standard_input(company, monkeypatch):
    data = (json.dumps(SIMPLE) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    output = run("import_chat_sessions", "-", company="acme", format="openai")

    assert output.stdout == summary(imported=1, messages=2)


@pytest.mark.django_db
def test_import_unknown_company(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE])

    output = run("import_chat_sessions", str(path), company="nope", format="openai", expect_error=True)

    assert output.error == "Company not found: nope. Check the slug in the admin's company list."
    assert ChatSession.objects.count() == 0


@pytest.mark.django_db
def test_import_unreadable_file(company, tmp_path):
    missing = tmp_path / "missing.jsonl"

    output = run("import_chat_sessions", str(missing), company="acme", format="openai", expect_error=True)
    directory = run("import_chat_sessions", str(tmp_path), company="acme", format="openai", expect_error=True)

    assert output.error == f"Cannot read {missing}: No such file or directory."
    assert directory.error == f"Cannot read {tmp_path}: Is a directory."


@pytest.mark.django_db
def test_import_bad_format_option(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE])

    # Options given as strings go through argparse, as on the command line.
    output = run("import_chat_sessions", str(path), "--company=acme", "--format=csv", expect_error=True)

    assert output.error.startswith("Error: argument --format: invalid choice: 'csv'")


@pytest.mark.django_db
def test_import_language_option_errors(company, tmp_path):
    path = write_jsonl(tmp_path / "chats.jsonl", [SIMPLE])

    invalid = run(
        "import_chat_sessions",
        str(path),
        company="acme",
        format="openai",
        session_language="english!",
        expect_error=True,
    )
    native = run("import_chat_sessions", str(path), company="acme", session_language="en", expect_error=True)

    assert invalid.error == (
        "Invalid --session-language english!: "
        "Enter a BCP-47 language tag of at most 10 characters, such as es, es-MX or pt-BR."
    )
    assert native.error == "--session-language applies to openai and sharegpt files; native records carry a language."
    assert ChatSession.objects.count() == 0


@pytest.mark.django_db
def test_openai_import_query_count(company, tmp_path, django_assert_max_num_queries):
    records = [{"messages": [{"role": "user", "content": f"question {n}"}] * 3} for n in range(3)]
    path = write_jsonl(tmp_path / "chats.jsonl", records)

    # Company lookup, batch savepoint and release, existing-ids lookup, then
    # 9 a session: record savepoint and release, session insert in its own
    # savepoint (3), messages insert and last_message_at update in theirs (4).
    with django_assert_max_num_queries(4 + 3 * 9):
        run("import_chat_sessions", str(path), company="acme", format="openai")

    assert ChatMessage.objects.count() == 9
