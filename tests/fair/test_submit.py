"""An NGO submits and edits its project in the browser: errors by their fields, nothing saved when refused."""
import html
import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from app.models import FairProject, ProjectAttachment, ProjectStatus
from tests.factories import make_delegate, make_fair_delegate, make_forum, make_organizer, make_project, region

NEW = "/forums/asar/fair/projects/new"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo")


@pytest.fixture
def login(browser):
    def _login(user):
        browser.logout()
        response = browser.login(user.email)
        assert response.status_code == 302
        return user

    return _login


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("asar_lang", "en")


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def valid(**changes) -> dict:
    data = {
        "title_kk": "Саңырау жастарды жұмыспен қамту", "title_ru": "Трудоустройство глухой молодёжи",
        "summary_kk": "Ым тілі курстары және жұмыс орындары", "summary_ru": "Курсы и рабочие места",
        "description": "Толық сипаттама", "category": "inclusion", "region_id": str(region("KZ-23").id),
        "settlement": "Атырау", "beneficiaries": "Саңырау жастар", "beneficiaries_count": "1 200",
        "budget_kzt": "2 000 000", "budget_breakdown": "Жалақы, жабдық", "duration_months": "12",
        "contact_name": "Әлия Қасымова", "contact_phone": "+7 701 123 45 67", "contact_email": "aliya@example.kz",
    }
    data.update(changes)
    return data


def error_of(page: str, field: str) -> str | None:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


def projects(db) -> list[FairProject]:
    return list(db.session.scalars(sa.select(FairProject)))


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- who may submit ------------------------------------------------------------------------------------

def test_strangers_are_sent_to_log_in(client, forum):
    response = client.get(NEW)
    assert response.status_code == 302 and "/auth/login?next=/forums/asar/fair/projects/new" in response.location
    assert client.post(NEW, data=valid()).status_code == 302


@pytest.mark.parametrize("sector", ["business", "state", "media"])
def test_other_sectors_are_told_why_not(client, forum, login, db, sector):
    login(make_fair_delegate(forum, sector=sector).user)
    response = client.get(NEW)
    assert response.status_code == 403
    assert "Only confirmed NGO delegates of this forum can submit projects." in text(response)
    assert "businesses can support them from the catalogue" in text(response)
    assert client.post(NEW, data=valid()).status_code == 403
    assert projects(db) == []


def test_an_unconfirmed_ngo_waits(client, forum, login, db):
    delegate = make_delegate(forum, sector="ngo", confirmed=False)
    delegate.user.set_password("correct-horse-7")
    db.session.commit()
    login(delegate.user)
    response = client.get(NEW)
    assert response.status_code == 403 and "not confirmed yet" in text(response)


def test_a_draft_forum_takes_no_projects(client, forum, ngo, login, db):
    from app.models import ForumStatus

    forum.status = ForumStatus.draft
    db.session.commit()
    login(ngo.user)
    assert client.get(NEW).status_code == 404


# --- submitting -----------------------------------------------------------------------------------------

def test_ngo_submits_a_project_with_spaces_in_the_budget(client, forum, ngo, login, db):
    login(ngo.user)
    page = text(client.get(NEW))
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page
    assert ">Atyrau Region<" in page  # region names in the reader's language
    response = client.post(NEW, data=valid())
    assert response.status_code == 302
    [project] = projects(db)
    assert response.location == f"/forums/asar/fair/projects/{project.id}"
    assert project.status == ProjectStatus.submitted
    assert project.budget_kzt == 2_000_000 and isinstance(project.budget_kzt, int)
    assert project.beneficiaries_count == 1200 and project.duration_months == 12
    assert project.title_kk == "Саңырау жастарды жұмыспен қамту" and project.contact_name == "Әлия Қасымова"
    assert project.organization_id == ngo.organization_id and project.delegate_id == ngo.id
    page = text(client.get(response.location))
    assert "Under review" in page and "waiting for the organizers" in page


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(client, forum, ngo, login, db):
    login(ngo.user)
    response = client.post(NEW, data=valid(title_kk="", title_ru="  ", contact_email="not-an-email"))
    assert response.status_code == 422
    page = text(response)
    assert error_of(page, "title_ru") == "Give the project's title in Kazakh or Russian."
    assert error_of(page, "contact_email") == "Enter a valid email address."
    assert 'aria-invalid="true"' in page and "Please correct the fields marked below." in page
    assert 'value="Атырау"' in page  # what was typed stays in the form
    assert projects(db) == []


@pytest.mark.parametrize("field,value,message", [
    ("budget_kzt", "два миллиона", "The budget is a whole number of tenge, more than zero."),
    ("budget_kzt", "0", "The budget is a whole number of tenge, more than zero."),
    ("budget_kzt", "", "The budget is a whole number of tenge, more than zero."),
    ("budget_kzt", "1.5", "The budget is a whole number of tenge, more than zero."),
    ("category", "weapons", "Choose a category from the list."),
    ("region_id", "99999", "Choose a region from the list."),
    ("region_id", "", "Choose a region from the list."),
    ("duration_months", "500", "The duration is a whole number of months, from 1 to 120."),
    ("beneficiaries_count", "-4", "The number of beneficiaries is a whole number, zero or more."),
    ("summary_kk", "", None),  # one summary is enough
    ("title_kk", "Ж" * 301, "At most 300 characters."),
])
def test_each_rule_is_explained_by_its_field(client, forum, ngo, login, db, field, value, message):
    login(ngo.user)
    response = client.post(NEW, data=valid(**{field: value}))
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert error_of(text(response), field) == message
    assert projects(db) == []


def test_submitting_with_files_keeps_them(client, forum, ngo, login, db):
    login(ngo.user)
    data = valid(files=[(io.BytesIO(PDF), "Жоба жоспары.pdf"), (io.BytesIO(png()), "photo.png")])
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    [project] = projects(db)
    assert [(a.filename, a.content_type) for a in project.attachments] == [
        ("Жоба жоспары.pdf", "application/pdf"), ("photo.png", "image/png")]


def test_a_refused_file_refuses_the_whole_submission(client, forum, ngo, login, db):
    login(ngo.user)
    data = valid(files=[(io.BytesIO(PDF), "plan.pdf"), (io.BytesIO(b"MZ\x90\x00 program"), "setup.exe")])
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 415
    assert "setup.exe: Only PDF files and images (PNG, JPEG, WebP) can be attached." in error_of(text(response),
                                                                                               "files")
    assert projects(db) == [] and db.session.scalar(sa.select(sa.func.count(ProjectAttachment.id))) == 0


# --- editing --------------------------------------------------------------------------------------------

def test_owner_edits_while_under_review(client, forum, ngo, login, db):
    project = make_project(forum, ngo, status="submitted", budget=1_000_000)
    login(ngo.user)
    page = text(client.get(f"/forums/asar/fair/projects/{project.id}/edit"))
    assert 'value="1 000 000"' in page and 'value="Жастарды жұмыспен қамту"' in page
    response = client.post(f"/forums/asar/fair/projects/{project.id}/edit", data=valid(budget_kzt="1 750 000"))
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.budget_kzt == 1_750_000 and project.title_ru == "Трудоустройство глухой молодёжи"
    assert project.status == ProjectStatus.submitted


def test_a_bad_edit_changes_nothing(client, forum, ngo, login, db):
    project = make_project(forum, ngo, status="submitted", budget=1_000_000)
    login(ngo.user)
    response = client.post(f"/forums/asar/fair/projects/{project.id}/edit",
                           data=valid(budget_kzt="-5", title_kk="Жаңа атау"))
    assert response.status_code == 422
    assert error_of(text(response), "budget_kzt")
    db.session.refresh(project)
    assert project.budget_kzt == 1_000_000 and project.title_kk == "Жастарды жұмыспен қамту"


@pytest.mark.parametrize("status", ["approved", "presented", "supported", "rejected"])
def test_no_edits_once_decided(client, forum, ngo, login, db, status):
    project = make_project(forum, ngo, status=status)
    login(ngo.user)
    path = f"/forums/asar/fair/projects/{project.id}/edit"
    response = client.get(path)
    assert response.status_code == 409
    assert "An approved project can no longer be changed." in text(response)
    assert client.post(path, data=valid(title_kk="Өзгерген")).status_code == 409
    db.session.refresh(project)
    assert project.title_kk == "Жастарды жұмыспен қамту"
    assert "/edit" not in text(client.get(f"/forums/asar/fair/projects/{project.id}"))


def test_others_cannot_edit(client, forum, ngo, login, db):
    waiting = make_project(forum, ngo, status="submitted")
    public = make_project(forum, ngo, status="approved")
    login(make_fair_delegate(forum, sector="ngo").user)
    assert client.get(f"/forums/asar/fair/projects/{waiting.id}/edit").status_code == 404  # not even seen
    assert client.post(f"/forums/asar/fair/projects/{waiting.id}/edit", data=valid()).status_code == 404
    assert client.get(f"/forums/asar/fair/projects/{public.id}/edit").status_code == 403
    login(make_organizer(forum))
    assert client.post(f"/forums/asar/fair/projects/{waiting.id}/edit", data=valid()).status_code == 403
    db.session.refresh(waiting)
    assert waiting.title_ru == "Жастарды жұмыспен қамту (ru)"


def test_returned_project_is_edited_and_sent_again(client, forum, ngo, login, db):
    from app.fair import services as fair

    project = make_project(forum, ngo, status="submitted")
    fair.review(project, make_organizer(forum), "return", "Бюджетті нақтылаңыз")
    login(ngo.user)
    page = text(client.get(f"/forums/asar/fair/projects/{project.id}/edit"))
    assert "Бюджетті нақтылаңыз" in page
    assert client.post(f"/forums/asar/fair/projects/{project.id}/edit",
                       data=valid(budget_breakdown="Нақтыланған бюджет")).status_code == 302
    response = client.post(f"/forums/asar/fair/projects/{project.id}/resubmit")
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.status == ProjectStatus.submitted and project.budget_breakdown == "Нақтыланған бюджет"
    again = client.post(f"/forums/asar/fair/projects/{project.id}/resubmit")
    assert again.status_code == 409 and "Only a returned project can be sent for review again." in text(again)


def test_my_fair_lists_my_projects(client, forum, ngo, login):
    mine = make_project(forum, ngo, status="returned", title="Менің жобам")
    other = make_project(forum, title="Басқаның жобасы")
    login(ngo.user)
    page = text(client.get("/forums/asar/fair/mine"))
    assert "Менің жобам" in page and "Басқаның жобасы" not in page
    assert f'href="/forums/asar/fair/projects/{mine.id}"' in page and "Returned for changes" in page
    assert other.id != mine.id


def test_my_fair_needs_a_login(client, forum):
    response = client.get("/forums/asar/fair/mine")
    assert response.status_code == 302 and "/auth/login" in response.location
