"""Who may do what, where: roles granted within a scope, delegations of authority, and the
segregation-of-duties rules."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError
from secretariat.core.models.translated import TranslatedNameMixin

GLOBAL_SCOPE = "global"


class Role(TranslatedNameMixin):
    """A named set of permissions, granted to people within a scope."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(Permission, related_name="secretariat_roles", verbose_name=_("permissions"))
    # Finance, budget, audit and access administration: granting one takes a second access
    # administrator's approval, and holding one requires a second factor at sign-in.
    is_privileged = models.BooleanField(_("privileged"), default=False)
    # The auditor's role: every "view_*" permission of every app within the grant's scope, so a
    # global auditor reads everything (and, holding no other permission, changes nothing).
    reads_everything = models.BooleanField(_("reads everything"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class ScopedGrant(models.Model):
    """Fields shared by role assignments and delegations: a scope and validity dates."""

    scope_kind = models.CharField(_("scope kind"), max_length=30, default=GLOBAL_SCOPE)
    scope_id = models.PositiveBigIntegerField(_("scope"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def scope_constraints(cls, prefix: str) -> list[models.CheckConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(scope_kind=GLOBAL_SCOPE, scope_id__isnull=True)
                | (~Q(scope_kind=GLOBAL_SCOPE) & Q(scope_id__isnull=False)),
                name=f"{prefix}_scope_id_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name=f"{prefix}_validity_ordered",
            ),
        ]


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("In force")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class InvalidGrantTransition(DomainError):
    message = _("A role assignment cannot go from “%(current)s” to “%(requested)s”.")
    code = "invalid_transition"


class RoleAssignment(ScopedGrant):
    """A role granted to a user within a scope.

    A grant of a privileged role starts ``pending`` and gives nothing until a second access
    administrator approves it; only an ``active`` grant, within its dates, gives permissions.
    """

    ALLOWED_TRANSITIONS = {
        GrantStatus.PENDING: {GrantStatus.ACTIVE, GrantStatus.REJECTED},
        GrantStatus.ACTIVE: {GrantStatus.REVOKED},
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("role"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="granted_role_assignments"
    )
    status = models.CharField(_("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE)
    # The second access administrator who approved or rejected a pending grant.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    # Who may see an assignment: those whose scope covers the person holding it.
    scope_paths = {
        "org_unit": "user__person__org_unit",
        "entity": "user__person__org_unit__entity",
        "duty_station": "user__person__duty_station",
    }

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = ScopedGrant.scope_constraints("core_role_assignment") + [
            models.CheckConstraint(condition=Q(status__in=GrantStatus.values), name="core_role_assignment_status_valid"),
            models.CheckConstraint(
                condition=Q(status=GrantStatus.REVOKED, revoked_at__isnull=False)
                | (~Q(status=GrantStatus.REVOKED) & Q(revoked_at__isnull=True)),
                name="core_role_assignment_revoked_when_revoked_at",
            ),
            # Four eyes: whoever decides on a grant is neither the one who asked nor the one who gains.
            models.CheckConstraint(condition=~Q(decided_by=F("granted_by")),
                                   name="core_role_assignment_decider_not_granter"),
            models.CheckConstraint(condition=~Q(decided_by=F("user")), name="core_role_assignment_decider_not_grantee"),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="core_role_assignment_user")]

    def __str__(self) -> str:
        # What the audit trail shows as the target: which role, to whom, where.
        scope = self.scope_kind if self.scope_id is None else f"{self.scope_kind} {self.scope_id}"
        return f"{self.role.code} → {self.user.get_username()} ({scope})"

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            labels = dict(GrantStatus.choices)
            raise InvalidGrantTransition(current=labels.get(self.status, self.status),
                                         requested=labels.get(new_status, new_status))
        self.status = new_status


class AuthorityKind(TranslatedNameMixin):
    """A kind of delegable authority, e.g. certifying officer. Later modules add their own."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    is_monetary = models.BooleanField(_("has a monetary limit"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")


class Delegation(ScopedGrant):
    """A delegation of authority from one person to another, with a limit, a scope and dates."""

    authority = models.ForeignKey(
        AuthorityKind, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("authority")
    )
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_given", verbose_name=_("delegated by")
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_held", verbose_name=_("delegate")
    )
    limit_amount = models.DecimalField(
        _("monetary limit"), max_digits=19, decimal_places=4, null=True, blank=True,
        help_text=_("Empty for authorities without a monetary limit."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    scope_paths = {
        "org_unit": "delegate__person__org_unit",
        "entity": "delegate__person__org_unit__entity",
        "duty_station": "delegate__person__duty_station",
    }

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("delegation of authority")
        verbose_name_plural = _("delegations of authority")
        constraints = ScopedGrant.scope_constraints("core_delegation") + [
            models.CheckConstraint(
                condition=Q(limit_amount__isnull=True) | Q(limit_amount__gte=Decimal("0")),
                name="core_delegation_limit_not_negative",
            ),
            models.CheckConstraint(condition=~Q(delegated_by=F("delegate")), name="core_delegation_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} → {self.delegate}"


class SegregationRule(TranslatedNameMixin):
    """Two duties on the same transaction that must be performed by different people."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    first_duty = models.CharField(_("first duty"), max_length=50)
    second_duty = models.CharField(_("second duty"), max_length=50)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("segregation-of-duties rule")
        verbose_name_plural = _("segregation-of-duties rules")
        constraints = [
            models.CheckConstraint(condition=~Q(first_duty=F("second_duty")), name="core_sod_distinct_duties"),
        ]
