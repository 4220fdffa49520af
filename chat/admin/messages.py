"""Admin of chat messages: read-only, because messages are written only through the API and commands."""

import json

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from chat.models import ChatMessage
from core.admin import CompanyScopedAdminMixin

PREVIEW_LENGTH = 120


@admin.register(ChatMessage)
class ChatMessageAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    company_field = None
    list_display = ["id", "session_link", "role", "content_preview", "created_at"]
    list_filter = ["role"]
    search_fields = ["=session__id"]
    search_help_text = _("Exact session id.")
    # The primary key follows insertion order and has an index; created_at
    # alone has none, and sorting every message by it would read them all.
    ordering = ["-id"]
    sortable_by = ["id"]
    fields = ["session_link", "role", "created_at", "content", "metadata_json"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting single messages would leave the session's last_message_at stale.
        return False

    @admin.display(description=_("session"))
    def session_link(self, message):
        url = reverse("admin:chat_chatsession_change", args=[message.session_id])
        return format_html('<a href="{}">{}</a>', url, message.session_id)

    @admin.display(description=_("content"))
    def content_preview(self, message):
        return Truncator(message.content).chars(PREVIEW_LENGTH)

    @admin.display(description=_("metadata"))
    def metadata_json(self, message):
        return format_html('<pre class="json">{}</pre>', json.dumps(message.metadata, ensure_ascii=False, indent=2))
