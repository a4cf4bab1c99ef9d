"""Escalation: the rules of a service level fired once per ticket, by the platform (a scheduled task)."""

import datetime

from django.db import transaction
from django.utils import timezone

from secretariat.core.audit import record_audit_event
from secretariat.servicedesk import notifications
from secretariat.servicedesk.models import (
    OPEN_STATUSES,
    PAUSE_STATUSES,
    EntryKind,
    EscalationAction,
    EscalationRule,
    EscalationTarget,
    Priority,
    Ticket,
    TicketEscalation,
    TicketStatus,
)
from secretariat.servicedesk.services.common import add_entry, lock_ticket
from secretariat.servicedesk.services.sla import recompute_sla


@transaction.atomic
def escalate_tickets(*, now=None) -> int:
    """Fire every escalation rule whose moment has come, once per ticket (safe to run every minute).

    The platform itself acts (a scheduled task, no user): audited as ``servicedesk.escalation``.
    """
    now = now or timezone.now()
    fired = 0
    notified: set[int] = set()  # one notice per ticket and run, however many notify rules come due together
    rules = list(EscalationRule.objects.select_related("reassign_to"))
    for rule in rules:
        limit = now - datetime.timedelta(minutes=rule.offset_minutes)
        if rule.target == EscalationTarget.RESPONSE:
            # The response clock is not paused: any open ticket nobody has answered yet.
            candidates = Ticket.objects.filter(status__in=OPEN_STATUSES - {TicketStatus.PENDING_APPROVAL},
                                               responded_at__isnull=True, response_due_at__lte=limit)
        else:
            candidates = Ticket.objects.filter(status__in=OPEN_STATUSES - PAUSE_STATUSES,
                                               resolution_due_at__lte=limit)
        due = (candidates.filter(level_id=rule.level_id).exclude(escalations__rule=rule)
               .order_by("pk").values_list("pk", flat=True))
        for ticket_id in due:
            ticket = lock_ticket(ticket_id)
            changes = {"rule": rule.pk, "action": rule.action}
            if rule.action == EscalationAction.RAISE_PRIORITY:
                # A critical ticket cannot go higher: the rule fires (and is recorded) without effect.
                if ticket.priority > Priority.CRITICAL:
                    changes["priority"] = [ticket.priority, ticket.priority - 1]
                    ticket.priority -= 1
                    ticket.urgency = max(1, ticket.urgency - 1)
                    recompute_sla(ticket, now=now)
                    ticket.save()
            elif rule.action == EscalationAction.REASSIGN:
                ticket.desk, ticket.assignee = rule.reassign_to, None
                ticket.reassignment_count += 1
                ticket.save(update_fields=["desk", "assignee", "reassignment_count"])
            elif ticket.pk not in notified:
                notified.add(ticket.pk)
                notifications.notify_desk_of_escalation(ticket, rule)
            TicketEscalation.objects.create(ticket=ticket, rule=rule, fired_at=now)
            add_entry(ticket, kind=EntryKind.EVENT, at=now, author_label="SLA",
                      body=f"escalation: {rule.get_action_display()}")
            record_audit_event(actor=None, actor_label="servicedesk.escalation", action="servicedesk.ticket.escalated",
                               target=ticket, changes=changes)
            fired += 1
    return fired
