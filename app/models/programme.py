"""The programme: sessions in halls, the people on stage, and delegates' seats in limited sessions."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Multilingual, UTCDateTime, db, enum_column, utcnow
from app.models.delegates import Delegate
from app.models.enums import EnrollmentStatus, PersonRole, SessionKind, SessionStatus
from app.models.forums import Forum, Hall


class Session(Multilingual, db.Model):
    """A slot of the programme: a plenary, a panel, a master class… in a hall, at a time."""

    __tablename__ = "sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.Index("ix_sessions_forum_starts", "forum_id", "starts_at"),
        sa.Index("ix_sessions_hall_starts", "hall_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    hall_id: Mapped[int | None] = mapped_column(sa.ForeignKey("halls.id", ondelete="SET NULL"))
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind))
    title_kk: Mapped[str | None] = mapped_column(sa.String(300))
    title_ru: Mapped[str | None] = mapped_column(sa.String(300))
    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    description_kk: Mapped[str | None] = mapped_column(sa.Text)
    description_ru: Mapped[str | None] = mapped_column(sa.Text)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    languages: Mapped[str] = mapped_column(sa.String(20), default="kk,ru")  # working languages, comma-separated
    interpretation: Mapped[bool] = mapped_column(default=False)
    topic: Mapped[str | None] = mapped_column(sa.String(120))
    stream_url: Mapped[str | None] = mapped_column(sa.String(500))
    capacity: Mapped[int | None] = mapped_column()  # None: open to all, no enrolment
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus), default=SessionStatus.draft)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    forum: Mapped[Forum] = relationship()
    hall: Mapped[Hall | None] = relationship()
    roles: Mapped[list["SessionPerson"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPerson.position")
    enrollments: Mapped[list["Enrollment"]] = relationship(back_populates="session", cascade="all, delete-orphan")

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def description(self) -> str:
        return self.tr("description")

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    @property
    def is_limited(self) -> bool:
        return self.capacity is not None

    def __repr__(self) -> str:
        return f"<Session {self.id} {self.kind.value} {self.starts_at:%Y-%m-%d %H:%M}>"


class Person(db.Model):
    """Someone on stage: a speaker, moderator or panelist. Not necessarily a registered delegate."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    organization: Mapped[str | None] = mapped_column(sa.String(300))
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegates.id", ondelete="SET NULL"))

    delegate: Mapped[Delegate | None] = relationship()

    def __repr__(self) -> str:
        return f"<Person {self.full_name!r}>"


class SessionPerson(db.Model):
    __tablename__ = "session_persons"
    __table_args__ = (sa.UniqueConstraint("session_id", "person_id", name="uq_session_persons_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    role: Mapped[PersonRole] = mapped_column(enum_column(PersonRole))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="roles")
    person: Mapped[Person] = relationship()


class Enrollment(db.Model):
    """A delegate's seat (or place in the queue) in a limited session."""

    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "delegate_id", name="uq_enrollments_session_delegate"),
        sa.Index("ix_enrollments_session_status", "session_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    status: Mapped[EnrollmentStatus] = mapped_column(enum_column(EnrollmentStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_change_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # "my agenda" highlights newer changes

    session: Mapped[Session] = relationship(back_populates="enrollments")
    delegate: Mapped[Delegate] = relationship()


class SessionChange(db.Model):
    """What changed about a session after it was published: shown in the enrolled delegates' agendas."""

    __tablename__ = "session_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(20))  # moved | hall | cancelled | restored
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
