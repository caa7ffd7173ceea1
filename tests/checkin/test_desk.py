"""The check-in desk at the entrance: scans, refusals, undo, search, counts, who may work the door."""
import re
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.services import grant_forum_role
from app.checkin import forms, services
from app.models import (AuditEvent, CheckIn, ConfirmationMode, Delegate, DelegateStatus, ForumRole, GlobalRole,
                        User, utcnow)
from app.registration import services as registration
from app.registration.tokens import badge_token
from tests.factories import make_forum, make_user

KAZAKH_NAME = "Әбдіқалықова Гүлшара"
JSON = {"Accept": "application/json"}


def register(forum, email, *, full_name="Delegate", sector="ngo", participation="in_person", **extra):
    delegate, _ = registration.register(forum, registration.RegistrationInput(
        full_name=full_name, email=email, sector=sector, consent=True, participation=participation, **extra))
    return delegate


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", timezone="Asia/Almaty")


@pytest.fixture
def staff(forum, login):
    """Check-in staff of the forum, logged in."""
    user = make_user("door@example.kz", full_name="Дәурен Қожахметов")
    grant_forum_role(user, forum, ForumRole.checkin)
    return login(user)


@pytest.fixture
def gulshara(forum):
    return register(forum, "gulshara@example.kz", full_name=KAZAKH_NAME,
                    organization_name="Қазақ саңыраулар қоғамы",
                    accessibility_needs="Ымдау тілінің аудармасы (sign-language interpretation)")


def scan(client, token, slug="asar", **headers):
    return client.post(f"/forums/{slug}/checkin/scan", data={"token": token}, headers={**JSON, **headers})


def created_events(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "checkin.created"))


# -- scanning ------------------------------------------------------------------------------------------------

def test_a_badge_checks_in_once_then_says_when_and_by_whom(client, staff, forum, gulshara, count, db):
    first = scan(client, badge_token(gulshara))
    assert first.status_code == 200
    answer = first.get_json()
    assert answer["result"] == "checked_in" and answer["message"] == "Welcome!"
    assert answer["delegate"]["full_name"] == KAZAKH_NAME
    assert answer["delegate"]["organization"] == "Қазақ саңыраулар қоғамы"
    assert answer["delegate"]["sector_label"] == "NGO"
    assert "sign-language" in answer["delegate"]["accessibility_needs"]
    assert "email" not in answer["delegate"]  # the door sees no contact details

    again = scan(client, badge_token(gulshara)).get_json()
    checkin = db.session.scalar(sa.select(CheckIn))
    assert again["result"] == "already_checked_in" and again["message"] == "Already checked in"
    assert again["checkin_id"] == answer["checkin_id"] == checkin.id
    assert again["checked_in_by"] == "Дәурен Қожахметов"
    # HH:mm in the forum's time zone (Asia/Almaty), not UTC
    assert again["checked_in_at_local"] == checkin.checked_in_at.astimezone(forum.tzinfo).strftime("%H:%M")
    assert count(CheckIn) == 1 and checkin.method == "scan" and checkin.by_user_id == staff.id
    assert created_events(db) == 1


def _forged(token: str) -> str:
    # Change the payload's first character: the signature no longer matches.
    return ("X" if token[0] != "X" else "Y") + token[1:]


@pytest.mark.parametrize("make_token, reason", [
    (lambda d, other: _forged(badge_token(d)), "bad_signature"),
    (lambda d, other: badge_token(d)[:-5] + ("AAAAA" if not badge_token(d).endswith("AAAAA") else "BBBBB"),
     "bad_signature"),
    (lambda d, other: "random-string-from-a-sticker", "bad_signature"),
    (lambda d, other: "", "bad_signature"),
    (lambda d, other: "x" * 5000, "bad_signature"),
    (lambda d, other: badge_token(other), "other_forum"),
], ids=["forged", "forged-signature", "random", "empty", "huge", "other-forum"])
def test_anything_but_this_forums_badge_is_invalid_and_writes_nothing(client, staff, gulshara, count, db,
                                                                      make_token, reason):
    elsewhere = make_forum(slug="elsewhere")
    other = register(elsewhere, "other@example.kz")
    response = scan(client, make_token(gulshara, other))
    assert response.status_code == 200  # an invalid badge is a normal answer, not an HTTP error
    answer = response.get_json()
    assert answer["result"] == "invalid" and answer["reason"] == reason and answer["delegate"] is None
    assert answer["message"] in ("Invalid badge", "This badge is for another forum")
    assert count(CheckIn) == 0 and created_events(db) == 0


def test_cancelled_and_pending_registrations_are_refused(client, staff, forum, gulshara, count):
    registration.change_status(gulshara, "cancel", None)
    answer = scan(client, badge_token(gulshara)).get_json()
    assert answer["result"] == "not_confirmed" and answer["reason"] == "cancelled"
    assert answer["message"] == "Registration cancelled" and answer["delegate"]["full_name"] == KAZAKH_NAME

    strict = make_forum(slug="strict", confirmation=ConfirmationMode.approval)
    grant_forum_role(staff, strict, ForumRole.checkin)
    pending = register(strict, "pending@example.kz")
    assert pending.status == DelegateStatus.pending
    answer = scan(client, badge_token(pending), slug="strict").get_json()
    assert answer["result"] == "not_confirmed" and answer["reason"] == "pending"
    assert answer["message"] == "Registration not confirmed"
    assert count(CheckIn) == 0


@pytest.mark.parametrize("typed", ["russian", "kazakh", "caps-lock"])
def test_a_scanner_typing_through_the_wrong_keyboard_layout_still_checks_in(client, staff, gulshara, typed):
    token = badge_token(gulshara)
    if typed == "caps-lock":
        text = token.swapcase()
    else:
        layout = forms.RUSSIAN if typed == "russian" else forms.KAZAKH
        latin_to_layout = {chr(latin): chr(typed_char) for typed_char, latin in layout.items()}
        text = "".join(latin_to_layout.get(c, c) for c in token)
        assert text != token
    answer = scan(client, text).get_json()
    assert answer["result"] == "checked_in", text


# -- undo ----------------------------------------------------------------------------------------------------

def test_undo_removes_the_checkin_keeps_an_audit_trail_and_the_badge_works_again(client, staff, gulshara, count,
                                                                                 db):
    answer = scan(client, badge_token(gulshara)).get_json()
    response = client.post(f"/forums/asar/checkin/{answer['checkin_id']}/undo", headers=JSON)
    assert response.status_code == 200
    assert response.get_json()["undone"] is True and KAZAKH_NAME in response.get_json()["message"]
    assert count(CheckIn) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "checkin.undone"))
    assert event is not None and event.actor_id == staff.id and event.subject_id == gulshara.id

    # Undoing twice: the check-in is gone.
    assert client.post(f"/forums/asar/checkin/{answer['checkin_id']}/undo", headers=JSON).status_code == 404

    again = scan(client, badge_token(gulshara)).get_json()
    assert again["result"] == "checked_in" and count(CheckIn) == 1


def test_undo_without_javascript_redirects_back_with_a_message(client, staff, gulshara, count):
    checkin_id = scan(client, badge_token(gulshara)).get_json()["checkin_id"]
    response = client.post(f"/forums/asar/checkin/{checkin_id}/undo")
    assert response.status_code == 302 and response.headers["Location"].endswith("/forums/asar/checkin")
    page = client.get("/forums/asar/checkin").get_data(as_text=True)
    assert f"Check-in of {KAZAKH_NAME} undone." in page
    assert count(CheckIn) == 0


def test_a_checkin_of_another_forum_cannot_be_undone_from_this_desk(client, staff, forum, count, db):
    elsewhere = make_forum(slug="elsewhere")
    other = register(elsewhere, "other@example.kz")
    organizer = make_user("org@example.kz")
    services.check_in_delegate(other, organizer)
    checkin_id = db.session.scalar(sa.select(CheckIn.id))
    assert client.post(f"/forums/asar/checkin/{checkin_id}/undo", headers=JSON).status_code == 404
    assert client.post(f"/forums/asar/checkin/{checkin_id}/undo").status_code == 404
    assert count(CheckIn) == 1


# -- search and manual check-in ------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["әбдіқ", "ӘБДІҚ", "Әбдіқалықова", "саңыраулар", "gulshara@"])
def test_search_finds_a_kazakh_name_in_any_case(client, staff, gulshara, q):
    register(gulshara.forum, "someone@example.kz", full_name="Иванов Пётр")
    response = client.get("/forums/asar/checkin/search", query_string={"q": q})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    [match] = response.get_json()
    assert match == {"id": gulshara.id, "full_name": KAZAKH_NAME, "organization": "Қазақ саңыраулар қоғамы",
                     "sector_label": "NGO", "status": "confirmed", "status_label": "Confirmed",
                     "checked_in_at_local": None, "may_check_in": True}


def test_search_ignores_one_letter_and_other_forums(client, staff, gulshara):
    elsewhere = make_forum(slug="elsewhere")
    register(elsewhere, "twin@example.kz", full_name=KAZAKH_NAME)
    assert client.get("/forums/asar/checkin/search?q=ә").get_json() == []
    assert [m["id"] for m in client.get("/forums/asar/checkin/search?q=әбді").get_json()] == [gulshara.id]


def test_manual_checkin_from_the_search(client, staff, gulshara, count, db):
    response = client.post(f"/forums/asar/checkin/manual/{gulshara.id}", headers=JSON)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["result"] == "checked_in" and answer["delegate"]["full_name"] == KAZAKH_NAME
    checkin = db.session.scalar(sa.select(CheckIn))
    assert checkin.method == "manual" and checkin.by_user_id == staff.id

    [match] = client.get("/forums/asar/checkin/search?q=әбдіқ").get_json()
    assert match["checked_in_at_local"] == answer["checked_in_at_local"] and match["may_check_in"] is False
    assert client.post(f"/forums/asar/checkin/manual/{gulshara.id}", headers=JSON).get_json()["result"] \
        == "already_checked_in"
    assert count(CheckIn) == 1


def test_manual_checkin_of_another_forums_delegate_is_404(client, staff, count):
    other = register(make_forum(slug="elsewhere"), "other@example.kz")
    assert client.post(f"/forums/asar/checkin/manual/{other.id}", headers=JSON).status_code == 404
    assert client.post(f"/forums/asar/checkin/manual/{other.id}").status_code == 404
    assert client.post("/forums/asar/checkin/manual/999999", headers=JSON).status_code == 404
    assert count(CheckIn) == 0


def test_search_and_manual_checkin_work_without_javascript(client, staff, gulshara, count):
    page = client.get("/forums/asar/checkin", query_string={"q": "ӘБДІҚ"}).get_data(as_text=True)
    assert KAZAKH_NAME in page
    assert f'action="/forums/asar/checkin/manual/{gulshara.id}"' in page

    response = client.post(f"/forums/asar/checkin/manual/{gulshara.id}", data={"q": "ӘБДІҚ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Welcome!" in page and count(CheckIn) == 1
    assert "Checked in at" in page  # the list under the search now shows the arrival


# -- the page ------------------------------------------------------------------------------------------------

def test_the_desk_page_without_javascript_scans_through_its_form(client, staff, gulshara):
    page = client.get("/forums/asar/checkin").get_data(as_text=True)
    scan_input = re.search(r"<input id=\"scan-token\"[^>]*>", page, re.S).group(0)
    for attribute in ('name="token"', "autofocus", 'autocomplete="off"', 'autocapitalize="off"',
                      'spellcheck="false"', 'inputmode="text"'):
        assert attribute in scan_input
    assert '<label for="scan-token">Badge code</label>' in page
    assert 'method="post" action="/forums/asar/checkin/scan"' in page
    assert 'role="status" aria-live="assertive"' in page
    assert 'data-msg-undo="Undo"' in page and 'data-scan-url="/forums/asar/checkin/scan"' in page
    assert 'data-undo-url="/forums/asar/checkin/{id}/undo"' in page
    # No inline script (a Content-Security-Policy will forbid them): every <script> loads a file.
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "/static/js/checkin.js" in page and "/static/css/checkin.css" in page

    response = client.post("/forums/asar/checkin/scan", data={"token": badge_token(gulshara)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Welcome!" in page and KAZAKH_NAME in page and "Қазақ саңыраулар қоғамы" in page
    assert "Accessibility needs:" in page and "sign-language interpretation" in page
    assert re.search(r'action="/forums/asar/checkin/\d+/undo"', page)

    page = client.post("/forums/asar/checkin/scan", data={"token": "nonsense"}).get_data(as_text=True)
    assert "Invalid badge" in page and "is-invalid" in page


def test_the_desk_speaks_the_staffs_language(client, staff, gulshara):
    client.post("/language", data={"lang": "ru"})
    answer = scan(client, badge_token(gulshara)).get_json()
    assert answer["result"] == "checked_in" and answer["delegate"]["sector_label"] == "НПО"
    page = client.get("/forums/asar/checkin").get_data(as_text=True)
    assert '<html lang="ru">' in page


# -- counts --------------------------------------------------------------------------------------------------

def test_counts_expect_confirmed_in_person_delegates_and_move_with_scans(client, staff, forum, gulshara):
    register(forum, "ngo2@example.kz")
    business = register(forum, "biz@example.kz", sector="business")
    register(forum, "online@example.kz", sector="business", participation="online")
    registration.change_status(register(forum, "gone@example.kz"), "cancel", None)
    strict_pending = register(forum, "pending@example.kz", sector="state")
    strict_pending.status = DelegateStatus.pending
    from app.extensions import db
    db.session.commit()

    counts = client.get("/forums/asar/checkin/counts").get_json()
    assert counts == {"checked_in": 0, "expected": 3, "by_sector": {
        "ngo": {"checked_in": 0, "expected": 2, "label": "NGO"},
        "business": {"checked_in": 0, "expected": 1, "label": "Business"},
    }}

    scan(client, badge_token(business))
    counts = client.get("/forums/asar/checkin/counts").get_json()
    assert counts["checked_in"] == 1 and counts["expected"] == 3
    assert counts["by_sector"]["business"] == {"checked_in": 1, "expected": 1, "label": "Business"}
    assert counts["by_sector"]["ngo"]["checked_in"] == 0

    page = client.get("/forums/asar/checkin").get_data(as_text=True)
    assert re.search(r'id="count-total">1<', page) and re.search(r'id="count-expected">3<', page)


# -- who may work the door -----------------------------------------------------------------------------------

@pytest.fixture
def people(forum):
    elsewhere = make_forum(slug="elsewhere")
    other_door = make_user("door-elsewhere@example.kz")
    grant_forum_role(other_door, elsewhere, ForumRole.checkin)
    organizer = make_user("org@example.kz", role=GlobalRole.organizer)
    grant_forum_role(organizer, forum, ForumRole.organizer)
    return {
        "delegate": make_user("delegate@example.kz"),
        "door_elsewhere": other_door,
        "organizer_here": organizer,
        "global_checkin": make_user("global-door@example.kz", role=GlobalRole.checkin),
        "admin": make_user("admin@example.kz", role=GlobalRole.admin),
    }


def test_strangers_are_sent_to_log_in_and_the_script_gets_401(client, forum, gulshara, count):
    page = client.get("/forums/asar/checkin")
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]
    assert client.post("/forums/asar/checkin/scan", data={"token": badge_token(gulshara)}).status_code == 302
    for response in (scan(client, badge_token(gulshara)),
                     client.get("/forums/asar/checkin/counts"),
                     client.get("/forums/asar/checkin/search?q=әбді"),
                     client.post(f"/forums/asar/checkin/manual/{gulshara.id}", headers=JSON)):
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert count(CheckIn) == 0


@pytest.mark.parametrize("who, status", [
    ("delegate", 403), ("door_elsewhere", 403), ("organizer_here", 200), ("global_checkin", 200), ("admin", 200),
])
def test_who_may_open_the_desk(client, login, people, gulshara, count, who, status):
    login(people[who])
    assert client.get("/forums/asar/checkin").status_code == status
    assert client.get("/forums/asar/checkin/counts").status_code == status
    response = scan(client, badge_token(gulshara))
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["error"]["code"] == "forbidden"  # JSON for the script, not a page
        assert client.post(f"/forums/asar/checkin/manual/{gulshara.id}", headers=JSON).status_code == 403
        assert count(CheckIn) == 0
    else:
        assert response.get_json()["result"] == "checked_in" and count(CheckIn) == 1


def test_an_unknown_forum_is_404(client, staff):
    assert client.get("/forums/nowhere/checkin").status_code == 404
    assert scan(client, "x", slug="nowhere").status_code == 404


# -- two desks, one badge ------------------------------------------------------------------------------------

def test_a_desk_that_loses_the_race_answers_already_checked_in(client, staff, gulshara, count, db, monkeypatch):
    """Simulated race: the other desk's row is written after this desk loaded the delegate."""
    other_desk = make_user("door2@example.kz", full_name="Second Desk")
    real_load = services._load_delegate
    raced = []

    def load_then_lose(delegate_id):
        if raced:
            return real_load(delegate_id)
        raced.append(True)
        db.session.execute(sa.insert(CheckIn).values(
            delegate_id=delegate_id, forum_id=gulshara.forum_id, checked_in_at=utcnow(),
            by_user_id=other_desk.id, method="scan"))
        db.session.commit()
        delegate = real_load(delegate_id)
        set_committed_value(delegate, "checkin", None)  # what this desk saw a moment earlier
        return delegate

    monkeypatch.setattr(services, "_load_delegate", load_then_lose)
    answer = scan(client, badge_token(gulshara)).get_json()
    assert raced and answer["result"] == "already_checked_in"
    assert answer["checked_in_by"] == "Second Desk"
    assert count(CheckIn) == 1 and created_events(db) == 0


def test_two_desks_scanning_one_badge_at_once_make_one_record(app, db, forum, gulshara, count):
    """Real threads, real connections: PostgreSQL only (in-memory SQLite shares one connection)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a real multi-connection database (runs in CI's PostgreSQL pass)")
    desks = []
    for n in range(4):
        user = make_user(f"desk{n}@example.kz")
        grant_forum_role(user, forum, ForumRole.checkin)
        desks.append(user.id)
    token, forum_id = badge_token(gulshara), forum.id
    barrier, results = threading.Barrier(len(desks)), []

    def desk(user_id):
        with app.app_context():
            try:
                staff = db.session.get(User, user_id)
                here = db.session.get(type(forum), forum_id)
                barrier.wait()
                results.append(services.scan(token, staff, forum=here).result)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=desk, args=(user_id,)) for user_id in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["already_checked_in"] * 3 + ["checked_in"]
    assert count(CheckIn) == 1
    assert db.session.scalar(sa.select(Delegate.id).join(CheckIn)) == gulshara.id
