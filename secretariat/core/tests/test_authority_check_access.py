"""Who may ask whether someone holds an authority: that person, or whoever may see their delegations."""

import datetime

import pytest
from rest_framework.test import APIClient

from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import (
    PersonFactory,
    UserFactory,
    delegation,
    grant,
)

REFUSED = "You do not have permission to check the authority of other people here."


@pytest.fixture
def certifier(offices):
    user = UserFactory(username="certifier")
    PersonFactory(user=user, org_unit=offices.geneva_hr)
    delegation(user, "certifying_officer", offices.geneva, limit="50000.00", valid_from=datetime.date(2026, 1, 1))
    return user


def check(asker, about: str):
    client = APIClient()
    client.force_authenticate(asker)
    return client.post("/api/v1/delegations/check/", {
        "user": about, "authority": "certifying_officer", "amount": "100", "scope_kind": "global",
        "on": "2026-06-15"}, format="json")


def test_anyone_may_check_their_own_authority(certifier):
    response = check(certifier, "certifier")
    assert response.status_code == 200
    assert response.json() == {"allowed": False, "reason": "the transaction is outside the delegation's scope"}


def test_checking_someone_else_needs_the_right_to_see_their_delegations(offices, certifier):
    geneva_viewer, nairobi_viewer = UserFactory(username="viewer.gva"), UserFactory(username="viewer.nbo")
    grant(geneva_viewer, "auditor", offices.geneva)
    grant(nairobi_viewer, "auditor", offices.nairobi)
    # when
    allowed = check(geneva_viewer, "certifier")
    refused = check(nairobi_viewer, "certifier")
    # then
    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == REFUSED
    event = AuditEvent.objects.get(action="security.access_denied")
    assert (event.actor_label, event.changes["detail"]) == ("viewer.nbo", REFUSED)


def test_a_plain_user_cannot_probe_anyone(offices, certifier):
    response = check(UserFactory(username="staff"), "certifier")
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSED


def test_someone_without_a_person_record_is_only_visible_organisation_wide(offices):
    UserFactory(username="robot")
    geneva_viewer, global_viewer = UserFactory(username="viewer.gva"), UserFactory(username="viewer.all")
    grant(geneva_viewer, "auditor", offices.geneva)
    grant(global_viewer, "auditor")
    assert check(geneva_viewer, "robot").status_code == 403
    assert check(global_viewer, "robot").status_code == 200
