"""A forum, its halls and its staff."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Multilingual, UTCDateTime, db, enum_column, utcnow
from app.models.enums import ConfirmationMode, ForumStatus
from app.models.geo import Region
from app.models.users import ForumStaff

DEFAULT_TIMEZONE = "Asia/Almaty"  # all of Kazakhstan is on UTC+5


class Forum(Multilingual, db.Model):
    __tablename__ = "forums"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title_kk: Mapped[str | None] = mapped_column(sa.String(300))
    title_ru: Mapped[str | None] = mapped_column(sa.String(300))
    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    description_kk: Mapped[str | None] = mapped_column(sa.Text)
    description_ru: Mapped[str | None] = mapped_column(sa.Text)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str] = mapped_column(sa.String(120))
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    timezone: Mapped[str] = mapped_column(sa.String(64), default=DEFAULT_TIMEZONE)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[ForumStatus] = mapped_column(enum_column(ForumStatus), default=ForumStatus.draft)
    confirmation: Mapped[ConfirmationMode] = mapped_column(
        enum_column(ConfirmationMode), default=ConfirmationMode.automatic,
        server_default=ConfirmationMode.automatic.value)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped[Region | None] = relationship()
    halls: Mapped[list["Hall"]] = relationship(
        back_populates="forum", cascade="all, delete-orphan", order_by="Hall.position, Hall.id"
    )
    staff: Mapped[list[ForumStaff]] = relationship(back_populates="forum", cascade="all, delete-orphan")

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def description(self) -> str:
        return self.tr("description")

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_published(self) -> bool:
        return self.status == ForumStatus.published

    @property
    def days(self) -> list[date]:
        return [date.fromordinal(d) for d in range(self.starts_on.toordinal(), self.ends_on.toordinal() + 1)]

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if self.status != ForumStatus.published:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        if self.registration_closes_at and now >= self.registration_closes_at:
            return False
        return True

    def __repr__(self) -> str:
        return f"<Forum {self.slug}>"


class Hall(db.Model):
    __tablename__ = "halls"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "name", name="uq_halls_forum_name"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    capacity: Mapped[int | None] = mapped_column()
    floor: Mapped[str | None] = mapped_column(sa.String(40))
    stream_url: Mapped[str | None] = mapped_column(sa.String(500))
    position: Mapped[int] = mapped_column(default=0)

    forum: Mapped[Forum] = relationship(back_populates="halls")

    def __repr__(self) -> str:
        return f"<Hall {self.name!r}>"
