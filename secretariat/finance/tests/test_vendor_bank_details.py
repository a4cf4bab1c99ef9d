"""Vendors' bank details are for the finance roles that record or pay vendors; others see them masked."""

import pytest
from rest_framework.test import APIClient

from secretariat.core.models import Country
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.finance.services import payables

FULL = {"iban": "FR1420041010050500013M02606", "bic": "PSSTFRPPXXX", "bank_details_masked": False}
MASKED = {"iban": "FR14 **** **** **** **** ***2 606", "bic": "PSST*******", "bank_details_masked": True}


@pytest.fixture
def vendor(ledger):
    return payables.create_vendor(actor=ledger.admin, code="V001", name="Société Générale de Fournitures",
                                  country=Country.objects.get(alpha2="FR"), iban="FR14 2004 1010 0505 0001 3M02 606",
                                  bic="PSSTFRPPXXX")


def bank_details_seen_by(user, vendor) -> tuple[dict, dict]:
    client = APIClient()
    client.force_authenticate(user)
    listed = client.get("/api/v1/finance/vendors/").json()["results"][0]
    detail = client.get(f"/api/v1/finance/vendors/{vendor.pk}/").json()
    keys = FULL.keys()
    return {k: listed[k] for k in keys}, {k: detail[k] for k in keys}


@pytest.mark.parametrize(("role", "expected"), [
    ("finance_officer", FULL),      # records vendors
    ("treasury_officer", FULL),     # pays them
    ("finance_certifier", MASKED),  # a finance role that neither records nor pays vendors
    (None, MASKED),                 # any signed-in user
])
def test_bank_details_are_shown_to_those_who_record_or_pay_vendors(ledger, vendor, role, expected):
    user = UserFactory(username="reader")
    if role:
        grant(user, role, ledger.regular_budget)
    # when
    listed, detail = bank_details_seen_by(user, vendor)
    # then
    assert listed == detail == expected
