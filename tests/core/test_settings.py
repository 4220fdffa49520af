"""Start-up checks run in a fresh interpreter, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def manage(*arguments, **environment):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a deployment must not have it.
    unset = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=REPOSITORY, env=env, capture_output=True, text=True
    )


def test_production_refuses_development_secret_key():
    result = manage("check")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "Configuration error: SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random value, "
        "or set DEBUG=1 for local development." in result.stderr
    )


def test_deploy_check_reports_nothing():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="chat.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_development_mode_starts_without_secret_key():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stderr
