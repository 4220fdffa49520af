import datetime

import pytest
from django.core.exceptions import ValidationError

from chat.models import ChatMessage, ChatSession
from chat.services import message_append_many, session_create

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_append_many_keeps_order_and_moves_last_message_at(company, django_assert_num_queries):
    session = session_create(company=company, id="s", created_at=at(0))
    messages = [
        {"role": "user", "content": "uno", "created_at": at(2)},
        {"role": "assistant", "content": "dos", "metadata": {"model": "m"}, "created_at": at(2)},
        {"role": "tool", "content": "", "created_at": at(1)},
    ]

    # Savepoint, one INSERT, one UPDATE, release.
    with django_assert_num_queries(4):
        message_append_many(session=session, messages=messages)

    stored = list(ChatMessage.objects.filter(session=session).values_list("role", "content", "metadata", "created_at"))
    assert stored == [
        ("tool", "", {}, at(1)),
        ("user", "uno", {}, at(2)),
        ("assistant", "dos", {"model": "m"}, at(2)),
    ]
    assert ChatSession.objects.get(pk="s").last_message_at == at(2)
    assert session.last_message_at == at(2)


@pytest.mark.django_db
def test_append_many_never_moves_last_message_at_back(company):
    session = session_create(company=company, id="s", created_at=at(0), last_message_at=at(30))

    message_append_many(session=session, messages=[{"role": "user", "content": "old", "created_at": at(5)}])

    assert ChatSession.objects.get(pk="s").last_message_at == at(30)


@pytest.mark.django_db
def test_append_many_rejects_all_when_one_is_invalid(company):
    session = session_create(company=company, id="s", created_at=at(0))
    messages = [
        {"role": "user", "content": "fine"},
        {"role": "robot", "content": "x" * 100_001, "metadata": []},
    ]

    with pytest.raises(ValidationError) as excinfo:
        message_append_many(session=session, messages=messages)

    assert excinfo.value.message_dict == {
        "messages.1.role": ["robot is not a valid role; use one of: user, assistant, system, tool."],
        "messages.1.content": ["Content has 100001 characters; the maximum is 100000."],
        "messages.1.metadata": ["Metadata must be a JSON object."],
    }
    assert ChatMessage.objects.count() == 0
    assert ChatSession.objects.get(pk="s").last_message_at == at(0)


@pytest.mark.django_db
def test_append_many_empty_list_writes_nothing(company, django_assert_num_queries):
    session = session_create(company=company, id="s", created_at=at(0))

    with django_assert_num_queries(0):
        assert message_append_many(session=session, messages=[]) == []
