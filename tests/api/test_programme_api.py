"""Enrolment through the API: a delegate's own token takes a seat, joins a waitlist, leaves."""
from datetime import date, timedelta

import pytest

from app.auth.services import issue_token
from app.models import Enrollment, EnrollmentStatus
from app.schedule import services as schedule
from app.schedule.services import Casting
from tests.factories import make_delegate, make_forum, make_session, make_user


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), halls=2)


def test_enrol_waitlist_and_leave(client, forum, db):
    master_class = make_session(forum, kind="master_class", capacity=1)
    first, second = make_delegate(forum), make_delegate(forum)
    t1, t2 = issue_token(first.user), issue_token(second.user)
    path = f"/api/v1/sessions/{master_class.id}/enrollments"

    seat = client.post(path, headers=bearer(t1))
    assert seat.status_code == 201 and seat.get_json()["status"] == "enrolled"
    queue = client.post(path, headers=bearer(t2))
    assert queue.get_json() | {"created_at": None} == {"session_id": master_class.id, "status": "waitlisted",
                                                       "created_at": None, "waitlist_position": 1}

    assert client.delete(path + "/me", headers=bearer(t1)).status_code == 204
    promoted = db.session.scalar(db.select(Enrollment).where(Enrollment.delegate_id == second.id))
    assert promoted.status == EnrollmentStatus.enrolled
    assert client.delete(path + "/me", headers=bearer(t1)).status_code == 404


@pytest.mark.parametrize("case, status, code", [
    ("anonymous", 401, "unauthorized"),
    ("stranger", 403, "not_registered"),
    ("pending", 403, "not_confirmed"),
    ("open_session", 409, "not_limited"),
    ("draft_session", 404, "not_found"),
    ("no_session", 404, "not_found"),
])
def test_refusals(client, forum, case, status, code):
    session = make_session(forum, kind="master_class", capacity=5,
                           status="draft" if case == "draft_session" else "published")
    if case == "open_session":
        session = make_session(forum, kind="plenary", start=(15, 0))
    headers = {}
    if case == "stranger":
        headers = bearer(issue_token(make_user()))
    elif case == "pending":
        headers = bearer(issue_token(make_delegate(forum, confirmed=False).user))
    elif case != "anonymous":
        headers = bearer(issue_token(make_delegate(forum).user))
    session_id = session.id + 1000 if case == "no_session" else session.id
    response = client.post(f"/api/v1/sessions/{session_id}/enrollments", headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_overlap_is_a_409_with_the_other_sessions_title(client, forum):
    delegate = make_delegate(forum)
    token = issue_token(delegate.user)
    first = make_session(forum, kind="master_class", capacity=5, title="Азаматтық бюджет")
    parallel = make_session(forum, kind="seminar", capacity=5, hall=forum.halls[1])
    client.post(f"/api/v1/sessions/{first.id}/enrollments", headers=bearer(token))
    response = client.post(f"/api/v1/sessions/{parallel.id}/enrollments", headers=bearer(token))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "overlap"
    assert "Азаматтық бюджет" in response.get_json()["error"]["message"]


def test_the_public_programme_through_the_api(client, forum):
    plenary = make_session(forum, kind="plenary", title="Пленарлық сессия",
                           cast=[Casting(role="moderator", full_name="Бауыржан Тоқтаров", position="төраға")])
    master_class = make_session(forum, kind="master_class", capacity=3, start=(14, 0))
    make_session(forum, kind="panel", start=(16, 0), status="draft")
    schedule.enroll(master_class, make_delegate(forum))

    body = client.get("/api/v1/forums/asar/sessions", headers={"Accept-Language": "kk"}).get_json()
    assert [s["id"] for s in body] == [plenary.id, master_class.id]  # drafts are not public
    first = body[0]
    assert first["kind"] == "plenary" and first["title"] == "Пленарлық сессия"
    assert first["starts_at"] == "2030-09-16T05:00:00+00:00"  # 10:00 in Atyrau
    assert first["hall"] == {"id": forum.halls[0].id, "name": "Hall 1"}
    assert first["capacity"] is None and first["seats_left"] is None
    assert first["persons"] == [{"name": "Бауыржан Тоқтаров", "role": "moderator", "position": "төраға",
                                 "organization": None}]
    assert body[1]["capacity"] == 3 and body[1]["seats_left"] == 2
    assert client.get("/api/v1/forums/nope/sessions").status_code == 404


def test_my_agenda_lists_my_sessions_and_what_changed(client, forum):
    master_class = make_session(forum, kind="master_class", capacity=1, title="Әлеуметтік кәсіпкерлік")
    first, second = make_delegate(forum), make_delegate(forum)
    schedule.enroll(master_class, first)
    schedule.enroll(master_class, second)
    moved = schedule._input_from(master_class, master_class.starts_at + timedelta(hours=2),
                                 master_class.ends_at + timedelta(hours=2))
    schedule.save_session(forum, moved, None, master_class)

    mine = client.get("/api/v1/forums/asar/agenda", headers=bearer(issue_token(second.user)))

    assert mine.status_code == 200
    [entry] = mine.get_json()
    assert entry["status"] == "waitlisted" and entry["waitlist_position"] == 1
    assert entry["session"]["title"] == "Әлеуметтік кәсіпкерлік" and entry["session"]["seats_left"] == 0
    assert [change["kind"] for change in entry["changes"]] == ["moved"]


def test_agenda_needs_a_registration(client, forum):
    assert client.get("/api/v1/forums/asar/agenda").status_code == 401
    stranger = client.get("/api/v1/forums/asar/agenda", headers=bearer(issue_token(make_user())))
    assert stranger.status_code == 403 and stranger.get_json()["error"]["code"] == "not_registered"
    assert client.get("/api/v1/forums/nope/agenda", headers=bearer(issue_token(make_user()))).status_code == 404
