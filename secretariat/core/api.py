"""REST API of the core: organisation, people, roles, delegations, authority checks, audit trail.

Thin: parse, call one service or selector, serialise.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from secretariat.core import selectors, services
from secretariat.core.api_base import ScopedReadOnlyViewSet, idempotent
from secretariat.core.models import (
    AuditEvent,
    AuthorityKind,
    Country,
    Currency,
    Delegation,
    DutyStation,
    Entity,
    Grade,
    OrgUnit,
    Person,
    PublicHoliday,
    Role,
    RoleAssignment,
)
from secretariat.core.scopes import Scope

User = get_user_model()


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["alpha2", "alpha3", "numeric", "name", "is_member_state"]


class CurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Currency
        fields = ["code", "name", "minor_units"]


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["id", "code", "name", "localized_name", "kind", "headquarters", "is_active"]


class PublicHolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicHoliday
        fields = ["holiday_on", "name"]


class DutyStationSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="alpha3", read_only=True)
    public_holidays = PublicHolidaySerializer(many=True, read_only=True)

    class Meta:
        model = DutyStation
        fields = ["id", "code", "name", "localized_name", "country", "city", "time_zone", "work_days",
                  "work_starts_at", "work_ends_at", "public_holidays"]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "localized_name", "level", "entity", "parent", "duty_station", "path",
                  "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    nationality = serializers.SlugRelatedField(slug_field="alpha3", queryset=Country.objects.all())
    represents = serializers.SlugRelatedField(slug_field="alpha3", queryset=Country.objects.all(), required=False,
                                              allow_null=True)
    grade = serializers.SlugRelatedField(slug_field="code", queryset=Grade.objects.all(), required=False,
                                         allow_null=True)
    username = serializers.CharField(source="user.username", read_only=True, default=None)

    class Meta:
        model = Person
        fields = ["id", "kind", "index_number", "given_name", "family_name", "gender", "nationality", "email",
                  "preferred_language", "grade", "job_title", "org_unit", "duty_station", "represents", "username",
                  "is_active"]
        read_only_fields = ["is_active"]
        # Uniqueness is the service's and the database's to judge, inside the transaction.
        validators = []
        extra_kwargs = {"email": {"validators": []}, "index_number": {"validators": []}}


class RoleSerializer(serializers.ModelSerializer):
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ["id", "code", "name", "localized_name", "description", "permissions"]

    def get_permissions(self, role) -> list[str]:
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all())


class ScopeFields(serializers.Serializer):
    scope_kind = serializers.CharField(default="global")
    scope_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    role = serializers.SlugRelatedField(slug_field="code", queryset=Role.objects.all())
    granted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "scope_kind", "scope_id", "valid_from", "valid_until", "status",
                  "granted_by", "created_at", "decided_by", "decided_at", "revoked_at"]
        read_only_fields = ["status", "granted_by", "created_at", "decided_at", "revoked_at"]
        extra_kwargs = {"valid_from": {"required": False}}


class DelegationSerializer(serializers.ModelSerializer):
    authority = serializers.SlugRelatedField(slug_field="code", queryset=AuthorityKind.objects.all())
    delegate = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    delegated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "authority", "delegated_by", "delegate", "scope_kind", "scope_id", "limit_amount",
                  "currency", "valid_from", "valid_until", "reference", "created_at", "revoked_at"]
        read_only_fields = ["delegated_by", "created_at", "revoked_at"]
        extra_kwargs = {"valid_from": {"required": False}}


class AuthorityCheckSerializer(serializers.Serializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    authority = serializers.SlugRelatedField(slug_field="code", queryset=AuthorityKind.objects.all())
    amount = serializers.DecimalField(max_digits=19, decimal_places=4, required=False, allow_null=True)
    currency = serializers.CharField(default="USD")
    scope_kind = serializers.CharField(default="global")
    scope_id = serializers.IntegerField(required=False, allow_null=True)
    on = serializers.DateField(required=False)


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["sequence", "occurred_at", "actor_label", "ip_address", "action", "target_type", "target_id",
                  "target_label", "changes", "previous_hash", "hash"]


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    lookup_field = "alpha3"
    filterset_fields = ["is_member_state"]
    search_fields = ["alpha2", "alpha3"]


class CurrencyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Currency.objects.all()
    serializer_class = CurrencySerializer
    lookup_field = "code"


class EntityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Entity.objects.all()
    serializer_class = EntitySerializer
    filterset_fields = ["kind", "is_active"]
    search_fields = ["code", "name"]


class DutyStationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = DutyStation.objects.select_related("country").prefetch_related("public_holidays")
    serializer_class = DutyStationSerializer
    search_fields = ["code", "name", "city"]


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer
    filterset_fields = ["entity", "parent", "level", "duty_station"]
    search_fields = ["code", "name"]


class PersonViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    queryset = Person.objects.select_related("nationality", "grade", "user", "represents")
    serializer_class = PersonSerializer
    view_permission = "core.view_person"
    filterset_fields = ["kind", "org_unit", "duty_station", "gender", "grade__code", "nationality__alpha3"]
    search_fields = ["given_name", "family_name", "email", "index_number"]
    ordering_fields = ["family_name", "given_name", "index_number"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.register_person(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(person).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = services.update_person(actor=request.user, person_id=serializer.instance.pk,
                                        **serializer.validated_data)
        return Response(self.get_serializer(person).data)


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Role.objects.prefetch_related("permissions__content_type")
    serializer_class = RoleSerializer
    lookup_field = "code"


class RoleAssignmentViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = RoleAssignment.objects.select_related("user", "role", "granted_by", "decided_by")
    serializer_class = RoleAssignmentSerializer
    view_permission = "core.view_roleassignment"
    filterset_fields = ["user__username", "role__code", "scope_kind", "status"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = services.grant_role(
            actor=request.user, user=data["user"], role=data["role"],
            scope=Scope(data.get("scope_kind", "global"), data.get("scope_id")),
            valid_from=data.get("valid_from"), valid_until=data.get("valid_until"),
        )
        return Response(self.get_serializer(assignment).data, status=201)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request, pk=None):
        assignment = services.revoke_role(actor=request.user, assignment_id=self.get_object().pk)
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Put a pending grant of a privileged role in force: a second access administrator's step."""
        assignment = services.approve_role_grant(actor=request.user, assignment_id=self.get_object().pk)
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        assignment = services.reject_role_grant(actor=request.user, assignment_id=self.get_object().pk)
        return Response(self.get_serializer(assignment).data)


class DelegationViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = Delegation.objects.select_related("authority", "delegate", "delegated_by")
    serializer_class = DelegationSerializer
    view_permission = "core.view_delegation"
    filterset_fields = ["authority__code", "delegate__username", "scope_kind"]

    def get_queryset(self):
        # Everyone sees the delegations they hold or gave, besides what their roles show them.
        user = self.request.user
        own = Delegation.objects.filter(delegate=user) | Delegation.objects.filter(delegated_by=user)
        return (super().get_queryset() | own.select_related("authority", "delegate", "delegated_by")).distinct()

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        delegation = services.delegate_authority(
            actor=request.user, delegate=data["delegate"], authority=data["authority"],
            scope=Scope(data.get("scope_kind", "global"), data.get("scope_id")),
            limit_amount=data.get("limit_amount"), currency=data.get("currency", "USD"),
            valid_from=data.get("valid_from"), valid_until=data.get("valid_until"),
            reference=data.get("reference", ""),
        )
        return Response(self.get_serializer(delegation).data, status=201)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request, pk=None):
        delegation = services.revoke_delegation(actor=request.user, delegation_id=self.get_object().pk)
        return Response(self.get_serializer(delegation).data)

    @extend_schema(request=AuthorityCheckSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def check(self, request):
        """May this person exercise this authority for this amount in this scope on this day?"""
        serializer = AuthorityCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scope = Scope(data["scope_kind"], data.get("scope_id"))
        services.validated_scope(scope)
        reason = selectors.authority_check(
            actor=request.user, user=data["user"], authority=data["authority"].code, amount=data.get("amount"),
            currency=data["currency"], scope=scope, on=data.get("on"),
        )
        return Response({"allowed": reason is None, "reason": reason or ""})


class AuditEventViewSet(ScopedReadOnlyViewSet):
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    view_permission = "core.view_auditevent"
    lookup_field = "sequence"
    filterset_fields = {"action": ["exact", "startswith"], "actor_label": ["exact"], "target_type": ["exact"],
                        "target_id": ["exact"], "occurred_at": ["gte", "lte"]}
    ordering_fields = ["sequence", "occurred_at"]
