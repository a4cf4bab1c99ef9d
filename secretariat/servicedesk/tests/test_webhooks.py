"""Webhooks: ticket events are POSTed after commit, signed with the subscriber's secret."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.services import TicketDraft, raise_ticket, resolve_ticket, subscribe_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def test_raised_and_resolved_events_are_delivered_signed(catalogue, receiver, django_capture_on_commit_callbacks):
    url, received = receiver
    manager = UserFactory(username="desk.manager")
    grant(manager, "servicedesk_manager")
    subscribe_webhook(actor=manager, url=url, events=["ticket.raised", "ticket.resolved"], secret="k")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
            requester=catalogue.requester, service=catalogue.email_service, subject="Webhook"))
        resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Done")
    assert [json.loads(body)["event"] for _headers, body in received] == ["ticket.raised", "ticket.resolved"]
    headers, body = received[1]
    assert json.loads(body)["ticket"]["reference"] == ticket.reference
    expected = "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert headers["X-Secretariat-Signature"] == expected
