from django.utils.translation import gettext_lazy as _

from clients.api.serializers import ClientSerializer, ClientUpdateSerializer
from clients.filters import ClientFilterSet
from clients.models import Client
from clients.services import client_create, client_delete, client_update
from core.api.viewsets import TenantModelViewSet
from core.ids import CALLER_ID_PATTERN


class ClientViewSet(TenantModelViewSet):
    """Clients (customers) of the caller's company, newest first."""

    queryset = Client.objects.order_by("-created_at", "id")
    filterset_class = ClientFilterSet
    lookup_value_regex = CALLER_ID_PATTERN
    conflict_methods = ("POST", "PATCH")
    company_required_message = _("Platform operators must name the company of a new client.")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ClientUpdateSerializer
        return ClientSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        company = self.pop_company(fields)
        serializer.instance = client_create(company=company, **fields)

    def perform_update(self, serializer):
        serializer.instance = client_update(client=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        client_delete(client=instance)
