"""The API's ground rules: bearer tokens, JSON errors of the contract's shape, an OpenAPI document."""
import pytest

from app.auth.services import issue_token
from app.models import ApiToken, ForumStatus, GlobalRole
from tests.factories import make_forum, make_user
from tests.helpers.api import assert_contract_error


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}



def test_forums_lists_published_forums_only(client):
    make_forum(slug="published-one", title_kk="Жария форум", title_ru="Опубликованный форум")
    make_forum(slug="draft-one", status=ForumStatus.draft)
    body = client.get("/api/v1/forums", headers={"Accept-Language": "kk"}).get_json()
    assert [f["slug"] for f in body] == ["published-one"]
    forum = body[0]
    assert forum["title"] == "Жария форум"
    assert forum["titles"] == {"kk": "Жария форум", "ru": "Опубликованный форум", "en": forum["titles"]["en"]}
    assert forum["timezone"] == "Asia/Almaty"
    assert forum["registration"]["open"] is True


def test_forum_detail_has_halls(client):
    forum = make_forum(slug="with-halls", halls=2)
    body = client.get("/api/v1/forums/with-halls").get_json()
    assert body["slug"] == "with-halls"
    assert [h["name"] for h in body["halls"]] == ["Hall 1", "Hall 2"]
    assert body["halls"][0]["id"] == forum.halls[0].id
    assert body["halls"][0]["capacity"] == 100


def test_kazakh_stays_readable_in_json(client):
    make_forum(slug="kz", title_kk="Әлеуметтік жобалар жәрмеңкесі")
    raw = client.get("/api/v1/forums/kz", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert "Әлеуметтік жобалар жәрмеңкесі" in raw


def test_unknown_forum_is_a_json_404(client):
    assert_contract_error(client.get("/api/v1/forums/nope"), 404, "not_found")


def test_unknown_api_path_is_a_json_404(client):
    assert_contract_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_wrong_method_is_a_json_405(client):
    assert_contract_error(client.post("/api/v1/forums"), 405, "method_not_allowed")


def test_draft_forum_is_visible_only_to_its_organizers_token(client):
    organizer = make_user(role=GlobalRole.organizer)
    make_forum(slug="secret", status=ForumStatus.draft, organizer=organizer)
    outsider = make_user()
    assert client.get("/api/v1/forums/secret").status_code == 404
    assert client.get("/api/v1/forums/secret", headers=bearer(issue_token(outsider))).status_code == 404
    assert client.get("/api/v1/forums/secret", headers=bearer(issue_token(organizer))).status_code == 200


def test_token_authenticates_as_its_user(client, db):
    user = make_user("door@example.kz", role=GlobalRole.checkin, full_name="Дәурен")
    raw = issue_token(user, "desk 1")
    body = client.get("/api/v1/me", headers=bearer(raw)).get_json()
    assert body["email"] == "door@example.kz" and body["role"] == "checkin" and body["full_name"] == "Дәурен"
    token = db.session.scalar(db.select(ApiToken))
    assert token.token_hash != raw and raw not in token.token_hash  # stored hashed
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer ", "Bearer asar_not-a-real-token", "Basic dXNlcjpwdw==", "bearer",
])
def test_missing_or_bad_tokens_are_401(client, header):
    make_user()
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    assert_contract_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working(client):
    raw = issue_token(make_user())
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    assert client.delete("/api/v1/tokens/current", headers=bearer(raw)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, db):
    user = make_user()
    raw = issue_token(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_browser_session_does_not_authenticate_the_api(client, login):
    login(make_user())
    assert client.get("/api/v1/me").status_code == 401


class TestOpenApi:
    def test_document_is_generated_with_the_contract_paths(self, client):
        spec = client.get("/api/v1/openapi.json").get_json()
        assert spec["openapi"].startswith("3.")
        assert spec["info"]["title"] == "Asar API"
        assert {"/api/v1/forums", "/api/v1/forums/{slug}", "/api/v1/me"} <= set(spec["paths"])
        assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"

    def test_every_route_under_the_api_is_documented(self, app, client):
        spec = client.get("/api/v1/openapi.json").get_json()
        documented = set(spec["paths"])
        for rule in app.url_map.iter_rules():
            path = rule.rule
            if not path.startswith("/api/v1/") or path == "/api/v1/openapi.json":
                continue
            openapi_path = path.replace("<", "{").replace(">", "}")
            openapi_path = __import__("re").sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", openapi_path)
            assert openapi_path in documented, f"{path} is missing from the OpenAPI document"

    def test_error_responses_use_the_contract_shape(self, client):
        spec = client.get("/api/v1/openapi.json").get_json()
        error = spec["components"]["schemas"]["Error"]
        assert error["properties"]["error"]["$ref"].endswith("/ErrorBody")
