"""The delegate list as CSV and XLSX files (plain functions: delegates in, bytes out).

Text a delegate typed is data, never a formula: a cell that would start with = + - @
(or a tab / carriage return) gets a leading apostrophe, in both formats.
"""
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.i18n import DELEGATE_STATUS_LABELS, LANGUAGE_NAMES, PARTICIPATION_LABELS, SECTOR_LABELS
from app.models import Delegate, Forum

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
TIME_FORMAT = "%Y-%m-%d %H:%M"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm"


def _columns() -> list[tuple[str, int]]:
    """(header in the current language, width of the XLSX column in characters)."""
    return [
        (_("ID"), 8), (_("Full name"), 32), (_("Email"), 30), (_("Phone"), 18), (_("Organization"), 36),
        (_("BIN"), 14), (_("Position"), 26), (_("Sector"), 18), (_("Region"), 26), (_("Format"), 12),
        (_("Language"), 11), (_("Accessibility needs"), 30), (_("Status"), 16), (_("Registered at"), 17),
        (_("Consent given at"), 17), (_("Checked in at"), 17),
    ]


def neutralize(value):
    """Text that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local(value: datetime | None, forum: Forum) -> datetime | None:
    return value.astimezone(forum.tzinfo).replace(tzinfo=None) if value is not None else None


def _labels() -> dict[str, dict[str, str]]:
    """The translated labels, looked up once per file rather than once per cell."""
    return {
        "sector": {key: str(label) for key, label in SECTOR_LABELS.items()},
        "participation": {key: str(label) for key, label in PARTICIPATION_LABELS.items()},
        "status": {key: str(label) for key, label in DELEGATE_STATUS_LABELS.items()},
    }


def _values(delegate: Delegate, forum: Forum, language: str, labels: dict[str, dict[str, str]]) -> list:
    """One row, times as naive datetimes on the forum's clock (each writer formats them)."""
    org = delegate.organization
    return [
        delegate.id,
        delegate.full_name,
        delegate.email,
        delegate.phone or "",
        org.name if org else "",
        (org.bin or "") if org else "",
        delegate.position or "",
        labels["sector"][delegate.sector.value],
        delegate.region.tr("name", language) if delegate.region else "",
        labels["participation"][delegate.participation.value],
        LANGUAGE_NAMES.get(delegate.language, delegate.language or ""),
        delegate.accessibility_needs or "",
        labels["status"][delegate.status.value],
        _local(delegate.created_at, forum),
        _local(delegate.consent_given_at, forum),
        _local(delegate.checkin.checked_in_at, forum) if delegate.checkin else None,
    ]


def _rows(delegates: Iterable[Delegate], forum: Forum, language: str) -> Iterator[list]:
    labels = _labels()
    for delegate in delegates:
        yield [neutralize(v) for v in _values(delegate, forum, language, labels)]


def to_csv(delegates: Iterable[Delegate], forum: Forum, language: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Kazakh letters right; comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    with force_locale(language):
        writer.writerow([neutralize(title) for title, _width in _columns()])
        for row in _rows(delegates, forum, language):
            writer.writerow(["" if v is None else v.strftime(TIME_FORMAT) if isinstance(v, datetime) else v
                             for v in row])
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses to write
    return value


def to_xlsx(delegates: Iterable[Delegate], forum: Forum, language: str) -> bytes:
    """One sheet: a bold, frozen header row with an autofilter; times as real date-times."""
    wb = Workbook(write_only=True)
    with force_locale(language):
        columns = _columns()
        ws = wb.create_sheet(_("Delegates")[:31])
        ws.freeze_panes = "A2"
        for index, (_title, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        bold = Font(bold=True)
        header = []
        for title, _width in columns:
            cell = WriteOnlyCell(ws, value=neutralize(title))
            cell.font = bold
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            header.append(cell)
        ws.append(header)
        count = 0
        for row in _rows(delegates, forum, language):
            cells = []
            for value in row:
                if isinstance(value, datetime):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = XLSX_TIME_FORMAT
                    cells.append(cell)
                else:
                    cells.append(_xlsx_value(value))
            ws.append(cells)
            count += 1
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
