"""Expenditure liquidates commitments; cancellations release funds; the obligations report shows both."""

import datetime
from decimal import Decimal

import pytest

from secretariat.budget.exceptions import (
    CommitmentNotOpen,
    ExceedsUnliquidatedBalance,
    FundsNotAvailable,
)
from secretariat.budget.selectors import available_funds, obligations_report
from secretariat.budget.services.commitments import (
    cancel_commitment,
    commit_funds,
    record_expenditure,
)
from secretariat.core.exceptions import InvalidInput


def in_period(office, month, day, years_later=0) -> datetime.date:
    """A date of the office's appropriation year (or a later one)."""
    return datetime.date(office.appropriation.period_start_on.year + years_later, month, day)


@pytest.fixture
def commitment(office):
    return commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("600"),
                        on=in_period(office, 11, 1))


def test_partial_liquidation_moves_commitment_to_expenditure(office, commitment):
    # when
    record_expenditure(actor=office.certifier, commitment_id=commitment.pk, amount=Decimal("250"), reference="JE-1")
    # then
    commitment.refresh_from_db()
    office.allotment.refresh_from_db()
    assert (commitment.open_amount, commitment.liquidated_amount, commitment.status) == (
        Decimal("350"), Decimal("250"), "open")
    assert (office.allotment.committed_amount, office.allotment.expended_amount) == (Decimal("350"), Decimal("250"))
    assert available_funds(allotment=office.allotment) == Decimal("400")


def test_full_liquidation_closes_the_commitment(office, commitment):
    record_expenditure(actor=office.certifier, commitment_id=commitment.pk, amount=Decimal("600"))
    commitment.refresh_from_db()
    assert commitment.get_status_display() == "Fully liquidated"
    with pytest.raises(CommitmentNotOpen) as refusal:
        record_expenditure(actor=office.certifier, commitment_id=commitment.pk, amount=Decimal("1"))
    assert str(refusal.value) == f"Commitment {commitment.number} is Fully liquidated; it can no longer be changed."


def test_expenditure_beyond_the_unliquidated_balance_is_refused(office, commitment):
    with pytest.raises(ExceedsUnliquidatedBalance):
        record_expenditure(actor=office.certifier, commitment_id=commitment.pk, amount=Decimal("600.01"))


def test_direct_expenditure_passes_the_hard_stop(office, commitment):
    record_expenditure(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("400"))
    with pytest.raises(FundsNotAvailable):
        record_expenditure(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("0.01"))


def test_expenditure_names_either_a_commitment_or_an_allotment(office, commitment):
    with pytest.raises(InvalidInput):
        record_expenditure(actor=office.certifier, amount=Decimal("1"))


def test_cancellation_releases_the_unliquidated_balance(office, commitment):
    record_expenditure(actor=office.certifier, commitment_id=commitment.pk, amount=Decimal("100"))
    # when
    cancel_commitment(actor=office.certifier, commitment_id=commitment.pk, reason="Goods not needed")
    # then
    commitment.refresh_from_db()
    assert (commitment.cancelled_amount, commitment.open_amount, commitment.status) == (
        Decimal("500"), Decimal("0"), "liquidated")
    assert available_funds(allotment=office.allotment) == Decimal("900")


def test_obligations_report_separates_prior_period_cancellations(office, commitment):
    # given a second commitment, part-cancelled after the period closed
    second = commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("300"),
                          on=in_period(office, 12, 1))
    cancel_commitment(actor=office.certifier, commitment_id=second.pk, amount=Decimal("50"),
                      on=in_period(office, 12, 15))
    cancel_commitment(actor=office.certifier, commitment_id=second.pk, amount=Decimal("200"),
                      on=in_period(office, 2, 1, years_later=1))
    # when
    report = obligations_report(appropriation=office.appropriation)
    # then
    assert report.unliquidated_amount == Decimal("650")  # 600 + 50
    assert report.prior_period_cancellations_amount == Decimal("200")
    assert report.percentage_of_final_appropriation == Decimal("0.1")  # 850 of 1,000,000
    assert [c.pk for c in report.open_commitments] == [commitment.pk, second.pk]
