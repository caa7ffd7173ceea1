"""The programme's rules: where and when sessions may be, who may be on stage, who gets a seat.

Every change to a session goes through `save_session`, which checks all the rules at once
and explains each broken one in plain words; enrolment goes through `enroll` / `leave`,
which lock the session row so the last seat is taken exactly once, even under a rush.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (Delegate, DelegateStatus, Enrollment, EnrollmentStatus, Forum, Hall, Person, PersonRole,
                        Session, SessionChange, SessionKind, SessionPerson, SessionStatus, User, record, utcnow)

LANGUAGES = ("kk", "ru", "en")
LIVE = (SessionStatus.draft, SessionStatus.published)  # sessions that occupy a hall and a person's time


@dataclass
class Conflict:
    field: str | None
    message: str


class ScheduleError(Exception):
    """One or more programme rules are broken; each conflict says which and why."""

    def __init__(self, conflicts: list[Conflict], code: str = "conflict", status: int = 409):
        super().__init__("; ".join(c.message for c in conflicts))
        self.conflicts = conflicts
        self.code = code
        self.status = status

    @property
    def message(self) -> str:
        return " ".join(c.message for c in self.conflicts)


@dataclass
class Casting:
    """A person on a session's stage: an existing person, or a new one described by name."""

    role: str
    person_id: int | None = None
    full_name: str | None = None
    position: str | None = None
    organization: str | None = None


@dataclass
class SessionInput:
    kind: str
    starts_at: datetime
    ends_at: datetime
    hall_id: int | None = None
    title_kk: str | None = None
    title_ru: str | None = None
    title_en: str | None = None
    description_kk: str | None = None
    description_ru: str | None = None
    description_en: str | None = None
    languages: list[str] = field(default_factory=lambda: ["kk", "ru"])
    interpretation: bool = False
    topic: str | None = None
    stream_url: str | None = None
    capacity: int | None = None
    status: str = SessionStatus.draft.value
    cast: list[Casting] | None = None  # None: leave the people as they are


def _local(forum: Forum, moment: datetime) -> str:
    return format_datetime(moment.astimezone(forum.tzinfo), "d MMMM, HH:mm")


def _strip(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _overlapping(forum: Forum, starts: datetime, ends: datetime, exclude_id: int | None):
    query = sa.select(Session).where(Session.forum_id == forum.id, Session.status.in_(LIVE),
                                     Session.starts_at < ends, Session.ends_at > starts)
    if exclude_id is not None:
        query = query.where(Session.id != exclude_id)
    return query


def check_rules(forum: Forum, data: SessionInput, session: Session | None = None) -> list[Conflict]:
    """Every rule a session must keep, each broken one explained. Empty list: all is well."""
    conflicts: list[Conflict] = []
    if data.kind not in SessionKind.__members__:
        conflicts.append(Conflict("kind", _("Choose the kind of session.")))
    if not (data.title_kk or data.title_ru):
        conflicts.append(Conflict("title_ru", _("Give the title in Kazakh or Russian (or both).")))
    if data.status not in SessionStatus.__members__:
        conflicts.append(Conflict("status", _("Unknown status.")))
    bad_languages = [code for code in data.languages if code not in LANGUAGES]
    if bad_languages or not data.languages:
        conflicts.append(Conflict("languages", _("Choose at least one working language.")))
    if data.stream_url and not data.stream_url.startswith(("https://", "http://")):
        conflicts.append(Conflict("stream_url", _("The stream link must start with https://")))
    if data.starts_at is None or data.ends_at is None:
        conflicts.append(Conflict("starts_at", _("Enter when the session starts and ends.")))
        return conflicts
    if data.ends_at <= data.starts_at:
        conflicts.append(Conflict("ends_at", _("The session must end after it starts.")))
        return conflicts
    if data.ends_at - data.starts_at > timedelta(hours=12):
        conflicts.append(Conflict("ends_at", _("A session can last at most 12 hours.")))

    tz = forum.tzinfo
    first = datetime.combine(forum.starts_on, time.min, tzinfo=tz)
    last = datetime.combine(forum.ends_on + timedelta(days=1), time.min, tzinfo=tz)
    if data.starts_at < first or data.ends_at > last:
        conflicts.append(Conflict("starts_at", _("The session must take place within the forum's days (%(first)s – %(last)s).",
                                                 first=format_datetime(first, "d MMMM"),
                                                 last=format_datetime(last - timedelta(days=1), "d MMMM"))))

    exclude = session.id if session is not None else None
    hall = None
    if data.hall_id is not None:
        hall = db.session.get(Hall, data.hall_id)
        if hall is None or hall.forum_id != forum.id:
            conflicts.append(Conflict("hall_id", _("Choose a hall of this forum.")))
            hall = None
    cancelled = data.status == SessionStatus.cancelled.value
    if hall is not None and not cancelled:
        for other in db.session.scalars(_overlapping(forum, data.starts_at, data.ends_at, exclude)
                                        .where(Session.hall_id == hall.id).order_by(Session.starts_at)):
            conflicts.append(Conflict("hall_id", _("%(hall)s is taken by “%(other)s” from %(start)s to %(end)s.",
                                                   hall=hall.name, other=other.title,
                                                   start=_local(forum, other.starts_at),
                                                   end=format_datetime(other.ends_at.astimezone(tz), "HH:mm"))))

    if data.capacity is not None:
        if data.capacity < 1:
            conflicts.append(Conflict("capacity", _("The number of seats must be at least 1.")))
        elif hall is not None and hall.capacity is not None and data.capacity > hall.capacity:
            conflicts.append(Conflict("capacity", _("%(hall)s has only %(seats)d seats; the session cannot offer %(capacity)d.",
                                                    hall=hall.name, seats=hall.capacity, capacity=data.capacity)))
        elif session is not None:
            taken = seats_taken(session)
            if data.capacity < taken:
                conflicts.append(Conflict("capacity", _("%(n)d delegates already hold a seat; the session cannot have fewer seats.",
                                                        n=taken)))

    cast = data.cast if data.cast is not None else (
        [Casting(role=r.role.value, person_id=r.person_id) for r in session.roles] if session is not None else [])
    person_ids = [c.person_id for c in cast if c.person_id is not None]
    if len(set(person_ids)) != len(person_ids):
        conflicts.append(Conflict("cast", _("A person can be on a session's stage only once.")))
    for c in cast:
        if c.role not in PersonRole.__members__:
            conflicts.append(Conflict("cast", _("Unknown role on stage.")))
        if c.person_id is None and not (c.full_name or "").strip():
            conflicts.append(Conflict("cast", _("Every person on stage needs a name.")))
    if person_ids:
        people = {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(person_ids)))}
        for pid in person_ids:
            if pid not in people or people[pid].forum_id != forum.id:
                conflicts.append(Conflict("cast", _("Choose people of this forum.")))
        if not cancelled:
            busy = db.session.execute(
                _overlapping(forum, data.starts_at, data.ends_at, exclude)
                .join(SessionPerson, SessionPerson.session_id == Session.id)
                .where(SessionPerson.person_id.in_(person_ids))
                .with_only_columns(SessionPerson.person_id, Session)
                .order_by(Session.starts_at)).all()
            for pid, other in busy:
                conflicts.append(Conflict("cast", _("%(person)s is already in “%(other)s” at %(start)s.",
                                                    person=people[pid].full_name, other=other.title,
                                                    start=_local(forum, other.starts_at))))
    return conflicts


def seats_taken(session: Session) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment).where(
        Enrollment.session_id == session.id, Enrollment.status == EnrollmentStatus.enrolled)) or 0


def _apply_cast(forum: Forum, session: Session, cast: list[Casting]) -> None:
    session.roles.clear()
    db.session.flush()
    for position, c in enumerate(cast):
        if c.person_id is not None:
            person = db.session.get(Person, c.person_id)
        else:
            person = Person(forum_id=forum.id, full_name=c.full_name.strip()[:200],
                            position=_strip(c.position), organization=_strip(c.organization))
            db.session.add(person)
        session.roles.append(SessionPerson(person=person, role=PersonRole(c.role), position=position))


FIELDS = ("kind", "hall_id", "title_kk", "title_ru", "title_en", "description_kk", "description_ru",
          "description_en", "starts_at", "ends_at", "interpretation", "topic", "stream_url", "capacity", "status")


def save_session(forum: Forum, data: SessionInput, actor: User | None, session: Session | None = None) -> Session:
    """Create or change a session, keeping every rule; enrolled delegates learn of moves and cancellations."""
    for name in ("title_kk", "title_ru", "title_en", "description_kk", "description_ru", "description_en",
                 "topic", "stream_url"):
        setattr(data, name, _strip(getattr(data, name)))
    data.languages = [code for code in dict.fromkeys(data.languages or []) if code]
    conflicts = check_rules(forum, data, session)
    if conflicts:
        raise ScheduleError(conflicts)

    creating = session is None
    if creating:
        session = Session(forum_id=forum.id)
        db.session.add(session)
        before = None
    else:
        before = {"starts_at": session.starts_at, "ends_at": session.ends_at, "hall_id": session.hall_id,
                  "hall": session.hall.name if session.hall else None, "status": session.status}
    for name in FIELDS:
        value = getattr(data, name)
        if name == "kind":
            value = SessionKind(value)
        elif name == "status":
            value = SessionStatus(value)
        setattr(session, name, value)
    session.languages = ",".join(data.languages)
    if data.cast is not None:
        _apply_cast(forum, session, data.cast)
    db.session.flush()

    if before is not None:
        _note_changes(session, before)
    record("session.created" if creating else "session.updated", session, actor=actor, forum_id=forum.id)
    if session.is_limited and session.status != SessionStatus.cancelled:
        _fill_seats(session)
    db.session.commit()
    return session


def _note_changes(session: Session, before: dict) -> None:
    """Moves and cancellations are written down for the agendas of everyone enrolled."""
    if before["status"] == SessionStatus.draft:
        return  # nobody could enrol in a draft
    if session.status == SessionStatus.cancelled and before["status"] != SessionStatus.cancelled:
        db.session.add(SessionChange(session_id=session.id, kind="cancelled", details={}))
        return
    if before["starts_at"] != session.starts_at or before["ends_at"] != session.ends_at:
        db.session.add(SessionChange(session_id=session.id, kind="moved", details={
            "from": before["starts_at"].isoformat(), "to": session.starts_at.isoformat(),
            "ends_from": before["ends_at"].isoformat(), "ends_to": session.ends_at.isoformat()}))
    if before["hall_id"] != session.hall_id:
        new_hall = db.session.get(Hall, session.hall_id) if session.hall_id is not None else None
        db.session.add(SessionChange(session_id=session.id, kind="hall", details={
            "from": before["hall"], "to": new_hall.name if new_hall else None}))


def cancel_session(session: Session, actor: User | None) -> Session:
    """Cancel a session; its delegates see it in their agendas and get a letter."""
    if session.status == SessionStatus.cancelled:
        return session
    was_published = session.status == SessionStatus.published
    session.status = SessionStatus.cancelled
    if was_published:
        db.session.add(SessionChange(session_id=session.id, kind="cancelled", details={}))
    record("session.cancelled", session, actor=actor, forum_id=session.forum_id)
    db.session.commit()
    _tell_enrolled(session)
    return session


def _tell_enrolled(session: Session) -> None:
    from app import mail

    delegates = db.session.scalars(sa.select(Delegate).join(Enrollment).where(Enrollment.session_id == session.id))
    for delegate in delegates:
        mail.send(delegate.email, "email/session_cancelled.subject.txt", "email/session_cancelled.txt",
                  delegate.language, delegate=delegate, forum=session.forum, session=session)


def duplicate_session(session: Session, actor: User | None) -> Session:
    """A copy as a draft in the same hall, in the first free slot after the original on the same day."""
    duration = session.ends_at - session.starts_at
    day_end = datetime.combine(session.starts_at.astimezone(session.forum.tzinfo).date() + timedelta(days=1),
                               time.min, tzinfo=session.forum.tzinfo)
    starts = session.ends_at
    data = None
    while starts + duration <= day_end:
        data = _input_from(session, starts, starts + duration)
        if not check_rules(session.forum, data):
            return save_session(session.forum, data, actor)
        starts += timedelta(minutes=15)
    data = _input_from(session, session.starts_at, session.ends_at)
    data.hall_id = None  # no free slot in this hall today: keep the time, let the organizer pick a hall
    data.cast = []
    conflicts = check_rules(session.forum, data)
    if conflicts:
        raise ScheduleError(conflicts)
    return save_session(session.forum, data, actor)


def _input_from(session: Session, starts: datetime, ends: datetime) -> SessionInput:
    return SessionInput(
        kind=session.kind.value, starts_at=starts, ends_at=ends, hall_id=session.hall_id,
        title_kk=session.title_kk, title_ru=session.title_ru, title_en=session.title_en,
        description_kk=session.description_kk, description_ru=session.description_ru,
        description_en=session.description_en, languages=session.language_list,
        interpretation=session.interpretation, topic=session.topic, stream_url=session.stream_url,
        capacity=session.capacity, status=SessionStatus.draft.value,
        cast=[Casting(role=r.role.value, person_id=r.person_id) for r in session.roles],
    )


# --- Enrolment -------------------------------------------------------------------------------

class EnrollmentError(Exception):
    def __init__(self, message: str, code: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def _lock(session_id: int) -> Session:
    """Take the session row for this transaction: concurrent enrolments queue up here on PostgreSQL."""
    return db.session.scalar(sa.select(Session).where(Session.id == session_id).with_for_update())


def enroll(session: Session, delegate: Delegate) -> Enrollment:
    """A seat if one is free, else a place on the waitlist. Never more seats than the session has."""
    if session.forum_id != delegate.forum_id or delegate.status != DelegateStatus.confirmed:
        raise EnrollmentError(_("Only confirmed delegates of this forum can enrol."), "not_confirmed", 403)
    if session.status != SessionStatus.published:
        raise EnrollmentError(_("This session is not open for enrolment."), "not_open")
    if not session.is_limited:
        raise EnrollmentError(_("This session is open to everyone: no enrolment is needed."), "not_limited")
    existing = db.session.scalar(sa.select(Enrollment).where(Enrollment.session_id == session.id,
                                                              Enrollment.delegate_id == delegate.id))
    if existing is not None:
        return existing
    clash = db.session.scalar(
        sa.select(Session).join(Enrollment).where(
            Enrollment.delegate_id == delegate.id, Session.id != session.id, Session.status != SessionStatus.cancelled,
            Session.starts_at < session.ends_at, Session.ends_at > session.starts_at).limit(1))
    if clash is not None:
        raise EnrollmentError(_("You are already enrolled in “%(other)s” at the same time.", other=clash.title),
                              "overlap")
    session_id, delegate_id = session.id, delegate.id
    try:
        locked = _lock(session_id)
        taken = seats_taken(locked)
        status = EnrollmentStatus.enrolled if taken < locked.capacity else EnrollmentStatus.waitlisted
        enrollment = Enrollment(session_id=session_id, delegate_id=delegate_id, status=status)
        db.session.add(enrollment)
        db.session.flush()
        record(f"enrollment.{status.value}", enrollment, forum_id=locked.forum_id, session_id=session_id,
               delegate_id=delegate_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same delegate pressed twice: keep the first
        return db.session.scalar(sa.select(Enrollment).where(Enrollment.session_id == session_id,
                                                              Enrollment.delegate_id == delegate_id))
    return enrollment


def leave(session: Session, delegate: Delegate) -> Enrollment | None:
    """Give up a seat (or a waitlist place); the first on the waitlist takes the seat. Returns who was promoted."""
    session_id = session.id
    locked = _lock(session_id)
    enrollment = db.session.scalar(sa.select(Enrollment).where(Enrollment.session_id == session_id,
                                                                Enrollment.delegate_id == delegate.id))
    if enrollment is None:
        db.session.rollback()
        raise EnrollmentError(_("You are not enrolled in this session."), "not_enrolled", 404)
    record("enrollment.left", enrollment, forum_id=locked.forum_id, session_id=session_id, delegate_id=delegate.id,
           status=enrollment.status.value)
    db.session.delete(enrollment)
    db.session.flush()
    promoted = _fill_seats(locked)
    db.session.commit()
    for promoted_enrollment in promoted:
        _tell_promoted(promoted_enrollment)
    return promoted[0] if promoted else None


def _fill_seats(session: Session) -> list[Enrollment]:
    """Promote from the waitlist, first come first served, while seats are free (caller holds the lock)."""
    if session.capacity is None:
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    queue = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.session_id == session.id, Enrollment.status == EnrollmentStatus.waitlisted)
        .order_by(Enrollment.created_at, Enrollment.id).limit(free)).all()
    now = utcnow()
    for enrollment in queue:
        enrollment.status = EnrollmentStatus.enrolled
        enrollment.promoted_at = now
        record("enrollment.promoted", enrollment, forum_id=session.forum_id, session_id=session.id,
               delegate_id=enrollment.delegate_id)
    return list(queue)


def _tell_promoted(enrollment: Enrollment) -> None:
    from app import mail

    delegate = enrollment.delegate
    mail.send(delegate.email, "email/seat_promoted.subject.txt", "email/seat_promoted.txt", delegate.language,
              delegate=delegate, forum=delegate.forum, session=enrollment.session)


def waitlist_position(enrollment: Enrollment) -> int | None:
    """1 for the first in the queue; None for a delegate who has a seat."""
    if enrollment.status != EnrollmentStatus.waitlisted:
        return None
    ahead = db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment).where(
        Enrollment.session_id == enrollment.session_id, Enrollment.status == EnrollmentStatus.waitlisted,
        sa.or_(Enrollment.created_at < enrollment.created_at,
               sa.and_(Enrollment.created_at == enrollment.created_at, Enrollment.id < enrollment.id))))
    return (ahead or 0) + 1


# --- Reading the programme -------------------------------------------------------------------

def programme(forum: Forum, *, include_unpublished: bool = False) -> list[Session]:
    """The forum's sessions with halls and people, in a fixed number of queries."""
    query = (sa.select(Session).where(Session.forum_id == forum.id)
             .options(joinedload(Session.hall), selectinload(Session.roles).joinedload(SessionPerson.person))
             .order_by(Session.starts_at, Session.id))
    if not include_unpublished:
        query = query.where(Session.status.in_((SessionStatus.published, SessionStatus.cancelled)))
    return list(db.session.scalars(query).unique())


def seats_left(sessions: list[Session]) -> dict[int, int | None]:
    """Free seats per limited session, in one grouped query."""
    limited = [s.id for s in sessions if s.is_limited]
    taken = {}
    if limited:
        taken = dict(db.session.execute(
            sa.select(Enrollment.session_id, sa.func.count()).where(
                Enrollment.session_id.in_(limited), Enrollment.status == EnrollmentStatus.enrolled)
            .group_by(Enrollment.session_id)).all())
    return {s.id: (max(s.capacity - taken.get(s.id, 0), 0) if s.is_limited else None) for s in sessions}


def agenda(delegate: Delegate) -> list[tuple[Enrollment, list[SessionChange]]]:
    """A delegate's sessions, each with the changes they have not seen yet."""
    enrollments = db.session.scalars(
        sa.select(Enrollment).join(Session).where(Enrollment.delegate_id == delegate.id)
        .options(joinedload(Enrollment.session).joinedload(Session.hall))
        .order_by(Session.starts_at)).unique().all()
    ids = [e.session_id for e in enrollments]
    changes: dict[int, list[SessionChange]] = {i: [] for i in ids}
    if ids:
        for change in db.session.scalars(sa.select(SessionChange).where(SessionChange.session_id.in_(ids))
                                         .order_by(SessionChange.at)):
            changes[change.session_id].append(change)
    result = []
    for enrollment in enrollments:
        unseen = [c for c in changes[enrollment.session_id]
                  if c.at > max(enrollment.created_at, enrollment.seen_change_at or enrollment.created_at)]
        result.append((enrollment, unseen))
    return result


def mark_agenda_seen(delegate: Delegate) -> None:
    db.session.execute(sa.update(Enrollment).where(Enrollment.delegate_id == delegate.id)
                       .values(seen_change_at=utcnow()))
    db.session.commit()
