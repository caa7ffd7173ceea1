"""Memoranda of cooperation on the API: the registry, one memorandum, its PDF, signing, and verification.

Thin as the pages are: find the memorandum (404 for whoever may not see it, so a draft's existence is
not revealed), then one service call; a MemorandumError becomes the contract's error body with its
status and code.
"""
import re
from datetime import timezone
from functools import wraps

from flask import current_app, request
from flask_smorest import Blueprint

from app.api import BEARER
from app.api.schemas import (ErrorSchema, FileCheckOut, MemorandumDetailOut, MemorandumOut, MemorandumRegistryArgs,
                             SignatureIn, SignedOut, VerificationOut)
from app.auth.access import acting_user
from app.errors import fail
from app.extensions import limiter
from app.forums.services import get_forum
from app.memoranda import documents
from app.memoranda import services as memoranda
from app.models import ForumStatus, Memorandum, MemorandumStatus
from app.pdf_response import pdf_response
from app.ratelimits import verify_upload_rate_limit

blp = Blueprint("api_memoranda", __name__, url_prefix="/api/v1",
                description="Memoranda of cooperation: the registry, the PDF, signing, verification")

MAX_ID = 2**31 - 1
PUBLIC_ID = re.compile(r"[A-Za-z0-9-]{1,20}")
SLUG = re.compile(r"[\w-]{1,100}")
PDF_RESPONSE = {"200": {"description": "The PDF: the sealed file once every party signed, otherwise a draft "
                                       "(watermarked)",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
UPLOAD_BODY = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
}}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]  # a password is typed: guessing it is slowed down as at login


def _visible(memorandum_id: int) -> Memorandum:
    """The memorandum if the caller may read it (organizers, its signatories; anyone once published)."""
    memorandum = memoranda.get(memorandum_id) if 0 < memorandum_id <= MAX_ID else None
    if memorandum is None or not memoranda.may_see(acting_user(), memorandum):
        fail(404, "No such memorandum.")
    return memorandum


def _signable_first(view):
    """401 without a token and 404 for a memorandum the caller cannot see, before the body is read."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if acting_user() is None:
            fail(401, "A valid bearer token is required.")
        _visible(kwargs["memorandum_id"])
        return view(*args, **kwargs)

    return wrapped


def _by_public_id(public_id: str) -> Memorandum:
    # Only letters, digits and hyphens are looked up: a NUL byte, say, would make PostgreSQL refuse the query.
    memorandum = memoranda.by_public_id(public_id) if PUBLIC_ID.fullmatch(public_id.strip()) else None
    if memorandum is None:
        fail(404, "No memorandum with this code.")
    return memorandum


# ---------------------------------------------------------------- the registry


@blp.route("/forums/<slug>/memoranda")
@blp.doc(security=[{}, *BEARER])
@blp.arguments(MemorandumRegistryArgs, location="query", as_kwargs=True)
@blp.response(200, MemorandumOut(many=True))
@blp.alt_response(404, schema=ErrorSchema, description="No such forum (or a draft one, to all but its organizers)")
def registry(slug: str, **_filters):
    """The forum's memoranda: published ones for anyone; every status for its organizers (filter with `status`).

    Filters `level`, `sector` (a party of that sector) and `region` (id) as on the registry page; anything
    unreadable is ignored.
    """
    forum = get_forum(slug) if SLUG.fullmatch(slug) else None
    organizer = forum is not None and memoranda.is_organizer(acting_user(), forum)
    if forum is None or (forum.status == ForumStatus.draft and not organizer):
        fail(404, "No such forum.")
    query = memoranda.RegistryQuery.from_args(request.args)
    if not organizer:
        return memoranda.registry(forum, query)
    status = request.args.get("status")
    status = MemorandumStatus(status) if status in MemorandumStatus.__members__ else None
    return memoranda.registry(forum, query, statuses=(status,) if status is not None else None)


# ---------------------------------------------------------------- one memorandum and its PDF


@blp.route("/memoranda/<int:memorandum_id>")
@blp.doc(security=[{}, *BEARER])
@blp.response(200, MemorandumDetailOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such memorandum, or not published and not yours")
def get_memorandum(memorandum_id: int):
    """The whole memorandum: texts in Kazakh and Russian, parties and their obligations, current signatures,
    the content hash and version. The forum's organizers and its signatories; anyone once published."""
    return _visible(memorandum_id)


@blp.route("/memoranda/<int:memorandum_id>.pdf")
@blp.doc(security=[{}, *BEARER], responses=PDF_RESPONSE)
@blp.alt_response(404, schema=ErrorSchema, description="No such memorandum, or not published and not yours")
def memorandum_pdf(memorandum_id: int):
    """The memorandum as PDF: its signatories and the forum's organizers; anyone once published.

    Once every party signed this is the sealed file (PAdES), byte for byte the one verification compares.
    """
    memorandum = _visible(memorandum_id)
    return pdf_response(documents.pdf_bytes(memorandum), documents.filename(memorandum))


# ---------------------------------------------------------------- signing


@blp.route("/memoranda/<int:memorandum_id>/signatures", methods=["POST"])
@limiter.limit(_login_limit)
@_signable_first
@blp.doc(security=BEARER)
@blp.arguments(SignatureIn)
@blp.response(201, SignedOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="`forbidden`: not this memorandum's invited signatory")
@blp.alt_response(404, schema=ErrorSchema, description="No such memorandum, or not published and not yours")
@blp.alt_response(409, schema=ErrorSchema, description=(
    "`already_signed`, `not_open` (a draft, signed or cancelled memorandum), `outdated` (the text changed since "
    "the `sha256` you read), `not_your_turn` (the parties sign in an agreed order)"))
@blp.alt_response(422, schema=ErrorSchema, description=(
    "`agree` not true, `full_name` not as in the invitation, or a wrong `password`; `details.field` names it"))
def sign(data: dict, memorandum_id: int):
    """The bound signatory signs for their party the version whose `sha256` they read.

    The same confirmation as the signing page: agreement, the full name as in the invitation, and the
    account's password. The last party's signature seals the PDF; the answer's `memorandum_status` is then
    `signed`.
    """
    memorandum = _visible(memorandum_id)
    try:
        return memoranda.sign(memorandum, acting_user(), agree=data["agree"] is True, full_name=data["full_name"],
                              password=data["password"], sha256=data["sha256"] or None, ip=request.remote_addr,
                              user_agent=request.user_agent.string)
    except memoranda.MemorandumError as exc:
        fail(exc.status, exc.message, exc.code if exc.code != "invalid" else None, field=exc.field)


# ---------------------------------------------------------------- verification


def _utc(moment) -> str | None:
    """ISO 8601 in UTC, e.g. 2026-05-12T09:41:07+00:00 (as everywhere on the API)."""
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


def verification(memorandum: Memorandum) -> dict:
    """The public verification record. A draft (or a memorandum cancelled before it was opened) has no frozen
    text: it says what it is and reveals nothing of its content."""
    record = {"public_id": memorandum.public_id, "number": memorandum.number, "status": memorandum.status.value,
              "signed": memorandum.status in memoranda.SIGNED, "forum": memorandum.forum.slug,
              "verify_url": documents.verify_url(memorandum), "title": None, "title_kk": None, "title_ru": None,
              "level": None, "city": None, "dated": None, "parties": [], "signatures": [], "version": None,
              "sha256": None, "pdf_sha256": None, "signed_at": None, "published_at": None,
              "cancelled_at": _utc(memorandum.cancelled_at)}
    if memorandum.sha256 is None:
        return record
    record.update(
        title=memorandum.tr("title"), title_kk=memorandum.title_kk, title_ru=memorandum.title_ru,
        level=memorandum.level.value, city=memorandum.city, dated=memorandum.dated.isoformat(),
        parties=[{"organization": p.organization.name, "sector": p.organization.sector.value,
                  "signatory": p.signatory_name, "position": p.signatory_position} for p in memorandum.parties],
        signatures=[{"id": s.public_id, "party": s.party.organization.name, "signatory": s.signer_name,
                     "signed_at": _utc(s.signed_at)} for s in memoranda.signatures_shown(memorandum)],
        version=memorandum.version, sha256=memorandum.sha256, pdf_sha256=memorandum.sealed_sha256,
        signed_at=_utc(memorandum.signed_at), published_at=_utc(memorandum.published_at))
    return record


@blp.route("/verify/<public_id>")
@blp.response(200, VerificationOut)
@blp.alt_response(404, schema=ErrorSchema, description="No memorandum with this code")
def verify(public_id: str):
    """A memorandum's verification record, for anyone holding its code (the QR code on every page):
    number, title, status, parties, who signed for which party and when, the content hash and the sealed
    file's hash."""
    return verification(_by_public_id(public_id))


def _uploaded_file() -> bytes:
    upload = request.files.get("file")
    if upload is not None:
        data = upload.read()
    elif request.mimetype in ("application/pdf", "application/octet-stream"):
        data = request.get_data(cache=False)
    else:
        fail(422, "Send the PDF as the multipart field `file`, or as an application/pdf body.", field="file")
    if not data:
        fail(422, "The file is empty.", field="file")
    return data


@blp.route("/verify/<public_id>/file", methods=["POST"])
@verify_upload_rate_limit
@blp.doc(requestBody=UPLOAD_BODY)
@blp.response(200, FileCheckOut)
@blp.alt_response(404, schema=ErrorSchema, description="No memorandum with this code")
@blp.alt_response(413, schema=ErrorSchema, description="Larger than the upload limit")
@blp.alt_response(422, schema=ErrorSchema, description="No file, or an empty one")
@blp.alt_response(429, schema=ErrorSchema, description="Too many uploads from this address (VERIFY_UPLOAD_RATE_LIMIT)")
def verify_file(public_id: str):
    """Is this file the memorandum's sealed PDF, unchanged? `genuine` only for exactly those bytes; any change
    (one byte) gives `different`; `not_signed` while the memorandum has no sealed PDF."""
    memorandum = _by_public_id(public_id)
    check = memoranda.check_file(memorandum, _uploaded_file())
    return {"result": check.result, "sha256": check.sha256, "number": memorandum.number,
            "status": memorandum.status.value}
