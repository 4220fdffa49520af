from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from chat.models import ChatMessage, ChatSession
from clients.models import Client
from companies.models import Company
from core.api.fields import StrictCharField, TenantPrimaryKeyRelatedField, UTCDateTimeField
from core.validators import validate_caller_id, validate_content, validate_language_tag, validate_metadata


class ChatSessionSerializer(serializers.ModelSerializer):
    id = StrictCharField(required=False, validators=[validate_caller_id])
    company = TenantPrimaryKeyRelatedField(queryset=Company.objects.all(), required=False)
    user = TenantPrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    client = TenantPrimaryKeyRelatedField(queryset=Client.objects.all(), required=False, allow_null=True)
    language = StrictCharField(required=False, validators=[validate_language_tag])
    metadata = serializers.JSONField(required=False, validators=[validate_metadata])
    created_at = UTCDateTimeField(read_only=True)
    last_message_at = UTCDateTimeField(read_only=True)

    class Meta:
        model = ChatSession
        fields = ["id", "company", "user", "client", "language", "created_at", "last_message_at", "metadata"]


class ChatSessionDetailSerializer(ChatSessionSerializer):
    message_count = serializers.IntegerField(read_only=True)

    class Meta(ChatSessionSerializer.Meta):
        fields = [*ChatSessionSerializer.Meta.fields, "message_count"]


class ChatSessionUpdateSerializer(ChatSessionSerializer):
    """A session's id and company are fixed once it exists."""

    id = serializers.CharField(read_only=True)
    company = serializers.PrimaryKeyRelatedField(read_only=True)


class ChatMessageSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=ChatMessage.Role.choices)
    content = StrictCharField(allow_blank=True, validators=[validate_content])
    metadata = serializers.JSONField(required=False, validators=[validate_metadata])
    created_at = UTCDateTimeField(
        required=False, help_text=_("ISO 8601; naive values are UTC. Defaults to the time of the request.")
    )

    class Meta:
        model = ChatMessage
        fields = ["id", "session", "role", "content", "metadata", "created_at"]
        read_only_fields = ["id", "session"]
