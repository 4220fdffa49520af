from django.contrib import admin

from companies.models import Company
from companies.services import EDITABLE_FIELDS, company_create, company_update
from core.admin import CompanyScopedAdminMixin, adopt_saved_state


@admin.register(Company)
class CompanyAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    company_field = None
    list_display = ["name", "slug", "is_active", "default_language", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at"]

    def save_with_service(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            company_update(company=obj, **{name: fields[name] for name in form.changed_data if name in fields})
            return
        adopt_saved_state(obj, company_create(**fields))
