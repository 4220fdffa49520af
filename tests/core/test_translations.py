"""The Spanish catalog is complete, compiled, and in step with the source."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPOSITORY = Path(__file__).resolve().parents[2]
CATALOG = REPOSITORY / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")
SKIPPED_FOLDERS = {".venv", ".git", "staticfiles", "test-output", "tests", "bench", "node_modules", "docs"}


def active_entries(catalog):
    return [entry for entry in catalog if not entry.obsolete and entry.msgid]


def test_catalog_has_no_untranslated_or_fuzzy_entries():
    catalog = polib.pofile(CATALOG)

    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_source():
    source = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in active_entries(polib.pofile(CATALOG))}
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in active_entries(polib.mofile(COMPILED))}

    assert compiled == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_makemessages_adds_no_new_strings(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(REPOSITORY, copy, ignore=lambda folder, names: [n for n in names if n in SKIPPED_FOLDERS])
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.pop("DATABASE_URL", None)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "es", "--no-obsolete"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )

    committed = {entry.msgid for entry in active_entries(polib.pofile(CATALOG))}
    regenerated = {entry.msgid for entry in active_entries(polib.pofile(copy / CATALOG.relative_to(REPOSITORY)))}
    assert sorted(regenerated - committed) == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "--sessions debe ser cero o más, no -1."),
        ("en", "--sessions must be zero or more, not -1."),
    ],
)
def test_command_error_in_both_languages(language, message):
    with pytest.raises(CommandError) as excinfo:
        call_command("load_demo_data", sessions=-1, language=language)

    assert str(excinfo.value) == message


def test_command_rejects_unknown_language():
    with pytest.raises(CommandError) as excinfo:
        call_command("load_demo_data", sessions=1, language="fr")

    assert str(excinfo.value) == "Unknown language fr; use one of: es, en."
