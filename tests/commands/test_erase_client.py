import datetime

import pytest
from django.db import connection

from chat.models import ChatMessage, ChatSession
from chat.services import message_append, session_create
from clients.models import Client
from tests.commands.conftest import run
from tests.conftest import is_postgresql
from tests.factories import ClientFactory

T0 = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def client_with_sessions(company):
    client = ClientFactory(
        company=company,
        id="c-ana",
        name="Ana Pérez",
        email="ana@example.com",
        phone="+34 600 111 222",
        external_id="CRM-9",
        metadata={"dni": "12345678Z"},
    )
    for n in range(3):
        session = session_create(company=company, id=f"s{n}", client=client, created_at=T0)
        message_append(session=session, role="user", content=f"Soy Ana, mi factura {n}", created_at=T0)
        message_append(session=session, role="assistant", content="Hola Ana", metadata={"tool": "crm"}, created_at=T0)
    bystander = session_create(company=company, id="other-client", created_at=T0)
    message_append(session=bystander, role="user", content="Otra persona", created_at=T0)
    return client


def snapshot():
    """Everything erasure must keep: rows, roles, times."""
    return (
        list(ChatSession.objects.order_by("id").values_list("id", "client_id", "created_at", "last_message_at")),
        list(ChatMessage.objects.order_by("id").values_list("id", "session_id", "role", "created_at")),
    )


@pytest.mark.django_db
def test_erase_client_blanks_personal_data(client_with_sessions):
    before = snapshot()

    output = run("erase_client", "c-ana")

    assert output.stdout == (
        "Client c-ana of company acme\n"
        "Client fields erased: name, email, phone, external_id, metadata\n"
        "Messages erased: 6\n"
        "Sessions with erased messages: 3\n"
    )
    client = Client.objects.get(pk="c-ana")
    assert (client.name, client.email, client.phone, client.external_id, client.metadata) == ("", "", "", "", {})
    assert list(ChatMessage.objects.filter(session__client=client).values_list("content", "metadata")) == [("", {})] * 6
    assert ChatMessage.objects.get(session_id="other-client").content == "Otra persona"
    assert snapshot() == before


@pytest.mark.django_db
def test_erase_client_is_idempotent(client_with_sessions):
    run("erase_client", "c-ana")
    before = snapshot()

    output = run("erase_client", "c-ana")

    assert output.stdout == (
        "Client c-ana of company acme\n"
        "Client fields erased: none\n"
        "Messages erased: 0\n"
        "Sessions with erased messages: 0\n"
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_erase_client_dry_run_changes_nothing(client_with_sessions):
    output = run("erase_client", "c-ana", dry_run=True)

    assert output.stdout == (
        "Dry run: nothing was changed.\n"
        "Client fields to erase: name, email, phone, external_id, metadata\n"
        "Messages to erase: 6\n"
        "Sessions with messages to erase: 3\n"
    )
    assert Client.objects.get(pk="c-ana").email == "ana@example.com"
    assert ChatMessage.objects.filter(content="").count() == 0


@pytest.mark.django_db
def test_erase_client_unknown_id(client_with_sessions):
    output = run("erase_client", "c-nobody", expect_error=True)

    assert output.error == "Client not found: c-nobody."


@pytest.mark.django_db
@pytest.mark.postgresql
def test_erase_client_clears_search_vectors(client_with_sessions):
    assert is_postgresql()

    run("erase_client", "c-ana")

    with connection.cursor() as cursor:
        cursor.execute("SELECT m.session_id, length(m.search_vector) FROM chat_messages m ORDER BY m.session_id, m.id")
        lengths = cursor.fetchall()
    # "Otra persona" in Spanish: "otra" is a stop word, "persona" one lexeme.
    assert lengths == [("other-client", 1), ("s0", 0), ("s0", 0), ("s1", 0), ("s1", 0), ("s2", 0), ("s2", 0)]
