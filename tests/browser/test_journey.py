"""An organizer's first visit, in a real browser.

Әсел, the demo organizer, opens Asar. Her browser asks for Russian, so she first sees the
demo forum under its Russian title. She switches the site to Kazakh, logs in, and sets up a
new forum in Shymkent with a Kazakh title. The forum is saved as a draft that she organizes.

Elements are found by href, id and name, never by visible text (the text is translated),
except the language buttons, whose text is the language code.
"""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.auth.services import find_user
from app.demo import DEMO_LOGINS, DEMO_SLUG
from app.extensions import db
from app.models import Forum, ForumRole, ForumStatus, Region

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ORGANIZER_EMAIL, ORGANIZER_PASSWORD = next((email, password) for role, email, password in DEMO_LOGINS
                                           if role == "organizer")
NEW_SLUG = "civic-shymkent"
TITLE_KK = "Азаматтық қоғам форумы — Шымкент"
TITLE_RU = "Форум гражданского общества — Шымкент"
CITY = "Шымкент"
VENUE = "«Шымкент Плаза» конгресс-орталығы"


def _demo_forum_titles(app) -> tuple[str, str]:
    with app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
        assert forum is not None, "app.demo.load() did not create the demo forum"
        return forum.title_kk, forum.title_ru


def _region_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Region.id).where(Region.code == code))


def test_organizer_switches_to_kazakh_logs_in_and_creates_a_forum(chromium_page, live_server, live_app):
    page = chromium_page
    demo_title_kk, demo_title_ru = _demo_forum_titles(live_app)
    shymkent_region = _region_id(live_app, "KZ-79")
    html = page.locator("html")
    header = page.locator("header.site-header")

    # The home page, in the browser's language: the demo forum is listed.
    page.goto("/")
    expect(html).to_have_attribute("lang", "ru")
    demo_link = page.locator(f'main a[href="/forums/{DEMO_SLUG}"]')
    expect(demo_link).to_have_text(demo_title_ru)

    # She switches the site to Kazakh and stays on the home page.
    header.locator("form.lang-switch").get_by_role("button", name="KK", exact=True).click()
    expect(page).to_have_url(f"{live_server}/")
    expect(html).to_have_attribute("lang", "kk")
    expect(header.get_by_role("button", name="KK", exact=True)).to_have_attribute("aria-current", "true")
    expect(demo_link).to_have_text(demo_title_kk)

    # She logs in as the demo organizer; the site stays in Kazakh.
    header.locator('a[href^="/auth/login"]').click()
    expect(page).to_have_url(re.compile(r"/auth/login(\?|$)"))
    login_form = page.locator('main form[method="post"]')
    login_form.locator("#email").fill(ORGANIZER_EMAIL)
    login_form.locator("#password").fill(ORGANIZER_PASSWORD)
    login_form.locator("#submit").click()
    my_forums = header.locator('a[href="/forums/manage"]')
    expect(my_forums).to_be_visible()
    expect(header.locator('a[href^="/auth/login"]')).to_have_count(0)
    expect(html).to_have_attribute("lang", "kk")

    # My forums → New forum.
    my_forums.click()
    expect(page).to_have_url(f"{live_server}/forums/manage")
    expect(page.locator(f'main a[href="/forums/{DEMO_SLUG}/edit"]')).to_have_text(demo_title_kk)
    page.locator('main a[href="/forums/new"]').click()
    expect(page).to_have_url(f"{live_server}/forums/new")

    # She fills in the new forum: a Kazakh and a Russian title, Shymkent, two days in six weeks.
    first_day = date.today() + timedelta(days=40)
    last_day = first_day + timedelta(days=1)
    closes_day = first_day - timedelta(days=1)
    form = page.locator('main form[action="/forums/new"]')
    form.locator("#title_kk").fill(TITLE_KK)
    form.locator("#title_ru").fill(TITLE_RU)
    form.locator("#slug").fill(NEW_SLUG)
    form.locator("#city").fill(CITY)
    form.locator("#region_id").select_option(value=str(shymkent_region))
    form.locator("#venue").fill(VENUE)
    form.locator("#starts_on").fill(first_day.isoformat())
    form.locator("#ends_on").fill(last_day.isoformat())
    expect(form.locator("#timezone")).to_have_value("Asia/Almaty")
    form.locator("#registration_closes_at").fill(f"{closes_day.isoformat()}T18:00")
    form.locator("#submit").click()

    # She lands on the new forum's edit page, which greets her with its Kazakh title.
    expect(page).to_have_url(f"{live_server}/forums/{NEW_SLUG}/edit")
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("main h1")).to_have_text(TITLE_KK)
    expect(html).to_have_attribute("lang", "kk")

    # The database holds the forum as typed, a draft she organizes.
    with live_app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == NEW_SLUG))
        assert forum is not None
        assert forum.title_kk == TITLE_KK
        assert forum.title_ru == TITLE_RU
        assert forum.title_en is None
        assert forum.city == CITY
        assert forum.venue == VENUE
        assert forum.region.code == "KZ-79"
        assert (forum.starts_on, forum.ends_on) == (first_day, last_day)
        assert forum.timezone == "Asia/Almaty"
        assert forum.registration_opens_at is None
        assert forum.registration_closes_at == datetime.combine(closes_day, time(18, 0),
                                                                tzinfo=ZoneInfo("Asia/Almaty"))
        assert forum.status == ForumStatus.draft
        organizer = find_user(ORGANIZER_EMAIL)
        assert forum.created_by_id == organizer.id
        assert [(staff.user_id, staff.role) for staff in forum.staff] == [(organizer.id, ForumRole.organizer)]
