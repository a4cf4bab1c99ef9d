"""The failover drill's write load: a platform process writing through the service layer.

Run as ``python -m secretariat.continuity.drill_load --run-label L --hosts H1,H2 --ports P1,P2
--dbname D``. The process connects with libpq's multi-host routing (``target_session_attrs=
read-write``), exactly as app servers in two data centres would: when the primary dies it keeps
retrying the host list until a writable server (the promoted standby) answers.

It prints one line per event on stdout, with CLOCK_MONOTONIC seconds (comparable across
processes on one machine):
    ACK <sequence> <time>    the transaction committed and the commit was acknowledged
    ERR <time> <message>     a write failed (not acknowledged); the next uses a new sequence
It prints READY once loaded, starts writing when a line arrives on stdin, and stops after SIGTERM, once the write in flight has finished.
"""

import argparse
import os
import signal
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-label", required=True)
    parser.add_argument("--hosts", required=True)
    parser.add_argument("--ports", required=True)
    parser.add_argument("--dbname", required=True)
    parser.add_argument("--retry-interval", type=float, default=0.02)
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{arguments.ports.split(',')[0]}/{arguments.dbname}"
    import django

    django.setup()
    from django.db import connection

    from secretariat.continuity.services import record_drill_probe

    # Point the platform at every site; libpq picks the writable one.
    connection.settings_dict.update(
        HOST=arguments.hosts, PORT=arguments.ports, CONN_MAX_AGE=None,
        OPTIONS={"target_session_attrs": "read-write", "connect_timeout": 2},
    )
    print("READY", flush=True)
    sys.stdin.readline()  # the drill says "go" once replication is streaming
    stopping = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stopping.update(now=True))

    sequence = 0
    while not stopping["now"]:
        sequence += 1
        try:
            record_drill_probe(run_label=arguments.run_label, sequence=sequence)
        except Exception as error:  # noqa: BLE001 - any failure is an unacknowledged write
            print(f"ERR {time.monotonic():.6f} {type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}",
                  flush=True)
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - the connection is already broken
                connection.connection = None
            time.sleep(arguments.retry_interval)
            continue
        print(f"ACK {sequence} {time.monotonic():.6f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
