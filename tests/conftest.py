import pytest
from django.db import connection

from tests.factories import CompanyFactory


@pytest.fixture
def company(db):
    return CompanyFactory(name="Acme", slug="acme")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name="Globex", slug="globex")


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgresql` when the suite runs on another database."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to run it)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


def is_postgresql():
    return connection.vendor == "postgresql"
