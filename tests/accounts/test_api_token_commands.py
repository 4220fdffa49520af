"""create_api_token, list_api_tokens and revoke_api_token, and the token services they call."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args):
    output = StringIO()
    call_command(*args, stdout=output)
    return output.getvalue().splitlines()


def test_create_prints_usable_token_last(company):
    user = UserFactory(company=company, username="alice")

    lines = run("create_api_token", "alice")

    token = AuthToken.objects.get()
    plain = lines[-1]
    assert len(lines) == 2
    assert lines[0] == f"Created API token {token.token_key} for alice (expires: never). It is shown only once:"
    assert token.digest == hash_token(plain)
    assert token.user == user
    assert token.expiry is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.get("/api/v1/companies/").status_code == 403  # authenticated, no view permission


def test_token_is_stored_hashed_only(company):
    UserFactory(company=company, username="alice")

    plain = run("create_api_token", "alice")[-1]

    token = AuthToken.objects.get()
    assert plain not in (token.digest, token.token_key)
    assert token.token_key == plain[:15]


def test_create_with_expiry(company):
    UserFactory(company=company, username="alice")
    before = timezone.now()

    run("create_api_token", "alice", "--expiry-days", "30")

    expiry = AuthToken.objects.get().expiry
    assert before + datetime.timedelta(days=30) <= expiry <= timezone.now() + datetime.timedelta(days=30)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No user is named nobody."),
        (["alice", "--expiry-days", "0"], "The expiry must be at least 1 day; got 0."),
        (["inactive"], "User inactive is inactive."),
    ],
)
def test_create_errors(company, args, message):
    UserFactory(company=company, username="alice")
    UserFactory(company=company, username="inactive", is_active=False)

    with pytest.raises(CommandError) as excinfo:
        run("create_api_token", *args)

    assert str(excinfo.value) == message
    assert AuthToken.objects.count() == 0


def test_list_tokens(company):
    UserFactory(company=company, username="alice")
    UserFactory(company=company, username="bob")
    run("create_api_token", "alice")
    run("create_api_token", "bob", "--expiry-days", "1")

    all_lines = run("list_api_tokens")
    bob_lines = run("list_api_tokens", "bob")

    bob_token = AuthToken.objects.get(user__username="bob")
    assert all_lines[0] == "key\tuser\tcreated\texpires"
    assert sorted(line.split("\t")[1] for line in all_lines[1:]) == ["alice", "bob"]
    assert bob_lines[1:] == [
        f"{bob_token.token_key}\tbob\t{bob_token.created.isoformat()}\t{bob_token.expiry.isoformat()}"
    ]


def test_list_without_tokens(company):
    assert run("list_api_tokens") == ["No API tokens."]


def test_revoke_by_key_prefix(company):
    UserFactory(company=company, username="alice")
    plain = run("create_api_token", "alice")[-1]
    kept = run("create_api_token", "alice")[-1]

    lines = run("revoke_api_token", plain[:10])

    assert lines == ["Revoked 1 API token."]
    assert list(AuthToken.objects.values_list("token_key", flat=True)) == [kept[:15]]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.get("/api/v1/sessions/").status_code == 401


def test_revoke_all_of_user(company):
    UserFactory(company=company, username="alice")
    UserFactory(company=company, username="bob")
    run("create_api_token", "alice")
    run("create_api_token", "alice")
    run("create_api_token", "bob")

    lines = run("revoke_api_token", "--user", "alice")

    assert lines == ["Revoked 2 API tokens."]
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["bob"]


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("abc", "Give at least 4 characters of the token key."),
        ("ffffffff", "No API token has a key starting with ffffffff."),
    ],
)
def test_revoke_errors(company, prefix, message):
    UserFactory(company=company, username="alice")
    run("create_api_token", "alice")

    with pytest.raises(CommandError) as excinfo:
        run("revoke_api_token", prefix)

    assert str(excinfo.value) == message
    assert AuthToken.objects.count() == 1


def test_revoke_ambiguous_prefix(company):
    user = UserFactory(company=company, username="alice")
    AuthToken.objects.create(user=user, prefix="abcd")
    AuthToken.objects.create(user=user, prefix="abcd")

    with pytest.raises(CommandError) as excinfo:
        run("revoke_api_token", "abcd")

    assert str(excinfo.value) == "More than one API token has a key starting with abcd; give more characters."
    assert AuthToken.objects.count() == 2
