"""Who may do what: the loaders and decorators every view and API call uses."""
from datetime import timedelta
from functools import wraps

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask import abort, g, request
from flask_login import current_user

from app.extensions import db
from app.models import ApiToken, Forum, ForumRole, GlobalRole, User, utcnow

TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)
# Built once (every API call runs it): the token, its user and the user's forum roles in one query.
_TOKEN_WITH_USER = (sa.select(ApiToken).where(ApiToken.token_hash == sa.bindparam("token_hash"))
                    .options(joinedload(ApiToken.user).joinedload(User.forum_roles)))


def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def user_from_bearer() -> User | None:
    """The user behind `Authorization: Bearer <token>`, or None when absent or bad."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = db.session.execute(_TOKEN_WITH_USER, {"token_hash": ApiToken.hash(raw.strip())}
                               ).unique().scalar_one_or_none()
    if token is None or token.is_revoked or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now  # coarse on purpose: no write on every check-in scan
        db.session.commit()
    g.api_token = token
    return token.user


def acting_user() -> User | None:
    """The browser session's user, or on the API the bearer token's user."""
    if "acting_user" not in g:
        if request.path.startswith("/api/"):
            g.acting_user = user_from_bearer()
        else:
            g.acting_user = current_user if current_user.is_authenticated else None
    return g.acting_user


def _refuse():
    """401 for strangers (browsers are sent to log in), 403 for the known but unauthorized."""
    from app.extensions import login_manager

    if acting_user() is None:
        if request.path.startswith("/api/"):
            abort(401, description="A valid bearer token is required.")
        return login_manager.unauthorized()
    abort(403)


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if acting_user() is None:
            return _refuse()
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: GlobalRole):
    """Allow users holding one of these global roles (admins always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = acting_user()
            if user is None or not user.has_global_role(*roles):
                return _refuse()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def forum_role_required(*roles: ForumRole):
    """Load the forum named by the `slug` URL part into `forum`, then check the user's role in it."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, slug: str, **kwargs):
            forum = db.session.scalar(sa.select(Forum).where(Forum.slug == slug)) or abort(404)
            user = acting_user()
            if user is None or not user.has_forum_role(forum, *roles):
                return _refuse()
            g.forum = forum
            return view(*args, forum=forum, **kwargs)

        return wrapped

    return decorator
