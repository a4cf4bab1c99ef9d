"""Delegated authority and segregation of duties: the two questions every approval asks.

``authority_refusal`` answers "may this person exercise authority X for amount Y in scope Z
on day D?"; ``check_segregation_of_duties`` answers "may this person perform this duty on a
transaction, given who performed its other duties?".
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import in_force_on
from secretariat.core.exceptions import DomainError
from secretariat.core.models import Delegation, SegregationRule
from secretariat.core.scopes import Scope


class AuthorityNotHeld(DomainError):
    message = _("%(user)s holds no delegation of %(authority)s covering this transaction: %(reason)s")
    code = "authority_not_held"
    status = 403


class SegregationOfDutiesViolation(DomainError):
    message = _("%(user)s may not %(duty)s: %(rule)s")
    code = "segregation_of_duties"
    status = 403


REASON_NONE = _("no delegation of this authority")
REASON_EXPIRED = _("the delegation is not in force on that date")
REASON_SCOPE = _("the transaction is outside the delegation's scope")
REASON_LIMIT = _("the amount exceeds the delegated limit")
REASON_CURRENCY = _("the delegated limit is in another currency")


def delegations_held(*, user, authority: str) -> "list[Delegation]":
    return list(
        Delegation.objects.filter(delegate=user, authority__code=authority, revoked_at__isnull=True).select_related(
            "authority"
        )
    )


def authority_refusal(
    *, user, authority: str, amount: Decimal | None = None, currency: str = "USD", target: Model | None = None,
    on: date | None = None,
) -> str | None:
    """None if ``user`` may exercise ``authority``; otherwise the reason (the closest miss).

    A delegation covers the transaction when it is in force on ``on``, its scope contains
    ``target`` and, for monetary authorities, ``amount`` is within its limit in the same currency.
    """
    on = on or timezone.localdate()
    held = delegations_held(user=user, authority=authority)
    if not held:
        return str(REASON_NONE)
    in_force_ids = set(
        Delegation.objects.filter(in_force_on(on), pk__in=[d.pk for d in held]).values_list("pk", flat=True)
    )
    reason = REASON_EXPIRED
    for delegation in held:
        if delegation.pk not in in_force_ids:
            continue
        if not Scope(delegation.scope_kind, delegation.scope_id).contains(target):
            reason = REASON_SCOPE
            continue
        if amount is not None and delegation.authority.is_monetary and delegation.limit_amount is not None:
            if delegation.currency != currency:
                reason = REASON_CURRENCY
                continue
            if amount > delegation.limit_amount:
                reason = REASON_LIMIT
                continue
        return None
    return str(reason)


def may_exercise_authority(**kwargs) -> bool:
    return authority_refusal(**kwargs) is None


def require_authority(*, user, authority: str, **kwargs) -> None:
    reason = authority_refusal(user=user, authority=authority, **kwargs)
    if reason is not None:
        raise AuthorityNotHeld(user=user.get_username(), authority=authority, reason=reason)


def check_segregation_of_duties(*, user, duty: str, performed_by: Mapping[str, object]) -> None:
    """Refuse ``duty`` if ``user`` already performed a duty that an active rule keeps apart from it.

    ``performed_by`` maps the transaction's duties done so far to the users who did them,
    e.g. ``{"certify": entry.certified_by}``.
    """
    own_duties = [name for name, performer in performed_by.items() if performer is not None and performer == user]
    if not own_duties:
        return
    rule = (
        SegregationRule.objects.filter(is_active=True)
        .filter(Q(first_duty=duty, second_duty__in=own_duties) | Q(second_duty=duty, first_duty__in=own_duties))
        .first()
    )
    if rule is not None:
        raise SegregationOfDutiesViolation(user=user.get_username(), duty=duty, rule=rule.localized_name)
