"""Commitments reserve funds on an allotment; beyond the available balance they are refused."""

from decimal import Decimal

import pytest

from secretariat.budget.exceptions import FundsNotAvailable
from secretariat.budget.models import BudgetMovement, Commitment
from secretariat.budget.selectors import available_funds
from secretariat.budget.services.commitments import commit_funds
from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.core.models import AuditEvent


def test_commitment_reserves_funds_and_is_audited(office):
    # when
    commitment = commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("400.00"),
                              source_reference="REQ-1")
    # then
    assert available_funds(allotment=office.allotment) == Decimal("600.00")
    assert commitment.open_amount == Decimal("400.00")
    movement = BudgetMovement.objects.get(commitment=commitment)
    assert (movement.kind, movement.amount) == ("committed", Decimal("400.00"))
    event = AuditEvent.objects.get(action="budget.commitment.raised")
    assert event.changes["available_after"] == "600.0000"


def test_exact_fit_is_accepted(office):
    commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("1000.00"))
    assert available_funds(allotment=office.allotment) == Decimal("0")


def test_one_cent_over_is_refused_with_a_clear_message_and_nothing_written(office):
    # given
    commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("600.00"))
    # when
    with pytest.raises(FundsNotAvailable) as refusal:
        commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("400.01"))
    # then
    assert str(refusal.value) == (
        "Funds are not available: USD 400.01 requested but only USD 400.00 is available on allotment "
        "OICT-OPS · Contractual services.")
    assert Commitment.objects.count() == 1
    assert available_funds(allotment=office.allotment) == Decimal("400.00")


def test_zero_or_negative_amount_is_invalid(office):
    with pytest.raises(InvalidInput):
        commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("0"))


def test_officer_of_another_unit_may_not_commit(office):
    with pytest.raises(AccessDenied):
        commit_funds(actor=office.outsider, allotment_id=office.allotment.pk, amount=Decimal("1.00"))
    assert Commitment.objects.count() == 0


def test_other_modules_commit_on_their_own_authority(office):
    # procurement checked its own access; the hard stop still applies
    commitment = commit_funds(actor=office.outsider, allotment_id=office.allotment.pk, amount=Decimal("10.00"),
                              source="procurement", source_reference="PO-77")
    assert commitment.get_source_display() == "Procurement"
    with pytest.raises(FundsNotAvailable):
        commit_funds(actor=office.outsider, allotment_id=office.allotment.pk, amount=Decimal("990.01"),
                     source="procurement")
