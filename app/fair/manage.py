"""The organizer's side of the fair: review list, totals, exports, and one project's page with its actions.

Thin views: read the form, call `services`, then redirect (done) or show the page again with the
service's message next to its field and the service's status (nothing changed).
"""
from collections import defaultdict

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from app.auth.access import acting_user, forum_role_required
from app.extensions import db
from app.fair import bp, exports, services
from app.fair.history import history_details, history_label
from app.fair.manage_forms import BoothForm, ConfirmForm, ReviewForm, WinnerForm
from app.i18n import current_language
from app.models import FairProject, Forum, ForumRole, ProjectStatus, search_key, utcnow

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 100
SHOWN_FIELDS = ("comment", "booth")  # fields with a place for their error on the page

REVIEW_DONE = {
    "approve": _l("The project is approved and appears in the fair's catalogue."),
    "return": _l("The project is returned to the NGO with your comment."),
    "reject": _l("The project is rejected."),
}


# ---------------------------------------------------------------- helpers


def project_of(forum: Forum, project_id: int) -> FairProject:
    """The project if it belongs to this forum; otherwise 404 (ids of other forums lead nowhere)."""
    project = services.get_project(project_id)
    if project is None or project.forum_id != forum.id:
        abort(404)
    return project


def _url(endpoint: str, **values) -> str | None:
    """A link to another helper's page, or None while that page does not exist (never a dead link or a 500)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _matches(project: FairProject, words: list[str]) -> bool:
    haystack = search_key(project.title_kk, project.title_ru,
                          project.organization.name if project.organization else None)
    return all(word in haystack for word in words)


def _page_number() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        return 1
    return page if 1 <= page <= 100_000 else 1


def _filtered(forum: Forum) -> tuple[list[FairProject], str | None, str]:
    status = request.args.get("status") or None
    status = status if status in ProjectStatus.__members__ else None
    q = (request.args.get("q") or "").strip()[:100]
    projects = services.projects_for_review(forum, status)
    words = search_key(q).split()[:5]
    if words:
        projects = [p for p in projects if _matches(p, words)]
    return projects, status, q


def _render_project(forum: Forum, project: FairProject, status: int = 200, *, review: ReviewForm | None = None,
                    booth: BoothForm | None = None, error: str | None = None):
    pledges = services.pledges_of(project, acting_user())
    attachments = [(a, _url("fair.attachment", slug=forum.slug, project_id=project.id, attachment_id=a.id))
                   for a in project.attachments]
    public_url = _url("fair.project", slug=forum.slug, project_id=project.id) \
        if project.status in services.PUBLIC_STATES else None
    return render_template(
        "fair/manage_project.html", forum=forum, project=project, pledges=pledges, attachments=attachments,
        history=services.history(project), pledges_by_id={p.id: p for p in pledges},
        history_label=history_label, history_details=history_details, public_url=public_url,
        review_form=review or ReviewForm(formdata=None),
        booth_form=booth or BoothForm(formdata=None, data={"booth": project.booth}),
        winner_form=WinnerForm(formdata=None), memorandum_form=ConfirmForm(formdata=None),
        can_review=project.status == ProjectStatus.submitted,
        is_public=project.status in services.PUBLIC_STATES,
        can_sign=project.status in (ProjectStatus.supported, ProjectStatus.funded),
        error=error), status


def _failed(forum: Forum, project: FairProject, exc: services.FairError, **forms):
    """Undo whatever the request began and show the page again with the service's message."""
    db.session.rollback()
    for form in forms.values():
        field = getattr(form, exc.field, None) if exc.field in SHOWN_FIELDS else None
        if field is not None:
            field.errors = list(field.errors) + [exc.message]
            return _render_project(forum, project, exc.status, **forms)
    return _render_project(forum, project, exc.status, error=exc.message, **forms)


def _back(forum: Forum, project: FairProject):
    return redirect(url_for("fair.manage_project", slug=forum.slug, project_id=project.id))


# ---------------------------------------------------------------- the list, totals and files


@bp.route("/forums/<slug>/fair/manage")
@forum_role_required(ForumRole.organizer)
def manage(forum: Forum):
    projects, status, q = _filtered(forum)
    page = _page_number()
    pages = max(1, -(-len(projects) // PER_PAGE))
    page = min(page, pages)
    totals = services.totals(forum)
    args = {key: value for key, value in (("status", status), ("q", q)) if value}
    return render_template(
        "fair/manage.html", forum=forum, projects=projects[(page - 1) * PER_PAGE: page * PER_PAGE],
        total=len(projects), page=page, pages=pages, status=status, q=q, args=args, totals=totals,
        all_count=sum(totals.by_status.values()), statuses=[s.value for s in ProjectStatus],
        catalogue_url=_url("fair.catalogue", slug=forum.slug))


@bp.route("/forums/<slug>/fair/manage/totals")
@forum_role_required(ForumRole.organizer)
def manage_totals(forum: Forum):
    projects = [p for p in services.projects_for_review(forum) if p.status in services.PUBLIC_STATES]
    projects.sort(key=lambda p: (-p.covered_kzt, -p.pending_kzt, p.title))
    pending_by_region: dict[int | None, int] = defaultdict(int)
    for project in projects:
        pending_by_region[project.region_id] += project.pending_kzt
    regions = [dict(row, pending_kzt=pending_by_region.get(row["region"].id, 0))
               for row in services.totals_by_region(forum) if row["projects"]]
    businesses = services.totals_by_business(forum)
    return render_template(
        "fair/manage_totals.html", forum=forum, totals=services.totals(forum), projects=projects,
        regions=regions, businesses=businesses,
        project_sums={key: sum(getattr(p, key) for p in projects)
                      for key in ("budget_kzt", "confirmed_kzt", "confirmed_in_kind_kzt", "pending_kzt")},
        business_sums={key: sum(b[key] for b in businesses)
                       for key in ("confirmed_kzt", "in_kind_kzt", "pending_kzt", "pledges")})


@bp.route("/forums/<slug>/fair/manage/export/<any(projects, pledges):kind>.<any(csv, xlsx):fmt>")
@forum_role_required(ForumRole.organizer)
def manage_export(forum: Forum, kind: str, fmt: str):
    """Projects (with the list's filters) or every pledge of the fair, as CSV or XLSX."""
    items = _filtered(forum)[0] if kind == "projects" else exports.forum_pledges(forum)
    language = current_language()
    if fmt == "csv":
        response = Response(exports.to_csv(kind, items, forum, language), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = Response(exports.to_xlsx(kind, items, forum, language), mimetype=XLSX_MIMETYPE)
    stamp = utcnow().astimezone(forum.tzinfo).strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = f'attachment; filename="fair-{kind}-{forum.slug}-{stamp}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"  # contacts and money: no copies in caches
    return response


# ---------------------------------------------------------------- one project


@bp.route("/forums/<slug>/fair/manage/projects/<int:project_id>")
@forum_role_required(ForumRole.organizer)
def manage_project(forum: Forum, project_id: int):
    return _render_project(forum, project_of(forum, project_id))


@bp.route("/forums/<slug>/fair/manage/projects/<int:project_id>/review", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def manage_review(forum: Forum, project_id: int):
    project = project_of(forum, project_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_project(forum, project, 422, review=form)
    action = form.action.data or ""
    try:
        services.review(project, acting_user(), action, form.comment.data)
    except services.FairError as exc:
        return _failed(forum, project, exc, review=form)
    flash(str(REVIEW_DONE[action]), "success")
    return _back(forum, project)


@bp.route("/forums/<slug>/fair/manage/projects/<int:project_id>/booth", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def manage_booth(forum: Forum, project_id: int):
    project = project_of(forum, project_id)
    form = BoothForm()
    if not form.validate_on_submit():
        return _render_project(forum, project, 422, booth=form)
    try:
        services.assign_booth(project, acting_user(), form.booth.data)
    except services.FairError as exc:
        return _failed(forum, project, exc, booth=form)
    if project.booth:
        flash(_("Booth %(booth)s is given to this project.", booth=project.booth), "success")
    else:
        flash(_("The project no longer has a booth."), "success")
    return _back(forum, project)


@bp.route("/forums/<slug>/fair/manage/projects/<int:project_id>/winner", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def manage_winner(forum: Forum, project_id: int):
    project = project_of(forum, project_id)
    form = WinnerForm()
    if not form.validate_on_submit():
        return _render_project(forum, project, 400, error=_("The form has expired. Please try again."))
    winner = form.winner.data == "1"
    try:
        services.set_winner(project, acting_user(), winner)
    except services.FairError as exc:
        return _failed(forum, project, exc)
    flash(_("The project is marked a winner of the fair.") if winner else _("The project is no longer a winner."),
          "success")
    return _back(forum, project)


@bp.route("/forums/<slug>/fair/manage/projects/<int:project_id>/memorandum", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def manage_memorandum(forum: Forum, project_id: int):
    project = project_of(forum, project_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render_project(forum, project, 400, error=_("The form has expired. Please try again."))
    try:
        services.mark_memorandum_signed(project, acting_user())
    except services.FairError as exc:
        return _failed(forum, project, exc)
    flash(_("Recorded: the memorandum for this project is signed."), "success")
    return _back(forum, project)
