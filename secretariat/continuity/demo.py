"""Continuity demo data on the demo organisation, written through the services like any client.

The platform's own applications hosted by the Global Service Centre's two enterprise data
centres, Brindisi and Valencia (each the other's recovery site), the OICT services' business
processes and signed-off BIAs (one leaves a conflict to resolve), DR plans with approved
versions, and the platform's failover drill as a recorded result (figures of a drill run on a
laptop, not a cluster run at load time).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from secretariat.continuity import recovery_plans, services
from secretariat.continuity.models import DataCentre, ImpactCategory, ImpactHorizon
from secretariat.core.models import DutyStation, OrgUnit, Person

User = get_user_model()

DATA_CENTRES = [("EDC-BDS", "Enterprise data centre, Brindisi", "BDS"), ("EDC-VLC", "Enterprise data centre, Valencia",
                                                                          "VLC")]
INFRASTRUCTURE = [("PostgreSQL primary, Brindisi", "database", "EDC-BDS"),
                  ("PostgreSQL synchronous standby, Valencia", "database", "EDC-VLC"),
                  ("Application servers, Brindisi", "server", "EDC-BDS"),
                  ("Application servers, Valencia", "server", "EDC-VLC"),
                  ("Document storage, Brindisi", "storage", "EDC-BDS"),
                  ("Document storage replica, Valencia", "storage", "EDC-VLC")]
# (unit, name, MTD hours, band)
PROCESSES = [
    ("OICT-OPS-DC", "Platform operations", 4, "0-4h"),
    ("OICT-OPS-SD", "Incident handling", 8, "0-4h"),
    ("OICT-OPS-SD", "Service requests", 48, "4-24h"),
    ("OICT-SSD-ERP-FIN", "Payments to vendors", 24, "4-24h"),
    ("OICT-SSD-ERP-FIN", "Financial statements", 120, "24-72h"),
    ("OICT-SSD-ERP-FIN", "Budget preparation", 168, "72h+"),
]
# (unit, first horizon with a major impact, RPO hours): the signed-off BIA of each department.
ANALYSES = [("OICT-OPS-SD", 4, "0.25"), ("OICT-SSD-ERP-FIN", 24, "1"),
            ("OICT-OPS-DC", 24, "0")]  # looser than "Platform operations": a conflict to resolve
# (name, owning unit, data centre, replication, users, annual compute, storage, link)
APPLICATIONS = [
    (services.PLATFORM_APPLICATION_NAME, "OICT-OPS-DC", "EDC-BDS", "synchronous", 2000, "180000", "40000", "24000"),
    ("Secretariat service desk", "OICT-OPS-SD", "EDC-BDS", "synchronous", 2000, "30000", "8000", "0"),
    ("Secretariat finance and budget", "OICT-SSD-ERP-FIN", "EDC-BDS", "synchronous", 400, "45000", "12000", "0"),
    ("Secretariat documents and records", "OICT-OPS-DC", "EDC-VLC", "asynchronous", 1500, "25000", "60000", "0"),
]
DEPENDENCIES = [
    ("process", "Platform operations", "application", services.PLATFORM_APPLICATION_NAME),
    ("process", "Incident handling", "application", "Secretariat service desk"),
    ("process", "Service requests", "application", "Secretariat service desk"),
    ("process", "Payments to vendors", "application", "Secretariat finance and budget"),
    ("process", "Financial statements", "application", "Secretariat finance and budget"),
    ("process", "Budget preparation", "application", "Secretariat finance and budget"),
    ("application", "Secretariat service desk", "application", services.PLATFORM_APPLICATION_NAME),
    ("application", "Secretariat finance and budget", "application", services.PLATFORM_APPLICATION_NAME),
    ("application", "Secretariat documents and records", "application", services.PLATFORM_APPLICATION_NAME),
    ("application", services.PLATFORM_APPLICATION_NAME, "infrastructure", "PostgreSQL primary, Brindisi"),
    ("application", services.PLATFORM_APPLICATION_NAME, "infrastructure", "PostgreSQL synchronous standby, Valencia"),
    ("application", services.PLATFORM_APPLICATION_NAME, "infrastructure", "Application servers, Brindisi"),
    ("application", "Secretariat documents and records", "infrastructure", "Document storage, Brindisi"),
    ("infrastructure", "PostgreSQL primary, Brindisi", "data_centre", "EDC-BDS"),
    ("infrastructure", "PostgreSQL synchronous standby, Valencia", "data_centre", "EDC-VLC"),
    ("infrastructure", "Application servers, Brindisi", "data_centre", "EDC-BDS"),
    ("infrastructure", "Application servers, Valencia", "data_centre", "EDC-VLC"),
    ("infrastructure", "Document storage, Brindisi", "data_centre", "EDC-BDS"),
    ("infrastructure", "Document storage replica, Valencia", "data_centre", "EDC-VLC"),
]
PLATFORM_STEPS = """1. Confirm Brindisi is lost (monitoring, the Brindisi duty officer) and fence it: stop its load balancer pool.
2. On the Valencia standby: set synchronous_standby_names = '' and run pg_ctl promote.
3. Check the promoted database accepts writes (secretariat check), then open the Valencia application servers.
4. Announce the failover to the service desk and the call tree below.
5. Rebuild Brindisi as the new standby before switching back (docs/operations/two-site-deployment.md)."""
# Figures of a failover drill run on a laptop (secretariat failover_drill), kept as the demo's recorded drill.
RECORDED_DRILL = {
    "sync_acknowledged": 1243, "sync_lost_acknowledged": 0, "sync_loss_window_s": 0.0, "sync_rto_s": 0.212,
    "sync_promote_s": 0.151, "sync_replication_lag_before_kill_s": 0.0,
    "async_acknowledged": 1318, "async_lost_acknowledged": 2, "async_loss_window_s": 0.006, "async_rto_s": 0.198,
    "async_promote_s": 0.143, "async_replication_lag_before_kill_s": 0.0004,
    "duration_s": 24.6, "source": "recorded for the demo; not run while loading",
}


def owner_of(unit: OrgUnit) -> Person:
    """A person of the unit, else of its office (demo staff are spread at random)."""
    person = Person.objects.filter(org_unit=unit).order_by("pk").first()
    return person or Person.objects.filter(org_unit__code__startswith=unit.code.split("-")[0]).order_by("pk").first()


def load_continuity_demo(*, actor=None) -> dict | None:
    """Load the continuity demo; None if it is already there."""
    if DataCentre.objects.filter(code=DATA_CENTRES[0][0]).exists():
        return None
    actor = actor or User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        raise ValueError("Load the demo organisation first (secretariat load_demo).")
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in={row[0] for row in PROCESSES})}
    centres = {code: services.create_data_centre(actor=actor, code=code, name=name,
                                                 duty_station=DutyStation.objects.get(code=station))
               for code, name, station in DATA_CENTRES}
    services.pair_data_centres(actor=actor, first=centres["EDC-BDS"], second=centres["EDC-VLC"])
    nodes = {"data_centre": {code: centre.pk for code, centre in centres.items()}, "infrastructure": {},
             "process": {}, "application": {}}
    for name, kind, centre in INFRASTRUCTURE:
        nodes["infrastructure"][name] = services.register_infrastructure_component(
            actor=actor, name=name, kind=kind, data_centre=centres[centre]).pk
    for unit, name, mtd, band in PROCESSES:
        nodes["process"][name] = services.record_business_process(
            actor=actor, org_unit=units[unit], name=name, owner=owner_of(units[unit]),
            maximum_tolerable_downtime_hours=mtd, rto_band=band).pk
    applications = {}
    for name, unit, centre, replication, users, compute, storage, link in APPLICATIONS:
        applications[name] = services.register_application(
            actor=actor, name=name, owner=owner_of(units[unit]), owner_unit=units[unit], data_centre=centres[centre],
            user_count=users, data_classification="confidential", replication_method=replication,
            compute_amount=Decimal(compute), storage_amount=Decimal(storage), link_cost_amount=Decimal(link),
            licence_amount=Decimal("0"), reconfiguration_amount=Decimal("15000"),
            current_support_amount=Decimal("20000"))
        nodes["application"][name] = applications[name].pk
    for dependent_kind, dependent, required_kind, required in DEPENDENCIES:
        services.add_dependency(actor=actor, dependent_kind=dependent_kind,
                                dependent_id=nodes[dependent_kind][dependent], required_kind=required_kind,
                                required_id=nodes[required_kind][required])
    for unit, major_at, rpo in ANALYSES:
        analysis = services.start_business_impact_analysis(actor=actor, org_unit=units[unit])
        impacts = {(category, hours): 3 if hours >= major_at else 1
                   for category in ImpactCategory.values for hours in ImpactHorizon.values}
        services.record_business_impacts(actor=actor, analysis_id=analysis.pk, impacts=impacts, questionnaire={
            "workarounds": "Manual logging by the service desk; payments by the treasury's emergency procedure.",
            "data_recreation": "Re-key from e-mail and paper records of the day."}, rpo_hours=Decimal(rpo))
        services.sign_off_business_impact_analysis(actor=actor, analysis_id=analysis.pk)
    plans = load_plans(actor, units, applications, centres)
    return {"data_centres": len(centres), "processes": len(PROCESSES), "applications": len(applications),
            "analyses": len(ANALYSES), "plans": len(plans)}


def load_plans(actor, units, applications, centres) -> list:
    today = timezone.localdate()
    platform = services.create_recovery_plan(
        actor=actor, title="Secretariat platform failover to Valencia", owner_unit=units["OICT-OPS-DC"],
        application=applications[services.PLATFORM_APPLICATION_NAME], steps=PLATFORM_STEPS,
        roles="Incident commander: Chief, Data Centre Service.\nDatabase administrator on duty: promotion and checks.",
        contacts="Data Centre Service duty phone +39 0831 000 000\nValencia operations +34 96 000 0000",
        call_tree="Chief, Data Centre Service → DBA on duty → Service desk lead → OICT front office")
    recovery_plans.approve_recovery_plan(actor=actor, plan_id=platform.pk,
                                         review_due_on=today + datetime.timedelta(days=365))
    brindisi = services.create_recovery_plan(
        actor=actor, title="Loss of the Brindisi data centre", owner_unit=units["OICT-OPS-DC"],
        data_centre=centres["EDC-BDS"],
        steps="1. Declare the disaster (Chief, Data Centre Service).\n2. Run the platform failover plan.\n"
              "3. Restore document storage from the Valencia replica.\n4. Report to OICT senior management.",
        call_tree="Chief, Data Centre Service → Director, Operations Support Division → CITO")
    recovery_plans.approve_recovery_plan(actor=actor, plan_id=brindisi.pk,
                                         review_due_on=today + datetime.timedelta(days=180))
    documents = services.create_recovery_plan(  # a draft, never approved
        actor=actor, title="Documents and records recovery", owner_unit=units["OICT-OPS-DC"],
        application=applications["Secretariat documents and records"],
        steps="1. Point the platform at the Valencia storage replica.\n2. Run the fixity check (check_fixity).")
    drill_at = timezone.now() - datetime.timedelta(days=30)
    services.record_failover_drill(plan=platform, run_at=drill_at, figures=RECORDED_DRILL)
    tabletop = services.plan_exercise(actor=actor, plan=brindisi, planned_on=today - datetime.timedelta(days=60))
    services.record_exercise_results(
        actor=actor, exercise_id=tabletop.pk, run_at=drill_at - datetime.timedelta(days=30),
        measured_rto_seconds=Decimal("10800"), measured_rpo_seconds=Decimal("0"),
        issues="Valencia operations phone number out of date in the call tree.",
        follow_up_actions="Update the contacts and approve a new version of the plan.")
    services.plan_exercise(actor=actor, plan=documents, planned_on=today + datetime.timedelta(days=45))
    return [platform, brindisi, documents]
