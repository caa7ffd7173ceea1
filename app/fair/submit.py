"""An NGO's project: submit it, edit it while under review, send it back after changes, attach files.

    GET/POST /forums/<slug>/fair/projects/new                                   confirmed NGO delegates
    GET/POST /forums/<slug>/fair/projects/<id>/edit                             the owner, while submitted/returned
    POST     /forums/<slug>/fair/projects/<id>/resubmit                         the owner, once returned
    POST     /forums/<slug>/fair/projects/<id>/attachments                      upload one or more files
    POST     /forums/<slug>/fair/projects/<id>/attachments/<aid>/delete         remove one
    GET      /forums/<slug>/fair/projects/<id>/attachments/<aid>                download (whoever may see the project)

Every file is checked (size, type by its content) before anything is written, so a refused file leaves
neither a half-made project nor some of the other files behind.
"""
from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.auth.access import acting_user
from app.extensions import db
from app.fair import bp, services
from app.fair.forms import ActionForm, AttachmentForm, ProjectForm
from app.fair.views import project_url, render_failure, render_project, to_login, visible_project
from app.models import ProjectAttachment
from app.registration.views import _public_forum


def _files(field) -> list[tuple[str, bytes]]:
    """The files chosen in a file input (an empty input sends one nameless part: skipped)."""
    result = []
    for storage in field.data or []:
        if storage is None or not getattr(storage, "filename", None):
            continue
        result.append((storage.filename, storage.read()))
    return result


def _check_files(field, files: list[tuple[str, bytes]], already: int) -> int | None:
    """Run the services' checks on each file; errors go under the field. Returns the worst status, or None."""
    status = None
    limit = current_app.config["FAIR_MAX_ATTACHMENTS"]
    if already + len(files) > limit:
        field.errors = list(field.errors) + [_("A project can have at most %(num)d files.", num=limit)]
        status = 409
    for name, data in files:
        try:
            services.check_attachment(name, data)
        except services.FairError as exc:
            field.errors = list(field.errors) + [f"{name}: {exc.message}"]
            status = max(status or 0, exc.status)
    return status


def _check_project(form: ProjectForm, files: list[tuple[str, bytes]], already: int = 0) -> int | None:
    """Everything wrong with the form, shown by each field at once: None when all is well, else the status."""
    status = None if form.validate_on_submit() else 422
    if "csrf_token" in form.errors:
        return 400
    try:
        services.clean_project(form.project_input())
    except services.FairError as exc:
        field = getattr(form, exc.field, None) if exc.field else None
        if field is not None and not field.errors:
            field.errors = list(field.errors) + [exc.message]
        status = status or exc.status
    files_status = _check_files(form.files, files, already)
    if files_status:
        status = files_status if status in (None, 422) else status
    return status


def _attach(project, user, files) -> None:
    for name, data in files:
        try:
            services.add_attachment(project, user, name, data)
        except services.FairError as exc:  # checked before; only a race could bring us here
            db.session.rollback()
            flash(f"{name}: {exc.message}", "error")


def _expired(forum, project):
    return render_project(forum, project, 400, error=_("The form has expired. Please reload the page and try again."))


def _not_allowed(forum, title: str, message: str, status: int, project=None):
    return render_template("fair/not_allowed.html", forum=forum, title=title, message=message, project=project,
                           delegate=services.delegate_of(acting_user(), forum)), status


@bp.route("/forums/<slug>/fair/projects/new", methods=["GET", "POST"])
def submit(slug: str):
    forum = _public_forum(slug)
    user = acting_user()
    if user is None:
        return to_login(request.path)
    if services.ngo_delegate(user, forum) is None:
        return _not_allowed(forum, _("Submit a project"),
                            _("Only confirmed NGO delegates of this forum can submit projects."), 403)
    form = ProjectForm()
    status = 200
    if request.method == "POST":
        files = _files(form.files)
        status = _check_project(form, files)
        if status is None:
            try:
                project = services.submit_project(forum, user, form.project_input())
            except services.FairError as exc:
                db.session.rollback()
                field = getattr(form, exc.field, None) if exc.field else None
                if field is not None:
                    field.errors = list(field.errors) + [exc.message]
                else:
                    flash(exc.message, "error")
                status = exc.status
            else:
                _attach(project, user, files)
                flash(_("Thank you! Your project is submitted. The organizers will review it; you will see their "
                        "answer here."), "success")
                return redirect(project_url(project))
    return render_template("fair/form.html", forum=forum, form=form, project=None), status


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit(slug: str, project_id: int):
    forum, project = visible_project(slug, project_id)
    user = acting_user()
    if user is None:
        return to_login(request.path)
    if not services.is_owner(user, project):
        return _not_allowed(forum, _("Edit the project"),
                            _("Only the NGO that submitted this project can change it."), 403, project)
    if project.status not in services.EDITABLE_STATES:
        return _not_allowed(forum, _("Edit the project"), _("An approved project can no longer be changed."), 409,
                            project)
    form = ProjectForm()
    status = 200
    if request.method == "GET":
        form.fill_from(project)
    else:
        files = _files(form.files)
        status = _check_project(form, files, already=len(project.attachments))
        if status is None:
            try:
                services.update_project(project, user, form.project_input())
            except services.FairError as exc:
                db.session.rollback()
                field = getattr(form, exc.field, None) if exc.field else None
                if field is not None:
                    field.errors = list(field.errors) + [exc.message]
                else:
                    flash(exc.message, "error")
                status = exc.status
            else:
                _attach(project, user, files)
                flash(_("Your changes are saved."), "success")
                return redirect(project_url(project))
    return render_template("fair/form.html", forum=forum, form=form, project=project,
                           delete_form=ActionForm(formdata=None)), status


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/resubmit", methods=["POST"])
def resubmit(slug: str, project_id: int):
    forum, project = visible_project(slug, project_id)
    user = acting_user()
    if user is None:
        return to_login(project_url(project))
    if not ActionForm().validate_on_submit():
        return _expired(forum, project)
    try:
        services.resubmit(project, user)
    except services.FairError as exc:
        db.session.rollback()
        return render_project(forum, project, exc.status, error=exc.message)
    flash(_("Your project is sent for review again."), "success")
    return redirect(project_url(project))


# ---------------------------------------------------------------- files


def _attachment_of(project, attachment_id: int) -> ProjectAttachment:
    attachment = db.session.get(ProjectAttachment, attachment_id)
    if attachment is None or attachment.project_id != project.id:
        abort(404)
    return attachment


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/attachments", methods=["POST"])
def upload(slug: str, project_id: int):
    forum, project = visible_project(slug, project_id)
    user = acting_user()
    if user is None:
        return to_login(project_url(project))
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _expired(forum, project)
    if not services.is_owner(user, project):
        abort(403)
    if project.status not in services.EDITABLE_STATES:
        return render_project(forum, project, 409, error=_("An approved project can no longer be changed."))
    files = _files(form.files)
    if not files:
        form.files.errors = [_("Choose one or more files.")]
        return render_project(forum, project, 422, upload_form=form)
    status = _check_files(form.files, files, len(project.attachments))
    if status:
        return render_project(forum, project, status, upload_form=form)
    for name, data in files:
        try:
            services.add_attachment(project, user, name, data)
        except services.FairError as exc:
            return render_failure(forum, project, exc, form, "upload_form")
    flash(_("%(num)d file(s) attached.", num=len(files)), "success")
    return redirect(project_url(project) + "#attachments")


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
def delete_attachment(slug: str, project_id: int, attachment_id: int):
    forum, project = visible_project(slug, project_id)
    attachment = _attachment_of(project, attachment_id)
    user = acting_user()
    if user is None:
        return to_login(project_url(project))
    if not ActionForm().validate_on_submit():
        return _expired(forum, project)
    name = attachment.filename
    try:
        services.remove_attachment(attachment, user)
    except services.FairError as exc:
        db.session.rollback()
        return render_project(forum, project, exc.status, error=exc.message)
    flash(_("The file %(name)s is removed.", name=name), "success")
    if request.form.get("next") == "edit":
        return redirect(url_for("fair.edit", slug=forum.slug, project_id=project.id))
    return redirect(project_url(project) + "#attachments")


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/attachments/<int:attachment_id>")
def attachment(slug: str, project_id: int, attachment_id: int):
    _forum, project = visible_project(slug, project_id)
    found = _attachment_of(project, attachment_id)
    # send_file writes Content-Disposition with an ASCII fallback and filename*=UTF-8'' (RFC 5987).
    response = send_file(BytesIO(found.data), mimetype=found.content_type, as_attachment=True,
                         download_name=found.filename, max_age=0, etag=found.sha256, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
