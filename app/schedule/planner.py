"""The organizer's planner (day × hall grid) and session editing.

Thin views over `services`: the rules, moves, copies and cancellations all happen there.
What lives here is only presentation: placing sessions on a grid of 15-minute rows in the
forum's time zone, and finding which sessions break a rule right now.
"""
import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.auth.access import acting_user, forum_role_required
from app.extensions import db
from app.forums.services import local_to_utc, utc_to_local
from app.i18n import (LANGUAGE_NAMES, person_role_label, sector_label, session_kind_label,
                      session_status_label)
from app.models import (Delegate, Enrollment, EnrollmentStatus, Forum, ForumRole, Hall, Session, SessionKind,
                        SessionPerson, SessionStatus)
from app.registration.exports import neutralize
from app.schedule import bp, services
from app.schedule.forms import CAST_ROWS, DATETIME_FORMATS, SessionForm
from app.schedule.services import Casting, Conflict, ScheduleError, SessionInput

ROW_MINUTES = 15             # one row of the grid
SLOT_MINUTES = 30            # an empty cell to click ("new session here") is at most this long
DAY_START, DAY_END = time(9, 0), time(19, 0)  # shown even when the day has no sessions yet
MAX_LANES = 4                # sessions overlapping in one column sit side by side, up to this many
NEW_SESSION_MINUTES = 60     # length of a session started from an empty cell
NO_HALL = "none"


# --- Loading ---------------------------------------------------------------------------------

def _session_of(forum: Forum, session_id: int) -> Session:
    """A session of this forum with its hall and people, or 404 (another forum's id is not ours to show)."""
    session = db.session.scalar(
        sa.select(Session).where(Session.id == session_id, Session.forum_id == forum.id)
        .options(joinedload(Session.hall), selectinload(Session.roles).joinedload(SessionPerson.person)))
    return session or abort(404)


def _seat_counts(forum: Forum) -> dict[int, dict[EnrollmentStatus, int]]:
    """Seats taken and places in the queue per session of the forum, in one grouped query."""
    counts: dict[int, dict[EnrollmentStatus, int]] = defaultdict(dict)
    rows = db.session.execute(
        sa.select(Enrollment.session_id, Enrollment.status, sa.func.count())
        .join(Session, Session.id == Enrollment.session_id)
        .where(Session.forum_id == forum.id)
        .group_by(Enrollment.session_id, Enrollment.status))
    for session_id, status, n in rows:
        counts[session_id][status] = n
    return counts


# --- Rules broken right now ------------------------------------------------------------------

def input_from(session: Session) -> SessionInput:
    """The session as the services' input, unchanged: checking it tells whether it still keeps the rules."""
    data = services._input_from(session, session.starts_at, session.ends_at)
    data.status = session.status.value
    return data


def _overlap(a: Session, b: Session) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _suspects(forum: Forum, sessions: list[Session], taken: dict[int, int]) -> set[int]:
    """Sessions that might break a rule, found in memory so the planner's queries stay few.

    Deliberately generous: only these go through `services.check_rules` (which queries), and
    check_rules alone decides and explains. A session it would refuse must always be here
    (tests/schedule/test_planner.py checks that against check_rules itself).
    """
    halls = {h.id: h for h in forum.halls}
    first = datetime.combine(forum.starts_on, time.min, tzinfo=forum.tzinfo)
    last = datetime.combine(forum.ends_on + timedelta(days=1), time.min, tzinfo=forum.tzinfo)
    live = [s for s in sessions if s.status in services.LIVE]
    suspects: set[int] = set()
    by_hall: dict[int, list[Session]] = defaultdict(list)
    by_person: dict[int, list[Session]] = defaultdict(list)
    for s in live:
        hall = halls.get(s.hall_id)
        if (not (s.title_kk or s.title_ru) or not s.language_list
                or any(code not in services.LANGUAGES for code in s.language_list)
                or (s.stream_url and not s.stream_url.startswith(("https://", "http://")))
                or s.ends_at <= s.starts_at or s.ends_at - s.starts_at > timedelta(hours=12)
                or s.starts_at < first or s.ends_at > last
                or (s.hall_id is not None and hall is None)
                or (s.capacity is not None and (s.capacity < 1 or s.capacity < taken.get(s.id, 0)
                                                or (hall is not None and hall.capacity is not None
                                                    and s.capacity > hall.capacity)))
                or any(r.person is None or r.person.forum_id != forum.id for r in s.roles)):
            suspects.add(s.id)
        if s.hall_id is not None:
            by_hall[s.hall_id].append(s)
        for r in s.roles:
            by_person[r.person_id].append(s)
    for group in list(by_hall.values()) + list(by_person.values()):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a.id != b.id and _overlap(a, b):
                    suspects.update((a.id, b.id))
    return suspects


def current_conflicts(forum: Forum, sessions: list[Session], taken: dict[int, int]) -> dict[int, list[Conflict]]:
    """For each live session that breaks a rule now (e.g. its hall got smaller), the rules' own explanations."""
    suspects = _suspects(forum, sessions, taken)
    found = {}
    for session in sessions:
        if session.id in suspects:
            conflicts = services.check_rules(forum, input_from(session), session)
            if conflicts:
                found[session.id] = conflicts
    return found


# --- The grid --------------------------------------------------------------------------------

@dataclass
class Block:
    session: Session
    start: datetime          # on the forum's clock, naive
    end: datetime
    row: int                 # first grid line
    row_end: int             # last grid line
    taken: int
    waiting: int
    conflicts: list[Conflict]
    clipped: bool = False    # goes on past midnight
    lane: int = 1
    lanes: int = 1


@dataclass
class FreeCell:
    row: int
    row_end: int
    start: datetime


@dataclass
class Column:
    key: str
    hall: Hall | None
    blocks: list[Block] = field(default_factory=list)
    items: list = field(default_factory=list)  # blocks and free cells in time order


@dataclass
class DayGrid:
    day: date
    start: datetime
    end: datetime
    rows: int
    times: list[tuple[int, datetime]]
    columns: list[Column]


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(moment: datetime) -> datetime:
    floored = _floor_hour(moment)
    return floored if floored == moment else floored + timedelta(hours=1)


def _line(window_start: datetime, moment: datetime, *, up: bool) -> int:
    minutes = (moment - window_start).total_seconds() / 60
    rows = int(-(-minutes // ROW_MINUTES)) if up else int(minutes // ROW_MINUTES)
    return 1 + rows


def _lay_out_lanes(blocks: list[Block]) -> None:
    """Overlapping blocks in one column (cancelled ones, or sessions online) share it side by side."""
    blocks.sort(key=lambda b: (b.row, b.row_end, b.session.id))
    clusters: list[tuple[list[Block], list[int]]] = []  # (blocks, the row each lane is free from)
    cluster_end = 0
    for block in blocks:
        if not clusters or block.row >= cluster_end:
            clusters.append(([], []))
            cluster_end = 0
        members, lane_ends = clusters[-1]
        for index, end in enumerate(lane_ends):
            if end <= block.row:
                lane_ends[index] = block.row_end
                block.lane = index + 1
                break
        else:
            lane_ends.append(block.row_end)
            block.lane = len(lane_ends)
        members.append(block)
        cluster_end = max(cluster_end, block.row_end)
    for members, lane_ends in clusters:
        for block in members:
            block.lanes = min(len(lane_ends), MAX_LANES)
            block.lane = min(block.lane, MAX_LANES)


def build_day(forum: Forum, day: date, sessions: list[Session], counts, conflicts) -> DayGrid:
    tz = forum.tzinfo
    todays = []
    for s in sessions:
        start = s.starts_at.astimezone(tz).replace(tzinfo=None)
        if start.date() == day:
            todays.append((s, start, s.ends_at.astimezone(tz).replace(tzinfo=None)))
    midnight = datetime.combine(day, time.min)
    next_midnight = midnight + timedelta(days=1)
    window_start = min([datetime.combine(day, DAY_START)] + [_floor_hour(start) for _s, start, _e in todays])
    window_end = max([datetime.combine(day, DAY_END)] + [_ceil_hour(min(end, next_midnight)) for _s, _b, end in todays])
    window_start, window_end = max(window_start, midnight), min(window_end, next_midnight)
    rows = int((window_end - window_start).total_seconds() // 60 // ROW_MINUTES)

    columns = [Column(key=str(h.id), hall=h) for h in forum.halls] + [Column(key=NO_HALL, hall=None)]
    by_key = {c.key: c for c in columns}
    for s, start, end in todays:
        column = by_key.get(str(s.hall_id)) if s.hall_id is not None else None
        column = column or by_key[NO_HALL]
        shown_end = min(end, window_end)
        row = _line(window_start, start, up=False)
        row_end = max(_line(window_start, shown_end, up=True), row + 1)
        per_status = counts.get(s.id, {})
        column.blocks.append(Block(
            session=s, start=start, end=end, row=row, row_end=row_end, clipped=end > window_end,
            taken=per_status.get(EnrollmentStatus.enrolled, 0), waiting=per_status.get(EnrollmentStatus.waitlisted, 0),
            conflicts=conflicts.get(s.id, [])))

    for column in columns:
        _lay_out_lanes(column.blocks)
        covered = set()
        for b in column.blocks:
            covered.update(range(b.row, b.row_end))
        free = []
        row = 1
        while row <= rows:
            if row in covered:
                row += 1
                continue
            start = window_start + timedelta(minutes=(row - 1) * ROW_MINUTES)
            end_row = row + 1
            while (end_row <= rows and end_row not in covered
                   and (end_row - 1) * ROW_MINUTES % SLOT_MINUTES != 0):
                end_row += 1
            free.append(FreeCell(row=row, row_end=end_row, start=start))
            row = end_row
        column.items = sorted(column.blocks + free, key=lambda item: (item.row, isinstance(item, Block)))

    times = [(1 + i, window_start + timedelta(minutes=i * ROW_MINUTES))
             for i in range(rows) if (i * ROW_MINUTES) % SLOT_MINUTES == 0]
    return DayGrid(day=day, start=window_start, end=window_end, rows=rows, times=times, columns=columns)


def _chosen_day(forum: Forum, value: str | None) -> date:
    days = forum.days
    try:
        chosen = date.fromisoformat(value) if value else None
    except ValueError:
        chosen = None
    if chosen in days:
        return chosen
    today = datetime.now(forum.tzinfo).date()
    return today if today in days else days[0]


def _render(template: str, **context):
    """Templates get the programme's labels even before the app registers them as globals."""
    return render_template(template, session_kind_label=session_kind_label,
                           session_status_label=session_status_label, person_role_label=person_role_label,
                           sector_label=sector_label, **context)


def _local_day(forum: Forum, session: Session) -> str:
    return session.starts_at.astimezone(forum.tzinfo).date().isoformat()


def _planner_url(forum: Forum, session: Session | None = None, day: str | None = None) -> str:
    if session is not None:
        return url_for("schedule.planner", slug=forum.slug, day=_local_day(forum, session)) + f"#session-{session.id}"
    return url_for("schedule.planner", slug=forum.slug, day=day)


@bp.route("/forums/<slug>/planner")
@forum_role_required(ForumRole.organizer)
def planner(forum: Forum):
    sessions = services.programme(forum, include_unpublished=True)
    counts = _seat_counts(forum)
    taken = {sid: per.get(EnrollmentStatus.enrolled, 0) for sid, per in counts.items()}
    conflicts = current_conflicts(forum, sessions, taken)
    day = _chosen_day(forum, request.args.get("day"))
    grid = build_day(forum, day, sessions, counts, conflicts)
    by_id = {s.id: s for s in sessions}
    broken = [(by_id[sid], found) for sid, found in conflicts.items()]
    broken.sort(key=lambda pair: (pair[0].starts_at, pair[0].id))
    per_day = defaultdict(int)
    for s in sessions:
        per_day[s.starts_at.astimezone(forum.tzinfo).date()] += 1
    return _render("schedule/planner.html", forum=forum, grid=grid, day=day, broken=broken, per_day=per_day,
                   tz=forum.tzinfo, kinds=list(SessionKind), total=len(sessions))


# --- The session form ------------------------------------------------------------------------

def _form_data(forum: Forum, session: Session) -> dict:
    people = [SimpleNamespace(role=r.role.value, person_id=r.person_id, full_name=None, position=None,
                              organization=None) for r in session.roles]
    spare = max(CAST_ROWS, len(people) + 2) - len(people)
    return dict(
        kind=session.kind.value, title_kk=session.title_kk, title_ru=session.title_ru, title_en=session.title_en,
        description_kk=session.description_kk, description_ru=session.description_ru,
        description_en=session.description_en, hall_id=session.hall_id,
        starts_at=utc_to_local(session.starts_at, forum.timezone), ends_at=utc_to_local(session.ends_at, forum.timezone),
        languages=session.language_list, interpretation=session.interpretation, topic=session.topic,
        stream_url=session.stream_url, capacity=session.capacity, status=session.status.value,
        cast=people + [SimpleNamespace(role="speaker", person_id=None, full_name=None, position=None,
                                       organization=None)] * spare)


def _prefill(forum: Forum) -> dict:
    """A new session started from an empty cell of the grid: ?hall=ID&start=2030-09-16T10:00 (or ?day=)."""
    data = {}
    hall = request.args.get("hall", "")
    if hall.isdigit() and any(h.id == int(hall) for h in forum.halls):
        data["hall_id"] = int(hall)
    start = None
    for fmt in DATETIME_FORMATS:
        try:
            start = datetime.strptime(request.args.get("start", ""), fmt)
            break
        except ValueError:
            continue
    if start is None and request.args.get("day"):
        try:
            start = datetime.combine(date.fromisoformat(request.args["day"]), DAY_START)
        except ValueError:
            start = None
    if start is not None:
        data["starts_at"] = start
        data["ends_at"] = start + timedelta(minutes=NEW_SESSION_MINUTES)
    return data


def _cast(form: SessionForm) -> list[Casting]:
    cast = []
    for entry in form.cast:
        row = entry.form
        if row.is_empty:
            continue
        cast.append(Casting(role=row.role.data, person_id=row.person_id.data,
                            full_name=None if row.person_id.data is not None else row.full_name.data,
                            position=row.position.data, organization=row.organization.data))
    return cast


def _input(form: SessionForm, forum: Forum) -> SessionInput:
    return SessionInput(
        kind=form.kind.data, starts_at=local_to_utc(form.starts_at.data, forum.timezone),
        ends_at=local_to_utc(form.ends_at.data, forum.timezone), hall_id=form.hall_id.data,
        title_kk=form.title_kk.data, title_ru=form.title_ru.data, title_en=form.title_en.data,
        description_kk=form.description_kk.data, description_ru=form.description_ru.data,
        description_en=form.description_en.data, languages=list(form.languages.data or []),
        interpretation=bool(form.interpretation.data), topic=form.topic.data, stream_url=form.stream_url.data,
        capacity=form.capacity.data, status=form.status.data or "", cast=_cast(form))


def _place_conflicts(form: SessionForm, conflicts: list[Conflict], errors: dict) -> None:
    """Each rule's explanation beside its field; people-on-stage and unplaced ones in their own lists."""
    time_typo = bool(form.starts_at.errors or form.ends_at.errors)
    for conflict in conflicts:
        name = conflict.field
        if name == "cast":
            errors["cast"].append(conflict.message)
        elif name in ("starts_at", "ends_at") and time_typo:
            continue  # the typed value was not a time at all: that message says enough
        elif name and name in form._fields and name != "cast":
            target = form[name]
            if conflict.message not in target.errors:
                target.errors = list(target.errors) + [conflict.message]
        else:
            errors["general"].append(conflict.message)


def _session_form(forum: Forum, session: Session | None):
    if request.method == "POST":
        form = SessionForm(forum)
    elif session is not None:
        form = SessionForm(forum, data=_form_data(forum, session))
    else:
        form = SessionForm(forum, data=_prefill(forum))
    errors = {"cast": [], "general": []}
    failed = False
    if form.is_submitted():
        valid = form.validate()
        errors["cast"] = [str(e) for e in form.cast.errors if not isinstance(e, (dict, list))]  # not a row's
        data = _input(form, forum)
        if valid:
            try:
                saved = services.save_session(forum, data, acting_user(), session)
            except ScheduleError as exc:
                db.session.rollback()
                _place_conflicts(form, exc.conflicts, errors)
            else:
                flash(_("The session has been added.") if session is None else _("The session has been saved."),
                      "success")
                return redirect(_planner_url(forum, saved))
        else:
            # Typing errors first, and every rule the rest breaks, so one round of corrections is enough.
            _place_conflicts(form, services.check_rules(forum, data, session), errors)
            db.session.rollback()
        failed = True
    elif session is not None and session.status in services.LIVE:
        # Opened to put right what broke after the fact (a smaller hall…): say what, beside its field.
        _place_conflicts(form, services.check_rules(forum, input_from(session), session), errors)
    back_day = _local_day(forum, session) if session is not None else (
        form.starts_at.data.date().isoformat() if form.starts_at.data else None)
    breaks_now = not failed and (any(f.errors for f in form) or bool(errors["cast"] or errors["general"]))
    response = _render("schedule/session_form.html", forum=forum, form=form, session=session, errors=errors,
                       failed=failed, breaks_now=breaks_now, back_url=_planner_url(forum, day=back_day),
                       taken=services.seats_taken(session) if session is not None else 0)
    return response, 422 if failed else 200


@bp.route("/forums/<slug>/planner/new", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def planner_new(forum: Forum):
    return _session_form(forum, None)


@bp.route("/forums/<slug>/planner/<int:session_id>", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def planner_edit(forum: Forum, session_id: int):
    return _session_form(forum, _session_of(forum, session_id))


# --- Copy and cancel -------------------------------------------------------------------------

def _flash_conflicts(exc: ScheduleError) -> None:
    db.session.rollback()
    for conflict in exc.conflicts:
        flash(conflict.message, "error")


@bp.route("/forums/<slug>/planner/<int:session_id>/duplicate", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def planner_duplicate(forum: Forum, session_id: int):
    session = _session_of(forum, session_id)
    try:
        copy = services.duplicate_session(session, acting_user())
    except ScheduleError as exc:
        _flash_conflicts(exc)
        return redirect(_planner_url(forum, session))
    local = copy.starts_at.astimezone(forum.tzinfo)
    if copy.hall is not None:
        flash(_("A draft copy has been added at %(time)s in %(hall)s.", time=local.strftime("%H:%M"),
                hall=copy.hall.name), "success")
    else:
        flash(_("A draft copy has been added at %(time)s without a hall: the hall is busy all day. "
                "Choose a hall or another time for it.", time=local.strftime("%H:%M")), "success")
    return redirect(_planner_url(forum, copy))


def _enrolled_count(session: Session) -> int:
    """Delegates holding a seat or waiting for one: all of them get the cancellation letter."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment)
                             .where(Enrollment.session_id == session.id)) or 0


@bp.route("/forums/<slug>/planner/<int:session_id>/cancel", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def planner_cancel(forum: Forum, session_id: int):
    session = _session_of(forum, session_id)
    if request.method == "GET":
        return _render("schedule/_planner_cancel.html", forum=forum, session=session,
                       start=session.starts_at.astimezone(forum.tzinfo), end=session.ends_at.astimezone(forum.tzinfo),
                       taken=_enrolled_count(session),
                       back_url=_planner_url(forum, session))
    if session.status == SessionStatus.cancelled:
        flash(_("This session was already cancelled."), "info")
        return redirect(_planner_url(forum, session))
    was_published = session.status == SessionStatus.published
    try:
        services.cancel_session(session, acting_user())
    except ScheduleError as exc:
        _flash_conflicts(exc)
    else:
        if was_published and _enrolled_count(session):
            flash(_("“%(title)s” is cancelled. Delegates who enrolled have been told by email.",
                    title=session.title), "success")
        else:
            flash(_("“%(title)s” is cancelled.", title=session.title), "success")
    return redirect(_planner_url(forum, session))


# --- Who is enrolled -------------------------------------------------------------------------

CSV_TIME = "%Y-%m-%d %H:%M"


def _enrollments(session: Session) -> tuple[list[Enrollment], list[Enrollment]]:
    rows = db.session.scalars(
        sa.select(Enrollment).where(Enrollment.session_id == session.id)
        .options(joinedload(Enrollment.delegate).joinedload(Delegate.organization))
        .order_by(Enrollment.created_at, Enrollment.id)).all()
    return ([e for e in rows if e.status == EnrollmentStatus.enrolled],
            [e for e in rows if e.status == EnrollmentStatus.waitlisted])


def _enrollments_csv(forum: Forum, enrolled: list[Enrollment], waitlisted: list[Enrollment]) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Kazakh letters right); nothing typed runs as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralize(h) for h in (
        _("Status"), _("Place in queue"), _("Full name"), _("Email"), _("Phone"), _("Organization"),
        _("Sector"), _("Position"), _("Language"), _("Since"))])
    rows = [(e, None) for e in enrolled] + [(e, n) for n, e in enumerate(waitlisted, start=1)]
    for enrollment, place in rows:
        d = enrollment.delegate
        since = enrollment.promoted_at or enrollment.created_at
        writer.writerow([neutralize(v) for v in (
            _("Enrolled") if place is None else _("Waitlisted"), place or "", d.full_name, d.email, d.phone or "",
            d.organization_name, sector_label(d.sector), d.position or "",
            LANGUAGE_NAMES.get(d.language, d.language or ""),
            since.astimezone(forum.tzinfo).strftime(CSV_TIME))])
    return out.getvalue().encode("utf-8-sig")


@bp.route("/forums/<slug>/planner/<int:session_id>/enrollments")
@forum_role_required(ForumRole.organizer)
def planner_enrollments(forum: Forum, session_id: int):
    session = _session_of(forum, session_id)
    enrolled, waitlisted = _enrollments(session)
    if request.args.get("format") == "csv":
        response = Response(_enrollments_csv(forum, enrolled, waitlisted), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="session-{session.id}-enrollments.csv"'
        response.headers["Cache-Control"] = "private, no-store"  # personal data: no copies in caches
        return response
    return _render("schedule/enrollments.html", forum=forum, session=session, enrolled=enrolled,
                   waitlisted=waitlisted, tz=forum.tzinfo, start=session.starts_at.astimezone(forum.tzinfo),
                   end=session.ends_at.astimezone(forum.tzinfo), back_url=_planner_url(forum, session))
