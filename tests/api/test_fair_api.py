"""The ideas fair through the API: the catalogue, one project, pledges and the NGO's answers, the totals."""
import pytest

from app.fair import services as fair
from app.models import DelegateStatus, FairProject, ForumStatus, Pledge, PledgeStatus, ProjectStatus
from tests.factories import (make_fair_delegate, make_forum, make_organizer, make_pledge, make_project, make_user,
                             region)
from tests.helpers.api import assert_contract_error, bearer

DEAF_YOUTH = "Есту қабілеті бұзылған жастарды жұмыспен қамту"




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
    return make_project(forum, ngo, title=DEAF_YOUTH, budget=2_000_000)


def pledge_path(project_id):
    return f"/api/v1/fair/projects/{project_id}/pledges"


# ---------------------------------------------------------------- the catalogue


class TestCatalogue:
    def test_lists_the_public_projects_with_their_funding_and_page_url(self, client, forum, project, business):
        make_pledge(project, business, amount=1_500_000, confirm=True)
        make_pledge(project, amount=300_000)  # another business, still pending
        make_project(forum, status="submitted", title="Әлі қаралмаған")
        make_project(forum, status="rejected", title="Қабылданбаған")
        make_project(make_forum(), title="Басқа форумның жобасы")

        response = client.get("/api/v1/forums/asar/fair/projects", headers={"Accept-Language": "kk"})
        assert response.status_code == 200
        assert response.headers["X-Total-Count"] == "1" and response.headers["X-Page"] == "1"
        [item] = response.get_json()
        assert item["id"] == project.id
        assert item["title"] == DEAF_YOUTH and item["title_kk"] == DEAF_YOUTH
        assert item["title_ru"] == f"{DEAF_YOUTH} (ru)"
        assert item["region"] == {"code": "KZ-23", "name": region("KZ-23").name_kk}
        assert item["organization"]["name"] == ngo_name(project)
        assert (item["budget_kzt"], item["confirmed_kzt"], item["in_kind_kzt"], item["covered_kzt"],
                item["pending_kzt"], item["needed_kzt"]) == (2_000_000, 1_500_000, 0, 1_500_000, 300_000, 500_000)
        assert item["progress_percent"] == 75 and item["backers_count"] == 1
        assert item["status"] == "supported" and item["category"] == "youth" and item["is_winner"] is False
        assert item["url"] == f"http://localhost/forums/asar/fair/projects/{project.id}"
        assert isinstance(item["budget_kzt"], int)

    def test_title_follows_the_readers_language(self, client, project):
        [item] = client.get("/api/v1/forums/asar/fair/projects", headers={"Accept-Language": "ru"}).get_json()
        assert item["title"] == f"{DEAF_YOUTH} (ru)"

    def test_filters_sorting_and_pages(self, client, forum, business):
        eco = make_project(forum, category="ecology", region_code="KZ-75", budget=5_000_000, title="Жасыл Алматы")
        youth = make_project(forum, category="youth", region_code="KZ-23", budget=1_000_000, title="IT мектебі")
        funded = make_project(forum, category="youth", region_code="KZ-23", budget=400_000, title="Ауыл кітапханасы")
        make_pledge(funded, business, amount=400_000, confirm=True)
        make_pledge(youth, amount=900_000, confirm=True)

        def ids(query=""):
            response = client.get(f"/api/v1/forums/asar/fair/projects{query}")
            assert response.status_code == 200
            return [p["id"] for p in response.get_json()]

        assert set(ids("?category=youth")) == {youth.id, funded.id}
        assert ids(f"?region={region('KZ-75').id}") == [eco.id]
        assert ids("?funding=funded") == [funded.id]
        assert ids("?funding=seeking") == [eco.id]
        assert ids("?funding=supported") == [youth.id]
        assert set(ids("?budget_min=500000&budget_max=2000000")) == {youth.id}
        assert ids("?q=алматы") == [eco.id]
        assert ids("?sort=most_needed") == [eco.id, youth.id, funded.id]
        assert ids("?sort=closest") == [youth.id, eco.id, funded.id]  # 90 %, 0 %, then the funded one
        # Nonsense filters are ignored, as on the catalogue page: never a 4xx.
        assert len(ids("?category=nope&region=x&budget_min=-5&sort=evil&page=zero")) == 3

        first = client.get("/api/v1/forums/asar/fair/projects?per_page=2&sort=most_needed")
        assert first.headers["X-Total-Count"] == "3" and first.headers["X-Total-Pages"] == "2"
        assert [p["id"] for p in first.get_json()] == [eco.id, youth.id]
        second = client.get("/api/v1/forums/asar/fair/projects?per_page=2&sort=most_needed&page=2")
        assert second.headers["X-Page"] == "2" and [p["id"] for p in second.get_json()] == [funded.id]

    def test_draft_or_unknown_forum_is_a_404(self, client):
        make_forum(slug="draft", status=ForumStatus.draft)
        assert_contract_error(client.get("/api/v1/forums/draft/fair/projects"), 404, "not_found")
        assert_contract_error(client.get("/api/v1/forums/nope/fair/projects"), 404, "not_found")


def ngo_name(project):
    return project.organization.name


# ---------------------------------------------------------------- one project


class TestProject:
    def test_a_public_project_for_anyone_without_contacts(self, client, project, business):
        make_pledge(project, business, amount=2_000_000, confirm=True)
        body = client.get(f"/api/v1/fair/projects/{project.id}").get_json()
        assert body["status"] == "funded" and body["progress_percent"] == 100
        assert body["summary_kk"] == "Қысқаша" and body["beneficiaries_count"] == 40 and body["duration_months"] == 12
        assert body["backers"] == [{"name": business.organization.name, "amount_kzt": 2_000_000, "in_kind": None,
                                    "in_kind_value_kzt": None, "confirmed_at": body["backers"][0]["confirmed_at"]}]
        assert body["contact"] is None and body["review_comment"] is None

    def test_confirmed_delegates_see_the_contact(self, client, project, business):
        body = client.get(f"/api/v1/fair/projects/{project.id}", headers=bearer(business.user)).get_json()
        assert body["contact"]["email"] == project.delegate.email

    @pytest.mark.parametrize("status", ["submitted", "returned", "rejected"])
    def test_an_unapproved_project_only_for_its_ngo_and_organizers(self, client, db, forum, ngo, business, status):
        project = make_project(forum, ngo, status=status)
        project.review_comment = "Бюджетті нақтылаңыз"
        db.session.commit()
        path = f"/api/v1/fair/projects/{project.id}"
        assert_contract_error(client.get(path), 404, "not_found")
        assert_contract_error(client.get(path, headers=bearer(business.user)), 404, "not_found")
        assert_contract_error(client.get(path, headers=bearer(make_user())), 404, "not_found")
        own = client.get(path, headers=bearer(ngo.user)).get_json()
        assert own["status"] == status and own["review_comment"] == "Бюджетті нақтылаңыз"
        assert client.get(path, headers=bearer(make_organizer(forum))).status_code == 200

    def test_a_draft_forums_project_is_hidden(self, client, db, forum, project):
        forum.status = ForumStatus.draft  # the forum went back to draft after the fair opened
        db.session.commit()
        assert_contract_error(client.get(f"/api/v1/fair/projects/{project.id}"), 404)
        own = client.get(f"/api/v1/fair/projects/{project.id}", headers=bearer(project.delegate.user))
        assert own.status_code == 200

    def test_no_such_project(self, client):
        assert_contract_error(client.get("/api/v1/fair/projects/999999"), 404, "not_found")


# ---------------------------------------------------------------- pledging


class TestPledge:
    def test_a_business_pledges_money_and_in_kind(self, client, db, project, business, outbox):
        response = client.post(pledge_path(project.id), headers=bearer(business.user), json={
            "amount_kzt": 1_200_000, "in_kind": "Ноутбуктер (10 дана)", "in_kind_value_kzt": 800_000,
            "comment": "Жобаға сәттілік!"})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["project_id"] == project.id and body["status"] == "pending"
        assert (body["amount_kzt"], body["in_kind"], body["in_kind_value_kzt"], body["value_kzt"]) == (
            1_200_000, "Ноутбуктер (10 дана)", 800_000, 2_000_000)
        assert body["created_at"].endswith("+00:00") and isinstance(body["id"], int)
        stored = db.session.get(FairProject, project.id)
        assert (stored.pending_kzt, stored.confirmed_kzt, stored.status) == (1_200_000, 0, ProjectStatus.approved)
        assert len(outbox) == 1 and outbox[0].recipients == [project.delegate.email]  # the NGO hears of it

    def test_in_kind_only(self, client, project, business):
        response = client.post(pledge_path(project.id), headers=bearer(business.user),
                               json={"in_kind": "Офис үй-жайы, 12 ай", "in_kind_value_kzt": 1_800_000})
        assert response.status_code == 201 and response.get_json()["amount_kzt"] is None

    def test_no_token_is_401_even_with_a_bad_body(self, client, project, count):
        assert_contract_error(client.post(pledge_path(project.id), json={"amount_kzt": 1.5}), 401, "unauthorized")
        assert_contract_error(client.post(pledge_path(project.id), json={"amount_kzt": 100},
                                          headers={"Authorization": "Bearer nonsense"}), 401)
        assert count(Pledge) == 0

    @pytest.mark.parametrize("who", ["ngo", "state", "pending_business", "other_forums_business", "organizer",
                                     "no_registration"])
    def test_only_confirmed_business_delegates_of_the_forum_pledge(self, client, db, forum, project, who, count):
        if who in ("ngo", "state"):
            user = make_fair_delegate(forum, sector=who).user
        elif who == "pending_business":
            delegate = make_fair_delegate(forum, sector="business")
            delegate.status = DelegateStatus.pending
            db.session.commit()
            user = delegate.user
        elif who == "other_forums_business":
            user = make_fair_delegate(make_forum(), sector="business").user
        elif who == "organizer":
            user = make_organizer(forum)
        else:
            user = make_user()
        response = client.post(pledge_path(project.id), headers=bearer(user), json={"amount_kzt": 100_000})
        assert_contract_error(response, 403, "not_business_delegate")
        assert count(Pledge) == 0

    @pytest.mark.parametrize("status", ["submitted", "returned", "rejected"])
    def test_a_project_that_is_not_public_is_a_404(self, client, forum, business, status):
        project = make_project(forum, status=status)
        assert_contract_error(client.post(pledge_path(project.id), headers=bearer(business.user),
                                          json={"amount_kzt": 100_000}), 404, "not_found")

    def test_no_such_project_is_a_404(self, client, business):
        assert_contract_error(client.post(pledge_path(424242), headers=bearer(business.user),
                                          json={"amount_kzt": 100_000}), 404, "not_found")

    def test_a_closed_project_is_a_409(self, client, forum, business, project):
        make_pledge(project, amount=500_000, confirm=True)
        fair.mark_memorandum_signed(project, None)
        response = client.post(pledge_path(project.id), headers=bearer(business.user), json={"amount_kzt": 10})
        assert_contract_error(response, 409, "not_open")

    def test_not_to_its_own_organizations_project(self, client, db, forum, business):
        project = make_project(forum)
        project.organization_id = business.organization_id  # a business's own foundation, say
        db.session.commit()
        response = client.post(pledge_path(project.id), headers=bearer(business.user), json={"amount_kzt": 10})
        assert_contract_error(response, 409, "own_project")

    def test_a_second_pending_pledge_is_a_409_until_the_first_is_answered(self, client, db, project, business):
        headers = bearer(business.user)
        first = client.post(pledge_path(project.id), headers=headers, json={"amount_kzt": 100_000})
        assert first.status_code == 201
        assert_contract_error(client.post(pledge_path(project.id), headers=headers, json={"amount_kzt": 5}),
                              409, "pledge_pending")
        fair.confirm_pledge(db.session.get(Pledge, first.get_json()["id"]), project.delegate.user)
        assert client.post(pledge_path(project.id), headers=headers, json={"amount_kzt": 5}).status_code == 201

    @pytest.mark.parametrize("body", [
        {"amount_kzt": -1},
        {"amount_kzt": 0},
        {"amount_kzt": 10**12 + 1},
        {"amount_kzt": 10**30},
        {"amount_kzt": 1.5},
        {"amount_kzt": 1000.0},
        {"amount_kzt": "1000000"},
        {"amount_kzt": "1 000 000"},
        {"amount_kzt": True},
        {"amount_kzt": [100]},
        {"amount_kzt": None},
        {},
        {"comment": "тек пікір"},
        {"in_kind": "Автобус"},
        {"in_kind_value_kzt": 500_000},
        {"in_kind": "Автобус", "in_kind_value_kzt": 0},
        {"in_kind": "Автобус", "in_kind_value_kzt": 2.5},
        {"amount_kzt": 100, "in_kind": "x" * 2001, "in_kind_value_kzt": 5},
        {"amount_kzt": 100, "currency": "USD"},
    ])
    def test_bad_amounts_are_422_in_the_contracts_shape_and_nothing_is_written(self, client, project, business,
                                                                             count, body):
        response = client.post(pledge_path(project.id), headers=bearer(business.user), json=body)
        assert_contract_error(response, 422)
        assert count(Pledge) == 0

    @pytest.mark.parametrize("raw", ['[1, 2]', '"text"', '{"amount_kzt": 1e400}', '{"amount_kzt": NaN}',
                                     '{"amount_kzt": 100'])
    def test_odd_json_is_refused_not_a_500(self, client, project, business, count, raw):
        response = client.post(pledge_path(project.id), headers={**bearer(business.user),
                                                                 "Content-Type": "application/json"}, data=raw)
        assert response.status_code in (400, 422)
        assert set(response.get_json()) == {"error"}
        assert count(Pledge) == 0

    def test_the_largest_amount_is_kept_exactly(self, client, db, project, business):
        response = client.post(pledge_path(project.id), headers=bearer(business.user), json={"amount_kzt": 10**12})
        assert response.status_code == 201 and response.get_json()["amount_kzt"] == 10**12
        assert db.session.get(FairProject, project.id).pending_kzt == 10**12


# ---------------------------------------------------------------- answering and withdrawing


class TestAnswers:
    @pytest.fixture
    def pledge(self, project, business):
        return make_pledge(project, business, amount=2_000_000)

    def test_the_ngo_confirms_and_the_project_is_funded(self, client, db, project, pledge):
        response = client.post(f"/api/v1/fair/pledges/{pledge.id}/confirm", headers=bearer(project.delegate.user),
                               json={"note": "Рақмет!"})
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "confirmed" and body["decision_note"] == "Рақмет!" and body["decided_at"]
        stored = db.session.get(FairProject, project.id)
        assert (stored.status, stored.confirmed_kzt, stored.pending_kzt) == (ProjectStatus.funded, 2_000_000, 0)
        again = client.post(f"/api/v1/fair/pledges/{pledge.id}/confirm", headers=bearer(project.delegate.user))
        assert_contract_error(again, 409, "already_decided")
        assert db.session.get(FairProject, project.id).confirmed_kzt == 2_000_000

    def test_the_ngo_declines_without_a_body(self, client, db, project, pledge):
        response = client.post(f"/api/v1/fair/pledges/{pledge.id}/decline", headers=bearer(project.delegate.user))
        assert response.status_code == 200 and response.get_json()["status"] == "declined"
        stored = db.session.get(FairProject, project.id)
        assert (stored.status, stored.confirmed_kzt, stored.pending_kzt) == (ProjectStatus.approved, 0, 0)

    @pytest.mark.parametrize("action", ["confirm", "decline"])
    def test_only_the_projects_ngo_answers(self, client, forum, project, pledge, business, action, db):
        path = f"/api/v1/fair/pledges/{pledge.id}/{action}"
        assert_contract_error(client.post(path), 401)
        # The business sees its own pledge, but cannot answer it; organizers see it and cannot either.
        assert_contract_error(client.post(path, headers=bearer(business.user)), 403, "forbidden")
        assert_contract_error(client.post(path, headers=bearer(make_organizer(forum))), 403, "forbidden")
        # Anyone else does not learn the pledge exists.
        other_ngo = make_fair_delegate(forum, sector="ngo")
        assert_contract_error(client.post(path, headers=bearer(other_ngo.user)), 404, "not_found")
        assert_contract_error(client.post("/api/v1/fair/pledges/999999/confirm", headers=bearer(business.user)),
                              404)
        assert db.session.get(Pledge, pledge.id).status == PledgeStatus.pending

    def test_the_business_withdraws_a_pending_pledge(self, client, db, project, pledge, business):
        response = client.delete(f"/api/v1/fair/pledges/{pledge.id}", headers=bearer(business.user))
        assert response.status_code == 204 and response.data == b""
        assert db.session.get(Pledge, pledge.id).status == PledgeStatus.withdrawn
        assert db.session.get(FairProject, project.id).pending_kzt == 0
        assert_contract_error(client.delete(f"/api/v1/fair/pledges/{pledge.id}", headers=bearer(business.user)),
                              409, "already_decided")

    def test_a_confirmed_pledge_cannot_be_withdrawn(self, client, db, project, pledge, business):
        fair.confirm_pledge(pledge, project.delegate.user)
        response = client.delete(f"/api/v1/fair/pledges/{pledge.id}", headers=bearer(business.user))
        assert_contract_error(response, 409, "already_decided")
        assert db.session.get(FairProject, project.id).confirmed_kzt == 2_000_000

    def test_only_the_pledging_business_withdraws(self, client, db, forum, project, pledge):
        path = f"/api/v1/fair/pledges/{pledge.id}"
        assert_contract_error(client.delete(path), 401)
        assert_contract_error(client.delete(path, headers=bearer(project.delegate.user)), 403, "forbidden")
        colleague = make_fair_delegate(forum, sector="business")  # another company's delegate
        assert_contract_error(client.delete(path, headers=bearer(colleague.user)), 404)
        assert db.session.get(Pledge, pledge.id).status == PledgeStatus.pending


# ---------------------------------------------------------------- totals


class TestTotals:
    def test_totals_count_only_confirmed_support(self, client, forum, business):
        atyrau = make_project(forum, budget=2_000_000, category="inclusion", region_code="KZ-23")
        almaty = make_project(forum, budget=3_000_000, category="ecology", region_code="KZ-75")
        make_project(forum, budget=9_000_000, status="submitted")  # not public: not in the sums
        make_pledge(atyrau, business, amount=2_000_000, confirm=True)
        make_pledge(almaty, business, in_kind="Саженцы", in_kind_value=250_000, amount=None, confirm=True)
        make_pledge(almaty, amount=700_000)  # pending

        body = client.get("/api/v1/forums/asar/fair/totals").get_json()
        totals = body["totals"]
        assert totals["projects"] == 2 and totals["funded"] == 1 and totals["supported"] == 2
        assert totals["budget_kzt"] == 5_000_000
        assert (totals["confirmed_kzt"], totals["confirmed_in_kind_kzt"], totals["covered_kzt"],
                totals["pending_kzt"]) == (2_000_000, 250_000, 2_250_000, 700_000)
        assert totals["pledges"] == 2 and totals["backers"] == 1
        assert totals["by_status"]["submitted"] == 1 and totals["by_status"]["funded"] == 1

        regions = {r["code"]: r for r in body["regions"]}
        assert len(regions) == 20  # every region, for the map
        assert regions["KZ-23"] | {"id": 0, "name": ""} == {
            "id": 0, "code": "KZ-23", "name": "", "projects": 1, "supported": 1, "budget_kzt": 2_000_000,
            "confirmed_kzt": 2_000_000, "in_kind_kzt": 0}
        assert regions["KZ-75"]["in_kind_kzt"] == 250_000 and regions["KZ-10"]["projects"] == 0
        categories = {c["category"]: c for c in body["categories"]}
        assert len(categories) == 9
        assert categories["ecology"]["budget_kzt"] == 3_000_000 and categories["health"]["projects"] == 0
        assert sum(c["projects"] for c in body["categories"]) == sum(r["projects"] for r in body["regions"]) == 2

    def test_draft_forum_totals_are_a_404(self, client):
        make_forum(slug="draft", status=ForumStatus.draft)
        assert_contract_error(client.get("/api/v1/forums/draft/fair/totals"), 404)


def test_the_openapi_document_lists_the_fair(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/forums/{slug}/fair/projects", "/api/v1/fair/projects/{project_id}",
            "/api/v1/fair/projects/{project_id}/pledges", "/api/v1/fair/pledges/{pledge_id}",
            "/api/v1/fair/pledges/{pledge_id}/confirm", "/api/v1/fair/pledges/{pledge_id}/decline",
            "/api/v1/forums/{slug}/fair/totals"} <= set(spec["paths"])
    pledge = spec["paths"]["/api/v1/fair/projects/{project_id}/pledges"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(pledge["responses"])
    assert pledge["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert pledge["security"] == [{"bearerAuth": []}]
    schema = spec["components"]["schemas"]["PledgeIn"]["properties"]
    assert schema["amount_kzt"]["type"] == "integer" and schema["amount_kzt"]["maximum"] == 10**12
    listing = spec["paths"]["/api/v1/forums/{slug}/fair/projects"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"category", "region", "funding", "budget_min", "q", "sort",
                                                          "page"}
    assert "X-Total-Count" in listing["responses"]["200"]["headers"]
