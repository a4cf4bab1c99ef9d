"""The REST API: raise a ticket, work it as an agent, answer the survey, reports; access in scope."""

import pytest
from rest_framework.test import APIClient

from secretariat.core.audit import AuditEvent
from secretariat.core.tests.factories import UserFactory
from secretariat.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_raise_work_resolve_and_survey_through_the_api(catalogue):
    requester, agent = client_for(catalogue.requester_user), client_for(catalogue.agent)
    # when the requester raises a ticket
    created = requester.post("/api/v1/servicedesk/tickets/", {
        "service": "email", "subject": "Cannot send mail", "impact": 2, "urgency": 1}, format="json",
        HTTP_IDEMPOTENCY_KEY="raise-1")
    assert created.status_code == 201, created.content
    ticket = created.json()
    assert (ticket["priority"], ticket["status"], ticket["service"], ticket["level"]) == (2, "new", "email", "silver")
    replay = requester.post("/api/v1/servicedesk/tickets/", {
        "service": "email", "subject": "Cannot send mail", "impact": 2, "urgency": 1}, format="json",
        HTTP_IDEMPOTENCY_KEY="raise-1")
    assert replay.json()["id"] == ticket["id"] and replay["Idempotent-Replayed"] == "true"
    # the agent sees it, notes internally and resolves
    assert [t["reference"] for t in agent.get("/api/v1/servicedesk/tickets/").json()["results"]] == [
        ticket["reference"]]
    assert agent.post(f"/api/v1/servicedesk/tickets/{ticket['id']}/reply/", {
        "body": "Check the relay", "is_public": False}, format="json").status_code == 200
    resolved = agent.post(f"/api/v1/servicedesk/tickets/{ticket['id']}/resolve/", {"resolution": "Relay fixed"},
                          format="json")
    assert resolved.json()["status"] == "resolved"
    # the requester does not see the internal note, and answers the survey
    bodies = [e["body"] for e in requester.get(f"/api/v1/servicedesk/tickets/{ticket['id']}/entries/").json()]
    assert "Check the relay" not in bodies and "Relay fixed" in bodies
    survey = requester.post(f"/api/v1/servicedesk/tickets/{ticket['id']}/survey/", {"rating": 5}, format="json")
    assert survey.status_code == 201
    # and the report counts it
    [row] = agent.get("/api/v1/servicedesk/reports/sla/", {"year": resolved.json()["opened_at"][:4]}).json()
    assert (row["group"], row["tickets"], row["resolved"]) == ("email", 1, 1)


def test_an_unsubscribed_service_is_a_problem_response(catalogue):
    response = client_for(catalogue.requester_user).post(
        "/api/v1/servicedesk/tickets/", {"service": "video", "subject": "Camera"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "Conference Management does not subscribe to the service “Video conferencing”."


def test_a_stranger_cannot_see_or_resolve_a_ticket(catalogue):
    created = client_for(catalogue.requester_user).post(
        "/api/v1/servicedesk/tickets/", {"service": "email", "subject": "Secret"}, format="json").json()
    stranger = client_for(UserFactory(username="stranger"))
    assert stranger.get(f"/api/v1/servicedesk/tickets/{created['id']}/").status_code == 404
    assert stranger.post(f"/api/v1/servicedesk/tickets/{created['id']}/resolve/", {"resolution": "x"},
                         format="json").status_code == 404
    assert stranger.get("/api/v1/servicedesk/tickets/").json()["results"] == []


def test_the_catalogue_lists_levels_and_targets(catalogue):
    services = client_for(catalogue.requester_user).get("/api/v1/servicedesk/services/").json()["results"]
    email = next(s for s in services if s["code"] == "email")
    gold = next(level for level in email["levels"] if level["code"] == "gold")
    assert gold["cover"] == "round_the_clock"
    assert gold["targets"][0] == {"priority": 1, "response_minutes": 15, "resolution_minutes": 120}


def test_a_service_owner_publishes_through_the_api(catalogue):
    from secretariat.core.tests.factories import grant

    owner = UserFactory(username="service.owner")
    grant(owner, "service_owner")
    response = client_for(owner).post("/api/v1/servicedesk/services/", {
        "code": "printing", "kind": "facilities", "names": {"en": "Printing", "es": "Impresión"},
        "unit_price": "12.50"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name_translations"] == {"en": "Printing", "es": "Impresión"}
    refused = client_for(catalogue.requester_user).post("/api/v1/servicedesk/services/", {
        "code": "x", "kind": "ict", "names": {"en": "X"}, "unit_price": "1"}, format="json")
    assert refused.status_code == 403


def test_a_ticket_raised_through_the_api_is_recorded_as_an_api_ticket(catalogue):
    created = client_for(catalogue.requester_user).post(
        "/api/v1/servicedesk/tickets/", {"service": "email", "subject": "Cannot send mail"}, format="json").json()
    assert Ticket.objects.get(pk=created["id"]).channel == "api"
    assert AuditEvent.objects.get(action="servicedesk.ticket.raised").changes["channel"] == "api"
