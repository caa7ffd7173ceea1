"""A real PostgreSQL restart in the middle of the door's rush, against gunicorn (gunicorn.conf.py).

    .venv/bin/python bench/pg_restart.py                      # restarts the local cluster (pg_ctlcluster 15 main)
    .venv/bin/python bench/pg_restart.py --restart "systemctl restart postgresql" --delegates 1500

4 desks (threads, keep-alive connections) check in 1,000 delegates through `POST /api/v1/checkin`,
repeating a scan the server answers with 503 after its Retry-After (capped at 1 s here), as the desk
page does. Two seconds in, PostgreSQL is restarted for real. Prints what the desks saw (statuses, how
long the database was away as the desks felt it, the slowest scan) and checks in the database that
every delegate is checked in exactly once. Exit status 1 on any 500, a lost or doubled check-in.

It drops and recreates the database `asar_pg_restart` on 127.0.0.1:5432 (user postgres). Needs the
right to restart PostgreSQL (root on the development machine). Not a test: CI must not restart the
machine's database under other runs; tests/test_database_outage.py kills connections instead.
"""
import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import psycopg  # noqa: E402

from checkin_api import build_database, check_database, free_port, stop_gunicorn  # noqa: E402

DATABASE = "asar_pg_restart"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"


def fresh_database() -> None:
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0")


def start_gunicorn(secret: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "ASAR_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": URL,
           "PYTHONPATH": str(ROOT), "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "",
           "GUNICORN_LOG_LEVEL": "warning", "RATELIMIT_ENABLED": "0", "RATELIMIT_STORAGE_URI": "memory://"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "run:app"], cwd=ROOT,
                               env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    raise SystemExit(f"gunicorn did not answer; see {log}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--desks", type=int, default=4)
    parser.add_argument("--restart", default="pg_ctlcluster 15 main restart")
    parser.add_argument("--after", type=float, default=2.0, help="seconds into the rush before the restart")
    args = parser.parse_args()

    secret = secrets.token_hex(32)
    fresh_database()
    world = build_database(URL, secret, args.delegates)
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="asar-pg-restart-")) / "gunicorn.log"
    server = start_gunicorn(secret, port, log)

    jobs = list(zip(world["delegate_ids"], world["badges"]))
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    failures_at: list[float] = []
    latencies: list[float] = []
    problems: list[str] = []

    def desk() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not jobs:
                    return
                _delegate_id, badge = jobs.pop()
            started = time.monotonic()
            for _attempt in range(60):
                try:
                    conn.request("POST", "/api/v1/checkin", body=json.dumps({"token": badge}),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {world['api_token']}"})
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                    retry_after = float(response.headers.get("Retry-After") or 1)
                except OSError as exc:  # gunicorn itself stays up: this would be a finding
                    status, body, retry_after = 0, str(exc).encode(), 1.0
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status != 200:
                        failures_at.append(time.monotonic())
                if status == 200:
                    break
                if status != 503:
                    with lock:
                        problems.append(f"{status}: {body[:200]!r}")
                time.sleep(min(retry_after, 1.0))
            with lock:
                latencies.append(time.monotonic() - started)

    threads = [threading.Thread(target=desk) for _ in range(args.desks)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.after)
    restart_started = time.monotonic()
    restart = subprocess.run(args.restart, shell=True, capture_output=True, text=True)
    restart_took = time.monotonic() - restart_started
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    stop_gunicorn(server)

    ok, summary = check_database(URL, secret, world["delegate_ids"])
    latencies.sort()
    outage = (max(failures_at) - min(failures_at)) if failures_at else 0.0
    print(f"PostgreSQL restart ({args.restart!r}) took {restart_took:.1f} s, exit {restart.returncode}"
          f"{' ' + restart.stderr.strip() if restart.returncode else ''}")
    print(f"{args.delegates} check-ins by {args.desks} desks in {elapsed:.1f} s; answers: "
          + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))
    print(f"desks saw the database away for {outage:.1f} s (first to last non-200 answer)")
    print(f"scan latency incl. retries: p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms")
    print(f"database: {summary}")
    bad = [status for status in statuses if status not in (200, 503)]
    if problems:
        print("unexpected answers:", *problems[:5], sep="\n  ")
    print("RESULT:", "PASS" if ok and not bad and restart.returncode == 0 else "FAIL")
    sys.exit(0 if ok and not bad and restart.returncode == 0 else 1)


if __name__ == "__main__":
    main()
