"""Benchmark of export_chat_sessions and purge_chat_sessions on generated data (PostgreSQL only).

For each size it generates that many sessions of one company (with a few
messages each, a third with a client, half with a user) through SQL
generate_series, then measures, each in its own child process:

- export: `export_chat_sessions --company bench --output FILE`;
- export floor: psycopg COPY of the same session and message rows, in the
  same order, to a file;
- purge: the purge service (what purge_chat_sessions runs) on the older half,
  timing every batch;
- purge floor: one raw DELETE of the newer half (the same number of rows).

It reports wall time, throughput, the peak resident memory of each child
(ru_maxrss from os.wait4) and the ratios to the floors. Memory "stays flat"
when the export's peak is about the same for every size.

Usage (the database is created when missing). Both sizes together took
about 7 minutes on 2 shared cores; see bench/README.md:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chat_store_cmd \\
        .venv/bin/python bench/maintenance.py --sizes 100000 1000000

Results are printed and written to bench/results/maintenance-<time>.json.
"""

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

REPO_DIR = Path(__file__).resolve().parent.parent
COMPANY_SLUG = "bench"
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
# Clients and users the generated sessions refer to.
CLIENTS = 1000
USERS = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="session counts")
    parser.add_argument("--messages", type=int, default=3, help="messages per session (default 3)")
    parser.add_argument("--batch-size", type=int, default=1000, help="purge batch size (default 1000)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-args", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        return run_child(options.child, json.loads(options.child_args))

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/chat_store_cmd")
    ensure_database(database_url)
    run_manage(["migrate", "--no-input", "-v", "0"])

    results = {"started": datetime.datetime.now(datetime.UTC).isoformat(), "machine": machine(), "runs": []}
    results["baseline_rss_kib"] = measure_child("idle", {})["rss_kib"]
    for size in options.sizes:
        results["runs"].append(bench_size(database_url, size, options.messages, options.batch_size))

    print_report(results)
    save(results)


def bench_size(database_url, size, messages, batch_size):
    print(f"== {size:,} sessions, {messages} messages each", flush=True)
    with psycopg.connect(database_url, autocommit=True) as connection:
        company_id = reset_company(connection)
        started = time.perf_counter()
        generate(connection, company_id, size, messages)
        generated = time.perf_counter() - started
        connection.execute("VACUUM ANALYZE chat_sessions")
        connection.execute("VACUUM ANALYZE chat_messages")
    print(f"   generated in {generated:.1f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        export = measure_child("export", {"output": f"{folder}/export.jsonl"})
        export_digest = file_digest(f"{folder}/export.jsonl")
        export["bytes"] = os.path.getsize(f"{folder}/export.jsonl")
        os.unlink(f"{folder}/export.jsonl")
        floor_arguments = {"url": database_url, "company_id": company_id}
        floor = measure_child("copy", {**floor_arguments, "output": f"{folder}/copy.tsv"})
        floor["bytes"] = os.path.getsize(f"{folder}/copy.tsv")
        os.unlink(f"{folder}/copy.tsv")
        json_floor = measure_child("psycopg_json", {**floor_arguments, "output": f"{folder}/floor.jsonl"})
        json_floor["same_bytes_as_export"] = file_digest(f"{folder}/floor.jsonl") == export_digest
    print(
        f"   export {export['seconds']:.1f} s, COPY floor {floor['seconds']:.1f} s,"
        f" psycopg+json floor {json_floor['seconds']:.1f} s (same bytes: {json_floor['same_bytes_as_export']})",
        flush=True,
    )

    cutoff = START + datetime.timedelta(seconds=size // 2 + 0.5, minutes=messages - 1)
    purge = measure_child("purge", {"before": cutoff.isoformat(), "batch_size": batch_size})
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE chat_sessions")
        connection.execute("VACUUM ANALYZE chat_messages")
    raw_delete = measure_child("delete", {"url": database_url, "company_id": company_id, "from": cutoff.isoformat()})
    print(f"   purge {purge['seconds']:.1f} s, DELETE floor {raw_delete['seconds']:.1f} s", flush=True)

    return {
        "sessions": size,
        "messages": size * messages,
        "generate_seconds": round(generated, 1),
        "export": export,
        "export_floor_copy": floor,
        "export_floor_psycopg_json": json_floor,
        "purge": purge,
        "purge_floor_delete": raw_delete,
    }


def ensure_database(database_url):
    name = psycopg.conninfo.conninfo_to_dict(database_url)["dbname"]
    maintenance_url = psycopg.conninfo.make_conninfo(database_url, dbname="postgres")
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def reset_company(connection):
    """Empty the chat tables and return the id of the bench company."""
    connection.execute("TRUNCATE chat_messages, chat_sessions RESTART IDENTITY")
    row = connection.execute("SELECT id FROM companies WHERE slug = %s", [COMPANY_SLUG]).fetchone()
    if row is None:
        row = connection.execute(
            "INSERT INTO companies (name, slug, is_active, default_language, created_at)"
            " VALUES ('Bench', %s, true, 'es', now()) RETURNING id",
            [COMPANY_SLUG],
        ).fetchone()
    company_id = row[0]
    connection.execute("DELETE FROM clients WHERE company_id = %s", [company_id])
    connection.execute("DELETE FROM users WHERE company_id = %s", [company_id])
    return company_id


def generate(connection, company_id, size, messages):
    # Replica mode skips triggers: the foreign-key checks (the rows are
    # consistent by construction) and the full-text trigger, which is not
    # measured here. It needs a superuser and shortens generation by about
    # a third.
    connection.execute("SET session_replication_role = replica")
    try:
        _insert_rows(connection, company_id, size, messages)
    finally:
        connection.execute("RESET session_replication_role")


def _insert_rows(connection, company_id, size, messages):
    parameters = {"company": company_id, "size": size, "messages": messages, "start": START}
    connection.execute(
        """
        INSERT INTO users (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                           date_joined, company_id)
        SELECT '!', false, 'bench-user-' || n, '', '', '', false, true, now(), %(company)s
        FROM generate_series(0, %(users)s - 1) AS n
        """,
        {**parameters, "users": USERS},
    )
    connection.execute(
        """
        INSERT INTO clients (id, company_id, name, email, phone, external_id, metadata, created_at, updated_at)
        SELECT 'bench-client-' || n, %(company)s, 'Cliente ' || n, 'cliente' || n || '@example.com',
               '+34 600 ' || lpad(n::text, 6, '0'), 'CRM-' || n, '{"tier": "gold"}', now(), now()
        FROM generate_series(0, %(clients)s - 1) AS n
        """,
        {**parameters, "clients": CLIENTS},
    )
    connection.execute(
        """
        INSERT INTO chat_sessions (id, company_id, user_id, client_id, language, created_at, last_message_at, metadata)
        SELECT 'bench-' || lpad(i::text, 8, '0'), %(company)s,
               CASE WHEN i %% 2 = 0 THEN (SELECT min(id) FROM users WHERE company_id = %(company)s) + i %% 10 END,
               CASE WHEN i %% 3 = 0 THEN 'bench-client-' || (i %% 1000) END,
               (ARRAY['es', 'en', 'pt-BR'])[1 + i %% 3],
               %(start)s + i * interval '1 second',
               %(start)s + i * interval '1 second' + (%(messages)s - 1) * interval '1 minute',
               jsonb_build_object('channel', 'web', 'n', i)
        FROM generate_series(1, %(size)s) AS i
        """,
        parameters,
    )
    connection.execute(
        """
        INSERT INTO chat_messages (session_id, role, content, metadata, created_at)
        SELECT 'bench-' || lpad(i::text, 8, '0'),
               CASE WHEN j %% 2 = 1 THEN 'user' ELSE 'assistant' END,
               'Mensaje ' || j || ' de la sesión ' || i || ': ' || repeat(md5((i * 10 + j)::text), 3),
               '{}',
               %(start)s + i * interval '1 second' + (j - 1) * interval '1 minute'
        FROM generate_series(1, %(size)s) AS i CROSS JOIN generate_series(1, %(messages)s) AS j
        """,
        parameters,
    )


def measure_child(mode, arguments):
    """Run this script in `mode` as a child process; return its wall time, peak RSS and report."""
    command = [sys.executable, __file__, "--child", mode, "--child-args", json.dumps(arguments)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_DIR, env=child_environment(), stdout=subprocess.PIPE, text=True)
    report = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"child {mode} failed with status {status}")
    result = {"seconds": round(seconds, 2), "rss_kib": usage.ru_maxrss}
    if report.strip():
        result.update(json.loads(report))
    return result


def child_environment():
    # DEBUG off, so Django does not keep every query in memory.
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        LOG_LEVEL="WARNING",
    )


def run_manage(arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=REPO_DIR, env=child_environment(), check=True)


def run_child(mode, arguments):
    if mode in ("copy", "psycopg_json", "delete"):
        return CHILDREN[mode](arguments)

    sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()
    return CHILDREN[mode](arguments)


def child_idle(arguments):
    """Django set up and nothing else: the memory every child starts from."""


def child_export(arguments):
    from django.core.management import call_command

    call_command("export_chat_sessions", company=COMPANY_SLUG, output=arguments["output"], verbosity=0)


def child_copy(arguments):
    query = """
        COPY (
            SELECT s.id, s.company_id, s.user_id, s.client_id, s.language, s.created_at, s.last_message_at,
                   s.metadata, m.role, m.content, m.metadata, m.created_at
            FROM chat_sessions s JOIN chat_messages m ON m.session_id = s.id
            WHERE s.company_id = {company}
            ORDER BY s.id, m.created_at, m.id
        ) TO STDOUT
    """
    with psycopg.connect(arguments["url"]) as connection, open(arguments["output"], "wb") as output:
        with connection.cursor().copy(sql.SQL(query).format(company=arguments["company_id"])) as copy:
            for block in copy:
                output.write(block)


def child_psycopg_json(arguments):
    """Write the same lines as the export, from one psycopg server-side cursor, without Django."""
    sys.path.insert(0, str(REPO_DIR))
    from chat.native_format import FORMAT_VERSION, dumps_line, format_datetime

    query = """
        SELECT s.id, u.username, c.id, c.name, c.email, c.phone, c.external_id, c.metadata, c.created_at,
               c.updated_at, s.language, s.created_at, s.last_message_at, s.metadata,
               m.role, m.content, m.metadata, m.created_at
        FROM chat_sessions s
        LEFT JOIN users u ON u.id = s.user_id
        LEFT JOIN clients c ON c.id = s.client_id
        LEFT JOIN chat_messages m ON m.session_id = s.id
        WHERE s.company_id = %s
        ORDER BY s.id, m.created_at, m.id
    """
    with psycopg.connect(arguments["url"]) as connection, open(arguments["output"], "w", encoding="utf-8") as output:
        cursor = connection.cursor(name="bench_export")
        cursor.itersize = 5000
        cursor.execute(query, [arguments["company_id"]])
        current = None
        for row in cursor:
            if current is None or current["id"] != row[0]:
                if current is not None:
                    output.write(dumps_line(current))
                current = _native_session(row, FORMAT_VERSION, format_datetime)
            if row[14] is not None:
                current["messages"].append(
                    {"role": row[14], "content": row[15], "metadata": row[16], "created_at": format_datetime(row[17])}
                )
        if current is not None:
            output.write(dumps_line(current))


def _native_session(row, format_version, format_datetime):
    client = None
    if row[2] is not None:
        client = {
            "id": row[2],
            "name": row[3],
            "email": row[4],
            "phone": row[5],
            "external_id": row[6],
            "metadata": row[7],
            "created_at": format_datetime(row[8]),
            "updated_at": format_datetime(row[9]),
        }
    return {
        "format": format_version,
        "id": row[0],
        "company": COMPANY_SLUG,
        "user": row[1],
        "client": client,
        "language": row[10],
        "created_at": format_datetime(row[11]),
        "last_message_at": format_datetime(row[12]),
        "metadata": row[13],
        "messages": [],
    }


def file_digest(path):
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def child_purge(arguments):
    from chat.maintenance import session_purge
    from companies.models import Company

    batch_seconds = []
    last = time.perf_counter()

    def time_batch(result):
        nonlocal last
        now = time.perf_counter()
        batch_seconds.append(now - last)
        last = now

    result = session_purge(
        before=datetime.datetime.fromisoformat(arguments["before"]),
        company=Company.objects.get(slug=COMPANY_SLUG),
        batch_size=arguments["batch_size"],
        on_batch=time_batch,
    )
    print(
        json.dumps(
            {
                "sessions_deleted": result.sessions,
                "messages_deleted": result.messages,
                "batches": result.batches,
                "max_batch_seconds": round(max(batch_seconds, default=0), 3),
            }
        )
    )


def child_delete(arguments):
    with psycopg.connect(arguments["url"]) as connection:
        selected = "SELECT id FROM chat_sessions WHERE company_id = %(company)s AND last_message_at >= %(from)s"
        parameters = {"company": arguments["company_id"], "from": arguments["from"]}
        messages = connection.execute(
            f"DELETE FROM chat_messages WHERE session_id IN ({selected})", parameters
        ).rowcount
        sessions = connection.execute(
            "DELETE FROM chat_sessions WHERE company_id = %(company)s AND last_message_at >= %(from)s", parameters
        ).rowcount
    print(json.dumps({"sessions_deleted": sessions, "messages_deleted": messages}))


CHILDREN = {
    "idle": child_idle,
    "export": child_export,
    "copy": child_copy,
    "psycopg_json": child_psycopg_json,
    "purge": child_purge,
    "delete": child_delete,
}


def machine():
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}


def print_report(results):
    print()
    print(f"Baseline (Django set up, nothing done): {results['baseline_rss_kib'] / 1024:.0f} MiB peak RSS")
    header = f"{'sessions':>10} {'step':<18} {'seconds':>8} {'sessions/s':>11} {'peak MiB':>9} {'x floor':>8}"
    print(header)
    for run in results["runs"]:
        size = run["sessions"]
        export, copy, json_floor = run["export"], run["export_floor_copy"], run["export_floor_psycopg_json"]
        purge, delete = run["purge"], run["purge_floor_delete"]
        half = purge["sessions_deleted"]
        rows = [
            ("export", export, size, export["seconds"] / copy["seconds"]),
            ("  floor: COPY", copy, size, 1.0),
            ("  psycopg+json", json_floor, size, json_floor["seconds"] / copy["seconds"]),
            ("purge", purge, half, (purge["seconds"] / half) / (delete["seconds"] / delete["sessions_deleted"])),
            ("  floor: DELETE", delete, delete["sessions_deleted"], 1.0),
        ]
        for name, step, count, ratio in rows:
            print(
                f"{size:>10,} {name:<18} {step['seconds']:>8.1f} {count / step['seconds']:>11,.0f}"
                f" {step['rss_kib'] / 1024:>9.0f} {ratio:>8.1f}"
            )
        print(
            f"{'':>10} export / psycopg+json: {export['seconds'] / json_floor['seconds']:.1f}x,"
            f" same bytes: {json_floor['same_bytes_as_export']}"
        )
        print(f"{'':>10} purge: {purge['batches']} batches, longest {purge['max_batch_seconds']:.3f} s")


def save(results):
    folder = REPO_DIR / "bench" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"maintenance-{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nWritten to {path.relative_to(REPO_DIR)}")


if __name__ == "__main__":
    main()
