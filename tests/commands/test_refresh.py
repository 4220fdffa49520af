import datetime

import pytest

from chat.maintenance import session_refresh_last_message_at
from chat.models import ChatSession
from chat.services import message_append, session_create
from tests.commands.conftest import run

T0 = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


@pytest.fixture
def drifted(company, other_company):
    """Sessions whose last_message_at was changed behind the services' back."""
    ahead = session_create(company=company, id="ahead", created_at=at(0))
    message_append(session=ahead, role="user", content="a", created_at=at(5))
    behind = session_create(company=company, id="behind", created_at=at(0))
    message_append(session=behind, role="user", content="b", created_at=at(10))
    correct = session_create(company=company, id="correct", created_at=at(0))
    message_append(session=correct, role="user", content="c", created_at=at(3))
    session_create(company=company, id="no-messages", created_at=at(1), last_message_at=at(50))
    other = session_create(company=other_company, id="other", created_at=at(0))
    message_append(session=other, role="user", content="d", created_at=at(2))

    ChatSession.objects.filter(pk__in=["ahead", "other"]).update(last_message_at=at(99))
    ChatSession.objects.filter(pk="behind").update(last_message_at=at(1))


def last_message_times():
    return dict(ChatSession.objects.values_list("id", "last_message_at"))


@pytest.mark.django_db
def test_refresh_recomputes_every_company(drifted):
    output = run("refresh_last_message_at", batch_size=2)

    assert output.stdout == "Sessions checked: 5\nSessions changed: 4\n"
    assert last_message_times() == {
        "ahead": at(5),
        "behind": at(10),
        "correct": at(3),
        "no-messages": at(1),
        "other": at(2),
    }


@pytest.mark.django_db
def test_refresh_one_company(drifted):
    output = run("refresh_last_message_at", company="acme")

    assert output.stdout == "Sessions checked: 4\nSessions changed: 3\n"
    assert last_message_times()["other"] == at(99)


@pytest.mark.django_db
def test_refresh_second_run_changes_nothing(drifted):
    run("refresh_last_message_at")

    output = run("refresh_last_message_at")

    assert output.stdout == "Sessions checked: 5\nSessions changed: 0\n"


@pytest.mark.django_db
def test_refresh_batch_query_count(drifted, django_assert_max_num_queries):
    # A batch: savepoint, select ids for update, update, release (4); then
    # the final empty select in its savepoint (3).
    with django_assert_max_num_queries(3 * 4 + 3):
        result = session_refresh_last_message_at(batch_size=2)

    assert (result.sessions_checked, result.sessions_changed, result.batches) == (5, 4, 3)


@pytest.mark.django_db
def test_refresh_unknown_company(drifted):
    output = run("refresh_last_message_at", company="nope", expect_error=True)

    assert output.error == "Company not found: nope. Check the slug in the admin's company list."
    assert last_message_times()["ahead"] == at(99)
