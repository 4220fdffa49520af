"""Field validators shared by models, services, the API and the importers."""

import json
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.ids import CALLER_ID_RE

METADATA_MAX_BYTES = 64 * 1024
CONTENT_MAX_LENGTH = 100_000
LANGUAGE_MAX_LENGTH = 10

# BCP-47 language tag: a 2-3 letter primary language, then optional script
# (4 letters), region (2 letters or 3 digits) and variant subtags.
LANGUAGE_TAG_RE = re.compile(
    r"\A[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*\Z"
)


def validate_caller_id(value):
    if not isinstance(value, str) or not CALLER_ID_RE.match(value):
        raise ValidationError(
            _("Enter 1 to 255 characters from A-Z, a-z, 0-9 and . _ - : ~"),
            code="invalid_id",
        )


def validate_language_tag(value):
    if not isinstance(value, str) or len(value) > LANGUAGE_MAX_LENGTH or not LANGUAGE_TAG_RE.match(value):
        raise ValidationError(
            _("Enter a BCP-47 language tag of at most %(max)d characters, such as es, es-MX or pt-BR."),
            code="invalid_language",
            params={"max": LANGUAGE_MAX_LENGTH},
        )


def validate_metadata(value):
    if not isinstance(value, dict):
        raise ValidationError(_("Metadata must be a JSON object."), code="metadata_not_object")

    if _contains_nul(value):
        raise ValidationError(
            _("Metadata must not contain NUL characters (\\u0000); PostgreSQL cannot store them."),
            code="metadata_nul",
        )

    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if size > METADATA_MAX_BYTES:
        raise ValidationError(
            _("Metadata is %(size)d bytes encoded; the maximum is %(max)d bytes."),
            code="metadata_too_large",
            params={"size": size, "max": METADATA_MAX_BYTES},
        )


def validate_content(value):
    if not isinstance(value, str):
        raise ValidationError(_("Content must be a string."), code="content_not_string")

    if "\x00" in value:
        raise ValidationError(
            _("Content must not contain NUL characters (\\u0000); PostgreSQL cannot store them."),
            code="content_nul",
        )

    if len(value) > CONTENT_MAX_LENGTH:
        raise ValidationError(
            _("Content has %(length)d characters; the maximum is %(max)d."),
            code="content_too_long",
            params={"length": len(value), "max": CONTENT_MAX_LENGTH},
        )


def _contains_nul(value):
    """Return whether a JSON value has a NUL character in any string or object key."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False
