"""HTML pages of the service desk: the self-service portal, the agent queue, ticket pages, reports."""

import csv
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from secretariat.core.access import has_permission
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput
from secretariat.core.models import OrgUnit
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance.selectors import accessible_funds
from secretariat.servicedesk import selectors, services
from secretariat.servicedesk.downloads import attachment_response
from secretariat.servicedesk.forms import (
    AssignForm,
    LinkTicketForm,
    MacroForm,
    MergeForm,
    TagsForm,
    TimeSpentForm,
    DecideChangeForm,
    DefineServiceLevelForm,
    ImplementChangeForm,
    KnowledgeSearchForm,
    LinkIncidentForm,
    PostChargebackForm,
    ProblemDiagnosisForm,
    PublishServiceForm,
    RaiseTicketForm,
    RecordProblemForm,
    ReplyForm,
    RequesterReplyForm,
    ResolveForm,
    ReverseChargebackForm,
    StatusForm,
    SubmitChangeForm,
    SurveyForm,
)
from secretariat.servicedesk.models import (
    OPEN_STATUSES,
    ChangeStatus,
    KnowledgeArticle,
    SatisfactionResponse,
    TicketStatus,
)


@login_required
def portal(request):
    """Self-service: search the knowledge base in my language, my tickets, and what I can request."""
    search = KnowledgeSearchForm(request.GET or None)
    articles = []
    if search.is_valid() and search.cleaned_data["q"]:
        articles = selectors.search_knowledge(query=search.cleaned_data["q"], language=get_language())
    person = getattr(request.user, "person", None)
    return render(request, "servicedesk/portal.html", {
        "search": search, "articles": articles, "tickets": selectors.my_tickets(actor=request.user)[:50],
        "services": selectors.subscribed_services(person=person),
    })


@login_required
def raise_ticket(request):
    person = getattr(request.user, "person", None)
    services_offered = selectors.subscribed_services(person=person)
    chosen = services_offered.filter(code=request.GET.get("service") or request.POST.get("service_code")).first()
    form = RaiseTicketForm(request.POST or None, request.FILES or None, services=services_offered,
                           request_fields=chosen.request_fields if chosen else (),
                           initial={"service": chosen})
    if request.method == "POST" and form.is_valid():
        if person is None:
            form.add_error(None, _("You have no staff record, so you cannot raise tickets."))
        else:
            try:
                ticket = services.raise_ticket(actor=request.user, draft=services.TicketDraft(
                    requester=person, service=form.cleaned_data["service"], kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"], description=form.cleaned_data["description"],
                    impact=form.cleaned_data["impact"], urgency=form.cleaned_data["urgency"],
                    answers=form.answers(), language=get_language()), attachments=form.uploads())
            except AccessDenied as error:
                return refused(request, error)
            except DomainError as error:
                apply_refusal(request, form, error, field_prefixes=("answer_",))
            else:
                messages.success(request, _("Ticket %(reference)s was raised.") % {"reference": ticket.reference})
                return redirect("servicedesk:ticket_detail", ticket_id=ticket.pk)
    return render(request, "servicedesk/raise_ticket.html", {"form": form, "chosen": chosen})


def ticket_context(request, ticket, **forms):
    as_agent = selectors.is_agent_for(actor=request.user, ticket=ticket)
    is_requester = ticket.requester.user_id == request.user.pk
    survey_open = (is_requester and ticket.status in {TicketStatus.RESOLVED, TicketStatus.CLOSED}
                   and not SatisfactionResponse.objects.filter(ticket=ticket).exists())
    context = {
        "ticket": ticket, "as_agent": as_agent, "is_requester": is_requester,
        "entries": selectors.visible_entries(ticket=ticket, as_agent=as_agent),
        "attachments": selectors.visible_attachments(ticket=ticket, as_agent=as_agent),
        "is_open": ticket.status in OPEN_STATUSES, "survey_open": survey_open,
        # A resolved or closed ticket takes the requester's reply: it reopens it or raises a follow-up.
        "may_reply": ticket.status in OPEN_STATUSES | {TicketStatus.RESOLVED, TicketStatus.CLOSED},
        "reply_form": ReplyForm(), "requester_form": RequesterReplyForm(), "status_form": StatusForm(),
        "resolve_form": ResolveForm(articles=KnowledgeArticle.objects.all()),
        "survey_form": SurveyForm(), "assign_form": AssignForm(initial={"desk": ticket.desk}),
        "may_take": as_agent and ticket.assignee_id != request.user.pk,
        "merge_form": MergeForm(), "link_form": LinkTicketForm(), "macro_form": MacroForm(),
        "time_form": TimeSpentForm(), "tags_form": TagsForm(initial={"tags": ", ".join(
            ticket.tags.values_list("name", flat=True))}),
        "links": selectors.ticket_links(ticket=ticket) if as_agent else [], "now": timezone.now(),
    }
    context.update(forms)
    return context


@login_required
def ticket_detail(request, ticket_id: int):
    ticket = selectors.accessible_ticket(actor=request.user, ticket_id=ticket_id)
    return render(request, "servicedesk/ticket_detail.html", ticket_context(request, ticket))


@login_required
def attachment_download(request, ticket_id: int, attachment_id: int):
    """A file of the ticket, for whoever may see the ticket and the message it came with."""
    return attachment_response(selectors.accessible_attachment(actor=request.user, ticket_id=ticket_id,
                                                               attachment_id=attachment_id))




def referenced_ticket(request, reference: str, *, field: str):
    """The ticket named by ``reference`` among those the agent works on; refused on the form's field otherwise."""
    found = selectors.agent_ticket_by_reference(actor=request.user, reference=reference)
    if found is None:
        raise InvalidInput(errors={field: [_("No ticket with this reference.")]})
    return found


@login_required
@require_POST
def ticket_action(request, ticket_id: int, action: str):
    """One POST endpoint per ticket action; each calls exactly one service."""
    ticket = selectors.accessible_ticket(actor=request.user, ticket_id=ticket_id)
    form_classes = {"reply": ReplyForm, "requester_reply": RequesterReplyForm, "status": StatusForm,
                    "survey": SurveyForm, "assign": AssignForm, "take": forms.Form, "merge": MergeForm,
                    "link": LinkTicketForm, "macro": MacroForm, "time": TimeSpentForm, "tags": TagsForm}
    if action == "resolve":
        form = ResolveForm(request.POST, articles=KnowledgeArticle.objects.all())
    elif action in form_classes:
        form = form_classes[action](request.POST, request.FILES)
    else:
        return refused(request, AccessDenied(action=action))
    if form.is_valid():
        data = form.cleaned_data
        shown_id = ticket.pk
        try:
            if action == "reply":
                services.reply_to_ticket(actor=request.user, ticket_id=ticket.pk, body=data["body"],
                                         is_public=data["is_public"], attachments=form.uploads())
            elif action == "requester_reply":
                entry = services.add_requester_reply(actor=request.user, ticket_id=ticket.pk, body=data["body"],
                                                     attachments=form.uploads())
                shown_id = entry.ticket_id  # the follow-up, when the reply came too late to reopen
            elif action == "resolve":
                services.resolve_ticket(actor=request.user, ticket_id=ticket.pk, resolution=data["resolution"],
                                        solved_by_article=data["solved_by_article"])
            elif action == "assign":
                services.assign_ticket(actor=request.user, ticket_id=ticket.pk, desk=data["desk"],
                                       assignee=data["assignee"])
            elif action == "take":
                services.take_ticket(actor=request.user, ticket_id=ticket.pk)
            elif action == "time":
                services.log_time_spent(actor=request.user, ticket_id=ticket.pk, minutes=data["minutes"],
                                        note=data["note"])
            elif action == "tags":
                services.tag_ticket(actor=request.user, ticket_id=ticket.pk, tags=data["tags"])
            elif action == "macro":
                services.apply_macro(actor=request.user, ticket_id=ticket.pk, macro=data["macro"])
            elif action == "merge":
                target = referenced_ticket(request, data["into"], field="into")
                services.merge_tickets(actor=request.user, ticket_id=ticket.pk, into_id=target.pk)
                shown_id = target.pk
            elif action == "link":
                related = referenced_ticket(request, data["related"], field="related")
                services.link_tickets(actor=request.user, ticket_id=ticket.pk, related_id=related.pk,
                                      kind=data["kind"])
            elif action == "status":
                services.change_ticket_status(actor=request.user, ticket_id=ticket.pk, status=data["status"],
                                              note=data["note"])
            else:
                services.answer_survey(actor=request.user, ticket_id=ticket.pk, rating=data["rating"],
                                       comment=data["comment"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error, field_prefixes=("answer_",))
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:ticket_detail", ticket_id=shown_id)
    form_name = {"requester_reply": "requester_form"}.get(action, f"{action}_form")
    ticket.refresh_from_db()
    return render(request, "servicedesk/ticket_detail.html", ticket_context(request, ticket, **{form_name: form}),
                  status=400)


@login_required
def agent_queue(request):
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("see the agent queue")))
    tickets = (selectors.tickets_for_agent(actor=request.user).filter(status__in=OPEN_STATUSES)
               .order_by("priority", "resolution_due_at"))
    desk = request.GET.get("desk")
    if desk:
        tickets = tickets.filter(desk__code=desk)
    tag = request.GET.get("tag")
    if tag:
        tickets = tickets.filter(tags__name=tag)
    return render(request, "servicedesk/agent_queue.html", {
        "tickets": tickets[:200], "now": timezone.now(), "workload": selectors.agent_workload(actor=request.user)})


@login_required
def reports(request):
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("see service desk reports")))
    year = int(request.GET.get("year") or timezone.now().year)
    group_by = request.GET.get("group_by") if request.GET.get("group_by") in selectors.GROUPINGS else "service"
    tickets = selectors.tickets_for_agent(actor=request.user)
    rows = selectors.sla_compliance(tickets=tickets, year=year, group_by=group_by)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sla-{group_by}-{year}.csv"'
        writer = csv.writer(response)
        columns = ["group", "tickets", "resolved", "within_target", "compliance_percent", "response_percent",
                   "first_contact_percent", "backlog", "mean_hours_to_resolve"]
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[column] if row[column] is not None else "" for column in columns])
        return response
    return render(request, "servicedesk/reports.html", reports_context(request, year=year, group_by=group_by,
                                                                      rows=rows))


def chargeback_form(request, data=None, *, year: int) -> PostChargebackForm:
    last_month = timezone.now().date().replace(day=1) - datetime.timedelta(days=1)
    return PostChargebackForm(data, funds=accessible_funds(actor=request.user),
                              units=OrgUnit.objects.filter(is_active=True).order_by("code"),
                              initial={"year": year, "month": last_month.month if last_month.year == year else 12})


def reports_context(request, *, year: int, group_by: str = "service", rows=None, form=None) -> dict:
    tickets = selectors.tickets_for_agent(actor=request.user)
    if rows is None:
        rows = selectors.sla_compliance(tickets=tickets, year=year, group_by=group_by)
    return {
        "rows": rows, "year": year, "group_by": group_by, "groupings": selectors.GROUPINGS,
        "satisfaction": selectors.satisfaction_by_service(tickets=tickets, year=year),
        "annual_survey": selectors.annual_survey(year=year),
        "costs": selectors.cost_per_ticket_by_service(tickets=tickets, year=year),
        "chargeback_form": form or chargeback_form(request, year=year),
        "chargeback_postings": selectors.chargeback_postings(year=year),
    }


@login_required
@require_POST
def post_chargeback(request):
    """Post a month's chargeback statements to the ledger (one service; refusals shown on the form)."""
    form = chargeback_form(request, request.POST, year=timezone.now().year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            posting = services.post_monthly_chargeback(actor=request.user, year=data["year"], month=data["month"],
                                                       fund=data["fund"], providing_unit=data["providing_unit"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error, field_prefixes=("answer_",))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('servicedesk:reports')}?year={posting.year}")
    year = form.cleaned_data.get("year") or timezone.now().year
    return render(request, "servicedesk/reports.html", reports_context(request, year=year, form=form), status=400)


@login_required
@require_POST
def reverse_chargeback(request):
    """Reverse a month's posted chargeback so that it can be posted again (one service; refusals shown)."""
    form = ReverseChargebackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reverse_monthly_chargeback(actor=request.user, year=data["year"], month=data["month"],
                                                reason=data["reason"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{reverse('servicedesk:reports')}?year={data['year']}#chargeback")
    return refused(request, InvalidInput(errors=form.errors))


@login_required
def chargeback(request):
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("see chargeback statements")))
    today = datetime.date.today()
    year, month = int(request.GET.get("year") or today.year), int(request.GET.get("month") or today.month)
    statements = selectors.chargeback_statements(tickets=selectors.tickets_for_agent(actor=request.user),
                                                 year=year, month=month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chargeback-{year}-{month:02d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["department", "service", "tickets", "unit_price", "currency", "amount"])
    for statement in statements:
        for line in statement["lines"]:
            writer.writerow([statement["department"], line["service"], line["tickets"], line["unit_price"],
                             line["currency"], line["amount"]])
    return response


# --- Service catalogue ------------------------------------------------------------------------
def catalogue_context(request, **forms) -> dict:
    may_publish = has_permission(actor=request.user, permission=selectors.CHANGE_SERVICE)
    context = {"services": selectors.published_catalogue(), "may_publish": may_publish}
    if may_publish:
        context["publish_form"] = forms.get("publish_form") or PublishServiceForm()
        context["level_form"] = forms.get("level_form") or DefineServiceLevelForm(
            services=selectors.published_catalogue())
    return context


@login_required
def catalogue(request):
    """The published services with their levels, targets and prices; service owners publish and define levels."""
    return render(request, "servicedesk/catalogue.html", catalogue_context(request))


@login_required
@require_POST
def publish_service(request):
    form = PublishServiceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_service(actor=request.user, code=data["code"], kind=data["kind"],
                                     names={"en": data["name"]}, unit_price=data["unit_price"],
                                     currency=data["currency"].upper(), is_core_ict=data["is_core_ict"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error, field_prefixes=("answer_",))
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:catalogue")
    return render(request, "servicedesk/catalogue.html", catalogue_context(request, publish_form=form), status=400)


@login_required
@require_POST
def define_service_level(request):
    form = DefineServiceLevelForm(request.POST, services=selectors.published_catalogue())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.define_service_level(actor=request.user, service=data["service"], code=data["code"],
                                          name=data["name"], cover=data["cover"], targets=form.targets())
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error, field_prefixes=("answer_",))
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:catalogue")
    return render(request, "servicedesk/catalogue.html", catalogue_context(request, level_form=form), status=400)


# --- Configuration items ----------------------------------------------------------------------
@login_required
def configuration_items(request):
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("see configuration items")))
    return render(request, "servicedesk/configuration_items.html", {"items": selectors.configuration_items()})


@login_required
def configuration_item_detail(request, code: str):
    """A configuration item, its relationships both ways, and what is affected if it fails."""
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("see configuration items")))
    item = selectors.configuration_item_with_relationships(code=code)
    return render(request, "servicedesk/configuration_item_detail.html", {
        "item": item, "impact": selectors.configuration_item_impact(item=item)})


# --- Changes ----------------------------------------------------------------------------------
def changes_context(request, *, submit_form=None, failed_change_id=None, action_form=None) -> dict:
    """Each change with the form its status allows (decide when submitted, implement when approved)."""
    rows = []
    for change in selectors.change_requests():
        form_class = {ChangeStatus.SUBMITTED: DecideChangeForm, ChangeStatus.APPROVED: ImplementChangeForm}.get(
            change.status)
        if change.pk == failed_change_id:
            form_class, form = type(action_form), action_form
        else:
            form = form_class(auto_id=f"id_change{change.pk}_%s") if form_class else None
        action = "decide" if form_class is DecideChangeForm else "implement"
        rows.append({"change": change, "form": form, "action": action})
    return {"rows": rows, "submit_form": submit_form or SubmitChangeForm(
        configuration_items=selectors.configuration_items())}


@login_required
def changes(request):
    """Change requests with their CAB decision and implementation; agents request, approve and implement."""
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("work on changes")))
    if request.method == "POST":
        form = SubmitChangeForm(request.POST, configuration_items=selectors.configuration_items())
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_change(actor=request.user, kind=data["kind"], title=data["title"],
                                       risk=data["risk"], configuration_items=data["configuration_items"])
            except AccessDenied as error:
                return refused(request, error)
            except DomainError as error:
                apply_refusal(request, form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("servicedesk:changes")
        return render(request, "servicedesk/changes.html", changes_context(request, submit_form=form), status=400)
    return render(request, "servicedesk/changes.html", changes_context(request))


@login_required
@require_POST
def change_action(request, change_id: int, action: str):
    """Approve or reject (the change advisory board) or record the implementation: one service each."""
    change = selectors.change_request(change_id=change_id)
    form = {"decide": DecideChangeForm, "implement": ImplementChangeForm}.get(action)
    if form is None:
        return refused(request, AccessDenied(action=action))
    form = form(request.POST, auto_id=f"id_change{change.pk}_%s")
    if form.is_valid():
        try:
            if action == "decide":
                services.decide_change(actor=request.user, change_id=change.pk,
                                       approve=form.cleaned_data["decision"] == "approve")
            else:
                services.implement_change(actor=request.user, change_id=change.pk, record=form.cleaned_data["record"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error, field_prefixes=("answer_",))
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:changes")
    return render(request, "servicedesk/changes.html",
                  changes_context(request, failed_change_id=change.pk, action_form=form), status=400)


# --- Problems ---------------------------------------------------------------------------------
def problems_context(request, *, record_form=None, failed_problem_id=None, failed_action=None, action_form=None):
    """Each problem with its diagnosis form (root cause, workaround) and a form to link an incident."""
    rows = []
    for problem in selectors.problems():
        forms = {"diagnose": ProblemDiagnosisForm(auto_id=f"id_problem{problem.pk}_%s", initial={
                     "root_cause": problem.root_cause, "workaround": problem.workaround}),
                 "link": LinkIncidentForm(auto_id=f"id_problem{problem.pk}_%s")}
        if problem.pk == failed_problem_id:
            forms[failed_action] = action_form
        rows.append({"problem": problem, "diagnose_form": forms["diagnose"], "link_form": forms["link"]})
    return {"rows": rows, "record_form": record_form or RecordProblemForm()}


@login_required
def problems(request):
    """Problems with root cause, workaround, known-error flag and linked incidents; agents record them."""
    if not has_permission(actor=request.user, permission=selectors.VIEW_TICKET):
        return refused(request, AccessDenied(action=_("work on problems")))
    if request.method == "POST":
        form = RecordProblemForm(request.POST)
        if form.is_valid():
            try:
                services.record_problem(actor=request.user, title=form.cleaned_data["title"])
            except AccessDenied as error:
                return refused(request, error)
            except DomainError as error:
                apply_refusal(request, form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("servicedesk:problems")
        return render(request, "servicedesk/problems.html", problems_context(request, record_form=form), status=400)
    return render(request, "servicedesk/problems.html", problems_context(request))


@login_required
@require_POST
def problem_action(request, problem_id: int, action: str):
    """Record the diagnosis or link an incident (by its reference, among the tickets the agent may see)."""
    problem = selectors.problem(problem_id=problem_id)
    form_class = {"diagnose": ProblemDiagnosisForm, "link": LinkIncidentForm}.get(action)
    if form_class is None:
        return refused(request, AccessDenied(action=action))
    form = form_class(request.POST, auto_id=f"id_problem{problem.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "diagnose":
                services.record_problem_diagnosis(actor=request.user, problem_id=problem.pk,
                                                  root_cause=data["root_cause"], workaround=data["workaround"])
            else:
                ticket = selectors.agent_ticket_by_reference(actor=request.user, reference=data["reference"])
                if ticket is None:
                    raise InvalidInput(errors={"reference": [_("No ticket with this reference.")]})
                services.link_incidents_to_problem(actor=request.user, problem_id=problem.pk, incidents=[ticket])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error, field_prefixes=("answer_",))
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:problems")
    return render(request, "servicedesk/problems.html", problems_context(
        request, failed_problem_id=problem.pk, failed_action=action, action_form=form), status=400)
