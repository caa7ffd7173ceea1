"""Files through the browser: PDFs and images only, checked by content, size-limited; downloads follow visibility."""
import hashlib
import html
import io
import random
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from app.extensions import db as _db
from app.models import ProjectAttachment, ProjectStatus
from tests.factories import make_fair_delegate, make_forum, make_organizer, make_project

LIMIT = 8 * 1024
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def config():
    """Small limits, so "too big" takes kilobytes; the request limit just above one file, as in production."""
    return {"FAIR_ATTACHMENT_MAX_BYTES": LIMIT, "FAIR_MAX_ATTACHMENTS": 3, "MAX_CONTENT_LENGTH": 3 * LIMIT}


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo")


@pytest.fixture
def project(forum, ngo):
    return make_project(forum, ngo, status="submitted")


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


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, project, *files):
    return client.post(f"/forums/asar/fair/projects/{project.id}/attachments",
                       data={"files": [(io.BytesIO(data), name) for name, data in files]},
                       content_type="multipart/form-data")


def stored() -> list[ProjectAttachment]:
    return list(_db.session.scalars(sa.select(ProjectAttachment).order_by(ProjectAttachment.id)))


def file_error(response) -> str:
    match = re.search(r'<p class="error" id="files-error">([^<]*)</p>', response.get_data(as_text=True))
    return html.unescape(match.group(1)) if match else ""


def test_pdf_and_png_are_accepted(client, project, ngo, login):
    login(ngo.user)
    response = upload(client, project, ("Жоба жоспары.pdf", PDF), ("фото.PNG", png()))
    assert response.status_code == 302 and response.location.endswith(f"/projects/{project.id}#attachments")
    files = stored()
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("Жоба жоспары.pdf", "application/pdf", len(PDF)), ("фото.PNG", "image/png", len(png()))]
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()
    page = client.get(f"/forums/asar/fair/projects/{project.id}").get_data(as_text=True)
    assert "Жоба жоспары.pdf" in page and f"/attachments/{files[0].id}" in page


@pytest.mark.parametrize("name,data,status,message", [
    ("setup.exe", b"MZ\x90\x00\x03 a program", 415, "Only PDF files and images (PNG, JPEG, WebP) can be attached."),
    ("notes.txt", "Жай мәтін".encode(), 415, "Only PDF files and images (PNG, JPEG, WebP) can be attached."),
    ("plan.pdf", png(), 415, "The file's contents do not match its name: it is not really a PDF file."),
    ("photo.png", random.Random(5).randbytes(2000), 415,
     "The file's contents do not match its name: it is not really a PNG file."),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, 415, "The file is damaged or not really a PNG file."),
    ("big.pdf", PDF[:-7] + b"%" + b"x" * LIMIT + b"\n%%EOF\n", 413, "The file is too large"),
    ("empty.pdf", b"", 422, "The file is empty."),
])
def test_refused_files_leave_nothing(client, project, ngo, login, name, data, status, message):
    login(ngo.user)
    response = upload(client, project, (name, data))
    assert response.status_code == status
    assert file_error(response).startswith(f"{name}: {message}")
    assert stored() == []


def test_one_bad_file_refuses_the_others_too(client, project, ngo, login):
    login(ngo.user)
    response = upload(client, project, ("good.pdf", PDF), ("fake.pdf", png()))
    assert response.status_code == 415
    assert "good.pdf" not in file_error(response) and "fake.pdf:" in file_error(response)
    assert stored() == []


def test_at_most_so_many_files(client, project, ngo, login):
    login(ngo.user)
    assert upload(client, project, ("a.pdf", PDF), ("b.pdf", PDF)).status_code == 302
    response = upload(client, project, ("c.pdf", PDF), ("d.pdf", PDF))
    assert response.status_code == 409 and "at most 3 files" in file_error(response)
    assert len(stored()) == 2


def test_no_file_chosen(client, project, ngo, login):
    login(ngo.user)
    response = client.post(f"/forums/asar/fair/projects/{project.id}/attachments", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and file_error(response) == "Choose one or more files."


def test_a_request_over_the_limit_gets_the_friendly_page(client, project, ngo, login):
    login(ngo.user)
    response = upload(client, project, ("huge.pdf", b"%PDF-" + b"x" * (4 * LIMIT)))
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
    assert stored() == []


def test_only_the_owner_uploads_and_only_while_editable(client, forum, project, ngo, login, db):
    login(make_organizer(forum))
    assert upload(client, project, ("a.pdf", PDF)).status_code == 403
    login(make_fair_delegate(forum, sector="ngo").user)
    assert upload(client, project, ("a.pdf", PDF)).status_code == 404  # cannot even see it
    project.status = ProjectStatus.approved
    db.session.commit()
    login(ngo.user)
    response = upload(client, project, ("a.pdf", PDF))
    assert response.status_code == 409 and "can no longer be changed" in response.get_data(as_text=True)
    assert stored() == []


def test_download_headers(client, project, ngo, login):
    login(ngo.user)
    upload(client, project, ("Жоба жоспары.pdf", PDF))
    [attachment] = stored()
    response = client.get(f"/forums/asar/fair/projects/{project.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%D0%96%D0%BE%D0%B1%D0%B0%20%D0%B6%D0%BE%D1%81%D0%BF%D0%B0%D1%80%D1%8B.pdf" in disposition
    disposition.encode("latin-1")  # the header itself is plain ASCII


def test_downloads_follow_who_may_see_the_project(client, forum, project, ngo, login, db):
    login(ngo.user)
    upload(client, project, ("plan.pdf", PDF))
    [attachment] = stored()
    path = f"/forums/asar/fair/projects/{project.id}/attachments/{attachment.id}"
    assert client.get(path).status_code == 200
    login(make_organizer(forum))
    assert client.get(path).status_code == 200
    for user in (make_fair_delegate(forum, sector="business").user, make_fair_delegate(forum, sector="ngo").user):
        login(user)
        assert client.get(path).status_code == 404
    client.post("/auth/logout")
    assert client.get(path).status_code == 404
    project.status = ProjectStatus.approved  # public now: its files too
    db.session.commit()
    assert client.get(path).status_code == 200
    other = make_project(forum, status="approved")
    assert client.get(f"/forums/asar/fair/projects/{other.id}/attachments/{attachment.id}").status_code == 404
    assert client.get(f"/forums/asar/fair/projects/{project.id}/attachments/999").status_code == 404


def test_owner_removes_a_file_and_others_cannot(client, forum, project, ngo, login, db):
    login(ngo.user)
    upload(client, project, ("a.pdf", PDF), ("b.png", png()))
    first, second = stored()
    login(make_organizer(forum))
    path = f"/forums/asar/fair/projects/{project.id}/attachments/{first.id}/delete"
    assert client.post(path).status_code == 403
    other = make_project(forum, status="submitted", delegate=ngo)
    assert client.post(f"/forums/asar/fair/projects/{other.id}/attachments/{first.id}/delete").status_code == 404
    login(ngo.user)
    response = client.post(path)
    assert response.status_code == 302
    assert [a.filename for a in stored()] == ["b.png"]
    project.status = ProjectStatus.approved
    db.session.commit()
    response = client.post(f"/forums/asar/fair/projects/{project.id}/attachments/{second.id}/delete")
    assert response.status_code == 409 and len(stored()) == 1


def test_upload_form_offers_only_documents(client, forum, project, ngo, login):
    login(ngo.user)
    page = client.get(f"/forums/asar/fair/projects/{project.id}").get_data(as_text=True)
    form = re.search(r'<form method="post" enctype="multipart/form-data".*?</form>', page, re.S).group(0)
    assert 'name="files"' in form and "multiple" in form and 'accept=".pdf' in form
