"""A master class from the planner to a delegate's phone calendar (issue 4), in a real browser.

Әсел, the demo organizer, opens the programme planner and adds a master class with ten seats
in the hall «Нұр», 12:00–13:00 on the forum's first day (the hall is free then: its demo
master classes are in the afternoon), and publishes it. The planner shows it on the grid.

A delegate (another browser, another person) registers for the forum, which confirms her at
once; she opens the master class's page, takes a seat, finds it in "My agenda" and downloads
her agenda as an .ics file for her phone: one event, at 07:00 UTC (12:00 in Atyrau, UTC+5).

Elements are found by id, name and href, never by visible text (the text is translated).
Titles are the data typed into the form, so those are checked as text.
"""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.demo import DEMO_LOGINS, DEMO_SLUG
from app.extensions import db
from app.models import (Delegate, DelegateStatus, Enrollment, EnrollmentStatus, Forum, Hall, Session, SessionKind,
                        SessionStatus)

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ORGANIZER_EMAIL, ORGANIZER_PASSWORD = next((email, password) for role, email, password in DEMO_LOGINS
                                           if role == "organizer")
HALL = "Зал «Нұр»"
TITLE_KK = "Шеберлік сыныбы: әлеуметтік жобаға грант жазу"
TITLE_RU = "Мастер-класс: как написать заявку на грант для социального проекта"
CAPACITY = 10
DELEGATE_NAME = "Сейітқалиева Аружан"
DELEGATE_EMAIL = "aruzhan.seitkalieva@example.kz"


def _forum_and_hall(app) -> tuple[int, date, int]:
    with app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
        assert forum is not None, "app.demo.load() did not create the demo forum"
        hall = db.session.scalar(sa.select(Hall).where(Hall.forum_id == forum.id, Hall.name == HALL))
        assert hall is not None, f"the demo forum has no hall {HALL}"
        return forum.id, forum.starts_on, hall.id


def _hall_is_free(app, forum_id: int, hall_id: int, starts: datetime, ends: datetime) -> bool:
    with app.app_context():
        clash = db.session.scalar(sa.select(Session.id).where(
            Session.forum_id == forum_id, Session.hall_id == hall_id,
            Session.starts_at < ends, Session.ends_at > starts).limit(1))
        return clash is None


def _log_in(page, email: str, password: str) -> None:
    page.goto("/auth/login")
    form = page.locator('main form[method="post"]')
    form.locator("#email").fill(email)
    form.locator("#password").fill(password)
    form.locator("#submit").click()
    expect(page.locator('header.site-header a[href="/forums/manage"]')).to_be_visible()


def _register(page, live_server: str) -> None:
    """A new delegate registers through the form (no account is logged in; the session remembers her)."""
    page.goto(f"/forums/{DEMO_SLUG}/register")
    form = page.locator('main form[method="post"]')
    form.locator("#full_name").fill(DELEGATE_NAME)
    form.locator("#email").fill(DELEGATE_EMAIL)
    form.locator("#organization_name").fill("«Болашақ» қоғамдық бірлестігі")
    form.locator("#sector").select_option(value="ngo")
    form.locator("#consent").check()
    form.locator("#submit").click()
    expect(page).to_have_url(f"{live_server}/forums/{DEMO_SLUG}/me")
    expect(page.locator("main .badge-confirmed")).to_be_visible()


def test_organizer_adds_a_master_class_and_a_delegate_enrols_and_downloads_her_agenda(
        chromium_page, new_chromium_page, live_server, live_app, tmp_path):
    forum_id, first_day, hall_id = _forum_and_hall(live_app)
    tz = timezone(timedelta(hours=5))  # Atyrau (and Asia/Almaty since March 2024)
    starts_local = datetime.combine(first_day, time(12, 0), tzinfo=tz)
    ends_local = starts_local + timedelta(hours=1)
    assert _hall_is_free(live_app, forum_id, hall_id, starts_local, ends_local), \
        "the demo programme now uses the hall at that time: pick another slot"

    # --- Әсел opens the planner and adds the master class.
    page = chromium_page
    _log_in(page, ORGANIZER_EMAIL, ORGANIZER_PASSWORD)
    page.goto(f"/forums/{DEMO_SLUG}/planner?day={first_day.isoformat()}")
    expect(page.locator("main h1")).to_be_visible()
    page.locator(f'main .page-head a[href="/forums/{DEMO_SLUG}/planner/new?day={first_day.isoformat()}"]').click()
    expect(page).to_have_url(re.compile(rf"/forums/{DEMO_SLUG}/planner/new(\?|$)"))

    form = page.locator(f'main form[action="/forums/{DEMO_SLUG}/planner/new"]')
    form.locator("#kind").select_option(value="master_class")
    form.locator("#title_kk").fill(TITLE_KK)
    form.locator("#title_ru").fill(TITLE_RU)
    form.locator("#hall_id").select_option(value=str(hall_id))
    form.locator("#starts_at").fill(f"{first_day.isoformat()}T12:00")
    form.locator("#ends_at").fill(f"{first_day.isoformat()}T13:00")
    form.locator('input[name="languages"][value="kk"]').check()
    form.locator('input[name="languages"][value="ru"]').check()
    form.locator("#capacity").fill(str(CAPACITY))
    form.locator("#status").select_option(value="published")
    form.locator("#submit").click()

    # Back on the planner, on that day, with the new session on the grid.
    expect(page).to_have_url(re.compile(rf"/forums/{DEMO_SLUG}/planner\?day={first_day.isoformat()}#session-\d+$"))
    expect(page.locator("main .alert-success")).to_be_visible()
    with live_app.app_context():
        session = db.session.scalar(sa.select(Session).where(Session.forum_id == forum_id,
                                                             Session.title_ru == TITLE_RU))
        assert session is not None
        session_id = session.id
        assert session.kind == SessionKind.master_class
        assert session.title_kk == TITLE_KK
        assert session.hall_id == hall_id
        assert session.capacity == CAPACITY
        assert session.status == SessionStatus.published
        assert session.starts_at == starts_local
        assert session.ends_at == ends_local
        assert set(session.language_list) == {"kk", "ru"}
        starts_iso = session.starts_at.isoformat()
    assert page.url.endswith(f"#session-{session_id}")
    block = page.locator(f"main article#session-{session_id}")
    expect(block).to_be_visible()
    expect(block).to_have_class(re.compile(r"\bkind-master_class\b"))
    expect(block).to_have_class(re.compile(r"\bstatus-published\b"))
    expect(block.locator(".pg-when")).to_contain_text("12:00–13:00")
    # The organizer's account speaks Kazakh: the planner shows the Kazakh title.
    expect(block.locator(f'a[href="/forums/{DEMO_SLUG}/planner/{session_id}"]').first).to_have_text(TITLE_KK)
    expect(block.locator(f'a[href="/forums/{DEMO_SLUG}/planner/{session_id}/enrollments"]')).to_contain_text(
        f"0/{CAPACITY}")

    # --- A delegate, in another browser (Russian), registers and opens the master class.
    delegate_page = new_chromium_page()
    _register(delegate_page, live_server)
    session_url = f"/forums/{DEMO_SLUG}/programme/{session_id}"
    delegate_page.goto(session_url)
    expect(delegate_page.locator("main h1")).to_have_text(TITLE_RU)
    start_time = delegate_page.locator(f'main time[datetime="{starts_iso}"]')
    expect(start_time).to_have_text("12:00")

    # She takes a seat.
    enrol = delegate_page.locator(f'main form[action="{session_url}/enrol"] button[type="submit"]')
    expect(enrol).to_be_visible()
    enrol.click()
    expect(delegate_page).to_have_url(f"{live_server}{session_url}")
    expect(delegate_page.locator("main .alert-success")).to_be_visible()
    expect(delegate_page.locator(f'main form[action="{session_url}/leave"]')).to_be_visible()
    expect(delegate_page.locator(f'main form[action="{session_url}/enrol"]')).to_have_count(0)

    # My agenda lists it, with her seat.
    delegate_page.locator(f'main a[href="/forums/{DEMO_SLUG}/agenda"]').click()
    expect(delegate_page).to_have_url(f"{live_server}/forums/{DEMO_SLUG}/agenda")
    item = delegate_page.locator(f"main li#session-{session_id}")
    expect(item).to_be_visible()
    expect(item.locator(f'a[href="{session_url}"]')).to_have_text(TITLE_RU)
    expect(item.locator(".pg-seats .badge-confirmed")).to_be_visible()
    expect(item.locator(".pg-hall")).to_have_text(HALL)
    expect(delegate_page.locator("main li.pg-session")).to_have_count(1)

    # She downloads the agenda for her phone's calendar.
    with delegate_page.expect_download() as download_info:
        delegate_page.locator(f'main a[href="/forums/{DEMO_SLUG}/agenda.ics"]').click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".ics")
    ics_path = tmp_path / download.suggested_filename
    download.save_as(ics_path)

    from icalendar import Calendar

    calendar = Calendar.from_ical(ics_path.read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1, [str(e.get("summary")) for e in events]
    event = events[0]
    assert str(event.get("summary")) == TITLE_RU
    assert str(event.get("uid")) == f"session-{session_id}@asar"
    dtstart = event.decoded("dtstart")
    dtend = event.decoded("dtend")
    assert dtstart == datetime.combine(first_day, time(7, 0), tzinfo=timezone.utc)
    assert dtstart.utcoffset() == timedelta(0)  # written in UTC, as calendars import it
    assert dtend == datetime.combine(first_day, time(8, 0), tzinfo=timezone.utc)
    assert HALL in str(event.get("location"))
    assert str(event.get("status")) == "CONFIRMED"
    assert str(event.get("url")).endswith(session_url)

    # The database: one seat, hers.
    with live_app.app_context():
        delegate = db.session.scalar(sa.select(Delegate).where(Delegate.forum_id == forum_id,
                                                               Delegate.email == DELEGATE_EMAIL))
        assert delegate is not None and delegate.status == DelegateStatus.confirmed
        enrollments = db.session.scalars(sa.select(Enrollment).where(Enrollment.session_id == session_id)).all()
        assert [(e.delegate_id, e.status) for e in enrollments] == [(delegate.id, EnrollmentStatus.enrolled)]
