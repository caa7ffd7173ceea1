"""Regions of Kazakhstan: the 17 oblasts and the 3 cities of republican significance."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Multilingual, db

# ISO 3166-2:KZ codes (as revised after the 2022 reform), with names in kk / ru / en.
# Reference data: loaded by the first migration and by `seed_regions()`.
REGIONS = [
    ("KZ-10", "Абай облысы", "Абайская область", "Abai Region"),
    ("KZ-11", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("KZ-15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("KZ-19", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("KZ-23", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    ("KZ-27", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region"),
    ("KZ-31", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region"),
    ("KZ-33", "Жетісу облысы", "Область Жетісу", "Zhetysu Region"),
    ("KZ-35", "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("KZ-39", "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("KZ-43", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("KZ-47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("KZ-55", "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    ("KZ-59", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region"),
    ("KZ-61", "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("KZ-62", "Ұлытау облысы", "Область Ұлытау", "Ulytau Region"),
    ("KZ-63", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region"),
    ("KZ-71", "Астана қаласы", "город Астана", "Astana"),
    ("KZ-75", "Алматы қаласы", "город Алматы", "Almaty"),
    ("KZ-79", "Шымкент қаласы", "город Шымкент", "Shymkent"),
]


class Region(Multilingual, db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    name_kk: Mapped[str] = mapped_column(sa.String(80))
    name_ru: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(80))

    @property
    def name(self) -> str:
        return self.tr("name")

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


def seed_regions() -> None:
    """Add any region that is missing; leaves existing rows alone."""
    have = set(db.session.scalars(sa.select(Region.code)))
    for code, kk, ru, en in REGIONS:
        if code not in have:
            db.session.add(Region(code=code, name_kk=kk, name_ru=ru, name_en=en))
    db.session.commit()
