"""Benchmark the admin pages on a large PostgreSQL database.

Usage (PostgreSQL only; the database is filled once and reused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chat_store_admin \
        .venv/bin/python bench/admin_pages.py [--sessions 1000000] [--runs 5]

Creates, when missing, 20 companies, 2,000 users, 200,000 clients, the given
number of sessions with 3 messages each, and one session with 20,000
messages. Then times each admin page through Django's test client, as the
median of --runs after one warm-up run. Each time is reported as a ratio to
a floor measured in the same process: the session list's own page query
(50 rows with company, user and client) run through raw psycopg. Results are printed and written
to bench/results/admin_pages.json with the EXPLAIN ANALYZE plans of the hot
queries in bench/results/admin_plans.txt.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import user_add_default_group  # noqa: E402
from chat.admin.export import iter_native_lines  # noqa: E402
from chat.models import ChatSession  # noqa: E402
from companies.models import Company  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
COMPANIES = 20
USERS = 2_000
CLIENTS = 200_000
LONG_SESSION_MESSAGES = 20_000
SENTENCES = [
    "Necesito la factura de marzo",
    "Mi pedido no ha llegado todavía",
    "¿Podéis cambiar la dirección de entrega?",
    "Quiero darme de baja del servicio",
    "I cannot log in to my account",
    "Preciso da segunda via do boleto",
    "Gracias, ya está resuelto",
    "El cargo de la tarjeta aparece dos veces",
]

FLOOR_SQL = """
SELECT s.*, c.*, u.*, cl.*
FROM chat_sessions s
JOIN companies c ON c.id = s.company_id
LEFT JOIN users u ON u.id = s.user_id
LEFT JOIN clients cl ON cl.id = s.client_id
ORDER BY s.last_message_at DESC, s.id DESC
LIMIT 50
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000, help="number of generated sessions")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page, after one warm-up run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a PostgreSQL database.")

    call_command("migrate", verbosity=0)
    generate(args.sessions)
    operator, staff = bench_users()

    floor = median_seconds(run_floor, args.runs)
    results = measure_pages(operator, staff, args.runs)
    report(results, floor, args.sessions)
    write_plans()


def generate(sessions):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM chat_sessions WHERE id LIKE 'bs-%%'")
        if cursor.fetchone()[0] >= sessions:
            return
        started = time.perf_counter()
        print(f"Generating {sessions:,} sessions; this takes minutes.", flush=True)
        cursor.execute("DELETE FROM chat_messages WHERE session_id LIKE 'b%%'")
        cursor.execute("DELETE FROM chat_sessions WHERE id LIKE 'b%%'")
        cursor.execute("DELETE FROM clients WHERE id LIKE 'bc-%%'")
        bench_users = "SELECT id FROM users WHERE username LIKE 'bench-%%'"
        for table in ("users_groups", "users_user_permissions", "django_admin_log"):
            cursor.execute(f"DELETE FROM {table} WHERE user_id IN ({bench_users})")
        cursor.execute("DELETE FROM users WHERE username LIKE 'bench-%%'")
        cursor.execute("DELETE FROM companies WHERE slug LIKE 'bench-%%'")
        cursor.execute(
            """
            INSERT INTO companies (name, slug, is_active, default_language, created_at)
            SELECT 'Bench company ' || i, 'bench-' || i, true, CASE WHEN i %% 3 = 0 THEN 'en' ELSE 'es' END, now()
            FROM generate_series(1, %s) i
            """,
            [COMPANIES],
        )
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM companies WHERE slug LIKE 'bench-%%'")
        company_ids = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO users (password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined, company_id)
            SELECT '!', false, 'bench-user-' || k, '', '', 'bench-user-' || k || '@example.com', false, true, now(),
                   (%s::bigint[])[1 + k %% %s]
            FROM generate_series(0, %s - 1) k
            """,
            [company_ids, COMPANIES, USERS],
        )
        cursor.execute("SELECT array_agg(id ORDER BY username) FROM users WHERE username LIKE 'bench-user-%%'")
        cursor.execute(
            """
            INSERT INTO clients (id, company_id, name, email, phone, external_id, metadata, created_at, updated_at)
            SELECT 'bc-' || k, (%s::bigint[])[1 + k %% %s], 'Client ' || k, 'client' || k || '@example.com', '',
                   'EXT-' || k, '{}', now(), now()
            FROM generate_series(0, %s - 1) k
            """,
            [company_ids, COMPANIES, CLIENTS],
        )
        cursor.execute(
            """
            INSERT INTO chat_sessions (id, company_id, user_id, client_id, language, created_at, last_message_at,
                                       metadata)
            SELECT 'bs-' || lpad(i::text, 8, '0'),
                   (%(companies)s::bigint[])[1 + i %% %(company_count)s],
                   CASE WHEN i %% 2 = 0 THEN
                       (SELECT id FROM users WHERE username = 'bench-user-' || ((i / %(company_count)s) %% 100
                        * %(company_count)s + i %% %(company_count)s)) END,
                   CASE WHEN i %% 3 <> 0 THEN
                       'bc-' || ((i / %(company_count)s) %% 10000 * %(company_count)s + i %% %(company_count)s) END,
                   CASE i %% 10 WHEN 0 THEN 'en' WHEN 1 THEN 'pt-BR' ELSE 'es' END,
                   now() - (i %% 90) * interval '1 day' - (i %% 86400) * interval '1 second',
                   now() - (i %% 90) * interval '1 day' - (i %% 86400) * interval '1 second' + interval '2 minutes',
                   jsonb_build_object('channel', CASE WHEN i %% 2 = 0 THEN 'web' ELSE 'whatsapp' END)
            FROM generate_series(1, %(sessions)s) i
            """,
            {"companies": company_ids, "company_count": COMPANIES, "sessions": sessions},
        )
        print(f"  sessions done after {time.perf_counter() - started:.0f} s", flush=True)
        cursor.execute(
            """
            INSERT INTO chat_messages (session_id, role, content, metadata, created_at)
            SELECT s.id, CASE m WHEN 1 THEN 'assistant' ELSE 'user' END,
                   (%s::text[])[1 + (abs(hashtext(s.id)) + m) %% 8], '{}', s.created_at + m * interval '1 minute'
            FROM chat_sessions s CROSS JOIN generate_series(0, 2) m
            WHERE s.id LIKE 'bs-%%'
            """,
            [SENTENCES],
        )
        print(f"  messages done after {time.perf_counter() - started:.0f} s", flush=True)
        cursor.execute(
            """
            INSERT INTO chat_sessions (id, company_id, language, created_at, last_message_at, metadata)
            VALUES ('bl-long', %s, 'es', now() - interval '1 day', now(), '{}')
            """,
            [company_ids[0]],
        )
        cursor.execute(
            """
            INSERT INTO chat_messages (session_id, role, content, metadata, created_at)
            SELECT 'bl-long', CASE WHEN m %% 2 = 0 THEN 'user' ELSE 'assistant' END,
                   (%s::text[])[1 + m %% 8], '{}', now() - interval '1 day' + m * interval '1 second'
            FROM generate_series(0, %s - 1) m
            """,
            [SENTENCES, LONG_SESSION_MESSAGES],
        )
        cursor.execute("ANALYZE")
        print(f"Generated in {time.perf_counter() - started:.0f} s", flush=True)


def bench_users():
    company = Company.objects.get(slug="bench-1")
    operator, _ = User.objects.get_or_create(
        username="bench-operator", defaults={"is_staff": True, "is_superuser": True}
    )
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True, "company": company})
    user_add_default_group(user=staff)
    return operator, staff


def run_floor():
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        cursor.fetchall()


def median_seconds(function, runs):
    function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure_pages(operator, staff, runs):
    company = Company.objects.get(slug="bench-1")
    operator_client = HttpClient()
    operator_client.force_login(operator)
    staff_client = HttpClient()
    staff_client.force_login(staff)
    cases = [
        ("list, operator, unfiltered", operator_client, "/admin/chat/chatsession/"),
        ("list, operator, page 200", operator_client, "/admin/chat/chatsession/?p=200"),
        ("list, operator, one company", operator_client, f"/admin/chat/chatsession/?company__id__exact={company.pk}"),
        ("list, company staff", staff_client, "/admin/chat/chatsession/"),
        ("list, last activity 7 days", operator_client, "/admin/chat/chatsession/?last_activity=7d"),
        ("list, language pt", operator_client, "/admin/chat/chatsession/?language=pt"),
        ("list, without client", operator_client, "/admin/chat/chatsession/?has_client=no"),
        ("list, oldest activity first", operator_client, "/admin/chat/chatsession/?o=7"),
        ("search, session id", operator_client, "/admin/chat/chatsession/?q=bs-00500000"),
        ("search, client email", operator_client, "/admin/chat/chatsession/?q=client4242@example.com"),
        ("search, client name", operator_client, "/admin/chat/chatsession/?q=Client%204242"),
        ("search, company staff", staff_client, "/admin/chat/chatsession/?q=client4240@"),
        ("transcript text, common word", operator_client, "/admin/chat/chatsession/?text=facturas"),
        ("transcript text, staff", staff_client, "/admin/chat/chatsession/?text=pedido"),
        ("transcript text, word in no message", operator_client, "/admin/chat/chatsession/?text=zapatos"),
        ("transcript text, phrase", operator_client, '/admin/chat/chatsession/?text="segunda via"'),
        ("session page, 20,000 messages", operator_client, "/admin/chat/chatsession/bl-long/change/"),
        ("session page, last of 400 pages", operator_client, "/admin/chat/chatsession/bl-long/change/?page=400"),
        ("session page, 3 messages", operator_client, "/admin/chat/chatsession/bs-00000001/change/"),
        ("message list", operator_client, "/admin/chat/chatmessage/"),
        ("client list", operator_client, "/admin/clients/client/"),
        (
            "autocomplete, clients",
            operator_client,
            "/admin/autocomplete/?app_label=chat&model_name=chatsession&field_name=client&term=Client%2042",
        ),
        ("statistics, operator", operator_client, "/admin/chat/chatsession/statistics/"),
        ("statistics, company staff", staff_client, "/admin/chat/chatsession/statistics/"),
    ]

    results = []
    for name, client, url in cases:
        queries = count_queries(client, url)
        seconds = median_seconds(lambda client=client, url=url: get_ok(client, url), runs)
        results.append({"page": name, "url": url, "seconds": seconds, "queries": queries})
        print(f"  {name}: {seconds * 1000:.1f} ms, {queries} queries", flush=True)

    export_ids = [f"bs-{index:08d}" for index in range(1, 101)]
    results.append(measure_export(operator_client, export_ids, runs))
    return results


def get_ok(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} returned {response.status_code}")
    return response


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        get_ok(client, url)
    return len(queries)


def measure_export(client, session_ids, runs):
    def export():
        response = client.post("/admin/chat/chatsession/", {"action": "export_jsonl", "_selected_action": session_ids})
        return b"".join(response.streaming_content)

    # The test client ends the request before the streamed body is read, so
    # the queries are counted on the generator itself.
    with CaptureQueriesContext(connection) as queries:
        lines = len(list(iter_native_lines(ChatSession.objects.filter(pk__in=session_ids))))
    # Read now: the next request through the test client empties the query log.
    query_count = len(queries)
    seconds = median_seconds(export, runs)
    print(f"  export of {lines} sessions: {seconds * 1000:.1f} ms, {query_count} queries", flush=True)
    return {"page": f"export action, {lines} sessions", "url": "POST", "seconds": seconds, "queries": query_count}


def report(results, floor, sessions):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    print(f"\nFloor (raw psycopg list query): {floor * 1000:.2f} ms; {sessions:,} sessions")
    print(f"{'page':40} {'ms':>9} {'x floor':>9} {'queries':>8}")
    for row in results:
        row["ratio"] = row["seconds"] / floor
        print(f"{row['page']:40} {row['seconds'] * 1000:9.1f} {row['ratio']:9.1f} {row['queries']:8d}")
    payload = {"sessions": sessions, "floor_seconds": floor, "pages": results}
    (RESULTS_DIR / "admin_pages.json").write_text(json.dumps(payload, indent=2))


def write_plans():
    """Write EXPLAIN ANALYZE of the list's hot queries, for the record."""
    plans = {
        "unfiltered list page": "SELECT id FROM chat_sessions ORDER BY last_message_at DESC, id DESC LIMIT 50",
        "message counts of a page": (
            "SELECT session_id, count(id) FROM chat_messages WHERE session_id IN "
            "(SELECT id FROM chat_sessions ORDER BY last_message_at DESC, id DESC LIMIT 50) GROUP BY session_id"
        ),
        "transcript page 400": (
            "SELECT id, role, content FROM chat_messages WHERE session_id = 'bl-long' "
            "ORDER BY created_at, id LIMIT 50 OFFSET 19950"
        ),
        "messages per day, 30 days": (
            "SELECT (created_at AT TIME ZONE 'UTC')::date, count(id) FROM chat_messages "
            "WHERE created_at >= now() - interval '30 days' GROUP BY 1"
        ),
    }
    lines = []
    with connection.cursor() as cursor:
        for name, sql in plans.items():
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines.append(f"== {name}\n" + "\n".join(row[0] for row in cursor.fetchall()) + "\n")
    (RESULTS_DIR / "admin_plans.txt").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
