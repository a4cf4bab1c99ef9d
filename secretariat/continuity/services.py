"""Business actions of the continuity registry: the only code that writes its rows.

Each service is atomic, checks the actor's permission in scope, refuses with a DomainError and
audits in the same transaction. ``actor=None`` is the platform itself (the drill command).
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.continuity.bia_results import (
    apply_signed_off_analysis,
    band_beyond_mtd_message,
)
from secretariat.continuity.exceptions import (
    AnalysisIncomplete,
    AnalysisSignedOff,
    DependencyCycle,
    ExerciseNotPlanned,
)
from secretariat.continuity.models import (
    NODE_MODELS,
    RTO_BAND_HOURS,
    Application,
    BiaStatus,
    BusinessImpactAnalysis,
    BusinessProcess,
    DataCentre,
    DataClassification,
    Dependency,
    DrillProbe,
    Exercise,
    ExerciseStatus,
    ImpactCategory,
    ImpactHorizon,
    ImpactRating,
    ImpactSeverity,
    InfrastructureComponent,
    InfrastructureKind,
    NodeKind,
    RecoveryPlan,
    ReplicationMethod,
    RtoBand,
    SiteDistance,
    band_fits_within,
)
from secretariat.continuity.recovery_plans import plan_text_errors
from secretariat.continuity.rto_derivation import find_path
from secretariat.continuity.selectors import (
    required_band_of_application,
    required_rpo_of_application,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput

DEPENDENCY_GRAPH_LOCK_KEY = 0x5EC7C0DE  # serialises changes to the dependency graph (cycle checks)
# How a BIA turns impacts into an RTO band: the first horizon at which any impact is major.
HORIZON_BAND = {4: "0-4h", 24: "4-24h", 72: "24-72h", 168: "72h+"}
BIA_QUESTIONS = [
    ("peak_periods", _("When in the year is the department's work most time-critical?")),
    ("workarounds", _("Which manual workarounds exist if the systems are unavailable?")),
    ("external_obligations", _("Which obligations to Member States or partners have fixed deadlines?")),
    ("data_recreation", _("How would work lost since the last copy of the data be re-created?")),
]


def lock_dependency_graph() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEPENDENCY_GRAPH_LOCK_KEY])


def require_choice(errors: dict, field: str, value, choices, message) -> None:
    if value not in choices:
        errors[field] = [message]


def require_amounts_not_negative(errors: dict, amounts: dict) -> None:
    for field, value in amounts.items():
        if value is not None and Decimal(value) < 0:
            errors[field] = [_("The amount must not be negative.")]


# --- Data centres, processes, applications, infrastructure -------------------------------------
@transaction.atomic
def create_data_centre(*, actor, code: str, name: str, duty_station, recovery_site: DataCentre | None = None
                       ) -> DataCentre:
    require_permission(actor=actor, permission="continuity.add_datacentre", action=_("register data centres"))
    if not code.strip() or not name.strip():
        raise InvalidInput({"code" if not code.strip() else "name": [_("This field is required.")]})
    if DataCentre.objects.filter(code=code).exists():
        raise InvalidInput({"code": [_("A data centre with this code already exists.")]})
    centre = DataCentre.objects.create(code=code, name=name, duty_station=duty_station, recovery_site=recovery_site)
    record_audit_event(actor=actor, action="continuity.data_centre.created", target=centre,
                       changes={"code": code, "recovery_site": recovery_site.code if recovery_site else None})
    return centre


@transaction.atomic
def pair_data_centres(*, actor, first: DataCentre, second: DataCentre) -> None:
    """Make two data centres each other's recovery site."""
    require_permission(actor=actor, permission="continuity.change_datacentre", action=_("change data centres"))
    if first.pk == second.pk:
        raise InvalidInput({"second": [_("A data centre cannot be its own recovery site.")]})
    for centre, partner in sorted([(first, second), (second, first)], key=lambda pair: pair[0].pk):
        locked = DataCentre.objects.select_for_update(no_key=True).get(pk=centre.pk)
        locked.recovery_site = partner
        locked.save(update_fields=["recovery_site"])
    record_audit_event(actor=actor, action="continuity.data_centre.paired", target=first,
                       changes={"first": first.code, "second": second.code})


def require_valid_business_process(*, org_unit, name: str, owner, maximum_tolerable_downtime_hours: int,
                                   rto_band: str, process_id: int | None = None) -> None:
    """Refuse a process without owner, outside the four bands, or whose band misses its MTD."""
    errors = {}
    if not name or not name.strip():
        errors["name"] = [_("This field is required.")]
    if owner is None:
        errors["owner"] = [_("Every business process needs an owner.")]
    require_choice(errors, "rto_band", rto_band, RtoBand.values,
                   _("Choose one of the four RTO bands: 0–4 hours, 4–24 hours, 24–72 hours or more than 72 hours."))
    if maximum_tolerable_downtime_hours is None or maximum_tolerable_downtime_hours <= 0:
        errors["maximum_tolerable_downtime_hours"] = [_("The maximum tolerable downtime must be at least one hour.")]
    elif rto_band in RtoBand.values and not band_fits_within(rto_band, maximum_tolerable_downtime_hours):
        errors["rto_band"] = [band_beyond_mtd_message(rto_band, maximum_tolerable_downtime_hours)]
    if not errors and BusinessProcess.objects.filter(org_unit=org_unit, name=name.strip()).exclude(
            pk=process_id).exists():
        errors["name"] = [_("This department already has a business process with this name.")]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def record_business_process(
    *, actor, org_unit, name: str, owner, maximum_tolerable_downtime_hours: int, rto_band: str,
    description: str = "",
) -> BusinessProcess:
    """Record a department's business process with its owner, tolerable downtime and RTO band."""
    # Permission first: a refused user learns nothing about the data (names already taken, …).
    require_permission(actor=actor, permission="continuity.add_businessprocess", target=org_unit,
                       action=_("record business processes"))
    require_valid_business_process(org_unit=org_unit, name=name, owner=owner, rto_band=rto_band,
                                   maximum_tolerable_downtime_hours=maximum_tolerable_downtime_hours)
    process = BusinessProcess.objects.create(
        org_unit=org_unit, name=name.strip(), owner=owner, rto_band=rto_band, description=description,
        maximum_tolerable_downtime_hours=maximum_tolerable_downtime_hours,
    )
    record_audit_event(actor=actor, action="continuity.business_process.recorded", target=process,
                       changes={"org_unit": org_unit.code, "owner": str(owner), "rto_band": rto_band,
                                "maximum_tolerable_downtime_hours": maximum_tolerable_downtime_hours})
    return process


APPLICATION_AMOUNT_FIELDS = ["link_cost_amount", "compute_amount", "storage_amount", "licence_amount",
                             "reconfiguration_amount", "current_support_amount"]


def require_valid_application(*, name: str, owner, user_count: int, data_classification: str,
                              replication_method: str, recovery_site_distance: str, amounts: dict,
                              application_id: int | None = None) -> None:
    """Refuse an application without owner, with a name already used, unknown choices or negative figures."""
    unknown = set(amounts) - set(APPLICATION_AMOUNT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected arguments: {sorted(unknown)}")
    errors = {}
    if not name or not name.strip():
        errors["name"] = [_("This field is required.")]
    elif Application.objects.filter(name=name.strip()).exclude(pk=application_id).exists():
        errors["name"] = [_("An application with this name already exists.")]
    if owner is None:
        errors["owner"] = [_("Every application needs an owner.")]
    require_choice(errors, "replication_method", replication_method, ReplicationMethod.values,
                   _("Unknown replication method."))
    require_choice(errors, "data_classification", data_classification, DataClassification.values,
                   _("Unknown data classification."))
    require_choice(errors, "recovery_site_distance", recovery_site_distance, SiteDistance.values,
                   _("Unknown recovery site location."))
    if user_count is None or user_count < 0:
        errors["user_count"] = [_("The number of users must not be negative.")]
    require_amounts_not_negative(errors, amounts)
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def register_application(
    *, actor, name: str, owner, owner_unit, data_centre: DataCentre, user_count: int = 0,
    data_classification: str = DataClassification.INTERNAL, replication_method: str = ReplicationMethod.NONE,
    recovery_site_distance: str = SiteDistance.REMOTE, is_replication_software_compatible: bool = True, currency: str = "USD", **amounts: Decimal,
) -> Application:
    """Register an application or system with its hosting and the factors of its cost of protection.

    Its RTO band and RPO are not entered: both follow from the processes that depend on it.
    """
    require_permission(actor=actor, permission="continuity.add_application", target=owner_unit,
                       action=_("register applications"))
    require_valid_application(name=name, owner=owner, user_count=user_count, data_classification=data_classification,
                              replication_method=replication_method, recovery_site_distance=recovery_site_distance,
                              amounts=amounts)
    application = Application.objects.create(
        name=name.strip(), owner=owner, owner_unit=owner_unit, data_centre=data_centre, user_count=user_count,
        data_classification=data_classification, replication_method=replication_method,
        recovery_site_distance=recovery_site_distance,
        is_replication_software_compatible=is_replication_software_compatible, currency=currency,
        **{field: Decimal(value) for field, value in amounts.items()},
    )
    record_audit_event(actor=actor, action="continuity.application.registered", target=application,
                       changes={"data_centre": data_centre.code, "replication_method": replication_method,
                                **amounts})
    return application


@transaction.atomic
def update_business_process(
    *, actor, process_id: int, name: str, owner, maximum_tolerable_downtime_hours: int, rto_band: str,
    description: str = "",
) -> BusinessProcess:
    """Change a process's name, owner, tolerable downtime or RTO band; its department stays.

    The row is locked before the checks so two concurrent edits apply one after the other; a
    changed band changes the required RTO derived for everything the process depends on.
    """
    process = BusinessProcess.objects.select_for_update(no_key=True).get(pk=process_id)
    require_permission(actor=actor, permission="continuity.change_businessprocess", target=process,
                       action=_("change business processes"))
    require_valid_business_process(org_unit=process.org_unit, name=name, owner=owner, rto_band=rto_band,
                                   maximum_tolerable_downtime_hours=maximum_tolerable_downtime_hours,
                                   process_id=process.pk)
    changes = changed_fields(process, {"name": name.strip(), "owner": owner, "rto_band": rto_band,
                                       "description": description,
                                       "maximum_tolerable_downtime_hours": maximum_tolerable_downtime_hours})
    if changes:
        process.save(update_fields=list(changes))
        record_audit_event(actor=actor, action="continuity.business_process.changed", target=process,
                           changes=changes)
    return process


def changed_fields(row, values: dict) -> dict:
    """Set ``values`` on ``row``; return {field: [old, new]} for those that differ, printable for the audit."""
    changes = {}
    for field, value in values.items():
        old = getattr(row, field)
        if old != value:
            printable = [str(old) if hasattr(old, "pk") else old, str(value) if hasattr(value, "pk") else value]
            changes[field] = printable
            setattr(row, field, value)
    return changes


@transaction.atomic
def update_application(
    *, actor, application_id: int, name: str, owner, data_centre: DataCentre, user_count: int,
    data_classification: str, replication_method: str, recovery_site_distance: str,
    is_replication_software_compatible: bool = True, **amounts: Decimal,
) -> Application:
    """Change an application's owner, hosting, replication or cost factors; its owning unit stays.

    The row is locked before the checks; the derived RTO band, flags and cost follow from the new values.
    """
    application = Application.objects.select_for_update(no_key=True).get(pk=application_id)
    require_permission(actor=actor, permission="continuity.change_application", target=application,
                       action=_("change applications"))
    require_valid_application(name=name, owner=owner, user_count=user_count, data_classification=data_classification,
                              replication_method=replication_method, recovery_site_distance=recovery_site_distance,
                              amounts=amounts, application_id=application.pk)
    changes = changed_fields(application, {
        "name": name.strip(), "owner": owner, "data_centre": data_centre, "user_count": user_count,
        "data_classification": data_classification, "replication_method": replication_method,
        "recovery_site_distance": recovery_site_distance,
        "is_replication_software_compatible": is_replication_software_compatible,
        **{field: Decimal(value) for field, value in amounts.items()},
    })
    if changes:
        application.save(update_fields=list(changes))
        record_audit_event(actor=actor, action="continuity.application.changed", target=application,
                           changes=changes)
    return application


@transaction.atomic
def register_infrastructure_component(*, actor, name: str, kind: str, data_centre: DataCentre
                                      ) -> InfrastructureComponent:
    require_permission(actor=actor, permission="continuity.add_infrastructurecomponent",
                       action=_("register infrastructure"))
    errors = {}
    require_choice(errors, "kind", kind, InfrastructureKind.values, _("Unknown kind of infrastructure."))
    if not name or InfrastructureComponent.objects.filter(name=name).exists():
        errors["name"] = [_("Give a name not used by another component.")]
    if errors:
        raise InvalidInput(errors)
    component = InfrastructureComponent.objects.create(name=name, kind=kind, data_centre=data_centre)
    record_audit_event(actor=actor, action="continuity.infrastructure.registered", target=component,
                       changes={"kind": kind, "data_centre": data_centre.code})
    return component


def node_label(kind: str, node_id: int) -> str:
    row = NODE_MODELS[kind].objects.filter(pk=node_id).first()
    return str(row) if row is not None else f"{kind} {node_id}"


@transaction.atomic
def add_dependency(*, actor, dependent_kind: str, dependent_id: int, required_kind: str, required_id: int
                   ) -> Dependency:
    """Record that one node needs another; refuse anything that would close a cycle.

    The graph lock serialises all dependency changes, so two concurrent inserts cannot each
    pass the cycle check and together form a cycle.
    """
    require_permission(actor=actor, permission="continuity.add_dependency", action=_("record dependencies"))
    errors = {}
    for field, kind, node_id in [("dependent", dependent_kind, dependent_id), ("required", required_kind, required_id)]:
        if kind not in NodeKind.values:
            errors[f"{field}_kind"] = [_("Unknown kind of node.")]
        elif not NODE_MODELS[kind].objects.filter(pk=node_id).exists():
            errors[f"{field}_id"] = [_("This node does not exist.")]
    if not errors and required_kind == NodeKind.PROCESS and dependent_kind != NodeKind.PROCESS:
        errors["required_kind"] = [_("Only a business process can depend on a business process.")]
    if not errors and dependent_kind == NodeKind.DATA_CENTRE:
        errors["dependent_kind"] = [_("A data centre depends on nothing in this registry.")]
    if errors:
        raise InvalidInput(errors)
    dependent, required = (dependent_kind, dependent_id), (required_kind, required_id)
    lock_dependency_graph()
    if dependent == required:
        raise DependencyCycle(cycle=node_label(*dependent))
    edges = [((d_kind, d_id), (r_kind, r_id)) for d_kind, d_id, r_kind, r_id in Dependency.objects.values_list(
        "dependent_kind", "dependent_id", "required_kind", "required_id")]
    if (dependent, required) in edges:
        raise InvalidInput({"required_id": [_("This dependency is already recorded.")]})
    if (path := find_path(edges=edges, start=required, goal=dependent)) is not None:
        raise DependencyCycle(cycle=" → ".join(node_label(*node) for node in [dependent, *path]))
    dependency = Dependency.objects.create(dependent_kind=dependent_kind, dependent_id=dependent_id,
                                           required_kind=required_kind, required_id=required_id)
    record_audit_event(actor=actor, action="continuity.dependency.added", target=dependency,
                       changes={"dependent": node_label(*dependent), "required": node_label(*required)})
    return dependency


@transaction.atomic
def remove_dependency(*, actor, dependency_id: int) -> None:
    require_permission(actor=actor, permission="continuity.delete_dependency", action=_("remove dependencies"))
    lock_dependency_graph()
    dependency = Dependency.objects.select_for_update().get(pk=dependency_id)
    changes = {"dependent": node_label(dependency.dependent_kind, dependency.dependent_id),
               "required": node_label(dependency.required_kind, dependency.required_id)}
    record_audit_event(actor=actor, action="continuity.dependency.removed", target=dependency, changes=changes)
    dependency.delete()


# --- Business impact analysis ------------------------------------------------------------------
@transaction.atomic
def start_business_impact_analysis(*, actor, org_unit) -> BusinessImpactAnalysis:
    """Open the next version of a department's BIA; earlier versions stay as its history."""
    require_permission(actor=actor, permission="continuity.add_businessimpactanalysis", target=org_unit,
                       action=_("run business impact analyses"))
    type(org_unit).objects.select_for_update(no_key=True).get(pk=org_unit.pk)  # one version number at a time
    if BusinessImpactAnalysis.objects.filter(org_unit=org_unit, status=BiaStatus.DRAFT).exists():
        raise InvalidInput({"org_unit": [_("This department already has a business impact analysis in progress.")]})
    last = BusinessImpactAnalysis.objects.filter(org_unit=org_unit).order_by("-version").first()
    analysis = BusinessImpactAnalysis.objects.create(org_unit=org_unit, version=(last.version + 1) if last else 1,
                                                     started_by=actor)
    record_audit_event(actor=actor, action="continuity.bia.started", target=analysis,
                       changes={"org_unit": org_unit.code, "version": analysis.version})
    return analysis


def resulting_rto_band(impacts: dict[tuple[str, int], int]) -> str:
    """The band closing at the first horizon where any impact is major or worse."""
    for hours in sorted(HORIZON_BAND):
        if any(severity >= ImpactSeverity.MAJOR for (_category, at), severity in impacts.items() if at == hours):
            return HORIZON_BAND[hours]
    return HORIZON_BAND[168]


def locked_draft_analysis(actor, analysis_id: int, permission: str, action) -> BusinessImpactAnalysis:
    analysis = BusinessImpactAnalysis.objects.select_for_update(no_key=True).select_related("org_unit").get(
        pk=analysis_id)
    require_permission(actor=actor, permission=permission, target=analysis.org_unit, action=action)
    if analysis.status != BiaStatus.DRAFT:
        raise AnalysisSignedOff(version=analysis.version)
    return analysis


@transaction.atomic
def record_business_impacts(
    *, actor, analysis_id: int, questionnaire: dict[str, str], impacts: dict[tuple[str, int], int],
    rpo_hours: Decimal | None,
) -> BusinessImpactAnalysis:
    """Store the questionnaire, the impacts over time and the RPO; derive the resulting RTO band.

    ``impacts`` maps (category, hours after the disruption) to a severity 0–4.
    """
    analysis = locked_draft_analysis(actor, analysis_id, "continuity.change_businessimpactanalysis",
                                     _("change business impact analyses"))
    errors = {}
    known_questions = {code for code, _label in BIA_QUESTIONS}
    if set(questionnaire) - known_questions:
        errors["questionnaire"] = [_("Unknown question.")]
    for (category, hours), severity in impacts.items():
        if category not in ImpactCategory.values or hours not in ImpactHorizon.values:
            errors["impacts"] = [_("Rate the four kinds of impact at 4, 24, 72 and 168 hours only.")]
        elif severity not in ImpactSeverity.values:
            errors["impacts"] = [_("A severity is between 0 (none) and 4 (severe).")]
    if rpo_hours is not None and Decimal(rpo_hours) < 0:
        errors["rpo_hours"] = [_("The RPO must not be negative.")]
    if errors:
        raise InvalidInput(errors)
    analysis.impacts.all().delete()
    ImpactRating.objects.bulk_create(
        ImpactRating(analysis=analysis, category=category, after_hours=hours, severity=severity)
        for (category, hours), severity in sorted(impacts.items())
    )
    analysis.questionnaire = questionnaire
    analysis.rpo_hours = rpo_hours
    analysis.rto_band = resulting_rto_band(impacts) if impacts else ""
    analysis.save(update_fields=["questionnaire", "rpo_hours", "rto_band"])
    record_audit_event(actor=actor, action="continuity.bia.impacts_recorded", target=analysis,
                       changes={"rto_band": analysis.rto_band, "rpo_hours": rpo_hours,
                                "impacts": {f"{c}@{h}h": s for (c, h), s in sorted(impacts.items())}})
    return analysis


@transaction.atomic
def sign_off_business_impact_analysis(*, actor, analysis_id: int) -> BusinessImpactAnalysis:
    """Freeze the analysis and apply its RTO band and RPO to the department's processes.

    Processes looser than the analysis are tightened; those already tighter are listed as
    conflicts for a person to resolve (``bia_results``).
    """
    analysis = locked_draft_analysis(actor, analysis_id, "continuity.sign_off_businessimpactanalysis",
                                     _("sign off business impact analyses"))
    rated = set(analysis.impacts.values_list("category", "after_hours"))
    missing = []
    if len(rated) < len(ImpactCategory.values) * len(ImpactHorizon.values):
        missing.append(str(_("impacts not rated for every category and horizon")))
    if analysis.rpo_hours is None:
        missing.append(str(_("no RPO")))
    if missing:
        raise AnalysisIncomplete(missing=", ".join(missing))
    analysis.transition_to(BiaStatus.SIGNED_OFF)
    analysis.signed_off_by, analysis.signed_off_at = actor, timezone.now()
    analysis.save(update_fields=["status", "signed_off_by", "signed_off_at"])
    record_audit_event(actor=actor, action="continuity.bia.signed_off", target=analysis,
                       changes={"rto_band": analysis.rto_band, "rpo_hours": analysis.rpo_hours})
    apply_signed_off_analysis(actor=actor, analysis=analysis)
    return analysis


# --- DR plans and exercises --------------------------------------------------------------------
@transaction.atomic
def create_recovery_plan(
    *, actor, title: str, owner_unit, steps: str, application: Application | None = None,
    data_centre: DataCentre | None = None, roles: str = "", contacts: str = "", call_tree: str = "",
) -> RecoveryPlan:
    errors = plan_text_errors(title=title, steps=steps)
    if (application is None) == (data_centre is None):
        errors["application"] = [_("A plan covers either one application or one data centre.")]
    if errors:
        raise InvalidInput(errors)
    require_permission(actor=actor, permission="continuity.add_recoveryplan", target=owner_unit,
                       action=_("write disaster recovery plans"))
    plan = RecoveryPlan.objects.create(title=title.strip(), owner_unit=owner_unit, application=application,
                                       data_centre=data_centre, steps=steps, roles=roles, contacts=contacts,
                                       call_tree=call_tree)
    record_audit_event(actor=actor, action="continuity.recovery_plan.created", target=plan,
                       changes={"application": str(application) if application else None,
                                "data_centre": str(data_centre) if data_centre else None})
    return plan


def band_target_seconds(band: str) -> Decimal:
    upper = RTO_BAND_HOURS[band][1]
    return Decimal((upper if upper is not None else 24 * 7) * 3600)


@transaction.atomic
def plan_exercise(*, actor, plan: RecoveryPlan, planned_on: date, target_rto_seconds: Decimal | None = None,
                  target_rpo_seconds: Decimal | None = None) -> Exercise:
    """Schedule an exercise of a plan; targets default to its application's required RTO band and RPO."""
    require_permission(actor=actor, permission="continuity.add_exercise", target=plan, action=_("plan exercises"))
    if target_rto_seconds is None or target_rpo_seconds is None:
        application = plan.application
        band = required_band_of_application(application) if application else None
        if target_rto_seconds is None:
            target_rto_seconds = band_target_seconds(band or "72h+")
        if target_rpo_seconds is None:
            rpo_hours = required_rpo_of_application(application) if application else None
            target_rpo_seconds = Decimal("86400") if rpo_hours is None else rpo_hours * 3600
    if Decimal(target_rto_seconds) < 0 or Decimal(target_rpo_seconds) < 0:
        raise InvalidInput({"target_rto_seconds": [_("Targets must not be negative.")]})
    exercise = Exercise.objects.create(plan=plan, planned_on=planned_on, target_rto_seconds=target_rto_seconds,
                                       target_rpo_seconds=target_rpo_seconds)
    record_audit_event(actor=actor, action="continuity.exercise.planned", target=exercise,
                       changes={"planned_on": planned_on, "target_rto_seconds": target_rto_seconds,
                                "target_rpo_seconds": target_rpo_seconds})
    return exercise


@transaction.atomic
def record_exercise_results(
    *, actor, exercise_id: int, run_at: datetime, measured_rto_seconds: Decimal, measured_rpo_seconds: Decimal,
    lost_transactions: int | None = None, issues: str = "", follow_up_actions: str = "", details: dict | None = None,
) -> Exercise:
    """Record what an exercise measured; the record is final once written."""
    exercise = Exercise.objects.select_for_update(no_key=True).select_related("plan").get(pk=exercise_id)
    if actor is not None:
        require_permission(actor=actor, permission="continuity.change_exercise", target=exercise,
                           action=_("record exercise results"))
    if exercise.status != ExerciseStatus.PLANNED:
        raise ExerciseNotPlanned(status=exercise.get_status_display())
    errors = {}
    for field, value in [("measured_rto_seconds", measured_rto_seconds), ("measured_rpo_seconds", measured_rpo_seconds)]:
        if value is None or Decimal(value) < 0:
            errors[field] = [_("Enter the measured value, zero or more seconds.")]
    if errors:
        raise InvalidInput(errors)
    exercise.transition_to(ExerciseStatus.COMPLETED)
    exercise.run_at = run_at
    exercise.measured_rto_seconds = Decimal(measured_rto_seconds).quantize(Decimal("0.001"))
    exercise.measured_rpo_seconds = Decimal(measured_rpo_seconds).quantize(Decimal("0.001"))
    exercise.lost_transactions = lost_transactions
    exercise.issues, exercise.follow_up_actions, exercise.details = issues, follow_up_actions, details or {}
    exercise.recorded_by = actor
    exercise.save()
    record_audit_event(actor=actor, action="continuity.exercise.recorded", target=exercise, actor_label=(
        None if actor is not None else "failover drill"),
        changes={"measured_rto_seconds": exercise.measured_rto_seconds,
                 "measured_rpo_seconds": exercise.measured_rpo_seconds, "lost_transactions": lost_transactions,
                 "met_targets": exercise.met_targets})
    return exercise


@transaction.atomic
def cancel_exercise(*, actor, exercise_id: int) -> Exercise:
    exercise = Exercise.objects.select_for_update(no_key=True).select_related("plan").get(pk=exercise_id)
    require_permission(actor=actor, permission="continuity.change_exercise", target=exercise,
                       action=_("cancel exercises"))
    if exercise.status != ExerciseStatus.PLANNED:
        raise ExerciseNotPlanned(status=exercise.get_status_display())
    exercise.transition_to(ExerciseStatus.CANCELLED)
    exercise.save(update_fields=["status"])
    record_audit_event(actor=actor, action="continuity.exercise.cancelled", target=exercise)
    return exercise


PLATFORM_APPLICATION_NAME = "Secretariat platform"


@transaction.atomic
def record_failover_drill(*, plan: RecoveryPlan, run_at: datetime, figures: dict) -> Exercise:
    """Record a failover drill of the platform itself as a completed exercise of ``plan``.

    Targets: RPO 0 and an RTO of 30 seconds, as the platform promises for its synchronous mode.
    The measured figures are the synchronous mode's when it ran, else the asynchronous mode's
    (whose lost work then shows as a missed RPO target).
    """
    exercise = Exercise.objects.create(plan=plan, planned_on=run_at.date(), target_rto_seconds=Decimal("30"),
                                       target_rpo_seconds=Decimal("0"))
    record_audit_event(actor=None, actor_label="failover drill", action="continuity.exercise.planned",
                       target=exercise, changes={"planned_on": run_at.date()})
    measured = "sync" if "sync_rto_s" in figures else "async"
    issues = [f"{figures[f'{prefix}_lost_acknowledged']} acknowledged transactions lost in {mode} mode over "
              f"{figures[f'{prefix}_loss_window_s']} s"
              for prefix, mode in [("sync", "synchronous"), ("async", "asynchronous")]
              if figures.get(f"{prefix}_lost_acknowledged")]
    lost = figures[f"{measured}_lost_acknowledged"]
    return record_exercise_results(
        actor=None, exercise_id=exercise.pk, run_at=run_at,
        measured_rto_seconds=Decimal(str(figures[f"{measured}_rto_s"])),
        measured_rpo_seconds=Decimal(str(figures[f"{measured}_loss_window_s"])) if lost else Decimal("0"),
        lost_transactions=lost, issues="\n".join(issues), details=figures,
    )


@transaction.atomic
def record_drill_probe(*, run_label: str, sequence: int) -> DrillProbe:
    """One write of the drill's steady load: a probe row and its audit event, in one transaction."""
    probe = DrillProbe.objects.create(run_label=run_label, sequence=sequence)
    record_audit_event(actor=None, actor_label="failover drill", action="continuity.drill.probe_written",
                       target=probe, changes={"run": run_label, "sequence": sequence})
    return probe
