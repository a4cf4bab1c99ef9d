"""Test-harness wiring shared by every app's tests."""

from django.test import TransactionTestCase

from secretariat.core.audit import audit_maintenance

_flush_tables = TransactionTestCase._fixture_teardown


def _flush_tables_with_audit_maintenance(self):
    # Transactional tests end by emptying every table; the audit trail's append-only
    # triggers would refuse that, so the harness (and only it) lifts them for the flush.
    with audit_maintenance():
        _flush_tables(self)


TransactionTestCase._fixture_teardown = _flush_tables_with_audit_maintenance
