"""How the public programme holds up when every delegate opens it at 9:00.

    .venv/bin/python bench/programme.py [--requests 2000] [--readers 32]

Builds a throw-away SQLite database (a forum of 300 sessions over 2 days in 10 halls, people
on stage, 5,000 delegates and their enrolments, all bulk-inserted), starts gunicorn from the
venv on a free local port (ASAR_ENV=production, 2 workers × 8 threads), and lets 32 readers
(threads, each with its own keep-alive connection and cookie jar, accepting gzip, like phones) fetch:

    1. the programme page                      (plain GETs)
    2. the programme page with If-None-Match   (conditional GETs: 304s)
    3. GET /healthz                            (the trivial endpoint, for comparison)

It prints requests/s, latency percentiles and errors for each, the programme/trivial ratio,
and the number of SQL queries one programme render takes with 30 and with 300 sessions.
Not a test: figures depend on the machine. Bounded to about two minutes.
"""
import argparse
import http.client
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TZ = ZoneInfo("Asia/Almaty")
DAYS = 2
HALLS = 10
SLOTS_PER_DAY = 15          # 2 days × 10 halls × 15 slots = 300 sessions
DELEGATES = 5_000
TIME_BUDGET = 120           # seconds, everything included


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- The data --------------------------------------------------------------------------------

def build_database(url: str) -> dict:
    """Bulk-insert the big forum (300 sessions) and a small one (30 sessions) for the query count."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ASAR_ENV", "development")
    from app import create_app
    from app.extensions import db
    from app.models import seed_regions
    from config import DevelopmentConfig

    config = type("BenchConfig", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": url, "DEBUG": False})
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_regions()
        big = _forum(db, "asar-bench", days=DAYS, halls=HALLS, slots=SLOTS_PER_DAY, delegates=DELEGATES)
        small = _forum(db, "asar-small", days=1, halls=3, slots=10, delegates=200)
    return {"app": app, "big": big, "small": small}


def _forum(db, slug: str, *, days: int, halls: int, slots: int, delegates: int) -> dict:
    import sqlalchemy as sa

    from app.models import Delegate, Enrollment, Forum, Hall, Person, Session, SessionPerson

    rng = random.Random(slug)
    now = datetime.now(timezone.utc)
    start = date(2030, 9, 16)
    forum = Forum(slug=slug, title_kk="ASAR — Үшжақты ынтымақтастықтың I республикалық форумы",
                  title_ru="ASAR — I Республиканский форум трёхстороннего сотрудничества",
                  city="Атырау", venue="Атырау университеті", starts_on=start,
                  ends_on=start + timedelta(days=days - 1), status="published",
                  registration_opens_at=now - timedelta(days=1))
    db.session.add(forum)
    db.session.flush()
    hall_ids = []
    names = ["Атырау", "Жайық", "Каспий", "Нұр", "Ақ Жайық", "Сарайшық", "Тайпақ", "Есбол", "Балық", "Құлсары"]
    for h in range(halls):
        hall = Hall(forum_id=forum.id, name=f"Зал «{names[h % 10]}» {h + 1}", capacity=600 if h == 0 else 120,
                    position=h)
        db.session.add(hall)
        db.session.flush()
        hall_ids.append(hall.id)

    first_names = ["Айгүл", "Ерлан", "Дәурен", "Әсел", "Нұрлан", "Гүлнар"]
    last_names = ["Серікқызы", "Қожахметов", "Бекова", "Нұрғалиқызы", "Әбілов"]
    people = [{"forum_id": forum.id, "full_name": f"{rng.choice(first_names)} {rng.choice(last_names)} {i}",
               "position": rng.choice(["Директор", "Төраға", "Сарапшы", "Руководитель проекта"]),
               "organization": rng.choice(["ҚҚ «Ақ жол»", "Атамекен", "Атырау университеті", "ПРООН"])}
              for i in range(halls * 3)]
    db.session.execute(sa.insert(Person), people)
    person_ids = list(db.session.scalars(sa.select(Person.id).where(Person.forum_id == forum.id)))

    kinds = ["plenary", "panel", "master_class", "seminar", "round_table", "panel", "master_class", "conference"]
    sessions = []
    for d in range(days):
        for slot in range(slots):
            local = datetime.combine(start + timedelta(days=d), dtime(8, 0), tzinfo=TZ) + timedelta(minutes=40 * slot)
            for h in range(halls):
                kind = kinds[(slot + h) % len(kinds)]
                sessions.append({
                    "forum_id": forum.id, "hall_id": hall_ids[h], "kind": kind,
                    "title_kk": f"Әлеуметтік кәсіпкерлік және ҮЕҰ: тәжірибе алмасу №{d}{slot}{h}",
                    "title_ru": f"Социальное предпринимательство и НПО: обмен опытом №{d}{slot}{h}",
                    "description_ru": "Обсуждение механизмов государственного социального заказа, грантов и "
                                      "партнёрства бизнеса с некоммерческими организациями. " * 2,
                    "starts_at": local.astimezone(timezone.utc),
                    "ends_at": (local + timedelta(minutes=30)).astimezone(timezone.utc),
                    "languages": "kk,ru" if h % 3 else "kk,ru,en", "interpretation": h % 3 == 0,
                    "topic": ["Экология", "Цифровизация", "Гражданское общество", "Молодёжь"][slot % 4],
                    "capacity": 40 if kind == "master_class" else None, "status": "published",
                    "created_at": now, "updated_at": now,
                })
    db.session.execute(sa.insert(Session), sessions)
    rows = db.session.execute(sa.select(Session.id, Session.starts_at, Session.capacity, Session.hall_id)
                              .where(Session.forum_id == forum.id).order_by(Session.id)).all()
    stage = []
    for i, (session_id, _starts, _capacity, hall_id) in enumerate(rows):
        h = hall_ids.index(hall_id)
        for position, role in enumerate(["moderator", "speaker", "panelist"][: 1 + i % 3]):
            stage.append({"session_id": session_id, "person_id": person_ids[h * 3 + position], "role": role,
                          "position": position})
    db.session.execute(sa.insert(SessionPerson), stage)

    db.session.execute(sa.insert(Delegate), [{
        "forum_id": forum.id, "full_name": f"Делегат {i}", "email": f"delegate{i}@{slug}.kz", "sector": "ngo",
        "language": "kk" if i % 2 else "ru", "consent_given_at": now, "status": "confirmed",
        "status_changed_at": now, "search_text": f"делегат {i}", "participation": "in_person",
        "created_at": now, "updated_at": now} for i in range(delegates)])
    delegate_ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.forum_id == forum.id)))

    limited = [(sid, starts, cap) for sid, starts, cap, _h in rows if cap]
    taken: dict[int, int] = {}
    enrollments = []
    for delegate_id in delegate_ids:
        busy = set()
        for sid, starts, cap in rng.sample(limited, min(3, len(limited))):
            if starts in busy:
                continue  # one seat per time slot
            busy.add(starts)
            taken[sid] = taken.get(sid, 0) + 1
            enrollments.append({"session_id": sid, "delegate_id": delegate_id, "created_at": now,
                                "status": "enrolled" if taken[sid] <= cap else "waitlisted"})
    db.session.execute(sa.insert(Enrollment), enrollments)
    db.session.commit()
    return {"slug": slug, "sessions": len(rows), "delegates": len(delegate_ids), "enrollments": len(enrollments)}


def query_count(app, slug: str) -> int:
    """SQL statements of one programme render (first render: nothing cached yet)."""
    import sqlalchemy as sa

    from app.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

        def count(*args):
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            response = app.test_client().get(f"/forums/{slug}/programme")
            assert response.status_code == 200, response.status_code
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


# --- The load --------------------------------------------------------------------------------

class Reader(threading.Thread):
    def __init__(self, port, path, count, conditional, deadline):
        super().__init__(daemon=True)
        self.port, self.path, self.count, self.conditional, self.deadline = port, path, count, conditional, deadline
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors = 0
        self.bytes = 0
        self.cookie = None
        self.etag = None

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for _ in range(self.count):
            if time.monotonic() > self.deadline:
                break
            headers = {"Accept-Language": "kk", "Accept-Encoding": "gzip, deflate, br", "User-Agent": "asar-bench"}
            if self.cookie:
                headers["Cookie"] = self.cookie
            if self.conditional and self.etag:
                headers["If-None-Match"] = self.etag
            began = time.perf_counter()
            try:
                conn.request("GET", self.path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            self.latencies.append(time.perf_counter() - began)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
            self.bytes += len(body)
            if response.status not in (200, 304):
                self.errors += 1
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            self.etag = response.getheader("ETag") or self.etag
        conn.close()


def load(port: int, path: str, total: int, readers: int, conditional: bool, budget: float) -> dict:
    deadline = time.monotonic() + budget
    share = [total // readers + (1 if i < total % readers else 0) for i in range(readers)]
    threads = [Reader(port, path, n, conditional, deadline) for n in share]
    if conditional:  # each reader first gets its page (and cookie, ETag) once, untimed
        for t in threads:
            warm = Reader(port, path, 1, False, deadline)
            warm.run()
            t.cookie, t.etag = warm.cookie, warm.etag
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies = sorted(x for t in threads for x in t.latencies)
    statuses: dict[int, int] = {}
    for t in threads:
        for status, n in t.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    done = len(latencies)

    def pct(p):
        return latencies[min(done - 1, int(p / 100 * done))] * 1000 if done else float("nan")

    return {"requests": done, "seconds": elapsed, "rps": done / elapsed if elapsed else 0.0,
            "p50": pct(50), "p95": pct(95), "p99": pct(99),
            "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
            "errors": sum(t.errors for t in threads), "statuses": statuses,
            "kb": sum(t.bytes for t in threads) / max(done, 1) / 1024}


def check_page(port: int, path: str) -> None:
    """One page, compressed and not: the same HTML, and how many bytes each travels as."""
    import gzip

    sizes = {}
    for encoding in ("identity", "gzip"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Accept-Encoding": encoding, "Accept-Language": "kk"})
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, response.status
        if response.getheader("Content-Encoding") == "gzip":
            sizes["gzip"] = len(body)
            body = gzip.decompress(body)
        else:
            sizes["identity"] = len(body)
        assert b"</html>" in body and body.count(b'class="pg-session') > 0
        conn.close()
    print(f"Programme page: {sizes.get('identity', 0) / 1024:.0f} KB of HTML, "
          f"{sizes.get('gzip', 0) / 1024:.0f} KB gzipped on the wire")


def wait_until_up(port: int, proc, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="asar-bench-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    proc = None
    try:
        print(f"Building {tmp / 'bench.db'} …", flush=True)
        t0 = time.perf_counter()
        data = build_database(url)
        big, small = data["big"], data["small"]
        print(f"  {big['sessions']} sessions, {big['delegates']} delegates, {big['enrollments']} enrolments "
              f"(+ a forum of {small['sessions']}) in {time.perf_counter() - t0:.1f} s")
        q_small, q_big = query_count(data["app"], small["slug"]), query_count(data["app"], big["slug"])
        print(f"Queries for one programme render: {small['sessions']} sessions → {q_small}, "
              f"{big['sessions']} sessions → {q_big}  ({'constant' if q_small == q_big else 'NOT constant'})")

        port = free_port()
        env = dict(os.environ, ASAR_ENV="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=url,
                   PYTHONPATH=str(ROOT))
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "gthread", "--threads", str(args.threads), "--log-level", "warning", "run:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_until_up(port, proc)
        print(f"gunicorn on 127.0.0.1:{port}: {args.workers} workers × {args.threads} threads (gthread), "
              f"{args.readers} readers, {args.requests} requests per run, {os.cpu_count()} CPUs\n")

        programme = f"/forums/{big['slug']}/programme"
        check_page(port, programme)
        load(port, programme, args.readers * 4, args.readers, False, 20)  # warm both workers' caches
        kinds = (("programme (plain GET)", programme, False), ("programme (If-None-Match)", programme, True),
                 ("trivial /healthz", "/healthz", False))
        width = max(len(label) for label, _, _ in kinds)
        header = (f"{'':{width}}  {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'KB/resp':>8} "
                  f"{'errors':>6}  statuses")
        results: dict[str, list[dict]] = {label: [] for label, _, _ in kinds}
        # Rounds take turns, so a neighbour's burst of CPU on a shared machine hurts all kinds alike;
        # the summary takes each kind's median round.
        for round_ in range(1, args.rounds + 1):
            if time.monotonic() - started > TIME_BUDGET * 0.75:
                break
            print(f"round {round_}\n{header}")
            for label, path, conditional in kinds:
                left = TIME_BUDGET - (time.monotonic() - started)
                r = load(port, path, args.requests, args.readers, conditional, max(5.0, left / 4))
                results[label].append(r)
                statuses = ", ".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()))
                print(f"{label:{width}}  {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
                      f"{r['kb']:8.1f} {r['errors']:6d}  {statuses}  ({r['requests']} in {r['seconds']:.1f} s)")
            print()

        def median(label, field):
            return statistics.median(r[field] for r in results[label])

        print(f"median of {len(results[kinds[2][0]])} rounds\n{header.rsplit('  statuses', 1)[0]}")
        for label, _, _ in kinds:
            errors = sum(r["errors"] for r in results[label])
            print(f"{label:{width}}  {median(label, 'rps'):8.0f} {median(label, 'p50'):8.1f} "
                  f"{median(label, 'p95'):8.1f} {median(label, 'p99'):8.1f} {median(label, 'kb'):8.1f} {errors:6d}")
        trivial = median(kinds[2][0], "rps") or float("nan")
        print()
        for label, _, _ in kinds[:2]:
            ratio = median(label, "rps") / trivial
            print(f"ratio {label} / trivial: {ratio:.2f}×  (goal ≥ 0.3×: {'met' if ratio >= 0.3 else 'NOT met'})")
        try:
            load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"load average during the run: {load_avg} (other work on the machine skews the figures)")
        except OSError:
            pass
        print(f"total time {time.monotonic() - started:.0f} s")
        return 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            errors = proc.stderr.read() if proc.stderr else ""
            if errors.strip():
                print("\ngunicorn said:\n" + errors[-2000:])
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
