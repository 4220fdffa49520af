"""Admin of chat sessions: the list, the transcript page, export and delete."""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chat.admin.export import export_response
from chat.admin.filters import HasClientFilter, HasUserFilter, LanguageFilter, LastActivityFilter, TranscriptTextFilter
from chat.admin.statistics import statistics_view
from chat.models import ChatMessage, ChatSession
from chat.selectors import message_counts, transcript_page
from chat.services import session_create, session_delete, session_delete_many, session_update
from clients.models import Client
from core.admin import (
    CompanyAutocompleteFilter,
    CompanyScopedAdminMixin,
    PrettyJSONField,
    adopt_saved_state,
)

TRANSCRIPT_PAGE_SIZE = 50
# The delete action loads the selected sessions to confirm them; larger
# deletions belong to `purge_chat_sessions`, which works in short batches.
DELETE_ACTION_LIMIT = 1000
# Up to this many matching clients or users, search filters sessions by a list
# of ids, which PostgreSQL looks up in the foreign key indexes. Above it, search
# uses a subquery, which is correct but reads more rows.
SEARCH_ID_LIST_LIMIT = 1000
EDITABLE_FIELDS = ("user", "client", "language", "metadata")
TEXT_SEARCH_EXACT_COUNT_LIMIT = 1000


class SessionChangeList(ChangeList):
    """The session list, with each row's message count from one query for the whole page."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        counts = message_counts([session.pk for session in self.result_list])
        for session in self.result_list:
            session.message_count = counts.get(session.pk, 0)


class ChatSessionForm(forms.ModelForm):
    class Meta:
        model = ChatSession
        fields = ["id", "company", "user", "client", "language", "metadata"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].required = False
            self.fields["language"].help_text = _(
                "BCP-47 tag such as es, es-MX or pt-BR. Leave empty for the company's default language."
            )
            if self.instance._state.adding:
                self.initial["language"] = ""

    def clean_language(self):
        language = self.cleaned_data.get("language")
        if language:
            return language
        company = self.cleaned_data.get("company") or (self.instance.company if self.instance.company_id else None)
        return company.default_language if company else language


@admin.register(ChatSession)
class ChatSessionAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    form = ChatSessionForm
    list_display = [
        "id",
        "company",
        "user",
        "client",
        "language",
        "message_count",
        "last_message_at",
        "created_at",
    ]
    list_select_related = ["company", "user", "client"]
    list_filter = [
        CompanyAutocompleteFilter,
        LanguageFilter,
        LastActivityFilter,
        HasClientFilter,
        HasUserFilter,
        TranscriptTextFilter,
    ]
    # get_search_results() below defines the search; a search field must be
    # declared for Django to show the search box.
    search_fields = ["=id"]
    search_help_text = _(
        "Session id, client name, email (start) or external id, user name or email (start). "
        "To search message text, use the transcript filter."
    )
    ordering = ["-last_message_at", "-id"]
    # Only the indexed order: sorting millions of rows by another column reads them all.
    sortable_by = ["last_message_at"]
    list_per_page = 50
    autocomplete_fields = ["company", "user", "client"]
    actions = ["export_jsonl", "delete_selected"]
    formfield_overrides = {
        models.JSONField: {
            "form_class": PrettyJSONField,
            "widget": forms.Textarea(attrs={"rows": 10, "cols": 80, "class": "vLargeTextField json-field"}),
        },
    }

    class Media:
        css = {"all": ["chat_admin/css/transcript.css"]}

    def get_changelist(self, request, **kwargs):
        return SessionChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # Each row of a transcript search costs a full-text check, so its
        # exact count stops sooner.
        limit = TEXT_SEARCH_EXACT_COUNT_LIMIT if request.GET.get(TranscriptTextFilter.parameter_name) else None
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page, limit)

    @admin.display(description=_("messages"))
    def message_count(self, session):
        return session.message_count

    @admin.display(description=_("metadata"))
    def metadata_json(self, session):
        return format_html('<pre class="json">{}</pre>', _format_json(session.metadata))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["id", "company", "user", "client", "language", "metadata"]
        metadata = "metadata" if self.has_change_permission(request, obj) else "metadata_json"
        return ["id", "company", "user", "client", "language", "created_at", "last_message_at", metadata]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["id", "company", "created_at", "last_message_at", "metadata_json"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False

        clients = Client.objects.visible_to(request.user).filter(
            Q(name__icontains=term) | Q(email__istartswith=term) | Q(external_id=term)
        )
        users = User.objects.visible_to(request.user).filter(Q(username__istartswith=term) | Q(email__istartswith=term))
        condition = Q(pk=term) | _related_in(clients, "client") | _related_in(users, "user")
        return queryset.filter(condition), False

    def save_with_service(self, request, obj, form, change):
        if not change:
            session = session_create(
                company=obj.company,
                id=obj.id,
                user=obj.user,
                client=obj.client,
                language=obj.language,
                metadata=obj.metadata,
            )
            adopt_saved_state(obj, session)
            return

        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        if changes:
            session_update(session=obj, **changes)

    def delete_model(self, request, obj):
        session_delete(session=obj)

    def delete_queryset(self, request, queryset):
        session_delete_many(queryset=queryset)

    def get_deleted_objects(self, objs, request):
        """Summarize what a deletion removes without loading every message.

        Django's default lists each related row, which for a session of
        20,000 messages is a page of 20,000 lines. Deleting a session deletes
        its messages with it, so only the delete permission on sessions counts.
        """
        sessions = list(objs)
        session_links = [
            format_html('<a href="{}">{}</a>', reverse("admin:chat_chatsession_change", args=[session.pk]), session.pk)
            for session in sessions
        ]
        message_total = ChatMessage.objects.filter(session__in=[session.pk for session in sessions]).count()
        model_count = {
            ChatSession._meta.verbose_name_plural: len(sessions),
            ChatMessage._meta.verbose_name_plural: message_total,
        }
        return session_links, model_count, set(), []

    @admin.action(description=_("Export selected sessions as JSONL"), permissions=["view"])
    def export_jsonl(self, request, queryset):
        return export_response(queryset, user=request.user)

    @admin.action(description=_("Delete selected %(verbose_name_plural)s"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        if queryset.order_by().values("pk")[: DELETE_ACTION_LIMIT + 1].count() > DELETE_ACTION_LIMIT:
            self.message_user(
                request,
                gettext(
                    "Select at most %(limit)d sessions to delete at once. "
                    "To delete more, use the purge_chat_sessions command."
                )
                % {"limit": DELETE_ACTION_LIMIT},
                messages.ERROR,
            )
            return None
        return django_delete_selected(self, request, queryset)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.transcript_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def transcript_context(self, request, session):
        page = transcript_page(session, request.GET.get("page"), per_page=TRANSCRIPT_PAGE_SIZE)
        for message in page.object_list:
            message.metadata_json = _format_json(message.metadata) if message.metadata else ""
        return {
            "show_transcript": True,
            "transcript_page": page,
            "transcript_page_links": [
                (number, _page_query(request, number) if number != page.paginator.ELLIPSIS else None)
                for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ],
            "transcript_previous_query": page.has_previous() and _page_query(request, page.previous_page_number()),
            "transcript_next_query": page.has_next() and _page_query(request, page.next_page_number()),
            "user_admin_url": _admin_url(request, session.user),
            "client_admin_url": _admin_url(request, session.client),
            "messages_admin_url": reverse("admin:chat_chatmessage_changelist")
            + "?"
            + urlencode({"session__id__exact": session.pk}),
        }

    def get_urls(self):
        statistics = path(
            "statistics/",
            self.admin_site.admin_view(self.statistics),
            name="chat_chatsession_statistics",
        )
        return [statistics, *super().get_urls()]

    def statistics(self, request):
        return statistics_view(self, request)


def _related_in(related_rows, field):
    ids = list(related_rows.values_list("pk", flat=True)[: SEARCH_ID_LIST_LIMIT + 1])
    if len(ids) > SEARCH_ID_LIST_LIMIT:
        return Q(**{f"{field}__in": related_rows.values("pk")})
    return Q(**{f"{field}_id__in": ids})


def _format_json(value):
    return json.dumps(value, ensure_ascii=False, indent=2)


def _page_query(request, number):
    query = request.GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


def _admin_url(request, obj):
    """Return the admin page of `obj` when the user may open it, else None."""
    if obj is None:
        return None
    opts = obj._meta
    if not any(request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")):
        return None
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
