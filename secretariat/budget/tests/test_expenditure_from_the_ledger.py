"""Expenditure recorded from the ledger: posting an expense moves the allotment, a reversal gives
it back, the hard stop refuses the posting, and nothing is ever counted twice (ADR 0053)."""

import datetime
from decimal import Decimal

import pytest

from secretariat.budget.exceptions import ExpenditureNotAttributable, FundsNotAvailable
from secretariat.budget.models import Allotment, BudgetMovement, MovementKind
from secretariat.budget.selectors import balances_from_movements
from secretariat.budget.services.ledger import record_ledger_expenditure
from secretariat.budget.tests.factories import (
    ON,
    expense,
    make_allotment,
    make_appropriation,
    make_section,
    post_through_finance,
)
from secretariat.core.access import scoped
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import OrgUnitFactory, UserFactory, grant
from secretariat.finance.models import EntryStatus, JournalEntry, PeriodBalance
from secretariat.finance.services import journal
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import line

pytestmark = pytest.mark.django_db


def balances(allotment):
    allotment.refresh_from_db()
    return allotment.expended_amount, allotment.available_amount


def test_posting_an_expense_moves_the_allotments_expenditure_and_available_balance(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    # when
    entry = post_through_finance(ledger, officers, expense(ledger, "250.00", unit))
    # then
    assert balances(allotment) == (Decimal("250.00"), Decimal("750.00"))
    movement = BudgetMovement.objects.get(journal_entry=entry)
    assert (movement.kind, movement.amount, movement.reference, movement.allotment_id) == (
        MovementKind.EXPENDED, Decimal("250.00"), entry.number, allotment.pk)
    assert balances_from_movements(allotment=allotment)["expended"] == Decimal("250.00")
    event = AuditEvent.objects.get(action="budget.expenditure.recorded_from_ledger")
    assert event.changes["journal_entry"] == entry.number


def test_a_reversal_in_the_ledger_reverses_the_expenditure(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    entry = post_through_finance(ledger, officers, expense(ledger, "250.00", unit))
    # when
    reversal = journal.reverse_journal_entry(actor=officers.poster, entry_id=entry.pk,
                                             reversal_on=datetime.date(2026, 4, 2), reason="Wrong cost centre")
    # then
    assert balances(allotment) == (Decimal("0.00"), Decimal("1000.00"))
    movement = BudgetMovement.objects.get(journal_entry=reversal)
    assert (movement.kind, movement.amount) == (MovementKind.EXPENDITURE_REVERSED, Decimal("250.00"))
    assert balances_from_movements(allotment=allotment) == {
        "amount": Decimal("1000.00"), "committed": Decimal("0"), "expended": Decimal("0.00")}


def test_an_expense_beyond_the_available_balance_refuses_the_posting(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    post_through_finance(ledger, officers, expense(ledger, "999.99", unit))
    balances_before = PeriodBalance.objects.count(), list(PeriodBalance.objects.values_list("debit_usd", flat=True))
    # when
    with pytest.raises(FundsNotAvailable) as refusal:
        post_through_finance(ledger, officers, expense(ledger, "0.02", unit))
    # then
    assert str(refusal.value) == ("Funds are not available: USD 0.02 requested but only USD 0.01 is available on "
                                  "allotment OICT-OPS · Supplies and materials.")
    assert balances(allotment) == (Decimal("999.99"), Decimal("0.01"))
    assert JournalEntry.objects.filter(status=EntryStatus.POSTED).count() == 1
    assert JournalEntry.objects.filter(status=EntryStatus.APPROVED).count() == 1
    assert (PeriodBalance.objects.count(),
            list(PeriodBalance.objects.values_list("debit_usd", flat=True))) == balances_before


def test_the_exact_available_balance_can_be_spent(ledger_office):
    ledger, officers, unit, allotment = ledger_office
    post_through_finance(ledger, officers, expense(ledger, "1000.00", unit))
    assert balances(allotment) == (Decimal("1000.00"), Decimal("0.00"))


def test_a_posted_entry_is_never_counted_twice(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    entry = post_through_finance(ledger, officers, expense(ledger, "250.00", unit))
    # when
    again = record_ledger_expenditure(entries=[entry, entry], actor=officers.poster)
    # then
    assert again == []
    assert BudgetMovement.objects.filter(journal_entry=entry).count() == 1
    assert balances(allotment) == (Decimal("250.00"), Decimal("750.00"))


def test_batch_postings_from_sub_ledgers_record_expenditure_too(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    # when
    entries = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[
        expense(ledger, "100.00", unit), expense(ledger, "40.00", unit)])
    # then
    assert balances(allotment) == (Decimal("140.00"), Decimal("860.00"))
    assert sorted(BudgetMovement.objects.filter(kind=MovementKind.EXPENDED).values_list("journal_entry", flat=True)
                  ) == sorted(e.pk for e in entries)


def test_lines_outside_budgetary_control_post_without_touching_the_budget(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    elsewhere = OrgUnitFactory(code="DGACM", name="Conference Management", level="department")
    # when: another cost centre, another object class, a non-budget expense, no cost centre at all
    post_through_finance(ledger, officers, expense(ledger, "10.00", elsewhere))
    post_through_finance(ledger, officers, expense(ledger, "10.00", unit, account="5410"))
    post_through_finance(ledger, officers, expense(ledger, "10.00", unit, account="5510"))
    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[EntryInput(
        fund_id=ledger.regular_budget.pk, entry_on=ON, description="Unallocated",
        lines=[line(ledger.account("5310"), debit="10.00"), line(ledger.account("1110"), credit="10.00")])])
    # then
    assert JournalEntry.objects.filter(status=EntryStatus.POSTED).count() == 4
    assert balances(allotment) == (Decimal("0"), Decimal("1000.00"))
    assert not BudgetMovement.objects.filter(journal_entry__isnull=False).exists()


def test_an_expense_two_allotments_could_take_is_refused(ledger_office):
    # given: a second section's appropriation of the same fund allots to the same unit and object
    ledger, officers, unit, allotment = ledger_office
    other = make_appropriation(make_section(OrgUnitFactory(code="DOS", name="Operational Support"), code="29B",
                                            year=2026), fund_code="RB", start=datetime.date(2026, 1, 1),
                               end=datetime.date(2026, 12, 31))
    make_allotment(other, unit, object_of_expenditure="supplies_and_materials", amount="50.00",
                   issued_by=allotment.issued_by)
    # when
    with pytest.raises(ExpenditureNotAttributable) as refusal:
        journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                     entries=[expense(ledger, "5.00", unit)])
    # then
    assert str(refusal.value).endswith("cannot be charged to one allotment: more than one allotment covers its "
                                       "fund, cost centre and object class.")
    assert not JournalEntry.objects.exists()
    assert balances(allotment) == (Decimal("0"), Decimal("1000.00"))


def test_roles_granted_per_fund_filter_budget_lists(ledger_office):
    # given
    ledger, officers, unit, allotment = ledger_office
    trust = make_appropriation(allotment.appropriation.section, fund_code="TF-HUM", start=datetime.date(2026, 1, 1),
                               end=datetime.date(2026, 12, 31))
    assert trust.fund == ledger.trust_fund
    trust_allotment = make_allotment(trust, unit, amount="10.00", issued_by=allotment.issued_by)
    reader = UserFactory(username="fund.reader")
    grant(reader, "budget_reader", ledger.trust_fund)
    # when
    allotments = scoped(Allotment.objects.all(), actor=reader, permission="budget.view_allotment")
    # then
    assert list(allotments) == [trust_allotment]
