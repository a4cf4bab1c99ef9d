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


def test_vendors_cannot_be_sorted_by_the_bank_details_a_reader_may_not_see(ledger, vendor):
    # given a second vendor whose IBAN sorts before the first one's, and code and name after
    payables.create_vendor(actor=ledger.admin, code="V002", name="Tecnologías Andinas",
                           country=Country.objects.get(alpha2="ES"), iban="ES91 2100 0418 4502 0005 1332",
                           bic="CAIXESBBXXX")
    client = APIClient()
    client.force_authenticate(UserFactory(username="reader"))
    # when the reader asks for either order by IBAN or BIC
    orders = {tuple(v["code"] for v in client.get(f"/api/v1/finance/vendors/?ordering={key}").json()["results"])
              for key in ("iban", "-iban", "bic", "-bic")}
    # then the list comes in one order, not sorted by what is masked
    assert len(orders) == 1
