from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "company", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    list_select_related = ["company"]
    autocomplete_fields = ["company"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Company"), {"fields": ["company"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Company"), {"fields": ["company"]}),
    ]
