import datetime

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from accounts.services import user_add_default_group
from chat.services import message_append
from tests.factories import (
    ChatSessionFactory,
    ClientFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def operator(db):
    return SuperUserFactory(username="operator")


@pytest.fixture
def staff(company):
    """A staff user of Acme with the default "Company staff" group, as a new staff user gets it."""
    user = StaffUserFactory(username="acme-staff", company=company)
    assert user_add_default_group(user=user)
    return user


@pytest.fixture
def operator_client(operator):
    client = HttpClient()
    client.force_login(operator)
    return client


@pytest.fixture
def staff_client(staff):
    client = HttpClient()
    client.force_login(staff)
    return client


def make_session(company, *, messages=0, user=None, client=None, **fields):
    """Create a session of `company` with `messages` alternating user/assistant messages."""
    session = ChatSessionFactory(company=company, user=user, client=client, **fields)
    for index in range(messages):
        role = "user" if index % 2 == 0 else "assistant"
        message_append(
            session=session,
            role=role,
            content=f"{role} message {index}",
            created_at=session.created_at + datetime.timedelta(seconds=index),
        )
    return session


def make_full_session(company, **fields):
    """Create a session with a user and a client of `company`."""
    return make_session(
        company,
        user=UserFactory(company=company),
        client=ClientFactory(company=company),
        **fields,
    )


def count_queries(client, url):
    """Return (response, number of queries) of a GET of `url`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, len(queries)


def changelist_ids(response):
    """Return the primary keys of the rows on a changelist page, in order."""
    return [str(obj.pk) for obj in response.context["cl"].result_list]
