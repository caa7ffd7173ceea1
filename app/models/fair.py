"""The social ideas fair: NGO projects, business pledges, and the jury's scores."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import Multilingual, UTCDateTime, db, enum_column, utcnow
from app.models.delegates import Delegate
from app.models.enums import PledgeStatus, ProjectCategory, ProjectStatus
from app.models.forums import Forum
from app.models.geo import Region
from app.models.organizations import Organization
from app.models.users import User

Money = sa.BigInteger  # whole tenge: a billion-tenge fair overflows no 32-bit column


class FairProject(Multilingual, db.Model):
    """A social project an NGO presents at a forum's fair, hoping for business support."""

    __tablename__ = "fair_projects"
    __table_args__ = (
        sa.CheckConstraint("budget_kzt > 0", name="budget_positive"),
        sa.CheckConstraint("beneficiaries_count IS NULL OR beneficiaries_count >= 0", name="beneficiaries_not_negative"),
        sa.CheckConstraint("confirmed_kzt >= 0 AND confirmed_in_kind_kzt >= 0 AND pending_kzt >= 0",
                           name="totals_not_negative"),
        sa.UniqueConstraint("forum_id", "booth", name="uq_fair_projects_forum_booth"),
        sa.Index("ix_fair_projects_forum_status", "forum_id", "status"),
        sa.Index("ix_fair_projects_forum_region", "forum_id", "region_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegates.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"),
                                                        index=True)
    title_kk: Mapped[str | None] = mapped_column(sa.String(300))
    title_ru: Mapped[str | None] = mapped_column(sa.String(300))
    summary_kk: Mapped[str | None] = mapped_column(sa.Text)
    summary_ru: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    category: Mapped[ProjectCategory] = mapped_column(enum_column(ProjectCategory))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    settlement: Mapped[str | None] = mapped_column(sa.String(200))
    beneficiaries: Mapped[str | None] = mapped_column(sa.String(500))   # who
    beneficiaries_count: Mapped[int | None] = mapped_column()           # how many
    budget_kzt: Mapped[int] = mapped_column(Money)
    budget_breakdown: Mapped[str | None] = mapped_column(sa.Text)
    duration_months: Mapped[int | None] = mapped_column()
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    status: Mapped[ProjectStatus] = mapped_column(enum_column(ProjectStatus), default=ProjectStatus.submitted)
    review_comment: Mapped[str | None] = mapped_column(sa.Text)  # why it was returned or rejected
    booth: Mapped[str | None] = mapped_column(sa.String(20))
    is_winner: Mapped[bool] = mapped_column(default=False)
    # Totals kept in step with the pledges by services.recount (always recomputed, never incremented).
    confirmed_kzt: Mapped[int] = mapped_column(Money, default=0)
    confirmed_in_kind_kzt: Mapped[int] = mapped_column(Money, default=0)
    pending_kzt: Mapped[int] = mapped_column(Money, default=0)
    backers_count: Mapped[int] = mapped_column(default=0)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    forum: Mapped[Forum] = relationship()
    delegate: Mapped[Delegate | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    region: Mapped[Region | None] = relationship()
    attachments: Mapped[list["ProjectAttachment"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectAttachment.id")
    pledges: Mapped[list["Pledge"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Pledge.created_at")

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def summary(self) -> str:
        return self.tr("summary")

    @property
    def covered_kzt(self) -> int:
        """Money and in-kind support the NGO has confirmed: what counts toward the budget."""
        return self.confirmed_kzt + self.confirmed_in_kind_kzt

    @property
    def needed_kzt(self) -> int:
        return max(self.budget_kzt - self.covered_kzt, 0)

    @property
    def progress_percent(self) -> int:
        """Share of the budget covered, 0–100 (whole percent, rounded down: never shows 100 too early)."""
        if self.budget_kzt <= 0:
            return 0
        return min(100, self.covered_kzt * 100 // self.budget_kzt)

    def __repr__(self) -> str:
        return f"<FairProject {self.id} {self.status.value}>"


class ProjectAttachment(db.Model):
    """A PDF or image the NGO adds to its project. Kept in the database: backed up with everything else."""

    __tablename__ = "fair_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_projects.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[FairProject] = relationship(back_populates="attachments")


class Pledge(db.Model):
    """A business's offer to a project: money, in-kind support, or both. Counts only once the NGO confirms it."""

    __tablename__ = "pledges"
    __table_args__ = (
        sa.CheckConstraint("amount_kzt IS NULL OR amount_kzt > 0", name="amount_positive"),
        sa.CheckConstraint("in_kind_value_kzt IS NULL OR in_kind_value_kzt >= 0", name="in_kind_value_not_negative"),
        sa.CheckConstraint("amount_kzt IS NOT NULL OR in_kind IS NOT NULL", name="money_or_in_kind"),
        sa.Index("ix_pledges_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_projects.id", ondelete="CASCADE"))
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegates.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"),
                                                        index=True)
    amount_kzt: Mapped[int | None] = mapped_column(Money)
    in_kind: Mapped[str | None] = mapped_column(sa.Text)
    in_kind_value_kzt: Mapped[int | None] = mapped_column(Money)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[PledgeStatus] = mapped_column(enum_column(PledgeStatus), default=PledgeStatus.pending)
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[FairProject] = relationship(back_populates="pledges")
    delegate: Mapped[Delegate | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def value_kzt(self) -> int:
        """Money plus the in-kind support's estimated value."""
        return (self.amount_kzt or 0) + (self.in_kind_value_kzt or 0)

    @property
    def backer_name(self) -> str:
        if self.organization is not None:
            return self.organization.name
        return self.delegate.full_name if self.delegate else ""


class Juror(db.Model):
    """A person the organizers named to the fair's jury."""

    __tablename__ = "jurors"
    __table_args__ = (sa.UniqueConstraint("forum_id", "user_id", name="uq_jurors_forum_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The juror's own organization: its projects are theirs to stay away from.
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    organization: Mapped[Organization | None] = relationship()


class JuryCriterion(Multilingual, db.Model):
    """One of the forum's scoring criteria (social impact, feasibility …), scored 1–10."""

    __tablename__ = "jury_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    name_kk: Mapped[str | None] = mapped_column(sa.String(200))
    name_ru: Mapped[str | None] = mapped_column(sa.String(200))
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def name(self) -> str:
        return self.tr("name")


class JuryScore(db.Model):
    """One juror's score of one project on one criterion. A juror's scores for a project are submitted together."""

    __tablename__ = "jury_scores"
    __table_args__ = (
        sa.UniqueConstraint("juror_id", "project_id", "criterion_id", name="uq_jury_scores_once"),
        sa.CheckConstraint("score BETWEEN 1 AND 10", name="score_1_to_10"),
        sa.Index("ix_jury_scores_project", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("jurors.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_projects.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("jury_criteria.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(sa.Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    juror: Mapped[Juror] = relationship()
    criterion: Mapped[JuryCriterion] = relationship()
