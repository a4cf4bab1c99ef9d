"""Test-harness wiring shared by every app's tests."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase

from secretariat.core.audit import audit_maintenance


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL (row locks, roles, TRUNCATE, clusters): one
    place decides, from the configured engine, that they are skipped on the embedded SQLite."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (the suite runs it again on PostgreSQL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


_migrated_data: dict[str, str] = {}


def _keep_migrated_data(cls):
    """Before the first transactional test, remember the data the migrations loaded."""
    _original_fixture_setup(cls)
    if "default" not in _migrated_data:
        _migrated_data["default"] = connection.creation.serialize_db_to_string()


def _flush_then_restore_migrated_data(self):
    """Transactional tests end by emptying every table; put the migrated reference data
    (countries, roles, …) back so the next test starts where a fresh database would.

    The audit trail's append-only triggers would refuse the flush, so the harness (and only
    it) lifts them here.
    """
    with audit_maintenance():
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(_migrated_data["default"])


_original_fixture_setup = vars(TransactionTestCase)["_fixture_setup"].__func__
TransactionTestCase._fixture_setup = classmethod(_keep_migrated_data)
TransactionTestCase._fixture_teardown = _flush_then_restore_migrated_data


# --- Browser tests ---------------------------------------------------------------------------



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
    # Destructive actions ask first (data-confirm); the tests answer yes, as the user would, and
    # keep the questions in ``page.questions_asked`` to check that they were asked.
    page.questions_asked = []
    page.on("dialog", lambda dialog: (page.questions_asked.append(dialog.message), dialog.accept()))
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


@pytest.fixture
def go_to(page):
    """``go_to(menu, link)``: open a group of the main menu and follow one of its links, as a user does."""

    def follow(menu: str, link: str) -> None:
        main_menu = page.locator(".main-menu")
        main_menu.locator("summary", has_text=menu).click()
        main_menu.get_by_role("link", name=link, exact=True).click()

    return follow


@pytest.fixture(autouse=True)
def audit_checkpoints_of_this_test(settings, tmp_path):
    """Audit checkpoints live outside the database, so they would outlive the test's database:
    each test gets its own checkpoint directory."""
    settings.SECRETARIAT_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request's LocaleMiddleware leaves its language
    active in the thread, which would otherwise leak into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
