"""Concurrent writers never fork the audit chain (PostgreSQL, separate connections)."""

import threading

import pytest
from django.db import connection, connections

from secretariat.core.audit import record_audit_event, seal_audit_chain, verify_audit_chain
from secretariat.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # needs concurrent writers
]


def test_parallel_appends_keep_one_unbroken_chain():
    writers, events_each = 8, 15
    barrier = threading.Barrier(writers)
    errors = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for index in range(events_each):
                record_audit_event(actor=None, action="test.concurrent", changes={"worker": worker, "n": index})
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == writers * events_each
    seal_audit_chain()  # an event committed just as another writer's sealer finished waits for the next seal
    result = verify_audit_chain()
    assert result.is_intact and result.events_checked == writers * events_each
    assert connection.vendor == "postgresql"
