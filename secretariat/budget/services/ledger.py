"""Expenditure from the ledger (ADR 0053): postings charge allotments and liquidate commitments."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import ExpenditureNotAttributable
from secretariat.budget.models import (
    Allotment,
    AppropriationStatus,
    BudgetMovement,
    Commitment,
    CommitmentStatus,
    MovementKind,
    ObjectOfExpenditure,
)
from secretariat.budget.services.balances import (
    check_currency,
    liquidate,
    move_balances,
    refuse_if_not_available,
)
from secretariat.core.audit import record_audit_event
from secretariat.finance import selectors as ledger

# --- Expenditure from the ledger (ADR 0053) -----------------------------------------------------

# The object class an expense account charges. Sub-accounts charge their parent's object class;
# expense accounts not listed (depreciation, exchange differences) are not budget expenditure.
LEDGER_OBJECT_CLASSES = {
    "5110": ObjectOfExpenditure.POSTS,
    "5210": ObjectOfExpenditure.GRANTS_AND_CONTRIBUTIONS,
    "5310": ObjectOfExpenditure.SUPPLIES_AND_MATERIALS,
    "5410": ObjectOfExpenditure.TRAVEL_OF_STAFF,
    "5910": ObjectOfExpenditure.GENERAL_OPERATING_EXPENSES,
}

# The commitment key of expenditure charged to an allotment without a commitment.
DIRECT = None

# Reversing an entry charges again (+1) or gives back (−1) what each of its movements recorded.
REVERSAL_SIGNS = {
    MovementKind.EXPENDED: -1,
    MovementKind.EXPENDITURE_REVERSED: 1,
    MovementKind.LIQUIDATED: -1,
    MovementKind.LIQUIDATION_REVERSED: 1,
}

# (journal entry id, allotment id, id of the commitment liquidated or DIRECT) → net USD.
LedgerCharges = dict[tuple[int, int, int | None], Decimal]




def allotment_charged(entry, row: dict) -> int | None:
    """The allotment an expense line charges, or None when no allotment covers it.

    The allotment issued to the line's cost centre, for its account's object class, under the
    approved appropriation of its fund whose period covers the entry's date.
    """
    object_class = LEDGER_OBJECT_CLASSES.get(row["account"]) or LEDGER_OBJECT_CLASSES.get(row["object_class"])
    if row["cost_centre"] is None or object_class is None:
        return None
    allotment_ids = list(Allotment.objects.filter(
        appropriation__fund__code=row["fund"], appropriation__status=AppropriationStatus.APPROVED,
        appropriation__period_start_on__lte=entry.entry_on, appropriation__period_end_on__gte=entry.entry_on,
        certifying_unit_id=row["cost_centre"], object_of_expenditure=object_class,
    ).values_list("pk", flat=True))
    if len(allotment_ids) > 1:
        raise ExpenditureNotAttributable(
            entry=entry.number, reason=_("more than one allotment covers its fund, cost centre and object class"))
    return allotment_ids[0] if allotment_ids else None


def refuse_unless_open(entry, commitment: Commitment) -> None:
    if commitment.status != CommitmentStatus.OPEN:
        raise ExpenditureNotAttributable(entry=entry.number, reason=_("commitment %(number)s is %(status)s") % {
            "number": commitment.number, "status": commitment.get_status_display()})


def commitment_named(entry, obligation: str, allotment_id: int | None) -> int:
    """The open commitment an expense line names as its obligation, on the allotment the line charges."""
    pk = Commitment.pk_from_number(obligation)
    commitment = Commitment.objects.filter(pk=pk).select_related("allotment__certifying_unit").first() if pk else None
    if commitment is None:
        raise ExpenditureNotAttributable(entry=entry.number, reason=_(
            "it names %(obligation)s, which is not the number of a commitment") % {"obligation": obligation})
    if commitment.allotment_id != allotment_id:
        raise ExpenditureNotAttributable(entry=entry.number, reason=_(
            "commitment %(number)s is held on allotment %(allotment)s, which does not cover the line that names "
            "it") % {"number": commitment.number, "allotment": str(commitment.allotment)})
    refuse_unless_open(entry, commitment)
    return commitment.pk


def original_charges(originals) -> LedgerCharges:
    """Net USD of the expense lines of posted entries per entry, allotment and commitment named.

    Lines no allotment covers are outside budgetary control, unless they name a commitment: then
    the reference is wrong, and a silent skip would leave the commitment open and the allotment
    charged twice. A net credit naming a commitment is refused: only the reversal of the entry
    that liquidated it gives a liquidation back.
    """
    by_pk = {entry.pk: entry for entry in originals}
    charges: LedgerCharges = defaultdict(Decimal)
    for row in ledger.posted_amounts(
            group_by=("entry", "fund", "account", "object_class", "cost_centre", "obligation"),
            entry_ids=list(by_pk), account_type="expense"):
        if row["amount_usd"] == 0:
            continue
        entry = by_pk[row["entry"]]
        allotment_id = allotment_charged(entry, row)
        commitment_id = commitment_named(entry, row["obligation"], allotment_id) if row["obligation"] else DIRECT
        if allotment_id is not None:
            charges[(entry.pk, allotment_id, commitment_id)] += row["amount_usd"]
    for (entry_id, _allotment_id, commitment_id), amount in charges.items():
        if commitment_id is not DIRECT and amount < 0:
            raise ExpenditureNotAttributable(entry=by_pk[entry_id].number, reason=_(
                "it credits commitment %(number)s; a liquidation is given back by reversing the entry that "
                "recorded it") % {"number": Commitment(pk=commitment_id).number})
    return charges


def reversal_charges(reversals) -> LedgerCharges:
    """Exactly the opposite of what each reversed entry recorded, whatever the allotments look like today."""
    by_original = {entry.reverses_id: entry for entry in reversals}
    charges: LedgerCharges = defaultdict(Decimal)
    for movement in BudgetMovement.objects.filter(journal_entry_id__in=by_original).order_by("pk"):
        key = (by_original[movement.journal_entry_id].pk, movement.allotment_id, movement.commitment_id)
        charges[key] += REVERSAL_SIGNS[movement.kind] * movement.amount
    return charges


def ledger_charges(entries) -> LedgerCharges:
    """Net USD expenditure (debits − credits) per (journal entry, allotment, commitment or DIRECT).

    An expense line charges the allotment that covers it (``allotment_charged``); one that names a
    commitment (``JournalLine.obligation``) liquidates it. A reversal charges exactly the opposite
    of what its original recorded.
    """
    charges = reversal_charges([entry for entry in entries if entry.reverses_id])
    originals = [entry for entry in entries if not entry.reverses_id]
    if originals:
        charges.update(original_charges(originals))
    return charges


def record_ledger_movement(*, entry, allotment: Allotment, kind: str, amount: Decimal, actor,
                           commitment: Commitment | None = None) -> BudgetMovement:
    """The movement of a posting on an allotment (and commitment), with its audit event."""
    movement = BudgetMovement.objects.create(
        allotment=allotment, commitment=commitment, kind=kind, amount=amount, currency="USD",
        occurred_on=entry.entry_on, actor=actor, reference=entry.number, journal_entry=entry)
    changes = {"journal_entry": entry.number, "kind": kind, "amount": amount, "currency": "USD",
               "available_after": allotment.available_amount}
    if commitment is not None:
        changes["commitment"] = commitment.number
    record_audit_event(actor=actor, action="budget.expenditure.recorded_from_ledger",
                       target=commitment or allotment, changes=changes)
    return movement


def charge_from_ledger(*, entry, allotment: Allotment, amount: Decimal, actor) -> BudgetMovement:
    """Charge a locked allotment directly (a negative amount gives expenditure back): the hard stop."""
    refuse_if_not_available(allotment, amount, "USD")
    if -amount > allotment.expended_amount:
        raise ExpenditureNotAttributable(
            entry=entry.number, reason=_("it gives back more than the allotment's recorded expenditure"))
    move_balances(allotment, expended=amount)
    kind = MovementKind.EXPENDED if amount > 0 else MovementKind.EXPENDITURE_REVERSED
    return record_ledger_movement(entry=entry, allotment=allotment, kind=kind, amount=abs(amount), actor=actor)


def liquidate_from_ledger(*, entry, allotment: Allotment, commitment: Commitment, amount: Decimal,
                          actor) -> tuple[BudgetMovement, Decimal]:
    """Liquidate a locked commitment up to its open balance (a negative amount, from a reversal,
    gives a liquidation back); returns the movement and the excess to charge the allotment directly.

    The commitment's state is checked again under its lock: a cancellation may have closed it
    since the lines were read.
    """
    if amount > 0:
        refuse_unless_open(entry, commitment)
    liquidated = min(amount, commitment.open_amount)
    liquidate(allotment, commitment, liquidated)
    kind = MovementKind.LIQUIDATED if liquidated > 0 else MovementKind.LIQUIDATION_REVERSED
    movement = record_ledger_movement(entry=entry, allotment=allotment, kind=kind, amount=abs(liquidated),
                                      actor=actor, commitment=commitment)
    return movement, amount - liquidated


def charges_per_entry_and_allotment(charges: LedgerCharges) -> list[tuple[tuple[int, int], dict]]:
    grouped: dict[tuple[int, int], dict] = defaultdict(dict)
    for (entry_id, allotment_id, commitment_id), amount in charges.items():
        grouped[(entry_id, allotment_id)][commitment_id] = amount
    return sorted(grouped.items())


@transaction.atomic
def record_ledger_expenditure(*, entries, actor) -> list[BudgetMovement]:
    """Record the expenditure in journal entries just posted against the allotments they charge.

    Finance calls this inside the posting transaction (posting listener registered in
    ``BudgetConfig.ready``), after its own locks: allotments are locked here in primary-key
    order, then the commitments named. Per entry and allotment, lines naming a commitment
    liquidate it up to its open balance (committed → expended, the available balance does not
    move); the rest, with any excess, is charged directly, and a net charge beyond the available
    balance refuses the posting (``FundsNotAvailable``, the hard stop). A reversal gives back
    exactly what its original recorded, re-opening what it liquidated. Idempotent: an entry with
    movements is never counted again, and unique constraints on (journal entry, allotment) for
    direct charges and (journal entry, commitment) for liquidations back that up. No permission
    check: posting is the authority, and it was checked by finance.
    """
    recorded = set(BudgetMovement.objects.filter(journal_entry_id__in=[e.pk for e in entries])
                   .values_list("journal_entry_id", flat=True))
    entries = {entry.pk: entry for entry in entries if entry.pk not in recorded}
    charges = {key: amount for key, amount in ledger_charges(list(entries.values())).items() if amount != 0}
    if not charges:
        return []
    allotments = {a.pk: a for a in Allotment.objects.select_for_update(no_key=True)
                  .filter(pk__in=sorted({allotment_id for _entry, allotment_id, _c in charges})).order_by("pk")}
    commitments = {c.pk: c for c in Commitment.objects.select_for_update(no_key=True).filter(
        pk__in=sorted({c for _entry, _allotment, c in charges if c is not DIRECT})).order_by("pk")}
    movements = []
    for (entry_id, allotment_id), by_commitment in charges_per_entry_and_allotment(charges):
        entry, allotment = entries[entry_id], allotments[allotment_id]
        check_currency(allotment, "USD")
        direct = by_commitment.pop(DIRECT, Decimal("0"))
        for commitment_id, amount in sorted(by_commitment.items()):
            movement, excess = liquidate_from_ledger(entry=entry, allotment=allotment,
                                                     commitment=commitments[commitment_id], amount=amount, actor=actor)
            movements.append(movement)
            direct += excess
        if direct:
            movements.append(charge_from_ledger(entry=entry, allotment=allotment, amount=direct, actor=actor))
    return movements
