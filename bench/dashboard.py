"""How the organizer's dashboard figures hold up at a national forum's size: `forum_stats` and the stats API.

    .venv/bin/python bench/dashboard.py [--delegates 20000] [--sessions 300] [--projects 2000] [--pledges 10000]
                                        [--memoranda 10] [--repeat 30]
                                        [--database postgresql+psycopg://…/scratch_db | --pg]

Builds a throw-away SQLite database in a temporary directory, or uses the given EMPTY scratch database
(`--pg` takes it from DATABASE_URL; a database that already has tables is refused, and the tables are
dropped afterwards). It fills two forums by bulk INSERTs — a small one (1/100 of the sizes) and the big
one: 20,000 delegates of every sector, region, format and status, ~60% of them checked in over one day,
300 sessions with enrolments and waitlists, 2,000 fair projects with pledges (their totals kept in step),
10 memoranda with their parties. Then it times, for both forums:

    services.forum_stats(forum)                       the function behind the dashboard, the API and the report
    GET /api/v1/forums/<slug>/stats                   through the Flask test client, with an organizer's token

and prints the median and p95 time and the SQL statements each runs: the count must not grow with the
forum. Not a test: figures to read.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (CheckIn, Delegate, DelegateStatus, Enrollment, EnrollmentStatus, FairProject,  # noqa: E402
                        Forum, ForumRole, ForumStatus, GlobalRole, Hall, Memorandum, MemorandumLevel,
                        MemorandumStatus, Organization, Participation, Party, Pledge, PledgeStatus, ProjectCategory,
                        ProjectStatus, Region, Sector, Session, SessionKind, SessionStatus, seed_regions)
from config import TestConfig  # noqa: E402

UTC = timezone.utc
DAY = date(2030, 9, 16)
# Who comes to an ASAR forum: mostly NGOs, then business and the state.
SECTOR_WEIGHTS = {Sector.ngo: 55, Sector.business: 20, Sector.state: 12, Sector.international: 4, Sector.media: 5,
                  Sector.academia: 4}
STATUS_WEIGHTS = {DelegateStatus.confirmed: 85, DelegateStatus.pending: 8, DelegateStatus.declined: 3,
                  DelegateStatus.cancelled: 4}
PROJECT_WEIGHTS = {ProjectStatus.submitted: 8, ProjectStatus.returned: 3, ProjectStatus.rejected: 4,
                   ProjectStatus.approved: 40, ProjectStatus.presented: 25, ProjectStatus.supported: 0,
                   ProjectStatus.funded: 0, ProjectStatus.memorandum_signed: 0}
PUBLIC = (ProjectStatus.approved, ProjectStatus.presented, ProjectStatus.supported, ProjectStatus.funded,
          ProjectStatus.memorandum_signed)


def make_config(url: str) -> type:
    return type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def fill(slug: str, *, delegates: int, sessions: int, projects: int, pledges: int, memoranda: int) -> dict:
    """One published forum with everything the dashboard counts, in a handful of bulk INSERTs."""
    rng = random.Random(slug)
    now = datetime.now(UTC)
    forum = Forum(slug=slug, title_kk="ASAR ұлттық форумы", title_ru="Национальный форум ASAR", city="Астана",
                  starts_on=DAY, ends_on=DAY + timedelta(days=2), status=ForumStatus.published)
    db.session.add(forum)
    db.session.flush()
    halls = []
    for i in range(10):
        hall = Hall(forum_id=forum.id, name=f"Зал {i + 1}", capacity=rng.choice((60, 120, 400)), position=i)
        db.session.add(hall)
        halls.append(hall)
    db.session.flush()
    hall_ids = [h.id for h in halls]
    regions = list(db.session.scalars(sa.select(Region.id).order_by(Region.code)))

    # Organizations: roughly one per seven delegates, of the sectors delegates come from.
    n_orgs = max(20, delegates // 7)
    db.session.execute(sa.insert(Organization), [
        {"name": f"«{slug} ұйым {i}»", "name_key": f"«{slug} ұйым {i}»", "sector": weighted(rng, SECTOR_WEIGHTS),
         "region_id": rng.choice(regions), "created_at": now} for i in range(n_orgs)])
    orgs = db.session.execute(sa.select(Organization.id, Organization.sector)
                              .where(Organization.name.like(f"«{slug} %")).order_by(Organization.id)).all()
    orgs_of = {sector: [o for o, s in orgs if s == sector] for sector in Sector}

    rows = []
    for i in range(delegates):
        sector = weighted(rng, SECTOR_WEIGHTS)
        org = rng.choice(orgs_of[sector]) if orgs_of[sector] and rng.random() < 0.9 else None
        rows.append({
            "forum_id": forum.id, "full_name": f"Делегат {i}", "email": f"d{i}@{slug}.example.kz", "sector": sector,
            "organization_id": org, "region_id": rng.choice(regions) if rng.random() < 0.95 else None,
            "participation": Participation.in_person if rng.random() < 0.8 else Participation.online,
            "language": rng.choice(("kk", "ru")), "consent_given_at": now, "status": weighted(rng, STATUS_WEIGHTS),
            "status_changed_at": now, "search_text": f"делегат {i}", "created_at": now, "updated_at": now})
    db.session.execute(sa.insert(Delegate), rows)
    people = db.session.execute(sa.select(Delegate.id, Delegate.status, Delegate.sector, Delegate.organization_id)
                                .where(Delegate.forum_id == forum.id).order_by(Delegate.id)).all()
    confirmed = [p for p in people if p.status == DelegateStatus.confirmed]

    # Check-ins: ~60% of all delegates over the first day, 08:00–18:00 at the forum (UTC+5), a morning rush.
    opening = datetime.combine(DAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=3)
    arriving = rng.sample(confirmed, min(len(confirmed), round(delegates * 0.6)))
    methods = ["scan"] * 16 + ["manual"] * 3 + ["api"]
    db.session.execute(sa.insert(CheckIn), [{
        "delegate_id": p.id, "forum_id": forum.id, "method": rng.choice(methods),
        "checked_in_at": opening + timedelta(seconds=min(36_000, int(rng.expovariate(1 / 5_400))))}
        for p in arriving])

    # Sessions over three days, 60% with limited seats; enrolment up to capacity, then a waitlist.
    kinds = list(SessionKind)
    statuses = [SessionStatus.published] * 18 + [SessionStatus.draft, SessionStatus.cancelled]
    session_rows = []
    for i in range(sessions):
        starts = opening + timedelta(days=i % 3, minutes=30 * ((i // 3) % 18))
        session_rows.append({
            "forum_id": forum.id, "hall_id": rng.choice(hall_ids) if rng.random() < 0.95 else None,
            "kind": rng.choice(kinds), "title_kk": f"Сессия {i} (kk)", "title_ru": f"Сессия {i}",
            "starts_at": starts, "ends_at": starts + timedelta(minutes=rng.choice((45, 60, 90))),
            "languages": "kk,ru", "interpretation": False,
            "capacity": rng.choice((20, 30, 50, 100, 200)) if rng.random() < 0.6 else None,
            "status": rng.choice(statuses), "created_at": now, "updated_at": now})
    db.session.execute(sa.insert(Session), session_rows)
    limited = db.session.execute(sa.select(Session.id, Session.capacity).where(
        Session.forum_id == forum.id, Session.capacity.is_not(None))).all()
    enrollment_rows = []
    for session_id, capacity in limited:
        takers = rng.sample(confirmed, min(len(confirmed), int(capacity * rng.uniform(0.3, 1.25))))
        for n, person in enumerate(takers):
            enrollment_rows.append({"session_id": session_id, "delegate_id": person.id, "created_at": now,
                                    "status": EnrollmentStatus.enrolled if n < capacity
                                    else EnrollmentStatus.waitlisted})
    if enrollment_rows:
        db.session.execute(sa.insert(Enrollment), enrollment_rows)

    # The fair: projects of NGO delegates, pledges of business delegates; totals computed as recount would.
    ngos = [p for p in confirmed if p.sector == Sector.ngo]
    businesses = [p for p in confirmed if p.sector == Sector.business and p.organization_id]
    categories = list(ProjectCategory)
    project_rows = []
    for i in range(projects):
        author = rng.choice(ngos)
        status = weighted(rng, PROJECT_WEIGHTS)
        project_rows.append({
            "forum_id": forum.id, "delegate_id": author.id, "organization_id": author.organization_id,
            "title_kk": f"Жоба {i}", "title_ru": f"Проект {i}", "category": rng.choice(categories),
            "region_id": rng.choice(regions), "budget_kzt": rng.randrange(300_000, 30_000_000, 50_000),
            "status": status, "confirmed_kzt": 0, "confirmed_in_kind_kzt": 0, "pending_kzt": 0, "backers_count": 0,
            "search_text": f"жоба {i}", "submitted_at": now, "approved_at": now if status in PUBLIC else None,
            "created_at": now, "updated_at": now})
    db.session.execute(sa.insert(FairProject), project_rows)
    public = db.session.execute(sa.select(FairProject.id, FairProject.budget_kzt, FairProject.status).where(
        FairProject.forum_id == forum.id, FairProject.status.in_(PUBLIC)).order_by(FairProject.id)).all()
    fates = [PledgeStatus.confirmed] * 5 + [PledgeStatus.pending] * 3 + [PledgeStatus.declined, PledgeStatus.withdrawn]
    pledge_rows, pending_pairs = [], set()
    totals = {p.id: {"confirmed_kzt": 0, "confirmed_in_kind_kzt": 0, "pending_kzt": 0, "backers": set()}
              for p in public}
    while public and businesses and len(pledge_rows) < pledges:
        project, backer, status = rng.choice(public), rng.choice(businesses), rng.choice(fates)
        if status == PledgeStatus.pending:
            if (project.id, backer.id) in pending_pairs:
                continue
            pending_pairs.add((project.id, backer.id))
        in_kind = rng.random() < 0.25
        amount = None if in_kind and rng.random() < 0.5 else rng.randrange(50_000, 3_000_000, 10_000)
        in_kind_value = rng.randrange(100_000, 2_000_000, 10_000) if in_kind else None
        pledge_rows.append({"project_id": project.id, "forum_id": forum.id, "delegate_id": backer.id,
                            "organization_id": backer.organization_id, "amount_kzt": amount,
                            "in_kind": "Жабдық" if in_kind else None, "in_kind_value_kzt": in_kind_value,
                            "status": status, "created_at": now})
        entry = totals[project.id]
        if status == PledgeStatus.confirmed:
            entry["confirmed_kzt"] += amount or 0
            entry["confirmed_in_kind_kzt"] += in_kind_value or 0
            entry["backers"].add(backer.organization_id)
        elif status == PledgeStatus.pending:
            entry["pending_kzt"] += amount or 0
    if pledge_rows:
        db.session.execute(sa.insert(Pledge), pledge_rows)
    budgets = {p.id: p.budget_kzt for p in public}
    updates = []
    for project_id, entry in totals.items():
        covered = entry["confirmed_kzt"] + entry["confirmed_in_kind_kzt"]
        status = (ProjectStatus.funded if covered >= budgets[project_id]
                  else ProjectStatus.supported if entry["backers"] else None)
        update = {"pid": project_id, "confirmed_kzt": entry["confirmed_kzt"],
                  "confirmed_in_kind_kzt": entry["confirmed_in_kind_kzt"], "pending_kzt": entry["pending_kzt"],
                  "backers_count": len(entry["backers"])}
        if status is not None:
            update["status"] = status
        updates.append(update)
    for keys in ({"pid", "confirmed_kzt", "confirmed_in_kind_kzt", "pending_kzt", "backers_count", "status"},
                 {"pid", "confirmed_kzt", "confirmed_in_kind_kzt", "pending_kzt", "backers_count"}):
        batch = [u for u in updates if set(u) == keys]
        if batch:
            db.session.execute(sa.update(FairProject.__table__).where(FairProject.__table__.c.id == sa.bindparam("pid"))
                               .values({k: sa.bindparam(k) for k in keys - {"pid"}}), batch)

    # Memoranda at every step, each with 2–4 parties from the forum's organizations.
    steps = [MemorandumStatus.published] * 4 + [MemorandumStatus.signed] * 2 + [
        MemorandumStatus.open, MemorandumStatus.open, MemorandumStatus.draft, MemorandumStatus.cancelled]
    for i in range(memoranda):
        memorandum = Memorandum(
            forum_id=forum.id, public_id=f"{slug[:8]}{i:04d}".upper(), sequence=i + 1,
            number=f"ASAR-2030/{i + 1:02d}", city="Астана", dated=DAY, status=steps[i % len(steps)],
            level=MemorandumLevel.national if i % 3 == 0 else MemorandumLevel.regional,
            title_kk=f"Меморандум {i + 1}", title_ru=f"Меморандум {i + 1}")
        db.session.add(memorandum)
        db.session.flush()
        for position, org_id in enumerate(rng.sample([o for o, _ in orgs], rng.randint(2, 4))):
            db.session.add(Party(memorandum_id=memorandum.id, organization_id=org_id, position=position,
                                 signatory_name=f"Қол қоюшы {position}", signatory_position="Төраға",
                                 signatory_email=f"s{i}-{position}@{slug}.example.kz"))
    db.session.commit()
    return {"forum_id": forum.id, "slug": slug, "delegates": delegates, "checkins": len(arriving),
            "sessions": sessions, "enrollments": len(enrollment_rows), "projects": projects,
            "pledges": len(pledge_rows), "memoranda": memoranda}


class Counter:
    def __init__(self, engine):
        self.engine, self.statements = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.statements += 1


def summary(times: list[float], counts: list[int]) -> tuple[float, float, str]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    steady = counts[1:] or counts  # the first call may also warm caches (token, user)
    statements = str(steady[-1]) if len(set(steady)) == 1 else f"{min(steady)}–{max(steady)}"
    return statistics.median(times) * 1000, p95 * 1000, statements


def measure_service(app, forum_id: int, repeat: int):
    from app.dashboard.services import forum_stats

    times, counts = [], []
    for _ in range(repeat):
        with app.app_context():
            forum = db.session.get(Forum, forum_id)  # loaded by the caller, as the views and the API do
            with Counter(db.engine) as counter:
                started = time.perf_counter()
                forum_stats(forum)
                times.append(time.perf_counter() - started)
            counts.append(counter.statements)
            db.session.remove()
    return summary(times, counts)


def measure_api(app, client, slug: str, token: str, repeat: int):
    times, counts, size = [], [], 0
    with app.app_context():
        engine = db.engine
    for _ in range(repeat):
        with Counter(engine) as counter:
            started = time.perf_counter()
            response = client.get(f"/api/v1/forums/{slug}/stats", headers={"Authorization": f"Bearer {token}"})
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")
        counts.append(counter.statements)
        size = len(response.data)
    return (*summary(times, counts), size, response.get_json())


def database_url(args) -> str | None:
    if args.database:
        return args.database
    if args.pg:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgresql"):
            raise SystemExit("--pg needs DATABASE_URL=postgresql+psycopg://…/scratch_db (an empty database)")
        return url
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delegates", type=int, default=20_000)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--pledges", type=int, default=10_000)
    parser.add_argument("--memoranda", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", help="an EMPTY scratch database URL (default: a temporary SQLite file)")
    parser.add_argument("--pg", action="store_true", help="use DATABASE_URL (an EMPTY PostgreSQL scratch database)")
    args = parser.parse_args()
    began = time.perf_counter()
    url = database_url(args)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(make_config(url or f"sqlite:///{Path(tmp) / 'bench.db'}"))
        with app.app_context():
            if sa.inspect(db.engine).get_table_names():
                raise SystemExit(f"{db.engine.url.render_as_string(hide_password=True)} has tables: give an EMPTY "
                                 "scratch database (its tables are dropped afterwards)")
        try:
            return run(app, args, began)
        finally:
            with app.app_context():
                db.session.remove()
                if url:
                    db.drop_all()
                db.engine.dispose()


def run(app, args, began: float) -> int:
    from app.auth import services as accounts

    big = dict(delegates=args.delegates, sessions=args.sessions, projects=args.projects, pledges=args.pledges,
               memoranda=args.memoranda)
    small = {key: max(1, value // 100) for key, value in big.items()}
    small["memoranda"] = min(args.memoranda, 3)
    forums = {}
    with app.app_context():
        db.create_all()
        seed_regions()
        dialect = db.engine.dialect.name
        for label, sizes in (("small", small), ("big", big)):
            started = time.perf_counter()
            forums[label] = fill(f"stats-{label}", **sizes)
            f = forums[label]
            print(f"{label}: {f['delegates']} delegates ({f['checkins']} checked in), {f['sessions']} sessions "
                  f"({f['enrollments']} enrolments), {f['projects']} projects ({f['pledges']} pledges), "
                  f"{f['memoranda']} memoranda — bulk insert {time.perf_counter() - started:.1f} s")
        organizer = accounts.create_user("organizer@stats.example.kz", "Kt-7q-Wx-2m-Zp", "Organizer",
                                         role=GlobalRole.organizer, language="kk")
        for f in forums.values():
            accounts.grant_forum_role(organizer, db.session.get(Forum, f["forum_id"]), ForumRole.organizer,
                                      commit=False)
        db.session.commit()
        token = accounts.issue_token(organizer)
        db.session.commit()

    client = app.test_client()
    results = {}
    for label, f in forums.items():
        service = measure_service(app, f["forum_id"], args.repeat)
        api = measure_api(app, client, f["slug"], token, args.repeat)
        results[label] = (service, api)

    stats = results["big"][1][4]
    print(f"\nbig forum ({dialect}): {stats['delegates']['registered']} registered, "
          f"{stats['delegates']['checked_in']} checked in, {len(stats['checkins']['per_15_minutes'])} "
          f"quarter-hours of arrivals, {len(stats['sessions']['items'])} published sessions, "
          f"{stats['fair']['public']} public projects ({stats['fair']['funded']} funded), "
          f"{stats['memoranda']['signed_total']} memoranda signed; JSON {len(json.dumps(stats)) / 1024:.0f} KB")
    print(f"\n{'':30} {'statements':>10} {'median ms':>10} {'p95 ms':>8} │ "
          f"{'statements':>10} {'median ms':>10} {'p95 ms':>8}")
    small_label, big_label = f"small ({small['delegates']} delegates)", f"big ({args.delegates} delegates)"
    print(f"{'':30} {small_label:>30} │ {big_label:>30}")
    for index, name in ((0, "services.forum_stats"), (1, "GET /api/v1/forums/…/stats")):
        cells = []
        for label in ("small", "big"):
            median, p95, statements = results[label][index][:3]
            cells.append(f"{statements:>10} {median:10.1f} {p95:8.1f}")
        print(f"{name:30} {cells[0]} │ {cells[1]}")
    same = all(results["small"][i][2] == results["big"][i][2] for i in (0, 1))
    print("\nSQL statements: " + ("the same for the small and the big forum" if same
                                  else "GROW with the forum — look at forum_stats"))
    print(f"{args.repeat} calls each, one process, Flask test client (no network); total time "
          f"{time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
