"""Results-based programme budget and budgetary control.

Two halves share the vocabulary of the budget fascicles:

* the **programme plan and resources** of a budget section (section → subprogramme →
  component, expected accomplishments, indicators, deliverables, resource requirements by
  object of expenditure × funding source, posts by grade);
* **budgetary control**: appropriation → allotment (per certifying unit and object class) →
  commitment → expenditure. Each allotment carries its running balances so that the budget
  check is one locked row; the append-only ``BudgetMovement`` journal records every change to
  them (ADR 0050, 0051).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import InvalidTransition

ZERO = Decimal("0")


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=19, decimal_places=4, default=ZERO, **kwargs)


class FundingSource(models.TextChoices):
    REGULAR_BUDGET = "regular_budget", _("Regular budget")
    OTHER_ASSESSED = "other_assessed", _("Other assessed")
    EXTRABUDGETARY = "extrabudgetary", _("Extrabudgetary")


class ObjectOfExpenditure(models.TextChoices):
    """Objects of expenditure in the order the fascicles list them."""

    POSTS = "posts", _("Posts")
    OTHER_STAFF_COSTS = "other_staff_costs", _("Other staff costs")
    CONSULTANTS = "consultants", _("Consultants and experts")
    TRAVEL_OF_STAFF = "travel_of_staff", _("Travel of staff")
    CONTRACTUAL_SERVICES = "contractual_services", _("Contractual services")
    GENERAL_OPERATING_EXPENSES = "general_operating_expenses", _("General operating expenses")
    SUPPLIES_AND_MATERIALS = "supplies_and_materials", _("Supplies and materials")
    FURNITURE_AND_EQUIPMENT = "furniture_and_equipment", _("Furniture and equipment")
    IMPROVEMENT_OF_PREMISES = "improvement_of_premises", _("Improvement of premises")
    GRANTS_AND_CONTRIBUTIONS = "grants_and_contributions", _("Grants and contributions")


class PostGrade(models.TextChoices):
    """Grades as the budget's post tables show them (GS levels are grouped as the fascicles do)."""

    USG = "USG", _("USG")
    ASG = "ASG", _("ASG")
    D2 = "D-2", _("D-2")
    D1 = "D-1", _("D-1")
    P5 = "P-5", _("P-5")
    P4 = "P-4", _("P-4")
    P3 = "P-3", _("P-3")
    P2 = "P-2/1", _("P-2/1")
    GS_PL = "GS (PL)", _("GS (Principal level)")
    GS_OL = "GS (OL)", _("GS (Other level)")
    LL = "LL", _("LL (Local level)")


PROFESSIONAL_AND_HIGHER = [PostGrade.USG, PostGrade.ASG, PostGrade.D2, PostGrade.D1, PostGrade.P5, PostGrade.P4,
                           PostGrade.P3, PostGrade.P2]
GENERAL_SERVICE_AND_RELATED = [PostGrade.GS_PL, PostGrade.GS_OL, PostGrade.LL]


class ComponentKind(models.TextChoices):
    EXECUTIVE_DIRECTION = "executive_direction", _("Executive direction and management")
    SUBPROGRAMME = "subprogramme", _("Subprogramme")
    COMPONENT = "component", _("Component")
    PROGRAMME_SUPPORT = "programme_support", _("Programme support")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")
    AT_MOST = "at_most", _("Not more than the threshold")
    AT_LEAST = "at_least", _("At least the threshold")


class DeliverableCategory(models.TextChoices):
    A = "A", _("A. Facilitation of the intergovernmental process and expert bodies")
    B = "B", _("B. Generation and transfer of knowledge")
    C = "C", _("C. Substantive deliverables")
    D = "D", _("D. Communication deliverables")
    E = "E", _("E. Enabling deliverables")


# --- Programme plan --------------------------------------------------------------------------


class BudgetSection(models.Model):
    """A section of the programme budget for one budget year (e.g. 29C, 2021)."""

    code = models.CharField(_("section"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    programme_title = models.CharField(_("programme"), max_length=300, blank=True)
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="budget_sections", verbose_name=_("responsible office")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    overall_orientation = models.TextField(_("overall orientation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity"}

    class Meta:
        ordering = ["-budget_year", "code"]
        verbose_name = _("budget section")
        verbose_name_plural = _("budget sections")
        constraints = [
            models.UniqueConstraint(fields=["code", "budget_year"], name="budget_section_code_year_unique"),
            models.CheckConstraint(condition=Q(budget_year__gte=1946), name="budget_section_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title} ({self.budget_year})"

    @property
    def prior_year(self) -> int:
        return self.budget_year - 2

    @property
    def current_year(self) -> int:
        return self.budget_year - 1


class BudgetComponent(models.Model):
    """Executive direction and management, a subprogramme, or a component of one."""

    section = models.ForeignKey(BudgetSection, on_delete=models.PROTECT, related_name="components",
                                verbose_name=_("section"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("subprogramme"))
    kind = models.CharField(_("kind"), max_length=30, choices=ComponentKind.choices)
    code = models.CharField(_("code"), max_length=10, help_text=_("For example A, 1, 2 or 2.1."))
    title = models.CharField(_("title"), max_length=300)
    objective = models.TextField(_("objective"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    responsible_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="budget_components", verbose_name=_("responsible unit"))

    scope_paths = {"org_unit": "section__org_unit", "entity": "section__org_unit__entity"}

    class Meta:
        ordering = ["section", "position", "code"]
        verbose_name = _("budget component")
        verbose_name_plural = _("budget components")
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="budget_component_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=ComponentKind.values), name="budget_component_kind_valid"),
            models.CheckConstraint(condition=Q(parent__isnull=True) | Q(kind="component"),
                                   name="budget_component_only_components_nest"),
        ]

    def __str__(self) -> str:
        if self.kind == ComponentKind.SUBPROGRAMME:
            return str(_("Subprogramme %(code)s, %(title)s") % {"code": self.code, "title": self.title})
        return f"{self.code}. {self.title}"


class ExpectedAccomplishment(models.Model):
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="accomplishments",
                                  verbose_name=_("component"))
    letter = models.CharField(_("letter"), max_length=2)
    description = models.TextField(_("expected accomplishment"))

    class Meta:
        ordering = ["component", "letter"]
        verbose_name = _("expected accomplishment")
        verbose_name_plural = _("expected accomplishments")
        constraints = [
            models.UniqueConstraint(fields=["component", "letter"], name="budget_accomplishment_letter_unique"),
            models.CheckConstraint(condition=Q(letter__regex=r"^[a-z]{1,2}$"), name="budget_accomplishment_letter"),
        ]

    def __str__(self) -> str:
        return f"({self.letter}) {self.description}"


class Indicator(models.Model):
    """An indicator of achievement with its unit, direction or threshold, and baseline."""

    accomplishment = models.ForeignKey(ExpectedAccomplishment, on_delete=models.PROTECT, related_name="indicators",
                                       verbose_name=_("expected accomplishment"))
    code = models.CharField(_("number"), max_length=6, help_text=_("For example i, ii, iii."))
    description = models.TextField(_("indicator of achievement"))
    unit = models.CharField(_("unit of measure"), max_length=100)
    direction = models.CharField(_("direction"), max_length=10, choices=IndicatorDirection.choices)
    threshold_value = models.DecimalField(_("threshold"), max_digits=19, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=19, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["accomplishment", "code"]
        verbose_name = _("indicator of achievement")
        verbose_name_plural = _("indicators of achievement")
        constraints = [
            models.UniqueConstraint(fields=["accomplishment", "code"], name="budget_indicator_code_unique"),
            models.CheckConstraint(condition=Q(direction__in=IndicatorDirection.values),
                                   name="budget_indicator_direction_valid"),
            models.CheckConstraint(
                condition=~Q(direction__in=["at_most", "at_least"]) | Q(threshold_value__isnull=False),
                name="budget_indicator_threshold_required",
            ),
        ]

    def __str__(self) -> str:
        return f"({self.code}) {self.description}"


class IndicatorYear(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="years",
                                  verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"))
    target_value = models.DecimalField(_("target"), max_digits=19, decimal_places=4, null=True, blank=True)
    actual_value = models.DecimalField(_("actual"), max_digits=19, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator target and actual")
        verbose_name_plural = _("indicator targets and actuals")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="budget_indicator_year_unique")]


class StrategyParagraph(models.Model):
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="strategy_paragraphs",
                                  verbose_name=_("component"))
    number = models.CharField(_("paragraph"), max_length=20)
    text = models.TextField(_("text"))
    responsible_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="budget_strategy_paragraphs", verbose_name=_("responsible unit"))

    class Meta:
        ordering = ["component", "id"]
        verbose_name = _("strategy paragraph")
        verbose_name_plural = _("strategy paragraphs")


class LegislativeMandate(models.Model):
    section = models.ForeignKey(BudgetSection, on_delete=models.PROTECT, related_name="mandates",
                                verbose_name=_("section"))
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="mandates", verbose_name=_("component"))
    symbol = models.CharField(_("resolution symbol"), max_length=60)
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["section", "symbol"]
        verbose_name = _("legislative mandate")
        verbose_name_plural = _("legislative mandates")


class Deliverable(models.Model):
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="deliverables",
                                  verbose_name=_("component"))
    category = models.CharField(_("category"), max_length=1, choices=DeliverableCategory.choices)
    subcategory = models.CharField(_("subcategory"), max_length=200, blank=True)
    description = models.CharField(_("deliverable"), max_length=500)

    class Meta:
        ordering = ["component", "category", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [models.CheckConstraint(condition=Q(category__in=DeliverableCategory.values),
                                              name="budget_deliverable_category_valid")]


class DeliverableYear(models.Model):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="years",
                                    verbose_name=_("deliverable"))
    year = models.PositiveSmallIntegerField(_("year"))
    planned_count = models.PositiveIntegerField(_("planned"), null=True, blank=True)
    actual_count = models.PositiveIntegerField(_("actual"), null=True, blank=True)

    class Meta:
        ordering = ["deliverable", "year"]
        constraints = [models.UniqueConstraint(fields=["deliverable", "year"], name="budget_deliverable_year_unique")]


class PerformanceResult(models.Model):
    """Programme performance: the planned result against what was achieved, with evidence."""

    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="performance_results",
                                  verbose_name=_("component"))
    year = models.PositiveSmallIntegerField(_("year"))
    planned_result = models.TextField(_("planned result"))
    target = models.TextField(_("target"), blank=True)
    actual = models.TextField(_("actual"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["component", "year", "id"]
        verbose_name = _("programme performance result")
        verbose_name_plural = _("programme performance results")


# --- Resources ---------------------------------------------------------------------------------


class ResourceStage(models.TextChoices):
    """The stages a section's resource table passes through, in order (ADR 0054)."""

    PROPOSED = "proposed", _("Proposed programme budget")
    REVISED_ESTIMATES = "revised_estimates", _("Revised estimates")
    RECOMMENDED = "recommended", _("Recommended by the Advisory Committee")
    APPROVED = "approved", _("Approved by the General Assembly")
    REVISED_APPROPRIATION = "revised_appropriation", _("Revised appropriation")


STAGE_ORDER = list(ResourceStage.values)


class ResourceVersion(models.Model):
    """One complete resource table of a section (resource lines and posts), never edited.

    Every change is a new version; a stage, once a later one has begun, takes no new version,
    and the Assembly's approval is a single version (ADR 0054).
    """

    section = models.ForeignKey(BudgetSection, on_delete=models.PROTECT, related_name="resource_versions",
                                verbose_name=_("section"))
    number = models.PositiveSmallIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=30, choices=ResourceStage.choices)
    reference = models.CharField(_("document or resolution"), max_length=100, blank=True)
    # Empty only for the tables entered before versions were kept (migration 0008).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="budget_resource_versions", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["section", "number"]
        verbose_name = _("resource table version")
        verbose_name_plural = _("resource table versions")
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="budget_resource_version_unique"),
            models.UniqueConstraint(fields=["section"], condition=Q(stage="approved"),
                                    name="budget_resource_version_approved_once"),
            models.CheckConstraint(condition=Q(stage__in=ResourceStage.values),
                                   name="budget_resource_version_stage_valid"),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s: %(stage)s") % {"number": self.number, "stage": self.get_stage_display()})


class ResourceLine(models.Model):
    """One row of the resource tables: component × object of expenditure × funding source.

    The arithmetic of the row is a database constraint on PostgreSQL (migration 0002, ADR 0051):
    the estimate before recosting is the current appropriation plus the three kinds of change,
    and the estimate after recosting adds the recosting.
    """

    version = models.ForeignKey(ResourceVersion, on_delete=models.PROTECT, related_name="resource_lines",
                                verbose_name=_("version"))
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="resource_lines",
                                  verbose_name=_("component"))
    object_of_expenditure = models.CharField(_("object of expenditure"), max_length=40,
                                             choices=ObjectOfExpenditure.choices)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    prior_expenditure_amount = money_field(_("prior-year expenditure"))
    current_appropriation_amount = money_field(_("current appropriation"))
    technical_adjustments_amount = money_field(_("technical adjustments"))
    new_mandates_amount = money_field(_("new and expanded mandates"))
    other_changes_amount = money_field(_("other changes"))
    estimate_before_recosting_amount = money_field(_("estimate before recosting"))
    recosting_amount = money_field(_("recosting"))
    estimate_after_recosting_amount = money_field(_("estimate after recosting"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    scope_paths = {"org_unit": "component__section__org_unit", "entity": "component__section__org_unit__entity"}

    class Meta:
        ordering = ["component", "funding_source", "object_of_expenditure"]
        verbose_name = _("resource requirement")
        verbose_name_plural = _("resource requirements")
        constraints = [
            models.UniqueConstraint(fields=["version", "component", "object_of_expenditure", "funding_source"],
                                    name="budget_resource_line_unique_in_version"),
            models.CheckConstraint(condition=Q(object_of_expenditure__in=ObjectOfExpenditure.values),
                                   name="budget_resource_line_object_valid"),
            models.CheckConstraint(condition=Q(funding_source__in=FundingSource.values),
                                   name="budget_resource_line_source_valid"),
        ]


class PostLine(models.Model):
    """Posts of one grade in a component and funding source: approved, changes, proposed."""

    version = models.ForeignKey(ResourceVersion, on_delete=models.PROTECT, related_name="post_lines",
                                verbose_name=_("version"))
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="post_lines",
                                  verbose_name=_("component"))
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=PostGrade.choices)
    approved_count = models.PositiveIntegerField(_("approved"))
    technical_adjustments = models.IntegerField(_("technical adjustments"), default=0)
    new_mandates = models.IntegerField(_("new and expanded mandates"), default=0)
    other_changes = models.IntegerField(_("other changes"), default=0)
    proposed_count = models.PositiveIntegerField(_("proposed"))
    temporary_count = models.PositiveIntegerField(_("of which temporary"), default=0)

    class Meta:
        ordering = ["component", "funding_source", "grade"]
        verbose_name = _("posts")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["version", "component", "funding_source", "grade"],
                                    name="budget_post_line_unique_in_version"),
            models.CheckConstraint(condition=Q(grade__in=PostGrade.values), name="budget_post_line_grade_valid"),
            models.CheckConstraint(
                condition=Q(proposed_count=F("approved_count") + F("technical_adjustments") + F("new_mandates")
                            + F("other_changes")),
                name="budget_post_line_foots",
            ),
            models.CheckConstraint(condition=Q(temporary_count__lte=F("proposed_count")),
                                   name="budget_post_line_temporary_within_proposed"),
        ]


# --- Budgetary control -------------------------------------------------------------------------


class AppropriationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Appropriation(models.Model):
    """The amount the General Assembly appropriated for a section, from a fund, for a period.

    ``original_amount`` is fixed at approval; ``amount`` is the final (revised) appropriation.
    ``allotted_amount`` is the running sum of the allotments issued against it.
    """

    ALLOWED_TRANSITIONS = {AppropriationStatus.DRAFT: {AppropriationStatus.APPROVED}}

    fund = models.ForeignKey("finance.Fund", on_delete=models.PROTECT, related_name="appropriations",
                             verbose_name=_("fund"))
    section = models.ForeignKey(BudgetSection, on_delete=models.PROTECT, related_name="appropriations",
                                verbose_name=_("section"))
    period_start_on = models.DateField(_("period starts"))
    period_end_on = models.DateField(_("period ends"))
    original_amount = money_field(_("original appropriation"))
    amount = money_field(_("final appropriation"))
    allotted_amount = money_field(_("allotted"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(_("status"), max_length=10, choices=AppropriationStatus.choices,
                              default=AppropriationStatus.DRAFT)
    resolution = models.CharField(_("resolution"), max_length=60, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="approved_appropriations")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    scope_paths = {"org_unit": "section__org_unit", "entity": "section__org_unit__entity", "fund": "fund"}

    class Meta:
        ordering = ["-period_start_on", "section", "fund__code"]
        verbose_name = _("appropriation")
        verbose_name_plural = _("appropriations")
        constraints = [
            models.UniqueConstraint(fields=["fund", "section", "period_start_on"],
                                    name="budget_appropriation_unique"),
            models.CheckConstraint(condition=Q(status__in=AppropriationStatus.values),
                                   name="budget_appropriation_status_valid"),
            models.CheckConstraint(condition=Q(period_end_on__gte=F("period_start_on")),
                                   name="budget_appropriation_period_ordered"),
            models.CheckConstraint(condition=Q(original_amount__gte=0, amount__gte=0, allotted_amount__gte=0),
                                   name="budget_appropriation_amounts_not_negative"),
            models.CheckConstraint(condition=Q(allotted_amount__lte=F("amount")),
                                   name="budget_appropriation_allotments_within"),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} · {self.section.code} · {self.period_start_on:%Y}–{self.period_end_on:%Y}"

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=self.get_status_display(), requested=new_status)
        self.status = new_status


class Allotment(models.Model):
    """Authority to commit funds, issued to a certifying unit for one object class.

    Hard stop in the database: the available balance (allotment − unliquidated commitments −
    expenditure), kept by the services under the allotment's row lock, never goes below zero.
    """

    appropriation = models.ForeignKey(Appropriation, on_delete=models.PROTECT, related_name="allotments",
                                      verbose_name=_("appropriation"))
    certifying_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="allotments",
                                        verbose_name=_("certifying unit"))
    object_of_expenditure = models.CharField(_("object class"), max_length=40, choices=ObjectOfExpenditure.choices)
    amount = money_field(_("allotment"))
    committed_amount = money_field(_("unliquidated commitments"))
    expended_amount = money_field(_("expenditure"))
    available_amount = money_field(_("available"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issued_allotments")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    scope_paths = {"org_unit": "certifying_unit", "entity": "certifying_unit__entity",
                   "duty_station": "certifying_unit__duty_station", "fund": "appropriation__fund"}

    class Meta:
        ordering = ["appropriation", "certifying_unit", "object_of_expenditure"]
        verbose_name = _("allotment")
        verbose_name_plural = _("allotments")
        constraints = [
            models.UniqueConstraint(fields=["appropriation", "certifying_unit", "object_of_expenditure"],
                                    name="budget_allotment_unique"),
            models.CheckConstraint(condition=Q(object_of_expenditure__in=ObjectOfExpenditure.values),
                                   name="budget_allotment_object_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0, committed_amount__gte=0, expended_amount__gte=0),
                                   name="budget_allotment_amounts_not_negative"),
            # The hard stop: nothing is ever committed or spent beyond the allotment. That
            # available = amount − committed − expended is a further constraint on PostgreSQL (0002).
            models.CheckConstraint(condition=Q(available_amount__gte=0), name="budget_allotment_never_overspent"),
        ]

    def __str__(self) -> str:
        return f"{self.certifying_unit.code} · {self.get_object_of_expenditure_display()}"



class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    LIQUIDATED = "liquidated", _("Fully liquidated")
    CANCELLED = "cancelled", _("Cancelled")


class CommitmentSource(models.TextChoices):
    MANUAL = "manual", _("Manual")
    PROCUREMENT = "procurement", _("Procurement")
    TRAVEL = "travel", _("Travel")
    HUMAN_RESOURCES = "human_resources", _("Human resources")
    SERVICE_DESK = "service_desk", _("Service desk")


class Commitment(models.Model):
    """A reservation of funds (obligation) against an allotment.

    ``open_amount`` is the unliquidated obligation: the amount less what expenditure has
    liquidated and what was cancelled.
    """

    # A fully liquidated commitment re-opens when the ledger reverses an entry that liquidated it.
    ALLOWED_TRANSITIONS = {CommitmentStatus.OPEN: {CommitmentStatus.LIQUIDATED, CommitmentStatus.CANCELLED},
                           CommitmentStatus.LIQUIDATED: {CommitmentStatus.OPEN}}
    NUMBER_PREFIX = "CMT-"

    allotment = models.ForeignKey(Allotment, on_delete=models.PROTECT, related_name="commitments",
                                  verbose_name=_("allotment"))
    source = models.CharField(_("raised by"), max_length=20, choices=CommitmentSource.choices,
                              default=CommitmentSource.MANUAL)
    source_reference = models.CharField(_("reference"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = money_field(_("amount"))
    liquidated_amount = money_field(_("liquidated"))
    cancelled_amount = money_field(_("cancelled"))
    open_amount = money_field(_("unliquidated"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(_("status"), max_length=12, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.OPEN)
    raised_on = models.DateField(_("raised on"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="budget_commitments")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"org_unit": "allotment__certifying_unit", "entity": "allotment__certifying_unit__entity",
                   "fund": "allotment__appropriation__fund"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CommitmentStatus.values),
                                   name="budget_commitment_status_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_commitment_amount_positive"),
            models.CheckConstraint(
                condition=Q(liquidated_amount__gte=0, cancelled_amount__gte=0, open_amount__gte=0),
                name="budget_commitment_parts_not_negative",
            ),
            models.CheckConstraint(condition=~Q(status="open") | Q(open_amount__gt=0),
                                   name="budget_commitment_open_has_balance"),
        ]

    def __str__(self) -> str:
        return str(_("Commitment %(number)s") % {"number": self.number})

    @property
    def number(self) -> str:
        return f"{self.NUMBER_PREFIX}{self.pk:07d}" if self.pk else f"{self.NUMBER_PREFIX}new"

    @classmethod
    def pk_from_number(cls, number: str) -> int | None:
        """The primary key a commitment number stands for, or None if it is not one (exact form only)."""
        digits = number.removeprefix(cls.NUMBER_PREFIX)
        if digits == number or not digits.isascii() or not digits.isdigit():
            return None
        pk = int(digits)
        return pk if f"{cls.NUMBER_PREFIX}{pk:07d}" == number else None

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=self.get_status_display(), requested=new_status)
        self.status = new_status


class MovementKind(models.TextChoices):
    ALLOTTED = "allotted", _("Allotment issued or increased")
    COMMITTED = "committed", _("Commitment raised")
    LIQUIDATED = "liquidated", _("Commitment liquidated by expenditure")
    EXPENDED = "expended", _("Expenditure without commitment")
    EXPENDITURE_REVERSED = "expenditure_reversed", _("Expenditure reversed in the ledger")
    LIQUIDATION_REVERSED = "liquidation_reversed", _("Liquidation reversed in the ledger")
    CANCELLED = "cancelled", _("Commitment cancelled")
    REDEPLOYED_OUT = "redeployed_out", _("Redeployed out")
    REDEPLOYED_IN = "redeployed_in", _("Redeployed in")


class BudgetMovement(models.Model):
    """Append-only journal of every change to an allotment's balances (triggers refuse edits).

    The allotment's running balances are always the sum of its movements; the control
    invariant tests check exactly that.
    """

    allotment = models.ForeignKey(Allotment, on_delete=models.PROTECT, related_name="movements")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="movements")
    kind = models.CharField(_("movement"), max_length=20, choices=MovementKind.choices)
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    occurred_on = models.DateField(_("date"))
    occurred_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="budget_movements")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # The posted journal entry this expenditure was recorded from (ADR 0053); per entry, one
    # movement per allotment charged directly and one per commitment liquidated, so a posting is
    # never counted twice.
    journal_entry = models.ForeignKey("finance.JournalEntry", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="budget_movements", verbose_name=_("journal entry"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("budget movement")
        verbose_name_plural = _("budget movements")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MovementKind.values), name="budget_movement_kind_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_movement_amount_positive"),
            # Conditional, so that SQLite adds them as indexes rather than rebuilding the table.
            models.UniqueConstraint(fields=["journal_entry", "allotment"],
                                    condition=Q(journal_entry__isnull=False, commitment__isnull=True),
                                    name="budget_movement_entry_once_per_allotment"),
            models.UniqueConstraint(fields=["journal_entry", "commitment"],
                                    condition=Q(journal_entry__isnull=False, commitment__isnull=False),
                                    name="budget_movement_entry_once_per_commitment"),
        ]


class Redeployment(models.Model):
    """Funds moved between object classes of one appropriation by an authorised officer."""

    from_allotment = models.ForeignKey(Allotment, on_delete=models.PROTECT, related_name="redeployments_out")
    to_allotment = models.ForeignKey(Allotment, on_delete=models.PROTECT, related_name="redeployments_in")
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    reason = models.CharField(_("reason"), max_length=500)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="budget_redeployments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("redeployment")
        verbose_name_plural = _("redeployments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_redeployment_amount_positive"),
            models.CheckConstraint(condition=~Q(from_allotment=F("to_allotment")),
                                   name="budget_redeployment_between_allotments"),
        ]


class ReconciliationKind(models.TextChoices):
    TIMING = "timing", _("Timing differences")
    ENTITY = "entity", _("Entity differences")
    PRESENTATION = "presentation", _("Presentation differences")
    BASIS = "basis", _("Other basis differences")


class CashFlowReconciliationItem(models.Model):
    """An adjustment reconciling budget-basis actuals to the statement of cash flows (IPSAS 24.47)."""

    fund_code = models.CharField(_("fund"), max_length=20)
    period_start_on = models.DateField(_("period starts"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReconciliationKind.choices)
    cash_flow_activity = models.CharField(_("cash flow activity"), max_length=20, default="operating",
                                          choices=[("operating", _("Operating")), ("investing", _("Investing")),
                                                   ("financing", _("Financing"))])
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=19, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["period_start_on", "fund_code", "kind", "id"]
        verbose_name = _("cash flow reconciliation item")
        verbose_name_plural = _("cash flow reconciliation items")
        constraints = [models.CheckConstraint(condition=Q(kind__in=ReconciliationKind.values),
                                              name="budget_reconciliation_kind_valid")]
