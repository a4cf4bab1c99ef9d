"""Who works a ticket: assignment to a desk and an agent, taking a ticket, the follow-the-sun hand-over.

``hand_over_shift`` accepts ``actor=None``: the platform's scheduled hand-over.
"""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import has_permission, require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError
from secretariat.servicedesk.models import OPEN_STATUSES, Desk, EntryKind, Ticket
from secretariat.servicedesk.selectors import CHANGE_TICKET
from secretariat.servicedesk.services.common import add_entry, lock_ticket, refuse_if_finished, require_agent
from secretariat.servicedesk.services.routing import active_desks, choose_desk
from secretariat.servicedesk.services.sla import ClockBook


class AssigneeNotAnAgent(DomainError):
    message = _("%(user)s cannot work on ticket %(reference)s, so it cannot be assigned to them.")
    code = "assignee_not_agent"


class DeskInactive(DomainError):
    message = _("The desk %(desk)s is not active.")
    code = "desk_inactive"


@transaction.atomic
def assign_ticket(*, actor, ticket_id: int, desk: Desk | None = None, assignee=None, now=None) -> Ticket:
    """Give a ticket to a desk and an agent (``assignee=None`` leaves it to the desk's queue).

    The assignee must be able to work on the ticket (``change_ticket`` over it): a ticket is
    never left with someone who cannot answer it.
    """
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("assign tickets"))
    refuse_if_finished(ticket)
    if desk is not None and not desk.is_active:
        raise DeskInactive(desk=desk.code)
    if assignee is not None and not has_permission(actor=assignee, permission=CHANGE_TICKET, target=ticket):
        raise AssigneeNotAnAgent(user=assignee.get_username(), reference=ticket.reference)
    before = (ticket.desk.code if ticket.desk else None, ticket.assignee_id)
    if (desk is not None and desk != ticket.desk) or (ticket.assignee_id and assignee != ticket.assignee):
        ticket.reassignment_count += 1
    ticket.desk = desk or ticket.desk
    ticket.assignee = assignee
    ticket.save(update_fields=["desk", "assignee", "reassignment_count"])
    add_entry(ticket, kind=EntryKind.ASSIGNMENT, actor=actor, at=now,
              body=f"{ticket.desk.code if ticket.desk else ''} {assignee.get_username() if assignee else ''}".strip())
    record_audit_event(actor=actor, action="servicedesk.ticket.assigned", target=ticket, changes={
        "before": list(before), "desk": ticket.desk.code if ticket.desk else None, "assignee": ticket.assignee_id})
    return ticket


def pick_agent(ticket: Ticket, desk: Desk):
    """Round-robin among the desk's active agents who may work the ticket and carry the fewest open tickets.

    Among those tied on workload, the first after the desk's last automatic assignee (in user-name
    order) is chosen, so equal agents take turns.
    """
    agents = [agent for agent in desk.agents.filter(is_active=True).order_by("username")
              if has_permission(actor=agent, permission=CHANGE_TICKET, target=ticket)]
    if not agents:
        return None
    load = dict(Ticket.objects.filter(assignee__in=agents, status__in=OPEN_STATUSES).order_by()
                .values("assignee").annotate(open=Count("pk")).values_list("assignee", "open"))
    least = min(load.get(agent.pk, 0) for agent in agents)
    tied = [agent for agent in agents if load.get(agent.pk, 0) == least]
    last = desk.last_assignee.get_username() if desk.last_assignee_id else None
    return next((agent for agent in tied if last is not None and agent.get_username() > last), tied[0])


def auto_assign(ticket: Ticket, *, now) -> None:
    """Give a newly routed ticket to an agent when its desk assigns automatically (the platform acts).

    Called inside the raising transaction; the desk row is locked so that two tickets raised at
    once do not go to the same agent by the same turn.
    """
    desk = Desk.objects.select_for_update(no_key=True).get(pk=ticket.desk_id)
    agent = pick_agent(ticket, desk)
    if agent is None:
        return  # nobody at the desk may work it: it waits in the desk's queue
    ticket.assignee = agent
    ticket.save(update_fields=["assignee"])
    desk.last_assignee = agent
    desk.save(update_fields=["last_assignee"])
    add_entry(ticket, kind=EntryKind.ASSIGNMENT, at=now, author_label="round-robin",
              body=f"{desk.code} {agent.get_username()}")
    record_audit_event(actor=None, actor_label="servicedesk.auto_assign", action="servicedesk.ticket.assigned",
                       target=ticket, changes={"desk": desk.code, "assignee": agent.pk, "rule": "round_robin"})


def take_ticket(*, actor, ticket_id: int, now=None) -> Ticket:
    """The agent takes the ticket for themself, in its desk."""
    return assign_ticket(actor=actor, ticket_id=ticket_id, assignee=actor, now=now)


@transaction.atomic
def hand_over_shift(*, actor, desk: Desk, now=None) -> int:
    """End of a desk's shift: its open, unassigned tickets go to the desk that is open now.

    ``actor=None`` is the platform (the scheduled hand-over); a user needs ``change_ticket`` at
    the desk's duty station.
    """
    if actor is not None:
        require_permission(actor=actor, permission=CHANGE_TICKET, target=desk, action=_("hand over shifts"))
    now = now or timezone.now()
    clocks, desks = ClockBook(), [d for d in active_desks() if d.pk != desk.pk]
    moved = 0
    for ticket_id in (Ticket.objects.filter(desk=desk, assignee__isnull=True, status__in=OPEN_STATUSES)
                      .order_by("pk").values_list("pk", flat=True)):
        ticket = lock_ticket(ticket_id)
        target = choose_desk(desks=desks, clocks=clocks, language=ticket.language, service_kind=ticket.service.kind,
                             home_station_id=ticket.duty_station_id, at=now)
        if target is None or not clocks.clock(duty_station=target.duty_station, level=None).is_open(now):
            continue  # nobody is open: the ticket stays and waits for the next shift
        ticket.desk = target
        ticket.save(update_fields=["desk"])
        add_entry(ticket, kind=EntryKind.ASSIGNMENT, actor=actor, at=now, author_label="" if actor else "hand-over",
                  body=f"{desk.code} → {target.code}")
        moved += 1
    record_audit_event(actor=actor, actor_label=None if actor else "servicedesk.hand_over",
                       action="servicedesk.desk.handed_over", target=desk, changes={"tickets": moved})
    return moved


def hand_over_closed_desks(*, now=None) -> dict[str, int]:
    """The scheduled hand-over: every active desk closed now passes its waiting tickets on (the platform acts).

    Each desk is handed over in its own transaction; a desk with nothing waiting is skipped
    without an audit event, so running it every few minutes leaves no noise.
    """
    now = now or timezone.now()
    clocks = ClockBook()
    moved = {}
    for desk in active_desks():
        waiting = Ticket.objects.filter(desk=desk, assignee__isnull=True, status__in=OPEN_STATUSES).exists()
        if waiting and not clocks.clock(duty_station=desk.duty_station, level=None).is_open(now):
            moved[desk.code] = hand_over_shift(actor=None, desk=desk, now=now)
    return moved
