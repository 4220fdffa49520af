"""Tenant isolation: a token of company A never reads, counts or writes company B's rows."""

import pytest

from chat.models import ChatMessage, ChatSession
from clients.models import Client
from config.api_urls import router
from core.api.viewsets import TenantScopedMixin
from tests.api.conftest import all_api_permissions, bearer_client, grant
from tests.factories import ChatMessageFactory, ChatSessionFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows_b(other_company, user_b):
    """Company B's rows: a session with a user, a client and a message, and a second client."""
    client = ClientFactory(company=other_company, id="b.client", email="b@example.com", external_id="crm-b")
    session = ChatSessionFactory(
        company=other_company, id="b.chat:1", user=user_b, client=client, metadata={"channel": "b-only"}
    )
    ChatMessageFactory(session=session, content="factura secreta de globex")
    return {"session": session, "client": client, "user": user_b, "company": other_company}


@pytest.fixture
def rows_a(company, user_a):
    client = ClientFactory(company=company, id="a.client", email="a@example.com", external_id="crm-a")
    session = ChatSessionFactory(
        company=company, id="a.chat:1", user=user_a, client=client, metadata={"channel": "web"}
    )
    ChatMessageFactory(session=session, content="hola")
    return {"session": session, "client": client, "user": user_a, "company": company}


ROUTES = [
    ("get", "/api/v1/sessions/{session}/", None),
    ("patch", "/api/v1/sessions/{session}/", {"language": "en"}),
    ("delete", "/api/v1/sessions/{session}/", None),
    ("get", "/api/v1/sessions/{session}/messages/", None),
    ("post", "/api/v1/sessions/{session}/messages/", {"role": "user", "content": "intrusion"}),
    ("get", "/api/v1/clients/{client}/", None),
    ("patch", "/api/v1/clients/{client}/", {"name": "Renamed"}),
    ("delete", "/api/v1/clients/{client}/", None),
    ("get", "/api/v1/users/{user}/", None),
    ("get", "/api/v1/companies/{company}/", None),
]
MISSING_IDS = {"session": "missing.chat", "client": "missing.client", "user": 999999, "company": 999999}


def snapshot(rows):
    session = ChatSession.objects.get(pk=rows["session"].pk)
    client = Client.objects.get(pk=rows["client"].pk)
    return {
        "session": (session.language, session.last_message_at, session.metadata),
        "messages": list(ChatMessage.objects.filter(session=session).values_list("content", flat=True)),
        "client": (client.name, client.email),
    }


@pytest.mark.parametrize(("method", "route", "body"), ROUTES)
def test_other_company_ids_behave_as_missing(api_a, rows_a, rows_b, method, route, body):
    kind = route.split("{")[1].split("}")[0]
    before = snapshot(rows_b)

    response = getattr(api_a, method)(route.format(**{kind: rows_b[kind].pk}), body, format="json")
    missing = getattr(api_a, method)(route.format(**{kind: MISSING_IDS[kind]}), body, format="json")

    assert response.status_code == 404
    assert response.json() == missing.json()
    assert snapshot(rows_b) == before


@pytest.mark.parametrize(
    ("route", "field", "expected_ids"),
    [
        ("/api/v1/sessions/", "id", ["a.chat:1"]),
        ("/api/v1/clients/", "id", ["a.client"]),
        ("/api/v1/users/", "username", ["alice"]),
        ("/api/v1/companies/", "slug", ["acme"]),
        ("/api/v1/sessions/a.chat:1/messages/", "content", ["hola"]),
    ],
)
def test_lists_hold_only_own_company_rows(api_a, rows_a, rows_b, route, field, expected_ids):
    response = api_a.get(route)

    assert response.status_code == 200
    assert [row[field] for row in response.json()["results"]] == expected_ids


@pytest.mark.parametrize(
    ("param", "kind", "message"),
    [
        ("user", "user", "Select a valid choice. That choice is not one of the available choices."),
        ("client", "client", "Select a valid choice. That choice is not one of the available choices."),
        ("company", "company", "Select a valid choice. That choice is not one of the available choices."),
    ],
)
def test_filter_by_other_company_id_behaves_as_missing(api_a, rows_a, rows_b, param, kind, message):
    response = api_a.get("/api/v1/sessions/", {param: rows_b[kind].pk})
    missing = api_a.get("/api/v1/sessions/", {param: MISSING_IDS[kind]})

    assert response.status_code == 400
    assert response.json() == {param: [message]}
    assert missing.json() == response.json()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "factura"},
        {"q": "globex"},
        {"metadata": '{"channel": "b-only"}'},
        {"language": "es"},
        {"has_user": "true"},
        {"has_client": "true"},
    ],
)
def test_filters_never_match_other_company_rows(api_a, rows_a, rows_b, params):
    response = api_a.get("/api/v1/sessions/", params)

    assert response.status_code == 200
    assert "b.chat:1" not in [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("route", "params"),
    [("/api/v1/clients/", {"external_id": "crm-b"}), ("/api/v1/clients/", {"email": "b@example.com"})],
)
def test_client_filters_never_match_other_company(api_a, rows_a, rows_b, route, params):
    response = api_a.get(route, params)

    assert response.json()["results"] == []


@pytest.mark.parametrize("field", ["user", "client", "company"])
def test_session_create_rejects_other_company_ids(api_a, rows_a, rows_b, field):
    response = api_a.post("/api/v1/sessions/", {"id": "new", field: rows_b[field].pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [f'Invalid pk "{rows_b[field].pk}" - object does not exist.']}
    assert not ChatSession.objects.filter(pk="new").exists()


@pytest.mark.parametrize("field", ["user", "client"])
def test_session_update_rejects_other_company_ids(api_a, rows_a, rows_b, field):
    response = api_a.patch("/api/v1/sessions/a.chat:1/", {field: rows_b[field].pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [f'Invalid pk "{rows_b[field].pk}" - object does not exist.']}
    assert getattr(ChatSession.objects.get(pk="a.chat:1"), field) == rows_a[field]


def test_client_create_rejects_other_company(api_a, rows_b):
    response = api_a.post("/api/v1/clients/", {"id": "c.new", "company": rows_b["company"].pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"company": [f'Invalid pk "{rows_b["company"].pk}" - object does not exist.']}
    assert not Client.objects.filter(pk="c.new").exists()


def test_taken_id_of_other_company_conflicts(api_a, rows_b):
    # Ids are global primary keys, so a taken id cannot be reused. The 409 names no owner.
    response = api_a.post("/api/v1/sessions/", {"id": "b.chat:1"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"id": ["A session with id b.chat:1 already exists."]}
    assert ChatSession.objects.get(pk="b.chat:1").company == rows_b["company"]


def test_user_without_company_sees_nothing(rows_a, rows_b):
    loner = UserFactory(company=None, username="loner")
    grant(loner, *all_api_permissions())

    response = bearer_client(loner).get("/api/v1/sessions/")

    assert response.json()["results"] == []


def test_operator_sees_every_company(api_operator, rows_a, rows_b):
    response = api_operator.get("/api/v1/sessions/", {"ordering": "created_at"})

    assert sorted(row["id"] for row in response.json()["results"]) == ["a.chat:1", "b.chat:1"]


def test_every_api_viewset_is_tenant_scoped():
    unscoped = [
        viewset.__name__
        for _prefix, viewset, _basename in router.registry
        if not issubclass(viewset, TenantScopedMixin)
    ]

    assert unscoped == []


def test_every_writable_related_field_is_tenant_scoped():
    from rest_framework.relations import RelatedField

    from chat.api.serializers import ChatSessionSerializer
    from clients.api.serializers import ClientSerializer
    from core.api.fields import TenantPrimaryKeyRelatedField

    writable = {
        f"{serializer.__name__}.{name}": field
        for serializer in (ChatSessionSerializer, ClientSerializer)
        for name, field in serializer().fields.items()
        if isinstance(field, RelatedField) and not field.read_only
    }

    assert sorted(writable) == [
        "ChatSessionSerializer.client",
        "ChatSessionSerializer.company",
        "ChatSessionSerializer.user",
        "ClientSerializer.company",
    ]
    assert all(isinstance(field, TenantPrimaryKeyRelatedField) for field in writable.values())
