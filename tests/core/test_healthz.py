import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_503_when_database_fails(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    # A hook on every query simulates a database server that stopped responding.
    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_rejects_post(client, db):
    response = client.post("/healthz")

    assert response.status_code == 405
