"""The booth poster as a pure function: A4, real Kazakh text, embedded fonts, a QR code that scans back.

No app, no database.
"""
import dataclasses
import io

import pypdf
import pytest

from app.pdf.poster import PosterData, render_poster
from tests.helpers.pdf import decode_qr_codes, flat, page_texts

URL = "https://asar.example.kz/forums/asar-atyrau-2026/fair/projects/1042"
POSTER = PosterData(
    forum_title="ASAR Атырау 2026: ҮЕҰ, бизнес және мемлекет форумы",
    title="Есту қабілеті бұзылған жастарды жұмыспен қамту",
    other_title="Трудоустройство глухой молодёжи",
    organization="Атырау облыстық саңыраулар қоғамы",
    details="Инклюзия · Атырау облысы, Құлсары",
    summary="Жоба саңырау жастарға ым тілі бар кәсіби курстар ұйымдастырып, жергілікті кәсіпорындарда "
            "жұмыс орындарын ашады. Өңірдегі үй-жайлар мен жабдықтар қолданылады.",
    booth_label="Стенд", booth="A-12",
    budget_text="Сұралған бюджет: 2\u00a0000\u00a0000\u00a0₸",
    progress_text="1\u00a0500\u00a0000\u00a0₸ / 2\u00a0000\u00a0000\u00a0₸ (75%)", percent=75,
    scan_text="Жобаны қолдау үшін сканерлеңіз", winner_text="Жәрмеңке жеңімпазы", url=URL)


@pytest.fixture(scope="module")
def poster_pdf() -> bytes:
    return render_poster(POSTER)


def test_everything_is_real_text(poster_pdf):
    text = flat(page_texts(poster_pdf)[0])
    for value in (POSTER.forum_title, POSTER.title, POSTER.other_title, POSTER.organization, POSTER.details,
                  POSTER.summary, POSTER.booth_label, POSTER.booth, POSTER.budget_text, POSTER.progress_text,
                  POSTER.scan_text, POSTER.winner_text, URL):
        assert flat(value) in text, value
    assert set("әғқңөұүі") <= set(text.lower())


def test_a4_portrait_with_embedded_dejavu(poster_pdf):
    reader = pypdf.PdfReader(io.BytesIO(poster_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        assert "DejaVuSans" in font["/BaseFont"] and "/FontFile2" in font["/FontDescriptor"].get_object()
    assert POSTER.title in reader.metadata.title


def test_the_qr_code_opens_the_project(poster_pdf):
    assert decode_qr_codes(poster_pdf, dpi=150) == [URL]


def test_long_texts_never_break_the_page():
    long = dataclasses.replace(POSTER, title="Жоба " * 60, other_title="Проект " * 40, summary="Мәтін " * 800,
                               organization="Ұйым " * 40, booth="12345678901234567890")
    pdf = render_poster(long)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert decode_qr_codes(pdf, dpi=150) == [URL]


def test_without_booth_or_support_and_the_same_bytes_each_time():
    bare = dataclasses.replace(POSTER, booth="", winner_text="", percent=0, other_title="")
    assert render_poster(bare) == render_poster(bare)
    text = flat(page_texts(render_poster(bare))[0])
    assert "Стенд" not in text and POSTER.title in text
