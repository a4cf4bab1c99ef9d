"""The continuity registry: business processes, applications, their dependencies, business impact
analyses, the cost of protection, disaster recovery plans and exercises.

RTO bands follow A/65/491 §3: 0–4 h, 4–24 h, 24–72 h and more than 72 h; processes in the first
two bands are critical. Every rule a row can express is a database constraint.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RtoBand(models.TextChoices):
    """Ordered from the tightest to the loosest: list position is the tightness."""

    UP_TO_4_HOURS = "0-4h", _("0–4 hours")
    UP_TO_24_HOURS = "4-24h", _("4–24 hours")
    UP_TO_72_HOURS = "24-72h", _("24–72 hours")
    OVER_72_HOURS = "72h+", _("More than 72 hours")


RTO_BAND_ORDER = [band.value for band in RtoBand]
CRITICAL_RTO_BANDS = frozenset({RtoBand.UP_TO_4_HOURS.value, RtoBand.UP_TO_24_HOURS.value})
# The upper bound of each band in hours (None: unbounded) and the lower bound (strictly above).
RTO_BAND_HOURS = {"0-4h": (0, 4), "4-24h": (4, 24), "24-72h": (24, 72), "72h+": (72, None)}


def band_fits_within(band: str, maximum_tolerable_downtime_hours: int) -> bool:
    """Whether recovery anywhere in ``band`` still comes within the MTD (ADR 0043).

    The tightest band fits any MTD (there is none tighter); the open band ">72 h" needs an
    MTD beyond 72 hours. The database constraint on BusinessProcess states the same rule.
    """
    lower, upper = RTO_BAND_HOURS[band]
    if band == RTO_BAND_ORDER[0]:
        return True
    return maximum_tolerable_downtime_hours > lower if upper is None else maximum_tolerable_downtime_hours >= upper


class ReplicationMethod(models.TextChoices):
    NONE = "none", _("No replication")
    ASYNCHRONOUS = "asynchronous", _("Asynchronous replication")
    SYNCHRONOUS = "synchronous", _("Synchronous replication")


class SiteDistance(models.TextChoices):
    SAME_CAMPUS = "same_campus", _("Same campus")
    METROPOLITAN = "metropolitan", _("Metropolitan distance")
    REMOTE = "remote", _("Remote site")


class DataClassification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _("Strictly confidential")


class DataCentre(models.Model):
    """An enterprise data centre; each is the other's recovery site (A/65/491 §3)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    duty_station = models.ForeignKey(
        "core.DutyStation", on_delete=models.PROTECT, related_name="data_centres", verbose_name=_("duty station")
    )
    recovery_site = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="protected_sites",
        verbose_name=_("recovery site"),
    )

    scope_paths = {"duty_station": "duty_station"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("data centre")
        constraints = [
            models.CheckConstraint(condition=~Q(recovery_site=models.F("pk")), name="continuity_dc_not_own_recovery"),
        ]

    def __str__(self) -> str:
        return self.code


class BusinessProcess(models.Model):
    """A department's business process with its owner, maximum tolerable downtime and RTO band."""

    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="business_processes", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="owned_business_processes", verbose_name=_("owner")
    )
    maximum_tolerable_downtime_hours = models.PositiveIntegerField(_("maximum tolerable downtime (hours)"))
    rto_band = models.CharField(_("RTO band"), max_length=10, choices=RtoBand.choices)
    # The data-loss tolerance applied from the department's signed-off BIA; None until one is.
    rpo_hours = models.DecimalField(_("RPO (hours of work that may be lost)"), max_digits=7, decimal_places=2,
                                    null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("business process")
        verbose_name_plural = _("business processes")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="continuity_process_name_unique"),
            models.CheckConstraint(condition=Q(rto_band__in=RtoBand.values), name="continuity_process_rto_band_valid"),
            models.CheckConstraint(
                condition=Q(maximum_tolerable_downtime_hours__gt=0), name="continuity_process_mtd_positive"
            ),
            # The whole RTO band fits within the downtime the process tolerates (ADR 0043).
            models.CheckConstraint(
                condition=Q(rto_band="0-4h")
                | Q(rto_band="4-24h", maximum_tolerable_downtime_hours__gte=24)
                | Q(rto_band="24-72h", maximum_tolerable_downtime_hours__gte=72)
                | Q(rto_band="72h+", maximum_tolerable_downtime_hours__gt=72),
                name="continuity_process_rto_band_within_mtd",
            ),
            models.CheckConstraint(
                condition=Q(rpo_hours__isnull=True) | Q(rpo_hours__gte=0), name="continuity_process_rpo_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_critical(self) -> bool:
        return self.rto_band in CRITICAL_RTO_BANDS


class Application(models.Model):
    """An application or system with the factors of the cost model of protection."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="owned_applications", verbose_name=_("owner")
    )
    owner_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="applications", verbose_name=_("owning unit")
    )
    data_centre = models.ForeignKey(
        DataCentre, on_delete=models.PROTECT, related_name="applications", verbose_name=_("hosting data centre")
    )
    user_count = models.PositiveIntegerField(_("users"), default=0)
    data_classification = models.CharField(
        _("data classification"), max_length=30, choices=DataClassification.choices, default=DataClassification.INTERNAL
    )
    replication_method = models.CharField(
        _("replication method"), max_length=20, choices=ReplicationMethod.choices, default=ReplicationMethod.NONE
    )
    recovery_site_distance = models.CharField(
        _("recovery site location"), max_length=20, choices=SiteDistance.choices, default=SiteDistance.REMOTE
    )
    is_replication_software_compatible = models.BooleanField(_("replication software compatible"), default=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    link_cost_amount = models.DecimalField(_("annual link cost"), max_digits=19, decimal_places=4, default=0)
    compute_amount = models.DecimalField(_("annual compute cost"), max_digits=19, decimal_places=4, default=0)
    storage_amount = models.DecimalField(_("annual storage cost"), max_digits=19, decimal_places=4, default=0)
    licence_amount = models.DecimalField(_("annual licence cost"), max_digits=19, decimal_places=4, default=0)
    reconfiguration_amount = models.DecimalField(
        _("one-off reconfiguration cost"), max_digits=19, decimal_places=4, default=0
    )
    current_support_amount = models.DecimalField(
        _("current annual support cost"), max_digits=19, decimal_places=4, default=0
    )

    scope_paths = {"org_unit": "owner_unit", "entity": "owner_unit__entity"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("application")
        constraints = [
            models.CheckConstraint(
                condition=Q(replication_method__in=ReplicationMethod.values), name="continuity_app_replication_valid"
            ),
            models.CheckConstraint(
                condition=Q(data_classification__in=DataClassification.values),
                name="continuity_app_classification_valid",
            ),
            models.CheckConstraint(
                condition=Q(recovery_site_distance__in=SiteDistance.values), name="continuity_app_distance_valid"
            ),
            models.CheckConstraint(
                condition=Q(link_cost_amount__gte=0, compute_amount__gte=0, storage_amount__gte=0,
                            licence_amount__gte=0, reconfiguration_amount__gte=0, current_support_amount__gte=0),
                name="continuity_app_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InfrastructureKind(models.TextChoices):
    SERVER = "server", _("Server")
    STORAGE = "storage", _("Storage")
    NETWORK = "network", _("Network")
    DATABASE = "database", _("Database")
    OTHER = "other", _("Other")


class InfrastructureComponent(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InfrastructureKind.choices)
    data_centre = models.ForeignKey(
        DataCentre, on_delete=models.PROTECT, related_name="infrastructure", verbose_name=_("data centre")
    )

    scope_paths = {"duty_station": "data_centre__duty_station"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("infrastructure component")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InfrastructureKind.values), name="continuity_infra_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class NodeKind(models.TextChoices):
    PROCESS = "process", _("Business process")
    APPLICATION = "application", _("Application")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure component")
    DATA_CENTRE = "data_centre", _("Data centre")


NODE_MODELS = {
    NodeKind.PROCESS.value: BusinessProcess,
    NodeKind.APPLICATION.value: Application,
    NodeKind.INFRASTRUCTURE.value: InfrastructureComponent,
    NodeKind.DATA_CENTRE.value: DataCentre,
}


class Dependency(models.Model):
    """``dependent`` needs ``required`` to work: process → application → infrastructure → data centre.

    The dependency graph must stay acyclic; the service checks that before every insert.
    """

    dependent_kind = models.CharField(_("dependent kind"), max_length=20, choices=NodeKind.choices)
    dependent_id = models.PositiveBigIntegerField(_("dependent"))
    required_kind = models.CharField(_("required kind"), max_length=20, choices=NodeKind.choices)
    required_id = models.PositiveBigIntegerField(_("required"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["dependent_kind", "dependent_id", "required_kind", "required_id"],
                name="continuity_dependency_unique",
            ),
            models.CheckConstraint(
                condition=Q(dependent_kind__in=NodeKind.values, required_kind__in=NodeKind.values),
                name="continuity_dependency_kinds_valid",
            ),
            models.CheckConstraint(
                condition=~Q(dependent_kind=models.F("required_kind"), dependent_id=models.F("required_id")),
                name="continuity_dependency_not_on_itself",
            ),
            # Nothing depends on a business process except another business process.
            models.CheckConstraint(
                condition=~Q(required_kind="process") | Q(dependent_kind="process"),
                name="continuity_dependency_process_from_process",
            ),
            models.CheckConstraint(condition=~Q(dependent_kind="data_centre"), name="continuity_dependency_dc_is_leaf"),
        ]

    def __str__(self) -> str:
        return f"{self.dependent_kind}:{self.dependent_id} → {self.required_kind}:{self.required_id}"


# --- Business impact analysis ------------------------------------------------------------------
class BiaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED_OFF = "signed_off", _("Signed off")


class ImpactCategory(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    REPUTATIONAL = "reputational", _("Reputational")
    LEGAL = "legal", _("Legal")
    OPERATIONAL = "operational", _("Operational")


class ImpactHorizon(models.IntegerChoices):
    """Hours after the disruption at which the impact is rated; they close the four RTO bands."""

    FOUR_HOURS = 4, _("After 4 hours")
    ONE_DAY = 24, _("After 24 hours")
    THREE_DAYS = 72, _("After 72 hours")
    ONE_WEEK = 168, _("After one week")


class ImpactSeverity(models.IntegerChoices):
    NONE = 0, _("None")
    MINOR = 1, _("Minor")
    MODERATE = 2, _("Moderate")
    MAJOR = 3, _("Major")
    SEVERE = 4, _("Severe")


class BusinessImpactAnalysis(models.Model):
    """One round of a department's BIA; signed-off rounds are kept unchanged as its history."""

    ALLOWED_TRANSITIONS = {BiaStatus.DRAFT: {BiaStatus.SIGNED_OFF}}

    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="business_impact_analyses",
        verbose_name=_("department"),
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=BiaStatus.choices, default=BiaStatus.DRAFT)
    questionnaire = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    rto_band = models.CharField(_("resulting RTO band"), max_length=10, choices=RtoBand.choices, blank=True)
    rpo_hours = models.DecimalField(_("RPO (hours of work that may be lost)"), max_digits=7, decimal_places=2,
                                    null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="started_business_impact_analyses"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="signed_off_business_impact_analyses",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity"}

    class Meta:
        ordering = ["org_unit", "-version"]
        verbose_name = _("business impact analysis")
        verbose_name_plural = _("business impact analyses")
        permissions = [("sign_off_businessimpactanalysis", "Can sign off business impact analyses")]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "version"], name="continuity_bia_version_unique"),
            models.UniqueConstraint(
                fields=["org_unit"], condition=Q(status="draft"), name="continuity_bia_one_draft_per_unit"
            ),
            models.CheckConstraint(condition=Q(status__in=BiaStatus.values), name="continuity_bia_status_valid"),
            models.CheckConstraint(
                condition=Q(rto_band="") | Q(rto_band__in=RtoBand.values), name="continuity_bia_rto_band_valid"
            ),
            models.CheckConstraint(
                condition=Q(rpo_hours__isnull=True) | Q(rpo_hours__gte=0), name="continuity_bia_rpo_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(signed_off_by__isnull=False, signed_off_at__isnull=False, rpo_hours__isnull=False) & ~Q(rto_band="")),
                name="continuity_bia_signed_off_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} BIA v{self.version}"

    def transition_to(self, new_status: str) -> None:
        from secretariat.continuity.exceptions import InvalidTransition

        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=self.get_status_display(), requested=BiaStatus(new_status).label)
        self.status = new_status


class ImpactRating(models.Model):
    analysis = models.ForeignKey(
        BusinessImpactAnalysis, on_delete=models.CASCADE, related_name="impacts", verbose_name=_("analysis")
    )
    category = models.CharField(_("impact"), max_length=20, choices=ImpactCategory.choices)
    after_hours = models.PositiveIntegerField(_("after"), choices=ImpactHorizon.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=ImpactSeverity.choices)

    class Meta:
        ordering = ["category", "after_hours"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "category", "after_hours"], name="continuity_impact_unique"),
            models.CheckConstraint(condition=Q(category__in=ImpactCategory.values), name="continuity_impact_category"),
            models.CheckConstraint(condition=Q(after_hours__in=ImpactHorizon.values), name="continuity_impact_horizon"),
            models.CheckConstraint(condition=Q(severity__in=ImpactSeverity.values), name="continuity_impact_severity"),
        ]


class ConflictField(models.TextChoices):
    RTO_BAND = "rto_band", _("RTO band")
    RPO_HOURS = "rpo_hours", _("RPO (hours)")


class ConflictResolution(models.TextChoices):
    APPLIED = "applied", _("Analysis applied")
    KEPT = "kept", _("Process value kept")


class BiaConflict(models.Model):
    """A signed-off BIA result looser than what a process of the department already has.

    Sign-off tightens processes by itself; loosening one is a person's decision, so it waits here.
    """

    analysis = models.ForeignKey(BusinessImpactAnalysis, on_delete=models.PROTECT, related_name="conflicts",
                                 verbose_name=_("analysis"))
    process = models.ForeignKey(BusinessProcess, on_delete=models.PROTECT, related_name="bia_conflicts",
                                verbose_name=_("business process"))
    field = models.CharField(_("field"), max_length=20, choices=ConflictField.choices)
    process_value = models.CharField(_("process value"), max_length=20)
    analysis_value = models.CharField(_("analysis value"), max_length=20)
    resolution = models.CharField(_("resolution"), max_length=20, choices=ConflictResolution.choices, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="resolved_bia_conflicts")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    scope_paths = {"org_unit": "process__org_unit", "entity": "process__org_unit__entity"}

    class Meta:
        ordering = ["analysis", "process__name", "field"]
        verbose_name = _("BIA conflict")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "process", "field"], name="continuity_conflict_unique"),
            models.CheckConstraint(condition=Q(field__in=ConflictField.values), name="continuity_conflict_field"),
            models.CheckConstraint(
                condition=Q(resolution="", resolved_by__isnull=True, resolved_at__isnull=True)
                | Q(resolution__in=ConflictResolution.values, resolved_by__isnull=False, resolved_at__isnull=False),
                name="continuity_conflict_resolution_complete",
            ),
        ]

    def display(self, value: str) -> str:
        return str(RtoBand(value).label) if self.field == ConflictField.RTO_BAND else value

    @property
    def process_display(self) -> str:
        return self.display(self.process_value)

    @property
    def analysis_display(self) -> str:
        return self.display(self.analysis_value)


# --- Disaster recovery plans and exercises -----------------------------------------------------
class RecoveryPlan(models.Model):
    """A disaster recovery plan for one application or one whole data centre."""

    title = models.CharField(_("title"), max_length=200)
    owner_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="recovery_plans", verbose_name=_("owning unit")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="recovery_plans",
        verbose_name=_("application"),
    )
    data_centre = models.ForeignKey(
        DataCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="recovery_plans",
        verbose_name=_("data centre"),
    )
    steps = models.TextField(_("recovery steps"))
    roles = models.TextField(_("roles"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    call_tree = models.TextField(_("call tree"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_paths = {"org_unit": "owner_unit", "entity": "owner_unit__entity"}

    class Meta:
        ordering = ["title"]
        verbose_name = _("disaster recovery plan")
        permissions = [("approve_recoveryplan", "Can approve disaster recovery plans")]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, data_centre__isnull=True)
                | Q(application__isnull=True, data_centre__isnull=False),
                name="continuity_plan_covers_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RecoveryPlanVersion(models.Model):
    """An approved, frozen text of a plan, with the date by which it must be reviewed again."""

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("plan"))
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    steps = models.TextField(_("recovery steps"))
    roles = models.TextField(_("roles"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    call_tree = models.TextField(_("call tree"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="approved_recovery_plan_versions", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"))
    review_due_on = models.DateField(_("review due on"))

    scope_paths = {"org_unit": "plan__owner_unit", "entity": "plan__owner_unit__entity"}

    class Meta:
        ordering = ["plan", "-version"]
        verbose_name = _("approved plan version")
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="continuity_plan_version_unique"),
            models.CheckConstraint(condition=Q(version__gt=0), name="continuity_plan_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ExerciseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Exercise(models.Model):
    """A test of a recovery plan: planned, then run with measured RTO and RPO against targets."""

    ALLOWED_TRANSITIONS = {ExerciseStatus.PLANNED: {ExerciseStatus.COMPLETED, ExerciseStatus.CANCELLED}}

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.PROTECT, related_name="exercises", verbose_name=_("plan"))
    planned_on = models.DateField(_("planned on"))
    status = models.CharField(_("status"), max_length=20, choices=ExerciseStatus.choices,
                              default=ExerciseStatus.PLANNED)
    target_rto_seconds = models.DecimalField(_("target RTO (seconds)"), max_digits=12, decimal_places=3)
    target_rpo_seconds = models.DecimalField(_("target RPO (seconds)"), max_digits=12, decimal_places=3)
    run_at = models.DateTimeField(_("run at"), null=True, blank=True)
    measured_rto_seconds = models.DecimalField(_("measured RTO (seconds)"), max_digits=12, decimal_places=3,
                                               null=True, blank=True)
    measured_rpo_seconds = models.DecimalField(_("measured RPO (seconds)"), max_digits=12, decimal_places=3,
                                               null=True, blank=True)
    lost_transactions = models.PositiveIntegerField(_("acknowledged transactions lost"), null=True, blank=True)
    issues = models.TextField(_("issues"), blank=True)
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="recorded_exercises"
    )

    scope_paths = {"org_unit": "plan__owner_unit", "entity": "plan__owner_unit__entity"}

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("exercise")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExerciseStatus.values), name="continuity_exercise_status"),
            models.CheckConstraint(
                condition=Q(target_rto_seconds__gte=0, target_rpo_seconds__gte=0), name="continuity_exercise_targets"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | Q(run_at__isnull=False, measured_rto_seconds__gte=0, measured_rpo_seconds__gte=0),
                name="continuity_exercise_completed_measured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.planned_on}"

    def transition_to(self, new_status: str) -> None:
        from secretariat.continuity.exceptions import InvalidTransition

        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=self.get_status_display(), requested=ExerciseStatus(new_status).label)
        self.status = new_status

    @property
    def met_targets(self) -> bool | None:
        if self.status != ExerciseStatus.COMPLETED:
            return None
        return (self.measured_rto_seconds <= self.target_rto_seconds
                and self.measured_rpo_seconds <= self.target_rpo_seconds)


class DrillProbe(models.Model):
    """One write of a failover drill's load; the drill checks every acknowledged one survives."""

    run_label = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run_label", "sequence"], name="continuity_probe_unique"),
        ]
