"""Macros: a canned reply in the requester's language with the ticket's details filled in, sent
from the ticket page or the API, optionally setting the status; defined by desk managers."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from secretariat.core.exceptions import AccessDenied
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.models import EntryKind, TicketStatus
from secretariat.servicedesk.services import TicketDraft, define_macro, raise_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def macro(catalogue):
    manager = UserFactory(username="manager")
    grant(manager, "servicedesk_manager")
    return define_macro(actor=manager, code="need-screenshot", name="Ask for a screenshot", set_status="awaiting_user",
                        bodies={"en": "Dear {requester}, please send a screenshot for {reference}.",
                                "es": "Estimada {requester}: envíe una captura de pantalla para {reference} ({x})."})


@pytest.fixture
def ticket(catalogue):
    now = timezone.now()
    return raise_ticket(actor=catalogue.requester_user, now=now, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Pantalla negra", opened_at=now))


def test_a_macro_answers_in_the_requesters_language_from_the_ticket_page(client, catalogue, macro, ticket):
    client.force_login(catalogue.agent)
    assert f'action="/servicedesk/tickets/{ticket.pk}/macro/"' in client.get(
        f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/macro/", {"macro": "need-screenshot"})
    assert response.status_code == 302
    reply = ticket.entries.filter(kind=EntryKind.PUBLIC_REPLY).get()
    assert reply.body == (f"Estimada {catalogue.requester.full_name}: envíe una captura de pantalla para "
                          f"{ticket.reference} ({{x}}).")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.AWAITING_USER and ticket.responded_at is not None


def test_the_api_applies_a_macro_and_falls_back_to_english(catalogue, macro, ticket):
    ticket.language = "fr"
    ticket.save(update_fields=["language"])
    client = APIClient()
    client.force_authenticate(catalogue.agent)
    response = client.post(f"/api/v1/servicedesk/tickets/{ticket.pk}/macro/", {"macro": "need-screenshot"},
                           format="json")
    assert response.status_code == 200 and response.json()["status"] == "awaiting_user"
    assert ticket.entries.get(kind=EntryKind.PUBLIC_REPLY).body.startswith(
        f"Dear {catalogue.requester.full_name}, please send")


def test_only_managers_define_macros(catalogue):
    with pytest.raises(AccessDenied):
        define_macro(actor=catalogue.agent, code="x", name="x", bodies={"en": "x"})
