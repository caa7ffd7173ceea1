"""Organizations that send delegates: NGOs, businesses, state bodies and others."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UTCDateTime, db, enum_column, utcnow
from app.models.enums import Sector
from app.models.geo import Region

BIN_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
BIN_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_check_digit(first11: str) -> int | None:
    """The 12th digit of a Kazakh BIN/IIN, or None when no digit is valid.

    Weighted sum mod 11 with weights 1..11; a result of 10 retries with the
    shifted weights 3..11,1,2; a second 10 means the number cannot be issued.
    """
    digits = [int(c) for c in first11]
    for weights in (BIN_WEIGHTS_FIRST, BIN_WEIGHTS_SECOND):
        check = sum(d * w for d, w in zip(digits, weights)) % 11
        if check != 10:
            return check
    return None


def is_valid_bin(value: str) -> bool:
    if not (isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()):
        return False
    return bin_check_digit(value[:11]) == int(value[11])


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), index=True)
    # casefolded name: finds «ЖАЙЫҚ» for «жайық» on SQLite too, whose lower() is ASCII-only
    name_key: Mapped[str] = mapped_column(sa.String(300), index=True, default="")
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    bin: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    legal_form: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region | None] = relationship()

    @sa.orm.validates("name")
    def _keep_name_key(self, key, value):
        self.name_key = " ".join((value or "").casefold().split())
        return value

    @sa.orm.validates("bin")
    def _check_bin(self, key, value):
        if value in (None, ""):
            return None
        if not is_valid_bin(value):
            raise ValueError(f"invalid BIN: {value!r}")
        return value

    def __repr__(self) -> str:
        return f"<Organization {self.name!r} {self.sector.value}>"
