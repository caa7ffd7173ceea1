"""Accounts: creating them, checking passwords, issuing API tokens."""
import re
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.models import ApiToken, Forum, ForumRole, ForumStaff, GlobalRole, User, utcnow

MIN_PASSWORD_LENGTH = 8


class AccountError(Exception):
    """A rule about accounts was broken; the message is safe to show the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == User.normalize_email(email)))


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
PERSONAL_PART = re.compile(r"[\W\d_]+", re.UNICODE)  # what separates the words of a name or an email's local part
MIN_PERSONAL_PART = 3  # shorter pieces ("Ли", "a.") would refuse half of all passwords by accident


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The list in app/auth/common_passwords.txt, folded to lower case (read once per process)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """One of the most common passwords, or one of them with digits and symbols stuck on the end
    ("Qwerty123!", "password2026")."""
    folded = password.casefold().strip()
    core = folded.rstrip("0123456789!@#$%^&*()-_=+.,?~ ")
    return folded in common_passwords() or (len(core) >= 4 and core in common_passwords())


def personal_parts(email: str | None, full_name: str | None) -> set[str]:
    """The pieces of an email's local part and of a name that a password must not contain."""
    parts: set[str] = set()
    local = (email or "").split("@", 1)[0].casefold()
    if len(local) >= MIN_PERSONAL_PART:
        parts.add(local)
    for text in (local, (full_name or "").casefold()):
        parts.update(piece for piece in PERSONAL_PART.split(text) if len(piece) >= MIN_PERSONAL_PART)
    return parts


def check_password_policy(password: str, *, email: str | None = None, full_name: str | None = None) -> None:
    """At least MIN_PASSWORD_LENGTH characters, not only digits or only letters, not one of the most common
    passwords, and not containing the email's local part or a part of the person's name."""
    from flask_babel import gettext as _

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH), "password")
    if password.isdigit() or password.isalpha():
        raise AccountError(_("Use letters and at least one digit or symbol in the password."), "password")
    if is_common_password(password):
        raise AccountError(_("This password is one of the most common ones and is easy to guess. Choose another."),
                           "password")
    folded = password.casefold()
    if any(part in folded for part in personal_parts(email, full_name)):
        raise AccountError(_("The password must not contain your name or your email address."), "password")


def create_user(email: str, password: str, full_name: str, *, language: str = "ru",
                role: GlobalRole = GlobalRole.delegate, commit: bool = True, check_personal: bool = True) -> User:
    """A new account. `check_personal=False` only for the demo, whose published passwords name the role
    ("asar-admin-2026" for admin@asar.demo): they are public anyway, and the README prints them."""
    from flask_babel import gettext as _

    email = User.normalize_email(email)
    if find_user(email) is not None:
        raise AccountError(_("An account with this email already exists."), "email")
    if check_personal:
        check_password_policy(password, email=email, full_name=full_name)
    else:
        check_password_policy(password)
    user = User(email=email, full_name=full_name.strip(), language=language, role=role)
    user.set_password(password)
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    from flask_babel import gettext as _

    if not user.check_password(current):
        raise AccountError(_("The current password is not correct."), "current_password")
    check_password_policy(new, email=user.email, full_name=user.full_name)
    user.set_password(new)
    db.session.commit()


def set_language(user: User, language: str) -> None:
    user.language = language
    db.session.commit()


def issue_token(user: User, name: str = "") -> str:
    """A new API token for the user; the raw value is returned once and never stored."""
    token, raw = ApiToken.issue(user, name)
    db.session.add(token)
    db.session.commit()
    return raw


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def token_of(user: User, token_id: int) -> ApiToken | None:
    """The user's own token; another user's token is as good as missing."""
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.commit()


def grant_forum_role(user: User, forum: Forum, role: ForumRole, *, commit: bool = True) -> ForumStaff:
    existing = next((fr for fr in user.forum_roles if fr.forum_id == forum.id and fr.role == role), None)
    if existing:
        return existing
    staff = ForumStaff(user=user, forum=forum, role=role)
    db.session.add(staff)
    if commit:
        db.session.commit()
    return staff


def send_login_link(email: str) -> bool:
    """Mail a sign-in link if the account exists; the caller says the same thing either way."""
    from app import mail
    from app.registration.tokens import login_link_token
    from app.urls import external_url

    user = find_user(email)
    if user is None or not user.active:
        return False
    link = external_url("auth.login_link", token=login_link_token(user))
    mail.send(user.email, "email/login_link.subject.txt", "email/login_link.txt", user.language,
              user=user, login_url=link)
    return True
