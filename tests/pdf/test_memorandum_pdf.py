"""Memorandum PDFs as a pure function: real Kazakh text, the footer on every page, a QR code that scans
back to the verification page, the same bytes for the same data, the draft watermark, long texts.

No app, no database.
"""
import dataclasses
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from app.pdf.memorandum import render_memorandum
from tests.helpers.memoranda import KK, PARTIES, RU, SHA, URL, lengthen, sample_memorandum
from tests.helpers.pdf import decode_qr_codes, flat, page_texts

NOT_SIGNED = "Әлі қол қойылмаған / Ещё не подписано"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_memorandum(sample_memorandum())


@pytest.fixture(scope="module")
def texts(pdf) -> list[str]:
    return page_texts(pdf)


def test_kazakh_text_and_names_are_real_text(texts):
    everything = " ".join(texts)
    for version in (KK, RU):
        for value in (version.title, version.preamble, version.subject, version.term, version.final_provisions,
                      *(line for _org, duties in version.obligations for line in duties.splitlines())):
            assert flat(value) in everything, value
    for party in PARTIES:
        for value in (party.organization, party.signatory, party.position):
            assert flat(value) in everything, value
    for value in ("Атырау облыстық саңыраулар қоғамы", "ТОО «АқсайГазСервис»", "Әкімдік",
                  "Ынтымақтастық туралы меморандум № ASAR-2026/07", "Меморандум о сотрудничестве № ASAR-2026/07",
                  "ASAR Атырау 2026: ҮЕҰ, бизнес және мемлекет форумы", "Атырау 17.09.2026",
                  "2. Тараптардың міндеттемелері", "2.2. ТОО «АқсайГазСервис»", "4. Заключительные положения",
                  "ТОО «АқсайГазСервис», представитель — директор Петров Дмитрий Сергеевич, Жарғы негізінде"):
        assert value in everything, value
    assert set("әғқңөұүһі") <= set(everything.lower())


def test_kazakh_first_then_russian_on_a_new_page_then_the_signatures(texts):
    ru_start = next(i for i, text in enumerate(texts) if flat(RU.title) in text)
    assert ru_start > 0
    assert all(flat(RU.subject) not in text for text in texts[:ru_start])
    assert all(flat(KK.subject) not in text and "Қорытынды ережелер" not in text for text in texts[ru_start:])
    signatures = next(i for i, text in enumerate(texts) if "Тараптардың қолтаңбалары / Подписи сторон" in text)
    assert signatures == len(texts) - 1
    assert texts[-1].index(flat(RU.final_provisions)) < texts[-1].index("Подписи сторон")


def test_signature_blocks_show_local_time_and_id_or_not_signed_yet(texts):
    last = texts[-1]
    assert ("Электрондық түрде қол қойылды / Подписано электронно: 17.09.2026 14:05 (UTC+5) "
            "Қолтаңба ID / ID подписи: S-7Q3K9X2A") in last          # 09:05 UTC is 14:05 in Almaty
    assert "18.09.2026 09:00 (UTC+5)" in last and "S-2ZP6WD9C" in last
    assert last.count("Подписано электронно") == 3
    assert f"{PARTIES[3].position} {NOT_SIGNED}" in last
    assert NOT_SIGNED not in render_text(sample_memorandum(parties=PARTIES[:3]))


def test_every_page_has_the_full_hash_numbering_and_the_address(texts):
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"SHA-256: {SHA}" in text
        assert f"№ ASAR-2026/07 · бет {number} / {len(texts)}" in text
        assert f"Түпнұсқалығын тексеру: {URL}" in text


def test_the_qr_code_opens_the_verification_page(pdf, texts):
    assert decode_qr_codes(pdf, page=0) == [URL]
    assert decode_qr_codes(pdf, page=len(texts) - 1) == [URL]  # the signatures' page


def test_a4_with_embedded_fonts_and_metadata(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "DejaVuSans" in font["/BaseFont"] and "/FontFile2" in font["/FontDescriptor"].get_object()
    assert reader.metadata.title == "Ынтымақтастық туралы меморандум № ASAR-2026/07"
    assert reader.metadata.author == "Asar"
    assert reader.metadata.subject == "ASAR Атырау 2026: ҮЕҰ, бизнес және мемлекет форумы"


def test_the_same_data_gives_the_same_bytes_and_one_character_changes_them(pdf):
    assert render_memorandum(sample_memorandum()) == pdf
    changed = render_memorandum(sample_memorandum(texts=[dataclasses.replace(KK, term=KK.term.replace("31", "30")),
                                                         RU]))
    assert changed != pdf
    ids = [pypdf.PdfReader(io.BytesIO(data)).trailer["/ID"][0] for data in (pdf, changed)]
    assert ids[0] != ids[1]  # invariant mode alone would give every memorandum the same /ID


def test_the_same_bytes_in_another_process(pdf):
    """What a stored hash or a seal is compared with may be rendered by another worker, after a restart."""
    script = ("import hashlib; from app.pdf.memorandum import render_memorandum; "
              "from tests.helpers.memoranda import sample_memorandum; "
              "print(hashlib.sha256(render_memorandum(sample_memorandum())).hexdigest())")
    root = Path(__file__).resolve().parents[2]
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", script], cwd=root, env={**os.environ, "PYTHONHASHSEED": seed},
                             capture_output=True, text=True, check=True).stdout
        assert out.strip() == hashlib.sha256(pdf).hexdigest()


def test_draft_watermark_only_on_drafts(texts):
    draft = page_texts(render_memorandum(sample_memorandum(draft=True)))
    assert len(draft) == len(texts)
    assert all("ЖОБА / ПРОЕКТ / DRAFT" in text for text in draft)
    assert not any("DRAFT" in text or "ЖОБА" in text for text in texts)
    kazakh_only = page_texts(render_memorandum(sample_memorandum(texts=[KK], draft=True)))
    assert all("ЖОБА / DRAFT" in text and "ПРОЕКТ" not in text for text in kazakh_only)


def test_russian_only_memorandum_speaks_russian():
    texts = page_texts(render_memorandum(sample_memorandum(texts=[RU], level="national")))
    everything = " ".join(texts)
    assert "Меморандум республиканского уровня" in everything and "Подписи сторон" in everything
    assert "Қолтаңба" not in everything and "Тараптар" not in everything
    assert "Подписано электронно: 17.09.2026 14:05 (UTC+5) ID подписи: S-7Q3K9X2A" in everything
    assert "Ещё не подписано" in everything and NOT_SIGNED not in everything
    assert all(f"стр. {n} из {len(texts)}" in text for n, text in enumerate(texts, start=1))


def test_long_texts_flow_over_pages():
    long = sample_memorandum(texts=[lengthen(KK, 40), lengthen(RU, 40)],
                             parties=PARTIES + [dataclasses.replace(PARTIES[1], organization=f"ЖШС «Серіктес {i}»")
                                                for i in range(5)])
    pdf = render_memorandum(long)
    texts = page_texts(pdf)
    assert len(texts) >= 6
    for number, text in enumerate(texts, start=1):
        assert f"SHA-256: {SHA}" in text and f"бет {number} / {len(texts)}" in text
    everything = " ".join(texts)
    for i in range(1, 41):  # a paragraph may break across pages, but never inside its first line
        assert f"{i}) {KK.subject[:30]}" in everything and f"{i}) {RU.subject[:30]}" in everything
    assert "ЖШС «Серіктес 4»" in texts[-1] and flat(RU.final_provisions) in everything
    assert decode_qr_codes(pdf, page=3) == [URL]


def test_one_huge_paragraph_splits_across_pages():
    huge = dataclasses.replace(KK, preamble=" ".join([KK.preamble] * 60))
    texts = page_texts(render_memorandum(sample_memorandum(texts=[huge])))
    assert len(texts) >= 3 and all(f"SHA-256: {SHA}" in text for text in texts)


def test_one_or_two_known_languages():
    with pytest.raises(ValueError):
        render_memorandum(sample_memorandum(texts=[]))
    with pytest.raises(ValueError):
        render_memorandum(sample_memorandum(texts=[KK, RU, KK]))
    with pytest.raises(ValueError):
        render_memorandum(sample_memorandum(texts=[dataclasses.replace(KK, lang="en")]))


def render_text(doc) -> str:
    return " ".join(page_texts(render_memorandum(doc)))
