"""Attachments: PDFs and images only, checked by their contents, never bigger than allowed."""
import hashlib
import io
import random

import pytest
import sqlalchemy as sa
from PIL import Image

from app.extensions import db
from app.fair import services as fair
from app.fair.services import FairError
from app.models import AuditEvent, ProjectAttachment
from tests.factories import make_fair_delegate, make_forum, make_organizer, make_project

LIMIT = 4096
NOISE = random.Random(2017).randbytes  # the same "random" bytes every run


@pytest.fixture
def config():
    """A small limit, so "too big" needs only a few kilobytes."""
    return {"FAIR_ATTACHMENT_MAX_BYTES": LIMIT, "FAIR_MAX_ATTACHMENTS": 3}


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo")


@pytest.fixture
def project(forum, ngo):
    return make_project(forum, ngo, status="submitted")


def pdf_bytes(pad: int = 0) -> bytes:
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" + b"%" + b"x" * pad + b"\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")
    return body


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 60)).save(buffer, format=kind)
    return buffer.getvalue()


def refused(code, status, call, *args, **kwargs) -> FairError:
    with pytest.raises(FairError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.message
    return caught.value


@pytest.mark.parametrize("filename, data, content_type", [
    ("Жоба сипаттамасы.pdf", pdf_bytes(), "application/pdf"),
    ("смета.PDF", pdf_bytes(), "application/pdf"),
    ("фото.png", image_bytes("PNG"), "image/png"),
    ("фото.jpg", image_bytes("JPEG"), "image/jpeg"),
    ("фото.jpeg", image_bytes("JPEG"), "image/jpeg"),
])
def test_pdfs_and_images_are_kept_with_their_checksum(project, ngo, filename, data, content_type):
    attachment = fair.add_attachment(project, ngo.user, filename, data)
    assert (attachment.filename, attachment.content_type, attachment.size) == (filename, content_type, len(data))
    assert attachment.sha256 == hashlib.sha256(data).hexdigest() and attachment.uploaded_by_id == ngo.user_id
    db.session.expire_all()
    assert db.session.get(ProjectAttachment, attachment.id).data == data
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "project.file_added"))
    assert event.actor_id == ngo.user_id and event.details == {"filename": filename, "size": len(data)}


@pytest.mark.parametrize("filename, data", [
    ("бюджет.docx", b"PK\x03\x04" + NOISE(200)),
    ("run.exe", b"MZ" + NOISE(200)),
    ("notes.txt", "Жоба туралы".encode()),
    ("no-extension", pdf_bytes()),
    ("vector.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
])
def test_other_types_are_refused(project, ngo, count, filename, data):
    error = refused("unsupported_type", 415, fair.add_attachment, project, ngo.user, filename, data)
    assert error.field == "file"
    assert count(ProjectAttachment) == 0


@pytest.mark.parametrize("filename, data", [
    ("certificate.pdf", image_bytes("PNG")),          # a PNG pretending to be a PDF
    ("photo.png", NOISE(1000)),                   # random bytes named .png
    ("photo.jpg", image_bytes("PNG")),                 # a PNG named .jpg
    ("scan.png", pdf_bytes()),                         # a PDF named .png
    ("report.pdf", pdf_bytes()[:-7]),                  # a truncated PDF: no %%EOF
    ("photo.png", image_bytes("PNG")[:40]),            # a PNG cut short: the header alone
    ("photo.jpg", b"\xff\xd8\xff\xe0" + NOISE(500)),  # a JPEG signature on garbage
])
def test_files_that_lie_about_their_type_are_refused_and_nothing_is_stored(project, ngo, count, filename, data):
    error = refused("type_mismatch", 415, fair.add_attachment, project, ngo.user, filename, data)
    assert error.field == "file"
    assert count(ProjectAttachment) == 0
    assert count(AuditEvent, AuditEvent.action == "project.file_added") == 0


def test_too_big_or_empty_files_are_refused(project, ngo, count):
    assert len(pdf_bytes(LIMIT)) > LIMIT
    refused("too_large", 413, fair.add_attachment, project, ngo.user, "big.pdf", pdf_bytes(LIMIT))
    refused("empty_file", 422, fair.add_attachment, project, ngo.user, "empty.pdf", b"")
    assert count(ProjectAttachment) == 0
    exactly = pdf_bytes(LIMIT - len(pdf_bytes()))
    assert len(exactly) == LIMIT and fair.add_attachment(project, ngo.user, "exact.pdf", exactly).size == LIMIT


def test_at_most_a_few_files(project, ngo, count):
    for n in range(3):
        fair.add_attachment(project, ngo.user, f"file{n}.pdf", pdf_bytes())
    refused("too_many_files", 409, fair.add_attachment, project, ngo.user, "one-more.pdf", pdf_bytes())
    assert count(ProjectAttachment) == 3


def test_a_path_in_the_name_is_dropped(project, ngo):
    attachment = fair.add_attachment(project, ngo.user, "..\\..//etc/passwd.pdf", pdf_bytes())
    assert attachment.filename == "passwd.pdf"


def test_only_the_owner_while_the_project_is_under_review(forum, project, ngo, count):
    colleague = make_fair_delegate(forum, sector="ngo", organization=ngo.organization)
    refused("forbidden", 403, fair.add_attachment, project, colleague.user, "a.pdf", pdf_bytes())
    refused("forbidden", 403, fair.add_attachment, project, make_organizer(forum), "a.pdf", pdf_bytes())
    attachment = fair.add_attachment(project, ngo.user, "a.pdf", pdf_bytes())
    refused("forbidden", 403, fair.remove_attachment, attachment, colleague.user)

    approved = make_project(forum, ngo)
    refused("not_editable", 409, fair.add_attachment, approved, ngo.user, "late.pdf", pdf_bytes())
    fair.review(project, make_organizer(forum), "approve")
    refused("not_editable", 409, fair.remove_attachment, attachment, ngo.user)
    assert count(ProjectAttachment) == 1


def test_the_owner_removes_a_file_and_it_is_recorded(project, ngo, count):
    attachment = fair.add_attachment(project, ngo.user, "old.pdf", pdf_bytes())
    fair.remove_attachment(attachment, ngo.user)
    assert count(ProjectAttachment) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "project.file_removed"))
    assert event.actor_id == ngo.user_id and event.details["filename"] == "old.pdf"
