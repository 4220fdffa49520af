from accounts.api.serializers import UserSerializer
from accounts.models import User
from core.api.viewsets import TenantReadOnlyViewSet


class UserViewSet(TenantReadOnlyViewSet):
    """Users of the caller's company (of every company for platform operators), by username."""

    queryset = User.objects.order_by("username", "id")
    serializer_class = UserSerializer
    lookup_value_regex = "[0-9]+"
