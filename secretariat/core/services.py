"""Business actions of the core: the only code that writes organisation and access records.

Each service is atomic, checks the actor's access, and audits in the same transaction.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core.access import (
    permitted_scopes,
    require_permission,
    require_permission_over,
    require_permission_over_placement,
    role_grant_decision_refusal,
)
from secretariat.core.audit import record_audit_event
from secretariat.core.authority import authority_refusal
from secretariat.core.calendar_changes import notify_calendar_changed
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput
from secretariat.core.models import (
    AuthorityKind,
    Currency,
    Delegation,
    DutyStation,
    Entity,
    OrgUnit,
    Person,
    PublicHoliday,
    Role,
    RoleAssignment,
)
from secretariat.core.models.access import GrantStatus
from secretariat.core.models.organisation import LEVEL_ORDER
from secretariat.core.scopes import Scope, scope_kind


class AlreadyRevoked(DomainError):
    message = _("This grant was already revoked.")
    code = "already_revoked"


class CannotGrantToSelf(DomainError):
    message = _("You cannot grant a role to yourself.")
    code = "cannot_grant_to_self"
    status = 403


class RoleNotHeld(DomainError):
    message = _("You cannot grant the role %(role)s: you do not hold its permission %(permission)s over the whole "
                "scope granted.")
    code = "role_not_held"
    status = 403


class GrantNotFound(DomainError):
    message = _("There is no such role assignment.")
    code = "not_found"
    status = 404


def locked_role_assignment(assignment_id: int) -> RoleAssignment:
    locked = RoleAssignment.objects.select_for_update(no_key=True, of=("self",))
    assignment = locked.select_related("role", "user").filter(pk=assignment_id).first()
    if assignment is None:
        raise GrantNotFound()
    return assignment


class GrantNotPending(DomainError):
    message = _("This grant is not awaiting approval (it is %(status)s).")
    code = "grant_not_pending"


class GrantNotInForce(DomainError):
    message = _("Only a grant in force can be revoked; this one is %(status)s.")
    code = "grant_not_in_force"


class CannotDelegateMore(DomainError):
    message = _("You cannot delegate authority you do not hold yourself: %(reason)s")
    code = "cannot_delegate_more"
    status = 403


def validated_scope(scope: Scope) -> None:
    """InvalidInput unless the scope kind is registered and its scope object exists."""
    try:
        kind = scope_kind(scope.kind)
    except KeyError:
        raise InvalidInput({"scope_kind": [_("Unknown scope kind.")]}) from None
    if kind.model is not None and (
        scope.object_id is None or not kind.model._default_manager.filter(pk=scope.object_id).exists()
    ):
        raise InvalidInput({"scope_id": [_("The scope does not exist.")]})
    if kind.model is None and scope.object_id is not None:
        raise InvalidInput({"scope_id": [_("A global scope has no scope object; leave the scope out.")]})


def validated_validity(valid_from: date, valid_until: date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput({"valid_until": [_("The end date must not be before the start date.")]})


def missing_role_permission(*, actor, role: Role, scope: Scope) -> str | None:
    """The first of the role's permissions that ``actor`` does not hold over the whole of ``scope``."""
    for permission in sorted(role.permissions.values_list("content_type__app_label", "codename")):
        name = ".".join(permission)
        if not any(held.covers(scope) for held in permitted_scopes(actor=actor, permission=name)):
            return name
    return None


@transaction.atomic
def grant_role(
    *, actor, user, role: Role, scope: Scope, valid_from: date | None = None, valid_until: date | None = None
) -> RoleAssignment:
    """Give ``user`` the role's permissions within ``scope``.

    The actor must manage role assignments over the whole scope, may not grant themselves, and
    passes on only what they hold: every permission of the role over the whole scope
    (superusers excepted). A privileged role's grant is recorded pending and gives nothing until
    a second access administrator approves it (``approve_role_grant``).
    """
    validated_scope(scope)
    valid_from = valid_from or timezone.localdate()
    validated_validity(valid_from, valid_until)
    require_permission_over(actor=actor, permission="core.add_roleassignment", scope=scope, action=_("grant roles"))
    if user.pk == actor.pk:
        raise CannotGrantToSelf()
    if not actor.is_superuser and (missing := missing_role_permission(actor=actor, role=role, scope=scope)):
        raise RoleNotHeld(role=role.localized_name, permission=missing)
    status = GrantStatus.PENDING if role.is_privileged else GrantStatus.ACTIVE
    assignment = RoleAssignment.objects.create(
        user=user, role=role, scope_kind=scope.kind, scope_id=scope.object_id,
        valid_from=valid_from, valid_until=valid_until, granted_by=actor, status=status,
    )
    record_audit_event(
        actor=actor, action="access.role_grant_requested" if role.is_privileged else "access.role_granted",
        target=assignment,
        changes={"user": user.get_username(), "role": role.code, "scope": scope.label(),
                 "valid_from": valid_from, "valid_until": valid_until},
    )
    return assignment


def decide_role_grant(*, actor, assignment_id: int, decision: str) -> RoleAssignment:
    """Approve (``GrantStatus.ACTIVE``) or reject a pending grant, as a second access administrator."""
    assignment = locked_role_assignment(assignment_id)
    if (refusal := role_grant_decision_refusal(actor=actor, assignment=assignment)) is not None:
        raise refusal
    if assignment.status != GrantStatus.PENDING:
        raise GrantNotPending(status=assignment.get_status_display())
    assignment.transition_to(decision)
    assignment.decided_by, assignment.decided_at = actor, timezone.now()
    assignment.save(update_fields=["status", "decided_by", "decided_at"])
    verb = "approved" if decision == GrantStatus.ACTIVE else "rejected"
    record_audit_event(
        actor=actor, action=f"access.role_grant_{verb}", target=assignment,
        changes={"user": assignment.user.get_username(), "role": assignment.role.code,
                 "scope": Scope(assignment.scope_kind, assignment.scope_id).label(),
                 "requested_by": assignment.granted_by.get_username() if assignment.granted_by else None},
    )
    return assignment


@transaction.atomic
def approve_role_grant(*, actor, assignment_id: int) -> RoleAssignment:
    """Put a pending grant of a privileged role in force (the second pair of eyes)."""
    return decide_role_grant(actor=actor, assignment_id=assignment_id, decision=GrantStatus.ACTIVE)


@transaction.atomic
def reject_role_grant(*, actor, assignment_id: int) -> RoleAssignment:
    """Refuse a pending grant; it never gives anything."""
    return decide_role_grant(actor=actor, assignment_id=assignment_id, decision=GrantStatus.REJECTED)


@transaction.atomic
def revoke_role(*, actor, assignment_id: int) -> RoleAssignment:
    """End a grant in force. One step, even for privileged roles: taking access away is never the risk."""
    assignment = locked_role_assignment(assignment_id)
    scope = Scope(assignment.scope_kind, assignment.scope_id)
    require_permission_over(actor=actor, permission="core.delete_roleassignment", scope=scope, action=_("revoke roles"))
    if assignment.status == GrantStatus.REVOKED:
        raise AlreadyRevoked()
    if assignment.status != GrantStatus.ACTIVE:
        raise GrantNotInForce(status=assignment.get_status_display())
    assignment.transition_to(GrantStatus.REVOKED)
    assignment.revoked_at, assignment.revoked_by = timezone.now(), actor
    assignment.save(update_fields=["status", "revoked_at", "revoked_by"])
    record_audit_event(
        actor=actor, action="access.role_revoked", target=assignment,
        changes={"user": assignment.user.get_username(), "role": assignment.role.code, "scope": scope.label()},
    )
    return assignment


@transaction.atomic
def delegate_authority(
    *, actor, delegate, authority: AuthorityKind, scope: Scope, limit_amount: Decimal | None = None,
    currency: str = "USD", valid_from: date | None = None, valid_until: date | None = None, reference: str = "",
) -> Delegation:
    """Record that ``actor`` delegates ``authority`` to ``delegate``.

    One can only pass on what one holds: outside the Secretary-General's own delegations
    (recorded by a superuser), the actor must hold the same authority over the whole scope,
    on the first day, with a limit at least as high.
    """
    validated_scope(scope)
    valid_from = valid_from or timezone.localdate()
    validated_validity(valid_from, valid_until)
    if delegate == actor:
        raise InvalidInput({"delegate": [_("You cannot delegate authority to yourself.")]})
    if authority.is_monetary and limit_amount is None:
        raise InvalidInput({"limit_amount": [_("This authority needs a monetary limit.")]})
    if limit_amount is not None and limit_amount < 0:
        raise InvalidInput({"limit_amount": [_("The limit must not be negative.")]})
    if not Currency.objects.filter(code=currency).exists():
        raise InvalidInput({"currency": [_("Unknown currency.")]})
    if not actor.is_superuser:
        reason = authority_refusal(
            user=actor, authority=authority.code, amount=limit_amount, currency=currency,
            target=None if scope.is_global else scope.scope_object(), on=valid_from,
        )
        if scope.is_global and reason is None:
            reason = str(_("the transaction is outside the delegation's scope"))
        if reason is not None:
            raise CannotDelegateMore(reason=reason)
    delegation = Delegation.objects.create(
        authority=authority, delegated_by=actor, delegate=delegate, scope_kind=scope.kind, scope_id=scope.object_id,
        limit_amount=limit_amount, currency=currency, valid_from=valid_from, valid_until=valid_until,
        reference=reference,
    )
    record_audit_event(
        actor=actor, action="access.authority_delegated", target=delegation,
        changes={"delegate": delegate.get_username(), "authority": authority.code, "scope": scope.label(),
                 "limit_amount": limit_amount, "currency": currency,
                 "valid_from": valid_from, "valid_until": valid_until},
    )
    return delegation


@transaction.atomic
def revoke_delegation(*, actor, delegation_id: int) -> Delegation:
    delegation = Delegation.objects.select_for_update().select_related("authority", "delegate").get(pk=delegation_id)
    if not (actor.is_superuser or delegation.delegated_by_id == actor.pk):
        raise AccessDenied(action=_("revoke this delegation"))
    if delegation.revoked_at is not None:
        raise AlreadyRevoked()
    delegation.revoked_at, delegation.revoked_by = timezone.now(), actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    record_audit_event(
        actor=actor, action="access.delegation_revoked", target=delegation,
        changes={"delegate": delegation.delegate.get_username(), "authority": delegation.authority.code},
    )
    return delegation


def org_unit_path(parent: OrgUnit | None, unit_pk: int) -> str:
    return f"{parent.path if parent else '/'}{unit_pk}/"


@transaction.atomic
def create_org_unit(
    *, actor, entity: Entity, code: str, name: str, level: str, duty_station: DutyStation,
    parent: OrgUnit | None = None, name_translations: dict | None = None,
) -> OrgUnit:
    """Add a unit to the tree, below a parent of a higher level in the same entity."""
    errors = {}
    if parent is not None:
        if parent.entity_id != entity.pk:
            errors["parent"] = [_("The parent unit belongs to another entity.")]
        elif LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(parent.level):
            errors["level"] = [_("A unit must sit at a lower level than its parent.")]
    if OrgUnit.objects.filter(code=code).exists():
        errors["code"] = [_("An org unit with this code already exists.")]
    if errors:
        raise InvalidInput(errors)
    require_permission(
        actor=actor, permission="core.add_orgunit", target=parent or entity, action=_("create org units")
    )
    unit = OrgUnit.objects.create(
        entity=entity, parent=parent, code=code, name=name, level=level, duty_station=duty_station,
        name_translations=name_translations or {}, path="",
    )
    unit.path = org_unit_path(parent, unit.pk)
    unit.save(update_fields=["path"])
    record_audit_event(actor=actor, action="organisation.org_unit_created", target=unit,
                       changes={"code": code, "level": level, "parent": parent.code if parent else None})
    return unit


@transaction.atomic
def add_public_holiday(*, actor, duty_station: DutyStation, holiday_on: date, name: str) -> PublicHoliday:
    require_permission(
        actor=actor, permission="core.change_dutystation", target=duty_station, action=_("change duty stations")
    )
    if duty_station.public_holidays.filter(holiday_on=holiday_on).exists():
        raise InvalidInput({"holiday_on": [_("This duty station already has a holiday on that date.")]})
    holiday = PublicHoliday.objects.create(duty_station=duty_station, holiday_on=holiday_on, name=name)
    record_audit_event(actor=actor, action="organisation.holiday_added", target=duty_station,
                       changes={"holiday_on": holiday_on, "name": name})
    notify_calendar_changed(actor=actor, duty_station=duty_station)
    return holiday


class InvalidOneTimeCode(DomainError):
    message = _("The code from your authenticator app is not valid.")
    code = "invalid_one_time_code"
    status = 400


@transaction.atomic
def begin_two_factor_enrollment(*, actor) -> TOTPDevice:
    """Create (or restart) the user's unconfirmed authenticator; it protects nothing until confirmed."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_two_factor_enrollment(*, actor, token: str) -> TOTPDevice:
    """Turn on the TOTP second factor once the user proves their app shows the right code."""
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
    if device is None or not device.verify_token(token):
        raise InvalidOneTimeCode()
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_audit_event(actor=actor, action="security.two_factor_enabled", target=actor)
    return device


@transaction.atomic
def record_data_export(*, actor, what: str, row_count: int, filters: dict) -> None:
    """Audit that ``actor`` took data out of the platform (call before handing over the file)."""
    record_audit_event(actor=actor, action="security.data_exported",
                       changes={"what": what, "rows": row_count, "filters": filters})


PERSON_FIELDS = {"kind", "index_number", "given_name", "family_name", "gender", "nationality", "email",
                 "preferred_language", "grade", "job_title", "org_unit", "duty_station", "represents"}


def validated_person(person: Person) -> None:
    try:
        person.full_clean(exclude=["user"])
    except ValidationError as invalid:
        raise InvalidInput({field: [str(m) for m in messages] for field, messages in invalid.message_dict.items()})


@transaction.atomic
def register_person(*, actor, **fields) -> Person:
    """Record a new staff member, consultant, delegate or external user.

    The actor needs ``core.add_person`` over both the person's org unit and duty station: a
    person falls in the scope of each, so placing them in either affects who sees them. People
    outside the Secretariat's units (delegates) need it organisation-wide.
    """
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise InvalidInput({field: [_("Unknown field.")] for field in unknown})
    person = Person(**fields)
    validated_person(person)
    require_permission_over_placement(actor=actor, permission="core.add_person", org_unit=person.org_unit,
                                      duty_station=person.duty_station, action=_("register people"))
    person.save()
    record_audit_event(actor=actor, action="organisation.person_registered", target=person,
                       changes={field: str(value) for field, value in fields.items()})
    return person


@transaction.atomic
def update_person(*, actor, person_id: int, **fields) -> Person:
    """Change a person's record.

    Moving them (another org unit or duty station) needs ``core.change_person`` over the whole
    placement they leave and the whole placement they move to.
    """
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise InvalidInput({field: [_("Unknown field.")] for field in unknown})
    person = Person.objects.select_for_update(no_key=True).get(pk=person_id)
    require_permission(actor=actor, permission="core.change_person", target=person, action=_("change people"))
    before = {field: str(getattr(person, field)) for field in fields}
    placements = [(person.org_unit, person.duty_station)]
    for field, value in fields.items():
        setattr(person, field, value)
    validated_person(person)
    placements.append((person.org_unit, person.duty_station))
    if placements[0] != placements[1]:
        for org_unit, duty_station in placements:
            require_permission_over_placement(actor=actor, permission="core.change_person", org_unit=org_unit,
                                              duty_station=duty_station, action=_("change people"))
    person.save()
    record_audit_event(actor=actor, action="organisation.person_changed", target=person,
                       changes={field: {"from": before[field], "to": str(value)} for field, value in fields.items()})
    return person
