"""Accounts, their roles, and the API tokens issued to them."""
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.models.base import UTCDateTime, db, enum_column, utcnow
from app.models.enums import ForumRole, GlobalRole

TOKEN_PREFIX = "asar_"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")
    role: Mapped[GlobalRole] = mapped_column(enum_column(GlobalRole), default=GlobalRole.delegate)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    forum_roles: Mapped[list["ForumStaff"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == GlobalRole.admin

    def has_global_role(self, *roles: GlobalRole) -> bool:
        return self.is_admin or self.role in roles

    def has_forum_role(self, forum, *roles: ForumRole) -> bool:
        """Admins may do anything; global check-in staff work every forum's door. `forum`: a Forum or its id."""
        if self.is_admin:
            return True
        if ForumRole.checkin in roles and self.role == GlobalRole.checkin:
            return True
        forum_id = forum if isinstance(forum, int) else forum.id
        return any(fr.forum_id == forum_id and fr.role in roles for fr in self.forum_roles)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ForumStaff(db.Model):
    """A user's role in one forum (organizer or check-in staff)."""

    __tablename__ = "forum_staff"
    __table_args__ = (sa.UniqueConstraint("forum_id", "user_id", "role", name="uq_forum_staff_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[ForumRole] = mapped_column(enum_column(ForumRole))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="forum_roles")
    forum: Mapped["Forum"] = relationship(back_populates="staff")  # noqa: F821


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is kept: shown once, then gone."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def hash(raw: str) -> str:
        # Tokens are 256 random bits, so a plain SHA-256 is enough (no slow KDF needed).
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls(user=user, token_hash=cls.hash(raw), name=name)
        return token, raw

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
