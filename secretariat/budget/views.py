"""HTML pages of the budget: thin, one service or selector per request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from secretariat.budget import exports, selectors
from secretariat.budget.forms import (
    CommitFundsForm,
    ExpenditureForm,
    RedeployFundsForm,
    StatementForm,
)
from secretariat.budget.models import CommitmentStatus
from secretariat.budget.services import commitments
from secretariat.core.access import has_permission
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.refusals import apply_refusal, refused


@login_required
def section_list(request):
    return render(request, "budget/section_list.html", {
        "sections": selectors.sections_visible_to(actor=request.user)})


@login_required
def section_detail(request, pk):
    section = selectors.accessible_section(actor=request.user, section_id=pk)
    return render(request, "budget/section_detail.html", {
        "section": section, "components": selectors.programme_plan(section=section),
        "mandates": section.mandates.select_related("component"),
    })


def shown_version(request, section):
    """The version named by ``?version=`` (404 if there is none such), else the latest."""
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        return selectors.version_numbered(section=section, number=int(number))
    return selectors.latest_version(section)


def version_label(version) -> str:
    if version is None:
        return _("No resource table entered yet")
    label = str(version)
    return f"{label} ({version.reference})" if version.reference else label


@login_required
def section_tables(request, pk):
    section = selectors.accessible_section(actor=request.user, section_id=pk)
    version = shown_version(request, section)
    tables = selectors.standard_tables(section=section, version=version)
    return render(request, "budget/section_tables.html", {
        "section": section, "version": version, "version_label": version_label(version),
        "tables": [(table, selectors.footing_problems(table)) for table in tables]})


@login_required
def section_versions(request, pk):
    section = selectors.accessible_section(actor=request.user, section_id=pk)
    return render(request, "budget/section_versions.html", {
        "section": section,
        "versions": [(version, selectors.version_changes(version))
                     for version in selectors.resource_versions(section=section)]})


def download_name(section, version, extension) -> str:
    suffix = f"-v{version.number}" if version else ""
    return f'attachment; filename="budget-{section.code}-{section.budget_year}{suffix}.{extension}"'


@login_required
def section_tables_xlsx(request, pk):
    section = selectors.accessible_section(actor=request.user, section_id=pk)
    version = shown_version(request, section)
    response = HttpResponse(exports.tables_workbook(
        section=section, tables=selectors.standard_tables(section=section, version=version),
        version_label=version_label(version)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = download_name(section, version, "xlsx")
    return response


@login_required
def section_tables_pdf(request, pk):
    section = selectors.accessible_section(actor=request.user, section_id=pk)
    version = shown_version(request, section)
    response = HttpResponse(exports.tables_pdf(
        section=section, tables=selectors.standard_tables(section=section, version=version), request=request,
        version_label=version_label(version)), content_type="application/pdf")
    response["Content-Disposition"] = download_name(section, version, "pdf")
    return response


@login_required
def performance_dashboard(request, pk):
    section = selectors.accessible_section(actor=request.user, section_id=pk)
    return render(request, "budget/performance_dashboard.html", {
        "section": section, "components": selectors.performance_dashboard(section=section)})


@login_required
def control(request):
    appropriations = selectors.appropriations_visible_to(actor=request.user).prefetch_related(
        "allotments__certifying_unit")
    allotments = selectors.allotments_visible_to(actor=request.user)
    return render(request, "budget/control.html", {"appropriations": appropriations, "allotments": allotments})


@login_required
def allotment_detail(request, pk):
    allotment = selectors.accessible_allotment(actor=request.user, allotment_id=pk)
    open_commitments = allotment.commitments.filter(status=CommitmentStatus.OPEN).order_by("id")
    targets = allotment.appropriation.allotments.filter(certifying_unit=allotment.certifying_unit).exclude(
        pk=allotment.pk)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    commit_form = CommitFundsForm(posted if action == "commit" else None, prefix="commit")
    redeploy_form = RedeployFundsForm(posted if action == "redeploy" else None, prefix="redeploy", targets=targets)
    expenditure_form = ExpenditureForm(posted if action == "expenditure" else None, prefix="expenditure",
                                       commitments=open_commitments)
    form = {"commit": commit_form, "redeploy": redeploy_form, "expenditure": expenditure_form}.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "commit":
                commitment = commitments.commit_funds(
                    actor=request.user, allotment_id=allotment.pk, amount=data["amount"], currency=allotment.currency,
                    source_reference=data["source_reference"], description=data["description"])
                messages.success(request, _("Funds committed: %(number)s.") % {"number": commitment.number})
            elif action == "redeploy":
                commitments.redeploy_funds(actor=request.user, from_allotment_id=allotment.pk,
                                        to_allotment_id=data["to_allotment"], amount=data["amount"],
                                        reason=data["reason"])
                messages.success(request, _("Funds redeployed."))
            else:
                commitments.record_expenditure(
                    actor=request.user, amount=data["amount"], currency=allotment.currency,
                    commitment_id=data["commitment"], allotment_id=None if data["commitment"] else allotment.pk,
                    reference=data["reference"])
                messages.success(request, _("Expenditure recorded."))
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            return redirect("budget:allotment_detail", pk=allotment.pk)
    allotment.refresh_from_db()
    return render(request, "budget/allotment_detail.html", {
        "allotment": allotment, "commitments": selectors.commitments_of(allotment=allotment)[:100],
        "movements": allotment.movements.order_by("-id")[:50],
        "commit_form": commit_form, "redeploy_form": redeploy_form, "expenditure_form": expenditure_form,
        "can_commit": has_permission(actor=request.user, permission="budget.add_commitment", target=allotment),
        "can_record_expenditure": has_permission(actor=request.user, permission="budget.add_budgetmovement",
                                                 target=allotment),
        "has_targets": targets.exists(),
    }, status=400 if form is not None and form.errors else 200)


@login_required
def obligations(request, pk):
    appropriation = selectors.appropriations_visible_to(actor=request.user).filter(pk=pk).first()
    if appropriation is None:
        raise Http404
    return render(request, "budget/obligations.html", {
        "report": selectors.obligations_report(appropriation=appropriation)})


@login_required
def budget_actual(request):
    form = StatementForm(request.GET or None)
    statement = None
    if form.is_valid():
        statement = selectors.budget_actual_statement(
            period_start_on=form.cleaned_data["period_start_on"], fund_code=form.cleaned_data["fund_code"] or None,
            appropriations=selectors.appropriations_visible_to(actor=request.user))
    return render(request, "budget/budget_actual.html", {"form": form, "statement": statement})
