"""The failover drill: two PostgreSQL clusters on loopback, a write load, a killed primary.

For each replication mode (synchronous, then asynchronous) the drill builds a primary and a
streaming standby, runs the platform's write load (``drill_load``) against them, kills the
primary with SIGKILL, promotes the standby and measures:
- lost acknowledged transactions: acknowledged writes missing on the promoted standby
  (synchronous replication promises none — RPO = 0);
- promotion time: seconds from the kill until the standby is first known to accept writes;
- RTO: seconds from the kill until the next write is acknowledged by the promoted standby;
  both on CLOCK_MONOTONIC (shared by the drill and its load process), so RTO ≥ promotion;
- loss window: seconds of acknowledged work lost (from the earliest lost acknowledgement to
  the kill), zero when nothing was lost.
Only one drill runs per machine at a time (an exclusive lock file).
"""

import fcntl
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

from secretariat.continuity.clusters import (
    LoopbackCluster,
    base_backup,
    copy_data_dir,
    make_work_dir,
    remove_work_dir,
    wait_for,
)
from secretariat.continuity.exceptions import DrillAlreadyRunning, DrillFailed

DRILL_DATABASE = "secretariat_drill"
STANDBY_NAME = "drill_standby"


def drill_lock_path() -> Path:
    return Path(os.environ.get("SECRETARIAT_DRILL_LOCK", Path(tempfile.gettempdir()) / "secretariat-failover-drill.lock"))


@contextmanager
def exclusive_drill_lock():
    """Hold the machine-wide drill lock, or refuse at once if another drill holds it."""
    path = drill_lock_path()
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DrillAlreadyRunning(lock=str(path)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


@dataclass
class ModeResult:
    mode: str
    acknowledged: int
    lost_acknowledged: int
    loss_window_s: float
    rto_s: float
    promote_s: float
    unacknowledged_errors: int
    replication_lag_before_kill_s: float | None = None
    lost_sequences: list[int] = field(default_factory=list)


class LoadProcess:
    """The write-load subprocess and what it reported."""

    def __init__(self, *, run_label: str, primary: LoopbackCluster, standby: LoopbackCluster):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "secretariat.settings"))
        self.acks: list[tuple[int, float]] = []
        self.errors: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "secretariat.continuity.drill_load", "--run-label", run_label,
             "--hosts", "127.0.0.1,127.0.0.1", "--ports", f"{primary.port},{standby.port}", "--dbname", DRILL_DATABASE],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            cwd=str(settings.BASE_DIR),
        )
        self.ready = False
        self.stderr_tail: str | None = None
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        for line in self.process.stdout:
            kind, _, rest = line.strip().partition(" ")
            if kind == "READY":
                self.ready = True
            elif kind == "ACK":
                sequence, at = rest.split()
                self.acks.append((int(sequence), float(at)))
            elif kind == "ERR":
                at, _, message = rest.partition(" ")
                self.errors.append((float(at), message))

    def go(self) -> None:
        """Start writing (the process has loaded the platform meanwhile)."""
        wait_for(lambda: self.ready or self.process.poll() is not None, timeout=60, what="the write load to load")
        if self.process.poll() is None:
            self.process.stdin.write("go\n")
            self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        if self.stderr_tail is None:
            self.stderr_tail = (self.process.stderr.read() or "")[-2000:]
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()

    def failure(self) -> str:
        if self.process.poll() is None:
            return ""
        if self.stderr_tail is None:
            self.stderr_tail = (self.process.stderr.read() or "")[-2000:]
        return self.stderr_tail


def prepare_template(work_dir: Path) -> LoopbackCluster:
    """A stopped cluster holding the platform's migrated schema, copied for each mode."""
    template = LoopbackCluster(work_dir / "template")
    template.initialise()
    template.configure_for_loopback(socket_dir=work_dir)
    # Building the schema needs no durability (a clean shutdown follows); the drill's clusters
    # themselves run with fsync on, as production does.
    template.configure(fsync="off", full_page_writes="off")
    template.start()
    try:
        template.query(f"CREATE DATABASE {DRILL_DATABASE}")
        env = {**os.environ, "DATABASE_URL": template.url(DRILL_DATABASE)}
        # Only the apps the drill's write path needs: the core (audit trail) and continuity.
        migrate = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from django.core.management import call_command; "
             "call_command('migrate', 'core', verbosity=0); call_command('migrate', 'continuity', verbosity=0)"],
            capture_output=True, text=True, env=env, cwd=str(settings.BASE_DIR), timeout=300)
        if migrate.returncode != 0:
            raise DrillFailed(reason=f"migrating the drill database failed: {migrate.stderr.strip()[-1000:]}")
    finally:
        template.stop()
    template.configure(fsync="on", full_page_writes="on")
    return template


def replication_state(primary: LoopbackCluster) -> tuple[str, str] | None:
    rows = primary.query("SELECT state, sync_state FROM pg_stat_replication WHERE application_name = %s",
                         [STANDBY_NAME])
    return rows[0] if rows else None


def first_write_after_failover(*, killed_at: float, acks: list[tuple[int, float]],
                               errors: list[tuple[float, str]]) -> float | None:
    """When the load's first write after the failover was acknowledged, or None yet.

    A commit acknowledged just as the kill landed may carry a time after ``killed_at``, so
    recovery is the first acknowledgement after the first write that failed after the kill.
    """
    failed = [at for at, _message in errors if at > killed_at]
    later = [at for _sequence, at in acks if failed and at > min(failed)]
    return min(later) if later else None


def first_writable_at(standby: LoopbackCluster, *, timeout: float = 60) -> float:
    """CLOCK_MONOTONIC time at which the drill first saw the standby out of recovery (polled every 5 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if standby.query("SELECT pg_is_in_recovery()")[0][0] is False:
                return time.monotonic()
        except Exception:  # noqa: BLE001 - still starting up: keep polling
            pass
        time.sleep(0.005)
    raise RuntimeError("timed out waiting for the standby to be promoted")


@dataclass(frozen=True)
class FailoverTimings:
    promote_s: float
    rto_s: float


def failover_timings(*, killed_at: float, writable_seen_at: float, recovered_at: float) -> FailoverTimings:
    """Promotion time and RTO, both from the kill and on one clock (CLOCK_MONOTONIC), so RTO ≥ promotion.

    - promotion: until the standby is first known to accept writes — seen by the drill's poll or
      proved earlier by the load's acknowledged write, whichever came first;
    - RTO: until the platform's load has its first write acknowledged by the promoted standby.
    """
    promoted_at = min(writable_seen_at, recovered_at)
    return FailoverTimings(promote_s=round(promoted_at - killed_at, 4), rto_s=round(recovered_at - killed_at, 4))


def run_mode(*, work_dir: Path, primary: LoopbackCluster, mode: str, load_seconds: float,
             after_seconds: float) -> ModeResult:
    """One failover of ``primary`` (a stopped copy of the template) onto a fresh streaming standby."""
    standby = LoopbackCluster(work_dir / f"{mode}-standby")
    primary.configure(port=primary.port, synchronous_commit="on",
                      synchronous_standby_names=STANDBY_NAME if mode == "synchronous" else "")
    load = None
    run_label = f"{mode[:5]}-{uuid.uuid4().hex[:12]}"
    try:
        primary.start()
        load = LoadProcess(run_label=run_label, primary=primary, standby=standby)  # loads while we set up
        base_backup(primary, standby.data_dir)
        # Once promoted, the survivor has no standby of its own: it must not wait for one, or
        # every commit would hang until the lost site is rebuilt (docs/operations/two-site.md).
        standby.configure(port=standby.port, synchronous_standby_names="", primary_conninfo=(
            f"host=127.0.0.1 port={primary.port} user=postgres application_name={STANDBY_NAME}"))
        standby.start()
        expected = ("streaming", "sync" if mode == "synchronous" else "async")
        wait_for(lambda: replication_state(primary) == expected, timeout=30, what=f"{mode} streaming replication")

        load.go()
        wait_for(lambda: load.acks or load.process.poll() is not None or len(load.errors) >= 25, timeout=60,
                 what="the first write")
        if not load.acks:
            last_error = load.errors[-1][1] if load.errors else load.failure()
            raise DrillFailed(reason=f"the write load did not start: {last_error}")
        time.sleep(load_seconds)

        lag = primary.query("SELECT EXTRACT(EPOCH FROM COALESCE(replay_lag, interval '0'))::float8 "
                            "FROM pg_stat_replication WHERE application_name = %s", [STANDBY_NAME])
        killed_at = time.monotonic()
        primary.kill()
        standby.promote(wait=False)
        writable_seen_at = first_writable_at(standby)

        def recovered_at() -> float | None:
            return first_write_after_failover(killed_at=killed_at, acks=list(load.acks), errors=list(load.errors))

        wait_for(lambda: recovered_at() is not None or load.process.poll() is not None, timeout=60,
                 what="the first write after failover")
        recovered = recovered_at()
        if recovered is None:
            raise DrillFailed(reason=f"no write succeeded after failover: {load.failure()}")
        timings = failover_timings(killed_at=killed_at, writable_seen_at=writable_seen_at, recovered_at=recovered)
        time.sleep(after_seconds)
        load.stop()

        acknowledged = dict(load.acks)
        present = {row[0] for row in standby.query(
            "SELECT sequence FROM continuity_drillprobe WHERE run_label = %s", [run_label], dbname=DRILL_DATABASE)}
        lost = sorted(set(acknowledged) - present)
        loss_window = max(0.0, killed_at - min(acknowledged[sequence] for sequence in lost)) if lost else 0.0
        return ModeResult(
            mode=mode, acknowledged=len(acknowledged), lost_acknowledged=len(lost),
            loss_window_s=round(loss_window, 4), rto_s=timings.rto_s, promote_s=timings.promote_s,
            unacknowledged_errors=len(load.errors), replication_lag_before_kill_s=lag[0][0] if lag else None,
            lost_sequences=lost[:50],
        )
    finally:
        if load is not None:
            load.stop()
        for cluster in (standby, primary):
            try:
                cluster.kill() if cluster is primary else cluster.stop("immediate")
            except RuntimeError:
                pass


def run_failover_drill(*, modes: tuple[str, ...] = ("synchronous", "asynchronous"), load_seconds: float = 3.0,
                       after_seconds: float = 0.5, keep_work_dir: bool = False) -> dict:
    """Run the drill for each mode under the machine-wide lock; return the figures as a dict."""
    with exclusive_drill_lock():
        work_dir = make_work_dir("secretariat-drill-")
        started = time.monotonic()
        try:
            template = prepare_template(work_dir)
            primaries = {}
            for mode in modes[1:]:
                primaries[mode] = LoopbackCluster(work_dir / f"{mode}-primary")
                copy_data_dir(template.data_dir, primaries[mode].data_dir)
            primaries[modes[0]] = template  # the first mode runs on the template itself
            results = {mode: run_mode(work_dir=work_dir, primary=primaries[mode], mode=mode,
                                      load_seconds=load_seconds, after_seconds=after_seconds) for mode in modes}
        except RuntimeError as error:
            raise DrillFailed(reason=str(error)) from error
        finally:
            if not keep_work_dir:
                remove_work_dir(work_dir)
    figures: dict = {}
    for mode, result in results.items():
        prefix = "sync" if mode == "synchronous" else "async"
        figures.update({
            f"{prefix}_acknowledged": result.acknowledged,
            f"{prefix}_lost_acknowledged": result.lost_acknowledged,
            f"{prefix}_loss_window_s": result.loss_window_s,
            f"{prefix}_rto_s": result.rto_s,
            f"{prefix}_promote_s": result.promote_s,
            f"{prefix}_replication_lag_before_kill_s": result.replication_lag_before_kill_s,
        })
    figures["duration_s"] = round(time.monotonic() - started, 2)
    figures["modes"] = {mode: asdict(result) for mode, result in results.items()}
    return figures
