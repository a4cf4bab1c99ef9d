"""REST API of the budget app: viewsets registered on ``router``, mounted under /api/v1/budget/.

Thin: parse, call one service or selector, serialise.
"""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from secretariat.budget import selectors
from secretariat.budget.figures import Quantity
from secretariat.budget.models import (
    Allotment,
    Appropriation,
    BudgetComponent,
    BudgetMovement,
    BudgetSection,
    CashFlowReconciliationItem,
    Commitment,
    CommitmentSource,
    ComponentKind,
    DeliverableCategory,
    ExpectedAccomplishment,
    FundingSource,
    Indicator,
    IndicatorDirection,
    ObjectOfExpenditure,
    PostGrade,
    ReconciliationKind,
    ResourceStage,
)
from secretariat.budget.services import appropriations, commitments, structure
from secretariat.budget.services import resources as resource_services
from secretariat.core.api_base import ScopedReadOnlyViewSet, idempotent
from secretariat.core.models import OrgUnit
from secretariat.finance.models import Fund

router = DefaultRouter()
AMOUNT = {"max_digits": 19, "decimal_places": 4}  # also for indicator values, which are measures, not money
UNITS = _("In units of the record's currency (US dollars), not thousands, with at most the currency's decimals "
          "(two for US dollars).")


def unit_help(what) -> str:
    """The field's meaning followed by the unit every amount of the budget API is in."""
    return format_lazy("{} {}", what, UNITS)


def money(what, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**AMOUNT, help_text=unit_help(what), **kwargs)


def money_help(**fields) -> dict:
    """``extra_kwargs`` giving each model amount field its meaning and unit."""
    return {name: {"help_text": unit_help(what)} for name, what in fields.items()}


# --- Serializers -------------------------------------------------------------------------------

class IndicatorYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target_value = serializers.DecimalField(**AMOUNT, allow_null=True, required=False)
    actual_value = serializers.DecimalField(**AMOUNT, allow_null=True, required=False)


class IndicatorSerializer(serializers.ModelSerializer):
    years = IndicatorYearSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "description", "unit", "direction", "threshold_value", "baseline_year",
                  "baseline_value", "years"]


class AccomplishmentSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = ExpectedAccomplishment
        fields = ["id", "letter", "description", "indicators"]


class ComponentSerializer(serializers.ModelSerializer):
    accomplishments = AccomplishmentSerializer(many=True, read_only=True)
    strategy = serializers.SerializerMethodField()
    deliverables = serializers.SerializerMethodField()
    performance = serializers.SerializerMethodField()
    responsible_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = BudgetComponent
        fields = ["id", "kind", "code", "title", "objective", "parent", "responsible_unit", "accomplishments",
                  "strategy", "deliverables", "performance"]

    def get_strategy(self, component) -> list[dict]:
        return [{"number": p.number, "text": p.text,
                 "responsible_unit": p.responsible_unit.code if p.responsible_unit else None}
                for p in component.strategy_paragraphs.all()]

    def get_deliverables(self, component) -> list[dict]:
        return [{"id": d.id, "category": d.category, "subcategory": d.subcategory, "description": d.description,
                 "years": [{"year": y.year, "planned": y.planned_count, "actual": y.actual_count}
                           for y in d.years.all()]} for d in component.deliverables.all()]

    def get_performance(self, component) -> list[dict]:
        return [{"year": r.year, "planned_result": r.planned_result, "target": r.target, "actual": r.actual,
                 "evidence": r.evidence} for r in component.performance_results.all()]


class SectionSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())

    class Meta:
        model = BudgetSection
        fields = ["id", "code", "title", "programme_title", "budget_year", "org_unit", "currency",
                  "overall_orientation"]


class ComponentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ComponentKind.choices)
    code = serializers.CharField(max_length=10)
    title = serializers.CharField(max_length=300)
    objective = serializers.CharField(required=False, allow_blank=True, default="")
    parent = serializers.CharField(required=False, allow_null=True, default=None)
    responsible_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all(),
                                                    required=False, allow_null=True, default=None)


class AccomplishmentInputSerializer(serializers.Serializer):
    component = serializers.CharField()
    letter = serializers.CharField(max_length=4)
    description = serializers.CharField()


class IndicatorInputSerializer(serializers.Serializer):
    accomplishment = serializers.IntegerField()
    code = serializers.CharField(max_length=6)
    description = serializers.CharField()
    unit = serializers.CharField(max_length=100)
    direction = serializers.ChoiceField(choices=IndicatorDirection.choices)
    threshold_value = serializers.DecimalField(**AMOUNT, required=False, allow_null=True, default=None)
    baseline_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    baseline_value = serializers.DecimalField(**AMOUNT, required=False, allow_null=True, default=None)


class IndicatorYearInputSerializer(IndicatorYearSerializer):
    indicator = serializers.IntegerField()


class StrategyInputSerializer(serializers.Serializer):
    component = serializers.CharField()
    number = serializers.CharField(max_length=20)
    text = serializers.CharField()
    responsible_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all(),
                                                    required=False, allow_null=True, default=None)


class MandateInputSerializer(serializers.Serializer):
    symbol = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=500)
    component = serializers.CharField(required=False, allow_null=True, default=None)


class DeliverableInputSerializer(serializers.Serializer):
    component = serializers.CharField()
    category = serializers.ChoiceField(choices=DeliverableCategory.choices)
    subcategory = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=500)
    years = serializers.ListField(child=serializers.DictField(), required=False, default=list)


class PerformanceInputSerializer(serializers.Serializer):
    component = serializers.CharField()
    year = serializers.IntegerField()
    planned_result = serializers.CharField()
    target = serializers.CharField(required=False, allow_blank=True, default="")
    actual = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class ResourceLineInputSerializer(serializers.Serializer):
    component = serializers.CharField()
    object_of_expenditure = serializers.ChoiceField(choices=ObjectOfExpenditure.choices)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    prior_expenditure = money(_("Expenditure of the year before last; zero or more."), default=0)
    current_appropriation = money(_("Appropriation of the current year; zero or more."), default=0)
    technical_adjustments = money(_("Change: technical adjustments; may be negative."), default=0)
    new_mandates = money(_("Change: new and expanded mandates; may be negative."), default=0)
    other_changes = money(_("Change: other; may be negative."), default=0)
    estimate_before_recosting = money(_("Optional; checked against the appropriation plus the changes."),
                                      required=False, allow_null=True, default=None)
    recosting = money(_("Recosting; may be negative."), default=0)
    estimate_after_recosting = money(_("Optional; checked against the estimate before recosting plus recosting."),
                                     required=False, allow_null=True, default=None)


class PostLineInputSerializer(serializers.Serializer):
    component = serializers.CharField()
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    grade = serializers.ChoiceField(choices=PostGrade.choices)
    approved = serializers.IntegerField(min_value=0)
    technical_adjustments = serializers.IntegerField(default=0)
    new_mandates = serializers.IntegerField(default=0)
    other_changes = serializers.IntegerField(default=0)
    proposed = serializers.IntegerField(required=False, allow_null=True, default=None)
    temporary = serializers.IntegerField(min_value=0, default=0)


class ResourcesInputSerializer(serializers.Serializer):
    lines = ResourceLineInputSerializer(many=True, help_text=_(
        "The whole resource table of the new version. An empty list is refused unless clear is true."))
    posts = PostLineInputSerializer(many=True, required=False, allow_null=True, default=None,
                                    help_text=_("Posts (whole numbers); omitted: the previous version's posts."))
    stated_totals = serializers.DictField(
        child=serializers.DictField(child=serializers.DecimalField(**AMOUNT)), required=False, default=dict,
        help_text=unit_help(_("Column totals per funding source, checked against the rows.")))
    stated_post_totals = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()),
                                               required=False, default=dict)
    stage = serializers.ChoiceField(choices=ResourceStage.choices, required=False, allow_null=True, default=None,
                                    help_text=_("Stage of the new version; by default the latest version's."))
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                      help_text=_("Document or resolution the version comes from."))
    clear = serializers.BooleanField(default=False, help_text=_("True to enter an empty table on purpose."))


class AppropriationSerializer(serializers.ModelSerializer):
    section = serializers.PrimaryKeyRelatedField(queryset=BudgetSection.objects.all())
    fund_code = serializers.SlugRelatedField(source="fund", slug_field="code", queryset=Fund.objects.all())
    unallotted_amount = serializers.SerializerMethodField()

    class Meta:
        model = Appropriation
        fields = ["id", "fund_code", "section", "period_start_on", "period_end_on", "original_amount", "amount",
                  "allotted_amount", "unallotted_amount", "currency", "status", "resolution", "approved_at"]
        read_only_fields = ["original_amount", "allotted_amount", "status", "approved_at"]
        extra_kwargs = money_help(original_amount=_("Appropriation as approved."),
                                  amount=_("Final (revised) appropriation; zero or more."),
                                  allotted_amount=_("Sum of the allotments issued."))

    @extend_schema_field(serializers.DecimalField(**AMOUNT, help_text=unit_help(_("Appropriation not allotted."))))
    def get_unallotted_amount(self, appropriation) -> str:
        return str(appropriation.amount - appropriation.allotted_amount)


class ReviseSerializer(serializers.Serializer):
    amount = money(_("Final appropriation; zero or more, not below what is allotted."))
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


class AllotmentSerializer(serializers.ModelSerializer):
    certifying_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())
    available_amount = money(_("Allotment less unliquidated commitments and expenditure."), read_only=True)

    class Meta:
        model = Allotment
        fields = ["id", "appropriation", "certifying_unit", "object_of_expenditure", "amount", "committed_amount",
                  "expended_amount", "available_amount", "currency", "issued_at"]
        read_only_fields = ["committed_amount", "expended_amount", "issued_at", "currency"]
        extra_kwargs = money_help(amount=_("Allotment issued, or the increase when it exists; greater than zero."),
                                  committed_amount=_("Unliquidated commitments."), expended_amount=_("Expenditure."))


class CommitmentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "number", "allotment", "source", "source_reference", "description", "amount",
                  "liquidated_amount", "cancelled_amount", "open_amount", "currency", "status", "raised_on"]
        read_only_fields = ["liquidated_amount", "cancelled_amount", "open_amount", "status"]
        extra_kwargs = {"allotment": {"queryset": Allotment.objects.all()},
                        "source": {"default": CommitmentSource.MANUAL}, "currency": {"default": "USD"},
                        "raised_on": {"required": False, "help_text": _(
                            "Date of the commitment, within the appropriation's period; today by default.")},
                        **money_help(amount=_("Funds reserved; greater than zero."),
                                     liquidated_amount=_("Liquidated by expenditure."),
                                     cancelled_amount=_("Cancelled."), open_amount=_("Unliquidated balance."))}


class AmountSerializer(serializers.Serializer):
    amount = money(_("Greater than zero; for a cancellation, omitted means the whole unliquidated balance."),
                   required=False, allow_null=True, default=None)
    currency = serializers.CharField(default="USD")
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class RedeploymentSerializer(serializers.Serializer):
    to_allotment = serializers.IntegerField()
    amount = money(_("Funds moved; greater than zero."))
    reason = serializers.CharField(max_length=500)


class MovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetMovement
        fields = ["id", "allotment", "commitment", "kind", "amount", "currency", "occurred_on", "reference",
                  "journal_entry"]
        extra_kwargs = money_help(amount=_("Amount moved; its direction is the kind."))


class ReconciliationItemSerializer(serializers.Serializer):
    fund_code = serializers.CharField(max_length=20)
    period_start_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=ReconciliationKind.choices)
    cash_flow_activity = serializers.ChoiceField(choices=["operating", "investing", "financing"],
                                                 default="operating")
    description = serializers.CharField(max_length=300)
    amount = money(_("Difference; may be negative."))


def amount_text(value) -> str | None:
    """Amounts the same on every database: four decimal places (SQLite's sums drop trailing zeros)."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.0001")))


def figure_json(value, quantity: Quantity):
    """Amounts as US dollars with four decimals, counts as integers, percentages as text."""
    if value is None:
        return None
    if quantity == Quantity.AMOUNT:
        return amount_text(value)
    return value if quantity == Quantity.COUNT else str(value)


def table_json(table) -> dict:
    quantities = {c.key: c.quantity for c in table.columns}
    return {
        "code": table.code, "title": table.title, "unit": table.unit,
        "columns": [{"key": c.key, "label": c.label, "quantity": c.quantity} for c in table.columns],
        "rows": [{"label": r.label, "kind": r.kind, "level": r.level,
                  "values": {k: figure_json(v, quantities[k]) for k, v in r.values.items()}}
                 for r in table.rows],
        "footing_problems": selectors.footing_problems(table),
    }


def version_json(version, changes=None) -> dict | None:
    if version is None:
        return None
    body = {"number": version.number, "stage": version.stage, "stage_label": version.get_stage_display(),
            "reference": version.reference, "entered_by": getattr(version.created_by, "username", None),
            "entered_at": version.created_at}
    if changes is not None:
        body["changes"] = [{"row": c.row, "column": c.column, "quantity": c.quantity,
                            "before": figure_json(c.before, c.quantity), "after": figure_json(c.after, c.quantity)}
                           for c in changes]
    return body


def tables_json(section, version) -> dict:
    return {"version": version_json(version),
            "tables": [table_json(t) for t in selectors.standard_tables(section=section, version=version)]}


# --- Viewsets ----------------------------------------------------------------------------------

class SectionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Budget sections with their programme plan, resources, standard tables and performance."""

    queryset = BudgetSection.objects.select_related("org_unit")
    serializer_class = SectionSerializer
    view_permission = "budget.view_budgetsection"
    filterset_fields = ["code", "budget_year"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section = structure.create_budget_section(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(section).data, status=201)

    def component(self, section, code):
        if code is None:
            return None
        return get_object_or_404(BudgetComponent, section=section, code=code)

    def run(self, request, serializer_class, perform):
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        perform(self.get_object(), dict(serializer.validated_data))
        return Response(ComponentSerializer(selectors.programme_plan(section=self.get_object()), many=True).data,
                        status=201)

    @extend_schema(responses={200: ComponentSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def plan(self, request, pk=None):
        """The programme plan: components, objectives, accomplishments, indicators, strategy, deliverables."""
        section = self.get_object()
        return Response({"section": SectionSerializer(section).data,
                         "mandates": [{"symbol": m.symbol, "title": m.title,
                                       "component": m.component.code if m.component else None}
                                      for m in section.mandates.select_related("component")],
                         "components": ComponentSerializer(selectors.programme_plan(section=section),
                                                           many=True).data})

    @extend_schema(request=ComponentInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def components(self, request, pk=None):
        def perform(section, data):
            data["parent"] = self.component(section, data["parent"])
            structure.add_component(actor=request.user, section=section, **data)
        return self.run(request, ComponentInputSerializer, perform)

    @extend_schema(request=AccomplishmentInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def accomplishments(self, request, pk=None):
        def perform(section, data):
            structure.add_expected_accomplishment(actor=request.user, component=self.component(
                section, data.pop("component")), **data)
        return self.run(request, AccomplishmentInputSerializer, perform)

    @extend_schema(request=IndicatorInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def indicators(self, request, pk=None):
        def perform(section, data):
            accomplishment = get_object_or_404(ExpectedAccomplishment, component__section=section,
                                               pk=data.pop("accomplishment"))
            structure.add_indicator(actor=request.user, accomplishment=accomplishment, **data)
        return self.run(request, IndicatorInputSerializer, perform)

    @extend_schema(request=IndicatorYearInputSerializer)
    @action(detail=True, methods=["post"], url_path="indicator-years")
    @idempotent
    def indicator_years(self, request, pk=None):
        """Set an indicator's target and/or reported actual for a year."""
        def perform(section, data):
            indicator = get_object_or_404(Indicator, accomplishment__component__section=section,
                                          pk=data.pop("indicator"))
            structure.record_indicator_year(actor=request.user, indicator=indicator, **data)
        return self.run(request, IndicatorYearInputSerializer, perform)

    @extend_schema(request=StrategyInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def strategy(self, request, pk=None):
        def perform(section, data):
            structure.add_strategy_paragraph(actor=request.user, component=self.component(
                section, data.pop("component")), **data)
        return self.run(request, StrategyInputSerializer, perform)

    @extend_schema(request=MandateInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def mandates(self, request, pk=None):
        def perform(section, data):
            data["component"] = self.component(section, data["component"])
            structure.add_legislative_mandate(actor=request.user, section=section, **data)
        return self.run(request, MandateInputSerializer, perform)

    @extend_schema(request=DeliverableInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def deliverables(self, request, pk=None):
        def perform(section, data):
            years = data.pop("years")
            deliverable = structure.add_deliverable(actor=request.user, component=self.component(
                section, data.pop("component")), **data)
            for year in years:
                structure.record_deliverable_year(
                    actor=request.user, deliverable=deliverable, year=int(year["year"]),
                    planned_count=year.get("planned"), actual_count=year.get("actual"))
        return self.run(request, DeliverableInputSerializer, perform)

    @extend_schema(request=PerformanceInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def performance(self, request, pk=None):
        """Programme performance: planned result vs actual, with evidence."""
        def perform(section, data):
            structure.record_performance_result(actor=request.user, component=self.component(
                section, data.pop("component")), **data)
        return self.run(request, PerformanceInputSerializer, perform)

    @extend_schema(request=ResourcesInputSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    @idempotent
    def resources(self, request, pk=None):
        """Enter a new version of the resource table and posts; refused unless every row and total foots.

        Amounts are in US dollars (the tables print thousands); post counts are whole numbers.
        """
        serializer = ResourcesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        section = self.get_object()
        version = resource_services.set_resource_requirements(
            actor=request.user, section=section,
            lines=[resource_services.ResourceInput(**line) for line in data["lines"]],
            posts=None if data["posts"] is None else [resource_services.PostInput(**post) for post in data["posts"]],
            stated_totals=data["stated_totals"], stated_post_totals=data["stated_post_totals"],
            stage=data["stage"], reference=data["reference"], clear=data["clear"],
        )
        return Response(tables_json(section, version), status=201)

    @extend_schema(responses={200: dict}, parameters=[OpenApiParameter(
        "version", int, description=_("Version number; the latest by default."))])
    @action(detail=True, methods=["get"])
    def tables(self, request, pk=None):
        """The standard tables of a version, each with the footing problems found (empty when it foots).

        Amounts are in US dollars with four decimals (the printed tables show thousands); counts of
        posts are integers; each column says which (``quantity``).
        """
        section = self.get_object()
        number = request.query_params.get("version")
        version = (selectors.version_numbered(section=section, number=serializers.IntegerField().to_internal_value(
            number)) if number else selectors.latest_version(section))
        return Response(tables_json(section, version))

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """The versions of the resource table, latest first: stage, reference, who entered it and when,
        and every cell that differs from the version before."""
        return Response({"versions": [version_json(v, selectors.version_changes(v))
                                      for v in selectors.resource_versions(section=self.get_object())]})

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        """Programme performance: indicators' baseline, target and actual by year; status per subprogramme."""
        return Response({"components": [{
            "code": p.component.code, "title": p.component.title, "status": p.status,
            "status_label": p.status_label,
            "indicators": [{"id": s.indicator.id, "description": s.indicator.description,
                            "unit": s.indicator.unit, "direction": s.indicator.direction,
                            "baseline_year": s.indicator.baseline_year,
                            "baseline_value": s.indicator.baseline_value, "latest_year": s.latest_year,
                            "is_met": s.is_met,
                            "years": [{"year": y.year, "target": y.target_value, "actual": y.actual_value}
                                      for y in s.years]} for s in p.indicators],
        } for p in selectors.performance_dashboard(section=self.get_object())]})


class AppropriationViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = Appropriation.objects.select_related("section", "fund")
    serializer_class = AppropriationSerializer
    view_permission = "budget.view_appropriation"
    filterset_fields = ["fund", "section", "status", "period_start_on"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        appropriation = appropriations.create_appropriation(
            actor=request.user, section=data["section"], fund=data["fund"],
            period_start_on=data["period_start_on"], period_end_on=data["period_end_on"], amount=data["amount"],
            resolution=data.get("resolution", ""), currency=data.get("currency", "USD"))
        return Response(self.get_serializer(appropriation).data, status=201)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        appropriation = appropriations.approve_appropriation(actor=request.user, appropriation_id=self.get_object().pk)
        return Response(self.get_serializer(appropriation).data)

    @extend_schema(request=ReviseSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def revise(self, request, pk=None):
        serializer = ReviseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appropriation = appropriations.revise_appropriation(actor=request.user, appropriation_id=self.get_object().pk,
                                                      **serializer.validated_data)
        return Response(self.get_serializer(appropriation).data)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def obligations(self, request, pk=None):
        """Unliquidated obligations and cancellations of prior-period obligations."""
        report = selectors.obligations_report(appropriation=self.get_object())
        return Response({
            "unliquidated_amount": amount_text(report.unliquidated_amount),
            "prior_period_cancellations_amount": amount_text(report.prior_period_cancellations_amount),
            "percentage_of_final_appropriation": report.percentage_of_final_appropriation,
            "open_commitments": CommitmentSerializer(report.open_commitments, many=True).data,
        })

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"], url_path="budget-actual")
    def budget_actual(self, request):
        """IPSAS 24 statement of comparison of budget and actual amounts (?period_start_on=&fund_code=)."""
        period = serializers.DateField().to_internal_value(request.query_params.get("period_start_on", ""))
        statement = selectors.budget_actual_statement(
            period_start_on=period, fund_code=request.query_params.get("fund_code"),
            appropriations=self.get_queryset())
        def row(r):
            return {"label": r.label, "original_budget": amount_text(r.original),
                    "final_budget": amount_text(r.final), "actual_comparable_basis": amount_text(r.actual),
                    "difference_original_final": amount_text(r.difference_original_final),
                    "difference_final_actual": amount_text(r.difference_final_actual)}
        return Response({"rows": [row(r) for r in statement.rows], "total": row(statement.total),
                         "reconciliation": [{"label": label, "amount": amount_text(amount)}
                                            for label, amount in statement.reconciliation],
                         "cash_flows": {k: amount_text(v) for k, v in statement.cash_flows.items()}})


class AllotmentViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = Allotment.objects.select_related("certifying_unit", "appropriation")
    serializer_class = AllotmentSerializer
    view_permission = "budget.view_allotment"
    filterset_fields = ["appropriation", "certifying_unit", "object_of_expenditure"]

    @idempotent
    def create(self, request, *args, **kwargs):
        """Issue (or increase) an allotment; refused beyond the unallotted appropriation."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        allotment = appropriations.issue_allotment(
            actor=request.user, appropriation_id=data["appropriation"].pk, certifying_unit=data["certifying_unit"],
            object_of_expenditure=data["object_of_expenditure"], amount=data["amount"])
        return Response(self.get_serializer(allotment).data, status=201)

    @extend_schema(request=RedeploymentSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def redeploy(self, request, pk=None):
        """Move available funds from this allotment to another object class (authorised officers only)."""
        serializer = RedeploymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitments.redeploy_funds(actor=request.user, from_allotment_id=self.get_object().pk,
                                to_allotment_id=data["to_allotment"], amount=data["amount"], reason=data["reason"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=AmountSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def expenditure(self, request, pk=None):
        """Charge expenditure directly to the allotment (hard stop applies)."""
        serializer = AmountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        movement = commitments.record_expenditure(actor=request.user, allotment_id=self.get_object().pk,
                                               amount=data["amount"], currency=data["currency"],
                                               reference=data["reference"], on=data["on"])
        return Response(MovementSerializer(movement).data, status=201)

    @action(detail=True, methods=["get"])
    def movements(self, request, pk=None):
        movements = self.get_object().movements.order_by("id")
        page = self.paginate_queryset(movements)
        return self.get_paginated_response(MovementSerializer(page, many=True).data)


class CommitmentViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Funds reservations. POST commits funds or is refused with 409 when funds are not available."""

    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    view_permission = "budget.view_commitment"
    filterset_fields = ["allotment", "status", "source"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitment = commitments.commit_funds(
            actor=request.user, allotment_id=data["allotment"].pk, amount=data["amount"],
            currency=data.get("currency", "USD"), source=CommitmentSource.MANUAL,
            source_reference=data.get("source_reference", ""), description=data.get("description", ""),
            on=data.get("raised_on"))
        return Response(self.get_serializer(commitment).data, status=201)

    @extend_schema(request=AmountSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def liquidate(self, request, pk=None):
        """Record expenditure against the commitment (the ledger will call the same service)."""
        serializer = AmountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitments.record_expenditure(actor=request.user, commitment_id=self.get_object().pk, amount=data["amount"],
                                    currency=data["currency"], reference=data["reference"], on=data["on"])
        return Response(self.get_serializer(Commitment.objects.get(pk=pk)).data)

    @extend_schema(request=AmountSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        serializer = AmountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitment = commitments.cancel_commitment(actor=request.user, commitment_id=self.get_object().pk,
                                                amount=data["amount"], reason=data["reference"], on=data["on"])
        return Response(self.get_serializer(commitment).data)


class ReconciliationItemViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = CashFlowReconciliationItem.objects.all()
    serializer_class = ReconciliationItemSerializer
    view_permission = "budget.view_appropriation"

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = commitments.record_reconciliation_item(actor=request.user, **serializer.validated_data)
        return Response({**self.get_serializer(item).data, "id": item.pk}, status=201)


router.register("sections", SectionViewSet)
router.register("appropriations", AppropriationViewSet)
router.register("allotments", AllotmentViewSet)
router.register("commitments", CommitmentViewSet)
router.register("reconciliation-items", ReconciliationItemViewSet)

