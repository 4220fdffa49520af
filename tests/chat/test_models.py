import re

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from chat.models import ChatMessage, ChatSession
from clients.models import Client
from tests.factories import (
    ChatMessageFactory,
    ChatSessionFactory,
    ClientFactory,
    CompanyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ULID_RE = re.compile(r"\A[0-9A-HJKMNP-TV-Z]{26}\Z")


def test_session_defaults(company):
    session = ChatSession.objects.create(company=company)

    session.refresh_from_db()
    assert session.language == "es"
    assert session.metadata == {}
    assert session.created_at is not None
    assert session.last_message_at is not None
    assert ULID_RE.match(session.id)


def test_generated_ids_unique_and_time_ordered(company):
    ids = [ChatSession.objects.create(company=company).id for _ in range(50)]

    assert len(set(ids)) == 50
    # ULIDs made in later milliseconds sort later; within one millisecond the
    # order is random, so compare only the 10-character timestamp prefix.
    prefixes = [session_id[:10] for session_id in ids]
    assert prefixes == sorted(prefixes)


def test_client_defaults(company):
    client = Client.objects.create(company=company)

    client.refresh_from_db()
    assert ULID_RE.match(client.id)
    assert client.metadata == {}
    assert client.created_at is not None
    assert client.updated_at is not None


def test_message_defaults():
    message = ChatMessage.objects.create(session=ChatSessionFactory(), role="user", content="hola")

    message.refresh_from_db()
    assert message.metadata == {}
    assert message.created_at is not None


def test_messages_ordered_by_time_then_id():
    session = ChatSessionFactory()
    first = ChatMessageFactory(session=session, created_at="2026-01-01T10:00:00Z")
    third = ChatMessageFactory(session=session, created_at="2026-01-01T11:00:00Z")
    second = ChatMessageFactory(session=session, created_at="2026-01-01T10:00:00Z")

    assert list(session.messages.all()) == [first, second, third]


def test_deleting_company_cascades(company, other_company):
    user = UserFactory(company=company)
    client = ClientFactory(company=company)
    session = ChatSessionFactory(company=company, user=user, client=client)
    ChatMessageFactory.create_batch(3, session=session)
    kept = ChatMessageFactory(session=ChatSessionFactory(company=other_company))

    company.delete()

    assert not ChatSession.objects.filter(company_id=company.pk).exists()
    assert not ChatMessage.objects.filter(session_id=session.pk).exists()
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not User.objects.filter(pk=user.pk).exists()
    assert list(ChatMessage.objects.all()) == [kept]


def test_deleting_user_keeps_sessions(company):
    user = UserFactory(company=company)
    session = ChatSessionFactory(company=company, user=user)
    ChatMessageFactory(session=session)

    user.delete()

    session.refresh_from_db()
    assert session.user is None
    assert session.messages.count() == 1


def test_deleting_client_keeps_sessions(company):
    client = ClientFactory(company=company)
    session = ChatSessionFactory(company=company, client=client)

    client.delete()

    session.refresh_from_db()
    assert session.client is None


def test_clean_rejects_other_company_relations(company, other_company):
    session = ChatSession(
        company=company,
        user=UserFactory(company=other_company),
        client=ClientFactory(company=other_company),
    )

    with pytest.raises(ValidationError) as excinfo:
        session.clean()

    assert excinfo.value.message_dict == {
        "user": ["This user belongs to another company."],
        "client": ["This client belongs to another company."],
    }


def test_external_id_unique_per_company(company, other_company):
    ClientFactory(company=company, external_id="crm-1")
    ClientFactory(company=other_company, external_id="crm-1")
    ClientFactory(company=company, external_id="")
    ClientFactory(company=company, external_id="")

    assert Client.objects.filter(external_id="crm-1").count() == 2
    assert CompanyFactory._meta.model.objects.count() == 2
