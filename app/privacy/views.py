"""A delegate's personal data: the copy and the erasure, for the delegate and for the forum's organizers.

    GET      /forums/<slug>/me/personal-data.json                 the delegate: my data (signed in, or this browser
                                                                  registered, or came by the "my forum" link)
    GET/POST /forums/<slug>/me/erase                              the delegate: confirm, then erase my data
    GET      /forums/<slug>/delegates/<id>/personal-data.json     organizers (and admins): one delegate's data
    GET/POST /forums/<slug>/delegates/<id>/erase                  organizers (and admins): erase on request

The rules (what is exported, what erasure changes and keeps, and why signed memoranda keep names) are in
app/privacy/services.py.
"""
import json

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.auth.access import acting_user, forum_role_required
from app.models import Delegate, Forum, ForumRole
from app.privacy import bp, services
from app.privacy.forms import EraseForm
from app.registration.views import SESSION_KEY, _own_registration, _public_forum


def _json_download(delegate: Delegate) -> Response:
    body = json.dumps(services.personal_data(delegate), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="personal-data-{delegate.forum.slug}-{delegate.id}.json"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _mine(slug: str) -> tuple[Forum, Delegate]:
    """The forum and the visitor's own registration in it; strangers are sent to log in, others get a 404."""
    forum = _public_forum(slug)
    delegate = _own_registration(forum)
    if delegate is None:
        if acting_user() is None:
            flash(_("Log in, or use the link in your registration letter, to see your registration."), "info")
            abort(redirect(url_for("auth.login", next=request.path)))
        abort(404)
    return forum, delegate


def _erase_page(forum: Forum, delegate: Delegate, form: EraseForm, *, organizer: bool, status: int = 200):
    action = (url_for("privacy.delegate_erase", slug=forum.slug, delegate_id=delegate.id) if organizer
              else url_for("privacy.my_erase", slug=forum.slug))
    back = (url_for("registration.manage_edit", slug=forum.slug, delegate_id=delegate.id) if organizer
            else url_for("registration.my_forum", slug=forum.slug))
    export = (url_for("privacy.delegate_data", slug=forum.slug, delegate_id=delegate.id) if organizer
              else url_for("privacy.my_data", slug=forum.slug))
    return render_template("privacy/erase.html", forum=forum, delegate=delegate, form=form, organizer=organizer,
                           kept=services.kept_memoranda(delegate), action=action, back=back, export=export), status


# ---------------------------------------------------------------- the delegate


@bp.route("/forums/<slug>/me/personal-data.json")
def my_data(slug: str):
    forum, delegate = _mine(slug)
    services.record_export(delegate, acting_user(), by="delegate")
    return _json_download(delegate)


@bp.route("/forums/<slug>/me/erase", methods=["GET", "POST"])
def my_erase(slug: str):
    forum, delegate = _mine(slug)
    form = EraseForm()
    if form.validate_on_submit():
        services.erase(delegate, acting_user(), by="delegate")
        session[SESSION_KEY] = [i for i in session.get(SESSION_KEY, []) if i != delegate.id]
        flash(_("Your personal data for this forum has been erased. Your badge is no longer valid."), "success")
        return redirect(url_for("forums.show", slug=forum.slug))
    return _erase_page(forum, delegate, form, organizer=False, status=422 if form.errors else 200)


# ---------------------------------------------------------------- the forum's organizers


def _delegate_of(forum: Forum, delegate_id: int) -> Delegate:
    return services.delegate_for_organizer(forum, delegate_id) or abort(404)


@bp.route("/forums/<slug>/delegates/<int:delegate_id>/personal-data.json")
@forum_role_required(ForumRole.organizer)
def delegate_data(forum: Forum, delegate_id: int):
    delegate = _delegate_of(forum, delegate_id)
    services.record_export(delegate, acting_user(), by="organizer")
    return _json_download(delegate)


@bp.route("/forums/<slug>/delegates/<int:delegate_id>/erase", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def delegate_erase(forum: Forum, delegate_id: int):
    delegate = _delegate_of(forum, delegate_id)
    back = url_for("registration.manage_edit", slug=forum.slug, delegate_id=delegate.id)
    if delegate.is_erased:
        flash(_("This delegate's personal data has already been erased."), "info")
        return redirect(back)
    form = EraseForm()
    if form.validate_on_submit():
        services.erase(delegate, acting_user(), by="organizer")
        flash(_("The delegate's personal data has been erased; the registration stays in the forum's figures."),
              "success")
        return redirect(back)
    return _erase_page(forum, delegate, form, organizer=True, status=422 if form.errors else 200)
