from django.contrib import admin

from clients.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "email", "external_id", "company", "created_at"]
    list_select_related = ["company"]
    search_fields = ["=id", "name", "email", "=external_id"]
    autocomplete_fields = ["company"]
