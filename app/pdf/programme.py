"""The printable programme: A4, one table per day (time · hall · session), page "x of y".

A pure function of plain data: `render_programme(ProgrammeData) -> bytes`. No Flask, no
models: the caller translates every label and formats every time before calling. The text
is set in the embedded DejaVu fonts (app/pdf/fonts.py), so Kazakh letters print and can be
searched and copied; `invariant=1` makes the bytes depend on the data only.
"""
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.pdf.canvas import PageCountCanvas
from app.pdf.fonts import register_fonts

INK = colors.HexColor("#1c2430")
MUTED = colors.HexColor("#55606e")
BRAND = colors.HexColor("#0b6e6e")
LINE = colors.HexColor("#d5dbe3")
ZEBRA = colors.HexColor("#f3f6f8")
HEAD_BG = colors.HexColor("#e6f0f0")
CANCELLED_HEX = "#b3261e"

MARGIN_X = 16 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm


@dataclass(frozen=True)
class ProgrammeEntry:
    """One session as printed; every string already in the reader's language."""

    time: str                       # "10:00–11:30" in the forum's time zone
    title: str
    kind: str = ""                  # "Panel discussion"
    hall: str = ""
    people: tuple[str, ...] = ()    # "Name — Moderator, position, organization"
    details: str = ""               # "Қазақша, Русский · simultaneous interpretation"
    cancelled: bool = False


@dataclass(frozen=True)
class ProgrammeDay:
    heading: str                    # "Day 1 · Monday, 16 September"
    entries: tuple[ProgrammeEntry, ...] = ()


@dataclass(frozen=True)
class ProgrammeLabels:
    programme: str = "Programme"
    time: str = "Time"
    hall: str = "Hall"
    session: str = "Session"
    cancelled: str = "Cancelled"
    page: str = "Page %(page)d of %(pages)d"  # %-format with page and pages
    empty: str = "The programme has not been published yet."


@dataclass(frozen=True)
class ProgrammeData:
    title: str                      # the forum's title
    dates: str = ""                 # "16–17 September 2030"
    venue: str = ""                 # "Hall, venue, city"
    note: str = ""                  # "Times are local (Asia/Almaty, UTC+5)."
    days: tuple[ProgrammeDay, ...] = ()
    labels: ProgrammeLabels = field(default_factory=ProgrammeLabels)
    language: str = "ru"


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11.5, textColor=INK, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=18, leading=22, spaceAfter=3),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=bold, fontSize=12, leading=15,
                                   textColor=BRAND, spaceAfter=2),
        "facts": ParagraphStyle("facts", parent=base, fontSize=10, leading=13, textColor=MUTED),
        "day": ParagraphStyle("day", parent=base, fontName=bold, fontSize=13, leading=16, textColor=BRAND),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8.5, leading=10, textColor=MUTED),
        "time": ParagraphStyle("time", parent=base, fontName=bold, fontSize=9.5, leading=12),
        "hall": ParagraphStyle("hall", parent=base, fontSize=8.5, leading=11),
        "kind": ParagraphStyle("kind", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "entry": ParagraphStyle("entry", parent=base, fontName=bold, fontSize=10, leading=12.5),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "empty": ParagraphStyle("empty", parent=base, fontSize=10, leading=13, textColor=MUTED),
    }


def _entry_cell(entry: ProgrammeEntry, labels: ProgrammeLabels, st: dict) -> list:
    cell = []
    if entry.kind:
        cell.append(Paragraph(escape(entry.kind.upper()), st["kind"]))
    title = escape(entry.title)
    if entry.cancelled:
        title = f'<strike>{title}</strike> <font color="{CANCELLED_HEX}">— {escape(labels.cancelled)}</font>'
    cell.append(Paragraph(title, st["entry"]))
    for person in entry.people:
        cell.append(Paragraph(escape(person), st["small"]))
    if entry.details:
        cell.append(Paragraph(escape(entry.details), st["muted"]))
    return cell


def _day_table(day: ProgrammeDay, labels: ProgrammeLabels, st: dict, width: float) -> Table:
    """The day's heading and column titles are the table's first two rows: they repeat on every
    page the day runs over, and the heading can never be left alone at the bottom of a page."""
    widths = [27 * mm, 36 * mm, width - 63 * mm]
    rows = [[Paragraph(escape(day.heading), st["day"]), "", ""],
            [Paragraph(escape(labels.time), st["head"]), Paragraph(escape(labels.hall), st["head"]),
             Paragraph(escape(labels.session), st["head"])]]
    for entry in day.entries:
        rows.append([Paragraph(escape(entry.time), st["time"]), Paragraph(escape(entry.hall or "—"), st["hall"]),
                     _entry_cell(entry, labels, st)])
    table = Table(rows, colWidths=widths, repeatRows=2, spaceBefore=6, spaceAfter=6)
    style = [
        ("SPAN", (0, 0), (-1, 0)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
        ("BACKGROUND", (0, 1), (-1, 1), HEAD_BG),
        ("LINEBELOW", (0, 1), (-1, 1), 0.8, BRAND),
        ("LINEBELOW", (0, 2), (-1, -1), 0.4, LINE),
    ]
    for row in range(3, len(rows), 2):
        style.append(("BACKGROUND", (0, row), (-1, row), ZEBRA))
    table.setStyle(TableStyle(style))
    return table


def _numbered_canvas(data: ProgrammeData, regular: str, bold: str):
    """A canvas that holds its pages back until the end, so each footer can say "of y"."""

    class NumberedCanvas(PageCountCanvas):
        def decorate(self, number: int, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setStrokeColor(LINE)
            self.setLineWidth(0.5)
            self.setFillColor(MUTED)
            if number > 1:  # the first page has the big title instead
                self.line(MARGIN_X, height - 14 * mm, width - MARGIN_X, height - 14 * mm)
                self.setFont(bold, 8)
                self.drawString(MARGIN_X, height - 12 * mm, _fit(self, data.title, bold, 8, width * 0.62))
                self.setFont(regular, 8)
                self.drawRightString(width - MARGIN_X, height - 12 * mm, data.labels.programme)
            self.setFont(regular, 8)
            self.line(MARGIN_X, 12 * mm, width - MARGIN_X, 12 * mm)
            footer = " · ".join(p for p in (data.dates, data.venue) if p)
            self.drawString(MARGIN_X, 8 * mm, _fit(self, footer, regular, 8, width * 0.62))
            self.drawRightString(width - MARGIN_X, 8 * mm,
                                 data.labels.page % {"page": number, "pages": total})
            self.restoreState()

    return NumberedCanvas


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """Shorten a header line with an ellipsis so it never runs into the right-hand text."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_programme(data: ProgrammeData) -> bytes:
    regular, bold = register_fonts()
    st = _styles(regular, bold)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{data.title} — {data.labels.programme}", author="Asar",
        subject=data.labels.programme, creator="Asar", producer="Asar", invariant=1, pageCompression=1,
        lang=data.language,
    )
    story: list = [Paragraph(escape(data.title), st["title"]),
                   Paragraph(escape(data.labels.programme), st["subtitle"])]
    facts = " · ".join(p for p in (data.dates, data.venue) if p)
    if facts:
        story.append(Paragraph(escape(facts), st["facts"]))
    if data.note:
        story.append(Paragraph(escape(data.note), st["facts"]))
    story.append(Spacer(1, 4 * mm))
    if not any(day.entries for day in data.days):
        story.append(Paragraph(escape(data.labels.empty), st["empty"]))
    for day in data.days:
        if not day.entries:
            continue
        story.append(_day_table(day, data.labels, st, doc.width))
    doc.build(story, canvasmaker=_numbered_canvas(data, regular, bold))
    return buffer.getvalue()
