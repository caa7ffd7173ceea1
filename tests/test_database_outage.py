"""When PostgreSQL restarts or drops connections: a clear 503 with Retry-After, never a 500 page, and once
it is back every check-in goes through exactly once. The first tests fake the outage (any database);
the last two kill real PostgreSQL connections, one in the middle of a check-in, one all through a stream.
"""
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa

from app.auth.services import grant_forum_role, issue_token
from app.extensions import db
from app.models import AuditEvent, CheckIn, ForumRole
from app.registration.services import badge_token_for
from tests.factories import make_delegate, make_forum, make_user
from tests.helpers.api import assert_contract_error


@pytest.fixture
def door(app):
    forum = make_forum(slug="asar")
    staff = make_user("door@example.kz", full_name="Дәурен Әлиев")
    grant_forum_role(staff, forum, ForumRole.checkin)
    return forum, staff, {"Authorization": f"Bearer {issue_token(staff)}"}


class LostConnection(Exception):
    """What psycopg says when the server went away."""


@contextmanager
def database_down(app, when=lambda statement: True):
    """Every matching statement fails as if PostgreSQL had just restarted."""

    def fail(conn, cursor, statement, parameters, context, executemany):
        if when(statement):
            raise sa.exc.OperationalError(statement, parameters,
                                          LostConnection("server closed the connection unexpectedly"))

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail)


def inserts_checkin(statement: str) -> bool:
    return statement.lstrip().upper().startswith("INSERT INTO CHECKINS")


def test_a_checkin_during_an_outage_gets_503_and_succeeds_on_retry(app, client, door, count):
    forum, _staff, token = door
    delegate = make_delegate(forum, full_name="Гүлнар Сәрсенова")
    scan = {"token": badge_token_for(delegate)}

    with database_down(app, when=inserts_checkin):
        response = client.post("/api/v1/checkin", json=scan, headers=token)
    assert_contract_error(response, 503, "database_unavailable")
    assert response.headers["Retry-After"] == "5"
    assert count(CheckIn) == 0 and count(AuditEvent, AuditEvent.action == "checkin.created") == 0

    retry = client.post("/api/v1/checkin", json=scan, headers=token)
    assert retry.status_code == 200 and retry.get_json()["result"] == "checked_in"
    again = client.post("/api/v1/checkin", json=scan, headers=token)
    assert again.get_json()["result"] == "already_checked_in"
    assert count(CheckIn) == 1


def test_a_page_during_an_outage_is_a_friendly_503_without_asking_the_database_again(app, client, door, login):
    _forum, staff, _token = door
    login(staff)
    client.get("/")  # the welcome message is shown
    with database_down(app):
        response = client.get("/forums/asar/checkin")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "Дәурен Әлиев" not in page  # who is signed in was not looked up again
    assert client.get("/forums/asar/checkin").status_code == 200  # and back once the database is


def test_a_real_bug_in_a_query_is_still_a_500_not_an_outage(app, client, door):
    forum, _staff, token = door
    delegate = make_delegate(forum)

    def broken(conn, cursor, statement, parameters, context, executemany):
        if inserts_checkin(statement):
            raise sa.exc.ProgrammingError(statement, parameters, Exception("column does not exist"))

    sa.event.listen(db.engine, "before_cursor_execute", broken)
    try:
        response = client.post("/api/v1/checkin", json={"token": badge_token_for(delegate)}, headers=token)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", broken)
    assert_contract_error(response, 500, "internal_error")


# ---------------------------------------------------------------- real PostgreSQL connections killed


def admin_connection(url=None):
    url = url or db.engine.url
    return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname="postgres",
                           autocommit=True)


@pytest.fixture
def postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("kills PostgreSQL connections: runs in CI's PostgreSQL pass")
    assert db.engine.pool._pre_ping, "pooled connections must be tested before use"
    return db.engine.url.database


@pytest.mark.postgres
def test_a_connection_killed_in_the_middle_of_a_checkin(app, client, door, postgres, count):
    forum, _staff, token = door
    delegate = make_delegate(forum)
    scan = {"token": badge_token_for(delegate)}
    killed = []

    def kill_my_backend(conn, cursor, statement, parameters, context, executemany):
        if inserts_checkin(statement) and not killed:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin_connection() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            killed.append(pid)

    sa.event.listen(db.engine, "before_cursor_execute", kill_my_backend)
    try:
        first = client.post("/api/v1/checkin", json=scan, headers=token)
        assert killed, "the INSERT ran on a connection that was then killed"
        assert first.status_code == 503, first.get_data(as_text=True)
        assert count(CheckIn) == 0
        retry = client.post("/api/v1/checkin", json=scan, headers=token)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", kill_my_backend)
    assert retry.status_code == 200 and retry.get_json()["result"] == "checked_in"
    assert count(CheckIn) == 1


@pytest.mark.postgres
def test_a_stream_of_checkins_survives_connections_being_killed_all_along(app, client, door, postgres):
    """A desk scans 120 badges, retrying on 503 as the scanner page does, while PostgreSQL's connections
    to the database are killed ten times a second: each delegate ends up checked in exactly once."""
    forum, _staff, token = door
    delegates = [make_delegate(forum, full_name=f"Делегат {n}") for n in range(120)]
    badges = [badge_token_for(d) for d in delegates]
    db.session.commit()
    connects = []
    sa.event.listen(db.engine, "connect", lambda *_: connects.append(1))
    stop = threading.Event()
    kills = []
    url = db.engine.url

    def killer():
        with admin_connection(url) as admin:
            while not stop.is_set():
                rows = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                    "AND pid <> pg_backend_pid()", (postgres,)).fetchall()
                kills.extend(row for row in rows if row[0])
                time.sleep(0.1)

    statuses: dict[int, int] = {}
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        for badge in badges:
            for _attempt in range(50):
                response = client.post("/api/v1/checkin", json={"token": badge}, headers=token)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code != 503:
                    break
                time.sleep(0.01)
            assert response.status_code == 200, response.get_data(as_text=True)
            assert response.get_json()["result"] in ("checked_in", "already_checked_in")
    finally:
        stop.set()
        thread.join()

    print(f"statuses {statuses}, {len(kills)} connections killed, {len(connects)} opened")
    assert kills, "connections were killed during the stream"
    assert len(connects) > 1, "the pool reconnected after the kills"
    assert set(statuses) <= {200, 503}, statuses  # never a 500
    per_delegate = dict(db.session.execute(
        sa.select(CheckIn.delegate_id, sa.func.count()).group_by(CheckIn.delegate_id)).all())
    assert per_delegate == {d.id: 1 for d in delegates}
