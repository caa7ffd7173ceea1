"""Shapes of the API's answers, shared by the blueprints and the OpenAPI document."""
from marshmallow import EXCLUDE, Schema, fields, validate

from app.auth.access import acting_user
from app.fair import services as fair_rules
from app.i18n import project_category_label
from app.models import Participation, PledgeStatus, ProjectCategory, ProjectStatus, Sector
from app.registration.services import badge_token_for
from app.schedule.services import waitlist_position
from app.urls import external_url


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


# ---------------------------------------------------------------- the ideas fair

MONEY = {"description": "Whole tenge (KZT), an integer", "example": 2000000}


def _money(**kwargs):
    """Money in: a JSON integer only (no 1.5, no "100", no true), 1 … 10^12 tenge."""
    return fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=10**12),
                          metadata=MONEY, **kwargs)


class FairCatalogueArgs(Schema):
    """The catalogue's filters. Unreadable values are ignored, never refused (like the catalogue page)."""

    class Meta:
        unknown = EXCLUDE

    category = fields.String(metadata={"enum": [c.value for c in ProjectCategory]})
    region = fields.String(metadata={"description": "A region's id (see the totals' `regions`)"})
    funding = fields.String(metadata={"enum": ["seeking", "supported", "funded"]})
    budget_min = fields.String(metadata={"description": "Whole tenge"})
    budget_max = fields.String(metadata={"description": "Whole tenge"})
    q = fields.String(metadata={"description": "Words to find in titles, summaries, settlement, organization"})
    sort = fields.String(metadata={"enum": ["newest", "most_needed", "closest"]})
    page = fields.String(metadata={"description": "1, 2, …"})
    per_page = fields.String(metadata={"description": "1–100 (24 by default)"})


class FairOrganizationRef(Schema):
    id = fields.Integer()
    name = fields.String()
    sector = fields.Function(lambda org: org.sector.value)


class FairProjectOut(Schema):
    """A public fair project with its funding. Money is whole tenge; only NGO-confirmed pledges count."""

    id = fields.Integer()
    title = fields.String(metadata={"description": "In the reader's language (Accept-Language), with fallback."})
    title_kk = fields.String(allow_none=True)
    title_ru = fields.String(allow_none=True)
    summary = fields.String()
    category = fields.Function(lambda p: p.category.value,
                               metadata={"enum": [c.value for c in ProjectCategory]})
    category_label = fields.Function(lambda p: project_category_label(p.category))
    region = fields.Nested(RegionSchema, allow_none=True)
    settlement = fields.String(allow_none=True)
    organization = fields.Nested(FairOrganizationRef, allow_none=True)
    budget_kzt = fields.Integer(metadata=MONEY)
    confirmed_kzt = fields.Integer(metadata={"description": "Confirmed money, whole tenge"})
    in_kind_kzt = fields.Integer(attribute="confirmed_in_kind_kzt",
                                 metadata={"description": "Confirmed in-kind support's estimated value"})
    covered_kzt = fields.Integer(metadata={"description": "confirmed_kzt + in_kind_kzt"})
    needed_kzt = fields.Integer(metadata={"description": "What is still missing (0 once funded)"})
    pending_kzt = fields.Integer(metadata={"description": "Money offered but not yet confirmed (never counted)"})
    progress_percent = fields.Integer(metadata={"description": "0–100, rounded down"})
    backers_count = fields.Integer()
    status = fields.Function(lambda p: p.status.value, metadata={"enum": [s.value for s in ProjectStatus]})
    booth = fields.String(allow_none=True)
    is_winner = fields.Boolean()
    approved_at = fields.AwareDateTime(allow_none=True)
    url = fields.Function(lambda p: external_url("fair.project", slug=p.forum.slug, project_id=p.id),
                          metadata={"description": "The project's page (what the booth poster's QR code opens)"})


class FairBackerOut(Schema):
    name = fields.String(attribute="backer_name")
    amount_kzt = fields.Integer(allow_none=True)
    in_kind = fields.String(allow_none=True)
    in_kind_value_kzt = fields.Integer(allow_none=True)
    confirmed_at = fields.AwareDateTime(attribute="decided_at", allow_none=True)


class FairAttachmentOut(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()


class FairProjectDetailOut(FairProjectOut):
    """Everything a business needs to decide; contacts and the review comment only for those who may see them."""

    summary_kk = fields.String(allow_none=True)
    summary_ru = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    beneficiaries = fields.String(allow_none=True)
    beneficiaries_count = fields.Integer(allow_none=True)
    budget_breakdown = fields.String(allow_none=True)
    duration_months = fields.Integer(allow_none=True)
    contact = fields.Method("_contact", metadata={
        "description": "name, phone, email: for confirmed delegates of the forum, the NGO and organizers; else null"})
    review_comment = fields.Method("_review_comment", metadata={
        "description": "Why it was returned or rejected: for the NGO and organizers only"})
    attachments = fields.List(fields.Nested(FairAttachmentOut))
    backers = fields.Method("_backers", metadata={"description": "Confirmed pledges: the businesses credited"})

    @staticmethod
    def _insider(project) -> bool:
        user = acting_user()
        return fair_rules.is_owner(user, project) or fair_rules.is_organizer(user, project.forum)

    def _contact(self, project):
        delegate = fair_rules.delegate_of(acting_user(), project.forum)
        if self._insider(project) or (delegate is not None and delegate.is_confirmed):
            return {"name": project.contact_name, "phone": project.contact_phone, "email": project.contact_email}
        return None

    def _review_comment(self, project):
        return project.review_comment if self._insider(project) else None

    def _backers(self, project):
        return FairBackerOut(many=True).dump(fair_rules.confirmed_backers(project))


class PledgeIn(Schema):
    amount_kzt = _money()
    in_kind = fields.String(allow_none=True, validate=validate.Length(max=2000),
                            metadata={"description": "What the business gives in kind (equipment, premises …)"})
    in_kind_value_kzt = _money()
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))


class PledgeDecisionIn(Schema):
    note = fields.String(allow_none=True, validate=validate.Length(max=2000),
                         metadata={"description": "An optional word to the business"})


class PledgeOut(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    organization = fields.Nested(FairOrganizationRef, allow_none=True)
    amount_kzt = fields.Integer(allow_none=True, metadata=MONEY)
    in_kind = fields.String(allow_none=True)
    in_kind_value_kzt = fields.Integer(allow_none=True)
    value_kzt = fields.Integer(metadata={"description": "amount_kzt + in_kind_value_kzt"})
    comment = fields.String(allow_none=True)
    status = fields.Function(lambda p: p.status.value, metadata={"enum": [s.value for s in PledgeStatus]})
    decision_note = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)


class FairSummaryOut(Schema):
    projects = fields.Integer(metadata={"description": "Public (approved and on) projects"})
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    supported = fields.Integer(metadata={"description": "With at least one confirmed pledge"})
    funded = fields.Integer()
    budget_kzt = fields.Integer()
    confirmed_kzt = fields.Integer()
    confirmed_in_kind_kzt = fields.Integer()
    covered_kzt = fields.Integer()
    pending_kzt = fields.Integer()
    pledges = fields.Integer(metadata={"description": "Confirmed pledges"})
    backers = fields.Integer(metadata={"description": "Organizations with a confirmed pledge"})


class FairRegionTotalOut(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"example": "KZ-23"})
    name = fields.String()
    projects = fields.Integer()
    supported = fields.Integer()
    budget_kzt = fields.Integer()
    confirmed_kzt = fields.Integer()
    in_kind_kzt = fields.Integer()


class FairCategoryTotalOut(Schema):
    category = fields.String(metadata={"enum": [c.value for c in ProjectCategory]})
    label = fields.String()
    projects = fields.Integer()
    supported = fields.Integer()
    budget_kzt = fields.Integer()
    confirmed_kzt = fields.Integer()
    in_kind_kzt = fields.Integer()


class FairTotalsOut(Schema):
    totals = fields.Nested(FairSummaryOut)
    regions = fields.List(fields.Nested(FairRegionTotalOut), metadata={"description": "Every region, zeros included"})
    categories = fields.List(fields.Nested(FairCategoryTotalOut))
