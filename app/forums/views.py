from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import acting_user, forum_role_required, roles_required
from app.extensions import db
from app.forums import bp, services
from app.forums.forms import ForumForm, HallForm
from app.models import ForumRole, ForumStatus, GlobalRole, Hall


def _form_error(form, exc: services.ForumError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "error")


def _forum_data(form: ForumForm, tz_name: str) -> dict:
    data = {name: form[name].data for name in services.FORUM_FIELDS}
    for key in ("registration_opens_at", "registration_closes_at"):
        data[key] = services.local_to_utc(data[key], form.timezone.data or tz_name)
    return data


def _status(form) -> int:
    return 422 if form.errors else 200


@bp.route("/<slug>")
def show(slug: str):
    forum = services.get_forum(slug) or abort(404)
    user = acting_user()
    may_manage = user is not None and user.has_forum_role(forum, ForumRole.organizer)
    if forum.status == ForumStatus.draft and not may_manage:
        abort(404)
    g.forum = forum
    return render_template("forums/show.html", forum=forum, may_manage=may_manage)


@bp.route("/manage")
@roles_required(GlobalRole.organizer)
def manage():
    return render_template("forums/manage.html", forums=services.forums_run_by(acting_user()))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(GlobalRole.organizer)
def create():
    form = ForumForm()
    if form.validate_on_submit():
        try:
            forum = services.create_forum(acting_user(), _forum_data(form, form.timezone.data))
        except services.ForumError as exc:
            _form_error(form, exc)
        else:
            flash(_("The forum has been created. Add its halls, then publish it."), "success")
            return redirect(url_for("forums.edit", slug=forum.slug))
    return render_template("forums/form.html", form=form, forum=None), _status(form)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def edit(forum):
    form = ForumForm(obj=forum)
    if request.method == "GET":
        form.registration_opens_at.data = services.utc_to_local(forum.registration_opens_at, forum.timezone)
        form.registration_closes_at.data = services.utc_to_local(forum.registration_closes_at, forum.timezone)
    if form.validate_on_submit():
        try:
            services.update_forum(forum, _forum_data(form, forum.timezone))
        except services.ForumError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            flash(_("The forum has been saved."), "success")
            return redirect(url_for("forums.edit", slug=forum.slug))
    return render_template("forums/form.html", form=form, forum=forum, hall_form=HallForm()), _status(form)


@bp.route("/<slug>/status", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def change_status(forum):
    try:
        status = ForumStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    try:
        services.set_status(forum, status)
    except services.ForumError as exc:
        flash(exc.message, "error")
    else:
        messages = {
            ForumStatus.published: _("The forum is published."),
            ForumStatus.draft: _("The forum is back in draft and hidden from the public."),
            ForumStatus.closed: _("The forum is closed."),
        }
        flash(messages[status], "success")
    return redirect(url_for("forums.edit", slug=forum.slug))


@bp.route("/<slug>/halls", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def add_hall(forum):
    form = HallForm()
    if form.validate_on_submit():
        try:
            services.add_hall(forum, {name: form[name].data for name in services.HALL_FIELDS})
        except services.ForumError as exc:
            _form_error(form, exc)
        else:
            flash(_("The hall has been added."), "success")
            return redirect(url_for("forums.edit", slug=forum.slug) + "#halls")
    return render_template("forums/form.html", form=ForumForm(obj=forum), forum=forum,
                           hall_form=form), _status(form)


def _hall_of(forum, hall_id: int) -> Hall:
    hall = db.session.get(Hall, hall_id)
    if hall is None or hall.forum_id != forum.id:
        abort(404)
    return hall


@bp.route("/<slug>/halls/<int:hall_id>", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def edit_hall(forum, hall_id: int):
    hall = _hall_of(forum, hall_id)
    form = HallForm(obj=hall)
    if form.validate_on_submit():
        try:
            services.update_hall(hall, {name: form[name].data for name in services.HALL_FIELDS})
        except services.ForumError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            flash(_("The hall has been saved."), "success")
            return redirect(url_for("forums.edit", slug=forum.slug) + "#halls")
    return render_template("forums/hall.html", form=form, forum=forum, hall=hall), _status(form)


@bp.route("/<slug>/halls/<int:hall_id>/delete", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def delete_hall(forum, hall_id: int):
    services.delete_hall(_hall_of(forum, hall_id))
    flash(_("The hall has been removed."), "success")
    return redirect(url_for("forums.edit", slug=forum.slug) + "#halls")
