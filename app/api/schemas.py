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

    id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))  # an id the database can hold
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


# ---------------------------------------------------------------- memoranda

MEMORANDUM_STATUSES = ["draft", "open", "signed", "published", "cancelled"]
UTC_TIME = {"format": "date-time", "description": "UTC"}


class Computed(fields.Function):
    """fields.Function without marshmallow's signature inspection on every call (a registry dumps thousands)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return self.serialize_func(obj)


def _memorandum_rules():
    from app.memoranda import services  # imported late: the memoranda package imports the PDF layer

    return services


class MemorandumRegistryArgs(Schema):
    """The registry's filters (as on the registry page). Unreadable values are ignored, never refused."""

    class Meta:
        unknown = EXCLUDE

    level = fields.String(metadata={"enum": ["regional", "national"]})
    sector = fields.String(metadata={"enum": [s.value for s in Sector],
                                     "description": "Memoranda with a party of this sector"})
    region = fields.String(metadata={"description": "A region's id (see the fair totals' `regions`)"})
    status = fields.String(metadata={"enum": MEMORANDUM_STATUSES,
                                     "description": "The forum's organizers only (everyone else sees published ones)"})


class MemorandumPartyOut(Schema):
    """A party: the organization and the person who signs for it."""

    organization = Computed(lambda p: p.organization.name)
    sector = Computed(lambda p: p.organization.sector.value, metadata={"enum": [s.value for s in Sector]})
    bin = Computed(lambda p: p.organization.bin, metadata={"description": "12 digits, or null"})
    signatory = fields.String(attribute="signatory_name")
    position = fields.String(attribute="signatory_position")
    signed = Computed(lambda p: _memorandum_rules().signature_of(p) is not None,
                             metadata={"description": "Signed the current version"})


class MemorandumOut(Schema):
    """A memorandum in the forum's registry."""

    id = fields.Integer()
    public_id = fields.String(metadata={"description": "In the QR code and the verification address",
                                        "example": "K7Q2M9XZ4T"})
    number = fields.String(metadata={"example": "ASAR-2017/02"})
    title = Computed(lambda m: m.tr("title"),
                            metadata={"description": "In the reader's language (Accept-Language), with fallback."})
    title_kk = fields.String(allow_none=True)
    title_ru = fields.String(allow_none=True)
    status = Computed(lambda m: m.status.value, metadata={"enum": MEMORANDUM_STATUSES})
    level = Computed(lambda m: m.level.value, metadata={"enum": ["regional", "national"]})
    region = fields.Nested(RegionSchema, allow_none=True)
    city = fields.String()
    dated = fields.Date(metadata={"description": "The memorandum's date"})
    project_id = fields.Integer(allow_none=True, metadata={"description": "The fair project it backs, if any"})
    parties = fields.List(fields.Nested(MemorandumPartyOut))
    signed_at = fields.AwareDateTime(allow_none=True, metadata={"description": "When the last party signed (UTC)"})
    published_at = fields.AwareDateTime(allow_none=True)
    verify_url = Computed(lambda m: external_url("memoranda.verify", public_id=m.public_id),
                                 metadata={"description": "The public verification page (what the QR code opens)"})
    pdf_url = Computed(lambda m: external_url("api_memoranda.memorandum_pdf", memorandum_id=m.id))


class MemorandumTextOut(Schema):
    title = fields.String(allow_none=True)
    preamble = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    term = fields.String(allow_none=True)
    final_provisions = fields.String(allow_none=True)


class MemorandumPartyDetailOut(MemorandumPartyOut):
    authority = fields.String(allow_none=True, metadata={"description": "On what authority the signatory acts"})
    sign_order = fields.Integer(allow_none=True, metadata={"description": "With an agreed signing order: 1 first"})
    obligations = Computed(lambda p: {"kk": p.obligations_kk, "ru": p.obligations_ru},
                                  metadata={"description": "This party's obligations, per language"})
    email = fields.Method("_email", metadata={"description": "The signatory's address: organizers only, else null"})

    def _email(self, party):
        return party.signatory_email if _memorandum_rules().is_organizer(acting_user(), party.memorandum.forum) \
            else None


class SignatureOut(Schema):
    """A party's signature on the current version."""

    id = fields.String(attribute="public_id", metadata={"example": "S-7Q3K9X2A"})
    party = Computed(lambda s: s.party.organization.name)
    signatory = fields.String(attribute="signer_name")
    signed_at = fields.AwareDateTime(metadata=UTC_TIME)


class MemorandumDetailOut(MemorandumOut):
    """The whole memorandum: texts per language, parties with their obligations, the current signatures."""

    languages = fields.List(fields.String(), metadata={"description": "Language versions, Kazakh first"})
    texts = Computed(lambda m: {lang: MemorandumTextOut().dump({
        section: getattr(m, f"{section}_{lang}") for section in
        ("title", "preamble", "subject", "term", "final_provisions")}) for lang in ("kk", "ru")},
        metadata={"description": "{kk: {title, preamble, subject, term, final_provisions}, ru: {…}}"})
    parties = fields.List(fields.Nested(MemorandumPartyDetailOut))
    signing_ordered = fields.Boolean(metadata={"description": "Parties sign in their sign_order"})
    version = fields.Integer(metadata={"description": "Grows when the text of an open memorandum changes"})
    sha256 = fields.String(allow_none=True, metadata={
        "description": "The hash of the canonical content frozen when opened for signing; null for a draft"})
    pdf_sha256 = fields.String(attribute="sealed_sha256", allow_none=True,
                               metadata={"description": "The hash of the sealed PDF, once every party signed"})
    signatures = Computed(lambda m: SignatureOut(many=True).dump(_memorandum_rules().signatures_shown(m)),
                                 metadata={"description": "The current version's signatures, in the parties' order"})
    waiting_for = Computed(
        lambda m: [p.organization.name for p in _memorandum_rules().next_to_sign(m)]
        if m.status.value == "open" else [],
        metadata={"description": "Open: the parties who may sign now"})
    opened_at = fields.AwareDateTime(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    you = fields.Method("_you", metadata={
        "description": "For a signatory: {party, signed, may_sign_now}; null for everyone else"})

    def _you(self, memorandum):
        rules = _memorandum_rules()
        party = rules.party_of(memorandum, acting_user())
        if party is None:
            return None
        signed = rules.signature_of(party) is not None
        return {"party": party.organization.name, "signed": signed,
                "may_sign_now": memorandum.status.value == "open" and party in rules.next_to_sign(memorandum)}


class VerificationPartyOut(Schema):
    organization = fields.String()
    sector = fields.String(metadata={"enum": [s.value for s in Sector]})
    signatory = fields.String()
    position = fields.String()


class VerificationSignatureOut(Schema):
    id = fields.String(metadata={"example": "S-7Q3K9X2A"})
    party = fields.String(metadata={"description": "The organization signed for"})
    signatory = fields.String()
    signed_at = fields.String(metadata=UTC_TIME)


class VerificationOut(Schema):
    """What anyone holding the QR code may learn. A draft reveals only its number and that it is not signed."""

    public_id = fields.String()
    number = fields.String()
    status = fields.String(metadata={"enum": MEMORANDUM_STATUSES})
    signed = fields.Boolean(metadata={"description": "Signed by every party (status signed or published)"})
    forum = fields.String(metadata={"description": "The forum's slug"})
    title = fields.String(allow_none=True, metadata={"description": "In the reader's language; null for a draft"})
    title_kk = fields.String(allow_none=True)
    title_ru = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    dated = fields.String(allow_none=True, metadata={"format": "date"})
    parties = fields.List(fields.Nested(VerificationPartyOut))
    signatures = fields.List(fields.Nested(VerificationSignatureOut),
                             metadata={"description": "The current version's signatures (voided ones are not shown)"})
    version = fields.Integer(allow_none=True)
    sha256 = fields.String(allow_none=True, metadata={"description": "The content hash; null for a draft"})
    pdf_sha256 = fields.String(allow_none=True, metadata={"description": "The sealed PDF's hash; null until signed"})
    signed_at = fields.String(allow_none=True, metadata=UTC_TIME)
    published_at = fields.String(allow_none=True, metadata=UTC_TIME)
    cancelled_at = fields.String(allow_none=True, metadata=UTC_TIME)
    verify_url = fields.String()


class SignatureIn(Schema):
    """The signing form's fields; the rules (what is missing or wrong) are the service's, answered as 422."""

    agree = fields.Boolean(load_default=False, metadata={
        "description": "true: I have read the memorandum and agree to it"})
    full_name = fields.String(load_default="", validate=validate.Length(max=200),
                              metadata={"description": "Typed exactly as in the invitation"})
    password = fields.String(load_default="", validate=validate.Length(max=200),
                             metadata={"description": "The signatory's account password"})
    sha256 = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "The hash of the version read (from GET /memoranda/{id}); a newer version gives 409 outdated"})


class SignedOut(Schema):
    id = fields.String(attribute="public_id", metadata={"description": "The signature's public id",
                                                        "example": "S-7Q3K9X2A"})
    party = Computed(lambda s: s.party.organization.name)
    signatory = fields.String(attribute="signer_name")
    signed_at = fields.AwareDateTime(metadata=UTC_TIME)
    version = fields.Integer()
    sha256 = fields.String(metadata={"description": "The hash of the text signed"})
    memorandum_id = fields.Integer()
    memorandum_status = Computed(lambda s: s.memorandum.status.value, metadata={
        "enum": MEMORANDUM_STATUSES, "description": "signed once this was the last party's signature"})


class FileCheckOut(Schema):
    result = fields.String(metadata={"enum": ["genuine", "different", "not_signed"], "description": (
        "genuine: exactly the sealed PDF; different: any other file; not_signed: the memorandum has no sealed PDF")})
    sha256 = fields.String(metadata={"description": "The uploaded file's SHA-256"})
    number = fields.String()
    status = fields.String(metadata={"enum": MEMORANDUM_STATUSES})


# ---------------------------------------------------------------- the dashboard's figures

SECTORS = [s.value for s in Sector]
ISO_UTC = {"format": "date-time", "description": "UTC, ISO 8601"}


def _per_sector(description: str):
    return fields.Dict(keys=fields.String(metadata={"enum": SECTORS}), values=fields.Integer(),
                       metadata={"description": description})


class StatsForumOut(Schema):
    slug = fields.String()
    title_kk = fields.String(allow_none=True)
    title_ru = fields.String(allow_none=True)
    starts_on = fields.String(metadata={"format": "date"})
    ends_on = fields.String(metadata={"format": "date"})
    timezone = fields.String(metadata={"example": "Asia/Almaty"})
    city = fields.String()


class StatsSectorOut(Schema):
    sector = fields.String(metadata={"enum": SECTORS})
    registered = fields.Integer()
    confirmed = fields.Integer()
    checked_in = fields.Integer()


class StatsRegionOut(Schema):
    region_id = fields.Integer(allow_none=True, metadata={"description": "null: region not given"})
    code = fields.String(allow_none=True, metadata={"example": "KZ-23"})
    registered = fields.Integer()
    checked_in = fields.Integer()


class StatsFormatOut(Schema):
    participation = fields.String(metadata={"enum": [p.value for p in Participation]})
    registered = fields.Integer()
    checked_in = fields.Integer()


class StatsOrganizationsOut(Schema):
    total = fields.Integer()
    by_sector = _per_sector("Distinct organizations of registered delegates, per sector")


class StatsDelegatesOut(Schema):
    registered = fields.Integer(metadata={"description": "Pending and confirmed (not cancelled or declined)"})
    confirmed = fields.Integer()
    pending = fields.Integer()
    declined = fields.Integer()
    cancelled = fields.Integer()
    checked_in = fields.Integer(metadata={"description": "Confirmed delegates with a check-in"})
    by_sector = fields.List(fields.Nested(StatsSectorOut), metadata={"description": "Every sector, fixed order"})
    by_region = fields.List(fields.Nested(StatsRegionOut), metadata={
        "description": "Regions with registered delegates, most first; the unknown region (null) last"})
    by_format = fields.List(fields.Nested(StatsFormatOut))
    organizations = fields.Nested(StatsOrganizationsOut)


class StatsBucketOut(Schema):
    start = fields.String(metadata=ISO_UTC)
    count = fields.Integer()


class StatsCheckinsOut(Schema):
    total = fields.Integer()
    first_at = fields.String(allow_none=True, metadata=ISO_UTC)
    last_at = fields.String(allow_none=True, metadata=ISO_UTC)
    per_15_minutes = fields.List(fields.Nested(StatsBucketOut), metadata={
        "description": "Consecutive UTC-aligned 15-minute buckets from the first check-in to the last, zeros included"})
    by_method = fields.Dict(keys=fields.String(metadata={"enum": ["scan", "manual", "api"]}), values=fields.Integer())


class StatsSessionOut(Schema):
    id = fields.Integer()
    title_kk = fields.String(allow_none=True)
    title_ru = fields.String(allow_none=True)
    kind = fields.String()
    starts_at = fields.String(metadata=ISO_UTC)
    ends_at = fields.String(metadata=ISO_UTC)
    hall = fields.String(allow_none=True)
    capacity = fields.Integer(allow_none=True, metadata={"description": "null: open to all"})
    enrolled = fields.Integer()
    waitlisted = fields.Integer()
    fill_percent = fields.Integer(allow_none=True, metadata={
        "description": "Seats taken, whole percent rounded down (null for an open session)"})


class StatsSessionsOut(Schema):
    total = fields.Integer()
    published = fields.Integer()
    cancelled = fields.Integer()
    enrolled = fields.Integer(metadata={"description": "Over all published sessions"})
    waitlisted = fields.Integer()
    items = fields.List(fields.Nested(StatsSessionOut), metadata={"description": "Published sessions by start time"})


class StatsBackerOut(Schema):
    organization = fields.String()
    sector = fields.String(metadata={"enum": SECTORS})
    confirmed_kzt = fields.Integer()
    in_kind_kzt = fields.Integer()
    projects = fields.Integer(metadata={"description": "Projects it backs with a confirmed pledge"})


class StatsFairOut(Schema):
    projects_total = fields.Integer()
    by_status = fields.Dict(keys=fields.String(metadata={"enum": [s.value for s in ProjectStatus]}),
                            values=fields.Integer())
    public = fields.Integer(metadata={"description": "Approved and later"})
    budget_kzt = fields.Integer(metadata={"description": "Of public projects"})
    pledged_kzt = fields.Integer(metadata={"description": "Money in pending and confirmed pledges"})
    confirmed_kzt = fields.Integer()
    confirmed_in_kind_kzt = fields.Integer()
    pending_kzt = fields.Integer()
    supported = fields.Integer(metadata={"description": "Projects with a confirmed pledge"})
    funded = fields.Integer(metadata={"description": "Projects whose budget is covered"})
    top_backers = fields.List(fields.Nested(StatsBackerOut), metadata={
        "description": "Up to 10, by confirmed money plus in-kind value"})


class StatsMemorandaOut(Schema):
    total = fields.Integer()
    by_status = fields.Dict(keys=fields.String(metadata={"enum": MEMORANDUM_STATUSES}), values=fields.Integer())
    signed_total = fields.Integer(metadata={"description": "Signed and published: the figure the press reports"})
    by_level = fields.Dict(keys=fields.String(metadata={"enum": ["regional", "national"]}), values=fields.Integer(),
                           metadata={"description": "Of signed and published memoranda"})
    parties = fields.Integer(metadata={
        "description": "Distinct organizations party to a signed or published memorandum"})


class StatsOut(Schema):
    forum = fields.Nested(StatsForumOut)
    generated_at = fields.String(metadata=ISO_UTC)
    delegates = fields.Nested(StatsDelegatesOut)
    checkins = fields.Nested(StatsCheckinsOut)
    sessions = fields.Nested(StatsSessionsOut)
    fair = fields.Nested(StatsFairOut)
    memoranda = fields.Nested(StatsMemorandaOut)
