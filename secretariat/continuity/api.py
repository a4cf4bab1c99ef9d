"""REST API of the continuity app: viewsets registered on ``router``, mounted under /api/v1/continuity/.

Thin: parse, call one service or selector, serialise. Refusals are DomainErrors, which the
project's exception handler turns into problem+json.
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from secretariat.continuity import selectors, services
from secretariat.continuity.models import (
    Application,
    BusinessImpactAnalysis,
    BusinessProcess,
    DataCentre,
    Dependency,
    Exercise,
    ImpactRating,
    InfrastructureComponent,
    RecoveryPlan,
)
from secretariat.core.api_base import idempotent, one_object
from secretariat.core.models import DutyStation, OrgUnit, Person

router = DefaultRouter()


class BusinessProcessSerializer(serializers.ModelSerializer):
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True,
                                               default=None)
    rto_band = serializers.CharField()  # the service explains a band outside the four
    is_critical = serializers.BooleanField(read_only=True)

    class Meta:
        model = BusinessProcess
        fields = ["id", "org_unit", "name", "owner", "maximum_tolerable_downtime_hours", "rto_band", "rpo_hours",
                  "description", "is_critical"]
        read_only_fields = ["rpo_hours"]  # applied from the department's signed-off BIA


class DataCentreSerializer(serializers.ModelSerializer):
    duty_station = serializers.PrimaryKeyRelatedField(queryset=DutyStation.objects.all())
    recovery_site = serializers.PrimaryKeyRelatedField(queryset=DataCentre.objects.all(), required=False,
                                                       allow_null=True)

    class Meta:
        model = DataCentre
        fields = ["id", "code", "name", "duty_station", "recovery_site"]


class InfrastructureComponentSerializer(serializers.ModelSerializer):
    data_centre = serializers.PrimaryKeyRelatedField(queryset=DataCentre.objects.all())
    kind = serializers.CharField()  # the service explains an unknown kind

    class Meta:
        model = InfrastructureComponent
        fields = ["id", "name", "kind", "data_centre"]
        validators = []  # the service explains a name already used
        extra_kwargs = {"name": {"validators": []}}


AMOUNT_FIELDS = services.APPLICATION_AMOUNT_FIELDS


class ApplicationSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True,
                                               default=None)
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    data_centre = serializers.PrimaryKeyRelatedField(queryset=DataCentre.objects.all())
    replication_method = serializers.CharField(required=False, default="none")
    data_classification = serializers.CharField(required=False, default="internal")
    recovery_site_distance = serializers.CharField(required=False, default="remote")

    class Meta:
        model = Application
        fields = ["id", "name", "owner", "owner_unit", "data_centre", "user_count", "data_classification",
                  "replication_method", "recovery_site_distance", "is_replication_software_compatible",
                  "currency", *AMOUNT_FIELDS]


class DependencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Dependency
        fields = ["id", "dependent_kind", "dependent_id", "required_kind", "required_id", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # the service explains duplicates and cycles


class ImpactRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImpactRating
        fields = ["category", "after_hours", "severity"]
        validators = []


class BusinessImpactAnalysisSerializer(serializers.ModelSerializer):
    impacts = ImpactRatingSerializer(many=True, read_only=True)
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    signed_off_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = BusinessImpactAnalysis
        fields = ["id", "org_unit", "version", "status", "questionnaire", "impacts", "rto_band", "rpo_hours",
                  "started_at", "signed_off_by", "signed_off_at"]
        read_only_fields = ["version", "status", "questionnaire", "rto_band", "rpo_hours", "started_at",
                            "signed_off_at"]


class ImpactsInputSerializer(serializers.Serializer):
    questionnaire = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)
    impacts = serializers.ListField(child=serializers.DictField())
    rpo_hours = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class RecoveryPlanSerializer(serializers.ModelSerializer):
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(), required=False,
                                                     allow_null=True)
    data_centre = serializers.PrimaryKeyRelatedField(queryset=DataCentre.objects.all(), required=False,
                                                     allow_null=True)

    class Meta:
        model = RecoveryPlan
        fields = ["id", "title", "owner_unit", "application", "data_centre", "steps", "roles", "contacts",
                  "call_tree", "updated_at"]
        read_only_fields = ["updated_at"]


class ExerciseSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=RecoveryPlan.objects.all())
    met_targets = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Exercise
        fields = ["id", "plan", "planned_on", "status", "target_rto_seconds", "target_rpo_seconds", "run_at",
                  "measured_rto_seconds", "measured_rpo_seconds", "lost_transactions", "issues", "follow_up_actions",
                  "met_targets"]
        read_only_fields = ["status", "run_at", "measured_rto_seconds", "measured_rpo_seconds", "lost_transactions",
                            "issues", "follow_up_actions"]
        extra_kwargs = {"target_rto_seconds": {"required": False}, "target_rpo_seconds": {"required": False}}


class ExerciseResultsSerializer(serializers.Serializer):
    run_at = serializers.DateTimeField()
    measured_rto_seconds = serializers.DecimalField(max_digits=12, decimal_places=3)
    measured_rpo_seconds = serializers.DecimalField(max_digits=12, decimal_places=3)
    lost_transactions = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    issues = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_actions = serializers.CharField(required=False, allow_blank=True, default="")


class CreateThroughService(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve what the user may see; create through one service."""

    def get_queryset(self):
        return self.visible(actor=self.request.user)

    def perform_service(self, data):
        raise NotImplementedError

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = self.perform_service(dict(serializer.validated_data))
        return Response(self.get_serializer(created).data, status=201)


class UpdateThroughService:
    """PATCH: the fields sent replace the current ones, the rest stay, and one service applies them all."""

    updatable_fields: list[str] = []

    def update_through_service(self, current, values: dict):
        raise NotImplementedError

    @idempotent
    def partial_update(self, request, *args, **kwargs):
        current = self.get_object()
        serializer = self.get_serializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {field: serializer.validated_data.get(field, getattr(current, field))
                  for field in self.updatable_fields}
        return Response(self.get_serializer(self.update_through_service(current, values)).data)


class BusinessProcessViewSet(UpdateThroughService, CreateThroughService):
    serializer_class = BusinessProcessSerializer
    visible = staticmethod(selectors.visible_business_processes)
    filterset_fields = ["org_unit", "rto_band"]
    updatable_fields = ["name", "owner", "maximum_tolerable_downtime_hours", "rto_band", "description"]

    def perform_service(self, data):
        return services.record_business_process(actor=self.request.user, **data)

    def update_through_service(self, current, values):
        return services.update_business_process(actor=self.request.user, process_id=current.pk, **values)


class DataCentreViewSet(CreateThroughService):
    serializer_class = DataCentreSerializer
    visible = staticmethod(selectors.visible_data_centres)

    def perform_service(self, data):
        return services.create_data_centre(actor=self.request.user, **data)


class InfrastructureComponentViewSet(CreateThroughService):
    serializer_class = InfrastructureComponentSerializer
    visible = staticmethod(selectors.visible_infrastructure)
    filterset_fields = ["data_centre", "kind"]

    def perform_service(self, data):
        return services.register_infrastructure_component(actor=self.request.user, **data)


class ApplicationViewSet(UpdateThroughService, CreateThroughService):
    serializer_class = ApplicationSerializer
    visible = staticmethod(selectors.visible_applications)
    updatable_fields = ["name", "owner", "data_centre", "user_count", "data_classification", "replication_method",
                        "recovery_site_distance", "is_replication_software_compatible", *AMOUNT_FIELDS]

    def perform_service(self, data):
        return services.register_application(actor=self.request.user, **data)

    def update_through_service(self, current, values):
        return services.update_application(actor=self.request.user, application_id=current.pk, **values)

    @extend_schema(responses={200: inline_serializer("ApplicationContinuity", {
        "id": serializers.IntegerField(), "name": serializers.CharField(),
        "required_rto_band": serializers.CharField(allow_null=True),
        "required_rpo_hours": serializers.CharField(allow_null=True), "is_critical": serializers.BooleanField(),
        "flags": serializers.ListField(child=serializers.CharField()),
        "annual_protection_cost": serializers.CharField(), "currency": serializers.CharField()}, many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def continuity(self, request):
        """Each application's required RTO band and RPO (from the processes that depend on it), flags and cost."""
        rows = selectors.application_continuity(actor=request.user)
        return Response([{"id": row.application.pk, "name": row.application.name,
                          "required_rto_band": row.required_band, "is_critical": row.is_critical,
                          "required_rpo_hours": None if row.required_rpo_hours is None
                          else str(row.required_rpo_hours),
                          "flags": row.flags, "annual_protection_cost": str(row.annual_protection_cost),
                          "currency": row.application.currency} for row in rows])


class DependencyViewSet(CreateThroughService, mixins.DestroyModelMixin):
    serializer_class = DependencySerializer
    visible = staticmethod(selectors.visible_dependencies)

    def perform_service(self, data):
        return services.add_dependency(actor=self.request.user, **data)

    def destroy(self, request, *args, **kwargs):
        services.remove_dependency(actor=request.user, dependency_id=self.get_object().pk)
        return Response(status=204)


class BusinessImpactAnalysisViewSet(CreateThroughService):
    serializer_class = BusinessImpactAnalysisSerializer
    visible = staticmethod(selectors.visible_analyses)
    filterset_fields = ["org_unit", "status"]

    def perform_service(self, data):
        return services.start_business_impact_analysis(actor=self.request.user, org_unit=data["org_unit"])

    @extend_schema(request=ImpactsInputSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def impacts(self, request, pk=None):
        serializer = ImpactsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            impacts = {(row["category"], int(row["after_hours"])): int(row["severity"]) for row in data["impacts"]}
        except (KeyError, TypeError, ValueError):
            raise serializers.ValidationError({"impacts": ["Give category, after_hours and severity."]}) from None
        analysis = services.record_business_impacts(
            actor=request.user, analysis_id=self.get_object().pk, questionnaire=data["questionnaire"],
            impacts=impacts, rpo_hours=data["rpo_hours"])
        return Response(self.get_serializer(analysis).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="sign-off")
    @idempotent
    def sign_off(self, request, pk=None):
        analysis = services.sign_off_business_impact_analysis(actor=request.user, analysis_id=self.get_object().pk)
        return Response(self.get_serializer(analysis).data)


class RecoveryPlanViewSet(CreateThroughService):
    serializer_class = RecoveryPlanSerializer
    visible = staticmethod(selectors.visible_recovery_plans)

    def perform_service(self, data):
        return services.create_recovery_plan(actor=self.request.user, **data)


class ExerciseViewSet(CreateThroughService):
    serializer_class = ExerciseSerializer
    visible = staticmethod(selectors.visible_exercises)
    filterset_fields = ["plan", "status"]

    def perform_service(self, data):
        return services.plan_exercise(actor=self.request.user, **data)

    @extend_schema(request=ExerciseResultsSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def results(self, request, pk=None):
        serializer = ExerciseResultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exercise = services.record_exercise_results(actor=request.user, exercise_id=self.get_object().pk,
                                                    **serializer.validated_data)
        return Response(self.get_serializer(exercise).data)


class DashboardViewSet(viewsets.ViewSet):
    """Coverage of critical applications by tested plans, and the cost of protection."""

    @extend_schema(responses={200: one_object(inline_serializer("ContinuityDashboard", {
        "critical_applications": serializers.IntegerField(), "tested_in_last_12_months": serializers.IntegerField(),
        "coverage_percent": serializers.CharField(),
        "applications": inline_serializer("ApplicationCoverage", {
            "id": serializers.IntegerField(), "name": serializers.CharField(),
            "required_rto_band": serializers.CharField(allow_null=True),
            "last_tested_on": serializers.DateField(allow_null=True)}, many=True),
        "annual_protection_cost": inline_serializer("ProtectionCostTotals", {
            "currency": serializers.CharField(), "total": serializers.CharField(),
            "by_data_centre": serializers.DictField(child=serializers.CharField()),
            "by_strategy": serializers.DictField(child=serializers.CharField())})}))})
    def list(self, request):
        coverage = selectors.exercise_coverage(actor=request.user)
        costs = selectors.protection_cost_totals(actor=request.user)
        return Response({
            "critical_applications": coverage.critical, "tested_in_last_12_months": coverage.tested,
            "coverage_percent": str(coverage.percentage),
            "applications": [{"id": row.application.pk, "name": row.application.name,
                              "required_rto_band": row.required_band,
                              "last_tested_on": row.last_tested_on} for row in coverage.rows],
            "annual_protection_cost": {"currency": costs.currency, "total": str(costs.total),
                                       "by_data_centre": {k: str(v) for k, v in costs.by_data_centre.items()},
                                       "by_strategy": {k: str(v) for k, v in costs.by_strategy.items()}},
        })


router.register("processes", BusinessProcessViewSet, basename="process")
router.register("data-centres", DataCentreViewSet, basename="data-centre")
router.register("infrastructure", InfrastructureComponentViewSet, basename="infrastructure")
router.register("applications", ApplicationViewSet, basename="application")
router.register("dependencies", DependencyViewSet, basename="dependency")
router.register("analyses", BusinessImpactAnalysisViewSet, basename="analysis")
router.register("plans", RecoveryPlanViewSet, basename="plan")
router.register("exercises", ExerciseViewSet, basename="exercise")
router.register("dashboard", DashboardViewSet, basename="dashboard")
