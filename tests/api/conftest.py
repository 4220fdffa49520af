"""Fixtures of the REST API tests: users with model permissions and Bearer-token clients."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests.factories import SuperUserFactory, UserFactory

API_MODELS = ["chatsession", "chatmessage", "client", "user", "company"]


def grant(user, *codenames):
    """Give `user` the named permissions ("view_chatsession", ...) and drop its permission cache."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def all_api_permissions():
    return [f"{action}_{model}" for model in API_MODELS for action in ("view", "add", "change", "delete")]


def bearer_client(user):
    _token, plain = api_token_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client


@pytest.fixture
def user_a(company):
    user = UserFactory(company=company, username="alice")
    grant(user, *all_api_permissions())
    return user


@pytest.fixture
def user_b(other_company):
    user = UserFactory(company=other_company, username="bob")
    grant(user, *all_api_permissions())
    return user


@pytest.fixture
def api_a(user_a):
    """An API client with a Bearer token of company A (Acme), with every model permission."""
    return bearer_client(user_a)


@pytest.fixture
def api_b(user_b):
    """An API client with a Bearer token of company B (Globex), with every model permission."""
    return bearer_client(user_b)


@pytest.fixture
def operator(db):
    return SuperUserFactory(username="operator")


@pytest.fixture
def api_operator(operator):
    """An API client with a Bearer token of a platform operator (superuser without a company)."""
    return bearer_client(operator)


@pytest.fixture
def anonymous():
    return APIClient()
