"""Locked allotment and commitment balances: the hard stop every charge passes."""

from decimal import Decimal

from secretariat.budget.exceptions import (
    CommitmentNotOpen,
    CurrencyMismatch,
    FundsNotAvailable,
)
from secretariat.budget.models import Allotment, Commitment, CommitmentStatus
from secretariat.budget.services.common import amount_text


def locked_allotment(allotment_id: int) -> Allotment:
    return Allotment.objects.select_for_update(no_key=True).get(pk=allotment_id)


def move_balances(allotment: Allotment, *, amount=Decimal("0"), committed=Decimal("0"),
                  expended=Decimal("0")) -> None:
    """Change a locked allotment's balances; the available balance follows in exact decimals."""
    allotment.amount += amount
    allotment.committed_amount += committed
    allotment.expended_amount += expended
    allotment.available_amount = allotment.amount - allotment.committed_amount - allotment.expended_amount
    allotment.save(update_fields=["amount", "committed_amount", "expended_amount", "available_amount"])


def check_currency(allotment: Allotment, currency: str) -> None:
    if currency != allotment.currency:
        raise CurrencyMismatch(given=currency, expected=allotment.currency)


def refuse_if_not_available(allotment: Allotment, amount: Decimal, currency: str) -> None:
    check_currency(allotment, currency)
    if amount > allotment.available_amount:
        raise FundsNotAvailable(requested=amount_text(amount, currency),
                                available=amount_text(allotment.available_amount, currency), allotment=str(allotment))



def locked_commitment(commitment_id: int) -> tuple[Allotment, Commitment]:
    """Lock a commitment's allotment, then the commitment (parents before children)."""
    allotment_id = Commitment.objects.values_list("allotment_id", flat=True).get(pk=commitment_id)
    allotment = locked_allotment(allotment_id)
    commitment = Commitment.objects.select_for_update(no_key=True).get(pk=commitment_id)
    if commitment.status != CommitmentStatus.OPEN:
        raise CommitmentNotOpen(number=commitment.number, status=commitment.get_status_display())
    return allotment, commitment


def liquidate(allotment: Allotment, commitment: Commitment, amount: Decimal) -> None:
    """Move ``amount`` of a locked commitment from committed to expended on its locked allotment.

    A negative amount (a ledger reversal) gives a liquidation back and re-opens a fully
    liquidated commitment. The available balance does not move either way.
    """
    commitment.liquidated_amount += amount
    commitment.open_amount -= amount
    if commitment.open_amount == 0:
        commitment.transition_to(CommitmentStatus.LIQUIDATED)
    elif commitment.status == CommitmentStatus.LIQUIDATED:
        commitment.transition_to(CommitmentStatus.OPEN)
    commitment.save(update_fields=["liquidated_amount", "open_amount", "status"])
    move_balances(allotment, committed=-amount, expended=amount)


