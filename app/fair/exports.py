"""The fair's projects and pledges as CSV and XLSX files for the organizers (plain functions: rows in, bytes out).

Written like the delegate list (app/registration/exports.py): CSV in UTF-8 with a byte-order mark so
Excel keeps Kazakh letters; text anyone typed is data, never a formula (a leading apostrophe makes a
cell starting with = + - @ inert); money as whole tenge (numbers in XLSX, grouped by Excel's format).
"""
from collections.abc import Callable, Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.i18n import pledge_status_label, project_category_label, project_status_label
from app.models import Delegate, FairProject, Forum, Pledge
from app import tables

Money = tables.Money  # re-exported: the fair's rows mark tenge with it


def _local(value: datetime | None, forum: Forum) -> datetime | None:
    return value.astimezone(forum.tzinfo).replace(tzinfo=None) if value is not None else None


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


# ---------------------------------------------------------------- projects


def _project_columns() -> list[tuple[str, int]]:
    return [
        (_("ID"), 7), (_("Title (Kazakh)"), 40), (_("Title (Russian)"), 40), (_("Organization"), 34),
        (_("BIN"), 14), (_("Category"), 20), (_("Region"), 24), (_("Settlement"), 18), (_("Beneficiaries"), 26),
        (_("Number of beneficiaries"), 12), (_("Duration, months"), 10), (_("Budget, ₸"), 15),
        (_("Confirmed money, ₸"), 15), (_("Confirmed in-kind, ₸"), 15), (_("Covered, ₸"), 15),
        (_("Pending money, ₸"), 15), (_("Still needed, ₸"), 15), (_("Backers"), 9), (_("Status"), 20),
        (_("Booth"), 9), (_("Winner"), 8), (_("Contact person"), 26), (_("Phone"), 18), (_("Email"), 28),
        (_("Submitted at"), 17), (_("Approved at"), 17),
    ]


def _project_row(project: FairProject, forum: Forum, language: str) -> list:
    org = project.organization
    return [
        project.id, project.title_kk or "", project.title_ru or "", org.name if org else "",
        (org.bin or "") if org else "", project_category_label(project.category),
        project.region.tr("name", language) if project.region else "", project.settlement or "",
        project.beneficiaries or "", project.beneficiaries_count, project.duration_months,
        Money(project.budget_kzt), Money(project.confirmed_kzt), Money(project.confirmed_in_kind_kzt),
        Money(project.covered_kzt), Money(project.pending_kzt), Money(project.needed_kzt), project.backers_count,
        project_status_label(project.status), project.booth or "", _yes(project.is_winner),
        project.contact_name or "", project.contact_phone or "", project.contact_email or "",
        _local(project.submitted_at, forum), _local(project.approved_at, forum),
    ]


# ---------------------------------------------------------------- pledges


def forum_pledges(forum: Forum) -> list[Pledge]:
    """Every pledge made at the forum's fair, oldest first, with what the file needs loaded."""
    return list(db.session.scalars(
        sa.select(Pledge).where(Pledge.forum_id == forum.id)
        .options(joinedload(Pledge.project), joinedload(Pledge.organization), joinedload(Pledge.delegate))
        .order_by(Pledge.created_at, Pledge.id)))


def _pledge_columns() -> list[tuple[str, int]]:
    return [
        (_("ID"), 7), (_("Project ID"), 9), (_("Project"), 40), (_("Business"), 34), (_("BIN"), 14),
        (_("Delegate"), 26), (_("Email"), 28), (_("Money, ₸"), 15), (_("In-kind support"), 34),
        (_("In-kind value, ₸"), 15), (_("Total value, ₸"), 15), (_("Status"), 20), (_("Comment"), 30),
        (_("Pledged at"), 17), (_("Answered at"), 17),
    ]


def _pledge_row(pledge: Pledge, forum: Forum, language: str) -> list:
    org = pledge.organization
    delegate: Delegate | None = pledge.delegate
    return [
        pledge.id, pledge.project_id, pledge.project.title if pledge.project else "", org.name if org else "",
        (org.bin or "") if org else "", delegate.full_name if delegate else "", delegate.email if delegate else "",
        Money(pledge.amount_kzt) if pledge.amount_kzt is not None else None, pledge.in_kind or "",
        Money(pledge.in_kind_value_kzt) if pledge.in_kind_value_kzt is not None else None,
        Money(pledge.value_kzt), pledge_status_label(pledge.status), pledge.comment or "",
        _local(pledge.created_at, forum), _local(pledge.decided_at, forum),
    ]


# ---------------------------------------------------------------- writers

KINDS: dict[str, tuple[Callable, Callable]] = {  # columns, one row
    "projects": (_project_columns, _project_row),
    "pledges": (_pledge_columns, _pledge_row),
}


def to_csv(kind: str, items: Iterable, forum: Forum, language: str) -> bytes:
    """UTF-8 with a byte-order mark, comma-separated; money as plain whole numbers (app/tables.py)."""
    columns, row_of = KINDS[kind]
    with force_locale(language):
        return tables.to_csv(columns(), (row_of(item, forum, language) for item in items))


def _sheet_title(kind: str) -> str:
    return _("Projects") if kind == "projects" else _("Pledges")


def to_xlsx(kind: str, items: Iterable, forum: Forum, language: str) -> bytes:
    """One sheet: a bold, frozen header with an autofilter; times as date-times, money as grouped numbers."""
    columns, row_of = KINDS[kind]
    with force_locale(language):
        return tables.to_xlsx([tables.Sheet(_sheet_title(kind), columns(),
                                            (row_of(item, forum, language) for item in items))])
