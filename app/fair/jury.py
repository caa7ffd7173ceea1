"""The fair's jury in the browser: organizers name jurors, see the ranking and mark the winners;
jurors score the approved projects (never one of their own organization) and see the others'
scores only after giving their own.
"""
from functools import wraps

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from app.auth.access import acting_user, forum_role_required, login_required
from app.extensions import db
from app.fair import bp, services
from app.fair.manage_forms import ConfirmForm, JurorForm, TopWinnersForm, WinnersForm, score_form, scores_of
from app.models import FairProject, Forum, ForumRole, Juror, JuryScore


def juror_required(view):
    """Load the forum by `slug` and the user's juror record in it: strangers log in, non-jurors get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, slug: str, **kwargs):
        forum = db.session.scalar(sa.select(Forum).where(Forum.slug == slug)) or abort(404)
        juror = services.juror_for(acting_user(), forum)
        if juror is None:
            abort(403)
        g.forum = forum  # times in the forum's time zone
        return view(*args, forum=forum, juror=juror, **kwargs)

    return wrapped


def _scored_counts(forum: Forum) -> dict[int, int]:
    """Juror id → how many projects they have scored."""
    return dict(db.session.execute(
        sa.select(JuryScore.juror_id, sa.func.count(sa.distinct(JuryScore.project_id)))
        .join(Juror, Juror.id == JuryScore.juror_id).where(Juror.forum_id == forum.id)
        .group_by(JuryScore.juror_id)).all())


def _scorable(forum: Forum, project_id: int) -> FairProject:
    """An approved project of this forum, or 404 (others' drafts and other forums' projects stay out of reach)."""
    project = db.session.scalar(sa.select(FairProject).where(FairProject.id == project_id)
                                .options(joinedload(FairProject.organization), joinedload(FairProject.delegate),
                                         joinedload(FairProject.region)))
    if project is None or project.forum_id != forum.id or project.status not in services.PUBLIC_STATES:
        abort(404)
    return project


def score_sheet(project: FairProject, criteria, me: Juror) -> dict:
    """Every juror's scores for one project, anonymised as "Juror 1, 2…" (in the order they were named),
    with the average per criterion. Only ever called once the reader may see them (services.scores_visible)."""
    by_juror: dict[int, dict] = {}
    for score in db.session.scalars(sa.select(JuryScore).where(JuryScore.project_id == project.id)
                                    .order_by(JuryScore.juror_id, JuryScore.criterion_id)):
        entry = by_juror.setdefault(score.juror_id, {"scores": {}, "comment": score.comment})
        entry["scores"][score.criterion_id] = score.score
    rows = []
    for number, juror_id in enumerate(sorted(by_juror), start=1):
        scores = by_juror[juror_id]["scores"]
        rows.append({"label": _("Juror %(num)d", num=number), "mine": me is not None and juror_id == me.id,
                     "scores": scores, "total": sum(scores.values())})
    averages = {}
    for criterion in criteria:
        values = [row["scores"][criterion.id] for row in rows if criterion.id in row["scores"]]
        averages[criterion.id] = round(sum(values) / len(values), 2) if values else None
    every = [value for row in rows for value in row["scores"].values()]
    return {"rows": rows, "averages": averages,
            "average": round(sum(every) / len(every), 2) if every else None}


def _own_scores(juror: Juror, project: FairProject) -> tuple[dict, str | None]:
    scores = list(db.session.scalars(sa.select(JuryScore).where(JuryScore.juror_id == juror.id,
                                                                JuryScore.project_id == project.id)))
    return {s.criterion_id: s.score for s in scores}, (scores[0].comment if scores else None)


# ---------------------------------------------------------------- organizers


def _render_jury(forum: Forum, form: JurorForm, status: int = 200):
    jurors = services.jurors(forum)
    return render_template("fair/jury.html", forum=forum, form=form, jurors=jurors, counts=_scored_counts(forum),
                           criteria=services.criteria(forum), remove_form=ConfirmForm(formdata=None),
                           me_juror=services.juror_for(acting_user(), forum)), status


@bp.route("/forums/<slug>/fair/jury", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def jury(forum: Forum):
    form = JurorForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_jury(forum, form, 422)
        try:
            juror = services.name_juror(forum, acting_user(), form.email.data)
        except services.FairError as exc:
            db.session.rollback()
            form.email.errors = list(form.email.errors) + [exc.message]
            return _render_jury(forum, form, exc.status if exc.status != 404 else 422)
        flash(_("%(name)s is now on the jury.", name=juror.user.full_name), "success")
        return redirect(url_for("fair.jury", slug=forum.slug))
    return _render_jury(forum, form)


@bp.route("/forums/<slug>/fair/jury/jurors/<int:juror_id>/remove", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def jury_remove(forum: Forum, juror_id: int):
    juror = db.session.get(Juror, juror_id)
    if juror is None or juror.forum_id != forum.id:
        abort(404)
    name = juror.user.full_name
    try:
        services.remove_juror(juror, acting_user())
    except services.FairError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _render_jury(forum, JurorForm(formdata=None), exc.status)
    flash(_("%(name)s is no longer on the jury.", name=name), "success")
    return redirect(url_for("fair.jury", slug=forum.slug))


def _render_ranking(forum: Forum, top_form: TopWinnersForm | None = None, status: int = 200):
    rows = services.ranking(forum)
    return render_template("fair/jury_ranking.html", forum=forum, rows=rows, criteria=services.criteria(forum),
                           top_form=top_form or TopWinnersForm(formdata=None),
                           winners_form=WinnersForm(formdata=None),
                           scored=sum(1 for row in rows if row.average is not None),
                           winners=sum(1 for row in rows if row.project.is_winner)), status


@bp.route("/forums/<slug>/fair/jury/ranking")
@forum_role_required(ForumRole.organizer)
def jury_ranking(forum: Forum):
    return _render_ranking(forum)


@bp.route("/forums/<slug>/fair/jury/winners", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def jury_winners(forum: Forum):
    """Either exactly the ticked projects, or ("top") the N best-scored ones, become the winners."""
    if "top" in request.form:
        form = TopWinnersForm()
        if not form.validate_on_submit() or form.n.data is None:
            if not form.n.errors:
                form.n.errors = [_("A number from 1 to 1000.")]
            return _render_ranking(forum, form, 422)
        ids = [row.project.id for row in services.ranking(forum) if row.average is not None][:form.n.data]
    else:
        if not WinnersForm().validate_on_submit():
            abort(400)
        ids = [int(value) for value in request.form.getlist("ids") if value.isdigit() and len(value) < 10]
    try:
        services.mark_winners(forum, acting_user(), ids)
    except services.FairError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _render_ranking(forum, status=exc.status)
    winners = db.session.scalar(sa.select(sa.func.count()).select_from(FairProject).where(
        FairProject.forum_id == forum.id, FairProject.is_winner.is_(True)))
    flash(ngettext("The winners are saved: %(num)d project.", "The winners are saved: %(num)d projects.", winners),
          "success")
    return redirect(url_for("fair.jury_ranking", slug=forum.slug))


# ---------------------------------------------------------------- jurors


@bp.route("/forums/<slug>/fair/jury/projects")
@juror_required
def jury_projects(forum: Forum, juror: Juror):
    projects = list(db.session.scalars(
        sa.select(FairProject).where(FairProject.forum_id == forum.id, FairProject.status.in_(services.PUBLIC_STATES))
        .options(joinedload(FairProject.organization), joinedload(FairProject.delegate),
                 joinedload(FairProject.region))
        .order_by(FairProject.booth.is_(None), FairProject.booth, FairProject.id)))
    scored = set(db.session.scalars(sa.select(JuryScore.project_id).where(JuryScore.juror_id == juror.id).distinct()))
    items = []
    for project in projects:
        if project.id in scored:
            state = "scored"
        elif services.has_conflict(juror, project):
            state = "conflict"
        else:
            state = "to_score"
        items.append((project, state))
    return render_template("fair/jury_projects.html", forum=forum, juror=juror, items=items,
                           done=sum(1 for _p, state in items if state == "scored"),
                           todo=sum(1 for _p, state in items if state == "to_score"),
                           is_organizer=services.is_organizer(acting_user(), forum))


@bp.route("/forums/<slug>/fair/jury/projects/<int:project_id>", methods=["GET", "POST"])
@juror_required
def jury_score(forum: Forum, juror: Juror, project_id: int):
    project = _scorable(forum, project_id)
    criteria = services.criteria(forum)
    form = score_form(criteria)
    status, error = 200, None
    if request.method == "POST":
        conflict_or_done = services.has_conflict(juror, project) or services.has_scored(juror, project)
        # A conflicted or finished juror hears the service's own refusal, whatever they typed.
        if conflict_or_done or form.validate_on_submit():
            try:
                services.submit_scores(juror, project, scores_of(form), form.comment.data)
            except services.FairError as exc:
                db.session.rollback()
                status = exc.status
                field = getattr(form, exc.field, None) if exc.field else None
                if field is not None:
                    field.errors = list(field.errors) + [exc.message]
                else:
                    error = exc.message
            else:
                flash(_("Thank you: your scores are saved."), "success")
                return redirect(url_for("fair.jury_score", slug=forum.slug, project_id=project.id))
        else:
            status = 422
    conflict = services.has_conflict(juror, project)
    if conflict and status == 200:
        status = 403
    if conflict and error is None:
        error = _("You cannot score a project of your own organization.")
    scored = services.has_scored(juror, project)
    own, own_comment = _own_scores(juror, project) if scored else ({}, None)
    visible = services.scores_visible(acting_user(), project)
    return render_template("fair/jury_score.html", forum=forum, juror=juror, project=project, criteria=criteria,
                           form=form, conflict=conflict, scored=scored, own=own, own_comment=own_comment,
                           sheet=score_sheet(project, criteria, juror) if visible else None,
                           error=error), status
