"""A global auditor reads everything and writes nothing: the auditor's role holds every "view_…"
permission of every app within its grant's scope, and no other."""

import pytest

from secretariat.core.access import has_permission, permission_checker, scoped
from secretariat.core.models import Person
from secretariat.core.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

READS = ["finance.view_ledger", "finance.view_journalentry", "servicedesk.view_ticket", "budget.view_allotment",
         "content.view_document", "continuity.view_businessimpactanalysis"]
WRITES = ["finance.add_journalentry", "finance.post_journalentry", "servicedesk.change_ticket",
          "core.add_roleassignment", "content.manage_records"]


def test_a_global_auditor_holds_every_read_and_no_write():
    auditor = UserFactory()
    grant(auditor, "auditor")
    holds = permission_checker(actor=auditor)
    for permission in READS:
        assert has_permission(actor=auditor, permission=permission), permission
        assert holds(permission), permission
    for permission in WRITES:
        assert not has_permission(actor=auditor, permission=permission), permission
        assert not holds(permission), permission


def test_an_auditor_of_one_office_reads_only_there(offices):
    auditor = UserFactory()
    grant(auditor, "auditor", offices.geneva)
    people = scoped(Person.objects.all(), actor=auditor, permission="core.view_person")
    assert set(people) == {offices.geneva_person, offices.geneva_section_person}
    assert has_permission(actor=auditor, permission="finance.view_ledger")
    assert not has_permission(actor=auditor, permission="finance.view_ledger", target=offices.nairobi_hr)


def test_other_roles_do_not_read_beyond_their_permissions():
    reader = UserFactory()
    grant(reader, "staff_directory")
    assert has_permission(actor=reader, permission="core.view_person")
    assert not has_permission(actor=reader, permission="finance.view_ledger")
    assert not permission_checker(actor=reader)("finance.view_ledger")
