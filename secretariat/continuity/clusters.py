"""Throw-away PostgreSQL clusters on loopback, for the failover drill and recovery rehearsals.

The server refuses to run as root, so when the platform runs as root every server binary is
started as the ``postgres`` OS user (``runuser``). Clusters live in a temporary directory,
listen on 127.0.0.1 only, on free ports, and never touch the platform's own database server.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from secretariat.core.ports import free_port

PG_BIN = Path(os.environ.get("SECRETARIAT_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_USER = "postgres"


def as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


def run_tool(*arguments: str, timeout: float = 120) -> str:
    """Run a PostgreSQL tool; raise with its own error output if it fails."""
    completed = subprocess.run(as_server_user([str(PG_BIN / arguments[0]), *arguments[1:]]), capture_output=True,
                               text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"{arguments[0]} failed: {completed.stderr.strip() or completed.stdout.strip()}")
    return completed.stdout


def make_work_dir(prefix: str) -> Path:
    """A temporary directory the server user owns (and may traverse into)."""
    work_dir = Path(tempfile.mkdtemp(prefix=prefix))
    work_dir.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(work_dir, SERVER_USER, SERVER_USER)
    return work_dir


def remove_work_dir(work_dir: Path) -> None:
    shutil.rmtree(work_dir, ignore_errors=True)


class LoopbackCluster:
    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()

    # --- lifecycle ---
    def initialise(self) -> None:
        run_tool("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")

    def configure(self, **settings) -> None:
        """Append settings to postgresql.auto.conf; later lines win, so this also overrides."""
        lines = "".join(f"{name} = '{value}'\n" for name, value in settings.items())
        auto_conf = self.data_dir / "postgresql.auto.conf"
        run_tool_write(auto_conf, lines)

    def configure_for_loopback(self, *, socket_dir: Path) -> None:
        self.configure(listen_addresses="127.0.0.1", port=self.port, unix_socket_directories=str(socket_dir),
                       wal_level="replica", max_wal_senders=5, hot_standby="on", max_connections=40,
                       shared_buffers="32MB", wal_keep_size="256MB", logging_collector="off")

    def start(self) -> None:
        try:
            run_tool("pg_ctl", "-D", str(self.data_dir), "-l", str(self.data_dir / "server.log"), "-w", "-t", "60",
                     "-o", f"-p {self.port}", "start")
        except RuntimeError as error:
            raise RuntimeError(f"{error}; server log: {self.log_tail()}") from error

    def log_tail(self, lines: int = 5) -> str:
        try:
            return " | ".join((self.data_dir / "server.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, mode: str = "fast") -> None:
        if self.is_running():
            run_tool("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "-t", "60", "stop")

    def promote(self, *, wait: bool = True) -> None:
        """Promote a standby; ``wait=False`` returns at once so the caller can time the promotion itself."""
        run_tool("pg_ctl", "-D", str(self.data_dir), *(["-w", "-t", "60"] if wait else ["-W"]), "promote")

    def postmaster_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            return int(pid_file.read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError, PermissionError):
            return None

    def is_running(self) -> bool:
        pid = self.postmaster_pid()
        return pid is not None and Path(f"/proc/{pid}").exists()

    def kill(self) -> None:
        """Kill the server uncleanly: SIGKILL to the postmaster and every child, like a power cut."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        victims = [pid, *child_pids(pid)]
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{victim}").exists() and not is_zombie(victim) for victim in victims):
            if time.monotonic() > deadline:
                raise RuntimeError("the killed server did not exit")
            time.sleep(0.01)

    # --- SQL ---
    def dsn(self, dbname: str = "postgres", **extra) -> str:
        parts = {"host": "127.0.0.1", "port": self.port, "user": "postgres", "dbname": dbname, **extra}
        return " ".join(f"{key}={value}" for key, value in parts.items())

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def query(self, sql: str, params=None, *, dbname: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.dsn(dbname), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def run_tool_write(path: Path, text: str) -> None:
    """Append to a file the server user owns."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def child_pids(parent: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == parent:
            children.append(int(entry.name))
    return children


def is_zombie(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def copy_data_dir(source: Path, destination: Path) -> None:
    """Copy a stopped cluster's data directory, keeping ownership and modes."""
    completed = subprocess.run(as_server_user(["cp", "-a", str(source), str(destination)]), capture_output=True,
                               text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"copying {source} failed: {completed.stderr.strip()}")


def base_backup(primary: LoopbackCluster, destination: Path, *, write_recovery_conf: bool = True,
                wal_method: str = "stream") -> None:
    arguments = ["pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D",
                 str(destination), "-X", wal_method, "-c", "fast", "--no-sync"]
    if write_recovery_conf:
        arguments.append("-R")
    run_tool(*arguments)


def wait_for(condition, *, timeout: float, interval: float = 0.05, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(interval)


def enable_wal_archiving(cluster: LoopbackCluster, archive_dir: Path) -> None:
    """Archive every completed WAL segment to ``archive_dir`` (never overwriting one)."""
    cluster.configure(archive_mode="on", archive_command=f"test ! -f {archive_dir}/%f && cp %p {archive_dir}/%f",
                      archive_timeout="0")


def recover_to_point_in_time(*, base_backup_dir: Path, wal_archive: Path, target_time: str, data_dir: Path,
                             timeout: float = 60) -> LoopbackCluster:
    """Start a new cluster from a base backup, replaying archived WAL up to ``target_time``.

    Recovery stops before the first transaction committed after ``target_time`` and the cluster
    is promoted, ready for the platform (docs/operations/backup-and-restore.md).
    """
    copy_data_dir(base_backup_dir, data_dir)
    cluster = LoopbackCluster(data_dir)
    for leftover in ("standby.signal", "postmaster.pid"):
        (data_dir / leftover).unlink(missing_ok=True)
    cluster.configure(port=cluster.port, archive_mode="off", restore_command=f"cp {wal_archive}/%f %p",
                      recovery_target_time=target_time, recovery_target_action="promote")
    subprocess.run(as_server_user(["touch", str(data_dir / "recovery.signal")]), check=True)
    cluster.start()
    wait_for(lambda: cluster.query("SELECT pg_is_in_recovery()")[0][0] is False, timeout=timeout,
             what="point-in-time recovery to finish")
    return cluster
