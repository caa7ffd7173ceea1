"""A delegate's personal data on request: the copy (JSON) and the erasure, by the delegate and by organizers.

Erasure anonymizes: the name, contacts and badge go, the forum's figures stay; signed memoranda keep the
signatory's name (a legal record whose verification depends on it).
"""
import json
import re

import pytest
import sqlalchemy as sa

from app.auth.services import grant_forum_role
from app.checkin import services as checkin
from app.dashboard.services import forum_stats
from app.models import AuditEvent, Delegate, ForumRole, Signature, record
from app.privacy import services as privacy
from app.registration.tokens import badge_token
from app.schedule import services as schedule
from tests.factories import (PASSWORD, make_delegate, make_forum, make_memorandum, make_organizer, make_project,
                             make_session, make_user, sign_as)

NAME = "Әбдіқалықова Гүлшара"
EMAIL = "gulshara@example.kz"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum, email="org@example.kz")


def delegate_with_login(forum, email=EMAIL, full_name=NAME, **kwargs):
    delegate = make_delegate(forum, email=email, full_name=full_name, **kwargs)
    delegate.user.set_password(PASSWORD)
    delegate.phone = "+7 701 234 56 78"
    delegate.position = "Төрайым"
    delegate.accessibility_needs = "Ымдау тілі"
    from app.extensions import db

    db.session.commit()
    return delegate


@pytest.fixture
def gulshara(forum):
    return delegate_with_login(forum)


@pytest.fixture
def other(forum):
    return delegate_with_login(forum, email="other@example.kz", full_name="Серік Ахметов")


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    return json.loads(response.get_data(as_text=True))


def confirm_erase(client, url):
    return client.post(url, data={"confirm": "y"})


def staff_at_the_door(forum):
    user = make_user("door@example.kz")
    grant_forum_role(user, forum, ForumRole.checkin)
    return user


# ---------------------------------------------------------------- the copy


def test_my_copy_holds_my_data_and_nobody_elses(client, login, forum, gulshara, other):
    session = make_session(forum, kind="master_class", capacity=10, title="Әлеуметтік кәсіпкерлік")
    schedule.enroll(session, gulshara)
    schedule.enroll(session, other)
    checkin.check_in_delegate(gulshara, staff_at_the_door(forum))
    login(gulshara.user)

    data = download(client, "/forums/asar/me/personal-data.json")
    text = json.dumps(data, ensure_ascii=False)
    assert data["registration"]["full_name"] == NAME and data["registration"]["email"] == EMAIL
    assert data["registration"]["phone"] == "+7 701 234 56 78"
    assert data["registration"]["consent_given_at"]
    assert data["account"]["email"] == EMAIL
    assert data["checkin"]["checked_in_at"]
    assert [e["title_kk"] for e in data["enrollments"]] == ["Әлеуметтік кәсіпкерлік"]
    assert "other@example.kz" not in text and "Серік" not in text and "door@example.kz" not in text
    assert "Әбдіқалықова" in client.get("/forums/asar/me/personal-data.json").get_data(as_text=True)  # not \u-escaped


def test_the_copy_lists_projects_and_signatures(client, login, forum, organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)
    party = memorandum.parties[0]
    delegate = make_delegate(forum, email=party.signatory_email, full_name=party.signatory_name)
    project = make_project(forum, delegate=None)
    sign_as(memorandum, party)
    data = privacy.personal_data(delegate)
    assert data["memoranda"][0]["number"] == memorandum.number
    assert data["memoranda"][0]["signatory_name"] == party.signatory_name
    assert data["signatures"][0]["signer_name"] == party.signatory_name
    assert data["signatures"][0]["party"] == party.organization.name
    assert project.id not in [p["id"] for p in data["fair_projects"]]  # someone else's project
    own = privacy.personal_data(project.delegate)
    assert [p["id"] for p in own["fair_projects"]] == [project.id]


def test_the_my_forum_page_links_to_the_copy_and_the_erasure(client, login, gulshara):
    login(gulshara.user)
    html = client.get("/forums/asar/me").get_data(as_text=True)
    assert "/forums/asar/me/personal-data.json" in html and "/forums/asar/me/erase" in html


def test_a_browser_that_registered_without_an_account_gets_its_copy(client, forum):
    response = client.post("/forums/asar/register", data={
        "full_name": NAME, "email": EMAIL, "sector": "ngo", "participation": "in_person", "language": "kk",
        "consent": "y"})
    assert response.status_code == 302
    data = download(client, "/forums/asar/me/personal-data.json")
    assert data["registration"]["email"] == EMAIL


def test_organizers_export_from_the_delegate_page_and_it_is_audited(client, login, forum, organizer, gulshara, db):
    login(organizer)
    html = client.get(f"/forums/asar/delegates/{gulshara.id}").get_data(as_text=True)
    assert f"/forums/asar/delegates/{gulshara.id}/personal-data.json" in html
    assert f"/forums/asar/delegates/{gulshara.id}/erase" in html
    data = download(client, f"/forums/asar/delegates/{gulshara.id}/personal-data.json")
    assert data["registration"]["id"] == gulshara.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "delegate.data_exported"))
    assert event.actor_id == organizer.id and event.details == {"by": "organizer"}


# ---------------------------------------------------------------- who may


def test_strangers_are_sent_to_log_in_and_accounts_without_a_registration_get_404(client, login, forum, gulshara):
    for url in ("/forums/asar/me/personal-data.json", "/forums/asar/me/erase"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login(make_user("nobody@example.kz"))
    assert client.get("/forums/asar/me/personal-data.json").status_code == 404
    assert client.get("/forums/asar/me/erase").status_code == 404
    assert confirm_erase(client, "/forums/asar/me/erase").status_code == 404
    assert db_name(gulshara) == NAME


def db_name(delegate):
    from app.extensions import db

    return db.session.get(Delegate, delegate.id).full_name


@pytest.mark.parametrize("method, suffix", [("get", "personal-data.json"), ("get", "erase"), ("post", "erase")])
def test_a_delegate_cannot_reach_another_delegates_data(client, login, forum, gulshara, other, method, suffix):
    login(other.user)
    response = getattr(client, method)(f"/forums/asar/delegates/{gulshara.id}/{suffix}", data={"confirm": "y"})
    assert response.status_code == 403
    assert db_name(gulshara) == NAME
    mine = download(client, "/forums/asar/me/personal-data.json")  # only ever their own
    assert mine["registration"]["email"] == "other@example.kz"


def test_organizers_of_another_forum_get_403_and_a_wrong_id_404(client, login, forum, gulshara):
    make_forum(slug="elsewhere")
    from app.models import Forum

    from app.extensions import db
    elsewhere = db.session.scalar(sa.select(Forum).where(Forum.slug == "elsewhere"))
    login(make_organizer(elsewhere))
    assert client.get(f"/forums/asar/delegates/{gulshara.id}/personal-data.json").status_code == 403
    assert client.get(f"/forums/elsewhere/delegates/{gulshara.id}/personal-data.json").status_code == 404
    assert client.post(f"/forums/elsewhere/delegates/{gulshara.id}/erase", data={"confirm": "y"}).status_code == 404


def test_an_admin_may_export_and_erase(client, login, forum, gulshara):
    from app.models import GlobalRole

    login(make_user("admin@example.kz", role=GlobalRole.admin))
    assert client.get(f"/forums/asar/delegates/{gulshara.id}/personal-data.json").status_code == 200
    assert confirm_erase(client, f"/forums/asar/delegates/{gulshara.id}/erase").status_code == 302
    assert db_name(gulshara).startswith("Erased delegate")


# ---------------------------------------------------------------- erasure


def test_the_confirmation_page_warns_and_nothing_happens_without_the_tick(client, login, gulshara):
    login(gulshara.user)
    page = client.get("/forums/asar/me/erase")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Это нельзя отменить." in html and 'name="csrf_token"' in html  # her site speaks Russian
    refused = client.post("/forums/asar/me/erase", data={})
    assert refused.status_code == 422 and "Отметьте поле" in refused.get_data(as_text=True)
    assert db_name(gulshara) == NAME


class TestCsrf:
    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_erasure_needs_the_forms_token(self, client, login, browser, forum, gulshara):
        token = browser.csrf_token("/auth/login")
        client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
        assert client.post("/forums/asar/me/erase", data={"confirm": "y"}).status_code == 400
        assert db_name(gulshara) == NAME
        token = browser.csrf_token("/forums/asar/me/erase")
        assert client.post("/forums/asar/me/erase", data={"confirm": "y", "csrf_token": token}).status_code == 302
        assert db_name(gulshara).startswith("Erased delegate")


def test_erasure_anonymizes_revokes_the_badge_and_keeps_the_figures(client, login, forum, gulshara, other, db):
    session = make_session(forum, kind="master_class", capacity=10)
    schedule.enroll(session, gulshara)
    door = staff_at_the_door(forum)
    checkin.check_in_delegate(gulshara, door)
    token = badge_token(gulshara)
    record("delegate.note", gulshara, note=f"Called {NAME} at {EMAIL}")  # a name quoted in the audit log
    db.session.commit()
    before = forum_stats(forum)
    user_id = gulshara.user_id

    login(gulshara.user)
    response = confirm_erase(client, "/forums/asar/me/erase")
    assert response.status_code == 302 and response.headers["Location"].endswith("/forums/asar")

    erased = db.session.get(Delegate, gulshara.id)
    assert erased.full_name == f"Erased delegate #{gulshara.id}"
    assert erased.email.endswith(".invalid") and EMAIL not in erased.email
    assert (erased.phone, erased.position, erased.accessibility_needs, erased.user_id) == (None, None, None, None)
    assert erased.erased_at is not None and erased.checkin is not None  # the arrival still counts
    assert NAME.casefold() not in erased.search_text

    after = forum_stats(forum)
    for part in ("delegates", "checkins", "sessions"):
        assert after[part] == before[part], part

    assert checkin.scan(token, door).result == "invalid"
    assert checkin.search(forum, "Erased") == []
    events = db.session.scalars(sa.select(AuditEvent)).all()
    dump = json.dumps([e.details for e in events], ensure_ascii=False)
    assert NAME not in dump and EMAIL not in dump and "[erased]" in dump
    erasure = next(e for e in events if e.action == "delegate.erased")
    assert erasure.details == {"by": "delegate"} and erasure.actor_id is None
    assert not any(e.actor_id == user_id and e.subject_id == gulshara.id for e in events
                   if e.subject_type == "delegate")

    # The person is gone from "my forum"; the other delegate is untouched.
    assert client.get("/forums/asar/me").status_code == 302
    assert db.session.get(Delegate, other.id).full_name == "Серік Ахметов"


def test_the_badge_no_longer_checks_in_at_the_desk_or_by_hand(client, login, forum, gulshara, organizer):
    door = staff_at_the_door(forum)
    token = badge_token(gulshara)
    login(organizer)
    confirm_erase(client, f"/forums/asar/delegates/{gulshara.id}/erase")
    client.post("/auth/logout")
    login(door)
    scan = client.post("/forums/asar/checkin/scan", data={"token": token}, headers={"Accept": "application/json"})
    assert scan.get_json()["result"] == "invalid" and scan.get_json()["delegate"] is None
    manual = client.post(f"/forums/asar/checkin/manual/{gulshara.id}", headers={"Accept": "application/json"})
    assert manual.get_json()["result"] == "invalid"


def test_an_organizer_erases_on_request_and_the_page_says_so(client, login, forum, organizer, gulshara, db):
    login(organizer)
    page = client.get(f"/forums/asar/delegates/{gulshara.id}/erase")
    assert page.status_code == 200 and NAME in page.get_data(as_text=True)
    response = confirm_erase(client, f"/forums/asar/delegates/{gulshara.id}/erase")
    assert response.headers["Location"].endswith(f"/forums/asar/delegates/{gulshara.id}")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "delegate.erased"))
    assert event.actor_id == organizer.id and event.details == {"by": "organizer"}
    html = client.get(f"/forums/asar/delegates/{gulshara.id}").get_data(as_text=True)
    assert NAME not in html and "Erased on the delegate" in html
    # Twice is refused kindly; the record cannot be re-filled with a name.
    again = confirm_erase(client, f"/forums/asar/delegates/{gulshara.id}/erase")
    assert again.status_code == 302
    with pytest.raises(privacy.PrivacyError):
        privacy.erase(db.session.get(Delegate, gulshara.id), organizer, by="organizer")
    edit = client.post(f"/forums/asar/delegates/{gulshara.id}", data={
        "full_name": NAME, "email": EMAIL, "sector": "ngo", "participation": "in_person", "language": "kk"})
    assert db_name(gulshara) != NAME and edit.status_code in (200, 302, 422)


def test_projects_lose_their_contacts_but_stay(forum, db):
    project = make_project(forum)
    project.contact_name, project.contact_phone, project.contact_email = "Гүлшара", "+7 701", "g@example.kz"
    db.session.commit()
    privacy.erase(project.delegate, None, by="delegate")
    from app.models import FairProject

    kept = db.session.get(FairProject, project.id)
    assert (kept.contact_name, kept.contact_phone, kept.contact_email) == (None, None, None)
    assert kept.budget_kzt == project.budget_kzt and kept.status == project.status


def test_signed_memoranda_keep_the_signatorys_name_and_stay_verifiable(client, login, forum, organizer, db):
    memorandum = make_memorandum(forum, organizer, open_it=True)
    for party in memorandum.parties:
        sign_as(memorandum, party)
    party = memorandum.parties[0]
    delegate = make_delegate(forum, email=party.signatory_email, full_name=party.signatory_name)
    login(organizer)
    page = client.get(f"/forums/asar/delegates/{delegate.id}/erase").get_data(as_text=True)
    assert memorandum.number in page and "legal document" in page
    confirm_erase(client, f"/forums/asar/delegates/{delegate.id}/erase")
    signature = db.session.scalar(sa.select(Signature).where(Signature.party_id == party.id))
    assert signature.signer_name == party.signatory_name
    record_ = client.get(f"/api/v1/verify/{memorandum.public_id}").get_json()
    assert party.signatory_name in json.dumps(record_, ensure_ascii=False)
    assert record_["status"] in ("signed", "published")


# ---------------------------------------------------------------- the API


def test_the_api_hands_organizers_a_delegates_data(client, forum, organizer, gulshara, other):
    from tests.helpers.api import assert_contract_error, bearer

    url = f"/api/v1/forums/asar/delegates/{gulshara.id}/personal-data"
    response = client.get(url, headers=bearer(organizer))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["registration"]["email"] == EMAIL and "other@example.kz" not in json.dumps(body)
    assert_contract_error(client.get(url), 401)
    assert_contract_error(client.get(url, headers=bearer(other.user)), 403, "not_organizer")
    assert_contract_error(client.get(f"/api/v1/forums/asar/delegates/{10**6}/personal-data",
                                     headers=bearer(organizer)), 404)
    assert_contract_error(client.get(f"/api/v1/forums/nope/delegates/{gulshara.id}/personal-data",
                                     headers=bearer(organizer)), 404)
