"""The check-in desk at the entrance: scan a badge, find a delegate by name, undo, count.

Every page works without JavaScript (plain forms). The desk's script asks for JSON instead
(`Accept: application/json`), and gets an answer for every scan outcome with HTTP 200.
"""
from functools import wraps

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.auth.access import acting_user, forum_role_required
from app.checkin import bp, services
from app.checkin.forms import badge_code
from app.checkin.payloads import delegate_public, scan_payload
from app.errors import handle_http_exception, json_error, page_texts
from app.extensions import db
from app.i18n import delegate_status_label, sector_label
from app.models import Delegate, DelegateStatus, ForumRole
from app.ratelimits import checkin_rate_limit

JSON_ONLY = {"checkin.search", "checkin.counts"}
ID_SLOT = 2147483647  # stands for the id in URL patterns handed to the script


def wants_json() -> bool:
    if request.endpoint in JSON_ONLY:
        return True
    return (request.accept_mimetypes.best == "application/json"
            or request.headers.get("X-Requested-With") == "XMLHttpRequest")


def door_staff(view):
    """Check-in staff or organizers of the forum in the URL (global check-in staff and admins pass too).

    The desk's script gets a JSON 401 when the session has ended, not a redirect to the login page.
    """
    guarded = forum_role_required(ForumRole.checkin, ForumRole.organizer)(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if acting_user() is None and wants_json():
            return json_error(401, _("Your session has ended. Reload the page and log in again."))
        return guarded(*args, **kwargs)

    return wrapped


@bp.errorhandler(HTTPException)
def _error(error: HTTPException):
    """JSON errors for the desk's script (403, 404, an expired CSRF token); pages otherwise."""
    if not wants_json():
        return handle_http_exception(error)
    status = error.code or 500
    message = page_texts().get(status, (None, error.description))[1]
    if isinstance(error, CSRFError):
        message = _("The page has expired. Reload it and try again.")
    return json_error(status, message)


@bp.after_request
def _no_store(response):
    # Names on a shared laptop at the door: never from the browser's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


# -- helpers -------------------------------------------------------------------------------------------------

def counts_payload(forum) -> dict:
    c = services.counts(forum)
    return {
        "checked_in": c.checked_in,
        "expected": c.expected,
        "by_sector": {sector: {"checked_in": arrived, "expected": expected, "label": sector_label(sector)}
                      for sector, (arrived, expected) in c.by_sector.items()},
    }


def match_payload(delegate: Delegate) -> dict:
    checkin = delegate.checkin
    return {
        "id": delegate.id,
        "full_name": delegate.full_name,
        "organization": delegate.organization_name,
        "sector_label": sector_label(delegate.sector),
        "status": delegate.status.value,
        "status_label": delegate_status_label(delegate.status),
        "checked_in_at_local": format_time(checkin.checked_in_at, "HH:mm") if checkin else None,
        "may_check_in": delegate.status == DelegateStatus.confirmed and checkin is None,
    }


def _url_pattern(endpoint: str, forum, **ids) -> str:
    """A URL with `{id}` where the number goes, for the page's script."""
    return url_for(endpoint, slug=forum.slug, **{key: ID_SLOT for key in ids}).replace(str(ID_SLOT), "{id}")


def _desk(forum, *, result: dict | None = None, q: str = ""):
    q = q.strip()
    matches = [match_payload(d) for d in services.search(forum, q)] if q else []
    return render_template(
        "checkin/desk.html", forum=forum, result=result, q=q, matches=matches, counts=counts_payload(forum),
        undo_url=_url_pattern("checkin.undo", forum, checkin_id=True),
        manual_url=_url_pattern("checkin.manual", forum, delegate_id=True),
    )


def _answer(forum, result: services.ScanResult):
    payload = scan_payload(result)
    if wants_json():
        return jsonify(payload)
    return _desk(forum, result=payload, q=request.form.get("q", ""))


# -- views ---------------------------------------------------------------------------------------------------

@bp.route("/forums/<slug>/checkin")
@door_staff
def desk(forum):
    return _desk(forum, q=request.args.get("q", ""))


@bp.route("/forums/<slug>/checkin/scan", methods=["POST"])
@checkin_rate_limit
@door_staff
def scan(forum):
    token = badge_code(request.form.get("token"))
    return _answer(forum, services.scan(token, acting_user(), forum=forum))


@bp.route("/forums/<slug>/checkin/manual/<int:delegate_id>", methods=["POST"])
@checkin_rate_limit
@door_staff
def manual(forum, delegate_id: int):
    delegate = db.session.get(Delegate, delegate_id)
    if delegate is None or delegate.forum_id != forum.id:
        abort(404)
    return _answer(forum, services.check_in_delegate(delegate, acting_user(), method="manual"))


@bp.route("/forums/<slug>/checkin/<int:checkin_id>/undo", methods=["POST"])
@door_staff
def undo(forum, checkin_id: int):
    checkin = services.find_checkin(forum, checkin_id) or abort(404)
    delegate = services.undo(checkin, acting_user())
    message = _("Check-in of %(name)s undone.", name=delegate.full_name)
    if wants_json():
        return jsonify({"undone": True, "message": message, "delegate": delegate_public(delegate)})
    flash(message, "success")
    return redirect(url_for("checkin.desk", slug=forum.slug))


@bp.route("/forums/<slug>/checkin/search")
@door_staff
def search(forum):
    return jsonify([match_payload(d) for d in services.search(forum, request.args.get("q", ""))])


@bp.route("/forums/<slug>/checkin/counts")
@door_staff
def counts(forum):
    return jsonify(counts_payload(forum))
