"""Delegates (a person's registration for a forum) and their check-ins at the door."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UTCDateTime, db, enum_column, utcnow
from app.models.enums import DelegateStatus, Participation, Sector
from app.models.forums import Forum
from app.models.geo import Region
from app.models.organizations import Organization
from app.models.users import User


def search_key(*parts: str | None) -> str:
    """Text folded for searching: case-insensitive for Cyrillic too, which SQLite's lower() is not."""
    return " ".join(p.casefold().strip() for p in parts if p)


class Delegate(db.Model):
    __tablename__ = "delegates"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "email", name="uq_delegates_forum_email"),
        sa.Index("ix_delegates_forum_status", "forum_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    participation: Mapped[Participation] = mapped_column(enum_column(Participation), default=Participation.in_person)
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")
    accessibility_needs: Mapped[str | None] = mapped_column(sa.Text)
    consent_given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[DelegateStatus] = mapped_column(enum_column(DelegateStatus), default=DelegateStatus.pending)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when the person's data was erased on their request (app/privacy/services.py): the row stays, anonymized,
    # for the forum's figures; its badge no longer checks in.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    forum: Mapped[Forum] = relationship()
    user: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    region: Mapped[Region | None] = relationship()
    checkin: Mapped["CheckIn | None"] = relationship(back_populates="delegate", uselist=False,
                                                     cascade="all, delete-orphan")

    @property
    def organization_name(self) -> str:
        return self.organization.name if self.organization else ""

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.status == DelegateStatus.confirmed

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.full_name, self.email, self.organization_name, self.position, self.phone)

    def __repr__(self) -> str:
        return f"<Delegate {self.id} {self.email} {self.status.value}>"


class CheckIn(db.Model):
    """A delegate's arrival. At most one per delegate: the unique key makes a double scan harmless."""

    __tablename__ = "checkins"
    __table_args__ = (sa.Index("ix_checkins_forum_time", "forum_id", "checked_in_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegates.id", ondelete="CASCADE"), unique=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(sa.String(20), default="scan")  # scan | manual | api

    delegate: Mapped[Delegate] = relationship(back_populates="checkin")
    by_user: Mapped[User | None] = relationship()
