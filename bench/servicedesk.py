"""Benchmark: a year of the Secretariat's service-desk volume (1,146,629 requests, source Table 5).

Generates a year of tickets, ingests them through the service layer
(``servicedesk.services.import_tickets``: the same validation, priority matrix, follow-the-sun
routing and SLA clocks as raising a single ticket), measures the raw insert rate of the very
same rows in the same run, computes the SLA compliance report for the year, and times the
business-time clock on its own.

    .venv/bin/python bench/servicedesk.py [--quick] [--tickets N]

PostgreSQL when DATABASE_URL is set (exactly the database it names: created and dropped, or, if
it already exists, used only when empty and emptied again; see ``bench_database.py``), otherwise
a temporary SQLite file. The last line printed is the JSON result.
"""

import argparse
import copy
import datetime
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench_database import prepare

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FULL_YEAR = 1_146_629

STATIONS = [  # code, zone, work days, start, end
    ("NY", "America/New_York", [1, 2, 3, 4, 5], "09:00", "17:30"),
    ("GVA", "Europe/Zurich", [1, 2, 3, 4, 5], "08:30", "17:30"),
    ("VIE", "Europe/Vienna", [1, 2, 3, 4, 5], "08:30", "17:00"),
    ("NBO", "Africa/Nairobi", [1, 2, 3, 4, 5], "08:00", "16:30"),
    ("BKK", "Asia/Bangkok", [1, 2, 3, 4, 5], "08:30", "17:00"),
    ("BEY", "Asia/Beirut", [1, 2, 3, 4, 5], "08:00", "16:00"),
    ("AMM", "Asia/Amman", [7, 1, 2, 3, 4], "08:00", "16:00"),
]
SERVICES = [("email", "ict", "45"), ("network", "ict", "60"), ("desktop", "ict", "38"), ("apps", "ict", "75"),
            ("telephony", "ict", "30"), ("facilities", "facilities", "55"), ("printing", "facilities", "20"),
            ("access", "ict", "25")]
LEVEL_TARGETS = {
    "bronze": ("business_hours", {1: (60, 480), 2: (120, 960), 3: (240, 1920), 4: (480, 3840)}),
    "silver": ("business_hours", {1: (30, 240), 2: (60, 480), 3: (120, 1440), 4: (240, 2880)}),
    "gold": ("round_the_clock", {1: (15, 120), 2: (30, 240), 3: (60, 480), 4: (120, 960)}),
}


def build_organisation(rng: random.Random):
    from django.contrib.auth import get_user_model

    from secretariat.core.models import Country, DutyStation, Entity, OrgUnit, Person, PublicHoliday
    from secretariat.servicedesk.models import Desk, Service, ServiceLevel, ServiceLevelTarget, Subscription

    import holidays as holiday_calendars

    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    country = Country.objects.get(alpha2="CH")
    stations = {}
    for code, zone, days, start, end in STATIONS:
        stations[code] = DutyStation.objects.create(code=code, name=code, country=country, city=code, time_zone=zone,
                                                    work_days=days, work_starts_at=start, work_ends_at=end)
    for code, country_code in [("NY", "US"), ("GVA", "CH"), ("VIE", "AT"), ("NBO", "KE"), ("BKK", "TH")]:
        for day, name in holiday_calendars.country_holidays(country_code, years=[2025, 2026]).items():
            PublicHoliday.objects.get_or_create(duty_station=stations[code], holiday_on=day,
                                                defaults={"name": str(name)[:200]})
    entity = Entity.objects.create(code="UN", name="United Nations", kind="secretariat", headquarters=stations["NY"])
    units = []
    for index in range(60):
        station = list(stations.values())[index % len(stations)]
        unit = OrgUnit.objects.create(entity=entity, code=f"D{index:02d}", name=f"Department {index}",
                                      level="department", duty_station=station, path="")
        unit.path = f"/{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    people = Person.objects.bulk_create(
        Person(given_name="Staff", family_name=f"Member{n}", gender="female", nationality=country,
               email=f"staff{n}@example.org", org_unit=units[n % len(units)],
               duty_station=units[n % len(units)].duty_station,
               preferred_language=rng.choice(["en", "en", "en", "fr", "fr", "es", "ar", "ru", "zh-hans"]))
        for n in range(3000))
    services = []
    for code, kind, price in SERVICES:
        service = Service.objects.create(code=code, name=code.title(), kind=kind, owner=admin, is_published=True,
                                         unit_price_amount=Decimal(price), currency="USD")
        levels = {}
        for level_code, (cover, targets) in LEVEL_TARGETS.items():
            level = ServiceLevel.objects.create(service=service, code=level_code, name=level_code.title(), cover=cover)
            ServiceLevelTarget.objects.bulk_create(
                ServiceLevelTarget(level=level, priority=p, response_minutes=r, resolution_minutes=s)
                for p, (r, s) in targets.items())
            levels[level_code] = level
        for unit in units:
            Subscription.objects.create(department=unit, service=service, valid_from=datetime.date(2020, 1, 1),
                                        level=levels[rng.choice(["bronze", "silver", "silver", "gold"])])
        services.append(service)
    for code, station in stations.items():
        Desk.objects.create(code=code.lower(), name=f"{code} desk", duty_station=station,
                            languages=["en", {"GVA": "fr", "VIE": "de", "NBO": "sw", "BKK": "zh-hans",
                                              "BEY": "ar", "AMM": "ar", "NY": "es"}[code], "fr" if code == "NBO" else "en"],
                            skills=["ict", "facilities"])
    return admin, people, services


def generate_drafts(rng: random.Random, people, services, count: int, year: int):
    """Tickets spread over the year, denser on working hours, with realistic handling times."""
    from secretariat.servicedesk.services import TicketDraft

    start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    seconds_in_year = 365 * 86400
    weights = [30, 14, 22, 12, 6, 8, 5, 3]
    for _ in range(count):
        opened = start + datetime.timedelta(seconds=rng.randrange(seconds_in_year))
        if rng.random() < 0.7:  # pull most tickets into the European/American working day
            opened = opened.replace(hour=rng.randrange(7, 20))
        response = datetime.timedelta(minutes=rng.lognormvariate(3.5, 1.0))
        resolution = response + datetime.timedelta(minutes=rng.lognormvariate(6.0, 1.4))
        is_open = opened > start + datetime.timedelta(days=358) and rng.random() < 0.5
        yield TicketDraft(
            requester=rng.choice(people), service=rng.choices(services, weights)[0], subject="Bench ticket",
            kind="incident" if rng.random() < 0.6 else "service_request", impact=rng.choice([1, 2, 2, 3, 3, 3]),
            urgency=rng.choice([1, 2, 2, 3]), channel=rng.choice(["portal", "email", "agent"]), opened_at=opened,
            responded_at=None if is_open else opened + response, resolved_at=None if is_open else opened + resolution,
        )


def batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 tickets instead of a full year")
    parser.add_argument("--tickets", type=int, help="number of tickets (overrides --quick)")
    parser.add_argument("--batch", type=int, default=5000)
    arguments = parser.parse_args()
    count = arguments.tickets or (20_000 if arguments.quick else FULL_YEAR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")
    vendor, clean_up = prepare("bench-servicedesk-")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(2025)
        admin, people, services = build_organisation(rng)
        from secretariat.servicedesk import selectors
        from secretariat.servicedesk.models import ServiceLevel, Ticket
        from secretariat.servicedesk.services import (
            ClockBook,
            active_desks,
            apply_sla,
            import_tickets,
            target_for,
            targets_by_level_priority,
        )

        clocks, desks, subscriptions = ClockBook(), active_desks(), {}
        targets = targets_by_level_priority(ServiceLevel.objects.values_list("pk", flat=True))
        now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        ingest_seconds = raw_seconds = 0.0
        sample, done = [], 0
        for batch in batched(generate_drafts(rng, people, services, count, 2025), arguments.batch):
            began = time.perf_counter()
            tickets = import_tickets(actor=admin, drafts=batch, clocks=clocks, desks=desks, targets=targets,
                                     subscriptions=subscriptions, now=now)
            ingest_seconds += time.perf_counter() - began
            # The same rows, inserted raw (no validation, no clocks), marked to be removed after.
            copies = []
            for ticket in tickets:
                duplicate = copy.copy(ticket)
                duplicate.pk = duplicate.id = None
                duplicate.category = "bench-raw"
                copies.append(duplicate)
            began = time.perf_counter()
            Ticket.objects.bulk_create(copies, batch_size=2000)
            raw_seconds += time.perf_counter() - began
            # Remove the copies (untimed) so both measurements always see the same table.
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM servicedesk_ticket WHERE category = %s", ["bench-raw"])
            if len(sample) < 50_000:
                sample.extend(tickets[:2000])
            done += len(batch)
            if done % 100_000 < len(batch):
                print(f"{done} tickets: ingest {done / ingest_seconds:.0f}/s, raw {done / raw_seconds:.0f}/s",
                      file=sys.stderr, flush=True)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE servicedesk_ticket")

        began = time.perf_counter()
        tickets = selectors.tickets_for_agent(actor=admin)
        report = {group: selectors.sla_compliance(tickets=tickets, year=2025, group_by=group)
                  for group in selectors.GROUPINGS}
        sla_report_s = time.perf_counter() - began

        # SLA clocks on their own: re-derive both clocks of already-planned tickets.
        levels = {level.pk: level for level in ServiceLevel.objects.all()}
        fresh_clocks = ClockBook()
        began = time.perf_counter()
        for ticket in sample:
            level = levels[ticket.level_id]
            apply_sla(ticket, clock=fresh_clocks.clock(duty_station=ticket.duty_station, level=level),
                      target=target_for(level=level, priority=ticket.priority, targets=targets), now=now)
        clock_seconds = time.perf_counter() - began

        stored = Ticket.objects.count()
        overall = selectors.sla_compliance(tickets=tickets, year=2025, group_by="service")
        resolved = sum(row["resolved"] for row in overall)
        within = sum(row["within_target"] for row in overall)
        result = {
            "bench": "servicedesk", "database": vendor, "tickets": stored,
            "ingest_per_s": round(count / ingest_seconds, 1), "raw_insert_per_s": round(count / raw_seconds, 1),
            "ingest_ratio": round(raw_seconds / ingest_seconds, 3), "sla_report_s": round(sla_report_s, 2),
            "sla_clock_per_s": round(len(sample) / clock_seconds, 1),
            "sla_compliance_percent": round(100 * within / resolved, 1) if resolved else None,
            "report_groups": {group: len(rows) for group, rows in report.items()},
        }
    finally:
        clean_up()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
