"""A project at the social ideas fair, from the NGO's form to a funded card (issue 5), in a real browser.

Гүлнар, the chair of the deaf society's branch (a confirmed NGO delegate of the demo forum),
submits a sign-language course for parents of deaf children, with its description as a PDF.
It waits for review and is not in the public catalogue yet.

Әсел, the organizer, approves it on the fair's management page. Дмитрий, the director of
ТОО «АқсайГазСервис» (a business delegate), finds it in the catalogue and pledges 600 000 ₸.
Гүлнар confirms the pledge; the catalogue card now shows the project 40 % funded.

Each person has a browser of their own. Elements are found by id, name and href, never by
visible text (the text is translated); the titles typed into the form are checked as text.
"""
import io
import re

import pytest
import sqlalchemy as sa
from reportlab.pdfgen import canvas

from app.demo import DEMO_SLUG
from app.extensions import db
from app.models import FairProject, Pledge, PledgeStatus, ProjectStatus, Region
from tests.helpers.browser import LOGINS, log_in

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

TITLE_KK = "Ата-аналарға арналған ым тілі курсы: Ақсай, Бөрлі ауданы"
TITLE_RU = "Курс жестового языка для родителей глухих детей"
SUMMARY_RU = "Двенадцать недель занятий для 40 семей: родители учатся говорить со своими детьми."
BUDGET = 1_500_000
PLEDGE = 600_000


def _description_pdf() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, "Sign language course: plan and budget")
    sheet.save()
    return buffer.getvalue()


def _region_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Region.id).where(Region.code == code))


def test_ngo_submits_organizer_approves_business_pledges_and_ngo_confirms(
        live_app, live_server, chromium_page, new_chromium_page, tmp_path):
    fair = f"/forums/{DEMO_SLUG}/fair"

    # Гүлнар submits the project, with its plan as a PDF.
    ngo = chromium_page
    log_in(ngo, *LOGINS["ngo"])
    ngo.goto(f"{fair}/projects/new")
    form = ngo.locator("main form.fair-form")
    form.locator("#title_kk").fill(TITLE_KK)
    form.locator("#title_ru").fill(TITLE_RU)
    form.locator("#summary_ru").fill(SUMMARY_RU)
    form.locator("#category").select_option(value="inclusion")
    form.locator("#region_id").select_option(value=str(_region_id(live_app, "KZ-27")))
    form.locator("#settlement").fill("Ақсай")
    form.locator("#beneficiaries_count").fill("40")
    form.locator("#duration_months").fill("3")
    form.locator("#budget_kzt").fill("1 500 000")
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(_description_pdf())
    form.locator("#files").set_input_files(str(plan))
    form.locator('button[type="submit"]').click()

    expect(ngo).to_have_url(re.compile(rf"{fair}/projects/\d+$"))
    project_id = int(ngo.url.rsplit("/", 1)[1])
    expect(ngo.locator("#project-title")).to_have_text(TITLE_KK)
    expect(ngo.locator(f'a[href^="{fair}/projects/{project_id}/attachments/"]')).to_have_count(1)
    with live_app.app_context():
        project = db.session.get(FairProject, project_id)
        assert project.status == ProjectStatus.submitted
        assert project.budget_kzt == BUDGET
        assert [a.filename for a in project.attachments] == ["plan.pdf"]

    # Not in the public catalogue while it waits for review.
    business = new_chromium_page()
    business.goto(f"{fair}?q=жестового")
    expect(business.locator(f'main a[href="{fair}/projects/{project_id}"]')).to_have_count(0)

    # Әсел approves it.
    organizer = new_chromium_page()
    log_in(organizer, *LOGINS["organizer"])
    organizer.goto(f"{fair}/manage/projects/{project_id}")
    organizer.locator('button[name="action"][value="approve"]').click()
    expect(organizer).to_have_url(re.compile(rf"{fair}/manage/projects/{project_id}$"))
    with live_app.app_context():
        assert db.session.get(FairProject, project_id).status == ProjectStatus.approved

    # Дмитрий finds it in the catalogue and pledges 600 000 ₸.
    log_in(business, *LOGINS["business"])
    business.goto(f"{fair}?q=жестового")
    business.locator(f'main a[href="{fair}/projects/{project_id}"]').first.click()
    expect(business).to_have_url(f"{live_server}{fair}/projects/{project_id}")
    pledge_form = business.locator("#pledge form")
    pledge_form.locator("#amount_kzt").fill("600 000")
    pledge_form.locator("#comment").fill("Оплатим аренду зала и работу сурдопереводчика.")
    pledge_form.locator('button[type="submit"]').click()
    expect(business).to_have_url(f"{live_server}{fair}/projects/{project_id}")
    with live_app.app_context():
        pledge = db.session.scalar(sa.select(Pledge).where(Pledge.project_id == project_id))
        assert pledge.status == PledgeStatus.pending
        assert pledge.amount_kzt == PLEDGE
        pledge_id = pledge.id

    # Гүлнар sees the pledge waiting on her project's page and confirms it.
    ngo.goto(f"{fair}/projects/{project_id}")
    decision = ngo.locator(f'form[action="{fair}/projects/{project_id}/pledges/{pledge_id}/confirm"]')
    decision.locator("textarea").fill("Спасибо! Свяжемся на этой неделе.")
    decision.locator("button.button-primary").click()
    expect(ngo).to_have_url(re.compile(rf"{fair}/projects/{project_id}"))
    expect(ngo.locator(f'form[action="{fair}/projects/{project_id}/pledges/{pledge_id}/confirm"]')).to_have_count(0)
    with live_app.app_context():
        assert db.session.get(Pledge, pledge_id).status == PledgeStatus.confirmed
        assert db.session.get(FairProject, project_id).confirmed_kzt == PLEDGE

    # Anyone now sees the card 40 % funded in the catalogue.
    visitor = new_chromium_page(locale="kk-KZ")
    visitor.goto(f"{fair}?q=жестового")
    card = visitor.locator("main li.fair-card").filter(
        has=visitor.locator(f'a[href="{fair}/projects/{project_id}"]'))
    expect(card).to_have_count(1)
    expect(card.locator("progress.fair-progress")).to_have_attribute("value", "40")
