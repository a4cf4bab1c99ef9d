"""Entries posted before postings carried content hashes get them once, by the operator's command."""

import json

import pytest
from django.core.management import CommandError, call_command

from secretariat.core.audit import audit_maintenance
from secretariat.core.models import AuditEvent
from secretariat.finance.services.ledger_baseline import BASELINE_ACTION
from secretariat.finance.tests.test_verify_ledger import postings  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def forget_posting_hashes() -> None:
    """As after an upgrade: the entries were posted by a version that recorded no content hash."""
    AuditEvent.objects.filter(changes__has_key="content_hashes").delete()


@pytest.fixture
def upgraded_ledger(postings):  # noqa: F811
    with audit_maintenance():
        forget_posting_hashes()
    return postings


def test_the_baseline_lets_verify_ledger_check_entries_posted_before_the_upgrade(upgraded_ledger, capsys):
    # given entries without recorded hashes: verify_ledger cannot vouch for them
    with pytest.raises(CommandError, match="no content hash was recorded"):
        call_command("verify_ledger")
    capsys.readouterr()
    # when the operator records the baseline
    call_command("record_ledger_baseline")
    # then every posted entry is covered, audited under the operator's name, and the ledger verifies
    assert "Recorded the content hashes of 3 posted entries." in capsys.readouterr().out
    event = AuditEvent.objects.get(action=BASELINE_ACTION)
    assert event.actor_label.startswith("operator:") and len(event.changes["content_hashes"]) == 3
    call_command("verify_ledger")
    assert json.loads(capsys.readouterr().out)["intact"] is True


def test_the_baseline_is_recorded_only_once(upgraded_ledger):
    call_command("record_ledger_baseline")
    with pytest.raises(CommandError, match="can be recorded only once"):
        call_command("record_ledger_baseline")
    assert AuditEvent.objects.filter(action=BASELINE_ACTION).count() == 1
