"""The resource table moves through versions (proposed → revised estimates → recommended →
approved → revised appropriation): every change is a new version, passed stages and the approved
table are frozen, the tables say which version they show and the history shows who changed what."""

import pytest

from secretariat.budget.models import ResourceLine, ResourceVersion
from secretariat.budget.tests.conftest import LINE, post

pytestmark = pytest.mark.django_db



def enter(client, office, stage, reference="", **changes):
    return post(client, f"/api/v1/budget/sections/{office.section.pk}/resources/",
                {"lines": [{**LINE, **changes}], "stage": stage, "reference": reference})


def test_each_stage_is_a_new_version_and_the_approved_table_is_frozen(officer, office):
    for stage in ("proposed", "revised_estimates", "recommended", "approved"):
        assert enter(officer, office, stage).status_code == 201
    # when the approved table is edited
    edited = enter(officer, office, "approved", other_changes="3037400")
    # then
    assert edited.status_code == 409
    assert edited.json()["detail"] == ("Version 4: Approved by the General Assembly is the table the General "
                                       "Assembly approved and cannot be changed; enter the change as a revised "
                                       "appropriation.")
    # and a passed stage takes no new version
    back = enter(officer, office, "recommended")
    assert back.status_code == 409 and back.json()["type"].endswith("stage_passed")
    assert ResourceVersion.objects.count() == 4
    approved = ResourceLine.objects.get(version__number=4)
    assert approved.other_changes_amount == 2037400


def test_a_revised_appropriation_shows_its_difference_and_who_made_it(officer, office):
    enter(officer, office, "proposed", "A/75/6 (Sect. 29C)")
    enter(officer, office, "approved", "75/254 A")
    # when
    revised = enter(officer, office, "revised_appropriation", "A/76/6 (Sect. 29C)", other_changes="3037400")
    # then the tables name their version and the earlier ones stay as they were
    assert revised.json()["version"]["stage"] == "revised_appropriation"
    page = officer.get(f"/budget/sections/{office.section.pk}/tables/").content.decode()
    assert "Version 3: Revised appropriation (A/76/6 (Sect. 29C))" in page and "12,795.4" in page
    approved_page = officer.get(f"/budget/sections/{office.section.pk}/tables/?version=2").content.decode()
    assert "Version 2: Approved by the General Assembly (75/254 A)" in approved_page and "11,795.4" in approved_page
    # and the history shows who changed which cell, before and after
    history = officer.get(f"/budget/sections/{office.section.pk}/versions/").content.decode()
    assert "Entered by budget.officer" in history
    assert "2,037.4" in history and "3,037.4" in history
    versions = officer.get(f"/api/v1/budget/sections/{office.section.pk}/versions/").json()["versions"]
    assert [(v["number"], v["entered_by"]) for v in versions] == [
        (3, "budget.officer"), (2, "budget.officer"), (1, "budget.officer")]
    assert {(c["column"], c["before"], c["after"]) for c in versions[0]["changes"]} == {
        ("other changes", "2037400.0000", "3037400.0000"),
        ("estimate before recosting", "11795400.0000", "12795400.0000"),
        ("estimate after recosting", "11795400.0000", "12795400.0000")}
    assert versions[1]["changes"] == []


def test_the_downloads_name_their_version(officer, office):
    enter(officer, office, "proposed")
    response = officer.get(f"/budget/sections/{office.section.pk}/tables.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="budget-29C-2021-v1.xlsx"'
    assert officer.get(f"/budget/sections/{office.section.pk}/tables/?version=9").status_code == 404
