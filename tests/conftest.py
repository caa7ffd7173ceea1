"""Fixtures: app → database → client → logged-in client.

Every test gets a fresh app and an empty database (in-memory SQLite by default;
PostgreSQL when TEST_DATABASE_URL points at one, as in CI's second run).
"""
import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db as _db
from app.models import seed_regions
from config import TestConfig
from tests.factories import PASSWORD


def pytest_sessionstart(session):
    """Compile the kk/ru catalogues if a .po is newer than its .mo (as `make translations` does)."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parent.parent.glob("app/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src:
                catalog = read_po(src)
            with mo.open("wb") as dst:
                write_mo(dst, catalog, use_fuzzy=False)


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The test itself holds an app context for the factories; without this, requests
    would share its `g` (cached user, cached locale) and its database session.
    After the request the test's session is expired, so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()
        return response


@pytest.fixture
def config():
    """Override in a test module (or parametrize) to change settings."""
    return {}


@contextmanager
def app_with_database(config_class):
    """An app of this config inside its app context, on a freshly built database that is empty again after."""
    app = create_app(config_class)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _fresh_schema_once()
        _db.create_all()
        seed_regions()
        yield app
        _db.session.remove()
        _empty_database()


@pytest.fixture
def app(config):
    with app_with_database(type("PerTestConfig", (TestConfig,), dict(config))) as app:
        yield app


_schema_rebuilt = False


def _fresh_schema_once():
    """A persistent test database (PostgreSQL) may hold an older schema: rebuild it once per run."""
    global _schema_rebuilt
    if _schema_rebuilt or _db.engine.url.database in (None, "", ":memory:"):
        return
    _db.drop_all()
    _schema_rebuilt = True


def _empty_database():
    """Leave the (shared) PostgreSQL database empty for the next test; SQLite memory just vanishes."""
    if _db.engine.dialect.name == "sqlite" and _db.engine.url.database in (None, "", ":memory:"):
        _db.engine.dispose()
        return
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
    _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Browser:
    """A test client that logs in through the real form and can fetch CSRF tokens."""

    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD):
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")

    def csrf_token(self, path="/"):
        html = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def login(browser):
    """`login(user)` logs the test client in as that user."""

    def _login(user, password=PASSWORD):
        response = browser.login(user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


@pytest.fixture
def count(db):
    def _count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    return _count


@pytest.fixture
def outbox(app):
    """Letters the app sent during the test (Flask-Mail records them; nothing leaves the machine)."""
    from app.extensions import mail

    with mail.record_messages() as messages:
        yield messages
