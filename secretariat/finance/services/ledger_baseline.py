"""Recording, once, the content hashes of entries posted before postings carried them (ADR 0006).

Entries posted before the upgrade have no content hash in the audit trail, so ``verify_ledger``
could not tell them from entries slipped in by a database superuser. Right after the upgrade
(and before anyone could have tampered unseen), the operator records their hashes as they stand.
It is a one-time act: once a baseline exists, a second one is refused, so a later run cannot
launder rows inserted behind the application's back.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError
from secretariat.core.models import AuditEvent
from secretariat.finance.entry_hashes import posted_content_hashes
from secretariat.finance.models import LEDGER_STATUSES, JournalEntry

BASELINE_ACTION = "finance.ledger_baseline_recorded"
BATCH = 1000


class BaselineAlreadyRecorded(DomainError):
    message = _("The ledger's baseline was already recorded on %(recorded_at)s; it can be recorded only once.")
    code = "baseline_already_recorded"


@transaction.atomic
def record_ledger_baseline(*, operator: str) -> int:
    """Record the content hash of every posted entry that has none; returns how many.

    ``operator`` names who ran it (the command passes the operating-system user): it runs from the
    command line, outside any signed-in session.
    """
    earlier = AuditEvent.objects.filter(action=BASELINE_ACTION).order_by("pk").first()
    if earlier is not None:
        raise BaselineAlreadyRecorded(recorded_at=earlier.occurred_at.isoformat(timespec="seconds"))
    hashed = set()
    for event in AuditEvent.objects.filter(changes__has_key="content_hashes").only("changes"):
        hashed.update(event.changes["content_hashes"])
    unhashed = [pk for pk, number in JournalEntry.objects.filter(status__in=LEDGER_STATUSES).order_by("pk")
                .values_list("pk", "number") if number not in hashed]
    for start in range(0, len(unhashed), BATCH):
        record_audit_event(actor=None, actor_label=operator, action=BASELINE_ACTION,
                           changes={"content_hashes": posted_content_hashes(unhashed[start:start + BATCH])})
    if not unhashed:
        record_audit_event(actor=None, actor_label=operator, action=BASELINE_ACTION, changes={"entries": 0})
    return len(unhashed)
