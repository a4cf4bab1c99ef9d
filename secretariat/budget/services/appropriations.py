"""Appropriations and the allotments issued against them."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import (
    AllotmentExceedsAppropriation,
    AppropriationBelowAllotments,
    AppropriationNotApproved,
)
from secretariat.budget.models import (
    Allotment,
    Appropriation,
    AppropriationStatus,
    BudgetMovement,
    BudgetSection,
    MovementKind,
    ObjectOfExpenditure,
)
from secretariat.budget.services.balances import move_balances
from secretariat.budget.services.common import (
    amount_not_negative,
    amount_text,
    created_or_duplicate,
    positive_amount,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import OrgUnit
from secretariat.finance.models import Fund

# --- Appropriations and allotments ---------------------------------------------------------------

@transaction.atomic
def create_appropriation(*, actor, section: BudgetSection, fund: Fund, period_start_on: date,
                         period_end_on: date, amount: Decimal, resolution: str = "",
                         currency: str = "USD") -> Appropriation:
    require_permission(actor=actor, permission="budget.add_appropriation", target=section,
                       action=_("record appropriations"))
    if period_end_on < period_start_on:
        raise InvalidInput({"period_end_on": [_("The period must not end before it starts.")]})
    amount = amount_not_negative(amount, currency)
    appropriation = created_or_duplicate(lambda: Appropriation.objects.create(
        section=section, fund=fund, period_start_on=period_start_on, period_end_on=period_end_on,
        original_amount=amount, amount=amount, resolution=resolution, currency=currency,
    ), _("An appropriation of fund %(fund)s for this section and period") % {"fund": fund.code})
    record_audit_event(actor=actor, action="budget.appropriation.created", target=appropriation,
                       changes={"fund": fund.code, "amount": amount, "currency": currency, "resolution": resolution})
    return appropriation


@transaction.atomic
def approve_appropriation(*, actor, appropriation_id: int) -> Appropriation:
    """Record the appropriation as approved: the original budget is frozen from here on."""
    appropriation = Appropriation.objects.select_for_update(no_key=True).get(pk=appropriation_id)
    require_permission(actor=actor, permission="budget.change_appropriation", target=appropriation,
                       action=_("approve appropriations"))
    appropriation.transition_to(AppropriationStatus.APPROVED)
    appropriation.original_amount = appropriation.amount
    appropriation.approved_by, appropriation.approved_at = actor, timezone.now()
    appropriation.save(update_fields=["status", "original_amount", "approved_by", "approved_at"])
    record_audit_event(actor=actor, action="budget.appropriation.approved", target=appropriation,
                       changes={"amount": appropriation.amount})
    return appropriation


@transaction.atomic
def revise_appropriation(*, actor, appropriation_id: int, amount: Decimal, resolution: str = "") -> Appropriation:
    """Set the final appropriation (revised estimates); it may not fall below what is allotted."""
    appropriation = Appropriation.objects.select_for_update(no_key=True).get(pk=appropriation_id)
    require_permission(actor=actor, permission="budget.change_appropriation", target=appropriation,
                       action=_("revise appropriations"))
    amount = amount_not_negative(amount, appropriation.currency)
    if amount < appropriation.allotted_amount:
        raise AppropriationBelowAllotments(requested=amount_text(amount, appropriation.currency),
                                           allotted=amount_text(appropriation.allotted_amount, appropriation.currency))
    before = appropriation.amount
    appropriation.amount = amount
    if appropriation.status == AppropriationStatus.DRAFT:
        appropriation.original_amount = amount
    appropriation.save(update_fields=["amount", "original_amount"])
    record_audit_event(actor=actor, action="budget.appropriation.revised", target=appropriation,
                       changes={"before": before, "after": amount, "resolution": resolution})
    return appropriation


@transaction.atomic
def issue_allotment(*, actor, appropriation_id: int, certifying_unit: OrgUnit, object_of_expenditure: str,
                    amount: Decimal, on: date | None = None) -> Allotment:
    """Issue (or increase) the allotment of a certifying unit for one object class.

    Locks the appropriation first: the sum of allotments never exceeds it.
    """
    appropriation = Appropriation.objects.select_for_update(no_key=True).select_related("section").get(
        pk=appropriation_id)
    amount = positive_amount(amount, appropriation.currency)
    require_permission(actor=actor, permission="budget.add_allotment", target=certifying_unit,
                       action=_("issue allotments"))
    if object_of_expenditure not in ObjectOfExpenditure.values:
        raise InvalidInput({"object_of_expenditure": [_("Unknown object of expenditure.")]})
    if appropriation.status != AppropriationStatus.APPROVED:
        raise AppropriationNotApproved(appropriation=str(appropriation))
    unallotted = appropriation.amount - appropriation.allotted_amount
    if amount > unallotted:
        raise AllotmentExceedsAppropriation(requested=amount_text(amount, appropriation.currency),
                                            unallotted=amount_text(unallotted, appropriation.currency),
                                            appropriation=amount_text(appropriation.amount, appropriation.currency))
    allotment, _created = Allotment.objects.select_for_update(no_key=True).get_or_create(
        appropriation=appropriation, certifying_unit=certifying_unit, object_of_expenditure=object_of_expenditure,
        defaults={"issued_by": actor, "currency": appropriation.currency},
    )
    move_balances(allotment, amount=amount)
    appropriation.allotted_amount += amount
    appropriation.save(update_fields=["allotted_amount"])
    BudgetMovement.objects.create(allotment=allotment, kind=MovementKind.ALLOTTED, amount=amount,
                                  currency=allotment.currency, occurred_on=on or timezone.localdate(), actor=actor)
    record_audit_event(actor=actor, action="budget.allotment.issued", target=allotment,
                       changes={"amount": amount, "total": allotment.amount, "unit": certifying_unit.code,
                                "object": object_of_expenditure})
    return allotment


