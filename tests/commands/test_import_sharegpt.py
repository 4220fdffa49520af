import json

import pytest

from chat.importers.reading import READ_SIZE
from chat.models import ChatMessage, ChatSession
from tests.commands.conftest import run, summary, write_jsonl

GLAIVE_LIKE = {
    "conversations": [
        {"from": "human", "value": "Convert 100 USD to EUR."},
        {"from": "function_call", "value": '{"name": "convert", "arguments": {"amount": 100}}'},
        {"from": "observation", "value": '{"result": 92.5}'},
        {"from": "gpt", "value": "100 USD is 92.50 EUR."},
    ],
    "tools": '[{"name": "convert"}]',
}
WITH_ID = {
    "id": "identity_7",
    "system": "You are Vicuna.",
    "conversations": [
        {"from": "human", "value": "Who are you?", "markdown": False},
        {"from": "chatgpt", "value": "I am Vicuna."},
    ],
}


def stored_messages(session_id):
    return list(
        ChatMessage.objects.filter(session_id=session_id)
        .order_by("created_at", "id")
        .values_list("role", "content", "metadata")
    )


def write_array(path, records):
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_sharegpt_import_maps_roles_and_keeps_tools(company, tmp_path):
    path = write_array(tmp_path / "data.json", [GLAIVE_LIKE])

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt")

    assert output.stdout == summary(imported=1, messages=4)
    session = ChatSession.objects.get()
    assert session.id.startswith("sharegpt:")
    assert session.metadata == {"tools": '[{"name": "convert"}]'}
    assert stored_messages(session.id) == [
        ("user", "Convert 100 USD to EUR.", {}),
        ("assistant", '{"name": "convert", "arguments": {"amount": 100}}', {"source_role": "function_call"}),
        ("tool", '{"result": 92.5}', {"source_role": "observation"}),
        ("assistant", "100 USD is 92.50 EUR.", {}),
    ]


@pytest.mark.django_db
def test_sharegpt_record_id_and_system_prompt(company, tmp_path):
    path = write_array(tmp_path / "data.json", [WITH_ID])

    run("import_chat_sessions", str(path), company="acme", format="sharegpt")

    session = ChatSession.objects.get()
    assert session.id == "identity_7"
    assert session.metadata == {}
    assert stored_messages("identity_7") == [
        ("system", "You are Vicuna.", {"source_field": "system"}),
        ("user", "Who are you?", {"markdown": False}),
        ("assistant", "I am Vicuna.", {"source_role": "chatgpt"}),
    ]


@pytest.mark.django_db
def test_sharegpt_unusable_id_kept_in_metadata(company, tmp_path):
    records = [
        {"id": "has spaces", "conversations": [{"from": "human", "value": "a"}]},
        {"id": 12, "conversations": [{"from": "human", "value": "b"}]},
    ]
    path = write_array(tmp_path / "data.json", records)

    run("import_chat_sessions", str(path), company="acme", format="sharegpt")

    hashed = ChatSession.objects.get(metadata__source_id="has spaces")
    assert hashed.id.startswith("sharegpt:")
    assert ChatSession.objects.get(id="12").metadata == {}


@pytest.mark.django_db
def test_sharegpt_appends_new_positions_only(company, tmp_path):
    first = write_array(tmp_path / "first.json", [WITH_ID])
    longer = dict(WITH_ID, conversations=WITH_ID["conversations"] + [{"from": "human", "value": "Thanks!"}])
    second = write_array(tmp_path / "second.json", [longer])
    run("import_chat_sessions", str(first), company="acme", format="sharegpt")
    before = ChatSession.objects.get().last_message_at

    output = run("import_chat_sessions", str(second), company="acme", format="sharegpt")

    assert output.stdout == summary(present=1, messages=1)
    messages = stored_messages("identity_7")
    assert [content for _role, content, _metadata in messages] == [
        "You are Vicuna.",
        "Who are you?",
        "I am Vicuna.",
        "Thanks!",
    ]
    session = ChatSession.objects.get()
    assert session.last_message_at > before
    assert session.last_message_at == ChatMessage.objects.order_by("-created_at").first().created_at


@pytest.mark.django_db
def test_sharegpt_id_of_other_company_skipped(company, other_company, tmp_path):
    ChatSession.objects.create(id="identity_7", company=other_company)
    path = write_array(tmp_path / "data.json", [WITH_ID, GLAIVE_LIKE])

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt", expect_error=True)

    assert output.stderr == "record 1: session id identity_7 already exists in another company.\n"
    assert output.stdout == summary(imported=1, skipped=1, messages=4)
    assert output.error == "1 record was skipped; see the messages above."
    assert ChatMessage.objects.filter(session_id="identity_7").count() == 0


@pytest.mark.django_db
def test_sharegpt_bad_records_reported_by_number(company, tmp_path):
    records = [
        GLAIVE_LIKE,
        "just a string",
        {"conversations": [{"from": "alien", "value": "?"}]},
        {"conversations": [{"from": "human"}]},
        {"conversations": [{"from": "human", "value": ["part one", {"type": "text", "text": "part two"}]}]},
    ]
    path = write_array(tmp_path / "data.json", records)

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt", expect_error=True)

    assert output.stderr.splitlines() == [
        "record 2: record must be a JSON object.",
        'record 3: conversations.0.from: unknown role "alien"; expected one of: system, human, user, gpt, '
        "assistant, chatgpt, bard, bing, function_call, observation, function, tool.",
    ]
    assert output.stdout == summary(imported=3, skipped=2, messages=6)
    empty = ChatMessage.objects.get(content="")
    assert empty.role == "user"
    parts = ChatMessage.objects.get(content="part one\n\npart two")
    assert parts.metadata == {"content_parts": [{"type": "text", "length": 8}, {"type": "text", "length": 8}]}


@pytest.mark.django_db
def test_sharegpt_broken_array_stops_with_error(company, tmp_path):
    text = json.dumps([GLAIVE_LIKE, WITH_ID])[:-1] + ', {"conversations": [}]'
    path = tmp_path / "data.json"
    path.write_text(text)

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt", expect_error=True)

    message = (
        "record 3: invalid JSON: Expecting value. Reading stopped: a JSON array cannot be read past a syntax error."
    )
    assert output.stderr == message + "\n"
    assert output.error == "Reading stopped. " + message
    assert output.stdout == summary(imported=2, messages=7)


@pytest.mark.django_db
def test_sharegpt_unterminated_array(company, tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps([GLAIVE_LIKE])[:-1])

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt", expect_error=True)

    assert output.stderr == (
        "record 2: expected , or ] after the previous record. "
        "Reading stopped: a JSON array cannot be read past a syntax error.\n"
    )
    assert ChatSession.objects.count() == 1


@pytest.mark.django_db
def test_sharegpt_large_records_across_read_chunks(company, tmp_path):
    # Values longer than the read size, and many records, so that records
    # and strings are split between chunks and the buffer is trimmed.
    long_text = "ñ" * (READ_SIZE + 123)
    records = [{"id": f"r{n}", "conversations": [{"from": "human", "value": f"{n} {long_text}"}]} for n in range(3)]
    records += [{"id": f"s{n}", "conversations": [{"from": "gpt", "value": str(n) * 40}]} for n in range(700)]
    path = write_array(tmp_path / "data.json", records)

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt", batch_size=1000)

    assert output.stdout == summary(imported=703, messages=703)
    assert ChatMessage.objects.get(session_id="r2").content == f"2 {long_text}"
    assert ChatMessage.objects.get(session_id="s699").content == "699" * 40


@pytest.mark.django_db
def test_sharegpt_bom_and_crlf_array(company, tmp_path):
    path = tmp_path / "data.json"
    text = json.dumps([WITH_ID, GLAIVE_LIKE], indent=1).replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt")

    assert output.stdout == summary(imported=2, messages=7)


@pytest.mark.django_db
def test_sharegpt_json_lines(company, tmp_path):
    path = write_jsonl(tmp_path / "data.jsonl", [WITH_ID, GLAIVE_LIKE])

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt")

    assert output.stdout == summary(imported=2, messages=7)


@pytest.mark.django_db
def test_sharegpt_empty_array(company, tmp_path):
    path = tmp_path / "data.json"
    path.write_text("[ ]\n")

    output = run("import_chat_sessions", str(path), company="acme", format="sharegpt")

    assert output.stdout == summary()
