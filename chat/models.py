from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import generate_id
from core.tenancy import TenantQuerySet
from core.validators import validate_caller_id, validate_content, validate_language_tag, validate_metadata


class ChatSessionQuerySet(TenantQuerySet):
    pass


class ChatSession(models.Model):
    """One conversation between a company's assistant and a user or client."""

    id = models.CharField(
        _("id"), max_length=255, primary_key=True, default=generate_id, validators=[validate_caller_id]
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="chat_sessions", verbose_name=_("company")
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_sessions",
        verbose_name=_("user"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_sessions",
        verbose_name=_("client"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default="es",
        validators=[validate_language_tag],
        help_text=_("BCP-47 tag such as es, es-MX or pt-BR."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last activity"), default=timezone.now)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True, validators=[validate_metadata])

    objects = ChatSessionQuerySet.as_manager()

    class Meta:
        db_table = "chat_sessions"
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("chat session")
        verbose_name_plural = _("chat sessions")
        indexes = [
            models.Index(fields=["-last_message_at"], name="chat_sessions_last_msg_idx"),
            # The API and admin list one company's sessions by latest activity,
            # or by creation, with the id as tie-breaker for keyset pagination.
            models.Index(fields=["company", "-last_message_at", "-id"], name="chat_sessions_co_last_msg_idx"),
            models.Index(fields=["company", "-created_at", "-id"], name="chat_sessions_co_created_idx"),
            # Export, refresh and company deletion walk one company's sessions
            # in keyset batches of (company, id).
            models.Index(fields=["company", "id"], name="chat_sessions_co_id_idx"),
        ]

    def __str__(self):
        return self.id

    def clean(self):
        super().clean()
        errors = {}
        if self.user_id and self.user.company_id != self.company_id:
            errors["user"] = _("This user belongs to another company.")
        if self.client_id and self.client.company_id != self.company_id:
            errors["client"] = _("This client belongs to another company.")
        if errors:
            raise ValidationError(errors)


class ChatMessageQuerySet(TenantQuerySet):
    company_field = "session__company"

    def chronological(self):
        return self.order_by("created_at", "id")


class ChatMessage(models.Model):
    class Role(models.TextChoices):
        USER = "user", _("user")
        ASSISTANT = "assistant", _("assistant")
        SYSTEM = "system", _("system")
        TOOL = "tool", _("tool")

    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(
        ChatSession, on_delete=models.CASCADE, related_name="messages", verbose_name=_("session")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    content = models.TextField(_("content"), blank=True, validators=[validate_content])
    metadata = models.JSONField(_("metadata"), default=dict, blank=True, validators=[validate_metadata])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # PostgreSQL only: filled by a trigger with to_tsvector() in the text search
    # configuration of the session's language. Always NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ChatMessageQuerySet.as_manager()

    class Meta:
        db_table = "chat_messages"
        ordering = ["created_at", "id"]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [
            models.Index(fields=["session", "created_at", "id"], name="chat_messages_session_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["user", "assistant", "system", "tool"]),
                name="chat_messages_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.session_id} #{self.id} ({self.role})"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` sent with a message append, and the message it created.

    The unique constraint on (session, key) lets one of two concurrent requests
    with the same key insert its row; the other reads that row back.
    """

    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(
        ChatSession, on_delete=models.CASCADE, related_name="idempotency_keys", verbose_name=_("session")
    )
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(
        _("request hash"), max_length=64, help_text=_("SHA-256 of the request body, in hex.")
    )
    message = models.ForeignKey(
        ChatMessage,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("message"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        db_table = "chat_idempotency_keys"
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["session", "key"], name="chat_idempotency_key_unique_per_session"),
        ]

    def __str__(self):
        return f"{self.session_id} {self.key}"
