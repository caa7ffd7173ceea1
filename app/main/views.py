from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.auth.services import set_language
from app.forums.services import published_forums
from app.main import bp
from app.urls import safe_next

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def home():
    return render_template("main/home.html", forums=published_forums())


@bp.route("/language", methods=["POST"])
def switch_language():
    """Remember the reader's language in the session, a cookie and (if logged in) the account."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated and current_user.language != lang:
        set_language(current_user, lang)
    response = redirect(safe_next(request.form.get("next")) or url_for("main.home"))
    response.set_cookie(current_app.config["LANGUAGE_COOKIE"], lang, max_age=ONE_YEAR,
                        samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}
