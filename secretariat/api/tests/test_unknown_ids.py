"""Malformed and unknown ids answer 404 problem+json, never a server error."""

import pytest
from rest_framework.test import APIClient

NOT_FOUND = {"type": "urn:secretariat:problem:not_found", "title": "Not found.", "status": 404,
             "detail": "Not found."}


@pytest.fixture
def admin_client(superuser):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(superuser)
    return client


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/servicedesk/tickets/{id}/"),
    ("get", "/api/v1/servicedesk/tickets/{id}/entries/"),
    ("get", "/api/v1/servicedesk/tickets/{id}/attachments/"),
    ("post", "/api/v1/servicedesk/tickets/{id}/approve/"),
    ("post", "/api/v1/servicedesk/changes/{id}/approve/"),
    ("post", "/api/v1/servicedesk/changes/{id}/implement/"),
    ("get", "/api/v1/content/versions/{id}/"),
    ("get", "/api/v1/content/versions/{id}/download/"),
    ("post", "/api/v1/content/legal-holds/{id}/release/"),
    ("post", "/api/v1/content/disposition-runs/{id}/approve/"),
    ("post", "/api/v1/content/disposition-runs/{id}/execute/"),
    ("get", "/api/v1/people/{id}/"),
])
@pytest.mark.parametrize("bad_id", ["abc", "-51", "0", "99999999999999999999", "999999"])
def test_a_bad_or_unknown_id_is_not_found(admin_client, method, path, bad_id):
    # when
    response = getattr(admin_client, method)(path.format(id=bad_id), {}, format="json")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == NOT_FOUND


def test_a_path_no_route_matches_is_a_problem_too(admin_client):
    response = admin_client.get("/api/v1/finance/statements/0/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert response.json() == NOT_FOUND


def test_not_found_speaks_the_users_language(admin_client):
    response = admin_client.get("/api/v1/servicedesk/tickets/abc/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["detail"] == "Non trouvé."
