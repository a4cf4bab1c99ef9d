"""The list component on the people list: search, filters, sorting, paging with a total, export of
exactly what is filtered (XLSX parsed back, CSV), and saved views per user."""

import csv
import io

import openpyxl
import pytest
from django.test import Client

from secretariat.core.models import AuditEvent, SavedListView
from secretariat.core.tests.conftest import offices  # noqa: F401  (the fixture)
from secretariat.core.tests.factories import OrgUnitFactory, PersonFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(request):
    organisation = request.getfixturevalue("offices")
    reader = UserFactory(username="reader")
    grant(reader, "hr_officer")
    extra_unit = OrgUnitFactory(entity=organisation.geneva, code="UNOG-ICT", level="service")
    for number in range(55):
        PersonFactory(org_unit=extra_unit, family_name=f"Zed{number:02d}", given_name="Many")
    client = Client()
    client.force_login(reader)
    return client, organisation, extra_unit


def test_search_filter_sort_and_page_with_a_total(directory):
    client, organisation, extra_unit = directory
    page = client.get("/organisation/people/", {"q": "dupont"}).content.decode()
    assert "1 row" in page and "DUPONT" in page and "FAVRE" not in page
    page = client.get("/organisation/people/", {"org_unit": extra_unit.pk}).content.decode()
    assert "55 rows" in page and "Page 1 of 2" in page and "DUPONT" not in page
    page = client.get("/organisation/people/", {"org_unit": extra_unit.pk, "sort": "-name"}).content.decode()
    assert page.index("ZED54") < page.index("ZED53")
    assert 'data-typeahead' in page and "/static/vendor/tom-select/js/tom-select.complete.min.js" in page


def test_export_holds_exactly_the_filtered_rows_on_every_page_and_is_audited(directory):
    client, organisation, extra_unit = directory
    response = client.get("/organisation/people/", {"org_unit": extra_unit.pk, "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Name" and len(rows) == 1 + 55
    assert all("ZED" in row[0] for row in rows[1:])
    exported = AuditEvent.objects.filter(action="security.data_exported").latest("occurred_at")
    assert exported.changes["rows"] == 55 and exported.changes["what"] == "people"
    text = client.get("/organisation/people/", {"q": "Favre", "_export": "csv"}).content.decode()
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == [organisation.geneva_section_person.full_name]


def test_a_saved_view_is_listed_for_its_owner_only_and_can_be_deleted(directory):
    client, organisation, extra_unit = directory
    query = f"org_unit={extra_unit.pk}&sort=-name"
    client.post("/lists/views/", {"list_name": "people", "name": "ICT staff", "query": query,
                                  "next": "/organisation/people/"})
    page = client.get("/organisation/people/").content.decode()
    assert f'href="/organisation/people/?{query.replace("&", "&amp;")}">ICT staff</a>' in page
    other = UserFactory()
    grant(other, "hr_officer")
    client_of_other = Client()
    client_of_other.force_login(other)
    assert "ICT staff" not in client_of_other.get("/organisation/people/").content.decode()
    view = SavedListView.objects.get()
    assert client_of_other.post(f"/lists/views/{view.pk}/delete/").status_code == 302
    assert SavedListView.objects.filter(pk=view.pk).exists()  # not theirs
    client.post(f"/lists/views/{view.pk}/delete/", {"next": "/organisation/people/"})
    assert not SavedListView.objects.exists()
