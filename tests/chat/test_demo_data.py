import pytest
from django.core.management import call_command

from accounts.models import User
from chat.models import ChatMessage, ChatSession
from clients.models import Client
from companies.models import Company

pytestmark = pytest.mark.django_db


def load(sessions):
    call_command("load_demo_data", sessions=sessions, verbosity=0)


def test_load_demo_data_creates_companies_and_sessions():
    load(30)

    assert sorted(Company.objects.values_list("slug", "default_language")) == [
        ("andino", "es"),
        ("aurora", "pt-BR"),
        ("northwind", "en"),
    ]
    assert ChatSession.objects.count() == 30
    assert Client.objects.count() == 3 * 40
    assert User.objects.get(username="admin").is_superuser
    assert {language for language in ChatSession.objects.values_list("language", flat=True)} <= {"es", "en", "pt-BR"}


def test_demo_sessions_are_consistent():
    load(30)

    for session in ChatSession.objects.select_related("user", "client"):
        times = list(session.messages.values_list("created_at", flat=True))
        assert len(times) >= 4
        assert session.last_message_at == max(times)
        assert session.created_at < min(times)
        if session.user:
            assert session.user.company_id == session.company_id
        if session.client:
            assert session.client.company_id == session.company_id


def test_load_demo_data_is_idempotent():
    load(30)
    messages = ChatMessage.objects.count()

    load(30)

    assert ChatSession.objects.count() == 30
    assert ChatMessage.objects.count() == messages
    assert Company.objects.count() == 3


def test_load_demo_data_adds_missing_sessions():
    load(10)

    load(25)

    assert ChatSession.objects.count() == 25


def test_load_demo_data_prints_login(capsys):
    call_command("load_demo_data", sessions=3)

    output = capsys.readouterr().out.splitlines()
    assert output == [
        f"Created 3 sessions and {ChatMessage.objects.count()} messages.",
        "Demo admin login: user admin, password demo-password",
    ]


def test_demo_staff_get_company_staff_group():
    load(3)

    staff = User.objects.get(username="andino-staff")
    agent = User.objects.get(username="andino-agent")
    assert list(staff.groups.values_list("name", flat=True)) == ["Company staff"]
    assert list(agent.groups.values_list("name", flat=True)) == ["API integration"]
    assert agent.has_perm("chat.add_chatmessage")
    assert not agent.is_staff


def test_quiet_command_logs_no_info(caplog):
    with caplog.at_level("INFO"):
        call_command("load_demo_data", sessions=1, verbosity=0)

    assert [record.getMessage() for record in caplog.records if record.levelname == "INFO"] == []
    assert ChatSession.objects.count() == 1


def test_normal_command_logs_start_and_end(caplog):
    with caplog.at_level("INFO", logger="chat.demo.loader"):
        call_command("load_demo_data", sessions=1)

    assert [record.getMessage() for record in caplog.records if record.name == "chat.demo.loader"] == [
        "Loading demo data: 1 sessions requested",
        "Loaded demo data: 1 sessions and 6 messages created",
    ]
