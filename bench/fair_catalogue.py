"""How the ideas fair's catalogue holds up with 2,000 projects and 10,000 pledges: render time and SQL queries.

    .venv/bin/python bench/fair_catalogue.py [--projects 2000] [--pledges 10000] [--repeat 30]
                                              [--database postgresql+psycopg://…/scratch_db]

Builds a throw-away SQLite database in a temporary directory (or uses the given, EMPTY scratch
database: its tables are dropped afterwards), fills two forums by bulk INSERTs — a small one
(100 projects, 500 pledges) and the big one — then recounts every project's totals with the
service (`recount`, the only writer of totals). It then requests, through the Flask test client
as an anonymous reader (like a phone that scanned a booth poster):

    the catalogue page /forums/<slug>/fair  with several filter/sort combinations,
    the map page, one project page,
    the API list /api/v1/forums/<slug>/fair/projects and the totals,

and times the services alone: catalogue, totals, totals_by_region, totals_by_business.
For each it prints the median and p95 time and the SQL statements one request runs, for both
forums: the statement count must not grow with the number of projects. Not a test: figures to read.
"""
import argparse
import logging
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
from app.models import (Delegate, DelegateStatus, FairProject, Forum, ForumStatus, Organization,  # noqa: E402
                        Participation, Pledge, PledgeStatus, ProjectCategory, ProjectStatus, Region, Sector,
                        search_key, seed_regions)
from config import TestConfig  # noqa: E402

WORDS_KK = ["Жастарды", "Ауыл", "Инклюзивті", "Экологиялық", "Қарттарға", "Балаларға", "Кітапхана", "IT-курстар",
            "Мәдени", "Спорт"]
WORDS_RU = ["молодёжи", "села", "инклюзии", "экологии", "пожилых", "детей", "библиотеки", "IT-курсов",
            "культуры", "спорта"]
SETTLEMENTS = ["Атырау", "Құлсары", "Ақтау", "Алматы", "Астана", "Шымкент", "Тараз", "Ақтөбе", "Орал", "Семей"]


def make_config(url: str) -> type:
    return type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})


def fill(slug: str, projects: int, pledges: int) -> dict:
    """One published forum with its NGOs, businesses, projects and pledges, in a handful of bulk INSERTs."""
    rng = random.Random(slug)
    now = datetime.now(timezone.utc)
    forum = Forum(slug=slug, title_kk="ASAR жәрмеңкесі", title_ru="Ярмарка ASAR", city="Атырау",
                  starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), status=ForumStatus.published)
    db.session.add(forum)
    db.session.flush()
    regions = list(db.session.scalars(sa.select(Region.id).order_by(Region.code)))

    n_ngo, n_business = max(10, projects // 7), max(5, projects // 35)
    db.session.execute(sa.insert(Organization), [
        {"name": f"«{slug} ҮЕҰ {i}» қоғамдық бірлестігі", "name_key": f"«{slug} үеұ {i}» қоғамдық бірлестігі",
         "sector": Sector.ngo, "region_id": rng.choice(regions), "created_at": now} for i in range(n_ngo)] + [
        {"name": f"ТОО «{slug} Газ Сервис {i}»", "name_key": f"тоо «{slug} газ сервис {i}»",
         "sector": Sector.business, "region_id": rng.choice(regions), "created_at": now} for i in range(n_business)])
    orgs = db.session.execute(sa.select(Organization.id, Organization.sector, Organization.name)
                              .where(Organization.name.like(f"%{slug}%")).order_by(Organization.id)).all()
    org_names = {org_id: name for org_id, _sector, name in orgs}
    db.session.execute(sa.insert(Delegate), [{
        "forum_id": forum.id, "full_name": f"Делегат {i}", "email": f"d{i}@{slug}.example.kz", "sector": sector,
        "organization_id": org_id, "language": "kk", "consent_given_at": now, "status": DelegateStatus.confirmed,
        "status_changed_at": now, "participation": Participation.in_person, "search_text": f"делегат {i}",
        "created_at": now, "updated_at": now} for i, (org_id, sector, _name) in enumerate(orgs)])
    delegates = db.session.execute(sa.select(Delegate.id, Delegate.sector, Delegate.organization_id)
                                   .where(Delegate.forum_id == forum.id).order_by(Delegate.id)).all()
    ngos = [(d, o) for d, s, o in delegates if s == Sector.ngo]
    businesses = [(d, o) for d, s, o in delegates if s == Sector.business]

    categories = list(ProjectCategory)
    rows = []
    for i in range(projects):
        delegate_id, org_id = rng.choice(ngos)
        kk = f"{rng.choice(WORDS_KK)} қолдау жобасы №{i}"
        ru = f"Проект поддержки {rng.choice(WORDS_RU)} №{i}"
        summary_kk = "Жобаның қысқаша сипаттамасы: кімге, не үшін, қалай."
        summary_ru = "Кратко о проекте: для кого, зачем и как."
        settlement = rng.choice(SETTLEMENTS)
        approved = now - timedelta(minutes=i * 7)
        rows.append({
            "forum_id": forum.id, "delegate_id": delegate_id, "organization_id": org_id, "title_kk": kk,
            "title_ru": ru, "summary_kk": summary_kk, "summary_ru": summary_ru, "category": rng.choice(categories),
            "region_id": rng.choice(regions), "settlement": settlement, "beneficiaries_count": rng.randint(10, 5000),
            "budget_kzt": rng.randrange(300_000, 30_000_000, 50_000), "duration_months": rng.randint(3, 24),
            "status": ProjectStatus.approved, "booth": f"{chr(65 + i % 20)}-{i}" if i % 3 == 0 else None,
            "is_winner": i < 10, "confirmed_kzt": 0, "confirmed_in_kind_kzt": 0, "pending_kzt": 0,
            "backers_count": 0,
            "search_text": search_key(kk, ru, summary_kk, summary_ru, settlement, org_names[org_id]),
            "submitted_at": approved - timedelta(days=2), "approved_at": approved, "created_at": approved,
            "updated_at": approved})
    db.session.execute(sa.insert(FairProject), rows)
    project_ids = list(db.session.scalars(sa.select(FairProject.id).where(FairProject.forum_id == forum.id)
                                        .order_by(FairProject.id)))

    fates = [PledgeStatus.confirmed] * 5 + [PledgeStatus.pending] * 3 + [PledgeStatus.declined] * 1 + \
        [PledgeStatus.withdrawn] * 1
    pending_pairs, pledge_rows = set(), []
    while len(pledge_rows) < pledges:
        project_id = rng.choice(project_ids)
        delegate_id, org_id = rng.choice(businesses)
        status = rng.choice(fates)
        if status == PledgeStatus.pending:
            if (project_id, delegate_id) in pending_pairs:
                continue  # one pending pledge per business per project, as the service insists
            pending_pairs.add((project_id, delegate_id))
        in_kind = rng.random() < 0.25
        made = now - timedelta(minutes=rng.randint(1, 20_000))
        pledge_rows.append({
            "project_id": project_id, "forum_id": forum.id, "delegate_id": delegate_id, "organization_id": org_id,
            "amount_kzt": None if in_kind and rng.random() < 0.5 else rng.randrange(50_000, 3_000_000, 10_000),
            "in_kind": "Жабдық және көлік" if in_kind else None,
            "in_kind_value_kzt": rng.randrange(100_000, 2_000_000, 10_000) if in_kind else None,
            "status": status, "created_at": made,
            "decided_at": None if status == PledgeStatus.pending else made + timedelta(hours=5)})
    db.session.execute(sa.insert(Pledge), pledge_rows)
    db.session.commit()
    return {"forum_id": forum.id, "slug": slug, "projects": projects, "pledges": len(pledge_rows)}


def recount_all(forum_id: int) -> float:
    """Every project's totals and status from its pledges, by the service that owns them."""
    from app.fair import services as fair

    started = time.perf_counter()
    for project in db.session.scalars(sa.select(FairProject).where(FairProject.forum_id == forum_id)).all():
        fair.recount(project)
    db.session.commit()
    return time.perf_counter() - started


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
    queries = str(counts[-1]) if len(set(counts[1:] or counts)) == 1 else f"{min(counts)}–{max(counts)}"
    return statistics.median(times) * 1000, p95 * 1000, queries


def measure_request(app, client, path: str, repeat: int) -> tuple[float, float, str, int] | str:
    """(median ms, p95 ms, statements, bytes), or why the page could not be measured."""
    times, counts, size = [], [], 0
    for _ in range(repeat):
        with app.app_context():
            engine = db.engine
        with Counter(engine) as counter:
            started = time.perf_counter()
            response = client.get(path, headers={"Accept-Language": "kk"})
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        counts.append(counter.statements)
        size = len(response.data)
    return (*summary(times, counts), size)


def measure_call(app, call, repeat: int) -> tuple[float, float, str, int]:
    times, counts = [], []
    for _ in range(repeat):
        with app.test_request_context(headers={"Accept-Language": "kk"}):
            with Counter(db.engine) as counter:
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
            counts.append(counter.statements)
            db.session.remove()
    return (*summary(times, counts), 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--pledges", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", help="an EMPTY scratch database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    logging.getLogger("app.errors").setLevel(logging.CRITICAL)  # a failing page shows as "HTTP 500" in the table
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app(make_config(url))
        try:
            return run(app, args, began)
        finally:
            if args.database:
                with app.app_context():
                    db.session.remove()
                    db.drop_all()
            with app.app_context():
                db.engine.dispose()


def run(app, args, began: float) -> int:
    from app.fair import services as fair

    sizes = {"small": (100, 500), "big": (args.projects, args.pledges)}
    forums = {}
    with app.app_context():
        db.create_all()
        seed_regions()
        for label, (projects, pledges) in sizes.items():
            started = time.perf_counter()
            forums[label] = fill(f"fair-{label}", projects, pledges)
            filled = time.perf_counter() - started
            recount = recount_all(forums[label]["forum_id"])
            print(f"{label}: {forums[label]['projects']} projects, {forums[label]['pledges']} pledges — "
                  f"bulk insert {filled:.2f} s, recount of every project {recount:.2f} s")
        big = db.session.get(Forum, forums["big"]["forum_id"])
        totals = fair.totals(big)
        atyrau = db.session.scalar(sa.select(Region.id).where(Region.code == "KZ-23"))
        sample_project = db.session.scalar(sa.select(FairProject.id).where(FairProject.forum_id == big.id)
                                           .order_by(FairProject.backers_count.desc()).limit(1))
        dialect = db.engine.dialect.name
    def kzt(amount: int) -> str:
        return f"{amount:,} ₸".replace(",", " ")

    print(f"big forum: {totals.projects} public projects, {totals.supported} supported, {totals.funded} funded; "
          f"budget {kzt(totals.budget_kzt)}, confirmed {kzt(totals.covered_kzt)}, pending {kzt(totals.pending_kzt)} "
          f"({dialect})")

    client = app.test_client()
    pages = [
        ("catalogue (newest)", ""),
        ("catalogue: category", "?category=youth"),
        ("catalogue: region + funding", f"?region={atyrau}&funding=supported"),
        ("catalogue: budget + most needed", "?budget_min=1000000&budget_max=10000000&sort=most_needed"),
        ("catalogue: closest to funded", "?sort=closest"),
        ("catalogue: search", "?q=%D0%B6%D0%B0%D1%81%D1%82%D0%B0%D1%80%D0%B4%D1%8B"),  # «жастарды»
        ("catalogue: page 40", "?page=40"),
    ]
    rows = []
    for label, query in pages:
        rows.append((label, {size: measure_request(app, client, f"/forums/{f['slug']}/fair{query}", args.repeat)
                             for size, f in forums.items()}))
    rows.append(("map of initiatives", {size: measure_request(app, client, f"/forums/{f['slug']}/fair/map",
                                                              args.repeat) for size, f in forums.items()}))
    rows.append(("API list (24)", {size: measure_request(app, client, f"/api/v1/forums/{f['slug']}/fair/projects",
                                                         args.repeat) for size, f in forums.items()}))
    rows.append(("API list (100, closest)", {
        size: measure_request(app, client, f"/api/v1/forums/{f['slug']}/fair/projects?per_page=100&sort=closest",
                              args.repeat) for size, f in forums.items()}))
    rows.append(("API totals", {size: measure_request(app, client, f"/api/v1/forums/{f['slug']}/fair/totals",
                                                      args.repeat) for size, f in forums.items()}))
    rows.append(("project page (most backers)", {
        "big": measure_request(app, client, f"/forums/fair-big/fair/projects/{sample_project}", args.repeat)}))

    def service(name, call):
        result = {}
        for size, f in forums.items():
            def once(forum_id=f["forum_id"]):
                call(db.session.get(Forum, forum_id))
            result[size] = measure_call(app, once, args.repeat)
        rows.append((name, result))

    service("services.catalogue (page 1)", lambda forum: fair.catalogue(forum, fair.CatalogueQuery()))
    service("services.totals", fair.totals)
    service("services.totals_by_region", fair.totals_by_region)
    service("services.totals_by_business", fair.totals_by_business)

    small, big_label = sizes["small"], sizes["big"]
    header = (f"{'':34} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'KB':>6} │ "
              f"{'queries':>8} {'median ms':>10} {'p95 ms':>8} {'KB':>6}")
    print(f"\n{'':34} {f'{small[0]} projects / {small[1]} pledges':>36} │ "
          f"{f'{big_label[0]} projects / {big_label[1]} pledges':>36}")
    print(header)
    growing = []
    for label, result in rows:
        cells = []
        for size in ("small", "big"):
            if size not in result or isinstance(result[size], str):
                cells.append(f"{result.get(size, ''):>36}")
                continue
            median, p95, queries, size_bytes = result[size]
            kb = f"{size_bytes / 1024:.0f}" if size_bytes else "–"
            cells.append(f"{queries:>8} {median:10.1f} {p95:8.1f} {kb:>6}")
        print(f"{label:34} {cells[0]} │ {cells[1]}")
        measured = [r for r in result.values() if not isinstance(r, str)]
        if len(measured) == 2 and measured[0][2] != measured[1][2]:
            growing.append(label)
    print("\nSQL statements per request: " + ("the same for 100 and for "
          f"{args.projects} projects" if not growing else "GROW with the fair: " + ", ".join(growing)))
    print(f"{args.repeat} requests each, Flask test client in one process (no network); total time "
          f"{time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
