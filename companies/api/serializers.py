from rest_framework import serializers

from companies.models import Company
from core.api.fields import UTCDateTimeField


class CompanySerializer(serializers.ModelSerializer):
    created_at = UTCDateTimeField(read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "slug", "is_active", "default_language", "created_at"]
        read_only_fields = fields
