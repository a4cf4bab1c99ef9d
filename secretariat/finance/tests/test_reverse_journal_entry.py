"""Correction by reversal: the mirror entry is posted, the original is marked reversed."""

import datetime
from decimal import Decimal

import pytest

from secretariat.finance import selectors
from secretariat.finance.models import EntryStatus
from secretariat.finance.services import journal
from secretariat.finance.services.errors import EntryNotInStatus
from secretariat.finance.tests.factories import simple_entry

pytestmark = pytest.mark.django_db


def test_a_reversal_cancels_the_entry_in_the_ledger(ledger):
    # given
    [original] = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                              entries=[simple_entry(ledger, "75.00")])
    # when
    reversal = journal.reverse_journal_entry(actor=ledger.admin, entry_id=original.pk,
                                             reversal_on=datetime.date(2026, 4, 1), reason="Wrong account")
    # then
    original.refresh_from_db()
    assert original.status == EntryStatus.REVERSED
    assert (reversal.number, reversal.reverses) == ("GJ-2026-000002", original)
    assert reversal.description == "Reversal of GJ-2026-000001: Wrong account"
    assert selectors.posted_amount(account_codes=["5310"]) == Decimal("0.00")
    assert selectors.posted_amount(account_codes=["5310"], ends_on=datetime.date(2026, 3, 31)) == Decimal("75.00")


def test_a_reversed_entry_cannot_be_reversed_again(ledger):
    [original] = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                              entries=[simple_entry(ledger)])
    journal.reverse_journal_entry(actor=ledger.admin, entry_id=original.pk, reversal_on=datetime.date(2026, 3, 20),
                                  reason="Duplicate")
    with pytest.raises(EntryNotInStatus):
        journal.reverse_journal_entry(actor=ledger.admin, entry_id=original.pk,
                                      reversal_on=datetime.date(2026, 3, 20), reason="Again")
