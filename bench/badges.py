"""Badge PDF benchmark: 1,000 badges on A4 sheets, with and without QR codes, and the QR encoders.

Run from the repository root:  .venv/bin/python bench/badges.py [--count 1000] [--repeat 3]

Goal: the sheets with QR codes take at most 3x the time of the same sheets without them.
"""
import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from app.pdf import BadgeData, render_badge_sheets  # noqa: E402
from app.registration.tokens import make_badge_token  # noqa: E402
from app.pdf.badges import QR_MASK  # noqa: E402
from app.pdf.qr import qr_matrix  # noqa: E402

SURNAMES = ["Әбдіқалық", "Нұрсұлтан", "Сейітқали", "Жұмабек", "Оспан", "Қасым", "Үсен", "Ғабдулла", "Төлеген",
            "Мұхамеджан", "Бекмұхамбет", "Ерғали", "Сәрсенбай", "Құдайберген", "Өтеміс", "Шәріп", "Ілияс",
            "Жақсылық", "Тұрсынбай", "Әуезхан", "Байқоңыр", "Нұрлыбай", "Серікбай", "Қожахмет", "Ыбырай"]
FIRST_F = ["Гүлшара", "Әйгерім", "Динара", "Айгерім", "Жанар", "Меруерт", "Құралай", "Ұлжан", "Гүлназ", "Дәмелі",
           "Сәуле", "Айнұр", "Өмірзая", "Інкәр", "Ақбота", "Шұғыла"]
FIRST_M = ["Нұрлан", "Ерұлан", "Бауыржан", "Асқар", "Дәурен", "Ғалымжан", "Қайрат", "Мұрат", "Серік", "Өмірзақ",
           "Тілеуқабыл", "Ілияс", "Жәнібек", "Ұлан", "Әлихан", "Һамит"]
FATHERS = ["Наурызбай", "Тұрсын", "Қали", "Серік", "Бақыт", "Әмір", "Жұмағали", "Өмір", "Ғани", "Ықылас"]
ORGANIZATIONS = [
    "«Қазақстан халқына» қоғамдық қоры",
    "«Атамекен» Қазақстан Республикасының Ұлттық кәсіпкерлер палатасы",
    "Қазақстан Республикасы Мәдениет және ақпарат министрлігі Азаматтық қоғам істері комитеті",
    "«Жасыл Қазақстан» экологиялық қоғамдық бірлестігі",
    "ТОО «Қазақтелеком-Сервис»",
    "Әл-Фараби атындағы Қазақ ұлттық университеті",
    "«Егемен Қазақстан» республикалық газеті",
    "БҰҰ Даму бағдарламасының Қазақстандағы өкілдігі",
    "Алматы қаласы әкімдігінің Қоғамдық даму басқармасы",
    "«Ақ жол» мүмкіндігі шектеулі жандарды қолдау қоры",
    "",
]
POSITIONS = ["Атқарушы директор", "Бағдарламалар жөніндегі үйлестіруші", "Басқарма төрағасының орынбасары",
             "Бас сарапшы", "Жоба менеджері", "Тілші", "Профессор, ғылым докторы", "Еріктілер тобының жетекшісі", ""]
SECTORS = [("ngo", "ҮЕҰ"), ("business", "Бизнес"), ("state", "Мемлекеттік орган"),
           ("international", "Халықаралық ұйым"), ("media", "БАҚ"), ("academia", "Ғылым")]


def make_badges(count: int) -> list[BadgeData]:
    rng = random.Random(2026)
    # Exactly the real badge tokens (app/registration/tokens.py), for six-digit delegate ids.
    secret = "bench-secret-key-" * 3
    badges, names = [], set()
    for i in range(count):
        while True:
            female = rng.random() < 0.5
            surname = rng.choice(SURNAMES) + ("ова" if female else "ов")
            first = rng.choice(FIRST_F if female else FIRST_M)
            patronymic = rng.choice(FATHERS) + ("қызы" if female else "ұлы")
            name = f"{surname} {first} {patronymic}"
            if name not in names:
                names.add(name)
                break
        sector, label = SECTORS[i % len(SECTORS)]
        badges.append(BadgeData(
            full_name=name,
            organization=rng.choice(ORGANIZATIONS),
            position=rng.choice(POSITIONS),
            sector=sector,
            sector_label=label,
            forum_title="Азаматтық форум «Бірлік»: ҮЕҰ, бизнес және мемлекет әріптестігі",
            forum_dates="20–21 желтоқсан 2026",
            qr_payload=make_badge_token(secret, 100000 + i, 42),
            number=f"№ {100000 + i:06d}",
        ))
    return badges


# CPU time of this process: other jobs sharing the machine inflate wall-clock time, not this.
clock = time.process_time


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        start = clock()
        result = fn()
        times.append(clock() - start)
    return min(times), result


def encoders(mask: int, everything: bool):
    """name -> function(payload) computing the QR matrix at level M."""
    found = {
        "qrcode, best of 8 masks": lambda p: qr_matrix(p, error="M"),
        f"qrcode, mask {mask} (used for badges)": lambda p: qr_matrix(p, error="M", mask=mask),
    }
    try:
        import segno

        found["segno, best of 8 masks"] = lambda p: segno.make_qr(p, error="m", boost_error=False).matrix
        found[f"segno, mask {mask}"] = lambda p: segno.make_qr(p, error="m", boost_error=False, mask=mask).matrix
    except ImportError:
        print("  (segno not installed: pip install segno to compare it)")
    from reportlab.graphics.barcode import qrencoder

    def reportlab(p, fixed=None):
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(p)
        if fixed is None:
            code.make()
        else:  # make() without its mask search: version from the data, then one fixed mask
            code.version = code.calculate_version()
            code.makeImpl(False, fixed)
        return code.modules

    if everything:  # the slowest of all (~7.5 ms a code), left out by default to keep the run short
        found["reportlab, best of 8 masks"] = reportlab
    found[f"reportlab, mask {mask}"] = lambda p: reportlab(p, mask)
    try:  # not a candidate on the list, but installed for the tests: a C++ encoder, for scale
        import zxingcpp

        def zxing(p):
            code = zxingcpp.create_barcode(p, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
            return bytes(memoryview(code.to_image(scale=1, add_quiet_zones=False)))

        found["zxing-cpp (C++), best of 8 masks"] = zxing
    except (ImportError, AttributeError):
        pass
    return found


def check_scans(pdf: bytes, pages: list[int], expected: list[str]) -> str:
    try:
        import pypdfium2 as pdfium
        import zxingcpp
    except ImportError:
        return "skipped (pip install pypdfium2 zxing-cpp)"
    document = pdfium.PdfDocument(pdf)
    decoded = []
    for page in pages:
        image = document[page].render(scale=200 / 72).to_pil()
        decoded += [c.text for c in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    document.close()
    ok = sorted(decoded) == sorted(expected)
    return f"{len(decoded)}/{len(expected)} codes on pages {[p + 1 for p in pages]} decode to their tokens" + (
        "" if ok else "  <-- MISMATCH")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="also time ReportLab's encoder with its mask search")
    args = parser.parse_args()

    badges = make_badges(args.count)
    tokens = [b.qr_payload for b in badges]
    lengths = sorted(len(t) for t in tokens)
    print(f"{len(badges)} badges, tokens {lengths[0]}-{lengths[-1]} chars, all distinct: "
          f"{len(set(tokens)) == len(tokens)}; e.g. {tokens[0]}")
    render_badge_sheets(badges[:8])  # warm-up: font loading, caches of the first run

    without, pdf_plain = best_of(args.repeat, lambda: render_badge_sheets(badges, with_qr=False))
    with_qr, pdf_qr = best_of(args.repeat, lambda: render_badge_sheets(badges, with_qr=True))
    pages = -(-len(badges) // 4)
    ratio = with_qr / without
    print(f"\nA4 sheets, CPU seconds, best of {args.repeat}:")
    print(f"  without QR: {without:6.2f} s  {pages} pages  {len(pdf_plain) / 1e6:5.2f} MB")
    print(f"  with QR:    {with_qr:6.2f} s  {pages} pages  {len(pdf_qr) / 1e6:5.2f} MB"
          f"  ({1000 * with_qr / len(badges):.2f} ms a badge)")
    print(f"  ratio:      {ratio:6.2f}x  (goal <= 3x: {'met' if ratio <= 3 else 'NOT met'})")
    last = pages - 1
    print("  scan check: " + check_scans(pdf_qr, [0, last], tokens[:4] + tokens[4 * last:]))

    print(f"\nQR matrices for {len(tokens)} tokens, level M, CPU seconds, one pass each:")
    for name, encode in encoders(QR_MASK, args.all).items():
        start = clock()
        for token in tokens:
            encode(token)
        seconds = clock() - start
        print(f"  {name:<36} {seconds:6.2f} s  ({1000 * seconds / len(tokens):.2f} ms a code)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
