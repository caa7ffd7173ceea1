"""The organizer's side of the fair in the browser: review, booths, winners, memorandum, history, totals, exports."""
import csv
import io
import re
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.fair import services as fair
from app.i18n import format_kzt
from app.models import AuditEvent, FairProject, GlobalRole, Pledge, PledgeStatus, ProjectStatus
from tests.factories import (make_fair_delegate, make_forum, make_organization, make_organizer, make_pledge,
                             make_project, make_user, region)

KAZAKH_TITLE = "Саңырау жастарды жұмыспен қамту"
KAZAKH_NGO = "Атырау облыстық саңыраулар қоғамы"
KAZAKH_BUSINESS = "«Газсервис Атырау» ЖШС"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum, full_name="Айгүл Ұйымдастырушы")


@pytest.fixture
def as_organizer(organizer, login):
    return login(organizer)


def url(project, tail=""):
    return f"/forums/{project.forum.slug}/fair/manage/projects/{project.id}{tail}"


def text(response) -> str:
    return response.get_data(as_text=True)


def events(project, action):
    from app.extensions import db

    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.subject_type == "fairproject", AuditEvent.subject_id == project.id, AuditEvent.action == action)))


# --- the review list -------------------------------------------------------------------------------

def test_review_list_filters_by_status_and_searches_title_and_organization(client, forum, as_organizer):
    ngo = make_fair_delegate(forum, organization=make_organization(KAZAKH_NGO))
    waiting = make_project(forum, ngo, status="submitted", title=KAZAKH_TITLE)
    approved = make_project(forum, status="approved", title="Экологиялық мектеп")
    returned = make_project(forum, status="returned", title="Кітапхана")
    elsewhere = make_project(make_forum(), status="submitted", title="Басқа форумның жобасы")

    def listed(**args):
        response = client.get("/forums/asar/fair/manage", query_string=args)
        assert response.status_code == 200
        return {int(i) for i in re.findall(r"/fair/manage/projects/(\d+)\"", text(response))}

    assert listed() == {waiting.id, approved.id, returned.id}
    assert elsewhere.id not in listed()
    assert listed(status="submitted") == {waiting.id}
    assert listed(status="approved") == {approved.id}
    assert listed(status="nonsense") == {waiting.id, approved.id, returned.id}  # ignored, no 500
    assert listed(q="САҢЫРАУ ЖАСТАР") == {waiting.id}                        # title, any case
    assert listed(q="саңыраулар қоғамы") == {waiting.id}                     # organization
    assert listed(q="мектеп", status="submitted") == set()

    page = text(client.get("/forums/asar/fair/manage"))
    assert "Projects: 3" in page  # this forum only
    chip = re.search(r'status=submitted"[^>]*>\s*Under review <strong>(\d+)</strong>', page)
    assert chip and chip.group(1) == "1"
    assert format_kzt(2_000_000) in page and KAZAKH_NGO in page


# --- review transitions ----------------------------------------------------------------------------

def test_organizer_approves_and_the_history_names_them(client, forum, organizer, as_organizer, db):
    project = make_project(forum, status="submitted")
    response = client.post(url(project, "/review"), data={"action": "approve"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url(project))
    db.session.refresh(project)
    assert project.status == ProjectStatus.approved and project.approved_at is not None
    (event,) = events(project, "project.approved")
    assert event.actor_id == organizer.id

    event.at = datetime(2026, 12, 20, 4, 12, tzinfo=timezone.utc)
    db.session.commit()
    page = text(client.get(url(project)))
    history = page[page.index('id="history-heading"'):]
    row = re.search(r"<tr>.*?20 December 2026, 09:12.*?</tr>", history, re.S)  # UTC+5, the forum's clock
    assert row, history[:2000]
    assert "Айгүл Ұйымдастырушы" in row.group(0) and "Approved" in row.group(0)
    assert "Submitted for review" in history


def test_return_needs_a_comment_shown_next_to_the_field(client, forum, as_organizer, db):
    project = make_project(forum, status="submitted")
    response = client.post(url(project, "/review"), data={"action": "return", "comment": "   "})
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="comment-error">([^<]+)</p>', text(response))
    assert error and "Say what the NGO should change" in error.group(1)
    db.session.refresh(project)
    assert project.status == ProjectStatus.submitted and not events(project, "project.returned")

    response = client.post(url(project, "/review"), data={"action": "return", "comment": "Бюджетті нақтылаңыз"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.status == ProjectStatus.returned and project.review_comment == "Бюджетті нақтылаңыз"
    assert "Бюджетті нақтылаңыз" in text(client.get(url(project)))


def test_reject_with_or_without_a_comment(client, forum, as_organizer, db):
    plain, explained = make_project(forum, status="submitted"), make_project(forum, status="submitted")
    assert client.post(url(plain, "/review"), data={"action": "reject"}).status_code == 302
    assert client.post(url(explained, "/review"), data={"action": "reject", "comment": "Not social"}).status_code == 302
    db.session.refresh(plain), db.session.refresh(explained)
    assert plain.status == explained.status == ProjectStatus.rejected
    assert plain.review_comment is None and explained.review_comment == "Not social"


@pytest.mark.parametrize("status", ["approved", "returned", "rejected", "funded"])
def test_only_a_waiting_project_is_reviewed(client, forum, as_organizer, db, status):
    project = make_project(forum, status=status)
    for action in ("approve", "return", "reject"):
        response = client.post(url(project, "/review"), data={"action": action, "comment": "x"})
        assert response.status_code == 409
        assert "Only a project waiting for review can be approved, returned or rejected." in text(response)
    db.session.refresh(project)
    assert project.status == ProjectStatus(status)


def test_unknown_review_action_is_refused(client, forum, as_organizer, db):
    project = make_project(forum, status="submitted")
    response = client.post(url(project, "/review"), data={"action": "publish"})
    assert response.status_code == 422 and "Unknown action." in text(response)
    db.session.refresh(project)
    assert project.status == ProjectStatus.submitted


@pytest.mark.parametrize("who", ["ngo_owner", "business", "other_organizer", "checkin_staff"])
def test_only_the_forums_organizers_review(client, forum, login, db, who):
    owner = make_fair_delegate(forum, sector="ngo")
    project = make_project(forum, owner, status="submitted")
    if who == "ngo_owner":
        login(owner.user)
    elif who == "business":
        login(make_fair_delegate(forum, sector="business").user)
    elif who == "other_organizer":
        login(make_organizer(make_forum()))
    else:
        login(make_user(role=GlobalRole.checkin))
    for path, data in ((url(project, "/review"), {"action": "approve"}), (url(project, "/booth"), {"booth": "1"}),
                       (url(project, "/winner"), {"winner": "1"}), (url(project, "/memorandum"), {})):
        assert client.post(path, data=data).status_code == 403
    for path in ("/forums/asar/fair/manage", url(project), "/forums/asar/fair/manage/totals",
                 "/forums/asar/fair/manage/export/projects.csv"):
        assert client.get(path).status_code == 403
    db.session.refresh(project)
    assert project.status == ProjectStatus.submitted and project.booth is None and not project.is_winner


def test_strangers_are_sent_to_log_in(client, forum, db):
    project = make_project(forum, status="submitted")
    response = client.post(url(project, "/review"), data={"action": "approve"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert "/auth/login" in client.get("/forums/asar/fair/manage").headers["Location"]
    db.session.refresh(project)
    assert project.status == ProjectStatus.submitted


def test_admins_pass(client, forum, login, db):
    login(make_user(role=GlobalRole.admin))
    project = make_project(forum, status="submitted")
    assert client.get("/forums/asar/fair/manage").status_code == 200
    assert client.post(url(project, "/review"), data={"action": "approve"}).status_code == 302
    db.session.refresh(project)
    assert project.status == ProjectStatus.approved


def test_a_project_of_another_forum_is_not_found_under_this_slug(client, forum, as_organizer, db):
    foreign = make_project(make_forum(slug="other"), status="submitted")
    assert client.get(f"/forums/asar/fair/manage/projects/{foreign.id}").status_code == 404
    assert client.post(f"/forums/asar/fair/manage/projects/{foreign.id}/review",
                       data={"action": "approve"}).status_code == 404
    assert client.get("/forums/asar/fair/manage/projects/999999").status_code == 404
    assert client.get("/forums/nowhere/fair/manage").status_code == 404
    db.session.refresh(foreign)
    assert foreign.status == ProjectStatus.submitted


class TestCsrf:
    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_review_needs_the_token(self, client, browser, forum, organizer, db):
        project = make_project(forum, status="submitted")
        token = browser.csrf_token("/auth/login")
        client.post("/auth/login", data={"email": organizer.email, "password": "correct-horse-7",
                                         "csrf_token": token})
        assert client.post(url(project, "/review"), data={"action": "approve"}).status_code == 400
        db.session.refresh(project)
        assert project.status == ProjectStatus.submitted
        token = browser.csrf_token(url(project))
        assert client.post(url(project, "/review"), data={"action": "approve", "csrf_token": token}).status_code == 302
        db.session.refresh(project)
        assert project.status == ProjectStatus.approved


# --- booth, winner, memorandum ---------------------------------------------------------------------

def test_booths_are_unique_within_the_forum(client, forum, as_organizer, db):
    first, second = make_project(forum), make_project(forum)
    other_forum_project = make_project(make_forum(), booth="A-1")
    response = client.post(url(first, "/booth"), data={"booth": " A-1 "}, follow_redirects=True)
    assert "Booth A-1 is given to this project." in text(response)
    db.session.refresh(first)
    assert first.booth == "A-1" and first.status == ProjectStatus.presented  # another forum's A-1 does not count

    response = client.post(url(second, "/booth"), data={"booth": "A-1"})
    assert response.status_code == 409
    error = re.search(r'<p class="error" id="booth-error">([^<]+)</p>', text(response))
    assert error and "Booth A-1 is already given to another project." in error.group(1)
    db.session.refresh(second)
    assert second.booth is None and second.status == ProjectStatus.approved
    assert other_forum_project.booth == "A-1"

    assert client.post(url(first, "/booth"), data={"booth": ""}).status_code == 302  # taken away
    db.session.refresh(first)
    assert first.booth is None and first.status == ProjectStatus.approved
    assert client.post(url(second, "/booth"), data={"booth": "A-1"}).status_code == 302


def test_a_waiting_project_gets_no_booth(client, forum, as_organizer, db):
    project = make_project(forum, status="submitted")
    response = client.post(url(project, "/booth"), data={"booth": "B-2"})
    assert response.status_code == 409 and "Only an approved project gets a booth." in text(response)
    db.session.refresh(project)
    assert project.booth is None


def test_winner_on_and_off(client, forum, as_organizer, db):
    project = make_project(forum)
    assert client.post(url(project, "/winner"), data={"winner": "1"}).status_code == 302
    db.session.refresh(project)
    assert project.is_winner
    assert "Take the winner mark away" in text(client.get(url(project)))
    assert client.post(url(project, "/winner"), data={"winner": "0"}).status_code == 302
    db.session.refresh(project)
    assert not project.is_winner
    assert [e.action for e in events(project, "project.winner") + events(project, "project.winner_removed")] == [
        "project.winner", "project.winner_removed"]

    waiting = make_project(forum, status="submitted")
    response = client.post(url(waiting, "/winner"), data={"winner": "1"})
    assert response.status_code == 409 and "Only an approved project can win." in text(response)
    db.session.refresh(waiting)
    assert not waiting.is_winner


def test_memorandum_signed_only_after_support(client, forum, as_organizer, db):
    project = make_project(forum, budget=2_000_000)
    page = text(client.get(url(project)))
    assert "memo-heading" not in page  # no button while there is no support
    response = client.post(url(project, "/memorandum"))
    assert response.status_code == 409
    assert "A memorandum follows support: this project has no confirmed pledge yet." in text(response)
    db.session.refresh(project)
    assert project.status == ProjectStatus.approved

    make_pledge(project, amount=500_000, confirm=True)
    db.session.refresh(project)
    assert project.status == ProjectStatus.supported
    assert "memo-heading" in text(client.get(url(project)))
    assert client.post(url(project, "/memorandum")).status_code == 302
    db.session.refresh(project)
    assert project.status == ProjectStatus.memorandum_signed
    assert client.post(url(project, "/memorandum")).status_code == 409  # once is enough


# --- the project page -------------------------------------------------------------------------------

def test_the_project_page_shows_everything_an_organizer_needs(client, forum, as_organizer, db):
    ngo = make_fair_delegate(forum, organization=make_organization(KAZAKH_NGO))
    project = make_project(forum, ngo, status="submitted", title=KAZAKH_TITLE)
    project.contact_phone = "+7 701 123 45 67"
    project.description = "Толық сипаттама"
    db.session.commit()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    fair.add_attachment(project, ngo.user, "жоспар.pdf", pdf)
    fair.review(project, make_organizer(forum), "approve")
    business = make_fair_delegate(forum, sector="business", organization=make_organization(KAZAKH_BUSINESS))
    make_pledge(project, business, amount=300_000)
    make_pledge(project, amount=200_000, in_kind="Компьютерлер", in_kind_value=100_000, confirm=True)

    page = text(client.get(url(project)))
    for expected in (KAZAKH_TITLE, KAZAKH_NGO, "+7 701 123 45 67", ngo.email, "Толық сипаттама", "жоспар.pdf",
                     KAZAKH_BUSINESS, format_kzt(300_000), "Waiting for the NGO", "Confirmed", "Компьютерлер",
                     "Pledge made", "Pledge confirmed by the NGO"):
        assert expected in page, expected
    assert 'id="review-heading"' not in page  # approved: no review buttons any more
    if "fair.attachment" in client.application.view_functions:  # the public download, when it exists
        attachment = project.attachments[0]
        assert f'/fair/projects/{project.id}/attachments/{attachment.id}"' in page


# --- totals ----------------------------------------------------------------------------------------

def _row(page: str, table_id: str, name: str) -> str:
    table = page[page.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    match = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(name) + r".*?</tr>", table, re.S)
    assert match, f"{name} not in {table_id}"
    return match.group(0)


def test_totals_per_business_and_region_equal_direct_sums(client, forum, as_organizer, db):
    gas = make_organization(KAZAKH_BUSINESS, sector="business")
    bank = make_organization("Bank CenterCredit", sector="business")
    gas_rep = make_fair_delegate(forum, sector="business", organization=gas)
    bank_rep = make_fair_delegate(forum, sector="business", organization=bank)
    atyrau_1 = make_project(forum, region_code="KZ-23", budget=3_000_000, title="Атырау жастары")
    atyrau_2 = make_project(forum, region_code="KZ-23", budget=1_000_000)
    almaty = make_project(forum, region_code="KZ-75", budget=5_000_000)
    make_project(forum, region_code="KZ-75", status="submitted", budget=9_000_000)  # not in the catalogue
    make_pledge(atyrau_1, gas_rep, amount=1_500_000, confirm=True)
    make_pledge(atyrau_2, gas_rep, amount=250_000)                                   # pending
    make_pledge(almaty, gas_rep, in_kind="Жабдық", in_kind_value=400_000, confirm=True)
    make_pledge(almaty, bank_rep, amount=2_000_000, confirm=True)
    make_pledge(atyrau_1, bank_rep, amount=700_000)                                  # pending
    declined = make_pledge(atyrau_2, bank_rep, amount=999_999)
    fair.decline_pledge(declined, atyrau_2.delegate.user)

    pledges = db.session.scalars(sa.select(Pledge).where(Pledge.forum_id == forum.id)).all()

    def direct(org, status, attr="amount_kzt"):
        return sum(getattr(p, attr) or 0 for p in pledges if p.organization_id == org.id and p.status == status)

    page = text(client.get("/forums/asar/fair/manage/totals"))

    for org in (gas, bank):
        row = _row(page, "totals-business", org.name)
        for amount in (direct(org, PledgeStatus.confirmed), direct(org, PledgeStatus.confirmed, "in_kind_value_kzt"),
                       direct(org, PledgeStatus.pending)):
            assert format_kzt(amount) in row, (org.name, amount, row)
    assert "999 999" not in page  # a declined pledge counts nowhere

    projects = db.session.scalars(sa.select(FairProject).where(FairProject.forum_id == forum.id,
                                                               FairProject.status.in_(fair.PUBLIC_STATES))).all()
    for code in ("KZ-23", "KZ-75"):
        reg = region(code)
        mine = [p for p in projects if p.region_id == reg.id]
        row = _row(page, "totals-region", reg.name)
        for amount in (sum(p.budget_kzt for p in mine), sum(p.confirmed_kzt for p in mine),
                       sum(p.confirmed_in_kind_kzt for p in mine), sum(p.pending_kzt for p in mine)):
            assert format_kzt(amount) in row, (code, amount, row)
    assert format_kzt(4_000_000) in _row(page, "totals-region", region("KZ-23").name)
    assert format_kzt(950_000) in _row(page, "totals-region", region("KZ-23").name)    # 250 000 + 700 000 pending
    assert format_kzt(5_000_000) in _row(page, "totals-region", region("KZ-75").name)  # the submitted one left out
    assert region("KZ-11").name not in page[page.index('id="totals-region"'):page.index('id="project-totals-heading"')]
    row = _row(page, "totals-project", atyrau_1.title)
    assert format_kzt(1_500_000) in row and format_kzt(700_000) in row


# --- exports ---------------------------------------------------------------------------------------

def _kazakh_fair(forum):
    ngo = make_fair_delegate(forum, organization=make_organization(KAZAKH_NGO))
    project = make_project(forum, ngo, title=KAZAKH_TITLE, budget=2_000_000)
    sneaky = make_project(forum, title="=HYPERLINK(\"http://evil\")", budget=1_000_000)
    business = make_fair_delegate(forum, sector="business", organization=make_organization(KAZAKH_BUSINESS))
    make_pledge(project, business, amount=2_000_000, confirm=True)
    return project, sneaky


def test_project_and_pledge_exports_as_xlsx_keep_kazakh_letters(client, forum, as_organizer):
    project, sneaky = _kazakh_fair(forum)
    response = client.get("/forums/asar/fair/manage/export/projects.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="fair-projects-asar-')
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    by_id = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert by_id[project.id]["Title (Kazakh)"] == KAZAKH_TITLE
    assert by_id[project.id]["Organization"] == KAZAKH_NGO
    assert by_id[project.id]["Budget, ₸"] == 2_000_000 and by_id[project.id]["Confirmed money, ₸"] == 2_000_000
    assert by_id[project.id]["Status"] == "Funded"
    assert by_id[sneaky.id]["Title (Kazakh)"].startswith("'=")  # a formula made inert

    response = client.get("/forums/asar/fair/manage/export/pledges.xlsx")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    pledge = dict(zip(rows[0], rows[1]))
    assert len(rows) == 2 and pledge["Business"] == KAZAKH_BUSINESS and pledge["Project"].startswith(KAZAKH_TITLE)
    assert pledge["Money, ₸"] == 2_000_000 and pledge["Status"] == "Confirmed"


def test_exports_as_csv_are_utf8_with_bom_and_follow_the_filters(client, forum, as_organizer):
    project, sneaky = _kazakh_fair(forum)
    make_project(forum, status="submitted", title="Күтудегі жоба")
    response = client.get("/forums/asar/fair/manage/export/projects.csv", query_string={"status": "funded"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == [KAZAKH_TITLE]  # only the funded one
    all_rows = list(csv.reader(io.StringIO(
        client.get("/forums/asar/fair/manage/export/projects.csv").data.decode("utf-8-sig"))))
    titles = {row[1] for row in all_rows[1:]}
    assert {"Күтудегі жоба", KAZAKH_TITLE} <= titles and "'=HYPERLINK(\"http://evil\")" in titles

    pledges = client.get("/forums/asar/fair/manage/export/pledges.csv").data
    assert pledges.startswith(b"\xef\xbb\xbf") and KAZAKH_BUSINESS.encode() in pledges
    assert client.get("/forums/asar/fair/manage/export/pledges.pdf").status_code == 404
    assert client.get("/forums/asar/fair/manage/export/secrets.csv").status_code == 404
