"""The public programme, session pages and the delegate's agenda.

Public pages (published and closed forums; a draft forum is a 404 for everyone here):
    /forums/<slug>/programme                  the programme by day, with filters (kind, hall, language, topic)
    /forums/<slug>/programme/<id>             one session: everything about it, and the Enrol / Leave button
    /forums/<slug>/programme.json|.ics|.pdf   the same programme as data, as a calendar, on paper
A delegate's own:
    /forums/<slug>/agenda                     "My agenda": their sessions, with what changed since their last look
    /forums/<slug>/agenda.ics                 the same, for their phone's calendar

The programme page is built for a rush (every delegate opens it at 9:00): its queries are
few and fixed (services.programme + seats_left), the rendered programme is kept in memory
per state of the programme (app/schedule/cache.py), and browsers revalidate with ETags.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Response, current_app, flash, make_response, redirect, render_template, request, url_for
from flask import session as web_session
from flask_babel import format_date, format_datetime, force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from app.auth.access import acting_user
from app.extensions import db
from app.i18n import LANGUAGE_NAMES, current_language, date_range, person_role_label, session_kind_label
from app.models import (Enrollment, EnrollmentStatus, Forum, ForumRole, Session, SessionKind, SessionPerson,
                        SessionStatus)
from app.registration.views import _own_registration, _public_forum
from app.schedule import bp, services
from app.schedule.cache import GzipPart, fingerprint, programme_state, render_cache
from app.schedule.calendar import CalendarEntry, build_calendar
from app.schedule.payloads import session_payload
from app.urls import external_url

PUBLIC_MAX_AGE = 30  # seconds a browser may show the programme without asking again
SUMMARY_LENGTH = 180
FRAME_MARK = "\x00programme\x00"  # where the cached programme goes inside the page
CSRF_MARK = "\x00csrf\x00"  # where the reader's own CSRF token goes


def _compact(html: str) -> str:
    """Indentation and blank lines out (a third of a big programme's bytes); no <pre> in it."""
    return re.sub(r"\s*\n\s*", "\n", html)


# --- What a session looks like on the page --------------------------------------------------

@dataclass
class OnStage:
    name: str
    role: str
    details: str  # position, organization


@dataclass
class Card:
    """A session ready to show: local times, labels in the reader's language."""

    session: Session
    starts: datetime  # in the forum's time zone
    ends: datetime
    seats_left: int | None
    kind_label: str
    title: str
    summary: str
    people: list[OnStage]
    languages: list[str]

    @property
    def id(self) -> int:
        return self.session.id

    @property
    def cancelled(self) -> bool:
        return self.session.status == SessionStatus.cancelled

    @property
    def draft(self) -> bool:
        return self.session.status == SessionStatus.draft

    @property
    def hall(self):
        return self.session.hall

    @property
    def time_range(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def day(self) -> date:
        return self.starts.date()


def _summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:—–- ")
    return cut + "…"


def _card(forum: Forum, session: Session, seats_left: int | None) -> Card:
    tz = forum.tzinfo
    return Card(
        session=session, starts=session.starts_at.astimezone(tz), ends=session.ends_at.astimezone(tz),
        seats_left=seats_left, kind_label=session_kind_label(session.kind), title=session.title,
        summary=_summary(session.description),
        people=[OnStage(r.person.full_name, person_role_label(r.role),
                        ", ".join(p for p in (r.person.position, r.person.organization) if p))
                for r in session.roles],
        languages=[LANGUAGE_NAMES.get(code, code) for code in session.language_list],
    )


# --- Filters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    kind: str = ""
    hall: int | None = None
    language: str = ""
    topic: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        kind = args.get("kind", "").strip()
        hall = args.get("hall", "").strip()
        language = args.get("language", "").strip()
        topic = " ".join(args.get("topic", "").split())[:120]
        return cls(kind=kind if kind in SessionKind.__members__ else "",
                   hall=int(hall) if hall.isdigit() and len(hall) < 10 else None,
                   language=language if language in services.LANGUAGES else "",
                   topic=topic)

    @property
    def active(self) -> bool:
        return bool(self.kind or self.hall is not None or self.language or self.topic)

    def params(self) -> dict:
        values = {"kind": self.kind, "hall": self.hall, "language": self.language, "topic": self.topic}
        return {k: v for k, v in values.items() if v not in ("", None)}

    def key(self) -> str:
        return f"{self.kind}|{self.hall}|{self.language}|{self.topic}"

    def matches(self, session: Session) -> bool:
        if self.kind and session.kind.value != self.kind:
            return False
        if self.hall is not None and session.hall_id != self.hall:
            return False
        if self.language and self.language not in session.language_list:
            return False
        if self.topic and (session.topic or "").casefold() != self.topic.casefold():
            return False
        return True


@dataclass
class Option:
    value: str
    label: str


def _options(sessions: list[Session]) -> dict[str, list[Option]]:
    """Choices for the filter form: only what the programme actually has."""
    kinds = {s.kind for s in sessions}
    halls = {s.hall.id: s.hall for s in sessions if s.hall is not None}
    languages = {code for s in sessions for code in s.language_list}
    topics = {}
    for s in sessions:
        if s.topic:
            topics.setdefault(s.topic.casefold(), s.topic)
    return {
        "kind": [Option(k.value, session_kind_label(k)) for k in SessionKind if k in kinds],
        "hall": [Option(str(h.id), h.name) for h in sorted(halls.values(), key=lambda h: (h.position, h.name))],
        "language": [Option(code, LANGUAGE_NAMES[code]) for code in services.LANGUAGES if code in languages],
        "topic": [Option(topic, topic) for _folded, topic in sorted(topics.items())],
    }


# --- The programme ---------------------------------------------------------------------------

@dataclass
class Day:
    date: date
    number: int
    heading: str
    anchor: str
    cards: list[Card] = field(default_factory=list)


def _day(forum: Forum, day: date) -> Day:
    number = (day - forum.starts_on).days + 1
    label = format_date(day, "EEEE, d MMMM")
    return Day(date=day, number=number, heading=_("Day %(number)d · %(date)s", number=number, date=label),
               anchor=f"day-{day.isoformat()}")


def _load(forum: Forum, filters: Filters):
    """The programme's sessions (fixed number of queries), the chosen ones, and their free seats."""
    sessions = services.programme(forum)
    chosen = [s for s in sessions if filters.matches(s)]
    seats = services.seats_left(chosen)
    return sessions, chosen, seats


def _days(forum: Forum, cards: list[Card]) -> list[Day]:
    days: dict[date, Day] = {}
    for card in cards:
        if card.day not in days:
            days[card.day] = _day(forum, card.day)
        days[card.day].cards.append(card)
    return [days[d] for d in sorted(days)]


def _utc_offset(forum: Forum) -> str:
    offset = datetime.combine(forum.starts_on, time(12), tzinfo=forum.tzinfo).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _time_note(forum: Forum) -> str:
    return _("Times are local (%(zone)s).", zone=_utc_offset(forum))


def _programme_body(forum: Forum, filters: Filters) -> Markup:
    sessions, chosen, seats = _load(forum, filters)
    cards = [_card(forum, s, seats[s.id]) for s in chosen]
    return Markup(render_template(
        "schedule/_public_programme.html", forum=forum, filters=filters, days=_days(forum, cards),
        options=_options(sessions), total=len(sessions), shown=len(cards), time_note=_time_note(forum),
        links=_links(forum, filters)))


def _links(forum: Forum, filters: Filters) -> dict[str, str]:
    params = filters.params()
    return {
        "pdf": url_for("schedule.programme_pdf", slug=forum.slug, **params),
        "ics": url_for("schedule.programme_ics", slug=forum.slug, **params),
        "json": url_for("schedule.programme_json", slug=forum.slug, **params),
        "agenda": url_for("schedule.agenda", slug=forum.slug),
        "page": url_for("schedule.programme", slug=forum.slug),
    }


def _not_modified(etag: str, cache_control: str) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    response.vary.update(("Accept-Language", "Accept-Encoding", "Cookie"))
    return response


def _reader() -> str:
    """Who the page header is drawn for: nobody, or a logged-in user (their name is on it)."""
    user = acting_user()
    return "-" if user is None else f"{user.id}:{user.full_name}"


def _csrf_secret() -> str | None:
    """The reader's own CSRF secret, if their session already has one (the page's forms carry it)."""
    return web_session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def _public_state(slug: str):
    """The programme's fingerprint, or 404 (no such forum, or a draft one), as `_public_forum` decides."""
    state = programme_state(slug)
    if state is None or not state.is_public:
        raise NotFound()
    return state


@bp.route("/forums/<slug>/programme", endpoint="programme")
def programme_page(slug: str):
    state = _public_state(slug)  # one query; enough to answer "not modified"
    filters = Filters.from_args(request.args)
    anonymous = acting_user() is None
    cache_control = f"public, max-age={PUBLIC_MAX_AGE}" if anonymous else "private, no-cache"
    has_flashes = "_flashes" in web_session  # a message shown once: this render is for this reader only
    language = current_language()
    # The page (unlike the programme inside it) carries the header (a logged-in user's name) and
    # the reader's CSRF token (language switch): the ETag covers both, so a 304 never hands back
    # a page whose forms would not work for this browser.
    page_key = fingerprint("page", state.key, language, request.full_path, _reader())
    secret = _csrf_secret()
    encoding = "gzip" if request.accept_encodings.quality("gzip") > 0 else "identity"
    if secret is not None and not has_flashes:
        etag = fingerprint(page_key, secret, encoding)
        if request.if_none_match.contains(etag):
            return _not_modified(etag, cache_control)

    gzip = encoding == "gzip"
    cache = render_cache()
    forum = None
    body_key = fingerprint("programme", state.key, language, filters.key())
    body = cache.get(body_key)
    if body is None:
        forum = _public_forum(slug)
        body = cache.put(body_key, _compact(_programme_body(forum, filters)).encode())
    if gzip:  # compressed once, then joined to each reader's header and footer
        packed = cache.get(body_key + ":gzip") or cache.put(body_key + ":gzip", GzipPart(body))
    # The site's header and footer around the programme: the same for every anonymous reader but
    # for their CSRF token, which is put in last; drawn afresh for a logged-in reader or a flash.
    shared_frame = anonymous and not has_flashes
    # Keyed by the filters as understood, not the raw query string, so odd URLs cannot crowd the
    # cache; the header's "back here" links then keep the first such URL, an equivalent one.
    frame_key = fingerprint("frame", state.key, language, filters.key())
    frame = cache.get(frame_key) if shared_frame else None
    if frame is None:
        forum = forum or _public_forum(slug)
        frame = render_template("schedule/programme.html", forum=forum, body=Markup(FRAME_MARK), filters=filters,
                                csrf_token=lambda: CSRF_MARK)
        if shared_frame:
            cache.put(frame_key, frame)
    head, _mark, tail = frame.replace(CSRF_MARK, generate_csrf()).partition(FRAME_MARK)
    parts = packed.between(head.encode(), tail.encode()) if gzip else [head.encode(), body, tail.encode()]

    response = Response(parts, content_type="text/html; charset=utf-8")
    response.content_length = sum(len(p) for p in parts)
    if gzip:
        response.content_encoding = "gzip"
    response.vary.update(("Accept-Language", "Accept-Encoding", "Cookie"))
    if has_flashes:
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    response.set_etag(fingerprint(page_key, _csrf_secret(), encoding))
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(request)


# --- The same programme as data, calendar and paper -----------------------------------------

def _shared_download(slug: str, kind: str, build, content_type: str, filename: str | None = None) -> Response:
    """A body that is the same for every reader of a language: kept in memory, revalidated by ETag."""
    state = _public_state(slug)
    filters = Filters.from_args(request.args)
    key = fingerprint(kind, state.key, current_language(), filters.key())
    cache_control = f"public, max-age={PUBLIC_MAX_AGE}"
    if request.if_none_match.contains(key):
        return _not_modified(key, cache_control)
    cache = render_cache()
    body = cache.get(key)
    if body is None:
        body = cache.put(key, build(_public_forum(slug), filters))
    response = Response(body, content_type=content_type)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(key)
    response.headers["Cache-Control"] = cache_control
    response.vary.update(("Accept-Language", "Cookie"))
    return response.make_conditional(request)


def _json_body(forum: Forum, filters: Filters) -> bytes:
    _everything, chosen, seats = _load(forum, filters)
    document = {
        "forum": {"slug": forum.slug, "title": forum.title, "timezone": forum.timezone,
                  "starts_on": forum.starts_on.isoformat(), "ends_on": forum.ends_on.isoformat()},
        "sessions": [session_payload(s, seats[s.id]) for s in chosen],
    }
    return current_app.json.dumps(document).encode()


@bp.route("/forums/<slug>/programme.json", endpoint="programme_json")
def programme_json(slug: str):
    return _shared_download(slug, "json", _json_body, "application/json")


def _describe(forum: Forum, session: Session, *, people: bool = True) -> str:
    """The text of a calendar event: what, who, in which languages, and where to read more."""
    lines = [session_kind_label(session.kind)]
    if session.description:
        lines += ["", session.description.strip()]
    if people and session.roles:
        lines.append("")
        for role in session.roles:
            details = ", ".join(p for p in (role.person.position, role.person.organization) if p)
            lines.append(f"{role.person.full_name} — {person_role_label(role.role)}"
                         + (f", {details}" if details else ""))
    languages = ", ".join(LANGUAGE_NAMES.get(c, c) for c in session.language_list)
    if languages:
        lines += ["", _("Languages: %(languages)s", languages=languages)
                  + (" · " + _("interpretation provided") if session.interpretation else "")]
    if session.stream_url:
        lines.append(_("Live stream: %(url)s", url=session.stream_url))
    return "\n".join(lines).strip()


def _session_url(session: Session) -> str:
    return external_url("schedule.session", slug=session.forum.slug, session_id=session.id)


def _ics_body(forum: Forum, filters: Filters) -> bytes:
    _everything, chosen, _seats = _load(forum, filters)
    entries = [CalendarEntry(session=s, summary=s.title, description=_describe(forum, s)) for s in chosen]
    return build_calendar(forum, entries, name=f"{forum.title} — {_('Programme')}",
                          url_for_session=lambda s: external_url("schedule.session", slug=forum.slug,
                                                                 session_id=s.id))


@bp.route("/forums/<slug>/programme.ics", endpoint="programme_ics")
def programme_ics(slug: str):
    return _shared_download(slug, "ics", _ics_body, "text/calendar; charset=utf-8", f"{slug}-programme.ics")


def programme_pdf_data(forum: Forum, sessions: list[Session], language: str):
    """The programme as plain data for app.pdf.programme (texts in `language`)."""
    from app.pdf.programme import ProgrammeData, ProgrammeDay, ProgrammeEntry, ProgrammeLabels

    with force_locale(language):
        cards = [_card(forum, s, None) for s in sessions]
        days = []
        for day in _days(forum, cards):
            entries = []
            for card in day.cards:
                details = ", ".join(card.languages)
                if card.session.interpretation:
                    details += " · " + _("interpretation provided")
                if card.session.topic:
                    details = f"{card.session.topic} · {details}" if details else card.session.topic
                entries.append(ProgrammeEntry(
                    time=card.time_range, title=card.title, kind=card.kind_label,
                    hall=card.hall.name if card.hall is not None else "",
                    people=tuple(f"{p.name} — {p.role}" + (f", {p.details}" if p.details else "") for p in card.people),
                    details=details, cancelled=card.cancelled))
            days.append(ProgrammeDay(heading=day.heading, entries=tuple(entries)))
        labels = ProgrammeLabels(
            programme=_("Programme"), time=_("Time"), hall=_("Hall"), session=_("Session"),
            cancelled=_("Cancelled"), page=_("Page %(page)d of %(pages)d"),
            empty=_("The programme has not been published yet."))
        return ProgrammeData(
            title=forum.tr("title", language), dates=date_range(forum.starts_on, forum.ends_on),
            venue=", ".join(p for p in (forum.venue, forum.city) if p), note=_time_note(forum),
            days=tuple(days), labels=labels, language=language)


def _pdf_body(forum: Forum, filters: Filters) -> bytes:
    from app.pdf.programme import render_programme

    _everything, chosen, _seats = _load(forum, filters)
    return render_programme(programme_pdf_data(forum, chosen, current_language()))


@bp.route("/forums/<slug>/programme.pdf", endpoint="programme_pdf")
def programme_pdf(slug: str):
    return _shared_download(slug, "pdf", _pdf_body, "application/pdf", f"{slug}-programme.pdf")


# --- One session, and enrolling in it --------------------------------------------------------

def _public_session(forum: Forum, session_id: int) -> Session:
    """A session of this forum the reader may see: published or cancelled (drafts for its organizers only)."""
    session = db.session.scalar(
        sa.select(Session).where(Session.id == session_id, Session.forum_id == forum.id)
        .options(joinedload(Session.hall), selectinload(Session.roles).joinedload(SessionPerson.person)))
    if session is None:
        raise NotFound()
    if session.status == SessionStatus.draft:
        user = acting_user()
        if user is None or not user.has_forum_role(forum, ForumRole.organizer):
            raise NotFound()
    return session


def _to_registration(forum: Forum):
    """Where a visitor without a registration goes, as /forums/<slug>/me does."""
    if acting_user() is None:
        flash(_("Log in, or use the link in your registration letter, to see your registration."), "info")
        return redirect(url_for("auth.login", next=request.path))
    return redirect(url_for("registration.register", slug=forum.slug))


@bp.route("/forums/<slug>/programme/<int:session_id>", endpoint="session")
def session_page(slug: str, session_id: int):
    forum = _public_forum(slug)
    session = _public_session(forum, session_id)
    seats = services.seats_left([session])[session.id]
    card = _card(forum, session, seats)
    delegate = _own_registration(forum)
    enrollment = position = None
    if delegate is not None:
        enrollment = db.session.scalar(sa.select(Enrollment).where(
            Enrollment.session_id == session.id, Enrollment.delegate_id == delegate.id))
        if enrollment is not None:
            position = services.waitlist_position(enrollment)
    html = render_template(
        "schedule/session.html", forum=forum, card=card, session=session, delegate=delegate,
        enrollment=enrollment, waitlist_position=position, time_note=_time_note(forum),
        day=_day(forum, card.day), stream_url=session.stream_url or (session.hall.stream_url if session.hall else None),
        EnrollmentStatus=EnrollmentStatus)
    response = make_response(html)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _back(forum: Forum, session: Session):
    return redirect(url_for("schedule.session", slug=forum.slug, session_id=session.id))


@bp.route("/forums/<slug>/programme/<int:session_id>/enrol", methods=["POST"], endpoint="enrol")
def enrol(slug: str, session_id: int):
    forum = _public_forum(slug)
    session = _public_session(forum, session_id)
    delegate = _own_registration(forum)
    if delegate is None:
        return _to_registration(forum)
    title = session.title
    try:
        enrollment = services.enroll(session, delegate)
    except services.EnrollmentError as exc:
        flash(exc.message, "error")
    else:
        if enrollment.status == EnrollmentStatus.enrolled:
            flash(_("You have a seat in “%(title)s”.", title=title), "success")
        else:
            flash(_("“%(title)s” is full: you are number %(position)d on the waitlist. "
                    "If a seat frees up, it is yours and we will write to you.",
                    title=title, position=services.waitlist_position(enrollment) or 1), "info")
    return _back(forum, session)


@bp.route("/forums/<slug>/programme/<int:session_id>/leave", methods=["POST"], endpoint="leave")
def leave(slug: str, session_id: int):
    forum = _public_forum(slug)
    session = _public_session(forum, session_id)
    delegate = _own_registration(forum)
    if delegate is None:
        return _to_registration(forum)
    title = session.title
    try:
        services.leave(session, delegate)
    except services.EnrollmentError as exc:
        flash(exc.message, "error")
    else:
        flash(_("You have given up your place in “%(title)s”.", title=title), "success")
    return _back(forum, session)


# --- My agenda -------------------------------------------------------------------------------

@dataclass
class AgendaItem:
    card: Card
    status: EnrollmentStatus
    waitlist_position: int | None
    changes: list[str]


def _moment(forum: Forum, value: str | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(forum.tzinfo)


def _change_notes(forum: Forum, session: Session, changes) -> list[str]:
    """What the delegate has not seen yet, in words: moves and hall changes summed up, then cancellation."""
    notes = []
    moves = [c for c in changes if c.kind == "moved"]
    if moves:
        old = _moment(forum, moves[0].details.get("from"))
        new = session.starts_at.astimezone(forum.tzinfo)
        if old is not None and old != new:
            old_text = format_datetime(old, "d MMMM, HH:mm")
            new_text = format_datetime(new, "HH:mm" if old.date() == new.date() else "d MMMM, HH:mm")
            notes.append(_("Moved from %(old)s to %(new)s.", old=old_text, new=new_text))
    halls = [c for c in changes if c.kind == "hall"]
    if halls:
        # The hall it is in now is the truth (a change's recorded "to" name can be stale).
        old, new = halls[0].details.get("from"), (session.hall.name if session.hall is not None else None)
        if old != new:
            notes.append(_("Hall changed from %(old)s to %(new)s.", old=old or _("no hall"), new=new or _("no hall")))
    if session.status == SessionStatus.cancelled and any(c.kind == "cancelled" for c in changes):
        notes.append(_("Cancelled by the organizers."))
    elif any(c.kind == "restored" for c in changes):
        notes.append(_("Takes place again."))
    return notes


def _agenda_items(forum: Forum, delegate) -> list[AgendaItem]:
    items = []
    for enrollment, changes in services.agenda(delegate):
        session = enrollment.session
        if session.status == SessionStatus.draft:
            continue  # back in the organizers' drafts: not part of the public programme
        card = Card(session=session, starts=session.starts_at.astimezone(forum.tzinfo),
                    ends=session.ends_at.astimezone(forum.tzinfo), seats_left=None,
                    kind_label=session_kind_label(session.kind), title=session.title,
                    summary=_summary(session.description), people=[],
                    languages=[LANGUAGE_NAMES.get(c, c) for c in session.language_list])
        position = services.waitlist_position(enrollment)
        items.append(AgendaItem(card=card, status=enrollment.status, waitlist_position=position,
                                changes=_change_notes(forum, session, changes)))
    return items


@bp.route("/forums/<slug>/agenda", endpoint="agenda")
def agenda(slug: str):
    forum = _public_forum(slug)
    delegate = _own_registration(forum)
    if delegate is None:
        return _to_registration(forum)
    items = _agenda_items(forum, delegate)
    html = render_template("schedule/agenda.html", forum=forum, delegate=delegate, items=items,
                           days=_agenda_days(forum, items), time_note=_time_note(forum),
                           EnrollmentStatus=EnrollmentStatus)
    if any(item.changes for item in items):
        services.mark_agenda_seen(delegate)  # highlighted this once; the next visit shows them as usual
    response = make_response(html)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _agenda_days(forum: Forum, items: list[AgendaItem]) -> list[tuple[Day, list[AgendaItem]]]:
    days: dict[date, list[AgendaItem]] = {}
    for item in items:
        days.setdefault(item.card.day, []).append(item)
    return [(_day(forum, d), days[d]) for d in sorted(days)]


@bp.route("/forums/<slug>/agenda.ics", endpoint="agenda_ics")
def agenda_ics(slug: str):
    forum = _public_forum(slug)
    delegate = _own_registration(forum)
    if delegate is None:
        return _to_registration(forum)
    entries = []
    for enrollment, _changes in services.agenda(delegate):
        session = enrollment.session
        if session.status == SessionStatus.draft:
            continue
        waitlisted = enrollment.status == EnrollmentStatus.waitlisted
        summary = session.title + (" (" + _("waitlist") + ")" if waitlisted else "")
        entries.append(CalendarEntry(session=session, summary=summary,
                                     description=_describe(forum, session, people=False), tentative=waitlisted))
    body = build_calendar(forum, entries, name=f"{forum.title} — {_('My agenda')}",
                          url_for_session=_session_url)
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{forum.slug}-my-agenda.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

