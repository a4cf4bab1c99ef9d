"""Read queries of the core. Never writes."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from secretariat.core.access import in_force_on, scoped
from secretariat.core.models import AuditEvent, Delegation, Entity, OrgUnit, Person, RoleAssignment


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
        .filter(in_force_on(on))
        .select_related("user", "role", "granted_by")
    )


def delegations_visible_to(*, actor) -> QuerySet:
    visible = scoped(Delegation.objects.all(), actor=actor, permission="core.view_delegation")
    own = Q(delegate=actor) | Q(delegated_by=actor)
    return (
        Delegation.objects.filter(Q(pk__in=visible.values("pk")) | own)
        .select_related("authority", "delegate", "delegated_by")
    )


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
