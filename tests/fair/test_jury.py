"""The jury in the browser: naming jurors, scoring (1–10, once, never one's own organization), hidden scores,
the ranking and the winners."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.fair import services as fair
from app.models import GlobalRole, Juror, JuryScore
from tests.factories import make_fair_delegate, make_forum, make_organization, make_organizer, make_project, make_user

KAZAKH_NGO = "Атырау облыстық саңыраулар қоғамы"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum, full_name="Айгүл Ұйымдастырушы")


def text(response) -> str:
    return response.get_data(as_text=True)


def name(forum, organizer, user) -> Juror:
    return fair.name_juror(forum, organizer, user.email)


def scores_form(forum, *values, comment=""):
    data = {f"criterion_{c.id}": str(v) for c, v in zip(fair.criteria(forum), values)}
    data["comment"] = comment
    return data


def give(forum, juror, project, *values):
    return fair.submit_scores(juror, project, {c.id: v for c, v in zip(fair.criteria(forum), values)})


def stored(count, juror=None, project=None):
    where = []
    if juror is not None:
        where.append(JuryScore.juror_id == juror.id)
    if project is not None:
        where.append(JuryScore.project_id == project.id)
    return count(JuryScore, *where) if where else count(JuryScore)


# --- naming the jury -------------------------------------------------------------------------------

def test_organizer_names_jurors_by_email(client, forum, organizer, login, count):
    login(organizer)
    expert = make_fair_delegate(forum, sector="business", organization=make_organization("ТОО «Сарапшы»"))
    page = text(client.get("/forums/asar/fair/jury"))
    for criterion in ("Social impact", "Feasibility", "Sustainability", "Budget realism"):
        assert criterion in page
    assert "No juror has been named yet." in page

    response = client.post("/forums/asar/fair/jury", data={"email": expert.email.upper()}, follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    assert f"{expert.full_name} is now on the jury." in page
    assert expert.email in page and "ТОО «Сарапшы»" in page
    assert count(Juror, Juror.forum_id == forum.id) == 1

    response = client.post("/forums/asar/fair/jury", data={"email": expert.email})
    assert response.status_code == 409
    error = re.search(r'<p class="error" id="email-error">([^<]+)</p>', text(response))
    assert error and "is already on the jury" in error.group(1)

    response = client.post("/forums/asar/fair/jury", data={"email": "nobody@example.kz"})
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="email-error">([^<]+)</p>', text(response))
    assert error and "There is no account with this email." in error.group(1)

    response = client.post("/forums/asar/fair/jury", data={"email": "not an email"})
    assert response.status_code == 422 and 'id="email-error"' in text(response)
    assert count(Juror, Juror.forum_id == forum.id) == 1


@pytest.mark.parametrize("who", ["anonymous", "delegate", "other_organizer"])
def test_only_organizers_name_the_jury(client, forum, organizer, login, count, who):
    target = make_user()
    if who == "delegate":
        login(make_fair_delegate(forum).user)
    elif who == "other_organizer":
        login(make_organizer(make_forum()))
    response = client.post("/forums/asar/fair/jury", data={"email": target.email})
    if who == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
        assert client.get("/forums/asar/fair/jury").status_code == 403
        assert client.get("/forums/asar/fair/jury/ranking").status_code == 403
    assert count(Juror) == 0


def test_a_juror_without_scores_can_be_removed_one_with_scores_stays(client, forum, organizer, login, count):
    idle, busy = name(forum, organizer, make_user()), name(forum, organizer, make_user())
    give(forum, busy, make_project(forum), 5, 5, 5, 5)
    login(organizer)
    page = text(client.get("/forums/asar/fair/jury"))
    assert f"/jury/jurors/{idle.id}/remove" in page and f"/jury/jurors/{busy.id}/remove" not in page

    response = client.post(f"/forums/asar/fair/jury/jurors/{busy.id}/remove")
    assert response.status_code == 409
    assert "This juror has already scored projects" in text(response)
    assert client.post(f"/forums/asar/fair/jury/jurors/{idle.id}/remove").status_code == 302
    assert {j.id for j in fair.jurors(forum)} == {busy.id}

    other = name(make_forum(slug="other", organizer=organizer), organizer, make_user())
    assert client.post(f"/forums/asar/fair/jury/jurors/{other.id}/remove").status_code == 404
    assert count(Juror, Juror.id == other.id) == 1


# --- the juror's pages -----------------------------------------------------------------------------

def test_juror_pages_are_for_jurors_of_this_forum(client, forum, organizer, login):
    project = make_project(forum)
    assert "/auth/login" in client.get("/forums/asar/fair/jury/projects").headers["Location"]
    assert "/auth/login" in client.get(f"/forums/asar/fair/jury/projects/{project.id}").headers["Location"]

    outsider = login(make_user())
    assert client.get("/forums/asar/fair/jury/projects").status_code == 403
    assert client.get(f"/forums/asar/fair/jury/projects/{project.id}").status_code == 403
    other_forum = make_forum(slug="other", organizer=organizer)
    name(other_forum, organizer, outsider)  # a juror elsewhere is no juror here
    assert client.get("/forums/asar/fair/jury/projects").status_code == 403
    assert client.get("/forums/other/fair/jury/projects").status_code == 200


def test_the_juror_sees_approved_projects_with_their_state(client, forum, organizer, login):
    ngo_org = make_organization(KAZAKH_NGO)
    ngo = make_fair_delegate(forum, organization=ngo_org)
    own = make_project(forum, ngo, title="Өз ұйымының жобасы")
    done = make_project(forum, title="Бағаланған жоба")
    todo = make_project(forum, title="Бағаланатын жоба")
    waiting = make_project(forum, status="submitted", title="Қаралудағы жоба")
    foreign = make_project(make_forum(), title="Басқа форумның жобасы")
    colleague = make_fair_delegate(forum, organization=ngo_org)  # same NGO as `own`
    juror = name(forum, organizer, colleague.user)
    give(forum, juror, done, 6, 6, 6, 6)
    colleague.user.language = "en"
    db.session.commit()

    login(colleague.user)
    page = text(client.get("/forums/asar/fair/jury/projects"))
    assert "Қаралудағы жоба" not in page and "Басқа форумның жобасы" not in page

    def state(project):
        item = re.search(r'<li class="jury-item jury-(\w+)">\s*<a href="[^"]+/projects/' + str(project.id) + '"', page)
        return item.group(1) if item else None

    assert (state(own), state(done), state(todo)) == ("conflict", "scored", "to_score")
    assert "Conflict of interest (your organization)" in page
    assert "Scored: 1. Still to score: 1." in page
    assert client.get(f"/forums/asar/fair/jury/projects/{waiting.id}").status_code == 404
    assert client.get(f"/forums/asar/fair/jury/projects/{foreign.id}").status_code == 404


# --- conflict of interest ----------------------------------------------------------------------------

def test_a_juror_cannot_score_their_own_organizations_project(client, forum, organizer, login, count):
    ngo_org = make_organization(KAZAKH_NGO)
    project = make_project(forum, make_fair_delegate(forum, organization=ngo_org))
    colleague = make_fair_delegate(forum, organization=ngo_org)
    juror = name(forum, organizer, colleague.user)
    colleague.user.language = "en"
    db.session.commit()
    login(colleague.user)

    response = client.get(f"/forums/asar/fair/jury/projects/{project.id}")
    assert response.status_code == 403
    assert "You cannot score a project of your own organization." in text(response)
    assert 'name="criterion_' not in text(response)  # no score form

    response = client.post(f"/forums/asar/fair/jury/projects/{project.id}", data=scores_form(forum, 10, 10, 10, 10))
    assert response.status_code == 403
    assert "You cannot score a project of your own organization." in text(response)
    assert stored(count, juror) == 0


def test_the_ngo_that_submitted_cannot_score_its_project_either(client, forum, organizer, login, count):
    ngo = make_fair_delegate(forum)
    project = make_project(forum, ngo)
    juror = name(forum, organizer, ngo.user)
    login(ngo.user)
    response = client.post(f"/forums/asar/fair/jury/projects/{project.id}", data=scores_form(forum, 9, 9, 9, 9))
    assert response.status_code == 403
    assert stored(count, juror) == 0


# --- scoring -----------------------------------------------------------------------------------------

def test_a_juror_scores_once_and_sees_their_scores_read_only(client, forum, organizer, login, count):
    project = make_project(forum)
    user = make_user()
    juror = name(forum, organizer, user)
    login(user)
    page = text(client.get(f"/forums/asar/fair/jury/projects/{project.id}"))
    assert page.count('name="criterion_') == 4 and "Social impact" in page

    response = client.post(f"/forums/asar/fair/jury/projects/{project.id}",
                           data=scores_form(forum, 7, 8, 9, 10, comment="Жақсы жоба"), follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    assert "Thank you: your scores are saved." in page
    assert 'name="criterion_' not in page and "Жақсы жоба" in page
    rows = fair.criteria(forum)
    mine = {s.criterion_id: s.score for s in fair.db.session.scalars(
        sa.select(JuryScore).where(JuryScore.juror_id == juror.id))}
    assert mine == {rows[0].id: 7, rows[1].id: 8, rows[2].id: 9, rows[3].id: 10}

    response = client.post(f"/forums/asar/fair/jury/projects/{project.id}", data=scores_form(forum, 1, 1, 1, 1))
    assert response.status_code == 409
    assert "You have already scored this project; scores are final once submitted." in text(response)
    assert stored(count, juror) == 4
    assert sorted(s.score for s in fair.db.session.scalars(
        sa.select(JuryScore).where(JuryScore.juror_id == juror.id))) == [7, 8, 9, 10]


@pytest.mark.parametrize("bad", ["0", "11", "abc", "", "7.5", "-3", None])
def test_scores_are_whole_numbers_from_1_to_10(client, forum, organizer, login, count, bad):
    project = make_project(forum)
    user = make_user()
    juror = name(forum, organizer, user)
    login(user)
    data = scores_form(forum, 5, 6, 7, 8)
    second = f"criterion_{fair.criteria(forum)[1].id}"
    if bad is None:
        del data[second]
    else:
        data[second] = bad
    response = client.post(f"/forums/asar/fair/jury/projects/{project.id}", data=data)
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="' + second + r'-error">([^<]+)</p>', text(response))
    assert error and "Give a whole score from 1 to 10." in error.group(1)
    assert stored(count, juror) == 0
    assert not fair.has_scored(juror, project)


# --- hidden scores -------------------------------------------------------------------------------------

def test_others_scores_stay_hidden_until_the_juror_has_scored(client, forum, organizer, login, browser):
    project = make_project(forum)
    first_user, second_user = make_user(full_name="Бірінші Сарапшы"), make_user(full_name="Екінші Сарапшы")
    first, second = name(forum, organizer, first_user), name(forum, organizer, second_user)
    give(forum, first, project, 9, 9, 8, 7)   # total 33
    fair.db.session.execute(sa.update(JuryScore).where(JuryScore.juror_id == first.id)
                            .values(comment="Бірінші сарапшының пікірі"))
    fair.db.session.commit()

    login(second_user)
    page = text(client.get(f"/forums/asar/fair/jury/projects/{project.id}"))
    assert "The jury's scores" not in page and "Juror 1" not in page and ">33<" not in page
    assert "8.25" not in page and "Бірінші Сарапшы" not in page

    response = client.post(f"/forums/asar/fair/jury/projects/{project.id}", data=scores_form(forum, 5, 5, 5, 5),
                           follow_redirects=True)
    page = text(response)
    sheet = page[page.index("The jury's scores"):]
    assert "Juror 1" in sheet and "Juror 2" in sheet and ">33<" in sheet and ">20<" in sheet
    assert "Бірінші Сарапшы" not in page and "Екінші Сарапшы" not in sheet  # anonymised
    assert "Бірінші сарапшының пікірі" not in page                          # others' comments stay theirs
    assert "6.62" in sheet or "6.63" in sheet                                # average of all 8 scores (6.625)

    browser.logout()
    login(first_user)  # the first juror, having scored, now sees the second's scores too
    assert ">20<" in text(client.get(f"/forums/asar/fair/jury/projects/{project.id}"))


# --- ranking and winners ---------------------------------------------------------------------------------

def _ranking_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', page)]


def test_ranking_orders_by_average_and_marks_the_top_n(client, forum, organizer, login, db):
    good, best, weak, unscored = (make_project(forum, title=t) for t in ("Жақсы", "Үздік", "Әлсіз", "Бағаланбаған"))
    jurors = [name(forum, organizer, make_user()) for _ in range(2)]
    give(forum, jurors[0], good, 7, 7, 7, 7)
    give(forum, jurors[1], good, 8, 8, 8, 8)
    give(forum, jurors[0], best, 10, 9, 9, 9)
    give(forum, jurors[0], weak, 2, 3, 2, 3)
    fair.set_winner(weak, organizer, True)  # an old mark the top-N will replace

    login(organizer)
    page = text(client.get("/forums/asar/fair/jury/ranking"))
    assert _ranking_ids(page) == [best.id, good.id, weak.id, unscored.id]
    assert "9.25" in page and "7.50" in page and "2.50" in page
    assert re.search(r'value="%d" id="winner-%d" checked' % (weak.id, weak.id), page)

    response = client.post("/forums/asar/fair/jury/winners", data={"top": "1", "n": "2"}, follow_redirects=True)
    assert "The winners are saved: 2 projects." in text(response)
    for project in (good, best, weak, unscored):
        db.session.refresh(project)
    assert (best.is_winner, good.is_winner, weak.is_winner, unscored.is_winner) == (True, True, False, False)

    client.post("/forums/asar/fair/jury/winners", data={"top": "1", "n": "10"})  # never the unscored ones
    db.session.refresh(unscored), db.session.refresh(weak)
    assert weak.is_winner and not unscored.is_winner

    response = client.post("/forums/asar/fair/jury/winners", data={"ids": [str(unscored.id), str(good.id), "abc"]})
    assert response.status_code == 302
    for project in (good, best, weak, unscored):
        db.session.refresh(project)
    assert {p.id for p in (good, best, weak, unscored) if p.is_winner} == {unscored.id, good.id}


@pytest.mark.parametrize("n", ["0", "abc", "", "100000"])
def test_top_n_must_be_a_sensible_number(client, forum, organizer, login, db, n):
    project = make_project(forum)
    give(forum, name(forum, organizer, make_user()), project, 5, 5, 5, 5)
    login(organizer)
    response = client.post("/forums/asar/fair/jury/winners", data={"top": "1", "n": n})
    assert response.status_code == 422 and 'id="n-error"' in text(response)
    db.session.refresh(project)
    assert not project.is_winner


def test_ranking_is_for_organizers_only(client, forum, organizer, login):
    project = make_project(forum)
    user = make_user()
    give(forum, name(forum, organizer, user), project, 5, 5, 5, 5)
    assert "/auth/login" in client.get("/forums/asar/fair/jury/ranking").headers["Location"]
    login(user)  # a juror, not an organizer
    assert client.get("/forums/asar/fair/jury/ranking").status_code == 403
    assert client.post("/forums/asar/fair/jury/winners", data={"ids": [str(project.id)]}).status_code == 403
    assert not fair.get_project(project.id).is_winner


def test_an_organizer_who_is_also_a_juror_links_to_scoring(client, forum, organizer, login):
    name(forum, organizer, organizer)
    login(organizer)
    page = text(client.get("/forums/asar/fair/jury"))
    assert "/forums/asar/fair/jury/projects" in page
    assert client.get("/forums/asar/fair/jury/projects").status_code == 200


def test_admins_may_run_the_jury(client, forum, login):
    login(make_user(role=GlobalRole.admin))
    assert client.get("/forums/asar/fair/jury").status_code == 200
    assert client.get("/forums/asar/fair/jury/ranking").status_code == 200


def test_the_forum_page_leads_a_juror_and_only_a_juror_to_the_projects_to_score(client, browser, forum, organizer,
                                                                                  login):
    expert = make_user(email="expert@example.kz", full_name="Сарапшы Әлия")
    outsider = make_user(email="outsider@example.kz")
    name(forum, organizer, expert)
    jury_link = 'href="/forums/asar/fair/jury/projects"'

    login(outsider)
    assert jury_link not in text(client.get("/forums/asar"))

    browser.logout()
    login(expert)
    page = text(client.get("/forums/asar"))
    assert jury_link in page
    assert client.get("/forums/asar/fair/jury/projects").status_code == 200
