"""Benchmark of the budget check: commitments per second and p95 latency of commit_funds with 50
concurrent workers against a handful of allotments, the CPU a commitment costs, the latency at a
steady arrival rate, and the overspend that results (must be 0).

    .venv/bin/python bench/budget.py [--quick]

PostgreSQL when DATABASE_URL is set (exactly the database it names: created and dropped, or, if
it already exists, used only when empty and emptied again; see ``bench_database.py``), otherwise
a temporary SQLite file. Four phases, each with the same workers:

1. timed (closed loop): every check ends in a commitment (the allotments are ample), so the
   latency is that of the full check-and-commit path; gives ``commitments_per_s``,
   ``check_p95_ms`` and ``cpu_ms_per_commitment`` (CPU of the worker processes and, on a local
   PostgreSQL, of their server backends, per commitment; target ≤ 4);
2. open loop: commitments arrive at a steady ``--rate`` per second (100, far above the
   Organization's real rate) whatever the previous ones are doing, and latency is measured from
   each arrival, so queueing counts; gives ``open_loop_rate_per_s`` and
   ``open_loop_check_p95_ms`` (target < 50);
3. hard stop: the closed-loop load against small allotments that run dry, where most checks must
   be refused; gives ``overspend_usd`` (must be 0) and the refusal latency;
4. physical limit: the smallest transaction a hard-stop commitment needs — lock and update one
   of as many rows as there are allotments, and commit — in raw SQL; ``commitments_to_limit`` is
   the closed-loop commitments per second over its transactions per second (target ≥ 0.25).

The last line printed is a JSON object: bench, open_loop_rate_per_s, open_loop_check_p95_ms,
commitments_to_limit, cpu_ms_per_commitment, overspend_usd, …
"""

import argparse
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


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def backend_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) a local process has used so far; 0 when it cannot be read."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S  # utime and stime, fields 14 and 15


def server_pid(connection) -> int | None:
    """The PostgreSQL backend serving ``connection`` if the server runs on this machine."""
    if connection.vendor != "postgresql" or connection.settings_dict["HOST"] not in ("", "localhost", "127.0.0.1"):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def run_workers(workers: int, seconds: float, work, extra=(), rate: float | None = None
                ) -> tuple[list[tuple], dict, list[float], float]:
    """Run ``work(worker, rng)`` in ``workers`` processes for ``seconds``.

    Closed loop (``rate`` None): each process calls ``work`` again as soon as it returns. Open
    loop: calls arrive at ``rate`` per second in all, process ``w`` taking arrivals w, w + workers,
    …; ``began`` is the arrival, so a call waiting for a busy process counts that wait.

    Returns (began, ended, outcome) per call (monotonic clock, shared by the processes), the
    outcome counts, ``extra`` (a list the work function appends timings to, per process) and
    the CPU seconds the processes and their local database backends used while working.

    Separate processes, as application servers run: threads of one process would queue on the
    interpreter lock while holding database locks, and measure that instead of the database.
    """
    import multiprocessing

    from django.db import connections

    connections.close_all()  # children open their own connections
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = context.Barrier(workers)

    def loop(worker: int) -> None:
        rng = random.Random(worker)
        latencies, outcomes = [], {}
        connections["default"].ensure_connection()  # connecting is not part of what is measured
        backend = server_pid(connections["default"])
        start.wait()
        cpu_before = time.process_time() + backend_cpu_s(backend)
        started = time.monotonic()
        deadline = started + seconds
        arrival = 0
        try:
            while time.monotonic() < deadline:
                if rate is None:
                    began = time.monotonic()
                else:
                    began = started + (arrival * workers + worker) / rate
                    arrival += 1
                    if began >= deadline:
                        break
                    time.sleep(max(0.0, began - time.monotonic()))
                outcome = work(worker, rng)
                ended = time.monotonic()
                latencies.append((began, ended, outcome))
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            cpu = time.process_time() + backend_cpu_s(backend) - cpu_before
            connections.close_all()
            results.put((latencies, outcomes, list(extra), cpu))

    processes = [context.Process(target=loop, args=(n,)) for n in range(workers)]
    for process in processes:
        process.start()
    latencies: list[tuple] = []
    outcomes: dict[str, int] = {}
    extras: list[float] = []
    cpu_s = 0.0
    for _ in processes:
        worker_latencies, worker_outcomes, worker_extra, worker_cpu = results.get()
        latencies.extend(worker_latencies)
        extras.extend(worker_extra)
        cpu_s += worker_cpu
        for key, value in worker_outcomes.items():
            outcomes[key] = outcomes.get(key, 0) + value
    for process in processes:
        process.join()
    return latencies, outcomes, extras, cpu_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (a few seconds per phase)")
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--allotments", type=int, default=5)
    parser.add_argument("--rate", type=float, default=100.0, help="open-loop arrivals per second")
    args = parser.parse_args()
    seconds = 4.0 if args.quick else 30.0
    stop_seconds = 3.0 if args.quick else 10.0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")
    vendor, clean_up = prepare("bench-budget-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Sum

    from secretariat.budget.exceptions import FundsNotAvailable
    from secretariat.budget.models import (
        Allotment,
        Appropriation,
        BudgetSection,
        Commitment,
        ObjectOfExpenditure,
    )
    from secretariat.budget.selectors import available_funds
    from secretariat.budget.services.commitments import commit_funds
    from secretariat.core.models import DutyStation, Entity, OrgUnit
    from secretariat.finance.models import Fund

    try:
        for app in ("core", "budget"):  # budget, what it depends on and the audit trail's newest state: quicker
            call_command("migrate", app, verbosity=0)
        from django.contrib.auth import get_user_model

        from secretariat.core.models import Country

        # given: one office, one appropriation, and two sets of allotments: ample ones, which the
        # timed phase cannot exhaust (every check ends in a commitment, the expensive path), and
        # tight ones, which run dry within a second or two so that the hard stop works under load.
        station = DutyStation.objects.create(code="NYC", name="New York", country=Country.objects.get(alpha2="US"),
                                             city="New York", time_zone="America/New_York", work_days=[1, 2, 3, 4, 5])
        entity = Entity.objects.create(code="UNHQ", name="Headquarters", kind="secretariat", headquarters=station)
        unit = OrgUnit.objects.create(entity=entity, code="OICT", name="OICT", level="office", duty_station=station,
                                      path="")
        unit.path = f"/{unit.pk}/"
        unit.save()
        officer = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        this_year = datetime.date.today().year  # commitments are dated today, within the appropriation's period
        section = BudgetSection.objects.create(code="29C", title="OICT", budget_year=this_year, org_unit=unit)
        objects = ObjectOfExpenditure.values[::-1]  # one allotment per object class and unit
        count = min(args.allotments, len(objects) // 2)
        ample, tight = Decimal("1000000000"), Decimal("2000")
        total = (ample + tight) * count
        appropriation = Appropriation.objects.create(
            section=section, fund=Fund.objects.create(code="RB", name="Regular budget", kind="regular_budget",
                                                      calendar="calendar_year"),
            period_start_on=datetime.date(this_year, 1, 1), period_end_on=datetime.date(this_year, 12, 31),
            original_amount=total, amount=total,
            allotted_amount=total, status="approved")

        def allot(amount, objects):
            return [Allotment.objects.create(appropriation=appropriation, certifying_unit=unit,
                                             object_of_expenditure=object_, amount=amount, available_amount=amount,
                                             issued_by=officer).pk for object_ in objects]

        ample_ids, tight_ids = allot(ample, objects[:count]), allot(tight, objects[count:2 * count])
        connection.close()

        # when: 50 workers each check the available balance of a random allotment (timed on its
        # own, as a requisition's funds check) and then commit 1–100 USD against it
        read_latencies = []

        def committing_against(allotment_ids):
            def commit(worker, rng):
                allotment_id = rng.choice(allotment_ids)
                began = time.perf_counter()
                available_funds(allotment=Allotment(pk=allotment_id))
                read_latencies.append(time.perf_counter() - began)
                try:
                    commit_funds(actor=officer, allotment_id=allotment_id,
                                 amount=Decimal(rng.randint(100, 10000)) / 100, source="procurement",
                                 source_reference=f"BENCH-{worker}")
                    return "accepted"
                except FundsNotAvailable:
                    return "refused"
                except Exception as error:  # e.g. SQLite's "database is locked" under 50 writers
                    return f"error: {type(error).__name__}"
            return commit

        timed, timed_outcomes, read_latencies, timed_cpu_s = run_workers(
            args.workers, seconds, committing_against(ample_ids), read_latencies)
        open_loop, open_outcomes, _reads, _cpu = run_workers(args.workers, seconds, committing_against(ample_ids),
                                                             rate=args.rate)
        hard_stop, stop_outcomes, _reads, _cpu = run_workers(args.workers, stop_seconds,
                                                             committing_against(tight_ids))

        # then: the sum of accepted commitments never exceeds any allotment
        overspend = Decimal("0")
        balances_agree = True
        for allotment in Allotment.objects.filter(pk__in=ample_ids + tight_ids):
            committed = Commitment.objects.filter(allotment=allotment).aggregate(t=Sum("amount"))["t"] or Decimal(0)
            overspend += max(Decimal("0"), committed - allotment.amount)
            balances_agree &= committed == allotment.committed_amount and allotment.available_amount >= 0
        timed_latencies = [ended - began for began, ended, _outcome in timed]
        refusal_latencies = [ended - began for began, ended, outcome in hard_stop if outcome == "refused"]

        # physical limit: the same workers, each transaction locking and updating one of as many
        # rows as there are allotments (the allotment's running balance) and committing
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_hot_row (id integer PRIMARY KEY, n bigint NOT NULL)")
            for row in range(count):
                cursor.execute("INSERT INTO bench_hot_row VALUES (%s, 0)", [row])
        connection.close()

        def hot_row(worker, rng):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE bench_hot_row SET n = n + 1 WHERE id = %s", [rng.randrange(count)])
            return "done"

        limit_latencies, limit_outcomes, _unused, _cpu = run_workers(args.workers, seconds, hot_row)
        check_p95 = percentile(timed_latencies, 0.95)
        limit_p95 = percentile([e - b for b, e, _o in limit_latencies], 0.95)
        commitments_per_s = timed_outcomes.get("accepted", 0) / seconds
        limit_per_s = limit_outcomes.get("done", 0) / seconds
        open_latencies = [ended - began for began, ended, outcome in open_loop if outcome == "accepted"]

        result = {
            "bench": "budget",
            "open_loop_rate_per_s": round(open_outcomes.get("accepted", 0) / seconds, 1),
            "open_loop_check_p95_ms": round(percentile(open_latencies, 0.95) * 1000, 1),
            "commitments_to_limit": round(commitments_per_s / limit_per_s, 3) if limit_per_s else None,
            "cpu_ms_per_commitment": (round(timed_cpu_s * 1000 / timed_outcomes["accepted"], 2)
                                      if timed_outcomes.get("accepted") else None),
            "cpu_includes_server": vendor == "postgresql" and connection.settings_dict["HOST"] in (
                "", "localhost", "127.0.0.1"),
            "database": vendor,
            "workers": args.workers,
            "allotments": count,
            "seconds": seconds,
            "commitments": timed_outcomes.get("accepted", 0),
            "errors": sum(v for outcomes in (timed_outcomes, open_outcomes, stop_outcomes)
                          for k, v in outcomes.items() if k.startswith("error")),
            "commitments_per_s": round(commitments_per_s, 1),
            "availability_read_p95_ms": round(percentile(read_latencies, 0.95) * 1000, 1),
            "check_p50_ms": round(percentile(timed_latencies, 0.50) * 1000, 1),
            "check_p95_ms": round(check_p95 * 1000, 1),
            "check_p99_ms": round(percentile(timed_latencies, 0.99) * 1000, 1),
            "hard_stop_attempts": len(hard_stop),
            "hard_stop_accepted": stop_outcomes.get("accepted", 0),
            "hard_stop_refused": stop_outcomes.get("refused", 0),
            "refusal_p95_ms": round(percentile(refusal_latencies, 0.95) * 1000, 1),
            "overspend_usd": float(overspend),
            "balances_agree": balances_agree,
            "physical_limit_tx_per_s": round(limit_per_s, 1),
            "physical_limit_p95_ms": round(limit_p95 * 1000, 1),
            "check_p95_to_limit": round(check_p95 / limit_p95, 2) if limit_p95 else None,
        }
    finally:
        clean_up()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
