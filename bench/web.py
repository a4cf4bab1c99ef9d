"""Web benchmark: home page and an API list endpoint under the demo organisation.

Builds its own database (a temporary SQLite file, or exactly the PostgreSQL database DATABASE_URL
names: created and dropped, or, if it already exists, used only when empty and emptied again; see
``bench_database.py``), loads the demo data, serves the platform with gunicorn as in production
and times requests from this (second) process.

    .venv/bin/python bench/web.py [--quick]

Prints one JSON line last: home_p50_ms, home_p95_ms, api_p50_ms, api_p95_ms.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from django_otp.oath import totp
from bench_database import postgres_database

from secretariat.core.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Secretariat-demo-2026"


TOTP_KEY = "3132333435363738393031323334353637383930"  # the benchmark's own authenticator secret


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
    postgres = postgres_database()
    if postgres is not None:
        database = "postgresql"  # env keeps DATABASE_URL
    else:
        env.pop("DATABASE_URL", None)
        database = "sqlite"
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo", "--staff", str(staff))
        # The demo's admin, a superuser, must sign in with a second factor: give it an authenticator.
        manage(env, "shell", "-c", "from django.contrib.auth import get_user_model; "
               "from django_otp.plugins.otp_totp.models import TOTPDevice; "
               "TOTPDevice.objects.create(user=get_user_model().objects.get(username='admin'), "
               f"name='benchmark', key='{TOTP_KEY}', confirmed=True)")
        manage(env, "collectstatic", "--no-input")
        home, api = measure(env, requests_per_page)
    finally:
        if postgres is not None:
            postgres.clean_up()
    print(json.dumps({
        "bench": "web", "database": database, "requests_per_endpoint": requests_per_page, "staff": staff,
        "home_p50_ms": round(statistics.median(home), 2), "home_p95_ms": round(percentile(home, 0.95), 2),
        "api_p50_ms": round(statistics.median(api), 2), "api_p95_ms": round(percentile(api, 0.95), 2),
    }))


def measure(env: dict, requests_per_page: int) -> tuple[list[float], list[float]]:
    """Serve the platform with gunicorn and time the home page and the API list (ms per request)."""
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
        signed_in = session.post(f"{base}/login/", headers={"Referer": f"{base}/login/"}, data={
            "username": "admin", "password": PASSWORD, "otp_token": f"{totp(bytes.fromhex(TOTP_KEY)):06d}",
            "csrfmiddlewaretoken": session.cookies["csrftoken"]})
        signed_in.raise_for_status()
        if signed_in.url.rstrip("/") != base:  # still on the login form, or sent to enrol
            raise SystemExit(f"bench/web.py: signing in as admin ended on {signed_in.url}")
        timed_gets(session, f"{base}/", 10)  # warm both workers
        home = timed_gets(session, f"{base}/", requests_per_page)
        api = timed_gets(session, f"{base}/api/v1/people/?page_size=50", requests_per_page)
    finally:
        server.terminate()
        server.wait()
    return home, api


if __name__ == "__main__":
    main()
