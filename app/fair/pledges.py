"""Pledges through the browser: a business offers support, the NGO confirms or declines, the business withdraws.

    POST /forums/<slug>/fair/projects/<id>/pledges                        make a pledge (business delegate)
    POST /forums/<slug>/fair/projects/<id>/pledges/<pledge_id>/confirm    the NGO accepts it (counts from now)
    POST /forums/<slug>/fair/projects/<id>/pledges/<pledge_id>/decline    the NGO declines it
    POST /forums/<slug>/fair/projects/<id>/pledges/<pledge_id>/withdraw   the business takes it back (while pending)

CSRF on each; who may do what is the services' rule (403/409 with its message, the project's page shown
again). A pledge of another project is a 404, as is a project the reader cannot see.
"""
from flask import abort, flash, redirect, request
from flask_babel import gettext as _

from app.auth.access import acting_user
from app.extensions import db
from app.fair import bp, services
from app.fair.forms import ActionForm, DecisionForm, PledgeForm
from app.fair.views import project_url, render_failure, render_project, to_login, visible_project
from app.models import Pledge
from app.urls import safe_next


def _pledge_of(project, pledge_id: int) -> Pledge:
    pledge = db.session.get(Pledge, pledge_id)
    if pledge is None or pledge.project_id != project.id:
        abort(404)
    return pledge


def _back(project):
    """Where the button was pressed ("My fair" sends `next`), else the project's page."""
    return redirect(safe_next(request.form.get("next")) or project_url(project))


def _expired(forum, project):
    return render_project(forum, project, 400, error=_("The form has expired. Please reload the page and try again."))


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/pledges", methods=["POST"])
def pledge(slug: str, project_id: int):
    forum, project = visible_project(slug, project_id)
    user = acting_user()
    if user is None:
        return to_login(project_url(project))
    form = PledgeForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return _expired(forum, project)
        return render_project(forum, project, 422, pledge_form=form)
    try:
        services.make_pledge(project, user, form.pledge_input())
    except services.FairError as exc:
        return render_failure(forum, project, exc, form, "pledge_form")
    flash(_("Thank you! Your pledge has been sent to the NGO. It counts toward the project once they confirm it."),
          "success")
    return redirect(project_url(project))


def _decide(slug: str, project_id: int, pledge_id: int, confirm: bool):
    forum, project = visible_project(slug, project_id)
    pledge = _pledge_of(project, pledge_id)
    user = acting_user()
    if user is None:
        return to_login(project_url(project))
    form = DecisionForm(prefix=f"p{pledge.id}")
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return _expired(forum, project)
        return render_project(forum, project, 422, decision_forms={pledge.id: form})
    try:
        if confirm:
            services.confirm_pledge(pledge, user, form.note.data)
        else:
            services.decline_pledge(pledge, user, form.note.data)
    except services.FairError as exc:
        db.session.rollback()
        return render_project(forum, project, exc.status, error=exc.message)
    if confirm:
        flash(_("The pledge is confirmed: it now counts toward the project's funding."), "success")
    else:
        flash(_("The pledge is declined."), "success")
    return _back(project)


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/pledges/<int:pledge_id>/confirm", methods=["POST"])
def confirm_pledge(slug: str, project_id: int, pledge_id: int):
    return _decide(slug, project_id, pledge_id, confirm=True)


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/pledges/<int:pledge_id>/decline", methods=["POST"])
def decline_pledge(slug: str, project_id: int, pledge_id: int):
    return _decide(slug, project_id, pledge_id, confirm=False)


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/pledges/<int:pledge_id>/withdraw", methods=["POST"])
def withdraw_pledge(slug: str, project_id: int, pledge_id: int):
    forum, project = visible_project(slug, project_id)
    pledge = _pledge_of(project, pledge_id)
    user = acting_user()
    if user is None:
        return to_login(project_url(project))
    if not ActionForm().validate_on_submit():
        return _expired(forum, project)
    try:
        services.withdraw_pledge(pledge, user)
    except services.FairError as exc:
        db.session.rollback()
        return render_project(forum, project, exc.status, error=exc.message)
    flash(_("Your pledge is withdrawn."), "success")
    return _back(project)
