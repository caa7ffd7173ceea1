"""Rate limits at the door and on the public verification upload, and where the counters live.

Check-in is counted per API token / staff account (ten desks behind one NAT address must not block each other);
the verification upload per address. Over the limit: 429, JSON of the contract's shape on the API and at the
desk's script, the friendly page in the browser. Production counts in Redis; a Redis outage never turns a scan
into a 500.
"""
import io

import pytest

from app.auth.services import grant_forum_role
from app.extensions import limiter
from app.models import ForumRole
from app.registration.tokens import badge_token
from config import ProductionConfig
from tests.factories import make_delegate, make_forum, make_user
from tests.helpers.api import assert_contract_error, bearer

JSON = {"Accept": "application/json"}
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def _limiter_state():
    """The limiter is one object for the whole test run: leave it healthy for the next test."""
    yield
    limiter._storage_dead = False


@pytest.fixture
def forum(app):
    return make_forum(slug="door")


def door_staff(forum, email):
    user = make_user(email)
    grant_forum_role(user, forum, ForumRole.checkin)
    return user


def badges(forum, n):
    return [badge_token(make_delegate(forum)) for _ in range(n)]


def api_scan(client, token, headers):
    return client.post("/api/v1/checkin", json={"token": token}, headers=headers)


def upload(client, url, data=b"%PDF-1.7 not a memorandum"):
    return client.post(url, data={"file": (io.BytesIO(data), "m.pdf")}, content_type="multipart/form-data")


# ---------------------------------------------------------------- check-in


class TestCheckinLimit:
    @pytest.fixture
    def config(self):
        return {"RATELIMIT_ENABLED": True, "CHECKIN_RATE_LIMIT": "3 per minute"}

    def test_the_desk_is_refused_after_its_budget_with_json_for_the_script(self, client, forum, login):
        login(door_staff(forum, "desk1@example.kz"))
        tokens = badges(forum, 4)
        for token in tokens[:3]:
            response = client.post("/forums/door/checkin/scan", data={"token": token}, headers=JSON)
            assert response.status_code == 200 and response.get_json()["result"] == "checked_in"
        blocked = client.post("/forums/door/checkin/scan", data={"token": tokens[3]}, headers=JSON)
        assert_contract_error(blocked, 429, "too_many_requests")

    def test_the_plain_form_gets_the_friendly_page(self, client, forum, login):
        login(door_staff(forum, "desk1@example.kz"))
        delegate = make_delegate(forum)
        for _ in range(3):
            client.post(f"/forums/door/checkin/manual/{delegate.id}")
        blocked = client.post(f"/forums/door/checkin/manual/{delegate.id}")
        assert blocked.status_code == 429
        assert "Too many attempts" in blocked.get_data(as_text=True)
        assert "text/html" in blocked.content_type

    def test_scan_and_manual_share_the_account_budget_and_a_token_has_its_own(self, client, forum, login):
        staff = login(door_staff(forum, "desk1@example.kz"))
        delegates = [make_delegate(forum) for _ in range(5)]
        assert client.post("/forums/door/checkin/scan", data={"token": badge_token(delegates[0])},
                           headers=JSON).status_code == 200
        assert client.post(f"/forums/door/checkin/manual/{delegates[1].id}", headers=JSON).status_code == 200
        assert client.post("/forums/door/checkin/scan", data={"token": badge_token(delegates[2])},
                           headers=JSON).status_code == 200
        assert client.post(f"/forums/door/checkin/manual/{delegates[3].id}", headers=JSON).status_code == 429
        assert api_scan(client, badge_token(delegates[3]), bearer(staff)).status_code == 200

    def test_desks_behind_one_address_do_not_block_each_other(self, app, forum):
        """Ten desks share the venue's NAT address; each counts on its own account or token."""
        first, second = door_staff(forum, "desk1@example.kz"), door_staff(forum, "desk2@example.kz")
        tokens = badges(forum, 8)
        client = app.test_client()
        for token in tokens[:3]:
            assert api_scan(client, token, bearer(first)).status_code == 200  # a new token each time…
        one = bearer(first)
        for token in tokens[3:6]:
            assert api_scan(client, token, one).status_code == 200
        assert_contract_error(api_scan(client, tokens[6], one), 429, "too_many_requests")
        assert api_scan(client, tokens[6], bearer(second)).status_code == 200  # …the same address

    def test_viewing_the_desk_is_not_limited(self, client, forum, login):
        login(door_staff(forum, "desk1@example.kz"))
        for _ in range(6):
            assert client.get("/forums/door/checkin").status_code == 200

    def test_the_api_answers_429_with_retry_after(self, client, forum):
        headers = bearer(door_staff(forum, "desk1@example.kz"))
        for token in badges(forum, 3):
            assert api_scan(client, token, headers).status_code == 200
        blocked = api_scan(client, "whatever", headers)
        assert_contract_error(blocked, 429, "too_many_requests")
        assert int(blocked.headers["Retry-After"]) > 0


def test_the_default_check_in_limit_lets_a_busy_door_through(app):
    """A desk scans every ~2 s (30 a minute); ten desks on one shared account still fit."""
    from limits import parse_many

    per_minute = [item for item in parse_many(app.config["CHECKIN_RATE_LIMIT"])
                  if item.GRANULARITY.name == "minute"]
    assert per_minute and all(item.amount >= 10 * 30 for item in per_minute)


# ---------------------------------------------------------------- the verification upload


class TestVerifyUploadLimit:
    @pytest.fixture
    def config(self):
        return {"RATELIMIT_ENABLED": True, "VERIFY_UPLOAD_RATE_LIMIT": "2 per minute"}

    def test_uploads_are_limited_per_address_across_page_and_api(self, client):
        assert upload(client, "/verify").status_code in (200, 422)
        assert upload(client, "/verify").status_code in (200, 422)
        page = upload(client, "/verify")
        assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
        assert_contract_error(upload(client, "/api/v1/verify/NOPE/file"), 429, "too_many_requests")

    def test_the_one_memorandum_page_counts_too_but_reading_does_not(self, client):
        for _ in range(2):
            assert upload(client, "/verify/NOPE").status_code == 404
        assert upload(client, "/verify/NOPE").status_code == 429
        assert client.get("/verify").status_code == 200
        assert client.get("/verify/NOPE").status_code == 404


# ---------------------------------------------------------------- where the counters live


def test_production_counts_in_redis_by_default():
    import os

    from config import Config, DevelopmentConfig, TestConfig

    assert ProductionConfig.RATELIMIT_STORAGE_URI == os.environ.get("RATELIMIT_STORAGE_URI",
                                                                    "redis://127.0.0.1:6379/0")
    if "RATELIMIT_STORAGE_URI" not in os.environ:
        assert DevelopmentConfig.RATELIMIT_STORAGE_URI == TestConfig.RATELIMIT_STORAGE_URI == "memory://"
    assert Config.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED and Config.RATELIMIT_SWALLOW_ERRORS
    assert ProductionConfig.RATELIMIT_STORAGE_OPTIONS["socket_connect_timeout"] <= 1


def _redis():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        connection.ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    return connection


class TestRedisStorage:
    @pytest.fixture
    def config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL, "CHECKIN_RATE_LIMIT": "3 per minute",
                "RATELIMIT_STORAGE_OPTIONS": ProductionConfig.RATELIMIT_STORAGE_OPTIONS}

    @pytest.fixture
    def redis(self):
        connection = _redis()
        connection.flushdb()
        yield connection
        connection.flushdb()

    def test_check_ins_are_counted_in_redis(self, redis, client, forum):
        headers = bearer(door_staff(forum, "desk1@example.kz"))
        for token in badges(forum, 3):
            assert api_scan(client, token, headers).status_code == 200
        keys = [key.decode() for key in redis.keys("*")]
        assert any("checkin" in key and "token:" in key for key in keys), keys
        assert_contract_error(api_scan(client, "x", headers), 429, "too_many_requests")
        redis.flushdb()  # another worker's view: the counter is gone, so is the block
        assert api_scan(client, "x", headers).status_code == 200


class TestRedisDown:
    @pytest.fixture
    def config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
                "CHECKIN_RATE_LIMIT": "3 per minute",
                "RATELIMIT_STORAGE_OPTIONS": ProductionConfig.RATELIMIT_STORAGE_OPTIONS}

    def test_check_in_keeps_working_and_is_counted_in_memory(self, client, forum, login):
        headers = bearer(door_staff(forum, "desk1@example.kz"))
        for token in badges(forum, 3):
            response = api_scan(client, token, headers)
            assert response.status_code == 200 and response.get_json()["result"] == "checked_in"
        assert api_scan(client, "x", headers).status_code == 429  # still limited, in this process's memory

    def test_the_desk_page_and_login_do_not_fail(self, client, forum, login):
        login(door_staff(forum, "desk1@example.kz"))
        assert client.get("/forums/door/checkin").status_code == 200
        token = badges(forum, 1)[0]
        assert client.post("/forums/door/checkin/scan", data={"token": token}, headers=JSON).status_code == 200
