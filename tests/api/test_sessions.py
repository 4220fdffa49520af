"""Session endpoints: representation, create, update, delete, filters, ordering and pagination."""

import datetime

import pytest
from django.core import signing

from chat.models import ChatSession
from core.api.pagination import CURSOR_SALT
from tests.factories import ChatMessageFactory, ChatSessionFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def at(hours=0, minutes=0):
    return T0 + datetime.timedelta(hours=hours, minutes=minutes)


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_session_detail_payload(api_a, company, user_a):
    client = ClientFactory(company=company, id="crm:7")
    session = ChatSessionFactory(
        company=company,
        id="web.chat:42",
        user=user_a,
        client=client,
        language="es-MX",
        created_at=at(0),
        last_message_at=at(2),
        metadata={"channel": "web", "tags": ["a", "b"]},
    )
    ChatMessageFactory.create_batch(3, session=session)

    response = api_a.get("/api/v1/sessions/web.chat:42/")

    assert response.status_code == 200
    assert response.json() == {
        "id": "web.chat:42",
        "company": company.pk,
        "user": user_a.pk,
        "client": "crm:7",
        "language": "es-MX",
        "created_at": "2026-03-01T12:00:00Z",
        "last_message_at": "2026-03-01T14:00:00Z",
        "metadata": {"channel": "web", "tags": ["a", "b"]},
        "message_count": 3,
    }


@pytest.mark.parametrize("session_id", ["web.chat:42", "a~b_c-d", "x", "A" * 255, "..", "1.2.3:4:5"])
def test_every_accepted_id_is_reachable(api_a, company, session_id):
    created = api_a.post("/api/v1/sessions/", {"id": session_id}, format="json")

    response = api_a.get(f"/api/v1/sessions/{session_id}/")

    assert created.status_code == 201
    assert response.status_code == 200
    assert response.json()["id"] == session_id


def test_session_create_defaults(api_a, company):
    company.default_language = "pt-BR"
    company.save()

    response = api_a.post("/api/v1/sessions/", {}, format="json")

    assert response.status_code == 201
    body = response.json()
    session = ChatSession.objects.get(pk=body["id"])
    assert len(body["id"]) == 26
    assert body["language"] == "pt-BR"
    assert body["metadata"] == {}
    assert body["company"] == company.pk
    assert session.company == company


def test_session_create_with_everything(api_a, company, user_a):
    ClientFactory(company=company, id="crm:1")

    response = api_a.post(
        "/api/v1/sessions/",
        {"id": "s:1", "user": user_a.pk, "client": "crm:1", "language": "en", "metadata": {"k": "v"}},
        format="json",
    )

    assert response.status_code == 201
    session = ChatSession.objects.get(pk="s:1")
    assert (session.user, session.client_id, session.language, session.metadata) == (user_a, "crm:1", "en", {"k": "v"})


def test_session_create_existing_id_conflicts(api_a, company):
    ChatSessionFactory(company=company, id="dup", language="es")

    response = api_a.post("/api/v1/sessions/", {"id": "dup", "language": "en"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"id": ["A session with id dup already exists."]}
    assert ChatSession.objects.get(pk="dup").language == "es"


def test_operator_must_name_company(api_operator, company):
    response = api_operator.post("/api/v1/sessions/", {"id": "op"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"company": ["Platform operators must name the company of a new session."]}
    assert ChatSession.objects.count() == 0


def test_operator_creates_in_named_company(api_operator, company):
    response = api_operator.post("/api/v1/sessions/", {"id": "op", "company": company.pk}, format="json")

    assert response.status_code == 201
    assert ChatSession.objects.get(pk="op").company == company


def test_operator_cannot_mix_companies(api_operator, company, other_company):
    user = UserFactory(company=other_company)

    response = api_operator.post(
        "/api/v1/sessions/", {"id": "op", "company": company.pk, "user": user.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"user": ["This user belongs to another company."]}
    assert ChatSession.objects.count() == 0


def test_session_patch(api_a, company, user_a):
    ChatSessionFactory(company=company, id="s1", user=user_a, language="es", metadata={"a": 1})

    response = api_a.patch(
        "/api/v1/sessions/s1/", {"language": "en", "metadata": {"b": 2}, "user": None}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["language"] == "en"
    session = ChatSession.objects.get(pk="s1")
    assert (session.language, session.metadata, session.user) == ("en", {"b": 2}, None)


def test_session_patch_cannot_change_id_or_company(api_a, company, other_company):
    ChatSessionFactory(company=company, id="s1")

    response = api_a.patch("/api/v1/sessions/s1/", {"id": "s2", "company": other_company.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == "s1"
    assert ChatSession.objects.get(pk="s1").company == company
    assert not ChatSession.objects.filter(pk="s2").exists()


def test_session_put_not_allowed(api_a, company):
    ChatSessionFactory(company=company, id="s1")

    response = api_a.put("/api/v1/sessions/s1/", {"language": "en"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}


def test_session_delete_removes_messages(api_a, company):
    session = ChatSessionFactory(company=company, id="s1")
    ChatMessageFactory.create_batch(3, session=session)

    response = api_a.delete("/api/v1/sessions/s1/")

    assert response.status_code == 204
    assert not ChatSession.objects.filter(pk="s1").exists()
    assert session.messages.count() == 0


@pytest.fixture
def filter_rows(company, user_a):
    client = ClientFactory(company=company, id="crm:1")
    rows = [
        ChatSessionFactory(
            company=company,
            id="s1",
            user=user_a,
            client=client,
            language="es",
            created_at=at(0),
            last_message_at=at(5),
            metadata={"channel": "web", "plan": {"tier": "gold"}},
        ),
        ChatSessionFactory(
            company=company,
            id="s2",
            user=None,
            client=client,
            language="en",
            created_at=at(1),
            last_message_at=at(3),
            metadata={"channel": "app"},
        ),
        ChatSessionFactory(
            company=company,
            id="s3",
            user=user_a,
            client=None,
            language="pt-BR",
            created_at=at(2),
            last_message_at=at(4),
            metadata={},
        ),
    ]
    ChatMessageFactory(session=rows[0], content="Necesito la factura de marzo")
    ChatMessageFactory(session=rows[1], content="Where is my order?")
    ChatMessageFactory(session=rows[2], content="Obrigado pela ajuda")
    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["s1", "s3", "s2"]),
        ({"user": "USER"}, ["s1", "s3"]),
        ({"client": "crm:1"}, ["s1", "s2"]),
        ({"company": "COMPANY"}, ["s1", "s3", "s2"]),
        ({"language": "en"}, ["s2"]),
        ({"last_message_after": "2026-03-01T16:00:00Z"}, ["s1", "s3"]),
        ({"last_message_after": "2026-03-01T16:00:00"}, ["s1", "s3"]),
        ({"last_message_after": "2026-03-01T17:00:00+01:00"}, ["s1", "s3"]),
        ({"last_message_before": "2026-03-01T16:00:00Z"}, ["s2"]),
        ({"created_after": "2026-03-01T13:00:00Z"}, ["s3", "s2"]),
        ({"created_before": "2026-03-01T13:00:00Z"}, ["s1"]),
        ({"created_after": "2026-03-01"}, ["s1", "s3", "s2"]),
        ({"created_before": "2026-03-01"}, []),
        ({"has_user": "true"}, ["s1", "s3"]),
        ({"has_user": "false"}, ["s2"]),
        ({"has_client": "true"}, ["s1", "s2"]),
        ({"has_client": "false"}, ["s3"]),
        ({"metadata": '{"channel": "web"}'}, ["s1"]),
        ({"metadata": '{"channel": "web", "plan": {"tier": "gold"}}'}, ["s1"]),
        ({"metadata": '{"channel": "mail"}'}, []),
        ({"metadata": "{}"}, ["s1", "s3", "s2"]),
        ({"q": "order"}, ["s2"]),
        ({"has_user": "true", "has_client": "true", "language": "es"}, ["s1"]),
        ({"ordering": "created_at"}, ["s1", "s2", "s3"]),
        ({"ordering": "-created_at"}, ["s3", "s2", "s1"]),
        ({"ordering": "last_message_at"}, ["s2", "s3", "s1"]),
        ({"ordering": "-last_message_at"}, ["s1", "s3", "s2"]),
    ],
)
def test_session_filters(api_a, company, user_a, filter_rows, params, expected):
    values = {"USER": str(user_a.pk), "COMPANY": str(company.pk)}
    params = {key: values.get(value, value) for key, value in params.items()}

    assert ids(api_a.get("/api/v1/sessions/", params)) == expected


@pytest.mark.postgresql
def test_session_q_uses_language_stemming(api_a, filter_rows):
    assert ids(api_a.get("/api/v1/sessions/", {"q": "facturas"})) == ["s1"]


def test_session_metadata_filter_keys_that_look_like_lookups(api_a, company):
    ChatSessionFactory(company=company, id="odd", metadata={"contains": "x", "a__b": 1})
    ChatSessionFactory(company=company, id="plain", metadata={"a": {"b": 1}})

    assert ids(api_a.get("/api/v1/sessions/", {"metadata": '{"contains": "x"}'})) == ["odd"]
    assert ids(api_a.get("/api/v1/sessions/", {"metadata": '{"a__b": 1}'})) == ["odd"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"ordering": "id"}, {"ordering": ["Select a valid choice. id is not one of the available choices."]}),
        ({"has_user": "yes"}, {"has_user": ["Select a valid choice. yes is not one of the available choices."]}),
        (
            {"created_after": "yesterday"},
            {"created_after": ["Enter an ISO 8601 date or datetime, such as 2026-03-01 or 2026-03-01T12:00:00Z."]},
        ),
        (
            {"last_message_before": "2026-02-30"},
            {
                "last_message_before": [
                    "Enter an ISO 8601 date or datetime, such as 2026-03-01 or 2026-03-01T12:00:00Z."
                ]
            },
        ),
        (
            {"last_message_after": "9999-12-31T23:59:59-05:00"},
            {"last_message_after": ["Enter an ISO 8601 date or datetime, such as 2026-03-01 or 2026-03-01T12:00:00Z."]},
        ),
        ({"metadata": "[1, 2]"}, {"metadata": ["Metadata must be a JSON object."]}),
        ({"metadata": "{channel}"}, {"metadata": ['Enter a JSON object, such as {"channel": "web"}.']}),
        ({"metadata": '{"a": 1e999}'}, {"metadata": ['Enter a JSON object, such as {"channel": "web"}.']}),
        ({"user": "abc"}, {"user": ["Select a valid choice. That choice is not one of the available choices."]}),
        ({"q": "a\x00b"}, {"q": ["Null characters are not allowed."]}),
        ({"page_size": "0"}, {"page_size": ["Enter a whole number from 1 to 200."]}),
        ({"page_size": "201"}, {"page_size": ["Enter a whole number from 1 to 200."]}),
        ({"page_size": "ten"}, {"page_size": ["Enter a whole number from 1 to 200."]}),
        ({"cursor": "not-a-cursor"}, {"cursor": ["Invalid cursor. Use the next or previous link of a page as it is."]}),
    ],
)
def test_session_list_rejects_bad_parameters(api_a, filter_rows, params, errors):
    response = api_a.get("/api/v1/sessions/", params)

    assert response.status_code == 400
    assert response.json() == errors


def test_page_size_limits(api_a, company):
    for index in range(3):
        ChatSessionFactory(company=company, id=f"s{index}")

    assert len(ids(api_a.get("/api/v1/sessions/", {"page_size": "1"}))) == 1
    assert len(ids(api_a.get("/api/v1/sessions/", {"page_size": "200"}))) == 3


def walk(client, params, *, direction="next"):
    """Follow the links of a session list from its first page; return the ids of every page."""
    pages = []
    response = client.get("/api/v1/sessions/", params)
    while True:
        pages.append(ids(response))
        link = response.json()[direction]
        if link is None:
            return pages
        response = client.get(link)


@pytest.fixture
def tied_sessions(company):
    """25 sessions in 3 groups with equal last_message_at and created_at, ids in no time order."""
    sessions = []
    for index in range(25):
        group = index % 3
        sessions.append(
            ChatSessionFactory(
                company=company,
                id=f"tie-{(index * 7) % 25:02d}",
                created_at=at(hours=group),
                last_message_at=at(hours=10 - group),
            )
        )
    return sessions


@pytest.mark.parametrize("ordering", ["-last_message_at", "last_message_at", "-created_at", "created_at"])
def test_walk_through_ties_returns_every_session_once(api_a, tied_sessions, ordering):
    field = ordering.lstrip("-")
    expected = sorted(tied_sessions, key=lambda session: (getattr(session, field), session.id))
    if ordering.startswith("-"):
        expected.reverse()

    pages = walk(api_a, {"ordering": ordering, "page_size": 4})

    assert [len(page) for page in pages] == [4, 4, 4, 4, 4, 4, 1]
    assert [session_id for page in pages for session_id in page] == [session.id for session in expected]


def test_walk_backwards_returns_the_same_pages(api_a, tied_sessions):
    forward = walk(api_a, {"page_size": 4})
    last_page = api_a.get("/api/v1/sessions/", {"page_size": 4})
    while last_page.json()["next"]:
        last_page = api_a.get(last_page.json()["next"])

    backward = [ids(last_page)]
    response = last_page
    while response.json()["previous"]:
        response = api_a.get(response.json()["previous"])
        backward.append(ids(response))

    assert backward[::-1] == forward
    assert response.json()["previous"] is None


def test_walk_with_filter_keeps_filter(api_a, company, user_a):
    for index in range(7):
        ChatSessionFactory(company=company, id=f"u{index}", user=user_a if index % 2 else None, last_message_at=at(0))

    pages = walk(api_a, {"has_user": "true", "page_size": 2})

    assert pages == [["u5", "u3"], ["u1"]]


def test_cursor_of_another_ordering_is_rejected(api_a, tied_sessions):
    next_link = api_a.get("/api/v1/sessions/", {"page_size": 2}).json()["next"]

    response = api_a.get(next_link + "&ordering=created_at")

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor belongs to another ordering. Repeat the request without the cursor."]
    }


def test_forged_cursor_is_rejected(api_a, tied_sessions):
    # A well-formed cursor for a chosen position, signed with a key other than SECRET_KEY.
    payload = {"o": ["-last_message_at", "-id"], "p": ["2026-03-01T22:00:00+00:00", "tie-00"], "r": False}
    forged = signing.dumps(payload, key="not-the-secret-key", salt=CURSOR_SALT)

    response = api_a.get("/api/v1/sessions/", {"page_size": 2, "cursor": forged})

    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor. Use the next or previous link of a page as it is."]}


def test_cursor_with_wrong_position_shape_is_rejected(api_a, tied_sessions):
    payload = {"o": ["-last_message_at", "-id"], "p": ["not a date", "tie-00"], "r": False}
    cursor = signing.dumps(payload, salt=CURSOR_SALT)

    response = api_a.get("/api/v1/sessions/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor. Use the next or previous link of a page as it is."]}
