"""The demo loader is a client of the services like any other: desks, configuration items and the
catalogue it creates are audited, and the tickets it imports follow the services' rules."""

import pytest

from secretariat.core.audit import AuditEvent
from secretariat.core.demo import load_demo
from secretariat.servicedesk.demo import load_servicedesk_demo
from secretariat.servicedesk.models import ArticleVersion, Desk, Service, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_goes_through_the_services_and_is_audited():
    load_demo(staff_count=20)
    assert load_servicedesk_demo(tickets=20) is True
    audited = set(AuditEvent.objects.filter(action__startswith="servicedesk.").values_list("action", flat=True))
    assert {"servicedesk.service.published", "servicedesk.service_level.defined", "servicedesk.desk.opened",
            "servicedesk.desk.staffed", "servicedesk.configuration_item.recorded",
            "servicedesk.escalation_rule.defined", "servicedesk.subscription.changed",
            "servicedesk.annual_survey.recorded", "servicedesk.ticket.imported"} <= audited
    assert Desk.objects.count() == 5 and all(desk.agents.exists() for desk in Desk.objects.all())
    assert Service.objects.get(code="moves").requires_approval
    assert Ticket.objects.count() == 20
    assert ArticleVersion.objects.filter(article__code="vpn-connect", is_current=True).count() == 4
    assert load_servicedesk_demo(tickets=20) is False
