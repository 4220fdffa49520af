"""Benchmark the session list endpoint against the same query through raw psycopg.

Generates a large chat_sessions table (and two messages a session) in a
PostgreSQL database of its own with generate_series. For each scenario it
then times the median of GET /api/v1/sessions/ through Django's test client
(token authentication, permissions, filters, keyset pagination and JSON
rendering included) and the median of the equivalent hand-written SQL through
psycopg, and prints their ratio. The SQL floor uses a row-value comparison
`(last_message_at, id) < (%s, %s)` for the keyset, which is what a careful
hand-written implementation would send.

Usage (from the project folder, with PostgreSQL running):

    .venv/bin/python bench/api_sessions.py --sessions 200000
    .venv/bin/python bench/api_sessions.py --explain     # EXPLAIN (ANALYZE, BUFFERS) of the API's queries

The database (default postgres://postgres@127.0.0.1:5432/chat_store_bench,
BENCH_DATABASE_URL to change) is created when missing and refilled when its
session count differs from --sessions.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chat_store_bench")
os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
import psycopg  # noqa: E402

COMPANIES = 100
USERS_PER_COMPANY = 10
CLIENTS_PER_COMPANY = 50
CONTENTS = [
    "Necesito la factura de marzo",
    "Where is my order?",
    "Quiero cambiar mi plan de datos",
    "El pago con tarjeta falló ayer",
    "Obrigado pela ajuda com a conta",
    "Can I get a refund for the last invoice?",
    "¿Cuándo llega mi pedido?",
    "Gracias, eso es todo",
]
SESSION_COLUMNS = "id, company_id, user_id, client_id, language, created_at, last_message_at, metadata"


def create_database():
    base, _slash, name = BENCH_DATABASE_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def generate(sessions):
    """Fill the tables: 100 companies, their users and clients, `sessions` sessions and two messages each."""
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from chat.models import ChatSession
    from clients.models import Client
    from companies.models import Company

    call_command("migrate", verbosity=0)
    if ChatSession.objects.count() == sessions:
        return
    print(f"Generating {sessions:,} sessions and {2 * sessions:,} messages...", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE chat_messages, chat_idempotency_keys, chat_sessions, clients, knox_authtoken, users, companies "
            "CASCADE"
        )

    companies = Company.objects.bulk_create(
        Company(name=f"Bench {index}", slug=f"bench-{index}") for index in range(COMPANIES)
    )
    users = User.objects.bulk_create(
        User(username=f"bench-{company.pk}-{index}", company=company)
        for company in companies
        for index in range(USERS_PER_COMPANY)
    )
    Client.objects.bulk_create(
        Client(id=f"bc-{position}-{index}", company=company, name=f"Client {index}")
        for position, company in enumerate(companies)
        for index in range(CLIENTS_PER_COMPANY)
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION pg_temp.bench_hash(g integer, salt text) RETURNS bigint "
            "LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashtext(salt || g)::bigint) $$"
        )
        # Company 0 (bench-0, the one measured) has half of the sessions and
        # the other 99 share the rest, as a few large tenants and many small
        # ones would. The other columns come from hashes of g, so that they do
        # not correlate with the company. Times fall on whole minutes and
        # seconds, so that many sessions share a timestamp, as after imports.
        cursor.execute(
            f"""
            INSERT INTO chat_sessions ({SESSION_COLUMNS})
            SELECT
                'bench-' || lpad(g::text, 8, '0'),
                (%(companies)s::bigint[])[1 + c],
                CASE WHEN pg_temp.bench_hash(g, 'user') %% 3 = 0 THEN NULL
                     ELSE (%(users)s::bigint[])[1 + c * {USERS_PER_COMPANY}
                                                 + pg_temp.bench_hash(g, 'user') %% {USERS_PER_COMPANY}]
                END,
                CASE WHEN pg_temp.bench_hash(g, 'client') %% 4 = 0 THEN NULL
                     ELSE 'bc-' || c || '-' || pg_temp.bench_hash(g, 'client') %% {CLIENTS_PER_COMPANY}
                END,
                (ARRAY['es', 'en', 'pt-BR', 'es-MX'])[1 + pg_temp.bench_hash(g, 'language') %% 4],
                date_trunc('minute', now() - (g * interval '17 seconds')),
                date_trunc(
                    'second',
                    now() - (g * interval '17 seconds') + pg_temp.bench_hash(g, 'last') %% 900 * interval '1 second'
                ),
                jsonb_build_object(
                    'channel', (ARRAY['web', 'app', 'whatsapp'])[1 + pg_temp.bench_hash(g, 'channel') %% 3],
                    'campaign', 'c' || pg_temp.bench_hash(g, 'campaign') %% 50
                )
            FROM generate_series(1, %(sessions)s) AS g,
                 LATERAL (SELECT CASE WHEN g %% 2 = 0 THEN 0 ELSE 1 + (g / 2) %% {COMPANIES - 1} END AS c) AS company
            """,
            {
                "companies": [company.pk for company in companies],
                "users": [user.pk for user in users],
                "sessions": sessions,
            },
        )
        cursor.execute(
            """
            INSERT INTO chat_messages (session_id, role, content, metadata, created_at)
            SELECT s.id, CASE WHEN turn = 1 THEN 'user' ELSE 'assistant' END,
                   (%(contents)s::text[])[1 + (abs(hashtext(s.id)::bigint) + turn) %% %(count)s],
                   '{}'::jsonb, s.created_at + turn * interval '1 second'
            FROM chat_sessions s CROSS JOIN generate_series(1, 2) AS turn
            """,
            {"contents": CONTENTS, "count": len(CONTENTS)},
        )
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def api_client():
    from django.contrib.auth.models import Permission
    from django.test import Client

    from accounts.models import User
    from accounts.services import api_token_create

    user = User.objects.filter(company__slug="bench-0").order_by("id").first()
    user.user_permissions.add(Permission.objects.get(codename="view_chatsession"))
    _token, plain = api_token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}"), user.company_id


def deep_cursor(company_id, ordering, offset):
    """Return the API cursor of the row at `offset` of the company's list, as the `next` link would carry it."""
    from django.core import signing

    from chat.filters import SESSION_ORDERINGS
    from chat.models import ChatSession
    from core.api.pagination import CURSOR_SALT

    terms = SESSION_ORDERINGS[ordering]
    row = ChatSession.objects.for_company(company_id).order_by(*terms)[offset]
    field = terms[0].lstrip("-")
    position = [getattr(row, field).isoformat(), row.id]
    payload = {"o": list(terms), "p": position, "r": False}
    return signing.dumps(payload, salt=CURSOR_SALT, compress=True), position


def scenarios(company_id, deep_offset):
    """Return (name, API query parameters, floor SQL, floor parameters) for each measured request."""
    cursor_last, (last_at, last_id) = deep_cursor(company_id, "-last_message_at", deep_offset)
    cursor_created, (created_at, created_id) = deep_cursor(company_id, "created_at", deep_offset)
    select = f"SELECT {SESSION_COLUMNS} FROM chat_sessions"
    return [
        (
            "first page",
            {},
            f"{select} WHERE company_id = %s ORDER BY last_message_at DESC, id DESC LIMIT 51",
            [company_id],
        ),
        (
            f"deep page (row {deep_offset:,})",
            {"cursor": cursor_last},
            f"{select} WHERE company_id = %s AND (last_message_at, id) < (%s, %s) "
            "ORDER BY last_message_at DESC, id DESC LIMIT 51",
            [company_id, last_at, last_id],
        ),
        (
            f"deep page by created_at (row {deep_offset:,})",
            {"ordering": "created_at", "cursor": cursor_created},
            f"{select} WHERE company_id = %s AND (created_at, id) > (%s, %s) ORDER BY created_at, id LIMIT 51",
            [company_id, created_at, created_id],
        ),
        (
            "filter language + has_client",
            {"language": "en", "has_client": "true"},
            f"{select} WHERE company_id = %s AND language = 'en' AND client_id IS NOT NULL "
            "ORDER BY last_message_at DESC, id DESC LIMIT 51",
            [company_id],
        ),
        (
            "filter metadata",
            {"metadata": '{"campaign": "c7"}'},
            f'{select} WHERE company_id = %s AND metadata @> \'{{"campaign": "c7"}}\' '
            "ORDER BY last_message_at DESC, id DESC LIMIT 51",
            [company_id],
        ),
        (
            "q full-text",
            {"q": "facturas"},
            f"{select} s WHERE company_id = %s AND EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id "
            "AND m.search_vector @@ websearch_to_tsquery(chat_search_config(s.language), 'facturas')) "
            "ORDER BY last_message_at DESC, id DESC LIMIT 51",
            [company_id],
        ),
    ]


def median_seconds(function, repeat):
    for _warmup in range(3):
        function()
    timings = []
    for _run in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run_benchmark(repeat, deep_offset):
    client, company_id = api_client()
    raw = psycopg.connect(BENCH_DATABASE_URL.replace("postgres://", "postgresql://"))
    print(f"{'scenario':<40} {'API ms':>9} {'SQL ms':>9} {'ratio':>7}")
    for name, params, sql, sql_params in scenarios(company_id, deep_offset):
        url = "/api/v1/sessions/?" + urlencode(params)

        def request(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            return response

        def query(sql=sql, sql_params=sql_params):
            return raw.execute(sql, sql_params).fetchall()

        api = median_seconds(request, repeat)
        floor = median_seconds(query, repeat)
        print(f"{name:<40} {api * 1000:>9.2f} {floor * 1000:>9.2f} {api / floor:>7.1f}", flush=True)
    raw.close()


def explain(deep_offset):
    """Print EXPLAIN (ANALYZE, BUFFERS) of the queries the API sends for each scenario."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, company_id = api_client()
    for name, params, _sql, _sql_params in scenarios(company_id, deep_offset):
        with CaptureQueriesContext(connection) as context:
            client.get("/api/v1/sessions/?" + urlencode(params))
        query = next(query["sql"] for query in context.captured_queries if '"chat_sessions"' in query["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"-- {name}\n{query}\n\n{plan}\n")

    from chat.filters import DEFAULT_SESSION_ORDERING
    from chat.models import ChatMessage, ChatSession
    from chat.selectors import filter_sessions_by_metadata, filter_sessions_by_text
    from companies.models import Company

    small_company = Company.objects.get(slug="bench-1")
    sessions = ChatSession.objects.for_company(small_company).order_by(*DEFAULT_SESSION_ORDERING)[:51]
    session_id = ChatSession.objects.for_company(company_id).values_list("id", flat=True).first()
    messages = ChatMessage.objects.for_company(company_id).filter(session_id=session_id).chronological()[:51]
    company_sessions = ChatSession.objects.for_company(company_id).order_by(*DEFAULT_SESSION_ORDERING)
    extras = [
        ("first page of a small company", sessions),
        ("messages of one session", messages),
        ("q with a word no message has", filter_sessions_by_text(company_sessions, "garantía")[:51]),
        ("metadata that few sessions have", filter_sessions_by_metadata(company_sessions, {"campaign": "none"})[:51]),
    ]
    for name, queryset in extras:
        sql = connection.ops.compose_sql(*queryset.query.sql_with_params())
        print(f"-- {name}\n{sql}\n\n{queryset.explain(analyze=True, buffers=True, costs=False)}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200_000, help="Sessions to generate (default 200,000).")
    parser.add_argument("--repeat", type=int, default=30, help="Timed runs per scenario (default 30).")
    parser.add_argument(
        "--deep-offset",
        type=int,
        default=None,
        help="Row of the deep page (default: the middle of the measured company's sessions).",
    )
    parser.add_argument("--explain", action="store_true", help="Print query plans instead of timings.")
    args = parser.parse_args()

    create_database()
    django.setup()
    generate(args.sessions)
    deep_offset = args.deep_offset if args.deep_offset is not None else args.sessions // 4
    if args.explain:
        explain(deep_offset)
    else:
        run_benchmark(args.repeat, deep_offset)


if __name__ == "__main__":
    main()
