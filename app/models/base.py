"""Small pieces every model module uses."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_babel import get_locale

from app.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamps stored in UTC and always handed back timezone-aware.

    SQLite forgets the zone; PostgreSQL keeps it. This makes both behave the same.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Asar stores aware UTC times only")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def enum_column(enum_cls, **kwargs):
    """An enum stored as its name in a VARCHAR, with a CHECK constraint.

    native_enum=False keeps migrations simple on both SQLite and PostgreSQL.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=32,
        validate_strings=True,
        create_constraint=True,
        name=f"{enum_cls.__name__.lower()}",
        **kwargs,
    )


FALLBACK_ORDER = {"kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en"), "en": ("en", "ru", "kk")}


class Multilingual:
    """Mixin for content organizers type in kk and ru (en optional).

    `obj.tr("title")` gives the text in the reader's language, falling back to the
    other languages in a sensible order rather than showing nothing.
    """

    def tr(self, field: str, lang: str | None = None) -> str:
        lang = lang or str(get_locale() or "ru")
        for code in FALLBACK_ORDER.get(lang, FALLBACK_ORDER["ru"]):
            value = getattr(self, f"{field}_{code}", None)
            if value:
                return value
        return ""


__all__ = ["db", "utcnow", "UTCDateTime", "enum_column", "Multilingual"]
