"""The public catalogue: only approved projects, filters, search in Kazakh and Russian, sorting, totals, pages."""
import re

import pytest

from app.models import ForumStatus
from tests.factories import (make_fair_delegate, make_forum, make_organization, make_pledge, make_project,
                             region)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("asar_lang", "en")


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def listed(client, **args) -> list[int]:
    """Project ids on the catalogue page, in the order shown."""
    response = client.get("/forums/asar/fair", query_string=args)
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'id="card-title-(\d+)"', response.get_data(as_text=True))]


def test_only_approved_projects_of_this_forum_are_listed(client, forum):
    shown = [make_project(forum, status=s, title=f"Жоба {s}") for s in
             ("approved", "presented", "supported", "funded", "memorandum_signed")]
    hidden = [make_project(forum, status=s, title=f"Жасырын {s}") for s in ("submitted", "returned", "rejected")]
    other = make_project(make_forum(), title="Басқа форум")
    ids = listed(client)
    assert sorted(ids) == sorted(p.id for p in shown)
    page = text(client.get("/forums/asar/fair"))
    for project in hidden + [other]:
        assert project.title_kk not in page


def test_a_draft_forums_fair_is_not_found_and_a_closed_ones_stays_public(client, db):
    draft = make_forum(slug="draft")
    hidden = make_project(draft)
    closed = make_forum(slug="closed")
    project = make_project(closed, title="Жабық форумның жобасы")
    draft.status, closed.status = ForumStatus.draft, ForumStatus.closed
    db.session.commit()
    assert client.get("/forums/draft/fair").status_code == 404
    assert client.get("/forums/draft/fair/map").status_code == 404
    assert client.get(f"/forums/draft/fair/projects/{hidden.id}").status_code == 404
    assert project.title_kk in text(client.get("/forums/closed/fair"))
    assert client.get(f"/forums/closed/fair/projects/{project.id}").status_code == 200


def test_filters_by_category_region_and_budget(client, forum):
    youth = make_project(forum, category="youth", budget=2_000_000, region_code="KZ-23")
    ecology = make_project(forum, category="ecology", budget=800_000, region_code="KZ-23")
    health = make_project(forum, category="health", budget=5_000_000, region_code="KZ-75")
    assert listed(client, category="ecology") == [ecology.id]
    assert sorted(listed(client, region=region("KZ-23").id)) == sorted([youth.id, ecology.id])
    # Budgets typed as people write them: with spaces.
    assert sorted(listed(client, budget_min="1 000 000")) == sorted([youth.id, health.id])
    assert listed(client, budget_min="1 000 000", budget_max="3 000 000") == [youth.id]
    assert listed(client, category="health", region=region("KZ-23").id) == []


def test_funding_filter_follows_confirmed_pledges_only(client, forum):
    seeking = make_project(forum, budget=1_000_000)
    waiting = make_project(forum, budget=1_000_000)
    make_pledge(waiting, amount=400_000)  # pending: the project still seeks support
    supported = make_project(forum, budget=1_000_000)
    make_pledge(supported, amount=400_000, confirm=True)
    funded = make_project(forum, budget=1_000_000)
    make_pledge(funded, amount=600_000, confirm=True)
    make_pledge(funded, amount=None, in_kind="Көлік", in_kind_value=400_000, confirm=True)
    assert sorted(listed(client, funding="seeking")) == sorted([seeking.id, waiting.id])
    assert listed(client, funding="supported") == [supported.id]
    assert listed(client, funding="funded") == [funded.id]


def test_search_is_case_insensitive_in_kazakh_and_russian(client, forum):
    deaf = make_project(forum, title="Саңырау жастарды жұмыспен қамту")
    school = make_project(forum, title="Экологиялық мектеп",
                          delegate=make_fair_delegate(forum, organization=make_organization("Общество «Зелёный Атырау»")))
    assert listed(client, q="САҢЫРАУ") == [deaf.id]
    assert listed(client, q="жұмыспен ҚАМТУ") == [deaf.id]
    assert listed(client, q="зелёный") == [school.id]          # the organization's name counts too
    assert listed(client, q="ЗЕЛЁНЫЙ атырау") == [school.id]
    assert listed(client, q="(ru)") == sorted([deaf.id, school.id], reverse=True)  # the Russian titles
    assert listed(client, q="100%_") == []                     # LIKE wildcards are literal


def test_sorting_newest_most_needed_and_closest(client, forum):
    small = make_project(forum, budget=500_000)
    big = make_project(forum, budget=3_000_000)
    half = make_project(forum, budget=2_000_000)
    make_pledge(half, amount=1_500_000, confirm=True)       # 75 %, 500 000 still needed
    done = make_project(forum, budget=1_000_000)
    make_pledge(done, amount=1_000_000, confirm=True)       # funded: needs nothing
    assert listed(client) == [done.id, half.id, big.id, small.id]
    assert listed(client, sort="most_needed") == [big.id, half.id, small.id, done.id]
    # Nearest to its budget first (ties: newest first); the fully funded one needs nothing and comes last.
    assert listed(client, sort="closest") == [half.id, big.id, small.id, done.id]


def test_card_shows_progress_budget_status_booth_and_winner(client, forum, db):
    project = make_project(forum, budget=2_000_000, booth="A-7")
    make_pledge(project, amount=1_000_000, confirm=True)
    make_pledge(project, amount=None, in_kind="Жабдық", in_kind_value=500_000, confirm=True)
    make_pledge(project, amount=300_000)  # pending: not in the bar
    project.is_winner = True
    db.session.commit()
    page = text(client.get("/forums/asar/fair"))
    assert "1 500 000 ₸ of 2 000 000 ₸ (75%)" in page
    assert f'<progress class="fair-progress" max="100" value="75" aria-labelledby="card-funding-{project.id}"' in page
    assert "Booth A-7" in page and "Winner" in page and "Supported" in page
    assert project.organization.name in page and "Atyrau Region, Атырау" in page


def test_headline_totals(client, forum):
    one = make_project(forum, budget=2_000_000)
    make_pledge(one, amount=2_000_000, confirm=True)
    two = make_project(forum, budget=3_000_000)
    make_pledge(two, amount=250_000, confirm=True)
    make_pledge(two, amount=None, in_kind="Үй-жай", in_kind_value=100_000, confirm=True)
    make_pledge(two, amount=700_000)
    make_project(forum, status="submitted", budget=9_000_000)
    page = text(client.get("/forums/asar/fair"))
    totals = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert totals["Projects"] == "2"
    assert totals["Confirmed money"] == "2 250 000 ₸"
    assert totals["Confirmed in-kind support"] == "100 000 ₸"
    assert totals["Pledged, awaiting confirmation"] == "700 000 ₸"
    assert totals["Supported projects"] == "2" and totals["Fully funded"] == "1"


def test_pages_keep_the_filters(client, forum):
    projects = [make_project(forum, category="youth") for _ in range(26)]
    make_project(forum, category="health")
    first = listed(client, category="youth")
    assert len(first) == 24
    page = text(client.get("/forums/asar/fair", query_string={"category": "youth"}))
    assert "26 projects found" in page
    assert 'href="/forums/asar/fair?page=2&amp;category=youth"' in page
    second = listed(client, category="youth", page=2)
    assert sorted(first + second) == sorted(p.id for p in projects)


def test_nonsense_filters_are_ignored_not_errors(client, forum):
    project = make_project(forum)
    for args in ({"region": "abc"}, {"budget_min": "a lot"}, {"sort": "cheapest"}, {"page": "-3"},
                 {"category": "<script>"}, {"funding": "rich"}, {"page": "99"}):
        response = client.get("/forums/asar/fair", query_string=args)
        assert response.status_code == 200
    assert listed(client, region="abc", sort="cheapest") == [project.id]


def test_filter_form_is_a_plain_get_form_with_labels(client, forum):
    page = text(client.get("/forums/asar/fair"))
    form = re.search(r'<form class="filters fair-filters" method="get".*?</form>', page, re.S).group(0)
    assert "csrf_token" not in form
    for name in ("q", "category", "region", "funding", "budget_min", "budget_max", "sort"):
        field_id = re.search(rf'id="([^"]+)" name="{name}"', form).group(1)
        assert f'<label for="{field_id}">' in form
    assert "<script" not in page.split("<main")[1]
