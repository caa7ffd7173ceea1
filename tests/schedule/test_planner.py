"""The organizer's planner: build the programme on a day × hall grid, fix what breaks, see who is enrolled."""
import codecs
import csv
import html
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import Enrollment, Person, Session, SessionChange, SessionPerson, SessionStatus
from app.schedule import planner
from app.schedule import services as schedule
from app.schedule.services import Casting
from tests.factories import (at, make_delegate, make_forum, make_organization, make_organizer, make_session,
                             make_user)

KAZAKH_TITLE = "Әлеуметтік кәсіпкерлік: ғылым, қоғам, өңір, ұлт, үкімет, һәм білім"


@pytest.fixture
def forum(app):
    return make_forum(starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), halls=2)


@pytest.fixture
def organizer(forum, login):
    return login(make_organizer(forum))


def url(forum, tail=""):
    return f"/forums/{forum.slug}/planner{tail}"


def new_session_form(forum, **changes):
    data = {
        "kind": "master_class", "title_kk": KAZAKH_TITLE, "title_ru": "Социальное предпринимательство",
        "title_en": "", "topic": "Social business", "hall_id": str(forum.halls[0].id),
        "starts_at": "2030-09-16T10:00", "ends_at": "2030-09-16T11:30", "languages": ["kk", "ru"],
        "capacity": "30", "status": "published", "stream_url": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_form(session, forum, **changes):
    """What the edit page posts back for this session, with some fields changed."""
    local = lambda moment: moment.astimezone(forum.tzinfo).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    data = {
        "kind": session.kind.value, "title_kk": session.title_kk or "", "title_ru": session.title_ru or "",
        "hall_id": str(session.hall_id or ""), "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at), "languages": session.language_list,
        "capacity": "" if session.capacity is None else str(session.capacity), "status": session.status.value,
    }
    for index, role in enumerate(session.roles):
        data[f"cast-{index}-role"] = role.role.value
        data[f"cast-{index}-person_id"] = str(role.person_id)
    data.update(changes)
    return data


def error_beside(page: str, field: str) -> str:
    """The text of the error shown beside a field (`<p|div … id="FIELD-error">`), or '' when there is none."""
    match = re.search(rf'<(p|div)[^>]*id="{re.escape(field)}-error"[^>]*>(.*?)</\1>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))) if match else ""


def text(fragment: str) -> str:
    """What a reader sees: tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def block_of(page: str, session_id: int) -> str:
    match = re.search(rf'<article id="session-{session_id}".*?</article>', page, re.S)
    assert match, f"session {session_id} is not on the planner"
    return html.unescape(match.group(0))


# --- Building the programme ------------------------------------------------------------------

def test_the_organizer_adds_a_master_class_and_sees_it_at_forum_time(client, forum, organizer, count):
    form = new_session_form(forum, **{"cast-0-role": "moderator", "cast-0-full_name": "Ерлан Сейітқали",
                                      "cast-0-organization": "«Қазақстан халқына» қоры"})
    response = client.post(url(forum, "/new"), data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session = schedule.programme(forum, include_unpublished=True)[0]
    assert response.headers["Location"].endswith(f"/planner?day=2030-09-16#session-{session.id}")
    assert session.title_kk == KAZAKH_TITLE
    assert session.starts_at == datetime(2030, 9, 16, 5, 0, tzinfo=timezone.utc)  # 10:00 in Atyrau is 05:00 UTC
    assert [(r.role.value, r.person.full_name) for r in session.roles] == [("moderator", "Ерлан Сейітқали")]
    assert count(Person) == 1

    client.post("/language", data={"lang": "kk", "next": "/"})
    page = client.get(url(forum, "?day=2030-09-16")).get_data(as_text=True)
    block = block_of(page, session.id)
    assert KAZAKH_TITLE in block  # ә ғ қ ң ө ұ ү һ і, all intact
    assert "10:00–11:30" in text(block) and "05:00" not in text(block)
    assert "0/30" in block
    assert "kind-master_class" in block


def test_an_empty_cell_opens_the_form_prefilled_with_its_hall_and_time(client, forum, organizer):
    page = client.get(url(forum, "?day=2030-09-16")).get_data(as_text=True)
    hall = forum.halls[1]
    link = f'/forums/{forum.slug}/planner/new?hall={hall.id}&amp;start=2030-09-16T10:00'
    assert link in page
    form = client.get(html.unescape(link)).get_data(as_text=True)
    assert re.search(rf'<option selected value="{hall.id}">|<option value="{hall.id}" selected>', form)
    assert 'value="2030-09-16T10:00"' in form and 'value="2030-09-16T11:00"' in form


def test_the_grid_has_a_column_per_hall_and_one_without_a_hall(client, forum, organizer):
    online = make_session(forum, hall=False, start=(15, 0), title="Онлайн-сессия")
    page = client.get(url(forum, "?day=2030-09-16")).get_data(as_text=True)
    for hall in forum.halls:
        assert f'id="col-{hall.id}"' in page
    online_column = page[page.index('id="col-none"'):]
    assert f'id="session-{online.id}"' in online_column
    assert "Онлайн-сессия" in block_of(page, online.id)


def test_the_day_switcher_shows_the_other_day(client, forum, organizer):
    second = make_session(forum, day=1, start=(9, 30), title="Второй день")
    first_day = client.get(url(forum, "?day=2030-09-16")).get_data(as_text=True)
    assert f'id="session-{second.id}"' not in first_day
    second_day = client.get(url(forum, "?day=2030-09-17")).get_data(as_text=True)
    assert "09:30–11:00" in text(block_of(second_day, second.id))


REFUSALS = {
    "overlap in a hall": (dict(starts_at="2030-09-16T10:30", ends_at="2030-09-16T11:30"), "hall_id",
                          "is taken by “Пленарная сессия”"),
    "person double-booked": (dict(hall_id="SECOND_HALL", starts_at="2030-09-16T10:30", ends_at="2030-09-16T11:30",
                                  **{"cast-0-role": "speaker", "cast-0-person_id": "BUSY_PERSON"}),
                             "cast", "Ерлан Сейітқали is already in “Пленарная сессия”"),
    "outside the forum's days": (dict(starts_at="2030-09-20T10:00", ends_at="2030-09-20T11:00"), "starts_at",
                                 "within the forum's days"),
    "capacity above the hall's": (dict(capacity="500"), "capacity", "has only 100 seats"),
    "end before start": (dict(ends_at="2030-09-16T09:00"), "ends_at", "must end after it starts"),
    "no title": (dict(title_kk="  ", title_ru=""), "title_ru", "Give the title in Kazakh or Russian"),
    "an invalid datetime": (dict(starts_at="16.09.2030 ten o'clock"), "starts_at", "Enter a date and time"),
    "a hall of another forum": (dict(hall_id="OTHER_HALL"), "hall_id", "Choose a hall of this forum."),
    "no working language": (dict(languages=[]), "languages", "Choose at least one working language."),
    "a stream link that is not a link": (dict(stream_url="zoom meeting 123"), "stream_url", "must start with https://"),
    "a person with no name": (dict(**{"cast-0-role": "speaker", "cast-0-position": "Директор"}), "cast",
                              "Every person on stage needs a name."),
}


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_each_refusal_is_explained_beside_its_field_and_nothing_is_saved(client, forum, organizer, count, case):
    changes, field, message = REFUSALS[case]
    busy = make_session(forum, start=(10, 0), title="Пленарная сессия",
                        cast=[Casting(role="speaker", full_name="Ерлан Сейітқали")])
    other = make_forum()
    replace = {"SECOND_HALL": str(forum.halls[1].id), "BUSY_PERSON": str(busy.roles[0].person_id),
               "OTHER_HALL": str(other.halls[0].id)}
    changes = {key: replace.get(value, value) if isinstance(value, str) else value for key, value in changes.items()}
    if case != "overlap in a hall":
        changes.setdefault("hall_id", str(forum.halls[1].id))  # the first hall is busy at 10:00
    sessions, people = count(Session), count(Person)

    response = client.post(url(forum, "/new"), data=new_session_form(forum, **changes))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in error_beside(page, field), error_beside(page, field) or page[:3000]
    assert "Nothing has been saved" in page
    assert KAZAKH_TITLE in page or case == "no title"  # what was typed is kept
    assert count(Session) == sessions and count(Person) == people


def test_all_refusals_show_at_once_even_with_a_typing_error(client, forum, organizer):
    make_session(forum, start=(10, 0), title="Пленарная сессия")
    response = client.post(url(forum, "/new"), data=new_session_form(
        forum, title_kk="", title_ru="", ends_at="not a time", capacity="500"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a date and time" in error_beside(page, "ends_at")
    assert "Give the title" in error_beside(page, "title_ru")
    assert "Enter when the session starts and ends" not in page  # the typo's own message says enough


@pytest.mark.parametrize("field, value", [("hall_id", "99999999999"), ("hall_id", "зал"),
                                          ("cast-0-person_id", "99999999999"), ("capacity", "10000000000")])
def test_numbers_no_database_could_hold_are_refused_beside_the_field(client, forum, organizer, count, field, value):
    response = client.post(url(forum, "/new"), data=new_session_form(forum, **{field: value}))
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), field).strip()
    assert count(Session) == 0


def test_the_same_person_twice_on_one_stage_is_refused_without_an_error_page(client, forum, organizer, count):
    first = make_session(forum, start=(12, 0), cast=[Casting(role="speaker", full_name="Айгүл Серікқызы")])
    person = str(first.roles[0].person_id)
    response = client.post(url(forum, "/new"), data=new_session_form(forum, **{
        "cast-0-role": "speaker", "cast-0-person_id": person, "cast-1-role": "moderator", "cast-1-person_id": person}))
    assert response.status_code == 422
    assert "only once" in error_beside(response.get_data(as_text=True), "cast")
    assert count(Session) == 1


# --- Changing it -----------------------------------------------------------------------------

def test_the_edit_form_shows_forum_times_and_the_people(client, forum, organizer):
    session = make_session(forum, start=(14, 15), minutes=45, cast=[Casting(role="moderator", full_name="Дана Ғалымқызы")])
    page = client.get(url(forum, f"/{session.id}")).get_data(as_text=True)
    assert 'value="2030-09-16T14:15"' in page and 'value="2030-09-16T15:00"' in page
    assert re.search(rf'<option selected value="{session.roles[0].person_id}">', page)


def test_moving_a_published_session_is_recorded_for_its_delegates(client, forum, organizer, count, db):
    session = make_session(forum, kind="master_class", capacity=20, start=(10, 0))
    schedule.enroll(session, make_delegate(forum))
    response = client.post(url(forum, f"/{session.id}"), data=edit_form(
        session, forum, hall_id=str(forum.halls[1].id), starts_at="2030-09-16T15:00", ends_at="2030-09-16T16:30"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?day=2030-09-16#session-{session.id}")
    db.session.refresh(session)
    assert session.hall_id == forum.halls[1].id
    assert session.starts_at == datetime(2030, 9, 16, 10, 0, tzinfo=timezone.utc)
    changes = db.session.scalars(sa.select(SessionChange).where(SessionChange.session_id == session.id)).all()
    assert {c.kind for c in changes} == {"moved", "hall"}
    assert count(Enrollment) == 1


def test_a_refused_edit_changes_nothing(client, forum, organizer, db):
    session = make_session(forum, start=(10, 0), title="Панель")
    make_session(forum, start=(14, 0), hall=forum.halls[1], title="Занято")
    response = client.post(url(forum, f"/{session.id}"), data=edit_form(
        session, forum, title_ru="Новое название", hall_id=str(forum.halls[1].id),
        starts_at="2030-09-16T14:30", ends_at="2030-09-16T15:00"))
    assert response.status_code == 422
    assert "is taken by “Занято”" in error_beside(response.get_data(as_text=True), "hall_id")
    db.session.refresh(session)
    assert (session.title_ru, session.hall_id) == ("Панель", forum.halls[0].id)


def test_duplicate_makes_a_draft_in_the_next_free_slot(client, forum, organizer, db):
    original = make_session(forum, start=(10, 0), minutes=90, title="Круглый стол")
    make_session(forum, start=(11, 30), minutes=30, title="Кофе-брейк")
    response = client.post(url(forum, f"/{original.id}/duplicate"))
    assert response.status_code == 302
    copy = db.session.scalar(sa.select(Session).where(Session.title_ru == "Круглый стол", Session.id != original.id))
    assert copy.status == SessionStatus.draft and copy.hall_id == original.hall_id
    assert copy.starts_at.astimezone(forum.tzinfo).strftime("%H:%M") == "12:00"
    assert response.headers["Location"].endswith(f"#session-{copy.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "12:00" in page and "in Hall 1" in page  # the flash says where the copy went
    assert "Draft" in block_of(page, copy.id)


def test_cancel_asks_first_then_strikes_the_session_through(client, forum, organizer, db, outbox):
    session = make_session(forum, kind="master_class", capacity=10, title="Мастер-класс")
    schedule.enroll(session, make_delegate(forum, email="aigul@example.kz"))
    confirm = client.get(url(forum, f"/{session.id}/cancel"))
    assert confirm.status_code == 200
    assert "1 delegate is enrolled or waiting" in html.unescape(confirm.get_data(as_text=True))
    db.session.refresh(session)
    assert session.status == SessionStatus.published  # asking changes nothing

    outbox.clear()
    response = client.post(url(forum, f"/{session.id}/cancel"))
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.status == SessionStatus.cancelled
    assert [m.recipients for m in outbox] == [["aigul@example.kz"]]
    block = block_of(client.get(response.headers["Location"]).get_data(as_text=True), session.id)
    assert "status-cancelled" in block and "<s>Мастер-класс</s>" in block and "Cancelled" in block


def test_a_cancelled_session_and_its_replacement_share_the_hall_side_by_side(client, forum, organizer):
    old = make_session(forum, start=(10, 0), title="Старый")
    schedule.cancel_session(old, None)
    new = make_session(forum, start=(10, 0), title="Новый")
    page = client.get(url(forum, "?day=2030-09-16")).get_data(as_text=True)
    assert "lane-1 of-2" in block_of(page, old.id) and "lane-2 of-2" in block_of(page, new.id)


# --- Rules broken after the fact -------------------------------------------------------------

def test_a_hall_made_smaller_shows_the_conflict_next_to_the_session(client, forum, organizer, db):
    session = make_session(forum, kind="master_class", capacity=80, title="Большой мастер-класс")
    fine = make_session(forum, start=(14, 0), title="Всё в порядке")
    forum.halls[0].capacity = 40
    db.session.commit()
    page = client.get(url(forum, "?day=2030-09-16")).get_data(as_text=True)
    block = block_of(page, session.id)
    assert "has-conflict" in block and "Hall 1 has only 40 seats; the session cannot offer 80." in block
    assert "has-conflict" not in block_of(page, fine.id)
    panel = html.unescape(page[page.index('id="conflicts-heading"'):page.index('id="day-heading"')])
    assert "1 session breaks the rules" in panel and "Большой мастер-класс" in panel


def test_the_cheap_screen_never_misses_a_session_the_rules_refuse(forum, db):
    """`_suspects` keeps the planner's queries few; check_rules must never find more than it flags."""
    hall_a, hall_b = forum.halls
    person = Casting(role="speaker", full_name="Жанар Әбенова")
    shrunk = make_session(forum, kind="master_class", capacity=90, start=(9, 0), title="shrunk")
    double = make_session(forum, start=(11, 0), hall=hall_a, cast=[person], title="double-1")
    other = make_session(forum, start=(13, 0), hall=hall_b, title="double-2")
    other.roles.append(SessionPerson(person_id=double.roles[0].person_id, role=double.roles[0].role))
    moved_into = make_session(forum, start=(15, 0), hall=hall_b, title="overlap")
    untitled = make_session(forum, start=(17, 0), title="untitled")
    full = make_session(forum, kind="master_class", capacity=5, day=1, start=(10, 0), title="full")
    for n in range(3):
        schedule.enroll(full, make_delegate(forum))
    fine = [make_session(forum, day=1, start=(12 + n, 0), minutes=45, hall=hall_b,
                         title=f"fine-{n}") for n in range(3)]
    db.session.flush()
    hall_a.capacity = 50                                         # shrunk now breaks
    other.starts_at, other.ends_at = double.starts_at, double.ends_at  # the speaker is in two places
    moved_into.starts_at -= timedelta(hours=4)                   # overlaps "double-2" in hall B
    moved_into.ends_at -= timedelta(hours=4)
    untitled.title_kk = untitled.title_ru = None
    full.capacity = 2                                            # fewer seats than delegates holding one
    db.session.commit()

    sessions = schedule.programme(forum, include_unpublished=True)
    taken = {s.id: schedule.seats_taken(s) for s in sessions}
    suspects = planner._suspects(forum, sessions, taken)
    refused = {s.id for s in sessions if schedule.check_rules(forum, planner.input_from(s), s)}
    assert refused <= suspects
    assert {shrunk.id, double.id, other.id, moved_into.id, untitled.id, full.id} <= refused
    assert not suspects & {s.id for s in fine}

    forum.starts_on, forum.ends_on = date(2030, 10, 1), date(2030, 10, 2)  # the forum was postponed
    db.session.commit()
    sessions = schedule.programme(forum, include_unpublished=True)
    refused = {s.id for s in sessions if schedule.check_rules(forum, planner.input_from(s), s)}
    assert refused == {s.id for s in sessions} <= planner._suspects(forum, sessions, taken)


# --- Who is enrolled -------------------------------------------------------------------------

@pytest.fixture
def master_class(forum, db):
    session = make_session(forum, kind="master_class", capacity=1, title="Грант жазу")
    org = make_organization(name="«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры")
    first = make_delegate(forum, full_name="Әйгерім Құрманғали", email="aigerim@example.kz")
    first.organization = org
    second = make_delegate(forum, full_name="=HYPERLINK(\"http://evil\")", email="second@example.kz",
                           sector="business")
    db.session.commit()
    schedule.enroll(session, first)
    schedule.enroll(session, second)
    return session


def test_the_enrolment_list_shows_seats_then_the_queue(client, forum, organizer, master_class):
    page = html.unescape(client.get(url(forum, f"/{master_class.id}/enrollments")).get_data(as_text=True))
    seats, queue = page.split('id="waitlist-heading"')
    assert "Seats taken: 1 of 1" in seats and "Әйгерім Құрманғали" in seats
    assert "«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры" in seats and "NGO" in seats
    assert '=HYPERLINK("http://evil")' in queue and "Business" in queue


def test_the_enrolment_csv_keeps_kazakh_letters_and_runs_no_formula(client, forum, organizer, master_class):
    response = client.get(url(forum, f"/{master_class.id}/enrollments?format=csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Status", "Place in queue", "Full name"]
    assert rows[1][:3] == ["Enrolled", "", "Әйгерім Құрманғали"]
    assert rows[1][5] == "«Азаматтық бастамаларды қолдау орталығы» қоғамдық қоры"
    assert rows[2][:3] == ["Waitlisted", "1", "'=HYPERLINK(\"http://evil\")"]


# --- Who may open it -------------------------------------------------------------------------

def _routes(forum, session_id):
    return [("GET", url(forum)), ("GET", url(forum, "/new")), ("POST", url(forum, "/new")),
            ("GET", url(forum, f"/{session_id}")), ("POST", url(forum, f"/{session_id}")),
            ("POST", url(forum, f"/{session_id}/duplicate")), ("GET", url(forum, f"/{session_id}/cancel")),
            ("POST", url(forum, f"/{session_id}/cancel")), ("GET", url(forum, f"/{session_id}/enrollments")),
            ("GET", url(forum, f"/{session_id}/enrollments?format=csv"))]


@pytest.mark.parametrize("who", ["anonymous", "delegate", "organizer_elsewhere"])
def test_only_the_forums_organizers_may_plan(client, forum, login, who):
    session = make_session(forum)
    if who == "delegate":
        login(make_user())
    elif who == "organizer_elsewhere":
        login(make_organizer(make_forum()))
    for method, path in _routes(forum, session.id):
        response = client.open(path, method=method)
        if who == "anonymous":
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"], path
        else:
            assert response.status_code == 403, path
    assert schedule.programme(forum, include_unpublished=True)[0].status == SessionStatus.published


def test_a_session_of_another_forum_is_not_found(client, forum, organizer, db):
    elsewhere = make_session(make_forum(starts_on=forum.starts_on), title="Чужая")
    for method, path in _routes(forum, elsewhere.id)[3:]:
        assert client.open(path, method=method).status_code == 404, path
    db.session.refresh(elsewhere)
    assert elsewhere.status == SessionStatus.published
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Session)) == 1


def test_an_unknown_forum_is_not_found(client, organizer):
    assert client.get("/forums/no-such-forum/planner").status_code == 404


# --- It stays fast ---------------------------------------------------------------------------

def _fill(forum, n):
    """n valid sessions over both days and halls, with people and enrolments, none breaking a rule."""
    slots = [(day, hall, 8 * 60 + 30 * k) for day in (0, 1) for hall in forum.halls for k in range(24)]
    delegate = make_delegate(forum)
    for index, (day, hall, minute) in enumerate(slots[:n]):
        session = make_session(forum, day=day, hall=hall, start=divmod(minute, 60), minutes=30,
                               kind="master_class" if index % 3 == 0 else "panel",
                               capacity=10 if index % 3 == 0 else None, title=f"Сессия {index}",
                               cast=[Casting(role="speaker", full_name=f"Спикер {index}")])
        if index % 6 == 0 and index < 24:  # one delegate, sessions that do not overlap
            schedule.enroll(session, delegate)


def _queries(db, client, path):
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert response.status_code == 200
    return len(statements)


def test_the_planner_query_count_does_not_grow_with_the_programme(client, db, login):
    small, large = (make_forum(starts_on=date(2030, 9, 16), halls=2) for _ in range(2))
    _fill(small, 10)
    _fill(large, 60)
    organizer = make_organizer(small)
    from app.auth.services import grant_forum_role
    from app.models import ForumRole

    grant_forum_role(organizer, large, ForumRole.organizer)
    login(organizer)
    few = _queries(db, client, f"/forums/{small.slug}/planner?day=2030-09-16")
    many = _queries(db, client, f"/forums/{large.slug}/planner?day=2030-09-16")
    assert many == few, (few, many)
    page = client.get(f"/forums/{large.slug}/planner?day=2030-09-16").get_data(as_text=True)
    assert page.count('class="pg-session') == 48 and "breaks the rules" not in page


def test_the_enrolment_list_query_count_does_not_grow_with_its_delegates(client, forum, organizer, db):
    small = make_session(forum, kind="master_class", capacity=50, start=(9, 0))
    large = make_session(forum, kind="master_class", capacity=50, start=(14, 0))
    for n in range(2):
        schedule.enroll(small, make_delegate(forum, email=f"s{n}@example.kz"))
    for n in range(12):
        delegate = make_delegate(forum, email=f"l{n}@example.kz")
        delegate.organization = make_organization(name=f"ОФ «Ұйым {n}»")
        schedule.enroll(large, delegate)
    assert _queries(db, client, url(forum, f"/{small.id}/enrollments")) == \
        _queries(db, client, url(forum, f"/{large.id}/enrollments"))


def test_opening_a_session_that_broke_shows_what_to_fix_beside_the_field(client, forum, organizer, db):
    session = make_session(forum, kind="master_class", capacity=80)
    forum.halls[0].capacity = 40
    db.session.commit()
    response = client.get(url(forum, f"/{session.id}"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "has only 40 seats" in error_beside(page, "capacity")
    assert "breaks the rules now" in page
    fixed = client.post(url(forum, f"/{session.id}"), data=edit_form(session, forum, capacity="40"))
    assert fixed.status_code == 302
    assert "breaks the rules" not in client.get(fixed.headers["Location"]).get_data(as_text=True)
