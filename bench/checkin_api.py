"""How fast the door is: `POST /api/v1/checkin` under 32 concurrent scanners, against a trivial endpoint.

    .venv/bin/python bench/checkin_api.py                       # SQLite file in a temp dir (< 1 minute)
    .venv/bin/python bench/checkin_api.py --sqlite-wal          # the same file switched to WAL journal mode
    .venv/bin/python bench/checkin_api.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/asar_bench
    .venv/bin/python bench/checkin_api.py --requests 1000 --clients 16 --workers 2 --threads 8

What it does, self-contained and bounded in time (a few minutes at most, each phase has a deadline):

1. Builds a fresh database: a SQLite file in a temporary directory (and, with --postgres URL, also
   that PostgreSQL database — every table in it is DROPPED first, so give it a throwaway database),
   `db.create_all()` + `seed_regions()`, one forum, 5,000 confirmed delegates (bulk INSERT), a global
   check-in user and an API token for it.
2. Starts gunicorn on 127.0.0.1 on a free port (`-k gthread -w 2 --threads 8` by default) serving
   `run:app` with ASAR_ENV=production, a random 64-character SECRET_KEY and DATABASE_URL pointing at
   that database, and waits until `/healthz` answers. The badge codes are made here with the same key,
   by `app.registration.tokens.make_badge_token(SECRET_KEY, delegate_id, forum_id)` (or, with the
   first token format, `URLSafeSerializer(SECRET_KEY, salt="asar.badge.v1").dumps([delegate_id, forum_id])`).
3. Warms every worker up (scans of an invalid badge: no writes), then sends N check-ins from C threads,
   each with its own keep-alive `http.client` connection — every delegate scanned once, so each request
   really inserts a row — and records each request's latency. Then the same load on `GET /healthz`.
4. Prints requests/s of both, their ratio (goal >= 0.25x), check-in latency p50/p95/p99 (goal p99 < 100 ms),
   errors, the server's CPU time per request (gunicorn's processes, from /proc: it tells CPU cost from
   waiting on the database), and checks in the database that every scanned delegate has exactly one
   check-in and nobody else has any.

With 32 clients that each wait for their answer, mean latency = 32 / throughput (Little's law): p99 < 100 ms
needs well over 320 check-ins/s. The load average is printed before and after: on a shared machine other
processes' CPU use shows up in both figures.

Only the standard library is used on the client side. The client runs on the same machine as the server
(2 cores here), so both figures include the client's own cost; compare them with each other, not with a
production load balancer. Not a test: figures to read. Exit status 1 if the data check fails.
"""
import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (CheckIn, Delegate, DelegateStatus, Forum, ForumStatus, GlobalRole,  # noqa: E402
                        Participation, Sector, search_key, seed_regions)
from config import Config  # noqa: E402

SECTORS = list(Sector)
SURNAMES = ["Әбдіқалықова", "Жұмабаев", "Серікқызы", "Иванова", "Нұрланұлы", "Ким", "Оспанова", "Төлеуов"]
NAMES = ["Гүлшара", "Ерлан", "Айгүл", "Пётр", "Дәулет", "Мария", "Сәуле", "Асхат"]
PHASE_DEADLINE = 60.0     # seconds one load phase may take before it is cut short
REQUEST_TIMEOUT = 10.0


# -- the database ---------------------------------------------------------------------------------------------

def build_database(url: str, secret: str, delegates: int) -> dict:
    """Schema, one forum, `delegates` confirmed delegates, a check-in user and an API token."""
    config = type("BenchSetup", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                                            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            db.drop_all()
        db.create_all()
        seed_regions()
        forum = Forum(slug="bench-door", title_ru="Форум", title_kk="Форум", title_en="Forum", city="Атырау",
                      starts_on=date.today(), ends_on=date.today() + timedelta(days=1),
                      status=ForumStatus.published)
        db.session.add(forum)
        db.session.commit()
        now = datetime.now(timezone.utc)
        rows = []
        for i in range(delegates):
            full_name = f"{SURNAMES[i % len(SURNAMES)]} {NAMES[(i // len(SURNAMES)) % len(NAMES)]} {i}"
            email = f"d{i}@bench.example.kz"
            rows.append({
                "forum_id": forum.id, "full_name": full_name, "email": email, "sector": SECTORS[i % len(SECTORS)],
                "participation": Participation.in_person, "language": ("kk", "ru", "en")[i % 3],
                "consent_given_at": now, "created_at": now, "updated_at": now, "status": DelegateStatus.confirmed,
                "status_changed_at": now, "search_text": search_key(full_name, email),
            })
        db.session.execute(sa.insert(Delegate), rows)
        db.session.commit()
        ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.forum_id == forum.id)
                                      .order_by(Delegate.id)))
        staff = accounts.create_user("door@bench.example.kz", "Kt-7q-Wx-2m-Zp", "Bench Door", role=GlobalRole.checkin)
        api_token = accounts.issue_token(staff, "bench")
        forum_id = forum.id
        db.session.remove()
        db.engine.dispose()
    return {"forum_id": forum_id, "delegate_ids": ids, "api_token": api_token,
            "badges": [badge_code(secret, d, forum_id) for d in ids]}


def badge_code(secret: str, delegate_id: int, forum_id: int) -> str:
    """What the badge's QR code holds, signed with the server's SECRET_KEY (outside any app context)."""
    try:
        from app.registration.tokens import make_badge_token
    except ImportError:  # the first token format: itsdangerous.URLSafeSerializer over [delegate, forum]
        from itsdangerous import URLSafeSerializer

        return URLSafeSerializer(secret, salt="asar.badge.v1").dumps([delegate_id, forum_id])
    return make_badge_token(secret, delegate_id, forum_id)


def check_database(url: str, secret: str, scanned: list[int]) -> tuple[bool, str]:
    """Every scanned delegate has exactly one check-in; nobody else has one."""
    config = type("BenchCheck", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    app = create_app(config)
    with app.app_context():
        per_delegate = dict(db.session.execute(
            sa.select(CheckIn.delegate_id, sa.func.count()).group_by(CheckIn.delegate_id)).all())
        db.session.remove()
        db.engine.dispose()
    scanned_set = set(scanned)
    missing = [d for d in scanned_set if per_delegate.get(d, 0) == 0]
    doubled = [d for d, n in per_delegate.items() if n > 1]
    strangers = [d for d in per_delegate if d not in scanned_set]
    ok = not missing and not doubled and not strangers
    return ok, (f"{len(per_delegate)} check-in rows for {len(scanned_set)} scanned delegates; "
                f"missing {len(missing)}, doubled {len(doubled)}, unexpected {len(strangers)}")


# -- the server -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, secret: str, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    # 32 desks on one token measure the server, not CHECKIN_RATE_LIMIT (600 a minute per token).
    env = {**os.environ, "ASAR_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": url,
           "RATELIMIT_ENABLED": "0", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "30",
               "--log-level", "warning", "--error-logfile", str(log), "run:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log}:\n{log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not answer within 30 s")


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by gunicorn's workers (Linux /proc; 0 elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        for pid in [process.pid, *children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):
        return 0.0
    return total


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the arbiter stops its workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the load -------------------------------------------------------------------------------------------------

class Load:
    """`clients` threads, each with one keep-alive connection, sharing a queue of `jobs`."""

    def __init__(self, port: int, clients: int):
        self.port = port
        self.clients = clients

    def run(self, jobs: list, send) -> dict:
        """send(conn, job) -> (ok, detail). Returns latencies, errors and the wall time."""
        lock = threading.Lock()
        position = iter(range(len(jobs)))
        latencies, errors, details = [], [], []
        deadline = time.monotonic() + PHASE_DEADLINE
        start_gate = threading.Barrier(self.clients + 1)

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            start_gate.wait()
            while time.monotonic() < deadline:
                with lock:
                    index = next(position, None)
                if index is None:
                    break
                began = time.perf_counter()
                try:
                    ok, detail = send(conn, jobs[index])
                except (OSError, http.client.HTTPException) as exc:
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    details.append((jobs[index], ok, detail))
                    if not ok:
                        errors.append(detail)
            conn.close()

        threads = [threading.Thread(target=client, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        start_gate.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join(PHASE_DEADLINE + REQUEST_TIMEOUT + 5)
        wall = time.perf_counter() - began
        return {"latencies": latencies, "errors": errors, "details": details, "wall": wall,
                "done": len(latencies), "planned": len(jobs)}


def post_json(conn, path: str, body: dict, api_token: str) -> tuple[int, dict | None]:
    payload = json.dumps(body)
    conn.request("POST", path, body=payload, headers={
        "Content-Type": "application/json", "Accept": "application/json",
        "Authorization": f"Bearer {api_token}"})
    response = conn.getresponse()
    raw = response.read()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest-rank
    return ordered[k]


def bench(label: str, url: str, args) -> bool:
    secret = secrets.token_hex(32)  # 64 characters
    t = time.perf_counter()
    world = build_database(url, secret, args.delegates)
    if args.sqlite_wal and url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url[len("sqlite:///"):]) as conn:  # persistent: the server's connections get it too
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        label += f", journal_mode={mode}"
    print(f"[{label}] database ready: {args.delegates} delegates in {time.perf_counter() - t:.1f}s")
    n = min(args.requests, len(world["badges"]))
    api_token = world["api_token"]

    with tempfile.TemporaryDirectory() as logs:
        log = Path(logs) / "gunicorn.log"
        port = free_port()
        server = start_gunicorn(url, secret, port, args.workers, args.threads, log)
        try:
            load = Load(port, args.clients)

            def scan(conn, badge):
                status, body = post_json(conn, "/api/v1/checkin", {"token": badge}, api_token)
                if status != 200 or body is None:
                    return False, f"HTTP {status}: {body}"
                result = body.get("result")
                return result == "checked_in", result

            def healthz(conn, _job):
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                return response.status == 200, response.status

            # Warm-up: every worker thread imports, connects and renders once (invalid badges write nothing).
            warm = load.run(["warm-up-not-a-badge"] * (args.workers * args.threads * 4),
                            lambda conn, badge: (post_json(conn, "/api/v1/checkin", {"token": badge},
                                                           api_token)[0] == 200, None))
            if warm["errors"]:
                print(f"[{label}] warm-up errors: {warm['errors'][:3]}")
            load.run([None] * 200, healthz)

            # One real check-in first (a delegate the load leaves alone): a wrong badge format or key
            # would otherwise turn the whole run into thousands of "invalid" answers.
            probe = len(world["badges"]) - 1 if n < len(world["badges"]) else None
            if probe is not None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                status, body = post_json(conn, "/api/v1/checkin", {"token": world["badges"][probe]}, api_token)
                conn.close()
                if status != 200 or (body or {}).get("result") != "checked_in":
                    raise SystemExit(f"[{label}] the probe check-in failed: HTTP {status} {body}")

            cpu0, client0 = server_cpu_seconds(server), time.process_time()
            checkins = load.run(world["badges"][:n], scan)
            cpu1, client1 = server_cpu_seconds(server), time.process_time()
            trivial = load.run([None] * n, healthz)
            cpu2, client2 = server_cpu_seconds(server), time.process_time()
            checkins["server_cpu"], trivial["server_cpu"] = cpu1 - cpu0, cpu2 - cpu1
            checkins["client_cpu"], trivial["client_cpu"] = client1 - client0, client2 - client1
        finally:
            stop_gunicorn(server)
            server_log = log.read_text() if log.exists() else ""

    scanned_ids = [world["delegate_ids"][i] for i in range(n)]
    if probe is not None:
        scanned_ids.append(world["delegate_ids"][probe])
    ok, summary = check_database(url, secret, scanned_ids)
    checkin_rps = checkins["done"] / checkins["wall"]
    trivial_rps = trivial["done"] / trivial["wall"]
    lat = [x * 1000 for x in checkins["latencies"]]
    tlat = [x * 1000 for x in trivial["latencies"]]
    ratio = checkin_rps / trivial_rps if trivial_rps else float("nan")
    p99 = percentile(lat, 99)

    print(f"[{label}] gunicorn gthread: {args.workers} workers x {args.threads} threads; "
          f"{args.clients} concurrent keep-alive clients")
    print(f"  POST /api/v1/checkin : {checkins['done']:>5}/{checkins['planned']} requests in "
          f"{checkins['wall']:6.2f}s = {checkin_rps:8.1f} req/s   errors {len(checkins['errors'])}")
    print(f"  GET  /healthz        : {trivial['done']:>5}/{trivial['planned']} requests in "
          f"{trivial['wall']:6.2f}s = {trivial_rps:8.1f} req/s   errors {len(trivial['errors'])}")
    print(f"  ratio check-in / trivial: {ratio:.2f}x  (goal >= 0.25x: {'met' if ratio >= 0.25 else 'NOT met'})")
    print(f"  check-in latency ms: p50 {percentile(lat, 50):.1f}  p95 {percentile(lat, 95):.1f}  "
          f"p99 {p99:.1f}  max {max(lat, default=float('nan')):.1f}  mean {statistics.fmean(lat) if lat else 0:.1f}"
          f"  (goal p99 < 100 ms: {'met' if p99 < 100 else 'NOT met'})")
    print(f"  healthz  latency ms: p50 {percentile(tlat, 50):.1f}  p95 {percentile(tlat, 95):.1f}  "
          f"p99 {percentile(tlat, 99):.1f}")
    for name, phase in (("check-in", checkins), ("healthz", trivial)):
        if phase["done"]:
            print(f"  {name:<8} CPU per request: server {phase['server_cpu'] / phase['done'] * 1000:.2f} ms, "
                  f"this client {phase['client_cpu'] / phase['done'] * 1000:.2f} ms "
                  f"(server busy {phase['server_cpu'] / phase['wall'] * 100:.0f}% of one core)")
    if checkins["errors"]:
        kinds = {}
        for error in checkins["errors"]:
            kinds[str(error)[:120]] = kinds.get(str(error)[:120], 0) + 1
        for kind, times in sorted(kinds.items(), key=lambda kv: -kv[1])[:5]:
            print(f"    {times} x {kind}")
    if server_log.strip():
        print(f"  server log (tail):\n    " + "\n    ".join(server_log.strip().splitlines()[-8:]))
    print(f"  database check: {'OK' if ok else 'FAILED'} — {summary}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="check-ins (and /healthz requests) to send")
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads")
    parser.add_argument("--delegates", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--postgres", metavar="URL", help="also run against this (throwaway!) PostgreSQL database")
    parser.add_argument("--sqlite-wal", action="store_true",
                        help="switch the SQLite file to WAL journal mode before serving (the app does not do it)")
    parser.add_argument("--no-sqlite", action="store_true", help="only the PostgreSQL run")
    args = parser.parse_args()

    began = time.perf_counter()
    print("load average before: %.2f %.2f %.2f on %d CPUs" % (*os.getloadavg(), os.cpu_count() or 0))
    ok = True
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            ok &= bench("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    if args.postgres:
        ok &= bench("postgresql", args.postgres, args)
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    print(f"total {time.perf_counter() - began:.1f}s")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
