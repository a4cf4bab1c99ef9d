"""POST with an Idempotency-Key acts once; retries get the first answer back."""

import pytest

from secretariat.core.models import AuditEvent, RoleAssignment
from secretariat.core.tests.factories import UserFactory


@pytest.fixture
def grant_body(offices):
    UserFactory(username="new.officer")
    return {"user": "new.officer", "role": "hr_officer", "scope_kind": "entity", "scope_id": offices.geneva.pk}


def test_a_retry_with_the_same_key_replays_the_first_response(api, grant_body):
    # when
    first = api.post("/api/v1/role-assignments/", grant_body, format="json", HTTP_IDEMPOTENCY_KEY="grant-42")
    retry = api.post("/api/v1/role-assignments/", grant_body, format="json", HTTP_IDEMPOTENCY_KEY="grant-42")
    # then
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert RoleAssignment.objects.count() == 1
    assert AuditEvent.objects.filter(action="access.role_granted").count() == 1


def test_reusing_a_key_with_another_body_is_refused(api, grant_body):
    api.post("/api/v1/role-assignments/", grant_body, format="json", HTTP_IDEMPOTENCY_KEY="grant-42")
    # when
    reuse = api.post("/api/v1/role-assignments/", {**grant_body, "role": "auditor"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="grant-42")
    # then
    assert reuse.status_code == 422
    assert reuse["Content-Type"] == "application/problem+json"
    assert reuse.json()["detail"] == "This Idempotency-Key was already used with a different request."
    assert RoleAssignment.objects.count() == 1


def test_a_malformed_key_is_refused_and_nothing_is_written(api, grant_body):
    response = api.post("/api/v1/role-assignments/", grant_body, format="json", HTTP_IDEMPOTENCY_KEY="bad key é")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"header": "Idempotency-Key", "detail": "Use 1 to 255 visible ASCII characters.", "code": "invalid"}]
    assert not RoleAssignment.objects.exists()


def test_without_a_key_each_post_acts(api, grant_body):
    api.post("/api/v1/role-assignments/", grant_body, format="json")
    api.post("/api/v1/role-assignments/", grant_body, format="json")
    assert RoleAssignment.objects.count() == 2


def test_keys_belong_to_their_user(api, grant_body, offices):
    other = UserFactory(username="other.admin")
    other.is_superuser = True
    other.save()
    api.post("/api/v1/role-assignments/", grant_body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    api.force_authenticate(other)
    second = api.post("/api/v1/role-assignments/", grant_body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert RoleAssignment.objects.count() == 2
