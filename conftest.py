"""Test-harness wiring shared by every app's tests."""

from django.test import TransactionTestCase

from secretariat.core.audit import audit_maintenance

_flush_tables = TransactionTestCase._fixture_teardown


def _flush_tables_with_audit_maintenance(self):
    # Transactional tests end by emptying every table; the audit trail's append-only
    # triggers would refuse that, so the harness (and only it) lifts them for the flush.
    with audit_maintenance():
        _flush_tables(self)


TransactionTestCase._fixture_teardown = _flush_tables_with_audit_maintenance


# --- Browser tests ---------------------------------------------------------------------------
import os  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django must still allow the
    # test's own (synchronous) database calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser page; a screenshot of where it ended is kept in test-artifacts/."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def log_in(page):
    """``log_in(username, password)`` through the login form (English UI)."""

    def log_in_as(username: str, password: str = "correct-horse-battery") -> None:
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")

    return log_in_as
