"""Auditors search the trail, verify the chain and export; others are refused, and that is audited."""

import csv
import io

import pytest
from django.urls import reverse

from secretariat.core.audit import record_audit_event, seal_audit_chain
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory, grant


@pytest.fixture
def auditor(db):
    user = UserFactory(username="auditor")
    grant(user, "auditor")
    record_audit_event(actor=user, action="finance.journal_entry.posted", changes={"number": "JE-1"})
    record_audit_event(actor=user, action="access.role_granted", changes={"role": "auditor"})
    return user


def test_search_filters_by_action(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("web:audit_trail"), {"action": "finance."}).content.decode()
    assert "finance.journal_entry.posted" in page and "access.role_granted" not in page


def test_verify_reports_an_intact_chain_and_the_events_awaiting_sealing(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("web:audit_trail"), {"verify": "1"}).content.decode()
    # the test's transaction never commits, so its events are still unsealed
    pending = AuditEvent.objects.filter(sequence__isnull=True).count()
    assert pending >= 2
    assert "The chain is intact:" in page and f"{pending} newer events are awaiting sealing into the chain." in page
    sealed = seal_audit_chain()
    page = client.get(reverse("web:audit_trail"), {"verify": "1"}).content.decode()
    assert f"The chain is intact: {sealed} events verified." in page and "awaiting sealing" not in page


def test_export_is_a_csv_and_is_itself_audited(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("web:export_audit_trail"), {"action": "finance."})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:5] == ["sequence", "occurred_at_utc", "who", "from", "action"]
    assert [row[4] for row in rows[1:]] == ["finance.journal_entry.posted"]
    export = AuditEvent.objects.get(action="security.data_exported")
    assert export.changes["rows"] == 1 and export.changes["what"] == "audit trail"


def test_staff_without_the_role_get_a_clear_refusal_that_is_audited(client, auditor):
    staff = UserFactory(username="staff")
    client.force_login(staff)
    for url in (reverse("web:audit_trail"), reverse("web:export_audit_trail")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Your roles do not allow this here. The attempt has been recorded." in response.content.decode()
    assert AuditEvent.objects.filter(action="security.access_denied", actor=staff).count() == 2


def test_audit_api_lists_events_for_auditors_only(client, auditor):
    client.force_login(auditor)
    events = client.get("/api/v1/audit-events/", {"action__startswith": "finance."}).json()
    assert [e["action"] for e in events["results"]] == ["finance.journal_entry.posted"]
    client.force_login(UserFactory(username="staff"))
    assert client.get("/api/v1/audit-events/").json()["count"] == 0
