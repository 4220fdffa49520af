"""Validation limits of the API, each with a value just inside and just outside the limit."""

import json

import pytest

from chat.models import ChatMessage, ChatSession
from tests.factories import ChatSessionFactory

pytestmark = pytest.mark.django_db

ID_ERROR = "Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~"
LANGUAGE_ERROR = "Enter a BCP-47 language tag of at most 10 characters, such as es, es-MX or pt-BR."
MESSAGES = "/api/v1/sessions/s1/messages/"


@pytest.fixture
def session(company):
    return ChatSessionFactory(company=company, id="s1")


def post_raw(client, url, text):
    return client.generic("POST", url, text.encode(), content_type="application/json")


@pytest.mark.parametrize("session_id", ["a" * 255, "web.chat:42", "A-z_0.9:~"])
def test_session_id_accepted(api_a, company, session_id):
    response = api_a.post("/api/v1/sessions/", {"id": session_id}, format="json")

    assert response.status_code == 201
    assert ChatSession.objects.filter(pk=session_id).exists()


@pytest.mark.parametrize("session_id", ["a" * 256, "", "has space", "slash/id", "ñ", "q?x", "a%20b", "#x"])
def test_session_id_rejected(api_a, company, session_id):
    response = api_a.post("/api/v1/sessions/", {"id": session_id}, format="json")

    assert response.status_code == 400
    expected = "This field may not be blank." if session_id == "" else ID_ERROR
    assert response.json() == {"id": [expected]}
    assert ChatSession.objects.count() == 0


def test_session_id_of_wrong_type_rejected(api_a, company):
    response = api_a.post("/api/v1/sessions/", {"id": 42}, format="json")

    assert response.status_code == 400
    assert response.json() == {"id": ["Not a valid string."]}


@pytest.mark.parametrize("language", ["es", "es-MX", "pt-BR", "zh-Hant", "de-DE-1996", "es-419"])
def test_language_accepted(api_a, company, language):
    response = api_a.post("/api/v1/sessions/", {"language": language}, format="json")

    assert response.status_code == 201
    assert response.json()["language"] == language


@pytest.mark.parametrize("language", ["en-US-posix", "e", "spanish", "es_MX", "es-", " es", ""])
def test_language_rejected(api_a, company, language):
    response = api_a.post("/api/v1/sessions/", {"language": language}, format="json")

    assert response.status_code == 400
    expected = "This field may not be blank." if language == "" else LANGUAGE_ERROR
    assert response.json() == {"language": [expected]}
    assert ChatSession.objects.count() == 0


def metadata_of_size(size):
    """Return a metadata object whose compact JSON encoding is `size` bytes."""
    overhead = len('{"k":""}')
    return {"k": "x" * (size - overhead)}


def test_metadata_at_limit_accepted(api_a, company):
    response = api_a.post("/api/v1/sessions/", {"id": "m", "metadata": metadata_of_size(65536)}, format="json")

    assert response.status_code == 201
    assert len(ChatSession.objects.get(pk="m").metadata["k"]) == 65528


def test_metadata_over_limit_rejected(api_a, company):
    response = api_a.post("/api/v1/sessions/", {"id": "m", "metadata": metadata_of_size(65537)}, format="json")

    assert response.status_code == 400
    assert response.json() == {"metadata": ["Metadata is 65537 bytes encoded; the maximum is 65536 bytes."]}
    assert ChatSession.objects.count() == 0


def test_metadata_size_counts_utf8_bytes(api_a, company):
    # "é" is 2 bytes in UTF-8: 32,764 of them plus the 8 bytes of {"k":""} is 65,536 bytes.
    response = api_a.post("/api/v1/sessions/", {"metadata": {"k": "é" * 32764}}, format="json")
    too_big = api_a.post("/api/v1/sessions/", {"metadata": {"k": "é" * 32765}}, format="json")

    assert response.status_code == 201
    assert too_big.status_code == 400
    assert too_big.json() == {"metadata": ["Metadata is 65538 bytes encoded; the maximum is 65536 bytes."]}


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ([], "Metadata must be a JSON object."),
        ("text", "Metadata must be a JSON object."),
        (None, "This field may not be null."),
        ({"k": "a\x00b"}, "Metadata must not contain NUL characters (\\u0000); PostgreSQL cannot store them."),
        ({"a\x00": 1}, "Metadata must not contain NUL characters (\\u0000); PostgreSQL cannot store them."),
    ],
)
def test_metadata_rejected(api_a, company, metadata, message):
    response = api_a.post("/api/v1/sessions/", {"metadata": metadata}, format="json")

    assert response.status_code == 400
    assert response.json() == {"metadata": [message]}
    assert ChatSession.objects.count() == 0


def test_content_at_limit_accepted(api_a, session):
    response = api_a.post(MESSAGES, {"role": "user", "content": "x" * 100_000}, format="json")

    assert response.status_code == 201
    assert len(ChatMessage.objects.get().content) == 100_000


def test_content_over_limit_rejected(api_a, session):
    response = api_a.post(MESSAGES, {"role": "user", "content": "x" * 100_001}, format="json")

    assert response.status_code == 400
    assert response.json() == {"content": ["Content has 100001 characters; the maximum is 100000."]}
    assert ChatMessage.objects.count() == 0


def test_content_keeps_whitespace_and_may_be_blank(api_a, session):
    api_a.post(MESSAGES, {"role": "user", "content": "  línea\n\t"}, format="json")
    api_a.post(MESSAGES, {"role": "tool", "content": ""}, format="json")

    assert list(ChatMessage.objects.values_list("content", flat=True)) == ["  línea\n\t", ""]


def test_content_with_nul_rejected(api_a, session):
    response = api_a.post(MESSAGES, {"role": "user", "content": "a\x00b"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "content": ["Content must not contain NUL characters (\\u0000); PostgreSQL cannot store them."]
    }
    assert ChatMessage.objects.count() == 0


def test_body_at_size_limit_accepted(api_a, session, settings):
    body = json.dumps({"role": "user", "content": "x" * 1000})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body)

    response = post_raw(api_a, MESSAGES, body)

    assert response.status_code == 201


def test_body_over_size_limit_is_413(api_a, session, settings):
    body = json.dumps({"role": "user", "content": "x" * 1000})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body) - 1

    response = post_raw(api_a, MESSAGES, body)

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"The request body is {len(body)} bytes; the maximum is {len(body) - 1} bytes."
    }
    assert ChatMessage.objects.count() == 0


def test_default_body_limit_is_one_mebibyte(api_a, session):
    response = post_raw(api_a, MESSAGES, json.dumps({"role": "user", "content": "x" * (1024 * 1024)}))

    assert response.status_code == 413


def nested(depth):
    """Return a request body nested `depth` levels deep, counting the body object itself."""
    value = []
    for _level in range(depth - 3):
        value = [value]
    return {"role": "user", "content": "x", "metadata": {"deep": value}}


def test_nesting_at_limit_accepted(api_a, session):
    response = api_a.post(MESSAGES, nested(100), format="json")

    assert response.status_code == 201


def test_nesting_over_limit_rejected(api_a, session):
    response = api_a.post(MESSAGES, nested(101), format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - it is nested more than 100 levels deep."}


def test_very_deep_nesting_rejected(api_a, session):
    response = post_raw(api_a, MESSAGES, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (
            '{"role": "user", "content": "\\ud800"}',
            "JSON parse error - it contains an unpaired UTF-16 surrogate, which is not valid Unicode text.",
        ),
        (
            '{"role": "user", "content": "x", "metadata": {"n": 1e400}}',
            "JSON parse error - it contains a number out of range.",
        ),
        (
            '{"role": "user", "content": "x", "metadata": {"n": NaN}}',
            "JSON parse error - Out of range float values are not JSON compliant: 'NaN'",
        ),
        (
            "{role: user}",
            "JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
    ],
)
def test_unstorable_json_rejected(api_a, session, text, detail):
    response = post_raw(api_a, MESSAGES, text)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert ChatMessage.objects.count() == 0


def test_body_must_be_json(api_a, session):
    response = api_a.generic("POST", MESSAGES, b"role=user", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'}


def test_body_must_be_an_object(api_a, session):
    response = post_raw(api_a, MESSAGES, "[1, 2]")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


@pytest.mark.parametrize("field", ["client", "user"])
def test_related_id_with_nul_is_missing(api_a, company, field):
    response = api_a.post("/api/v1/sessions/", {field: "a\x00b"}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert ChatSession.objects.count() == 0


def test_related_id_of_wrong_type_rejected(api_a, company):
    response = api_a.post("/api/v1/sessions/", {"user": "abc", "client": ["x"]}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "user": ["Incorrect type. Expected pk value, received str."],
        "client": ["Incorrect type. Expected pk value, received list."],
    }


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (
            "es",
            "Introduzca una etiqueta de idioma BCP-47 de 10 caracteres como máximo, como es, es-MX o pt-BR.",
        ),
        ("en", LANGUAGE_ERROR),
    ],
)
def test_validation_error_follows_accept_language(api_a, company, accept_language, expected):
    response = api_a.post(
        "/api/v1/sessions/", {"language": "spanish"}, format="json", headers={"accept-language": accept_language}
    )

    assert response.status_code == 400
    assert response.json() == {"language": [expected]}
    assert response["Content-Language"] == accept_language


def test_malformed_json_error_in_spanish(api_a, company):
    response = api_a.generic(
        "POST", "/api/v1/sessions/", b"{bad", content_type="application/json", headers={"accept-language": "es"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Error de análisis JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    }
    assert ChatSession.objects.count() == 0
