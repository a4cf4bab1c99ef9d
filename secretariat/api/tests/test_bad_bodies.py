"""Bad values in a request body answer 400/404 problem+json, never a server error, and change nothing."""

import pytest
from rest_framework.test import APIClient

from secretariat.budget.models import Redeployment
from secretariat.budget.tests.conftest import office  # noqa: F401
from secretariat.content.models import LegalHold
from secretariat.core.models import RoleAssignment
from secretariat.core.tests.factories import UserFactory


@pytest.fixture
def admin_client(superuser):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(superuser)
    return client


@pytest.mark.parametrize("to_allotment", [-51, 0, 999999])
def test_redeploying_to_an_unknown_allotment_is_refused(admin_client, office, to_allotment):  # noqa: F811
    response = admin_client.post(f"/api/v1/budget/allotments/{office.allotment.pk}/redeploy/",
                                 {"to_allotment": to_allotment, "amount": "10.00", "reason": "Travel"}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"pointer": "/to_allotment", "detail": "There is no such allotment.", "code": "invalid"}]
    assert not Redeployment.objects.exists()


def test_a_huge_document_id_in_a_legal_hold_is_refused(admin_client, db):
    response = admin_client.post("/api/v1/content/legal-holds/", {"name": "Audit", "reason": "OIOS request",
                                                                  "document_ids": [99999999999999999999]},
                                 format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert not LegalHold.objects.exists()


def test_a_legal_hold_on_an_unknown_document_is_refused(admin_client, db):
    response = admin_client.post("/api/v1/content/legal-holds/", {"name": "Audit", "reason": "OIOS request",
                                                                  "document_ids": [424242]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "/document_ids", "detail": "There is no document 424242.", "code": "invalid"}]
    assert not LegalHold.objects.exists()


def test_a_global_role_that_names_a_scope_is_refused(admin_client, db):
    UserFactory(username="new.auditor")
    response = admin_client.post("/api/v1/role-assignments/", {"user": "new.auditor", "role": "auditor",
                                                               "scope_kind": "global", "scope_id": 5}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"pointer": "/scope_id", "code": "invalid",
                                          "detail": "A global scope has no scope object; leave the scope out."}]
    assert not RoleAssignment.objects.filter(user__username="new.auditor").exists()
