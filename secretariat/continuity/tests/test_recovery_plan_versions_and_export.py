"""DR plans: approved versions with review dates, and exports an operator reads with the platform down."""

import datetime
import io
import zipfile

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from secretariat.continuity.models import RecoveryPlanVersion
from secretariat.continuity.recovery_plans import approve_recovery_plan, revise_recovery_plan
from secretariat.continuity.tests.factories import ApplicationFactory, RecoveryPlanFactory
from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.core.models import AuditEvent

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


@pytest.fixture
def plan(registry):
    return RecoveryPlanFactory(title="ERP recovery", steps="1. Promote the standby in Valencia.\n2. Start the app.",
                               call_tree="CIO → DBA on duty",
                               application=ApplicationFactory(name="ERP", owner_unit=registry.department))


@pytest.fixture
def officer(registry):
    client = Client()
    client.force_login(registry.officer)
    return client


def test_approving_freezes_the_text_as_numbered_versions_with_review_dates(registry, plan):
    first = approve_recovery_plan(actor=registry.officer, plan_id=plan.pk, review_due_on=NEXT_YEAR)
    revise_recovery_plan(actor=registry.officer, plan_id=plan.pk, title=plan.title, steps="1. Fail over to Brindisi.")
    # when
    second = approve_recovery_plan(actor=registry.officer, plan_id=plan.pk,
                                   review_due_on=NEXT_YEAR + datetime.timedelta(days=30))
    # then: the first version keeps the text it was approved with
    assert [(v.version, v.steps.splitlines()[0], v.approved_by) for v in plan.versions.all()] == [
        (2, "1. Fail over to Brindisi.", registry.officer), (1, "1. Promote the standby in Valencia.", registry.officer)]
    assert (first.review_due_on, second.review_due_on) == (NEXT_YEAR, NEXT_YEAR + datetime.timedelta(days=30))


def test_approval_needs_a_future_review_date_and_the_permission(registry, plan):
    with pytest.raises(InvalidInput) as refusal:
        approve_recovery_plan(actor=registry.officer, plan_id=plan.pk, review_due_on=timezone.localdate())
    assert [str(m) for m in refusal.value.errors["review_due_on"]] == ["The review date must be after today."]
    with pytest.raises(AccessDenied):
        approve_recovery_plan(actor=registry.outsider, plan_id=plan.pk, review_due_on=NEXT_YEAR)
    assert not RecoveryPlanVersion.objects.exists()


def test_the_plan_page_revises_approves_and_lists_the_versions(registry, plan, officer):
    officer.post(f"/continuity/plans/{plan.pk}/", {
        "action": "revise", "revise-title": "ERP recovery", "revise-steps": "1. Fail over to Brindisi."})
    # when
    response = officer.post(f"/continuity/plans/{plan.pk}/", {
        "action": "approve", "approve-review_due_on": NEXT_YEAR.isoformat()}, follow=True)
    # then
    page = lxml.html.fromstring(response.content)
    assert "Version 1 approved." in response.content.decode()
    assert [cell.text_content() for cell in page.xpath("//table[@id='versions']/tbody/tr")[0]] == [
        "1", "bc.officer", timezone.localdate().isoformat(), NEXT_YEAR.isoformat()]
    assert plan.versions.get().steps == "1. Fail over to Brindisi."


def test_the_pdf_carries_the_approved_plan(registry, plan, officer):
    approve_recovery_plan(actor=registry.officer, plan_id=plan.pk, review_due_on=NEXT_YEAR)
    # when
    response = officer.get(f"/continuity/plans/{plan.pk}/plan.pdf")
    # then
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ["ERP recovery", "Promote the standby in Valencia.", "CIO → DBA on duty", "Version", "1",
                     NEXT_YEAR.isoformat()]:
        assert expected in text


def test_the_bundle_opens_without_the_platform(registry, plan, officer):
    approve_recovery_plan(actor=registry.officer, plan_id=plan.pk, review_due_on=NEXT_YEAR)
    revise_recovery_plan(actor=registry.officer, plan_id=plan.pk, title=plan.title, steps="Unapproved draft step.")
    never_approved = RecoveryPlanFactory(title="Portal recovery", application=ApplicationFactory(
        owner_unit=registry.department))
    # when
    response = officer.get("/continuity/plans/export.zip")
    # then
    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(bundle.namelist())
    assert names == {"index.html", f"plan-{plan.pk}.html", f"plan-{plan.pk}.pdf", f"plan-{never_approved.pk}.html",
                     f"plan-{never_approved.pk}.pdf"}
    for name in sorted(names - {n for n in names if n.endswith(".pdf")}):
        document = lxml.html.fromstring(bundle.read(name))
        references = [value for element in document.iter() for attribute, value in element.items()
                      if attribute in {"href", "src", "action"}]
        # standalone: no scripts, no stylesheets or images to fetch, every link to a file in the bundle
        assert not document.xpath("//script | //link | //img | //iframe"), name
        assert all(reference in names for reference in references), (name, references)
        assert document.xpath("//style"), name
    approved = lxml.html.fromstring(bundle.read(f"plan-{plan.pk}.html")).text_content()
    assert "Promote the standby in Valencia." in approved and "Unapproved draft step." not in approved
    assert "Draft: this plan has never been approved." in bundle.read(f"plan-{never_approved.pk}.html").decode()
    assert "ERP recovery" in PdfReader(io.BytesIO(bundle.read(f"plan-{plan.pk}.pdf"))).pages[0].extract_text()
    # the plans hold contacts: taking them off the platform is audited
    assert AuditEvent.objects.get(action="security.data_exported").changes["rows"] == 2


def test_the_bundle_holds_only_the_plans_the_user_may_read(registry, plan):
    outsider = Client()
    outsider.force_login(registry.outsider)
    bundle = zipfile.ZipFile(io.BytesIO(outsider.get("/continuity/plans/export.zip").content))
    assert bundle.namelist() == ["index.html"]
