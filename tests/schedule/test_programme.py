"""The public programme: by day in the forum's time zone, filters, seats, and its JSON, iCal and PDF forms."""
import io
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.models import ForumStatus, Session
from app.pdf.programme import ProgrammeData, ProgrammeDay, ProgrammeEntry, render_programme
from app.schedule import services as schedule
from app.schedule.services import Casting, SessionInput
from tests.factories import PASSWORD, at, make_delegate, make_forum, make_organizer, make_session

KAZAKH_TITLE = "Әлеуметтік кәсіпкерлік: ҮЕҰ мен бизнестің әріптестігі"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), halls=3,
                      venue="Атырау университеті")


def add(forum, *, day=0, start=(10, 0), minutes=60, hall=0, kind="panel", title="Сессия", status="published",
        languages=("kk", "ru"), topic=None, capacity=None, cast=None, interpretation=False, **texts):
    """A session with every field the public programme shows, through the real rules."""
    starts = at(forum, day, *start)
    return schedule.save_session(forum, SessionInput(
        kind=kind, starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
        hall_id=forum.halls[hall].id if hall is not None else None,
        title_kk=texts.get("title_kk", title), title_ru=texts.get("title_ru", title), title_en=texts.get("title_en"),
        description_kk=texts.get("description_kk"), description_ru=texts.get("description_ru"),
        languages=list(languages), topic=topic, capacity=capacity, cast=cast, interpretation=interpretation,
        status=status), None)


def page(client, path="/forums/asar/programme", **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def titles(html):
    return re.findall(r'<h3 class="pg-title">\s*<a href="[^"]+">(?:<s>)?([^<]+)', html)


@contextmanager
def counting_queries(db):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


# --- The page --------------------------------------------------------------------------------

def test_times_are_shown_in_the_forums_time_zone(client, forum):
    session = add(forum, start=(10, 0), minutes=90, title="Ашылу")
    assert session.starts_at == datetime(2030, 9, 16, 5, 0, tzinfo=timezone.utc)  # stored in UTC
    html = page(client)
    assert '<time datetime="2030-09-16T05:00:00+00:00">10:00</time>' in html
    assert ">11:30</time>" in html
    assert "Day 1 · Monday, 16 September" in html
    assert "UTC+5" in html


def test_each_session_shows_kind_hall_people_languages_and_interpretation(client, forum):
    add(forum, kind="round_table", title="Дөңгелек үстел", hall=1, languages=("kk", "ru", "en"), interpretation=True,
        description_ru="Обсуждаем социальный заказ. " * 30,
        cast=[Casting(role="moderator", full_name="Айгүл Серікқызы", position="Директор",
                      organization="ҚҚ «Ақ жол»"),
              Casting(role="speaker", full_name="Иван Петров")])
    html = page(client, headers={"Accept-Language": "ru"})
    assert "Дөңгелек үстел" in html and "Hall 2" in html
    assert "Айгүл Серікқызы" in html and "Директор, ҚҚ «Ақ жол»" in html and "Иван Петров" in html
    assert "Қазақша, Русский, English" in html
    assert 'class="pg-summary"' in html and "…" in html  # a short description, cut at a word


def test_titles_follow_the_readers_language_with_fallback(client, forum):
    add(forum, title=None, title_kk="Қазақша атауы", title_ru="Русское название", title_en="English title")
    add(forum, start=(12, 0), title=None, title_kk=None, title_ru="Только по-русски")
    assert titles(page(client, headers={"Accept-Language": "kk"})) == ["Қазақша атауы", "Только по-русски"]
    assert titles(page(client, headers={"Accept-Language": "en"})) == ["English title", "Только по-русски"]
    assert titles(page(client, headers={"Accept-Language": "ru"})) == ["Русское название", "Только по-русски"]


@pytest.mark.parametrize("query, expected", [
    ("", ["Plenary", "Master class", "Seminar KK", "Panel RU topic"]),
    ("?kind=master_class", ["Master class"]),
    ("?hall=HALL2", ["Master class", "Panel RU topic"]),
    ("?language=en", ["Seminar KK"]),
    ("?language=kk", ["Plenary", "Master class", "Seminar KK"]),
    ("?topic=Экология", ["Panel RU topic"]),
    ("?kind=panel&hall=HALL2&language=ru&topic=экология", ["Panel RU topic"]),
    ("?kind=ceremony", []),
    ("?kind=nonsense&hall=abc", ["Plenary", "Master class", "Seminar KK", "Panel RU topic"]),
])
def test_filters_narrow_the_list(client, forum, query, expected):
    add(forum, kind="plenary", title="Plenary", start=(9, 0))
    add(forum, kind="master_class", title="Master class", hall=1, start=(11, 0), capacity=20)
    add(forum, kind="seminar", title="Seminar KK", hall=2, start=(11, 0), languages=("kk", "en"))
    add(forum, kind="panel", title="Panel RU topic", hall=1, day=1, languages=("ru",), topic="Экология")
    html = page(client, "/forums/asar/programme" + query.replace("HALL2", str(forum.halls[1].id)))
    assert titles(html) == expected
    if not expected:
        assert "No session matches these filters." in html


def test_filter_form_offers_what_the_programme_has_and_works_without_javascript(client, forum):
    add(forum, kind="plenary", title="A", topic="Экология")
    html = page(client)
    form = re.search(r'<form class="filters pg-filters" method="get" action="/forums/asar/programme">.*?</form>',
                     html, re.S).group(0)
    assert '<option value="plenary">Plenary session</option>' in form
    assert 'value="master_class"' not in form  # no master class in this programme
    assert '<option value="Экология">Экология</option>' in form
    assert 'type="submit"' in form
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]


def test_cancelled_sessions_are_shown_struck_through(client, forum):
    session = add(forum, title="Отменённая сессия")
    schedule.cancel_session(session, None)
    html = page(client)
    assert "<s>Отменённая сессия</s>" in html
    assert 'is-cancelled' in html and ">Cancelled</span>" in html


def test_draft_sessions_are_hidden_from_the_public(client, forum, login):
    draft = add(forum, title="Черновик", status="draft")
    add(forum, title="Опубликовано", start=(14, 0))
    assert titles(page(client)) == ["Опубликовано"]
    assert "Черновик" not in client.get("/forums/asar/programme.json").get_data(as_text=True)
    assert client.get(f"/forums/asar/programme/{draft.id}").status_code == 404
    login(make_organizer(forum))  # the forum's organizers may preview it
    assert "Draft: only the forum" in page(client, f"/forums/asar/programme/{draft.id}")


def test_a_draft_forum_is_not_found(client, forum, db):
    session = add(forum, title="Сессия")
    forum.status = ForumStatus.draft
    db.session.commit()
    for path in ("/forums/asar/programme", f"/forums/asar/programme/{session.id}", "/forums/asar/programme.json",
                 "/forums/asar/programme.ics", "/forums/asar/programme.pdf", "/forums/asar/agenda",
                 "/forums/asar/agenda.ics", "/forums/nowhere/programme"):
        assert client.get(path).status_code == 404, path


def test_a_session_of_another_forum_is_not_found(client, forum):
    other = make_forum(slug="other")
    foreign = make_session(other, title="Чужая")
    assert client.get(f"/forums/asar/programme/{foreign.id}").status_code == 404
    assert client.get(f"/forums/other/programme/{foreign.id}").status_code == 200


def test_seats_left_and_full(client, forum):
    master_class = add(forum, kind="master_class", title="Мастер-класс", capacity=2)
    add(forum, kind="plenary", title="Пленарное", hall=1)
    assert "2 seats left" in page(client)
    schedule.enroll(master_class, make_delegate(forum))
    assert "1 seat left" in page(client)
    schedule.enroll(master_class, make_delegate(forum))
    html = page(client)
    assert "Full — waitlist" in html and "seats left" not in html and "seat left" not in html


def test_session_page_has_everything(client, forum):
    session = add(forum, kind="master_class", title="Мастер-класс", capacity=30, topic="Цифровизация",
                  description_ru="Первая строка.\nВторая строка.", interpretation=True,
                  cast=[Casting(role="speaker", full_name="Дәурен Қожахметов", organization="Атырау университеті")])
    schedule.save_session(forum, _with_stream(session, "https://example.org/live/1"), None, session)
    html = page(client, f"/forums/asar/programme/{session.id}")
    for text in ("Мастер-класс", "Цифровизация", "Первая строка.<br>Вторая строка.", "Дәурен Қожахметов",
                 "Speaker", "30 seats left", "of 30", "Interpretation provided", "Hall 1",
                 'href="https://example.org/live/1"', "Register for the forum", "10:00", "11:00"):
        assert text in html, text


def _with_stream(session, url):
    data = schedule._input_from(session, session.starts_at, session.ends_at)
    data.status = "published"
    data.stream_url = url
    return data


# --- JSON ------------------------------------------------------------------------------------

def test_json_has_every_field(client, forum):
    master_class = add(forum, kind="master_class", title=KAZAKH_TITLE, capacity=10, topic="Экология", hall=1,
                       languages=("kk", "ru", "en"), interpretation=True,
                       cast=[Casting(role="moderator", full_name="Айгүл Серікқызы", position="Директор",
                                     organization="ҚҚ «Ақ жол»")])
    open_session = add(forum, kind="plenary", title="Пленарное", hall=None, start=(15, 0))
    schedule.enroll(master_class, make_delegate(forum))
    response = client.get("/forums/asar/programme.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["forum"]["slug"] == "asar" and body["forum"]["timezone"] == "Asia/Almaty"
    first, second = body["sessions"]
    assert first == {
        "id": master_class.id, "kind": "master_class", "title": KAZAKH_TITLE,
        "starts_at": "2030-09-16T05:00:00+00:00", "ends_at": "2030-09-16T06:00:00+00:00",
        "hall": {"id": forum.halls[1].id, "name": "Hall 2"}, "capacity": 10, "seats_left": 9,
        "persons": [{"name": "Айгүл Серікқызы", "role": "moderator", "position": "Директор",
                     "organization": "ҚҚ «Ақ жол»"}],
        "languages": ["kk", "ru", "en"], "interpretation": True, "topic": "Экология", "status": "published",
    }
    assert second["id"] == open_session.id and second["hall"] is None
    assert second["capacity"] is None and second["seats_left"] is None and second["persons"] == []
    assert KAZAKH_TITLE.encode() in response.data  # not \u-escaped


def test_json_follows_the_filters(client, forum):
    add(forum, kind="plenary", title="A")
    add(forum, kind="seminar", title="B", hall=1)
    assert [s["title"] for s in client.get("/forums/asar/programme.json?kind=seminar").get_json()["sessions"]] == ["B"]


# --- iCal ------------------------------------------------------------------------------------

def test_programme_ics_has_one_event_per_session(client, forum):
    first = add(forum, title=KAZAKH_TITLE, start=(10, 0), minutes=90)
    cancelled = add(forum, title="Отменена", start=(12, 0), hall=1)
    schedule.cancel_session(cancelled, None)
    add(forum, title="Черновик", status="draft", start=(14, 0))
    response = client.get("/forums/asar/programme.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"session-{first.id}@asar", f"session-{cancelled.id}@asar"}
    event = events[f"session-{first.id}@asar"]
    assert event.decoded("dtstart") == datetime(2030, 9, 16, 5, 0, tzinfo=timezone.utc)
    assert event.decoded("dtend") == datetime(2030, 9, 16, 6, 30, tzinfo=timezone.utc)
    assert b"DTSTART:20300916T050000Z" in response.data
    assert str(event["summary"]) == KAZAKH_TITLE
    assert str(event["location"]) == "Hall 1, Атырау университеті, Атырау"
    assert str(event["status"]) == "CONFIRMED"
    assert str(events[f"session-{cancelled.id}@asar"]["status"]) == "CANCELLED"
    assert "last-modified" in event and int(event["sequence"]) >= 0


def test_ics_sequence_and_last_modified_follow_updated_at(client, forum, db):
    session = add(forum, title="Сессия")
    created = (datetime.now(timezone.utc) - timedelta(days=1)).replace(microsecond=0)
    db.session.execute(sa.update(Session).where(Session.id == session.id)
                       .values(created_at=created, updated_at=created + timedelta(minutes=5)))
    db.session.commit()
    event = Calendar.from_ical(client.get("/forums/asar/programme.ics").data).walk("VEVENT")[0]
    assert int(event["sequence"]) == 300
    assert event.decoded("last-modified") == created + timedelta(minutes=5)

    data = schedule._input_from(session, at(forum, 0, 11), at(forum, 0, 12))  # moved an hour later, today
    data.status = "published"
    schedule.save_session(forum, data, None, session)
    event = Calendar.from_ical(client.get("/forums/asar/programme.ics").data).walk("VEVENT")[0]
    assert int(event["sequence"]) > 300
    assert event.decoded("dtstart") == datetime(2030, 9, 16, 6, 0, tzinfo=timezone.utc)


# --- PDF -------------------------------------------------------------------------------------

def test_pdf_has_the_kazakh_title_as_text(client, forum):
    from pypdf import PdfReader

    add(forum, title=KAZAKH_TITLE, cast=[Casting(role="speaker", full_name="Әсел Нұрғалиқызы")])
    cancelled = add(forum, title="Болмайды", start=(12, 0))
    schedule.cancel_session(cancelled, None)
    response = client.get("/forums/asar/programme.pdf", headers={"Accept-Language": "kk"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert KAZAKH_TITLE in text
    assert "Әсел Нұрғалиқызы" in text and "Атырау университеті" in text
    assert re.search(r"\b1\D+1\b", text)  # "page 1 of 1", in whichever words Kazakh uses
    fonts = {str(f) for page_ in reader.pages for f in page_["/Resources"]["/Font"].values()}
    assert fonts  # fonts are embedded, not the built-in Helvetica


def test_pdf_bytes_are_deterministic_and_paged():
    from pypdf import PdfReader

    entries = tuple(ProgrammeEntry(time=f"{9 + i % 9}:00–{10 + i % 9}:00", title=f"{KAZAKH_TITLE} {i}",
                                   kind="Панель", hall="Зал «Жайық»", people=("Айгүл Серікқызы — модератор",))
                    for i in range(60))
    data = ProgrammeData(title="ASAR", dates="16–17 сентября 2030", venue="Атырау",
                         days=(ProgrammeDay("День 1", entries[:30]), ProgrammeDay("День 2", entries[30:])))
    first, second = render_programme(data), render_programme(data)
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    pages = len(reader.pages)
    assert pages > 1
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()


# --- Speed: caching and a fixed number of queries --------------------------------------------

def test_etag_gives_304_until_the_programme_changes(client, forum):
    session = add(forum, title="Сессия")
    first = client.get("/forums/asar/programme")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=30"
    again = client.get("/forums/asar/programme", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag

    data = schedule._input_from(session, at(forum, 0, 11), at(forum, 0, 12))
    data.status = "published"
    schedule.save_session(forum, data, None, session)
    changed = client.get("/forums/asar/programme", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert ">11:00</time>" in changed.get_data(as_text=True)


def test_etag_changes_when_a_seat_is_taken(client, forum):
    master_class = add(forum, kind="master_class", title="Мастер-класс", capacity=5)
    etag = client.get("/forums/asar/programme").headers["ETag"]
    schedule.enroll(master_class, make_delegate(forum))
    response = client.get("/forums/asar/programme", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "4 seats left" in response.get_data(as_text=True)


def test_etag_depends_on_language_and_filters(client, forum):
    add(forum, title="Сессия")
    etag = client.get("/forums/asar/programme").headers["ETag"]
    assert client.get("/forums/asar/programme", headers={"If-None-Match": etag, "Accept-Language": "kk"}
                      ).status_code == 200
    assert client.get("/forums/asar/programme?kind=panel", headers={"If-None-Match": etag}).status_code == 200


def test_downloads_are_revalidated_too(client, forum):
    add(forum, title="Сессия")
    for path in ("/forums/asar/programme.json", "/forums/asar/programme.ics", "/forums/asar/programme.pdf"):
        first = client.get(path)
        assert first.headers["Cache-Control"] == "public, max-age=30"
        assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304, path


def test_logged_in_readers_get_a_private_page(client, forum, login, db):
    add(forum, title="Сессия")
    delegate = make_delegate(forum, full_name="Ерлан Сейітқали")
    delegate.user.set_password(PASSWORD)
    db.session.commit()
    login(delegate.user)
    welcome = client.get("/forums/asar/programme")  # shows the login's flash: not cached at all
    assert "ETag" not in welcome.headers and welcome.headers["Cache-Control"] == "private, no-cache"
    response = client.get("/forums/asar/programme")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Ерлан Сейітқали" in response.get_data(as_text=True)
    assert client.get("/forums/asar/programme", headers={"If-None-Match": response.headers["ETag"]}
                      ).status_code == 304


def test_a_stale_browser_copy_without_its_session_is_not_revalidated(app, forum):
    """A cached page carries its reader's CSRF token: a browser that lost its session gets a fresh page."""
    add(forum, title="Сессия")
    etag = app.test_client().get("/forums/asar/programme").headers["ETag"]
    assert app.test_client().get("/forums/asar/programme", headers={"If-None-Match": etag}).status_code == 200


def test_query_count_does_not_grow_with_the_programme(client, db, app):
    def build(slug, n):
        forum = make_forum(slug=slug, starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17), halls=6)
        for i in range(n):
            add(forum, day=i % 2, start=(9 + (i // 12) % 9, 0), minutes=50, hall=(i // 2) % 6,
                kind=["panel", "master_class", "plenary"][i % 3], title=f"Сессия {i}",
                capacity=20 if i % 3 == 1 else None, topic=f"Тема {i % 4}",
                cast=[Casting(role="speaker", full_name=f"Спикер {slug} {i}")])
        return forum

    build("small", 10)
    build("large", 60)
    counts = {}
    for slug in ("small", "large"):
        with counting_queries(db) as statements:
            response = client.get(f"/forums/{slug}/programme")
        assert response.status_code == 200
        counts[slug] = len(statements)
    assert counts["small"] == counts["large"] <= 8, counts
    assert len(titles(response.get_data(as_text=True))) == 60

    with counting_queries(db) as statements:  # the same state again: everything comes from memory
        assert client.get("/forums/large/programme").status_code == 200
    assert len(statements) == 1  # the fingerprint (which finds the forum too)


def test_gzip_page_is_the_same_page(client, forum):
    import gzip

    add(forum, title=KAZAKH_TITLE, cast=[Casting(role="speaker", full_name="Әсел Нұрғалиқызы")])
    plain = client.get("/forums/asar/programme")
    packed = client.get("/forums/asar/programme", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    token = re.compile(r'name="csrf_token" value="[^"]+"')
    assert token.sub("", gzip.decompress(packed.data).decode()) == token.sub("", plain.get_data(as_text=True))
    assert packed.headers["ETag"] != plain.headers["ETag"]  # one validator per encoding
    again = client.get("/forums/asar/programme", headers={"Accept-Encoding": "gzip",
                                                          "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_crc32_combine_matches_zlib():
    import os
    import zlib

    from app.schedule.cache import crc32_combine, crc32_zeros_operator

    for size in (0, 1, 2, 3, 255, 4096, 100_003):
        a, b = os.urandom(777), os.urandom(size)
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), crc32_zeros_operator(size)) == zlib.crc32(a + b)
