"""Property: any interleaving of commitments, liquidations, cancellations, direct expenditure, and
ledger postings that liquidate commitments (and their reversals) keeps the available balance at or
above zero, the running balances equal to the movement journal, and the expenditure equal to what
the ledger and the budget's own records say."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from secretariat.budget.exceptions import (
    ExceedsUnliquidatedBalance,
    ExpenditureNotAttributable,
    FundsNotAvailable,
)
from secretariat.budget.models import Allotment, Commitment, CommitmentStatus
from secretariat.budget.selectors import available_funds, balances_from_movements
from secretariat.budget.services.commitments import (
    cancel_commitment,
    commit_funds,
    record_expenditure,
)
from secretariat.budget.tests.factories import (
    ON,
    expense,
    make_allotment,
    make_appropriation,
    make_section,
)
from secretariat.core.tests.factories import OrgUnitFactory
from secretariat.finance import selectors as ledger_selectors
from secretariat.finance.models import EntryStatus, JournalEntry
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import build_ledger

CENT = Decimal("0.01")
amounts = st.decimals(min_value=CENT, max_value=Decimal("400"), places=2)
# Postings are drawn twice as often: they have the most paths (liquidate, excess, refusals).
operations = st.sampled_from(["commit", "liquidate", "cancel", "expend", "post", "post", "reverse"])


class ControlInvariant(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The ledger and the allotment are built once; every example rolls back to them.
        cls.ledger = build_ledger()
        cls.unit = OrgUnitFactory(code="UNIT-H")
        appropriation = make_appropriation(make_section(cls.unit, year=2026), start=datetime.date(2026, 1, 1),
                                           end=datetime.date(2026, 12, 31))
        cls.allotment_id = make_allotment(appropriation, cls.unit, object_of_expenditure="supplies_and_materials",
                                          amount="1000.00").pk

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_available_never_negative_and_books_agree(self, data):
        self.available = Decimal("1000.00")
        self.expended_outside_the_ledger = Decimal("0")
        self.direct_from_ledger: dict[int, Decimal] = {}  # posted entry → what it charged without a commitment
        self.commit(data, data.draw(amounts))  # a purchase order for the invoices to name
        for _ in range(data.draw(st.integers(1, 12))):
            operation = data.draw(operations)
            boundary = st.sampled_from([max(self.available, CENT), self.available + CENT])
            amount = data.draw(st.one_of(amounts, boundary))
            getattr(self, operation)(data, amount)
            assert available_funds(allotment=Allotment(pk=self.allotment_id)) == self.available >= 0
        self.assert_books_agree()

    # --- Operations: each does one thing and keeps the expected available balance ------------------

    def commit(self, data, amount):
        self.spend_or_refuse(amount, lambda: commit_funds(actor=self.ledger.admin, allotment_id=self.allotment_id,
                                                          amount=amount))

    def expend(self, data, amount):
        if self.spend_or_refuse(amount, lambda: record_expenditure(actor=self.ledger.admin,
                                                                   allotment_id=self.allotment_id, amount=amount)):
            self.expended_outside_the_ledger += amount

    def liquidate(self, data, amount):
        commitment = self.open_commitment(data)
        if commitment is None:
            return
        if amount <= commitment.open_amount:
            record_expenditure(actor=self.ledger.admin, commitment_id=commitment.pk, amount=amount, on=ON)
            self.expended_outside_the_ledger += amount
        else:
            with self.assertRaises(ExceedsUnliquidatedBalance):
                record_expenditure(actor=self.ledger.admin, commitment_id=commitment.pk, amount=amount)

    def cancel(self, data, amount):
        commitment = self.open_commitment(data)
        if commitment is None:
            return
        if amount <= commitment.open_amount:
            cancel_commitment(actor=self.ledger.admin, commitment_id=commitment.pk, amount=amount, on=ON)
            self.available += amount
        else:
            with self.assertRaises(ExceedsUnliquidatedBalance):
                cancel_commitment(actor=self.ledger.admin, commitment_id=commitment.pk, amount=amount)

    def post(self, data, amount):
        """An invoice posted in the ledger naming a commitment (of any status) or none."""
        commitment_ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))
        commitment_id = data.draw(st.sampled_from([None, *commitment_ids]))
        commitment = Commitment.objects.get(pk=commitment_id) if commitment_id else None
        entry = expense(self.ledger, amount, self.unit, obligation=commitment.number if commitment else "")
        if commitment is not None and commitment.status != CommitmentStatus.OPEN:
            with self.assertRaises(ExpenditureNotAttributable):
                self.post_entry(entry)
            return
        excess = amount - min(amount, commitment.open_amount) if commitment else amount
        if excess > self.available:
            with self.assertRaises(FundsNotAvailable):
                self.post_entry(entry)
            return
        self.direct_from_ledger[self.post_entry(entry).pk] = excess
        self.available -= excess

    def reverse(self, data, amount):
        originals = list(JournalEntry.objects.filter(status=EntryStatus.POSTED, reverses__isnull=True)
                         .order_by("pk").values_list("pk", flat=True))
        if not originals:
            return
        entry_id = data.draw(st.sampled_from(originals))
        journal.reverse_journal_entry(actor=self.ledger.admin, entry_id=entry_id, reversal_on=ON, reason="Error")
        self.available += self.direct_from_ledger[entry_id]

    # --- Helpers ----------------------------------------------------------------------------------

    def spend_or_refuse(self, amount, action) -> bool:
        """Run an action that takes ``amount`` from the available balance, or see it refused."""
        if amount > self.available:
            with self.assertRaises(FundsNotAvailable):
                action()
            return False
        action()
        self.available -= amount
        return True

    def open_commitment(self, data) -> Commitment | None:
        open_ids = list(Commitment.objects.filter(status=CommitmentStatus.OPEN).order_by("pk")
                        .values_list("pk", flat=True))
        return Commitment.objects.get(pk=data.draw(st.sampled_from(open_ids))) if open_ids else None

    def post_entry(self, entry) -> JournalEntry:
        [posted] = journal.post_journal_entries(actor=self.ledger.admin, journal=self.ledger.general,
                                                entries=[entry])
        return posted

    def assert_books_agree(self):
        allotment = Allotment.objects.get(pk=self.allotment_id)
        movements = balances_from_movements(allotment=allotment)
        assert (movements["amount"], movements["committed"], movements["expended"]) == (
            allotment.amount, allotment.committed_amount, allotment.expended_amount)
        assert allotment.available_amount == allotment.amount - allotment.committed_amount - allotment.expended_amount
        commitments = Commitment.objects.filter(allotment=allotment)
        assert sum(commitments.values_list("open_amount", flat=True), Decimal("0")) == allotment.committed_amount
        for commitment in commitments:
            assert commitment.open_amount == commitment.amount - commitment.liquidated_amount - \
                commitment.cancelled_amount
            assert (commitment.status == CommitmentStatus.OPEN) == (commitment.open_amount > 0)
        # The allotment's expenditure is what the ledger posted to it plus what was keyed outside it.
        posted = ledger_selectors.posted_amount(cost_centre_ids=[self.unit.pk], account_codes=["5310"])
        assert allotment.expended_amount == posted + self.expended_outside_the_ledger
