"""`GET /api/v1/forums/{slug}/stats`: the dashboard's figures, for the forum's organizers only."""
from datetime import datetime, timezone

import pytest

from app.dashboard.services import forum_stats
from app.extensions import db
from app.models import CheckIn, ForumStatus, GlobalRole
from tests.factories import (make_delegate, make_fair_delegate, make_forum, make_memorandum, make_organizer,
                             make_pledge, make_project, make_session, make_user)
from tests.helpers.api import assert_contract_error, bearer

PATH = "/api/v1/forums/asar/stats"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


@pytest.fixture
def busy(forum, organizer):
    """A bit of everything, so the answer is not a page of zeros."""
    arrived = make_delegate(forum, sector="state")
    db.session.add(CheckIn(delegate=arrived, forum_id=forum.id, method="scan",
                           checked_in_at=datetime(2026, 12, 15, 4, 5, tzinfo=timezone.utc)))
    make_delegate(forum, sector="media", confirmed=False)
    make_session(forum, kind="master_class", capacity=20, title="Әлеуметтік кәсіпкерлік")
    make_pledge(make_project(forum), make_fair_delegate(forum, sector="business"), amount=700_000, confirm=True)
    make_memorandum(forum, organizer)
    db.session.commit()
    return forum


def without_time(stats: dict) -> dict:
    return {key: value for key, value in stats.items() if key != "generated_at"}


def test_organizer_gets_the_dashboard_figures(client, busy, organizer):
    response = client.get(PATH, headers=bearer(organizer))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    expected = forum_stats(busy)
    assert without_time(body) == without_time(expected)
    assert datetime.fromisoformat(body["generated_at"]).utcoffset().total_seconds() == 0
    assert body["delegates"]["checked_in"] == 1 and body["fair"]["confirmed_kzt"] == 700_000
    assert body["sessions"]["items"][0]["title_kk"] == "Әлеуметтік кәсіпкерлік"


def test_a_draft_forum_figures_are_its_organizers_too(client, forum, organizer):
    forum.status = ForumStatus.draft
    db.session.commit()
    response = client.get(PATH, headers=bearer(organizer))
    assert response.status_code == 200
    assert response.get_json()["delegates"]["registered"] == 0


def test_an_admin_may_read_any_forum(client, busy):
    admin = make_user(role=GlobalRole.admin)
    response = client.get(PATH, headers=bearer(admin))
    assert response.status_code == 200
    assert without_time(response.get_json()) == without_time(forum_stats(busy))


def test_a_delegate_is_refused(client, forum):
    delegate = make_delegate(forum)
    assert_contract_error(client.get(PATH, headers=bearer(delegate.user)), 403, "not_organizer")


def test_another_forums_organizer_is_refused(client, forum):
    other = make_forum()
    assert_contract_error(client.get(PATH, headers=bearer(make_organizer(other))), 403)
    # Organizer as a global role (may create forums) is not organizer of this one.
    assert_contract_error(client.get(PATH, headers=bearer(make_user(role=GlobalRole.organizer))), 403)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}])
def test_no_token_is_401(client, forum, headers):
    assert_contract_error(client.get(PATH, headers=headers), 401)


def test_unknown_forum_is_404(client, organizer):
    assert_contract_error(client.get("/api/v1/forums/no-such-forum/stats", headers=bearer(organizer)), 404)


def test_the_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/forums/{slug}/stats"]["get"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    assert operation["security"] == [{"bearerAuth": []}]
