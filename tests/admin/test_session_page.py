import datetime
import json

import pytest

from chat.models import ChatSession
from tests.admin.conftest import count_queries, make_full_session, make_session
from tests.factories import ClientFactory, UserFactory


def change_url(session):
    return f"/admin/chat/chatsession/{session.pk}/change/"


@pytest.mark.django_db
def test_transcript_first_page(operator_client, company):
    session = make_full_session(company, messages=120, metadata={"channel": "web", "tags": ["a", "b"]})

    response = operator_client.get(change_url(session))

    assert response.status_code == 200
    page = response.context["transcript_page"]
    assert page.paginator.count == 120
    assert page.paginator.num_pages == 3
    assert [message.content for message in page][:3] == ["user message 0", "assistant message 1", "user message 2"]
    assert len(page) == 50
    assert "120 messages" in response.text
    assert "page 1 of 3" in response.text
    assert '<li class="message role-user" id="message-' in response.text
    assert '<li class="message role-assistant" id="message-' in response.text
    assert "assistant message 49" in response.text
    assert "user message 50" not in response.text


@pytest.mark.django_db
def test_transcript_pages(operator_client, company):
    session = make_session(company, messages=120)

    last = operator_client.get(change_url(session), {"page": 3})
    beyond = operator_client.get(change_url(session), {"page": 99})
    garbage = operator_client.get(change_url(session), {"page": "x"})

    assert [message.content for message in last.context["transcript_page"]][-1] == "assistant message 119"
    assert len(last.context["transcript_page"]) == 20
    assert 'href="?page=2#transcript" rel="prev"' in last.text
    assert beyond.context["transcript_page"].number == 3
    assert garbage.context["transcript_page"].number == 1


@pytest.mark.django_db
def test_transcript_links_keep_changelist_filters(operator_client, company):
    session = make_session(company, messages=60)

    response = operator_client.get(change_url(session), {"_changelist_filters": "language=es"})

    assert 'href="?_changelist_filters=language%3Des&amp;page=2#transcript"' in response.text


@pytest.mark.django_db
def test_session_page_queries_fixed_as_messages_grow(operator_client, company):
    small = make_full_session(company, messages=3)
    large = make_full_session(company, messages=200)

    _, small_queries = count_queries(operator_client, change_url(small))
    response, large_queries = count_queries(operator_client, change_url(large))

    assert len(response.context["transcript_page"]) == 50
    assert large_queries == small_queries


@pytest.mark.django_db
def test_session_page_roles_metadata_and_links(operator_client, company):
    from chat.services import message_append

    session = make_full_session(company, metadata={"channel": "web", "país": "España"})
    message_append(session=session, role="system", content="Eres un asistente <amable>.")
    message_append(session=session, role="tool", content='{"ok": true}', metadata={"tool": "lookup"})

    response = operator_client.get(change_url(session))

    assert '<li class="message role-system"' in response.text
    assert '<li class="message role-tool"' in response.text
    assert "Eres un asistente &lt;amable&gt;." in response.text
    assert json.dumps({"tool": "lookup"}, indent=2).replace('"', "&quot;") in response.text
    session.refresh_from_db()
    # PostgreSQL's jsonb stores keys in its own order, so the expected text comes from the stored value.
    assert json.dumps(session.metadata, ensure_ascii=False, indent=2).replace('"', "&quot;") in response.text
    assert "&quot;país&quot;: &quot;España&quot;" in response.text
    assert f'href="/admin/accounts/user/{session.user.pk}/change/" class="transcript-user-link"' in response.text
    assert f'href="/admin/clients/client/{session.client.pk}/change/" class="transcript-client-link"' in response.text


@pytest.mark.django_db
def test_staff_session_page_read_only_metadata(company, staff, staff_client):
    session = make_session(company, metadata={"channel": "web"})
    staff.groups.clear()
    staff.user_permissions.add(*_permissions("view_chatsession"))

    response = staff_client.get(change_url(session))

    assert response.status_code == 200
    assert '<pre class="json">{\n  &quot;channel&quot;: &quot;web&quot;\n}</pre>' in response.text
    assert 'name="metadata"' not in response.text


@pytest.mark.django_db
def test_staff_cannot_open_other_company_session(staff_client, other_company):
    foreign = make_session(other_company, id="foreign", messages=2)

    response = staff_client.get(change_url(foreign))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    follow = staff_client.get(response["Location"])
    assert "Chat session with ID “foreign” doesn’t exist. Perhaps it was deleted?" in follow.text


@pytest.mark.django_db
def test_staff_form_choices_only_own_company(staff_client, company, other_company):
    own_user = UserFactory(company=company, username="own-user")
    UserFactory(company=other_company, username="foreign-user")
    own_client = ClientFactory(company=company)
    ClientFactory(company=other_company)

    response = staff_client.get("/admin/chat/chatsession/add/")

    form = response.context["adminform"].form
    assert sorted(user.username for user in form.fields["user"].queryset) == ["acme-staff", own_user.username]
    assert list(form.fields["client"].queryset) == [own_client]
    assert list(form.fields["company"].queryset) == [company]
    assert form.fields["company"].disabled is True


@pytest.mark.django_db
def test_staff_add_session_gets_own_company(staff_client, company, other_company):
    user = UserFactory(company=company)

    response = staff_client.post(
        "/admin/chat/chatsession/add/",
        {"id": "staff-made", "company": other_company.pk, "user": user.pk, "language": "", "metadata": "{}"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    session = ChatSession.objects.get(pk="staff-made")
    assert session.company == company
    assert session.user == user
    assert session.language == "es"


@pytest.mark.django_db
def test_staff_cannot_attach_other_company_client(staff_client, company, other_company):
    foreign_client = ClientFactory(company=other_company)

    response = staff_client.post(
        "/admin/chat/chatsession/add/",
        {"id": "staff-made", "client": foreign_client.pk, "language": "es", "metadata": "{}"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "client": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert not ChatSession.objects.filter(pk="staff-made").exists()


@pytest.mark.django_db
def test_operator_add_session_checks_relations(operator_client, company, other_company):
    foreign_user = UserFactory(company=other_company)

    response = operator_client.post(
        "/admin/chat/chatsession/add/",
        {"id": "mixed", "company": company.pk, "user": foreign_user.pk, "language": "es", "metadata": "{}"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"user": ["This user belongs to another company."]}
    assert not ChatSession.objects.filter(pk="mixed").exists()


@pytest.mark.django_db
def test_operator_add_session_defaults(operator_client, company):
    company.default_language = "pt-BR"
    company.save()

    response = operator_client.post(
        "/admin/chat/chatsession/add/",
        {"id": "web.chat:1", "company": company.pk, "language": "", "metadata": '{"channel": "web"}'},
    )

    assert response.status_code == 302
    session = ChatSession.objects.get(pk="web.chat:1")
    assert (session.company, session.language, session.metadata) == (company, "pt-BR", {"channel": "web"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"id": "bad id"}, {"id": ["Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~"]}),
        (
            {"language": "not a tag"},
            {"language": ["Enter a BCP-47 language tag of at most 10 characters, such as es, es-MX or pt-BR."]},
        ),
        ({"metadata": "[1, 2]"}, {"metadata": ["Metadata must be a JSON object."]}),
        ({"metadata": "{bad"}, {"metadata": ["Enter a valid JSON."]}),
    ],
)
def test_operator_add_session_invalid(operator_client, company, fields, errors):
    data = {"id": "ok", "company": company.pk, "language": "es", "metadata": "{}", **fields}

    response = operator_client.post("/admin/chat/chatsession/add/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    assert ChatSession.objects.count() == 0


@pytest.mark.django_db
def test_change_session_through_service(operator_client, company):
    session = make_session(company, messages=1, language="es")
    user = UserFactory(company=company)
    before = ChatSession.objects.get(pk=session.pk).last_message_at

    response = operator_client.post(
        change_url(session),
        {"user": user.pk, "language": "en", "metadata": '{\n  "topic": "billing"\n}'},
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.user, session.language, session.metadata) == (user, "en", {"topic": "billing"})
    assert session.last_message_at == before


@pytest.mark.django_db
def test_change_form_shows_pretty_metadata(operator_client, company):
    session = make_session(company, metadata={"a": {"c": [1]}})

    response = operator_client.get(change_url(session))

    form = response.context["adminform"].form
    assert form["metadata"].value() == '{\n  "a": {\n    "c": [\n      1\n    ]\n  }\n}'


@pytest.mark.django_db
def test_company_is_read_only_on_change(operator_client, company, other_company):
    session = make_session(company)

    operator_client.post(change_url(session), {"company": other_company.pk, "language": "es", "metadata": "{}"})

    session.refresh_from_db()
    assert session.company == company


def _permissions(*codenames):
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(codename__in=codenames))


@pytest.mark.django_db
def test_empty_transcript(operator_client, company):
    session = make_session(company, created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))

    response = operator_client.get(change_url(session))

    assert "This session has no messages." in response.text
    assert "0 messages" in response.text
