"""The demo ledger loads once on the demo organisation, through the services, before or after
the budget demo, and gives every finance page something to show."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from secretariat.core.demo import load_demo
from secretariat.core.models import AuditEvent, Delegation, RoleAssignment
from secretariat.finance import selectors
from secretariat.finance.demo import load_finance_demo
from secretariat.finance.models import (
    BankStatementLine,
    EntryStatus,
    ExchangeRate,
    FiscalPeriod,
    Fund,
    JournalEntry,
    JournalLine,
    PeriodStatus,
    Receipt,
    VendorInvoice,
)

pytestmark = pytest.mark.django_db
# A fixed day for the figures (every kind of payer exists by then; in early January nobody has
# paid the new year's assessment yet); the second test runs on the real today.
TODAY = datetime.date(2026, 7, 15)
# A small volume: the time goes into the months, not into how much happens in each.
VOLUME = {"entries_per_month": 2, "member_states": 8}


@pytest.fixture
def organisation():
    assert load_demo(staff_count=20) is True


def run_load_finance_demo(*, entries_per_month=1, member_states=5) -> str:
    out = io.StringIO()
    call_command("load_finance_demo", "--entries-per-month", str(entries_per_month), "--member-states",
                 str(member_states), stdout=out)
    return out.getvalue()


def load_budget_demo() -> str:
    out = io.StringIO()
    call_command("load_budget_demo", stdout=out)
    return out.getvalue()


def ledger_snapshot() -> dict:
    models = [JournalEntry, JournalLine, Receipt, VendorInvoice, BankStatementLine, ExchangeRate, FiscalPeriod, Fund,
              RoleAssignment, Delegation, AuditEvent]
    return {model.__name__: model.objects.count() for model in models} | {
        "closed periods": FiscalPeriod.objects.filter(status=PeriodStatus.CLOSED).count(),
        "matched lines": BankStatementLine.objects.filter(receipt__isnull=False).count()
        + BankStatementLine.objects.filter(payment__isnull=False).count()}


def period_on(day: datetime.date) -> FiscalPeriod:
    return FiscalPeriod.objects.get(calendar="calendar_year", starts_on__lte=day, ends_on__gte=day)


def test_the_demo_ledger_balances_and_fills_the_finance_pages(organisation):
    # when
    summary = load_finance_demo(**VOLUME, today=TODAY)
    # then: nothing dated after today; trial balance zero, consolidated and per fund, and the
    # maintained balances agree with the lines
    assert summary.entries_posted == JournalEntry.objects.filter(status__in=["posted", "reversed"]).count() > 300
    assert not JournalEntry.objects.filter(entry_on__gt=TODAY).exists()
    assert not Receipt.objects.filter(received_on__gt=TODAY).exists()
    period = period_on(TODAY)
    trial = selectors.trial_balance(period=period)
    assert trial.rows and trial.total_closing == 0 and trial.total_debits == trial.total_credits > 0
    for fund in Fund.objects.filter(code__in=["RB", "SA", "XB"]):
        assert selectors.trial_balance(period=period, fund_ids=[fund.pk]).total_closing == 0
    closing = {row.account.pk: row.closing for row in trial.rows if row.closing}
    assert closing == {k: v for k, v in selectors.trial_balance_by_full_scan(period=period).items() if v}
    # the statements have figures for this year and the year before
    position = {row.label: row for row in selectors.financial_position(period=period)}
    performance = {row.label: row for row in selectors.financial_performance(period=period)}
    for row in (position["Total assets"], position["Total liabilities"], performance["Total revenue"],
                performance["Total expenses"]):
        assert row.current > 0 and row.prior > 0
    cash = selectors.cash_flow(period=period)
    assert cash[-1].current == position["Cash and cash equivalents"].current
    # the status of contributions shows paid, partially paid and unpaid Member States, and credits
    statuses = {("paid" if row.outstanding == 0 else "unpaid" if row.collected == 0 else "partially paid")
                for row in selectors.status_of_contributions()}
    assert statuses == {"paid", "partially paid", "unpaid"}
    assert selectors.unapplied_receipts().count() >= 1
    # the reconciliation has lines matched automatically and by hand, and lines still to match
    lines = BankStatementLine.objects.all()
    assert lines.filter(is_auto_matched=True, payment__isnull=False).exists()
    assert lines.filter(is_auto_matched=False, receipt__isnull=False).exists()
    assert selectors.unmatched_bank_lines().count() >= 3
    months = selectors.reconciliation_status(today=TODAY)
    assert {row.is_reconciled for row in months} == {True, False}
    # journal entries at every step of the workflow, posted ones certified and approved by different people
    statuses = set(JournalEntry.objects.values_list("status", flat=True))
    assert statuses == set(EntryStatus.values)
    manual = JournalEntry.objects.filter(status=EntryStatus.POSTED, certified_by__isnull=False).select_related(
        "prepared_by", "certified_by", "approved_by", "posted_by")
    assert manual.count() == 3
    for entry in manual:
        assert [entry.prepared_by.username, entry.certified_by.username, entry.approved_by.username,
                entry.posted_by.username] == ["finance.officer", "certifier", "approver", "chief.accountant"]
    assert VendorInvoice.objects.filter(status="partly_paid").exists()
    # the months before the previous one are closed
    assert FiscalPeriod.objects.filter(status=PeriodStatus.CLOSED).exists()
    assert FiscalPeriod.objects.get(pk=period.pk).status == PeriodStatus.OPEN

    # when: loaded again (by the command), then the budget demo on top
    before = ledger_snapshot()
    again = run_load_finance_demo()
    # then
    assert again == "The finance demo is already loaded; nothing loaded.\n"
    assert ledger_snapshot() == before
    assert "Loaded section 29C (2021)." in load_budget_demo()
    assert sorted(Fund.objects.values_list("code", flat=True)) == ["RB", "SA", "XB"]


def test_the_budget_demo_may_run_first(organisation):
    # given: the budget demo creates the funds RB, SA and XB through finance
    load_budget_demo()
    funds = dict(Fund.objects.values_list("code", "pk"))
    # when
    output = run_load_finance_demo()
    # then: the finance demo posts into the same funds, up to today
    assert output.startswith("Finance demo loaded:")
    assert dict(Fund.objects.values_list("code", "pk")) == funds
    assert set(JournalEntry.objects.values_list("fund_id", flat=True)) == set(funds.values())
    assert selectors.trial_balance(period=period_on(timezone.localdate())).total_closing == 0
    assert not JournalEntry.objects.filter(entry_on__gt=timezone.localdate()).exists()
    assert run_load_finance_demo() == "The finance demo is already loaded; nothing loaded.\n"
