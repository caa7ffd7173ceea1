"""What the dashboard shows: `forum_stats` turned into labelled, formatted figures.

One function, `dashboard_view(stats)`, gives the headline counters, the tables (each chart's numbers) and
the charts' series, in the reader's language and the forum's time zone. The page renders it and
`stats.json` sends it as `labels`, so the first paint and every live update come from the same code and
`static/js/dashboard.js` only copies text into place (it formats nothing but chart axis ticks).

Shapes (plain JSON):

    updated_at: "10:12:05" (the forum's clock), updated_at_iso: forum_stats' generated_at
    counters: [{"id": "checked-in", "label": str, "value": int, "text": "1 173", "note": str|None}, ...]
    facts:    {"organizations": "35", "pledged-kzt": "29 100 000 ₸", ...}    (smaller figures, `#stat-<key>`)
    tables:   {"by-sector": {"columns": [{"label": str, "num": bool}], "rows": [{"key": str, "cells": [cell]}],
                             "foot": [cell] | None, "empty": bool}, ...}
              cell: {"text": str, "meta"?: str, "meter"?: int}
    charts:   {"by-sector": {"type": "bar"|"doughnut", "horizontal": bool, "money": bool,
                             "labels": [str], "datasets": [{"label": str, "data": [number]}]}, ...}
    names:    {"sectors": {"ngo": "NGO", ...}, "regions": {"11": "Atyrau Region"}, ...}   (every code's label)
"""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from app.extensions import db
from app.i18n import (PARTICIPATION_LABELS, PROJECT_STATUS_LABELS, SECTOR_LABELS, SESSION_KIND_LABELS,
                      current_language, format_kzt)
from app.models import Region
from app.models.base import FALLBACK_ORDER

# The memoranda blueprint's wording, repeated here so the dashboard does not import another blueprint's views.
MEMORANDUM_STATUS_LABELS = {
    "draft": _l("Draft"), "open": _l("Open for signing"), "signed": _l("Signed by all parties"),
    "published": _l("Published"), "cancelled": _l("Cancelled"),
}
MEMORANDUM_LEVEL_LABELS = {"regional": _l("Regional"), "national": _l("National")}
CHECKIN_METHOD_LABELS = {"scan": _l("Badges scanned"), "manual": _l("Found by name at the desk"),
                         "api": _l("Through the API")}


def count_text(value: int | None) -> str:
    """Counts grouped like tenge, without the sign: 1173 → «1 173»."""
    return f"{int(value or 0):,}".replace(",", "\u00a0")


def _cell(text, **extra) -> dict:
    return {"text": str(text), **{key: value for key, value in extra.items() if value is not None}}


def _num(value: int | None) -> dict:
    return _cell(count_text(value))


def _money(value: int | None) -> dict:
    return _cell(format_kzt(value or 0))


def _when(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def _title(item: dict) -> str:
    for code in FALLBACK_ORDER.get(current_language(), FALLBACK_ORDER["ru"]):
        if item.get(f"title_{code}"):
            return item[f"title_{code}"]
    return ""


def _share(part: int, whole: int) -> str | None:
    return _("%(percent)d%% of confirmed", percent=round(100 * part / whole)) if whole else None


# ---------------------------------------------------------------- the pieces


def names(stats: dict) -> dict:
    """Every code the figures use, with its label in the reader's language."""
    delegates = stats["delegates"]
    region_ids = [row["region_id"] for row in delegates["by_region"] if row["region_id"] is not None]
    regions = {}
    if region_ids:
        regions = {str(region.id): region.name
                   for region in db.session.scalars(sa.select(Region).where(Region.id.in_(region_ids)))}
    return {
        "sectors": {code: str(label) for code, label in SECTOR_LABELS.items()},
        "participation": {code: str(label) for code, label in PARTICIPATION_LABELS.items()},
        "regions": regions,
        "region_unknown": _("Region not given"),
        "project_statuses": {code: str(label) for code, label in PROJECT_STATUS_LABELS.items()},
        "memorandum_statuses": {code: str(label) for code, label in MEMORANDUM_STATUS_LABELS.items()},
        "memorandum_levels": {code: str(label) for code, label in MEMORANDUM_LEVEL_LABELS.items()},
        "session_kinds": {code: str(label) for code, label in SESSION_KIND_LABELS.items()},
        "checkin_methods": {code: str(label) for code, label in CHECKIN_METHOD_LABELS.items()},
    }


def counters(stats: dict) -> list[dict]:
    delegates, orgs = stats["delegates"], stats["delegates"]["organizations"]["by_sector"]
    fair, memoranda = stats["fair"], stats["memoranda"]

    def counter(key, label, value, *, text=None, note=None):
        return {"id": key, "label": str(label), "value": value, "text": text or count_text(value), "note": note}

    return [
        counter("registered", pgettext("dashboard", "Registered"), delegates["registered"],
                note=_("%(count)s awaiting approval", count=count_text(delegates["pending"]))
                if delegates["pending"] else None),
        counter("confirmed", pgettext("dashboard", "Confirmed"), delegates["confirmed"]),
        counter("checked-in", pgettext("dashboard", "Checked in"), delegates["checked_in"],
                note=_share(delegates["checked_in"], delegates["confirmed"])),
        counter("ngos", _("NGOs represented"), orgs.get("ngo", 0)),
        counter("businesses", _("Businesses represented"), orgs.get("business", 0)),
        counter("state-bodies", _("State bodies represented"), orgs.get("state", 0)),
        counter("sessions", _("Sessions"), stats["sessions"]["published"]),
        counter("projects", _("Fair projects"), fair["public"],
                note=_("%(count)s submitted in all", count=count_text(fair["projects_total"]))),
        counter("confirmed-kzt", _("Confirmed tenge"), fair["confirmed_kzt"], text=format_kzt(fair["confirmed_kzt"]),
                note=_("%(amount)s pledged", amount=format_kzt(fair["pledged_kzt"]))),
        counter("memoranda-signed", _("Memoranda signed"), memoranda["signed_total"]),
    ]


def _table(columns, rows, foot=None, *, empty=None) -> dict:
    """`empty`: nothing to show yet (the page says so instead of a chart of zeros); by default, no rows."""
    return {"columns": [{"label": str(label), "num": num} for label, num in columns], "rows": rows, "foot": foot,
            "empty": (not rows) if empty is None else bool(empty)}


def _chart(labels, datasets, *, kind="bar", horizontal=False, money=False) -> dict:
    return {"type": kind, "horizontal": horizontal, "money": money, "labels": [str(label) for label in labels],
            "datasets": [{"label": str(label), "data": list(data)} for label, data in datasets]}


def _delegate_figures(stats: dict, labels: dict) -> tuple[dict, dict]:
    delegates = stats["delegates"]
    orgs = delegates["organizations"]["by_sector"]
    tables, charts = {}, {}
    registered, confirmed, checked_in = (pgettext("dashboard", "Registered"), pgettext("dashboard", "Confirmed"),
                                         pgettext("dashboard", "Checked in"))

    sectors = delegates["by_sector"]
    tables["by-sector"] = _table(
        [(_("Sector"), False), (_("Organizations"), True), (registered, True), (confirmed, True),
         (checked_in, True)],
        [{"key": row["sector"], "cells": [_cell(labels["sectors"].get(row["sector"], row["sector"])),
                                          _num(orgs.get(row["sector"], 0)), _num(row["registered"]),
                                          _num(row["confirmed"]), _num(row["checked_in"])]} for row in sectors],
        [_cell(_("Total")), _num(delegates["organizations"]["total"]),
         *(_num(sum(row[key] for row in sectors)) for key in ("registered", "confirmed", "checked_in"))],
        empty=not delegates["registered"])
    charts["by-sector"] = _chart(
        [labels["sectors"].get(row["sector"], row["sector"]) for row in sectors],
        [(registered, [row["registered"] for row in sectors]),
         (confirmed, [row["confirmed"] for row in sectors]),
         (checked_in, [row["checked_in"] for row in sectors])])

    regions = delegates["by_region"]

    def region_name(row):
        if row["region_id"] is None:
            return labels["region_unknown"]
        return labels["regions"].get(str(row["region_id"])) or row["code"] or "?"

    tables["by-region"] = _table(
        [(_("Region"), False), (registered, True), (checked_in, True)],
        [{"key": str(row["region_id"] or "none"),
          "cells": [_cell(region_name(row)), _num(row["registered"]), _num(row["checked_in"])]} for row in regions],
        [_cell(_("Total")), _num(sum(row["registered"] for row in regions)),
         _num(sum(row["checked_in"] for row in regions))] if regions else None)
    charts["by-region"] = _chart(
        [region_name(row) for row in regions],
        [(registered, [row["registered"] for row in regions]),
         (checked_in, [row["checked_in"] for row in regions])], horizontal=True)

    formats = delegates["by_format"]

    def format_name(row):
        return labels["participation"].get(row["participation"], row["participation"])

    tables["by-format"] = _table(
        [(_("Format"), False), (registered, True), (checked_in, True)],
        [{"key": row["participation"], "cells": [_cell(format_name(row)), _num(row["registered"]),
                                                 _num(row["checked_in"])]} for row in formats],
        empty=not delegates["registered"])
    charts["by-format"] = _chart(
        [format_name(row) for row in formats],
        [(registered, [row["registered"] for row in formats]),
         (checked_in, [row["checked_in"] for row in formats])])
    return tables, charts


def _checkin_figures(stats: dict, labels: dict) -> tuple[dict, dict]:
    checkins = stats["checkins"]
    buckets = [(_when(row["start"]), row["count"]) for row in checkins["per_15_minutes"]]
    one_day = len({format_datetime(start, "yyyy-MM-dd") for start, _count in buckets}) <= 1
    pattern = "HH:mm" if one_day else "d MMM, HH:mm"
    times = [format_datetime(start, pattern) for start, _count in buckets]
    tables = {
        # The chart shows every quarter hour; the table only those with check-ins (empty rows say nothing).
        "per-15-minutes": _table(
            [(_("From"), False), (_("Check-ins"), True)],
            [{"key": start.isoformat(), "cells": [_cell(time), _num(count)]}
             for (start, count), time in zip(buckets, times) if count],
            [_cell(_("Total")), _num(checkins["total"])] if buckets else None),
    }
    charts = {"per-15-minutes": _chart(times, [(_("Check-ins"), [count for _start, count in buckets])])}
    return tables, charts


def _session_figures(stats: dict, labels: dict) -> dict:
    rows = []
    for item in stats["sessions"]["items"]:
        starts, ends = _when(item["starts_at"]), _when(item["ends_at"])
        meta = [f"{format_datetime(starts, 'd MMMM, HH:mm')}–{format_datetime(ends, 'HH:mm')}"
                if starts and ends else "",
                labels["session_kinds"].get(item["kind"], item["kind"]), item.get("hall") or ""]
        fill = item["fill_percent"]
        rows.append({"key": str(item["id"]), "cells": [
            _cell(_title(item), meta=" · ".join(part for part in meta if part)),
            _cell(count_text(item["capacity"]) if item["capacity"] is not None else _("open")),
            _num(item["enrolled"]),
            _cell(f"{fill}%" if fill is not None else "—", meter=min(fill, 100) if fill is not None else None),
            _num(item["waitlisted"]),
        ]})
    sessions = stats["sessions"]
    return {"sessions": _table(
        [(_("Session"), False), (_("Seats"), True), (pgettext("dashboard", "Enrolled"), True),
         (_("Filled"), True), (_("Waitlist"), True)], rows,
        [_cell(_("Total")), _cell(""), _num(sessions["enrolled"]), _cell(""), _num(sessions["waitlisted"])]
        if rows else None)}


def _fair_figures(stats: dict, labels: dict) -> tuple[dict, dict]:
    fair = stats["fair"]
    statuses = [(code, count) for code, count in fair["by_status"].items()]
    money = [("budget", _("Budgets requested"), fair["budget_kzt"]),
             ("pledged", _("Pledged (pending and confirmed)"), fair["pledged_kzt"]),
             ("confirmed", _("Confirmed money"), fair["confirmed_kzt"]),
             ("in-kind", _("Confirmed in-kind support"), fair["confirmed_in_kind_kzt"]),
             ("pending", _("Pending money"), fair["pending_kzt"])]
    tables = {
        "fair-status": _table(
            [(_("State"), False), (_("Projects"), True)],
            [{"key": code, "cells": [_cell(labels["project_statuses"].get(code, code)), _num(count)]}
             for code, count in statuses],
            [_cell(_("Total")), _num(fair["projects_total"])], empty=not fair["projects_total"]),
        "fair-money": _table(
            [(_("Tenge"), False), (_("Amount"), True)],
            [{"key": key, "cells": [_cell(label), _money(amount)]} for key, label, amount in money],
            empty=not fair["projects_total"]),
        "top-backers": _table(
            [(_("Organization"), False), (_("Sector"), False), (_("Confirmed money"), True),
             (_("Confirmed in-kind"), True), (_("Projects"), True)],
            [{"key": f"{row['organization']}-{n}", "cells": [
                _cell(row["organization"]), _cell(labels["sectors"].get(row["sector"], row["sector"])),
                _money(row["confirmed_kzt"]), _money(row["in_kind_kzt"]), _num(row["projects"])]}
             for n, row in enumerate(fair["top_backers"])]),
    }
    charts = {
        "fair-status": _chart([labels["project_statuses"].get(code, code) for code, _count in statuses],
                              [(_("Projects"), [count for _code, count in statuses])], horizontal=True),
        "fair-money": _chart([label for _key, label, _amount in money],
                             [(_("Tenge"), [amount for _key, _label, amount in money])],
                             horizontal=True, money=True),
    }
    return tables, charts


def _memoranda_figures(stats: dict, labels: dict) -> tuple[dict, dict]:
    memoranda = stats["memoranda"]
    statuses = list(memoranda["by_status"].items())
    levels = list(memoranda["by_level"].items())
    tables = {
        "memoranda-status": _table(
            [(_("Status"), False), (_("Memoranda"), True)],
            [{"key": code, "cells": [_cell(labels["memorandum_statuses"].get(code, code)), _num(count)]}
             for code, count in statuses],
            [_cell(_("Total")), _num(memoranda["total"])], empty=not memoranda["total"]),
        "memoranda-level": _table(
            [(_("Level"), False), (pgettext("dashboard", "Signed"), True)],
            [{"key": code, "cells": [_cell(labels["memorandum_levels"].get(code, code)), _num(count)]}
             for code, count in levels] if memoranda["signed_total"] else [],
            [_cell(_("Total")), _num(memoranda["signed_total"])] if memoranda["signed_total"] else None),
    }
    charts = {
        "memoranda-status": _chart([labels["memorandum_statuses"].get(code, code) for code, _count in statuses],
                                   [(_("Memoranda"), [count for _code, count in statuses])], horizontal=True),
        "memoranda-level": _chart([labels["memorandum_levels"].get(code, code) for code, _count in levels],
                                  [(pgettext("dashboard", "Signed"), [count for _code, count in levels])],
                                  kind="doughnut"),
    }
    return tables, charts


def facts(stats: dict) -> dict:
    """Smaller figures under each section's heading, by element id (`#stat-<id>`)."""
    delegates, sessions, fair, memoranda = stats["delegates"], stats["sessions"], stats["fair"], stats["memoranda"]
    return {
        "organizations": count_text(delegates["organizations"]["total"]),
        "pending": count_text(delegates["pending"]),
        "checkins-total": count_text(stats["checkins"]["total"]),
        "first-checkin": format_datetime(_when(stats["checkins"]["first_at"]), "HH:mm")
        if stats["checkins"]["first_at"] else "—",
        "last-checkin": format_datetime(_when(stats["checkins"]["last_at"]), "HH:mm")
        if stats["checkins"]["last_at"] else "—",
        **{f"checkins-{method}": count_text(count) for method, count in stats["checkins"]["by_method"].items()},
        "enrolled": count_text(sessions["enrolled"]),
        "waitlisted": count_text(sessions["waitlisted"]),
        "supported": count_text(fair["supported"]),
        "funded": count_text(fair["funded"]),
        "pledged-kzt": format_kzt(fair["pledged_kzt"]),
        "memoranda-parties": count_text(memoranda["parties"]),
    }


def dashboard_view(stats: dict) -> dict:
    """Everything the page shows, from `forum_stats(forum)`; call inside a request for the forum (g.forum set),
    so times are in its time zone."""
    labels = names(stats)
    tables, charts = _delegate_figures(stats, labels)
    for more_tables, more_charts in (_checkin_figures(stats, labels), _fair_figures(stats, labels),
                                     _memoranda_figures(stats, labels)):
        tables.update(more_tables)
        charts.update(more_charts)
    tables.update(_session_figures(stats, labels))
    generated = _when(stats["generated_at"])
    return {
        "updated_at": format_datetime(generated, "HH:mm:ss") if generated else "",
        "updated_at_iso": stats["generated_at"],
        "counters": counters(stats),
        "facts": facts(stats),
        "tables": tables,
        "charts": charts,
        "names": labels,
    }
