from companies.api.serializers import CompanySerializer
from companies.models import Company
from core.api.viewsets import TenantReadOnlyViewSet


class CompanyViewSet(TenantReadOnlyViewSet):
    """The caller's company, or every company for platform operators, by name."""

    queryset = Company.objects.order_by("name", "id")
    serializer_class = CompanySerializer
    lookup_value_regex = "[0-9]+"
