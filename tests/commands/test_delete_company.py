import pytest

from accounts.models import User
from chat.maintenance import company_delete_in_batches
from chat.models import ChatMessage, ChatSession
from chat.services import message_append, session_create
from clients.models import Client
from companies.models import Company
from tests.commands.conftest import run
from tests.factories import ClientFactory, UserFactory


class Interrupted(Exception):
    pass


@pytest.fixture
def populated(company, other_company):
    """acme: 5 sessions with 2 messages each, 3 clients, 2 users; globex: 1 of each."""
    users = [UserFactory(company=company) for _ in range(2)]
    clients = [ClientFactory(company=company) for _ in range(3)]
    for n in range(5):
        session = session_create(company=company, id=f"acme-{n}", user=users[n % 2], client=clients[n % 3])
        message_append(session=session, role="user", content="hola")
        message_append(session=session, role="assistant", content="hola")
    other = session_create(
        company=other_company,
        id="globex-0",
        user=UserFactory(company=other_company),
        client=ClientFactory(company=other_company),
    )
    message_append(session=other, role="user", content="hi")


def globex_untouched():
    return (
        list(ChatSession.objects.values_list("id", flat=True)),
        ChatMessage.objects.count(),
        Client.objects.count(),
        User.objects.count(),
    ) == (["globex-0"], 1, 1, 1)


@pytest.mark.django_db
def test_delete_company_removes_everything_of_it(populated):
    output = run("delete_company", "acme", interactive=False, batch_size=2)

    assert output.stdout == ("Sessions: 5\nMessages: 10\nClients: 3\nUsers: 2\nCompany acme deleted.\n")
    assert list(Company.objects.values_list("slug", flat=True)) == ["globex"]
    assert globex_untouched()


@pytest.mark.django_db
def test_delete_company_dry_run_counts_only(populated):
    output = run("delete_company", "acme", dry_run=True)

    assert output.stdout == "Dry run: nothing was deleted.\nSessions: 5\nMessages: 10\nClients: 3\nUsers: 2\n"
    assert Company.objects.get(slug="acme").is_active
    assert ChatSession.objects.count() == 6


@pytest.mark.django_db
def test_delete_company_interrupted_then_finished(populated, company):
    def interrupt(progress):
        raise Interrupted

    with pytest.raises(Interrupted):
        company_delete_in_batches(company=company, batch_size=2, on_batch=interrupt)

    company.refresh_from_db()
    assert not company.is_active
    assert ChatSession.objects.for_company(company).count() == 3

    output = run("delete_company", "acme", interactive=False, batch_size=2)

    assert output.stdout == "Sessions: 3\nMessages: 6\nClients: 3\nUsers: 2\nCompany acme deleted.\n"
    assert globex_untouched()


@pytest.mark.django_db
def test_delete_company_batches_are_bounded(populated, company):
    progress = []

    company_delete_in_batches(
        company=company, batch_size=2, on_batch=lambda result: progress.append((result.sessions, result.batches))
    )

    # Sessions in 3 batches, then clients in 2 and users in 1.
    assert progress == [(2, 1), (4, 2), (5, 3), (5, 4), (5, 5), (5, 6)]


@pytest.mark.django_db
def test_delete_company_needs_confirmation_without_terminal(populated):
    output = run("delete_company", "acme", expect_error=True)

    assert output.error == "Standard input is not a terminal; pass --no-input to delete without confirming."
    assert ChatSession.objects.count() == 6


@pytest.mark.django_db
def test_delete_company_confirmation_on_terminal(populated, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["globex", "acme"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))

    cancelled = run("delete_company", "acme", expect_error=True)
    confirmed = run("delete_company", "acme")

    assert cancelled.error == "Deletion cancelled; nothing was deleted."
    assert confirmed.stdout.endswith("Company acme deleted.\n")
    assert globex_untouched()


@pytest.mark.django_db
def test_delete_company_unknown_slug(populated):
    output = run("delete_company", "nope", interactive=False, expect_error=True)

    assert output.error == "Company not found: nope. Check the slug in the admin's company list."
