"""The ideas fair on the API: the catalogue, one project, pledges and their answers, the fair's totals.

Thin as the pages are: find the object (404 for what the caller may not see), then one service
call; a FairError becomes the contract's error body with its status and code.
"""
from functools import wraps

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from app.api import BEARER
from app.api.schemas import (ErrorSchema, FairCatalogueArgs, FairProjectDetailOut, FairProjectOut, FairTotalsOut,
                             PledgeDecisionIn, PledgeIn, PledgeOut)
from app.auth.access import acting_user
from app.errors import fail
from app.extensions import db
from app.fair import services as fair
from app.forums.services import get_forum
from app.i18n import project_category_label
from app.models import FairProject, ForumStatus, Pledge, ProjectCategory

blp = Blueprint("api_fair", __name__, url_prefix="/api/v1", description="The ideas fair: projects, pledges, totals")

MAX_PER_PAGE = 100
PAGE_HEADERS = {
    "X-Total-Count": {"description": "Projects matching the filters", "schema": {"type": "integer"}},
    "X-Page": {"description": "This page (from 1)", "schema": {"type": "integer"}},
    "X-Per-Page": {"description": "Projects per page", "schema": {"type": "integer"}},
    "X-Total-Pages": {"description": "Pages in all", "schema": {"type": "integer"}},
}


def _checked_first(check=None):
    """Who may call, before the body is read: 401 without a token, then `check`'s 404/403; 422 comes after."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if acting_user() is None:
                fail(401, "A valid bearer token is required.")
            if check is not None:
                check(**kwargs)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _may_pledge(project_id: int) -> None:
    project = _visible_project(project_id)
    if fair.business_delegate(acting_user(), project.forum) is None:
        fail(403, _("Only confirmed business delegates of this forum can pledge."), "not_business_delegate")


def _fair_forum(slug: str):
    """The forum whose fair is public: any but a draft (a closed forum's results stay readable)."""
    forum = get_forum(slug)
    if forum is None or forum.status == ForumStatus.draft:
        fail(404, "No such forum.")
    return forum


def _visible_project(project_id: int) -> FairProject:
    project = fair.get_project(project_id)
    if project is None or not fair.can_view(acting_user(), project):
        fail(404, "No such project.")
    return project


def _may_see_pledge(user, pledge: Pledge) -> bool:
    """The business that made it, the project's NGO and the forum's organizers; nobody else learns it exists."""
    if pledge.delegate is not None and pledge.delegate.user_id == user.id:
        return True
    return fair.is_owner(user, pledge.project) or fair.is_organizer(user, pledge.project.forum)


def _visible_pledge(pledge_id: int) -> Pledge:
    pledge = db.session.get(Pledge, pledge_id)
    if pledge is None or not _may_see_pledge(acting_user(), pledge):
        fail(404, "No such pledge.")
    return pledge


def _refuse(exc: fair.FairError):
    fail(exc.status, exc.message, exc.code, field=exc.field)


# ---------------------------------------------------------------- projects


@blp.route("/forums/<slug>/fair/projects")
@blp.arguments(FairCatalogueArgs, location="query", as_kwargs=True)
@blp.response(200, FairProjectOut(many=True), headers=PAGE_HEADERS)
@blp.alt_response(404, schema=ErrorSchema, description="No such forum (or a draft)")
def list_projects(slug: str, **_filters):
    """The fair's approved projects, filtered and sorted as on the catalogue page; totals in the X-… headers."""
    forum = _fair_forum(slug)
    query = fair.CatalogueQuery.from_args(request.args)
    try:
        query.per_page = min(max(int(request.args.get("per_page", "")), 1), MAX_PER_PAGE)
    except ValueError:
        pass
    projects, total = fair.catalogue(forum, query)
    pages = max(1, -(-total // query.per_page))
    return projects, 200, {"X-Total-Count": str(total), "X-Page": str(query.page),
                           "X-Per-Page": str(query.per_page), "X-Total-Pages": str(pages)}


@blp.route("/fair/projects/<int:project_id>")
@blp.doc(security=[{}, *BEARER])
@blp.response(200, FairProjectDetailOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such project, or not public and not yours")
def get_project(project_id: int):
    """One project with everything a business needs to decide. Unapproved ones: their NGO and organizers only."""
    return _visible_project(project_id)


# ---------------------------------------------------------------- pledges


@blp.route("/fair/projects/<int:project_id>/pledges", methods=["POST"])
@_checked_first(_may_pledge)
@blp.doc(security=BEARER)
@blp.arguments(PledgeIn)
@blp.response(201, PledgeOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="Not a confirmed business delegate of this forum")
@blp.alt_response(404, schema=ErrorSchema, description="No such public project")
@blp.alt_response(409, schema=ErrorSchema,
                  description="Not open for pledges, your own organization's project, or a pledge still pending")
@blp.alt_response(422, schema=ErrorSchema, description="Bad amounts (whole tenge, 1 … 10^12) or nothing pledged")
def make_pledge(data: dict, project_id: int):
    """Pledge money (`amount_kzt`) and/or in-kind support (`in_kind` with `in_kind_value_kzt`).

    The pledge is pending until the project's NGO confirms it; only then does it count as funding.
    """
    project = _visible_project(project_id)
    try:
        return fair.make_pledge(project, acting_user(), fair.PledgeInput(**data))
    except fair.FairError as exc:
        _refuse(exc)


@blp.route("/fair/pledges/<int:pledge_id>", methods=["DELETE"])
@_checked_first()
@blp.doc(security=BEARER)
@blp.response(204)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="Not the business that made the pledge")
@blp.alt_response(404, schema=ErrorSchema, description="No such pledge, or not yours to see")
@blp.alt_response(409, schema=ErrorSchema, description="Already answered by the NGO")
def withdraw_pledge(pledge_id: int):
    """The business takes back its pledge while it still waits for the NGO's answer."""
    pledge = _visible_pledge(pledge_id)
    try:
        fair.withdraw_pledge(pledge, acting_user())
    except fair.FairError as exc:
        _refuse(exc)


def _answer(pledge_id: int, data: dict, decide):
    pledge = _visible_pledge(pledge_id)
    try:
        return decide(pledge, acting_user(), data.get("note"))
    except fair.FairError as exc:
        _refuse(exc)


@blp.route("/fair/pledges/<int:pledge_id>/confirm", methods=["POST"])
@_checked_first()
@blp.doc(security=BEARER)
@blp.arguments(PledgeDecisionIn, required=False)
@blp.response(200, PledgeOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="Not the project's NGO")
@blp.alt_response(404, schema=ErrorSchema, description="No such pledge, or not yours to see")
@blp.alt_response(409, schema=ErrorSchema, description="Already answered or withdrawn")
def confirm_pledge(data: dict, pledge_id: int):
    """The project's NGO accepts the pledge: it now counts toward the budget (supported, then funded)."""
    return _answer(pledge_id, data or {}, fair.confirm_pledge)


@blp.route("/fair/pledges/<int:pledge_id>/decline", methods=["POST"])
@_checked_first()
@blp.doc(security=BEARER)
@blp.arguments(PledgeDecisionIn, required=False)
@blp.response(200, PledgeOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="Not the project's NGO")
@blp.alt_response(404, schema=ErrorSchema, description="No such pledge, or not yours to see")
@blp.alt_response(409, schema=ErrorSchema, description="Already answered or withdrawn")
def decline_pledge(data: dict, pledge_id: int):
    """The project's NGO turns the pledge down, with an optional note to the business."""
    return _answer(pledge_id, data or {}, fair.decline_pledge)


# ---------------------------------------------------------------- totals


def _by_category(forum) -> list[dict]:
    """Public projects per category: how many, their budgets and confirmed support (every category listed)."""
    rows = {row.category: row for row in db.session.execute(
        sa.select(FairProject.category, sa.func.count().label("projects"),
                  sa.func.count().filter(FairProject.backers_count > 0).label("supported"),
                  sa.func.coalesce(sa.func.sum(FairProject.budget_kzt), 0).label("budget_kzt"),
                  sa.func.coalesce(sa.func.sum(FairProject.confirmed_kzt), 0).label("confirmed_kzt"),
                  sa.func.coalesce(sa.func.sum(FairProject.confirmed_in_kind_kzt), 0).label("in_kind_kzt"))
        .where(FairProject.forum_id == forum.id, FairProject.status.in_(fair.PUBLIC_STATES))
        .group_by(FairProject.category))}
    result = []
    for category in ProjectCategory:
        row = rows.get(category)
        result.append({"category": category.value, "label": project_category_label(category),
                       **{key: int(getattr(row, key)) if row else 0
                          for key in ("projects", "supported", "budget_kzt", "confirmed_kzt", "in_kind_kzt")}})
    return result


@blp.route("/forums/<slug>/fair/totals")
@blp.response(200, FairTotalsOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such forum (or a draft)")
def totals(slug: str):
    """The fair's figures: projects by status, budgets, confirmed money and in-kind support, per region and category.

    Only NGO-confirmed pledges count as support; pending money is shown apart.
    """
    forum = _fair_forum(slug)
    summary = fair.totals(forum)
    return {
        "totals": {**vars(summary), "covered_kzt": summary.covered_kzt},
        "regions": [{"id": row["region"].id, "code": row["region"].code, "name": row["region"].name,
                     **{key: row[key] for key in ("projects", "supported", "budget_kzt", "confirmed_kzt",
                                                   "in_kind_kzt")}}
                    for row in fair.totals_by_region(forum)],
        "categories": _by_category(forum),
    }
