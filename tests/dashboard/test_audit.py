"""The audit log: who did what and when in this forum (and only this forum), newest first, 50 to a page,
filtered by area, actor and days, in words people read, and downloadable with the same filters."""
import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.checkin import services as checkin
from app.extensions import db
from app.memoranda import services as memoranda
from app.models import AuditEvent, CheckIn
from app.registration import services as registration
from tests.factories import make_delegate, make_forum, make_organizer
from tests.helpers.results import KAZAKH_DELEGATE, KAZAKH_PROJECT, KAZAKH_SESSION, build_world
from tests.helpers.access import assert_access, get_as


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum, login):
    return login(make_organizer(forum, full_name="Айгүл Ұйымдастырушы", email="aigul.org@example.kz"))


@pytest.fixture
def world(forum, organizer):
    world = build_world(forum, organizer)
    # An approval, a check-in undone, a publication: the changes the log must keep.
    pending = world.delegates[4]
    registration.change_status(pending, "confirm", organizer, send_mail=False)
    checkin.undo(db.session.scalar(sa.select(CheckIn).where(CheckIn.delegate_id == world.delegates[2].id)), organizer)
    memoranda.publish(world.memorandum, organizer)
    return world


@pytest.fixture
def elsewhere(world):
    other = make_forum(slug="other")
    boss = make_organizer(other, email="boss.other@example.kz")
    stranger = make_delegate(other, full_name="Бөтен Делегат")
    checkin.check_in_delegate(stranger, boss)
    return other


def actions(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return re.findall(r'data-action="([^"]+)"', response.get_data(as_text=True))


def forum_events(forum, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.forum_id == forum.id, *where))


def test_the_changes_that_matter_are_recorded(world):
    recorded = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.forum_id == world.forum.id)))
    for action in ("delegate.registered", "delegate.confirmed", "checkin.created", "checkin.undone",
                   "session.created", "enrollment.enrolled", "enrollment.waitlisted", "project.submitted",
                   "pledge.made", "pledge.confirmed", "memorandum.drafted", "memorandum.opened",
                   "memorandum.signed_by_party", "memorandum.signed", "memorandum.published"):
        assert action in recorded, action


def test_the_log_lists_this_forums_events_only_newest_first_in_words(client, world, elsewhere):
    response = client.get("/forums/asar/audit")
    shown = actions(response)
    html = response.get_data(as_text=True)
    total = forum_events(world.forum)
    assert total > 20
    assert len(shown) == total and f"{total} events" in html
    assert "Бөтен Делегат" not in html and "boss.other@example.kz" not in html
    ids = [int(i) for i in re.findall(r'data-event="(\d+)"', html)]
    newest = list(db.session.scalars(sa.select(AuditEvent.id).where(AuditEvent.forum_id == world.forum.id)
                                     .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(50)))
    assert ids == newest
    assert shown[0] == "memorandum.published" and "Published in the registry" in html
    assert "Айгүл Ұйымдастырушы" in html and "aigul.org@example.kz" in html


def test_areas_filter_the_log_and_speak_plainly(client, world):
    checkins = client.get("/forums/asar/audit?group=checkins")
    assert set(actions(checkins)) == {"checkin.created", "checkin.undone"}
    html = checkins.get_data(as_text=True)
    assert "Check-in undone" in html and f"Delegate: {KAZAKH_DELEGATE}" in html and "checked in at" in html
    assert len(actions(checkins)) == forum_events(world.forum, AuditEvent.action.like("checkin.%"))

    registrations = client.get("/forums/asar/audit?group=registrations")
    assert set(actions(registrations)) == {"delegate.registered", "delegate.confirmed"}
    assert "was: Awaiting approval" in registrations.get_data(as_text=True)

    fair_log = client.get("/forums/asar/audit?group=fair")
    assert {"pledge.made", "pledge.confirmed", "project.submitted"} <= set(actions(fair_log))
    html = fair_log.get_data(as_text=True)
    assert "Pledge confirmed by the NGO" in html and KAZAKH_PROJECT in html and "1\u00a0250\u00a0000\u00a0₸" in html

    memoranda_log = client.get("/forums/asar/audit?group=memoranda").get_data(as_text=True)
    assert "Signed for a party" in memoranda_log and world.memorandum.number in memoranda_log

    programme = client.get("/forums/asar/audit?group=programme")
    assert {"session.created", "enrollment.enrolled", "enrollment.waitlisted"} <= set(actions(programme))
    assert KAZAKH_SESSION in programme.get_data(as_text=True)


def test_the_actor_filter_finds_people_by_part_of_their_email(client, world):
    mine = actions(client.get("/forums/asar/audit?actor=AIGUL.ORG&group=checkins"))
    assert mine and len(mine) == forum_events(world.forum, AuditEvent.action.like("checkin.%"),
                                              AuditEvent.actor_id == world.organizer.id)
    signatory = actions(client.get("/forums/asar/audit?actor=signatory1@"))
    assert set(signatory) == {"memorandum.signed_by_party", "memorandum.invitation_accepted"}
    assert actions(client.get("/forums/asar/audit?actor=nobody-at-all")) == []
    assert actions(client.get("/forums/asar/audit?actor=%25")) == []  # a literal %, not a wildcard


def test_the_date_range_is_in_the_forums_days(client, world, organizer):
    # 23:30 on 9 January at UTC+5 is the 9th there (the 9th in UTC too); 00:30 on the 10th is the 9th in UTC.
    for action, at in (("delegate.edited", datetime(2026, 1, 9, 18, 30, tzinfo=timezone.utc)),
                       ("delegate.declined", datetime(2026, 1, 9, 19, 30, tzinfo=timezone.utc))):
        db.session.add(AuditEvent(action=action, subject_type="delegate", subject_id=world.ngo.id,
                                  forum_id=world.forum.id, actor_id=organizer.id, at=at, details={}))
    db.session.commit()
    assert actions(client.get("/forums/asar/audit?from=2026-01-09&to=2026-01-09")) == ["delegate.edited"]
    assert actions(client.get("/forums/asar/audit?from=2026-01-10&to=2026-01-10")) == ["delegate.declined"]
    assert actions(client.get("/forums/asar/audit?to=2026-01-10")) == ["delegate.declined", "delegate.edited"]
    assert "delegate.edited" not in actions(client.get("/forums/asar/audit?from=2026-01-10"))
    assert actions(client.get("/forums/asar/audit?from=2026-01-11&to=2026-01-09")) == []


def test_pages_of_fifty(client, forum, organizer):
    base = datetime(2026, 12, 15, 4, 0, tzinfo=timezone.utc)
    for i in range(120):
        db.session.add(AuditEvent(action="delegate.edited", subject_type="delegate", subject_id=i, forum_id=forum.id,
                                  at=base + timedelta(minutes=i), details={"changed": ["full_name"]}))
    db.session.commit()
    first = client.get("/forums/asar/audit").get_data(as_text=True)
    assert len(re.findall(r"data-event=", first)) == 50 and "page 1 of 3" in first
    assert 'href="/forums/asar/audit?page=2"' in first and "Full name" in first
    third = client.get("/forums/asar/audit?page=3").get_data(as_text=True)
    assert len(re.findall(r"data-event=", third)) == 20
    seen = set()
    for page in (1, 2, 3):
        html = client.get(f"/forums/asar/audit?page={page}").get_data(as_text=True)
        seen |= set(re.findall(r'data-event="(\d+)"', html))
    assert len(seen) == 120
    def ids(html):
        return re.findall(r'data-event="(\d+)"', html)

    assert ids(client.get("/forums/asar/audit?page=999").get_data(as_text=True)) == ids(third)  # the last page
    assert ids(client.get("/forums/asar/audit?page=abc").get_data(as_text=True)) == ids(first)
    filtered = client.get("/forums/asar/audit?group=registrations&page=2").get_data(as_text=True)
    assert 'href="/forums/asar/audit?page=3&amp;group=registrations"' in filtered \
        or 'href="/forums/asar/audit?group=registrations&amp;page=3"' in filtered


def test_the_export_has_the_same_filters_and_keeps_kazakh_text(client, world, elsewhere):
    response = client.get("/forums/asar/audit.csv?group=checkins")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-asar-')
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == forum_events(world.forum, AuditEvent.action.like("checkin.%"))
    assert {row["Action code"] for row in rows} == {"checkin.created", "checkin.undone"}
    assert any(row["Subject"] == f"Delegate: {KAZAKH_DELEGATE}" for row in rows)
    assert all(row["Area"] == "Check-ins" for row in rows)

    everything = list(csv.DictReader(io.StringIO(client.get("/forums/asar/audit.csv").data.decode("utf-8-sig"))))
    assert len(everything) == forum_events(world.forum)

    xlsx = client.get("/forums/asar/audit.xlsx?actor=aigul.org")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(body) == forum_events(world.forum, AuditEvent.actor_id == world.organizer.id)
    assert all(row[2] == "aigul.org@example.kz" and row[1] == "Айгүл Ұйымдастырушы" for row in body)
    assert isinstance(body[0][0], datetime)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("query", [
    "group=nope", "from=2026-99-99", "to=abc", "from=yesterday&to=", "actor=" + "x" * 3000, "page=-5",
    "page=99999999999999999999", "group=&actor=&from=&to=&page=",
])
def test_bad_filters_are_ignored_not_500(client, world, query):
    assert client.get(f"/forums/asar/audit?{query}").status_code == 200
    assert client.get(f"/forums/asar/audit.csv?{query}").status_code == 200
    assert client.get(f"/forums/asar/audit.xlsx?{query}").status_code == 200


def test_old_or_odd_details_do_not_break_the_page(client, forum, organizer):
    for action, details in (("checkin.undone", {"checked_in_at": "not a time"}), ("delegate.confirmed", {}),
                            ("something.new", {"x": [1, 2]}), ("pledge.confirmed", {"amount_kzt": "lots"}),
                            ("enrollment.left", {"session_id": "abc", "delegate_id": None})):
        db.session.add(AuditEvent(action=action, subject_type="whatever", subject_id=None, forum_id=forum.id,
                                  details=details))
    db.session.commit()
    html = client.get("/forums/asar/audit").get_data(as_text=True)
    assert "something.new" in html
    assert client.get("/forums/asar/audit.csv").status_code == 200


def test_an_empty_log(client, forum, organizer):
    html = client.get("/forums/asar/audit").get_data(as_text=True)
    assert "Nothing has been recorded for this forum yet." in html
    assert "No event matches these filters." in client.get("/forums/asar/audit?group=fair").get_data(as_text=True)


ROUTES = ["/forums/asar/audit", "/forums/asar/audit.csv", "/forums/asar/audit.xlsx"]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("who, expected", [
    ("anonymous", "login"), ("delegate", 403), ("checkin_here", 403), ("global_checkin", 403),
    ("organizer_elsewhere", 403), ("organizer", 200), ("admin", 200),
])
def test_only_the_forums_organizers_and_admins_read_the_log(client, login, forum, path, who, expected):
    response = get_as(client, login, forum, who, path)
    assert_access(response, expected)
