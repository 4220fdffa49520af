"""Query-parameter filters of the chat session list (django-filter)."""

import datetime
import json

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import User
from chat.models import ChatSession
from chat.selectors import filter_sessions_by_metadata, filter_sessions_by_text
from clients.models import Client
from companies.models import Company
from core.api.parsers import check_storable_json
from core.validators import validate_metadata

# `ordering` values and their order_by terms; the id breaks ties so keyset pages never skip or repeat a row.
SESSION_ORDERINGS = {
    "-last_message_at": ("-last_message_at", "-id"),
    "last_message_at": ("last_message_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
}
DEFAULT_SESSION_ORDERING = SESSION_ORDERINGS["-last_message_at"]


class UTCDateTimeFormField(forms.Field):
    """An ISO 8601 date or datetime; a date means its midnight, and naive values are UTC."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date or datetime, such as 2026-03-01 or 2026-03-01T12:00:00Z."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(value.strip())
            if parsed is None:
                raise ValueError(value)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=datetime.UTC)
            return parsed.astimezone(datetime.UTC)
        except (ValueError, OverflowError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


@extend_schema_field(OpenApiTypes.DATETIME)
class UTCDateTimeFilter(django_filters.Filter):
    field_class = UTCDateTimeFormField


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class StrictBooleanFilter(django_filters.ChoiceFilter):
    """`true` or `false`; any other value is a 400 instead of being ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in ("", None):
            return queryset
        return super().filter(queryset, value == "false")


class JSONObjectFormField(forms.CharField):
    default_error_messages = {
        "invalid": _('Enter a JSON object, such as {"channel": "web"}.'),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            parsed = json.loads(value)
            check_storable_json(parsed)
        except (ValueError, RecursionError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        validate_metadata(parsed)
        return parsed


@extend_schema_field(OpenApiTypes.STR)
class JSONObjectFilter(django_filters.Filter):
    field_class = JSONObjectFormField


def _visible(model):
    return lambda request: model.objects.visible_to(request.user)


class ChatSessionFilterSet(django_filters.FilterSet):
    company = django_filters.ModelChoiceFilter(
        queryset=_visible(Company),
        help_text=_("Company id. Company staff see only their own company; platform operators see every company."),
    )
    user = django_filters.ModelChoiceFilter(queryset=_visible(User), help_text=_("User id."))
    client = django_filters.ModelChoiceFilter(queryset=_visible(Client), help_text=_("Client id."))
    language = django_filters.CharFilter(help_text=_("Exact BCP-47 language tag, such as es or pt-BR."))
    last_message_after = UTCDateTimeFilter(
        field_name="last_message_at",
        lookup_expr="gte",
        help_text=_("Sessions whose last message is at or after this ISO 8601 date or datetime (naive is UTC)."),
    )
    last_message_before = UTCDateTimeFilter(
        field_name="last_message_at",
        lookup_expr="lt",
        help_text=_("Sessions whose last message is before this ISO 8601 date or datetime (naive is UTC)."),
    )
    created_after = UTCDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text=_("Sessions created at or after this ISO 8601 date or datetime (naive is UTC)."),
    )
    created_before = UTCDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text=_("Sessions created before this ISO 8601 date or datetime (naive is UTC)."),
    )
    has_user = StrictBooleanFilter(
        field_name="user", lookup_expr="isnull", help_text=_("true: sessions with a user; false: without.")
    )
    has_client = StrictBooleanFilter(
        field_name="client", lookup_expr="isnull", help_text=_("true: sessions with a client; false: without.")
    )
    metadata = JSONObjectFilter(
        method="filter_metadata",
        help_text=_('JSON object; matches sessions whose metadata contains it, such as {"channel": "web"}.'),
    )
    q = django_filters.CharFilter(
        method="filter_text",
        help_text=_("Full-text search over message content, in the language of each session."),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(value, value) for value in SESSION_ORDERINGS],
        method="filter_ordering",
        empty_label=None,
        help_text=_("Sort order; ties are broken by id. Default: -last_message_at."),
    )

    class Meta:
        model = ChatSession
        fields = []

    def filter_metadata(self, queryset, name, value):
        return filter_sessions_by_metadata(queryset, value)

    def filter_text(self, queryset, name, value):
        return filter_sessions_by_text(queryset, value)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*SESSION_ORDERINGS[value])
