"""Security headers on every kind of response, cookie flags, and templates the CSP can live with."""
import re
from pathlib import Path

import pytest

from app import create_app
from app.auth.services import issue_token
from app.extensions import db as _db
from app.models import seed_regions
from app.security import CSP
from config import ProductionConfig
from tests.factories import PASSWORD, make_forum, make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data: blob:"
    assert csp["media-src"] == "'self' blob:"
    assert csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert csp["base-uri"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert set(csp) == set(CSP)


@pytest.mark.parametrize("path, status", [
    ("/", 200),                              # an HTML page
    ("/api/v1/forums", 200),                 # an API answer
    ("/static/css/asar.css", 200),           # a static file
    ("/static/js/checkin.js", 200),
    ("/no-such-page", 404),                  # an error page
    ("/api/v1/forums/no-such-forum", 404),   # an API error
])
def test_every_kind_of_response_carries_the_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # not on plain http


def test_a_refused_request_carries_the_headers_too(client):
    response = client.get("/forums/%00")
    assert response.status_code == 400
    assert_security_headers(response)


def test_an_authenticated_api_answer_is_not_cached(client):
    user = make_user()
    make_forum(slug="open-forum")
    response = client.get("/api/v1/forums", headers={"Authorization": f"Bearer {issue_token(user)}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert_security_headers(response)


def test_a_signed_in_session_api_answer_is_not_cached(client, login):
    login(make_user())
    response = client.get("/api/v1/forums")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_an_anonymous_api_answer_keeps_its_own_caching(client):
    assert "no-store" not in client.get("/api/v1/forums").headers.get("Cache-Control", "")


def test_a_route_that_sets_its_own_cache_control_keeps_it(client):
    user = make_user()
    forum = make_forum(slug="stats-forum", organizer=user)
    response = client.get(f"/api/v1/forums/{forum.slug}/stats",
                          headers={"Authorization": f"Bearer {issue_token(user)}"})
    assert response.headers["Cache-Control"] == "no-store"


# --- production: HSTS and Secure cookies ---------------------------------------------------------

class ProductionLikeConfig(ProductionConfig):
    TESTING = True
    SECRET_KEY = "a-long-random-production-like-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_SUPPRESS_SEND = True
    BABEL_DEFAULT_LOCALE = "en"


@pytest.fixture
def production_app():
    app = create_app(ProductionLikeConfig)
    with app.app_context():
        _db.create_all()
        seed_regions()
        yield app
        _db.session.remove()
        _db.engine.dispose()


def _cookie(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return [part.strip().lower() for part in header.split(";")]
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_hsts_only_in_production(production_app):
    production = production_app.test_client()
    for path in ("/", "/api/v1/forums", "/static/css/asar.css", "/no-such-page"):
        response = production.get(path, base_url="https://localhost")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert_security_headers(response)


def test_production_cookies_are_secure_httponly_and_lax(production_app):
    make_user("prod@example.kz")
    client = production_app.test_client()
    response = client.post("/auth/login", data={"email": "prod@example.kz", "password": PASSWORD, "remember": "y"},
                           base_url="https://localhost")
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        flags = _cookie(response, name)
        assert "httponly" in flags and "samesite=lax" in flags and "secure" in flags, (name, flags)


def test_development_cookies_are_httponly_and_lax(client):
    make_user("dev@example.kz")
    response = client.post("/auth/login", data={"email": "dev@example.kz", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        flags = _cookie(response, name)
        assert "httponly" in flags and "samesite=lax" in flags, (name, flags)


@pytest.mark.parametrize("path, mimetype", [
    ("/forums/dl-forum/delegates/export.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("/forums/dl-forum/delegates/export.csv", "text/csv"),
    ("/forums/dl-forum/delegates/badges.pdf", "application/pdf"),
])
def test_downloads_keep_their_content_disposition(client, login, path, mimetype):
    from tests.factories import make_delegate, make_organizer

    forum = make_forum(slug="dl-forum")
    make_delegate(forum, full_name="Әсел Құрманғазы")  # a badge sheet needs someone to print
    login(make_organizer(forum))
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    assert_security_headers(response)


# --- templates the policy can live with ------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\bstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def _served_templates():
    # Letters are read in mail clients, not under our CSP: they may keep their inline styles.
    return [path for path in TEMPLATES.rglob("*.html") if "email" not in path.relative_to(TEMPLATES).parts]


def test_templates_have_no_inline_scripts_handlers_or_styles():
    problems = []
    templates = _served_templates()
    assert len(templates) > 20
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("inline event handler", EVENT_HANDLER),
                              ('style="..."', STYLE_ATTRIBUTE), ("<style> block", STYLE_BLOCK),
                              ("javascript: URL", JS_URL)):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(TEMPLATES)}:{line}: {name}")
    assert not problems, "the Content-Security-Policy would block these:\n" + "\n".join(problems)


def test_the_scan_catches_what_it_should():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js" defer></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert not EVENT_HANDLER.search('<button data-once="x">')
    assert STYLE_ATTRIBUTE.search('<div style="width: 5%">')
