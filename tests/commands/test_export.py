import datetime
import json
import os
import stat

import pytest

from chat.services import message_append, session_create
from tests.commands.conftest import run
from tests.factories import ClientFactory, CompanyFactory, UserFactory

T0 = datetime.datetime(2026, 1, 15, 8, 0, tzinfo=datetime.UTC)


def at(days, minutes=0):
    return T0 + datetime.timedelta(days=days, minutes=minutes)


def make_session(company, session_id, *, days=0, messages=1, **fields):
    session = session_create(company=company, id=session_id, created_at=at(days), **fields)
    for n in range(messages):
        message_append(session=session, role="user", content=f"{session_id} #{n}", created_at=at(days, n))
    return session


def exported_ids(text):
    return [json.loads(line)["id"] for line in text.splitlines()]


@pytest.mark.django_db
def test_export_line_is_the_whole_native_record(company):
    user = UserFactory(company=company, username="ana")
    client = ClientFactory(
        company=company, id="c-1", name="Ana", email="ana@example.com", phone="1", external_id="E1", created_at=at(-1)
    )
    session = session_create(
        company=company, id="s-1", user=user, client=client, language="pt-BR", metadata={"k": "v"}, created_at=at(0)
    )
    message_append(session=session, role="user", content="Olá", metadata={"a": 1}, created_at=at(0, 1))
    client.refresh_from_db()

    output = run("export_chat_sessions", company="acme")

    assert json.loads(output.stdout) == {
        "format": "chat-session/1",
        "id": "s-1",
        "company": "acme",
        "user": "ana",
        "client": {
            "id": "c-1",
            "name": "Ana",
            "email": "ana@example.com",
            "phone": "1",
            "external_id": "E1",
            "metadata": {},
            "created_at": "2026-01-14T08:00:00.000000Z",
            "updated_at": client.updated_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        },
        "language": "pt-BR",
        "created_at": "2026-01-15T08:00:00.000000Z",
        "last_message_at": "2026-01-15T08:01:00.000000Z",
        "metadata": {"k": "v"},
        "messages": [
            {"role": "user", "content": "Olá", "metadata": {"a": 1}, "created_at": "2026-01-15T08:01:00.000000Z"}
        ],
    }
    assert output.stdout.endswith("}\n")
    assert "Olá" in output.stdout
    size = len(output.stdout.encode())
    assert output.stderr == f"Sessions exported: 1\nMessages exported: 1\nBytes written: {size}\n"


@pytest.mark.django_db
def test_export_company_filter_and_order(company, other_company):
    for session_id in ["b", "a", "c"]:
        make_session(company, session_id)
    make_session(other_company, "g")

    output = run("export_chat_sessions", company="acme")

    assert exported_ids(output.stdout) == ["a", "b", "c"]


@pytest.mark.django_db
def test_export_all_companies_ordered_by_company(company, other_company):
    make_session(other_company, "a-globex")
    make_session(company, "z-acme")

    output = run("export_chat_sessions")

    assert exported_ids(output.stdout) == ["z-acme", "a-globex"]


@pytest.mark.django_db
def test_export_since_until_by_last_activity(company):
    for day in range(5):
        make_session(company, f"day{day}", days=day)

    output = run("export_chat_sessions", company="acme", since="2026-01-16", until="2026-01-18T08:00:00Z")

    assert exported_ids(output.stdout) == ["day1", "day2"]


@pytest.mark.django_db
def test_export_keyset_batches_cover_every_session_once(company, django_assert_max_num_queries):
    for n in range(7):
        make_session(
            company, f"s{n}", messages=3, user=UserFactory(company=company), client=ClientFactory(company=company)
        )

    # Company lookup, then per batch of 3 one sessions query (with user and
    # client joined) and one messages query; the last batch is short.
    with django_assert_max_num_queries(1 + 3 * 2):
        output = run("export_chat_sessions", company="acme", batch_size=3)

    assert exported_ids(output.stdout) == [f"s{n}" for n in range(7)]
    assert all(len(json.loads(line)["messages"]) == 3 for line in output.stdout.splitlines())


@pytest.mark.django_db
def test_export_to_file(company, tmp_path):
    make_session(company, "s1", messages=2)
    path = tmp_path / "acme.jsonl"

    output = run("export_chat_sessions", company="acme", output=str(path))

    content = path.read_text(encoding="utf-8")
    assert exported_ids(content) == ["s1"]
    assert output.stdout == f"Sessions exported: 1\nMessages exported: 2\nBytes written: {len(content.encode())}\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["acme.jsonl"]


@pytest.mark.django_db
def test_export_failure_leaves_no_partial_file(company, tmp_path, monkeypatch):
    make_session(company, "s1")
    path = tmp_path / "acme.jsonl"
    path.write_text("previous export\n")

    def fail(**kwargs):
        kwargs["output"].write("partial line")
        raise RuntimeError("connection lost")

    monkeypatch.setattr("chat.management.commands.export_chat_sessions.export_sessions", fail)
    with pytest.raises(RuntimeError):
        run("export_chat_sessions", company="acme", output=str(path))

    assert path.read_text() == "previous export\n"
    assert os.listdir(tmp_path) == ["acme.jsonl"]


@pytest.mark.django_db
def test_export_to_dev_null_keeps_the_device(company):
    make_session(company, "s1")

    output = run("export_chat_sessions", company="acme", output=os.devnull)

    assert output.stdout.startswith("Sessions exported: 1\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"company": "nope"}, "Company not found: nope. Check the slug in the admin's company list."),
        (
            {"since": "last week"},
            "Invalid date for --since: last week. Use YYYY-MM-DD or an ISO 8601 datetime such as 2026-01-31T12:00:00Z.",
        ),
        (
            {"until": "2026-13-01"},
            "Invalid date for --until: 2026-13-01. "
            "Use YYYY-MM-DD or an ISO 8601 datetime such as 2026-01-31T12:00:00Z.",
        ),
        (
            {"output": "/nonexistent-dir/acme.jsonl"},
            "Cannot write /nonexistent-dir/acme.jsonl: No such file or directory.",
        ),
    ],
)
def test_export_errors(company, options, error):
    output = run("export_chat_sessions", expect_error=True, **options)

    assert output.error == error
    assert output.stdout == ""


@pytest.mark.django_db
def test_export_bad_batch_size(company):
    output = run("export_chat_sessions", "--batch-size=0", expect_error=True)

    assert output.error == "Error: argument --batch-size: 0 is not a whole number of at least 1."


@pytest.mark.django_db
def test_export_empty_company(company):
    CompanyFactory(slug="empty")

    output = run("export_chat_sessions", company="empty")

    assert output.stdout == ""
    assert output.stderr == "Sessions exported: 0\nMessages exported: 0\nBytes written: 0\n"
