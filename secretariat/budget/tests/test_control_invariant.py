"""Property: any interleaving of commitments, liquidations, cancellations and direct expenditure keeps the
available balance at or above zero and the running balances equal to the movement journal."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from secretariat.budget.models import Commitment, CommitmentStatus
from secretariat.budget.selectors import available_funds, balances_from_movements
from secretariat.budget.services import (
    ExceedsUnliquidatedBalance,
    FundsNotAvailable,
    cancel_commitment,
    commit_funds,
    record_expenditure,
)
from secretariat.budget.tests.factories import (
    make_allotment,
    make_appropriation,
    make_section,
)
from secretariat.core.tests.factories import OrgUnitFactory, UserFactory

CENT = Decimal("0.01")
amounts = st.decimals(min_value=CENT, max_value=Decimal("400"), places=2)
operations = st.sampled_from(["commit", "liquidate", "cancel", "expend"])


class ControlInvariant(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_available_never_negative_and_books_agree(self, data):
        unit = OrgUnitFactory(code="UNIT-H")
        allotment = make_allotment(make_appropriation(make_section(unit)), unit, amount="1000.00")
        officer = UserFactory(username="officer")
        officer.is_superuser = True
        officer.save()
        available = Decimal("1000.00")
        for _ in range(data.draw(st.integers(1, 10))):
            operation = data.draw(operations)
            boundary = st.sampled_from([max(available, CENT), available + CENT])
            amount = data.draw(st.one_of(amounts, boundary))
            open_ids = list(Commitment.objects.filter(status=CommitmentStatus.OPEN).values_list("pk", flat=True))
            if operation in ("commit", "expend"):
                kwargs = {"allotment_id": allotment.pk, "amount": amount}
                action = commit_funds if operation == "commit" else record_expenditure
                if amount <= available:
                    action(actor=officer, **kwargs)
                    available -= amount
                else:
                    with self.assertRaises(FundsNotAvailable):
                        action(actor=officer, **kwargs)
            elif open_ids:
                commitment = Commitment.objects.get(pk=data.draw(st.sampled_from(open_ids)))
                action = record_expenditure if operation == "liquidate" else cancel_commitment
                if amount <= commitment.open_amount:
                    action(actor=officer, commitment_id=commitment.pk, amount=amount, on=datetime.date(2021, 5, 1))
                    if operation == "cancel":
                        available += amount
                else:
                    with self.assertRaises(ExceedsUnliquidatedBalance):
                        action(actor=officer, commitment_id=commitment.pk, amount=amount)
            assert available_funds(allotment=allotment) == available >= 0
        allotment.refresh_from_db()
        journal = balances_from_movements(allotment=allotment)
        assert (journal["amount"], journal["committed"], journal["expended"]) == (
            allotment.amount, allotment.committed_amount, allotment.expended_amount)
        assert allotment.available_amount == allotment.amount - allotment.committed_amount - allotment.expended_amount
        open_total = sum(Commitment.objects.filter(allotment=allotment).values_list("open_amount", flat=True),
                         Decimal("0"))
        assert open_total == allotment.committed_amount
