from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from accounts.models import User
from accounts.services import user_add_default_group
from core.admin import CompanyAutocompleteFilter, CompanyScopedAdminMixin, is_company_staff

# Fields that would let a company's staff raise their own rights.
OPERATOR_ONLY_FIELDS = ["is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(CompanyScopedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "email", "company", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", CompanyAutocompleteFilter]
    list_select_related = ["company"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["company"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Company"), {"fields": ["company"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Company"), {"fields": ["company"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            readonly += OPERATOR_ONLY_FIELDS
        return readonly

    def save_related(self, request, form, formsets, change):
        # After the form has saved the groups, so that they do not overwrite the default one.
        super().save_related(request, form, formsets, change)
        user_add_default_group(user=form.instance)


class TokenStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(Q(expiry__isnull=True) | Q(expiry__gt=now))
        if self.value() == "expired":
            return queryset.filter(expiry__lte=now)
        return queryset


# django-rest-knox registers an admin that shows token digests and can create
# tokens; this one lists tokens without anything that authenticates.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    company_field = None
    list_display = ["key_prefix", "user", "user_company", "created", "expiry"]
    # The change page URL would contain the digest, the token's primary key.
    list_display_links = None
    list_select_related = ["user__company"]
    list_filter = [TokenStatusFilter]
    search_fields = ["^token_key", "user__username"]
    search_help_text = _("Start of the key, or username.")
    ordering = ["-created"]

    def scope_queryset(self, request, queryset):
        return queryset.filter(user__in=User.objects.visible_to(request.user))

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [column for column in columns if not (is_company_staff(request.user) and column == "user_company")]

    @admin.display(description=_("key prefix"), ordering="token_key")
    def key_prefix(self, token):
        return f"{token.token_key}…"

    @admin.display(description=_("company"), ordering="user__company__name")
    def user_company(self, token):
        return token.user.company

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
