"""Prepare → submit → certify → approve → post, with numbering, balances, audit and every refusal."""

import datetime
from decimal import Decimal

import pytest

from secretariat.core.authority import AuthorityNotHeld, SegregationOfDutiesViolation
from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import AuditEvent
from secretariat.finance import selectors
from secretariat.finance.models import (
    EntryStatus,
    ExchangeRate,
    FiscalPeriod,
    JournalEntry,
    JournalLine,
    PeriodBalance,
    PeriodStatus,
)
from secretariat.finance.services import journal, structure
from secretariat.finance.services.errors import (
    AccountNotPostable,
    EntryNotInStatus,
    InvalidLine,
    NoFiscalPeriod,
    PeriodNotOpen,
    RateMissing,
    UnbalancedEntry,
)
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.services.period_close import PeriodHasOpenItems
from secretariat.finance.tests.factories import line, simple_entry

pytestmark = pytest.mark.django_db


def approved_entry(ledger, officers, entry_input=None):
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                         entry=entry_input or simple_entry(ledger))
    journal.submit_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    journal.certify_journal_entry(actor=officers.certifier, entry_id=draft.pk)
    return journal.approve_journal_entry(actor=officers.approver, entry_id=draft.pk)


def test_an_approved_entry_is_posted_with_the_next_number_and_counted_in_the_balances(ledger, officers):
    # given
    first = approved_entry(ledger, officers)
    second = approved_entry(ledger, officers, simple_entry(ledger, "250.00"))
    # when
    journal.post_journal_entry(actor=officers.poster, entry_id=second.pk)
    journal.post_journal_entry(actor=officers.poster, entry_id=first.pk)
    # then
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.number, first.number) == ("GJ-2026-000001", "GJ-2026-000002")
    assert first.status == EntryStatus.POSTED and first.posted_by == officers.poster
    supplies = PeriodBalance.objects.get(account=ledger.account("5310"), fund=ledger.regular_budget)
    assert (supplies.debit_usd, supplies.credit_usd) == (Decimal("350.00"), Decimal("0"))
    assert AuditEvent.objects.filter(action="finance.journal_entry.posted", target_id=str(first.pk)).exists()
    assert selectors.posted_amount(fund_ids=[ledger.regular_budget.pk], account_codes=["5310"]) == Decimal("350.00")


def test_a_foreign_currency_line_keeps_amount_rate_and_usd_amount(ledger, officers):
    # given
    structure.set_exchange_rate(actor=ledger.admin, currency="CHF", year=2026, month=3,
                                units_per_usd=Decimal("0.800000"))
    entry = EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 2), description="Rent",
                       lines=[line(ledger.account("5910"), debit="800.00", currency="CHF"),
                              line(ledger.account("1110"), credit="1000.00")])
    # when
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=entry)
    # then
    chf = draft.lines.get(currency="CHF")
    assert (chf.debit_amount, chf.exchange_rate, chf.debit_usd) == (Decimal("800"), Decimal("0.8"), Decimal("1000"))
    assert draft.total_usd == Decimal("1000.00")


def test_a_currency_without_a_rate_for_the_month_is_refused(ledger, officers):
    ExchangeRate.objects.create(currency="EUR", month_on=datetime.date(2026, 2, 1), units_per_usd=Decimal("0.9"))
    entry = EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 2), description="Rent",
                       lines=[line(ledger.account("5910"), debit="90", currency="EUR"),
                              line(ledger.account("1110"), credit="100")])
    with pytest.raises(RateMissing) as refusal:
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=entry)
    assert str(refusal.value) == "There is no operational rate of exchange for EUR in 2026-03."
    assert not JournalEntry.objects.exists()


def test_an_unbalanced_entry_is_refused_and_nothing_is_written(ledger, officers):
    entry = EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 2), description="Typo",
                       lines=[line(ledger.account("5310"), debit="100.00"), line(ledger.account("1110"), credit="99.99")])
    with pytest.raises(UnbalancedEntry) as refusal:
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=entry)
    assert str(refusal.value) == ("The entry does not balance in fund RB: debits 100.00 USD, credits 99.99 USD.")
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()


def test_each_fund_must_balance_on_its_own(ledger, officers):
    entry = EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 2), description="Mixed",
                       lines=[line(ledger.account("5310"), debit="100"),
                              line(ledger.account("1110"), credit="100", fund_id=ledger.trust_fund.pk)])
    with pytest.raises(UnbalancedEntry) as refusal:
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=entry)
    assert "fund RB" in str(refusal.value)


def test_a_line_with_both_or_no_sides_is_refused(ledger, officers):
    entry = EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 2), description="Bad",
                       lines=[line(ledger.account("5310"), debit="100", credit="100"),
                              line(ledger.account("1110"), credit="100")])
    with pytest.raises(InvalidLine) as refusal:
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=entry)
    assert str(refusal.value) == "Line 1: give either a debit or a credit, greater than zero."


def test_an_inactive_account_is_refused_even_after_approval(ledger, officers):
    entry = approved_entry(ledger, officers)
    structure.set_account_active(actor=ledger.admin, account_id=ledger.account("5310").pk, is_active=False)
    with pytest.raises(AccountNotPostable) as refusal:
        journal.post_journal_entry(actor=officers.poster, entry_id=entry.pk)
    assert str(refusal.value) == "Account 5310 is inactive or does not accept postings."
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED and entry.number == ""


def test_posting_into_a_closed_period_is_refused(ledger, officers):
    entry = approved_entry(ledger, officers)
    with pytest.raises(PeriodHasOpenItems) as refusal:
        structure.close_fiscal_period(actor=ledger.admin, period_id=entry.period_id, reason="March closed")
    assert "1 entry not posted" in str(refusal.value)
    # A period closed before the close checklist existed may still hold an approved entry.
    FiscalPeriod.objects.filter(pk=entry.period_id).update(status=PeriodStatus.CLOSED)
    with pytest.raises(PeriodNotOpen) as refusal:
        journal.post_journal_entry(actor=officers.poster, entry_id=entry.pk)
    assert str(refusal.value) == "The fiscal period Calendar year (January–December) 2026-03 is closed: nothing can be posted into it."
    with pytest.raises(PeriodNotOpen):
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))


def test_a_date_without_a_fiscal_period_is_refused(ledger, officers):
    with pytest.raises(NoFiscalPeriod):
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                     entry=simple_entry(ledger, on=datetime.date(2031, 1, 5)))


def test_the_preparer_cannot_certify_and_the_certifier_cannot_approve(ledger, officers):
    # given a preparer who also holds certifying and approving authority
    from secretariat.core.tests.factories import delegation, grant

    grant(officers.preparer, "finance_certifier", ledger.regular_budget)
    delegation(officers.preparer, "certifying_officer", ledger.regular_budget)
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))
    journal.submit_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    # when / then
    with pytest.raises(SegregationOfDutiesViolation):
        journal.certify_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    journal.certify_journal_entry(actor=officers.certifier, entry_id=draft.pk)
    grant(officers.certifier, "finance_approver", ledger.regular_budget)
    delegation(officers.certifier, "approving_officer", ledger.regular_budget)
    with pytest.raises(SegregationOfDutiesViolation):
        journal.approve_journal_entry(actor=officers.certifier, entry_id=draft.pk)


def test_certifying_beyond_the_delegated_limit_is_refused(ledger, officers):
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                         entry=simple_entry(ledger, "2000000.00"))
    journal.submit_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    with pytest.raises(AuthorityNotHeld) as refusal:
        journal.certify_journal_entry(actor=officers.certifier, entry_id=draft.pk)
    assert "the amount exceeds the delegated limit" in str(refusal.value)


def test_an_officer_of_another_fund_cannot_prepare_entries_here(ledger, officers):
    with pytest.raises(AccessDenied):
        journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                     entry=simple_entry(ledger, fund=ledger.trust_fund))


def test_posting_twice_is_refused(ledger, officers):
    entry = approved_entry(ledger, officers)
    journal.post_journal_entry(actor=officers.poster, entry_id=entry.pk)
    with pytest.raises(EntryNotInStatus) as refusal:
        journal.post_journal_entry(actor=officers.poster, entry_id=entry.pk)
    assert str(refusal.value) == "Journal entry GJ-2026-000001 is Posted; this needs it to be Approved."
