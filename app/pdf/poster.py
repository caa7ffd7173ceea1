"""The fair's booth poster: one A4 portrait page a NGO puts up at its booth.

A pure function of plain data: `render_poster(PosterData) -> bytes`; no Flask, no models. The caller
translates and formats every text (money, percent, labels) in the reader's language. Text is set in the
embedded DejaVu fonts (Kazakh letters print, and can be searched and copied); the QR code is vector
(app/pdf/qr.py) and opens the project's page on a phone, where a business can pledge.

Layout, top to bottom: a band with the forum's title; the booth number, big; the project's title (and
its title in the other language); organization, category and region; the summary; the budget with a
progress bar; "scan to support" above a large QR code and the address it opens.
"""
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.colors import toColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.pdf.badges import ASCENT, TextBlock, fit_text
from app.pdf.fonts import register_fonts
from app.pdf.qr import draw_qr

__all__ = ["PosterData", "render_poster"]

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
BAND_H = 26 * mm
QR_SIZE = 78 * mm
BOTTOM = 10 * mm

BRAND = "#0b6e6e"
BRAND_LIGHT = "#e6f0f0"
INK = "#1c2430"
MUTED = "#55606e"
WHITE = "#FFFFFF"
BAR_BG = "#d5dbe3"
BAR_FILL = "#1d7a3a"
GOLD = "#8a5a00"


@dataclass(frozen=True)
class PosterData:
    """Everything printed, already in the reader's language and formatted."""

    forum_title: str
    title: str                    # the project's title in the reader's language
    url: str                      # what the QR code opens: the project's page
    other_title: str = ""         # its title in the other language, when the NGO gave both
    organization: str = ""
    details: str = ""             # "Youth · Atyrau Region, Atyrau"
    summary: str = ""
    booth_label: str = "Booth"
    booth: str = ""
    budget_text: str = ""         # "Budget requested: 2 000 000 ₸"
    progress_text: str = ""       # "1 500 000 ₸ of 2 000 000 ₸ (75%)"
    percent: int = 0              # 0–100, the bar's length
    scan_text: str = "Scan to support this project"
    winner_text: str = ""         # "Winner of the fair", when it is one


def _draw(canvas: Canvas, block: TextBlock, top: float, colour: str, *, centre: bool = False) -> float:
    """Draw `block` with its top at `top`; returns its bottom."""
    if not block.lines:
        return top
    canvas.setFillColor(toColor(colour))
    canvas.setFont(block.font, block.size)
    baseline = top - block.size * ASCENT
    for line in block.lines:
        if centre:
            canvas.drawCentredString(PAGE_W / 2, baseline, line)
        else:
            canvas.drawString(MARGIN, baseline, line)
        baseline -= block.leading
    return top - block.height


def render_poster(poster: PosterData) -> bytes:
    regular, bold = register_fonts()
    buffer = BytesIO()
    # invariant: the same poster gives the same bytes (no timestamps or random ids).
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=regular,
                    initialFontSize=10)
    canvas.setTitle(f"{poster.title} — {poster.forum_title}")
    canvas.setAuthor("Asar")
    canvas.setCreator("Asar")
    canvas.setSubject(poster.forum_title)

    # The band with the forum's title.
    canvas.setFillColor(toColor(BRAND))
    canvas.rect(0, PAGE_H - BAND_H, PAGE_W, BAND_H, stroke=0, fill=1)
    forum = fit_text(poster.forum_title, bold, CONTENT_W, BAND_H - 8 * mm, max_size=18, min_size=10, max_lines=2,
                     leading=1.15)
    _draw(canvas, forum, PAGE_H - BAND_H + (BAND_H + forum.height) / 2, WHITE, centre=True)
    top = PAGE_H - BAND_H - 6 * mm

    # The booth, big enough to read across the hall.
    if poster.booth:
        box_h = 30 * mm
        canvas.setFillColor(toColor(BRAND_LIGHT))
        canvas.roundRect(MARGIN, top - box_h, CONTENT_W, box_h, 4 * mm, stroke=0, fill=1)
        label = fit_text(poster.booth_label, regular, CONTENT_W / 2 - 10 * mm, 14, max_size=16, min_size=9,
                         max_lines=1)
        number = fit_text(poster.booth, bold, CONTENT_W / 2, box_h - 6 * mm, max_size=64, min_size=20,
                          max_lines=1)
        label_w = stringWidth(label.lines[0], label.font, label.size)
        number_w = stringWidth(number.lines[0], number.font, number.size)
        x = (PAGE_W - label_w - 5 * mm - number_w) / 2  # "Booth  A-12", centred as a pair
        canvas.setFillColor(toColor(MUTED))
        canvas.setFont(label.font, label.size)
        canvas.drawString(x, top - box_h / 2 - label.size * 0.35, label.lines[0])
        canvas.setFillColor(toColor(BRAND))
        canvas.setFont(number.font, number.size)
        canvas.drawString(x + label_w + 5 * mm, top - box_h / 2 - number.size * 0.36, number.lines[0])
        top -= box_h + 6 * mm

    # Bottom up: the address under the QR code, the code, the call to scan it, then money above them.
    url = fit_text(poster.url, regular, CONTENT_W, 2 * 9 * 1.2, max_size=9, min_size=6, max_lines=2)
    url_top = BOTTOM + url.height
    _draw(canvas, url, url_top, MUTED, centre=True)
    qr_y = url_top + 2 * mm
    draw_qr(canvas, poster.url, (PAGE_W - QR_SIZE) / 2, qr_y, QR_SIZE, error="M")
    scan = fit_text(poster.scan_text, bold, CONTENT_W, 2 * 20 * 1.15, max_size=20, min_size=11, max_lines=2)
    scan_top = qr_y + QR_SIZE + 2 * mm + scan.height
    _draw(canvas, scan, scan_top, BRAND, centre=True)

    money_bottom = scan_top + 7 * mm
    bar_h = 7 * mm
    progress = fit_text(poster.progress_text, regular, CONTENT_W, 14, max_size=12, min_size=8, max_lines=1)
    budget = fit_text(poster.budget_text, bold, CONTENT_W, 16, max_size=14, min_size=9, max_lines=1)
    money_top = money_bottom + progress.height + 2 * mm + bar_h + 2.5 * mm + budget.height
    y = _draw(canvas, budget, money_top, INK) - 2.5 * mm
    canvas.setFillColor(toColor(BAR_BG))
    canvas.roundRect(MARGIN, y - bar_h, CONTENT_W, bar_h, bar_h / 2, stroke=0, fill=1)
    share = max(0, min(100, poster.percent)) / 100
    if share > 0:
        canvas.setFillColor(toColor(BAR_FILL))
        canvas.roundRect(MARGIN, y - bar_h, max(bar_h, CONTENT_W * share), bar_h, bar_h / 2, stroke=0, fill=1)
    _draw(canvas, progress, y - bar_h - 2 * mm, INK)

    # The project itself, in the room left between the booth and the money.
    room_bottom = money_top + 8 * mm
    room = top - room_bottom
    if poster.winner_text:
        winner = fit_text(poster.winner_text, bold, CONTENT_W, 14, max_size=13, min_size=9, max_lines=1)
        top = _draw(canvas, winner, top, GOLD) - 2 * mm
        room = top - room_bottom
    title = fit_text(poster.title, bold, CONTENT_W, min(room * 0.4, 3 * 30 * 1.12), max_size=30, min_size=14,
                     max_lines=3, leading=1.12)
    top = _draw(canvas, title, top, INK) - 2 * mm
    if poster.other_title:
        other = fit_text(poster.other_title, regular, CONTENT_W, min((top - room_bottom) * 0.3, 2 * 18 * 1.15),
                         max_size=18, min_size=10, max_lines=2)
        top = _draw(canvas, other, top, INK) - 3 * mm
    if poster.organization:
        org = fit_text(poster.organization, bold, CONTENT_W, 2 * 14 * 1.15, max_size=14, min_size=9, max_lines=2)
        top = _draw(canvas, org, top, BRAND) - 1.5 * mm
    if poster.details:
        details = fit_text(poster.details, regular, CONTENT_W, 2 * 12 * 1.15, max_size=12, min_size=8, max_lines=2)
        top = _draw(canvas, details, top, MUTED) - 4 * mm
    if poster.summary and top - room_bottom > 12:
        summary = fit_text(poster.summary, regular, CONTENT_W, top - room_bottom, max_size=13, min_size=8,
                           max_lines=12, leading=1.3)
        _draw(canvas, summary, top, INK)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
