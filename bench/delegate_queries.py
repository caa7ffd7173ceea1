"""How the organizer's delegate list scales: SQL queries and time, 100 vs 5,000 delegates.

    .venv/bin/python bench/delegate_queries.py

Builds a throwaway SQLite database in a temporary directory, fills two forums by bulk
inserts, then requests each page through the Flask test client as the forums' organizer
(CSRF is off, as in the test settings) and prints a table. Not a test: figures to read.
The query count of each page must not depend on the number of delegates.
"""
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (CheckIn, Delegate, DelegateStatus, Forum, ForumRole, ForumStatus, GlobalRole,  # noqa: E402
                        Organization, Participation, Region, Sector, search_key, seed_regions)
from config import TestConfig  # noqa: E402

SIZES = (100, 5000)
REPEAT = 3
PASSWORD = "Kt-7q-Wx-2m-Zp"
SURNAMES = ["Әбдіқалықова", "Жұмабаев", "Серікқызы", "Иванова", "Нұрланұлы", "Ким", "Оспанова", "Төлеуов"]
NAMES = ["Гүлшара", "Ерлан", "Айгүл", "Пётр", "Дәулет", "Мария", "Сәуле", "Асхат"]
SECTORS = list(Sector)


def make_config(path: Path) -> type:
    return type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})


def fill(forum: Forum, how_many: int, regions: list[int]) -> None:
    """Organizations, delegates and check-ins in three bulk INSERTs."""
    start = datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc)
    orgs = [{"name": f"«Ұйым {forum.slug} {i}» қоғамдық бірлестігі", "name_key": f"«ұйым {forum.slug} {i}» қоғамдық бірлестігі",
             "sector": SECTORS[i % len(SECTORS)], "created_at": start} for i in range(max(1, how_many // 4))]
    db.session.execute(sa.insert(Organization), orgs)
    org_ids = list(db.session.scalars(sa.select(Organization.id).where(Organization.name.like(f"«Ұйым {forum.slug} %"))
                                      .order_by(Organization.id)))
    org_names = dict(db.session.execute(sa.select(Organization.id, Organization.name).where(Organization.id.in_(org_ids))).all())
    rows = []
    for i in range(how_many):
        full_name = f"{SURNAMES[i % len(SURNAMES)]} {NAMES[(i // len(SURNAMES)) % len(NAMES)]} {i}"
        email = f"d{i}@{forum.slug}.example.kz"
        org_id = org_ids[i % len(org_ids)]
        when = start + timedelta(minutes=i)
        rows.append({
            "forum_id": forum.id, "full_name": full_name, "email": email, "phone": f"+7 701 {i:07d}",
            "position": "Төраға", "sector": SECTORS[i % len(SECTORS)], "region_id": regions[i % len(regions)],
            "organization_id": org_id, "participation": Participation.online if i % 10 == 0 else Participation.in_person,
            "language": ("kk", "ru", "en")[i % 3], "consent_given_at": when, "created_at": when, "updated_at": when,
            "status": DelegateStatus.pending if i % 7 == 0 else DelegateStatus.confirmed, "status_changed_at": when,
            "search_text": search_key(full_name, email, org_names[org_id], "Төраға", f"+7 701 {i:07d}"),
        })
    db.session.execute(sa.insert(Delegate), rows)
    ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.forum_id == forum.id).order_by(Delegate.id)))
    arrived = datetime(2026, 12, 20, 3, 30, tzinfo=timezone.utc)
    db.session.execute(sa.insert(CheckIn), [
        {"delegate_id": d, "forum_id": forum.id, "checked_in_at": arrived + timedelta(seconds=n), "method": "scan"}
        for n, d in enumerate(ids) if n % 3 == 0])
    db.session.commit()


def measure(app, engine, client, path: str) -> tuple[int, float, int]:
    """(queries, median seconds, response bytes) of GET path."""
    counts, times, size = [], [], 0
    for _ in range(REPEAT):
        statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        started = time.perf_counter()
        with app.app_context():
            response = client.get(path)
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", before)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(statements))
        times.append(elapsed)
        size = len(response.data)
    assert len(set(counts)) == 1, (path, counts)
    return counts[0], statistics.median(times), size


def main() -> None:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(make_config(Path(tmp) / "bench.db"))
        with app.app_context():
            db.create_all()
            seed_regions()
            regions = list(db.session.scalars(sa.select(Region.id).order_by(Region.code)))
            organizer = accounts.create_user("organizer@bench.example.kz", PASSWORD, "Organizer",
                                             role=GlobalRole.organizer, language="ru")
            forums = {}
            for size in SIZES:
                forum = Forum(slug=f"bench-{size}", title_ru=f"Форум {size}", city="Атырау",
                              starts_on=datetime(2026, 12, 20).date(), ends_on=datetime(2026, 12, 21).date(),
                              status=ForumStatus.published)
                db.session.add(forum)
                db.session.flush()
                accounts.grant_forum_role(organizer, forum, ForumRole.organizer, commit=False)
                db.session.commit()
                t = time.perf_counter()
                fill(forum, size, regions)
                print(f"filled {forum.slug}: {size} delegates in {time.perf_counter() - t:.2f}s")
                forums[size] = forum.slug
            atyrau = db.session.scalar(sa.select(Region.id).where(Region.code == "KZ-23"))
            engine = db.engine

        client = app.test_client()
        with app.app_context():
            response = client.post("/auth/login", data={"email": "organizer@bench.example.kz", "password": PASSWORD})
        assert response.status_code == 302, "login failed"

        cases = [
            ("list page", ""),
            ("list: search + filter", f"?q=%D0%B3%D2%AF%D0%BB&sector=ngo&region={atyrau}&page=2"),
            ("list: page 40, by name", "?order=name&page=40"),
            ("export CSV", "/export.csv"),
            ("export XLSX", "/export.xlsx"),
            ("export CSV filtered", f"/export.csv?checked_in=yes&region={atyrau}"),
        ]
        results = {}
        for label, suffix in cases:
            for size, slug in forums.items():
                results[label, size] = measure(app, engine, client, f"/forums/{slug}/delegates{suffix}")
        engine.dispose()

    small, large = SIZES
    print()
    print(f"{'request':<24} {'queries':>8} {'queries':>8} {'ms':>9} {'ms':>9} {'KB':>8}  equal")
    print(f"{'':<24} {small:>8} {large:>8} {small:>9} {large:>9} {large:>8}")
    all_equal = True
    for label, _suffix in cases:
        (q1, t1, _b1), (q2, t2, b2) = results[label, small], results[label, large]
        equal = q1 == q2
        all_equal &= equal
        print(f"{label:<24} {q1:>8} {q2:>8} {t1 * 1000:>9.1f} {t2 * 1000:>9.1f} {b2 / 1024:>8.0f}  {'yes' if equal else 'NO'}")
    print()
    print(f"equal: {'yes' if all_equal else 'no'}  (query counts, {small} vs {large} delegates; "
          f"median of {REPEAT} runs; total {time.perf_counter() - began:.1f}s)")
    if not all_equal:
        sys.exit(1)


if __name__ == "__main__":
    main()
