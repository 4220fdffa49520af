"""OpenAPI schema generation: authentication schemes and the error responses of every operation."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension

DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": _('Messages by field name, such as {"language": ["..."]}; others under "non_field_errors".'),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
# A body that is not valid JSON gets {"detail": "..."}; invalid fields get FIELD_ERRORS.
BAD_REQUEST = {"oneOf": [DETAIL_ERROR, FIELD_ERRORS]}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, documenting the error responses each operation can return."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (schema, description) in self._error_responses().items():
            if code not in responses:
                response = self._get_response_for_code(schema, code, direction=direction)
                responses[code] = {**response, "description": description}
        return responses

    def _error_responses(self):
        writes = self.method in ("POST", "PATCH", "PUT")
        errors = {
            "401": (DETAIL_ERROR, _("No valid Bearer token or admin session.")),
            "403": (DETAIL_ERROR, _("The user lacks the Django model permission for this operation.")),
        }
        if writes or self._is_list_view():
            errors["400"] = (BAD_REQUEST, _("Invalid query parameters or request body, by field."))
        if "{" in self.path:
            errors["404"] = (DETAIL_ERROR, _("No such object in the caller's company."))
        if self.method in getattr(self.view, "conflict_methods", ()):
            errors["409"] = (FIELD_ERRORS, _("The id, external id or Idempotency-Key is already in use."))
        if writes:
            errors["413"] = (DETAIL_ERROR, _("The request body is larger than the maximum size."))
        return errors


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A token from `manage.py create_api_token USERNAME`, sent as `Authorization: Bearer <token>`."
            ),
        }


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.StaffSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
