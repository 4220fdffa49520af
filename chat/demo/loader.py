"""Demo data: three companies, their staff and clients, and realistic sessions.

Sessions get deterministic ids (`demo-<company slug>-<number>`), so loading
again creates only the sessions that are missing and never duplicates one.
Sessions and messages are written as plain rows in batches (COPY on
PostgreSQL, see core.bulk), bypassing the per-message service for speed. The
batch keeps the service's invariants: each session's user and client belong
to its company, and `last_message_at` is the time of its last message.
"""

import datetime
import logging
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_add_default_group
from chat.demo.conversations import FIRST_NAMES, LAST_NAMES, SCRIPTS
from chat.models import ChatMessage, ChatSession
from clients.models import Client
from companies.models import Company
from core.bulk import insert_rows

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "demo-password"
SUPERUSER_NAME = "admin"
CLIENTS_PER_COMPANY = 40
BATCH_SIZE = 2000
HISTORY_DAYS = 60
# Created by migration accounts 0003; demo agents use the API with it.
API_GROUP_NAME = "API integration"
SESSION_COLUMNS = ("id", "company_id", "user_id", "client_id", "language", "created_at", "last_message_at", "metadata")
MESSAGE_COLUMNS = ("session_id", "role", "content", "metadata", "created_at")


@dataclass(frozen=True)
class DemoCompany:
    slug: str
    name: str
    language: str
    # Share of sessions in each language; the rest use the company's language.
    other_languages: tuple[tuple[str, float], ...]


DEMO_COMPANIES = (
    DemoCompany("andino", "Banco Andino", "es", (("en", 0.1),)),
    DemoCompany("northwind", "Northwind Retail", "en", (("es", 0.2),)),
    DemoCompany("aurora", "Loja Aurora", "pt-BR", (("es", 0.15),)),
)


def demo_data_load(*, sessions, progress=None):
    """Create the demo companies, users and clients, and `sessions` sessions in all.

    Return a dict of counts of what was created. `progress` is an optional
    callable taking the number of sessions handled since the last call.
    """
    logger.info("Loading demo data: %d sessions requested", sessions)
    companies = [_company(demo) for demo in DEMO_COMPANIES]
    _superuser()
    staff = {company.pk: _staff_users(company) for company in companies}
    clients = {company.pk: _clients(company, demo) for company, demo in zip(companies, DEMO_COMPANIES, strict=True)}

    created_sessions = created_messages = 0
    for start in range(0, sessions, BATCH_SIZE):
        numbers = range(start, min(start + BATCH_SIZE, sessions))
        new_sessions, new_messages = _load_batch(numbers, companies, staff, clients)
        created_sessions += new_sessions
        created_messages += new_messages
        if progress:
            progress(len(numbers))

    logger.info("Loaded demo data: %d sessions and %d messages created", created_sessions, created_messages)
    return {"sessions": created_sessions, "messages": created_messages}


def _company(demo):
    company, _ = Company.objects.get_or_create(
        slug=demo.slug, defaults={"name": demo.name, "default_language": demo.language}
    )
    return company


def _superuser():
    user, created = User.objects.get_or_create(
        username=SUPERUSER_NAME,
        defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _staff_users(company):
    users = []
    for role in ("staff", "agent"):
        user, created = User.objects.get_or_create(
            username=f"{company.slug}-{role}",
            defaults={"email": f"{role}@{company.slug}.example.com", "company": company, "is_staff": role == "staff"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user_add_default_group(user=user)
            if role == "agent":
                user.groups.add(*Group.objects.filter(name=API_GROUP_NAME))
        users.append(user)
    return users


def _clients(company, demo):
    rng = random.Random(company.slug)
    new_clients = [
        Client(
            id=f"demo-{company.slug}-client-{number:03d}",
            company=company,
            name=f"{rng.choice(FIRST_NAMES[_script_language(demo.language)])} "
            f"{rng.choice(LAST_NAMES[_script_language(demo.language)])}",
            email=f"client{number:03d}@{company.slug}.example.com",
            phone=f"+34 600 {number:06d}",
            external_id=f"CRM-{number:05d}",
            metadata={"segment": rng.choice(["retail", "premium", "business"])},
        )
        for number in range(CLIENTS_PER_COMPANY)
    ]
    Client.objects.bulk_create(new_clients, ignore_conflicts=True)
    return list(Client.objects.for_company(company).filter(id__startswith=f"demo-{company.slug}-client-"))


def _load_batch(numbers, companies, staff, clients):
    ids = {_session_id(companies[number % len(companies)], number): number for number in numbers}
    existing = set(ChatSession.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
    now = timezone.now()

    sessions, messages = [], []
    for session_id, number in ids.items():
        if session_id in existing:
            continue
        company_index = number % len(companies)
        company = companies[company_index]
        session, session_messages = _build_session(
            session_id, number, company, DEMO_COMPANIES[company_index], staff[company.pk], clients[company.pk], now
        )
        sessions.append(session)
        messages.extend(session_messages)

    with transaction.atomic():
        insert_rows(ChatSession._meta.db_table, SESSION_COLUMNS, sessions)
        insert_rows(ChatMessage._meta.db_table, MESSAGE_COLUMNS, messages)
    return len(sessions), len(messages)


def _session_id(company, number):
    return f"demo-{company.slug}-{number:07d}"


def _build_session(session_id, number, company, demo, staff, clients, now):
    rng = random.Random(number)
    language = _pick_language(rng, demo)
    script = rng.choice(SCRIPTS[_script_language(language)])
    client = rng.choice(clients) if rng.random() < 0.7 else None
    user = rng.choice(staff) if client is None and rng.random() < 0.6 else None
    started = now - datetime.timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86400))
    addressee = "cliente"
    if client:
        addressee = client.name.split()[0]
    elif user:
        addressee = user.username
    fields = {
        "company": company.name,
        "name": addressee,
        "order": f"{rng.randint(100000, 999999)}",
        "amount": f"{rng.randint(5, 900)},{rng.randint(0, 99):02d}",
        "date": (started + datetime.timedelta(days=rng.randint(1, 10))).date().isoformat(),
    }

    messages, moment = [], started
    for role, text in script:
        moment += datetime.timedelta(seconds=rng.randint(5, 240))
        messages.append((session_id, role, text.format(**fields), {}, moment))

    metadata = {"channel": rng.choice(["web", "whatsapp", "app"]), "demo": True}
    session = (
        session_id,
        company.pk,
        user.pk if user else None,
        client.pk if client else None,
        language,
        started,
        moment,
        metadata,
    )
    return session, messages


def _pick_language(rng, demo):
    draw = rng.random()
    for language, share in demo.other_languages:
        if draw < share:
            return language
        draw -= share
    return demo.language


def _script_language(language):
    return language if language in SCRIPTS else language.split("-")[0]
