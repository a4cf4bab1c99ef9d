"""HTML views of the ledger: thin — parse the form, call one service or selector, render."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.core.access import has_permission, scoped
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput
from secretariat.core.models import Country
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance import selectors
from secretariat.finance.forms import (
    JournalEntryForm,
    JournalLineFormSet,
    ReasonForm,
    ReportForm,
    ReversalForm,
)
from secretariat.finance.models import (
    LEDGER_STATUSES,
    BankAccount,
    EntryStatus,
    FiscalPeriod,
    Fund,
    JournalEntry,
    PeriodStatus,
)
from secretariat.finance.services import journal, structure
from secretariat.finance.services.journal import EntryInput

UNPOSTED = "unposted"


def funds_for(user, permission: str):
    return scoped(Fund.objects.filter(is_active=True), actor=user, permission=permission)


@login_required
def entry_list(request):
    entries = selectors.accessible_journal_entries(actor=request.user)
    status = request.GET.get("status")
    if status in EntryStatus.values:
        entries = entries.filter(status=status)
    elif status == UNPOSTED:
        entries = entries.exclude(status__in=LEDGER_STATUSES)
    for field in ("period", "fund"):  # the close checklist links here for one fund and period
        if request.GET.get(field, "").isdigit():
            entries = entries.filter(**{f"{field}_id": int(request.GET[field])})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "finance/entry_list.html", {
        "page": page, "statuses": [(UNPOSTED, gettext_lazy("Not yet posted")), *EntryStatus.choices],
        "status": status,
        "can_prepare": has_permission(actor=request.user, permission="finance.add_journalentry"),
    })


@login_required
def entry_create(request):
    funds = funds_for(request.user, "finance.add_journalentry")
    form = JournalEntryForm(request.POST or None, funds=funds)
    lines = JournalLineFormSet(request.POST or None, prefix="lines")
    for number, line_form in enumerate(lines.forms, start=1):
        line_form.number(number)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        entry = EntryInput(
            fund_id=data["fund"].pk, entry_on=data["entry_on"], description=data["description"],
            lines=[f.line_input() for f in lines.forms if not f.is_blank])
        try:
            if any(line.account_id == 0 for line in entry.lines):
                raise InvalidInput({"__all__": [_("Choose an account on every line with an amount.")]})
            draft = journal.create_journal_entry(actor=request.user, journal=data["journal"], entry=entry)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Journal entry saved as a draft."))
            return redirect("finance:entry_detail", pk=draft.pk)
    return render(request, "finance/entry_form.html", {"form": form, "lines": lines},
                  status=400 if form.errors or lines.total_error_count() else 200)


ACTIONS = {
    "submit": (journal.submit_journal_entry, "finance.submit_journalentry", EntryStatus.DRAFT),
    "certify": (journal.certify_journal_entry, "finance.certify_journalentry", EntryStatus.SUBMITTED),
    "approve": (journal.approve_journal_entry, "finance.approve_journalentry", EntryStatus.CERTIFIED),
    "post": (journal.post_journal_entry, "finance.post_journalentry", EntryStatus.APPROVED),
}
ACTION_LABELS = {"submit": gettext_lazy("Submit"), "certify": gettext_lazy("Certify"), "approve": gettext_lazy("Approve"),
                 "post": gettext_lazy("Post")}


@login_required
def entry_detail(request, pk):
    try:
        entry = selectors.accessible_journal_entry(actor=request.user, entry_id=pk)
    except JournalEntry.DoesNotExist:
        raise Http404 from None
    actions = [(name, ACTION_LABELS[name]) for name, (_service, permission, status) in ACTIONS.items()
               if entry.status == status and has_permission(actor=request.user, permission=permission,
                                                             target=entry.fund)]
    can_reverse = entry.status == EntryStatus.POSTED and has_permission(
        actor=request.user, permission="finance.post_journalentry", target=entry.fund)
    return render(request, "finance/entry_detail.html", {
        "entry": entry, "lines": entry.lines.select_related("account", "fund", "cost_centre"),
        "actions": actions, "reversal_form": ReversalForm(initial={"reversal_on": timezone.localdate()})
        if can_reverse else None,
    })


@login_required
@require_POST
def entry_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    if not selectors.accessible_journal_entries(actor=request.user).filter(pk=pk).exists():
        raise Http404
    service = ACTIONS[action][0]
    try:
        entry = service(actor=request.user, entry_id=pk)
    except AccessDenied as error:
        return refused(request, error)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Journal entry %(entry)s: %(status)s.") % {
            "entry": entry, "status": entry.get_status_display()})
    return redirect("finance:entry_detail", pk=pk)


@login_required
@require_POST
def entry_reverse(request, pk):
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reversal date and a reason."))
        return redirect("finance:entry_detail", pk=pk)
    try:
        reversal = journal.reverse_journal_entry(actor=request.user, entry_id=pk, **form.cleaned_data)
    except AccessDenied as error:
        return refused(request, error)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("finance:entry_detail", pk=pk)
    messages.success(request, _("Reversed by %(number)s.") % {"number": reversal.number})
    return redirect("finance:entry_detail", pk=reversal.pk)


@login_required
def period_list(request):
    periods = FiscalPeriod.objects.order_by("calendar", "-starts_on")
    calendar = request.GET.get("calendar", "calendar_year")
    return render(request, "finance/period_list.html", {
        "periods": periods.filter(calendar=calendar)[:36], "calendar": calendar, "reason_form": ReasonForm(),
        "calendars": FiscalPeriod._meta.get_field("calendar").choices,
        "can_close": has_permission(actor=request.user, permission="finance.close_fiscalperiod"),
    })


@login_required
@require_POST
def period_status(request, pk):
    form = ReasonForm(request.POST)
    period = FiscalPeriod.objects.filter(pk=pk).first()
    if period is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
    else:
        service = (structure.reopen_fiscal_period if period.status == PeriodStatus.CLOSED
                   else structure.close_fiscal_period)
        try:
            service(actor=request.user, period_id=pk, reason=form.cleaned_data["reason"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Fiscal period %(period)s is now %(status)s.") % {
                "period": period.name, "status": PeriodStatus(
                    PeriodStatus.OPEN if period.status == PeriodStatus.CLOSED else PeriodStatus.CLOSED).label})
    return redirect(f"{redirect('finance:period_list').url}?calendar={period.calendar}")


def report_context(request):
    """The period and funds a report shows, from the report form (or today's period, consolidated)."""
    if not has_permission(actor=request.user, permission="finance.view_ledger"):
        return None, None, None
    funds = selectors.accessible_funds(actor=request.user)
    form = ReportForm(request.GET or None, funds=funds)
    if form.is_bound and form.is_valid():
        period, fund = form.cleaned_data["period"], form.cleaned_data["fund"]
    else:
        today = timezone.localdate()
        period = FiscalPeriod.objects.filter(calendar="calendar_year", starts_on__lte=today,
                                             ends_on__gte=today).first() or FiscalPeriod.objects.first()
        fund = None
        form = ReportForm(initial={"period": period}, funds=funds)
    return form, period, (fund, selectors.statement_fund_ids(actor=request.user, fund=fund))


@login_required
def trial_balance(request):
    form, period, funds = report_context(request)
    if form is None:
        return refused(request, None)
    trial = selectors.trial_balance(period=period, fund_ids=funds[1]) if period else None
    return render(request, "finance/trial_balance.html", {"form": form, "trial": trial, "fund": funds[0]})


@login_required
def statements(request):
    return render(request, "finance/statements.html", {
        "statements": [(kind, title) for kind, (title, _build) in selectors.STATEMENTS.items()]})


@login_required
def statement(request, kind):
    if kind not in selectors.STATEMENTS:
        raise Http404
    form, period, funds = report_context(request)
    if form is None:
        return refused(request, None)
    title, build = selectors.STATEMENTS[kind]
    rows = build(period=period, fund_ids=funds[1]) if period else []
    prior = selectors.comparative_period(period) if period else None
    context = {"form": form, "title": title, "rows": rows, "period": period, "prior": prior, "fund": funds[0],
               "kind": kind}
    output = request.GET.get("output")
    if output == "xlsx":
        return statement_xlsx(context)
    if output == "pdf":
        return statement_pdf(request, context)
    return render(request, "finance/statement.html", context)


def statement_xlsx(context) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = context["kind"][:31]
    sheet.sheet_view.rightToLeft = get_language() == "ar"
    sheet.append([str(context["title"])])
    sheet.append([str(context["fund"] or _("All funds (consolidated)")), str(context["period"])])
    sheet.append([_("Line"), str(context["period"].name if context["period"] else ""),
                  str(context["prior"].name if context["prior"] else _("Prior year"))])
    for row in context["rows"]:
        sheet.append([row.label, row.current, row.prior])
        if row.is_total:
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for column in ("B", "C"):
        for cell in sheet[column][3:]:
            cell.number_format = "#,##0.00;(#,##0.00)"
    sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{context["kind"]}.xlsx"'
    return response


def statement_pdf(request, context) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("finance/statement_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{context["kind"]}.pdf"'
    return response


@login_required
def contributions(request):
    if not has_permission(actor=request.user, permission="finance.view_assessment"):
        return refused(request, None)
    visible = selectors.accessible_assessments(actor=request.user).values_list("fund_id", flat=True).distinct()
    rows = selectors.status_of_contributions(fund_ids=list(visible))
    return render(request, "finance/contributions.html", {
        "rows": rows, "can_record": has_permission(actor=request.user, permission="finance.add_receipt")})


@login_required
def member_state_statement(request, alpha3):
    if not has_permission(actor=request.user, permission="finance.view_assessment"):
        return refused(request, None)
    # Assessed non-member States pay contributions too.
    member_state = Country.objects.filter(Q(is_member_state=True) | Q(assessments__isnull=False),
                                          alpha3=alpha3).first()
    if member_state is None:
        raise Http404
    visible = selectors.accessible_assessments(actor=request.user).values_list("fund_id", flat=True).distinct()
    statement = selectors.member_state_statement(member_state=member_state, fund_ids=list(visible))
    return render(request, "finance/member_state_statement.html", {"member_state": member_state, **statement})


@login_required
def reconciliation(request):
    accounts = scoped(BankAccount.objects.all(), actor=request.user, permission="finance.view_bankstatement")
    status = selectors.reconciliation_status(bank_accounts=accounts, today=timezone.localdate())
    return render(request, "finance/reconciliation.html", {"status": status})
