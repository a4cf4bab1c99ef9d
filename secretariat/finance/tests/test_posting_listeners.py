"""Posting listeners: apps above the ledger hear of every posting inside its transaction, and a
listener's refusal refuses the posting (ADR 0053)."""

import datetime

import pytest

from secretariat.core.exceptions import DomainError
from secretariat.finance.hooks import register_posting_listener, unregister_posting_listener
from secretariat.finance.models import EntryStatus, JournalEntry
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import simple_entry

pytestmark = pytest.mark.django_db


class Refused(DomainError):
    message = "Refused by a listener."


@pytest.fixture
def heard():
    calls = []

    def listener(*, entries, actor):
        # Inside the posting transaction: the entries are already posted in the database.
        calls.append(([(e.number, JournalEntry.objects.get(pk=e.pk).status, e.reverses_id) for e in entries], actor))

    register_posting_listener(listener)
    yield calls
    unregister_posting_listener(listener)


def test_listeners_hear_of_manual_batch_and_reversing_postings(ledger, officers, heard):
    # given
    draft = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))
    journal.submit_journal_entry(actor=officers.preparer, entry_id=draft.pk)
    journal.certify_journal_entry(actor=officers.certifier, entry_id=draft.pk)
    journal.approve_journal_entry(actor=officers.approver, entry_id=draft.pk)
    # when
    posted = journal.post_journal_entry(actor=officers.poster, entry_id=draft.pk)
    batch = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                         entries=[simple_entry(ledger, "5.00"), simple_entry(ledger, "6.00")])
    reversal = journal.reverse_journal_entry(actor=officers.poster, entry_id=posted.pk,
                                             reversal_on=datetime.date(2026, 3, 20), reason="Duplicate")
    # then
    assert heard == [
        ([(posted.number, EntryStatus.POSTED, None)], officers.poster),
        ([(batch[0].number, EntryStatus.POSTED, None), (batch[1].number, EntryStatus.POSTED, None)], ledger.admin),
        ([(reversal.number, EntryStatus.POSTED, posted.pk)], officers.poster),
    ]


def test_a_listener_refusal_refuses_the_posting(ledger, officers):
    # given
    def refuse(*, entries, actor):
        raise Refused()

    register_posting_listener(refuse)
    try:
        # when
        with pytest.raises(Refused):
            journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[simple_entry(ledger)])
    finally:
        unregister_posting_listener(refuse)
    # then
    assert not JournalEntry.objects.exists()
