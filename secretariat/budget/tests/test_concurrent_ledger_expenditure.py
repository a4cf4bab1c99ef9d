"""Postings from the ledger and commitments racing on one allotment never overspend it (ADR 0053)."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, connections

from secretariat.budget.models import BudgetMovement, Commitment, MovementKind
from secretariat.budget.services import FundsNotAvailable, commit_funds
from secretariat.budget.tests.factories import make_allotment, make_appropriation, make_section
from secretariat.core.tests.factories import OrgUnitFactory
from secretariat.finance.models import EntryStatus, JournalEntry
from secretariat.finance.services import journal
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import build_ledger, line

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ATTEMPTS = 40


def test_postings_and_commitments_racing_on_one_allotment_never_overspend_it():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers on one file lock; row-level concurrency needs PostgreSQL.")
    # given an allotment of 1,000.00 and 40 attempts of 60.00, half postings, half commitments
    ledger = build_ledger()
    unit = OrgUnitFactory(code="OICT-OPS")
    appropriation = make_appropriation(make_section(unit, year=2026), start=datetime.date(2026, 1, 1),
                                       end=datetime.date(2026, 12, 31))
    allotment = make_allotment(appropriation, unit, object_of_expenditure="supplies_and_materials",
                               amount="1000.00")
    start = threading.Barrier(10)

    def attempt(number: int) -> str:
        close_old_connections()
        try:
            if number < 10:
                start.wait(timeout=30)
            if number % 2:
                commit_funds(actor=ledger.admin, allotment_id=allotment.pk, amount=Decimal("60.00"),
                             source_reference=f"REQ-{number}")
            else:
                journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[EntryInput(
                    fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 15), description=f"Toner {number}",
                    lines=[line(ledger.account("5310"), debit="60.00", cost_centre_id=unit.pk),
                           line(ledger.account("1110"), credit="60.00")])])
            return "accepted"
        except FundsNotAvailable:
            return "refused"
        finally:
            connections.close_all()

    # when
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(ATTEMPTS)))
    # then: exactly as many as fit (1,000 // 60 = 16); what was refused left nothing in either app
    allotment.refresh_from_db()
    posted = JournalEntry.objects.filter(status=EntryStatus.POSTED).count()
    committed = Commitment.objects.filter(allotment=allotment).count()
    assert outcomes.count("accepted") == posted + committed == 16
    assert BudgetMovement.objects.filter(kind=MovementKind.EXPENDED, journal_entry__isnull=False).count() == posted
    assert allotment.expended_amount == Decimal("60.00") * posted
    assert allotment.committed_amount == Decimal("60.00") * committed
    assert allotment.available_amount == Decimal("40.00")
