"""Signed tokens: the badge QR code and the "my forum" sign-in link.

A badge token names the delegate and the forum and is signed with the app secret
(HMAC), so a forged or altered code is refused before the database is asked.
"""
import re

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, Signer, URLSafeTimedSerializer

BADGE_SALT = "asar.badge.v1"
LOGIN_SALT = "asar.login-link.v1"


BADGE_PAYLOAD = re.compile(r"^([0-9]{1,12})-([0-9]{1,12})$")


def badge_signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt=BADGE_SALT)


def make_badge_token(secret_key: str, delegate_id: int, forum_id: int) -> str:
    """`<delegate>-<forum>.<HMAC>`: short on purpose (~35 characters), so the QR code stays small
    (version 3) and a scanner types it in a blink."""
    return badge_signer(secret_key).sign(f"{delegate_id}-{forum_id}").decode("ascii")


def badge_token(delegate) -> str:
    return make_badge_token(current_app.config["SECRET_KEY"], delegate.id, delegate.forum_id)


def read_badge_token(token: str) -> tuple[int, int] | None:
    """(delegate id, forum id), or None for anything not signed by us."""
    if not isinstance(token, str) or not token or len(token) > 200 or not token.isascii():
        return None
    try:
        value = badge_signer(current_app.config["SECRET_KEY"]).unsign(token.strip()).decode("ascii")
    except (BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    match = BADGE_PAYLOAD.match(value)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def _login_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LOGIN_SALT)


def login_link_token(user) -> str:
    # The password hash's tail is included, so setting a password kills older links.
    return _login_serializer().dumps([user.id, (user.password_hash or "")[-8:]])


def read_login_link_token(token: str):
    """The user a sign-in link belongs to, or None if it is forged, expired or outdated."""
    from app.extensions import db
    from app.models import User

    try:
        user_id, fingerprint = _login_serializer().loads(token, max_age=current_app.config["LOGIN_LINK_MAX_AGE"])
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or (user.password_hash or "")[-8:] != fingerprint:
        return None
    return user
