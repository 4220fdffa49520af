"""Message endpoints: chronological list, append, last_message_at and Idempotency-Key."""

import datetime
import threading

import pytest
from django.db import connection

from chat.models import ChatMessage, ChatSession, IdempotencyKey
from tests.api.conftest import bearer_client
from tests.factories import ChatMessageFactory, ChatSessionFactory

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
URL = "/api/v1/sessions/s:1/messages/"


@pytest.fixture
def session(company):
    return ChatSessionFactory(company=company, id="s:1", created_at=T0, last_message_at=T0)


@pytest.mark.django_db
def test_message_list_is_chronological_with_ties(api_a, session):
    later = ChatMessageFactory(session=session, content="third", created_at=T0 + datetime.timedelta(minutes=1))
    first = ChatMessageFactory(session=session, content="first", created_at=T0)
    second = ChatMessageFactory(session=session, content="second", created_at=T0)

    response = api_a.get(URL, {"page_size": 2})
    next_page = api_a.get(response.json()["next"])

    assert response.json()["results"] == [
        {
            "id": first.pk,
            "session": "s:1",
            "role": "user",
            "content": "first",
            "metadata": {},
            "created_at": "2026-03-01T12:00:00Z",
        },
        {
            "id": second.pk,
            "session": "s:1",
            "role": "user",
            "content": "second",
            "metadata": {},
            "created_at": "2026-03-01T12:00:00Z",
        },
    ]
    assert [row["id"] for row in next_page.json()["results"]] == [later.pk]
    assert next_page.json()["next"] is None


@pytest.mark.django_db
def test_message_list_of_missing_session_is_404(api_a, company):
    response = api_a.get("/api/v1/sessions/nope/messages/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_append_returns_message_and_moves_last_message_at(api_a, session):
    response = api_a.post(
        URL,
        {
            "role": "assistant",
            "content": "¿En qué puedo ayudarle?",
            "metadata": {"model": "x"},
            "created_at": "2026-03-01T13:00:00Z",
        },
        format="json",
    )

    message = ChatMessage.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": message.pk,
        "session": "s:1",
        "role": "assistant",
        "content": "¿En qué puedo ayudarle?",
        "metadata": {"model": "x"},
        "created_at": "2026-03-01T13:00:00Z",
    }
    assert ChatSession.objects.get(pk="s:1").last_message_at == T0 + datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_append_naive_created_at_is_utc(api_a, session, settings):
    settings.TIME_ZONE = "America/Mexico_City"

    response = api_a.post(URL, {"role": "user", "content": "x", "created_at": "2026-03-01T13:00:00"}, format="json")

    assert response.json()["created_at"] == "2026-03-01T13:00:00Z"


@pytest.mark.django_db
def test_append_older_message_keeps_last_message_at(api_a, session):
    api_a.post(URL, {"role": "user", "content": "new", "created_at": "2026-03-01T15:00:00Z"}, format="json")

    response = api_a.post(URL, {"role": "user", "content": "old", "created_at": "2026-03-01T09:00:00Z"}, format="json")

    assert response.status_code == 201
    assert ChatSession.objects.get(pk="s:1").last_message_at == T0 + datetime.timedelta(hours=3)
    assert api_a.get("/api/v1/sessions/s:1/").json()["last_message_at"] == "2026-03-01T15:00:00Z"


@pytest.mark.django_db
def test_append_without_created_at_uses_now(api_a, session):
    response = api_a.post(URL, {"role": "user", "content": "hola"}, format="json")

    message = ChatMessage.objects.get()
    assert response.status_code == 201
    assert message.created_at > T0
    assert ChatSession.objects.get(pk="s:1").last_message_at == message.created_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"content": "x"}, {"role": ["This field is required."]}),
        ({"role": "robot", "content": "x"}, {"role": ['"robot" is not a valid choice.']}),
        ({"role": "user"}, {"content": ["This field is required."]}),
        ({"role": "user", "content": 5}, {"content": ["Not a valid string."]}),
        ({"role": "user", "content": "x", "metadata": "text"}, {"metadata": ["Metadata must be a JSON object."]}),
        (
            {"role": "user", "content": "x", "created_at": "soon"},
            {
                "created_at": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        (
            {"role": "user", "content": "x", "created_at": "9999-12-31T23:00:00-05:00"},
            {"created_at": ["Datetime value out of range."]},
        ),
    ],
)
def test_append_rejects_invalid_body(api_a, session, body, errors):
    response = api_a.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert ChatMessage.objects.count() == 0
    assert ChatSession.objects.get(pk="s:1").last_message_at == T0


@pytest.mark.django_db
def test_same_idempotency_key_creates_one_message(api_a, session):
    body = {"role": "user", "content": "hola", "metadata": {"a": 1}}

    first = api_a.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = api_a.post(
        URL, {"metadata": {"a": 1}, "content": "hola", "role": "user"}, format="json", HTTP_IDEMPOTENCY_KEY="retry-1"
    )

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert ChatMessage.objects.count() == 1
    assert IdempotencyKey.objects.get().message_id == first.json()["id"]


@pytest.mark.django_db
def test_same_idempotency_key_with_other_body_conflicts(api_a, session):
    api_a.post(URL, {"role": "user", "content": "hola"}, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    response = api_a.post(URL, {"role": "user", "content": "adiós"}, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert response.status_code == 409
    assert response.json() == {"detail": "The Idempotency-Key retry-1 was already used with a different request body."}
    assert list(ChatMessage.objects.values_list("content", flat=True)) == ["hola"]


@pytest.mark.django_db
def test_idempotency_keys_are_per_session(api_a, session, company):
    ChatSessionFactory(company=company, id="s:2")
    body = {"role": "user", "content": "hola"}

    api_a.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    response = api_a.post("/api/v1/sessions/s:2/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 201
    assert ChatMessage.objects.count() == 2


@pytest.mark.django_db
def test_invalid_body_with_idempotency_key_stores_no_key(api_a, session):
    response = api_a.post(URL, {"role": "robot", "content": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    retry = api_a.post(URL, {"role": "user", "content": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 400
    assert retry.status_code == 201
    assert ChatMessage.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "has space", "ñ", "k" * 256])
def test_invalid_idempotency_key_is_rejected(api_a, session, key):
    response = api_a.post(URL, {"role": "user", "content": "x"}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert response.json() == {"Idempotency-Key": ["Enter 1 to 255 visible ASCII characters, without spaces."]}
    assert ChatMessage.objects.count() == 0


@pytest.mark.django_db
def test_longest_idempotency_key_is_accepted(api_a, session):
    response = api_a.post(URL, {"role": "user", "content": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k" * 255)

    assert response.status_code == 201
    assert IdempotencyKey.objects.get().key == "k" * 255


def _post_concurrently(user, bodies, key=None):
    """POST each body from its own thread and connection, all released at once; return the responses."""
    barrier = threading.Barrier(len(bodies))
    responses = []

    def post(body):
        client = bearer_client(user)
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        barrier.wait()
        try:
            responses.append(client.post(URL, body, format="json", **headers))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_message(user_a, session):
    responses = _post_concurrently(user_a, [{"role": "user", "content": "hola"}] * 4, key="same")

    assert [response.status_code for response in responses] == [201] * 4
    assert len({response.json()["id"] for response in responses}) == 1
    assert ChatMessage.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_latest_time(user_a, session):
    times = [f"2026-03-01T1{hour}:00:00Z" for hour in (5, 9, 3, 7)]

    responses = _post_concurrently(user_a, [{"role": "user", "content": time, "created_at": time} for time in times])

    assert [response.status_code for response in responses] == [201] * 4
    assert ChatMessage.objects.count() == 4
    assert ChatSession.objects.get(pk="s:1").last_message_at == datetime.datetime(2026, 3, 1, 19, tzinfo=datetime.UTC)
