"""Client CRUD, and the read-only user and company endpoints."""

import pytest

from chat.models import ChatSession
from clients.models import Client
from tests.factories import ChatSessionFactory, ClientFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_client_create_and_read(api_a, company):
    response = api_a.post(
        "/api/v1/clients/",
        {
            "id": "crm:42",
            "name": "Ana Pérez",
            "email": "ana@example.com",
            "phone": "+34 600 000 000",
            "external_id": "CRM-42",
            "metadata": {"tier": "gold"},
        },
        format="json",
    )

    body = api_a.get("/api/v1/clients/crm:42/").json()
    assert response.status_code == 201
    assert body == {
        "id": "crm:42",
        "company": company.pk,
        "name": "Ana Pérez",
        "email": "ana@example.com",
        "phone": "+34 600 000 000",
        "external_id": "CRM-42",
        "metadata": {"tier": "gold"},
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert response.json() == body


def test_client_create_generates_id(api_a, company):
    response = api_a.post("/api/v1/clients/", {"name": "Sin id"}, format="json")

    assert response.status_code == 201
    assert Client.objects.get(pk=response.json()["id"]).company == company


def test_client_existing_id_conflicts(api_a, company):
    ClientFactory(company=company, id="crm:1", name="First")

    response = api_a.post("/api/v1/clients/", {"id": "crm:1", "name": "Second"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"id": ["A client with id crm:1 already exists."]}
    assert Client.objects.get(pk="crm:1").name == "First"


def test_client_external_id_unique_per_company(api_a, company, other_company):
    ClientFactory(company=company, id="c1", external_id="CRM-1")
    ClientFactory(company=other_company, id="b1", external_id="CRM-2")

    duplicate = api_a.post("/api/v1/clients/", {"id": "c2", "external_id": "CRM-1"}, format="json")
    other_companys_value = api_a.post("/api/v1/clients/", {"id": "c3", "external_id": "CRM-2"}, format="json")

    assert duplicate.status_code == 409
    assert duplicate.json() == {"external_id": ["This company already has a client with external id CRM-1."]}
    assert other_companys_value.status_code == 201
    assert not Client.objects.filter(pk="c2").exists()


def test_client_patch_external_id_conflict(api_a, company):
    ClientFactory(company=company, id="c1", external_id="CRM-1")
    ClientFactory(company=company, id="c2", external_id="CRM-2")

    response = api_a.patch("/api/v1/clients/c2/", {"external_id": "CRM-1"}, format="json")

    assert response.status_code == 409
    assert Client.objects.get(pk="c2").external_id == "CRM-2"


def test_client_patch(api_a, company):
    ClientFactory(company=company, id="c1", name="Old")

    response = api_a.patch("/api/v1/clients/c1/", {"name": "New", "id": "c9"}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == "c1"
    assert Client.objects.get(pk="c1").name == "New"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"id": "bad id"}, {"id": ["Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~"]}),
        ({"metadata": [1]}, {"metadata": ["Metadata must be a JSON object."]}),
        ({"name": "x" * 256}, {"name": ["Ensure this field has no more than 255 characters."]}),
    ],
)
def test_client_create_rejects_invalid(api_a, company, body, errors):
    response = api_a.post("/api/v1/clients/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Client.objects.count() == 0


def test_client_delete_keeps_sessions(api_a, company):
    client = ClientFactory(company=company, id="c1")
    ChatSessionFactory(company=company, id="s1", client=client)

    response = api_a.delete("/api/v1/clients/c1/")

    assert response.status_code == 204
    assert not Client.objects.filter(pk="c1").exists()
    assert ChatSession.objects.get(pk="s1").client is None


def test_client_filters(api_a, company):
    ClientFactory(company=company, id="c1", email="Ana@Example.com", external_id="CRM-1")
    ClientFactory(company=company, id="c2", email="luis@example.com", external_id="CRM-2")

    by_email = api_a.get("/api/v1/clients/", {"email": "ana@example.com"}).json()["results"]
    by_external_id = api_a.get("/api/v1/clients/", {"external_id": "CRM-2"}).json()["results"]

    assert [row["id"] for row in by_email] == ["c1"]
    assert [row["id"] for row in by_external_id] == ["c2"]


def test_operator_must_name_client_company(api_operator, company):
    response = api_operator.post("/api/v1/clients/", {"id": "c1"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"company": ["Platform operators must name the company of a new client."]}


def test_users_are_read_only_and_scoped(api_a, user_a, company):
    UserFactory(company=company, username="carla")

    listed = api_a.get("/api/v1/users/")
    detail = api_a.get(f"/api/v1/users/{user_a.pk}/")
    write = api_a.post("/api/v1/users/", {"username": "x"}, format="json")

    assert [row["username"] for row in listed.json()["results"]] == ["alice", "carla"]
    assert detail.json() == {
        "id": user_a.pk,
        "username": "alice",
        "first_name": "",
        "last_name": "",
        "email": "alice@example.com",
        "company": company.pk,
        "is_active": True,
    }
    assert write.status_code == 405


def test_companies_shows_own_company(api_a, company, other_company):
    response = api_a.get("/api/v1/companies/")

    assert response.json()["results"] == [
        {
            "id": company.pk,
            "name": "Acme",
            "slug": "acme",
            "is_active": True,
            "default_language": "es",
            "created_at": company.created_at.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_companies_all_for_operator(api_operator, company, other_company):
    CompanyFactory(name="Initech", slug="initech")

    response = api_operator.get("/api/v1/companies/")

    assert [row["slug"] for row in response.json()["results"]] == ["acme", "globex", "initech"]


def test_huge_integer_id_is_404(api_a):
    response = api_a.get("/api/v1/users/99999999999999999999999/")

    assert response.status_code == 404
