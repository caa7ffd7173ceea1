"""The rules of memoranda of cooperation, callable without a request.

A memorandum is drafted by the forum's organizers, opened for signing (its text frozen and
hashed), signed online by each party's invited signatory, sealed as a PDF when the last
party signs, and published in the forum's registry. Changing an open memorandum's text
makes a new version and voids the signatures given so far; nothing is ever deleted.
"""
import hashlib
import json
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (FairProject, Forum, ForumRole, Memorandum, MemorandumLevel, MemorandumRevision,
                        MemorandumStatus, Organization, Party, ProjectStatus, Region, Sector, Signature, User,
                        is_valid_bin, record, utcnow)

MIN_PARTIES = 2
MAX_PARTIES = 12
INVITATION_MAX_AGE = 60 * 60 * 24 * 60  # two months: memoranda are often signed weeks after the forum
PUBLIC_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
EDITABLE = (MemorandumStatus.draft, MemorandumStatus.open)
SIGNED = (MemorandumStatus.signed, MemorandumStatus.published)
LIMITS = {"title": 300, "city": 100, "organization_name": 300, "signatory_name": 200, "signatory_email": 254,
          "signatory_position": 200, "authority": 300}
TEXT_LIMIT = 20_000


class MemorandumError(Exception):
    """A memorandum rule was broken; `field` names the form field, `code` is for the API."""

    def __init__(self, message: str, code: str = "invalid", status: int = 422, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field = field


@dataclass
class PartyInput:
    organization_name: str = ""
    sector: str = "ngo"
    bin: str | None = None
    signatory_name: str = ""
    signatory_email: str = ""
    signatory_position: str = ""
    authority: str | None = None
    obligations_kk: str | None = None
    obligations_ru: str | None = None
    sign_order: int | None = None


@dataclass
class MemorandumInput:
    title_kk: str | None = None
    title_ru: str | None = None
    preamble_kk: str | None = None
    preamble_ru: str | None = None
    subject_kk: str | None = None
    subject_ru: str | None = None
    term_kk: str | None = None
    term_ru: str | None = None
    final_provisions_kk: str | None = None
    final_provisions_ru: str | None = None
    level: str = "regional"
    region_id: int | None = None
    city: str = ""
    dated: date | None = None
    project_id: int | None = None
    signing_ordered: bool = False
    parties: list[PartyInput] = field(default_factory=list)


# ---------------------------------------------------------------- who is who


def is_organizer(user: User | None, forum: Forum) -> bool:
    return user is not None and user.has_forum_role(forum, ForumRole.organizer)


def party_of(memorandum: Memorandum, user: User | None) -> Party | None:
    """The party this user signs for (bound through the invitation), if any."""
    if user is None:
        return None
    return next((p for p in memorandum.parties if p.user_id == user.id), None)


def may_see(user: User | None, memorandum: Memorandum) -> bool:
    """The full text and the PDF: organizers and signatories always; everyone once published."""
    return (memorandum.status == MemorandumStatus.published or is_organizer(user, memorandum.forum)
            or party_of(memorandum, user) is not None)


# ---------------------------------------------------------------- reading


def get(memorandum_id: int) -> Memorandum | None:
    return db.session.get(Memorandum, memorandum_id)


def by_public_id(public_id: str) -> Memorandum | None:
    if not public_id or len(public_id) > 20:
        return None
    return db.session.scalar(sa.select(Memorandum).where(Memorandum.public_id == public_id.strip().upper())
                             .options(selectinload(Memorandum.parties).joinedload(Party.organization),
                                      selectinload(Memorandum.signatures)))


def of_forum(forum: Forum, status: MemorandumStatus | None = None) -> list[Memorandum]:
    query = sa.select(Memorandum).where(Memorandum.forum_id == forum.id).options(
        selectinload(Memorandum.parties).joinedload(Party.organization), selectinload(Memorandum.signatures))
    if status is not None:
        query = query.where(Memorandum.status == status)
    return list(db.session.scalars(query.order_by(Memorandum.sequence)))


@dataclass
class RegistryQuery:
    level: str | None = None
    sector: str | None = None
    region_id: int | None = None

    @classmethod
    def from_args(cls, args) -> "RegistryQuery":
        """From a query string; anything unreadable is ignored (a registry never answers 4xx to a filter)."""
        level = args.get("level") or None
        sector = args.get("sector") or None
        try:
            region_id = int(args.get("region") or 0) or None
        except ValueError:
            region_id = None
        return cls(level=level if level in MemorandumLevel.__members__ else None,
                   sector=sector if sector in Sector.__members__ else None,
                   region_id=region_id if region_id and 0 < region_id < 2**31 else None)


def registry(forum: Forum, query: RegistryQuery | None = None, *,
             statuses: tuple[MemorandumStatus, ...] | None = (MemorandumStatus.published,)) -> list[Memorandum]:
    """The forum's published memoranda, the list the press counts ("10 memoranda signed").

    Organizers (the API's `?status=`) pass other `statuses`, or None for every one.
    """
    query = query or RegistryQuery()
    select = sa.select(Memorandum).where(Memorandum.forum_id == forum.id)
    if statuses is not None:
        select = select.where(Memorandum.status.in_(statuses))
    if query.level:
        select = select.where(Memorandum.level == MemorandumLevel(query.level))
    if query.region_id:
        select = select.where(Memorandum.region_id == query.region_id)
    if query.sector:
        select = select.where(Memorandum.id.in_(
            sa.select(Party.memorandum_id).join(Organization, Party.organization_id == Organization.id)
            .where(Organization.sector == Sector(query.sector))))
    select = select.options(selectinload(Memorandum.parties).joinedload(Party.organization),
                            selectinload(Memorandum.signatures), joinedload(Memorandum.region))
    return list(db.session.scalars(select.order_by(Memorandum.sequence)))


def signed_count(forum: Forum) -> int:
    """Memoranda signed by every party (published or not yet): the figure reported after the forum."""
    return db.session.scalar(sa.select(sa.func.count(Memorandum.id)).where(
        Memorandum.forum_id == forum.id, Memorandum.status.in_(SIGNED))) or 0


def waiting_for(user: User) -> list[tuple[Memorandum, Party]]:
    """Memoranda open for signing in which this user signs for a party that has not signed this version."""
    parties = db.session.scalars(
        sa.select(Party).join(Memorandum, Party.memorandum_id == Memorandum.id)
        .where(Party.user_id == user.id, Memorandum.status == MemorandumStatus.open)
        .options(joinedload(Party.memorandum).selectinload(Memorandum.signatures), joinedload(Party.organization)))
    return [(p.memorandum, p) for p in parties if signature_of(p) is None]


def signature_of(party: Party) -> Signature | None:
    """The party's valid signature on the memorandum's current version."""
    memorandum = party.memorandum
    return next((s for s in memorandum.signatures
                 if s.party_id == party.id and s.version == memorandum.version and s.voided_at is None), None)


def next_to_sign(memorandum: Memorandum) -> list[Party]:
    """Who may sign now: everyone unsigned, or with a signing order only those whose turn it is."""
    unsigned = [p for p in memorandum.parties if signature_of(p) is None]
    if not memorandum.signing_ordered or not unsigned:
        return unsigned
    first = min(_order(p) for p in unsigned)
    return [p for p in unsigned if _order(p) == first]


def _order(party: Party) -> int:
    return party.sign_order if party.sign_order is not None else 1000 + party.position


# ---------------------------------------------------------------- the hash


def canonical_content(memorandum: Memorandum) -> str:
    """Everything the parties agree to, as JSON with sorted keys: the hash is taken of exactly this."""
    content = {
        "number": memorandum.number,
        "level": memorandum.level.value,
        "region": memorandum.region.code if memorandum.region else None,
        "city": memorandum.city,
        "date": memorandum.dated.isoformat(),
        "signing_ordered": memorandum.signing_ordered,
        "texts": {lang: {section: getattr(memorandum, f"{section}_{lang}") or ""
                         for section in ("title", "preamble", "subject", "term", "final_provisions")}
                  for lang in ("kk", "ru")},
        "parties": [{
            "organization": party.organization.name,
            "bin": party.organization.bin,
            "sector": party.organization.sector.value,
            "signatory": party.signatory_name,
            "email": party.signatory_email,
            "position": party.signatory_position,
            "authority": party.authority or "",
            "sign_order": party.sign_order,
            "obligations": {"kk": party.obligations_kk or "", "ru": party.obligations_ru or ""},
        } for party in sorted(memorandum.parties, key=lambda p: p.position)],
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(memorandum: Memorandum) -> str:
    return hashlib.sha256(canonical_content(memorandum).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- drafting


def _text(value, limit: int, name: str) -> str | None:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if len(value) > limit:
        raise MemorandumError(_("At most %(num)d characters.", num=limit), field=name)
    return value or None


def _public_id(model, length: int, prefix: str = "") -> str:
    while True:
        candidate = prefix + "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(length))
        if db.session.scalar(sa.select(model.id).where(model.public_id == candidate)) is None:
            return candidate


def number_prefix(forum: Forum) -> str:
    """"ASAR-2017" for the demo forum: the first word of the slug and the forum's year."""
    word = "".join(ch for ch in forum.slug.split("-")[0] if ch.isalnum()).upper()[:12] or "M"
    return f"{word}-{forum.starts_on.year}"


def _clean(forum: Forum, data: MemorandumInput) -> dict:
    values = {}
    for section, limit in (("title", 300), ("preamble", TEXT_LIMIT), ("subject", TEXT_LIMIT), ("term", TEXT_LIMIT),
                           ("final_provisions", TEXT_LIMIT)):
        for lang in ("kk", "ru"):
            name = f"{section}_{lang}"
            values[name] = _text(getattr(data, name), limit, name)
    if not (values["title_kk"] or values["title_ru"]):
        raise MemorandumError(_("Give the memorandum's title in Kazakh or Russian."), field="title_ru")
    for lang in ("kk", "ru"):
        if values[f"title_{lang}"] and not values[f"subject_{lang}"]:
            raise MemorandumError(_("A language version needs its subject: what the parties agree to do."),
                                  field=f"subject_{lang}")
        if values[f"subject_{lang}"] and not values[f"title_{lang}"]:
            raise MemorandumError(_("A language version needs its title."), field=f"title_{lang}")
    if data.level not in MemorandumLevel.__members__:
        raise MemorandumError(_("Choose the level: regional or national."), field="level")
    values["level"] = MemorandumLevel(data.level)
    if data.region_id in (None, "", 0):
        values["region_id"] = None
    else:
        try:
            region_id = int(data.region_id)
        except (TypeError, ValueError):
            region_id = None
        if region_id is None or not 0 < region_id < 2**31 or db.session.get(Region, region_id) is None:
            raise MemorandumError(_("Choose a region from the list."), field="region_id")
        values["region_id"] = region_id
    values["city"] = _text(data.city, 100, "city")
    if not values["city"]:
        raise MemorandumError(_("Say in which city the memorandum is signed."), field="city")
    if not isinstance(data.dated, date):
        raise MemorandumError(_("Give the memorandum's date."), field="dated")
    values["dated"] = data.dated
    values["signing_ordered"] = bool(data.signing_ordered)
    values["project_id"] = None
    if data.project_id not in (None, "", 0):
        project = db.session.get(FairProject, int(data.project_id)) if str(data.project_id).isdigit() else None
        if project is None or project.forum_id != forum.id:
            raise MemorandumError(_("Choose a project of this forum's fair."), field="project_id")
        values["project_id"] = project.id
    return values


def _clean_parties(parties: list[PartyInput], ordered: bool) -> list[dict]:
    if len(parties) < MIN_PARTIES:
        raise MemorandumError(_("A memorandum has at least two parties."), field="parties")
    if len(parties) > MAX_PARTIES:
        raise MemorandumError(_("A memorandum has at most %(num)d parties.", num=MAX_PARTIES), field="parties")
    cleaned, names, emails, bins = [], set(), set(), set()
    for index, party in enumerate(parties):
        prefix = f"parties-{index}-"
        values = {name: _text(getattr(party, name), limit, prefix + name) for name, limit in LIMITS.items()
                  if name not in ("title", "city")}
        values["obligations_kk"] = _text(party.obligations_kk, TEXT_LIMIT, prefix + "obligations_kk")
        values["obligations_ru"] = _text(party.obligations_ru, TEXT_LIMIT, prefix + "obligations_ru")
        for name, message in (("organization_name", _("Name the organization.")),
                              ("signatory_name", _("Name the person who signs for this party.")),
                              ("signatory_position", _("Give the signatory's position.")),
                              ("signatory_email", _("Give the signatory's email: the invitation to sign goes there."))):
            if not values[name]:
                raise MemorandumError(message, field=prefix + name)
        email = User.normalize_email(values["signatory_email"])
        if "@" not in email or "." not in email.split("@")[-1] or " " in email:
            raise MemorandumError(_("Enter a valid email address."), field=prefix + "signatory_email")
        values["signatory_email"] = email
        if party.sector not in Sector.__members__:
            raise MemorandumError(_("Choose the organization's sector."), field=prefix + "sector")
        values["sector"] = Sector(party.sector)
        bin_ = (party.bin or "").strip() or None
        if bin_ is not None and not is_valid_bin(bin_):
            raise MemorandumError(_("A BIN is 12 digits with a valid check digit."), field=prefix + "bin")
        values["bin"] = bin_
        key = " ".join(values["organization_name"].casefold().split())
        if key in names:
            raise MemorandumError(_("Each organization is a party only once."), field=prefix + "organization_name")
        names.add(key)
        if bin_ is not None and bin_ in bins:
            raise MemorandumError(_("Each organization is a party only once."), field=prefix + "bin")
        bins.add(bin_)
        if email in emails:
            raise MemorandumError(_("Each party has its own signatory."), field=prefix + "signatory_email")
        emails.add(email)
        order = party.sign_order
        if ordered and order is not None and not (isinstance(order, int) and 1 <= order <= MAX_PARTIES):
            raise MemorandumError(_("The signing order is a number from 1 to %(num)d.", num=MAX_PARTIES),
                                  field=prefix + "sign_order")
        values["sign_order"] = order if ordered else None
        cleaned.append(values)
    return cleaned


def _organization(values: dict) -> Organization:
    if values["bin"]:
        org = db.session.scalar(sa.select(Organization).where(Organization.bin == values["bin"]))
        if org is not None:
            return org
    key = " ".join(values["organization_name"].casefold().split())
    org = db.session.scalar(sa.select(Organization).where(Organization.name_key == key).limit(1))
    if org is None:
        org = Organization(name=values["organization_name"], sector=values["sector"], bin=values["bin"])
        db.session.add(org)
        db.session.flush()
    return org


def _apply_parties(memorandum: Memorandum, cleaned: list[dict]) -> None:
    """Replace the parties. An organization that stays keeps its party (and the history of its signatures);
    the party's bound signatory is kept only while the same person (email) still signs for it."""
    organizations = [_organization(values) for values in cleaned]
    seen = set()
    for index, org in enumerate(organizations):
        if org.id in seen:  # two names or BINs that lead to one organization already registered
            db.session.rollback()
            raise MemorandumError(_("Each organization is a party only once."),
                                  field=f"parties-{index}-organization_name")
        seen.add(org.id)
    previous = {p.organization_id: p for p in memorandum.parties}
    parties = []
    for position, (org, values) in enumerate(zip(organizations, cleaned)):
        party = previous.pop(org.id, None) or Party(organization=org)
        if party.signatory_email is not None and party.signatory_email != values["signatory_email"]:
            party.user_id = None  # a new signatory: the old account no longer signs, the old invitation is dead
            party.invited_at = None
        party.position = position
        for name in ("signatory_name", "signatory_email", "signatory_position", "authority", "obligations_kk",
                     "obligations_ru", "sign_order"):
            setattr(party, name, values[name])
        parties.append(party)
    removed_signed = [p for p in previous.values() if any(s.party_id == p.id for s in memorandum.signatures)]
    if removed_signed:  # its signatures are part of the memorandum's history: never deleted
        name = removed_signed[0].organization.name
        db.session.rollback()
        raise MemorandumError(_("%(organization)s has signed a version of this memorandum and cannot be removed. "
                                "Cancel the memorandum and prepare a new one instead.", organization=name),
                              "party_signed", 409, "parties")
    memorandum.parties = parties
    db.session.flush()


def create(forum: Forum, actor: User, data: MemorandumInput) -> Memorandum:
    """An organizer drafts a memorandum; it gets the forum's next number."""
    if not is_organizer(actor, forum):
        raise MemorandumError(_("Only the forum's organizers prepare memoranda."), "forbidden", 403)
    values = _clean(forum, data)
    cleaned = _clean_parties(data.parties, values["signing_ordered"])
    for attempt in range(5):
        sequence = (db.session.scalar(sa.select(sa.func.max(Memorandum.sequence))
                                      .where(Memorandum.forum_id == forum.id)) or 0) + 1
        memorandum = Memorandum(forum=forum, sequence=sequence, number=f"{number_prefix(forum)}/{sequence:02d}",
                                public_id=_public_id(Memorandum, 10), created_by=actor, **values)
        db.session.add(memorandum)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # another organizer took this number a moment ago: take the next
            db.session.expunge(memorandum)
            continue
        _apply_parties(memorandum, cleaned)
        record("memorandum.drafted", memorandum, actor=actor, number=memorandum.number)
        db.session.commit()
        return memorandum
    raise MemorandumError(_("Could not number the memorandum; please try again."), "conflict", 409)


def update(memorandum: Memorandum, actor: User, data: MemorandumInput) -> Memorandum:
    """Edit the text. A draft changes freely; an open memorandum gets a new version and its signatures are voided."""
    if not is_organizer(actor, memorandum.forum):
        raise MemorandumError(_("Only the forum's organizers prepare memoranda."), "forbidden", 403)
    _lock(memorandum)
    if memorandum.status not in EDITABLE:
        raise MemorandumError(_("A signed, published or cancelled memorandum can no longer be changed."),
                              "not_editable", 409)
    values = _clean(memorandum.forum, data)
    cleaned = _clean_parties(data.parties, values["signing_ordered"])
    before = content_hash(memorandum) if memorandum.status == MemorandumStatus.open else None
    for name, value in values.items():
        setattr(memorandum, name, value)
    _apply_parties(memorandum, cleaned)
    db.session.flush()
    db.session.refresh(memorandum, ["region"])
    if memorandum.status == MemorandumStatus.open and content_hash(memorandum) != before:
        voided = 0
        for signature in memorandum.current_signatures():
            signature.voided_at = utcnow()
            voided += 1
        memorandum.version += 1
        _freeze(memorandum, actor)
        record("memorandum.new_version", memorandum, actor=actor, version=memorandum.version,
               sha256=memorandum.sha256, voided=voided)
        db.session.commit()
        _invite_all(memorandum)
        return memorandum
    record("memorandum.edited", memorandum, actor=actor)
    db.session.commit()
    return memorandum


def _freeze(memorandum: Memorandum, actor: User | None) -> None:
    """Take the hash of the text as it is now and keep the text beside it."""
    content = canonical_content(memorandum)
    memorandum.sha256 = hashlib.sha256(content.encode("utf-8")).hexdigest()
    db.session.add(MemorandumRevision(memorandum=memorandum, version=memorandum.version, sha256=memorandum.sha256,
                                      content=content, created_by_id=actor.id if actor else None))


def open_for_signing(memorandum: Memorandum, actor: User) -> Memorandum:
    """Freeze the text, compute its hash and invite every signatory."""
    if not is_organizer(actor, memorandum.forum):
        raise MemorandumError(_("Only the forum's organizers prepare memoranda."), "forbidden", 403)
    _lock(memorandum)
    if memorandum.status != MemorandumStatus.draft:
        raise MemorandumError(_("Only a draft can be opened for signing."), "invalid_transition", 409)
    if len(memorandum.parties) < MIN_PARTIES:
        raise MemorandumError(_("A memorandum has at least two parties."), "invalid", 422, "parties")
    memorandum.status = MemorandumStatus.open
    memorandum.opened_at = utcnow()
    _freeze(memorandum, actor)
    record("memorandum.opened", memorandum, actor=actor, version=memorandum.version, sha256=memorandum.sha256)
    db.session.commit()
    _invite_all(memorandum)
    return memorandum


def cancel(memorandum: Memorandum, actor: User, reason: str) -> Memorandum:
    if not is_organizer(actor, memorandum.forum):
        raise MemorandumError(_("Only the forum's organizers prepare memoranda."), "forbidden", 403)
    reason = _text(reason, 2000, "reason")
    if not reason:
        raise MemorandumError(_("Say why the memorandum is cancelled."), field="reason")
    _lock(memorandum)
    if memorandum.status in (MemorandumStatus.published, MemorandumStatus.cancelled):
        raise MemorandumError(_("A published or cancelled memorandum cannot be cancelled."), "invalid_transition", 409)
    memorandum.status = MemorandumStatus.cancelled
    memorandum.cancelled_at = utcnow()
    memorandum.cancel_reason = reason
    record("memorandum.cancelled", memorandum, actor=actor, reason=reason)
    db.session.commit()
    return memorandum


def publish(memorandum: Memorandum, actor: User) -> Memorandum:
    """Put a memorandum signed by all parties in the forum's public registry."""
    if not is_organizer(actor, memorandum.forum):
        raise MemorandumError(_("Only the forum's organizers prepare memoranda."), "forbidden", 403)
    _lock(memorandum)
    if memorandum.status != MemorandumStatus.signed:
        raise MemorandumError(_("Only a memorandum signed by every party can be published."),
                              "invalid_transition", 409)
    memorandum.status = MemorandumStatus.published
    memorandum.published_at = utcnow()
    record("memorandum.published", memorandum, actor=actor)
    db.session.commit()
    return memorandum


def _lock(memorandum: Memorandum) -> None:
    """Take the memorandum's row for this transaction (PostgreSQL queues signatures and edits here)."""
    db.session.execute(sa.select(Memorandum.id).where(Memorandum.id == memorandum.id).with_for_update())
    db.session.refresh(memorandum)


# ---------------------------------------------------------------- invitations


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="asar-memorandum-invitation")


def invitation_token(party: Party) -> str:
    return _serializer().dumps({"p": party.id, "e": party.signatory_email})


def party_from_invitation(token: str) -> Party | None:
    """The party an invitation is for, if the token is genuine, fresh, and the party still has that signatory."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    party = db.session.get(Party, data.get("p")) if isinstance(data.get("p"), int) else None
    if party is None or party.signatory_email != data.get("e"):
        return None
    return party


def accept_invitation(party: Party, user: User) -> Party:
    """The signatory opened the link sent to their address: their account now signs for the party."""
    if User.normalize_email(user.email) != party.signatory_email:
        raise MemorandumError(_("This invitation was sent to %(email)s; sign in with that address.",
                                email=party.signatory_email), "wrong_account", 403)
    if party.user_id not in (None, user.id):
        raise MemorandumError(_("Another account already signs for this party."), "taken", 409)
    if party.user_id is None:
        party.user_id = user.id
        record("memorandum.invitation_accepted", party.memorandum, actor=user, party=party.organization.name)
        db.session.commit()
    return party


def resend_invitations(memorandum: Memorandum, actor: User) -> Memorandum:
    """Mail the invitation again to every party that has not signed yet (a lost or expired link)."""
    if not is_organizer(actor, memorandum.forum):
        raise MemorandumError(_("Only the forum's organizers prepare memoranda."), "forbidden", 403)
    if memorandum.status != MemorandumStatus.open:
        raise MemorandumError(_("This memorandum is not open for signing."), "not_open", 409)
    _invite_all(memorandum)
    record("memorandum.invitations_resent", memorandum, actor=actor)
    db.session.commit()
    return memorandum


def _invite_all(memorandum: Memorandum) -> None:
    from app import mail
    from app.urls import external_url

    now = utcnow()
    for party in memorandum.parties:
        if signature_of(party) is not None:
            continue
        account = db.session.scalar(sa.select(User).where(User.email == party.signatory_email))
        language = account.language if account else (memorandum.languages or ["ru"])[0]
        mail.send(party.signatory_email, "email/memorandum_invitation.subject.txt",
                  "email/memorandum_invitation.txt", language, memorandum=memorandum, party=party,
                  forum=memorandum.forum,
                  invitation_url=external_url("memoranda.invitation", token=invitation_token(party)))
        party.invited_at = now
    db.session.commit()


# ---------------------------------------------------------------- signing


def _same_name(typed: str, expected: str) -> bool:
    def norm(value: str) -> str:
        return " ".join(unicodedata.normalize("NFC", value or "").casefold().replace("ё", "е").split())
    return bool(typed) and norm(typed) == norm(expected)


def sign(memorandum: Memorandum, user: User, *, agree: bool, full_name: str, password: str,
         sha256: str | None, ip: str | None = None, user_agent: str | None = None) -> Signature:
    """The invited signatory signs for their party the version whose hash they were shown."""
    _lock(memorandum)
    party = party_of(memorandum, user)
    if party is None:
        raise MemorandumError(_("Only a party's invited signatory can sign this memorandum."), "forbidden", 403)
    if memorandum.status in (MemorandumStatus.signed, MemorandumStatus.published) and signature_of(party):
        raise MemorandumError(_("Your party has already signed this memorandum."), "already_signed", 409)
    if memorandum.status != MemorandumStatus.open:
        raise MemorandumError(_("This memorandum is not open for signing."), "not_open", 409)
    if not sha256:  # a signature always names the text it is given to
        raise MemorandumError(_("Say which version you sign: give the hash of the text you have read."),
                              "hash_missing", 422, "sha256")
    if sha256 != memorandum.sha256:
        raise MemorandumError(_("The text has changed since you opened it. Read the new version and sign again."),
                              "outdated", 409)
    if signature_of(party) is not None:
        raise MemorandumError(_("Your party has already signed this memorandum."), "already_signed", 409)
    if party not in next_to_sign(memorandum):
        raise MemorandumError(_("It is not your turn yet: the parties sign in the agreed order."), "not_your_turn", 409)
    if not agree:
        raise MemorandumError(_("Tick the box to confirm that you have read the memorandum and agree."),
                              field="agree")
    if not _same_name(full_name, party.signatory_name):
        raise MemorandumError(_("Type your full name exactly as in the invitation: %(name)s.",
                                name=party.signatory_name), field="full_name")
    if not password or not user.check_password(password):
        raise MemorandumError(_("The password is not right."), field="password")
    signature = Signature(memorandum=memorandum, party=party, user_id=user.id, version=memorandum.version,
                          sha256=memorandum.sha256, signer_name=party.signatory_name,
                          public_id=_public_id(Signature, 8, "S-"), ip=(ip or "")[:45] or None,
                          user_agent=(user_agent or "")[:300] or None)
    db.session.add(signature)
    db.session.flush()
    record("memorandum.signed_by_party", memorandum, actor=user, party=party.organization.name,
           version=memorandum.version, sha256=memorandum.sha256, signature=signature.public_id)
    if all(signature_of(p) is not None for p in memorandum.parties):
        _complete(memorandum)
    db.session.commit()
    return signature


def _complete(memorandum: Memorandum) -> None:
    """The last party signed: seal the final PDF once, and keep its hash for verifying files."""
    from app.memoranda.documents import sealed_pdf

    memorandum.status = MemorandumStatus.signed
    memorandum.signed_at = utcnow()
    pdf = sealed_pdf(memorandum)
    memorandum.sealed_pdf = pdf
    memorandum.sealed_sha256 = hashlib.sha256(pdf).hexdigest()
    record("memorandum.signed", memorandum, sha256=memorandum.sha256, pdf_sha256=memorandum.sealed_sha256)
    project = memorandum.project
    if project is not None and project.status in (ProjectStatus.supported, ProjectStatus.funded):
        previous = project.status.value
        project.status = ProjectStatus.memorandum_signed
        record("project.memorandum_signed", project, previous=previous, memorandum=memorandum.number)


# ---------------------------------------------------------------- verification


@dataclass
class FileCheck:
    result: str   # "genuine" | "different" | "not_signed"
    sha256: str


def check_file(memorandum: Memorandum, data: bytes) -> FileCheck:
    """Is this file exactly the sealed PDF of this memorandum? Any changed byte says no."""
    digest = hashlib.sha256(data or b"").hexdigest()
    if memorandum.sealed_sha256 is None:
        return FileCheck("not_signed", digest)
    return FileCheck("genuine" if secrets.compare_digest(digest, memorandum.sealed_sha256) else "different", digest)


def find_by_file(data: bytes) -> Memorandum | None:
    """The signed memorandum whose sealed PDF is exactly this file, from any forum."""
    digest = hashlib.sha256(data or b"").hexdigest()
    return db.session.scalar(sa.select(Memorandum).where(Memorandum.sealed_sha256 == digest))


def signatures_shown(memorandum: Memorandum) -> list[Signature]:
    """The current version's signatures in the parties' order (voided ones stay in the history only)."""
    by_party = {s.party_id: s for s in memorandum.current_signatures()}
    return [by_party[p.id] for p in memorandum.parties if p.id in by_party]


def parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
