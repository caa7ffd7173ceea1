"""The morning-rush load test: `make load` (run with the project's venv; locust runs from bench/load/.venv).

1. Drops and recreates the PostgreSQL database LOAD_DB (default asar_load), `flask db upgrade`, then seeds it
   (bench/load/seed.py): a forum, its programme, LOAD_DELEGATES confirmed delegates with real badge codes,
   LOAD_DESKS check-in staff and an organizer with API tokens.
2. Starts gunicorn on 127.0.0.1 (`-c gunicorn.conf.py` if the project has one, else the Makefile's
   `--workers 3 --threads 4`), ASAR_ENV=production, a random SECRET_KEY, RATELIMIT_ENABLED=0.
3. Runs locust headless for LOAD_DURATION seconds (bench/load/locustfile.py).
4. Prints requests/s, p50/p95/p99 and errors per endpoint (from locust's CSV), then checks the database:
   every delegate checked in exactly once, every registration present once, no session over capacity.
   Exit status 1 if a check fails.

Everything it starts it stops; the results (CSV, logs, fixture) stay in bench/results/load-<time>/.
"""
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DURATION = env_int("LOAD_DURATION", 300)  # upper bound: the run ends once every desk emptied its queue
DELEGATES = env_int("LOAD_DELEGATES", 2000)
DESKS = env_int("LOAD_DESKS", 10)
BROWSERS = env_int("LOAD_BROWSERS", 200)
REGISTRANTS = env_int("LOAD_REGISTRANTS", 50)
DASHBOARDS = env_int("LOAD_DASHBOARDS", 3)
SPAWN_RATE = env_int("LOAD_SPAWN_RATE", 50)
PROFILE = env_int("LOAD_PROFILE", 40)  # requests per endpoint for the CPU-per-request table after the run (0: skip)
DB_NAME = os.environ.get("LOAD_DB", "asar_load")
PG = os.environ.get("LOAD_PG", "postgresql+psycopg://postgres@127.0.0.1:5432").rstrip("/")
LOCUST = os.environ.get("LOAD_LOCUST", str(HERE / ".venv" / "bin" / "locust"))
VENV_BIN = Path(sys.executable).parent


def say(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- database -------------------------------------------------------------------------------------------------

def recreate_database() -> str:
    import psycopg

    if "load" not in DB_NAME or not DB_NAME.replace("_", "").isalnum():
        raise SystemExit(f"LOAD_DB={DB_NAME!r}: refusing to drop a database whose name does not contain 'load'")
    admin = PG.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}" ENCODING \'UTF8\' TEMPLATE template0')
    return f"{PG}/{DB_NAME}"


def server_env(url: str, secret: str) -> dict:
    return {**os.environ, "ASAR_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": url,
            "RATELIMIT_ENABLED": "0", "MAIL_SERVER": "", "FLASK_APP": "run.py", "PYTHONPATH": str(ROOT)}


# -- the server -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, out: Path) -> tuple[subprocess.Popen, list[str]]:
    command = [str(VENV_BIN / "gunicorn")]
    if (ROOT / "gunicorn.conf.py").exists():
        command += ["-c", "gunicorn.conf.py"]
    else:
        command += ["--workers", "3", "--threads", "4"]  # as the Makefile's `serve` target
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(out / "access.log"),
                "--error-logfile", str(out / "gunicorn.log"), "run:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {out / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, command
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 40 s")


def warm_up(port: int, slug: str) -> None:
    """Every worker imports its templates once, so the first second of the rush is not a cold start."""
    for _ in range(12):
        for path in (f"/forums/{slug}/programme", f"/api/v1/forums/{slug}/sessions", "/healthz"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).read()
            except OSError:
                pass


def cpu_per_request(port: int, pid: int, fixture: dict, repeat: int,
                    checked_in_badge: str | None) -> list[tuple[str, float, float]]:
    """After the rush: each endpoint alone, `repeat` sequential requests on one keep-alive connection, and the
    server's CPU time per request (from /proc: unlike latency, barely moved by other processes on the machine)."""
    import http.client

    slug = fixture["slug"]
    desk = {"Authorization": f"Bearer {fixture['desk_tokens'][0]}", "Content-Type": "application/json"}
    phone = {"Authorization": f"Bearer {fixture['browser_tokens'][0]}"}
    boss = {"Authorization": f"Bearer {fixture['organizer_token']}"}
    small = fixture["small_sessions"][0]
    probes = [
        ("GET /healthz (baseline)", "GET", "/healthz", None, {}),
        ("POST /api/v1/checkin (already checked in)", "POST", "/api/v1/checkin",
         json.dumps({"token": checked_in_badge}), desk),
        ("POST /api/v1/checkin (invalid badge)", "POST", "/api/v1/checkin", json.dumps({"token": "x.y"}), desk),
        ("GET /api/v1/forums/[slug]/sessions", "GET", f"/api/v1/forums/{slug}/sessions", None, {}),
        ("GET /forums/[slug]/programme (HTML)", "GET", f"/forums/{slug}/programme", None, {}),
        ("GET /api/v1/forums/[slug]/agenda", "GET", f"/api/v1/forums/{slug}/agenda", None, phone),
        ("POST /api/v1/sessions/[id]/enrollments (again)", "POST", f"/api/v1/sessions/{small}/enrollments", None,
         phone),
        ("GET /api/v1/forums/[slug]/stats", "GET", f"/api/v1/forums/{slug}/stats", None, boss),
    ]
    if checked_in_badge is None:
        probes = [p for p in probes if "already" not in p[0]]
    results = []
    for label, method, path, body, headers in probes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        statuses = set()
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        for _ in range(repeat):
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses.add(response.status)
        elapsed = time.perf_counter() - t0
        results.append((f"{label} {sorted(statuses)}", (cpu_seconds(pid) - cpu0) / repeat * 1000,
                        elapsed / repeat * 1000))
        conn.close()
    return results


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for p in [str(pid), *children]:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):
        return 0.0
    return total


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine so far (/proc/stat: everything but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """CPU time of the waited-for child processes (locust; gunicorn is still running when this is read)."""
    usage = os.times()
    return usage.children_user + usage.children_system


def postgres_cpu_seconds() -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        if "(postgres)" in stat[:64] or "(postmaster)" in stat[:64]:
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def stop(process: subprocess.Popen, grace: float = 5) -> None:
    """SIGTERM (gunicorn: graceful), then SIGQUIT (gunicorn: at once), then SIGKILL to the whole group."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGQUIT, 5), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig) if sig == signal.SIGKILL else process.send_signal(sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


# -- the report -----------------------------------------------------------------------------------------------

def print_table(stats_csv: Path, wall: float) -> dict:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    head = f"{'endpoint':<62} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    print()
    print("Per endpoint (latencies in ms; req/s over the whole run of "
          f"{wall:.0f} s; locust rounds times above 100 ms to 2 significant digits)")
    print(head)
    print("-" * len(head))
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(_line(row["Name"], row))
    if total is not None:
        print("-" * len(head))
        print(_line("ALL", total))
    return total or {}


def _line(name: str, row: dict) -> str:
    def n(key):
        value = row.get(key) or "0"
        return "n/a" if value == "N/A" else f"{float(value):.0f}"

    return (f"{name[:62]:<62} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {n('50%'):>6} {n('95%'):>6} {n('99%'):>6} "
            f"{float(row['Max Response Time']):>7.0f}")


def check_database(url: str, secret: str, fixture: dict, outcome: dict) -> list[tuple[str, bool, str]]:
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.models import (AuditEvent, CheckIn, Delegate, DelegateStatus, Enrollment, EnrollmentStatus, Session,
                            User)
    from config import Config

    config = type("LoadCheck", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    app = create_app(config)
    results = []
    with app.app_context():
        forum_id = fixture["forum_id"]
        seeded = {d for d, _badge in fixture["badges"]}
        per_delegate = dict(db.session.execute(
            sa.select(CheckIn.delegate_id, sa.func.count()).where(CheckIn.forum_id == forum_id)
            .group_by(CheckIn.delegate_id)).all())
        missing = [d for d in seeded if per_delegate.get(d, 0) == 0]
        doubled = [d for d, n in per_delegate.items() if n > 1]
        strangers = [d for d in per_delegate if d not in seeded]
        rows = sum(per_delegate.values())
        results.append((f"every one of the {len(seeded)} delegates checked in exactly once",
                        not missing and not doubled and not strangers and rows == len(seeded),
                        f"{rows} check-in rows; missing {len(missing)}, doubled {len(doubled)}, "
                        f"not scanned but checked in {len(strangers)}"))

        answers = {int(k): v for k, v in outcome.get("checked_in_answers", {}).items()}
        twice = [d for d, n in answers.items() if n > 1]
        scans = outcome.get("scans", {})
        sent = sum(scans.values())
        events = dict(db.session.execute(
            sa.select(AuditEvent.subject_id, sa.func.count()).where(AuditEvent.forum_id == forum_id,
                                                                    AuditEvent.action == "checkin.created")
            .group_by(AuditEvent.subject_id)).all())
        events_doubled = sum(1 for n in events.values() if n > 1)
        pairs = outcome.get("two_door_pairs", 0)
        rescans = sent - (outcome.get("queue_scans") or 0) - 2 * pairs  # "it didn't beep": same desk, right away
        checked, already = scans.get("checked_in", 0), scans.get("already_checked_in", 0)
        two_doors = outcome.get("two_doors", {})
        pairs_ok = set(two_doors) <= {"already_checked_in + checked_in"}
        results.append(("a second scan of a badge never checks in again",
                        not twice and not doubled and checked == rows and already == rescans + pairs
                        and checked + already == sent and pairs_ok and sum(events.values()) == rows
                        and not events_doubled,
                        f"{sent} scans answered: checked_in {checked} (= check-in rows: {rows}), "
                        f"already_checked_in {already} = {rescans} immediate re-scans at the same desk + {pairs} "
                        f"badges scanned by two desks at the same instant (their answer pairs: {two_doors}); "
                        f"delegates answered checked_in twice: {len(twice)}; audit events checkin.created: "
                        f"{sum(events.values())}, for a delegate twice: {events_doubled}"))
        planned = (outcome.get("expected_scans") or 0) + outcome.get("two_door_planned", 0)
        done = (outcome.get("queue_scans") or 0) + pairs
        results.append((f"the desks got through all {planned} planned badges within LOAD_DURATION ({DURATION} s)",
                        done == planned,
                        f"{done}/{planned} scanned, {outcome.get('desk_done')}/{outcome.get('desks')} desks emptied "
                        f"their queue, two-desk pairs {pairs}/{outcome.get('two_door_planned', 0)}"
                        + ("" if done == planned else " — the door did not keep up (see the CPU line: a busy machine?)")))

        emails = [f"walkin-{outcome.get('run_id')}-{n:03d}@{fixture['email_domain']}"
                  for n in range(outcome.get("registrants", 0))]
        delegates = dict(db.session.execute(
            sa.select(Delegate.email, sa.func.count()).where(Delegate.forum_id == forum_id,
                                                             Delegate.email.in_(emails))
            .group_by(Delegate.email)).all())
        confirmed = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(
            Delegate.forum_id == forum_id, Delegate.email.in_(emails), Delegate.status == DelegateStatus.confirmed))
        accounts = dict(db.session.execute(
            sa.select(User.email, sa.func.count()).where(User.email.in_(emails)).group_by(User.email)).all())
        absent = [e for e in emails if delegates.get(e, 0) == 0]
        dup = [e for e in emails if delegates.get(e, 0) > 1 or accounts.get(e, 0) > 1]
        answered = len(outcome.get("registrations", {}))
        results.append((f"every one of the {len(emails)} registrations present exactly once",
                        bool(emails) and not absent and not dup and confirmed == len(emails) and answered == len(emails),
                        f"{len(delegates)} present ({confirmed} confirmed, {sum(accounts.values())} accounts), "
                        f"absent {len(absent)}, duplicated {len(dup)}; API answered 201/409 for {answered}"))

        counts = db.session.execute(
            sa.select(Session.id, Session.capacity,
                      sa.func.count(Enrollment.id).filter(Enrollment.status == EnrollmentStatus.enrolled),
                      sa.func.count(Enrollment.id).filter(Enrollment.status == EnrollmentStatus.waitlisted))
            .outerjoin(Enrollment, Enrollment.session_id == Session.id)
            .where(Session.forum_id == forum_id, Session.capacity.is_not(None))
            .group_by(Session.id, Session.capacity).order_by(Session.capacity)).all()
        over = [(sid, cap, enrolled) for sid, cap, enrolled, _w in counts if enrolled > cap]
        idle = [(sid, cap, enrolled, waiting) for sid, cap, enrolled, waiting in counts
                if waiting and enrolled < cap]
        pairs = db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.select(Enrollment.session_id, Enrollment.delegate_id).group_by(Enrollment.session_id,
                                                                               Enrollment.delegate_id)
            .having(sa.func.count() > 1).subquery()))
        detail = ", ".join(f"{enrolled}/{cap}+{waiting}w" for _sid, cap, enrolled, waiting in counts)
        full = sum(1 for _sid, cap, enrolled, _w in counts if enrolled == cap)
        results.append(("no enrolment over capacity (and nobody waitlisted while a seat is free)",
                        not over and not idle and not pairs,
                        f"enrolled/capacity+waitlisted per limited session: {detail}; full: {full}; "
                        f"over capacity: {len(over)}, waitlisted beside a free seat: {len(idle)}, "
                        f"duplicate enrolments: {pairs}"))
        db.session.remove()
        db.engine.dispose()
    return results


# -- main -----------------------------------------------------------------------------------------------------

def main() -> int:
    began = time.monotonic()
    if not Path(LOCUST).exists():
        raise SystemExit(f"{LOCUST} not found: run `make load` (it builds bench/load/.venv)")
    out = ROOT / "bench" / "results" / time.strftime("load-%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    say(f"results in {out.relative_to(ROOT)}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    secret = secrets.token_hex(32)
    url = recreate_database()
    env = server_env(url, secret)
    t = time.monotonic()
    subprocess.run([str(VENV_BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    say(f"database {DB_NAME} recreated and migrated in {time.monotonic() - t:.1f}s")

    from bench.load.seed import build

    t = time.monotonic()
    fixture = build(url, secret, delegates=DELEGATES, desks=DESKS, browsers=BROWSERS)
    fixture_path = out / "fixture.json"
    fixture_path.write_text(json.dumps(fixture), encoding="utf-8")
    say(f"seeded {DELEGATES} delegates, {DESKS} desks, {BROWSERS} browser tokens, "
        f"{len(fixture['limited_sessions'])} limited sessions in {time.monotonic() - t:.1f}s")

    port = free_port()
    server, command = start_gunicorn(env, port, out)
    ok = False
    try:
        say(f"gunicorn up: {' '.join(command[1:])}")
        warm_up(port, fixture["slug"])
        run_id = secrets.token_hex(3)
        two_doors = 1 if env_int("LOAD_TWO_DOORS", 40) > 0 and DESKS > 1 else 0
        users = DESKS + two_doors + BROWSERS + REGISTRANTS + DASHBOARDS
        locust_env = {**os.environ, "LOAD_FIXTURE": str(fixture_path), "LOAD_OUTCOME": str(out / "outcome.json"),
                      "LOAD_RUN_ID": run_id, "LOAD_DURATION": str(DURATION), "LOAD_DESKS": str(DESKS),
                      "LOAD_BROWSERS": str(BROWSERS), "LOAD_REGISTRANTS": str(REGISTRANTS),
                      "LOAD_DASHBOARDS": str(DASHBOARDS)}
        for name in ("VIRTUAL_ENV", "PYTHONPATH", "FLASK_APP"):
            locust_env.pop(name, None)
        locust_cmd = [LOCUST, "-f", str(HERE / "locustfile.py"), "--headless", "--host", f"http://127.0.0.1:{port}",
                      "-u", str(users), "-r", str(SPAWN_RATE), "-t", f"{DURATION}s", "--stop-timeout", "20",
                      "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING",
                      "--exit-code-on-error", "0", "--logfile", str(out / "locust.log")]
        say(f"locust: {users} users ({DESKS} desks{' + 1 pair of desks scanning together' if two_doors else ''}, {BROWSERS} programme browsers, {REGISTRANTS} registrants, "
            f"{DASHBOARDS} dashboards) for {DURATION}s against 127.0.0.1:{port}")
        cpu0, pg0, t0 = cpu_seconds(server.pid), postgres_cpu_seconds(), time.monotonic()
        machine0, load0, children0 = machine_cpu_seconds(), os.getloadavg()[0], children_cpu_seconds()
        with (out / "locust.out").open("w") as log:
            locust = subprocess.Popen(locust_cmd, cwd=HERE, env=locust_env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
            try:
                locust.wait(timeout=DURATION + 60)
            except subprocess.TimeoutExpired:
                say("locust overran its time; stopping it")
                stop(locust)
        wall = time.monotonic() - t0
        cpu1, pg1 = cpu_seconds(server.pid), postgres_cpu_seconds()
        machine1, load1 = machine_cpu_seconds(), os.getloadavg()[0]
        locust_cpu = children_cpu_seconds() - children0
        try:  # the profile re-scans a badge the rush checked in, so it adds no check-in of its own
            answered = json.loads((out / "outcome.json").read_text(encoding="utf-8"))["checked_in_answers"]
            badge = next(b for d, b in fixture["badges"] if str(d) in answered)
        except (OSError, ValueError, KeyError, StopIteration):
            badge = None
        profile = cpu_per_request(port, server.pid, fixture, PROFILE, badge) if PROFILE else []
    finally:
        stop(server)
    busy = machine1 - machine0
    others = busy - (cpu1 - cpu0) - (pg1 - pg0) - locust_cpu
    say(f"gunicorn stopped; the run took {wall:.0f}s. CPU, in % of one core over the run: gunicorn "
        f"{(cpu1 - cpu0) / wall * 100:.0f}%, PostgreSQL {(pg1 - pg0) / wall * 100:.0f}%, locust "
        f"{locust_cpu / wall * 100:.0f}%, other processes on the machine {max(0.0, others) / wall * 100:.0f}% "
        f"(of {os.cpu_count() * 100}%); load average {load0:.1f} -> {load1:.1f}")
    if others / wall > 0.3:
        say("NOTE: other processes used a good part of the CPU during the run: the latencies are inflated")

    stats_csv = out / "locust_stats.csv"
    outcome_path = out / "outcome.json"
    if not stats_csv.exists() or not outcome_path.exists():
        say(f"locust left no stats; see {out / 'locust.out'} and {out / 'locust.log'}")
        print((out / "locust.out").read_text()[-3000:])
        return 1
    total = print_table(stats_csv, wall)
    outcome = json.loads(outcome_path.read_text(encoding="utf-8"))
    requests_total = int(total.get("Request Count", 0))
    failures = int(total.get("Failure Count", 0))
    print(f"\nTotal: {requests_total} requests in {wall:.0f} s = {requests_total / wall:.1f} req/s overall, "
          f"{failures} errors ({failures / max(1, requests_total) * 100:.2f}%)")
    if outcome.get("scan_seconds"):
        scans = sum(outcome["scans"].values())
        print(f"Check-in: {scans} scans by {outcome['desks']} desks in {outcome['scan_seconds']:.0f} s = "
              f"{scans / outcome['scan_seconds']:.1f} scans/s while the rest of the load ran "
              f"({outcome['desk_done']}/{outcome['desks']} desks finished their queue)")
    print(f"Enrolment answers: {outcome.get('enrollments')}")
    resent = 0
    failures_csv = out / "locust_failures.csv"
    if failures_csv.exists():
        rows = list(csv.DictReader(failures_csv.open(encoding="utf-8")))
        resent = sum(int(r["Occurrences"]) for r in rows if r["Name"].endswith("(connection closed, resent)"))
        for row in sorted(rows, key=lambda r: -int(r["Occurrences"]))[:8]:
            print(f"  error x{row['Occurrences']}: {row['Method']} {row['Name']}: {row['Error'][:160]}")
    if profile:
        print(f"\nServer CPU per request, each endpoint alone after the rush ({PROFILE} sequential requests; "
              "wall time per request beside it)")
        for label, cpu_ms, wall_ms in profile:
            print(f"  {label:<62} {cpu_ms:6.1f} ms CPU  {wall_ms:7.1f} ms wall")
    server_log = (out / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    tracebacks = server_log.count("Traceback (most recent call last)")

    print()
    checks = check_database(url, secret, fixture, outcome)
    fivexx = sum(1 for line in (out / "access.log").open(encoding="utf-8", errors="replace")
                 if _status(line).startswith("5"))
    if resent:
        print(f"  {resent} POST(s) met a keep-alive connection gunicorn had just closed (its `keepalive`) and "
              f"were resent, as a browser does: {outcome.get('resent')}")
    checks.append(("no errors: no failed request, no 5xx, no traceback in the server log",
                   failures - resent == 0 and fivexx == 0 and tracebacks == 0,
                   f"{failures - resent} failed requests (+{resent} resent after a closed keep-alive connection), "
                   f"{fivexx} answers 5xx, {tracebacks} tracebacks "
                   f"(logs: {out.relative_to(ROOT)}/gunicorn.log, access.log)"))
    ok = True
    for name, passed, detail in checks:
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'}  {name}\n      {detail}")
    say(f"{'all checks passed' if ok else 'SOME CHECKS FAILED'}; total time {time.monotonic() - began:.0f}s")
    return 0 if ok else 1


def _status(line: str) -> str:
    """The status code in a gunicorn access-log line: `… "GET /path HTTP/1.1" 200 123 …`."""
    try:
        return line.split('" ', 1)[1].split()[0]
    except IndexError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
