"""The forum's final report: a page with the headline figures, and the report itself as PDF and XLSX,
in Kazakh or Russian (`?lang=kk|ru`).

Every figure comes from `forum_stats(forum)` — the numbers the dashboard and the API show. The tables'
rows that the figures do not list (the backed projects with their backers, the signed memoranda with their
parties) are read here with the same rules, so their totals are the figures' totals. The report's fixed
words live with the drawing (app/pdf/report.py `LABELS`), so the PDF and the XLSX say the same.
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask import Response, current_app, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy.orm import joinedload, selectinload

from app.auth.access import forum_role_required
from app.dashboard import bp
from app.dashboard.display import MEMORANDUM_LEVEL_LABELS
from app.dashboard.services import forum_stats
from app.tables import XLSX_MIMETYPE, Money, Sheet, to_xlsx
from app.extensions import db
from app.fair.services import PUBLIC_STATES
from app.i18n import SECTOR_LABELS, SESSION_KIND_LABELS, current_language, date_range
from app.models import (FairProject, Forum, ForumRole, Memorandum, MemorandumStatus, Party, Pledge, PledgeStatus,
                        Region)
from app.models.base import FALLBACK_ORDER
from app.pdf.report import (LANGUAGES, Figures, MemorandumRow, ProjectRow, RegionRow, ReportData, SectorRow,
                            SessionRow, headlines, labels_for, render_report, summary_rows)
from app.pdf_response import pdf_response

SIGNED_STATES = (MemorandumStatus.signed, MemorandumStatus.published)


# ---------------------------------------------------------------- gathering the data


def _when(iso: str | None, forum: Forum) -> datetime | None:
    return datetime.fromisoformat(iso).astimezone(forum.tzinfo) if iso else None


def _pick(values: dict, field: str, language: str) -> str:
    """`title_kk` / `title_ru` / `title_en` from a plain dict, in the language's fallback order."""
    for code in FALLBACK_ORDER.get(language, FALLBACK_ORDER["ru"]):
        if values.get(f"{field}_{code}"):
            return values[f"{field}_{code}"]
    return ""


def figures_of(stats: dict) -> Figures:
    """The report's numbers, every one taken from `forum_stats`."""
    delegates, sessions, fair, memoranda = stats["delegates"], stats["sessions"], stats["fair"], stats["memoranda"]
    orgs = delegates["organizations"]
    formats = {row["participation"]: row["registered"] for row in delegates["by_format"]}
    return Figures(
        registered=delegates["registered"], confirmed=delegates["confirmed"], pending=delegates["pending"],
        checked_in=delegates["checked_in"], in_person=formats.get("in_person", 0), online=formats.get("online", 0),
        organizations=orgs["total"], ngos=orgs["by_sector"].get("ngo", 0),
        businesses=orgs["by_sector"].get("business", 0), state_bodies=orgs["by_sector"].get("state", 0),
        checkins=stats["checkins"]["total"], sessions=sessions["published"], enrolled=sessions["enrolled"],
        waitlisted=sessions["waitlisted"], projects_total=fair["projects_total"], projects_public=fair["public"],
        supported=fair["supported"], funded=fair["funded"], budget_kzt=fair["budget_kzt"],
        confirmed_kzt=fair["confirmed_kzt"], in_kind_kzt=fair["confirmed_in_kind_kzt"], pending_kzt=fair["pending_kzt"],
        memoranda_signed=memoranda["signed_total"], memoranda_regional=memoranda["by_level"].get("regional", 0),
        memoranda_national=memoranda["by_level"].get("national", 0), memoranda_parties=memoranda["parties"],
    )


def backed_projects(forum: Forum) -> list[FairProject]:
    """The fair's public projects with a confirmed pledge (the figures' `supported`), most support first."""
    projects = db.session.scalars(
        sa.select(FairProject)
        .where(FairProject.forum_id == forum.id, FairProject.status.in_(PUBLIC_STATES), FairProject.backers_count > 0)
        .options(joinedload(FairProject.organization), joinedload(FairProject.region)))
    return sorted(projects, key=lambda p: (-p.covered_kzt, p.title_kk or p.title_ru or "", p.id))


def backers_of(forum: Forum, project_ids: list[int]) -> dict[int, list[str]]:
    """Who backs each project: the organizations (or people) whose pledges the NGO confirmed."""
    if not project_ids:
        return {}
    result: dict[int, list[str]] = {}
    pledges = db.session.scalars(
        sa.select(Pledge).where(Pledge.forum_id == forum.id, Pledge.status == PledgeStatus.confirmed,
                                Pledge.project_id.in_(project_ids))
        .options(joinedload(Pledge.organization), joinedload(Pledge.delegate)).order_by(Pledge.created_at, Pledge.id))
    for pledge in pledges:
        names = result.setdefault(pledge.project_id, [])
        name = pledge.backer_name
        if name and name not in names:
            names.append(name)
    return result


def signed_memoranda(forum: Forum) -> list[Memorandum]:
    """Memoranda signed by every party (published or not yet): the figures' `signed_total`."""
    return list(db.session.scalars(
        sa.select(Memorandum).where(Memorandum.forum_id == forum.id, Memorandum.status.in_(SIGNED_STATES))
        .options(selectinload(Memorandum.parties).joinedload(Party.organization))
        .order_by(Memorandum.sequence)))


def _utc_offset(forum: Forum, moment: datetime) -> str:
    offset = moment.astimezone(forum.tzinfo).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def report_data(forum: Forum, language: str, *, stats: dict | None = None) -> ReportData:
    """Everything the report shows, in `language` (kk or ru), as plain data."""
    stats = stats if stats is not None else forum_stats(forum)
    words = labels_for(language)
    figures = figures_of(stats)
    orgs = stats["delegates"]["organizations"]["by_sector"]
    region_ids = [row["region_id"] for row in stats["delegates"]["by_region"] if row["region_id"] is not None]
    regions = {r.id: r for r in db.session.scalars(sa.select(Region).where(Region.id.in_(region_ids)))} \
        if region_ids else {}
    projects = backed_projects(forum)
    backers = backers_of(forum, [p.id for p in projects])
    memoranda = signed_memoranda(forum)
    generated = _when(stats["generated_at"], forum)

    with force_locale(language):
        sector_names = {key: str(label) for key, label in SECTOR_LABELS.items()}
        kind_names = {key: str(label) for key, label in SESSION_KIND_LABELS.items()}
        level_names = {key: str(label) for key, label in MEMORANDUM_LEVEL_LABELS.items()}
        dates = date_range(forum.starts_on, forum.ends_on)

    sessions = []
    for item in stats["sessions"]["items"]:
        starts, ends = _when(item["starts_at"], forum), _when(item["ends_at"], forum)
        sessions.append(SessionRow(
            time=f"{starts:%d.%m} {starts:%H:%M}–{ends:%H:%M}" if starts and ends else "",
            title=_pick(item, "title", language), kind=kind_names.get(item["kind"], item["kind"]),
            hall=item.get("hall") or "", capacity=item["capacity"], enrolled=item["enrolled"],
            waitlisted=item["waitlisted"], fill_percent=item["fill_percent"]))

    def region_name(row: dict) -> str:
        region = regions.get(row["region_id"])
        return region.tr("name", language) if region is not None else (row.get("code") or words["region_unknown"])

    def signed_day(memorandum: Memorandum) -> date | None:
        moment = memorandum.signed_at or memorandum.published_at
        return moment.astimezone(forum.tzinfo).date() if moment is not None else None

    return ReportData(
        language=language,
        title=forum.tr("title", language),
        dates=dates,
        place=", ".join(part for part in (forum.venue, forum.city) if part),
        generated=f"{generated:%d.%m.%Y %H:%M}" if generated else "",
        timezone=f"{forum.timezone}, {_utc_offset(forum, generated or datetime.now(forum.tzinfo))}",
        figures=figures,
        sectors=tuple(SectorRow(sector=sector_names.get(row["sector"], row["sector"]),
                                organizations=orgs.get(row["sector"], 0), registered=row["registered"],
                                confirmed=row["confirmed"], checked_in=row["checked_in"])
                      for row in stats["delegates"]["by_sector"]),
        regions=tuple(RegionRow(region=region_name(row), registered=row["registered"], checked_in=row["checked_in"])
                      for row in stats["delegates"]["by_region"]),
        sessions=tuple(sessions),
        projects=tuple(ProjectRow(
            title=p.tr("title", language), organization=p.organization.name if p.organization else "",
            region=p.region.tr("name", language) if p.region else "", budget_kzt=p.budget_kzt,
            confirmed_kzt=p.confirmed_kzt, in_kind_kzt=p.confirmed_in_kind_kzt,
            backers=tuple(backers.get(p.id, ()))) for p in projects),
        memoranda=tuple(MemorandumRow(
            number=m.number, title=m.tr("title", language), level=level_names.get(m.level.value, m.level.value),
            signed_on=f"{signed_day(m):%d.%m.%Y}" if signed_day(m) else "", signed_date=signed_day(m),
            parties=tuple(p.organization.name for p in m.parties)) for m in memoranda),
    )


# ---------------------------------------------------------------- the workbook


def report_workbook(data: ReportData) -> bytes:
    """The report as a workbook: one sheet per section, numbers as numbers, tenge as grouped whole numbers."""
    w = labels_for(data.language)
    f = data.figures
    heading = [[data.title], [" · ".join(p for p in (w["report"], data.dates, data.place) if p)]]
    if data.generated:
        heading.append([w["generated"] % {"when": data.generated}])
    sheets = [
        Sheet(w["sheet_summary"], [(w["indicator"], 52), (w["value"], 18)],
              [[label, Money(value) if is_money else value] for label, value, is_money in
               summary_rows(f, data.language)],
              intro=heading, notes=[w["headlines"], *headlines(f, data.language)]),
        Sheet(w["sheet_sectors"], [(w["sector"], 30), (w["organizations"], 14), (w["registered"], 16),
                                   (w["confirmed"], 14), (w["checked_in"], 12)],
              [[r.sector, r.organizations, r.registered, r.confirmed, r.checked_in] for r in data.sectors],
              totals=[w["total"], f.organizations, f.registered, f.confirmed, f.checked_in]),
        Sheet(w["sheet_regions"], [(w["region"], 34), (w["registered"], 16), (w["checked_in"], 12)],
              [[r.region, r.registered, r.checked_in] for r in data.regions],
              totals=[w["total"], f.registered, f.checked_in]),
        Sheet(w["sheet_programme"], [(w["time"], 18), (w["session"], 48), (w["kind"], 20), (w["hall"], 18),
                                     (w["capacity"], 10), (w["enrolled"], 10), (w["waitlisted"], 12),
                                     (w["fill"] + ", %", 11)],
              [[s.time, s.title, s.kind, s.hall, s.capacity if s.capacity is not None else w["open"], s.enrolled,
                s.waitlisted, s.fill_percent] for s in data.sessions],
              totals=[w["total"], None, None, None, None, f.enrolled, f.waitlisted, None]),
        Sheet(w["sheet_fair"], [(w["project"], 44), (w["organization"], 32), (w["region"], 24), (w["budget"], 15),
                                (w["money"], 15), (w["in_kind"], 15), (w["covered"], 15), (w["backers"], 40)],
              [[p.title, p.organization, p.region, Money(p.budget_kzt), Money(p.confirmed_kzt), Money(p.in_kind_kzt),
                Money(p.confirmed_kzt + p.in_kind_kzt), ", ".join(p.backers)] for p in data.projects],
              totals=[w["total"], None, None, None, Money(f.confirmed_kzt), Money(f.in_kind_kzt),
                      Money(f.covered_kzt), None]),
        Sheet(w["sheet_memoranda"], [(w["number"], 16), (w["title"], 50), (w["level"], 14), (w["signed_on"], 13),
                                     (w["parties"], 60)],
              [[m.number, m.title, m.level, m.signed_date or m.signed_on, "; ".join(m.parties)]
               for m in data.memoranda],
              totals=[w["total"], f.memoranda_signed, None, None, None]),
    ]
    return to_xlsx(sheets)


# ---------------------------------------------------------------- the pages


def report_language() -> str:
    """`?lang=kk|ru`; without it (or with anything else) the reader's language if the report has it, else Russian."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        return wanted
    return current_language() if current_language() in LANGUAGES else "ru"


def back_url(forum: Forum) -> str:
    """The page these pages come from: the forum's dashboard (once it exists), else its set-up page."""
    endpoint = "dashboard.show" if "dashboard.show" in current_app.view_functions else "forums.edit"
    return url_for(endpoint, slug=forum.slug)


def _filename(forum: Forum, language: str, extension: str) -> str:
    return f"report-{forum.slug}-{language}.{extension}"


@bp.route("/forums/<slug>/report")
@forum_role_required(ForumRole.organizer)
def report(forum: Forum):
    stats = forum_stats(forum)
    language = report_language()
    figures = figures_of(stats)
    return render_template("dashboard/report.html", forum=forum, stats=stats, figures=figures,
                           language=language, languages=LANGUAGES, back_url=back_url(forum),
                           headlines={lang: headlines(figures, lang) for lang in LANGUAGES})


@bp.route("/forums/<slug>/report.pdf")
@forum_role_required(ForumRole.organizer)
def report_pdf(forum: Forum):
    language = report_language()
    return pdf_response(render_report(report_data(forum, language)), _filename(forum, language, "pdf"))


@bp.route("/forums/<slug>/report.xlsx")
@forum_role_required(ForumRole.organizer)
def report_xlsx(forum: Forum):
    language = report_language()
    response = Response(report_workbook(report_data(forum, language)), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(forum, language, "xlsx")}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
