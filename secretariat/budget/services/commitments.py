"""Commitments, expenditure outside the ledger, cancellations, redeployments, reconciliation items."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import (
    ExceedsUnliquidatedBalance,
    FundsNotAvailable,
    RedeploymentNotAllowed,
)
from secretariat.budget.models import (
    Allotment,
    Appropriation,
    BudgetMovement,
    CashFlowReconciliationItem,
    Commitment,
    CommitmentSource,
    CommitmentStatus,
    MovementKind,
    ObjectOfExpenditure,
    ReconciliationKind,
    Redeployment,
)
from secretariat.budget.services.balances import (
    check_currency,
    liquidate,
    locked_allotment,
    locked_commitment,
    move_balances,
    refuse_if_not_available,
)
from secretariat.budget.services.common import (
    amount_text,
    positive_amount,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.authority import require_authority
from secretariat.core.currencies import require_minor_units
from secretariat.core.exceptions import InvalidInput

REDEPLOYMENT_AUTHORITY = "budget_redeployment"


def refuse_outside_period(start: date, end: date, on: date) -> None:
    """A commitment is dated within the period of the appropriation it draws on."""
    if not start <= on <= end:
        raise InvalidInput({"raised_on": [_("A commitment against this appropriation is dated from %(start)s to "
                                            "%(end)s.") % {"start": start, "end": end}]})


@transaction.atomic
def commit_funds(*, actor, allotment_id: int, amount: Decimal, currency: str = "USD",
                 source: str = CommitmentSource.MANUAL, source_reference: str = "", description: str = "",
                 on: date | None = None) -> Commitment:
    """Reserve funds on an allotment, or refuse (hard stop) if they are not available.

    Concurrent commitments against one allotment queue on its row lock, so the lock is taken
    last: the commitment and its movement are written first (a refusal rolls them back), and
    only the check, the balance update and the audit event run under it until commit. The
    database's ``budget_allotment_never_overspent`` check is the last line of defence. A request
    the committed balance already cannot cover is refused before writing anything: refusing on
    a committed state is as correct as refusing a moment earlier, and it keeps refusals from
    queueing behind the commitments that drained the allotment. Manual commitments need the
    ``budget.add_commitment`` permission over the allotment; other modules commit on behalf of
    their own (already checked) transactions. A commitment is dated within the period of the
    appropriation it draws on (``on``, today by default).
    """
    amount = positive_amount(amount, currency)
    if source not in CommitmentSource.values:
        raise InvalidInput({"source": [_("Unknown source of commitment.")]})
    if source == CommitmentSource.MANUAL:
        require_permission(actor=actor, permission="budget.add_commitment", target=Allotment(pk=allotment_id),
                           action=_("commit funds"))
    on = on or timezone.localdate()
    # Plain values, no model instances: this read is on the path of every commitment; the
    # allotment is loaded only to word a refusal.
    seen = Allotment.objects.filter(pk=allotment_id).values(
        "currency", "available_amount", "appropriation__period_start_on", "appropriation__period_end_on").get()
    refuse_outside_period(seen["appropriation__period_start_on"], seen["appropriation__period_end_on"], on)
    if currency != seen["currency"] or amount > seen["available_amount"]:
        refuse_if_not_available(Allotment.objects.select_related("certifying_unit").get(pk=allotment_id), amount,
                                currency)
    commitment = Commitment.objects.create(
        allotment_id=allotment_id, source=source, source_reference=source_reference, description=description,
        amount=amount, open_amount=amount, currency=currency, raised_on=on, raised_by=actor,
    )
    BudgetMovement.objects.create(allotment_id=allotment_id, commitment=commitment, kind=MovementKind.COMMITTED,
                                  amount=amount, currency=currency, occurred_on=on, actor=actor,
                                  reference=source_reference)
    allotment = locked_allotment(allotment_id)
    refuse_if_not_available(allotment, amount, currency)
    move_balances(allotment, committed=amount)
    record_audit_event(actor=actor, action="budget.commitment.raised", target=commitment,
                       changes={"allotment": allotment.pk, "amount": amount, "currency": currency, "source": source,
                                "reference": source_reference, "available_after": allotment.available_amount})
    return commitment



@transaction.atomic
def record_expenditure(*, actor, amount: Decimal, currency: str = "USD", commitment_id: int | None = None,
                       allotment_id: int | None = None, reference: str = "", on: date | None = None):
    """Record expenditure: liquidate (part of) a commitment, or charge an allotment directly.

    Expenditure posted in the ledger arrives through ``record_ledger_expenditure`` (an expense
    line names the commitment it liquidates); this service is for expenditure the ledger does
    not carry. Direct charges pass the same hard stop as commitments.
    """
    amount = positive_amount(amount, currency)
    on = on or timezone.localdate()
    if (commitment_id is None) == (allotment_id is None):
        raise InvalidInput({"commitment": [_("Give either the commitment liquidated or the allotment charged.")]})
    if commitment_id is not None:
        allotment, commitment = locked_commitment(commitment_id)
    else:
        allotment, commitment = locked_allotment(allotment_id), None
    require_permission(actor=actor, permission="budget.add_budgetmovement", target=allotment,
                       action=_("record expenditure"))
    check_currency(allotment, currency)
    if commitment is not None:
        if amount > commitment.open_amount:
            raise ExceedsUnliquidatedBalance(requested=amount_text(amount, currency), number=commitment.number,
                                             open=amount_text(commitment.open_amount, currency))
        liquidate(allotment, commitment, amount)
        kind = MovementKind.LIQUIDATED
    else:
        available = allotment.available_amount
        if amount > available:
            raise FundsNotAvailable(requested=amount_text(amount, currency),
                                    available=amount_text(available, currency), allotment=str(allotment))
        move_balances(allotment, expended=amount)
        kind = MovementKind.EXPENDED
    movement = BudgetMovement.objects.create(allotment=allotment, commitment=commitment, kind=kind, amount=amount,
                                             currency=currency, occurred_on=on, actor=actor, reference=reference)
    record_audit_event(actor=actor, action="budget.expenditure.recorded", target=commitment or allotment,
                       changes={"amount": amount, "currency": currency, "kind": kind, "reference": reference})
    return movement


@transaction.atomic
def cancel_commitment(*, actor, commitment_id: int, amount: Decimal | None = None, reason: str = "",
                      on: date | None = None) -> Commitment:
    """Cancel the unliquidated balance of a commitment (or part of it), releasing the funds."""
    allotment, commitment = locked_commitment(commitment_id)
    if commitment.source == CommitmentSource.MANUAL:
        require_permission(actor=actor, permission="budget.add_commitment", target=allotment,
                           action=_("cancel commitments"))
    amount = commitment.open_amount if amount is None else positive_amount(amount, commitment.currency)
    if amount > commitment.open_amount:
        raise ExceedsUnliquidatedBalance(requested=amount_text(amount, commitment.currency),
                                         number=commitment.number,
                                         open=amount_text(commitment.open_amount, commitment.currency))
    commitment.cancelled_amount += amount
    commitment.open_amount -= amount
    if commitment.open_amount == 0:
        commitment.transition_to(
            CommitmentStatus.LIQUIDATED if commitment.liquidated_amount > 0 else CommitmentStatus.CANCELLED)
    commitment.save(update_fields=["cancelled_amount", "open_amount", "status"])
    move_balances(allotment, committed=-amount)
    BudgetMovement.objects.create(allotment=allotment, commitment=commitment, kind=MovementKind.CANCELLED,
                                  amount=amount, currency=commitment.currency, occurred_on=on or timezone.localdate(),
                                  actor=actor, reference=reason[:100])
    record_audit_event(actor=actor, action="budget.commitment.cancelled", target=commitment,
                       changes={"amount": amount, "reason": reason})
    return commitment


@transaction.atomic
def redeploy_funds(*, actor, from_allotment_id: int, to_allotment_id: int, amount: Decimal, reason: str,
                   on: date | None = None) -> Redeployment:
    """Move unencumbered funds between object classes of one appropriation and certifying unit.

    Rules: only an officer holding a delegation of the ``budget_redeployment`` authority over
    the unit, up to its limit; only the available balance moves; posts are neither a source nor a
    destination (post resources are redeployed only with the General Assembly's approval).
    """
    if from_allotment_id == to_allotment_id:
        raise RedeploymentNotAllowed(reason=_("the two allotments are the same"))
    ids = sorted([from_allotment_id, to_allotment_id])
    appropriation_ids = set(Allotment.objects.filter(pk__in=ids).values_list("appropriation_id", flat=True))
    if len(appropriation_ids) != 1:
        raise RedeploymentNotAllowed(reason=_("funds can be redeployed only within one appropriation"))
    Appropriation.objects.select_for_update(no_key=True).get(pk=appropriation_ids.pop())
    locked = {a.pk: a for a in Allotment.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")}
    if to_allotment_id not in locked:
        raise InvalidInput({"to_allotment": [_("There is no such allotment.")]})
    source, destination = locked[from_allotment_id], locked[to_allotment_id]
    amount = positive_amount(amount, source.currency)
    if source.certifying_unit_id != destination.certifying_unit_id:
        raise RedeploymentNotAllowed(reason=_("both allotments must belong to the same certifying unit"))
    if ObjectOfExpenditure.POSTS in (source.object_of_expenditure, destination.object_of_expenditure):
        raise RedeploymentNotAllowed(reason=_("post resources are redeployed only with the approval of the "
                                              "General Assembly"))
    if not reason.strip():
        raise InvalidInput({"reason": [_("Give the reason for the redeployment.")]})
    require_authority(user=actor, authority=REDEPLOYMENT_AUTHORITY, amount=amount, currency=source.currency,
                      target=source.certifying_unit, on=on)
    if amount > source.available_amount:
        raise FundsNotAvailable(requested=amount_text(amount, source.currency),
                                available=amount_text(source.available_amount, source.currency),
                                allotment=str(source))
    move_balances(source, amount=-amount)
    move_balances(destination, amount=amount)
    on = on or timezone.localdate()
    redeployment = Redeployment.objects.create(from_allotment=source, to_allotment=destination, amount=amount,
                                               currency=source.currency, reason=reason, authorised_by=actor)
    for allotment, kind in ((source, MovementKind.REDEPLOYED_OUT), (destination, MovementKind.REDEPLOYED_IN)):
        BudgetMovement.objects.create(allotment=allotment, kind=kind, amount=amount, currency=source.currency,
                                      occurred_on=on, actor=actor, reference=f"RDP-{redeployment.pk}")
    record_audit_event(actor=actor, action="budget.funds.redeployed", target=redeployment,
                       changes={"from": str(source), "to": str(destination), "amount": amount, "reason": reason})
    return redeployment


@transaction.atomic
def record_reconciliation_item(*, actor, fund_code: str, period_start_on: date, kind: str, description: str,
                               amount: Decimal, cash_flow_activity: str = "operating",
                               currency: str = "USD") -> CashFlowReconciliationItem:
    """Enter an entity, timing or presentation difference for the IPSAS 24 reconciliation."""
    require_permission(actor=actor, permission="budget.add_cashflowreconciliationitem",
                       action=_("record reconciliation items"))
    if kind not in ReconciliationKind.values:
        raise InvalidInput({"kind": [_("Unknown kind of difference.")]})
    item = CashFlowReconciliationItem.objects.create(
        fund_code=fund_code, period_start_on=period_start_on, kind=kind, description=description,
        amount=require_minor_units(Decimal(amount), currency), cash_flow_activity=cash_flow_activity, currency=currency,
        recorded_by=actor,
    )
    record_audit_event(actor=actor, action="budget.reconciliation_item.recorded", target=item,
                       changes={"fund": fund_code, "kind": kind, "amount": amount, "description": description})
    return item


