import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO_DIR = Path(__file__).resolve().parents[2]


class CommandOutput:
    def __init__(self, stdout, stderr, error=None):
        self.stdout = stdout
        self.stderr = stderr
        # The CommandError message, when the command failed.
        self.error = error


def run(name, *args, expect_error=False, **options):
    """Run a management command in-process; return its CommandOutput.

    With `expect_error`, the command must raise CommandError, whose message
    is returned with the output written before it.
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=stdout, stderr=stderr, **options)
    except CommandError as error:
        if not expect_error:
            raise
        return CommandOutput(stdout.getvalue(), stderr.getvalue(), str(error))
    if expect_error:
        pytest.fail(f"{name} succeeded; a CommandError was expected")
    return CommandOutput(stdout.getvalue(), stderr.getvalue())


def write_jsonl(path, records, *, newline="\n"):
    """Write records as JSON Lines; strings are written as given (for broken lines)."""
    lines = [record if isinstance(record, str) else json.dumps(record) for record in records]
    path.write_bytes((newline.join(lines) + newline).encode())
    return path


def summary(imported=0, present=0, skipped=0, messages=0):
    return (
        f"Sessions imported: {imported}\n"
        f"Sessions already present: {present}\n"
        f"Records skipped: {skipped}\n"
        f"Messages imported: {messages}\n"
    )


@pytest.fixture
def real_chats_dir():
    """The folder of real conversation files, from SHARED_DATA_DIR (default: ../shared/data)."""
    base = Path(os.environ.get("SHARED_DATA_DIR", REPO_DIR.parent / "shared" / "data"))
    folder = base / "real-chats"
    if not folder.is_dir():
        pytest.skip(f"real conversation files not found in {folder}; set SHARED_DATA_DIR to the shared data folder")
    return folder
