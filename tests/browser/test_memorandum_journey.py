"""A memorandum of cooperation from the organizer's draft to a file anyone can verify (issue 6), in a real browser.

Әсел, the organizer, drafts a memorandum between an NGO (Гүлнар signs for it) and a business
(Дмитрий signs for it) and opens it for signing. Each signatory opens the invitation sent to
their address, reads the text with its hash, ticks the box, types their name and password and
signs. Гүлнар downloads the signed PDF: it is the sealed file. A visitor opens the verification
page (the QR code's target), sees it signed by every party, and checks the downloaded file:
genuine. The same file with one byte changed is not.

Each person has a browser of their own. Elements are found by id, name and href, never by
visible text (the text is translated); the data typed into the form is checked as text.
"""
import re

import pytest
import sqlalchemy as sa

from app.demo import DEMO_NAMES, DEMO_SLUG
from app.extensions import db
from app.memoranda import services as memoranda
from app.models import Memorandum, MemorandumStatus, Signature
from tests.helpers.browser import LOGINS, log_in

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

TITLE_KK = "Саңырау жастарға арналған шеберхана туралы ынтымақтастық меморандумы"
TITLE_RU = "Меморандум о сотрудничестве: мастерская для глухой молодёжи"
NGO = "«Шаңырақ» қоғамдық қоры"
BUSINESS = "ТОО «Жайық Құрылыс»"


def _fill_party(form, index: int, organization: str, sector: str, email: str, position: str, obligations: str):
    prefix = f"#parties-{index}-"
    form.locator(prefix + "organization_name").fill(organization)
    form.locator(prefix + "sector").select_option(value=sector)
    form.locator(prefix + "signatory_name").fill(DEMO_NAMES[email])
    form.locator(prefix + "signatory_email").fill(email)
    form.locator(prefix + "signatory_position").fill(position)
    form.locator(prefix + "obligations_ru").fill(obligations)


def _sign(page, live_app, memorandum_id: int, email: str, password: str) -> None:
    with live_app.app_context():
        memorandum = db.session.get(Memorandum, memorandum_id)
        party = next(p for p in memorandum.parties if p.signatory_email == email)
        token = memoranda.invitation_token(party)  # the link the invitation email carries
        sha256 = memorandum.sha256
    log_in(page, email, password)
    page.goto(f"/memoranda/invitations/{token}")
    expect(page).to_have_url(re.compile(rf"/forums/{DEMO_SLUG}/memoranda/{memorandum_id}/sign$"))
    expect(page.locator("#document-hash")).to_contain_text(sha256)
    form = page.locator(f'main form[action$="/memoranda/{memorandum_id}/sign"]')
    form.locator("#agree").check()
    form.locator("#full_name").fill(DEMO_NAMES[email])
    form.locator("#password").fill(password)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/forums/{DEMO_SLUG}/memoranda/{memorandum_id}$"))


def test_organizer_drafts_both_parties_sign_and_anyone_verifies_the_pdf(
        live_app, live_server, chromium_page, new_chromium_page):
    organizer = chromium_page
    log_in(organizer, *LOGINS["organizer"])

    # Әсел drafts the memorandum.
    organizer.goto(f"/forums/{DEMO_SLUG}/memoranda/new")
    form = organizer.locator("main form.memo-form")
    form.locator("#title_kk").fill(TITLE_KK)
    form.locator("#title_ru").fill(TITLE_RU)
    form.locator("#subject_kk").fill("Тараптар саңырау жастарға ағаш шеберханасын ашады.")
    form.locator("#subject_ru").fill("Стороны открывают столярную мастерскую для глухой молодёжи.")
    form.locator("#city").fill("Атырау")
    form.locator("#dated").fill("2026-12-15")
    ngo_email, ngo_password = LOGINS["ngo"]
    business_email, business_password = LOGINS["business"]
    _fill_party(form, 0, NGO, "ngo", ngo_email, "Төраға", "Набирает и обучает участников.")
    _fill_party(form, 1, BUSINESS, "business", business_email, "Директор", "Передаёт оборудование и материалы.")
    form.locator('button.button-primary[type="submit"]').click()

    expect(organizer).to_have_url(re.compile(rf"/forums/{DEMO_SLUG}/memoranda/\d+$"))
    memorandum_id = int(organizer.url.rsplit("/", 1)[1])
    with live_app.app_context():
        memorandum = db.session.get(Memorandum, memorandum_id)
        assert memorandum.status == MemorandumStatus.draft
        assert [p.organization.name for p in memorandum.parties] == [NGO, BUSINESS]

    # … and opens it for signing: the text is frozen and hashed.
    organizer.locator(f'form[action$="/memoranda/{memorandum_id}/open"] button[type="submit"]').click()
    expect(organizer).to_have_url(re.compile(rf"/forums/{DEMO_SLUG}/memoranda/{memorandum_id}$"))
    with live_app.app_context():
        memorandum = db.session.get(Memorandum, memorandum_id)
        assert memorandum.status == MemorandumStatus.open and len(memorandum.sha256) == 64
        public_id = memorandum.public_id

    # Each signatory signs in a browser of their own.
    ngo = new_chromium_page(locale="kk-KZ")
    _sign(ngo, live_app, memorandum_id, ngo_email, ngo_password)
    business = new_chromium_page()
    _sign(business, live_app, memorandum_id, business_email, business_password)
    with live_app.app_context():
        memorandum = db.session.get(Memorandum, memorandum_id)
        assert memorandum.status == MemorandumStatus.signed
        assert db.session.scalar(sa.select(sa.func.count(Signature.id))
                                 .where(Signature.memorandum_id == memorandum_id)) == 2
        sealed = memorandum.sealed_pdf

    # Гүлнар downloads the signed PDF: exactly the sealed file.
    ngo.goto(f"/forums/{DEMO_SLUG}/memoranda/{memorandum_id}")
    pdf_link = ngo.locator(f'main a[href$="/memoranda/{memorandum_id}/memorandum.pdf"]').first
    expect(pdf_link).to_be_visible()
    download = ngo.request.get(pdf_link.get_attribute("href"))
    assert download.ok and download.headers["content-type"].startswith("application/pdf")
    pdf = download.body()
    assert pdf == sealed

    # A visitor opens the verification page and checks the file.
    visitor = new_chromium_page()
    visitor.goto(f"/verify/{public_id}")
    expect(visitor.locator("#verdict.alert-success")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text(NGO)
    expect(visitor.locator("main")).to_contain_text(BUSINESS)
    check = visitor.locator(f'main form[action$="/verify/{public_id}"]')
    check.locator('input[type="file"]').set_input_files(
        files=[{"name": "memorandum.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    check.locator('button[type="submit"]').click()
    expect(visitor.locator("#check-result.alert-success")).to_be_visible()

    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    check = visitor.locator(f'main form[action$="/verify/{public_id}"]')
    check.locator('input[type="file"]').set_input_files(
        files=[{"name": "memorandum.pdf", "mimeType": "application/pdf", "buffer": bytes(altered)}])
    check.locator('button[type="submit"]').click()
    expect(visitor.locator("#check-result.alert-error")).to_be_visible()
