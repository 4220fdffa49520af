"""Company scoping of autocompletes and of the company, user, client, message and token admins."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client as HttpClient
from knox.models import AuthToken

from accounts.models import User
from accounts.services import COMPANY_STAFF_GROUP, user_add_default_group
from clients.models import Client
from companies.models import Company
from tests.admin.conftest import changelist_ids, count_queries, make_session
from tests.factories import ClientFactory, StaffUserFactory, UserFactory

AUTOCOMPLETE_URL = "/admin/autocomplete/"


def autocomplete(client, field, term=""):
    response = client.get(
        AUTOCOMPLETE_URL, {"app_label": "chat", "model_name": "chatsession", "field_name": field, "term": term}
    )
    assert response.status_code == 200, response.content[:300]
    return sorted(item["text"] for item in response.json()["results"])


@pytest.mark.django_db
def test_autocomplete_scoped_for_staff(staff_client, company, other_company):
    UserFactory(company=company, username="ana")
    UserFactory(company=other_company, username="anabel")
    ClientFactory(company=company, name="Ana Pérez")
    ClientFactory(company=other_company, name="Ana Gómez")

    assert autocomplete(staff_client, "user", "ana") == ["ana"]
    assert autocomplete(staff_client, "client", "ana") == ["Ana Pérez"]
    assert autocomplete(staff_client, "company") == ["Acme"]


@pytest.mark.django_db
def test_autocomplete_all_for_operator(operator_client, company, other_company):
    UserFactory(company=company, username="ana")
    UserFactory(company=other_company, username="anabel")
    ClientFactory(company=company, name="Ana Pérez")
    ClientFactory(company=other_company, name="Ana Gómez")

    assert autocomplete(operator_client, "user", "ana") == ["ana", "anabel"]
    assert autocomplete(operator_client, "client", "ana") == ["Ana Gómez", "Ana Pérez"]
    assert autocomplete(operator_client, "company") == ["Acme", "Globex"]


@pytest.mark.django_db
def test_autocomplete_of_filter_for_clients_and_users(staff_client, other_company):
    for model_name in ["client", "user"]:
        response = staff_client.get(
            AUTOCOMPLETE_URL,
            {
                "app_label": "clients" if model_name == "client" else "accounts",
                "model_name": model_name,
                "field_name": "company",
                "term": "",
            },
        )
        assert [item["text"] for item in response.json()["results"]] == ["Acme"]


@pytest.mark.django_db
def test_autocomplete_without_company_sees_nothing(company):
    user = StaffUserFactory(company=None)
    user.user_permissions.add(*Group.objects.get(name=COMPANY_STAFF_GROUP).permissions.all())
    client = HttpClient()
    client.force_login(user)
    ClientFactory(company=company)

    assert autocomplete(client, "client") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/admin/companies/company/", Company),
        ("/admin/accounts/user/", User),
        ("/admin/clients/client/", Client),
    ],
)
def test_staff_changelists_show_own_company(staff_client, company, other_company, url, model):
    UserFactory(company=other_company)
    ClientFactory(company=other_company)
    ClientFactory(company=company)

    response = staff_client.get(url)

    shown = response.context["cl"].result_list
    assert len(shown) >= 1
    for obj in shown:
        owner = obj.pk if model is Company else obj.company_id
        assert owner == company.pk


@pytest.mark.django_db
def test_staff_cannot_open_other_company_client(staff_client, other_company):
    foreign = ClientFactory(company=other_company, id="foreign-client")

    response = staff_client.get(f"/admin/clients/client/{foreign.pk}/change/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_staff_adds_client_in_own_company(staff_client, company, other_company):
    response = staff_client.post(
        "/admin/clients/client/add/",
        {
            "id": "crm-1",
            "company": other_company.pk,
            "name": "Luis",
            "email": "luis@example.com",
            "phone": "",
            "external_id": "L-1",
            "metadata": "{}",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    client = Client.objects.get(pk="crm-1")
    assert (client.company, client.name, client.external_id) == (company, "Luis", "L-1")


@pytest.mark.django_db
def test_staff_client_external_id_unique_in_company(staff_client, company):
    ClientFactory(company=company, external_id="L-1")

    response = staff_client.post(
        "/admin/clients/client/add/",
        {"id": "crm-2", "name": "Luis", "email": "", "phone": "", "external_id": "L-1", "metadata": "{}"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["This company already has a client with this external id."]
    }
    assert not Client.objects.filter(pk="crm-2").exists()


@pytest.mark.django_db
def test_client_change_through_service(operator_client, company):
    client = ClientFactory(company=company, name="Old")

    response = operator_client.post(
        f"/admin/clients/client/{client.pk}/change/",
        {"name": "New", "email": client.email, "phone": client.phone, "external_id": "", "metadata": '{"vip": true}'},
    )

    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.name, client.metadata) == ("New", {"vip": True})


@pytest.mark.django_db
def test_client_page_links_sessions(operator_client, company):
    client = ClientFactory(company=company, id="c:1")

    response = operator_client.get(f"/admin/clients/client/{client.pk}/change/")

    assert 'href="/admin/chat/chatsession/?client__id__exact=c%3A1"' in response.text


@pytest.mark.django_db
def test_company_admin_creates_through_service(operator_client):
    response = operator_client.post(
        "/admin/companies/company/add/",
        {"name": "Initech", "slug": "initech", "is_active": "on", "default_language": "en"},
    )

    assert response.status_code == 302
    company = Company.objects.get(slug="initech")
    assert (company.name, company.default_language, company.is_active) == ("Initech", "en", True)


@pytest.mark.django_db
def test_company_admin_rejects_bad_language(operator_client):
    response = operator_client.post(
        "/admin/companies/company/add/",
        {"name": "Initech", "slug": "initech", "default_language": "english!"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "default_language": ["Enter a BCP-47 language tag of at most 10 characters, such as es, es-MX or pt-BR."]
    }
    assert not Company.objects.filter(slug="initech").exists()


@pytest.mark.django_db
def test_staff_cannot_add_company(staff_client):
    response = staff_client.get("/admin/companies/company/add/")

    assert response.status_code == 403


@pytest.mark.django_db
def test_message_admin_read_only_and_scoped(staff_client, company, other_company):
    own = make_session(company, id="own", messages=2)
    make_session(other_company, id="foreign", messages=3)

    response = staff_client.get("/admin/chat/chatmessage/")
    detail = staff_client.get(f"/admin/chat/chatmessage/{own.messages.first().pk}/change/")

    assert {message.session_id for message in response.context["cl"].result_list} == {"own"}
    assert response.context["cl"].result_count == 2
    assert response.context["has_add_permission"] is False
    assert detail.status_code == 200
    assert 'name="content"' not in detail.text
    assert "user message 0" in detail.text


@pytest.mark.django_db
def test_message_list_by_session(operator_client, company):
    make_session(company, id="s:1", messages=2)
    make_session(company, id="s:2", messages=3)

    response = operator_client.get("/admin/chat/chatmessage/", {"session__id__exact": "s:1"})

    assert {message.session_id for message in response.context["cl"].result_list} == {"s:1"}


@pytest.mark.django_db
def test_message_list_queries_fixed(operator_client, company):
    make_session(company, messages=3)
    _, small = count_queries(operator_client, "/admin/chat/chatmessage/")
    for _ in range(3):
        make_session(company, messages=10)
    _, large = count_queries(operator_client, "/admin/chat/chatmessage/")

    assert large == small


@pytest.mark.django_db
def test_token_admin_read_only_and_scoped(staff_client, staff, other_company):
    own_token, own_plain = AuthToken.objects.create(user=staff)
    foreign_token, _ = AuthToken.objects.create(user=UserFactory(company=other_company))

    response = staff_client.get("/admin/knox/authtoken/")

    assert [token.pk for token in response.context["cl"].result_list] == [own_token.pk]
    assert f"{own_token.token_key}…" in response.text
    assert own_token.digest not in response.text
    assert own_plain not in response.text
    assert foreign_token.token_key not in response.text
    assert response.context["has_add_permission"] is False


@pytest.mark.django_db
def test_token_admin_for_operator(operator_client, company):
    token, _ = AuthToken.objects.create(user=UserFactory(company=company, username="api-user"))

    response = operator_client.get("/admin/knox/authtoken/", {"q": "api-user"})
    add = operator_client.get("/admin/knox/authtoken/add/")

    assert [row.pk for row in response.context["cl"].result_list] == [token.pk]
    assert "Acme" in response.text
    assert add.status_code == 403


@pytest.mark.django_db
def test_default_group_permissions():
    group = Group.objects.get(name=COMPANY_STAFF_GROUP)

    assert sorted(f"{perm.content_type.app_label}.{perm.codename}" for perm in group.permissions.all()) == [
        "accounts.view_user",
        "chat.add_chatsession",
        "chat.change_chatsession",
        "chat.delete_chatsession",
        "chat.view_chatmessage",
        "chat.view_chatsession",
        "clients.add_client",
        "clients.change_client",
        "clients.view_client",
        "companies.view_company",
        "knox.view_authtoken",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "added"),
    [
        ({"is_staff": True}, True),
        ({"is_staff": False}, False),
        ({"is_staff": True, "company": None}, False),
        ({"is_staff": True, "is_superuser": True}, False),
    ],
)
def test_user_add_default_group(company, fields, added):
    user = UserFactory(**{"company": company, **fields})

    assert user_add_default_group(user=user) is added
    assert list(user.groups.values_list("name", flat=True)) == ([COMPANY_STAFF_GROUP] if added else [])


@pytest.mark.django_db
def test_user_with_group_keeps_it(company):
    other_group = Group.objects.create(name="Readers")
    user = StaffUserFactory(company=company)
    user.groups.add(other_group)

    assert user_add_default_group(user=user) is False
    assert list(user.groups.values_list("name", flat=True)) == ["Readers"]


@pytest.mark.django_db
def test_operator_creates_staff_user_with_default_group(operator_client, company):
    response = operator_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new-staff",
            "password1": "a-long-password-9",
            "password2": "a-long-password-9",
            "usable_password": "true",
            "company": company.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new-staff")

    change = operator_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": "new-staff",
            "company": company.pk,
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2026-03-01",
            "date_joined_1": "12:00:00",
        },
    )

    assert change.status_code == 302, change.context["adminform"].form.errors
    assert list(user.groups.values_list("name", flat=True)) == [COMPANY_STAFF_GROUP]
    client = HttpClient()
    client.force_login(user)
    assert client.get("/admin/chat/chatsession/").status_code == 200


@pytest.mark.django_db
def test_staff_with_change_user_cannot_raise_rights(company, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    colleague = StaffUserFactory(company=company, username="colleague")
    client = HttpClient()
    client.force_login(staff)

    response = client.get(f"/admin/accounts/user/{colleague.pk}/change/")

    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "groups" not in form.fields
    assert "user_permissions" not in form.fields
    assert form.fields["company"].disabled is True


@pytest.mark.django_db
def test_staff_user_list_ids(staff_client, company, other_company):
    UserFactory(company=other_company, username="foreign")
    UserFactory(company=company, username="colleague")

    response = staff_client.get("/admin/accounts/user/")

    assert sorted(changelist_ids(response)) == sorted(
        str(pk) for pk in User.objects.filter(company=company).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_autocomplete_counts_little(operator_client, company, monkeypatch):
    monkeypatch.setattr("core.admin.AUTOCOMPLETE_EXACT_COUNT_LIMIT", 20)
    for index in range(25):
        ClientFactory(company=company, name=f"Ana {index:02d}")

    response = operator_client.get(
        AUTOCOMPLETE_URL, {"app_label": "chat", "model_name": "chatsession", "field_name": "client", "term": "ana"}
    )

    second = operator_client.get(
        AUTOCOMPLETE_URL,
        {"app_label": "chat", "model_name": "chatsession", "field_name": "client", "term": "ana", "page": 2},
    )

    payload = response.json()
    assert len(payload["results"]) == 20
    assert payload["pagination"] == {"more": True}
    # PostgreSQL estimates 21 or so matches here; the second page still shows all five left.
    assert len(second.json()["results"]) == 5
