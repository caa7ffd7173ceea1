from flask_smorest import Blueprint

from app.api import BEARER
from app.api.schemas import AgendaEntryOut, EnrollmentOut, ErrorSchema, SessionOut
from app.auth.access import acting_user, login_required
from app.errors import fail
from app.extensions import db
from app.forums.services import get_forum
from app.models import Session, SessionStatus
from app.registration.services import registration_for
from app.schedule import services as schedule
from app.schedule.payloads import _utc, session_payload

blp = Blueprint("api_programme", __name__, url_prefix="/api/v1", description="The programme and enrolment")


@blp.route("/forums/<slug>/sessions")
@blp.response(200, SessionOut(many=True))
@blp.alt_response(404, schema=ErrorSchema, description="No such published forum")
def list_sessions(slug: str):
    """The published programme: each session with its hall, times (UTC), seats left and people on stage."""
    forum = get_forum(slug)
    if forum is None or not forum.is_published:
        fail(404, "No such forum.")
    sessions = schedule.programme(forum)
    left = schedule.seats_left(sessions)
    return [session_payload(session, left[session.id]) for session in sessions]


def _session_and_delegate(session_id: int):
    session = db.session.get(Session, session_id)
    if session is None or session.status == SessionStatus.draft or not session.forum.is_published:
        fail(404, "No such session.")
    delegate = registration_for(acting_user(), session.forum)
    if delegate is None:
        fail(403, "Only delegates registered for this forum can enrol.", "not_registered")
    return session, delegate


@blp.route("/sessions/<int:session_id>/enrollments", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(201, EnrollmentOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="Not a confirmed delegate of this forum")
@blp.alt_response(404, schema=ErrorSchema, description="No such session")
@blp.alt_response(409, schema=ErrorSchema, description="Not open for enrolment, open to all, or overlapping")
@login_required
def enroll(session_id: int):
    """Take a seat in a limited session, or a place on its waitlist when it is full."""
    session, delegate = _session_and_delegate(session_id)
    try:
        enrollment = schedule.enroll(session, delegate)
    except schedule.EnrollmentError as exc:
        fail(exc.status, exc.message, exc.code)
    return enrollment


@blp.route("/sessions/<int:session_id>/enrollments/me", methods=["DELETE"])
@blp.doc(security=BEARER)
@blp.response(204)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(404, schema=ErrorSchema, description="No such session, or not enrolled")
@login_required
def leave(session_id: int):
    """Give up the seat (or waitlist place); the first on the waitlist moves up."""
    session, delegate = _session_and_delegate(session_id)
    try:
        schedule.leave(session, delegate)
    except schedule.EnrollmentError as exc:
        fail(exc.status, exc.message, exc.code)


@blp.route("/forums/<slug>/agenda")
@blp.doc(security=BEARER)
@blp.response(200, AgendaEntryOut(many=True))
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="Not registered for this forum")
@blp.alt_response(404, schema=ErrorSchema, description="No such published forum")
@login_required
def my_agenda(slug: str):
    """My agenda: the sessions I enrolled in (or wait for), by time, with what changed since I last looked."""
    forum = get_forum(slug)
    if forum is None or not forum.is_published:
        fail(404, "No such forum.")
    delegate = registration_for(acting_user(), forum)
    if delegate is None:
        fail(403, "Only delegates registered for this forum have an agenda.", "not_registered")
    entries = schedule.agenda(delegate)
    left = schedule.seats_left([enrollment.session for enrollment, _changes in entries])
    return [{
        "status": enrollment.status.value,
        "waitlist_position": schedule.waitlist_position(enrollment),
        "enrolled_at": _utc(enrollment.created_at),
        "session": session_payload(enrollment.session, left[enrollment.session_id]),
        "changes": [{"kind": change.kind, "at": _utc(change.at), "details": change.details} for change in changes],
    } for enrollment, changes in entries]
