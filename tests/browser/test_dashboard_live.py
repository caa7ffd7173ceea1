"""The organizer's dashboard stays live (issue 7), in a real browser.

Әсел, the demo forum's organizer, has the dashboard open on the hall's projector. At the door Дәурен's
scanner checks in a delegate through the API; a second later the "checked in" counter on the open page
shows one more, and the delegate's sector row in the table beside the chart too — without a reload.

The page polls every second here (`?refresh=1`); the production default is 10 s. Elements are found by id
(`#stat-checked-in`, `#table-by-sector tr[data-key=…]`), never by their translated text.
"""
import pytest
import sqlalchemy as sa

from app.auth.services import issue_token
from app.dashboard.services import forum_stats
from app.demo import DEMO_SLUG
from app.extensions import db
from app.models import CheckIn, Delegate, DelegateStatus, Forum, Participation, User
from app.registration.services import badge_token_for
from tests.helpers.browser import LOGINS, log_in

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

CHECKIN_EMAIL = "checkin@asar.demo"


def number(text: str) -> int:
    """A counter as shown ("1 173", grouped with no-break spaces) → 1173."""
    return int("".join(ch for ch in text if ch.isdigit()))


def arriving_delegate(app) -> tuple[str, str, str]:
    """A confirmed in-person demo delegate not yet in the hall: (badge token, sector, door staff's API token)."""
    with app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
        delegate = db.session.scalar(
            sa.select(Delegate)
            .where(Delegate.forum_id == forum.id, Delegate.status == DelegateStatus.confirmed,
                   Delegate.participation == Participation.in_person,
                   ~sa.exists().where(CheckIn.delegate_id == Delegate.id))
            .order_by(Delegate.id).limit(1))
        assert delegate is not None, "the demo forum has no confirmed delegate left to check in"
        staff = db.session.scalar(sa.select(User).where(User.email == CHECKIN_EMAIL))
        return badge_token_for(delegate), delegate.sector.value, issue_token(staff, "door 1")


def checked_in_now(app) -> int:
    with app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
        return forum_stats(forum)["delegates"]["checked_in"]


def test_a_check_in_at_the_door_shows_on_the_open_dashboard_without_a_reload(live_app, live_server, chromium_page):
    page = chromium_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, *LOGINS["organizer"])
    page.goto(f"/forums/{DEMO_SLUG}/dashboard?refresh=1")

    dashboard = page.locator("#dashboard")
    expect(dashboard).to_have_attribute("data-refresh-seconds", "1")
    expect(dashboard).to_have_attribute("data-live", "true")  # the script runs
    # The charts are drawn by the vendored Chart.js, served from static/ (no CDN).
    assert page.evaluate("typeof window.Chart") == "function"
    assert page.evaluate("Object.keys(window.Chart.instances).length") >= 6
    expect(page.locator("canvas#chart-per-15-minutes[role=img]")).to_have_count(1)

    counter = page.locator("#stat-checked-in")
    before = number(counter.inner_text())
    assert before == checked_in_now(live_app)
    token, sector, staff_token = arriving_delegate(live_app)
    sector_cell = page.locator(f"#table-by-sector tbody tr[data-key={sector}] td").nth(3)  # checked in
    sector_before = number(sector_cell.inner_text())
    updated_before = page.locator("#stat-updated-at").inner_text()

    page.evaluate("window.__sameDocument = 'yes'")  # gone if the page reloads
    answer = page.request.post(f"{live_server}/api/v1/checkin", data={"token": token},
                               headers={"Authorization": f"Bearer {staff_token}"})
    assert answer.status == 200, answer.text()
    assert answer.json()["result"] == "checked_in"

    expect(counter).to_have_text(str(before + 1))
    expect(sector_cell).to_have_text(str(sector_before + 1))
    expect(page.locator("#stat-updated-at")).not_to_have_text(updated_before)
    assert page.evaluate("window.__sameDocument") == "yes"
    assert checked_in_now(live_app) == before + 1
    assert errors == []
