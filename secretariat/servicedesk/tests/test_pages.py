"""The HTML pages: portal, raising a request with its form fields, the agent's actions, reports."""

import pytest

from secretariat.core.tests.factories import UserFactory
from secretariat.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def test_raise_from_the_portal_and_see_it_listed(client, catalogue):
    client.force_login(catalogue.requester_user)
    portal = client.get("/servicedesk/")
    assert "E-mail and calendar" in portal.content.decode()
    response = client.post("/servicedesk/new/", {"service": catalogue.email_service.pk, "kind": "incident",
                                                 "subject": "Sin correo", "description": "", "impact": 3,
                                                 "urgency": 2})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/servicedesk/tickets/{ticket.pk}/"
    assert ticket.reference in client.get("/servicedesk/").content.decode()


def test_a_refusal_is_shown_on_the_form(client, catalogue):
    catalogue.email_service.request_fields = [{"name": "mailbox", "label": "Mailbox", "required": True}]
    catalogue.email_service.save()
    client.force_login(catalogue.requester_user)
    response = client.post("/servicedesk/new/?service=email", {
        "service": catalogue.email_service.pk, "service_code": "email", "kind": "service_request",
        "subject": "Shared mailbox", "impact": 3, "urgency": 2})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_agent_resolves_and_the_requester_answers_the_survey(client, catalogue):
    client.force_login(catalogue.requester_user)
    client.post("/servicedesk/new/", {"service": catalogue.email_service.pk, "kind": "incident",
                                      "subject": "Sin correo", "impact": 3, "urgency": 2})
    ticket = Ticket.objects.get()
    assert client.post(f"/servicedesk/tickets/{ticket.pk}/resolve/", {"resolution": "x"}).status_code == 403
    client.force_login(catalogue.agent)
    assert ticket.reference in client.get("/servicedesk/queue/").content.decode()
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/resolve/", {"resolution": "Buzón ampliado"})
    assert response.status_code == 302
    client.force_login(catalogue.requester_user)
    page = client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    assert "Satisfaction survey" in page and "Buzón ampliado" in page
    client.post(f"/servicedesk/tickets/{ticket.pk}/survey/", {"rating": 5, "comment": ""})
    ticket.refresh_from_db()
    assert ticket.satisfaction.rating == 5


def test_reports_and_chargeback_need_the_agent_role(client, catalogue):
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/servicedesk/reports/").status_code == 403
    client.force_login(catalogue.agent)
    assert "SLA compliance" in client.get("/servicedesk/reports/").content.decode()
    csv = client.get("/servicedesk/reports/chargeback.csv?year=2026&month=1")
    assert csv.content.decode().splitlines() == ["department,service,tickets,unit_price,currency,amount"]
