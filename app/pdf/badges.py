"""Delegate badges: one A6 page, or A4 sheets of four A6 badges with cut marks.

Pure drawing: fed `BadgeData` (already translated and formatted), no Flask, no database.

Badge layout, top to bottom (A6 portrait, 105 × 148 mm):
  forum title (small, up to 2 lines) and a thin rule;
  the delegate's name (large, bold, up to 3 lines), organization, position — shrunk to fit;
  a full-width band in the sector's colour with the sector word;
  the forum dates and the badge number on the left, the QR code on the right.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from reportlab.lib.colors import Color, toColor
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.pdf.fonts import register_fonts
from app.pdf.qr import draw_qr

__all__ = ["BadgeData", "SECTOR_COLOURS", "SECTOR_TEXT_COLOURS", "render_badge", "render_badge_sheets"]


@dataclass(frozen=True)
class BadgeData:
    full_name: str
    organization: str
    position: str
    sector: str          # ngo, business, state, international, media, academia
    sector_label: str    # the word printed in the colour band, already translated
    forum_title: str     # already in the reader's language
    forum_dates: str     # already formatted
    qr_payload: str      # the signed badge token
    number: str = ""     # e.g. "№ 000123"


# One distinct colour per sector, dark or saturated enough to print well on office printers.
SECTOR_COLOURS: dict[str, str] = {
    "ngo": "#2E7D32",            # green
    "business": "#1F4E9E",       # deep blue
    "state": "#00A0C6",          # sky blue (the flag's)
    "international": "#6A1B9A",  # purple
    "media": "#BF360C",          # burnt orange
    "academia": "#F2B705",       # amber
}
FALLBACK_COLOUR = "#546E7A"      # slate, for a sector this module does not know

WHITE = "#FFFFFF"
INK = "#1A1A1A"
GREY = "#555555"
RULE = "#C8C8C8"
CUT_MARK = "#404040"


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of "#RRGGBB"."""
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two "#RRGGBB" colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    return WHITE if contrast(background, WHITE) >= contrast(background, INK) else INK


SECTOR_TEXT_COLOURS: dict[str, str] = {sector: text_colour_on(c) for sector, c in SECTOR_COLOURS.items()}


@lru_cache(maxsize=64)
def _rgb(hex_colour: str) -> Color:
    """ReportLab colour object (parsing "#RRGGBB" on every use is measurably slow)."""
    return toColor(hex_colour)


# --- geometry (points; origin at the badge's lower-left corner) ---------------------------------
BADGE_W, BADGE_H = A6                      # 105 × 148 mm
MARGIN = 7 * mm                            # side margin for text
CONTENT_W = BADGE_W - 2 * MARGIN
TOP_MARGIN = 6.5 * mm

BAND_Y, BAND_H = 48 * mm, 17 * mm          # full-width sector band
QR_SIZE = 40 * mm                          # including the 4-module quiet zone
QR_X, QR_Y = BADGE_W - 3.5 * mm - QR_SIZE, 4 * mm
# Badge tokens are signed, random-looking data, so the QR mask search buys little and costs ~85 %
# of the encoding time; mask 2 scored best on average over sample tokens (see app/pdf/qr.py).
QR_MASK = 2
QR_ERROR = "M"
LEFT_COL_X, LEFT_COL_W = MARGIN, QR_X - MARGIN   # dates and number, left of the QR code

ELLIPSIS = "…"
# DejaVu Sans vertical metrics, in ems (hhea ascent/descent); cap height for centring in the band.
ASCENT, DESCENT, CAP_HEIGHT = 0.93, 0.24, 0.73


# --- text fitting ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextBlock:
    lines: tuple[str, ...]
    font: str
    size: float
    leading: float       # baseline to baseline, points

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return self.size * (ASCENT + DESCENT) + (len(self.lines) - 1) * self.leading


def _wrap_words(words: list[str], font: str, size: float, width: float) -> list[str] | None:
    """Greedy word wrap; None if a single word is wider than `width`."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    line, line_w = "", 0.0
    for word in words:
        w = stringWidth(word, font, size)
        if w > width:
            return None
        if not line:
            line, line_w = word, w
        elif line_w + space + w <= width:
            line, line_w = f"{line} {word}", line_w + space + w
        else:
            lines.append(line)
            line, line_w = word, w
    if line:
        lines.append(line)
    return lines


def _wrap_chars(text: str, font: str, size: float, width: float) -> list[str]:
    """Word wrap that also breaks words too wide for a line (last resort)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        piece = ""
        for ch in word:
            if piece and stringWidth(piece + ch, font, size) > width:
                lines.append(piece)
                piece = ch
            else:
                piece += ch
        lines.append(piece)
    return lines


def _with_ellipsis(line: str, font: str, size: float, width: float) -> str:
    line = line.rstrip()
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


@lru_cache(maxsize=8192)
def fit_text(text: str, font: str, width: float, max_height: float, *, max_size: float,
             min_size: float, max_lines: int, leading: float = 1.15, step: float = 0.5) -> TextBlock:
    """The largest font size (max_size down to min_size) at which `text` word-wraps into
    `width` × `max_height` in at most `max_lines` lines.

    If even min_size is too big, words are broken and the text is cut with an ellipsis:
    the block never exceeds the box.
    """
    text = " ".join(text.split())
    if not text:
        return TextBlock((), font, max_size, max_size * leading)
    words = text.split(" ")
    # No size can be larger than the one at which the widest word just fits.
    widest = max(stringWidth(w, font, 1) for w in words)
    size = max_size
    if widest * size > width:
        size = max(min_size, int(width / widest / step) * step)
    while size >= min_size - 1e-9:
        lines = _wrap_words(words, font, size, width)
        if lines is not None and len(lines) <= max_lines:
            block = TextBlock(tuple(lines), font, size, size * leading)
            if block.height <= max_height:
                return block
        size -= step
    size = min_size
    fits = 1 + int((max_height - size * (ASCENT + DESCENT)) // (size * leading))
    keep = max(1, min(max_lines, fits))
    lines = _wrap_chars(text, font, size, width)
    if len(lines) > keep:
        lines = lines[:keep - 1] + [_with_ellipsis(lines[keep - 1], font, size, width)]
    return TextBlock(tuple(lines), font, size, size * leading)


def _draw_block(canvas: Canvas, block: TextBlock, top: float, *, centre_x: float | None = None,
                left_x: float | None = None, colour: str = INK) -> float:
    """Draw `block` with its top at `top`; returns its bottom."""
    if not block.lines:
        return top
    canvas.setFillColor(_rgb(colour))
    canvas.setFont(block.font, block.size)
    baseline = top - block.size * ASCENT
    for line in block.lines:
        if centre_x is not None:
            canvas.drawCentredString(centre_x, baseline, line)
        else:
            canvas.drawString(left_x, baseline, line)
        baseline -= block.leading
    return top - block.height


# --- one badge ------------------------------------------------------------------------------------
def _draw_badge(canvas: Canvas, badge: BadgeData, *, with_qr: bool = True) -> None:
    """Draw one badge with its lower-left corner at the canvas origin."""
    regular, bold = register_fonts()
    centre = BADGE_W / 2
    colour = SECTOR_COLOURS.get(badge.sector, FALLBACK_COLOUR)

    # Forum title and a thin rule under it.
    top = BADGE_H - TOP_MARGIN
    title = fit_text(badge.forum_title, bold, CONTENT_W, 2 * 9 * 1.2, max_size=9, min_size=6.5, max_lines=2,
                     leading=1.2)
    bottom = _draw_block(canvas, title, top, centre_x=centre, colour=GREY)
    rule_y = min(bottom, top - 9 * (ASCENT + DESCENT)) - 2.5 * mm
    canvas.setStrokeColor(_rgb(RULE))
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, rule_y, BADGE_W - MARGIN, rule_y)

    # Name, organization, position: fitted into the space between the rule and the band,
    # then centred vertically in it.
    zone_top, zone_bottom = rule_y - 3 * mm, BAND_Y + BAND_H + 3 * mm
    zone_h = zone_top - zone_bottom
    name_gap, org_gap = 3.5 * mm, 1.8 * mm
    position_reserve = 2 * 10 * 1.15 if badge.position.strip() else 0.0
    name = fit_text(badge.full_name, bold, CONTENT_W, min(34 * mm, zone_h - 18 * mm), max_size=28, min_size=11,
                    max_lines=3, leading=1.12)
    room = zone_h - name.height - name_gap
    org = fit_text(badge.organization, regular, CONTENT_W, max(room - position_reserve - org_gap, 8 * 1.2),
                   max_size=12, min_size=7, max_lines=4)
    room -= org.height + (org_gap if org.lines else 0)
    # The position is never set larger than the organization above it.
    position = fit_text(badge.position, regular, CONTENT_W, max(room, 7 * 1.2),
                        max_size=min(10, org.size) if org.lines else 10, min_size=7, max_lines=2)
    blocks = [(name, INK), (org, INK), (position, GREY)]
    gaps = [name_gap if org.lines or position.lines else 0, org_gap if org.lines and position.lines else 0, 0]
    total = sum(b.height for b, _ in blocks) + sum(gaps)
    y = zone_top - max(0.0, (zone_h - total) / 2)
    for (block, ink), gap in zip(blocks, gaps):
        y = _draw_block(canvas, block, y, centre_x=centre, colour=ink) - gap

    # Sector band.
    canvas.setFillColor(_rgb(colour))
    canvas.rect(0, BAND_Y, BADGE_W, BAND_H, stroke=0, fill=1)
    label = fit_text(badge.sector_label, bold, CONTENT_W, BAND_H - 3 * mm, max_size=30, min_size=9,
                     max_lines=2, leading=1.05)
    if len(label.lines) == 1:
        baseline = BAND_Y + (BAND_H - label.size * CAP_HEIGHT) / 2
        label_top = baseline + label.size * ASCENT
    else:
        label_top = BAND_Y + (BAND_H + label.height) / 2
    _draw_block(canvas, label, label_top, centre_x=centre, colour=text_colour_on(colour))

    # Dates and number on the left of the QR code, the code on the right.
    col_centre = LEFT_COL_X + LEFT_COL_W / 2
    dates = fit_text(badge.forum_dates, bold, LEFT_COL_W - 2 * mm, 2 * 11 * 1.2, max_size=11, min_size=7,
                     max_lines=2, leading=1.2)
    _draw_block(canvas, dates, QR_Y + QR_SIZE / 2 + dates.height / 2, centre_x=col_centre)
    if badge.number:
        number = fit_text(badge.number, regular, LEFT_COL_W - 2 * mm, 9, max_size=8, min_size=6, max_lines=1)
        _draw_block(canvas, number, QR_Y + 3.5 * mm + number.height, centre_x=col_centre, colour=GREY)
    if with_qr and badge.qr_payload:
        draw_qr(canvas, badge.qr_payload, QR_X, QR_Y, QR_SIZE, error=QR_ERROR, mask=QR_MASK)


def _new_canvas(buffer: BytesIO, pagesize, title: str, subject: str) -> Canvas:
    # invariant: no timestamps or random ids, so the same badges give the same bytes.
    # initialFontName: otherwise every page names (unembedded) Helvetica, which is never used.
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1,
                    initialFontName=register_fonts().regular, initialFontSize=10)
    canvas.setTitle(title)
    canvas.setAuthor("Asar")
    canvas.setCreator("Asar")
    canvas.setSubject(subject)
    return canvas


def render_badge(badge: BadgeData) -> bytes:
    """One badge on an A6 portrait page (the delegate's own download)."""
    register_fonts()
    buffer = BytesIO()
    canvas = _new_canvas(buffer, A6, f"{badge.full_name} — {badge.forum_title}", badge.forum_title)
    _draw_badge(canvas, badge)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- A4 sheets --------------------------------------------------------------------------------------
SHEET_W, SHEET_H = A4
PER_SHEET = 4
# Two A6 badges fill the A4 width exactly; the 1 mm of spare height goes half above, half below.
SHEET_Y0 = (SHEET_H - 2 * BADGE_H) / 2
SLOTS = (                                   # lower-left corners: top-left, top-right, bottom-left, bottom-right
    (0.0, SHEET_Y0 + BADGE_H), (BADGE_W, SHEET_Y0 + BADGE_H),
    (0.0, SHEET_Y0), (BADGE_W, SHEET_Y0),
)
MARK_LEN = 6 * mm


def _draw_cut_marks(canvas: Canvas) -> None:
    """Short marks on the two cut lines (the badges touch each other), at every badge corner."""
    cx, cy = BADGE_W, SHEET_Y0 + BADGE_H
    top, bottom = SHEET_Y0 + 2 * BADGE_H, SHEET_Y0
    canvas.saveState()
    canvas.setStrokeColor(_rgb(CUT_MARK))
    canvas.setLineWidth(0.4)
    path = canvas.beginPath()
    for x0, y0, x1, y1 in (
        (cx, bottom, cx, bottom + MARK_LEN),               # vertical cut, at the bottom edge
        (cx, cy - MARK_LEN, cx, cy + MARK_LEN),            # ... across the middle
        (cx, top - MARK_LEN, cx, top),                     # ... at the top edge
        (0, cy, MARK_LEN, cy),                             # horizontal cut, at the left edge
        (cx - MARK_LEN, cy, cx + MARK_LEN, cy),            # ... across the middle
        (SHEET_W - MARK_LEN, cy, SHEET_W, cy),             # ... at the right edge
        (0, bottom, MARK_LEN, bottom), (SHEET_W - MARK_LEN, bottom, SHEET_W, bottom),  # outer cuts (0.5 mm)
        (0, top, MARK_LEN, top), (SHEET_W - MARK_LEN, top, SHEET_W, top),
    ):
        path.moveTo(x0, y0)
        path.lineTo(x1, y1)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def render_badge_sheets(badges: Sequence[BadgeData], *, with_qr: bool = True) -> bytes:
    """A4 portrait pages with four A6 badges each (2 × 2) and cut marks, for printing a whole forum.

    `with_qr=False` leaves the QR codes out; it exists only as the benchmark's baseline.
    """
    register_fonts()
    buffer = BytesIO()
    forum = badges[0].forum_title if badges else ""
    canvas = _new_canvas(buffer, A4, forum or "Asar", forum)
    for start in range(0, len(badges), PER_SHEET):
        for badge, (x, y) in zip(badges[start:start + PER_SHEET], SLOTS):
            canvas.saveState()
            canvas.translate(x, y)
            _draw_badge(canvas, badge, with_qr=with_qr)
            canvas.restoreState()
        _draw_cut_marks(canvas)
        canvas.showPage()
    if not badges:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
