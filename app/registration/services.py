"""Registering delegates and moving them through pending → confirmed / declined / cancelled."""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import mail
from app.extensions import db
from app.models import (ConfirmationMode, Delegate, DelegateStatus, Forum, Organization, Participation,
                        Region, Sector, User, is_valid_bin, record, utcnow)
from app.registration.tokens import badge_token, login_link_token
from app.urls import external_url

MAX_BULK = 500


def registration_limit() -> str:
    """Registrations per client address (a rate limit against scripted floods)."""
    from flask import current_app

    return current_app.config["REGISTRATION_RATE_LIMIT"]


class RegistrationError(Exception):
    """A registration rule was broken; `field` names the form field, `code` is for the API."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid", status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.status = status


@dataclass
class RegistrationInput:
    """What a delegate types, from the form or the API, before any rule is applied."""

    full_name: str
    email: str
    sector: str
    consent: bool
    phone: str | None = None
    position: str | None = None
    region_id: int | None = None
    participation: str = Participation.in_person.value
    language: str = "ru"
    accessibility_needs: str | None = None
    organization_id: int | None = None
    organization_name: str | None = None
    organization_bin: str | None = None
    extra: dict = field(default_factory=dict)


def _clean(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return value[:limit] if value else None


def find_registration(forum: Forum, email: str) -> Delegate | None:
    return db.session.scalar(sa.select(Delegate).where(Delegate.forum_id == forum.id,
                                                       Delegate.email == User.normalize_email(email)))


def registrations_of(user: User) -> list[Delegate]:
    return list(db.session.scalars(
        sa.select(Delegate).where(Delegate.user_id == user.id).options(joinedload(Delegate.forum))
        .order_by(Delegate.created_at.desc())
    ))


def registration_for(user: User, forum: Forum) -> Delegate | None:
    return db.session.scalar(sa.select(Delegate).where(Delegate.forum_id == forum.id, Delegate.user_id == user.id))


def _validate(data: RegistrationInput) -> None:
    from app.forms import EMAIL_RE

    if not data.consent:
        raise RegistrationError(_("Registration needs your consent to the processing of personal data."),
                                "consent", "consent_required")
    if not data.full_name:
        raise RegistrationError(_("This field is required."), "full_name")
    if not data.email or not EMAIL_RE.match(data.email):
        raise RegistrationError(_("Enter a valid email address."), "email")
    if data.sector not in Sector.__members__:
        raise RegistrationError(_("Choose a sector from the list."), "sector")
    if data.participation not in Participation.__members__:
        raise RegistrationError(_("Choose how you will take part."), "participation")
    if data.region_id is not None and db.session.get(Region, data.region_id) is None:
        raise RegistrationError(_("Choose a region from the list."), "region_id")
    if data.organization_bin and not is_valid_bin(data.organization_bin):
        raise RegistrationError(_("A BIN is 12 digits and its last digit must match the check digit."),
                                "organization_bin")


def _organization(data: RegistrationInput) -> Organization | None:
    """The delegate's organization: the one picked, the one with this BIN or name, or a new one."""
    if data.organization_id is not None:
        org = db.session.get(Organization, data.organization_id)
        if org is None:
            raise RegistrationError(_("Choose an organization from the list."), "organization_id")
        return org
    if data.organization_bin:
        org = db.session.scalar(sa.select(Organization).where(Organization.bin == data.organization_bin))
        if org is not None:
            return org
    if not data.organization_name:
        return None
    key = " ".join(data.organization_name.casefold().split())
    org = db.session.scalar(sa.select(Organization).where(Organization.name_key == key).limit(1))
    if org is None:
        org = Organization(name=data.organization_name, sector=Sector(data.sector), region_id=data.region_id,
                           bin=data.organization_bin or None)
        db.session.add(org)
    return org


def _account_for(data: RegistrationInput) -> User:
    """Link the registration to the account with this email, or open one (no password yet)."""
    user = db.session.scalar(sa.select(User).where(User.email == data.email))
    if user is None:
        user = User(email=data.email, full_name=data.full_name, language=data.language, password_hash=None)
        db.session.add(user)
    return user


def register(forum: Forum, data: RegistrationInput, *, now: datetime | None = None) -> tuple[Delegate, bool]:
    """Register a delegate. Returns (delegate, created); a second registration returns the first."""
    now = now or utcnow()
    if not forum.registration_open(now):
        raise RegistrationError(_("Registration for this forum is closed."), None, "registration_closed", 409)
    data.full_name = _clean(data.full_name, 200)
    data.email = User.normalize_email(data.email or "")
    data.phone = _clean(data.phone, 40)
    data.position = _clean(data.position, 200)
    data.organization_name = _clean(data.organization_name, 300)
    data.organization_bin = _clean(data.organization_bin, 12)
    data.accessibility_needs = (data.accessibility_needs or "").strip()[:2000] or None
    if data.language not in ("kk", "ru", "en"):
        data.language = "ru"
    _validate(data)

    existing = find_registration(forum, data.email)
    if existing is not None:
        return existing, False

    automatic = forum.confirmation == ConfirmationMode.automatic
    delegate = Delegate(
        forum=forum, full_name=data.full_name, email=data.email, phone=data.phone, position=data.position,
        sector=Sector(data.sector), region_id=data.region_id, participation=Participation(data.participation),
        language=data.language, accessibility_needs=data.accessibility_needs, consent_given_at=now,
        status=DelegateStatus.confirmed if automatic else DelegateStatus.pending, status_changed_at=now,
    )
    try:
        delegate.organization = _organization(data)
        delegate.user = _account_for(data)
        delegate.refresh_search_text()
        db.session.add(delegate)
        db.session.flush()
        record("delegate.registered", delegate, forum_id=forum.id, status=delegate.status.value)
        db.session.commit()
    except IntegrityError:
        # The same person pressed "register" twice at once: keep the first registration.
        db.session.rollback()
        existing = find_registration(forum, data.email)
        if existing is None:
            raise
        return existing, False
    except RegistrationError:
        db.session.rollback()
        raise
    notify(delegate)
    return delegate, True


TRANSITIONS = {
    "confirm": ({DelegateStatus.pending, DelegateStatus.declined, DelegateStatus.cancelled}, DelegateStatus.confirmed),
    "decline": ({DelegateStatus.pending}, DelegateStatus.declined),
    "cancel": ({DelegateStatus.pending, DelegateStatus.confirmed}, DelegateStatus.cancelled),
}


def change_status(delegate: Delegate, action: str, actor: User | None, *, commit: bool = True,
                  send_mail: bool = True) -> Delegate:
    allowed, target = TRANSITIONS[action]
    if delegate.is_erased or delegate.status not in allowed:
        raise RegistrationError(_("This registration cannot be changed that way now."), None, "invalid_transition", 409)
    previous = delegate.status
    delegate.status = target
    delegate.status_changed_at = utcnow()
    record(f"delegate.{target.value}", delegate, actor=actor, previous=previous.value)
    if commit:
        db.session.commit()
        if send_mail:
            notify(delegate)
    return delegate


def bulk_change_status(forum: Forum, delegate_ids: list[int], action: str, actor: User) -> int:
    """Apply one action to many delegates in one transaction; ones it does not apply to are skipped."""
    allowed, _target = TRANSITIONS[action]
    ids = list(dict.fromkeys(delegate_ids))[:MAX_BULK]
    delegates = db.session.scalars(sa.select(Delegate).where(
        Delegate.forum_id == forum.id, Delegate.id.in_(ids), Delegate.status.in_(allowed),
        Delegate.erased_at.is_(None))).all()
    for delegate in delegates:
        change_status(delegate, action, actor, commit=False)
    db.session.commit()
    for delegate in delegates:
        notify(delegate)
    return len(delegates)


EDITABLE = ("full_name", "email", "phone", "position", "sector", "region_id", "participation", "language",
            "accessibility_needs")


def update_registration(delegate: Delegate, changes: dict, actor: User) -> Delegate:
    """An organizer corrects a registration; the email stays unique within the forum."""
    from app.forms import EMAIL_RE

    if delegate.is_erased:
        raise RegistrationError(_("This delegate's personal data has been erased; the record cannot be changed."),
                                None, "erased", 409)
    email = User.normalize_email(changes.get("email") or delegate.email)
    if not EMAIL_RE.match(email):
        raise RegistrationError(_("Enter a valid email address."), "email")
    clash = find_registration(delegate.forum, email)
    if clash is not None and clash.id != delegate.id:
        raise RegistrationError(_("Another delegate of this forum already uses this email."), "email")
    if "sector" in changes and changes["sector"] not in Sector.__members__:
        raise RegistrationError(_("Choose a sector from the list."), "sector")
    if "participation" in changes and changes["participation"] not in Participation.__members__:
        raise RegistrationError(_("Choose how you will take part."), "participation")
    if changes.get("region_id") is not None and db.session.get(Region, changes["region_id"]) is None:
        raise RegistrationError(_("Choose a region from the list."), "region_id")
    if "language" in changes and changes["language"] not in ("kk", "ru", "en"):
        changes = dict(changes, language=delegate.language)
    before = {key: getattr(delegate, key) for key in EDITABLE}
    for key in EDITABLE:
        if key in changes:
            value = changes[key]
            if key == "sector":
                value = Sector(value)
            elif key == "participation":
                value = Participation(value)
            elif key == "email":
                value = email
            elif isinstance(value, str):
                value = value.strip() or None
            setattr(delegate, key, value)
    if not delegate.full_name:
        db.session.rollback()
        raise RegistrationError(_("This field is required."), "full_name")
    delegate.refresh_search_text()
    changed = sorted(k for k, v in before.items() if getattr(delegate, k) != v)
    if changed:
        record("delegate.edited", delegate, actor=actor, changed=changed)
    db.session.commit()
    return delegate


MAIL_TEMPLATES = {
    DelegateStatus.pending: "registration_received",
    DelegateStatus.confirmed: "registration_confirmed",
    DelegateStatus.declined: "registration_declined",
    DelegateStatus.cancelled: "registration_cancelled",
}


def notify(delegate: Delegate) -> None:
    """Tell the delegate, in their language, what their registration's status now is."""
    name = MAIL_TEMPLATES[delegate.status]
    slug = delegate.forum.slug
    links = {
        "my_forum_url": external_url("registration.my_forum", slug=slug),
        "badge_url": external_url("registration.my_badge", slug=slug),
    }
    if delegate.user is not None:
        links["login_url"] = external_url("auth.login_link", token=login_link_token(delegate.user),
                                          next=f"/forums/{slug}/me")
    mail.send(delegate.email, f"email/{name}.subject.txt", f"email/{name}.txt", delegate.language,
              delegate=delegate, forum=delegate.forum, **links)


def badge_token_for(delegate: Delegate) -> str | None:
    return badge_token(delegate) if delegate.is_confirmed else None


def organization_suggestions(limit: int = 2000) -> list[str]:
    """Names offered as the delegate types (a datalist): the organizations already known."""
    return list(db.session.scalars(sa.select(Organization.name).order_by(Organization.name).limit(limit)))
