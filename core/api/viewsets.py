"""Tenant scoping of the API, written once for every viewset."""

from rest_framework import viewsets


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


class TenantReadOnlyViewSet(TenantScopedMixin, viewsets.ReadOnlyModelViewSet):
    """List and read the caller's rows."""
