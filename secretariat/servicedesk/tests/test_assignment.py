"""Assignment where agents and the scheduler reach it: take and assign on the ticket page and in
the API (only to someone who can work the ticket), and the follow-the-sun hand-over from a
management command and a scheduled task."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from secretariat.core.audit import AuditEvent
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.services import AssigneeNotAnAgent, TicketDraft, assign_ticket, raise_ticket
from secretariat.servicedesk.tasks import hand_over_shifts

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
GENEVA_NOON = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GENEVA_CLOSED_NEW_YORK_OPEN = datetime.datetime(2026, 11, 24, 16, 45, tzinfo=UTC)


@pytest.fixture
def ticket(catalogue):
    return raise_ticket(actor=catalogue.requester_user, now=GENEVA_NOON, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Printer", opened_at=GENEVA_NOON,
        language="en"))


@pytest.fixture
def colleague(catalogue):
    user = UserFactory(username="amira")
    grant(user, "servicedesk_agent")
    catalogue.geneva_desk.agents.add(user)
    return user


def test_an_agent_takes_a_ticket_on_its_page(client, catalogue, ticket):
    client.force_login(catalogue.agent)
    page = client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    assert f'action="/servicedesk/tickets/{ticket.pk}/take/"' in page
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/take/")
    assert response.status_code == 302
    page = client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    assert '<dd class="col-sm-9" id="ticket-assignee">ivan</dd>' in page
    assert f'action="/servicedesk/tickets/{ticket.pk}/take/"' not in page


def test_an_agent_assigns_a_ticket_to_a_colleague_on_its_page(client, catalogue, ticket, colleague):
    client.force_login(catalogue.agent)
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/assign/", {"desk": "gva", "assignee": "amira"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.desk, ticket.assignee) == (catalogue.geneva_desk, colleague)
    assert AuditEvent.objects.filter(action="servicedesk.ticket.assigned", changes__assignee=colleague.pk).exists()


def test_a_ticket_is_not_assigned_to_someone_who_cannot_work_on_it(client, catalogue, ticket):
    # given a desk member who holds no agent role
    outsider = UserFactory(username="visitor")
    catalogue.geneva_desk.agents.add(outsider)
    # then the service refuses, and the page says why
    with pytest.raises(AssigneeNotAnAgent):
        assign_ticket(actor=catalogue.agent, ticket_id=ticket.pk, assignee=outsider)
    client.force_login(catalogue.agent)
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/assign/", {"assignee": "visitor"})
    assert response.status_code == 400
    assert f"visitor cannot work on ticket {ticket.reference}, so it cannot be assigned to them." in \
        response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_the_api_assigns_and_takes(catalogue, ticket, colleague):
    agent = APIClient()
    agent.force_authenticate(catalogue.agent)
    assigned = agent.post(f"/api/v1/servicedesk/tickets/{ticket.pk}/assign/", {"assignee": "amira", "desk": "ny"},
                          format="json")
    assert assigned.status_code == 200, assigned.content
    assert (assigned.json()["assignee"], assigned.json()["desk"]) == (colleague.pk, "ny")
    taken = agent.post(f"/api/v1/servicedesk/tickets/{ticket.pk}/take/")
    assert taken.status_code == 200 and taken.json()["assignee"] == catalogue.agent.pk
    requester = APIClient()
    requester.force_authenticate(catalogue.requester_user)
    refused = requester.post(f"/api/v1/servicedesk/tickets/{ticket.pk}/take/")
    assert refused.status_code == 403


def test_the_hand_over_command_moves_a_closed_desks_tickets(catalogue, ticket, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: GENEVA_CLOSED_NEW_YORK_OPEN)
    out = StringIO()
    call_command("hand_over_shift", "--desk", "gva", stdout=out)
    ticket.refresh_from_db()
    assert ticket.desk == catalogue.new_york_desk and out.getvalue() == "gva: 1 handed over\n"
    assert AuditEvent.objects.filter(action="servicedesk.desk.handed_over",
                                     actor_label="servicedesk.hand_over").exists()


def test_the_scheduled_hand_over_moves_tickets_only_from_closed_desks(catalogue, ticket, monkeypatch):
    # at noon Geneva is open: nothing moves
    monkeypatch.setattr("django.utils.timezone.now", lambda: GENEVA_NOON)
    assert hand_over_shifts.delay().get() == {}
    # after Geneva closes, New York takes the waiting ticket
    monkeypatch.setattr("django.utils.timezone.now", lambda: GENEVA_CLOSED_NEW_YORK_OPEN)
    assert hand_over_shifts.delay().get() == {"gva": 1}
    ticket.refresh_from_db()
    assert ticket.desk == catalogue.new_york_desk


def raise_in_geneva(catalogue, subject):
    return raise_ticket(actor=catalogue.requester_user, now=GENEVA_NOON, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject=subject, opened_at=GENEVA_NOON,
        language="en"))


def test_a_desk_assigning_automatically_takes_turns_among_its_least_loaded_agents(catalogue, colleague):
    # given the Geneva desk assigning automatically, with ivan and amira, and ivan already busy
    catalogue.geneva_desk.auto_assign = True
    catalogue.geneva_desk.save()
    busy = raise_in_geneva(catalogue, "busy")
    assert busy.assignee is not None  # the first ticket goes to someone
    # when three more tickets come in
    owners = [raise_in_geneva(catalogue, f"t{n}").assignee.get_username() for n in range(3)]
    # then the other agent catches up first, then they take turns
    first = busy.assignee.get_username()
    other = ({"ivan", "amira"} - {first}).pop()
    assert owners == [other, first, other]
    assert AuditEvent.objects.filter(action="servicedesk.ticket.assigned", actor_label="servicedesk.auto_assign",
                                     changes__rule="round_robin").count() == 4


def test_a_desk_member_who_cannot_work_the_ticket_gets_none(catalogue):
    catalogue.geneva_desk.auto_assign = True
    catalogue.geneva_desk.save()
    catalogue.geneva_desk.agents.set([UserFactory(username="visitor")])
    assert raise_in_geneva(catalogue, "x").assignee is None


def test_the_queue_shows_each_agents_workload(client, catalogue, ticket, colleague):
    assign_ticket(actor=catalogue.agent, ticket_id=ticket.pk, assignee=colleague)
    client.force_login(catalogue.agent)
    page = client.get("/servicedesk/queue/").content.decode()
    assert "Workload per agent" in page
    assert '<tr><th scope="row">amira</th><td class="text-end">1</td></tr>' in page
    assert '<tr><th scope="row">ivan</th><td class="text-end">0</td></tr>' in page
