"""URLs of the REST API, mounted at /api/v1/."""

from rest_framework.routers import DefaultRouter

from accounts.api.views import UserViewSet
from chat.api.views import ChatMessageViewSet, ChatSessionViewSet
from clients.api.views import ClientViewSet
from companies.api.views import CompanyViewSet
from core.ids import CALLER_ID_PATTERN

app_name = "api"


class APIRouter(DefaultRouter):
    # Ids may contain dots, so ".json" suffixes would be ambiguous.
    include_format_suffixes = False


router = APIRouter()
router.register("sessions", ChatSessionViewSet, basename="session")
router.register(rf"sessions/(?P<session_id>{CALLER_ID_PATTERN})/messages", ChatMessageViewSet, basename="message")
router.register("clients", ClientViewSet, basename="client")
router.register("users", UserViewSet, basename="user")
router.register("companies", CompanyViewSet, basename="company")

urlpatterns = router.urls
