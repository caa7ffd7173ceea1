"""The delegate's way through the API: register → badge token → check in → already checked in."""
import threading

import pytest
import sqlalchemy as sa

from app.auth.services import grant_forum_role, issue_token
from app.models import AuditEvent, CheckIn, ConfirmationMode, Delegate, ForumRole, GlobalRole, User
from app.registration import services
from tests.factories import make_forum, make_user


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def registration(**changes):
    body = {"full_name": "Әбдіқалықова Гүлшара", "email": "gulshara@example.kz", "sector": "ngo",
            "consent": True, "region": "KZ-23", "participation": "in_person", "language": "kk",
            "organization": {"name": "Қазақ саңыраулар қоғамы", "bin": "061040003334"}}
    body.update(changes)
    return body


@pytest.fixture
def door(app):
    """A forum and a check-in desk's token for it."""
    forum = make_forum(slug="asar")
    staff = make_user("door@example.kz", full_name="Дәурен")
    grant_forum_role(staff, forum, ForumRole.checkin)
    return forum, issue_token(staff)


def test_the_whole_way_through_the_api(client, door, count):
    forum, staff_token = door
    created = client.post("/api/v1/forums/asar/registrations", json=registration())
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "confirmed" and body["badge_token"]
    assert body["full_name"] == "Әбдіқалықова Гүлшара" and body["region"] == "KZ-23"
    assert body["organization"]["bin"] == "061040003334"

    first = client.post("/api/v1/checkin", json={"token": body["badge_token"]}, headers=bearer(staff_token))
    assert first.status_code == 200
    assert first.get_json()["result"] == "checked_in"
    assert first.get_json()["delegate"]["full_name"] == "Әбдіқалықова Гүлшара"
    assert "email" not in first.get_json()["delegate"]  # the door sees public details only

    second = client.post("/api/v1/checkin", json={"token": body["badge_token"]}, headers=bearer(staff_token))
    answer = second.get_json()
    assert answer["result"] == "already_checked_in"
    assert answer["checked_in_at"] == first.get_json()["checked_in_at"]
    assert answer["checked_in_by"] == "Дәурен"
    assert count(CheckIn) == 1
    assert count(AuditEvent, AuditEvent.action == "checkin.created") == 1


def test_pending_registration_has_no_badge_token(client):
    make_forum(slug="asar", confirmation=ConfirmationMode.approval)
    body = client.post("/api/v1/forums/asar/registrations", json=registration()).get_json()
    assert body["status"] == "pending" and body["badge_token"] is None


@pytest.mark.parametrize("changes, code", [
    ({"consent": False}, "consent_required"),
    ({"sector": "aliens"}, "validation_error"),
    ({"email": "x"}, "validation_error"),
    ({"email": "nobody-at-all"}, "invalid"),
    ({"region": "KZ-99"}, "validation_error"),
    ({"organization": {"name": "ТОО", "bin": "123456789012"}}, "invalid"),
    ({"full_name": ""}, "validation_error"),
    ({"surprise": "field"}, "validation_error"),
])
def test_bad_registrations_get_422_in_the_contracts_form(client, count, changes, code):
    make_forum(slug="asar")
    response = client.post("/api/v1/forums/asar/registrations", json=registration(**changes))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == code
    assert count(Delegate) == 0


def test_missing_consent_and_missing_body(client):
    make_forum(slug="asar")
    body = registration()
    del body["consent"]
    assert client.post("/api/v1/forums/asar/registrations", json=body).status_code == 422
    assert client.post("/api/v1/forums/asar/registrations", data="not json",
                       content_type="application/json").status_code in (400, 422)


def test_duplicate_email_is_a_409_and_the_owner_gets_a_letter(client, count, outbox):
    make_forum(slug="asar")
    client.post("/api/v1/forums/asar/registrations", json=registration())
    again = client.post("/api/v1/forums/asar/registrations", json=registration(full_name="Someone else"))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_registered"
    assert "badge_token" not in again.get_data(as_text=True)
    assert count(Delegate) == 1 and len(outbox) == 2


def test_closed_registration_is_a_409(client):
    from datetime import datetime, timedelta, timezone

    make_forum(slug="asar", registration_closes_at=datetime.now(timezone.utc) - timedelta(hours=1))
    response = client.post("/api/v1/forums/asar/registrations", json=registration())
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "registration_closed"


def test_unknown_forum_is_404(client):
    assert client.post("/api/v1/forums/nope/registrations", json=registration()).status_code == 404


def test_a_registration_is_visible_to_its_delegate_and_staff_only(client, door, db):
    forum, staff_token = door
    body = client.post("/api/v1/forums/asar/registrations", json=registration()).get_json()
    owner = db.session.scalar(sa.select(User).where(User.email == "gulshara@example.kz"))
    other = client.post("/api/v1/forums/asar/registrations",
                        json=registration(email="other@example.kz", full_name="Other")).get_json()
    nosy = db.session.scalar(sa.select(User).where(User.email == "other@example.kz"))

    path = f"/api/v1/registrations/{body['id']}"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(issue_token(owner))).get_json()["email"] == "gulshara@example.kz"
    assert client.get(path, headers=bearer(staff_token)).status_code == 200
    assert client.get(path, headers=bearer(issue_token(nosy))).status_code == 404
    assert client.get(f"/api/v1/registrations/{other['id'] + 100}", headers=bearer(staff_token)).status_code == 404
    assert client.get(path + "/badge.pdf", headers=bearer(issue_token(nosy))).status_code == 404


def test_badge_pdf_through_the_api(client, door, db):
    pytest.importorskip("app.pdf")
    body = client.post("/api/v1/forums/asar/registrations", json=registration()).get_json()
    owner = db.session.scalar(sa.select(User).where(User.email == "gulshara@example.kz"))
    response = client.get(f"/api/v1/registrations/{body['id']}/badge.pdf", headers=bearer(issue_token(owner)))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_badge_of_an_unconfirmed_registration_is_409(client, db):
    forum = make_forum(slug="asar", confirmation=ConfirmationMode.approval)
    staff = make_user(role=GlobalRole.admin)
    body = client.post("/api/v1/forums/asar/registrations", json=registration()).get_json()
    response = client.get(f"/api/v1/registrations/{body['id']}/badge.pdf", headers=bearer(issue_token(staff)))
    assert response.status_code == 409 and forum.id


class TestCheckInEdges:
    def _confirmed(self, forum, email="a@example.kz"):
        delegate, _ = services.register(forum, services.RegistrationInput(
            full_name="Нұрлан", email=email, sector="business", consent=True))
        return delegate

    def test_forged_and_garbage_tokens_are_invalid_without_a_write(self, client, door, count):
        forum, staff_token = door
        token = services.badge_token_for(self._confirmed(forum))
        forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
        for bad in (forged, "hello", "", "a.b.c", token.replace(".", "")):
            answer = client.post("/api/v1/checkin", json={"token": bad}, headers=bearer(staff_token)).get_json()
            assert answer["result"] == "invalid", bad
        assert count(CheckIn) == 0

    def test_a_token_of_another_forum_is_invalid_for_this_forums_staff(self, client, door, count):
        _, staff_token = door
        elsewhere = make_forum(slug="elsewhere")
        token = services.badge_token_for(self._confirmed(elsewhere))
        answer = client.post("/api/v1/checkin", json={"token": token}, headers=bearer(staff_token)).get_json()
        assert answer["result"] == "invalid" and answer["reason"] == "other_forum"
        assert count(CheckIn) == 0

    def test_cancelled_delegate_is_not_confirmed(self, client, door):
        forum, staff_token = door
        delegate = self._confirmed(forum)
        token = services.badge_token_for(delegate)
        services.change_status(delegate, "cancel", None)
        answer = client.post("/api/v1/checkin", json={"token": token}, headers=bearer(staff_token)).get_json()
        assert answer["result"] == "not_confirmed" and answer["reason"] == "cancelled"
        assert answer["delegate"]["full_name"] == "Нұрлан"

    def test_a_delegates_token_cannot_check_in(self, client, door):
        forum, _ = door
        delegate = self._confirmed(forum)
        response = client.post("/api/v1/checkin", json={"token": services.badge_token_for(delegate)},
                               headers=bearer(issue_token(delegate.user)))
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"

    def test_no_token_is_401_and_a_bad_body_is_422(self, client, door):
        _, staff_token = door
        assert client.post("/api/v1/checkin", json={"token": "x"}).status_code == 401
        assert client.post("/api/v1/checkin", json={}).status_code == 401  # who asks comes before what
        assert client.post("/api/v1/checkin", json={}, headers=bearer(staff_token)).status_code == 422
        assert client.post("/api/v1/checkin", json={"token": 5}, headers=bearer(staff_token)).status_code == 422

    def test_concurrent_double_scan_makes_one_record(self, app, door, db, count):
        """Two desks scan one badge at the same instant (real threads; PostgreSQL only)."""
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs a real multi-connection database (runs in CI's PostgreSQL pass)")
        from app.checkin.services import scan

        forum, _ = door
        token = services.badge_token_for(self._confirmed(forum))
        staff_id = db.session.scalar(sa.select(User.id).where(User.email == "door@example.kz"))
        barrier, results = threading.Barrier(4), []

        def desk():
            with app.app_context():
                staff = db.session.get(User, staff_id)
                barrier.wait()
                results.append(scan(token, staff).result)
                db.session.remove()

        threads = [threading.Thread(target=desk) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["already_checked_in"] * 3 + ["checked_in"]
        assert count(CheckIn) == 1
