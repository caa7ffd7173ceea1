"""Turning delegates into badge PDFs: the data the drawing needs, in the delegate's language."""
from flask_babel import force_locale

from app.i18n import date_range, sector_label
from app.models import Delegate
from app.registration.tokens import badge_token


def badge_data(delegate: Delegate, language: str | None = None):
    from app.pdf import BadgeData

    language = language or delegate.language
    with force_locale(language):
        return BadgeData(
            full_name=delegate.full_name,
            organization=delegate.organization_name,
            position=delegate.position or "",
            sector=delegate.sector.value,
            sector_label=sector_label(delegate.sector),
            forum_title=delegate.forum.tr("title", language),
            forum_dates=date_range(delegate.forum.starts_on, delegate.forum.ends_on),
            qr_payload=badge_token(delegate),
            number=f"№ {delegate.id:06d}",
        )


def badge_pdf(delegate: Delegate) -> bytes:
    from app.pdf import render_badge

    return render_badge(badge_data(delegate))


def badge_sheets_pdf(delegates: list[Delegate], language: str) -> bytes:
    from app.pdf import render_badge_sheets

    return render_badge_sheets([badge_data(d, language) for d in delegates])
