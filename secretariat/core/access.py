"""Record-level access: which records a user may see or change, from their roles in scope.

Selectors and views ask here; nothing else decides access. Superusers hold every permission
everywhere.
"""

from datetime import date

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import RoleAssignment
from secretariat.core.scopes import NOTHING, Scope


def in_force_on(on: date) -> Q:
    return Q(revoked_at__isnull=True, valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def permitted_scopes(*, actor, permission: str, on: date | None = None) -> list[Scope]:
    """The scopes in which ``actor`` holds ``permission`` ("app_label.codename") today."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return []
    if actor.is_superuser:
        return [Scope("global")]
    app_label, codename = permission.split(".", 1)
    rows = (
        RoleAssignment.objects.filter(in_force_on(on or timezone.localdate()), user=actor)
        .filter(role__permissions__codename=codename, role__permissions__content_type__app_label=app_label)
        .values_list("scope_kind", "scope_id")
        .distinct()
    )
    return [Scope(kind, object_id) for kind, object_id in rows]


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
