"""Reports over imported tickets: SLA compliance by service, level, desk and duty station;
first-contact resolution; chargeback statements per department and month."""

import datetime
from decimal import Decimal

import pytest

from secretariat.servicedesk.selectors import chargeback_statements, sla_compliance
from secretariat.servicedesk.models import Ticket
from secretariat.servicedesk.services import ServiceNotSubscribed, TicketDraft, import_tickets
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db


def history(catalogue):
    opened = geneva_time(2026, 3, 2, 9, 0)  # Monday; priority 3 = 24 business hours
    return [
        TicketDraft(requester=catalogue.requester, service=catalogue.email_service, subject="on time", impact=2,
                    opened_at=opened, responded_at=opened + datetime.timedelta(minutes=10),
                    resolved_at=opened + datetime.timedelta(minutes=20)),
        TicketDraft(requester=catalogue.requester, service=catalogue.email_service, subject="late", impact=2,
                    opened_at=opened, responded_at=opened + datetime.timedelta(hours=3),
                    resolved_at=opened + datetime.timedelta(days=7)),
        TicketDraft(requester=catalogue.requester, service=catalogue.email_service, subject="open",
                    opened_at=geneva_time(2026, 4, 1, 9, 0)),
    ]


def test_sla_compliance_by_service(catalogue):
    assert len(import_tickets(actor=catalogue.agent, drafts=history(catalogue), now=geneva_time(2026, 4, 2, 9, 0))) == 3
    [row] = sla_compliance(tickets=Ticket.objects.all(), year=2026, group_by="service")
    assert row == {
        "group": "email", "tickets": 3, "resolved": 2, "within_target": 1, "compliance_percent": Decimal("50.0"),
        "response_percent": Decimal("50.0"), "first_contact_percent": Decimal("50.0"), "backlog": 1,
        "mean_hours_to_resolve": Decimal("84.2"),
    }
    assert [r["group"] for r in sla_compliance(tickets=Ticket.objects.all(), year=2026, group_by="duty_station")] \
        == ["GVA"]


def test_import_applies_the_same_rules_as_raising(catalogue):
    drafts = history(catalogue)
    drafts[1].service = catalogue.unsubscribed_service
    with pytest.raises(ServiceNotSubscribed):
        import_tickets(actor=catalogue.agent, drafts=drafts)
    assert not Ticket.objects.exists()


def test_monthly_chargeback_per_department(catalogue):
    import_tickets(actor=catalogue.agent, drafts=history(catalogue), now=geneva_time(2026, 4, 2, 9, 0))
    [statement] = chargeback_statements(tickets=Ticket.objects.all(), year=2026, month=3)
    assert statement["department"] == "UNOG-DCM"
    assert statement["lines"] == [{"service": "email", "tickets": 2, "unit_price": Decimal("42.5"),
                                   "currency": "USD", "amount": Decimal("85.0")}]
    assert statement["totals"] == {"USD": Decimal("85.0")}
    assert chargeback_statements(tickets=Ticket.objects.all(), year=2026, month=5) == []

