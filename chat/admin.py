from django.contrib import admin

from chat.models import ChatMessage, ChatSession


class ChatMessageInline(admin.TabularInline):
    model = ChatMessage
    fields = ["created_at", "role", "content"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]


@admin.register(ChatSession)
class ChatSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "company", "user", "client", "language", "last_message_at", "created_at"]
    list_select_related = ["company", "user", "client"]
    search_fields = ["=id"]
    autocomplete_fields = ["company", "user", "client"]
    inlines = [ChatMessageInline]


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "session", "role", "created_at"]
    list_select_related = ["session"]
    raw_id_fields = ["session"]
