"""HTML pages of the service desk: the self-service portal, the agent queue, ticket pages, reports."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _
from django.views.decorators.http import require_POST

from secretariat.core.access import has_permission
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput
from secretariat.servicedesk import selectors, services
from secretariat.servicedesk.forms import (
    KnowledgeSearchForm,
    RaiseTicketForm,
    ReplyForm,
    RequesterReplyForm,
    ResolveForm,
    StatusForm,
    SurveyForm,
)
from secretariat.servicedesk.models import KnowledgeArticle, OPEN_STATUSES, SatisfactionResponse, TicketStatus


def refused(request, error):
    return render(request, "web/refused.html", {"detail": str(error)}, status=getattr(error, "status", 409))


def show_refusal(form, error: DomainError) -> None:
    if isinstance(error, InvalidInput) and error.errors:
        for field, errors in error.errors.items():
            for message in errors:
                form.add_error(field if field in form.fields else f"answer_{field}"
                               if f"answer_{field}" in form.fields else None, message)
    else:
        form.add_error(None, str(error))


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
    form = RaiseTicketForm(request.POST or None, services=services_offered,
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
                    answers=form.answers(), language=get_language()))
            except DomainError as error:
                show_refusal(form, error)
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
        "is_open": ticket.status in OPEN_STATUSES, "survey_open": survey_open,
        "reply_form": ReplyForm(), "requester_form": RequesterReplyForm(), "status_form": StatusForm(),
        "resolve_form": ResolveForm(articles=KnowledgeArticle.objects.all()),
        "survey_form": SurveyForm(),
    }
    context.update(forms)
    return context


@login_required
def ticket_detail(request, ticket_id: int):
    ticket = selectors.accessible_ticket(actor=request.user, ticket_id=ticket_id)
    return render(request, "servicedesk/ticket_detail.html", ticket_context(request, ticket))


ACTIONS = {"reply", "requester_reply", "resolve", "status", "survey"}


@login_required
@require_POST
def ticket_action(request, ticket_id: int, action: str):
    """One POST endpoint per ticket action; each calls exactly one service."""
    ticket = selectors.accessible_ticket(actor=request.user, ticket_id=ticket_id)
    as_agent = selectors.is_agent_for(actor=request.user, ticket=ticket)
    form_classes = {"reply": ReplyForm, "requester_reply": RequesterReplyForm, "status": StatusForm,
                    "survey": SurveyForm}
    if action == "resolve":
        form = ResolveForm(request.POST, articles=KnowledgeArticle.objects.all())
    elif action in form_classes:
        form = form_classes[action](request.POST)
    else:
        return refused(request, AccessDenied(action=action))
    if action in {"reply", "resolve", "status"} and not as_agent:
        return refused(request, AccessDenied(action=_("work on this ticket")))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "reply":
                services.reply_to_ticket(actor=request.user, ticket_id=ticket.pk, body=data["body"],
                                         is_public=data["is_public"])
            elif action == "requester_reply":
                services.add_requester_reply(actor=request.user, ticket_id=ticket.pk, body=data["body"])
            elif action == "resolve":
                services.resolve_ticket(actor=request.user, ticket_id=ticket.pk, resolution=data["resolution"],
                                        solved_by_article=data["solved_by_article"])
            elif action == "status":
                services.change_ticket_status(actor=request.user, ticket_id=ticket.pk, status=data["status"],
                                              note=data["note"])
            else:
                services.answer_survey(actor=request.user, ticket_id=ticket.pk, rating=data["rating"],
                                       comment=data["comment"])
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:ticket_detail", ticket_id=ticket.pk)
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
    return render(request, "servicedesk/agent_queue.html", {"tickets": tickets[:200], "now": timezone.now()})


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
    return render(request, "servicedesk/reports.html", {
        "rows": rows, "year": year, "group_by": group_by, "groupings": selectors.GROUPINGS,
        "satisfaction": selectors.satisfaction_by_service(tickets=tickets, year=year),
        "annual_survey": selectors.annual_survey(year=year),
        "costs": selectors.cost_per_ticket_by_service(tickets=tickets, year=year),
    })


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
