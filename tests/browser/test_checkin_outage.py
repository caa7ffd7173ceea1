"""The door while PostgreSQL restarts: the server answers the desk's scan with 503 and Retry-After; the
desk waits and sends the same scan again by itself, so Дәурен sees the welcome, not an error, and the
delegate is checked in once. (The 503s are made by the browser's network layer, as the server would
answer them: tests/test_database_outage.py shows the server side.)
"""
import re

import pytest
import sqlalchemy as sa

from app.demo import DEMO_LOGINS, DEMO_SLUG
from app.extensions import db
from app.models import CheckIn, Delegate, DelegateStatus, Forum
from app.registration.tokens import badge_token
from tests.helpers.browser import log_in

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

CHECKIN_EMAIL, CHECKIN_PASSWORD = next((email, password) for role, email, password in DEMO_LOGINS
                                       if role == "checkin")


def _someone_not_yet_in(app) -> tuple[int, str, str]:
    with app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
        delegate = db.session.scalar(
            sa.select(Delegate).where(Delegate.forum_id == forum.id, Delegate.status == DelegateStatus.confirmed,
                                      ~Delegate.checkin.has()).order_by(Delegate.id).limit(1))
        return delegate.id, delegate.full_name, badge_token(delegate)


def test_the_desk_retries_a_scan_the_server_answered_with_503(chromium_page, live_app):
    delegate_id, full_name, token = _someone_not_yet_in(live_app)
    door = chromium_page
    log_in(door, CHECKIN_EMAIL, CHECKIN_PASSWORD)
    door.goto(f"/forums/{DEMO_SLUG}/checkin")
    expect(door.locator("#desk")).to_be_visible()

    refused = []

    def database_restarting(route):
        if len(refused) < 2:  # the first two tries meet a restarting database
            refused.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "text/html"},
                          body="<h1>Temporarily unavailable</h1>")
        else:
            route.continue_()

    door.route(re.compile(r".*/checkin/scan$"), database_restarting)
    field = door.locator("#scan-token")
    field.fill(token)
    field.press("Enter")

    welcome = door.locator("#result .door-result")
    expect(welcome).to_have_attribute("data-result", "checked_in", timeout=10_000)
    expect(welcome.locator(".door-name")).to_have_text(full_name)
    assert len(refused) == 2
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                                 .where(CheckIn.delegate_id == delegate_id)) == 1
