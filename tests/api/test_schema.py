"""The OpenAPI schema, the interactive docs, and a schema-driven client against a live server."""

import pytest
import yaml
from django.contrib.staticfiles import finders
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from accounts.services import api_token_create
from tests.api.conftest import all_api_permissions, grant
from tests.factories import ChatMessageFactory, ChatSessionFactory, ClientFactory, UserFactory


@pytest.fixture
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_schema_documents_every_session_filter(schema):
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}

    assert parameters == {
        "company",
        "user",
        "client",
        "language",
        "last_message_after",
        "last_message_before",
        "created_after",
        "created_before",
        "has_user",
        "has_client",
        "metadata",
        "q",
        "ordering",
        "cursor",
        "page_size",
    }


def test_schema_documents_auth_pagination_and_errors(schema):
    operation = schema["paths"]["/api/v1/sessions/{session_id}/messages/"]["post"]
    page = schema["components"]["schemas"]["PaginatedChatSessionList"]

    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert operation["security"] == [{"bearerAuth": []}, {"cookieAuth": []}]
    assert sorted(operation["responses"]) == ["201", "400", "401", "403", "404", "409", "413"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in operation["parameters"]]
    assert sorted(page["properties"]) == ["next", "previous", "results"]


@pytest.mark.django_db
def test_schema_and_docs_served(client):
    schema_response = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema_response.status_code == 200
    assert yaml.safe_load(schema_response.content)["info"]["title"] == "Chat session store API"
    assert docs.status_code == 200


@pytest.mark.django_db
def test_docs_load_swagger_ui_from_local_static_files(client):
    html = client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


# A schema-driven client (schemathesis) against a live server: each operation
# gets a bounded number of generated requests, valid and invalid, and every
# response must be documented and never a 5xx.
EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def seeded_token(company):
    user = UserFactory(company=company, username="fuzzer")
    grant(user, *all_api_permissions())
    client = ClientFactory(company=company, id="crm:1")
    session = ChatSessionFactory(company=company, id="web.chat:42", user=user, client=client, metadata={"k": "v"})
    ChatMessageFactory.create_batch(3, session=session)
    return api_token_create(user=user)[1]


@pytest.mark.django_db(transaction=True)
def test_schema_driven_client_finds_no_server_errors(live_server, seeded_token, settings):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    settings.ALLOWED_HOSTS = ["*"]
    api_schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    headers = {"Authorization": f"Bearer {seeded_token}"}
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def exercise(case):
                response = case.call(base_url=live_server.url, headers=headers)
                case.validate_response(response, checks=checks)

            exercise()

    assert len(operations) == 16
