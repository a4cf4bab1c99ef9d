"""Role grants: nobody grants themselves, a granter passes on only what they hold, and a privileged
role takes effect only once a second access administrator approves it (four eyes)."""

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from secretariat.core import services
from secretariat.core.access import FourEyesRequired, has_permission
from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import AuditEvent, Role, RoleAssignment
from secretariat.core.models.access import GrantStatus
from secretariat.core.scopes import Scope
from secretariat.core.tests.factories import UserFactory, grant

PROBLEM = "application/problem+json"


@pytest.fixture
def admins(offices):
    """Two organisation-wide access administrators and one for Geneva only."""
    first, second, geneva = (UserFactory(username=name) for name in ("access.one", "access.two", "access.geneva"))
    grant(first, "access_administrator")
    grant(second, "access_administrator")
    grant(geneva, "access_administrator", offices.geneva)
    return first, second, geneva


@pytest.fixture
def newcomer(db):
    return UserFactory(username="new.admin")


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def request_access_administrator(granter, user) -> RoleAssignment:
    return services.grant_role(actor=granter, user=user, role=role("access_administrator"), scope=Scope("global"))


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Nobody grants themselves -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["root", "access.one"])
def test_nobody_may_grant_a_role_to_themselves(admins, superuser, who):
    actor = superuser if who == "root" else admins[0]
    # when / then
    with pytest.raises(services.CannotGrantToSelf) as refusal:
        services.grant_role(actor=actor, user=actor, role=role("staff_directory"), scope=Scope("global"))
    assert str(refusal.value) == "You cannot grant a role to yourself."
    assert refusal.value.status == 403
    assert not RoleAssignment.objects.filter(user=actor, role__code="staff_directory").exists()


def test_self_grant_through_the_api_is_a_403_problem_and_audited(admins):
    first = admins[0]
    # when
    response = api_as(first).post("/api/v1/role-assignments/", {
        "user": "access.one", "role": "chief_accountant", "scope_kind": "global"}, format="json")
    # then
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "You cannot grant a role to yourself."
    assert not RoleAssignment.objects.filter(user=first, role__code="chief_accountant").exists()
    refusal = AuditEvent.objects.get(action="security.access_denied")
    assert (refusal.actor_label, refusal.changes["detail"]) == ("access.one", "You cannot grant a role to yourself.")


# --- One passes on only what one holds ----------------------------------------------------------


def test_a_granter_may_not_grant_a_role_whose_permissions_they_lack(admins, newcomer):
    with pytest.raises(services.RoleNotHeld) as refusal:
        services.grant_role(actor=admins[0], user=newcomer, role=role("hr_officer"), scope=Scope("global"))
    assert str(refusal.value) == (
        "You cannot grant the role Human resources officer: you do not hold its permission core.add_person "
        "over the whole scope granted.")
    assert refusal.value.status == 403
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_holding_the_permissions_in_a_narrower_scope_is_not_enough(offices, admins, newcomer):
    geneva = admins[2]
    grant(geneva, "hr_officer", offices.geneva_hr)
    # when: wider than the unit where they hold it
    with pytest.raises(services.RoleNotHeld):
        services.grant_role(actor=geneva, user=newcomer, role=role("hr_officer"), scope=Scope.of(offices.geneva))
    # and: within it
    assignment = services.grant_role(actor=geneva, user=newcomer, role=role("hr_officer"),
                                     scope=Scope.of(offices.geneva_hr_section))
    # then
    assert assignment.status == GrantStatus.ACTIVE
    assert RoleAssignment.objects.filter(user=newcomer).count() == 1


def test_a_superuser_grants_an_ordinary_role_in_one_step(offices, superuser, newcomer):
    assignment = services.grant_role(actor=superuser, user=newcomer, role=role("hr_officer"),
                                     scope=Scope.of(offices.geneva))
    assert assignment.status == GrantStatus.ACTIVE
    assert has_permission(actor=newcomer, permission="core.change_person", target=offices.geneva_person)
    assert AuditEvent.objects.filter(action="access.role_granted", target_id=str(assignment.pk)).exists()


# --- Four eyes on privileged roles ----------------------------------------------------------------


@pytest.mark.parametrize("granter", ["root", "access.one"])
def test_a_privileged_grant_waits_for_approval_and_gives_nothing_meanwhile(admins, superuser, newcomer, granter):
    actor = superuser if granter == "root" else admins[0]
    # when
    assignment = request_access_administrator(actor, newcomer)
    # then
    assert assignment.status == GrantStatus.PENDING
    assert not has_permission(actor=newcomer, permission="core.add_roleassignment")
    event = AuditEvent.objects.get(action="access.role_grant_requested")
    assert (event.actor_label, event.changes["role"]) == (actor.username, "access_administrator")
    assert not AuditEvent.objects.filter(action="access.role_granted").exists()


def test_a_second_administrator_approves_and_the_role_takes_effect(admins, newcomer):
    first, second, _geneva = admins
    pending = request_access_administrator(first, newcomer)
    # when
    approved = services.approve_role_grant(actor=second, assignment_id=pending.pk)
    # then
    assert (approved.status, approved.decided_by) == (GrantStatus.ACTIVE, second)
    assert has_permission(actor=newcomer, permission="core.add_roleassignment")
    event = AuditEvent.objects.get(action="access.role_grant_approved")
    assert (event.actor_label, event.target_id) == ("access.two", str(pending.pk))


def test_neither_the_granter_nor_the_grantee_nor_an_administrator_out_of_scope_may_decide(offices, admins):
    first, _second, geneva = admins
    pending = request_access_administrator(first, geneva)
    other_geneva = UserFactory(username="access.geneva2")
    grant(other_geneva, "access_administrator", offices.geneva)
    # when / then
    with pytest.raises(FourEyesRequired) as own_request:
        services.approve_role_grant(actor=first, assignment_id=pending.pk)
    assert str(own_request.value) == "You requested this grant: a second access administrator must decide on it."
    with pytest.raises(FourEyesRequired) as own_grant:
        services.reject_role_grant(actor=geneva, assignment_id=pending.pk)
    assert str(own_grant.value) == "This grant is for you: another access administrator must decide on it."
    with pytest.raises(AccessDenied) as out_of_scope:
        services.approve_role_grant(actor=other_geneva, assignment_id=pending.pk)
    assert str(out_of_scope.value) == "You do not have permission to approve or reject role grants here."
    assert RoleAssignment.objects.get(pk=pending.pk).status == GrantStatus.PENDING
    assert not AuditEvent.objects.filter(action__in=["access.role_grant_approved",
                                                     "access.role_grant_rejected"]).exists()


def test_a_rejected_grant_never_takes_effect_and_cannot_be_approved_later(admins, newcomer):
    first, second, _geneva = admins
    pending = request_access_administrator(first, newcomer)
    # when
    rejected = services.reject_role_grant(actor=second, assignment_id=pending.pk)
    # then
    assert rejected.status == GrantStatus.REJECTED
    assert not has_permission(actor=newcomer, permission="core.add_roleassignment")
    assert AuditEvent.objects.filter(action="access.role_grant_rejected", actor_label="access.two").exists()
    with pytest.raises(services.GrantNotPending) as late:
        services.approve_role_grant(actor=second, assignment_id=pending.pk)
    assert str(late.value) == "This grant is not awaiting approval (it is Rejected)."


def test_revoking_stays_one_step_and_only_for_grants_in_force(admins, newcomer):
    first, second, _geneva = admins
    pending = request_access_administrator(first, newcomer)
    with pytest.raises(services.GrantNotInForce):
        services.revoke_role(actor=first, assignment_id=pending.pk)
    services.approve_role_grant(actor=second, assignment_id=pending.pk)
    # when: the granter revokes alone
    revoked = services.revoke_role(actor=first, assignment_id=pending.pk)
    # then
    assert revoked.status == GrantStatus.REVOKED
    assert not has_permission(actor=newcomer, permission="core.add_roleassignment")


def test_the_database_refuses_unknown_statuses_and_self_approval(admins, newcomer):
    first, _second, _geneva = admins
    pending = request_access_administrator(first, newcomer)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.filter(pk=pending.pk).update(status="granted")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.filter(pk=pending.pk).update(status="active", decided_by=first)


# --- Through the API and the page -----------------------------------------------------------------


def test_the_api_records_a_pending_grant_that_a_second_administrator_approves(admins, newcomer):
    first, second, _geneva = admins
    # when
    created = api_as(first).post("/api/v1/role-assignments/", {
        "user": "new.admin", "role": "access_administrator", "scope_kind": "global"}, format="json")
    # then
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    pk = created.json()["id"]
    listed = api_as(second).get("/api/v1/role-assignments/", {"status": "pending"}).json()
    assert [row["id"] for row in listed["results"]] == [pk]
    own = api_as(first).post(f"/api/v1/role-assignments/{pk}/approve/")
    assert own.status_code == 403
    assert own["Content-Type"] == PROBLEM
    approved = api_as(second).post(f"/api/v1/role-assignments/{pk}/approve/")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("active", "access.two")
    again = api_as(second).post(f"/api/v1/role-assignments/{pk}/reject/")
    assert again.status_code == 409
    assert again.json()["detail"] == "This grant is not awaiting approval (it is In force)."


def test_the_page_offers_the_decision_only_to_a_second_administrator(admins, newcomer, client):
    first, second, _geneva = admins
    pending = request_access_administrator(first, newcomer)
    approve_label = "Approve Access administrator for new.admin"
    # when
    client.force_login(first)
    granter_page = client.get("/access/roles/").content.decode()
    refused = client.post(f"/access/roles/{pending.pk}/approve/")
    client.force_login(second)
    second_page = client.get("/access/roles/").content.decode()
    approved = client.post(f"/access/roles/{pending.pk}/approve/")
    # then
    assert "Awaiting approval" in granter_page
    assert approve_label not in granter_page
    assert refused.status_code == 403
    assert "You requested this grant: a second access administrator must decide on it." in refused.content.decode()
    assert approve_label in second_page
    assert "Reject Access administrator for new.admin" in second_page
    assert approved.status_code == 302
    assert RoleAssignment.objects.get(pk=pending.pk).status == GrantStatus.ACTIVE


def test_the_grant_form_says_when_a_grant_awaits_approval(admins, newcomer, client):
    client.force_login(admins[0])
    response = client.post("/access/roles/", {"username": "new.admin", "role": role("access_administrator").pk,
                                               "scope_kind": "global"}, follow=True)
    assert "Grant recorded: it takes effect once a second access administrator approves it." in (
        response.content.decode())


@pytest.mark.django_db
def test_the_audit_trail_names_the_role_the_grantee_and_the_scope():
    grantee = UserFactory(username="grantee.one")
    assignment = RoleAssignment(user=grantee, role=Role.objects.get(code="auditor"), scope_kind="global")
    assert str(assignment) == "auditor → grantee.one (global)"
