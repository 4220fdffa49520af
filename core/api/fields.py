"""Serializer fields shared by the API of every app."""

import datetime

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TenantPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by id, chosen only among the rows the requesting user may see.

    An id of another company fails like an id that does not exist.
    """

    def __init__(self, **kwargs):
        # A text input: a select would load every row of the table into the browsable API form.
        kwargs.setdefault("style", {"base_template": "input.html"})
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        # PostgreSQL rejects NUL in a text parameter with an error, so such an id fails here as missing.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return queryset.none()
        return queryset.visible_to(request.user)


class StrictCharField(serializers.CharField):
    """A CharField that rejects numbers instead of turning them into text, and keeps white space.

    It leaves NUL characters to the field's own validators (validate_content
    and the id and language patterns reject them), so that a NUL gets one
    error message instead of two.
    """

    default_error_messages = {"invalid": _("Not a valid string.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators = [
            validator for validator in self.validators if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 datetimes in UTC, whatever TIME_ZONE is; naive input is taken as UTC."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", datetime.UTC)
        super().__init__(**kwargs)
