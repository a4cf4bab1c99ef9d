"""200 simultaneous commitment attempts from separate connections never overspend an allotment."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import close_old_connections, connections

from secretariat.budget.exceptions import FundsNotAvailable
from secretariat.budget.models import Commitment
from secretariat.budget.services.commitments import commit_funds
from secretariat.budget.tests.factories import (
    make_allotment,
    make_appropriation,
    make_section,
)
from secretariat.core.tests.factories import OrgUnitFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ATTEMPTS = 200


def test_two_hundred_simultaneous_commitments_never_exceed_the_allotment():
    # given an allotment of 5,000.00 and 200 attempts of 37.00 (7,400.00 in all)
    unit = OrgUnitFactory(code="OICT-OPS")
    allotment = make_allotment(make_appropriation(make_section(unit)), unit, amount="5000.00")
    officer = UserFactory(username="officer")
    officer.is_superuser = True
    officer.save()
    start = threading.Barrier(20)

    def attempt(number: int) -> str:
        close_old_connections()
        try:
            if number < 20:
                start.wait(timeout=30)
            commit_funds(actor=officer, allotment_id=allotment.pk, amount=Decimal("37.00"),
                         source_reference=f"REQ-{number}")
            return "accepted"
        except FundsNotAvailable:
            return "refused"
        finally:
            connections.close_all()

    # when
    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(ATTEMPTS)))
    # then: exactly as many as fit (5,000 // 37 = 135) were accepted, none lost, none beyond
    allotment.refresh_from_db()
    accepted = Commitment.objects.filter(allotment=allotment)
    assert outcomes.count("accepted") == accepted.count() == 135
    assert outcomes.count("refused") == ATTEMPTS - 135
    assert sum(accepted.values_list("amount", flat=True)) == allotment.committed_amount == Decimal("4995.00")
    assert allotment.available_amount == Decimal("5.00")
