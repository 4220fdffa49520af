"""Query-parameter filters of the client list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from clients.models import Client


class ClientFilterSet(django_filters.FilterSet):
    external_id = django_filters.CharFilter(help_text=_("The company's own id of the client, exact."))
    email = django_filters.CharFilter(lookup_expr="iexact", help_text=_("Email address, case-insensitive."))

    class Meta:
        model = Client
        fields = []
