"""HTML pages of the continuity registry: thin, each calls one selector or service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.continuity import bia_results, plan_export, recovery_plans, selectors, services
from secretariat.continuity.forms import (
    ApplicationChangeForm,
    ApplicationForm,
    ApproveRecoveryPlanForm,
    BusinessProcessChangeForm,
    BusinessProcessForm,
    DataCentreForm,
    DependencyForm,
    InfrastructureComponentForm,
    ExerciseResultsForm,
    ImpactsForm,
    PlanExerciseForm,
    RecoveryPlanForm,
    ReviseRecoveryPlanForm,
    StartAnalysisForm,
)
from secretariat.continuity.models import ExerciseStatus, NodeKind
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.services import record_data_export
from secretariat.core.refusals import apply_refusal, refused




@login_required
def dashboard(request):
    return render(request, "continuity/dashboard.html", {
        "coverage": selectors.exercise_coverage(actor=request.user),
        "costs": selectors.protection_cost_totals(actor=request.user),
        "applications": selectors.application_continuity(actor=request.user),
    })


@login_required
def processes(request):
    form = BusinessProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_business_process(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Business process recorded."))
            return redirect("continuity:processes")
    return render(request, "continuity/processes.html", {
        "processes": selectors.visible_business_processes(actor=request.user), "form": form,
    }, status=400 if form.errors else 200)


@login_required
def change_process(request, pk):
    current = selectors.visible_business_processes(actor=request.user).filter(pk=pk).first()
    if current is None:
        raise Http404
    form = BusinessProcessChangeForm(request.POST or None, initial={
        field: getattr(current, field) for field in BusinessProcessChangeForm.base_fields if field != "org_unit"})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_business_process(actor=request.user, process_id=current.pk, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Business process updated."))
            return redirect("continuity:processes")
    return render(request, "continuity/change_process.html", {"process": current, "form": form},
                  status=400 if form.errors else 200)


@login_required
def analyses(request):
    form = StartAnalysisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.start_business_impact_analysis(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            return redirect("continuity:analysis", pk=analysis.pk)
    return render(request, "continuity/analyses.html", {
        "analyses": selectors.visible_analyses(actor=request.user), "form": form,
    }, status=400 if form.errors else 200)


def visible_analysis(request, pk):
    analysis = selectors.visible_analyses(actor=request.user).filter(pk=pk).first()
    if analysis is None:
        raise Http404
    return analysis


@login_required
def analysis(request, pk):
    current = visible_analysis(request, pk)
    initial = {"rpo_hours": current.rpo_hours, **{f"question_{k}": v for k, v in current.questionnaire.items()},
               **{f"impact_{i.category}_{i.after_hours}": i.severity for i in current.impacts.all()}}
    form = ImpactsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_business_impacts(actor=request.user, analysis_id=current.pk, impacts=form.impacts(),
                                             questionnaire=form.questionnaire(),
                                             rpo_hours=form.cleaned_data["rpo_hours"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Impacts recorded."))
            return redirect("continuity:analysis", pk=current.pk)
    return render(request, "continuity/analysis.html", {
        "analysis": current, "form": form,
        "conflicts": selectors.conflicts_of_analysis(actor=request.user, analysis=current),
        "history": selectors.analysis_history(actor=request.user, org_unit=current.org_unit),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def sign_off_analysis(request, pk):
    current = visible_analysis(request, pk)
    try:
        services.sign_off_business_impact_analysis(actor=request.user, analysis_id=current.pk)
    except AccessDenied as error:
        return refused(request, error)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Business impact analysis signed off."))
    return redirect("continuity:analysis", pk=current.pk)


@login_required
@require_POST
def resolve_conflict(request, pk):
    conflict = selectors.visible_conflicts(actor=request.user).filter(pk=pk).first()
    if conflict is None:
        raise Http404
    try:
        bia_results.resolve_bia_conflict(actor=request.user, conflict_id=conflict.pk,
                                         apply=request.POST.get("decision") == "apply")
    except AccessDenied as error:
        return refused(request, error)
    except DomainError as error:
        details = [str(text) for texts in getattr(error, "errors", {}).values() for text in texts]
        messages.error(request, " ".join(details) or str(error))
    else:
        messages.success(request, _("Conflict resolved."))
    return redirect("continuity:analysis", pk=conflict.analysis_id)


@login_required
def plans(request):
    form = RecoveryPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_recovery_plan(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Recovery plan created."))
            return redirect("continuity:plan", pk=created.pk)
    return render(request, "continuity/plans.html", {
        "plans": selectors.visible_recovery_plans(actor=request.user),
        "exercises": selectors.visible_exercises(actor=request.user)[:100], "form": form,
    }, status=400 if form.errors else 200)


PLAN_FORMS = {"exercise": PlanExerciseForm, "revise": ReviseRecoveryPlanForm, "approve": ApproveRecoveryPlanForm}


def visible_plan(request, pk):
    current = selectors.visible_recovery_plans(actor=request.user).filter(pk=pk).first()
    if current is None:
        raise Http404
    return current


def plan_action(request, current, action, data):
    """Run the plan page's action; return where to go next."""
    if action == "exercise":
        planned = services.plan_exercise(actor=request.user, plan=current, **data)
        messages.success(request, _("Exercise planned."))
        return redirect("continuity:exercise", pk=planned.pk)
    if action == "revise":
        recovery_plans.revise_recovery_plan(actor=request.user, plan_id=current.pk, **data)
        messages.success(request, _("Recovery plan revised."))
    else:
        version = recovery_plans.approve_recovery_plan(actor=request.user, plan_id=current.pk, **data)
        messages.success(request, _("Version %(version)s approved.") % {"version": version.version})
    return redirect("continuity:plan", pk=current.pk)


@login_required
def plan(request, pk):
    current = visible_plan(request, pk)
    action = request.POST.get("action", "exercise") if request.method == "POST" else None
    forms_by_action = {
        name: form_class(request.POST if name == action else None,
                         initial={field: getattr(current, field) for field in ReviseRecoveryPlanForm.base_fields}
                         if name == "revise" else None, prefix=None if name == "exercise" else name)
        for name, form_class in PLAN_FORMS.items()}
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        try:
            return plan_action(request, current, action, form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
    return render(request, "continuity/plan.html", {
        "plan": current, "forms": forms_by_action, "exercises": current.exercises.order_by("-planned_on", "-pk"),
        "versions": current.versions.select_related("approved_by"),
    }, status=400 if form is not None and form.errors else 200)


@login_required
def plan_pdf(request, pk):
    document = plan_export.plan_document(visible_plan(request, pk))
    content = plan_export.plan_pdf(document)
    record_data_export(actor=request.user, what="disaster recovery plan", row_count=1,
                       filters={"plan": document.plan.pk})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.file_stem}.pdf"'
    return response


@login_required
def plans_bundle(request):
    """Every plan the user may read, as a zip of standalone HTML pages and PDFs."""
    plans = list(selectors.visible_recovery_plans(actor=request.user))
    content = plan_export.plans_bundle(plans)
    record_data_export(actor=request.user, what="disaster recovery plans", row_count=len(plans), filters={})
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="recovery-plans.zip"'
    return response


@login_required
def exercise(request, pk):
    current = selectors.visible_exercises(actor=request.user).filter(pk=pk).first()
    if current is None:
        raise Http404
    form = ExerciseResultsForm(request.POST or None) if current.status == ExerciseStatus.PLANNED else None
    if request.method == "POST":
        form = form or ExerciseResultsForm(request.POST)
        if form.is_valid():
            try:
                services.record_exercise_results(actor=request.user, exercise_id=current.pk, **form.cleaned_data)
            except AccessDenied as error:
                return refused(request, error)
            except DomainError as error:
                apply_refusal(request, form, error)
            else:
                messages.success(request, _("Exercise results recorded."))
                return redirect("continuity:exercise", pk=current.pk)
    return render(request, "continuity/exercise.html", {"exercise": current, "form": form},
                  status=400 if form is not None and form.errors else 200)


@login_required
def data_centres(request):
    form = DataCentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_data_centre(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Data centre registered."))
            return redirect("continuity:data_centres")
    return render(request, "continuity/data_centres.html", {
        "data_centres": selectors.visible_data_centres(actor=request.user).order_by("code"), "form": form,
    }, status=400 if form.errors else 200)


@login_required
def infrastructure(request):
    form = InfrastructureComponentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_infrastructure_component(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Infrastructure component registered."))
            return redirect("continuity:infrastructure")
    return render(request, "continuity/infrastructure.html", {
        "components": selectors.visible_infrastructure(actor=request.user).order_by("data_centre__code", "name"),
        "form": form,
    }, status=400 if form.errors else 200)


@login_required
def applications(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.register_application(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Application registered."))
            return redirect("continuity:application", pk=application.pk)
    return render(request, "continuity/applications.html", {
        "applications": selectors.application_continuity(actor=request.user), "form": form,
    }, status=400 if form.errors else 200)


@login_required
def change_application(request, pk):
    current = selectors.visible_applications(actor=request.user).filter(pk=pk).first()
    if current is None:
        raise Http404
    form = ApplicationChangeForm(request.POST or None, initial={
        field: getattr(current, field) for field in ApplicationChangeForm.base_fields
        if field not in ("owner_unit", "currency")})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(actor=request.user, application_id=current.pk, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Application updated."))
            return redirect("continuity:application", pk=current.pk)
    return render(request, "continuity/change_application.html", {"application": current, "form": form},
                  status=400 if form.errors else 200)


@login_required
def application(request, pk):
    row = selectors.application_continuity_of(actor=request.user, application_id=pk)
    if row is None:
        raise Http404
    form = DependencyForm(request.POST or None, actor=request.user,
                          initial={"dependent": f"{NodeKind.APPLICATION.value}:{pk}"})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_dependency(actor=request.user, **form.service_arguments())
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Dependency recorded."))
            return redirect("continuity:application", pk=pk)
    needs, needed_by = selectors.dependencies_of_node(actor=request.user, kind=NodeKind.APPLICATION.value, node_id=pk)
    return render(request, "continuity/application.html", {
        "row": row, "needs": needs, "needed_by": needed_by, "form": form,
    }, status=400 if form.errors else 200)
