"""Store SessionRecords through the chat and client services.

Sessions are keyed by id: a record whose session exists in the company gets
only the messages past the stored count appended (messages are keyed by
their position), and an existing session is never changed otherwise. Users
and clients named by native records are matched by username and client id
and created when missing; users are created without a usable password.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chat.importers.records import RecordError
from chat.models import ChatSession
from chat.services import message_append_many, session_create
from clients.models import Client
from clients.services import client_create
from core.exceptions import ConflictError

logger = logging.getLogger(__name__)

ONE_MICROSECOND = datetime.timedelta(microseconds=1)


class SessionWriter:
    def __init__(self, *, company, language):
        self.company = company
        self.language = language
        self.users = {}
        self.clients = {}

    def load_existing(self, ids):
        """Return {id: ChatSession with message_count} for the ids already stored, in any company."""
        # Other companies' sessions are loaded too, only to reject their ids.
        sessions = ChatSession.objects.filter(pk__in=ids).annotate(message_count=Count("messages")).order_by()
        return {session.pk: session for session in sessions}

    def forget_cached_rows(self):
        """Drop the cached users and clients: at the end of a batch, or after a rollback may have removed some."""
        self.users.clear()
        self.clients.clear()

    def write(self, record, existing):
        """Store `record`; return (session, created, messages_added). Raise RecordError when invalid."""
        check_storable(record)
        try:
            if existing is not None:
                return existing, False, self._append_new_messages(record, existing)
            session = self._create(record)
        except ValidationError as error:
            raise RecordError(format_validation_error(error)) from None
        except ConflictError as error:
            raise RecordError(error.message) from None
        return session, True, session.message_count

    def _create(self, record):
        user = self._user(record.username)
        client = self._client(record.client)
        created_at = record.created_at or timezone.now()
        session = session_create(
            company=self.company,
            id=record.id,
            user=user,
            client=client,
            language=record.language or self.language,
            metadata=record.metadata,
            created_at=created_at,
            last_message_at=record.last_message_at or created_at,
        )
        message_append_many(session=session, messages=message_dicts(record.messages, after=None))
        session.message_count = len(record.messages)
        return session

    def _append_new_messages(self, record, session):
        if session.company_id != self.company.pk:
            raise RecordError(_("session id %(id)s already exists in another company.") % {"id": record.id})

        new_messages = record.messages[session.message_count :]
        message_append_many(session=session, messages=message_dicts(new_messages, after=session.last_message_at))
        session.message_count += len(new_messages)
        return len(new_messages)

    def _user(self, username):
        if username is None:
            return None
        if username not in self.users:
            self.users[username] = self._find_or_create_user(username)
        return self.users[username]

    def _find_or_create_user(self, username):
        user = User.objects.filter(username=username).first()
        if user is None:
            return self._create_user(username)
        if user.company_id != self.company.pk:
            raise RecordError(_("user %(username)s belongs to another company.") % {"username": username})
        return user

    def _create_user(self, username):
        try:
            User._meta.get_field("username").clean(username, None)
        except ValidationError as error:
            raise RecordError(_("user: %(errors)s") % {"errors": " ".join(error.messages)}) from None

        # No usable password and no staff access: an operator grants those in the admin.
        user = User.objects.create_user(username=username, company=self.company)
        logger.info("Created user %s for company %s during import", user.pk, self.company.pk)
        return user

    def _client(self, record):
        if record is None:
            return None
        if record.id not in self.clients:
            self.clients[record.id] = self._find_or_create_client(record)
        return self.clients[record.id]

    def _find_or_create_client(self, record):
        client = Client.objects.filter(pk=record.id).first()
        if client is not None:
            if client.company_id != self.company.pk:
                raise RecordError(_("client id %(id)s already exists in another company.") % {"id": record.id})
            return client

        client = client_create(
            company=self.company,
            id=record.id,
            name=record.name,
            email=record.email,
            phone=record.phone,
            external_id=record.external_id,
            metadata=record.metadata,
            created_at=record.created_at,
        )
        # updated_at is auto_now, so save() sets it to now; QuerySet.update()
        # restores the exported value so a re-export is unchanged.
        Client.objects.filter(pk=client.pk).update(updated_at=record.updated_at)
        client.updated_at = record.updated_at
        return client


def message_dicts(messages, *, after):
    """Return message_append_many() input; messages without a time get now (or just after `after`)."""
    base = timezone.now()
    if after is not None and after >= base:
        base = after + ONE_MICROSECOND
    return [
        {
            "role": message.role,
            "content": message.content,
            "metadata": message.metadata,
            # One microsecond apart, so the stored order is the file's order.
            "created_at": message.created_at or base + position * ONE_MICROSECOND,
        }
        for position, message in enumerate(messages)
    ]


def check_storable(record):
    """Raise RecordError for NUL characters, which PostgreSQL cannot store in text or jsonb."""
    values = [("metadata", record.metadata), ("user", record.username)]
    if record.client is not None:
        values.append(("client", vars(record.client)))
    for position, message in enumerate(record.messages):
        values.append((f"messages.{position}", (message.content, message.metadata)))

    for name, value in values:
        if _contains_nul(value):
            raise RecordError(
                _("%(field)s contains a NUL character (\\u0000), which cannot be stored.") % {"field": name}
            )


def _contains_nul(value):
    # A loop with a stack, not recursion: JSON from a file can nest deeper
    # than Python's recursion limit leaves room for here.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def format_validation_error(error):
    """Return 'field: message' pairs of a ValidationError on one line."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
