"""In a real browser: enter, approve and post a journal entry in French; read the statement of
financial position in Arabic."""

import re

import pytest
from django.utils import translation

from secretariat.finance.models import FiscalPeriod, JournalEntry
from secretariat.finance.tests.factories import build_ledger, officers_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    ledger = build_ledger(years=(2026,))
    ledger.regular_budget.name_translations = {"fr": "Budget ordinaire", "ar": "الميزانية العادية"}
    ledger.regular_budget.save()
    return ledger, officers_for(ledger.regular_budget)


def fr(text: str) -> str:
    """The French UI label, as the compiled catalogue gives it."""
    with translation.override("fr"):
        return translation.gettext(text)


def fr_line(field: str, number: int) -> str:
    with translation.override("fr"):
        return translation.gettext("%(field)s, line %(number)s") % {"field": translation.gettext(field), "number": number}


def act_as(page, log_in, username: str, language: str) -> None:
    page.context.clear_cookies()
    log_in(username)
    page.get_by_label("Language").select_option(language)
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector(f"html[lang='{language}']")


def test_enter_approve_and_post_an_entry_in_french(page, log_in, people):
    ledger, officers = people
    # given the preparer, working in French
    act_as(page, log_in, "preparer", "fr")
    page.goto("/finance/entries/new/")
    page.get_by_label(fr("Fund"), exact=True).select_option(str(ledger.regular_budget.pk))
    page.get_by_label(fr("Accounting date"), exact=True).fill("2026-03-15")
    page.get_by_label(fr("Description"), exact=True).fill("Fournitures de bureau")
    page.get_by_label(fr_line("Account", 1), exact=True).select_option(str(ledger.account("5310").pk))
    page.get_by_label(fr_line("Debit", 1), exact=True).fill("1234.50")
    page.get_by_label(fr_line("Account", 2), exact=True).select_option(str(ledger.account("1110").pk))
    page.get_by_label(fr_line("Credit", 2), exact=True).fill("1234.50")
    page.get_by_role("button", name=fr("Save draft"), exact=True).click()
    page.get_by_role("button", name=fr("Submit"), exact=True).click()
    entry_url = page.url
    # when the certifying, approving and posting officers act on it, each in French
    for username, button in (("certifier", "Certify"), ("approver", "Approve"), ("accountant", "Post")):
        act_as(page, log_in, username, "fr")
        page.goto(entry_url)
        page.get_by_role("button", name=fr(button), exact=True).click()
    # then
    assert page.get_by_role("heading", name=re.compile("GJ-2026-000001")).is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert re.fullmatch(r"1\s234,50", page.locator("#entry-total").inner_text())  # French number format
    assert JournalEntry.objects.get().status == "posted"


def test_the_statement_of_financial_position_in_arabic(page, log_in, people):
    ledger, _officers = people
    from secretariat.finance.services import journal
    from secretariat.finance.tests.factories import simple_entry

    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[simple_entry(ledger, "500")])
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)
    # when
    act_as(page, log_in, "accountant", "ar")
    page.goto(f"/finance/statements/financial-position/?period={period.pk}&fund={ledger.regular_budget.pk}")
    # then
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).is_visible()
    caption = page.locator("table.statement caption").inner_text()
    assert "الميزانية العادية" in caption
    with translation.override("ar"):
        total_assets = translation.gettext("Total assets")
    assert total_assets != "Total assets"
    assert page.get_by_role("row", name=re.compile("^" + re.escape(total_assets))).is_visible()
