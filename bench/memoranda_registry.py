"""How the memoranda API holds up with many memoranda: response time and SQL statements per request.

    .venv/bin/python bench/memoranda_registry.py [--memoranda 500] [--parties 3] [--repeat 30]
                                                 [--database postgresql+psycopg://…/scratch_db]

Builds a throw-away SQLite database in a temporary directory (or uses the given, EMPTY scratch
database: its tables are dropped afterwards) and fills two forums by bulk INSERTs — a small one
(10 memoranda) and the big one — every memorandum published with all its parties' signatures
(hashes are made up: nothing is rendered or sealed here; bench/memorandum_pdf.py times that). It
then requests through the Flask test client:

    the public registry  GET /api/v1/forums/<slug>/memoranda  (all, and filtered by sector),
    the organizers' registry (every status) with a bearer token,
    one memorandum  GET /api/v1/memoranda/<id>,
    its verification record  GET /api/v1/verify/<public_id>,
    a 1 MB file check  POST /api/v1/verify/<public_id>/file.

For each it prints the median and p95 time and the SQL statements one request runs, for both
forums: the statement count must not grow with the number of memoranda. Not a test: figures to read.
"""
import argparse
import hashlib
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import create_user, grant_forum_role, issue_token  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (Forum, ForumRole, ForumStatus, GlobalRole, Memorandum, MemorandumLevel,  # noqa: E402
                        MemorandumStatus, Organization, Party, Region, Sector, Signature, seed_regions)
from config import TestConfig  # noqa: E402

SECTORS = [Sector.ngo, Sector.business, Sector.state]


def make_config(url: str) -> type:
    return type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})


def fill(slug: str, memoranda: int, parties: int) -> Forum:
    """One published forum with `memoranda` published memoranda of `parties` parties each, all signed."""
    rng = random.Random(slug)
    now = datetime.now(timezone.utc)
    forum = Forum(slug=slug, title_kk="ASAR форумы", title_ru="Форум ASAR", city="Атырау",
                  starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), status=ForumStatus.published)
    db.session.add(forum)
    db.session.flush()
    regions = list(db.session.scalars(sa.select(Region.id).order_by(Region.code)))
    n_orgs = max(parties * 2, memoranda // 2)
    db.session.execute(sa.insert(Organization), [
        {"name": f"{slug} ұйымы {i}", "name_key": f"{slug} ұйымы {i}", "sector": SECTORS[i % 3],
         "region_id": rng.choice(regions), "created_at": now} for i in range(n_orgs)])
    orgs = list(db.session.scalars(sa.select(Organization.id).where(Organization.name.like(f"{slug} %"))
                                   .order_by(Organization.id)))
    db.session.execute(sa.insert(Memorandum), [{
        "forum_id": forum.id, "public_id": f"{slug[:4].upper()}{n:06d}", "sequence": n,
        "number": f"ASAR-2030/{n:02d}", "level": MemorandumLevel.regional if n % 3 else MemorandumLevel.national,
        "region_id": rng.choice(regions), "city": "Атырау", "dated": date(2030, 9, 16),
        "title_kk": f"Ынтымақтастық туралы меморандум {n}", "title_ru": f"Меморандум о сотрудничестве {n}",
        "preamble_kk": "Тараптар…", "preamble_ru": "Стороны…", "subject_kk": "Бірлескен жоба.",
        "subject_ru": "Совместный проект.", "term_kk": "Бір жыл.", "term_ru": "Один год.",
        "final_provisions_kk": "Екі тілде.", "final_provisions_ru": "На двух языках.",
        "signing_ordered": False, "status": MemorandumStatus.published, "version": 1,
        "sha256": hashlib.sha256(f"{slug}{n}".encode()).hexdigest(), "opened_at": now, "signed_at": now,
        "published_at": now, "sealed_sha256": hashlib.sha256(f"pdf{slug}{n}".encode()).hexdigest(),
        "created_at": now, "updated_at": now} for n in range(1, memoranda + 1)])
    memo_rows = db.session.execute(sa.select(Memorandum.id, Memorandum.sha256)
                                   .where(Memorandum.forum_id == forum.id).order_by(Memorandum.id)).all()
    db.session.execute(sa.insert(Party), [{
        "memorandum_id": memo_id, "organization_id": org_id, "position": position,
        "signatory_name": f"Қол қоюшы {memo_id}-{position}", "signatory_email": f"s{memo_id}-{position}@{slug}.kz",
        "signatory_position": "директор", "obligations_kk": "Міндеттемелер.", "obligations_ru": "Обязательства."}
        for memo_id, _sha in memo_rows for position, org_id in enumerate(rng.sample(orgs, parties))])
    party_rows = db.session.execute(sa.select(Party.id, Party.memorandum_id, Party.signatory_name)
                                    .join(Memorandum).where(Memorandum.forum_id == forum.id)).all()
    hashes = dict(memo_rows)
    db.session.execute(sa.insert(Signature), [{
        "public_id": f"S-{party_id:08d}", "memorandum_id": memo_id, "party_id": party_id, "version": 1,
        "sha256": hashes[memo_id], "signer_name": name, "signed_at": now} for party_id, memo_id, name in party_rows])
    db.session.commit()
    return forum


def measure(app, client, method: str, path: str, repeat: int, **kwargs) -> tuple[float, float, int]:
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    def request():
        with app.app_context():  # its own database session, as in production: nothing cached between requests
            return getattr(client, method)(path, **kwargs)

    request()  # warm up
    times, counts = [], []
    engine = db.engine
    for _ in range(repeat):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
        counts.append(len(statements))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], max(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memoranda", type=int, default=500)
    parser.add_argument("--parties", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", help="an EMPTY scratch database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    scratch = tempfile.mkdtemp(prefix="asar-bench-")
    url = args.database or f"sqlite:///{os.path.join(scratch, 'bench.db')}"
    app = create_app(make_config(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_regions()
        started = time.perf_counter()
        forums = [fill("small", 10, args.parties), fill("big", args.memoranda, args.parties)]
        print(f"filled {10 + args.memoranda} memoranda in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        organizer = create_user("organizer@bench.kz", "Kt-7q-Wx-2m-Zp", "Organizer", role=GlobalRole.organizer)
        for forum in forums:
            grant_forum_role(organizer, forum, ForumRole.organizer)
        token = {"Authorization": f"Bearer {issue_token(organizer)}"}
        client = app.test_client()
        upload = os.urandom(1024 * 1024)
        print(f"{'request':<44} {'forum':>6} {'SQL':>4} {'median':>8} {'p95':>8}")
        for forum in forums:
            memo = db.session.scalar(sa.select(Memorandum).where(Memorandum.forum_id == forum.id).limit(1))
            cases = [
                ("registry (public)", "get", f"/api/v1/forums/{forum.slug}/memoranda", {}),
                ("registry, sector=state (public)", "get", f"/api/v1/forums/{forum.slug}/memoranda?sector=state", {}),
                ("registry (organizer: every status)", "get", f"/api/v1/forums/{forum.slug}/memoranda",
                 {"headers": token}),
                ("one memorandum", "get", f"/api/v1/memoranda/{memo.id}", {}),
                ("verification record", "get", f"/api/v1/verify/{memo.public_id}", {}),
                ("file check (1 MB)", "post", f"/api/v1/verify/{memo.public_id}/file",
                 {"data": upload, "content_type": "application/pdf"}),
            ]
            for label, method, path, kwargs in cases:
                median, p95, statements = measure(app, client, method, path, args.repeat, **kwargs)
                print(f"{label:<44} {forum.slug:>6} {statements:>4} {median:>6.1f}ms {p95:>6.1f}ms")
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
