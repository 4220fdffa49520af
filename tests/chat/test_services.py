import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from chat.models import ChatMessage, ChatSession
from chat.services import message_append, session_create, session_update
from core.exceptions import ConflictError
from tests.factories import ChatSessionFactory, ClientFactory, CompanyFactory, UserFactory

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_session_create_uses_company_language():
    company = CompanyFactory(default_language="pt-BR")

    session = session_create(company=company)

    assert session.language == "pt-BR"
    assert session.metadata == {}


@pytest.mark.django_db
def test_session_create_with_caller_id(company):
    session = session_create(company=company, id="web.chat:42~a_b-c", language="en", metadata={"channel": "web"})

    stored = ChatSession.objects.get(pk="web.chat:42~a_b-c")
    assert stored.language == "en"
    assert stored.metadata == {"channel": "web"}
    assert session.pk == stored.pk


@pytest.mark.django_db
def test_session_create_existing_id_conflicts(company):
    session_create(company=company, id="dup")

    with pytest.raises(ConflictError) as excinfo:
        session_create(company=company, id="dup")

    assert excinfo.value.message == "A session with id dup already exists."
    assert ChatSession.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"id": "has space"}, {"id": ["Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~"]}),
        ({"id": "x" * 256}, {"id": ["Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~"]}),
        (
            {"language": "spanish-lang"},
            {"language": ["Enter a BCP-47 language tag of at most 10 characters, such as es, es-MX or pt-BR."]},
        ),
        ({"metadata": ["not", "an", "object"]}, {"metadata": ["Metadata must be a JSON object."]}),
    ],
)
def test_session_create_rejects_invalid(company, fields, errors):
    with pytest.raises(ValidationError) as excinfo:
        session_create(company=company, **fields)

    assert excinfo.value.message_dict == errors
    assert ChatSession.objects.count() == 0


@pytest.mark.django_db
def test_session_create_rejects_other_company_user_and_client(company, other_company):
    with pytest.raises(ValidationError) as excinfo:
        session_create(
            company=company,
            user=UserFactory(company=other_company),
            client=ClientFactory(company=other_company),
        )

    assert excinfo.value.message_dict == {
        "user": ["This user belongs to another company."],
        "client": ["This client belongs to another company."],
    }
    assert ChatSession.objects.count() == 0


@pytest.mark.django_db
def test_session_update_rejects_other_company_client(company, other_company):
    session = ChatSessionFactory(company=company)

    with pytest.raises(ValidationError) as excinfo:
        session_update(session=session, client=ClientFactory(company=other_company))

    assert excinfo.value.message_dict == {"client": ["This client belongs to another company."]}
    session.refresh_from_db()
    assert session.client_id is None


@pytest.mark.django_db
def test_append_moves_last_message_at_forward():
    session = ChatSessionFactory(created_at=T0, last_message_at=T0)

    message_append(session=session, role="user", content="hola", created_at=T0 + datetime.timedelta(hours=1))

    session.refresh_from_db()
    assert session.last_message_at == T0 + datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_append_older_message_keeps_last_message_at():
    session = ChatSessionFactory(created_at=T0, last_message_at=T0)

    message_append(session=session, role="user", content="tarde", created_at=T0 - datetime.timedelta(days=1))

    session.refresh_from_db()
    assert session.last_message_at == T0
    assert session.messages.count() == 1


@pytest.mark.django_db
def test_append_rejects_invalid_role_and_writes_nothing():
    session = ChatSessionFactory(created_at=T0, last_message_at=T0)

    with pytest.raises(ValidationError) as excinfo:
        message_append(session=session, role="robot", content="x", created_at=T0 + datetime.timedelta(hours=1))

    assert excinfo.value.message_dict == {
        "role": ["robot is not a valid role; use one of: user, assistant, system, tool."]
    }
    session.refresh_from_db()
    assert session.last_message_at == T0
    assert ChatMessage.objects.count() == 0


@pytest.mark.django_db
def test_append_rejects_oversized_content():
    session = ChatSessionFactory()

    message_append(session=session, role="user", content="a" * 100_000)
    with pytest.raises(ValidationError) as excinfo:
        message_append(session=session, role="user", content="a" * 100_001)

    assert excinfo.value.message_dict == {"content": ["Content has 100001 characters; the maximum is 100000."]}
    assert session.messages.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_latest_time():
    session = ChatSessionFactory(created_at=T0, last_message_at=T0)
    times = [T0 + datetime.timedelta(minutes=minute) for minute in range(1, 41)]
    barrier = threading.Barrier(8)
    failures = []

    def append_batch(batch):
        try:
            barrier.wait()
            for created_at in batch:
                message_append(
                    session=ChatSession.objects.get(pk=session.pk), role="user", content="x", created_at=created_at
                )
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            failures.append(error)
        finally:
            connection.close()

    # Each thread gets every 8th time, in reverse, so the latest time is not
    # simply written last.
    threads = [threading.Thread(target=append_batch, args=(times[index::8][::-1],)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    session.refresh_from_db()
    assert failures == []
    assert session.last_message_at == max(times)
    assert session.messages.count() == 40


@pytest.mark.postgresql
@pytest.mark.django_db
def test_search_vector_uses_session_language():
    session = ChatSessionFactory(language="es")
    message = message_append(session=session, role="user", content="Necesito mis facturas")

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM chat_messages WHERE id = %s", [message.pk])
        vector = cursor.fetchone()[0]

    assert "'factur'" in vector
    assert timezone.now() >= message.created_at
