"""Tenant scoping of the API, written once for every viewset."""

from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError


class TenantScopedMixin:
    """Limit every query of a view to the rows the requesting user may see.

    `get_queryset()` applies the model's `visible_to(user)`: platform
    operators see every company and a company's users see only their own, so
    another company's ids behave as missing (404 on routes, "does not exist"
    on fields through TenantPrimaryKeyRelatedField).
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            # Schema generation runs without a user.
            return queryset.none()
        return queryset.visible_to(self.request.user)


class TenantModelViewSet(TenantScopedMixin, viewsets.ModelViewSet):
    """Create, read, update (PATCH only) and delete the caller's rows."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    company_required_message = _("Platform operators must name the company of a new object.")

    def pop_company(self, fields):
        """Remove `company` from validated fields and return it, or the caller's company; 400 when neither is set."""
        company = fields.pop("company", None) or self.request.user.company
        if company is None:
            raise ValidationError({"company": [self.company_required_message]})
        return company


class TenantReadOnlyViewSet(TenantScopedMixin, viewsets.ReadOnlyModelViewSet):
    """List and read the caller's rows."""
