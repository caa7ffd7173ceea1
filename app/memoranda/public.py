"""The public side of memoranda: the forum's registry and the verification pages.

    GET      /forums/<slug>/memoranda          the registry of published memoranda, with filters and the counter
    GET/POST /verify/<public_id>               a memorandum's verification record (the PDF's QR code leads here);
                                               POST: is this file the genuine signed document?
    GET/POST /verify                           find a memorandum by its identifier (GET) or by a file (POST)

Nothing here needs an account. A draft's verification page says only that it is not signed yet; an unknown
identifier is a friendly 404. Uploaded files are hashed and compared, never kept.
"""
from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.access import acting_user
from app.forums.forms import region_choices
from app.i18n import SECTOR_LABELS
from app.memoranda import bp, services
from app.memoranda.forms import LEVEL_LABELS, CheckFileForm, LookupForm
from app.memoranda.signing import notice
from app.models import Memorandum, MemorandumStatus
from app.ratelimits import verify_upload_rate_limit
from app.registration.views import _public_forum

CHECK_MAX_BYTES = 5 * 1024 * 1024  # a sealed memorandum is far smaller; MEMORANDUM_CHECK_MAX_BYTES overrides


def utc_offset(forum) -> str:
    """"UTC+5" for the forum's time zone, to say which clock the signature times are on."""
    from app.models import utcnow

    offset = utcnow().astimezone(forum.tzinfo).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def read_upload() -> tuple[CheckFileForm | None, bytes | None, str | None, int]:
    """The uploaded file's bytes, or the message and status to answer with (empty, too large, expired form)."""
    try:
        form = CheckFileForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return None, None, _("The file is too large to be a memorandum of this site."), 413
    if not valid:
        if "csrf_token" in form.errors:
            return form, None, _("The form has expired. Please reload the page and try again."), 400
        return form, None, _("Choose the PDF file to check."), 422
    storage = form.file.data
    if storage is None or not getattr(storage, "filename", ""):
        return form, None, _("Choose the PDF file to check."), 422
    limit = current_app.config.get("MEMORANDUM_CHECK_MAX_BYTES", CHECK_MAX_BYTES)
    data = storage.read(limit + 1)
    if len(data) > limit:
        return form, None, _("The file is too large to be a memorandum of this site."), 413
    if not data:
        return form, None, _("The file is empty."), 422
    return form, data, None, 200


def _unknown():
    return notice(_("No such memorandum"),
                  _("No memorandum has this identifier. Check the code under the QR code, or find the memorandum "
                    "by its file."), 404, lookup=True)


# ---------------------------------------------------------------- one memorandum's verification


@bp.route("/verify/<public_id>", methods=["GET", "POST"])
@verify_upload_rate_limit
def verify(public_id: str):
    memorandum = services.by_public_id(public_id)
    if memorandum is None:
        return _unknown()
    g.forum = memorandum.forum  # signature times in the forum's time zone
    form, result, status = CheckFileForm(formdata=None), None, 200
    if request.method == "POST":
        posted, data, problem, status = read_upload()
        form = posted or form
        if problem is not None:
            form.file.errors = [problem]
        else:
            result = services.check_file(memorandum, data)
    signatures = services.signatures_shown(memorandum)
    return render_template("memoranda/verify.html", memorandum=memorandum, forum=memorandum.forum, form=form,
                           result=result, signatures=signatures, by_party={s.party_id: s for s in signatures},
                           offset=utc_offset(memorandum.forum), is_draft=memorandum.status == MemorandumStatus.draft,
                           sealed=memorandum.status in services.SIGNED and memorandum.sealed_sha256,
                           page_url=_page_url(memorandum)), status


def _page_url(memorandum: Memorandum) -> str | None:
    if not services.may_see(acting_user(), memorandum):
        return None
    return url_for("memoranda.show", slug=memorandum.forum.slug, memorandum_id=memorandum.id)


# ---------------------------------------------------------------- finding one


def public_id_of(typed: str) -> str:
    """What was typed or pasted: the code itself, or the whole verification link from the QR code."""
    typed = (typed or "").strip().rstrip("/")
    if "/" in typed:
        typed = typed.rsplit("/", 1)[1]
    return typed.split("?", 1)[0].replace(" ", "").replace("-", "")


@bp.route("/verify", methods=["GET", "POST"])
@verify_upload_rate_limit
def verify_lookup():
    lookup = LookupForm(formdata=request.args)
    form, found, status, searched = CheckFileForm(formdata=None), None, 200, False
    if request.method == "GET" and lookup.id.data:
        memorandum = services.by_public_id(public_id_of(lookup.id.data)) if lookup.validate() else None
        if memorandum is not None:
            return redirect(url_for("memoranda.verify", public_id=memorandum.public_id))
        lookup.id.errors = list(lookup.id.errors) + [_("No memorandum has this identifier.")]
        status = 404
    elif request.method == "POST":
        posted, data, problem, status = read_upload()
        form = posted or form
        if problem is not None:
            form.file.errors = [problem]
        else:
            found, searched = services.find_by_file(data), True
    return render_template("memoranda/verify_lookup.html", lookup=lookup, form=form, found=found,
                           searched=searched), status


# ---------------------------------------------------------------- the registry


@bp.route("/forums/<slug>/memoranda")
def registry(slug: str):
    forum = _public_forum(slug)
    query = services.RegistryQuery.from_args(request.args)
    memoranda = services.registry(forum, query)
    regions = [(int(value), name) for value, name in region_choices() if value]
    return render_template(
        "memoranda/registry.html", forum=forum, memoranda=memoranda, query=query,
        signed=services.signed_count(forum), regions=regions, levels=list(LEVEL_LABELS.items()),
        sectors=list(SECTOR_LABELS.items()), filtered=bool(query.level or query.sector or query.region_id),
        organizer=services.is_organizer(acting_user(), forum))
