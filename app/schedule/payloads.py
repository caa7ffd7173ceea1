"""A session as plain JSON-ready data: the public programme.json and the API share this shape."""
from datetime import datetime, timezone

from app.models import Session


def _utc(moment: datetime) -> str:
    """ISO 8601 in UTC with its offset, e.g. 2030-09-16T05:00:00+00:00."""
    return moment.astimezone(timezone.utc).isoformat()


def session_payload(session: Session, seats_left: int | None) -> dict:
    """One session of the programme; `seats_left` comes from services.seats_left() (None: open to all).

    Titles are in the reader's language (falling back kk → ru → en as `Session.title` does);
    times are UTC. Expects the session's hall and people loaded (services.programme() does that).
    """
    hall = session.hall
    return {
        "id": session.id,
        "kind": session.kind.value,
        "title": session.title,
        "starts_at": _utc(session.starts_at),
        "ends_at": _utc(session.ends_at),
        "hall": {"id": hall.id, "name": hall.name} if hall is not None else None,
        "capacity": session.capacity,
        "seats_left": seats_left,
        "persons": [{"name": role.person.full_name, "role": role.role.value,
                     "position": role.person.position, "organization": role.person.organization}
                    for role in session.roles],
        "languages": session.language_list,
        "interpretation": bool(session.interpretation),
        "topic": session.topic,
        "status": session.status.value,
    }
