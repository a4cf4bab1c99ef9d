"""Time spent and tags: agents record minutes of work and label tickets on the page and in the API;
the queue filters by tag and the cost report shows the hours per service."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.servicedesk.services import TicketDraft, log_time_spent, raise_ticket, tag_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(catalogue):
    now = timezone.now()
    return raise_ticket(actor=catalogue.requester_user, now=now, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Mailbox full", opened_at=now))


def test_time_and_tags_from_the_ticket_page_feed_the_queue_and_the_report(client, catalogue, ticket):
    client.force_login(catalogue.agent)
    assert client.post(f"/servicedesk/tickets/{ticket.pk}/time/", {"minutes": 90, "note": "Archived"}).status_code == 302
    assert client.post(f"/servicedesk/tickets/{ticket.pk}/tags/", {"tags": "Outlook, quota"}).status_code == 302
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["outlook", "quota"]
    queue = client.get("/servicedesk/queue/?tag=quota").content.decode()
    assert ticket.reference in queue
    assert ticket.reference not in client.get("/servicedesk/queue/?tag=printer").content.decode()
    year = timezone.now().year
    assert "<td>1.5</td>" in client.get(f"/servicedesk/reports/?year={year}").content.decode()


def test_the_api_records_time_and_replaces_tags(catalogue, ticket):
    client = APIClient()
    client.force_authenticate(catalogue.agent)
    logged = client.post(f"/api/v1/servicedesk/tickets/{ticket.pk}/time/", {"minutes": 20}, format="json")
    assert logged.status_code == 201 and logged.json()["minutes_spent"] == 20
    tagged = client.put(f"/api/v1/servicedesk/tickets/{ticket.pk}/tags/", {"tags": ["VPN", "vpn", "remote"]},
                        format="json")
    assert tagged.status_code == 200 and tagged.json() == {"tags": ["remote", "vpn"]}


def test_time_is_recorded_by_agents_within_a_day(catalogue, ticket):
    with pytest.raises(AccessDenied):
        log_time_spent(actor=catalogue.requester_user, ticket_id=ticket.pk, minutes=5)
    with pytest.raises(InvalidInput):
        log_time_spent(actor=catalogue.agent, ticket_id=ticket.pk, minutes=2 * 24 * 60)
    with pytest.raises(InvalidInput):
        tag_ticket(actor=catalogue.agent, ticket_id=ticket.pk, tags=[f"t{n}" for n in range(11)])
