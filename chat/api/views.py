import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from chat.api.serializers import (
    ChatMessageSerializer,
    ChatSessionDetailSerializer,
    ChatSessionSerializer,
    ChatSessionUpdateSerializer,
)
from chat.filters import DEFAULT_SESSION_ORDERING, ChatSessionFilterSet
from chat.models import ChatMessage, ChatSession
from chat.selectors import session_with_message_count
from chat.services import message_append, message_append_idempotent, session_create, session_delete, session_update
from core.api.viewsets import TenantModelViewSet, TenantScopedMixin
from core.ids import CALLER_ID_PATTERN

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_RE = re.compile(r"\A[!-~]{1,255}\Z")

SESSION_ID_PARAMETER = OpenApiParameter(
    "session_id", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=rf"^{CALLER_ID_PATTERN}$"
)
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_KEY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "1-255 visible ASCII characters. A retry with the same key and body returns the first message "
        "(header Idempotent-Replayed: true) and creates nothing; the same key with another body gets 409."
    ),
)


class ChatSessionViewSet(TenantModelViewSet):
    """Chat sessions of the caller's company, latest activity first."""

    queryset = ChatSession.objects.all()
    filterset_class = ChatSessionFilterSet
    lookup_value_regex = CALLER_ID_PATTERN
    conflict_methods = ("POST",)
    company_required_message = gettext_lazy("Platform operators must name the company of a new session.")

    def get_queryset(self):
        queryset = super().get_queryset().order_by(*DEFAULT_SESSION_ORDERING)
        if self.action == "retrieve":
            return session_with_message_count(queryset)
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ChatSessionDetailSerializer
        if self.action == "partial_update":
            return ChatSessionUpdateSerializer
        return ChatSessionSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        company = self.pop_company(fields)
        serializer.instance = session_create(company=company, **fields)

    def perform_update(self, serializer):
        serializer.instance = session_update(session=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        session_delete(session=instance)


@extend_schema_view(
    list=extend_schema(parameters=[SESSION_ID_PARAMETER]),
    create=extend_schema(
        parameters=[SESSION_ID_PARAMETER, IDEMPOTENCY_KEY_PARAMETER],
        responses={201: OpenApiResponse(ChatMessageSerializer)},
    ),
)
class ChatMessageViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The messages of one session, oldest first."""

    queryset = ChatMessage.objects.all()
    serializer_class = ChatMessageSerializer
    conflict_methods = ("POST",)

    def get_queryset(self):
        queryset = super().get_queryset().chronological()
        return queryset.filter(session_id=self.kwargs.get("session_id"))

    def get_session(self):
        if not hasattr(self, "_session"):
            sessions = ChatSession.objects.visible_to(self.request.user)
            self._session = get_object_or_404(sessions, pk=self.kwargs["session_id"])
        return self._session

    def list(self, request, *args, **kwargs):
        self.get_session()
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        session = self.get_session()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = _idempotency_key(request)

        if key is None:
            message, created = message_append(session=session, **serializer.validated_data), True
        else:
            message, created = message_append_idempotent(session=session, key=key, **serializer.validated_data)

        headers = {} if created else {"Idempotent-Replayed": "true"}
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED, headers=headers)


def _idempotency_key(request):
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if key is None:
        return None
    if not IDEMPOTENCY_KEY_RE.match(key):
        raise ValidationError({IDEMPOTENCY_KEY_HEADER: [_("Enter 1 to 255 visible ASCII characters, without spaces.")]})
    return key
