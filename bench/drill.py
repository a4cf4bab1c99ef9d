"""Benchmark: the failover drill's measured RPO and RTO, synchronous and asynchronous.

    .venv/bin/python bench/drill.py [--quick] [--runs N] [--load-seconds S]

Builds two PostgreSQL clusters on loopback per mode and run (primary + streaming standby),
applies the platform's write load through the service layer, kills the primary with SIGKILL,
promotes the standby and counts the acknowledged transactions it lacks. The drill needs no
platform database of its own (its clusters are throw-away); Django is configured only for the
code. The floor of any RTO here is the promotion time (from the kill to the first moment the
standby is known to accept writes, on the same clock as the RTO), reported as ``*_promote_s``.

Last line: JSON with "bench": "drill" and sync_lost_acknowledged, sync_rto_s,
async_lost_acknowledged, async_loss_window_s, async_rto_s (worst case over the runs).
"""

import argparse
import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")
VAR_DIR = tempfile.mkdtemp(prefix="bench-drill-var-")
atexit.register(shutil.rmtree, VAR_DIR, True)
os.environ["SECRETARIAT_VAR_DIR"] = VAR_DIR


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="One run with a short load (under a minute).")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--load-seconds", type=float, default=5.0)
    arguments = parser.parse_args()
    runs, load_seconds = (1, 0.5) if arguments.quick else (arguments.runs, arguments.load_seconds)

    import django

    django.setup()
    from secretariat.continuity.drill import run_failover_drill

    results = []
    for run in range(runs):
        figures = run_failover_drill(load_seconds=load_seconds)
        figures.pop("modes")
        results.append(figures)
        print(f"run {run + 1}/{runs}: " + ", ".join(f"{k}={v}" for k, v in figures.items()), flush=True)

    def worst(key):
        return max(result[key] for result in results)

    def median(key):
        return statistics.median(result[key] for result in results)

    summary = {
        "bench": "drill", "runs": runs, "load_seconds": load_seconds,
        "sync_lost_acknowledged": sum(r["sync_lost_acknowledged"] for r in results),
        "sync_rto_s": worst("sync_rto_s"),
        "async_lost_acknowledged": sum(r["async_lost_acknowledged"] for r in results),
        "async_loss_window_s": worst("async_loss_window_s"),
        "async_rto_s": worst("async_rto_s"),
        "sync_acknowledged": sum(r["sync_acknowledged"] for r in results),
        "async_acknowledged": sum(r["async_acknowledged"] for r in results),
        "sync_rto_median_s": median("sync_rto_s"), "async_rto_median_s": median("async_rto_s"),
        "sync_promote_s": worst("sync_promote_s"), "async_promote_s": worst("async_promote_s"),
        "target_met": sum(r["sync_lost_acknowledged"] for r in results) == 0 and worst("sync_rto_s") < 30,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
