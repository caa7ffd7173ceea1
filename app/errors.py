"""One way to answer errors: JSON of the contract's shape on the API, friendly pages elsewhere."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def page_texts() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please check what you entered and try again.")),
        401: (_("Please log in"), _("You need to log in to open this page.")),
        403: (_("Access denied"), _("You do not have permission to open this page.")),
        404: (_("Page not found"), _("The page you are looking for does not exist or has been moved.")),
        405: (_("Not allowed"), _("This action is not allowed here.")),
        413: (_("File too large"), _("The file you sent is too large.")),
        429: (_("Too many attempts"), _("You have made too many attempts. Please wait a minute and try again.")),
        500: (_("Something went wrong"), _("An unexpected error occurred on our side. It has been logged; please try again later.")),
        503: (_("Temporarily unavailable"), _("The service is temporarily unavailable. Please try again in a moment.")),
    }


def json_error(status: int, message: str, details: dict | None = None, code: str | None = None):
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def fail(status: int, message: str, code: str | None = None, **details):
    """Stop an API call with the contract's error body (a code of our own, details if any)."""
    from flask import abort

    try:
        abort(status)
    except HTTPException as exc:
        details = {key: value for key, value in details.items() if value is not None}
        exc.data = {"message": message, "code": code, "details": details or None}
        raise


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if wants_json():
        details = None
        data = getattr(error, "data", None) or {}
        message = data.get("message") or error.description or error.name
        if "messages" in data:  # webargs/flask-smorest validation failures
            details = data["messages"]
            message = _("Some fields are missing or invalid.")
        elif data.get("details"):
            details = data["details"]
        response = json_error(status, message, details, data.get("code"))
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="asar"'
        for key, value in (error.get_headers() if hasattr(error, "get_headers") else []):
            if key.lower() in ("retry-after", "allow"):
                response.headers[key] = value
        return response
    title, text = page_texts().get(status, (error.name, error.description))
    if isinstance(error, CSRFError):
        text = _("The form has expired or was sent from another page. Please reload the page and try again.")
    return render_template("errors/error.html", status=status, title=title, text=text), status


DATABASE_RETRY_AFTER = 5  # seconds: a PostgreSQL restart or failover takes about this long


def is_database_outage(error: Exception) -> bool:
    """The database could not be reached or dropped the connection: the request may be retried as is.

    A constraint violation or a bad query is a bug, not an outage; those stay 500s.
    """
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError))


def handle_database_outage(error: Exception):
    """503 with Retry-After while PostgreSQL restarts: the desk's scanner or the browser tries again, and
    nothing half-done was committed (the session is rolled back; the pool's pre-ping reconnects later)."""
    from flask import g

    from app.extensions import db, login_manager

    log.warning("database unavailable on %s %s: %s", request.method, request.path, error.__class__.__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool discards it
        log.debug("rollback after a lost connection failed", exc_info=True)
    # The error page must not ask the database again (who is signed in, what waits for signature).
    g._login_user = login_manager.anonymous_user()
    g.memoranda_waiting = 0
    status = 503
    if wants_json():
        response = json_error(status, _("The database is temporarily unavailable. Please retry in a few seconds."),
                              code="database_unavailable")
    else:
        title, text = page_texts()[status]
        response = render_template("errors/error.html", status=status, title=title, text=text), status
        from flask import make_response

        response = make_response(response)
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_unexpected(error: Exception):
    if is_database_outage(error):
        return handle_database_outage(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def register(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
