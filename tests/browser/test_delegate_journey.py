"""A delegate's journey, from the forum page to the door (issue 3), in a real browser.

Гүлшара opens the demo forum. Her browser asks for Russian; she switches the site to Kazakh and
registers in Kazakh, with her Kazakh name and her organization, new to Asar. The forum confirms
registrations at once, so "My forum" offers her badge: a PDF with her name and a QR code.

On the forum's morning Дәурен, at the check-in desk (another browser, another person), scans
the QR code read from that very PDF: the scanner types the code into the desk's input and
presses Enter. The desk welcomes her; a second scan of the same badge says she is already in.
The database holds exactly one check-in.

Elements are found by id, name, href and data attributes, never by visible text (the text is
translated), except the language button, whose text is the language code.
"""
import io
import re

import pytest
import sqlalchemy as sa

from app.auth.services import find_user
from app.demo import DEMO_LOGINS, DEMO_SLUG
from app.extensions import db
from app.models import CheckIn, Delegate, DelegateStatus, Forum, Organization, Participation, Region, Sector
from app.registration.tokens import badge_token

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

CHECKIN_EMAIL, CHECKIN_PASSWORD = next((email, password) for role, email, password in DEMO_LOGINS
                                       if role == "checkin")
FULL_NAME = "Һәкімова-Өтеғұлова Гүлшара Жеңісқызы"  # ә ғ қ ң ө ұ ү һ і, all in her name
ORGANIZATION = "«Ақжайық өңірінің үні» қоғамдық бірлестігі"  # new to Asar
EMAIL = "gulshara.abdikalykova@example.kz"
PHONE = "+7 701 234 56 78"
POSITION = "жоба үйлестірушісі"
ACCESSIBILITY = "Кресло-арбамен жүремін"
KAZAKH_LETTERS = set("әғқңөұүһі")


def _squeezed(text: str) -> str:
    """Text without any white space: a PDF breaks a long name over lines where it likes."""
    return "".join(text.split())


def _forum(app) -> tuple[int, str]:
    with app.app_context():
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
        assert forum is not None, "app.demo.load() did not create the demo forum"
        return forum.id, forum.title_kk


def _region_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Region.id).where(Region.code == code))


def _qr_codes(pdf: bytes) -> list[str]:
    """Every QR code on the PDF's first page, read from a rendered image as a camera would."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def _scan(page, code: str) -> None:
    """What a USB (keyboard-wedge) scanner does: types the code into the focused input, then Enter."""
    field = page.locator("#scan-token")
    expect(field).to_be_focused()
    field.press_sequentially(code)
    field.press("Enter")


def test_delegate_registers_in_kazakh_downloads_badge_and_is_checked_in(
        chromium_page, new_chromium_page, live_server, live_app, tmp_path):
    assert KAZAKH_LETTERS <= set(FULL_NAME.lower())
    page = chromium_page
    forum_id, forum_title_kk = _forum(live_app)
    atyrau_region = _region_id(live_app, "KZ-23")
    with live_app.app_context():
        assert db.session.scalar(sa.select(Organization.id).where(Organization.name == ORGANIZATION)) is None
    html = page.locator("html")
    header = page.locator("header.site-header")

    # The forum page, in the browser's language; she switches the site to Kazakh and stays there.
    page.goto(f"/forums/{DEMO_SLUG}")
    expect(html).to_have_attribute("lang", "ru")
    header.locator("form.lang-switch").get_by_role("button", name="KK", exact=True).click()
    expect(page).to_have_url(f"{live_server}/forums/{DEMO_SLUG}")
    expect(html).to_have_attribute("lang", "kk")
    expect(page.locator("main h1")).to_have_text(forum_title_kk)

    # Register.
    page.locator(f'main a[href="/forums/{DEMO_SLUG}/register"]').click()
    expect(page).to_have_url(f"{live_server}/forums/{DEMO_SLUG}/register")
    expect(html).to_have_attribute("lang", "kk")
    form = page.locator('main form[method="post"]')
    expect(form.locator("#language")).to_have_value("kk")  # letters and badge in the language she reads
    form.locator("#full_name").fill(FULL_NAME)
    form.locator("#email").fill(EMAIL)
    form.locator("#phone").fill(PHONE)
    form.locator("#organization_name").fill(ORGANIZATION)
    form.locator("#position").fill(POSITION)
    form.locator("#sector").select_option(value="ngo")
    form.locator("#region_id").select_option(value=str(atyrau_region))
    form.locator('input[name="participation"][value="in_person"]').check()
    form.locator("#accessibility_needs").fill(ACCESSIBILITY)
    form.locator("#consent").check()
    form.locator("#submit").click()

    # "My forum": confirmed at once, with her name as typed and the badge to download.
    expect(page).to_have_url(f"{live_server}/forums/{DEMO_SLUG}/me")
    expect(html).to_have_attribute("lang", "kk")
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("main .badge-confirmed")).to_be_visible()
    expect(page.locator("main dl.facts dd").first).to_have_text(FULL_NAME)
    expect(page.locator("main dl.facts")).to_contain_text(ORGANIZATION)

    badge_link = page.locator(f'main a[href="/forums/{DEMO_SLUG}/me/badge.pdf"]')
    with page.expect_download() as download_info:
        badge_link.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf")
    badge_path = tmp_path / download.suggested_filename
    download.save_as(badge_path)
    pdf = badge_path.read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:40]

    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert _squeezed(FULL_NAME) in _squeezed(text), text
    assert _squeezed(forum_title_kk) in _squeezed(text), text  # the badge speaks Kazakh too

    # The database holds her registration as typed, with her new organization.
    with live_app.app_context():
        delegate = db.session.scalar(sa.select(Delegate).where(Delegate.forum_id == forum_id,
                                                               Delegate.email == EMAIL))
        assert delegate is not None
        assert delegate.full_name == FULL_NAME
        assert delegate.status == DelegateStatus.confirmed
        assert delegate.sector == Sector.ngo
        assert delegate.language == "kk"
        assert delegate.participation == Participation.in_person
        assert delegate.region_id == atyrau_region
        assert delegate.position == POSITION
        assert delegate.accessibility_needs == ACCESSIBILITY
        assert delegate.consent_given_at is not None
        assert delegate.organization is not None and delegate.organization.name == ORGANIZATION
        assert delegate.organization.sector == Sector.ngo
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                                 .where(CheckIn.delegate_id == delegate.id)) == 0
        delegate_id = delegate.id
        expected_token = badge_token(delegate)

    # The QR code on the PDF holds her badge token.
    codes = _qr_codes(pdf)
    assert codes == [expected_token], codes
    token = codes[0]
    assert re.fullmatch(rf"{delegate_id}-{forum_id}\.[A-Za-z0-9_-]+", token), token

    # --- The check-in desk, in another browser: Дәурен logs in and opens the desk.
    door = new_chromium_page()
    door.goto(f"/auth/login?next=/forums/{DEMO_SLUG}/checkin")
    login_form = door.locator('main form[method="post"]')
    login_form.locator("#email").fill(CHECKIN_EMAIL)
    login_form.locator("#password").fill(CHECKIN_PASSWORD)
    login_form.locator("#submit").click()
    desk_url = f"{live_server}/forums/{DEMO_SLUG}/checkin"
    expect(door).to_have_url(desk_url)
    expect(door.locator("#desk")).to_be_visible()
    arrived_before = int(door.locator("#count-total").inner_text())

    result = door.locator("#result")
    expect(result).to_have_attribute("aria-live", "assertive")
    expect(result.locator(".door-result")).to_have_count(0)

    # First scan: welcome. The answer comes into the live region; the page does not reload.
    _scan(door, token)
    welcome = result.locator(".door-result")
    expect(welcome).to_have_attribute("data-result", "checked_in")
    expect(welcome).to_have_class(re.compile(r"\bis-ok\b"))
    expect(welcome.locator(".door-name")).to_have_text(FULL_NAME)
    expect(welcome.locator(".door-org")).to_contain_text(ORGANIZATION)
    expect(welcome.locator(".door-needs")).to_contain_text(ACCESSIBILITY)
    expect(welcome.locator("button.door-undo")).to_be_visible()
    expect(door).to_have_url(desk_url)
    expect(door.locator("#scan-token")).to_have_value("")  # ready for the next badge
    expect(door.locator("#count-total")).to_have_text(str(arrived_before + 1))
    expect(door.locator("#recent-list li")).to_have_count(1)

    # Second scan of the same badge: already checked in, at what time and by whom.
    _scan(door, token)
    again = result.locator(".door-result")
    expect(again).to_have_attribute("data-result", "already_checked_in")
    expect(again).to_have_class(re.compile(r"\bis-already\b"))
    expect(again.locator(".door-name")).to_have_text(FULL_NAME)
    expect(again.locator(".door-when")).to_be_visible()
    expect(again.locator("button.door-undo")).to_have_count(0)
    expect(door.locator("#recent-list li")).to_have_count(2)
    expect(door).to_have_url(desk_url)

    # Exactly one check-in, by the desk's user, from a scan.
    with live_app.app_context():
        checkins = db.session.scalars(sa.select(CheckIn).where(CheckIn.delegate_id == delegate_id)).all()
        assert len(checkins) == 1
        assert checkins[0].forum_id == forum_id
        assert checkins[0].by_user_id == find_user(CHECKIN_EMAIL).id
        assert checkins[0].method == "scan"
    expect(door.locator("#count-total")).to_have_text(str(arrived_before + 1))
