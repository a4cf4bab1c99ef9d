"""Record-level access: which records a user may see or change, from their roles in scope.

Selectors and views ask here; nothing else decides access. Superusers hold every permission
everywhere.
"""

from collections.abc import Callable
from datetime import date

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.models import DutyStation, OrgUnit, RoleAssignment
from secretariat.core.models.access import GrantStatus
from secretariat.core.scopes import NOTHING, Scope


# Permissions named "view_…" only read; a role that reads everything holds all of them.
READ_PREFIX = "view_"


def in_force_on(on: date) -> Q:
    """Grants (role assignments or delegations) not revoked and within their dates on ``on``."""
    return Q(revoked_at__isnull=True, valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def roles_in_force_on(on: date) -> Q:
    """Role assignments that give their permissions on ``on``: approved (not pending or rejected)
    and in force. Every read of what a user may do goes through this."""
    return in_force_on(on) & Q(status=GrantStatus.ACTIVE)


def permitted_scopes(*, actor, permission: str, on: date | None = None) -> list[Scope]:
    """The scopes in which ``actor`` holds ``permission`` ("app_label.codename") today."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return []
    if actor.is_superuser:
        return [Scope("global")]
    app_label, codename = permission.split(".", 1)
    holds = Q(role__permissions__codename=codename, role__permissions__content_type__app_label=app_label)
    if codename.startswith(READ_PREFIX):
        holds |= Q(role__reads_everything=True)
    rows = (
        RoleAssignment.objects.filter(roles_in_force_on(on or timezone.localdate()), user=actor)
        .filter(holds)
        .values_list("scope_kind", "scope_id")
        .distinct()
    )
    return [Scope(kind, object_id) for kind, object_id in rows]


def permission_checker(*, actor, on: date | None = None) -> Callable[[str], bool]:
    """``has_permission`` without a target, for many permissions at one query: menus ask it for
    every page they might list."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return lambda permission: False
    if actor.is_superuser:
        return lambda permission: True
    rows = RoleAssignment.objects.filter(roles_in_force_on(on or timezone.localdate()), user=actor).values_list(
        "role__permissions__content_type__app_label", "role__permissions__codename", "role__reads_everything")
    held = {f"{app_label}.{codename}" for app_label, codename, _reads in rows if codename}
    reads_everything = any(reads for _app, _codename, reads in rows)

    def holds(permission: str) -> bool:
        return permission in held or (reads_everything and permission.split(".", 1)[1].startswith(READ_PREFIX))

    return holds


def scoped(queryset: QuerySet, *, actor, permission: str) -> QuerySet:
    """Only the records of ``queryset`` that fall within a scope where ``actor`` holds ``permission``."""
    condition = NOTHING
    for scope in permitted_scopes(actor=actor, permission=permission):
        if scope.is_global:
            return queryset
        condition |= scope.records_condition(queryset.model)
    return queryset.filter(condition)


def has_permission(*, actor, permission: str, target: Model | None = None) -> bool:
    """Whether ``actor`` holds ``permission`` over ``target`` (or anywhere, if no target)."""
    scopes = permitted_scopes(actor=actor, permission=permission)
    if target is None:
        return bool(scopes)
    return any(scope.contains(target) for scope in scopes)


def require_permission(*, actor, permission: str, target: Model | None = None, action: str) -> None:
    if not has_permission(actor=actor, permission=permission, target=target):
        raise AccessDenied(action=action)


def require_permission_over(*, actor, permission: str, scope: Scope, action: str) -> None:
    """Refuse unless ``actor`` holds ``permission`` over the whole of ``scope``."""
    if not any(held.covers(scope) for held in permitted_scopes(actor=actor, permission=permission)):
        raise AccessDenied(action=action)


def holds_permission_everywhere(*, actor, permission: str) -> bool:
    return any(scope.is_global for scope in permitted_scopes(actor=actor, permission=permission))


def has_permission_over(*, actor, permission: str, target: Model | None) -> bool:
    """Like ``has_permission``, but a missing target (no org unit, no person record) falls in no
    scope, so it needs the permission organisation-wide rather than anywhere."""
    if target is None:
        return holds_permission_everywhere(actor=actor, permission=permission)
    return has_permission(actor=actor, permission=permission, target=target)


def has_permission_at_duty_station(*, actor, permission: str, duty_station: DutyStation) -> bool:
    """Whether ``actor`` holds ``permission`` at ``duty_station``: through a global or duty-station
    scope, or through an entity or org-unit scope holding a unit located there.

    A duty station is shared by every entity that has units there, so an entity or org-unit
    scope must not count as covering it in general (``Scope.covers``); it only reaches the
    stations where its own units sit.
    """
    for scope in permitted_scopes(actor=actor, permission=permission):
        if scope.contains(duty_station):
            return True
        if OrgUnit.objects.filter(scope.records_condition(OrgUnit), duty_station=duty_station).exists():
            return True
    return False


def require_permission_over_placement(*, actor, permission: str, org_unit: OrgUnit | None,
                                      duty_station: DutyStation | None, action: str) -> None:
    """Refuse unless ``actor`` holds ``permission`` over both the org unit and the duty station
    where a person is (or is to be) placed. A person outside every unit needs it organisation-wide."""
    placed = has_permission_over(actor=actor, permission=permission, target=org_unit) and (
        duty_station is None
        or has_permission_at_duty_station(actor=actor, permission=permission, duty_station=duty_station)
    )
    if not placed:
        raise AccessDenied(action=action)


class FourEyesRequired(DomainError):
    message = _("You requested this grant: a second access administrator must decide on it.")
    code = "four_eyes_required"
    status = 403


class OwnGrantDecision(FourEyesRequired):
    message = _("This grant is for you: another access administrator must decide on it.")


def role_grant_decision_refusal(*, actor, assignment: RoleAssignment) -> DomainError | None:
    """Why ``actor`` may not approve or reject a pending grant (None if they may).

    The decider is a second access administrator: neither the granter nor the grantee, holding
    ``core.add_roleassignment`` over the whole scope granted.
    """
    if actor.pk == assignment.granted_by_id:
        return FourEyesRequired()
    if actor.pk == assignment.user_id:
        return OwnGrantDecision()
    scope = Scope(assignment.scope_kind, assignment.scope_id)
    if not any(held.covers(scope) for held in permitted_scopes(actor=actor, permission="core.add_roleassignment")):
        return AccessDenied(action=_("approve or reject role grants"))
    return None
