"""Every list of the forum as a file, gathered on one page (`/forums/<slug>/exports`).

The delegate list and the fair's projects and pledges keep their own exports (the registration and fair
blueprints); the page links to them. New here, at `/forums/<slug>/exports/<kind>.<csv|xlsx>`: enrolments,
check-ins and memoranda, each with its filters as query arguments (documented on the page; an unknown value
filters nothing rather than failing). Files are written like the others (app/tables.py): UTF-8 CSV
with a byte-order mark, XLSX with real date-times, and text never run as a formula.
"""
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.auth.access import forum_role_required
from app.dashboard import bp
from app.dashboard.display import CHECKIN_METHOD_LABELS, MEMORANDUM_LEVEL_LABELS, MEMORANDUM_STATUS_LABELS
from app.dashboard.report import back_url
from app.tables import XLSX_MIMETYPE, Sheet, to_csv, to_xlsx
from app.extensions import db
from app.i18n import PARTICIPATION_LABELS, SECTOR_LABELS, current_language
from app.models import (CheckIn, Delegate, Enrollment, EnrollmentStatus, Forum, ForumRole, Memorandum,
                        MemorandumLevel, MemorandumStatus, Party, Session, Sector, utcnow)
from app.registration.listing import positive_int

CHECKIN_METHODS = tuple(CHECKIN_METHOD_LABELS)
ENROLMENT_STATUS_LABELS = {"enrolled": _l("Enrolled"), "waitlisted": _l("Waitlisted")}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _enum(enum_cls, value: str | None):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def parse_day(value: str | None) -> date | None:
    """`YYYY-MM-DD`, or None for anything else (an impossible date too)."""
    value = (value or "").strip()
    if not ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def day_bounds(forum: Forum, first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """From the start of `first` to the end of `last`, days on the forum's clock, as aware times."""
    start = datetime.combine(first, time(0), tzinfo=forum.tzinfo) if first else None
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=forum.tzinfo) if last else None
    return start, end


def _local(value: datetime | None, forum: Forum) -> datetime | None:
    return value.astimezone(forum.tzinfo).replace(tzinfo=None) if value is not None else None


def _label(labels: Mapping, value) -> str:
    key = getattr(value, "value", value)
    label = labels.get(key)
    return str(label) if label is not None else (key or "")


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class EnrolmentFilters:
    session: int | None = None
    status: EnrollmentStatus | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "EnrolmentFilters":
        return cls(session=positive_int(args.get("session")), status=_enum(EnrollmentStatus, args.get("status")))

    def as_args(self) -> dict[str, str]:
        args = {"session": str(self.session) if self.session else None,
                "status": self.status.value if self.status else None}
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class CheckinFilters:
    sector: Sector | None = None
    day: date | None = None
    method: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "CheckinFilters":
        method = args.get("method") or None
        return cls(sector=_enum(Sector, args.get("sector")), day=parse_day(args.get("date")),
                   method=method if method in CHECKIN_METHODS else None)

    def as_args(self) -> dict[str, str]:
        args = {"sector": self.sector.value if self.sector else None,
                "date": self.day.isoformat() if self.day else None, "method": self.method}
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class MemorandumFilters:
    status: MemorandumStatus | None = None
    level: MemorandumLevel | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "MemorandumFilters":
        return cls(status=_enum(MemorandumStatus, args.get("status")),
                   level=_enum(MemorandumLevel, args.get("level")))

    def as_args(self) -> dict[str, str]:
        args = {"status": self.status.value if self.status else None,
                "level": self.level.value if self.level else None}
        return {key: value for key, value in args.items() if value}


# ---------------------------------------------------------------- the rows


def enrolments(forum: Forum, filters: EnrolmentFilters) -> list[Enrollment]:
    """Seats and waitlist places in the forum's sessions, by session, then the seated first, oldest first."""
    query = (sa.select(Enrollment).join(Session, Session.id == Enrollment.session_id)
             .where(Session.forum_id == forum.id)
             .options(joinedload(Enrollment.session).joinedload(Session.hall),
                      joinedload(Enrollment.delegate).joinedload(Delegate.organization))
             .order_by(Session.starts_at, Session.id, Enrollment.status, Enrollment.created_at, Enrollment.id))
    if filters.session is not None:
        query = query.where(Session.id == filters.session)
    if filters.status is not None:
        query = query.where(Enrollment.status == filters.status)
    return list(db.session.scalars(query))


def checkins(forum: Forum, filters: CheckinFilters) -> list[CheckIn]:
    """Arrivals at the door, in order of time."""
    query = (sa.select(CheckIn).join(Delegate, Delegate.id == CheckIn.delegate_id)
             .where(CheckIn.forum_id == forum.id)
             .options(joinedload(CheckIn.delegate).joinedload(Delegate.organization),
                      joinedload(CheckIn.delegate).joinedload(Delegate.region), joinedload(CheckIn.by_user))
             .order_by(CheckIn.checked_in_at, CheckIn.id))
    if filters.sector is not None:
        query = query.where(Delegate.sector == filters.sector)
    if filters.day is not None:
        start, end = day_bounds(forum, filters.day, filters.day)
        query = query.where(CheckIn.checked_in_at >= start, CheckIn.checked_in_at < end)
    if filters.method is not None:
        query = query.where(CheckIn.method == filters.method)
    return list(db.session.scalars(query))


def memoranda(forum: Forum, filters: MemorandumFilters) -> list[Memorandum]:
    """The forum's memoranda in the registry's order (their sequence)."""
    query = (sa.select(Memorandum).where(Memorandum.forum_id == forum.id)
             .options(selectinload(Memorandum.parties).joinedload(Party.organization), joinedload(Memorandum.region))
             .order_by(Memorandum.sequence))
    if filters.status is not None:
        query = query.where(Memorandum.status == filters.status)
    if filters.level is not None:
        query = query.where(Memorandum.level == filters.level)
    return list(db.session.scalars(query))


def _enrolment_columns() -> list[tuple[str, int]]:
    return [(_("Session"), 40), (_("Starts at"), 17), (_("Hall"), 18), (_("Full name"), 30), (_("Email"), 28),
            (_("Organization"), 34), (_("Sector"), 18), (_("Status"), 14), (_("Enrolled at"), 17),
            (_("Moved up from the waitlist at"), 17)]


def _enrolment_rows(items: Iterable[Enrollment], forum: Forum, language: str) -> Iterable[list]:
    sectors = {key: str(label) for key, label in SECTOR_LABELS.items()}
    for enrolment in items:
        session, delegate = enrolment.session, enrolment.delegate
        yield [session.tr("title", language), _local(session.starts_at, forum),
               session.hall.name if session.hall else "", delegate.full_name, delegate.email,
               delegate.organization.name if delegate.organization else "", sectors[delegate.sector.value],
               _label(ENROLMENT_STATUS_LABELS, enrolment.status), _local(enrolment.created_at, forum),
               _local(enrolment.promoted_at, forum)]


def _checkin_columns() -> list[tuple[str, int]]:
    return [(_("Full name"), 30), (_("Email"), 28), (_("Organization"), 34), (_("Sector"), 18), (_("Region"), 24),
            (_("Format"), 12), (_("Checked in at"), 17), (_("How"), 22), (_("Checked in by"), 28)]


def _checkin_rows(items: Iterable[CheckIn], forum: Forum, language: str) -> Iterable[list]:
    sectors = {key: str(label) for key, label in SECTOR_LABELS.items()}
    formats = {key: str(label) for key, label in PARTICIPATION_LABELS.items()}
    for checkin in items:
        delegate, staff = checkin.delegate, checkin.by_user
        yield [delegate.full_name, delegate.email, delegate.organization.name if delegate.organization else "",
               sectors[delegate.sector.value], delegate.region.tr("name", language) if delegate.region else "",
               formats[delegate.participation.value], _local(checkin.checked_in_at, forum),
               _label(CHECKIN_METHOD_LABELS, checkin.method),
               f"{staff.full_name} <{staff.email}>" if staff is not None else ""]


def _memorandum_columns() -> list[tuple[str, int]]:
    return [(_("Number"), 16), (_("Title"), 50), (_("Level"), 14), (_("Status"), 20), (_("Region"), 24),
            (_("City"), 16), (_("Dated"), 12), (_("Parties"), 60), (_("Signed at"), 17), (_("Published at"), 17),
            (_("SHA-256 of the text"), 66)]


def _memorandum_rows(items: Iterable[Memorandum], forum: Forum, language: str) -> Iterable[list]:
    for memorandum in items:
        parties = "; ".join(f"{p.organization.name} ({p.signatory_name})" for p in memorandum.parties)
        yield [memorandum.number, memorandum.tr("title", language), _label(MEMORANDUM_LEVEL_LABELS, memorandum.level),
               _label(MEMORANDUM_STATUS_LABELS, memorandum.status),
               memorandum.region.tr("name", language) if memorandum.region else "", memorandum.city,
               memorandum.dated, parties, _local(memorandum.signed_at, forum), _local(memorandum.published_at, forum),
               memorandum.sha256 or ""]


@dataclass(frozen=True)
class Kind:
    """One of the new exports: its filters, its query, its columns and rows, and the sheet's name."""

    filters: type
    items: Callable
    columns: Callable
    rows: Callable
    title: object


KINDS: dict[str, Kind] = {
    "enrolments": Kind(EnrolmentFilters, enrolments, _enrolment_columns, _enrolment_rows, _l("Enrolments")),
    "checkins": Kind(CheckinFilters, checkins, _checkin_columns, _checkin_rows, _l("Check-ins")),
    "memoranda": Kind(MemorandumFilters, memoranda, _memorandum_columns, _memorandum_rows, _l("Memoranda")),
}


def export_file(kind: str, forum: Forum, args: Mapping[str, str], fmt: str, language: str) -> bytes:
    spec = KINDS[kind]
    items = spec.items(forum, spec.filters.from_args(args))
    rows = spec.rows(items, forum, language)
    if fmt == "csv":
        return to_csv(spec.columns(), rows)
    return to_xlsx([Sheet(str(spec.title), spec.columns(), rows)])


# ---------------------------------------------------------------- the pages


def _session_choices(forum: Forum) -> list[Session]:
    """Sessions with seats to count (limited ones, or any that has enrolments), by start time."""
    has_enrolments = sa.exists().where(Enrollment.session_id == Session.id)
    return list(db.session.scalars(
        sa.select(Session).where(Session.forum_id == forum.id, sa.or_(Session.capacity.is_not(None), has_enrolments))
        .order_by(Session.starts_at, Session.id)))


@bp.route("/forums/<slug>/exports")
@forum_role_required(ForumRole.organizer)
def exports(forum: Forum):
    return render_template(
        "dashboard/exports.html", forum=forum, back_url=back_url(forum),
        enrolment=EnrolmentFilters.from_args(request.args), checkin=CheckinFilters.from_args(request.args),
        memorandum=MemorandumFilters.from_args(request.args), sessions=_session_choices(forum),
        days=forum.days, SECTOR_CHOICES=list(SECTOR_LABELS.items()),
        METHOD_CHOICES=list(CHECKIN_METHOD_LABELS.items()), ENROLMENT_CHOICES=list(ENROLMENT_STATUS_LABELS.items()),
        MEMORANDUM_STATUS_CHOICES=list(MEMORANDUM_STATUS_LABELS.items()),
        LEVEL_CHOICES=list(MEMORANDUM_LEVEL_LABELS.items()))


@bp.route("/forums/<slug>/exports/<any(enrolments, checkins, memoranda):kind>.<any(csv, xlsx):fmt>")
@forum_role_required(ForumRole.organizer)
def export(forum: Forum, kind: str, fmt: str):
    data = export_file(kind, forum, request.args, fmt, current_language())
    if fmt == "csv":
        response = Response(data, mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = Response(data, mimetype=XLSX_MIMETYPE)
    stamp = utcnow().astimezone(forum.tzinfo).strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = f'attachment; filename="{kind}-{forum.slug}-{stamp}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"  # names and emails: no copies in caches
    return response
