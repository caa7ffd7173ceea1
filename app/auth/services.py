"""Accounts: creating them, checking passwords, issuing API tokens."""
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


def check_password_policy(password: str) -> None:
    from flask_babel import gettext as _

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH), "password")
    if password.isdigit() or password.isalpha():
        raise AccountError(_("Use letters and at least one digit or symbol in the password."), "password")


def create_user(email: str, password: str, full_name: str, *, language: str = "ru",
                role: GlobalRole = GlobalRole.delegate, commit: bool = True) -> User:
    from flask_babel import gettext as _

    email = User.normalize_email(email)
    if find_user(email) is not None:
        raise AccountError(_("An account with this email already exists."), "email")
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
    check_password_policy(new)
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
