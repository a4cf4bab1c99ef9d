"""A signed-off BIA applies to the department's processes or lists conflicts; RPO is derived like RTO."""

from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.continuity.bia_results import resolve_bia_conflict
from secretariat.continuity.exceptions import ConflictAlreadyResolved
from secretariat.continuity.models import BusinessProcess, ImpactCategory, ImpactHorizon
from secretariat.continuity.rto_derivation import BIA_RPO_NOT_MET, required_rpo_hours
from secretariat.continuity.selectors import application_continuity
from secretariat.continuity.services import (
    add_dependency,
    plan_exercise,
    record_business_impacts,
    sign_off_business_impact_analysis,
    start_business_impact_analysis,
)
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory, RecoveryPlanFactory
from secretariat.continuity.tests.test_rto_derivation_properties import reachable_from
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import OrgUnitFactory


def signed_off(registry, *, major_at: int, rpo_hours: str):
    """Sign off a BIA of the department whose impacts first become major at ``major_at`` hours."""
    analysis = start_business_impact_analysis(actor=registry.officer, org_unit=registry.department)
    impacts = {(category, hours): 3 if hours >= major_at else 1
               for category in ImpactCategory.values for hours in ImpactHorizon.values}
    record_business_impacts(actor=registry.officer, analysis_id=analysis.pk, impacts=impacts, questionnaire={},
                            rpo_hours=Decimal(rpo_hours))
    return sign_off_business_impact_analysis(actor=registry.officer, analysis_id=analysis.pk)


def test_signing_off_tightens_the_department_s_looser_processes(registry):
    # given: the processes stayed at 24–72 h and 4–24 h (the case found in the review)
    archive = BusinessProcessFactory(org_unit=registry.department, name="Archive", rto_band="24-72h",
                                     maximum_tolerable_downtime_hours=96)
    mail = BusinessProcessFactory(org_unit=OrgUnitFactory(parent=registry.department, entity=registry.department.entity,
                                                          code="UNOG-DCM-MAIL"),
                                  name="Mail", rto_band="4-24h", maximum_tolerable_downtime_hours=48)
    elsewhere = BusinessProcessFactory(org_unit=registry.other_department, rto_band="24-72h")
    # when: the department's BIA says 0–4 h and at most 1 hour of lost work
    analysis = signed_off(registry, major_at=4, rpo_hours="1")
    # then
    assert analysis.rto_band == "0-4h"
    assert [(p.name, p.rto_band, p.rpo_hours) for p in BusinessProcess.objects.filter(pk__in=[archive.pk, mail.pk])
            ] == [("Archive", "0-4h", Decimal("1")), ("Mail", "0-4h", Decimal("1"))]  # Mail: a unit below
    assert BusinessProcess.objects.get(pk=elsewhere.pk).rto_band == "24-72h"
    assert not analysis.conflicts.exists()
    applied = AuditEvent.objects.filter(action="continuity.business_process.bia_applied").order_by("pk")
    assert [event.changes["rto_band"] for event in applied] == [["24-72h", "0-4h"], ["4-24h", "0-4h"]]
    assert {archive.pk, mail.pk} == {int(event.target_id) for event in applied}


def test_a_looser_analysis_lists_conflicts_instead_of_loosening(registry):
    process = BusinessProcessFactory(org_unit=registry.department, name="Payroll", rto_band="0-4h",
                                     maximum_tolerable_downtime_hours=8, rpo_hours=Decimal("0.5"))
    # when
    analysis = signed_off(registry, major_at=72, rpo_hours="24")
    # then: the process keeps its values until a person decides
    process.refresh_from_db()
    assert (process.rto_band, process.rpo_hours) == ("0-4h", Decimal("0.5"))
    assert sorted((c.field, c.process_value, c.analysis_value, c.resolution) for c in analysis.conflicts.all()) == [
        ("rpo_hours", "0.50", "24.00", ""), ("rto_band", "0-4h", "24-72h", "")]


def test_the_analysis_page_shows_the_conflicts_and_resolves_them(registry):
    process = BusinessProcessFactory(org_unit=registry.department, name="Payroll", rto_band="0-4h",
                                     maximum_tolerable_downtime_hours=100, rpo_hours=Decimal("0.5"))
    analysis = signed_off(registry, major_at=72, rpo_hours="24")
    band, rpo = analysis.conflicts.get(field="rto_band"), analysis.conflicts.get(field="rpo_hours")
    browser = Client()
    browser.force_login(registry.officer)
    # when
    page = lxml.html.fromstring(browser.get(f"/continuity/analyses/{analysis.pk}/").content).text_content()
    applied = browser.post(f"/continuity/conflicts/{band.pk}/resolve/", {"decision": "apply"}, follow=True)
    kept = browser.post(f"/continuity/conflicts/{rpo.pk}/resolve/", {"decision": "keep"}, follow=True)
    # then
    assert "Conflicts with the department's processes" in page and "Payroll" in page
    assert "Apply the analysis" in page and "0–4 hours" in page and "24–72 hours" in page
    assert "Conflict resolved." in applied.content.decode() and "Conflict resolved." in kept.content.decode()
    process.refresh_from_db()
    assert (process.rto_band, process.rpo_hours) == ("24-72h", Decimal("0.5"))
    assert sorted(analysis.conflicts.values_list("field", "resolution")) == [("rpo_hours", "kept"),
                                                                            ("rto_band", "applied")]
    with pytest.raises(ConflictAlreadyResolved):
        resolve_bia_conflict(actor=registry.officer, conflict_id=band.pk, apply=False)


def test_applying_a_band_beyond_the_process_s_tolerable_downtime_is_refused(registry):
    process = BusinessProcessFactory(org_unit=registry.department, name="Payroll", rto_band="0-4h",
                                     maximum_tolerable_downtime_hours=8)
    analysis = signed_off(registry, major_at=72, rpo_hours="24")
    conflict = analysis.conflicts.get(field="rto_band")
    browser = Client()
    browser.force_login(registry.officer)
    # when
    response = browser.post(f"/continuity/conflicts/{conflict.pk}/resolve/", {"decision": "apply"}, follow=True)
    # then
    assert ("The RTO band 24–72 hours does not fit within the maximum tolerable downtime of 8 hours"
            in response.content.decode())
    process.refresh_from_db()
    conflict.refresh_from_db()
    assert (process.rto_band, conflict.resolution) == ("0-4h", "")


def test_an_application_s_rpo_is_derived_from_the_processes_that_need_it(registry):
    erp = ApplicationFactory(name="ERP", owner_unit=registry.department, data_centre=registry.primary_site,
                             replication_method="asynchronous")
    for name, rpo in [("Payroll", "0"), ("Travel", "4")]:
        process = BusinessProcessFactory(org_unit=registry.department, name=name, rto_band="0-4h",
                                         maximum_tolerable_downtime_hours=8, rpo_hours=Decimal(rpo))
        add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=process.pk,
                       required_kind="application", required_id=erp.pk)
    # when
    [row] = application_continuity(actor=registry.ict_officer)
    exercise = plan_exercise(actor=registry.officer, plan=RecoveryPlanFactory(application=erp),
                             planned_on="2026-12-01")
    # then: the tightest tolerance wins, flags and exercise targets follow it
    assert row.required_rpo_hours == Decimal("0")
    assert BIA_RPO_NOT_MET in row.flags
    assert exercise.target_rpo_seconds == 0


def test_a_signed_off_bia_sets_the_rpo_its_applications_must_meet(registry):
    erp = ApplicationFactory(name="ERP", owner_unit=registry.department, data_centre=registry.primary_site)
    process = BusinessProcessFactory(org_unit=registry.department, name="Payroll", rto_band="24-72h",
                                     maximum_tolerable_downtime_hours=96)
    add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=process.pk,
                   required_kind="application", required_id=erp.pk)
    assert application_continuity(actor=registry.ict_officer)[0].required_rpo_hours is None
    # when
    signed_off(registry, major_at=24, rpo_hours="2")
    # then
    [row] = application_continuity(actor=registry.ict_officer)
    assert (row.required_band, row.required_rpo_hours) == ("4-24h", Decimal("2"))


@st.composite
def rpo_graphs(draw):
    process_rpos = {pk: draw(st.none() | st.decimals(0, 72, places=2)) for pk in range(draw(st.integers(0, 5)))}
    nodes = [("process", pk) for pk in process_rpos] + [("application", pk) for pk in range(draw(st.integers(1, 6)))]
    edges = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=20))
    return [(a, b) for a, b in edges if a != b], process_rpos


@settings(max_examples=50, deadline=None)
@given(graph=rpo_graphs())
def test_required_rpo_is_the_smallest_tolerance_of_every_process_depending_on_the_node(graph):
    edges, process_rpos = graph
    expected = {}
    for pk, hours in process_rpos.items():
        for node in reachable_from(("process", pk), edges) if hours is not None else ():
            expected[node] = min(hours, expected.get(node, hours))
    assert required_rpo_hours(edges=edges, process_rpos=process_rpos) == expected
