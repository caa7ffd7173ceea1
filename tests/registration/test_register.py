"""A delegate registers (form and API), is confirmed, gets a badge; the edges of the rules."""
from datetime import datetime, timedelta, timezone

import pytest

from app.models import (AuditEvent, ConfirmationMode, Delegate, DelegateStatus, ForumStatus, Organization,
                        Sector, User)
from app.registration import services
from app.registration.tokens import read_badge_token
from tests.factories import make_forum, make_organization, make_organizer, make_user, region

KAZAKH_NAME = "Әбдіқалықова Гүлшара"


def form_data(**changes):
    data = {
        "full_name": KAZAKH_NAME, "email": "gulshara@example.kz", "phone": "+7 701 123 45 67",
        "organization_name": "Қазақ саңыраулар қоғамы", "organization_bin": "", "position": "Төрайым",
        "sector": "ngo", "region_id": "", "participation": "in_person", "language": "kk",
        "accessibility_needs": "Ымдау тілінің аудармашысы", "consent": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_registering_through_the_form_confirms_and_shows_my_forum(client, db, outbox):
    forum = make_forum(slug="asar")
    response = client.post("/forums/asar/register", data=form_data(region_id=str(region("KZ-23").id)))
    assert response.status_code == 302 and response.headers["Location"].endswith("/forums/asar/me")

    delegate = db.session.scalar(db.select(Delegate))
    assert delegate.full_name == KAZAKH_NAME
    assert delegate.status == DelegateStatus.confirmed  # the forum confirms automatically
    assert delegate.consent_given_at is not None
    assert delegate.organization.name == "Қазақ саңыраулар қоғамы"
    assert delegate.organization.sector == Sector.ngo
    assert delegate.region.code == "KZ-23"
    assert delegate.accessibility_needs == "Ымдау тілінің аудармашысы"
    assert delegate.user.email == "gulshara@example.kz" and delegate.user.password_hash is None
    assert db.session.scalar(db.select(AuditEvent.action)) == "delegate.registered"

    page = client.get("/forums/asar/me").get_data(as_text=True)
    assert KAZAKH_NAME in page and "/forums/asar/me/badge.pdf" in page

    [letter] = outbox
    assert letter.recipients == ["gulshara@example.kz"]
    assert forum.title_kk in letter.subject  # the delegate's language
    assert "/auth/link/" in letter.body


def test_missing_consent_is_refused_and_nothing_is_saved(client, count):
    make_forum(slug="asar")
    response = client.post("/forums/asar/register", data=form_data(consent=None))
    assert response.status_code == 422
    assert 'id="consent-error"' in response.get_data(as_text=True)
    assert count(Delegate) == 0 and count(User) == 0 and count(Organization) == 0


@pytest.mark.parametrize("changes, field", [
    ({"full_name": ""}, "full_name"),
    ({"email": "nope"}, "email"),
    ({"sector": "aliens"}, "sector"),
    ({"phone": "call me maybe"}, "phone"),
    ({"organization_bin": "123456789012"}, "organization_bin"),
    ({"region_id": "99999"}, "region_id"),
    ({"participation": "telepathy"}, "participation"),
    ({"full_name": "x" * 300}, "full_name"),
])
def test_bad_input_is_explained_beside_the_field(client, count, changes, field):
    make_forum(slug="asar")
    response = client.post("/forums/asar/register", data=form_data(**changes))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(Delegate) == 0


def test_registering_twice_shows_the_existing_registration(client, app, count, outbox):
    make_forum(slug="asar")
    client.post("/forums/asar/register", data=form_data())
    other_browser = app.test_client()
    again = other_browser.post("/forums/asar/register", data=form_data(email="GULSHARA@example.kz"))
    assert again.status_code == 200
    assert "already registered" in again.get_data(as_text=True)
    assert count(Delegate) == 1
    assert len(outbox) == 2  # the owner of the address gets the link again
    # The second browser learns nothing about the registration itself.
    assert other_browser.get("/forums/asar/me").status_code == 302


@pytest.mark.parametrize("window", ["not_yet", "over", "draft", "closed_forum"])
def test_registration_outside_the_window_is_refused(client, count, window):
    now = datetime.now(timezone.utc)
    settings = {
        "not_yet": {"registration_opens_at": now + timedelta(days=1)},
        "over": {"registration_closes_at": now - timedelta(minutes=1)},
        "draft": {"status": ForumStatus.draft},
        "closed_forum": {"status": ForumStatus.closed},
    }[window]
    make_forum(slug="asar", **settings)
    response = client.post("/forums/asar/register", data=form_data())
    assert response.status_code in (404, 409)
    assert count(Delegate) == 0


def test_approval_forum_keeps_the_registration_pending_until_an_organizer_confirms(client, db, outbox):
    organizer = make_organizer()
    forum = make_forum(slug="asar", confirmation=ConfirmationMode.approval)
    client.post("/forums/asar/register", data=form_data())
    delegate = db.session.scalar(db.select(Delegate))
    assert delegate.status == DelegateStatus.pending
    assert client.get("/forums/asar/me/badge.pdf").status_code == 302  # no badge yet

    services.change_status(delegate, "confirm", organizer)
    assert delegate.status == DelegateStatus.confirmed
    assert [m.subject for m in outbox][-1].startswith(("Тіркеу расталды", "Registration confirmed"))
    assert forum.id == delegate.forum_id


def test_delegate_cancels_their_registration(client, db, outbox):
    make_forum(slug="asar")
    client.post("/forums/asar/register", data=form_data())
    assert client.post("/forums/asar/me/cancel").status_code == 302
    delegate = db.session.scalar(db.select(Delegate))
    assert delegate.status == DelegateStatus.cancelled
    assert len(outbox) == 2
    with pytest.raises(services.RegistrationError):
        services.change_status(delegate, "cancel", None)


def test_an_existing_organization_is_reused_by_bin_and_by_name(app, count):
    forum = make_forum()
    org = make_organization("ТОО «Жайық Құрылыс»", Sector.business, bin="041240007777")
    for i, (name, bin_) in enumerate([("Жайық", "041240007777"), ("тоо «жайық құрылыс»", "")]):
        delegate, _ = services.register(forum, services.RegistrationInput(
            full_name=f"Delegate {i}", email=f"d{i}@example.kz", sector="business", consent=True,
            organization_name=name, organization_bin=bin_))
        assert delegate.organization_id == org.id
    assert count(Organization) == 1


def test_a_logged_in_user_registers_as_themselves(client, login, db):
    make_forum(slug="asar")
    user = login(make_user("me@example.kz", full_name="Дана Ермекқызы"))
    client.post("/forums/asar/register", data=form_data(email="someone-else@example.kz"))
    delegate = db.session.scalar(db.select(Delegate))
    assert delegate.email == "me@example.kz" and delegate.user_id == user.id
    assert client.get("/me/forums").status_code == 200


def test_sign_in_link_brings_a_delegate_back(client, app, db, outbox):
    make_forum(slug="asar")
    client.post("/forums/asar/register", data=form_data())
    link = outbox[0].body.split("/auth/link/")[1].split()[0]
    returning = app.test_client()
    assert returning.get("/forums/asar/me").status_code == 302
    response = returning.get("/auth/link/" + link)
    assert response.status_code == 302
    assert KAZAKH_NAME in returning.get("/forums/asar/me").get_data(as_text=True)
    token = link.split("?")[0]
    forged = app.test_client().get("/auth/link/" + token[:-2] + "xx")
    assert forged.status_code == 302 and "/auth/link" in forged.headers["Location"]


def test_badge_token_names_the_delegate_and_the_forum(app):
    forum = make_forum()
    delegate, _ = services.register(forum, services.RegistrationInput(
        full_name="A", email="a@example.kz", sector="state", consent=True))
    token = services.badge_token_for(delegate)
    assert read_badge_token(token) == (delegate.id, forum.id)
    assert read_badge_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert read_badge_token("") is None and read_badge_token("x" * 1000) is None


def test_concurrent_double_registration_keeps_one(app, db, count, monkeypatch):
    """The unique (forum, email) key wins a race the duplicate check missed."""
    forum = make_forum()
    data = dict(full_name="A", email="race@example.kz", sector="ngo", consent=True)
    first, _ = services.register(forum, services.RegistrationInput(**data))
    monkeypatch.setattr(services, "find_registration", lambda forum, email, _real=services.find_registration:
                        None if not getattr(monkeypatch, "_called", False) and setattr(monkeypatch, "_called", True) is None
                        else _real(forum, email))
    again, created = services.register(forum, services.RegistrationInput(**data))
    assert not created and again.id == first.id
    assert count(Delegate) == 1
