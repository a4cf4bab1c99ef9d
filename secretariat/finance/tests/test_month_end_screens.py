"""Month-end jobs in the browser: the period-close checklist (and the close refused while items
are open), operational rates of exchange, and the revaluation run."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from secretariat.core.exceptions import AccessDenied
from secretariat.core.tests.factories import UserFactory
from secretariat.finance.models import (
    BankStatement,
    BankStatementLine,
    ExchangeRate,
    FiscalPeriod,
    PeriodStatus,
    Revaluation,
)
from secretariat.finance.services import bank, journal, revaluation, structure
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.services.period_close import PeriodHasOpenItems
from secretariat.finance.tests.factories import line, simple_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(ledger):
    """800 EUR of cash received in March at 0.8; the month's closing rate is then set to 1.0, so
    the revaluation has something to post."""
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("0.8"))
    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[EntryInput(
        fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 3), description="EUR contribution",
        lines=[line(ledger.account("1120"), debit="800", currency="EUR"),
               line(ledger.account("4210"), credit="1000")])])
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("1.0"))
    return FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)


def browser(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_checklist_lists_what_blocks_the_close_and_the_close_waits_until_it_is_settled(ledger, officers, march):
    # given a draft entry in March and a revaluation not yet run
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))
    client = browser(officers.poster)
    url = f"/finance/periods/{march.pk}/checklist/"
    # when the chief accountant opens the checklist
    page = client.get(url).content.decode()
    # then each open item is shown with a link to where it is settled
    assert "2 items must be settled before the period can close." in page
    assert f"/finance/entries/?period={march.pk}&amp;fund={ledger.regular_budget.pk}&amp;status=unposted" in page
    assert f"/finance/revaluation/?period={march.pk}" in page
    # and the close is refused, saying what is open
    response = client.post(url, {"reason": "March closed"})
    assert response.status_code == 409
    assert "cannot be closed while items are open: RB: 1 entry not posted, revaluation not run." in \
        response.content.decode()
    assert FiscalPeriod.objects.get(pk=march.pk).status == PeriodStatus.OPEN
    # when the entry is posted and the revaluation run from its page
    journal.submit_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    journal.certify_journal_entry(actor=officers.certifier, entry_id=draft.pk)
    journal.approve_journal_entry(actor=officers.approver, entry_id=draft.pk)
    journal.post_journal_entry(actor=officers.poster, entry_id=draft.pk)
    response = client.post("/finance/revaluation/", {"fund": ledger.regular_budget.pk, "period": march.pk})
    assert response.status_code == 302, response.content.decode()
    # then nothing blocks and the period closes
    assert "Nothing blocks the close of this period." in client.get(url).content.decode()
    response = client.post(url, {"reason": "March closed"})
    assert response.status_code == 302
    assert FiscalPeriod.objects.get(pk=march.pk).status == PeriodStatus.CLOSED


def test_the_entry_list_shows_the_checklists_unposted_entries_of_one_fund_and_period(ledger, officers, march):
    journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                 entry=simple_entry(ledger, description="March draft"))
    journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                 entry=simple_entry(ledger, description="April draft", on=datetime.date(2026, 4, 2)))
    page = browser(officers.poster).get(
        f"/finance/entries/?period={march.pk}&fund={ledger.regular_budget.pk}&status=unposted").content.decode()
    assert "March draft" in page and "April draft" not in page and "EUR contribution" not in page


def test_a_bank_line_not_matched_up_to_the_periods_end_blocks_the_close(ledger):
    account = bank.create_bank_account(actor=ledger.admin, code="USD-OPS", name="Operating USD",
                                       fund=ledger.trust_fund, currency="USD", iban="DE89370400440532013000",
                                       bic="COBADEFFXXX", ledger_account=ledger.account("1110"))
    statement = BankStatement.objects.create(bank_account=account, statement_id="S-1",
                                             statement_on=datetime.date(2026, 2, 28), source_format="csv",
                                             imported_by=ledger.admin)
    BankStatementLine.objects.create(statement=statement, booked_on=datetime.date(2026, 2, 27),
                                     amount=Decimal("-25.00"), reference="Bank charges")
    march = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)
    with pytest.raises(PeriodHasOpenItems) as refusal:
        structure.close_fiscal_period(actor=ledger.admin, period_id=march.pk, reason="March closed")
    assert str(refusal.value).endswith("TF-HUM: 1 bank line not matched.")
    january = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=1)
    structure.close_fiscal_period(actor=ledger.admin, period_id=january.pk, reason="the line is February's")
    assert FiscalPeriod.objects.get(pk=january.pk).status == PeriodStatus.CLOSED


def test_unpaid_invoices_are_shown_for_attention_without_blocking(ledger, officers, march):
    revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget, period=march)
    client = browser(officers.poster)
    page = client.get(f"/finance/periods/{march.pk}/checklist/").content.decode()
    assert "Invoices due and unpaid" in page and "Nothing blocks the close of this period." in page
    assert f'href="/finance/periods/{march.pk}/checklist/"' in client.get("/finance/periods/").content.decode()


def test_the_close_form_is_only_for_those_who_may_close(ledger, officers, march):
    page = browser(officers.certifier).get(f"/finance/periods/{march.pk}/checklist/").content.decode()
    assert "Entries not posted" in page and "Close the period" not in page
    assert browser(UserFactory(username="outsider")).get(
        f"/finance/periods/{march.pk}/checklist/").status_code == 403


def test_exchange_rates_are_listed_and_entered_with_refusals_on_the_form(ledger, officers, march):
    client = browser(officers.poster)
    page = client.get("/finance/exchange-rates/").content.decode()
    assert "2026-03" in page and "EUR" in page
    response = client.post("/finance/exchange-rates/", {"currency": "chf", "year": 2026, "month": 4,
                                                        "units_per_usd": "0.88"})
    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency="CHF").units_per_usd == Decimal("0.88")
    assert "Rate of CHF for 2026-04 set to 0.88 per US dollar." in client.get(response["Location"]).content.decode()
    zero = client.post("/finance/exchange-rates/", {"currency": "CHF", "year": 2026, "month": 4, "units_per_usd": "0"})
    assert zero.status_code == 400 and "The rate must be greater than zero." in zero.content.decode()
    unknown = client.post("/finance/exchange-rates/", {"currency": "XQZ", "year": 2026, "month": 4,
                                                       "units_per_usd": "2"})
    assert unknown.status_code == 400 and "XQZ" in unknown.content.decode()


def test_a_reader_of_rates_sees_them_but_cannot_enter_one(ledger, officers, march):
    client = browser(officers.certifier)
    page = client.get("/finance/exchange-rates/").content.decode()
    assert "EUR" in page and "Save the rate" not in page
    response = client.post("/finance/exchange-rates/", {"currency": "CHF", "year": 2026, "month": 4,
                                                        "units_per_usd": "0.88"})
    assert response.status_code == 403 and not ExchangeRate.objects.filter(currency="CHF").exists()


def test_a_rerun_of_the_revaluation_is_refused_on_the_page_as_the_service_says(ledger, officers, march):
    client = browser(officers.poster)
    data = {"fund": ledger.regular_budget.pk, "period": march.pk}
    assert client.post("/finance/revaluation/", data).status_code == 302
    entry = Revaluation.objects.get().journal_entry
    assert entry.number in client.get("/finance/revaluation/").content.decode()
    rerun = client.post("/finance/revaluation/", data)
    assert rerun.status_code == 409
    assert (f"The revaluation of fund RB for Calendar year (January–December) 2026-03 was already posted "
            f"({entry.number}); it is posted once per period.") in rerun.content.decode()
    assert Revaluation.objects.count() == 1


def test_only_those_who_post_may_run_the_revaluation_even_when_nothing_is_to_post(ledger, officers, march):
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("0.8"))
    with pytest.raises(AccessDenied):
        revaluation.revalue_monetary_balances(actor=officers.certifier, fund=ledger.regular_budget, period=march)
    assert revaluation.revalue_monetary_balances(actor=officers.poster, fund=ledger.regular_budget,
                                                 period=march) == []
    assert not Revaluation.objects.exists()


def test_the_api_refuses_the_close_as_the_page_does(ledger, officers, march):
    client = browser(officers.poster)
    response = client.post(f"/api/v1/finance/fiscal-periods/{march.pk}/close/", {"reason": "March closed"},
                           content_type="application/json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"].endswith("while items are open: RB: revaluation not run.")
