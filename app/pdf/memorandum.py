"""Memoranda of cooperation as PDF: A4, the Kazakh and/or Russian text, one signature block per party.

A pure function of plain data: `render_memorandum(MemorandumDocument) -> bytes`; no Flask, no models.
The document speaks the memorandum's language(s), not the reader's, so its fixed labels come from
LABELS below and not from gettext. Every page carries a footer with the SHA-256 of the canonical
content, "page x of y" and a QR code to the public verification page, so a single printed sheet can
be checked. The same data gives the same bytes (invariant mode, a /ID derived from the data): a
memorandum rendered again can be compared with a stored or sealed copy.

Layout: the forum's title, "Memorandum of cooperation No …", city and date, the parties with their
representatives, then preamble, 1. Subject, 2. Obligations (one subsection per party), 3. Term,
4. Final provisions; with two texts the Kazakh one comes first and the Russian one starts on a new
page. The signature blocks follow the texts, labelled in every language of the document.
"""
import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.pdf.badges import ASCENT, fit_text
from app.pdf.canvas import PageCountCanvas
from app.pdf.fonts import register_fonts
from app.pdf.qr import draw_qr_matrix, qr_matrix

__all__ = ["LABELS", "MemorandumDocument", "MemorandumText", "PartySignature", "render_memorandum"]


@dataclass(frozen=True)
class PartySignature:
    """One party's signature block; strings already in the document's (first) language."""

    organization: str           # "ТОО «АқсайГазСервис»"
    signatory: str              # full name
    position: str               # "Директор"
    authority: str              # "действующий на основании Устава"
    signed_at: datetime | None  # aware UTC datetime; None: not signed yet
    signature_id: str | None    # short public id, e.g. "S-7Q3K9X2A"


@dataclass(frozen=True)
class MemorandumText:
    """One language version of the memorandum."""

    lang: str                   # "kk" or "ru"
    title: str
    preamble: str
    subject: str
    obligations: list[tuple[str, str]]  # (party's organization, that party's obligations)
    term: str
    final_provisions: str


@dataclass(frozen=True)
class MemorandumDocument:
    number: str                 # "ASAR-2017/07"
    forum_title: str            # in the first text's language
    city: str
    signed_on: date             # the memorandum's date
    level: str                  # "regional" | "national"
    texts: list[MemorandumText]  # one or two: kk, then ru
    parties: list[PartySignature]
    sha256: str                 # hex digest of the canonical content (computed by the caller)
    verify_url: str             # the public verification page, also in the QR code
    draft: bool                 # True: a diagonal "DRAFT" watermark on every page
    timezone: str = "Asia/Almaty"  # the zone signature times are shown in


# The document's own vocabulary, per language (the reader's locale plays no part).
LABELS: dict[str, dict] = {
    "kk": {
        "memorandum": "Ынтымақтастық туралы меморандум",
        "level": {"regional": "Өңірлік деңгейдегі меморандум", "national": "Республикалық деңгейдегі меморандум"},
        "parties": "Тараптар",
        "represented": "өкілі —",
        "preamble": "Кіріспе",
        "subject": "1. Меморандумның мәні",
        "obligations": "2. Тараптардың міндеттемелері",
        "term": "3. Меморандумның қолданылу мерзімі",
        "final": "4. Қорытынды ережелер",
        "signatures": "Тараптардың қолтаңбалары",
        "signed": "Электрондық түрде қол қойылды",
        "not_signed": "Әлі қол қойылмаған",
        "signature_id": "Қолтаңба ID",
        "verify": "Түпнұсқалығын тексеру",
        "page": "бет {page} / {pages}",
        "draft": "ЖОБА",
    },
    "ru": {
        "memorandum": "Меморандум о сотрудничестве",
        "level": {"regional": "Меморандум регионального уровня", "national": "Меморандум республиканского уровня"},
        "parties": "Стороны",
        "represented": "представитель —",
        "preamble": "Преамбула",
        "subject": "1. Предмет меморандума",
        "obligations": "2. Обязательства сторон",
        "term": "3. Срок действия меморандума",
        "final": "4. Заключительные положения",
        "signatures": "Подписи сторон",
        "signed": "Подписано электронно",
        "not_signed": "Ещё не подписано",
        "signature_id": "ID подписи",
        "verify": "Проверка подлинности",
        "page": "стр. {page} из {pages}",
        "draft": "ПРОЕКТ",
    },
}

INK = colors.HexColor("#1c2430")
MUTED = colors.HexColor("#55606e")
BRAND = colors.HexColor("#0b6e6e")
LINE = colors.HexColor("#d5dbe3")
BOX_BG = colors.HexColor("#f5f8f9")
PENDING = colors.HexColor("#9a3412")
WATERMARK = colors.HexColor("#e2e5ea")

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 20 * mm
QR_SIZE = 19 * mm
FOOTER_Y = 8 * mm                                # bottom of the footer (and of the QR code)
FOOTER_TOP = FOOTER_Y + QR_SIZE + 2 * mm         # the rule above the footer
MARGIN_BOTTOM = FOOTER_TOP + 5 * mm
FOOTER_TEXT_W = PAGE_W - 2 * MARGIN_X - QR_SIZE - 4 * mm


def _labels(lang: str) -> dict:
    try:
        return LABELS[lang]
    except KeyError:
        raise ValueError(f"memorandum language must be one of {sorted(LABELS)}, not {lang!r}") from None


def _both(key: str, langs: list[str]) -> str:
    """A fixed label in every language of the document: "Қол қойылды / Подписано"."""
    return " / ".join(dict.fromkeys(LABELS[lang][key] for lang in langs))


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=10.5, leading=14.5, textColor=INK,
                          alignment=TA_JUSTIFY, spaceAfter=4)
    return {
        "body": base,
        "forum": ParagraphStyle("forum", parent=base, fontName=bold, fontSize=9.5, leading=12, textColor=MUTED,
                                alignment=TA_CENTER, spaceAfter=8),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=15, leading=19, alignment=TA_CENTER,
                                spaceAfter=3),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=bold, fontSize=11.5, leading=15,
                                   textColor=BRAND, alignment=TA_CENTER, spaceAfter=2),
        "level": ParagraphStyle("level", parent=base, fontSize=9, leading=12, textColor=MUTED, alignment=TA_CENTER),
        "place": ParagraphStyle("place", parent=base, alignment=TA_LEFT, spaceAfter=0),
        "date": ParagraphStyle("date", parent=base, alignment=TA_RIGHT, spaceAfter=0),
        "heading": ParagraphStyle("heading", parent=base, fontName=bold, fontSize=11.5, leading=15,
                                  textColor=BRAND, alignment=TA_LEFT, spaceBefore=9, spaceAfter=4, keepWithNext=1),
        "subheading": ParagraphStyle("subheading", parent=base, fontName=bold, fontSize=10.5, leading=14,
                                     alignment=TA_LEFT, spaceBefore=4, spaceAfter=2, keepWithNext=1),
        "party": ParagraphStyle("party", parent=base, leftIndent=5 * mm, firstLineIndent=-5 * mm, spaceAfter=3),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=bold, fontSize=9.5, leading=12.5,
                                    alignment=TA_LEFT, spaceAfter=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, alignment=TA_LEFT, spaceAfter=1),
        "cell_signed": ParagraphStyle("cell_signed", parent=base, fontSize=8.5, leading=11, textColor=BRAND,
                                      alignment=TA_LEFT, spaceBefore=4, spaceAfter=1),
        "cell_pending": ParagraphStyle("cell_pending", parent=base, fontName=bold, fontSize=8.5, leading=11,
                                       textColor=PENDING, alignment=TA_LEFT, spaceBefore=4, spaceAfter=1),
    }


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """One Paragraph per non-empty line: long texts then break across pages between and inside them."""
    return [Paragraph(escape(line.strip()), style) for line in text.splitlines() if line.strip()]


def _lower_first(word: str) -> str:
    """"Директор" → "директор" inside a sentence; "IT-директор" or "ТОО" stay as they are."""
    return word[:1].lower() + word[1:] if word[1:2].islower() else word


def _party_line(party: PartySignature, lang: str) -> str:
    who = " ".join(p for p in (_lower_first(party.position), party.signatory) if p)
    parts = [party.organization]
    if who:
        parts.append(f"{LABELS[lang]['represented']} {who}")
    if party.authority:
        parts.append(party.authority)
    return ", ".join(parts)


def _version(doc: MemorandumDocument, text: MemorandumText, st: dict, *, first: bool) -> list:
    """One language version: its header, the parties, the five sections."""
    labels = _labels(text.lang)
    story: list = []
    if first and doc.forum_title:
        story.append(Paragraph(escape(doc.forum_title), st["forum"]))
    story.append(Paragraph(escape(f"{labels['memorandum']} №\u00a0{doc.number}"), st["title"]))
    if text.title:
        story.append(Paragraph(escape(text.title), st["subtitle"]))
    if doc.level in labels["level"]:
        story.append(Paragraph(escape(labels["level"][doc.level]), st["level"]))
    place = Table([[Paragraph(escape(doc.city), st["place"]),
                    Paragraph(doc.signed_on.strftime("%d.%m.%Y"), st["date"])]],
                  colWidths=["50%", "50%"], spaceBefore=8, spaceAfter=6)
    place.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),  # not Helvetica
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.6, LINE), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    story.append(place)

    story.append(Paragraph(escape(labels["parties"]), st["heading"]))
    for i, party in enumerate(doc.parties, start=1):
        story.append(Paragraph(escape(f"{i}. {_party_line(party, text.lang)}"), st["party"]))
    if text.preamble.strip():
        story.append(Paragraph(escape(labels["preamble"]), st["heading"]))
        story += _paragraphs(text.preamble, st["body"])
    story.append(Paragraph(escape(labels["subject"]), st["heading"]))
    story += _paragraphs(text.subject, st["body"])
    story.append(Paragraph(escape(labels["obligations"]), st["heading"]))
    for i, (organization, obligations) in enumerate(text.obligations, start=1):
        story.append(Paragraph(escape(f"2.{i}. {organization}"), st["subheading"]))
        story += _paragraphs(obligations, st["body"])
    story.append(Paragraph(escape(labels["term"]), st["heading"]))
    story += _paragraphs(text.term, st["body"])
    story.append(Paragraph(escape(labels["final"]), st["heading"]))
    story += _paragraphs(text.final_provisions, st["body"])
    return story


def _offset_label(moment: datetime) -> str:
    """"UTC+5", "UTC+5:45", "UTC−3" from the moment's own offset (zones change theirs: Almaty did in 2024)."""
    minutes = round(moment.utcoffset().total_seconds() / 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _signed_line(party: PartySignature, langs: list[str], zone: ZoneInfo) -> str:
    moment = party.signed_at
    if moment.tzinfo is None:  # the caller promised UTC; a naive value is taken at its word
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(zone)
    return f"{_both('signed', langs)}: {local:%d.%m.%Y %H:%M} ({_offset_label(local)})"


def _signatures(doc: MemorandumDocument, st: dict, width: float) -> list:
    """The signature blocks, two side by side; a pair is never split across pages."""
    langs = [text.lang for text in doc.texts]
    zone = ZoneInfo(doc.timezone)
    cells = []
    for party in doc.parties:
        cell = [Paragraph(escape(party.organization), st["cell_bold"]),
                Paragraph(escape(party.signatory), st["cell_bold"]),
                Paragraph(escape(party.position), st["cell"])]
        if party.signed_at is None:
            cell.append(Paragraph(escape(_both("not_signed", langs)), st["cell_pending"]))
        else:
            cell.append(Paragraph(escape(_signed_line(party, langs, zone)), st["cell_signed"]))
            if party.signature_id:
                cell.append(Paragraph(escape(f"{_both('signature_id', langs)}: {party.signature_id}"), st["cell"]))
        cells.append(cell)
    if not cells:
        return []
    if len(cells) % 2:
        cells.append("")
    gap = 6 * mm
    widths = [(width - gap) / 2, gap, (width - gap) / 2]
    rows = []
    for left, right in zip(cells[::2], cells[1::2]):
        row = Table([[left, "", right]], colWidths=widths, spaceAfter=4 * mm)  # one row: never split
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),
                 ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                 ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
        for column, cell in ((0, left), (2, right)):
            if cell:
                box = (column, 0), (column, 0)
                style += [("BOX", *box, 0.6, LINE), ("BACKGROUND", *box, BOX_BG)]
        row.setStyle(TableStyle(style))
        rows.append(row)
    return [CondPageBreak(45 * mm), Paragraph(escape(_both("signatures", langs)), st["heading"]), *rows]


def _draw_watermark(canvas: Canvas, text: str, bold: str) -> None:
    """A big diagonal word under the page's content (drawn before the text, so it never hides it)."""
    angle = math.degrees(math.atan2(PAGE_H, PAGE_W))
    size = min(96.0, 0.8 * math.hypot(PAGE_W, PAGE_H) / stringWidth(text, bold, 1))
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(bold, size)
    canvas.translate(PAGE_W / 2, PAGE_H / 2)
    canvas.rotate(angle)
    canvas.drawCentredString(0, -size * 0.35, text)
    canvas.restoreState()


@lru_cache(maxsize=256)
def _verify_qr(url: str) -> list[list[bool]]:
    """Computed once per address, not per page or per download: the mask search is the slow part."""
    return qr_matrix(url, error="M")


def _footer_canvas(doc: MemorandumDocument, regular: str, bold: str):
    """A canvas that holds its pages back until the end, so each footer can say "of y"."""
    labels = _labels(doc.texts[0].lang)
    fingerprint = hashlib.sha256(repr(doc).encode()).hexdigest()
    hash_line = f"SHA-256: {doc.sha256}"
    hash_size = min(7.0, FOOTER_TEXT_W / stringWidth(hash_line, regular, 1))
    qr = _verify_qr(doc.verify_url)
    url = fit_text(f"{labels['verify']}: {doc.verify_url}", regular, FOOTER_TEXT_W, 2 * 7 * 1.2,
                   max_size=7, min_size=5, max_lines=2, leading=1.2)

    class FooterCanvas(PageCountCanvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Invariant mode gives every document the same /ID; make it this document's own.
            self._doc.updateSignature(fingerprint)

        def decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setStrokeColor(LINE)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, FOOTER_TOP, PAGE_W - MARGIN_X, FOOTER_TOP)
            self.setFillColor(MUTED)
            top = FOOTER_Y + QR_SIZE - 1 * mm
            self.setFont(regular, hash_size)
            self.drawString(MARGIN_X, top - hash_size * ASCENT, hash_line)
            top -= hash_size * 1.5
            self.setFont(url.font, url.size)
            for line in url.lines:
                self.drawString(MARGIN_X, top - url.size * ASCENT, line)
                top -= url.leading
            self.setFillColor(INK)
            self.setFont(bold, 8)
            self.drawString(MARGIN_X, FOOTER_Y + 1.5 * mm,
                            f"№ {doc.number}  ·  " + labels["page"].format(page=number, pages=total))
            draw_qr_matrix(self, qr, PAGE_W - MARGIN_X - QR_SIZE, FOOTER_Y, QR_SIZE, quiet_zone=2)
            self.restoreState()

    return FooterCanvas


def render_memorandum(doc: MemorandumDocument) -> bytes:
    """The memorandum as an A4 PDF (see the module's docstring for the layout)."""
    if not 1 <= len(doc.texts) <= 2:
        raise ValueError(f"a memorandum has one or two language versions, not {len(doc.texts)}")
    regular, bold = register_fonts()
    st = _styles(regular, bold)
    first = _labels(doc.texts[0].lang)
    langs = [text.lang for text in doc.texts]
    title = f"{first['memorandum']} № {doc.number}"
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author="Asar", subject=doc.forum_title, creator="Asar",
        producer="Asar", keywords=f"SHA-256 {doc.sha256}", invariant=1, pageCompression=1, lang=doc.texts[0].lang,
        initialFontName=regular, initialFontSize=10,
    )
    story: list = []
    for i, text in enumerate(doc.texts):
        if i:
            story.append(PageBreak())
        story += _version(doc, text, st, first=i == 0)
    story += _signatures(doc, st, template.width)

    watermark = " / ".join(dict.fromkeys([LABELS[lang]["draft"] for lang in langs] + ["DRAFT"]))

    def on_page(canvas: Canvas, _template) -> None:
        if doc.draft:
            _draw_watermark(canvas, watermark, bold)
        if canvas.getPageNumber() > 1:  # a running head; the first page has the big title instead
            canvas.saveState()
            canvas.setFillColor(MUTED)
            canvas.setFont(regular, 7.5)
            head = fit_text(doc.forum_title, regular, (PAGE_W - 2 * MARGIN_X) * 0.6, 9, max_size=7.5, min_size=7.5,
                            max_lines=1)
            if head.lines:
                canvas.drawString(MARGIN_X, PAGE_H - 12 * mm, head.lines[0])
            canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 12 * mm, title)
            canvas.setStrokeColor(LINE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN_X, PAGE_H - 14 * mm, PAGE_W - MARGIN_X, PAGE_H - 14 * mm)
            canvas.restoreState()

    template.build(story, onFirstPage=on_page, onLaterPages=on_page,
                   canvasmaker=_footer_canvas(doc, regular, bold))
    return buffer.getvalue()
