"""Checking delegates in at the door: one scan, one answer, never a second record."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (CheckIn, Delegate, DelegateStatus, Forum, ForumRole, Participation, Sector, User,
                        record, search_key, utcnow)
from app.models.audit import insert_event
from app.registration.tokens import read_badge_token

CHECKED_IN = "checked_in"
ALREADY = "already_checked_in"
INVALID = "invalid"
NOT_CONFIRMED = "not_confirmed"
DOOR_ROLES = (ForumRole.checkin, ForumRole.organizer)


@dataclass
class ScanResult:
    result: str
    delegate: Delegate | None = None
    checkin: CheckIn | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.result == CHECKED_IN


def may_work_the_door(user: User, forum: Forum) -> bool:
    return user.has_forum_role(forum, *DOOR_ROLES)


def may_work_any_door(user: User) -> bool:
    from app.models import GlobalRole

    return user.has_global_role(GlobalRole.checkin) or any(fr.role in DOOR_ROLES for fr in user.forum_roles)


# Statements built once: at the door's rush, building SQL per scan costs more than running it.
_DELEGATE_AT_THE_DOOR = (
    sa.select(Delegate).where(Delegate.id == sa.bindparam("delegate_id"))
    .options(joinedload(Delegate.organization), joinedload(Delegate.checkin).joinedload(CheckIn.by_user))
)
_INSERTS: dict[str, sa.Insert] = {}


def _load_delegate(delegate_id: int) -> Delegate | None:
    return db.session.scalar(_DELEGATE_AT_THE_DOOR, {"delegate_id": delegate_id})


def _insert_checkin(values: dict) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the id, or None when another desk was first.

    Plain SQL on the hot path of the morning rush (no unit-of-work flush), and the unique key on
    delegate_id, not a read-then-write, decides who wins a simultaneous double scan.
    """
    dialect = db.engine.dialect.name
    statement = _INSERTS.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = _INSERTS[dialect] = (insert(CheckIn).on_conflict_do_nothing(index_elements=["delegate_id"])
                                         .returning(CheckIn.id))
    return db.session.execute(statement, values).scalar()


def check_in_delegate(delegate: Delegate, staff: User, *, method: str = "scan",
                      now: datetime | None = None) -> ScanResult:
    """Check in a delegate already loaded (scan or manual search)."""
    if delegate.erased_at is not None:
        return ScanResult(INVALID, reason="revoked")  # erased on request: the badge is void, no name is shown
    if delegate.status != DelegateStatus.confirmed:
        return ScanResult(NOT_CONFIRMED, delegate, reason=delegate.status.value)
    if delegate.checkin is not None:
        return ScanResult(ALREADY, delegate, delegate.checkin)
    values = dict(delegate_id=delegate.id, forum_id=delegate.forum_id, checked_in_at=now or utcnow(),
                  by_user_id=staff.id, method=method)
    checkin_id = _insert_checkin(values)
    if checkin_id is None:
        # Two desks scanned the same badge at the same moment: the other one won.
        db.session.rollback()
        db.session.expire(delegate)
        delegate = _load_delegate(delegate.id)
        return ScanResult(ALREADY, delegate, delegate.checkin)
    insert_event("checkin.created", "delegate", delegate.id, actor_id=staff.id, forum_id=delegate.forum_id,
                 method=method)
    db.session.commit()
    checkin = CheckIn(id=checkin_id, **values)  # what was written, for the answer (not added to the session)
    checkin.by_user = staff
    return ScanResult(CHECKED_IN, delegate, checkin)


def scan(token: str, staff: User, *, forum: Forum | None = None, method: str = "scan") -> ScanResult:
    """Check in the holder of a badge token. A forged token is refused without touching the database."""
    ids = read_badge_token(token)
    if ids is None:
        return ScanResult(INVALID, reason="bad_signature")
    delegate_id, forum_id = ids
    if forum is not None and forum_id != forum.id:
        return ScanResult(INVALID, reason="other_forum")
    delegate = _load_delegate(delegate_id)
    if delegate is None or delegate.forum_id != forum_id:
        return ScanResult(INVALID, reason="unknown")
    if not staff.has_forum_role(delegate.forum_id, *DOOR_ROLES):
        return ScanResult(INVALID, reason="other_forum")
    return check_in_delegate(delegate, staff, method=method)


def undo(checkin: CheckIn, staff: User) -> Delegate:
    """Take back a wrong check-in (the audit log keeps that it happened)."""
    delegate = checkin.delegate
    record("checkin.undone", delegate, actor=staff, checked_in_at=checkin.checked_in_at.isoformat())
    db.session.delete(checkin)
    db.session.commit()
    return delegate


def find_checkin(forum: Forum, checkin_id: int) -> CheckIn | None:
    checkin = db.session.get(CheckIn, checkin_id)
    return checkin if checkin is not None and checkin.forum_id == forum.id else None


def search(forum: Forum, query: str, limit: int = 20) -> list[Delegate]:
    """Delegates who forgot their badge, by name, organization or email (Cyrillic-aware)."""
    needle = search_key(query)
    if len(needle) < 2:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(db.session.scalars(
        sa.select(Delegate).where(Delegate.forum_id == forum.id, Delegate.erased_at.is_(None),
                                  Delegate.search_text.like(f"%{escaped}%", escape="\\"))
        .options(joinedload(Delegate.organization), joinedload(Delegate.checkin))
        .order_by(Delegate.full_name).limit(limit)
    ).unique())


@dataclass
class DoorCounts:
    expected: int
    checked_in: int
    by_sector: dict[str, tuple[int, int]]  # sector → (checked in, expected)


def counts(forum: Forum) -> DoorCounts:
    """Checked in / expected, overall and by sector, in two grouped queries."""
    expected_rows = db.session.execute(
        sa.select(Delegate.sector, sa.func.count()).where(
            Delegate.forum_id == forum.id, Delegate.status == DelegateStatus.confirmed,
            Delegate.participation == Participation.in_person)
        .group_by(Delegate.sector)).all()
    arrived_rows = db.session.execute(
        sa.select(Delegate.sector, sa.func.count()).join(CheckIn, CheckIn.delegate_id == Delegate.id)
        .where(Delegate.forum_id == forum.id).group_by(Delegate.sector)).all()
    expected = {sector.value: n for sector, n in expected_rows}
    arrived = {sector.value: n for sector, n in arrived_rows}
    by_sector = {s.value: (arrived.get(s.value, 0), expected.get(s.value, 0)) for s in Sector
                 if expected.get(s.value) or arrived.get(s.value)}
    return DoorCounts(sum(expected.values()), sum(arrived.values()), by_sector)


def result_message(result: ScanResult) -> str:
    """What the desk shows in big letters."""
    if result.result == CHECKED_IN:
        return _("Welcome!")
    if result.result == ALREADY:
        return _("Already checked in")
    if result.result == NOT_CONFIRMED:
        if result.reason == "cancelled":
            return _("Registration cancelled")
        if result.reason == "declined":
            return _("Registration declined")
        return _("Registration not confirmed")
    if result.reason == "other_forum":
        return _("This badge is for another forum")
    if result.reason == "revoked":
        return _("This badge is no longer valid")
    return _("Invalid badge")
