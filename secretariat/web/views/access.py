"""Roles granted in scope, delegations of authority, and the audit trail."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from secretariat.core import selectors, services
from secretariat.core.access import has_permission
from secretariat.core.audit import verify_audit_chain
from secretariat.core.exceptions import DomainError
from secretariat.core.models.access import GrantStatus
from secretariat.core.refusals import apply_refusal, refused
from secretariat.web.forms import AuditSearchForm, DelegateAuthorityForm, GrantRoleForm
from secretariat.web.lists import list_page
from secretariat.web.tables import RoleAssignmentFilter, RoleAssignmentTable

AUDIT_EXPORT_LIMIT = 100_000


@login_required
def role_assignments(request):
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.grant_role(
                actor=request.user, user=data["username"], role=data["role"], scope=data["scope"],
                valid_from=data["valid_from"], valid_until=data["valid_until"])
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            if assignment.status == GrantStatus.PENDING:
                messages.success(request, _("Grant recorded: it takes effect once a second access administrator "
                                            "approves it."))
            else:
                messages.success(request, _("Role granted."))
            return redirect("web:role_assignments")
    response = list_page(
        request, name="role-assignments", title=_("Roles in scope"), template="web/role_assignments.html",
        queryset=selectors.role_assignments_visible_to(actor=request.user, on=timezone.localdate()),
        filterset_class=RoleAssignmentFilter, table_class=RoleAssignmentTable, exported="role assignments",
        context={"form": form, "pending": selectors.pending_role_grants_visible_to(actor=request.user),
                 "can_grant": has_permission(actor=request.user, permission="core.add_roleassignment")})
    if form.errors:
        response.status_code = 400
    return response


def role_assignment_action(service, done: str):
    """A page action on one role assignment: the service decides, the page shows its answer."""

    @login_required
    @require_POST
    def act(request, pk):
        try:
            service(actor=request.user, assignment_id=pk)
        except DomainError as error:
            return refused(request, error)
        messages.success(request, _(done))
        return redirect("web:role_assignments")

    return act


approve_role_grant = role_assignment_action(
    services.approve_role_grant, gettext_noop("Grant approved: the role is now in force."))
reject_role_grant = role_assignment_action(services.reject_role_grant, gettext_noop("Grant rejected."))
revoke_role_assignment = role_assignment_action(services.revoke_role, gettext_noop("Role revoked."))


@login_required
def delegations(request):
    form = DelegateAuthorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegate_authority(
                actor=request.user, delegate=data["username"], authority=data["authority"], scope=data["scope"],
                limit_amount=data["limit_amount"], valid_from=data["valid_from"], valid_until=data["valid_until"],
                reference=data["reference"],
            )
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Authority delegated."))
            return redirect("web:delegations")
    page = Paginator(selectors.delegations_visible_to(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "web/delegations.html", {"page": page, "form": form, "today": timezone.localdate()},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_delegation(request, pk):
    try:
        services.revoke_delegation(actor=request.user, delegation_id=pk)
    except DomainError as error:
        return refused(request, error)
    messages.success(request, _("Delegation revoked."))
    return redirect("web:delegations")


def searched_audit_events(request, form):
    filters = form.cleaned_data if form.is_valid() else {}
    return selectors.audit_events_visible_to(actor=request.user, **{k: v for k, v in filters.items() if v})


@login_required
def audit_trail(request):
    if not has_permission(actor=request.user, permission="core.view_auditevent"):
        return refused(request, None)
    form = AuditSearchForm(request.GET or None)
    page = Paginator(searched_audit_events(request, form), 50).get_page(request.GET.get("page"))
    verification = verify_audit_chain() if request.GET.get("verify") else None
    return render(request, "web/audit_trail.html", {"form": form, "page": page, "verification": verification})


@login_required
def export_audit_trail(request):
    if not has_permission(actor=request.user, permission="core.export_auditevent"):
        return refused(request, None)
    form = AuditSearchForm(request.GET or None)
    events = list(searched_audit_events(request, form)[:AUDIT_EXPORT_LIMIT])
    services.record_data_export(actor=request.user, what="audit trail", row_count=len(events),
                                filters={k: str(v) for k, v in request.GET.items()})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    writer = csv.writer(response)
    writer.writerow(["sequence", "occurred_at_utc", "who", "from", "action", "object_type", "object_id", "object",
                     "changes", "hash"])
    for event in events:
        writer.writerow([event.sequence, event.occurred_at.isoformat(), event.actor_label, event.ip_address or "",
                         event.action, event.target_type, event.target_id, event.target_label, event.changes,
                         event.hash])
    return response
