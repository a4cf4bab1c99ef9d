"""Read queries of the core. Never writes."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import has_permission_over, role_grant_decision_refusal, roles_in_force_on, scoped
from secretariat.core.authority import authority_refusal
from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import AuditEvent, Delegation, Entity, OrgUnit, Person, RoleAssignment
from secretariat.core.models.access import GrantStatus
from secretariat.core.scopes import Scope


@dataclass
class TreeNode:
    unit: OrgUnit
    children: list["TreeNode"] = field(default_factory=list)


def org_tree(*, entity: Entity) -> list[TreeNode]:
    """The entity's org units as a forest, in one query (materialised paths sort parents first)."""
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    units = OrgUnit.objects.filter(entity=entity).annotate(staff_count=Count("people")).order_by("path")
    for unit in units:
        node = nodes[unit.pk] = TreeNode(unit)
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def people_visible_to(*, actor, search: str = "") -> QuerySet:
    people = scoped(Person.objects.all(), actor=actor, permission="core.view_person")
    if search:
        people = people.filter(
            Q(family_name__icontains=search) | Q(given_name__icontains=search) | Q(index_number__iexact=search)
            | Q(email__icontains=search)
        )
    return people.select_related("grade", "org_unit", "duty_station", "nationality")


def role_assignments_visible_to(*, actor, on: date) -> QuerySet:
    return (
        scoped(RoleAssignment.objects.all(), actor=actor, permission="core.view_roleassignment")
        .filter(roles_in_force_on(on))
        .select_related("user", "role", "granted_by")
    )


@dataclass(frozen=True)
class PendingGrant:
    assignment: RoleAssignment
    may_decide: bool


def pending_role_grants_visible_to(*, actor) -> list[PendingGrant]:
    """Grants awaiting a second access administrator, each saying whether ``actor`` may decide on it."""
    pending = (
        scoped(RoleAssignment.objects.all(), actor=actor, permission="core.view_roleassignment")
        .filter(status=GrantStatus.PENDING)
        .select_related("user", "role", "granted_by")
        .order_by("created_at")
    )
    return [PendingGrant(assignment, role_grant_decision_refusal(actor=actor, assignment=assignment) is None)
            for assignment in pending]


def delegations_visible_to(*, actor) -> QuerySet:
    visible = scoped(Delegation.objects.all(), actor=actor, permission="core.view_delegation")
    own = Q(delegate=actor) | Q(delegated_by=actor)
    return (
        Delegation.objects.filter(Q(pk__in=visible.values("pk")) | own)
        .select_related("authority", "delegate", "delegated_by")
    )


def authority_check(
    *, actor, user, authority: str, amount: Decimal | None, currency: str, scope: Scope, on: date | None,
) -> str | None:
    """Why ``user`` may not exercise ``authority`` (None if they may), for ``actor`` to know.

    Anyone may ask about themselves; asking about someone else needs ``core.view_delegation`` over
    that person (organisation-wide for a user without a person record), as seeing their
    delegations would.
    """
    if user.pk != actor.pk and not has_permission_over(
        actor=actor, permission="core.view_delegation", target=Person.objects.filter(user=user).first()
    ):
        raise AccessDenied(action=_("check the authority of other people"))
    return authority_refusal(user=user, authority=authority, amount=amount, currency=currency,
                             target=scope.scope_object(), on=on)


def audit_events_visible_to(
    *, actor, action: str = "", who: str = "", target_type: str = "", since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    events = scoped(AuditEvent.objects.all(), actor=actor, permission="core.view_auditevent")
    if action:
        events = events.filter(action__startswith=action)
    if who:
        events = events.filter(actor_label__iexact=who)
    if target_type:
        events = events.filter(target_type=target_type)
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events.order_by("-sequence")
