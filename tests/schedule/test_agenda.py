"""A delegate's seats: the Enrol / Leave buttons, "My agenda" with its change notes, and agenda.ics."""
import re
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.models import Enrollment, EnrollmentStatus
from app.schedule import services as schedule
from tests.factories import PASSWORD, at, make_delegate, make_forum, make_organizer, make_session, make_user


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), halls=2)


@pytest.fixture
def delegate_login(db, login):
    """Log the test client in as a delegate (their account gets a password first)."""

    def _login(delegate):
        delegate.user.set_password(PASSWORD)
        delegate.user.language = "en"  # the texts below are the English ones
        db.session.commit()
        login(delegate.user)
        return delegate

    return _login


def text(response):
    return response.get_data(as_text=True)


def flashes(html):
    return [" ".join(m.split()) for m in re.findall(r'<div class="alert alert-\w+" role="\w+">(.*?)</div>', html, re.S)]


def session_path(session, action=""):
    return f"/forums/asar/programme/{session.id}" + (f"/{action}" if action else "")


def move(session, starts, ends, hall=None):
    """What the organizer's planner does: change the session through the rules."""
    data = schedule._input_from(session, starts, ends)
    data.status = session.status.value
    if hall is not None:
        data.hall_id = hall.id
    return schedule.save_session(session.forum, data, make_organizer(session.forum), session)


def test_enrol_from_the_session_page_then_see_it_in_my_agenda_and_calendar(client, forum, delegate_login):
    master_class = make_session(forum, kind="master_class", capacity=10, title="Жобаларды басқару",
                                start=(10, 0), minutes=90)
    delegate_login(make_delegate(forum))

    html = text(client.get(session_path(master_class)))
    assert f'action="/forums/asar/programme/{master_class.id}/enrol"' in html and ">Enrol</button>" in html
    assert 'name="csrf_token"' in html

    response = client.post(session_path(master_class, "enrol"))
    assert response.status_code == 302 and response.headers["Location"].endswith(session_path(master_class))
    html = text(client.get(session_path(master_class)))
    assert "You have a seat in “Жобаларды басқару”." in flashes(html)
    assert "9 seats left" in html and ">Give up my seat</button>" in html

    agenda = client.get("/forums/asar/agenda")
    assert agenda.status_code == 200 and agenda.headers["Cache-Control"] == "private, no-store"
    html = text(agenda)
    assert "Жобаларды басқару" in html and "You have a seat" in html and ">10:00</time>" in html
    assert "Changed since your last visit" not in html

    ics = client.get("/forums/asar/agenda.ics")
    assert ics.status_code == 200 and ics.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(ics.data).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["uid"]) == f"session-{master_class.id}@asar"
    assert str(events[0]["summary"]) == "Жобаларды басқару"
    assert events[0].decoded("dtstart") == datetime(2030, 9, 16, 5, 0, tzinfo=timezone.utc)
    assert events[0].decoded("dtend") == datetime(2030, 9, 16, 6, 30, tzinfo=timezone.utc)
    assert str(events[0]["status"]) == "CONFIRMED"


def test_a_move_is_highlighted_once(client, forum, delegate_login):
    master_class = make_session(forum, kind="master_class", capacity=10, title="Мастер-класс", start=(10, 0))
    delegate = delegate_login(make_delegate(forum))
    client.post(session_path(master_class, "enrol"))
    client.get(session_path(master_class))  # the flash is shown there
    assert "Changed since" not in text(client.get("/forums/asar/agenda"))

    move(master_class, at(forum, 0, 15), at(forum, 0, 16, 30))
    html = text(client.get("/forums/asar/agenda"))
    assert "Changed since your last visit:" in html and "is-changed" in html
    assert "Moved from 16 September, 10:00 to 15:00." in html
    assert "1 of your sessions has changed since your last visit" in html
    assert ">15:00</time>" in html

    html = text(client.get("/forums/asar/agenda"))  # seen: no longer highlighted
    assert "Changed since" not in html and "Moved from" not in html and "is-changed" not in html
    assert ">15:00</time>" in html
    assert schedule.agenda(delegate)[0][1] == []


def test_hall_change_and_cancellation_are_highlighted(client, forum, delegate_login):
    first = make_session(forum, kind="master_class", capacity=10, title="Первая", start=(10, 0))
    second = make_session(forum, kind="seminar", capacity=10, title="Вторая", start=(14, 0))
    delegate = delegate_login(make_delegate(forum))
    schedule.enroll(first, delegate)
    schedule.enroll(second, delegate)

    move(first, first.starts_at, first.ends_at, hall=forum.halls[1])
    schedule.cancel_session(second, None)
    html = text(client.get("/forums/asar/agenda"))
    assert "Hall changed from Hall 1 to Hall 2." in html
    assert "Cancelled by the organizers." in html and "<s>Вторая</s>" in html
    assert "2 of your sessions have changed" in html

    ics = Calendar.from_ical(client.get("/forums/asar/agenda.ics").data)
    statuses = {str(e["summary"]): str(e["status"]) for e in ics.walk("VEVENT")}
    assert statuses == {"Первая": "CONFIRMED", "Вторая": "CANCELLED"}
    assert "Changed since" not in text(client.get("/forums/asar/agenda"))


def test_leave_frees_the_seat_and_promotes_the_waitlist(client, forum, delegate_login, db, outbox):
    master_class = make_session(forum, kind="master_class", capacity=1, title="Один стул")
    leaving, waiting = make_delegate(forum), make_delegate(forum, email="waiting@example.kz")
    schedule.enroll(master_class, leaving)
    schedule.enroll(master_class, waiting)
    delegate_login(leaving)
    assert "Full — waitlist" in text(client.get("/forums/asar/programme"))

    response = client.post(session_path(master_class, "leave"))
    assert response.status_code == 302
    html = text(client.get(session_path(master_class)))
    assert "You have given up your place in “Один стул”." in flashes(html)
    assert ">Join the waitlist</button>" in html  # the seat went to the first in the queue
    promoted = db.session.scalar(sa.select(Enrollment).where(Enrollment.delegate_id == waiting.id))
    assert promoted.status == EnrollmentStatus.enrolled
    assert ["waiting@example.kz"] in [m.recipients for m in outbox]
    assert "You have not enrolled in any session yet." in text(client.get("/forums/asar/agenda"))


def test_a_full_session_offers_the_waitlist_and_shows_the_place_in_it(client, forum, delegate_login):
    master_class = make_session(forum, kind="master_class", capacity=1, title="Мастер-класс")
    schedule.enroll(master_class, make_delegate(forum))
    schedule.enroll(master_class, make_delegate(forum))  # first in the queue
    delegate_login(make_delegate(forum))
    assert ">Join the waitlist</button>" in text(client.get(session_path(master_class)))
    client.post(session_path(master_class, "enrol"))
    html = text(client.get(session_path(master_class)))
    assert any("you are number 2 on the waitlist" in f for f in flashes(html))
    assert "Waitlist: number 2" in html and ">Leave the waitlist</button>" in html
    assert "Waitlist: number 2" in text(client.get("/forums/asar/agenda"))
    event = Calendar.from_ical(client.get("/forums/asar/agenda.ics").data).walk("VEVENT")[0]
    assert str(event["status"]) == "TENTATIVE"


def test_a_pending_delegate_gets_a_clear_refusal(client, forum, delegate_login, count):
    master_class = make_session(forum, kind="master_class", capacity=5)
    delegate_login(make_delegate(forum, confirmed=False))
    html = text(client.get(session_path(master_class)))
    assert "You can enrol once your registration is confirmed." in html and ">Enrol</button>" not in html

    response = client.post(session_path(master_class, "enrol"))
    assert response.status_code == 302
    refusal = flashes(text(client.get(response.headers["Location"])))
    assert "Only confirmed delegates of this forum can enrol." in refusal
    assert count(Enrollment) == 0


def test_overlapping_enrolment_is_refused_with_the_reason(client, forum, delegate_login, count):
    first = make_session(forum, kind="master_class", capacity=5, title="Азаматтық бюджет", start=(10, 0))
    parallel = make_session(forum, kind="seminar", capacity=5, title="Параллельная", start=(10, 30),
                            hall=forum.halls[1])
    delegate_login(make_delegate(forum))
    client.post(session_path(first, "enrol"))
    response = client.post(session_path(parallel, "enrol"))
    messages = flashes(text(client.get(response.headers["Location"])))
    assert "You are already enrolled in “Азаматтық бюджет” at the same time." in messages
    assert count(Enrollment) == 1


def test_open_sessions_need_no_enrolment(client, forum, delegate_login):
    plenary = make_session(forum, kind="plenary", title="Пленарное")
    delegate_login(make_delegate(forum))
    assert ">Enrol</button>" not in text(client.get(session_path(plenary)))
    response = client.post(session_path(plenary, "enrol"))
    assert "This session is open to everyone: no enrolment is needed." in flashes(
        text(client.get(response.headers["Location"])))


def test_leaving_without_a_seat_is_a_message_not_an_error(client, forum, delegate_login):
    master_class = make_session(forum, kind="master_class", capacity=5)
    delegate_login(make_delegate(forum))
    response = client.post(session_path(master_class, "leave"))
    assert "You are not enrolled in this session." in flashes(text(client.get(response.headers["Location"])))


def test_visitors_without_a_registration_are_sent_to_log_in_or_register(client, forum, login):
    master_class = make_session(forum, kind="master_class", capacity=5)
    for path in ("/forums/asar/agenda", "/forums/asar/agenda.ics"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = client.post(session_path(master_class, "enrol"))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    html = text(client.get(session_path(master_class)))
    assert "Register for the forum" in html and ">Enrol</button>" not in html

    login(make_user())
    response = client.get("/forums/asar/agenda")
    assert response.status_code == 302 and response.headers["Location"].endswith("/forums/asar/register")


def test_a_registration_remembered_by_the_browser_can_enrol(client, forum, count):
    """A delegate who registered without an account is known through the browser session."""
    master_class = make_session(forum, kind="master_class", capacity=5, title="Мастер-класс")
    response = client.post("/forums/asar/register", data={
        "full_name": "Әлия Бекова", "email": "aliya@example.kz", "sector": "ngo", "consent": "y",
        "participation": "in_person", "language": "kk"})
    assert response.status_code == 302, text(response)[:1000]
    client.post(session_path(master_class, "enrol"))
    assert count(Enrollment) == 1
    assert "Мастер-класс" in text(client.get("/forums/asar/agenda"))


def test_an_other_forums_delegate_cannot_enrol_here(client, forum, delegate_login, count):
    master_class = make_session(forum, kind="master_class", capacity=5)
    delegate_login(make_delegate(make_forum(slug="other")))
    response = client.post(session_path(master_class, "enrol"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/forums/asar/register")
    assert count(Enrollment) == 0
