"""Query counts of the hot paths stay fixed whatever the page size or the number of related rows.

Per request: the knox token lookup, knox's check of the user's other tokens
for expiry, the user's permissions (user and group), then the work itself.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ChatMessageFactory, ChatSessionFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

AUTH_AND_PERMISSIONS = 4


def count_queries(request):
    with CaptureQueriesContext(connection) as context:
        response = request()
    assert response.status_code in (200, 201), response.json()
    return len(context.captured_queries)


@pytest.fixture
def many_sessions(company):
    users = UserFactory.create_batch(3, company=company)
    clients = ClientFactory.create_batch(3, company=company)
    sessions = [
        ChatSessionFactory(company=company, user=users[index % 3], client=clients[index % 3], metadata={"n": index})
        for index in range(60)
    ]
    for session in sessions[:3]:
        ChatMessageFactory.create_batch(3, session=session)
    return sessions


def test_session_list_queries_fixed_for_any_page_size(api_a, many_sessions, django_assert_max_num_queries):
    small = count_queries(lambda: api_a.get("/api/v1/sessions/", {"page_size": 3}))
    large = count_queries(lambda: api_a.get("/api/v1/sessions/", {"page_size": 60}))

    assert small == large
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 1):
        api_a.get("/api/v1/sessions/", {"page_size": 200})


def test_session_list_next_page_queries(api_a, many_sessions, django_assert_max_num_queries):
    next_link = api_a.get("/api/v1/sessions/", {"page_size": 10}).json()["next"]

    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 1):
        api_a.get(next_link)


def test_session_list_with_every_filter_queries(api_a, many_sessions, company, django_assert_max_num_queries):
    session = many_sessions[0]
    params = {
        "user": session.user_id,
        "client": session.client_id,
        "company": company.pk,
        "language": "es",
        "has_user": "true",
        "q": "a",
        "metadata": '{"n": 0}',
        "created_after": "2000-01-01",
        "ordering": "created_at",
    }

    # One query to check each of the user, client and company ids, and the list.
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 3 + 1):
        api_a.get("/api/v1/sessions/", params)


def test_session_detail_queries(api_a, many_sessions, django_assert_max_num_queries):
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 1):
        response = api_a.get(f"/api/v1/sessions/{many_sessions[0].pk}/")

    assert response.json()["message_count"] == 3


def test_message_list_queries_fixed(api_a, many_sessions, django_assert_max_num_queries):
    session = many_sessions[0]
    ChatMessageFactory.create_batch(20, session=session)
    url = f"/api/v1/sessions/{session.pk}/messages/"

    small = count_queries(lambda: api_a.get(url, {"page_size": 2}))
    large = count_queries(lambda: api_a.get(url, {"page_size": 23}))

    assert small == large
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 2):
        api_a.get(url)


def test_append_queries(api_a, many_sessions, django_assert_max_num_queries):
    url = f"/api/v1/sessions/{many_sessions[0].pk}/messages/"

    # Session lookup, then savepoint, insert, update of last_message_at, release.
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 5):
        api_a.post(url, {"role": "user", "content": "hola"}, format="json")


def test_idempotent_append_queries(api_a, many_sessions, django_assert_max_num_queries):
    url = f"/api/v1/sessions/{many_sessions[0].pk}/messages/"
    body = {"role": "user", "content": "hola"}

    # Adds the key row in its own savepoint and its update to the plain append.
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 11):
        api_a.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 8):
        api_a.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")


def test_client_list_queries_fixed(api_a, many_sessions, django_assert_max_num_queries):
    small = count_queries(lambda: api_a.get("/api/v1/clients/", {"page_size": 1}))
    large = count_queries(lambda: api_a.get("/api/v1/clients/", {"page_size": 3}))

    assert small == large
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 1):
        api_a.get("/api/v1/clients/")


def test_user_list_queries_fixed(api_a, many_sessions, django_assert_max_num_queries):
    with django_assert_max_num_queries(AUTH_AND_PERMISSIONS + 1):
        response = api_a.get("/api/v1/users/")

    assert len(response.json()["results"]) == 4
