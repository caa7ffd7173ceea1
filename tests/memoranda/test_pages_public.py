"""The public side: the whole journey from the form to a verified PDF, the verification pages, the registry,
and who may download a memorandum's PDF."""
import io
import re

import pytest
import sqlalchemy as sa

from app.memoranda import services as memoranda
from app.models import Memorandum, MemorandumStatus
from tests.factories import (PASSWORD, make_forum, make_memorandum, make_organizer, make_user, memorandum_input,
                             region, sign_as)
from tests.memoranda.page_helpers import form_data, switch_to, text


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


def signed(forum, organizer, *, publish=False, **overrides) -> Memorandum:
    memorandum = make_memorandum(forum, organizer, open_it=True, **overrides)
    for party in memorandum.parties:
        sign_as(memorandum, party)
    if publish:
        memoranda.publish(memorandum, organizer)
    return memorandum


def upload(client, url, data: bytes, name="memorandum.pdf"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def pdf_url(memorandum) -> str:
    return f"/forums/{memorandum.forum.slug}/memoranda/{memorandum.id}/memorandum.pdf"


# --- the whole journey ------------------------------------------------------------------------------

def test_from_the_form_to_a_verified_pdf(client, db, forum, organizer, login):
    login(organizer)
    created = client.post("/forums/asar/memoranda/new", data=form_data(memorandum_input(parties=3)))
    assert created.status_code == 302
    memorandum = db.session.scalar(sa.select(Memorandum))
    assert client.post(f"/forums/asar/memoranda/{memorandum.id}/open").status_code == 302

    for party in memorandum.parties:
        client.post("/auth/logout")
        user = make_user(party.signatory_email, full_name=party.signatory_name)
        login(user)
        assert client.get(f"/memoranda/invitations/{memoranda.invitation_token(party)}").status_code == 302
        page = text(client.get(f"/forums/asar/memoranda/{memorandum.id}/sign"))
        sha256 = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', page).group(1)
        response = client.post(f"/forums/asar/memoranda/{memorandum.id}/sign", data={
            "agree": "y", "full_name": party.signatory_name, "password": PASSWORD, "sha256": sha256})
        assert response.status_code == 302, text(response)

    assert memorandum.status == MemorandumStatus.signed
    client.post("/auth/logout")
    login(organizer)
    download = client.get(pdf_url(memorandum))
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF") and download.data == memorandum.sealed_pdf
    assert ".pdf" in download.headers["Content-Disposition"]
    assert client.post(f"/forums/asar/memoranda/{memorandum.id}/publish").status_code == 302
    assert memorandum.status == MemorandumStatus.published

    client.post("/auth/logout")
    verify = f"/verify/{memorandum.public_id}"
    page = text(client.get(verify))
    assert "Signed by every party." in page and memorandum.sealed_sha256 in page and memorandum.sha256 in page
    for party in memorandum.parties:
        assert party.organization.name in page and party.signatory_name in page
        assert memoranda.signature_of(party).public_id in page
    assert "(UTC+5)" in page

    genuine = upload(client, verify, download.data)
    assert genuine.status_code == 200 and "Genuine." in text(genuine)
    tampered = bytearray(download.data)
    tampered[len(tampered) // 2] ^= 0x01
    changed = upload(client, verify, bytes(tampered))
    assert changed.status_code == 200 and "NOT the genuine signed document." in text(changed)
    assert "Genuine." not in text(changed)
    public_copy = client.get(pdf_url(memorandum))  # published: anyone downloads it
    assert public_copy.status_code == 200 and public_copy.data == memorandum.sealed_pdf


# --- the verification pages -------------------------------------------------------------------------

@pytest.mark.parametrize("public_id", ["NOSUCHCODE", "x" * 200, "%20", "ABC'--"])
def test_an_unknown_identifier_is_a_friendly_404(client, app, public_id):
    response = client.get(f"/verify/{public_id}")
    assert response.status_code == 404 and "No such memorandum" in text(response)


def test_a_drafts_verification_page_says_not_yet_signed_and_reveals_nothing(client, forum, organizer):
    draft = make_memorandum(forum, organizer)

    page = text(client.get(f"/verify/{draft.public_id}"))

    assert "Not yet signed." in page and draft.number in page
    assert draft.title_ru not in page and draft.title_kk not in page
    assert draft.parties[0].signatory_name not in page and draft.parties[0].organization.name not in page


def test_an_open_memorandum_shows_the_signatures_so_far_and_no_sealed_file(client, forum, organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)
    first = sign_as(memorandum, memorandum.parties[0])

    page = text(client.get(f"/verify/{memorandum.public_id.lower()}"))

    assert "Signed by 1 of 2 parties so far" in page and first.public_id in page
    assert memorandum.sha256 in page and "sealed PDF" not in page
    response = upload(client, f"/verify/{memorandum.public_id}", b"%PDF-1.7 a draft")
    assert response.status_code == 200 and "Not signed yet." in text(response)


def test_an_empty_or_oversized_upload_is_refused_with_a_message(client, app, forum, organizer):
    memorandum = signed(forum, organizer)
    url = f"/verify/{memorandum.public_id}"

    empty = upload(client, url, b"", name="empty.pdf")
    assert empty.status_code == 422 and "The file is empty." in text(empty)
    missing = client.post(url, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose the PDF file to check." in text(missing)
    app.config["MEMORANDUM_CHECK_MAX_BYTES"] = 1000
    too_big = upload(client, url, b"%PDF" + b"0" * 2000)
    assert too_big.status_code == 413 and "too large" in text(too_big)
    app.config["MEMORANDUM_CHECK_MAX_BYTES"] = 10 * 1024 * 1024
    over_the_request_limit = upload(client, url, b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert over_the_request_limit.status_code == 413 and "too large" in text(over_the_request_limit)


def test_finding_a_memorandum_by_its_identifier_or_its_file(client, forum, organizer):
    memorandum = signed(forum, organizer)
    assert client.get("/verify").status_code == 200

    by_code = client.get("/verify", query_string={"id": f" {memorandum.public_id.lower()} "})
    assert by_code.status_code == 302 and by_code.headers["Location"].endswith(f"/verify/{memorandum.public_id}")
    pasted = client.get("/verify", query_string={"id": f"https://asar.example.kz/verify/{memorandum.public_id}"})
    assert pasted.headers["Location"].endswith(f"/verify/{memorandum.public_id}")
    unknown = client.get("/verify", query_string={"id": "NOSUCHCODE"})
    assert unknown.status_code == 404 and "No memorandum has this identifier." in text(unknown)

    found = upload(client, "/verify", memorandum.sealed_pdf)
    assert found.status_code == 200 and "Genuine." in text(found) and memorandum.number in text(found)
    assert f"/verify/{memorandum.public_id}" in text(found)
    not_found = upload(client, "/verify", memorandum.sealed_pdf + b"\n")
    assert not_found.status_code == 200 and "No signed memorandum matches this file." in text(not_found)
    empty = upload(client, "/verify", b"")
    assert empty.status_code == 422


# --- the registry -----------------------------------------------------------------------------------

def test_the_registry_lists_published_memoranda_with_filters_and_the_counter(client, forum, organizer):
    regional = signed(forum, organizer, publish=True, title_ru="Региональный меморандум",
                      region_id=region("KZ-23").id)
    national = signed(forum, organizer, publish=True, parties=3, level="national", title_ru="Республиканский")
    unpublished = signed(forum, organizer, title_ru="Подписан, но не опубликован")
    draft = make_memorandum(forum, organizer, title_ru="Ещё черновик")

    def listed(**args) -> set[str]:
        response = client.get("/forums/asar/memoranda", query_string=args)
        assert response.status_code == 200
        return set(re.findall(r'<th scope="row">([^<]+)</th>', text(response)))

    assert listed() == {regional.number, national.number}
    assert unpublished.number not in listed() and draft.number not in listed()
    assert listed(level="national") == {national.number}
    assert listed(sector="state") == {national.number}  # the third party is the akimat
    assert listed(sector="business") == {regional.number, national.number}
    assert listed(region=region("KZ-23").id) == {regional.number}
    assert listed(level="nonsense", region="x", sector="'") == {regional.number, national.number}  # no 4xx

    page = text(client.get("/forums/asar/memoranda"))
    assert "3 memoranda signed" in page  # signed, published or not
    assert f"/verify/{regional.public_id}" in page and pdf_url(regional) in page
    assert f'href="/forums/asar/memoranda/{regional.id}"' in page
    assert "Региональный меморандум" in page and "Атырау облыстық саңыраулар қоғамы" in page


def test_the_counter_speaks_of_one_memorandum_in_the_singular(client, forum, organizer):
    signed(forum, organizer, publish=True)
    assert "1 memorandum signed" in text(client.get("/forums/asar/memoranda"))


def test_a_draft_forum_has_no_public_registry(client, organizer):
    hidden = make_forum(slug="hidden", status="draft", organizer=organizer)
    assert client.get(f"/forums/{hidden.slug}/memoranda").status_code == 404


# --- who reads the page and the PDF -----------------------------------------------------------------

def test_the_public_cannot_download_a_memorandum_before_it_is_published(client, forum, organizer, login):
    draft = make_memorandum(forum, organizer)
    opened = make_memorandum(forum, organizer, open_it=True)
    unpublished = signed(forum, organizer)

    for memorandum in (draft, opened, unpublished):
        assert client.get(pdf_url(memorandum)).status_code == 404
    login(make_user())
    for memorandum in (draft, opened, unpublished):
        assert client.get(pdf_url(memorandum)).status_code == 404

    switch_to(client, login, opened.parties[0].user)
    own = client.get(pdf_url(opened))
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    assert own.data != unpublished.sealed_pdf
    switch_to(client, login, organizer)
    assert client.get(pdf_url(draft)).status_code == 200

    memoranda.publish(unpublished, organizer)
    client.post("/auth/logout")
    public = client.get(pdf_url(unpublished))
    assert public.status_code == 200 and public.data == unpublished.sealed_pdf


def test_a_published_memorandum_page_is_public_and_shows_no_management(client, forum, organizer, login):
    memorandum = signed(forum, organizer, publish=True)

    page = text(client.get(f"/forums/asar/memoranda/{memorandum.id}"))

    assert memorandum.title_ru in page or memorandum.title_kk in page
    assert memorandum.parties[0].organization.name in page and memorandum.sealed_sha256 in page
    assert f'action="/forums/asar/memoranda/{memorandum.id}/cancel"' not in page
    assert "/edit\"" not in page and "History" not in page
    assert "signatory1@example.kz" not in page  # emails are for the organizers
    kazakh = text(client.get(f"/forums/asar/memoranda/{memorandum.id}?lang=kk"))
    assert memorandum.subject_kk in kazakh and 'lang="kk"' in kazakh


def test_an_unpublished_memorandum_page_is_for_insiders_only(client, forum, organizer, login):
    memorandum = make_memorandum(forum, organizer, open_it=True)

    anonymous = client.get(f"/forums/asar/memoranda/{memorandum.id}")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    login(make_user())
    assert client.get(f"/forums/asar/memoranda/{memorandum.id}").status_code == 404
    switch_to(client, login, organizer)
    page = text(client.get(f"/forums/asar/memoranda/{memorandum.id}"))
    assert f'action="/forums/asar/memoranda/{memorandum.id}/cancel"' in page
    assert "signatory1@example.kz" in page


class TestCsrf:
    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_checking_a_file_needs_the_pages_token_and_finding_by_code_does_not(self, client, browser, forum,
                                                                                 organizer):
        memorandum = signed(forum, organizer)
        url = f"/verify/{memorandum.public_id}"

        assert upload(client, url, memorandum.sealed_pdf).status_code == 400
        token = browser.csrf_token(url)
        checked = client.post(url, data={"file": (io.BytesIO(memorandum.sealed_pdf), "m.pdf"), "csrf_token": token},
                              content_type="multipart/form-data")
        assert checked.status_code == 200 and "Genuine." in text(checked)
        assert client.get("/verify", query_string={"id": memorandum.public_id}).status_code == 302
