import datetime
import json

import pytest

from accounts.models import User
from chat.maintenance import company_delete_in_batches
from chat.models import ChatMessage, ChatSession
from chat.services import message_append, session_create
from clients.models import Client
from tests.commands.conftest import run, summary, write_jsonl
from tests.factories import ClientFactory, CompanyFactory, UserFactory

T0 = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def minutes(n):
    return T0 + datetime.timedelta(minutes=n)


def build_company_data(company):
    """Sessions covering what an export must carry: users, clients, ties, odd metadata, no messages."""
    agent = UserFactory(company=company, username="agent.ana")
    client = ClientFactory(
        company=company,
        id="crm:4711",
        name="José Núñez",
        email="jose@example.com",
        phone="+34 600 000 001",
        external_id="C-4711",
        metadata={"tier": "gold", "tags": ["vip", "es"], "score": 1.5},
        created_at=minutes(-100),
    )
    full = session_create(
        company=company,
        id="web.chat:42",
        user=agent,
        client=client,
        language="es-MX",
        metadata={"canal": "web", "nested": {"a": [1, 2, {"b": None}]}, "emoji": "🙂"},
        created_at=minutes(0),
    )
    message_append(session=full, role="system", content="Eres amable.", created_at=minutes(0))
    # Two messages with the same time: their order comes from the id.
    message_append(session=full, role="user", content="¿Tienen\nfacturas?", created_at=minutes(1))
    message_append(session=full, role="assistant", content="Sí.", metadata={"model": "x"}, created_at=minutes(1))
    message_append(session=full, role="tool", content="", created_at=minutes(2))

    empty = session_create(company=company, id="empty-1", language="en", created_at=minutes(5))
    later = session_create(company=company, id="later-1", created_at=minutes(6), last_message_at=minutes(60))
    message_append(session=later, role="user", content="hola", created_at=minutes(7))
    return full, empty, later


def export_company(slug="acme", **options):
    return run("export_chat_sessions", company=slug, **options).stdout


def empty_company(company):
    """Delete everything of the company and create it again, like an empty target database."""
    company_delete_in_batches(company=company)
    return CompanyFactory(name="Acme", slug="acme")


@pytest.mark.django_db
def test_export_import_export_is_byte_identical(company, tmp_path):
    build_company_data(company)
    first = export_company()
    path = tmp_path / "acme.jsonl"
    path.write_text(first, encoding="utf-8")
    empty_company(company)

    output = run("import_chat_sessions", str(path), company="acme")
    second = export_company()

    assert output.stdout == summary(imported=3, messages=5)
    assert second == first
    assert len(first.splitlines()) == 3


@pytest.mark.django_db
def test_native_import_recreates_users_and_clients(company, tmp_path):
    build_company_data(company)
    path = tmp_path / "acme.jsonl"
    path.write_text(export_company(), encoding="utf-8")
    company = empty_company(company)

    run("import_chat_sessions", str(path), company="acme")

    user = User.objects.get(username="agent.ana")
    assert user.company == company
    assert not user.has_usable_password()
    assert not user.is_staff
    client = Client.objects.get(pk="crm:4711")
    assert (client.company, client.name, client.email, client.external_id) == (
        company,
        "José Núñez",
        "jose@example.com",
        "C-4711",
    )
    session = ChatSession.objects.get(pk="web.chat:42")
    assert (session.user, session.client, session.language) == (user, client, "es-MX")
    assert ChatSession.objects.get(pk="later-1").last_message_at == minutes(60)


@pytest.mark.django_db
def test_native_reimport_adds_nothing(company, tmp_path):
    build_company_data(company)
    path = tmp_path / "acme.jsonl"
    path.write_text(export_company(), encoding="utf-8")

    output = run("import_chat_sessions", str(path), company="acme")

    assert output.stdout == summary(present=3)
    assert ChatMessage.objects.count() == 5


@pytest.mark.django_db
def test_native_import_appends_messages_of_a_later_export(company, tmp_path):
    full, _empty, _later = build_company_data(company)
    older = tmp_path / "older.jsonl"
    older.write_text(export_company(), encoding="utf-8")
    message_append(session=full, role="user", content="Gracias", created_at=minutes(30))
    newer = tmp_path / "newer.jsonl"
    newer.write_text(export_company(), encoding="utf-8")
    empty_company(company)
    run("import_chat_sessions", str(older), company="acme")

    output = run("import_chat_sessions", str(newer), company="acme")

    assert output.stdout == summary(present=3, messages=1)
    assert export_company() == newer.read_text(encoding="utf-8")


def native_line(**changes):
    line = {
        "format": "chat-session/1",
        "id": "s-1",
        "company": "acme",
        "user": None,
        "client": None,
        "language": "es",
        "created_at": "2026-03-01T09:00:00.000000Z",
        "last_message_at": "2026-03-01T09:00:00.000000Z",
        "metadata": {},
        "messages": [],
    }
    line.update(changes)
    return line


def client_dict(**changes):
    client = {
        "id": "c-1",
        "name": "Ana",
        "email": "ana@example.com",
        "phone": "",
        "external_id": "",
        "metadata": {},
        "created_at": "2026-03-01T09:00:00.000000Z",
        "updated_at": "2026-03-01T09:00:00.000000Z",
    }
    client.update(changes)
    return client


@pytest.mark.django_db
def test_native_bad_lines_reported(company, other_company, tmp_path):
    UserFactory(company=other_company, username="bob")
    ClientFactory(company=other_company, id="c-other")
    ClientFactory(company=company, id="c-acme", external_id="X-1")
    message = {"role": "user", "content": "hi", "metadata": {}, "created_at": "2026-03-01T09:00:01Z"}
    lines = [
        {"messages": [{"role": "user", "content": "openai style"}]},
        native_line(format="chat-session/2"),
        native_line(company="globex"),
        {"format": "chat-session/1", "id": "s-2"},
        native_line(id="bad id!"),
        native_line(id=7),
        native_line(created_at="yesterday"),
        native_line(language="klingon-xx-1"),
        native_line(metadata=[]),
        native_line(user="bob"),
        native_line(client=client_dict(id="c-other")),
        native_line(client=client_dict(id="c-new", external_id="X-1")),
        native_line(client=client_dict(email="not-an-email")),
        native_line(client=client_dict(name=["Ana"])),
        native_line(messages=[dict(message, role="bot")]),
        native_line(messages=[{"role": "user"}]),
        native_line(messages=[dict(message, created_at=None)]),
        native_line(user="new.user", client=client_dict(id="c-ok"), messages=[message]),
    ]
    path = write_jsonl(tmp_path / "acme.jsonl", lines)

    output = run("import_chat_sessions", str(path), company="acme", expect_error=True)

    assert output.stderr.splitlines() == [
        "line 1: format is null, expected chat-session/1. Use --format openai or --format sharegpt for other files.",
        'line 2: format is "chat-session/2", expected chat-session/1. Use --format openai or --format sharegpt '
        "for other files.",
        'line 3: the session belongs to company "globex", not acme.',
        "line 4: record: missing company, user, client, language, created_at, last_message_at, metadata, messages.",
        "line 5: id: Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~",
        "line 6: id must be a string.",
        'line 7: created_at: invalid datetime "yesterday"; use ISO 8601 such as 2026-01-31T12:00:00.000000Z.',
        "line 8: language: Enter a BCP-47 language tag of at most 10 characters, such as es, es-MX or pt-BR.",
        "line 9: metadata: Metadata must be a JSON object.",
        "line 10: user bob belongs to another company.",
        "line 11: client id c-other already exists in another company.",
        "line 12: This company already has a client with external id X-1.",
        "line 13: email: Enter a valid email address.",
        "line 14: client.name must be a string.",
        "line 15: messages.0.role: bot is not a valid role; use one of: user, assistant, system, tool.",
        "line 16: messages.0: missing content, metadata, created_at.",
        "line 17: messages.0.created_at: invalid datetime null; use ISO 8601 such as 2026-01-31T12:00:00.000000Z.",
    ]
    assert output.stdout == summary(imported=1, skipped=17, messages=1)
    assert list(ChatSession.objects.values_list("id", flat=True)) == ["s-1"]
    assert set(Client.objects.values_list("id", flat=True)) == {"c-other", "c-acme", "c-ok"}
    assert set(User.objects.values_list("username", flat=True)) == {"bob", "new.user"}


@pytest.mark.django_db
def test_native_failed_record_leaves_nothing(company, tmp_path):
    bad_message = {"role": "user", "content": "x" * 100_001, "metadata": {}, "created_at": "2026-03-01T09:00:01Z"}
    line = native_line(user="new.user", client=client_dict(), messages=[bad_message])
    path = write_jsonl(tmp_path / "acme.jsonl", [line])

    output = run("import_chat_sessions", str(path), company="acme", expect_error=True)

    assert output.stderr == "line 1: messages.0.content: Content has 100001 characters; the maximum is 100000.\n"
    assert ChatSession.objects.count() == 0
    assert Client.objects.count() == 0
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_native_user_and_client_reused_across_lines(company, tmp_path, django_assert_max_num_queries):
    lines = [native_line(id=f"s-{n}", user="ana", client=client_dict(), metadata={"n": n}) for n in range(3)]
    path = write_jsonl(tmp_path / "acme.jsonl", lines)

    # The user (2 queries) and the client (6) are looked up and created once;
    # each session costs 9 queries, as in the openai import.
    with django_assert_max_num_queries(4 + 2 + 6 + 3 * 9):
        run("import_chat_sessions", str(path), company="acme")

    assert User.objects.filter(username="ana").count() == 1
    assert Client.objects.count() == 1
    assert ChatSession.objects.filter(user__username="ana", client_id="c-1").count() == 3


@pytest.mark.django_db
def test_native_naive_datetimes_are_utc(company, tmp_path):
    message = {"role": "user", "content": "hi", "metadata": {}, "created_at": "2026-03-01T10:00:00"}
    path = write_jsonl(tmp_path / "acme.jsonl", [native_line(messages=[message])])

    run("import_chat_sessions", str(path), company="acme")

    stored = ChatMessage.objects.get()
    assert stored.created_at == datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
    assert ChatSession.objects.get().last_message_at == stored.created_at


@pytest.mark.django_db
def test_native_line_for_other_company_is_rejected_not_moved(company, other_company, tmp_path):
    session_create(company=other_company, id="g-1")
    exported = run("export_chat_sessions", company="globex").stdout
    path = tmp_path / "globex.jsonl"
    path.write_text(exported)

    output = run("import_chat_sessions", str(path), company="acme", expect_error=True)

    assert output.stderr == 'line 1: the session belongs to company "globex", not acme.\n'
    assert ChatSession.objects.get(pk="g-1").company == other_company
    assert json.loads(exported)["company"] == "globex"
