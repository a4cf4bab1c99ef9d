"""XML bank statements that carry a DOCTYPE are refused outright, and nothing is stored."""

import pytest

from secretariat.finance.models import BankStatement
from secretariat.finance.services import bank
from secretariat.finance.services.errors import StatementUnreadable
from secretariat.finance.tests.test_bank_reconciliation import CAMT053, paid  # noqa: F401

pytestmark = pytest.mark.django_db

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
REFUSAL = ("The bank statement could not be read: the file declares a document type (DOCTYPE), which bank "
           "statements never need; it is refused")


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE Document [<!ENTITY statement "2026-04-EUR-OPS">]>\n',
    b'<!DOCTYPE Document SYSTEM "http://bank.example/camt.dtd">\n',
    b'<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',
])
def test_a_statement_with_a_doctype_is_refused(ledger, paid, doctype):  # noqa: F811
    eur_bank, _run = paid
    content = CAMT053.replace(DECLARATION, DECLARATION + doctype)
    # when
    with pytest.raises(StatementUnreadable) as refusal:
        bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank, content=content,
                                   source_format="camt053")
    # then
    assert str(refusal.value) == REFUSAL
    assert not BankStatement.objects.exists()


def test_the_same_statement_without_a_doctype_is_imported(ledger, paid):  # noqa: F811
    eur_bank, _run = paid
    [statement] = bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank, content=CAMT053,
                                             source_format="camt053")
    assert statement.statement_id == "2026-04-EUR-OPS"
