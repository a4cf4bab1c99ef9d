import pytest

from secretariat.finance.tests.factories import build_ledger, officers_for


@pytest.fixture
def ledger(db):
    return build_ledger()


@pytest.fixture
def officers(ledger):
    return officers_for(ledger.regular_budget)
