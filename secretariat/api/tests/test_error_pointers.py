"""Field errors are a list of JSON pointers into the request body, each with its own message."""

import pytest
from rest_framework.test import APIClient

from secretariat.budget.tests.conftest import office  # noqa: F401


@pytest.fixture
def admin_client(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    return client


def test_an_error_in_a_nested_row_points_at_its_field(admin_client, office):  # noqa: F811
    line = {"component": "subprogramme 1", "object_of_expenditure": "gold", "funding_source": "regular_budget"}
    # when
    response = admin_client.post(f"/api/v1/budget/sections/{office.section.pk}/resources/",
                                 {"lines": [line, {**line, "object_of_expenditure": "travel_of_staff"}]},
                                 format="json")
    # then
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"pointer": "/lines/0/object_of_expenditure", "detail": '"gold" is not a valid choice.',
         "code": "invalid_choice"},
    ]


def test_an_error_in_a_list_item_points_at_its_index(admin_client, offices):
    response = admin_client.post("/api/v1/content/legal-holds/",
                                 {"name": "Audit 2026", "reason": "OIOS request", "document_ids": [1, "three"]},
                                 format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "/document_ids/1", "detail": "Un nombre entier valide est requis.", "code": "invalid"},
    ]


def test_a_json_pointer_escapes_slash_and_tilde(admin_client, office):  # noqa: F811
    response = admin_client.post(f"/api/v1/budget/sections/{office.section.pk}/resources/",
                                 {"lines": [], "stated_post_totals": {"a/b~c": {"P-4": "many"}}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "/stated_post_totals/a~1b~0c/P-4", "detail": "A valid integer is required.", "code": "invalid"},
    ]
