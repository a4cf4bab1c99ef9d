"""The agent's ticket page: merge into and link to other tickets by reference, see the links, and
the SLA state (time left, overdue, response target missed)."""

import datetime

import pytest
from django.utils import timezone

from secretariat.servicedesk.models import LinkKind, TicketLink, TicketStatus
from secretariat.servicedesk.services import CannotLinkToItself, TicketDraft, link_tickets, raise_ticket

pytestmark = pytest.mark.django_db


def raise_now(catalogue, subject, opened_at=None):
    opened_at = opened_at or timezone.now()
    return raise_ticket(actor=catalogue.requester_user, now=opened_at, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject=subject, opened_at=opened_at))


def test_an_agent_merges_a_duplicate_on_its_page(client, catalogue):
    first, duplicate = raise_now(catalogue, "Outlook crashes"), raise_now(catalogue, "Outlook crashes again")
    client.force_login(catalogue.agent)
    response = client.post(f"/servicedesk/tickets/{duplicate.pk}/merge/", {"into": first.reference})
    assert response.status_code == 302 and response["Location"] == f"/servicedesk/tickets/{first.pk}/"
    duplicate.refresh_from_db()
    assert duplicate.status == TicketStatus.MERGED and duplicate.merged_into == first


def test_an_unknown_reference_is_reported_on_the_form(client, catalogue):
    ticket = raise_now(catalogue, "Outlook crashes")
    client.force_login(catalogue.agent)
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/merge/", {"into": "SD-9999999"})
    assert response.status_code == 400 and "No ticket with this reference." in response.content.decode()


def test_an_agent_links_tickets_and_both_pages_show_it(client, catalogue):
    incident, cause = raise_now(catalogue, "Mail slow"), raise_now(catalogue, "Mail server disk full")
    client.force_login(catalogue.agent)
    response = client.post(f"/servicedesk/tickets/{incident.pk}/link/", {"related": cause.reference,
                                                                          "kind": "caused_by"})
    assert response.status_code == 302
    assert TicketLink.objects.filter(ticket=incident, related=cause, kind=LinkKind.CAUSED_BY).exists()
    assert f"Caused by: <a href=\"/servicedesk/tickets/{cause.pk}/\">{cause.reference}</a>" in \
        client.get(f"/servicedesk/tickets/{incident.pk}/").content.decode()
    assert f"Linked from: <a href=\"/servicedesk/tickets/{incident.pk}/\">{incident.reference}</a>" in \
        client.get(f"/servicedesk/tickets/{cause.pk}/").content.decode()


def test_a_ticket_is_not_linked_to_itself(catalogue):
    ticket = raise_now(catalogue, "x")
    with pytest.raises(CannotLinkToItself):
        link_tickets(actor=catalogue.agent, ticket_id=ticket.pk, related_id=ticket.pk)


def test_the_page_shows_time_left_and_overdue(client, catalogue):
    fresh = raise_now(catalogue, "fresh")
    late = raise_now(catalogue, "late", opened_at=timezone.now() - datetime.timedelta(days=30))
    client.force_login(catalogue.agent)
    fresh_page = client.get(f"/servicedesk/tickets/{fresh.pk}/").content.decode()
    late_page = client.get(f"/servicedesk/tickets/{late.pk}/").content.decode()
    assert " left" in fresh_page.split('id="resolution-due"')[1].split("</dd>")[0]
    assert "Overdue" in late_page.split('id="resolution-due"')[1].split("</dd>")[0]
    assert "Response overdue" in late_page
