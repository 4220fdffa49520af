import datetime

import pytest
from django.utils import timezone

from chat.maintenance import session_purge
from chat.models import ChatMessage, ChatSession
from chat.services import message_append, session_create
from tests.commands.conftest import run

CUTOFF = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class Interrupted(Exception):
    pass


def old_session(company, session_id, *, days_before_cutoff, messages=2):
    when = CUTOFF - datetime.timedelta(days=days_before_cutoff)
    session = session_create(company=company, id=session_id, created_at=when - datetime.timedelta(hours=1))
    for n in range(messages):
        message_append(session=session, role="user", content=f"m{n}", created_at=when - datetime.timedelta(minutes=n))
    return session


@pytest.fixture
def sessions(company, other_company):
    """Five old sessions of acme, one old of globex, two recent of acme (2 messages each)."""
    for n in range(5):
        old_session(company, f"old{n}", days_before_cutoff=n + 1)
    old_session(other_company, "globex-old", days_before_cutoff=3)
    old_session(company, "recent0", days_before_cutoff=-1)
    old_session(company, "recent1", days_before_cutoff=0)  # last activity exactly at the cutoff: kept


def remaining_ids():
    return sorted(ChatSession.objects.values_list("id", flat=True))


@pytest.mark.django_db
def test_purge_before_date(sessions):
    output = run("purge_chat_sessions", before="2026-01-01")

    assert output.stdout == "Sessions deleted: 6\nMessages deleted: 12\n"
    assert remaining_ids() == ["recent0", "recent1"]
    assert ChatMessage.objects.count() == 4


@pytest.mark.django_db
def test_purge_company_only(sessions):
    output = run("purge_chat_sessions", before="2026-01-01T00:00:00Z", company="acme", batch_size=2)

    assert output.stdout == "Sessions deleted: 5\nMessages deleted: 10\n"
    assert remaining_ids() == ["globex-old", "recent0", "recent1"]


@pytest.mark.django_db
def test_purge_inactive_days(company):
    session_create(company=company, id="stale", created_at=timezone.now() - datetime.timedelta(days=31))
    session_create(company=company, id="fresh", created_at=timezone.now() - datetime.timedelta(days=29))

    output = run("purge_chat_sessions", inactive_days=30)

    assert output.stdout == "Sessions deleted: 1\nMessages deleted: 0\n"
    assert remaining_ids() == ["fresh"]


@pytest.mark.django_db
def test_purge_dry_run_changes_nothing(sessions):
    output = run("purge_chat_sessions", before="2026-01-01", dry_run=True)

    assert output.stdout == "Dry run: nothing was deleted.\nSessions to delete: 6\nMessages to delete: 12\n"
    assert ChatSession.objects.count() == 8
    assert ChatMessage.objects.count() == 16


@pytest.mark.django_db
def test_purge_interrupted_then_finished(sessions):
    def interrupt_after_first_batch(result):
        raise Interrupted

    with pytest.raises(Interrupted):
        session_purge(before=CUTOFF, batch_size=2, on_batch=interrupt_after_first_batch)

    # The oldest two sessions went in the first, committed batch.
    assert remaining_ids() == ["globex-old", "old0", "old1", "old2", "recent0", "recent1"]
    assert ChatMessage.objects.count() == 12

    output = run("purge_chat_sessions", before="2026-01-01", batch_size=2)

    assert output.stdout == "Sessions deleted: 4\nMessages deleted: 8\n"
    assert remaining_ids() == ["recent0", "recent1"]


@pytest.mark.django_db
def test_purge_batches_are_bounded(sessions):
    batches = []

    result = session_purge(before=CUTOFF, batch_size=4, on_batch=lambda progress: batches.append(progress.sessions))

    assert batches == [4, 6]
    assert (result.sessions, result.messages, result.batches) == (6, 12, 2)


@pytest.mark.django_db
def test_purge_batch_query_count(sessions, django_assert_max_num_queries):
    # A batch: savepoint, select ids for update, the ORM delete's selects of
    # the session and message ids, delete the idempotency keys of those
    # messages and of those sessions, delete messages, delete sessions,
    # release (9). Then the final empty select in its savepoint (3).
    with django_assert_max_num_queries(3 * 9 + 3):
        session_purge(before=CUTOFF, batch_size=2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ([], "Error: one of the arguments --inactive-days --before is required"),
        (
            ["--inactive-days=3", "--before=2026-01-01"],
            "Error: argument --before: not allowed with argument --inactive-days",
        ),
        (["--inactive-days=0"], "Error: argument --inactive-days: 0 is not a whole number of at least 1."),
        (["--inactive-days=many"], "Error: argument --inactive-days: many is not a whole number of at least 1."),
        (["--inactive-days=1000000"], "--inactive-days 1000000 reaches before year 1; use a smaller number."),
        (
            ["--before=01/02/2026"],
            "Invalid date for --before: 01/02/2026. "
            "Use YYYY-MM-DD or an ISO 8601 datetime such as 2026-01-31T12:00:00Z.",
        ),
        (
            ["--before=2026-01-01", "--batch-size=50001"],
            "Error: argument --batch-size: 50001 is above the maximum batch size of 50000.",
        ),
        (
            ["--before=2026-01-01", "--company=nope"],
            "Company not found: nope. Check the slug in the admin's company list.",
        ),
    ],
)
def test_purge_bad_arguments(sessions, arguments, error):
    output = run("purge_chat_sessions", *arguments, expect_error=True)

    assert output.error == error
    assert ChatSession.objects.count() == 8
