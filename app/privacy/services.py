"""A delegate's personal data, on their request (Kazakhstan's law "On personal data and its protection"):
a copy of everything Asar holds about them, and erasure.

**Export** (`personal_data`) gathers, for one registration (a delegate is one person's registration for one
forum): the registration's fields with the consent's time, the account it belongs to, the check-in, the seats
and waitlist places, the fair projects they submitted and the pledges they made, where they appear on the
programme, the memoranda they sign for and their signatures, and the history of their registration. Nothing
about anybody else: the other parties of a memorandum appear by organization only, a project's pledges are not
listed, the staff who checked them in are not named.

**Erasure** (`erase`) anonymizes the registration instead of deleting it, so that the forum's figures (the
dashboard, the final report: delegates by sector, region and format, organizations represented, check-ins
and their times, seats taken) do not change after the fact:

- name → "Erased delegate #<id>", email → a placeholder at the reserved `.invalid` domain (nobody receives it;
  the email must stay unique within the forum), phone, position and accessibility needs are emptied; the
  account link is cut (the person's account, which may serve other forums, stays theirs);
- kept: the row, sector, organization, region, format, language, status, the consent's and the registration's
  times, the check-in and its time, the enrolments;
- the badge is revoked: its QR code answers "invalid" at the door (the check-in services refuse an erased
  delegate), the search at the desk no longer finds the row, and the "my forum" page no longer shows it;
- the contact name, phone and email of the fair projects they submitted are emptied (the project belongs to
  its organization and stays); they are unlinked from the programme's speaker list entry;
- the audit log: any text in the forum's events that holds the name, email or phone is replaced by
  "[erased]", and the person's own self-service events (their registration, seats, check-in) lose the link to
  their account. The erasure itself is recorded as `delegate.erased` with who asked (the delegate or an
  organizer) and nothing else.

**Signed memoranda are kept as they are.** A signatory's name, position and signature on a memorandum are
part of a legal document: the sealed PDF carries the name, its hash is what the public verification page
checks, and the signature record is the evidence of who signed. Rewriting them would make a genuine document
fail verification and destroy the proof the parties rely on; the law allows keeping personal data that a
legal obligation or the protection of the parties' rights requires. So erasure does not touch the memoranda,
their parties or signatures (signed or still open — an open invitation is the organizers' record of whom a
party named, corrected by them on the memorandum's page). The confirmation page lists which memoranda keep
the person's name and says why, before anything is erased.
"""
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (AuditEvent, CheckIn, Delegate, Enrollment, FairProject, Memorandum, Party, Person,
                        Pledge, Signature, User, record, search_key, utcnow)

ERASED = "[erased]"
ERASED_NAME = "Erased delegate #{id}"
ERASED_EMAIL = "erased-{id}@erased.invalid"
# Events a delegate causes about their own registration: their account link is cut from these on erasure.
SELF_SERVICE_ACTIONS = ("delegate.", "enrollment.", "checkin.")
FORMAT_VERSION = 1
REQUESTERS = ("delegate", "organizer")


class PrivacyError(Exception):
    """A rule about personal data was broken; the message is safe to show the user."""

    def __init__(self, message: str, code: str = "invalid", status: int = 409):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------- what is kept about the person


def _parties(delegate: Delegate) -> list[Party]:
    """Memorandum parties of this forum the person signs for (by their account, or the invited address)."""
    who = [Party.signatory_email == delegate.email]
    if delegate.user_id is not None:
        who.append(Party.user_id == delegate.user_id)
    return list(db.session.scalars(
        sa.select(Party).join(Memorandum, Party.memorandum_id == Memorandum.id)
        .where(Memorandum.forum_id == delegate.forum_id, sa.or_(*who))
        .options(joinedload(Party.memorandum), joinedload(Party.organization))
        .order_by(Memorandum.sequence, Party.position)))


def _signatures(delegate: Delegate, parties: list[Party]) -> list[Signature]:
    party_ids = [p.id for p in parties]
    who = [Signature.party_id.in_(party_ids)] if party_ids else []
    if delegate.user_id is not None:
        who.append(Signature.user_id == delegate.user_id)
    if not who:
        return []
    return list(db.session.scalars(
        sa.select(Signature).join(Memorandum, Signature.memorandum_id == Memorandum.id)
        .where(Memorandum.forum_id == delegate.forum_id, sa.or_(*who))
        .options(joinedload(Signature.memorandum), joinedload(Signature.party).joinedload(Party.organization))
        .order_by(Signature.signed_at)))


def kept_memoranda(delegate: Delegate) -> list[Memorandum]:
    """The memoranda that keep the person's name after an erasure (see the module's docstring)."""
    seen: dict[int, Memorandum] = {}
    for party in _parties(delegate):
        seen.setdefault(party.memorandum.id, party.memorandum)
    for signature in _signatures(delegate, []):
        seen.setdefault(signature.memorandum.id, signature.memorandum)
    return list(seen.values())


def personal_data(delegate: Delegate) -> dict:
    """Everything Asar holds about the person behind this registration, as plain JSON-ready data."""
    forum = delegate.forum
    enrollments = db.session.scalars(
        sa.select(Enrollment).where(Enrollment.delegate_id == delegate.id)
        .options(joinedload(Enrollment.session)).order_by(Enrollment.created_at)).all()
    projects = db.session.scalars(
        sa.select(FairProject).where(FairProject.delegate_id == delegate.id).order_by(FairProject.id)).all()
    pledges = db.session.scalars(
        sa.select(Pledge).where(Pledge.delegate_id == delegate.id)
        .options(joinedload(Pledge.project)).order_by(Pledge.id)).all()
    persons = db.session.scalars(sa.select(Person).where(Person.delegate_id == delegate.id)).all()
    parties = _parties(delegate)
    signatures = _signatures(delegate, parties)
    history = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "delegate", AuditEvent.subject_id == delegate.id)
        .order_by(AuditEvent.at, AuditEvent.id)).all()
    checkin: CheckIn | None = delegate.checkin
    user: User | None = delegate.user
    region = delegate.region
    organization = delegate.organization
    return {
        "format": "asar.personal-data",
        "version": FORMAT_VERSION,
        "exported_at": _iso(utcnow()),
        "forum": {"slug": forum.slug, "title_kk": forum.title_kk, "title_ru": forum.title_ru,
                  "title_en": forum.title_en},
        "registration": {
            "id": delegate.id,
            "full_name": delegate.full_name,
            "email": delegate.email,
            "phone": delegate.phone,
            "position": delegate.position,
            "organization": ({"name": organization.name, "bin": organization.bin,
                              "sector": organization.sector.value} if organization else None),
            "sector": delegate.sector.value,
            "region": {"code": region.code, "name_kk": region.name_kk, "name_ru": region.name_ru} if region else None,
            "participation": delegate.participation.value,
            "language": delegate.language,
            "accessibility_needs": delegate.accessibility_needs,
            "status": delegate.status.value,
            "status_changed_at": _iso(delegate.status_changed_at),
            "consent_given_at": _iso(delegate.consent_given_at),
            "registered_at": _iso(delegate.created_at),
            "updated_at": _iso(delegate.updated_at),
            "erased_at": _iso(delegate.erased_at),
        },
        "account": ({"email": user.email, "full_name": user.full_name, "language": user.language,
                     "role": user.role.value, "created_at": _iso(user.created_at)} if user else None),
        "checkin": {"checked_in_at": _iso(checkin.checked_in_at), "method": checkin.method} if checkin else None,
        "enrollments": [{
            "session_id": e.session_id, "title_kk": e.session.title_kk, "title_ru": e.session.title_ru,
            "title_en": e.session.title_en, "starts_at": _iso(e.session.starts_at), "status": e.status.value,
            "enrolled_at": _iso(e.created_at), "promoted_at": _iso(e.promoted_at)} for e in enrollments],
        "fair_projects": [{
            "id": p.id, "title_kk": p.title_kk, "title_ru": p.title_ru, "status": p.status.value,
            "budget_kzt": p.budget_kzt, "contact_name": p.contact_name, "contact_phone": p.contact_phone,
            "contact_email": p.contact_email, "submitted_at": _iso(p.submitted_at)} for p in projects],
        "pledges": [{
            "id": p.id, "project_id": p.project_id, "project_title_kk": p.project.title_kk,
            "project_title_ru": p.project.title_ru, "amount_kzt": p.amount_kzt, "in_kind": p.in_kind,
            "in_kind_value_kzt": p.in_kind_value_kzt, "comment": p.comment, "status": p.status.value,
            "pledged_at": _iso(p.created_at), "decided_at": _iso(p.decided_at)} for p in pledges],
        "programme_roles": [{"full_name": p.full_name, "position": p.position, "organization": p.organization}
                            for p in persons],
        "memoranda": [{
            "number": p.memorandum.number, "title_kk": p.memorandum.title_kk, "title_ru": p.memorandum.title_ru,
            "status": p.memorandum.status.value, "party": p.organization.name, "signatory_name": p.signatory_name,
            "signatory_email": p.signatory_email, "signatory_position": p.signatory_position,
            "invited_at": _iso(p.invited_at)} for p in parties],
        "signatures": [{
            "memorandum": s.memorandum.number, "party": s.party.organization.name, "version": s.version,
            "signer_name": s.signer_name, "signed_at": _iso(s.signed_at), "ip": s.ip, "user_agent": s.user_agent,
            "voided_at": _iso(s.voided_at), "sha256": s.sha256} for s in signatures],
        "history": [{"action": e.action, "at": _iso(e.at)} for e in history],
    }


def record_export(delegate: Delegate, actor: User | None, *, by: str) -> None:
    """Note in the audit log that a copy was handed out and to whom ("delegate" or "organizer"; no data)."""
    if by not in REQUESTERS:
        raise ValueError(by)
    record("delegate.data_exported", delegate, actor=actor if by == "organizer" else None, by=by)
    db.session.commit()


# ---------------------------------------------------------------- erasure


@dataclass
class Erasure:
    delegate: Delegate
    events_scrubbed: int
    kept_memoranda: list[Memorandum]


def _scrub(value, pattern: re.Pattern):
    """The same JSON value with every occurrence of the person's identifiers replaced."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


def _identifiers(delegate: Delegate) -> re.Pattern | None:
    words = {w.strip() for w in (delegate.full_name, delegate.email, delegate.phone) if w and len(w.strip()) >= 3}
    if delegate.user is not None:
        words.update(w.strip() for w in (delegate.user.full_name, delegate.user.email) if w and len(w.strip()) >= 3)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def _scrub_audit_log(delegate: Delegate) -> int:
    """Replace the person's name, email and phone wherever the forum's audit events quote them; cut their
    account from their own self-service events. The number of events changed.

    Read as plain rows (a forum of 20,000 delegates has some 50,000 events); only the changed ones are written."""
    pattern = _identifiers(delegate)
    rows = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.action, AuditEvent.subject_type, AuditEvent.subject_id,
                  AuditEvent.actor_id, AuditEvent.details).where(AuditEvent.forum_id == delegate.forum_id)).all()
    changed = 0
    for event_id, action, subject_type, subject_id, actor_id, details in rows:
        values = {}
        if pattern is not None and details:
            scrubbed = _scrub(details, pattern)
            if scrubbed != details:
                values["details"] = scrubbed
        about_them = (subject_type == "delegate" and subject_id == delegate.id) or \
            (isinstance(details, dict) and details.get("delegate_id") == delegate.id)
        if (about_them and delegate.user_id is not None and actor_id == delegate.user_id
                and action.startswith(SELF_SERVICE_ACTIONS)):
            values["actor_id"] = None
        if values:
            db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == event_id).values(**values))
            changed += 1
    return changed


def erase(delegate: Delegate, actor: User | None, *, by: str) -> Erasure:
    """Anonymize the registration (see the module's docstring for what is kept and why), in one transaction.

    `by` is who asked: "delegate" (on their own page; the event then names no account, theirs included) or
    "organizer" (on the delegate's request, received by other means; the organizer is the event's actor)."""
    if by not in REQUESTERS:
        raise ValueError(by)
    if delegate.is_erased:
        raise PrivacyError(_("This delegate's personal data has already been erased."), "already_erased")
    kept = kept_memoranda(delegate)
    scrubbed = _scrub_audit_log(delegate)

    for project in db.session.scalars(sa.select(FairProject).where(FairProject.delegate_id == delegate.id)):
        project.contact_name = project.contact_phone = project.contact_email = None
    db.session.execute(sa.update(Person).where(Person.delegate_id == delegate.id).values(delegate_id=None))

    delegate.full_name = ERASED_NAME.format(id=delegate.id)
    delegate.email = ERASED_EMAIL.format(id=delegate.id)
    delegate.phone = None
    delegate.position = None
    delegate.accessibility_needs = None
    delegate.user = None
    delegate.erased_at = utcnow()
    delegate.search_text = search_key(delegate.full_name)
    record("delegate.erased", delegate, actor=actor if by == "organizer" else None, by=by)
    db.session.commit()
    return Erasure(delegate, scrubbed, kept)


def delegate_for_organizer(forum, delegate_id: int) -> Delegate | None:
    return db.session.scalar(sa.select(Delegate).where(Delegate.id == delegate_id, Delegate.forum_id == forum.id)
                             .options(selectinload(Delegate.checkin)))
