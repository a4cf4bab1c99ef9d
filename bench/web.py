"""Web benchmark: home page and an API list endpoint under the demo organisation.

Builds its own database (a temporary SQLite file, or a throwaway PostgreSQL database
``bench_web`` on the server named by DATABASE_URL), loads the demo data, serves the platform
with gunicorn as in production and times requests from this (second) process.

    .venv/bin/python bench/web.py [--quick]

Prints one JSON line last: home_p50_ms, home_p95_ms, api_p50_ms, api_p95_ms.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Secretariat-demo-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url(base_url: str, database: str) -> str:
    return base_url.rsplit("/", 1)[0] + "/" + database


def recreate_postgres_database(base_url: str, database: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url(base_url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "secretariat"), *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed_gets(session: requests.Session, url: str, count: int) -> list[float]:
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(url, timeout=30)
        durations.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return durations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run for CI-sized machines")
    options = parser.parse_args()
    requests_per_page = 60 if options.quick else 400
    staff = 300 if options.quick else 2000

    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "secretariat.settings", "SECRETARIAT_VAR_DIR": str(workdir),
           "SECRETARIAT_SECRET_KEY": "benchmark-only-key", "SECRETARIAT_AUDIT_KEY": "benchmark-only-audit-key",
           "SECRETARIAT_HTTPS": "false",
           "SECRETARIAT_LOG_LEVEL": "WARNING"}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        recreate_postgres_database(os.environ["DATABASE_URL"], "bench_web")
        env["DATABASE_URL"] = postgres_url(os.environ["DATABASE_URL"], "bench_web")
        database = "postgresql"
    else:
        env.pop("DATABASE_URL", None)
        database = "sqlite"
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo", "--staff", str(staff))
    manage(env, "collectstatic", "--no-input")

    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "secretariat.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        session = requests.Session()
        session.get(f"{base}/login/")
        session.post(f"{base}/login/", data={"username": "admin", "password": PASSWORD,
                                             "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                     headers={"Referer": f"{base}/login/"}).raise_for_status()
        timed_gets(session, f"{base}/", 10)  # warm both workers
        home = timed_gets(session, f"{base}/", requests_per_page)
        api = timed_gets(session, f"{base}/api/v1/people/?page_size=50", requests_per_page)
    finally:
        server.terminate()
        server.wait()
    print(json.dumps({
        "bench": "web", "database": database, "requests_per_endpoint": requests_per_page, "staff": staff,
        "home_p50_ms": round(statistics.median(home), 2), "home_p95_ms": round(percentile(home, 0.95), 2),
        "api_p50_ms": round(statistics.median(api), 2), "api_p95_ms": round(percentile(api, 0.95), 2),
    }))


if __name__ == "__main__":
    main()
