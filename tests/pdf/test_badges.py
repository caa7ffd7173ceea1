"""Badge PDFs: real (extractable) Kazakh text, embedded fonts, a QR code that scans back, sheets.

Pure-function tests: no app, no database.
"""
import dataclasses
import io

import pypdf
import pytest
from reportlab.graphics.barcode import qrencoder
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.pdf import BadgeData, render_badge, render_badge_sheets
from app.pdf.badges import (BADGE_H, BADGE_W, SECTOR_COLOURS, SECTOR_TEXT_COLOURS, SHEET_H, SHEET_W, contrast,
                            fit_text)
from app.pdf.fonts import BOLD, REGULAR, register_fonts
from app.pdf.qr import qr_matrix
from tests.helpers.pdf import decode_qr_codes, flat, page_texts

# Shaped like the real tokens: URL-safe base64 payload, dots, a base64 signature.
TOKEN = "WzEyMywgNDUsIDE3NjYxODg4MDBd.Z2xvYmFs-X3Rva2Vu_c2lnbmF0dXJl.eBktwoMFuONtGT5cvxQCnfleu2U_x9Kq"

BADGE = BadgeData(
    full_name="Әбдіқалықова Гүлшара",
    organization="«Қазақстан халқына» қоғамдық қоры",
    position="Бағдарламалар жөніндегі үйлестіруші, ұйымдастыру тобының мүшесі",
    sector="ngo",
    sector_label="ҮЕҰ",
    forum_title="Азаматтық форум «Шаһар»: ҮЕҰ, бизнес және мемлекет",
    forum_dates="20–21 желтоқсан 2026",
    qr_payload=TOKEN,
    number="№ 000123",
)

NAMES = ["Әбдіқалықова Гүлшара", "Сейітқалиев Нұрлан", "Жұмабекова Әйгерім", "Оспанов Ерұлан",
         "Қасымова Динара", "Үсенов Бауыржан", "Ғабдуллина Өміржан", "Һашимов Ілияс", "Ли Вэй"]


def text_runs(pdf: bytes, page: int = 0) -> list[tuple[str, str, float, float, float]]:
    """(text, font, x, y, font size) of every string shown on a page, in page coordinates."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            font = BOLD if "Bold" in font_dict["/BaseFont"] else REGULAR
            x, y = tm[4], tm[5]
            runs.append((text.strip(), font, cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5],
                         font_size * tm[0] * cm[0]))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def badge_pdf() -> bytes:
    return render_badge(BADGE)


def test_kazakh_text_is_real_text(badge_pdf):
    text = page_texts(badge_pdf)[0]
    for value in (BADGE.full_name, BADGE.organization, BADGE.position, BADGE.sector_label,
                  BADGE.forum_title, BADGE.forum_dates, BADGE.number):
        assert flat(value) in text
    assert set("әғқңөұүһі") <= set(text)


def test_page_is_a6_with_metadata(badge_pdf):
    reader = pypdf.PdfReader(io.BytesIO(badge_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(BADGE_W), round(BADGE_H))
    assert reader.metadata.author == "Asar"
    assert BADGE.full_name in reader.metadata.title


def test_fonts_are_embedded_dejavu(badge_pdf):
    reader = pypdf.PdfReader(io.BytesIO(badge_pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        assert "DejaVuSans" in font["/BaseFont"]          # no unembedded Helvetica either
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert b"FontFile2" in badge_pdf


def test_register_fonts_is_idempotent():
    assert register_fonts() == register_fonts() == (REGULAR, BOLD)


def test_qr_code_scans_back_to_the_payload(badge_pdf):
    assert decode_qr_codes(badge_pdf) == [TOKEN]


def test_qr_on_a_sheet_scans_back():
    badges = [dataclasses.replace(BADGE, full_name=name, qr_payload=f"{TOKEN[:-4]}{i:04d}")
              for i, name in enumerate(NAMES[:4])]
    pdf = render_badge_sheets(badges)
    assert sorted(decode_qr_codes(pdf)) == sorted(b.qr_payload for b in badges)


def test_qr_matrix_agrees_with_reportlabs_encoder():
    """Same payload, level and mask, same symbol from ReportLab's own QR encoder.

    (segno is no reference here: it adds a stray 0x00 pad codeword when the bit stream ends on a
    byte boundary, as byte-mode data always does in versions 1-9 — harmless, but not the same symbol.)
    """
    for payload, mask in ((TOKEN, 2), ("WzEyMzQ1Niw0Ml0.eBktwoMFuONtGT5cvxQCnfleu2U", 5), ("https://asar.kz/f/1", 0)):
        ours = qr_matrix(payload, error="M", mask=mask)
        theirs = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        theirs.addData(payload)
        theirs.make()                 # picks the version (and a mask) ...
        theirs.makeImpl(False, mask)  # ... then redo it with ours
        assert [[bool(v) for v in row] for row in theirs.modules] == ours
    assert qr_matrix(TOKEN, mask=2) != qr_matrix(TOKEN, mask=3)
    assert len(qr_matrix(TOKEN)) == len(qr_matrix(TOKEN, mask=2))
    with pytest.raises(ValueError):
        qr_matrix(TOKEN, mask=8)


def test_sheets_put_four_badges_on_each_a4_page():
    badges = [dataclasses.replace(BADGE, full_name=name, qr_payload=f"{TOKEN}{i}") for i, name in enumerate(NAMES)]
    pdf = render_badge_sheets(badges, with_qr=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(SHEET_W), round(SHEET_H))
    texts = page_texts(pdf)
    for i, name in enumerate(NAMES):
        for page, text in enumerate(texts):
            assert (name in text) == (page == i // 4), (name, page)


def test_empty_sheet_list_still_gives_a_pdf():
    assert len(pypdf.PdfReader(io.BytesIO(render_badge_sheets([]))).pages) == 1


LONG = dataclasses.replace(
    BADGE,
    full_name="Нұрсұлтанқызы-Әбдірахманова Айгерім-Гүлжанат Серікбайқызы Қожахметова",
    organization=("Қазақстан Республикасы Мәдениет және ақпарат министрлігінің Азаматтық қоғам істері комитеті "
                  "жанындағы «Үкіметтік емес ұйымдарды қолдау орталығы» коммерциялық емес акционерлік қоғамы "
                  "Түркістан облысы бойынша филиалы"),
    position="Халықаралық ынтымақтастық және стратегиялық серіктестік департаментінің бас сарапшысы",
    sector="international",
    sector_label="Халықаралық ұйым",
    forum_title=("Қазақстан Республикасының Азаматтық форумы: үкіметтік емес ұйымдар, бизнес және мемлекет "
                 "арасындағы әріптестіктің жаңа кезеңі, тұрақты даму мақсаттары"),
)


def assert_on_page(runs, width, height):
    for text, font, x, y, size in runs:
        assert 0 <= x and x + stringWidth(text, font, size) <= width + 0.5, text
        assert 0 <= y - 0.24 * size and y + 0.93 * size <= height, text


def test_long_name_and_organization_shrink_and_stay_on_the_badge():
    pdf = render_badge(LONG)
    text = page_texts(pdf)[0]
    assert flat(LONG.full_name) in text
    assert LONG.organization[:60] in text
    runs = text_runs(pdf)
    assert_on_page(runs, BADGE_W, BADGE_H)
    name_sizes = {size for t, _, _, _, size in runs if t in LONG.full_name}
    short_sizes = {size for t, _, _, _, size in text_runs(render_badge(BADGE)) if t in BADGE.full_name}
    assert max(name_sizes) < max(short_sizes)               # the long name was set smaller
    assert decode_qr_codes(pdf) == [TOKEN]


def test_absurd_input_is_cut_not_overflowing():
    absurd = dataclasses.replace(LONG, full_name="Ә" * 300, organization="қ" * 2000, position="ү " * 400,
                                 sector="unknown", sector_label="Ұ" * 100, forum_dates="2026 " * 50,
                                 number="№ " + "9" * 80)
    pdf = render_badge(absurd)
    assert_on_page(text_runs(pdf), BADGE_W, BADGE_H)
    assert "ӘӘӘӘӘӘӘӘ" in page_texts(pdf)[0]
    sheet = render_badge_sheets([absurd, LONG, BADGE])
    assert_on_page(text_runs(sheet), SHEET_W, SHEET_H)


def test_fit_text_respects_its_box():
    for text in (LONG.full_name, LONG.organization, "Ә" * 200, "a", ""):
        for width, height, lines in ((200, 80, 3), (90, 20, 1), (250, 40, 2)):
            block = fit_text(text, BOLD, width, height, max_size=28, min_size=8, max_lines=lines)
            assert len(block.lines) <= lines
            assert block.height <= height or len(block.lines) == 1
            assert all(stringWidth(line, BOLD, block.size) <= width + 1e-6 for line in block.lines)
    assert fit_text("Ли Вэй", BOLD, 250, 90, max_size=28, min_size=11, max_lines=3).size == 28


def test_same_data_same_bytes():
    assert render_badge(BADGE) == render_badge(BADGE)
    assert render_badge_sheets([BADGE, LONG]) == render_badge_sheets([BADGE, LONG])
    assert render_badge(BADGE) != render_badge(dataclasses.replace(BADGE, number="№ 000124"))


def test_every_sector_has_a_readable_colour():
    assert set(SECTOR_COLOURS) == {"ngo", "business", "state", "international", "media", "academia"}
    assert len(set(SECTOR_COLOURS.values())) == 6
    for sector, colour in SECTOR_COLOURS.items():
        assert contrast(colour, SECTOR_TEXT_COLOURS[sector]) >= 4.5, sector
