"""Budget test data: a section with components, an approved appropriation and allotments.

Set-up writes directly (it is not the behaviour under test); the behaviour goes through services.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from secretariat.budget.models import (
    Allotment,
    Appropriation,
    AppropriationStatus,
    BudgetComponent,
    BudgetMovement,
    BudgetSection,
    MovementKind,
)
from secretariat.core.tests.factories import OrgUnitFactory, UserFactory
from secretariat.finance.models import FiscalCalendar, Fund, FundKind, JournalEntry
from secretariat.finance.services import journal
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import line

ON = datetime.date(2026, 3, 15)  # an accounting date inside the ledger's open 2026 periods


def make_section(org_unit=None, code="29C", year=2021) -> BudgetSection:
    org_unit = org_unit or OrgUnitFactory(code="OICT", name="Office of ICT", level="office")
    section = BudgetSection.objects.create(code=code, title="Office of Information and Communications Technology",
                                           budget_year=year, org_unit=org_unit)
    for position, (kind, component_code, title) in enumerate([
        ("executive_direction", "A", "Executive direction and management"),
        ("subprogramme", "1", "Strategy and technological innovation"),
        ("subprogramme", "2", "Operations support"),
        ("subprogramme", "3", "Enterprise solutions"),
    ]):
        BudgetComponent.objects.create(section=section, kind=kind, code=component_code, title=title,
                                       position=position)
    return section


def make_fund(code="RB", kind=FundKind.REGULAR_BUDGET) -> Fund:
    """A finance fund (the ledger's row; created directly, as test setup)."""
    return Fund.objects.get_or_create(code=code, defaults={"name": f"Fund {code}", "kind": kind,
                                                           "calendar": FiscalCalendar.CALENDAR_YEAR})[0]


def make_appropriation(section, amount="1000000.00", fund_code="RB", start=None, end=None) -> Appropriation:
    """An approved appropriation, by default for this calendar year (commitments are dated today)."""
    this_year = timezone.localdate().year
    start, end = start or datetime.date(this_year, 1, 1), end or datetime.date(this_year, 12, 31)
    return Appropriation.objects.create(
        section=section, fund=make_fund(fund_code), period_start_on=start, period_end_on=end,
        original_amount=Decimal(amount), amount=Decimal(amount), status=AppropriationStatus.APPROVED,
    )


def make_allotment(appropriation, unit, object_of_expenditure="contractual_services", amount="1000.00",
                   issued_by=None) -> Allotment:
    """An allotment issued the way the service leaves it: balance, appropriation total and movement."""
    amount = Decimal(amount)
    issued_by = issued_by or UserFactory(username="allotting.officer")
    allotment = Allotment.objects.create(appropriation=appropriation, certifying_unit=unit,
                                         object_of_expenditure=object_of_expenditure, amount=amount,
                                         available_amount=amount,
                                         issued_by=issued_by)
    Appropriation.objects.filter(pk=appropriation.pk).update(allotted_amount=appropriation.allotted_amount + amount)
    appropriation.refresh_from_db()
    BudgetMovement.objects.create(allotment=allotment, kind=MovementKind.ALLOTTED, amount=amount,
                                  occurred_on=appropriation.period_start_on, actor=issued_by)
    return allotment


def expense(ledger, amount, cost_centre, account="5310", on=ON, obligation="") -> EntryInput:
    """An expense paid from the bank, charged to ``cost_centre``, naming ``obligation`` if given."""
    return EntryInput(fund_id=ledger.regular_budget.pk, entry_on=on, description="Toner for the data centre",
                      lines=[line(ledger.account(account), debit=amount,
                                  cost_centre_id=cost_centre.pk if cost_centre else None, obligation=obligation),
                             line(ledger.account("1110"), credit=amount)])


def post_through_finance(ledger, officers, entry_input) -> JournalEntry:
    """Prepare, submit, certify, approve and post a manual entry, each step by its own officer."""
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=entry_input)
    journal.submit_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    journal.certify_journal_entry(actor=officers.certifier, entry_id=draft.pk)
    journal.approve_journal_entry(actor=officers.approver, entry_id=draft.pk)
    return journal.post_journal_entry(actor=officers.poster, entry_id=draft.pk)
