"""Authentication classes of the REST API: knox Bearer tokens and staff sessions."""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """knox token authentication (`Authorization: Bearer <token>`, prefix set in REST_KNOX).

    knox decodes the token as UTF-8 without catching errors, so a header with
    other bytes would end in a 500; it gets a 401 here instead.
    """

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        return super().authenticate_credentials(token)


class StaffSessionAuthentication(SessionAuthentication):
    """Session authentication, with CSRF checks, for users who may log in to the admin."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_staff:
            return None
        return result
