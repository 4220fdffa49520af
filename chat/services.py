"""Writes to chat sessions and messages. Every write path (API, admin, commands) calls these."""

import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from chat.models import ChatMessage, ChatSession, IdempotencyKey
from core.exceptions import ConflictError
from core.validators import validate_caller_id, validate_content, validate_language_tag, validate_metadata

logger = logging.getLogger(__name__)


def validate_session_relations(*, company, user=None, client=None):
    """Raise ValidationError unless `user` and `client` belong to `company`."""
    errors = {}
    if user is not None and user.company_id != company.pk:
        errors["user"] = [_("This user belongs to another company.")]
    if client is not None and client.company_id != company.pk:
        errors["client"] = [_("This client belongs to another company.")]
    if errors:
        raise ValidationError(errors)


def _validate_fields(**validators_by_field):
    errors = {}
    for field, (validator, value) in validators_by_field.items():
        try:
            validator(value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)


def session_create(
    *,
    company,
    id=None,
    user=None,
    client=None,
    language=None,
    metadata=None,
    created_at=None,
    last_message_at=None,
):
    """Create a session of `company`; raise ConflictError when `id` is taken.

    `language` defaults to the company's default language, `created_at` and
    `last_message_at` to now.
    """
    language = language or company.default_language
    metadata = {} if metadata is None else metadata
    checks = {"language": (validate_language_tag, language), "metadata": (validate_metadata, metadata)}
    if id is not None:
        checks["id"] = (validate_caller_id, id)
    _validate_fields(**checks)
    validate_session_relations(company=company, user=user, client=client)

    now = timezone.now()
    session = ChatSession(
        company=company,
        user=user,
        client=client,
        language=language,
        metadata=metadata,
        created_at=created_at or now,
        last_message_at=last_message_at or created_at or now,
    )
    if id is not None:
        session.id = id

    try:
        with transaction.atomic():
            session.save(force_insert=True)
    except IntegrityError as error:
        if ChatSession.objects.filter(pk=session.id).exists():
            raise ConflictError(
                _("A session with id %(id)s already exists.") % {"id": session.id}, field="id"
            ) from error
        raise

    logger.debug("Created session %s for company %s", session.id, company.pk)
    return session


def session_update(*, session, **changes):
    """Change `language`, `metadata`, `user` or `client` of a session."""
    allowed = {"language", "metadata", "user", "client"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {sorted(unknown)}")

    checks = {}
    if "language" in changes:
        checks["language"] = (validate_language_tag, changes["language"])
    if "metadata" in changes:
        checks["metadata"] = (validate_metadata, changes["metadata"])
    _validate_fields(**checks)
    validate_session_relations(
        company=session.company,
        user=changes.get("user", session.user),
        client=changes.get("client", session.client),
    )

    for field, value in changes.items():
        setattr(session, field, value)
    session.save(update_fields=list(changes) or None)
    logger.info("Updated session %s fields %s", session.id, ",".join(sorted(changes)))
    return session


def session_delete(*, session):
    """Delete a session and its messages."""
    session_id = session.pk
    session.delete()
    logger.info("Deleted session %s", session_id)


def session_delete_many(*, queryset):
    """Delete the sessions of `queryset` and their messages in one transaction; return how many sessions."""
    with transaction.atomic():
        session_ids = list(queryset.values_list("pk", flat=True))
        _deleted, per_model = ChatSession.objects.filter(pk__in=session_ids).delete()

    deleted = per_model.get(ChatSession._meta.label, 0)
    logger.info("Deleted %d sessions: %s", deleted, ",".join(session_ids))
    return deleted


def message_append(*, session, role, content, metadata=None, created_at=None):
    """Append a message and move the session's `last_message_at` forward.

    Runs in one transaction. `last_message_at` becomes the later of its stored
    value and the message's `created_at` through a single UPDATE ... GREATEST,
    so concurrent appends never lose the latest time and it never moves back.
    """
    metadata = {} if metadata is None else metadata
    _validate_fields(
        role=(_validate_role, role),
        content=(validate_content, content),
        metadata=(validate_metadata, metadata),
    )
    created_at = created_at or timezone.now()

    with transaction.atomic():
        message = ChatMessage.objects.create(
            session=session, role=role, content=content, metadata=metadata, created_at=created_at
        )
        ChatSession.objects.filter(pk=session.pk).update(
            last_message_at=Greatest("last_message_at", Value(created_at, output_field=DateTimeField()))
        )

    session.last_message_at = max(session.last_message_at, created_at)
    logger.debug("Appended message %s to session %s", message.pk, session.pk)
    return message


def message_append_idempotent(*, session, key, role, content, metadata=None, created_at=None):
    """Append a message once per `Idempotency-Key`; return (message, created).

    The first request with `key` on `session` creates the message and stores
    the key with a hash of the request; a retry with the same request returns
    that message with created=False, and a different request with the same
    key raises ConflictError. The key row and the message are written in one
    transaction. Of two concurrent requests with the same key, the unique
    constraint on (session, key) makes one insert and the other wait for it
    and then read its row.
    """
    request_hash = _request_hash(role=role, content=content, metadata=metadata, created_at=created_at)

    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(session=session, key=key, request_hash=request_hash)
        except IntegrityError:
            return _replay(session=session, key=key, request_hash=request_hash), False

        message = message_append(session=session, role=role, content=content, metadata=metadata, created_at=created_at)
        record.message = message
        record.save(update_fields=["message"])
    return message, True


def _replay(*, session, key, request_hash):
    record = IdempotencyKey.objects.select_related("message").get(session=session, key=key)
    if record.request_hash != request_hash:
        raise ConflictError(
            _("The Idempotency-Key %(key)s was already used with a different request body.") % {"key": key}
        )
    logger.info("Replayed message %s of session %s for a repeated idempotency key", record.message_id, session.pk)
    return record.message


def _request_hash(*, role, content, metadata, created_at):
    request = {
        "role": role,
        "content": content,
        "metadata": {} if metadata is None else metadata,
        "created_at": created_at.isoformat() if created_at else None,
    }
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _validate_role(role):
    if role not in ChatMessage.Role.values:
        raise ValidationError(
            _("%(role)s is not a valid role; use one of: %(choices)s.")
            % {"role": role, "choices": ", ".join(ChatMessage.Role.values)},
            code="invalid_role",
        )


def message_append_many(*, session, messages):
    """Append several messages with one INSERT and move `last_message_at` forward once.

    `messages` is a sequence of dicts with `role`, `content` and optional
    `metadata` and `created_at` (default: now). Every message is validated
    first, so a ValidationError (keyed `messages.<position>.<field>`) leaves
    nothing written. Messages keep the order given, which is their order
    among equal `created_at` values. The session update is the same
    UPDATE ... GREATEST as in message_append(), so the invariants match.
    """
    _validate_messages(messages)
    now = timezone.now()
    rows = [
        ChatMessage(
            session=session,
            role=message["role"],
            content=message["content"],
            metadata={} if message.get("metadata") is None else message["metadata"],
            created_at=message.get("created_at") or now,
        )
        for message in messages
    ]
    if not rows:
        return []

    latest = max(row.created_at for row in rows)
    with transaction.atomic():
        ChatMessage.objects.bulk_create(rows)
        ChatSession.objects.filter(pk=session.pk).update(
            last_message_at=Greatest("last_message_at", Value(latest, output_field=DateTimeField()))
        )

    session.last_message_at = max(session.last_message_at, latest)
    logger.debug("Appended %d messages to session %s", len(rows), session.pk)
    return rows


def _validate_messages(messages):
    errors = {}
    for position, message in enumerate(messages):
        metadata = message.get("metadata")
        checks = {
            "role": (_validate_role, message.get("role")),
            "content": (validate_content, message.get("content")),
            "metadata": (validate_metadata, {} if metadata is None else metadata),
        }
        try:
            _validate_fields(**checks)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                errors[f"messages.{position}.{field}"] = field_errors
    if errors:
        raise ValidationError(errors)
