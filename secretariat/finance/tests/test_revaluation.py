"""Period-end revaluation of monetary balances in other currencies: unrealised gains and losses."""

import datetime
from decimal import Decimal

import pytest

from secretariat.finance import selectors
from secretariat.finance.models import FiscalPeriod
from secretariat.finance.services import journal, revaluation, structure
from secretariat.finance.services.errors import (
    RateMissing,
    RevaluationAlreadyPosted,
    ReversalPeriodNotOpen,
)
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import build_ledger, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def euro_cash(ledger):
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("0.8"))
    # 800 EUR of cash received in March (1000 USD at 0.8)
    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[EntryInput(
        fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 3), description="EUR contribution",
        lines=[line(ledger.account("1120"), debit="800", currency="EUR"),
               line(ledger.account("4210"), credit="1000")])])
    return FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)


def test_a_stronger_dollar_books_an_unrealised_loss_reversed_next_month(ledger, euro_cash):
    # given the month-end rate: 800 EUR are now worth 800 / 1.0 = 800 USD
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("1.0"))
    # when
    posted = revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget, period=euro_cash)
    # then
    assert [e.entry_on for e in posted] == [datetime.date(2026, 3, 31), datetime.date(2026, 4, 1)]
    march = {"ends_on": datetime.date(2026, 3, 31)}
    assert selectors.posted_amount(account_codes=["1120"], **march) == Decimal("800.00")
    assert selectors.posted_amount(account_codes=["5990"], **march) == Decimal("200.00")
    assert selectors.posted_amount(account_codes=["5990"]) == Decimal("0.00")  # reversed on 1 April


def test_revaluation_needs_the_months_rate(ledger, euro_cash):
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=4, units_per_usd=Decimal("0.9"))
    april = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=5)
    with pytest.raises(RateMissing):
        revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget, period=april)


def test_a_rerun_of_the_months_revaluation_is_refused_and_posts_nothing(ledger, euro_cash):
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("1.0"))
    [first, _reversal] = revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget,
                                                               period=euro_cash)

    with pytest.raises(RevaluationAlreadyPosted) as refused:
        revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget, period=euro_cash)

    assert str(refused.value) == (f"The revaluation of fund RB for {euro_cash} was already posted ({first.number}); "
                                  "it is posted once per period.")
    assert selectors.posted_amount(account_codes=["5990"], ends_on=datetime.date(2026, 3, 31)) == Decimal("200.00")


def test_a_december_revaluation_is_reversed_on_the_first_day_of_the_new_year(ledger):
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2025, month=12, units_per_usd=Decimal("0.8"))
    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[EntryInput(
        fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2025, 12, 3), description="EUR contribution",
        lines=[line(ledger.account("1120"), debit="800", currency="EUR"),
               line(ledger.account("4210"), credit="1000")])])
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2025, month=12, units_per_usd=Decimal("1.0"))
    december = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2025, number=12)

    posted = revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget, period=december)

    assert [(e.entry_on, e.period.fiscal_year) for e in posted] == [
        (datetime.date(2025, 12, 31), 2025), (datetime.date(2026, 1, 1), 2026)]
    assert selectors.posted_amount(account_codes=["5990"]) == Decimal("0.00")


def test_a_december_revaluation_needs_the_new_year_open(db):
    ledger = build_ledger(years=(2026,))
    december = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=12)
    with pytest.raises(ReversalPeriodNotOpen) as refused:
        revaluation.revalue_monetary_balances(actor=ledger.admin, fund=ledger.regular_budget, period=december)
    assert "is reversed on 2027-01-01, but there is no open fiscal period that day" in str(refused.value)
