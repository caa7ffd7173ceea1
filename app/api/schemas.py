"""Shapes of the API's answers, shared by the blueprints and the OpenAPI document."""
from marshmallow import Schema, fields, validate

from app.models import Participation, Sector
from app.registration.services import badge_token_for
from app.schedule.services import waitlist_position


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class RegionSchema(Schema):
    code = fields.String(metadata={"example": "KZ-23"})
    name = fields.String()


class TitlesSchema(Schema):
    kk = fields.String(allow_none=True, attribute="title_kk")
    ru = fields.String(allow_none=True, attribute="title_ru")
    en = fields.String(allow_none=True, attribute="title_en")


class RegistrationWindowSchema(Schema):
    opens_at = fields.AwareDateTime(allow_none=True, attribute="registration_opens_at")
    closes_at = fields.AwareDateTime(allow_none=True, attribute="registration_closes_at")
    open = fields.Method("is_open")

    def is_open(self, forum) -> bool:
        return forum.registration_open()


class HallSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    capacity = fields.Integer(allow_none=True)
    floor = fields.String(allow_none=True)
    stream_url = fields.String(allow_none=True)


class ForumSchema(Schema):
    slug = fields.String(metadata={"example": "asar-atyrau"})
    title = fields.String(metadata={"description": "In the reader's language (Accept-Language), with fallback."})
    titles = fields.Function(lambda forum: TitlesSchema().dump(forum))
    city = fields.String()
    venue = fields.String(allow_none=True)
    region = fields.Nested(RegionSchema, allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    timezone = fields.String(metadata={"example": "Asia/Almaty"})
    status = fields.Function(lambda forum: forum.status.value)
    registration = fields.Function(lambda forum: RegistrationWindowSchema().dump(forum))


class ForumDetailSchema(ForumSchema):
    description = fields.String()
    halls = fields.List(fields.Nested(HallSchema))


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    language = fields.String()
    role = fields.Function(lambda user: user.role.value)
    forum_roles = fields.Function(
        lambda user: [{"forum": fr.forum.slug, "role": fr.role.value} for fr in user.forum_roles]
    )


class OrganizationRef(Schema):
    """Pick a known organization by `id`, or name a new one (with an optional BIN)."""

    id = fields.Integer()
    name = fields.String(validate=validate.Length(max=300))
    bin = fields.String(validate=validate.Length(max=12))


class RegistrationIn(Schema):
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    phone = fields.String(validate=validate.Length(max=40), allow_none=True)
    position = fields.String(validate=validate.Length(max=200), allow_none=True)
    sector = fields.String(required=True, validate=validate.OneOf([s.value for s in Sector]))
    region = fields.String(allow_none=True, metadata={"description": "ISO 3166-2:KZ code, e.g. KZ-23", "example": "KZ-23"})
    participation = fields.String(load_default="in_person", validate=validate.OneOf([p.value for p in Participation]))
    language = fields.String(load_default="ru", validate=validate.OneOf(["kk", "ru", "en"]))
    accessibility_needs = fields.String(validate=validate.Length(max=2000), allow_none=True)
    consent = fields.Boolean(required=True, metadata={"description": "Consent to the processing of personal data; must be true."})
    organization = fields.Nested(OrganizationRef, allow_none=True)


class OrganizationOut(Schema):
    id = fields.Integer()
    name = fields.String()
    sector = fields.Function(lambda org: org.sector.value)
    bin = fields.String(allow_none=True)


class RegistrationOut(Schema):
    id = fields.Integer()
    forum = fields.Function(lambda d: d.forum.slug)
    status = fields.Function(lambda d: d.status.value)
    full_name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    organization = fields.Nested(OrganizationOut, allow_none=True)
    sector = fields.Function(lambda d: d.sector.value)
    region = fields.Function(lambda d: d.region.code if d.region else None)
    participation = fields.Function(lambda d: d.participation.value)
    language = fields.String()
    accessibility_needs = fields.String(allow_none=True)
    consent_given_at = fields.AwareDateTime()
    created_at = fields.AwareDateTime()
    checked_in_at = fields.Function(lambda d: d.checkin.checked_in_at.isoformat() if d.checkin else None)
    badge_token = fields.Function(
        lambda d: badge_token_for(d),
        metadata={"description": "The signed QR payload; present once the registration is confirmed."})


class CheckInIn(Schema):
    token = fields.String(required=True, validate=validate.Length(max=500))


class ScanOut(Schema):
    result = fields.String(metadata={"enum": ["checked_in", "already_checked_in", "invalid", "not_confirmed"]})
    reason = fields.String(allow_none=True)
    message = fields.String()
    delegate = fields.Dict(allow_none=True)
    checkin_id = fields.Integer(allow_none=True)
    checked_in_at = fields.String(allow_none=True)
    checked_in_at_local = fields.String(allow_none=True)
    checked_in_by = fields.String(allow_none=True)


class EnrollmentOut(Schema):
    session_id = fields.Integer()
    status = fields.Function(lambda e: e.status.value, metadata={"enum": ["enrolled", "waitlisted"]})
    created_at = fields.AwareDateTime()
    waitlist_position = fields.Function(
        lambda e: waitlist_position(e), metadata={"description": "1 for the first in the queue; null when seated"})


class HallRef(Schema):
    id = fields.Integer()
    name = fields.String()


class PersonOnStage(Schema):
    name = fields.String()
    role = fields.String(metadata={"enum": ["speaker", "moderator", "panelist"]})
    position = fields.String(allow_none=True)
    organization = fields.String(allow_none=True)


class SessionOut(Schema):
    """A session of the public programme (the dict from app/schedule/payloads.py)."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["plenary", "panel", "master_class", "seminar", "round_table",
                                            "conference", "ceremony", "other"]})
    title = fields.String(metadata={"description": "In the reader's language (Accept-Language), with fallback."})
    starts_at = fields.String(metadata={"format": "date-time", "description": "UTC"})
    ends_at = fields.String(metadata={"format": "date-time", "description": "UTC"})
    hall = fields.Nested(HallRef, allow_none=True)
    capacity = fields.Integer(allow_none=True, metadata={"description": "null: open to everyone"})
    seats_left = fields.Integer(allow_none=True)
    persons = fields.List(fields.Nested(PersonOnStage))
    languages = fields.List(fields.String())
    interpretation = fields.Boolean()
    topic = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["published", "cancelled"]})


class AgendaChange(Schema):
    kind = fields.String(metadata={"enum": ["moved", "hall", "cancelled", "restored"]})
    at = fields.String(metadata={"format": "date-time", "description": "UTC"})
    details = fields.Dict()


class AgendaEntryOut(Schema):
    status = fields.String(metadata={"enum": ["enrolled", "waitlisted"]})
    waitlist_position = fields.Integer(allow_none=True)
    enrolled_at = fields.String(metadata={"format": "date-time", "description": "UTC"})
    session = fields.Nested(SessionOut)
    changes = fields.List(fields.Nested(AgendaChange),
                          metadata={"description": "What changed since the delegate last looked at their agenda"})
