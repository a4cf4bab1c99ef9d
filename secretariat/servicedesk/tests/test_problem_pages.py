"""Problem pages: agents record a problem, its root cause and workaround (a known error), and link
incidents by reference; a service request or an unknown reference is refused on the form."""

import pytest

from secretariat.servicedesk.models import Problem
from secretariat.servicedesk.services import TicketDraft, raise_ticket

pytestmark = pytest.mark.django_db


def ticket(catalogue, kind):
    return raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject=f"A {kind}", kind=kind))


def test_record_diagnose_and_link_an_incident(client, catalogue):
    # given
    incident = ticket(catalogue, "incident")
    client.force_login(catalogue.agent)
    # when
    recorded = client.post("/servicedesk/problems/", {"title": "Mailbox quota errors"})
    problem = Problem.objects.get()
    diagnosed = client.post(f"/servicedesk/problems/{problem.pk}/diagnose/",
                            {"root_cause": "Quota service misconfigured", "workaround": "Archive old mail"})
    linked = client.post(f"/servicedesk/problems/{problem.pk}/link/", {"reference": incident.reference})
    # then
    assert recorded.status_code == diagnosed.status_code == linked.status_code == 302
    problem.refresh_from_db()
    assert problem.is_known_error and problem.root_cause == "Quota service misconfigured"
    assert list(problem.incidents.all()) == [incident]
    page = client.get("/servicedesk/problems/").content.decode()
    assert "Mailbox quota errors" in page and "Archive old mail" in page
    assert f'href="/servicedesk/tickets/{incident.pk}/">{incident.reference}</a>' in page


def test_a_service_request_or_an_unknown_reference_is_refused(client, catalogue):
    request = ticket(catalogue, "service_request")
    client.force_login(catalogue.agent)
    client.post("/servicedesk/problems/", {"title": "Slow mail"})
    problem = Problem.objects.get()
    refused = client.post(f"/servicedesk/problems/{problem.pk}/link/", {"reference": request.reference})
    assert refused.status_code == 400
    assert (f"Ticket {request.reference} is a service request, not an incident: only incidents are linked to "
            "problems.") in refused.content.decode()
    unknown = client.post(f"/servicedesk/problems/{problem.pk}/link/", {"reference": "SD-9999999"})
    assert unknown.status_code == 400 and "No ticket with this reference." in unknown.content.decode()
    assert not problem.incidents.exists()


def test_problems_need_the_agent_role(client, catalogue):
    client.force_login(catalogue.requester_user)
    response = client.get("/servicedesk/problems/")
    assert response.status_code == 403
    assert "You do not have permission to work on problems here." in response.content.decode()
