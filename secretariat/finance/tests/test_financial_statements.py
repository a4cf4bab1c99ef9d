"""Trial balance and IPSAS statements with prior-year comparatives, by fund and consolidated."""

import datetime
from decimal import Decimal

import pytest

from secretariat.finance import selectors
from secretariat.finance.models import FiscalPeriod
from secretariat.finance.services import journal
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import line

pytestmark = pytest.mark.django_db


def post(ledger, fund, on, *pairs):
    lines = [line(ledger.account(code), **{side: amount}) for code, side, amount in pairs]
    return journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                        entries=[EntryInput(fund_id=fund.pk, entry_on=on, description="t", lines=lines)])


@pytest.fixture
def two_years(ledger):
    rb, tf = ledger.regular_budget, ledger.trust_fund
    # 2025: assessed 1000, collected 600 in cash, salaries 500 paid
    post(ledger, rb, datetime.date(2025, 1, 5), ("1210", "debit", "1000"), ("4110", "credit", "1000"))
    post(ledger, rb, datetime.date(2025, 2, 5), ("1110", "debit", "600"), ("1210", "credit", "600"))
    post(ledger, rb, datetime.date(2025, 3, 5), ("5110", "debit", "500"), ("1110", "credit", "500"))
    # 2026: equipment bought on credit 300, depreciation 30, payable paid 200; trust fund revenue 50
    post(ledger, rb, datetime.date(2026, 3, 5), ("1610", "debit", "300"), ("2110", "credit", "300"))
    post(ledger, rb, datetime.date(2026, 3, 31), ("5510", "debit", "30"), ("1690", "credit", "30"))
    post(ledger, rb, datetime.date(2026, 3, 20), ("2110", "debit", "200"), ("1110", "credit", "200"))
    post(ledger, tf, datetime.date(2026, 3, 1), ("1110", "debit", "50"), ("4910", "credit", "50"))
    return FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)


def rows(statement):
    return {r.label: (r.current, r.prior) for r in statement}


def test_the_trial_balance_shows_opening_movements_and_closing(ledger, two_years):
    trial = selectors.trial_balance(period=two_years, fund_ids=[ledger.regular_budget.pk])
    by_code = {r.account.code: (r.opening, r.debits, r.credits, r.closing) for r in trial.rows}
    assert by_code["1110"] == (Decimal("100"), Decimal("0"), Decimal("200"), Decimal("-100"))
    assert by_code["2110"] == (Decimal("0"), Decimal("200"), Decimal("300"), Decimal("-100"))
    assert trial.total_closing == 0 and trial.total_debits == trial.total_credits == Decimal("530")


def test_the_statement_of_financial_position_has_prior_year_comparatives(ledger, two_years):
    position = rows(selectors.financial_position(period=two_years, fund_ids=[ledger.regular_budget.pk]))
    assert position["Cash and cash equivalents"] == (Decimal("-100"), Decimal("100"))
    assert position["Property, plant and equipment"] == (Decimal("270"), Decimal("0"))
    assert position["Total assets"] == (Decimal("570"), Decimal("500"))
    assert position["Total liabilities"] == (Decimal("100"), Decimal("0"))
    assert position["Accumulated surpluses/(deficits)"] == (Decimal("470"), Decimal("500"))
    assert position["Total net assets"] == (Decimal("470"), Decimal("500"))


def test_consolidated_statements_add_up_the_funds(ledger, two_years):
    consolidated = rows(selectors.financial_position(period=two_years))
    assert consolidated["Total net assets"] == (Decimal("520"), Decimal("500"))
    performance = rows(selectors.financial_performance(period=two_years))
    assert performance["Total revenue"] == (Decimal("50"), Decimal("1000"))
    assert performance["Total expenses"] == (Decimal("30"), Decimal("500"))
    assert performance["Surplus/(deficit) for the year"] == (Decimal("20"), Decimal("500"))


def test_changes_in_net_assets_and_cash_flow_tie_to_the_position(ledger, two_years):
    fund_ids = [ledger.regular_budget.pk]
    changes = selectors.changes_in_net_assets(period=two_years, fund_ids=fund_ids)
    assert [(r.current, r.prior) for r in changes] == [
        (Decimal("500"), Decimal("0")), (Decimal("-30"), Decimal("500")), (Decimal("0"), Decimal("0")),
        (Decimal("470"), Decimal("500"))]
    cash = {r.line: (r.current, r.prior) for r in selectors.cash_flow(period=two_years, fund_ids=fund_ids)}
    assert cash["operating"] == (Decimal("100"), Decimal("100"))  # -30 + 30 depreciation + 100 payables
    assert cash["investing"] == (Decimal("-300"), Decimal("0"))
    assert cash["net"] == (Decimal("-200"), Decimal("100"))
    assert cash["closing"] == (Decimal("-100"), Decimal("100"))


def test_the_budget_interface_reads_posted_expenses_by_cost_centre_and_object_class(ledger, two_years):
    amounts = selectors.posted_amounts(group_by=("fund", "object_class", "account"), account_type="expense",
                                       starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    assert amounts == [{"fund": "RB", "object_class": "5000", "account": "5510", "amount_usd": Decimal("30.00")}]
