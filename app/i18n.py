"""Languages: which one a reader gets, and helpers templates use to show values in it."""
from datetime import date, datetime

from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LOGIN_MESSAGE = _l("Please log in to open this page.")


def select_locale() -> str:
    """The reader's explicit choice, then their account, then the browser, then Russian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, background jobs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = getattr(g, "language_override", None) or session.get("lang") \
        or request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    forum = getattr(g, "forum", None)
    return forum.timezone if forum is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    return str(get_locale() or "ru")


def format_kzt(amount: int | None) -> str:
    """Tenge grouped by thin spaces: 2000000 → «2 000 000 ₸»."""
    if amount is None:
        return ""
    grouped = f"{int(amount):,}".replace(",", "\u00a0")
    return f"{grouped}\u00a0₸"


# Day, month name, year and a 24-hour clock, in each language's own order.
DATETIME_PATTERNS = {"kk": "y 'ж'. d MMMM, HH:mm", "ru": "d MMMM y 'г'., HH:mm", "en": "d MMMM y, HH:mm"}


def _date(value: date | datetime | None, fmt: str = "long") -> str:
    """Dates per language; datetimes in the current (forum's) time zone, without seconds."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if fmt == "long":
            fmt = DATETIME_PATTERNS.get(current_language(), DATETIME_PATTERNS["en"])
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def date_range(start: date, end: date) -> str:
    """Forum dates as people write them: «2026 ж. 20–21 желтоқсан», «20–21 декабря 2026 г.»,
    «December 20–21, 2026»; the month and year once when both days share them."""
    if start == end:
        return format_date(start, "long")
    if start.year != end.year:
        return f"{format_date(start, 'long')} – {format_date(end, 'long')}"
    lang = current_language()
    if start.month == end.month:
        if lang == "en":
            return f"{format_date(start, 'MMMM')} {start.day}–{end.day}, {start.year}"
        days = f"{start.day}–{format_date(end, 'd MMMM')}"
    else:
        pattern = "MMMM d" if lang == "en" else "d MMMM"
        days = f"{format_date(start, pattern)} – {format_date(end, pattern)}"
        if lang == "en":
            return f"{days}, {start.year}"
    if lang == "kk":
        return f"{start.year} ж. {days}"
    return f"{days} {start.year} г."


FORUM_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "closed": _l("Closed")}
SECTOR_LABELS = {
    "ngo": _l("NGO"), "business": _l("Business"), "state": _l("State body"),
    "international": _l("International organization"), "media": _l("Media"), "academia": _l("Academia"),
}

PARTICIPATION_LABELS = {"in_person": _l("In person"), "online": _l("Online")}
DELEGATE_STATUS_LABELS = {
    "pending": _l("Awaiting approval"), "confirmed": _l("Confirmed"),
    "declined": _l("Declined"), "cancelled": _l("Cancelled"),
}


def participation_label(value) -> str:
    return str(PARTICIPATION_LABELS[getattr(value, "value", value)])


def delegate_status_label(value) -> str:
    return str(DELEGATE_STATUS_LABELS[getattr(value, "value", value)])


def forum_status_label(status) -> str:
    return str(FORUM_STATUS_LABELS[getattr(status, "value", status)])


def sector_label(sector) -> str:
    return str(SECTOR_LABELS[getattr(sector, "value", sector)])


def register_template_helpers(app) -> None:
    from app.models import ForumRole, GlobalRole, utcnow

    app.jinja_env.filters["kzt"] = format_kzt
    app.jinja_env.filters["date"] = _date
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=current_language,
        date_range=date_range,
        forum_status_label=forum_status_label,
        sector_label=sector_label,
        participation_label=participation_label,
        delegate_status_label=delegate_status_label,
        now=utcnow,
        GlobalRole=GlobalRole,
        ForumRole=ForumRole,
    )
    app.jinja_env.filters["nl2br"] = lambda text: Markup("<br>").join((text or "").splitlines())


# --- The programme: kinds of session, their statuses, roles on stage ---------------------------
SESSION_KIND_LABELS = {
    "plenary": _l("Plenary session"), "panel": _l("Panel discussion"), "master_class": _l("Master class"),
    "seminar": _l("Seminar"), "round_table": _l("Round table"), "conference": _l("Conference"),
    "ceremony": _l("Ceremony"), "other": _l("Other"),
}
SESSION_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "cancelled": _l("Cancelled")}
PERSON_ROLE_LABELS = {"speaker": _l("Speaker"), "moderator": _l("Moderator"), "panelist": _l("Panelist")}


def session_kind_label(value) -> str:
    return str(SESSION_KIND_LABELS[getattr(value, "value", value)])


def session_status_label(value) -> str:
    return str(SESSION_STATUS_LABELS[getattr(value, "value", value)])


def person_role_label(value) -> str:
    return str(PERSON_ROLE_LABELS[getattr(value, "value", value)])


def register_programme_helpers(app) -> None:
    """The programme's labels as Jinja globals (call from the app factory, after register_template_helpers)."""
    app.jinja_env.globals.update(
        session_kind_label=session_kind_label,
        session_status_label=session_status_label,
        person_role_label=person_role_label,
    )


PROJECT_CATEGORY_LABELS = {
    "education": _l("Education"), "health": _l("Health"), "social_protection": _l("Social protection"),
    "ecology": _l("Ecology"), "culture": _l("Culture"), "rural_development": _l("Rural development"),
    "youth": _l("Youth"), "inclusion": _l("Inclusion"), "other": _l("Other"),
}
PROJECT_STATUS_LABELS = {
    "submitted": _l("Under review"), "returned": _l("Returned for changes"), "rejected": _l("Rejected"),
    "approved": _l("Approved"), "presented": _l("Presented at the fair"), "supported": _l("Supported"),
    "funded": _l("Funded"), "memorandum_signed": _l("Memorandum signed"),
}
PLEDGE_STATUS_LABELS = {
    "pending": _l("Waiting for the NGO"), "confirmed": _l("Confirmed"), "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}


def project_category_label(value) -> str:
    return str(PROJECT_CATEGORY_LABELS[getattr(value, "value", value)])


def project_status_label(value) -> str:
    return str(PROJECT_STATUS_LABELS[getattr(value, "value", value)])


def pledge_status_label(value) -> str:
    return str(PLEDGE_STATUS_LABELS[getattr(value, "value", value)])


def register_fair_helpers(app) -> None:
    """The fair's labels as Jinja globals (call from the app factory)."""
    app.jinja_env.globals.update(
        project_category_label=project_category_label,
        project_status_label=project_status_label,
        pledge_status_label=pledge_status_label,
    )
