"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Skipped, with the reason, when /usr/bin/chromium is missing (`make test`
installs it with apt-get where it can).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PASSWORD = "password-for-tests"

# Playwright's sync API runs an asyncio event loop in this thread, and Django
# raises SynchronousOnlyOperation on database access from such a thread unless
# DJANGO_ALLOW_ASYNC_UNSAFE is set.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing; install Debian's chromium package to run browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def company_staff_group(transactional_db):
    """Return the "Company staff" group, running its migration again when a flush removed it.

    Transactional tests end by emptying every table, which removes the rows
    that data migrations created.
    """
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.services import COMPANY_STAFF_GROUP

    if not Group.objects.filter(name=COMPANY_STAFF_GROUP).exists():
        call_command("migrate", "accounts", "0001", verbosity=0)
        call_command("migrate", "accounts", verbosity=0)
    return Group.objects.get(name=COMPANY_STAFF_GROUP)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 1600, "height": 1000},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def screenshot(page, name, *, full_page=True, clip=None):
    """Save a PNG of the page under test-output/screenshots/ for reviewers; `clip` is a page rectangle."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page or clip is not None, clip=clip)
    return path
