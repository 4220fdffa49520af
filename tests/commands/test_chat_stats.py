import json

import pytest

from chat.services import message_append, session_create
from tests.commands.conftest import run
from tests.factories import CompanyFactory


@pytest.fixture
def sessions(company, other_company):
    CompanyFactory(slug="empty")
    for n, language in enumerate(["es", "es", "en"]):
        session = session_create(company=company, language=language)
        for _ in range(n + 1):
            message_append(session=session, role="user", content="hola")
    session_create(company=other_company, language="pt-BR")


@pytest.mark.django_db
def test_chat_stats_table(sessions):
    output = run("chat_stats")

    assert output.stdout == (
        "Company  Language  Sessions  Messages\n"
        "acme     en               1         3\n"
        "acme     es               2         3\n"
        "globex   pt-BR            1         0\n"
        "Total                     4         6\n"
    )


@pytest.mark.django_db
def test_chat_stats_json_for_one_company(sessions, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        output = run("chat_stats", company="acme", json=True)

    assert json.loads(output.stdout) == [
        {"company": "acme", "language": "en", "sessions": 1, "messages": 3},
        {"company": "acme", "language": "es", "sessions": 2, "messages": 3},
    ]


@pytest.mark.django_db
def test_chat_stats_empty_database(db):
    output = run("chat_stats", json=True)

    assert json.loads(output.stdout) == []


@pytest.mark.django_db
def test_chat_stats_unknown_company(sessions):
    output = run("chat_stats", company="nope", expect_error=True)

    assert output.error == "Company not found: nope. Check the slug in the admin's company list."
