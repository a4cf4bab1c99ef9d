"""Postings from the ledger, commitments and cancellations racing on one allotment never overspend it
nor over-liquidate a commitment (ADR 0053)."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import close_old_connections, connections

from secretariat.budget.exceptions import (
    CommitmentNotOpen,
    ExceedsUnliquidatedBalance,
    ExpenditureNotAttributable,
    FundsNotAvailable,
)
from secretariat.budget.models import (
    BudgetMovement,
    Commitment,
    CommitmentStatus,
    MovementKind,
)
from secretariat.budget.services.commitments import cancel_commitment, commit_funds
from secretariat.budget.tests.factories import (
    expense,
    make_allotment,
    make_appropriation,
    make_section,
)
from secretariat.core.tests.factories import OrgUnitFactory
from secretariat.finance.models import EntryStatus, JournalEntry
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import build_ledger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ATTEMPTS = 40
WORKERS = 10


@pytest.fixture
def allotment_of_1000():
    ledger = build_ledger()
    unit = OrgUnitFactory(code="OICT-OPS")
    appropriation = make_appropriation(make_section(unit, year=2026), start=datetime.date(2026, 1, 1),
                                       end=datetime.date(2026, 12, 31))
    return ledger, unit, make_allotment(appropriation, unit, object_of_expenditure="supplies_and_materials",
                                        amount="1000.00")


def race(attempt, attempts: int = ATTEMPTS) -> list[str]:
    """Run ``attempt(number)`` for each number on its own connection, the first ones released at
    once; each outcome is "accepted" or the name of the refusal."""
    start = threading.Barrier(WORKERS)

    def run(number: int) -> str:
        close_old_connections()
        try:
            if number < WORKERS:
                start.wait(timeout=30)
            attempt(number)
            return "accepted"
        except (FundsNotAvailable, ExpenditureNotAttributable, CommitmentNotOpen,
                ExceedsUnliquidatedBalance) as refusal:
            return type(refusal).__name__
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, range(attempts)))


def post_toner(ledger, unit, amount="60.00", obligation=""):
    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                 entries=[expense(ledger, amount, unit, obligation=obligation)])


def test_postings_and_commitments_racing_on_one_allotment_never_overspend_it(allotment_of_1000):
    # given an allotment of 1,000.00 and 40 attempts of 60.00, half postings, half commitments
    ledger, unit, allotment = allotment_of_1000

    def attempt(number: int) -> None:
        if number % 2:
            commit_funds(actor=ledger.admin, allotment_id=allotment.pk, amount=Decimal("60.00"),
                         source_reference=f"REQ-{number}")
        else:
            post_toner(ledger, unit)

    # when
    outcomes = race(attempt)
    # then: exactly as many as fit (1,000 // 60 = 16); what was refused left nothing in either app
    allotment.refresh_from_db()
    posted = JournalEntry.objects.filter(status=EntryStatus.POSTED).count()
    committed = Commitment.objects.filter(allotment=allotment).count()
    assert outcomes.count("accepted") == posted + committed == 16
    assert BudgetMovement.objects.filter(kind=MovementKind.EXPENDED, journal_entry__isnull=False).count() == posted
    assert allotment.expended_amount == Decimal("60.00") * posted
    assert allotment.committed_amount == Decimal("60.00") * committed
    assert allotment.available_amount == Decimal("40.00")


def test_invoices_racing_to_liquidate_one_commitment_never_over_liquidate_it(allotment_of_1000):
    # given 400.00 committed (600.00 available) and 36 invoices of 60.00 naming the commitment, while
    # 4 attempts try to cancel 10.00 of what is still open. Once the commitment is closed, invoices
    # naming it are refused; before, each liquidates what is open and charges the rest directly.
    ledger, unit, allotment = allotment_of_1000
    commitment = commit_funds(actor=ledger.admin, allotment_id=allotment.pk, amount=Decimal("400.00"),
                              source="procurement", source_reference="PO-2026-0042")

    def attempt(number: int) -> None:
        if number % 10 == 5:
            cancel_commitment(actor=ledger.admin, commitment_id=commitment.pk, amount=Decimal("10.00"),
                              reason="Partial delivery")
        else:
            post_toner(ledger, unit, obligation=commitment.number)

    # when
    outcomes = race(attempt)
    # then: the commitment was liquidated and cancelled exactly once over, the rest charged directly
    allotment.refresh_from_db()
    commitment.refresh_from_db()
    posted = JournalEntry.objects.filter(status=EntryStatus.POSTED).count()
    liquidations = BudgetMovement.objects.filter(kind=MovementKind.LIQUIDATED).values_list("amount", flat=True)
    direct = BudgetMovement.objects.filter(kind=MovementKind.EXPENDED).values_list("amount", flat=True)
    assert posted == outcomes.count("accepted") - commitment.cancelled_amount / Decimal("10.00") > 0
    assert commitment.liquidated_amount == sum(liquidations) == Decimal("60.00") * posted - sum(direct)
    assert commitment.liquidated_amount + commitment.cancelled_amount == Decimal("400.00")
    assert (commitment.status, commitment.open_amount) == (CommitmentStatus.LIQUIDATED, Decimal("0"))
    assert (allotment.committed_amount, allotment.expended_amount) == (Decimal("0"), Decimal("60.00") * posted)
    assert allotment.available_amount == Decimal("1000.00") - allotment.expended_amount >= 0
