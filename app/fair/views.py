"""The fair's public side: the catalogue, a project's page, the map of social initiatives, the booth poster.

    /forums/<slug>/fair                              the catalogue: filters, search, sorting, funding progress
    /forums/<slug>/fair/map                          the map of social initiatives (SVG tiles + a table)
    /forums/<slug>/fair/mine                         "My fair": the user's projects and pledges
    /forums/<slug>/fair/projects/<id>                one project: all a business needs, pledges, the NGO's tools
    /forums/<slug>/fair/projects/<id>/poster.pdf     the booth poster with a QR code to the project's page

Thin views: the rules are `app.fair.services`'. A draft forum's fair is a 404; a project that is not
public yet is a 404 for everyone but its NGO and the organizers (ids of others lead nowhere).
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.routing import BuildError

from app.auth.access import acting_user
from app.extensions import db
from app.fair import bp, services
from app.fair import map as fair_map
from app.fair.forms import AttachmentForm, DecisionForm, PledgeForm
from app.fair.history import history_details, history_label
from app.forums.services import get_forum
from app.i18n import PROJECT_CATEGORY_LABELS, format_kzt, project_category_label
from app.models import DelegateStatus, FairProject, Forum, PledgeStatus, Region, Sector
from app.pdf_response import pdf_response
from app.registration.views import _public_forum
from app.urls import external_url

SORT_LABELS = {"newest": _l("Newest"), "most_needed": _l("Most money needed"),
               "closest": _l("Closest to fully funded")}
FUNDING_LABELS = {"seeking": _l("Seeking support"), "supported": _l("Supported"), "funded": _l("Fully funded")}


# ---------------------------------------------------------------- loading, shared by the fair's pages


def forum_project(forum: Forum, project_id: int) -> FairProject:
    """The project if it belongs to this forum; otherwise 404."""
    project = services.get_project(project_id)
    if project is None or project.forum_id != forum.id:
        abort(404)
    return project


def visible_project(slug: str, project_id: int) -> tuple[Forum, FairProject]:
    """The forum and the project, if the reader may see it (services.can_view); otherwise 404."""
    forum = get_forum(slug) or abort(404)
    g.forum = forum  # times on the page in the forum's time zone
    project = forum_project(forum, project_id)
    if not services.can_view(acting_user(), project):
        abort(404)
    return forum, project


def link(endpoint: str, **values) -> str | None:
    """A link to a page another part of the fair may not have yet: None rather than a dead link or a 500."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def to_login(next_url: str):
    return redirect(url_for("auth.login", next=next_url))


def project_url(project: FairProject) -> str:
    return url_for("fair.project", slug=project.forum.slug, project_id=project.id)


@bp.app_template_global()
def fair_progress_text(covered: int, budget: int, percent: int) -> str:
    """"1 500 000 ₸ of 2 000 000 ₸ (75%)" — the same words on cards, the project page and the poster."""
    return _("%(covered)s of %(budget)s (%(percent)d%%)", covered=format_kzt(covered), budget=format_kzt(budget),
             percent=percent)


@bp.app_template_global()
def fair_role(forum: Forum) -> str | None:
    """What the reader is at this forum's fair: "ngo" (may submit), "business" (may pledge), or None."""
    delegate = services.delegate_of(acting_user(), forum)
    if delegate is None or delegate.status != DelegateStatus.confirmed:
        return None
    return {Sector.ngo: "ngo", Sector.business: "business"}.get(delegate.sector)


@bp.app_template_global()
def is_fair_juror(forum: Forum) -> bool:
    """Whether the reader sits on this forum's fair jury (the forum page then links to the scoring list)."""
    return services.juror_for(acting_user(), forum) is not None


# ---------------------------------------------------------------- the catalogue


@dataclass
class Pager:
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link, None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.pages} | set(range(max(1, self.page - around), min(self.pages, self.page + around) + 1))
        result: list[int | None] = []
        for number in sorted(shown):
            if result and number - (result[-1] or 0) > 1:
                result.append(None)
            result.append(number)
        return result


def region_options() -> list[tuple[int, str]]:
    """Regions in the reader's language, by name."""
    return sorted(((r.id, r.name) for r in db.session.scalars(sa.select(Region))), key=lambda item: item[1])


@bp.route("/forums/<slug>/fair")
def catalogue(slug: str):
    forum = _public_forum(slug)
    query = services.CatalogueQuery.from_args(request.args)
    projects, total = services.catalogue(forum, query)
    pager = Pager(page=query.page, pages=max(1, -(-total // query.per_page)), total=total)
    regions = region_options()
    region_name = dict(regions).get(query.region_id) if query.region_id else None
    return render_template(
        "fair/catalogue.html", forum=forum, projects=projects, query=query, pager=pager,
        totals=services.totals(forum), regions=regions, region_name=region_name,
        sort_labels=SORT_LABELS, funding_labels=FUNDING_LABELS, categories=list(PROJECT_CATEGORY_LABELS.items()),
        filtered=bool(query.as_args(sort=None)), role=fair_role(forum))


# ---------------------------------------------------------------- the map of social initiatives


@bp.route("/forums/<slug>/fair/map", endpoint="map")
def map_page(slug: str):
    forum = _public_forum(slug)
    rows = services.totals_by_region(forum)

    def tooltip(row) -> str:
        return ngettext("%(region)s: %(num)d project, budget %(budget)s, support confirmed %(covered)s",
                        "%(region)s: %(num)d projects, budget %(budget)s, support confirmed %(covered)s",
                        row["projects"], region=row["region"].name, budget=format_kzt(row["budget_kzt"]),
                        covered=format_kzt(row["confirmed_kzt"] + row["in_kind_kzt"]))

    tiles = fair_map.tiles(rows, lambda region: url_for("fair.catalogue", slug=forum.slug, region=region.id),
                           tooltip)
    svg = fair_map.render_svg(
        tiles, title=_("Map of social initiatives"),
        description=_("A schematic map of Kazakhstan's regions; each region shows its number of fair projects "
                      "and links to them in the catalogue."))
    table = sorted(rows, key=lambda row: (-row["projects"], row["region"].name))
    sums = {key: sum(row[key] for row in rows)
            for key in ("projects", "budget_kzt", "confirmed_kzt", "in_kind_kzt", "supported")}
    return render_template("fair/map.html", forum=forum, svg=svg, rows=table, sums=sums,
                           levels=fair_map.LEVELS, role=fair_role(forum))


# ---------------------------------------------------------------- "My fair"


@bp.route("/forums/<slug>/fair/mine")
def mine(slug: str):
    forum = _public_forum(slug)
    user = acting_user()
    if user is None:
        return to_login(request.path)
    return render_template(
        "fair/mine.html", forum=forum, projects=services.projects_of(user, forum),
        pledges=services.pledges_by(user, forum), role=fair_role(forum),
        delegate=services.delegate_of(user, forum))


# ---------------------------------------------------------------- one project


def _pledge_state(user, project: FairProject, owner: bool, business, viewer, pledges) -> str | None:
    """What the pledge box says to this reader."""
    if project.status not in services.PLEDGEABLE_STATES:
        return "closed" if project.status in services.PUBLIC_STATES else None
    if owner:
        return None
    if user is None:
        return "anonymous"
    if business is None:
        if viewer is not None and viewer.sector == Sector.business and viewer.status == DelegateStatus.pending:
            return "awaiting_confirmation"
        return "not_business"
    if project.organization_id is not None and project.organization_id == business.organization_id:
        return "own"
    if any(p.delegate_id == business.id and p.status == PledgeStatus.pending for p in pledges):
        return "pending"
    return "form"


def render_project(forum: Forum, project: FairProject, status: int = 200, *, pledge_form: PledgeForm | None = None,
                   upload_form: AttachmentForm | None = None, decision_forms: dict | None = None,
                   error: str | None = None):
    """The project's page, for this reader; the pledge and file views show it again with their errors."""
    user = acting_user()
    owner = services.is_owner(user, project)
    organizer = services.is_organizer(user, forum)
    viewer = services.delegate_of(user, forum)
    business = viewer if viewer is not None and viewer.status == DelegateStatus.confirmed \
        and viewer.sector == Sector.business else None
    pledges = services.pledges_of(project, user) if user is not None else []
    history = [e for e in services.history(project) if not e.action.startswith("jury.")] \
        if owner or organizer else []
    decision_forms = decision_forms or {}
    for pledge in pledges:
        if owner and pledge.status == PledgeStatus.pending and pledge.id not in decision_forms:
            decision_forms[pledge.id] = DecisionForm(formdata=None, prefix=f"p{pledge.id}")
    return render_template(
        "fair/project.html", forum=forum, project=project, owner=owner, organizer=organizer,
        sees_contacts=owner or organizer or (viewer is not None and viewer.status == DelegateStatus.confirmed),
        editable=owner and project.status in services.EDITABLE_STATES,
        is_public=project.status in services.PUBLIC_STATES,
        pledges=pledges, backers=services.confirmed_backers(project) if project.status in services.PUBLIC_STATES
        else [],
        business=business, pledge_state=_pledge_state(user, project, owner, business, viewer, pledges),
        pledge_form=pledge_form or PledgeForm(formdata=None),
        upload_form=upload_form or AttachmentForm(formdata=None), decision_forms=decision_forms,
        history=history, history_label=history_label, history_details=history_details,
        pledges_by_id={p.id: p for p in pledges},
        manage_url=link("fair.manage_project", slug=forum.slug, project_id=project.id) if organizer else None,
        max_files=current_app.config["FAIR_MAX_ATTACHMENTS"],
        error=error), status


def render_failure(forum: Forum, project: FairProject, exc: services.FairError, form=None,
                   form_key: str = "pledge_form", **forms):
    """Undo what the request began; show the page again with the service's message by its field, or on top."""
    db.session.rollback()
    name = "files" if exc.field == "file" else exc.field
    field = getattr(form, name, None) if form is not None and name else None
    if form is not None:
        forms[form_key] = form
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
        return render_project(forum, project, exc.status, **forms)
    return render_project(forum, project, exc.status, error=exc.message, **forms)


@bp.route("/forums/<slug>/fair/projects/<int:project_id>")
def project(slug: str, project_id: int):
    forum, found = visible_project(slug, project_id)
    return render_project(forum, found)


# ---------------------------------------------------------------- the booth poster


@bp.route("/forums/<slug>/fair/projects/<int:project_id>/poster.pdf")
def poster(slug: str, project_id: int):
    from app.pdf.poster import PosterData, render_poster

    forum, found = visible_project(slug, project_id)
    if found.status not in services.PUBLIC_STATES:
        abort(404)  # only approved projects stand at the fair
    titles = [t for t in (found.title_kk, found.title_ru) if t]
    other = next((t for t in titles if t != found.title), "")
    place = ", ".join(p for p in (found.region.name if found.region else None, found.settlement) if p)
    data = PosterData(
        forum_title=forum.title, title=found.title, other_title=other,
        organization=found.organization.name if found.organization else "",
        details=" · ".join(p for p in (project_category_label(found.category), place) if p),
        summary=found.summary, booth_label=_("Booth"), booth=found.booth or "",
        budget_text=_("Budget requested: %(amount)s", amount=format_kzt(found.budget_kzt)),
        progress_text=_("Support confirmed: %(progress)s", progress=fair_progress_text(
            found.covered_kzt, found.budget_kzt, found.progress_percent)),
        percent=found.progress_percent,
        scan_text=_("Scan to support this project"),
        winner_text=_("Winner of the fair") if found.is_winner else "",
        url=external_url("fair.project", slug=forum.slug, project_id=found.id))
    return pdf_response(render_poster(data), f"poster-{forum.slug}-{found.id}.pdf", inline=True)
