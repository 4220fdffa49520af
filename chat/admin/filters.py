"""Session list filters that stay cheap on millions of rows: fixed choices, no DISTINCT scans."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chat.models import ChatMessage
from chat.selectors import filter_sessions_by_text, sessions_with_text_candidates
from companies.models import Company
from core.admin import TextSearchFilter

# Up to this many matching messages, the transcript filter starts from them.
TEXT_CANDIDATE_LIMIT = 1000


class LastActivityFilter(admin.SimpleListFilter):
    """Fixed ranges of `last_message_at`, served by its descending index."""

    title = _("last activity")
    parameter_name = "last_activity"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("7d", _("Past 7 days")),
            ("30d", _("Past 30 days")),
            ("older", _("Older than 30 days")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "today":
            midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            return queryset.filter(last_message_at__gte=midnight)
        if value == "7d":
            return queryset.filter(last_message_at__gte=timezone.now() - datetime.timedelta(days=7))
        if value == "30d":
            return queryset.filter(last_message_at__gte=timezone.now() - datetime.timedelta(days=30))
        if value == "older":
            return queryset.filter(last_message_at__lt=timezone.now() - datetime.timedelta(days=30))
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    """Sessions by primary language subtag: "es" matches es, es-MX and es-419.

    The choices are the interface languages and the default languages of the
    companies the user may see, read from the small companies table. Listing
    the distinct languages of the sessions table would scan every row. Any
    other language still works as a URL parameter, such as ?language=de.
    """

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = {code for code, _name in settings.LANGUAGES}
        company_languages = Company.objects.visible_to(request.user).values_list("default_language", flat=True)
        codes.update(language.split("-")[0].lower() for language in company_languages.distinct())
        if self.value():
            codes.add(self.value())
        return [(code, code) for code in sorted(codes)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(Q(language__iexact=value) | Q(language__istartswith=f"{value}-"))


class PresenceFilter(admin.SimpleListFilter):
    """Sessions with or without a value in `field_name`."""

    field_name = None

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field_name}__isnull": False})
        if self.value() == "no":
            return queryset.filter(**{f"{self.field_name}__isnull": True})
        return queryset


class HasClientFilter(PresenceFilter):
    title = _("client")
    parameter_name = "has_client"
    field_name = "client"


class HasUserFilter(PresenceFilter):
    title = _("user")
    parameter_name = "has_user"
    field_name = "user"


class TranscriptTextFilter(TextSearchFilter):
    """Sessions with a message matching the text.

    PostgreSQL: full-text search in the text search configuration of each
    session's language, so "facturas" finds "factura" in a Spanish session.
    SQLite: case-insensitive substring match.
    """

    title = _("transcript text")
    parameter_name = "text"

    @property
    def help_text(self):
        if connection.vendor == "postgresql":
            return _("Words in any message, in any grammatical form. Use quotes for a phrase and - to exclude a word.")
        return _("Text contained in any message.")

    def filter_queryset(self, request, queryset, value):
        # A rare word matches few messages: starting from them is much faster
        # than walking the sessions in list order until 50 of them match.
        messages = ChatMessage.objects.visible_to(request.user)
        candidates = sessions_with_text_candidates(messages, value, max_messages=TEXT_CANDIDATE_LIMIT)
        if candidates is not None:
            queryset = queryset.filter(pk__in=candidates)
        return filter_sessions_by_text(queryset, value)
