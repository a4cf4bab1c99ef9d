"""Reads of the continuity registry: scoped lists, derived RTOs, flags, costs and coverage."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from secretariat.continuity.cost_model import ProtectionFactors, annual_protection_cost
from secretariat.continuity.models import (
    CRITICAL_RTO_BANDS,
    NODE_MODELS,
    Application,
    BiaConflict,
    BusinessImpactAnalysis,
    BusinessProcess,
    DataCentre,
    Dependency,
    Exercise,
    ExerciseStatus,
    InfrastructureComponent,
    RecoveryPlan,
)
from secretariat.continuity.rto_derivation import (
    ApplicationFacts,
    inconsistency_flags,
    required_rpo_hours,
    required_rto_bands,
)
from secretariat.core.access import scoped


def visible_business_processes(*, actor) -> QuerySet[BusinessProcess]:
    return scoped(BusinessProcess.objects.select_related("org_unit", "owner"), actor=actor,
                  permission="continuity.view_businessprocess")


def visible_applications(*, actor) -> QuerySet[Application]:
    return scoped(Application.objects.select_related("owner", "owner_unit", "data_centre__recovery_site"),
                  actor=actor, permission="continuity.view_application")


def visible_data_centres(*, actor) -> QuerySet[DataCentre]:
    return scoped(DataCentre.objects.select_related("duty_station", "recovery_site"), actor=actor,
                  permission="continuity.view_datacentre")


def visible_infrastructure(*, actor) -> QuerySet[InfrastructureComponent]:
    return scoped(InfrastructureComponent.objects.select_related("data_centre"), actor=actor,
                  permission="continuity.view_infrastructurecomponent")


def visible_analyses(*, actor) -> QuerySet[BusinessImpactAnalysis]:
    return scoped(BusinessImpactAnalysis.objects.select_related("org_unit", "signed_off_by"), actor=actor,
                  permission="continuity.view_businessimpactanalysis")


def analysis_history(*, actor, org_unit) -> QuerySet[BusinessImpactAnalysis]:
    """Every version of a department's BIA, newest first."""
    return visible_analyses(actor=actor).filter(org_unit=org_unit).order_by("-version")


def visible_conflicts(*, actor) -> QuerySet[BiaConflict]:
    return scoped(BiaConflict.objects.select_related("process", "resolved_by"), actor=actor,
                  permission="continuity.view_businessprocess")


def conflicts_of_analysis(*, actor, analysis: BusinessImpactAnalysis) -> QuerySet[BiaConflict]:
    """The processes where a signed-off analysis is looser than the process, open ones first."""
    return visible_conflicts(actor=actor).filter(analysis=analysis).order_by("resolution", "process__name", "field")


def visible_recovery_plans(*, actor) -> QuerySet[RecoveryPlan]:
    return scoped(RecoveryPlan.objects.select_related("application", "data_centre", "owner_unit"), actor=actor,
                  permission="continuity.view_recoveryplan")


def visible_exercises(*, actor) -> QuerySet[Exercise]:
    return scoped(Exercise.objects.select_related("plan"), actor=actor, permission="continuity.view_exercise")


def visible_dependencies(*, actor) -> QuerySet[Dependency]:
    return scoped(Dependency.objects.order_by("pk"), actor=actor, permission="continuity.view_dependency")


def dependency_edges() -> list[tuple[tuple[str, int], tuple[str, int]]]:
    return [((d_kind, d_id), (r_kind, r_id)) for d_kind, d_id, r_kind, r_id in Dependency.objects.values_list(
        "dependent_kind", "dependent_id", "required_kind", "required_id")]


def required_bands() -> dict[tuple[str, int], str]:
    """The required RTO band of every node some business process depends on."""
    return required_rto_bands(edges=dependency_edges(),
                              process_bands=dict(BusinessProcess.objects.values_list("pk", "rto_band")))


def required_rpos() -> dict[tuple[str, int], Decimal]:
    """The required RPO (hours) of every node some business process with a known RPO depends on."""
    return required_rpo_hours(edges=dependency_edges(),
                              process_rpos=dict(BusinessProcess.objects.values_list("pk", "rpo_hours")))


def required_band_of_application(application: Application) -> str | None:
    return required_bands().get(("application", application.pk))


def required_rpo_of_application(application: Application) -> Decimal | None:
    return required_rpos().get(("application", application.pk))


@dataclass(frozen=True)
class ApplicationContinuity:
    application: Application
    required_band: str | None
    required_rpo_hours: Decimal | None
    flags: list[str]
    annual_protection_cost: Decimal

    @property
    def is_critical(self) -> bool:
        return self.required_band in CRITICAL_RTO_BANDS


# Nothing requires the application's data back: priced like the loosest RPO factor.
UNREQUIRED_RPO_HOURS = Decimal("168")


def protection_factors(application: Application, band: str | None, rpo_hours: Decimal | None) -> ProtectionFactors:
    return ProtectionFactors(
        rto_band=band or "72h+", rpo_hours=UNREQUIRED_RPO_HOURS if rpo_hours is None else rpo_hours,
        replication_method=application.replication_method,
        recovery_site_distance=application.recovery_site_distance,
        link_cost_amount=application.link_cost_amount, compute_amount=application.compute_amount,
        storage_amount=application.storage_amount, licence_amount=application.licence_amount,
        reconfiguration_amount=application.reconfiguration_amount,
        current_support_amount=application.current_support_amount,
        is_replication_software_compatible=application.is_replication_software_compatible,
    )


def application_continuity(*, actor) -> list[ApplicationContinuity]:
    """Each visible application with its derived RTO band and RPO, inconsistency flags and cost of protection."""
    bands, rpos = required_bands(), required_rpos()
    rows = []
    for application in visible_applications(actor=actor):
        band, rpo = bands.get(("application", application.pk)), rpos.get(("application", application.pk))
        facts = ApplicationFacts(
            replication_method=application.replication_method,
            data_centre_has_recovery_site=application.data_centre.recovery_site_id is not None, rpo_hours=rpo,
        )
        rows.append(ApplicationContinuity(application, band, rpo, inconsistency_flags(required_band=band, facts=facts),
                                          annual_protection_cost(protection_factors(application, band, rpo))))
    return rows


@dataclass(frozen=True)
class CostTotals:
    by_data_centre: dict[str, Decimal]
    by_strategy: dict[str, Decimal]
    total: Decimal
    currency: str = "USD"


def protection_cost_totals(*, actor) -> CostTotals:
    """Estimated annual cost of protection per data centre and per replication strategy."""
    by_centre, by_strategy = defaultdict(Decimal), defaultdict(Decimal)
    for row in application_continuity(actor=actor):
        by_centre[row.application.data_centre.code] += row.annual_protection_cost
        by_strategy[row.application.replication_method] += row.annual_protection_cost
    return CostTotals(dict(sorted(by_centre.items())), dict(sorted(by_strategy.items())),
                      sum(by_centre.values(), Decimal("0")))


@dataclass(frozen=True)
class CoverageRow:
    application: Application
    required_band: str
    last_tested_on: date | None


@dataclass(frozen=True)
class Coverage:
    rows: list[CoverageRow]
    tested: int
    critical: int

    @property
    def percentage(self) -> Decimal:
        if not self.critical:
            return Decimal("100")
        return (Decimal(self.tested) * 100 / self.critical).quantize(Decimal("0.1"))


def exercise_coverage(*, actor, on: date | None = None) -> Coverage:
    """Critical applications (0–24 h) and whether their plan was exercised in the last 12 months."""
    on = on or timezone.localdate()
    since = on - timedelta(days=365)
    critical = [row for row in application_continuity(actor=actor) if row.is_critical]
    last_tested = {}
    completed = Exercise.objects.filter(
        status=ExerciseStatus.COMPLETED, plan__application__in=[row.application for row in critical],
        run_at__date__gte=since, run_at__date__lte=on,
    ).values_list("plan__application_id", "run_at")
    for application_id, run_at in completed:
        run_on = timezone.localdate(run_at)
        if application_id not in last_tested or run_on > last_tested[application_id]:
            last_tested[application_id] = run_on
    rows = [CoverageRow(row.application, row.required_band, last_tested.get(row.application.pk)) for row in critical]
    return Coverage(rows, sum(1 for row in rows if row.last_tested_on), len(rows))


@dataclass(frozen=True)
class DependencyRow:
    dependency: Dependency
    dependent_label: str
    required_label: str


def node_labels(nodes: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The display name of each (kind, id) node, one query per kind."""
    labels = {}
    for kind, model in NODE_MODELS.items():
        ids = [node_id for node_kind, node_id in nodes if node_kind == kind]
        labels.update({(kind, row.pk): str(row) for row in model.objects.filter(pk__in=ids)})
    return labels


def dependencies_of_node(*, actor, kind: str, node_id: int) -> tuple[list[DependencyRow], list[DependencyRow]]:
    """What the node needs and what needs it, each with the other end's name."""
    visible = visible_dependencies(actor=actor).order_by("pk")
    needs = list(visible.filter(dependent_kind=kind, dependent_id=node_id))
    needed_by = list(visible.filter(required_kind=kind, required_id=node_id))
    labels = node_labels({(d.dependent_kind, d.dependent_id) for d in needs + needed_by}
                         | {(d.required_kind, d.required_id) for d in needs + needed_by})

    def row(dependency: Dependency) -> DependencyRow:
        dependent, required = ((dependency.dependent_kind, dependency.dependent_id),
                               (dependency.required_kind, dependency.required_id))
        return DependencyRow(dependency, labels.get(dependent, str(dependent)), labels.get(required, str(required)))

    return [row(d) for d in needs], [row(d) for d in needed_by]


def application_continuity_of(*, actor, application_id: int) -> ApplicationContinuity | None:
    """One visible application with its derived RTO band, flags and cost; None if missing or not visible."""
    return next((row for row in application_continuity(actor=actor) if row.application.pk == application_id), None)
