"""The registry's HTML forms: applications, data centres, dependencies, plans and exercises.

Each page shows what it lists, records through its service, and shows a refusal as the service's
message on the form with nothing written.
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from secretariat.continuity.models import Application, DataCentre, Dependency, Exercise, ExerciseStatus, RecoveryPlan
from secretariat.continuity.services import add_dependency, plan_exercise
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory, RecoveryPlanFactory
from secretariat.core.models import AuditEvent


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ict(registry) -> Client:
    return logged_in(registry.ict_officer)


@pytest.fixture
def officer(registry) -> Client:
    return logged_in(registry.officer)


# --- Applications ------------------------------------------------------------------------------
def test_the_application_list_shows_the_derived_band_and_flags(registry, ict):
    # given
    process = BusinessProcessFactory(org_unit=registry.department, rto_band="0-4h", maximum_tolerable_downtime_hours=4)
    application = ApplicationFactory(name="Conference registration", owner_unit=registry.department,
                                     data_centre=registry.primary_site)
    add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=process.pk,
                   required_kind="application", required_id=application.pk)
    # when
    response = ict.get("/continuity/applications/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Conference registration" in page
    assert "0-4h" in page
    assert "Needed within 4 hours but not replicated" in page
    assert '<label class="form-label" for="id_name">Name</label>' in page


def test_record_an_application_through_the_form(registry, ict):
    # when
    response = ict.post("/continuity/applications/", {
        "name": "Documents system", "owner": registry.owner.pk, "owner_unit": registry.department.pk,
        "data_centre": registry.primary_site.pk, "user_count": 40, "data_classification": "internal",
        "replication_method": "synchronous", "recovery_site_distance": "remote",
        "currency": "USD", "storage_amount": "500"}, follow=True)
    # then
    application = Application.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/continuity/applications/{application.pk}/"
    assert "Application registered." in response.content.decode()
    assert application.replication_method == "synchronous"
    assert (application.storage_amount, application.compute_amount) == (Decimal("500"), Decimal("0"))


def test_an_application_without_owner_is_refused_with_the_services_message(registry, ict):
    events_before = AuditEvent.objects.count()
    # when
    response = ict.post("/continuity/applications/", {
        "name": "Documents system", "owner_unit": registry.department.pk, "data_centre": registry.primary_site.pk,
        "user_count": 40, "data_classification": "internal", "replication_method": "none",
        "recovery_site_distance": "remote", "currency": "USD"})
    # then
    assert response.status_code == 400
    assert "Every application needs an owner." in response.content.decode()
    assert not Application.objects.exists()
    assert AuditEvent.objects.count() == events_before


# --- Data centres ------------------------------------------------------------------------------
def test_the_data_centre_list_and_form(registry, ict):
    # when
    response = ict.post("/continuity/data-centres/", {
        "code": "EDC-3", "name": "Valencia", "duty_station": registry.primary_site.duty_station.pk,
        "recovery_site": registry.primary_site.pk}, follow=True)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Data centre registered." in page
    assert "EDC-1" in page and "EDC-3" in page
    assert DataCentre.objects.get(code="EDC-3").recovery_site == registry.primary_site


def test_a_second_data_centre_with_the_same_code_is_refused(registry, ict):
    # when
    response = ict.post("/continuity/data-centres/", {
        "code": "EDC-1", "name": "Another", "duty_station": registry.primary_site.duty_station.pk})
    # then
    assert response.status_code == 400
    assert "A data centre with this code already exists." in response.content.decode()
    assert DataCentre.objects.filter(code="EDC-1").get().name == registry.primary_site.name


# --- Dependencies ------------------------------------------------------------------------------
@pytest.fixture
def linked(registry):
    """A process needing an application hosted in the primary site."""
    process = BusinessProcessFactory(org_unit=registry.department, name="Meetings planning")
    application = ApplicationFactory(name="Meetings system", owner_unit=registry.department,
                                     data_centre=registry.primary_site)
    add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=process.pk,
                   required_kind="application", required_id=application.pk)
    return process, application


def test_add_a_dependency_on_the_applications_page(registry, ict, linked):
    _process, application = linked
    # when
    response = ict.post(f"/continuity/applications/{application.pk}/", {
        "dependent": f"application:{application.pk}", "required": f"data_centre:{registry.primary_site.pk}"},
        follow=True)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dependency recorded." in page
    assert "Meetings planning" in page  # needs the application
    assert Dependency.objects.filter(dependent_kind="application", required_kind="data_centre").count() == 1


def test_a_dependency_cycle_is_refused_with_the_services_message(registry, ict):
    first = ApplicationFactory(name="Portal", owner_unit=registry.department, data_centre=registry.primary_site)
    second = ApplicationFactory(name="Identity", owner_unit=registry.department, data_centre=registry.primary_site)
    add_dependency(actor=registry.ict_officer, dependent_kind="application", dependent_id=first.pk,
                   required_kind="application", required_id=second.pk)
    # when
    response = ict.post(f"/continuity/applications/{second.pk}/", {
        "dependent": f"application:{second.pk}", "required": f"application:{first.pk}"})
    # then
    assert response.status_code == 400
    assert "This dependency would create a cycle: Identity → Portal → Identity." in response.content.decode()
    assert Dependency.objects.count() == 1


def test_an_application_outside_the_actors_view_is_not_found(registry, linked):
    _process, application = linked
    assert logged_in(registry.outsider).get(f"/continuity/applications/{application.pk}/").status_code == 404


# --- Recovery plans and exercises --------------------------------------------------------------
def test_create_a_plan_with_steps_roles_and_contacts(registry, officer, linked):
    _process, application = linked
    # when
    response = officer.post("/continuity/plans/", {
        "title": "Meetings system recovery", "owner_unit": registry.department.pk, "application": application.pk,
        "steps": "1. Fail over.\n2. Check.", "roles": "Incident commander", "contacts": "+41 22 917 1234",
        "call_tree": "Chief → team leads"}, follow=True)
    # then
    plan = RecoveryPlan.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/continuity/plans/{plan.pk}/"
    assert "Recovery plan created." in page
    assert "Incident commander" in page and "+41 22 917 1234" in page
    assert plan.application == application


def test_a_plan_covering_nothing_is_refused(registry, officer):
    # when
    response = officer.post("/continuity/plans/", {
        "title": "Orphan plan", "owner_unit": registry.department.pk, "steps": "1. Wait."})
    # then
    assert response.status_code == 400
    assert "A plan covers either one application or one data centre." in response.content.decode()
    assert not RecoveryPlan.objects.exists()


def test_plan_an_exercise_and_record_its_results(registry, officer):
    plan = RecoveryPlanFactory(title="Portal recovery", application__owner_unit=registry.department,
                               application__data_centre=registry.primary_site)
    # when
    planned = officer.post(f"/continuity/plans/{plan.pk}/", {
        "planned_on": "2026-12-01", "target_rto_seconds": "3600", "target_rpo_seconds": "0"}, follow=True)
    exercise = Exercise.objects.get()
    recorded = officer.post(f"/continuity/exercises/{exercise.pk}/", {
        "run_at": "2026-12-01T10:00", "measured_rto_seconds": "1800", "measured_rpo_seconds": "0",
        "lost_transactions": "0", "issues": "Runbook step 3 outdated", "follow_up_actions": "Update step 3"},
        follow=True)
    # then
    assert planned.redirect_chain[-1][0] == f"/continuity/exercises/{exercise.pk}/"
    assert "Exercise planned." in planned.content.decode()
    page = recorded.content.decode()
    assert "Exercise results recorded." in page
    assert "Runbook step 3 outdated" in page and "Update step 3" in page
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.COMPLETED
    assert (exercise.measured_rto_seconds, exercise.met_targets) == (Decimal("1800.000"), True)


def test_negative_measurements_are_refused_and_nothing_is_recorded(registry, officer):
    plan = RecoveryPlanFactory(application__owner_unit=registry.department,
                               application__data_centre=registry.primary_site)
    exercise = plan_exercise(actor=registry.officer, plan=plan, planned_on=timezone.localdate())
    # when
    response = officer.post(f"/continuity/exercises/{exercise.pk}/", {
        "run_at": "2026-12-01T10:00", "measured_rto_seconds": "-5", "measured_rpo_seconds": "0"})
    # then
    assert response.status_code == 400
    assert "Enter the measured value, zero or more seconds." in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.PLANNED and exercise.measured_rto_seconds is None


def test_results_of_a_completed_exercise_are_refused(registry, officer):
    plan = RecoveryPlanFactory(application__owner_unit=registry.department,
                               application__data_centre=registry.primary_site)
    exercise = plan_exercise(actor=registry.officer, plan=plan, planned_on=timezone.localdate())
    officer.post(f"/continuity/exercises/{exercise.pk}/", {
        "run_at": "2026-12-01T10:00", "measured_rto_seconds": "10", "measured_rpo_seconds": "0"})
    # when
    response = officer.post(f"/continuity/exercises/{exercise.pk}/", {
        "run_at": "2026-12-02T10:00", "measured_rto_seconds": "99", "measured_rpo_seconds": "0"})
    # then
    assert response.status_code == 400
    assert "Only a planned exercise can be recorded; this one is Completed." in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.measured_rto_seconds == Decimal("10.000")


# --- Changing processes and applications -------------------------------------------------------
def test_change_a_process_through_the_form(registry, officer):
    process = BusinessProcessFactory(org_unit=registry.department, name="Meetings planning")
    # when
    shown = officer.get(f"/continuity/processes/{process.pk}/")
    response = officer.post(f"/continuity/processes/{process.pk}/", {
        "name": "Meetings planning", "owner": registry.owner.pk, "maximum_tolerable_downtime_hours": 8,
        "rto_band": "0-4h"}, follow=True)
    # then
    assert shown.status_code == 200 and 'value="Meetings planning"' in shown.content.decode()
    assert "Business process updated." in response.content.decode()
    process.refresh_from_db()
    assert (process.rto_band, process.maximum_tolerable_downtime_hours, process.owner) == ("0-4h", 8, registry.owner)
    assert AuditEvent.objects.filter(action="continuity.business_process.changed").count() == 1


def test_a_process_change_without_owner_is_refused(registry, officer):
    process = BusinessProcessFactory(org_unit=registry.department, rto_band="24-72h")
    # when
    response = officer.post(f"/continuity/processes/{process.pk}/", {
        "name": process.name, "maximum_tolerable_downtime_hours": 8, "rto_band": "0-4h"})
    # then
    assert response.status_code == 400
    assert "Every business process needs an owner." in response.content.decode()
    process.refresh_from_db()
    assert process.rto_band == "24-72h"
    assert not AuditEvent.objects.filter(action="continuity.business_process.changed").exists()


def test_change_an_application_through_the_form(registry, ict):
    application = ApplicationFactory(name="Portal", owner_unit=registry.department, data_centre=registry.primary_site)
    # when
    response = ict.post(f"/continuity/applications/{application.pk}/change/", {
        "name": "Portal", "owner": registry.owner.pk, "data_centre": registry.recovery_site.pk, "user_count": 900,
        "data_classification": "internal", "replication_method": "asynchronous",
        "recovery_site_distance": "remote", "compute_amount": "1200"}, follow=True)
    # then
    assert response.redirect_chain[-1][0] == f"/continuity/applications/{application.pk}/"
    assert "Application updated." in response.content.decode()
    application.refresh_from_db()
    assert (application.data_centre, application.replication_method, application.compute_amount) == (
        registry.recovery_site, "asynchronous", Decimal("1200"))


def test_renaming_an_application_to_a_name_in_use_is_refused(registry, ict):
    ApplicationFactory(name="Identity", owner_unit=registry.department, data_centre=registry.primary_site)
    application = ApplicationFactory(name="Portal", owner_unit=registry.department, data_centre=registry.primary_site)
    # when
    response = ict.post(f"/continuity/applications/{application.pk}/change/", {
        "name": "Identity", "owner": registry.owner.pk, "data_centre": registry.primary_site.pk, "user_count": 1,
        "data_classification": "internal", "replication_method": "none", "recovery_site_distance": "remote"})
    # then
    assert response.status_code == 400
    assert "An application with this name already exists." in response.content.decode()
    application.refresh_from_db()
    assert application.name == "Portal"
