"""Sessions as an iCalendar file (RFC 5545) that phones' calendars import.

Each session keeps one UID for life (`session-<id>@asar`), so a re-imported file updates
the event instead of duplicating it; SEQUENCE and LAST-MODIFIED follow `updated_at`, and a
cancelled session is sent as STATUS:CANCELLED so calendars strike it out. Times are UTC.
The output depends only on the data (DTSTAMP is the last change, not "now").
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timezone

from icalendar import Calendar, Event

from app.models import Forum, Session, SessionStatus

PRODID = "-//Asar//Programme//EN"


@dataclass
class CalendarEntry:
    """One session to put in the file, with the texts already in the reader's language."""

    session: Session
    summary: str
    description: str
    tentative: bool = False  # a waitlist place: the seat is not certain


def _utc(moment):
    return moment.astimezone(timezone.utc)


def location(forum: Forum, session: Session) -> str:
    parts = [session.hall.name if session.hall is not None else None, forum.venue, forum.city]
    return ", ".join(p for p in parts if p)


def sequence(session: Session) -> int:
    """Grows with every change of the session (seconds between creation and the last change)."""
    if session.updated_at is None or session.created_at is None:
        return 0
    return max(0, int((session.updated_at - session.created_at).total_seconds()))


def build_calendar(forum: Forum, entries: Iterable[CalendarEntry], *, name: str,
                   url_for_session: Callable[[Session], str] | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", forum.timezone)
    for entry in entries:
        session = entry.session
        event = Event()
        event.add("uid", f"session-{session.id}@asar")
        changed = _utc(session.updated_at or session.created_at or session.starts_at)
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("sequence", sequence(session))
        event.add("dtstart", _utc(session.starts_at))
        event.add("dtend", _utc(session.ends_at))
        event.add("summary", entry.summary)
        where = location(forum, session)
        if where:
            event.add("location", where)
        if entry.description:
            event.add("description", entry.description)
        if session.status == SessionStatus.cancelled:
            event.add("status", "CANCELLED")
        elif entry.tentative:
            event.add("status", "TENTATIVE")
        else:
            event.add("status", "CONFIRMED")
        if url_for_session is not None:
            event.add("url", url_for_session(session))
        cal.add_component(event)
    return cal.to_ical()
