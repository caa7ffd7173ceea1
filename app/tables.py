"""Rows to files: one table as CSV, one or more tables as an XLSX workbook (rows in, bytes out).

The fair's, the dashboard's and the audit log's files are written here; the delegate export's helpers are
reused: CSV in UTF-8 with a byte-order mark so Excel keeps Kazakh letters; text is data, never a formula
(a cell that would start with = + - @ gets a leading apostrophe, in both formats); times are naive
datetimes on the forum's clock (real date-times in XLSX); tenge are `Money` (grouped whole numbers in XLSX).
"""
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.registration.exports import TIME_FORMAT, XLSX_TIME_FORMAT, _xlsx_value, neutralize

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "%Y-%m-%d"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
SHEET_TITLE_LIMIT = 31
_FORBIDDEN_IN_SHEET_TITLES = str.maketrans({c: " " for c in "[]:*?/\\"})

__all__ = ["Money", "Sheet", "XLSX_MIMETYPE", "to_csv", "to_xlsx", "neutralize"]


class Money(int):
    """An amount of tenge: written as a number with grouped digits in XLSX."""


@dataclass
class Sheet:
    """One table: a header row of (title, column width in characters), then the rows.

    `intro` lines go above the header (the first one bold: a title), `totals` is a bold row after the rows,
    `notes` are lines after a blank row (sentences, explanations).
    """

    title: str
    columns: list[tuple[str, int]]
    rows: Iterable[list]
    intro: list[list] = field(default_factory=list)
    totals: list | None = None
    notes: list[str] = field(default_factory=list)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Money):
        return int(value)
    return neutralize(value)


def to_csv(columns: list[tuple[str, int]], rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark, comma-separated, CRLF line ends; money as plain whole numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralize(title) for title, _width in columns])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def sheet_title(text: str) -> str:
    """A title Excel accepts: no [ ] : * ? / \\, at most 31 characters."""
    return " ".join(text.translate(_FORBIDDEN_IN_SHEET_TITLES).split())[:SHEET_TITLE_LIMIT] or "Sheet"


def _cell(ws, value, *, bold: bool = False):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = XLSX_TIME_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = XLSX_DATE_FORMAT
    elif isinstance(value, Money):
        cell = WriteOnlyCell(ws, value=int(value))
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, str):
        cell = WriteOnlyCell(ws, value=_xlsx_value(neutralize(value)))
    else:
        cell = WriteOnlyCell(ws, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write_sheet(wb: Workbook, sheet: Sheet, used: set[str]) -> None:
    title = sheet_title(sheet.title)
    n = 2
    while title.casefold() in used:  # Excel refuses two sheets with one name
        suffix = f" ({n})"
        title = sheet_title(sheet.title)[:SHEET_TITLE_LIMIT - len(suffix)] + suffix
        n += 1
    used.add(title.casefold())
    ws = wb.create_sheet(title)
    header_row = len(sheet.intro) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    for index, (_title, width) in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for number, line in enumerate(sheet.intro):
        ws.append([_cell(ws, value, bold=number == 0) for value in line])
    header = []
    for title_text, _width in sheet.columns:
        cell = _cell(ws, title_text, bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in sheet.rows:
        ws.append([_cell(ws, value) for value in row])
        count += 1
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(len(sheet.columns), 1))}{header_row + count}"
    if sheet.totals is not None:
        ws.append([_cell(ws, value, bold=True) for value in sheet.totals])
    if sheet.notes:
        ws.append([])
        for note in sheet.notes:
            ws.append([_cell(ws, note)])


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """One worksheet per `Sheet`, in order: a bold, frozen header with an autofilter over the rows."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        _write_sheet(wb, sheet, used)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
