"""The forum's audit log for its organizers: who did what, and when — newest first, 50 to a page, filtered
by area (registrations, check-ins, fair, memoranda, programme), by the actor's email and by a range of days,
and downloadable as CSV or XLSX with the same filters.

The events are the `AuditEvent` rows the services write (app/models/audit.py `record`). Each is shown with
the label its own blueprint gives it (registration, fair and memoranda histories), its subject by name, and
a short note from its details. Subjects are loaded per kind in one query each, whatever the page's length.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.auth.access import forum_role_required
from app.dashboard import bp
from app.dashboard.display import CHECKIN_METHOD_LABELS
from app.dashboard.exports import day_bounds, parse_day
from app.dashboard.report import back_url
from app.tables import XLSX_MIMETYPE, Sheet, to_csv, to_xlsx
from app.extensions import db
from app.fair.history import HISTORY_LABELS, history_details
from app.i18n import DELEGATE_STATUS_LABELS, PROJECT_STATUS_LABELS, current_language
from app.memoranda.history import EVENT_LABELS, event_details
from app.models import (AuditEvent, Delegate, FairProject, Forum, ForumRole, Memorandum, Pledge, Session, User,
                        utcnow)
from app.registration.listing import positive_int
from app.registration.manage import AUDIT_LABELS as REGISTRATION_LABELS
from app.registration.manage import audit_details as registration_details

PER_PAGE = 50
EXPORT_LIMIT = 100_000
IN_CHUNK = 500  # ids per IN (…) list when loading subjects

GROUPS: dict[str, tuple] = {  # key: (label, action prefixes)
    "registrations": (_l("Registrations"), ("delegate.",)),
    "checkins": (_l("Check-ins"), ("checkin.",)),
    "fair": (_l("Ideas fair"), ("project.", "pledge.", "jury.")),
    "memoranda": (_l("Memoranda"), ("memorandum.",)),
    "programme": (_l("Programme"), ("session.", "enrollment.")),
}

PROGRAMME_LABELS = {
    "session.created": _l("Session added"),
    "session.updated": _l("Session changed"),
    "session.cancelled": _l("Session cancelled"),
    "enrollment.enrolled": _l("Enrolled in a session"),
    "enrollment.waitlisted": _l("Put on a session's waitlist"),
    "enrollment.left": _l("Left a session"),
    "enrollment.promoted": _l("Moved up from the waitlist"),
    "jury.juror_named": _l("Juror named"),
    "jury.juror_removed": _l("Juror removed"),
}
ACTION_LABELS = {**REGISTRATION_LABELS, **HISTORY_LABELS, **EVENT_LABELS, **PROGRAMME_LABELS}

SUBJECT_LABELS = {
    "delegate": _l("Delegate"), "fairproject": _l("Project"), "pledge": _l("Pledge"),
    "memorandum": _l("Memorandum"), "session": _l("Session"), "enrollment": _l("Enrolment"), "juror": _l("Juror"),
}


def group_of(action: str) -> str | None:
    return next((key for key, (_label, prefixes) in GROUPS.items() if action.startswith(prefixes)), None)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


# ---------------------------------------------------------------- filters and the query


@dataclass(frozen=True)
class AuditFilters:
    group: str | None = None
    actor: str = ""
    first: date | None = None   # ?from=YYYY-MM-DD, a day on the forum's clock
    last: date | None = None    # ?to=YYYY-MM-DD, included

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "AuditFilters":
        group = args.get("group") or None
        return cls(group=group if group in GROUPS else None,
                   actor=" ".join((args.get("actor") or "").split())[:254],
                   first=parse_day(args.get("from")), last=parse_day(args.get("to")))

    def as_args(self) -> dict[str, str]:
        args = {"group": self.group, "actor": self.actor or None,
                "from": self.first.isoformat() if self.first else None,
                "to": self.last.isoformat() if self.last else None}
        return {key: value for key, value in args.items() if value}

    @property
    def narrowed(self) -> bool:
        return bool(self.as_args())


def matching(forum: Forum, filters: AuditFilters) -> sa.Select:
    """SELECT of the forum's events that match (no order)."""
    stmt = sa.select(AuditEvent).where(AuditEvent.forum_id == forum.id)
    if filters.group is not None:
        prefixes = GROUPS[filters.group][1]
        stmt = stmt.where(sa.or_(*(AuditEvent.action.startswith(prefix, autoescape=True) for prefix in prefixes)))
    if filters.actor:
        stmt = stmt.where(AuditEvent.actor_id.in_(
            sa.select(User.id).where(sa.func.lower(User.email).contains(filters.actor.lower(), autoescape=True))))
    start, end = day_bounds(forum, filters.first, filters.last)
    if start is not None:
        stmt = stmt.where(AuditEvent.at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.at < end)
    return stmt


def _newest_first(stmt: sa.Select) -> sa.Select:
    return stmt.options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


@dataclass
class Page:
    rows: list
    total: int
    page: int
    pages: int


def page_of(forum: Forum, filters: AuditFilters, page: int) -> Page:
    stmt = matching(forum, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    events = list(db.session.scalars(_newest_first(stmt).limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return Page(rows=describe(events, forum), total=total, page=page, pages=pages)


# ---------------------------------------------------------------- events in words


@dataclass
class Row:
    event: AuditEvent
    at: datetime                # aware, for the page (shown on the forum's clock)
    actor: str
    actor_email: str
    group: str
    action: str
    subject: str
    details: str


def _load(model, ids: set[int], *options) -> dict[int, object]:
    found = {}
    ordered = sorted(i for i in ids if isinstance(i, int))
    for start in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[start:start + IN_CHUNK]
        for item in db.session.scalars(sa.select(model).where(model.id.in_(chunk)).options(*options)):
            found[item.id] = item
    return found


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class Subjects:
    """The events' subjects, loaded per kind in one query each (so a page costs the same for 5 or 50 rows)."""

    def __init__(self, events: list[AuditEvent]):
        wanted: dict[str, set[int]] = {"delegate": set(), "fairproject": set(), "pledge": set(), "memorandum": set(),
                                       "session": set(), "user": set()}
        for event in events:
            details = event.details or {}
            if event.subject_type in wanted and event.subject_id is not None:
                wanted[event.subject_type].add(event.subject_id)
            if event.subject_type == "enrollment":
                for key, kind in (("session_id", "session"), ("delegate_id", "delegate")):
                    if _int(details.get(key)) is not None:
                        wanted[kind].add(details[key])
            if event.subject_type == "juror" and _int(details.get("user_id")) is not None:
                wanted["user"].add(details["user_id"])
        self.delegates = _load(Delegate, wanted["delegate"])
        self.projects = _load(FairProject, wanted["fairproject"])
        self.pledges = _load(Pledge, wanted["pledge"], joinedload(Pledge.organization), joinedload(Pledge.delegate),
                             joinedload(Pledge.project))
        self.memoranda = _load(Memorandum, wanted["memorandum"])
        self.sessions = _load(Session, wanted["session"])
        self.users = _load(User, wanted["user"])

    def name(self, event: AuditEvent, language: str) -> str:
        kind, sid, details = event.subject_type, event.subject_id, event.details or {}
        text = ""
        if kind == "delegate" and sid in self.delegates:
            text = self.delegates[sid].full_name
        elif kind == "fairproject" and sid in self.projects:
            text = self.projects[sid].tr("title", language)
        elif kind == "pledge" and sid in self.pledges:
            pledge = self.pledges[sid]
            text = " → ".join(part for part in (pledge.backer_name,
                                                pledge.project.tr("title", language) if pledge.project else "") if part)
        elif kind == "memorandum" and sid in self.memoranda:
            memorandum = self.memoranda[sid]
            text = f"{memorandum.number} «{memorandum.tr('title', language)}»"
        elif kind == "session" and sid in self.sessions:
            text = self.sessions[sid].tr("title", language)
        elif kind == "enrollment":
            delegate = self.delegates.get(_int(details.get("delegate_id")))
            session = self.sessions.get(_int(details.get("session_id")))
            text = " · ".join(part for part in (delegate.full_name if delegate else "",
                                                session.tr("title", language) if session else "") if part)
        elif kind == "juror":
            user = self.users.get(_int(details.get("user_id")))
            text = user.full_name if user else ""
        label = SUBJECT_LABELS.get(kind)
        label = str(label) if label is not None else kind
        return f"{label}: {text}" if text else (f"{label} #{sid}" if sid is not None else label)


def _status_label(labels: Mapping, value) -> str:
    label = labels.get(value) if isinstance(value, str) else None
    return str(label) if label is not None else ""


def details_of(event: AuditEvent, subjects: Subjects, forum: Forum) -> str:
    """A short note on what changed: the earlier status, the fields, the amount, the party, the reason…"""
    action, details = event.action, event.details or {}
    parts: list[str] = []
    try:
        if action.startswith("delegate."):
            if action == "delegate.registered":
                parts.append(_status_label(DELEGATE_STATUS_LABELS, details.get("status")))
            elif action == "delegate.edited":
                parts.append(registration_details(event))
            elif details.get("previous"):
                parts.append(_("was: %(status)s", status=_status_label(DELEGATE_STATUS_LABELS, details["previous"])
                               or details["previous"]))
        elif action == "checkin.created":
            parts.append(_status_label(CHECKIN_METHOD_LABELS, details.get("method")))
        elif action == "checkin.undone" and details.get("checked_in_at"):
            moment = datetime.fromisoformat(details["checked_in_at"]).astimezone(forum.tzinfo)
            parts.append(_("checked in at %(time)s", time=f"{moment:%d.%m %H:%M}"))
        elif action.startswith(("project.", "pledge.", "jury.")):
            parts.append(history_details(event, subjects.pledges))
            if action.startswith("project.") and isinstance(details.get("previous"), str) \
                    and details["previous"] in PROJECT_STATUS_LABELS:
                parts.append(_("was: %(status)s", status=_status_label(PROJECT_STATUS_LABELS, details["previous"])))
        elif action.startswith("memorandum."):
            parts.append(event_details(event))
    except (TypeError, ValueError, KeyError, AttributeError):  # details written by an older version: say nothing
        return ""
    return " · ".join(str(part) for part in parts if part)


def describe(events: list[AuditEvent], forum: Forum) -> list[Row]:
    language = current_language()
    subjects = Subjects(events)
    rows = []
    for event in events:
        group = group_of(event.action)
        actor = event.actor
        rows.append(Row(
            event=event, at=event.at, actor=actor.full_name if actor else "", actor_email=actor.email if actor else "",
            group=str(GROUPS[group][0]) if group else "", action=action_label(event.action),
            subject=subjects.name(event, language), details=details_of(event, subjects, forum)))
    return rows


# ---------------------------------------------------------------- the file


def _columns() -> list[tuple[str, int]]:
    return [(_("When"), 17), (_("Who"), 26), (_("Email"), 28), (_("Area"), 16), (_("Action"), 30),
            (_("Subject"), 44), (_("Details"), 44), (_("Action code"), 24)]


def _file_rows(rows: Iterable[Row], forum: Forum) -> Iterable[list]:
    for row in rows:
        yield [row.at.astimezone(forum.tzinfo).replace(tzinfo=None), row.actor, row.actor_email, row.group, row.action,
               row.subject, row.details, row.event.action]


def audit_file(forum: Forum, filters: AuditFilters, fmt: str) -> bytes:
    events = list(db.session.scalars(_newest_first(matching(forum, filters)).limit(EXPORT_LIMIT)))
    rows = _file_rows(describe(events, forum), forum)
    if fmt == "csv":
        return to_csv(_columns(), rows)
    return to_xlsx([Sheet(_("Audit log"), _columns(), rows)])


# ---------------------------------------------------------------- the pages


@bp.route("/forums/<slug>/audit")
@forum_role_required(ForumRole.organizer)
def audit(forum: Forum):
    filters = AuditFilters.from_args(request.args)
    page = page_of(forum, filters, positive_int(request.args.get("page")) or 1)
    return render_template("dashboard/audit.html", forum=forum, filters=filters, args=filters.as_args(), page=page,
                           GROUP_CHOICES=[(key, label) for key, (label, _prefixes) in GROUPS.items()],
                           back_url=back_url(forum))


@bp.route("/forums/<slug>/audit.<any(csv, xlsx):fmt>")
@forum_role_required(ForumRole.organizer)
def audit_export(forum: Forum, fmt: str):
    data = audit_file(forum, AuditFilters.from_args(request.args), fmt)
    if fmt == "csv":
        response = Response(data, mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = Response(data, mimetype=XLSX_MIMETYPE)
    stamp = utcnow().astimezone(forum.tzinfo).strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-{forum.slug}-{stamp}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
