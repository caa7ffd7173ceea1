"""Every scheduling rule, each refusal with its plain-words message."""
from datetime import date, datetime, timedelta, timezone

import pytest

from app.models import EnrollmentStatus, Hall, SessionChange, SessionStatus
from app.schedule import services as schedule
from app.schedule.services import Casting, ScheduleError, SessionInput
from tests.factories import at, make_delegate, make_forum, make_session


@pytest.fixture
def forum(app):
    return make_forum(starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), halls=2)


def data_for(forum, **changes):
    values = dict(kind="panel", starts_at=at(forum, 0, 10), ends_at=at(forum, 0, 11, 30),
                  hall_id=forum.halls[0].id, title_ru="Панель", title_kk="Панель", status="published")
    values.update(changes)
    return SessionInput(**values)


def refusal(forum, session=None, **changes) -> str:
    with pytest.raises(ScheduleError) as caught:
        schedule.save_session(forum, data_for(forum, **changes), None, session)
    return caught.value.message


def test_times_are_stored_in_utc_and_shown_in_the_forums_zone(forum):
    session = make_session(forum, start=(10, 0))
    assert session.starts_at == datetime(2030, 9, 16, 5, 0, tzinfo=timezone.utc)  # 10:00 in Atyrau (UTC+5)
    assert session.starts_at.astimezone(forum.tzinfo).strftime("%H:%M") == "10:00"


def test_a_session_lies_within_the_forums_days(forum):
    message = refusal(forum, starts_at=at(forum, 2, 10), ends_at=at(forum, 2, 11))
    assert "within the forum's days" in message
    assert "within the forum's days" in refusal(forum, starts_at=at(forum, -1, 23), ends_at=at(forum, 0, 1))


def test_it_ends_after_it_starts(forum):
    assert "end after it starts" in refusal(forum, ends_at=at(forum, 0, 10))


def test_no_two_sessions_overlap_in_one_hall(forum):
    make_session(forum, start=(10, 0), minutes=90, title="Пленарная сессия")
    message = refusal(forum, starts_at=at(forum, 0, 11), ends_at=at(forum, 0, 12))
    assert "is taken by “Пленарная сессия”" in message and "Hall 1" in message
    # Back to back is fine, and so is another hall at the same time.
    make_session(forum, start=(11, 30), minutes=30)
    make_session(forum, start=(10, 0), hall=forum.halls[1])


def test_a_cancelled_session_frees_its_hall(forum):
    first = make_session(forum, start=(10, 0))
    schedule.cancel_session(first, None)
    make_session(forum, start=(10, 0))


def test_no_person_is_in_two_sessions_at_once(forum):
    first = make_session(forum, start=(10, 0), cast=[Casting(role="speaker", full_name="Ерлан Сейітқали")])
    person_id = first.roles[0].person_id
    message = refusal(forum, hall_id=forum.halls[1].id, starts_at=at(forum, 0, 11), ends_at=at(forum, 0, 12),
                      cast=[Casting(role="moderator", person_id=person_id)])
    assert "Ерлан Сейітқали is already in" in message


def test_capacity_cannot_exceed_the_halls(forum):
    forum.halls[0].capacity = 40
    message = refusal(forum, kind="master_class", capacity=60)
    assert "has only 40 seats" in message


def test_all_broken_rules_are_reported_together(forum):
    make_session(forum, start=(10, 0))
    forum.halls[0].capacity = 10
    with pytest.raises(ScheduleError) as caught:
        schedule.save_session(forum, data_for(forum, title_ru=None, title_kk=None, capacity=20), None)
    fields = {c.field for c in caught.value.conflicts}
    assert {"title_ru", "hall_id", "capacity"} <= fields


def test_a_hall_of_another_forum_is_refused(forum):
    other = make_forum()
    assert "hall of this forum" in refusal(forum, hall_id=other.halls[0].id)


def test_moving_a_session_rechecks_the_rules_and_tells_enrolled_delegates(forum, db):
    make_session(forum, start=(14, 0), title="Дөңгелек үстел")
    master_class = make_session(forum, start=(10, 0), kind="master_class", capacity=10)
    delegate = make_delegate(forum)
    schedule.enroll(master_class, delegate)

    message = refusal(forum, master_class, kind="master_class", capacity=10,
                      starts_at=at(forum, 0, 14, 30), ends_at=at(forum, 0, 15, 30))
    assert "Дөңгелек үстел" in message
    db.session.refresh(master_class)
    assert master_class.starts_at == at(forum, 0, 10)  # nothing half-written

    moved = schedule.save_session(forum, data_for(forum, kind="master_class", capacity=10, hall_id=forum.halls[1].id,
                                                  starts_at=at(forum, 1, 9), ends_at=at(forum, 1, 10, 30)),
                                  None, master_class)
    kinds = {c.kind for c in db.session.scalars(db.select(SessionChange).where(SessionChange.session_id == moved.id))}
    assert kinds == {"moved", "hall"}
    [(enrollment, changes)] = schedule.agenda(delegate)
    assert {c.kind for c in changes} == {"moved", "hall"}
    schedule.mark_agenda_seen(delegate)
    assert schedule.agenda(delegate)[0][1] == []


def test_cancelling_a_session_tells_its_delegates(forum, outbox):
    master_class = make_session(forum, kind="master_class", capacity=5)
    delegate = make_delegate(forum, email="aigerim@example.kz")
    outbox.clear()
    schedule.enroll(master_class, delegate)
    schedule.cancel_session(master_class, None)
    assert master_class.status == SessionStatus.cancelled
    assert [m.recipients for m in outbox] == [["aigerim@example.kz"]]
    assert [c.kind for _, changes in schedule.agenda(delegate) for c in changes] == ["cancelled"]


def test_capacity_cannot_drop_below_the_seats_taken(forum):
    master_class = make_session(forum, kind="master_class", capacity=3)
    for _ in range(3):
        schedule.enroll(master_class, make_delegate(forum))
    assert "3 delegates already hold a seat" in refusal(forum, master_class, kind="master_class", capacity=2)


def test_more_seats_promote_the_waitlist(forum, db):
    master_class = make_session(forum, kind="master_class", capacity=1)
    first, second = make_delegate(forum), make_delegate(forum)
    schedule.enroll(master_class, first)
    waiting = schedule.enroll(master_class, second)
    assert waiting.status == EnrollmentStatus.waitlisted
    schedule.save_session(forum, data_for(forum, kind="master_class", capacity=2), None, master_class)
    db.session.refresh(waiting)
    assert waiting.status == EnrollmentStatus.enrolled


def test_duplicate_goes_to_the_next_free_slot_as_a_draft(forum):
    original = make_session(forum, start=(10, 0), minutes=60, kind="master_class", capacity=20,
                            cast=[Casting(role="speaker", full_name="Сәуле Оспан")])
    copy = schedule.duplicate_session(original, None)
    assert copy.status == SessionStatus.draft
    assert copy.starts_at == original.ends_at and copy.hall_id == original.hall_id
    assert [r.person_id for r in copy.roles] == [r.person_id for r in original.roles]
    assert copy.capacity == 20 and copy.title_ru == original.title_ru
