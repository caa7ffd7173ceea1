"""The audit log: who did what, and when. Written by the services, read by organizers."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UTCDateTime, db, utcnow
from app.models.users import User


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_forum_at", "forum_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.String(60))       # e.g. "delegate.confirmed", "checkin.undone"
    subject_type: Mapped[str] = mapped_column(sa.String(40))  # e.g. "delegate"
    subject_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()


def record(action: str, subject, *, actor: User | None = None, forum_id: int | None = None, **details) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        action=action,
        subject_type=type(subject).__name__.lower(),
        subject_id=getattr(subject, "id", None),
        actor_id=actor.id if actor is not None else None,
        forum_id=forum_id if forum_id is not None else getattr(subject, "forum_id", None),
        details=details,
    )
    db.session.add(event)
    return event


def insert_event(action: str, subject_type: str, subject_id: int | None, *, actor_id: int | None = None,
                 forum_id: int | None = None, **details) -> None:
    """The same as `record`, as one plain INSERT in the current transaction (for hot paths)."""
    db.session.execute(_INSERT_EVENT, dict(
        at=utcnow(), action=action, subject_type=subject_type, subject_id=subject_id, actor_id=actor_id,
        forum_id=forum_id, details=details))


_INSERT_EVENT = sa.insert(AuditEvent)
