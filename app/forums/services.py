"""Forums and halls: the rules for setting them up and publishing them."""
import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.auth.services import grant_forum_role
from app.extensions import db
from app.models import Forum, ForumRole, ForumStatus, GlobalRole, Hall, User

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,78}[a-z0-9])$")
MULTILINGUAL_FIELDS = ("title_kk", "title_ru", "title_en", "description_kk", "description_ru", "description_en")
FORUM_FIELDS = MULTILINGUAL_FIELDS + (
    "slug", "city", "venue", "region_id", "starts_on", "ends_on", "timezone",
    "registration_opens_at", "registration_closes_at",
)
HALL_FIELDS = ("name", "capacity", "floor", "stream_url")


class ForumError(Exception):
    """A forum rule was broken; `field` names the form field to show the message beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def published_forums() -> list[Forum]:
    return list(db.session.scalars(
        sa.select(Forum).where(Forum.status == ForumStatus.published)
        .options(selectinload(Forum.region))
        .order_by(Forum.starts_on.desc(), Forum.id)
    ))


def forums_run_by(user: User) -> list[Forum]:
    query = sa.select(Forum).order_by(Forum.starts_on.desc(), Forum.id)
    if not user.is_admin:
        from app.models import ForumStaff

        query = query.join(ForumStaff).where(ForumStaff.user_id == user.id,
                                             ForumStaff.role == ForumRole.organizer)
    return list(db.session.scalars(query))


def get_forum(slug: str) -> Forum | None:
    return db.session.scalar(sa.select(Forum).where(Forum.slug == slug))


def local_to_utc(value: datetime | None, tz_name: str) -> datetime | None:
    """A wall-clock time typed in the forum's zone, as an aware UTC datetime."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz_name))
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:  # typed in the first hours of year 1 (or last of 9999): the rules refuse it, not a 500
        return (datetime.min if value.year == 1 else datetime.max).replace(tzinfo=timezone.utc)


def utc_to_local(value: datetime | None, tz_name: str) -> datetime | None:
    """For filling datetime-local inputs: the forum's wall clock, without a zone."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)


def _validate_forum(data: dict, forum: Forum | None) -> None:
    slug = data.get("slug") or ""
    if not SLUG_RE.match(slug):
        raise ForumError(_("Use 3–80 lowercase Latin letters, digits and hyphens."), "slug")
    clash = db.session.scalar(sa.select(Forum.id).where(Forum.slug == slug))
    if clash is not None and (forum is None or clash != forum.id):
        raise ForumError(_("Another forum already uses this address."), "slug")
    if not (data.get("title_kk") or data.get("title_ru")):
        raise ForumError(_("Give the title in Kazakh or Russian (or both)."), "title_ru")
    if not data.get("city"):
        raise ForumError(_("This field is required."), "city")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, date) or not isinstance(ends, date):
        raise ForumError(_("Enter the forum's first and last day."), "starts_on")
    if ends < starts:
        raise ForumError(_("The last day cannot be before the first day."), "ends_on")
    if (ends - starts).days > 60:
        raise ForumError(_("A forum can last at most 60 days."), "ends_on")
    try:
        ZoneInfo(data.get("timezone") or "")
    except (ZoneInfoNotFoundError, ValueError):
        raise ForumError(_("Unknown time zone."), "timezone") from None
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise ForumError(_("Registration must close after it opens."), "registration_closes_at")
    if closes:
        forum_end = datetime.combine(ends, time.max, tzinfo=ZoneInfo(data["timezone"]))
        if closes > forum_end:
            raise ForumError(_("Registration cannot close after the forum has ended."), "registration_closes_at")


def _clean(data: dict, fields: tuple[str, ...]) -> dict:
    cleaned = {}
    for key in fields:
        value = data.get(key)
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    return cleaned


def create_forum(creator: User, data: dict) -> Forum:
    if not creator.has_global_role(GlobalRole.organizer):
        raise ForumError(_("Only organizers can create forums."))
    data = _clean(data, FORUM_FIELDS)
    data["timezone"] = data.get("timezone") or "Asia/Almaty"
    _validate_forum(data, None)
    forum = Forum(**data, created_by_id=creator.id, status=ForumStatus.draft)
    db.session.add(forum)
    db.session.flush()
    grant_forum_role(creator, forum, ForumRole.organizer, commit=False)
    db.session.commit()
    return forum


def update_forum(forum: Forum, data: dict) -> Forum:
    data = _clean(data, FORUM_FIELDS)
    data["timezone"] = data.get("timezone") or forum.timezone
    _validate_forum(data, forum)
    for key, value in data.items():
        setattr(forum, key, value)
    db.session.commit()
    return forum


def set_status(forum: Forum, status: ForumStatus) -> Forum:
    if status == ForumStatus.published and not forum.halls:
        raise ForumError(_("Add at least one hall before publishing the forum."))
    forum.status = status
    db.session.commit()
    return forum


def _validate_hall(forum: Forum, data: dict, hall: Hall | None) -> None:
    if not data.get("name"):
        raise ForumError(_("This field is required."), "name")
    for other in forum.halls:
        if other is not hall and other.name.casefold() == data["name"].casefold():
            raise ForumError(_("This forum already has a hall with this name."), "name")
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1 or capacity > 100000):
        raise ForumError(_("Capacity must be a whole number between 1 and 100 000."), "capacity")
    url = data.get("stream_url")
    if url and not url.startswith(("https://", "http://")):
        raise ForumError(_("The stream link must start with https://"), "stream_url")


def add_hall(forum: Forum, data: dict) -> Hall:
    data = _clean(data, HALL_FIELDS)
    _validate_hall(forum, data, None)
    hall = Hall(forum=forum, position=len(forum.halls), **data)
    db.session.add(hall)
    db.session.commit()
    return hall


def update_hall(hall: Hall, data: dict) -> Hall:
    data = _clean(data, HALL_FIELDS)
    _validate_hall(hall.forum, data, hall)
    for key, value in data.items():
        setattr(hall, key, value)
    db.session.commit()
    return hall


def delete_hall(hall: Hall) -> None:
    db.session.delete(hall)
    db.session.commit()

