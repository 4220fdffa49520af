from rest_framework import serializers

from clients.models import Client
from companies.models import Company
from core.api.fields import StrictCharField, TenantPrimaryKeyRelatedField, UTCDateTimeField
from core.validators import validate_caller_id, validate_metadata


class ClientSerializer(serializers.ModelSerializer):
    id = StrictCharField(required=False, validators=[validate_caller_id])
    company = TenantPrimaryKeyRelatedField(queryset=Company.objects.all(), required=False)
    metadata = serializers.JSONField(required=False, validators=[validate_metadata])
    created_at = UTCDateTimeField(read_only=True)
    updated_at = UTCDateTimeField(read_only=True)

    class Meta:
        model = Client
        fields = ["id", "company", "name", "email", "phone", "external_id", "metadata", "created_at", "updated_at"]
        # The unique external id per company is checked by the database in client_create and
        # client_update, which turn a violation into 409; a pre-check here could race.
        validators = []


class ClientUpdateSerializer(ClientSerializer):
    """A client's id and company are fixed once it exists."""

    id = serializers.CharField(read_only=True)
    company = serializers.PrimaryKeyRelatedField(read_only=True)
