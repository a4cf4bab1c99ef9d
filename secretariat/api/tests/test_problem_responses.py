"""Errors come back as problem+json, in the user's language, and change nothing."""

from rest_framework.test import APIClient

from secretariat.core.models import AuditEvent, RoleAssignment


def test_field_errors_in_french(api, offices):
    response = api.post("/api/v1/role-assignments/", {"user": "nobody", "role": "hr_officer"}, format="json",
                        HTTP_ACCEPT_LANGUAGE="fr")
    body = response.json()
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert body["status"] == 400 and body["type"] == "urn:secretariat:problem:invalid"
    assert body["errors"]["user"] == ["L'objet avec username=nobody n'existe pas."]
    assert not RoleAssignment.objects.exists()


def test_service_validation_names_the_field(api, offices):
    response = api.post("/api/v1/role-assignments/", {"user": "root", "role": "hr_officer", "scope_kind": "entity",
                                                      "scope_id": 999999}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"scope_id": ["The scope does not exist."]}


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
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=geneva_hr_officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/people/")
    assert response.status_code == 200 and response.json()["count"] == 2


def test_openapi_schema_and_docs_are_served_locally(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/people/" in schema["paths"] and "/api/v1/delegations/check/" in schema["paths"]
    docs = api.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()
