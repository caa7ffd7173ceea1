"""The forum's figures, counted straight from the database: one function feeds the dashboard, its live
updates, the API (`GET /api/v1/forums/{slug}/stats`) and the final report, so their numbers always agree.

`forum_stats(forum, *, now=None) -> dict` returns plain JSON-ready data (ints, strings, ISO-8601 UTC times,
lists, dicts — no model objects, no lazy strings; labels are added by the views, not here):

    {
      "forum": {"slug", "title_kk", "title_ru", "starts_on", "ends_on", "timezone", "city"},
      "generated_at": "2026-12-15T05:00:00+00:00",
      "delegates": {
        "registered": int,          # every registration that is not cancelled or declined
        "confirmed": int, "pending": int, "declined": int, "cancelled": int,
        "checked_in": int,          # confirmed delegates with a check-in
        "by_sector":  [{"sector": "ngo", "registered": int, "confirmed": int, "checked_in": int}, ...]  # every Sector, fixed order
        "by_region":  [{"region_id": int|None, "code": "KZ-23"|None, "registered": int, "checked_in": int}, ...]  # regions with >0, then None (unknown) last
                      # (known regions: most registered first, then by code; the None row only if some have no region)
        "by_format":  [{"participation": "in_person"|"online", "registered": int, "checked_in": int}, ...],  # both, fixed order
        "organizations": {"total": int, "by_sector": {"ngo": int, "business": int, ...}},  # distinct organizations of registered delegates
                      # (by the organization's own sector; every Sector key present)
      },
      "checkins": {                # every arrival the door recorded (a delegate cancelled afterwards still counts here,
                                   # not in delegates.checked_in); times to the second
        "total": int,
        "first_at": iso|None, "last_at": iso|None,
        "per_15_minutes": [{"start": iso, "count": int}, ...],   # consecutive 15-minute buckets (UTC-aligned) from the first to the last check-in, zeros included
        "by_method": {"scan": int, "manual": int, "api": int},   # an unknown method would be added as its own key
      },
      "sessions": {
        "total": int, "published": int, "cancelled": int,
        "enrolled": int, "waitlisted": int,           # over all published sessions
        "items": [{"id", "title_kk", "title_ru", "kind", "starts_at": iso, "ends_at": iso, "hall": str|None,
                   "capacity": int|None, "enrolled": int, "waitlisted": int, "fill_percent": int|None}, ...]  # published, by start time
                   # fill_percent: enrolled * 100 // capacity (rounded down, not capped); None for open sessions
      },
      "fair": {
        "projects_total": int, "by_status": {"submitted": int, ...every ProjectStatus},
        "public": int,                     # approved and later
        "budget_kzt": int,                 # of public projects
        "pledged_kzt": int,                # money in pending + confirmed pledges
        "confirmed_kzt": int, "confirmed_in_kind_kzt": int, "pending_kzt": int,
        "supported": int, "funded": int,   # public projects with a confirmed pledge / fully covered (money + in kind)
        "top_backers": [{"organization": str, "sector": str, "confirmed_kzt": int, "in_kind_kzt": int, "projects": int}, ...]  # up to 10, by confirmed money + in kind
                   # (confirmed pledges only; projects: how many it backs; ties by name)
      },
      "memoranda": {
        "total": int, "by_status": {"draft": int, "open": int, "signed": int, "published": int, "cancelled": int},
        "signed_total": int,               # signed + published: the figure the press reports
        "by_level": {"regional": int, "national": int},   # of signed + published
        "parties": int,                    # distinct organizations party to a signed/published memorandum
      },
    }

Eleven SQL statements whatever the forum's size (GROUP BY aggregates; the fair's part is `fair.totals`, so
the fair pages and the dashboard agree): about 70 ms on SQLite and 80 ms on PostgreSQL for 20,000 delegates,
300 sessions and 2,000 projects (bench/dashboard.py).
"""


from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.extensions import db
from app.fair import services as fair
from app.models import (CheckIn, Delegate, DelegateStatus, Enrollment, EnrollmentStatus, Forum, Hall,
                        Memorandum, MemorandumLevel, MemorandumStatus, Organization, Participation, Party, Pledge,
                        PledgeStatus, Region, Sector, Session, SessionStatus, utcnow)

BUCKET_SECONDS = 15 * 60
TOP_BACKERS = 10
REGISTERED_STATES = (DelegateStatus.pending, DelegateStatus.confirmed)
SIGNED_STATES = (MemorandumStatus.signed, MemorandumStatus.published)
CHECKIN_METHODS = ("scan", "manual", "api")


class _EpochSeconds(FunctionElement):
    """Whole seconds since 1970 (UTC) of a stored timestamp, in each database's own words."""

    type = sa.BigInteger()
    inherit_cache = True


@compiles(_EpochSeconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(_EpochSeconds, "postgresql")
def _epoch_postgresql(element, compiler, **kw):
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def forum_stats(forum: Forum, *, now: datetime | None = None) -> dict:
    """The forum's figures (the shape is in the module's docstring): eleven grouped queries, whatever its size."""
    return {
        "forum": {"slug": forum.slug, "title_kk": forum.title_kk, "title_ru": forum.title_ru,
                  "starts_on": forum.starts_on.isoformat(), "ends_on": forum.ends_on.isoformat(),
                  "timezone": forum.timezone, "city": forum.city},
        "generated_at": _iso(now or utcnow()),
        "delegates": _delegates(forum),
        "checkins": _checkins(forum),
        "sessions": _sessions(forum),
        "fair": _fair(forum),
        "memoranda": _memoranda(forum),
    }


def _delegates(forum: Forum) -> dict:
    # 1. Every delegate counted once, grouped by everything the figures split on.
    checked = sa.func.count(CheckIn.id).filter(Delegate.status == DelegateStatus.confirmed)
    rows = db.session.execute(
        sa.select(Delegate.status, Delegate.sector, Delegate.region_id, Region.code, Delegate.participation,
                  sa.func.count(Delegate.id), checked)
        .select_from(Delegate)
        .outerjoin(CheckIn, CheckIn.delegate_id == Delegate.id)
        .outerjoin(Region, Region.id == Delegate.region_id)
        .where(Delegate.forum_id == forum.id)
        .group_by(Delegate.status, Delegate.sector, Delegate.region_id, Region.code, Delegate.participation)).all()

    by_status = {status.value: 0 for status in DelegateStatus}
    sectors = {s.value: {"sector": s.value, "registered": 0, "confirmed": 0, "checked_in": 0} for s in Sector}
    formats = {p.value: {"participation": p.value, "registered": 0, "checked_in": 0} for p in Participation}
    regions: dict[int | None, dict] = {}
    checked_in = 0
    for status, sector, region_id, code, participation, count, checked_count in rows:
        count, checked_count = int(count), int(checked_count)
        by_status[status.value] += count
        checked_in += checked_count
        if status not in REGISTERED_STATES:
            continue
        confirmed = count if status == DelegateStatus.confirmed else 0
        entry = sectors[sector.value]
        entry["registered"] += count
        entry["confirmed"] += confirmed
        entry["checked_in"] += checked_count
        entry = formats[participation.value]
        entry["registered"] += count
        entry["checked_in"] += checked_count
        entry = regions.setdefault(region_id, {"region_id": region_id, "code": code, "registered": 0,
                                               "checked_in": 0})
        entry["registered"] += count
        entry["checked_in"] += checked_count
    known = sorted((e for key, e in regions.items() if key is not None),
                   key=lambda e: (-e["registered"], e["code"] or ""))
    by_region = known + ([regions[None]] if None in regions else [])

    # 2. Distinct organizations behind the registered delegates (a semi-join: each counted once, no DISTINCT sort).
    org_sectors = {s.value: 0 for s in Sector}
    behind = sa.select(Delegate.organization_id).where(Delegate.forum_id == forum.id,
                                                       Delegate.status.in_(REGISTERED_STATES))
    for sector, count in db.session.execute(
            sa.select(Organization.sector, sa.func.count()).where(Organization.id.in_(behind))
            .group_by(Organization.sector)):
        org_sectors[sector.value] += int(count)

    return {
        "registered": by_status["pending"] + by_status["confirmed"],
        **by_status,
        "checked_in": checked_in,
        "by_sector": list(sectors.values()),
        "by_region": by_region,
        "by_format": list(formats.values()),
        "organizations": {"total": sum(org_sectors.values()), "by_sector": org_sectors},
    }


def _checkins(forum: Forum) -> dict:
    # 3. Check-ins counted per UTC-aligned 15-minute bucket and method, in the database.
    bucket = (_EpochSeconds(CheckIn.checked_in_at) // BUCKET_SECONDS).label("bucket")  # epochs are positive
    rows = db.session.execute(
        sa.select(bucket, CheckIn.method, sa.func.count(), sa.func.min(CheckIn.checked_in_at),
                  sa.func.max(CheckIn.checked_in_at))
        .where(CheckIn.forum_id == forum.id)
        .group_by(bucket, CheckIn.method)).all()

    by_method = {method: 0 for method in CHECKIN_METHODS}
    per_bucket: dict[int, int] = {}
    first_at = last_at = None
    for index, method, count, first, last in rows:
        count, index = int(count), int(index)
        by_method[method] = by_method.get(method, 0) + count
        per_bucket[index] = per_bucket.get(index, 0) + count
        first_at = first if first_at is None or first < first_at else first_at
        last_at = last if last_at is None or last > last_at else last_at
    series = []
    if per_bucket:
        for index in range(min(per_bucket), max(per_bucket) + 1):
            series.append({"start": _iso(_from_epoch(index * BUCKET_SECONDS)), "count": per_bucket.get(index, 0)})
    return {"total": sum(per_bucket.values()), "first_at": _iso(first_at), "last_at": _iso(last_at),
            "per_15_minutes": series, "by_method": by_method}


def _sessions(forum: Forum) -> dict:
    # 4. Sessions by status.
    by_status = {status.value: 0 for status in SessionStatus}
    for status, count in db.session.execute(
            sa.select(Session.status, sa.func.count()).where(Session.forum_id == forum.id).group_by(Session.status)):
        by_status[status.value] = int(count)

    # 5. Published sessions with their hall and seat counts.
    seats = (sa.select(Enrollment.session_id,
                       sa.func.count().filter(Enrollment.status == EnrollmentStatus.enrolled).label("enrolled"),
                       sa.func.count().filter(Enrollment.status == EnrollmentStatus.waitlisted).label("waitlisted"))
             .join(Session, Session.id == Enrollment.session_id)
             .where(Session.forum_id == forum.id, Session.status == SessionStatus.published)
             .group_by(Enrollment.session_id).subquery())
    rows = db.session.execute(
        sa.select(Session.id, Session.title_kk, Session.title_ru, Session.kind, Session.starts_at, Session.ends_at,
                  Hall.name, Session.capacity, sa.func.coalesce(seats.c.enrolled, 0),
                  sa.func.coalesce(seats.c.waitlisted, 0))
        .outerjoin(Hall, Hall.id == Session.hall_id)
        .outerjoin(seats, seats.c.session_id == Session.id)
        .where(Session.forum_id == forum.id, Session.status == SessionStatus.published)
        .order_by(Session.starts_at, Session.id)).all()
    items = []
    for sid, title_kk, title_ru, kind, starts_at, ends_at, hall, capacity, enrolled, waitlisted in rows:
        enrolled, waitlisted = int(enrolled), int(waitlisted)
        items.append({"id": sid, "title_kk": title_kk, "title_ru": title_ru, "kind": kind.value,
                      "starts_at": _iso(starts_at), "ends_at": _iso(ends_at), "hall": hall, "capacity": capacity,
                      "enrolled": enrolled, "waitlisted": waitlisted,
                      "fill_percent": enrolled * 100 // capacity if capacity else None})
    return {"total": sum(by_status.values()), "published": by_status["published"],
            "cancelled": by_status["cancelled"],
            "enrolled": sum(i["enrolled"] for i in items), "waitlisted": sum(i["waitlisted"] for i in items),
            "items": items}


def _fair(forum: Forum) -> dict:
    # 6–8. The fair's own headline figures (one function, so the fair pages and the dashboard agree).
    totals = fair.totals(forum)
    # 9. The ten biggest backers by confirmed support.
    value = (sa.func.coalesce(sa.func.sum(Pledge.amount_kzt), 0)
             + sa.func.coalesce(sa.func.sum(Pledge.in_kind_value_kzt), 0))
    rows = db.session.execute(
        sa.select(Organization.name, Organization.sector, sa.func.coalesce(sa.func.sum(Pledge.amount_kzt), 0),
                  sa.func.coalesce(sa.func.sum(Pledge.in_kind_value_kzt), 0),
                  sa.func.count(sa.distinct(Pledge.project_id)))
        .join(Organization, Organization.id == Pledge.organization_id)
        .where(Pledge.forum_id == forum.id, Pledge.status == PledgeStatus.confirmed)
        .group_by(Organization.id, Organization.name, Organization.sector)
        .order_by(value.desc(), Organization.name, Organization.id)
        .limit(TOP_BACKERS)).all()
    return {
        "projects_total": sum(totals.by_status.values()),
        "by_status": dict(totals.by_status),
        "public": totals.projects,
        "budget_kzt": totals.budget_kzt,
        "pledged_kzt": totals.confirmed_kzt + totals.pending_kzt,
        "confirmed_kzt": totals.confirmed_kzt,
        "confirmed_in_kind_kzt": totals.confirmed_in_kind_kzt,
        "pending_kzt": totals.pending_kzt,
        "supported": totals.supported,
        "funded": totals.funded,
        "top_backers": [{"organization": name, "sector": sector.value, "confirmed_kzt": int(money),
                         "in_kind_kzt": int(in_kind), "projects": int(projects)}
                        for name, sector, money, in_kind, projects in rows],
    }


def _memoranda(forum: Forum) -> dict:
    # 10. Memoranda by status and level.
    by_status = {status.value: 0 for status in MemorandumStatus}
    by_level = {level.value: 0 for level in MemorandumLevel}
    for status, level, count in db.session.execute(
            sa.select(Memorandum.status, Memorandum.level, sa.func.count())
            .where(Memorandum.forum_id == forum.id).group_by(Memorandum.status, Memorandum.level)):
        by_status[status.value] += int(count)
        if status in SIGNED_STATES:
            by_level[level.value] += int(count)
    # 11. Distinct organizations party to a signed or published memorandum.
    parties = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Party.organization_id)))
        .join(Memorandum, Memorandum.id == Party.memorandum_id)
        .where(Memorandum.forum_id == forum.id, Memorandum.status.in_(SIGNED_STATES)))
    return {"total": sum(by_status.values()), "by_status": by_status,
            "signed_total": by_status["signed"] + by_status["published"], "by_level": by_level,
            "parties": int(parties or 0)}
