"""The signatory's pages: the invitation link (new account, existing account, wrong account), the signing
page and its refusals, and the list of memoranda waiting for a signature."""
import html
import re

import pytest
import sqlalchemy as sa

from app.auth import services as accounts
from app.memoranda import services as memoranda
from app.models import Memorandum, MemorandumStatus, Signature, User
from tests.factories import (PASSWORD, make_delegate, make_forum, make_memorandum, make_organizer, make_user,
                             memorandum_input, sign_as)
from tests.memoranda.page_helpers import switch_to, text


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


@pytest.fixture
def opened(forum, organizer):
    """An open memorandum whose signatories have no accounts yet (they only got the letter)."""
    memorandum = memoranda.create(forum, organizer, memorandum_input())
    return memoranda.open_for_signing(memorandum, organizer)


def invitation_url(party) -> str:
    return f"/memoranda/invitations/{memoranda.invitation_token(party)}"


def sign_url(memorandum) -> str:
    return f"/forums/{memorandum.forum.slug}/memoranda/{memorandum.id}/sign"


def error_of(page: str, field_id: str) -> str | None:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


def signing(memorandum, party, **overrides) -> dict:
    values = {"agree": "y", "full_name": party.signatory_name, "password": PASSWORD, "sha256": memorandum.sha256}
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


# --- the invitation ---------------------------------------------------------------------------------

def test_the_letter_links_to_the_invitation(opened, outbox, organizer):
    memoranda.update(opened, organizer, memorandum_input(subject_ru="Новый предмет."))  # invites everyone again
    letter = next(m for m in outbox if m.recipients == ["signatory1@example.kz"])
    assert re.search(r"http://[^/\s]+/memoranda/invitations/[\w.\-]+", letter.body)


def test_a_new_signatory_creates_an_account_from_the_invitation_and_lands_on_the_sign_page(client, opened, count):
    party = opened.parties[0]
    page = text(client.get(invitation_url(party)))
    assert "Create your account" in page
    assert 'value="Гүлнар Ыбырайқызы"' in page and 'value="signatory1@example.kz"' in page

    mismatch = client.post(invitation_url(party), data={"full_name": "Гүлнар Ыбырайқызы", "password": "sunny-day-7",
                                                        "confirm": "sunny-day-8"})
    assert mismatch.status_code == 422 and error_of(text(mismatch), "confirm") == "The passwords do not match."
    weak = client.post(invitation_url(party), data={"full_name": "Гүлнар Ыбырайқызы", "password": "short",
                                                    "confirm": "short"})
    assert weak.status_code == 422 and "at least 8 characters" in error_of(text(weak), "password")
    assert count(User, User.email == "signatory1@example.kz") == 0

    response = client.post(invitation_url(party), data={"full_name": "Гүлнар Ыбырайқызы",
                                                        "password": "sunny-day-7", "confirm": "sunny-day-7"})

    assert response.status_code == 302 and response.headers["Location"].endswith(sign_url(opened))
    user = accounts.find_user("signatory1@example.kz")
    assert user.full_name == "Гүлнар Ыбырайқызы" and user.check_password("sunny-day-7")
    assert party.user_id == user.id
    sign_page = client.get(sign_url(opened))  # logged in by the same step
    assert sign_page.status_code == 200 and opened.sha256 in text(sign_page)


def test_an_existing_account_logs_in_first_then_the_invitation_binds_it(client, opened, login):
    party = opened.parties[1]
    user = make_user("signatory2@example.kz", full_name="Дмитрий Петров")

    response = client.get(invitation_url(party))
    assert response.status_code == 302
    assert "/auth/login?next=/memoranda/invitations/" in response.headers["Location"]
    assert party.user_id is None

    login(user)
    response = client.get(invitation_url(party))
    assert response.status_code == 302 and response.headers["Location"].endswith(sign_url(opened))
    assert party.user_id == user.id


def test_a_registered_delegate_without_a_password_sets_one_from_the_invitation(client, forum, opened):
    party = opened.parties[0]
    delegate = make_delegate(forum, email="signatory1@example.kz", full_name="Гүлнар Ыбырайқызы")
    assert not delegate.user.password_hash

    page = text(client.get(invitation_url(party)))
    assert "Set a password for your account" in page
    response = client.post(invitation_url(party), data={"full_name": "Гүлнар Ыбырайқызы",
                                                        "password": "sunny-day-7", "confirm": "sunny-day-7"})

    assert response.status_code == 302
    assert delegate.user.check_password("sunny-day-7") and party.user_id == delegate.user_id


def test_logged_in_as_someone_else_the_invitation_says_whose_it_is_and_offers_to_log_out(client, opened, login):
    login(make_user("someone@example.kz"))
    url = invitation_url(opened.parties[0])

    response = client.get(url)

    page = text(response)
    assert response.status_code == 403
    assert "signatory1@example.kz" in page and "someone@example.kz" in page
    assert 'name="action" value="switch"' in page
    assert opened.parties[0].user_id is None
    switched = client.post(url, data={"action": "switch"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith(url)
    assert "Create your account" in text(client.get(url))  # now a stranger: the account form


@pytest.mark.parametrize("token", ["nonsense", "a" * 2000, "eyJwIjoxLCJlIjoieEB5LnoifQ.AAAA.BBBB"])
def test_a_broken_invitation_is_a_friendly_404(client, opened, token):
    response = client.get(f"/memoranda/invitations/{token}")
    assert response.status_code == 404
    assert "This invitation is not valid or has expired" in text(response)


def test_an_invitation_for_a_changed_signatory_no_longer_works(client, opened, organizer):
    url = invitation_url(opened.parties[0])
    changed = memorandum_input()
    changed.parties[0].signatory_email = "new-chair@example.kz"
    memoranda.update(opened, organizer, changed)

    assert client.get(url).status_code == 404


# --- signing ----------------------------------------------------------------------------------------

@pytest.fixture
def signable(forum, organizer):
    return make_memorandum(forum, organizer, open_it=True)


def test_the_sign_page_shows_the_whole_text_the_hash_and_the_party(client, signable, login):
    party = signable.parties[0]
    login(party.user)

    page = text(client.get(sign_url(signable)))

    assert signable.sha256 in page and f'name="sha256" type="hidden" value="{signable.sha256}"' in page
    assert "Атырау облыстық саңыраулар қоғамы" in page and "Гүлнар Ыбырайқызы" in page
    assert signable.title_kk in page and signable.title_ru in page  # every language version
    assert signable.subject_kk in page and signable.subject_ru in page
    assert 'name="agree"' in page and 'name="full_name"' in page and 'name="password"' in page


def test_the_signatory_signs_and_sees_it_on_the_memorandum_page(client, signable, login, count):
    party = signable.parties[0]
    login(party.user)

    response = client.post(sign_url(signable), data=signing(signable, party, full_name="  гүлнар  ЫБЫРАЙҚЫЗЫ "))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forums/asar/memoranda/{signable.id}")
    signature = memoranda.signature_of(party)
    assert signature is not None and signature.sha256 == signable.sha256 and signature.user_agent
    page = text(client.get(response.headers["Location"]))
    assert "You have signed the memorandum for Атырау облыстық саңыраулар қоғамы." in page
    assert signature.public_id in page
    again = text(client.get(sign_url(signable)))
    assert "Your party has signed this version" in again and 'name="password"' not in again


def test_only_the_bound_signatory_may_sign(client, signable, login, organizer, count):
    stranger = make_user()
    for user in (stranger, organizer):
        switch_to(client, login, user)
        assert client.get(sign_url(signable)).status_code == 403
        response = client.post(sign_url(signable), data=signing(signable, signable.parties[0]))
        assert response.status_code == 403
    assert count(Signature) == 0
    client.post("/auth/logout")
    anonymous = client.get(sign_url(signable))
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_a_second_signature_for_the_same_party_is_refused_with_409(client, signable, login, count):
    party = signable.parties[0]
    sign_as(signable, party)
    login(party.user)

    response = client.post(sign_url(signable), data=signing(signable, party))

    assert response.status_code == 409
    assert "Your party has already signed this memorandum." in text(response)
    assert count(Signature) == 1


def test_a_draft_cannot_be_signed(client, forum, organizer, login, count):
    draft = make_memorandum(forum, organizer)
    party = draft.parties[0]
    login(party.user)

    page = text(client.get(sign_url(draft)))
    assert "not open for signing yet" in page and 'name="password"' not in page
    response = client.post(sign_url(draft), data=signing(draft, party, sha256=""))
    assert response.status_code == 409 and "This memorandum is not open for signing." in text(response)
    assert count(Signature) == 0


def test_a_text_changed_since_the_page_was_opened_is_not_signed(client, signable, organizer, login, count):
    party = signable.parties[0]
    old_hash = signable.sha256
    memoranda.update(signable, organizer, memorandum_input(term_ru="Меморандум действует два года."))
    login(party.user)

    response = client.post(sign_url(signable), data=signing(signable, party, sha256=old_hash))

    page = text(response)
    assert response.status_code == 409
    assert "The text has changed since you opened it." in page
    assert signable.sha256 in page and "два года" in page  # the new version is shown, ready to sign
    assert count(Signature) == 0


@pytest.mark.parametrize("overrides, field_id, message", [
    ({"full_name": "Гүлнара Ыбырайқызы"}, "full_name",
     "Type your full name exactly as in the invitation: Гүлнар Ыбырайқызы."),
    ({"password": "wrong-password-1"}, "password", "The password is not right."),
    ({"password": None}, "password", "The password is not right."),
    ({"agree": None}, "agree", "Tick the box to confirm that you have read the memorandum and agree."),
])
def test_a_wrong_name_password_or_missing_agreement_is_shown_next_to_its_field(client, signable, login, count,
                                                                               overrides, field_id, message):
    party = signable.parties[0]
    login(party.user)

    response = client.post(sign_url(signable), data=signing(signable, party, **overrides))

    assert response.status_code == 422
    assert error_of(text(response), field_id) == message
    assert count(Signature) == 0


def test_with_a_signing_order_a_later_party_waits_for_its_turn(client, forum, organizer, login, count):
    ordered = make_memorandum(forum, organizer, open_it=True, ordered=True)
    second = ordered.parties[1]
    login(second.user)

    assert "It is not your turn yet" in text(client.get(sign_url(ordered)))
    response = client.post(sign_url(ordered), data=signing(ordered, second))
    assert response.status_code == 409 and "It is not your turn yet" in text(response)

    sign_as(ordered, ordered.parties[0])
    assert client.post(sign_url(ordered), data=signing(ordered, second)).status_code == 302
    assert ordered.status == MemorandumStatus.signed


# --- waiting for a signature -------------------------------------------------------------------------

def test_the_header_and_the_waiting_list_show_memoranda_to_sign(client, forum, organizer, login):
    signable = make_memorandum(forum, organizer, open_it=True)
    party = signable.parties[0]
    login(party.user)

    home = text(client.get("/"))
    assert 'href="/memoranda/waiting"' in home and "To sign (1)" in home
    page = text(client.get("/memoranda/waiting"))
    assert signable.number in page and signable.title_ru in page and sign_url(signable) in page

    sign_as(signable, party)
    assert 'href="/memoranda/waiting"' not in text(client.get("/"))
    assert "No memorandum is waiting for your signature." in text(client.get("/memoranda/waiting"))


def test_the_waiting_list_needs_a_login(client, app):
    response = client.get("/memoranda/waiting")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_signatory_sees_the_memorandum_page_without_management_buttons(client, signable, login):
    login(signable.parties[1].user)

    page = text(client.get(f"/forums/asar/memoranda/{signable.id}"))

    assert "Read and sign" in page and signable.sha256 in page
    assert "/open\"" not in page and "/cancel\"" not in page and "/edit\"" not in page
    assert "History" in page and "Versions" in page


def test_the_memorandum_is_sealed_when_the_last_party_signs_through_the_page(client, signable, login, db):
    sign_as(signable, signable.parties[0])
    last = signable.parties[1]
    login(last.user)

    response = client.post(sign_url(signable), data=signing(signable, last))

    assert response.status_code == 302
    memorandum = db.session.get(Memorandum, signable.id)
    assert memorandum.status == MemorandumStatus.signed and memorandum.sealed_pdf.startswith(b"%PDF")
    assert "Every party has now signed" in text(client.get(response.headers["Location"]))
    assert db.session.scalar(sa.select(sa.func.count(Signature.id))) == 2


class TestCsrf:
    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_signing_needs_the_forms_token(self, client, browser, signable, count):
        party = signable.parties[0]
        client.post("/auth/login", data={"email": party.user.email, "password": PASSWORD,
                                         "csrf_token": browser.csrf_token("/auth/login")})

        assert client.post(sign_url(signable), data=signing(signable, party)).status_code == 400
        assert count(Signature) == 0
        token = browser.csrf_token(sign_url(signable))
        assert client.post(sign_url(signable), data=signing(signable, party, csrf_token=token)).status_code == 302
        assert count(Signature) == 1

    def test_the_account_form_of_an_invitation_needs_the_token(self, client, browser, opened, count):
        url = invitation_url(opened.parties[0])
        data = {"full_name": "Гүлнар Ыбырайқызы", "password": "sunny-day-7", "confirm": "sunny-day-7"}

        assert client.post(url, data=data).status_code == 400
        assert count(User, User.email == "signatory1@example.kz") == 0
        assert client.post(url, data=dict(data, csrf_token=browser.csrf_token(url))).status_code == 302
