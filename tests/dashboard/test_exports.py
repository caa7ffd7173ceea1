"""Every list as a file, from one page: enrolments, check-ins and memoranda (new), with the delegate list and
the fair's files linked. Rows equal direct counts, filters narrow them, Kazakh text survives CSV and XLSX,
typed text never becomes a formula, and bad filters are ignored rather than failing."""
import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.models import CheckIn, Enrollment, Memorandum, Session
from tests.factories import make_delegate, make_forum, make_organizer, make_session
from tests.helpers.results import (KAZAKH_BUSINESS, KAZAKH_DELEGATE, KAZAKH_NGO, KAZAKH_SESSION, build_world)
from tests.helpers.access import assert_access, get_as

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum, login):
    return login(make_organizer(forum, full_name="Айгүл Ұйымдастырушы"))


@pytest.fixture
def world(forum, organizer):
    return build_world(forum, organizer)


@pytest.fixture
def elsewhere(world, db):
    """Another forum with its own enrolment, check-in and memorandum: never in this forum's files."""
    from app.checkin import services as checkin
    from app.schedule import services as schedule
    from tests.factories import make_memorandum

    other = make_forum(slug="other")
    boss = make_organizer(other)
    delegate = make_delegate(other, full_name="Бөтен Делегат")
    session = make_session(other, title="Бөтен сессия", capacity=5)
    schedule.enroll(session, delegate)
    checkin.check_in_delegate(delegate, boss)
    make_memorandum(other, boss)
    return other


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def read_xlsx(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def get(client, kind, fmt, **args):
    return client.get(f"/forums/asar/exports/{kind}.{fmt}", query_string=args)


# ---------------------------------------------------------------- the page


def test_the_page_lists_every_export_with_both_formats_and_its_arguments(client, world):
    response = client.get("/forums/asar/exports")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for link in ("/forums/asar/delegates/export.csv", "/forums/asar/delegates/export.xlsx",
                 "/forums/asar/fair/manage/export/projects.csv", "/forums/asar/fair/manage/export/projects.xlsx",
                 "/forums/asar/fair/manage/export/pledges.csv", "/forums/asar/fair/manage/export/pledges.xlsx",
                 "/forums/asar/audit.csv", "/forums/asar/audit.xlsx"):
        assert f'href="{link}"' in html, link
    for kind in ("enrolments", "checkins", "memoranda"):
        for fmt in ("csv", "xlsx"):
            assert f"/forums/asar/exports/{kind}.{fmt}" in html
    for argument in ("date=YYYY-MM-DD", "method=scan|manual|api", "status=enrolled|waitlisted",
                     "level=regional|national", "checked_in=yes|no"):
        assert argument in html, argument
    assert KAZAKH_SESSION in html  # the enrolment filter offers the limited session


# ---------------------------------------------------------------- enrolments


def test_enrolments_equal_the_database_and_keep_kazakh_text(client, world, elsewhere, count, db):
    expected = count(Enrollment, Enrollment.session_id.in_(sa.select(Session.id).where(Session.forum_id ==
                                                                                        world.forum.id)))
    assert expected == 3
    for rows in (read_csv(get(client, "enrolments", "csv")), read_xlsx(get(client, "enrolments", "xlsx"))):
        assert len(rows) == expected
        assert {row["Session"] for row in rows} == {KAZAKH_SESSION}
        gulshara = next(row for row in rows if row["Full name"] == KAZAKH_DELEGATE)
        assert gulshara["Organization"] == KAZAKH_NGO and gulshara["Status"] == "Enrolled"
        assert gulshara["Sector"] == "NGO" and gulshara["Hall"] == "Hall 1"
        assert [row["Status"] for row in rows] == ["Enrolled", "Enrolled", "Waitlisted"]
        assert "Бөтен Делегат" not in {row["Full name"] for row in rows}
    xlsx = read_xlsx(get(client, "enrolments", "xlsx"))
    assert isinstance(xlsx[0]["Enrolled at"], datetime) and isinstance(xlsx[0]["Starts at"], datetime)


def test_enrolments_filter_by_session_and_status(client, world):
    assert len(read_csv(get(client, "enrolments", "csv", status="waitlisted"))) == 1
    assert len(read_csv(get(client, "enrolments", "csv", status="enrolled"))) == 2
    assert len(read_csv(get(client, "enrolments", "csv", session=world.session.id))) == 3
    assert read_csv(get(client, "enrolments", "csv", session=world.session.id + 1000)) == []


# ---------------------------------------------------------------- check-ins


def test_checkins_equal_the_database_on_the_forums_clock(client, world, elsewhere, count):
    expected = count(CheckIn, CheckIn.forum_id == world.forum.id)
    assert expected == 3
    rows = read_csv(get(client, "checkins", "csv"))
    assert len(rows) == expected
    gulshara = rows[0]
    assert gulshara["Full name"] == KAZAKH_DELEGATE and gulshara["Organization"] == KAZAKH_NGO
    assert gulshara["Checked in at"] == "2026-12-15 09:12"  # 04:12 UTC, shown at UTC+5
    assert gulshara["Region"] == "Atyrau Region" and gulshara["Sector"] == "NGO"
    assert gulshara["Checked in by"] == f"Айгүл Ұйымдастырушы <{world.organizer.email}>"
    assert gulshara["How"] and rows[1]["How"] != gulshara["How"]  # scan and manual have their own words
    xlsx = read_xlsx(get(client, "checkins", "xlsx"))
    assert len(xlsx) == expected and xlsx[1]["Organization"] == KAZAKH_BUSINESS
    assert xlsx[0]["Checked in at"] == datetime(2026, 12, 15, 9, 12)


def test_checkins_filter_by_sector_day_and_method(client, world):
    assert [r["Full name"] for r in read_csv(get(client, "checkins", "csv", sector="business"))] == ["Дмитрий Петров"]
    # 23:30 on the 15th is still the 15th on the forum's clock; 00:10 is the 16th (both the 15th in UTC).
    day1 = read_csv(get(client, "checkins", "csv", date="2026-12-15"))
    assert [r["Full name"] for r in day1] == [KAZAKH_DELEGATE, "Дмитрий Петров"]
    assert [r["Full name"] for r in read_csv(get(client, "checkins", "csv", date="2026-12-16"))] == ["Серік Шәріпов"]
    assert [r["Full name"] for r in read_csv(get(client, "checkins", "csv", method="manual"))] == ["Дмитрий Петров"]
    assert read_csv(get(client, "checkins", "csv", sector="ngo", method="manual")) == []
    assert len(read_xlsx(get(client, "checkins", "xlsx", sector="state", date="2026-12-16"))) == 1


# ---------------------------------------------------------------- memoranda


def test_memoranda_equal_the_database_with_parties_and_hashes(client, world, elsewhere, count):
    expected = count(Memorandum, Memorandum.forum_id == world.forum.id)
    assert expected == 2
    rows = read_csv(get(client, "memoranda", "csv"))
    assert len(rows) == expected
    signed = next(row for row in rows if row["Number"] == world.memorandum.number)
    assert signed["Status"] and signed["Level"] == "Regional"
    assert signed["SHA-256 of the text"] == world.memorandum.sha256 and len(world.memorandum.sha256) == 64
    assert "Атырау облыстық саңыраулар қоғамы (Гүлнар Ыбырайқызы)" in signed["Parties"]
    assert signed["Signed at"] and signed["Dated"] == "2026-12-15"
    draft = next(row for row in rows if row["Number"] == world.draft.number)
    assert draft["Signed at"] == "" and draft["Parties"].count(";") == 2
    xlsx = read_xlsx(get(client, "memoranda", "xlsx"))
    assert {row["Number"] for row in xlsx} == {world.memorandum.number, world.draft.number}
    assert any("Саңырау жастарды" in (row["Title"] or "") or "глухой" in (row["Title"] or "") for row in xlsx)


def test_memoranda_filter_by_status_and_level(client, world):
    signed = read_csv(get(client, "memoranda", "csv", status="signed"))
    assert [r["Number"] for r in signed] == [world.memorandum.number]
    assert [r["Number"] for r in read_csv(get(client, "memoranda", "csv", status="draft"))] == [world.draft.number]
    assert read_csv(get(client, "memoranda", "csv", level="national")) == []
    assert len(read_xlsx(get(client, "memoranda", "xlsx", level="regional"))) == 2


# ---------------------------------------------------------------- safety


def test_typed_text_never_becomes_a_formula(client, world, db):
    from app.schedule import services as schedule

    evil = world.delegates[3]
    schedule.enroll(world.session, evil)
    from app.checkin import services as checkin
    checkin.check_in_delegate(evil, world.organizer)
    for kind in ("enrolments", "checkins"):
        csv_rows = read_csv(get(client, kind, "csv"))
        assert '\'=HYPERLINK("http://evil.example","click")' in {row["Full name"] for row in csv_rows}
        xlsx_rows = read_xlsx(get(client, kind, "xlsx"))  # read_xlsx also checks no cell is a formula
        assert '\'=HYPERLINK("http://evil.example","click")' in {row["Full name"] for row in xlsx_rows}


def test_the_readers_language_is_the_files_language(client, world):
    client.post("/language", data={"lang": "kk", "next": "/"})
    response = get(client, "checkins", "csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][0] == KAZAKH_DELEGATE and rows[1][3] == "ҮЕҰ" and rows[1][4] == "Атырау облысы"
    sheet = load_workbook(io.BytesIO(get(client, "checkins", "xlsx").data)).active
    assert sheet["D2"].value == "ҮЕҰ" and sheet["E2"].value == "Атырау облысы"


@pytest.mark.parametrize("query", [
    {"session": "abc"}, {"session": "-1"}, {"session": "99999999999999999999"}, {"status": "nope"},
    {"sector": "aliens"}, {"date": "2026-13-45"}, {"date": "yesterday"}, {"method": "telepathy"},
    {"level": "galactic"}, {"status": "x" * 5000},
])
def test_bad_filters_are_ignored_not_500(client, world, query):
    for kind in ("enrolments", "checkins", "memoranda"):
        unfiltered = len(read_csv(get(client, kind, "csv")))
        assert len(read_csv(get(client, kind, "csv", **query))) == unfiltered, (kind, query)
    assert client.get("/forums/asar/exports", query_string=query).status_code == 200


def test_unknown_kinds_and_formats_are_not_found(client, organizer):
    for path in ("/forums/asar/exports/passwords.csv", "/forums/asar/exports/checkins.pdf",
                 "/forums/asar/exports/checkins", "/forums/nope/exports/checkins.csv", "/forums/nope/exports"):
        assert client.get(path).status_code == 404, path


def test_an_empty_forum_exports_just_the_header(client, organizer):
    for kind in ("enrolments", "checkins", "memoranda"):
        assert read_csv(get(client, kind, "csv")) == []
        assert read_xlsx(get(client, kind, "xlsx")) == []


ROUTES = ["/forums/asar/exports", "/forums/asar/exports/enrolments.csv", "/forums/asar/exports/checkins.xlsx",
          "/forums/asar/exports/memoranda.csv"]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("who, expected", [
    ("anonymous", "login"), ("delegate", 403), ("checkin_here", 403), ("organizer_elsewhere", 403),
    ("organizer", 200), ("admin", 200),
])
def test_only_the_forums_organizers_and_admins_get_the_files(client, login, forum, path, who, expected):
    response = get_as(client, login, forum, who, path)
    assert_access(response, expected)
    if expected == 200 and path != "/forums/asar/exports":
        assert response.headers["Cache-Control"] == "private, no-store"
