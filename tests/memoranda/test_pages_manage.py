"""The organizer's memoranda pages: drafting through the form, adding parties, opening, editing, cancelling,
and a draft prepared from a fair project."""
import html
import re
from dataclasses import replace

import pytest
import sqlalchemy as sa

from app.memoranda import services as memoranda
from app.memoranda.prefill import prefill_from_project
from app.models import Memorandum, MemorandumStatus, Party, Sector, Signature
from tests.factories import (make_fair_delegate, make_forum, make_memorandum, make_organization, make_organizer,
                             make_pledge, make_project, make_user, memorandum_input, region, sign_as)
from tests.memoranda.page_helpers import PARTY_FIELDS, form_data, switch_to, text

KAZAKH_TITLE = "Саңырау жастарды жұмыспен қамту туралы ынтымақтастық меморандумы"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum, full_name="Айгүл Ұйымдастырушы")


@pytest.fixture
def as_organizer(organizer, login):
    return login(organizer)


def only_memorandum(db) -> Memorandum:
    return db.session.scalar(sa.select(Memorandum))


def error_of(page: str, field_id: str) -> str | None:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


# --- drafting --------------------------------------------------------------------------------------

def test_organizer_drafts_a_memorandum_through_the_form_and_kazakh_letters_survive(client, db, forum, as_organizer):
    page = text(client.get("/forums/asar/memoranda/new"))
    assert page.count('name="parties-3-organization_name"') == 1  # four party slots to begin with
    assert 'type="date"' in page and 'name="csrf_token"' in page

    response = client.post("/forums/asar/memoranda/new", data=form_data(memorandum_input()))

    memorandum = only_memorandum(db)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forums/asar/memoranda/{memorandum.id}")
    assert memorandum.title_kk == KAZAKH_TITLE and memorandum.status == MemorandumStatus.draft
    assert memorandum.number == f"ASAR-{forum.starts_on.year}/01"
    assert [p.organization.name for p in memorandum.parties] == ["Атырау облыстық саңыраулар қоғамы",
                                                                 "ТОО «АқсайГазСервис»"]
    assert memorandum.parties[0].signatory_name == "Гүлнар Ыбырайқызы"  # the two empty slots were ignored
    page = text(client.get(response.headers["Location"]))
    assert "is drafted" in page and memorandum.number in page
    assert "Атырау облыстық саңыраулар қоғамы" in page and "Гүлнар Ыбырайқызы" in page
    assert text(client.get(f"/forums/asar/memoranda/{memorandum.id}?lang=kk")).count(KAZAKH_TITLE) >= 1


def test_a_party_typed_after_an_empty_slot_gets_its_error_next_to_its_own_fields(client, db, forum, as_organizer,
                                                                                 count):
    data = memorandum_input(parties=2)
    fields = form_data(data, slots=4)
    # move the second party to the third slot, leaving the second empty, and break its email
    for name in PARTY_FIELDS:
        fields[f"parties-2-{name}"] = fields.pop(f"parties-1-{name}")
        fields[f"parties-1-{name}"] = ""
    fields["parties-2-signatory_email"] = "not an email"

    response = client.post("/forums/asar/memoranda/new", data=fields)

    page = text(response)
    assert response.status_code == 422
    assert error_of(page, "parties-2-signatory_email") == "Enter a valid email address."
    assert error_of(page, "parties-1-signatory_email") is None
    assert "Please correct the fields marked below." in page
    assert 'value="ТОО «АқсайГазСервис»"' in page  # what was typed stays
    assert count(Memorandum) == 0 and count(Party) == 0


@pytest.mark.parametrize("change, field_id, message", [
    ({"city": ""}, "city", "Say in which city the memorandum is signed."),
    ({"dated": "15.12.2026x"}, "dated", "Not a valid date value."),
    ({"title_kk": "", "title_ru": ""}, "title_ru", "Give the memorandum's title in Kazakh or Russian."),
    ({"subject_ru": ""}, "subject_ru", "A language version needs its subject: what the parties agree to do."),
    ({"region_id": "999999"}, "region_id", "Choose a region from the list."),
    ({"region_id": "99999999999999999999"}, "region_id", "Choose a region from the list."),
    ({"project_id": "99999999999999999999"}, "project_id", "Not a valid choice."),
    ({"parties-0-sign_order": "99999999999999999999"}, "parties-0-sign_order", "A number from 1 to 12."),
    ({"parties-0-bin": "123456789012"}, "parties-0-bin", "A BIN is 12 digits with a valid check digit."),
    ({"parties-1-sector": ""}, "parties-1-sector", "Choose the organization's sector."),
    ({"parties-1-signatory_position": ""}, "parties-1-signatory_position", "Give the signatory's position."),
    ({"parties-1-organization_name": "атырау облыстық САҢЫРАУЛАР қоғамы"}, "parties-1-organization_name",
     "Each organization is a party only once."),
])
def test_bad_input_is_shown_next_to_its_field_with_422_and_nothing_is_written(client, forum, as_organizer, count,
                                                                              change, field_id, message):
    fields = form_data(memorandum_input())
    fields.update(change)

    response = client.post("/forums/asar/memoranda/new", data=fields)

    assert response.status_code == 422
    assert error_of(text(response), field_id) == message
    assert count(Memorandum) == 0


def test_one_party_is_not_enough(client, forum, as_organizer, count):
    response = client.post("/forums/asar/memoranda/new", data=form_data(memorandum_input(parties=1)))

    assert response.status_code == 422
    assert 'id="parties-error"' in text(response) and "at least two parties" in text(response)
    assert count(Memorandum) == 0


def test_add_another_party_gives_one_more_empty_slot_and_saves_nothing(client, forum, as_organizer, count):
    fields = form_data(memorandum_input(parties=4), slots=4)
    fields["add_party"] = "Add another party"

    response = client.post("/forums/asar/memoranda/new", data=fields)

    page = text(response)
    assert response.status_code == 200
    assert 'name="parties-4-organization_name"' in page and 'name="parties-5-organization_name"' not in page
    assert 'value="Палата предпринимателей «Атамекен»"' in page  # the four typed parties stay
    assert 'class="error"' not in page and "Please correct" not in page
    assert count(Memorandum) == 0

    fields = form_data(memorandum_input(parties=4), slots=5)
    fields.update({"parties-4-organization_name": "«Ұлағат» қоғамдық қоры", "parties-4-sector": "ngo",
                   "parties-4-signatory_name": "Меңдігүл Ғабдуллина", "parties-4-signatory_position": "Директор",
                   "parties-4-signatory_email": "ulagat@example.kz"})
    assert client.post("/forums/asar/memoranda/new", data=fields).status_code == 302
    assert count(Party) == 5


@pytest.mark.parametrize("method, tail", [
    ("get", "/manage"), ("get", "/new"), ("post", "/new"), ("get", "/{id}/edit"), ("post", "/{id}/edit"),
    ("post", "/{id}/open"), ("post", "/{id}/publish"), ("post", "/{id}/cancel"),
])
def test_only_the_forums_organizers_manage_memoranda(client, forum, organizer, login, method, tail):
    memorandum = make_memorandum(forum, organizer)
    other_forum_organizer = make_organizer(make_forum())
    path = "/forums/asar/memoranda" + tail.format(id=memorandum.id)

    stranger = getattr(client, method)(path)
    assert stranger.status_code == 302 and "/auth/login" in stranger.headers["Location"]
    for user in (make_user(), other_forum_organizer):
        switch_to(client, login, user)
        assert getattr(client, method)(path).status_code == 403
    assert memorandum.status == MemorandumStatus.draft


def test_a_memorandum_of_another_forum_is_not_found_here(client, forum, as_organizer, organizer):
    other = make_forum(slug="other", organizer=organizer)
    memorandum = make_memorandum(other, organizer)
    for path in (f"/forums/asar/memoranda/{memorandum.id}", f"/forums/asar/memoranda/{memorandum.id}/edit",
                 f"/forums/asar/memoranda/{memorandum.id}/memorandum.pdf", "/forums/asar/memoranda/99999999999"):
        assert client.get(path).status_code == 404


# --- the list, opening, editing, cancelling ---------------------------------------------------------

def test_the_list_shows_numbers_statuses_parties_and_who_has_signed(client, forum, organizer, as_organizer):
    draft = make_memorandum(forum, organizer, title_ru="Первый меморандум")
    signing = make_memorandum(forum, organizer, open_it=True, title_ru="Второй меморандум")
    sign_as(signing, signing.parties[0])

    page = text(client.get("/forums/asar/memoranda/manage"))

    assert draft.number in page and signing.number in page
    assert "Первый меморандум" in page and "Второй меморандум" in page
    assert "Draft" in page and "Open for signing" in page
    assert "1 of 2 signed" in page
    assert "signed " in page and "Гүлнар Ыбырайқызы" in page
    assert "0 memoranda signed" in page
    assert f'/forums/asar/memoranda/{draft.id}/edit"' in page


def test_opening_freezes_the_text_and_invites_every_signatory(client, db, forum, organizer, as_organizer, outbox):
    memorandum = make_memorandum(forum, organizer)
    page = text(client.get(f"/forums/asar/memoranda/{memorandum.id}"))
    assert f'action="/forums/asar/memoranda/{memorandum.id}/open"' in page
    outbox.clear()

    response = client.post(f"/forums/asar/memoranda/{memorandum.id}/open")

    assert response.status_code == 302
    assert memorandum.status == MemorandumStatus.open and len(memorandum.sha256) == 64
    assert sorted(m.recipients[0] for m in outbox) == ["signatory1@example.kz", "signatory2@example.kz"]
    assert all("/memoranda/invitations/" in m.body for m in outbox)
    page = text(client.get(response.headers["Location"]))
    assert "open for signing" in page and memorandum.sha256 in page
    again = client.post(f"/forums/asar/memoranda/{memorandum.id}/open")
    assert again.status_code == 409 and "Only a draft can be opened for signing." in text(again)


def test_editing_an_open_memorandum_after_one_signature_makes_a_new_version_and_voids_it(
        client, db, forum, organizer, as_organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)
    first = sign_as(memorandum, memorandum.parties[0])
    old_hash = memorandum.sha256

    form_page = text(client.get(f"/forums/asar/memoranda/{memorandum.id}/edit"))
    assert "open for signing (version 1)" in form_page
    assert "voids" in form_page or "voided" in form_page
    assert "1 party has already signed: its signature will be voided." in form_page

    changed = replace(memorandum_input(), subject_ru="Обучение, стажировки и трудоустройство глухой молодёжи.")
    response = client.post(f"/forums/asar/memoranda/{memorandum.id}/edit", data=form_data(changed))

    assert response.status_code == 302
    assert memorandum.version == 2 and memorandum.sha256 != old_hash
    assert db.session.get(Signature, first.id).voided_at is not None
    assert memorandum.current_signatures() == []
    page = text(client.get(response.headers["Location"]))
    assert "this is now version 2" in page
    assert "Version 2" in page and "Version 1" in page and old_hash in page and memorandum.sha256 in page
    assert "voided" in page and first.public_id in page
    assert "Обучение, стажировки" in page


def test_saving_an_open_memorandum_unchanged_keeps_its_version_and_signatures(client, forum, organizer,
                                                                             as_organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)
    signature = sign_as(memorandum, memorandum.parties[0])

    response = client.post(f"/forums/asar/memoranda/{memorandum.id}/edit", data=form_data(memorandum_input()))

    assert response.status_code == 302
    assert memorandum.version == 1 and signature.voided_at is None


def test_a_signed_memorandum_can_no_longer_be_edited(client, forum, organizer, as_organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)
    for party in memorandum.parties:
        sign_as(memorandum, party)

    assert client.get(f"/forums/asar/memoranda/{memorandum.id}/edit").status_code == 302
    response = client.post(f"/forums/asar/memoranda/{memorandum.id}/edit", data=form_data(memorandum_input()))
    assert response.status_code == 409 and "can no longer be changed" in text(response)


def test_cancelling_needs_a_reason(client, forum, organizer, as_organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)

    refused = client.post(f"/forums/asar/memoranda/{memorandum.id}/cancel", data={"reason": "  "})
    assert refused.status_code == 422
    assert error_of(text(refused), "reason") == "Say why the memorandum is cancelled."
    assert memorandum.status == MemorandumStatus.open

    done = client.post(f"/forums/asar/memoranda/{memorandum.id}/cancel", data={"reason": "Тараптар келіспеді"})
    assert done.status_code == 302 and memorandum.status == MemorandumStatus.cancelled
    page = text(client.get(done.headers["Location"]))
    assert "This memorandum is cancelled." in page and "Тараптар келіспеді" in page


def test_publishing_before_every_party_signed_is_refused(client, forum, organizer, as_organizer):
    memorandum = make_memorandum(forum, organizer, open_it=True)

    response = client.post(f"/forums/asar/memoranda/{memorandum.id}/publish")

    assert response.status_code == 409
    assert "Only a memorandum signed by every party can be published." in text(response)
    assert memorandum.status == MemorandumStatus.open


# --- links from the forum's pages -------------------------------------------------------------------

def test_the_forum_pages_link_to_the_registry_and_organizers_to_the_management(client, forum, organizer, login):
    page = text(client.get("/forums/asar"))
    assert 'href="/forums/asar/memoranda"' in page and "/memoranda/manage" not in page
    login(organizer)
    assert 'href="/forums/asar/memoranda/manage"' in text(client.get("/forums/asar"))
    assert 'href="/forums/asar/memoranda/manage"' in text(client.get("/forums/asar/edit"))


# --- a memorandum prepared from a fair project ------------------------------------------------------

@pytest.fixture
def backed_project(forum):
    ngo = make_fair_delegate(forum, organization=make_organization("Атырау облыстық саңыраулар қоғамы"),
                             full_name="Гүлнар Ыбырайқызы", email="gulnar@example.kz")
    project = make_project(forum, ngo, title="Саңырау жастарды жұмыспен қамту")
    gas = make_fair_delegate(forum, sector="business", full_name="Дмитрий Петров", email="petrov@example.kz",
                             organization=make_organization("ТОО «АқсайГазСервис»", sector=Sector.business))
    make_pledge(project, gas, amount=1_500_000, confirm=True)
    make_pledge(project, gas, amount=None, in_kind="Автобус", in_kind_value=200_000, confirm=True)
    make_pledge(project, amount=300_000)  # still pending: not a party
    return project


def test_prefill_takes_the_ngo_and_the_confirmed_backers_as_parties(app, backed_project):
    data = prefill_from_project(backed_project)

    assert data.project_id == backed_project.id
    assert "Саңырау жастарды жұмыспен қамту" in data.title_kk and "Саңырау жастарды жұмыспен қамту" in data.title_ru
    assert data.subject_kk == "Қысқаша" and data.subject_ru == "Кратко"
    assert data.region_id == region("KZ-23").id
    assert [(p.organization_name, p.sector, p.signatory_name, p.signatory_email) for p in data.parties] == [
        ("Атырау облыстық саңыраулар қоғамы", "ngo", "Гүлнар Ыбырайқызы", "gulnar@example.kz"),
        ("ТОО «АқсайГазСервис»", "business", "Дмитрий Петров", "petrov@example.kz")]
    assert "1\u00a0500\u00a0000" in data.parties[1].obligations_ru and "Автобус" in data.parties[1].obligations_ru


def test_the_fair_project_page_offers_a_prefilled_memorandum(client, db, forum, as_organizer, backed_project):
    manage_page = text(client.get(f"/forums/asar/fair/manage/projects/{backed_project.id}"))
    link = f"/forums/asar/memoranda/new?project={backed_project.id}"
    assert f'href="{link}"' in manage_page and "Prepare a memorandum" in manage_page

    page = text(client.get(link))

    assert 'value="Атырау облыстық саңыраулар қоғамы"' in page and 'value="gulnar@example.kz"' in page
    assert 'value="ТОО «АқсайГазСервис»"' in page and 'value="petrov@example.kz"' in page
    assert page.count('name="parties-3-organization_name"') == 1
    assert re.search(rf'<option selected value="{backed_project.id}">|<option value="{backed_project.id}" selected',
                     page)

    fields = form_data(prefill_from_project(backed_project))
    fields.update({"parties-0-signatory_position": "Төрайым", "parties-1-signatory_position": "Директор"})
    assert client.post("/forums/asar/memoranda/new", data=fields).status_code == 302
    assert only_memorandum(db).project_id == backed_project.id


def test_a_project_of_another_forum_or_not_yet_approved_prefills_nothing(client, forum, as_organizer):
    elsewhere = make_project(make_forum())
    waiting = make_project(forum, status="submitted")
    assert client.get(f"/forums/asar/memoranda/new?project={elsewhere.id}").status_code == 404
    assert client.get(f"/forums/asar/memoranda/new?project={waiting.id}").status_code == 404
    assert client.get("/forums/asar/memoranda/new?project=abc").status_code == 404


def test_memoranda_service_numbers_follow_each_other(client, forum, organizer, as_organizer, db):
    """Two drafts through the form get consecutive numbers of this forum."""
    for _ in range(2):
        assert client.post("/forums/asar/memoranda/new", data=form_data(memorandum_input())).status_code == 302
    numbers = [m.number for m in memoranda.of_forum(forum)]
    assert numbers == [f"ASAR-{forum.starts_on.year}/01", f"ASAR-{forum.starts_on.year}/02"]


def test_the_organizer_sends_the_invitations_again_to_those_who_have_not_signed(client, forum, organizer,
                                                                                  as_organizer, outbox):
    memorandum = make_memorandum(forum, organizer, parties=3, open_it=True)
    sign_as(memorandum, memorandum.parties[0])
    outbox.clear()

    response = client.post(f"/forums/{forum.slug}/memoranda/{memorandum.id}/invitations")
    assert response.status_code == 302
    assert sorted(m.recipients[0] for m in outbox) == sorted(p.signatory_email for p in memorandum.parties[1:])
    assert "Invitations sent again" in text(client.get(f"/forums/{forum.slug}/memoranda/{memorandum.id}"))


def test_invitations_are_not_sent_for_a_draft_nor_by_a_stranger(client, forum, organizer, as_organizer, outbox,
                                                                 browser, login):
    draft = make_memorandum(forum, organizer)
    assert client.post(f"/forums/{forum.slug}/memoranda/{draft.id}/invitations").status_code == 409
    assert outbox == []

    opened = make_memorandum(forum, organizer, open_it=True)
    outbox.clear()
    browser.logout()
    login(make_user(email="stranger@example.kz"))
    assert client.post(f"/forums/{forum.slug}/memoranda/{opened.id}/invitations").status_code == 403
    assert outbox == []
