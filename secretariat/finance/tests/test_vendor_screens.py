"""Vendors in the browser: bank details in full only for the roles that record or pay vendors,
and IBAN/BIC refusals shown on their fields."""

import pytest
from django.test import Client

from secretariat.core.models import AuditEvent, Country
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.finance.models import Vendor
from secretariat.finance.services import payables

pytestmark = pytest.mark.django_db
FULL_IBAN, MASKED_IBAN = "FR1420041010050500013M02606", "FR14 **** **** **** **** ***2 606"


@pytest.fixture
def vendor(ledger):
    return payables.create_vendor(actor=ledger.admin, code="V001", name="Société Générale de Fournitures",
                                  country=Country.objects.get(alpha2="FR"), iban=FULL_IBAN, bic="PSSTFRPPXXX")


def browser_of(ledger, role) -> Client:
    user = UserFactory(username=f"user-{role}")
    if role:
        grant(user, role, ledger.regular_budget)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    ("finance_officer", FULL_IBAN, MASKED_IBAN),
    ("treasury_officer", FULL_IBAN, MASKED_IBAN),
    ("finance_certifier", MASKED_IBAN, FULL_IBAN),
    (None, MASKED_IBAN, FULL_IBAN),
])
def test_bank_details_on_the_pages_are_in_full_only_for_those_who_record_or_pay(ledger, vendor, role, shown,
                                                                                hidden):
    client = browser_of(ledger, role)
    for url in ("/finance/vendors/", f"/finance/vendors/{vendor.pk}/"):
        page = client.get(url).content.decode()
        assert "Société Générale de Fournitures" in page and shown in page and hidden not in page


def test_a_vendor_is_created_and_a_bad_iban_or_bic_is_refused_on_its_field(ledger):
    client = browser_of(ledger, "finance_officer")
    data = {"code": "V-NL", "name": "Helix Cloud Services BV", "latin_name": "", "iban": "NL91ABNA041716430",
            "bic": "ABNANL2A", "country": Country.objects.get(alpha2="NL").pk}
    response = client.post("/finance/vendors/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_iban_errors"' in page and "NL91ABNA041716430 has the wrong length for an IBAN of its country." in page
    response = client.post("/finance/vendors/new/", {**data, "iban": "NL91 ABNA 0417 1643 00", "bic": "1BNANL2A"})
    assert response.status_code == 400 and 'id="id_bic_errors"' in response.content.decode()
    assert not Vendor.objects.exists()
    response = client.post("/finance/vendors/new/", {**data, "iban": "NL91 ABNA 0417 1643 00"})
    assert response.status_code == 302
    assert Vendor.objects.get().iban == "NL91ABNA0417164300"


def test_a_correction_of_bank_details_goes_through_the_service_and_is_audited(ledger, vendor):
    client = browser_of(ledger, "finance_officer")
    data = {"code": "IGNORED", "name": vendor.name, "latin_name": "Societe Generale de Fournitures",
            "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX", "country": vendor.country.pk}
    response = client.post(f"/finance/vendors/{vendor.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    vendor.refresh_from_db()
    assert (vendor.code, vendor.iban, vendor.latin_name) == ("V001", "DE89370400440532013000",
                                                             "Societe Generale de Fournitures")
    event = AuditEvent.objects.get(action="finance.vendor.changed")
    assert event.changes["fields"] == ["bic", "iban", "latin_name"]


def test_only_those_who_record_vendors_may_create_or_correct_them(ledger, vendor):
    client = browser_of(ledger, "treasury_officer")
    assert "Correct this vendor" not in client.get(f"/finance/vendors/{vendor.pk}/").content.decode()
    assert client.get("/finance/vendors/new/").status_code == 403
    data = {"name": "Changed", "latin_name": "", "iban": FULL_IBAN, "bic": "PSSTFRPPXXX", "country": vendor.country.pk}
    assert client.post(f"/finance/vendors/{vendor.pk}/edit/", {**data, "code": "V001"}).status_code == 403
    vendor.refresh_from_db()
    assert vendor.name == "Société Générale de Fournitures"
