"""Memoranda of cooperation: the text, the parties with their signatories, the signatures and the frozen versions."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import Multilingual, UTCDateTime, db, enum_column, utcnow
from app.models.enums import MemorandumLevel, MemorandumStatus
from app.models.fair import FairProject
from app.models.forums import Forum
from app.models.geo import Region
from app.models.organizations import Organization
from app.models.users import User

TEXT_SECTIONS = ("title", "preamble", "subject", "term", "final_provisions")


class Memorandum(Multilingual, db.Model):
    """A memorandum of cooperation between two or more organizations, signed online at a forum."""

    __tablename__ = "memoranda"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "sequence", name="uq_memoranda_forum_sequence"),
        sa.UniqueConstraint("forum_id", "number", name="uq_memoranda_forum_number"),
        sa.Index("ix_memoranda_forum_status", "forum_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forums.id", ondelete="CASCADE"))
    public_id: Mapped[str] = mapped_column(sa.String(20), unique=True)  # in the QR code and the verification URL
    sequence: Mapped[int] = mapped_column()                              # 7 in "ASAR-2017/07"
    number: Mapped[str] = mapped_column(sa.String(40))
    level: Mapped[MemorandumLevel] = mapped_column(enum_column(MemorandumLevel), default=MemorandumLevel.regional)
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    city: Mapped[str] = mapped_column(sa.String(100))
    dated: Mapped[date] = mapped_column(sa.Date)
    title_kk: Mapped[str | None] = mapped_column(sa.String(300))
    title_ru: Mapped[str | None] = mapped_column(sa.String(300))
    preamble_kk: Mapped[str | None] = mapped_column(sa.Text)
    preamble_ru: Mapped[str | None] = mapped_column(sa.Text)
    subject_kk: Mapped[str | None] = mapped_column(sa.Text)
    subject_ru: Mapped[str | None] = mapped_column(sa.Text)
    term_kk: Mapped[str | None] = mapped_column(sa.Text)
    term_ru: Mapped[str | None] = mapped_column(sa.Text)
    final_provisions_kk: Mapped[str | None] = mapped_column(sa.Text)
    final_provisions_ru: Mapped[str | None] = mapped_column(sa.Text)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fair_projects.id", ondelete="SET NULL"), index=True)
    signing_ordered: Mapped[bool] = mapped_column(default=False)  # parties sign in their `sign_order`
    status: Mapped[MemorandumStatus] = mapped_column(enum_column(MemorandumStatus), default=MemorandumStatus.draft)
    version: Mapped[int] = mapped_column(default=1)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))  # of the canonical content, from opening on
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)     # the last party's signature
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The sealed PDF, made once when the last party signs: verification compares uploaded files with it.
    sealed_pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    sealed_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    forum: Mapped[Forum] = relationship()
    region: Mapped[Region | None] = relationship()
    project: Mapped[FairProject | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    parties: Mapped[list["Party"]] = relationship(back_populates="memorandum", cascade="all, delete-orphan",
                                                  order_by="Party.position")
    signatures: Mapped[list["Signature"]] = relationship(back_populates="memorandum", cascade="all, delete-orphan",
                                                         order_by="Signature.signed_at")
    revisions: Mapped[list["MemorandumRevision"]] = relationship(back_populates="memorandum",
                                                                 cascade="all, delete-orphan",
                                                                 order_by="MemorandumRevision.version")

    @property
    def languages(self) -> list[str]:
        """The language versions the memorandum has: Kazakh first, then Russian."""
        return [lang for lang in ("kk", "ru") if getattr(self, f"title_{lang}") and getattr(self, f"subject_{lang}")]

    def current_signatures(self) -> list["Signature"]:
        return [s for s in self.signatures if s.version == self.version and s.voided_at is None]

    def __repr__(self) -> str:
        return f"<Memorandum {self.number}>"


class Party(db.Model):
    """An organization that is party to a memorandum, and the person who signs for it."""

    __tablename__ = "memorandum_parties"
    __table_args__ = (
        sa.UniqueConstraint("memorandum_id", "organization_id", name="uq_memorandum_parties_organization"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    memorandum_id: Mapped[int] = mapped_column(sa.ForeignKey("memoranda.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    position: Mapped[int] = mapped_column(default=0)           # the order the parties are listed in
    sign_order: Mapped[int | None] = mapped_column()           # with signing_ordered: lower signs first
    signatory_name: Mapped[str] = mapped_column(sa.String(200))
    signatory_email: Mapped[str] = mapped_column(sa.String(254))
    signatory_position: Mapped[str] = mapped_column(sa.String(200))
    authority: Mapped[str | None] = mapped_column(sa.String(300))  # "acting under the Charter"
    obligations_kk: Mapped[str | None] = mapped_column(sa.Text)
    obligations_ru: Mapped[str | None] = mapped_column(sa.Text)
    # Bound when the signatory opens the invitation sent to signatory_email: only this account signs for the party.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memorandum: Mapped[Memorandum] = relationship(back_populates="parties")
    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship()

    def obligations(self, lang: str) -> str:
        return getattr(self, f"obligations_{lang}", None) or ""


class Signature(db.Model):
    """A party's electronic signature on one version of the memorandum's text (voided if the text changes)."""

    __tablename__ = "memorandum_signatures"
    __table_args__ = (
        sa.UniqueConstraint("party_id", "version", name="uq_memorandum_signatures_party_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(20), unique=True)
    memorandum_id: Mapped[int] = mapped_column(sa.ForeignKey("memoranda.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("memorandum_parties.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))  # the hash of the text the signatory saw
    signer_name: Mapped[str] = mapped_column(sa.String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memorandum: Mapped[Memorandum] = relationship(back_populates="signatures")
    party: Mapped[Party] = relationship()
    user: Mapped[User | None] = relationship()


class MemorandumRevision(db.Model):
    """The canonical content of each version opened for signing, kept when a later change voids it."""

    __tablename__ = "memorandum_revisions"
    __table_args__ = (
        sa.UniqueConstraint("memorandum_id", "version", name="uq_memorandum_revisions_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    memorandum_id: Mapped[int] = mapped_column(sa.ForeignKey("memoranda.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[str] = mapped_column(sa.Text)  # the canonical JSON the hash is taken of
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    memorandum: Mapped[Memorandum] = relationship(back_populates="revisions")
