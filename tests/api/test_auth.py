"""Authentication (Bearer tokens, staff sessions with CSRF) and Django model permissions."""

import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.services import api_token_create
from chat.models import ChatSession
from tests.api.conftest import bearer_client, grant
from tests.factories import ChatSessionFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/"),
    ("get", "/api/v1/sessions/"),
    ("post", "/api/v1/sessions/"),
    ("get", "/api/v1/sessions/s1/"),
    ("patch", "/api/v1/sessions/s1/"),
    ("delete", "/api/v1/sessions/s1/"),
    ("get", "/api/v1/sessions/s1/messages/"),
    ("post", "/api/v1/sessions/s1/messages/"),
    ("get", "/api/v1/clients/"),
    ("post", "/api/v1/clients/"),
    ("get", "/api/v1/users/"),
    ("get", "/api/v1/companies/"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_gets_401(anonymous, company, method, url):
    ChatSessionFactory(company=company, id="s1")

    response = getattr(anonymous, method)(url, {}, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert ChatSession.objects.filter(pk="s1").exists()


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer 0123456789abcdef", "Invalid token."),
        ("Bearer", "Invalid token header. No credentials provided."),
        ("Bearer a b", "Invalid token header. Token string should not contain spaces."),
        ("Token 0123456789abcdef", "Authentication credentials were not provided."),
        ("Bearer \xff\xfe", "Invalid token."),
    ],
)
def test_bad_credentials_get_401(company, header, detail):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/sessions/")

    assert response.status_code == 401
    assert response.json() == {"detail": detail}


def test_expired_token_gets_401(user_a):
    token, plain = api_token_create(user=user_a, expiry_days=1)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")

    response = client.get("/api/v1/sessions/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_token_of_inactive_user_gets_401(user_a):
    client = bearer_client(user_a)
    user_a.is_active = False
    user_a.save()

    response = client.get("/api/v1/sessions/")

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_token_without_expiry_stays_valid(user_a):
    token, plain = api_token_create(user=user_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")

    assert token.expiry is None
    assert client.get("/api/v1/sessions/").status_code == 200


PERMISSION_DENIED = {"detail": "You do not have permission to perform this action."}


@pytest.mark.parametrize(("method", "url"), ENDPOINTS[1:])
def test_token_without_permissions_gets_403(company, method, url):
    ChatSessionFactory(company=company, id="s1")
    client = bearer_client(UserFactory(company=company))

    response = getattr(client, method)(url, {}, format="json")

    assert response.status_code == 403
    assert response.json() == PERMISSION_DENIED
    assert ChatSession.objects.filter(pk="s1").exists()


def test_view_permission_allows_reads_only(company):
    ChatSessionFactory(company=company, id="s1", language="es")
    user = UserFactory(company=company)
    grant(user, "view_chatsession")
    client = bearer_client(user)

    assert client.get("/api/v1/sessions/").status_code == 200
    assert client.get("/api/v1/sessions/s1/").status_code == 200
    assert client.post("/api/v1/sessions/", {}, format="json").json() == PERMISSION_DENIED
    assert client.patch("/api/v1/sessions/s1/", {"language": "en"}, format="json").json() == PERMISSION_DENIED
    assert client.delete("/api/v1/sessions/s1/").json() == PERMISSION_DENIED
    assert ChatSession.objects.get(pk="s1").language == "es"


def test_each_write_needs_its_own_permission(company):
    user = UserFactory(company=company)
    grant(user, "view_chatsession", "add_chatsession")
    client = bearer_client(user)

    created = client.post("/api/v1/sessions/", {"id": "s1"}, format="json")
    changed = client.patch("/api/v1/sessions/s1/", {"language": "en"}, format="json")

    assert created.status_code == 201
    assert changed.status_code == 403


def test_message_permissions_are_separate(company):
    ChatSessionFactory(company=company, id="s1")
    user = UserFactory(company=company)
    grant(user, "view_chatsession", "view_chatmessage")
    client = bearer_client(user)

    assert client.get("/api/v1/sessions/s1/messages/").status_code == 200
    response = client.post("/api/v1/sessions/s1/messages/", {"role": "user", "content": "x"}, format="json")
    assert response.status_code == 403


def test_permissions_through_groups(company):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="readers")
    group.permissions.add(Permission.objects.get(codename="view_chatsession"))
    user = UserFactory(company=company)
    user.groups.add(group)

    assert bearer_client(user).get("/api/v1/sessions/").status_code == 200


@pytest.fixture
def staff_session_client(company):
    staff = StaffUserFactory(company=company, username="staffer")
    grant(staff, "view_chatsession", "add_chatsession")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff)
    return client


def test_staff_session_reads(staff_session_client, company):
    ChatSessionFactory(company=company, id="s1")

    response = staff_session_client.get("/api/v1/sessions/")

    assert [row["id"] for row in response.json()["results"]] == ["s1"]


def test_staff_session_write_needs_csrf_token(staff_session_client, company):
    response = staff_session_client.post("/api/v1/sessions/", {"id": "s1"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert not ChatSession.objects.exists()


def test_staff_session_write_with_csrf_token(staff_session_client, company):
    page = staff_session_client.get("/api/v1/sessions/", HTTP_ACCEPT="text/html")
    token = page.cookies["csrftoken"].value

    response = staff_session_client.post("/api/v1/sessions/", {"id": "s1"}, format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201
    assert ChatSession.objects.get(pk="s1").company == company


def test_browsable_api_renders_for_staff(staff_session_client, company):
    ChatSessionFactory(company=company, id="web.chat:42")

    response = staff_session_client.get("/api/v1/sessions/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "web.chat:42" in response.content.decode()


def test_session_of_non_staff_user_is_ignored(company):
    user = UserFactory(company=company)
    grant(user, "view_chatsession")
    client = APIClient()
    client.force_login(user)

    response = client.get("/api/v1/sessions/")

    assert response.status_code == 401
