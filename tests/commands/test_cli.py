"""The commands as an operator runs them: through manage.py, with exit codes and terminal output."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from chat.models import ChatSession
from chat.native_format import dumps_line
from tests.commands.conftest import REPO_DIR, write_jsonl
from tests.conftest import is_postgresql

MESSAGE = {
    "role": "user",
    "content": "¿Dónde está mi pedido?",
    "metadata": {},
    "created_at": "2026-03-01T09:00:01.000000Z",
}
NATIVE_LINES = [
    {
        "format": "chat-session/1",
        "id": "web:1",
        "company": "acme",
        "user": "agent.ana",
        "client": {
            "id": "crm-7",
            "name": "Luis",
            "email": "luis@example.com",
            "phone": "+34 600 000 007",
            "external_id": "7",
            "metadata": {"plan": "pro"},
            "created_at": "2026-02-01T10:00:00.000000Z",
            "updated_at": "2026-02-02T10:00:00.000000Z",
        },
        "language": "es",
        "created_at": "2026-03-01T09:00:00.000000Z",
        "last_message_at": "2026-03-01T09:00:02.000000Z",
        "metadata": {"channel": "web"},
        "messages": [
            MESSAGE,
            {"role": "assistant", "content": "En camino.", "metadata": {}, "created_at": "2026-03-01T09:00:02.000000Z"},
        ],
    },
    {
        "format": "chat-session/1",
        "id": "web:2",
        "company": "acme",
        "user": None,
        "client": None,
        "language": "en",
        "created_at": "2026-03-02T09:00:00.000000Z",
        "last_message_at": "2026-03-02T09:00:00.000000Z",
        "metadata": {},
        "messages": [],
    },
]
CREATE_ACME = "from companies.models import Company; Company.objects.create(name='Acme', slug='acme')"


@pytest.fixture
def database_url(tmp_path):
    """A database that manage.py subprocesses can use: the test database on PostgreSQL, a new SQLite file otherwise.

    Tests using it are marked django_db(transaction=True), so that on
    PostgreSQL what the subprocesses commit is flushed afterwards.
    """
    if is_postgresql():
        settings = connection.settings_dict
        return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    migrate = manage(url, "migrate", "--no-input", "-v", "0")
    assert migrate.returncode == 0, migrate.stderr
    return url


def manage(database_url, *args, stdin=None):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings_test", LOG_LEVEL="ERROR")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_move_company_between_databases(database_url, tmp_path):
    native_file = tmp_path / "source.jsonl"
    native_file.write_text("".join(dumps_line(line) for line in NATIVE_LINES), encoding="utf-8")
    exported = tmp_path / "acme.jsonl"
    exported_again = tmp_path / "acme-again.jsonl"
    assert manage(database_url, "shell", "-c", CREATE_ACME).returncode == 0

    imported = manage(database_url, "import_chat_sessions", str(native_file), "--company", "acme")
    export = manage(database_url, "export_chat_sessions", "--company", "acme", "--output", str(exported))
    deleted = manage(database_url, "delete_company", "acme", "--no-input")
    assert manage(database_url, "shell", "-c", CREATE_ACME).returncode == 0
    reimported = manage(database_url, "import_chat_sessions", str(exported), "--company", "acme")
    export_again = manage(database_url, "export_chat_sessions", "--company", "acme", "--output", str(exported_again))

    assert [imported.returncode, export.returncode, deleted.returncode, reimported.returncode] == [0, 0, 0, 0]
    assert imported.stdout == (
        "Sessions imported: 2\nSessions already present: 0\nRecords skipped: 0\nMessages imported: 2\n"
    )
    assert deleted.stdout == "Sessions: 2\nMessages: 2\nClients: 1\nUsers: 1\nCompany acme deleted.\n"
    assert reimported.stdout == imported.stdout
    assert export_again.returncode == 0
    assert exported.read_bytes() == native_file.read_bytes()
    assert exported_again.read_bytes() == exported.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_export_to_standard_output(database_url):
    assert manage(database_url, "shell", "-c", CREATE_ACME).returncode == 0
    lines = "".join(json.dumps(line) + "\n" for line in NATIVE_LINES)
    assert manage(database_url, "import_chat_sessions", "-", "--company", "acme", stdin=lines).returncode == 0

    result = manage(database_url, "export_chat_sessions", "--company", "acme")

    assert result.returncode == 0
    assert result.stdout == "".join(dumps_line(line) for line in NATIVE_LINES)
    size = len(result.stdout.encode())
    assert result.stderr == f"Sessions exported: 2\nMessages exported: 2\nBytes written: {size}\n"


@pytest.mark.django_db(transaction=True)
def test_errors_exit_non_zero_without_traceback(database_url, tmp_path):
    assert manage(database_url, "shell", "-c", CREATE_ACME).returncode == 0
    partly_bad = write_jsonl(tmp_path / "chats.jsonl", [{"messages": [{"role": "user", "content": "hi"}]}, "{oops"])

    cases = {
        "unknown company": manage(database_url, "import_chat_sessions", "x.jsonl", "--company", "nope"),
        "missing file": manage(database_url, "import_chat_sessions", "/no/such.jsonl", "--company", "acme"),
        "bad date": manage(database_url, "purge_chat_sessions", "--before", "someday"),
        "skipped records": manage(
            database_url, "import_chat_sessions", str(partly_bad), "--company", "acme", "--format", "openai"
        ),
        "missing option": manage(database_url, "purge_chat_sessions"),
    }

    assert {name: result.returncode for name, result in cases.items()} == {
        "unknown company": 1,
        "missing file": 1,
        "bad date": 1,
        "skipped records": 1,
        "missing option": 2,
    }
    assert all("Traceback" not in result.stderr for result in cases.values())
    assert cases["unknown company"].stderr == (
        "CommandError: Company not found: nope. Check the slug in the admin's company list.\n"
    )
    assert cases["missing file"].stderr == "CommandError: Cannot read /no/such.jsonl: No such file or directory.\n"
    assert cases["bad date"].stderr == (
        "CommandError: Invalid date for --before: someday. "
        "Use YYYY-MM-DD or an ISO 8601 datetime such as 2026-01-31T12:00:00Z.\n"
    )
    assert cases["skipped records"].stderr == (
        "line 2: invalid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
        "CommandError: 1 record was skipped; see the messages above.\n"
    )
    assert cases["skipped records"].stdout.startswith("Sessions imported: 1\n")
    assert cases["missing option"].stderr.endswith("error: one of the arguments --inactive-days --before is required\n")


def test_help_shows_units_and_examples():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test")
    result = subprocess.run(
        [sys.executable, "manage.py", "purge_chat_sessions", "--help"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert "--batch-size N" in result.stdout
    assert "Sessions deleted per transaction (default 1000)." in result.stdout
    assert "  python manage.py purge_chat_sessions --inactive-days 365 --dry-run\n" in result.stdout


class TerminalStream(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
@pytest.mark.parametrize(("terminal", "verbosity", "bar_shown"), [(True, 1, True), (True, 0, False), (False, 1, False)])
def test_progress_bar_only_on_a_terminal(company, tmp_path, terminal, verbosity, bar_shown):
    path = write_jsonl(tmp_path / "chats.jsonl", [{"messages": [{"role": "user", "content": "hi"}]}])
    stderr = TerminalStream() if terminal else io.StringIO()

    call_command(
        "import_chat_sessions",
        str(path),
        company="acme",
        format="openai",
        stdout=io.StringIO(),
        stderr=stderr,
        verbosity=verbosity,
    )

    assert ("Importing: " in stderr.getvalue()) is bar_shown
    assert ChatSession.objects.count() == 1
