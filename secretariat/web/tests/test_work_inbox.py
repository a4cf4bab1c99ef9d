"""The work inbox: an entry submitted by a finance officer is found, in turn, by the certifier, the
approver and the chief accountant on their home pages, with a count in the menu and a link to it."""

import re

import pytest
from django.test import Client

from secretariat.core.tests.factories import UserFactory, delegation, grant
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import build_ledger, officers_for, simple_entry

pytestmark = pytest.mark.django_db


def home_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def menu_count(page: str) -> int:
    return int(re.search(r'href="/inbox/"[^>]*>[^<]*<span class="badge[^"]*">(\d+)', page).group(1))


def test_a_submitted_entry_travels_from_inbox_to_inbox():
    ledger = build_ledger()
    officers = officers_for(ledger.regular_budget)
    entry = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general,
                                         entry=simple_entry(ledger, description="Printer toner"))
    link = f'href="/finance/entries/{entry.pk}/"'

    preparer_home = home_of(officers.preparer)
    assert "Draft journal entries to submit" in preparer_home and link in preparer_home
    assert menu_count(preparer_home) == 1

    journal.submit_journal_entry(actor=officers.preparer, entry_id=entry.pk)
    assert menu_count(home_of(officers.preparer)) == 0
    certifier_home = home_of(officers.certifier)
    assert "Journal entries to certify" in certifier_home and link in certifier_home
    assert menu_count(certifier_home) == 1
    assert link not in home_of(officers.approver)

    journal.certify_journal_entry(actor=officers.certifier, entry_id=entry.pk)
    assert link not in home_of(officers.certifier)
    approver_home = home_of(officers.approver)
    assert "Journal entries to approve" in approver_home and link in approver_home

    journal.approve_journal_entry(actor=officers.approver, entry_id=entry.pk)
    poster_home = home_of(officers.poster)
    assert "Journal entries to post" in poster_home and link in poster_home

    journal.post_journal_entry(actor=officers.poster, entry_id=entry.pk)
    for officer in (officers.preparer, officers.certifier, officers.approver, officers.poster):
        assert link not in home_of(officer)


def test_the_preparer_does_not_find_their_own_entry_to_certify():
    """Segregation of duties would refuse it, so the inbox does not offer it."""
    ledger = build_ledger()
    officers = officers_for(ledger.regular_budget)
    grant(officers.preparer, "finance_certifier", ledger.regular_budget)
    delegation(officers.preparer, "certifying_officer", ledger.regular_budget, limit="1000000.00")
    own = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))
    journal.submit_journal_entry(actor=officers.preparer, entry_id=own.pk)
    assert f'href="/finance/entries/{own.pk}/"' not in home_of(officers.preparer)
    assert f'href="/finance/entries/{own.pk}/"' in home_of(officers.certifier)


def test_the_inbox_page_lists_the_same_work():
    ledger = build_ledger()
    officers = officers_for(ledger.regular_budget)
    entry = journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))
    journal.submit_journal_entry(actor=officers.preparer, entry_id=entry.pk)
    client = Client()
    client.force_login(officers.certifier)
    page = client.get("/inbox/").content.decode()
    assert "Journal entries to certify" in page and f'href="/finance/entries/{entry.pk}/"' in page
    client.force_login(officers.poster)
    assert "Nothing is waiting for you." in client.get("/inbox/").content.decode()


def test_the_home_page_charts_the_entries_with_their_table_for_who_may_read_them():
    ledger = build_ledger()
    officers = officers_for(ledger.regular_budget)
    journal.create_journal_entry(actor=officers.preparer, journal=ledger.general, entry=simple_entry(ledger))
    page = home_of(officers.certifier)
    figure = page[page.index('data-chart="chart-data-entries"'):]
    figure = figure[:figure.index("</figure>")]
    assert '<canvas role="img"' in figure and '"values": [1, 0, 0, 0, 0, 0]' in figure
    assert '<th scope="row">Draft</th><td class="text-end">1</td>' in figure
    assert "/static/vendor/chart.js/chart.umd.min.js" in page
    assert "chart-data-entries" not in home_of(UserFactory(username="nobody"))
