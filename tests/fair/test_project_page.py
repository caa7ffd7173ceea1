"""A project's page, for each reader: anonymous, another NGO, the owner NGO, an organizer, a business."""
import re
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.fair import services as fair
from app.models import AuditEvent, GlobalRole
from tests.factories import (make_fair_delegate, make_forum, make_organizer, make_pledge, make_project, make_user)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo")


@pytest.fixture
def login(browser):
    """Log in as `user`, logging out whoever was in before (some stories switch people)."""

    def _login(user):
        browser.logout()
        response = browser.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return user

    return _login


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("asar_lang", "en")


def url(project, tail=""):
    return f"/forums/{project.forum.slug}/fair/projects/{project.id}{tail}"


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def contact(project):
    project.contact_phone = "+7 701 555 12 34"
    project.contact_email = "ngo-contact@example.kz"


READERS = ("anonymous", "other_ngo", "business", "owner", "organizer", "admin")


def become(who, forum, ngo, login):
    if who == "other_ngo":
        login(make_fair_delegate(forum, sector="ngo").user)
    elif who == "business":
        login(make_fair_delegate(forum, sector="business").user)
    elif who == "owner":
        login(ngo.user)
    elif who == "organizer":
        login(make_organizer(forum))
    elif who == "admin":
        login(make_user(role=GlobalRole.admin))


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("status", ["submitted", "returned", "rejected", "approved", "funded"])
def test_who_sees_the_project(client, forum, ngo, login, who, status):
    project = make_project(forum, ngo, status=status)
    become(who, forum, ngo, login)
    public = status in ("approved", "funded")
    allowed = public or who in ("owner", "organizer", "admin")
    assert client.get(url(project)).status_code == (200 if allowed else 404)


def test_project_of_another_forum_is_not_found_by_this_forums_address(client, forum):
    elsewhere = make_project(make_forum(slug="other"))
    assert client.get(f"/forums/asar/fair/projects/{elsewhere.id}").status_code == 404
    assert client.get(f"/forums/other/fair/projects/{elsewhere.id}").status_code == 200
    assert client.get("/forums/nowhere/fair/projects/1").status_code == 404


def test_everything_a_business_needs_is_on_the_page(client, forum, ngo, db):
    project = make_project(forum, ngo, budget=2_000_000, booth="12")
    project.description = "Сипаттама: ым тілі курстары"
    project.budget_breakdown = "Жалақы — 1 200 000 ₸"
    db.session.commit()
    page = text(client.get(url(project)))
    for expected in ("Жастарды жұмыспен қамту", "Жастарды жұмыспен қамту (ru)", project.organization.name,
                     "Youth", "Atyrau Region, Атырау", "Жастар", ">40<", "12 months", "2 000 000 ₸",
                     "Сипаттама: ым тілі курстары", "Жалақы — 1 200 000 ₸", "Booth 12", "Қысқаша", "Кратко",
                     "0 ₸ of 2 000 000 ₸ (0%)", "Booth poster (PDF)"):
        assert expected in page, expected


def test_readers_language_comes_first(client, forum, ngo):
    project = make_project(forum, ngo, title="Кітапхана")
    client.set_cookie("asar_lang", "kk")
    assert re.search(r'<h1 id="project-title" lang="kk">Кітапхана</h1>', text(client.get(url(project))))
    client.set_cookie("asar_lang", "ru")
    assert re.search(r'<h1 id="project-title" lang="ru">Кітапхана \(ru\)</h1>', text(client.get(url(project))))


@pytest.mark.parametrize("who,sees", [("anonymous", False), ("business", True), ("owner", True),
                                      ("organizer", True), ("other_ngo", True)])
def test_contact_details_are_for_the_forums_delegates_and_staff(client, forum, ngo, login, db, who, sees):
    project = make_project(forum, ngo)
    contact(project)
    db.session.commit()
    become(who, forum, ngo, login)
    page = text(client.get(url(project)))
    assert ("ngo-contact@example.kz" in page) is sees
    assert ("+7 701 555 12 34" in page) is sees


def test_a_delegate_of_another_forum_does_not_see_contacts(client, forum, ngo, login, db):
    project = make_project(forum, ngo)
    contact(project)
    db.session.commit()
    login(make_fair_delegate(make_forum(), sector="business").user)
    assert "ngo-contact@example.kz" not in text(client.get(url(project)))


def test_anonymous_readers_are_told_how_to_pledge(client, forum, ngo):
    project = make_project(forum, ngo)
    page = text(client.get(url(project)))
    assert "Log in to pledge" in page and f"/auth/login?next=/forums/asar/fair/projects/{project.id}" in page
    assert "Register as a business delegate" in page
    assert 'action="/forums/asar/fair/projects/%d/pledges"' % project.id not in page


def test_non_business_delegates_are_told_who_pledges(client, forum, ngo, login):
    project = make_project(forum, ngo)
    login(make_fair_delegate(forum, sector="state").user)
    page = text(client.get(url(project)))
    assert "Pledges are made by confirmed business delegates of this forum." in page
    assert "/pledges\"" not in page


def test_business_gets_the_pledge_form(client, forum, ngo, login):
    project = make_project(forum, ngo)
    business = make_fair_delegate(forum, sector="business")
    login(business.user)
    page = text(client.get(url(project)))
    assert f'action="/forums/asar/fair/projects/{project.id}/pledges"' in page
    for name in ("amount_kzt", "in_kind", "in_kind_value_kzt", "comment"):
        assert f'name="{name}"' in page
    assert business.organization.name in page


def test_no_pledge_form_once_the_memorandum_is_signed(client, forum, ngo, login):
    project = make_project(forum, ngo, status="memorandum_signed")
    login(make_fair_delegate(forum, sector="business").user)
    page = text(client.get(url(project)))
    assert "This project no longer takes pledges." in page
    assert f"/projects/{project.id}/pledges\"" not in page


def test_owner_sees_review_comment_resubmit_button_edit_link_and_history(client, forum, ngo, login, db):
    project = make_project(forum, ngo, status="submitted")
    organizer = make_organizer(forum)
    fair.review(project, organizer, "return", "Бюджетті нақтылаңыз")
    login(ngo.user)
    page = text(client.get(url(project)))
    assert "Бюджетті нақтылаңыз" in page
    assert f'action="/forums/asar/fair/projects/{project.id}/resubmit"' in page
    assert "Send for review again" in page
    assert f'href="/forums/asar/fair/projects/{project.id}/edit"' in page
    assert "Returned for changes" in page and "Submitted for review" in page
    assert organizer.full_name in page                      # who returned it
    assert "Booth poster" not in page                       # not at the fair yet


def test_history_times_are_in_the_forums_time_zone(client, forum, ngo, login, db):
    project = make_project(forum, ngo, status="submitted")
    login(ngo.user)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.subject_type == "fairproject",
                                                          AuditEvent.subject_id == project.id))
    local = event.at.astimezone(ZoneInfo(forum.timezone))
    assert local.utcoffset().total_seconds() == 5 * 3600
    shown = re.search(r'<time datetime="[^"]+">([^<]+)</time>', text(client.get(url(project)))).group(1)
    assert shown.endswith(local.strftime("%H:%M")), shown


def test_juror_scores_stay_out_of_the_ngos_history(client, forum, ngo, login, db):
    project = make_project(forum, ngo)
    juror = fair.name_juror(forum, make_organizer(forum), make_user(full_name="Жюри Мүшесі").email)
    fair.submit_scores(juror, project, {c.id: 9 for c in fair.criteria(forum)})
    login(ngo.user)
    page = text(client.get(url(project)))
    assert "Жюри Мүшесі" not in page and "Scored" not in page


def test_owner_answers_pending_pledges_and_business_sees_only_its_own(client, forum, ngo, login):
    project = make_project(forum, ngo)
    first = make_pledge(project, amount=300_000)
    second = make_pledge(project, amount=None, in_kind="Автобус", in_kind_value=200_000)
    login(ngo.user)
    page = text(client.get(url(project)))
    for pledge in (first, second):
        assert f"/pledges/{pledge.id}/confirm" in page and f"/pledges/{pledge.id}/decline" in page
        assert pledge.backer_name in page
    assert "Автобус" in page and "200 000 ₸" in page
    login(first.delegate.user)
    page = text(client.get(url(project)))
    assert first.backer_name in page and second.backer_name not in page
    assert f"/pledges/{first.id}/withdraw" in page and "/confirm" not in page


def test_organizer_gets_the_review_link_and_others_do_not(client, forum, ngo, login):
    project = make_project(forum, ngo, status="submitted")
    login(make_organizer(forum))
    assert f'href="/forums/asar/fair/manage/projects/{project.id}"' in text(client.get(url(project)))
    login(ngo.user)
    assert "/fair/manage/" not in text(client.get(url(project)))


def test_no_memorandum_button_before_the_memoranda_exist(client, forum, ngo, login):
    project = make_project(forum, ngo)
    make_pledge(project, amount=2_000_000, confirm=True)
    for user in (ngo.user, make_organizer(forum)):
        login(user)
        page = text(client.get(url(project))).lower()
        assert "prepare a memorandum" not in page and "memoranda" not in page


def test_confirmed_backers_are_credited_publicly(client, forum, ngo):
    project = make_project(forum, ngo)
    confirmed = make_pledge(project, amount=700_000, confirm=True)
    pending = make_pledge(project, amount=100_000)
    page = text(client.get(url(project)))
    assert confirmed.backer_name in page and "700 000 ₸" in page
    assert pending.backer_name not in page
    assert "100 000 ₸" in page  # pending money is shown as a total, not by whom


def test_forum_page_links_to_the_fair_and_ngos_to_submitting(client, forum, ngo, login):
    page = text(client.get("/forums/asar"))
    assert 'href="/forums/asar/fair"' in page and "/fair/projects/new" not in page
    login(ngo.user)
    page = text(client.get("/forums/asar"))
    assert 'href="/forums/asar/fair/projects/new"' in page
    login(make_fair_delegate(forum, sector="business").user)
    assert "/fair/projects/new" not in text(client.get("/forums/asar"))
