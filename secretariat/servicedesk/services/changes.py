"""Changes (the change advisory board's decisions) and problems (root causes, known errors, incidents)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError
from secretariat.servicedesk.models import ChangeKind, ChangeRequest, ChangeStatus, Problem, Ticket, TicketKind
from secretariat.servicedesk.selectors import CHANGE_CHANGE_REQUEST, CHANGE_TICKET
from secretariat.servicedesk.services.common import require_agent


class ChangeNotApproved(DomainError):
    message = _("Change %(number)s cannot be implemented: it has not been approved by the change advisory board.")
    code = "change_not_approved"


class ChangeApprovalBySelf(DomainError):
    message = _("The requester of change %(number)s cannot approve it.")
    code = "change_self_approval"


class ChangeNotSubmitted(DomainError):
    message = _("Change %(number)s is %(status)s, not awaiting a decision.")
    code = "change_not_submitted"


@transaction.atomic
def submit_change(*, actor, kind: str, title: str, risk: int, configuration_items=(),
                  scheduled_start_at=None, scheduled_end_at=None) -> ChangeRequest:
    """Standard changes are pre-approved; normal and emergency changes wait for the CAB. Agents request them."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("request changes"))
    change = ChangeRequest.objects.create(
        kind=kind, title=title, risk=risk, requested_by=actor, scheduled_start_at=scheduled_start_at,
        scheduled_end_at=scheduled_end_at,
        status=ChangeStatus.APPROVED if kind == ChangeKind.STANDARD else ChangeStatus.SUBMITTED,
    )
    change.configuration_items.set(configuration_items)
    record_audit_event(actor=actor, action="servicedesk.change.submitted", target=change, changes={"kind": kind})
    return change


@transaction.atomic
def decide_change(*, actor, change_id: int, approve: bool) -> ChangeRequest:
    """The change advisory board's decision: ``change_changerequest``, and never on one's own change."""
    require_permission(actor=actor, permission=CHANGE_CHANGE_REQUEST, action=_("approve changes"))
    change = ChangeRequest.objects.select_for_update(no_key=True).get(pk=change_id)
    if change.status != ChangeStatus.SUBMITTED:
        raise ChangeNotSubmitted(number=change.pk, status=change.get_status_display())
    if change.requested_by_id == actor.pk:
        raise ChangeApprovalBySelf(number=change.pk)
    change.transition_to(ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED)
    change.approved_by = actor if approve else None
    change.save(update_fields=["status", "approved_by"])
    record_audit_event(actor=actor, action="servicedesk.change.decided", target=change,
                       changes={"approved": approve})
    return change


@transaction.atomic
def implement_change(*, actor, change_id: int, record: str, now=None) -> ChangeRequest:
    """Agents record how an approved change was implemented."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("implement changes"))
    change = ChangeRequest.objects.select_for_update(no_key=True).get(pk=change_id)
    if change.status != ChangeStatus.APPROVED:
        raise ChangeNotApproved(number=change.pk)
    change.transition_to(ChangeStatus.IMPLEMENTED)
    change.implemented_at = now or timezone.now()
    change.implementation_record = record
    change.save(update_fields=["status", "implemented_at", "implementation_record"])
    record_audit_event(actor=actor, action="servicedesk.change.implemented", target=change)
    return change


@transaction.atomic
def record_problem(*, actor, title: str, incidents=(), root_cause: str = "", workaround: str = "") -> Problem:
    """Agents record problems, organisation-wide; the incidents linked must be in their scope."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("record problems"))
    for ticket in incidents:
        require_agent(actor=actor, ticket=ticket, action=_("link incidents to problems"))
    problem = Problem.objects.create(title=title, root_cause=root_cause, workaround=workaround,
                                     is_known_error=bool(root_cause and workaround), raised_by=actor,
                                     raised_at=timezone.now())
    problem.incidents.set(incidents)
    record_audit_event(actor=actor, action="servicedesk.problem.recorded", target=problem,
                       changes={"incidents": [t.pk for t in incidents]})
    return problem


@transaction.atomic
def record_problem_diagnosis(*, actor, problem_id: int, root_cause: str, workaround: str) -> Problem:
    """Record what causes a problem and how to work around it; with both it becomes a known error."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("diagnose problems"))
    problem = Problem.objects.select_for_update(no_key=True).get(pk=problem_id)
    problem.root_cause, problem.workaround = root_cause, workaround
    problem.is_known_error = bool(root_cause and workaround)
    problem.save(update_fields=["root_cause", "workaround", "is_known_error"])
    record_audit_event(actor=actor, action="servicedesk.problem.diagnosed", target=problem,
                       changes={"is_known_error": problem.is_known_error})
    return problem


class NotAnIncident(DomainError):
    message = _("Ticket %(reference)s is a service request, not an incident: only incidents are linked to problems.")
    code = "not_an_incident"


@transaction.atomic
def link_incidents_to_problem(*, actor, problem_id: int, incidents: list[Ticket]) -> Problem:
    """Link incidents to a problem (linking one already linked changes nothing); service requests are refused."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("link incidents to problems"))
    problem = Problem.objects.select_for_update(no_key=True).get(pk=problem_id)
    for ticket in incidents:
        require_agent(actor=actor, ticket=ticket, action=_("link incidents to problems"))
        if ticket.kind != TicketKind.INCIDENT:
            raise NotAnIncident(reference=ticket.reference)
    problem.incidents.add(*incidents)
    record_audit_event(actor=actor, action="servicedesk.problem.incidents_linked", target=problem,
                       changes={"incidents": [t.pk for t in incidents]})
    return problem
