from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from clients.services import EDITABLE_FIELDS, client_create, client_update
from core.admin import CompanyAutocompleteFilter, CompanyScopedAdminMixin, PrettyJSONField, adopt_saved_state


@admin.register(Client)
class ClientAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    list_display = ["id", "name", "email", "external_id", "company", "created_at"]
    list_select_related = ["company"]
    list_filter = [CompanyAutocompleteFilter]
    search_fields = ["=id", "name", "email", "=external_id"]
    search_help_text = _("Exact id or external id, or part of the name or email.")
    autocomplete_fields = ["company"]
    readonly_fields = ["created_at", "updated_at", "sessions_link"]
    formfield_overrides = {
        models.JSONField: {
            "form_class": PrettyJSONField,
            "widget": forms.Textarea(attrs={"rows": 8, "cols": 80, "class": "vLargeTextField json-field"}),
        },
    }

    def get_fields(self, request, obj=None):
        fields = ["id", "company", "name", "email", "phone", "external_id", "metadata"]
        if obj is None:
            return fields
        return [*fields, "created_at", "updated_at", "sessions_link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["id", "company", *self.readonly_fields]

    @admin.display(description=_("sessions"))
    def sessions_link(self, client):
        url = reverse("admin:chat_chatsession_changelist") + "?" + urlencode({"client__id__exact": client.pk})
        return format_html('<a href="{}">{}</a>', url, _("Sessions of this client"))

    def save_with_service(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
            if changes:
                client_update(client=obj, **changes)
            return

        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        adopt_saved_state(obj, client_create(company=obj.company, id=obj.id, **fields))
