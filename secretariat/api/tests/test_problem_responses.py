"""Errors come back as problem+json, in the user's language, and change nothing."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from secretariat.core.models import AuditEvent, RoleAssignment
from secretariat.core.tests.factories import UserFactory


def test_field_errors_in_french(api, offices):
    response = api.post("/api/v1/role-assignments/", {"user": "nobody", "role": "hr_officer"}, format="json",
                        HTTP_ACCEPT_LANGUAGE="fr")
    body = response.json()
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert body["status"] == 400 and body["type"] == "urn:secretariat:problem:invalid"
    assert body["errors"] == [{"pointer": "/user", "detail": "L'objet avec username=nobody n'existe pas.",
                               "code": "does_not_exist"}]
    assert not RoleAssignment.objects.exists()


def test_service_validation_names_the_field(api, offices):
    response = api.post("/api/v1/role-assignments/", {"user": "root", "role": "hr_officer", "scope_kind": "entity",
                                                      "scope_id": 999999}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"pointer": "/scope_id", "detail": "The scope does not exist.",
                                          "code": "invalid"}]


def test_acting_outside_ones_scope_is_forbidden_and_audited(offices, geneva_hr_officer):
    client = APIClient()
    client.force_authenticate(geneva_hr_officer)
    # when: an HR officer (no right to grant roles) tries to grant one in Nairobi
    response = client.post("/api/v1/role-assignments/", {"user": "hr.geneva", "role": "auditor",
                                                         "scope_kind": "entity", "scope_id": offices.nairobi.pk},
                           format="json")
    # then
    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to grant roles here."
    assert not RoleAssignment.objects.filter(role__code="auditor").exists()
    refusal = AuditEvent.objects.get(action="security.access_denied")
    assert refusal.actor_label == "hr.geneva" and refusal.changes["path"] == "/api/v1/role-assignments/"


def test_anonymous_requests_are_refused():
    response = APIClient().get("/api/v1/people/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_token_authentication(offices, geneva_hr_officer):
    from datetime import timedelta

    from secretariat.api.models import ApiToken

    _token, secret = ApiToken.objects.create(user=geneva_hr_officer, name="test", expiry=timedelta(days=1),
                                             is_second_factor_verified=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = client.get("/api/v1/people/")
    assert response.status_code == 200 and response.json()["count"] == 2


def test_openapi_schema_and_docs_are_served_locally(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/people/" in schema["paths"] and "/api/v1/delegations/check/" in schema["paths"]
    docs = api.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()


def test_the_schema_documents_problems_on_every_operation(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    retrieve = schema["paths"]["/api/v1/people/{id}/"]["get"]["responses"]
    assert retrieve["404"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    assert {"400", "401", "403", "404", "429"} <= retrieve.keys()
    assert {"409", "413", "422"} <= schema["paths"]["/api/v1/role-assignments/"]["post"]["responses"].keys()
    assert "root_cause" in schema["components"]["schemas"]["Problem"]["properties"]  # the ITIL problem stays


def test_a_time_of_day_is_described_as_the_api_writes_it(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    starts = schema["components"]["schemas"]["DutyStation"]["properties"]["work_starts_at"]
    assert "format" not in starts
    assert re.fullmatch(starts["pattern"], "09:00:00") and not re.fullmatch(starts["pattern"], "9am")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/tokens/"])
def test_a_refused_csrf_check_under_the_api_is_a_problem(path):
    # given a signed-in browser session that sends no CSRF token
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="csrf.reader"))
    # when
    response = client.post(path, {}, content_type="application/json")
    # then
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]
