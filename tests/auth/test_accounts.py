"""Sign up, log in, log out, change password — and what happens when it goes wrong."""
import pytest

from app.auth import services
from app.models import User
from tests.factories import PASSWORD, make_user

KAZAKH_NAME = "Әбдіқалықова Гүлшара"


def test_signup_creates_a_hashed_account_and_logs_in(client, db, count):
    response = client.post("/auth/signup", data={
        "full_name": KAZAKH_NAME, "email": "Gulshara@Example.KZ", "language": "kk",
        "password": "Asar-2026", "confirm": "Asar-2026",
    })
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "gulshara@example.kz"))
    assert user.full_name == KAZAKH_NAME
    assert user.language == "kk"
    assert user.password_hash != "Asar-2026" and user.check_password("Asar-2026")
    # The Kazakh name comes back intact on a page.
    page = client.get("/auth/password").get_data(as_text=True)
    assert KAZAKH_NAME in page


def test_signup_refuses_a_second_account_for_the_same_email(client, count):
    make_user("taken@example.kz")
    response = client.post("/auth/signup", data={
        "full_name": "Someone", "email": " TAKEN@example.kz ", "language": "ru",
        "password": "Asar-2026", "confirm": "Asar-2026",
    })
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert count(User) == 1


@pytest.mark.parametrize("fields, message", [
    ({"password": "short1", "confirm": "short1"}, "at least 8 characters"),
    ({"password": "onlyletters", "confirm": "onlyletters"}, "at least one digit"),
    ({"confirm": "Different-1"}, "do not match"),
    ({"email": "not-an-email"}, "valid email"),
    ({"full_name": "   "}, "This field is required"),
    ({"full_name": "x" * 201}, "At most 200 characters"),
])
def test_signup_explains_bad_input_beside_the_field(client, count, fields, message):
    data = {"full_name": "Дана", "email": "dana@example.kz", "language": "ru",
            "password": "Asar-2026", "confirm": "Asar-2026", **fields}
    response = client.post("/auth/signup", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'class="error"' in html and 'aria-invalid="true"' in html
    assert count(User) == 0


def test_login_with_the_right_password(client, browser):
    make_user("aigerim@example.kz", full_name="Айгерім")
    response = browser.login("AIGERIM@example.kz")
    assert response.status_code == 302
    assert "Айгерім" in client.get("/").get_data(as_text=True)


def test_login_with_a_wrong_password_is_refused(client, browser):
    make_user("aigerim@example.kz")
    response = browser.login("aigerim@example.kz", "wrong-password-1")
    assert response.status_code == 422
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert client.get("/auth/password").status_code == 302  # still anonymous


def test_inactive_account_cannot_log_in(browser):
    make_user("gone@example.kz", active=False)
    assert browser.login("gone@example.kz").status_code == 422


def test_login_follows_only_local_next_links(client):
    make_user("a@example.kz")
    ok = client.post("/auth/login?next=/forums/manage", data={"email": "a@example.kz", "password": PASSWORD})
    assert ok.headers["Location"].endswith("/forums/manage")
    client.post("/auth/logout")
    evil = client.post("/auth/login?next=https://evil.example/", data={"email": "a@example.kz", "password": PASSWORD})
    assert evil.headers["Location"] == "/"


def test_logout_needs_a_post(client, login):
    login(make_user())
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/auth/password").status_code == 302


def test_change_password(client, login, db):
    user = login(make_user())
    bad = client.post("/auth/password", data={"current_password": "nope-1234", "password": "New-pass-9",
                                              "confirm": "New-pass-9"})
    assert bad.status_code == 422 and "not correct" in bad.get_data(as_text=True)
    good = client.post("/auth/password", data={"current_password": PASSWORD, "password": "New-pass-9",
                                               "confirm": "New-pass-9"})
    assert good.status_code == 302
    db.session.refresh(user)
    assert user.check_password("New-pass-9") and not user.check_password(PASSWORD)


def test_change_password_needs_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert "/auth/login?next=" in response.headers["Location"]


def test_create_user_service_normalizes_email(app):
    user = services.create_user("  Mixed@Case.KZ ", "Pass-word-1", "Name")
    assert user.email == "mixed@case.kz"
    assert services.authenticate("MIXED@case.kz", "Pass-word-1") == user
    assert services.authenticate("mixed@case.kz", "wrong") is None


def test_a_user_creates_uses_and_revokes_a_token_in_the_browser(client, login, db):
    from app.models import ApiToken

    user = login(make_user(full_name="Дәурен"))
    created = client.post("/auth/tokens", data={"name": "Кіреберіс 2"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200
    raw = html.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("asar_")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).get_json()["id"] == user.id
    listing = client.get("/auth/tokens").get_data(as_text=True)
    assert "Кіреберіс 2" in listing and raw not in listing  # shown once only
    token = db.session.scalar(db.select(ApiToken))
    assert client.post(f"/auth/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_nobody_revokes_another_users_token(client, login, count, db):
    from app.auth.services import issue_token
    from app.models import ApiToken

    issue_token(make_user(), "owner's")
    login(make_user())
    token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/auth/tokens/{token_id}/revoke").status_code == 404
    assert count(ApiToken, ApiToken.revoked_at.is_(None)) == 1


def test_token_name_is_required(client, login, count):
    from app.models import ApiToken

    login(make_user())
    response = client.post("/auth/tokens", data={"name": "  "})
    assert response.status_code == 422
    assert count(ApiToken) == 0
