import sqlalchemy as sa
from app.errors import fail
from flask_smorest import Blueprint

from app.api import BEARER
from app.api.schemas import ErrorSchema, RegistrationIn, RegistrationOut
from app.auth.access import acting_user
from app.extensions import db, limiter
from app.forums.services import get_forum
from app.models import Delegate, ForumRole, ForumStatus, Region
from app.pdf_response import pdf_response
from app.registration import services
from app.registration.badges import badge_pdf

blp = Blueprint("api_registrations", __name__, url_prefix="/api/v1", description="Delegates' registrations")


def _input(data: dict) -> services.RegistrationInput:
    region_id = None
    if data.get("region"):
        region_id = db.session.scalar(sa.select(Region.id).where(Region.code == data["region"]))
        if region_id is None:
            fail(422, f"Unknown region code {data['region']!r}; use ISO 3166-2:KZ, e.g. KZ-23.")
    org = data.get("organization") or {}
    return services.RegistrationInput(
        full_name=data["full_name"], email=data["email"], sector=data["sector"], consent=data["consent"],
        phone=data.get("phone"), position=data.get("position"), region_id=region_id,
        participation=data["participation"], language=data["language"],
        accessibility_needs=data.get("accessibility_needs"), organization_id=org.get("id"),
        organization_name=org.get("name"), organization_bin=org.get("bin"),
    )


@blp.route("/forums/<slug>/registrations", methods=["POST"])
@limiter.limit(services.registration_limit)
@blp.arguments(RegistrationIn)
@blp.response(201, RegistrationOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such published forum")
@blp.alt_response(409, schema=ErrorSchema, description="Registration closed, or this email is already registered")
@blp.alt_response(422, schema=ErrorSchema, description="Invalid input (e.g. no consent)")
def register(data, slug: str):
    """Register a delegate, by the same rules as the form. The badge token comes once confirmed."""
    forum = get_forum(slug)
    if forum is None or forum.status == ForumStatus.draft:
        fail(404, "No such forum.")
    try:
        delegate, created = services.register(forum, _input(data))
    except services.RegistrationError as exc:
        fail(exc.status, exc.message, exc.code, field=exc.field)
    if not created:
        services.notify(delegate)  # the address's owner gets the link; the caller learns nothing more
        fail(409, "This email is already registered for this forum; a letter with a link "
                               "to the registration has been sent to it.", code="already_registered")
    return delegate


def _visible_registration(registration_id: int) -> Delegate:
    """The delegate themself or the forum's staff; anyone else sees nothing (404, not 403)."""
    user = acting_user()
    if user is None:
        fail(401, "A valid bearer token is required.")
    delegate = db.session.get(Delegate, registration_id)
    if delegate is None:
        fail(404, "No such registration.")
    if delegate.user_id != user.id and not user.has_forum_role(delegate.forum, ForumRole.organizer, ForumRole.checkin):
        fail(404, "No such registration.")
    return delegate


@blp.route("/registrations/<int:registration_id>")
@blp.doc(security=BEARER)
@blp.response(200, RegistrationOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(404, schema=ErrorSchema, description="No such registration, or not yours")
def get_registration(registration_id: int):
    """One registration: its delegate or the forum's staff."""
    return _visible_registration(registration_id)


@blp.route("/registrations/<int:registration_id>/badge.pdf")
@blp.doc(security=BEARER, responses={"200": {"description": "The A6 badge",
                                               "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(404, schema=ErrorSchema, description="No such registration, or not yours")
@blp.alt_response(409, schema=ErrorSchema, description="Not confirmed: no badge yet")
def get_badge(registration_id: int):
    """The badge PDF with its QR code: the delegate or the forum's staff."""
    delegate = _visible_registration(registration_id)
    if not delegate.is_confirmed:
        fail(409, "The registration is not confirmed, so it has no badge.", code="not_confirmed")
    return pdf_response(badge_pdf(delegate), f"badge-{delegate.forum.slug}-{delegate.id}.pdf")
