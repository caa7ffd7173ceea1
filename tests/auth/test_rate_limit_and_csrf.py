"""Login attempts are rate-limited, and every form refuses a request without its CSRF token."""
import pytest

from app.models import Forum
from tests.factories import make_user


class TestLoginRateLimit:
    @pytest.fixture
    def config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_the_fourth_attempt_in_a_minute_is_refused(self, client):
        make_user("target@example.kz")
        for _ in range(3):
            assert client.post("/auth/login", data={"email": "target@example.kz", "password": "guess-1234"}).status_code == 422
        blocked = client.post("/auth/login", data={"email": "target@example.kz", "password": "guess-1234"})
        assert blocked.status_code == 429
        assert "Too many attempts" in blocked.get_data(as_text=True)

    def test_viewing_the_form_is_not_limited(self, client):
        for _ in range(5):
            assert client.get("/auth/login").status_code == 200


class TestCsrf:
    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_login_without_token_is_rejected(self, client):
        make_user("a@example.kz")
        response = client.post("/auth/login", data={"email": "a@example.kz", "password": "x"})
        assert response.status_code == 400
        assert "form has expired" in response.get_data(as_text=True)

    def test_login_with_token_works(self, client, browser):
        make_user("a@example.kz")
        token = browser.csrf_token("/auth/login")
        response = client.post("/auth/login", data={"email": "a@example.kz", "password": "correct-horse-7",
                                                    "csrf_token": token})
        assert response.status_code == 302

    def test_language_switch_and_forum_creation_need_the_token(self, client, browser, count):
        make_user("org@example.kz", role="organizer")
        assert client.post("/language", data={"lang": "kk"}).status_code == 400
        token = browser.csrf_token("/auth/login")
        client.post("/auth/login", data={"email": "org@example.kz", "password": "correct-horse-7", "csrf_token": token})
        response = client.post("/forums/new", data={"title_ru": "Форум", "slug": "csrf-forum", "city": "Алматы",
                                                    "starts_on": "2030-01-01", "ends_on": "2030-01-02"})
        assert response.status_code == 400
        assert count(Forum) == 0

    def test_the_api_needs_no_csrf_token(self, client):
        assert client.get("/api/v1/forums").status_code == 200
