import pytest
from django.db import connection
from django.utils import translation

from tests.factories import CompanyFactory


@pytest.fixture(autouse=True)
def english_by_default():
    """Start every test in English and reset after it.

    A request with Accept-Language activates its language in the test's
    thread and leaves it active, which would change the next test's messages.
    """
    translation.activate("en")
    yield
    translation.deactivate()


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
