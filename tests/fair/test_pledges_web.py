"""Pledges through the browser: a business pledges, the NGO confirms, the catalogue shows the progress."""
import html
import re

import pytest
import sqlalchemy as sa

from app.models import Pledge, PledgeStatus, ProjectStatus
from tests.factories import (PASSWORD, make_fair_delegate, make_forum, make_organizer, make_pledge, make_project,
                             make_user)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo")


@pytest.fixture
def business(forum):
    return make_fair_delegate(forum, sector="business")


@pytest.fixture
def project(forum, ngo):
    return make_project(forum, ngo, budget=2_000_000)


@pytest.fixture
def login(browser):
    def _login(user):
        browser.logout()
        response = browser.login(user.email)
        assert response.status_code == 302
        return user

    return _login


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("asar_lang", "en")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ")


def pledges(db) -> list[Pledge]:
    return list(db.session.scalars(sa.select(Pledge).order_by(Pledge.id)))


def base(project) -> str:
    return f"/forums/asar/fair/projects/{project.id}"


def error_of(page: str, field: str) -> str | None:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return match.group(1) if match else None


def test_business_pledges_ngo_confirms_catalogue_shows_progress(client, forum, project, ngo, business, login,
                                                                  db, outbox):
    login(business.user)
    response = client.post(f"{base(project)}/pledges",
                           data={"amount_kzt": "1 500 000", "comment": "Біз қолдаймыз"})
    assert response.status_code == 302 and response.location == base(project)
    [pledge] = pledges(db)
    assert (pledge.amount_kzt, pledge.status, pledge.organization_id) == (1_500_000, PledgeStatus.pending,
                                                                           business.organization_id)
    assert [m.recipients for m in outbox] == [[ngo.email]]       # the NGO hears of it
    assert "0 ₸ of 2 000 000 ₸ (0%)" in text(client.get("/forums/asar/fair"))  # pending money is not funding

    login(ngo.user)
    page = text(client.get(base(project)))
    assert business.organization.name in page and "Біз қолдаймыз" in page
    response = client.post(f"{base(project)}/pledges/{pledge.id}/confirm",
                           data={f"p{pledge.id}-note": "Рақмет!"})
    assert response.status_code == 302
    db.session.refresh(pledge)
    assert pledge.status == PledgeStatus.confirmed and pledge.decision_note == "Рақмет!"
    assert pledge.project.confirmed_kzt == 1_500_000 and pledge.project.status == ProjectStatus.supported

    client.post("/auth/logout")
    catalogue = text(client.get("/forums/asar/fair"))
    assert "1 500 000 ₸ of 2 000 000 ₸ (75%)" in catalogue and "Supported" in catalogue
    page = text(client.get(base(project)))
    assert business.organization.name in page  # credited publicly
    assert "Рақмет!" not in page                # the note is between the NGO and the business


def test_in_kind_pledge_with_its_value(client, project, business, login, db):
    login(business.user)
    response = client.post(f"{base(project)}/pledges", data={
        "in_kind": "Кеңсе жабдығы: 5 компьютер", "in_kind_value_kzt": "750 000 ₸"})
    assert response.status_code == 302
    [pledge] = pledges(db)
    assert (pledge.amount_kzt, pledge.in_kind, pledge.in_kind_value_kzt) == (None, "Кеңсе жабдығы: 5 компьютер",
                                                                             750_000)


@pytest.mark.parametrize("data,field,message", [
    ({}, "amount_kzt", "Pledge an amount of money, in-kind support, or both."),
    ({"amount_kzt": "миллион"}, "amount_kzt", "The amount is a whole number of tenge, more than zero."),
    ({"amount_kzt": "0"}, "amount_kzt", "The amount is a whole number of tenge, more than zero."),
    ({"amount_kzt": "-100"}, "amount_kzt", "The amount is a whole number of tenge, more than zero."),
    ({"in_kind": "Көлік"}, "in_kind_value_kzt", "Estimate what the in-kind support is worth, in tenge."),
    ({"in_kind_value_kzt": "100 000"}, "in_kind", "Describe the in-kind support you offer."),
])
def test_bad_pledges_are_explained_by_their_field(client, project, business, login, db, data, field, message):
    login(business.user)
    response = client.post(f"{base(project)}/pledges", data=data)
    assert response.status_code == 422
    assert html.unescape(error_of(response.get_data(as_text=True), field)) == message
    assert pledges(db) == []


@pytest.mark.parametrize("sector", ["ngo", "state", "media"])
def test_only_business_delegates_pledge(client, forum, project, login, db, sector):
    login(make_fair_delegate(forum, sector=sector).user)
    response = client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000"})
    assert response.status_code == 403
    assert "Only confirmed business delegates of this forum can pledge." in text(response)
    assert pledges(db) == []


def test_strangers_and_outsiders_cannot_pledge(client, forum, project, login, db):
    response = client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000"})
    assert response.status_code == 302 and "/auth/login" in response.location
    login(make_fair_delegate(make_forum(), sector="business").user)  # a business of another forum
    assert client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000"}).status_code == 403
    login(make_user())
    assert client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000"}).status_code == 403
    assert pledges(db) == []


def test_no_pledges_to_projects_not_public_or_closed(client, forum, ngo, business, login, db):
    waiting = make_project(forum, ngo, status="submitted")
    signed = make_project(forum, ngo, status="memorandum_signed")
    login(business.user)
    assert client.post(f"{base(waiting)}/pledges", data={"amount_kzt": "1000"}).status_code == 404
    response = client.post(f"{base(signed)}/pledges", data={"amount_kzt": "1000"})
    assert response.status_code == 409 and "This project is not open for pledges." in text(response)
    assert pledges(db) == []


def test_a_second_pledge_waits_for_the_first(client, project, business, login, db):
    login(business.user)
    client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000"})
    page = text(client.get(base(project)))
    assert "Your pledge is waiting for the NGO's answer" in page and 'name="amount_kzt"' not in page
    response = client.post(f"{base(project)}/pledges", data={"amount_kzt": "200000"})
    assert response.status_code == 409 and len(pledges(db)) == 1


def test_withdraw_only_while_pending_and_only_ones_own(client, forum, project, ngo, business, login, db):
    pledge = make_pledge(project, business, amount=300_000)
    login(make_fair_delegate(forum, sector="business").user)
    assert client.post(f"{base(project)}/pledges/{pledge.id}/withdraw").status_code == 403
    login(business.user)
    page = text(client.get(base(project)))
    assert f"/pledges/{pledge.id}/withdraw" in page
    assert client.post(f"{base(project)}/pledges/{pledge.id}/withdraw").status_code == 302
    db.session.refresh(pledge)
    assert pledge.status == PledgeStatus.withdrawn and pledge.project.pending_kzt == 0
    assert f"/pledges/{pledge.id}/withdraw" not in text(client.get(base(project)))

    confirmed = make_pledge(project, business, amount=400_000, confirm=True)
    response = client.post(f"{base(project)}/pledges/{confirmed.id}/withdraw")
    assert response.status_code == 409
    assert "A confirmed pledge can no longer be withdrawn" in text(response)
    db.session.refresh(confirmed)
    assert confirmed.status == PledgeStatus.confirmed and confirmed.project.confirmed_kzt == 400_000


def test_only_the_owner_ngo_confirms_or_declines(client, forum, project, ngo, business, login, db):
    pledge = make_pledge(project, business, amount=300_000)
    for user in (business.user, make_fair_delegate(forum, sector="ngo").user, make_organizer(forum)):
        login(user)
        assert client.post(f"{base(project)}/pledges/{pledge.id}/confirm").status_code == 403
        assert client.post(f"{base(project)}/pledges/{pledge.id}/decline").status_code == 403
    db.session.refresh(pledge)
    assert pledge.status == PledgeStatus.pending
    login(ngo.user)
    response = client.post(f"{base(project)}/pledges/{pledge.id}/decline", data={f"p{pledge.id}-note": "Кешіріңіз"})
    assert response.status_code == 302
    db.session.refresh(pledge)
    assert (pledge.status, pledge.decision_note) == (PledgeStatus.declined, "Кешіріңіз")
    assert pledge.project.confirmed_kzt == 0 and pledge.project.pending_kzt == 0
    again = client.post(f"{base(project)}/pledges/{pledge.id}/confirm")
    assert again.status_code == 409 and "already been answered" in text(again)


def test_pledge_ids_of_other_projects_lead_nowhere(client, forum, project, ngo, business, login, db):
    other = make_project(forum, budget=1_000_000)
    foreign = make_pledge(other, business, amount=100_000)
    login(ngo.user)
    for action in ("confirm", "decline", "withdraw"):
        assert client.post(f"{base(project)}/pledges/{foreign.id}/{action}").status_code == 404
    assert client.post(f"{base(project)}/pledges/999/confirm").status_code == 404
    elsewhere = make_forum(slug="elsewhere")
    assert client.post(f"/forums/elsewhere/fair/projects/{project.id}/pledges/{foreign.id}/confirm"
                       ).status_code == 404
    assert elsewhere.id and pledges(db)[0].status == PledgeStatus.pending


def test_money_stays_exact_in_whole_tenge(client, forum, ngo, login, db):
    project = make_project(forum, ngo, budget=999_999_999_999)
    backers = [make_fair_delegate(forum, sector="business") for _ in range(3)]
    for backer, amount in zip(backers, (333_333_333_333, 333_333_333_333, 333_333_333_332)):
        login(backer.user)
        assert client.post(f"{base(project)}/pledges", data={"amount_kzt": f"{amount:,}".replace(",", " ")}
                           ).status_code == 302
    login(ngo.user)
    for pledge in pledges(db):
        assert client.post(f"{base(project)}/pledges/{pledge.id}/confirm").status_code == 302
    db.session.refresh(project)
    assert project.confirmed_kzt == 999_999_999_998 and project.needed_kzt == 1
    assert project.progress_percent == 99  # never rounded up to a full budget it does not have
    assert "999 999 999 998 ₸ of 999 999 999 999 ₸ (99%)" in text(client.get(base(project)))


def test_my_fair_lists_pledges_with_withdraw(client, forum, project, business, login, db):
    pending = make_pledge(project, business, amount=250_000)
    other = make_project(forum, budget=1_000_000, title="Басқа жоба")
    make_pledge(other, business, amount=100_000, confirm=True)
    login(business.user)
    page = text(client.get("/forums/asar/fair/mine"))
    assert "250 000 ₸" in page and "Басқа жоба" in page and "Waiting for the NGO" in page
    assert page.count("/withdraw") == 1
    response = client.post(f"{base(project)}/pledges/{pending.id}/withdraw", data={"next": "/forums/asar/fair/mine"})
    assert response.location == "/forums/asar/fair/mine"
    again = make_pledge(project, business, amount=50_000)
    response = client.post(f"{base(project)}/pledges/{again.id}/withdraw", data={"next": "https://evil.example"})
    assert response.location == base(project)  # never an open redirect


def test_ngo_sees_waiting_pledges_in_my_fair(client, project, ngo, login):
    make_pledge(project, amount=100_000)
    make_pledge(project, amount=200_000)
    login(ngo.user)
    assert "2 pledges wait for your answer" in text(client.get("/forums/asar/fair/mine"))


class TestCsrf:
    """With CSRF on, as in production: every form carries a token, and a post without one changes nothing."""

    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_forms_carry_tokens_and_posts_without_them_are_refused(self, client, forum, project, ngo, business,
                                                                   browser, db):
        assert browser.client.post("/auth/login", data={
            "email": business.email, "password": PASSWORD,
            "csrf_token": browser.csrf_token("/auth/login")}).status_code == 302
        page = client.get(base(project)).get_data(as_text=True)
        form = re.search(r'<form method="post" novalidate class="stacked" action="[^"]+/pledges">.*?</form>',
                         page, re.S).group(0)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        assert client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000"}).status_code == 400
        assert pledges(db) == []
        response = client.post(f"{base(project)}/pledges", data={"amount_kzt": "100000", "csrf_token": token})
        assert response.status_code == 302
        [pledge] = pledges(db)
        page = client.get(base(project)).get_data(as_text=True)
        withdraw = re.search(rf'<form[^>]+/pledges/{pledge.id}/withdraw">.*?</form>', page, re.S).group(0)
        assert 'name="csrf_token"' in withdraw
        assert client.post(f"{base(project)}/pledges/{pledge.id}/withdraw").status_code == 400
        db.session.refresh(pledge)
        assert pledge.status == PledgeStatus.pending
