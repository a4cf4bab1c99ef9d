"""Problem management through the API: agents record a problem, its diagnosis (root cause and
workaround make a known error) and link incidents by reference; refusals are problem+json."""

import pytest
from rest_framework.test import APIClient

from secretariat.core.audit import AuditEvent
from secretariat.servicedesk.models import Problem
from secretariat.servicedesk.services import TicketDraft, raise_ticket

pytestmark = pytest.mark.django_db
PROBLEMS = "/api/v1/servicedesk/problems/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ticket(catalogue, kind, subject="Outlook crashes"):
    return raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject=subject, kind=kind))


def test_record_diagnose_and_link_incidents(catalogue):
    # given two incidents and an agent
    first, second = ticket(catalogue, "incident"), ticket(catalogue, "incident", "Outlook crashes again")
    agent = client_for(catalogue.agent)
    # when the agent records a problem, its diagnosis and links both incidents
    created = agent.post(PROBLEMS, {"title": "Outlook add-in crash"}, format="json")
    problem_id = created.json()["id"]
    diagnosed = agent.post(f"{PROBLEMS}{problem_id}/diagnosis/", {
        "root_cause": "Add-in 4.2 leaks handles", "workaround": "Disable the add-in"}, format="json")
    linked = agent.post(f"{PROBLEMS}{problem_id}/incidents/", {
        "incidents": [first.reference, str(second.pk)]}, format="json")
    # then
    assert created.status_code == 201 and created.json()["is_known_error"] is False
    assert diagnosed.status_code == 200 and diagnosed.json()["is_known_error"] is True
    assert linked.status_code == 200
    assert sorted(linked.json()["incidents"]) == [first.reference, second.reference]
    shown = agent.get(f"{PROBLEMS}{problem_id}/").json()
    assert (shown["root_cause"], shown["workaround"]) == ("Add-in 4.2 leaks handles", "Disable the add-in")
    assert AuditEvent.objects.filter(action="servicedesk.problem.diagnosed").count() == 1
    assert [p["title"] for p in agent.get(PROBLEMS).json()["results"]] == ["Outlook add-in crash"]


def test_a_root_cause_without_workaround_is_not_a_known_error(catalogue):
    agent = client_for(catalogue.agent)
    problem_id = agent.post(PROBLEMS, {"title": "Slow mail"}, format="json").json()["id"]
    response = agent.post(f"{PROBLEMS}{problem_id}/diagnosis/", {"root_cause": "Disk full", "workaround": ""},
                          format="json")
    assert response.status_code == 200 and response.json()["is_known_error"] is False


def test_a_service_request_or_an_unknown_reference_is_refused(catalogue):
    # given
    incident, request = ticket(catalogue, "incident"), ticket(catalogue, "service_request", "New mailbox")
    agent = client_for(catalogue.agent)
    problem_id = agent.post(PROBLEMS, {"title": "Slow mail"}, format="json").json()["id"]
    # when
    service_request = agent.post(f"{PROBLEMS}{problem_id}/incidents/", {
        "incidents": [incident.reference, request.reference]}, format="json")
    unknown = agent.post(f"{PROBLEMS}{problem_id}/incidents/", {"incidents": ["SD-9999999"]}, format="json")
    # then
    assert service_request.status_code == 409
    assert service_request["Content-Type"] == "application/problem+json"
    assert service_request.json()["detail"] == (
        f"Ticket {request.reference} is a service request, not an incident: only incidents are linked to problems.")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [
        {"pointer": "/incidents", "detail": "No ticket with the reference SD-9999999.", "code": "invalid"}]
    assert not Problem.objects.get().incidents.exists()


def test_linking_with_an_idempotency_key_replays_the_answer(catalogue):
    incident = ticket(catalogue, "incident")
    agent = client_for(catalogue.agent)
    problem_id = agent.post(PROBLEMS, {"title": "Slow mail"}, format="json").json()["id"]
    body = {"incidents": [incident.reference]}
    first = agent.post(f"{PROBLEMS}{problem_id}/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY="link-1")
    again = agent.post(f"{PROBLEMS}{problem_id}/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY="link-1")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert AuditEvent.objects.filter(action="servicedesk.problem.incidents_linked").count() == 1


def test_problems_need_the_agent_role(catalogue):
    problem_id = client_for(catalogue.agent).post(PROBLEMS, {"title": "Slow mail"}, format="json").json()["id"]
    requester = client_for(catalogue.requester_user)
    listed = requester.get(PROBLEMS)
    diagnosed = requester.post(f"{PROBLEMS}{problem_id}/diagnosis/", {"root_cause": "x", "workaround": "y"},
                               format="json")
    assert listed.status_code == diagnosed.status_code == 403
    assert diagnosed.json()["detail"] == "You do not have permission to work on problems here."
    assert client_for(catalogue.agent).post(f"{PROBLEMS}9999/diagnosis/", {
        "root_cause": "x", "workaround": "y"}, format="json").status_code == 404
    assert Problem.objects.get().root_cause == ""
