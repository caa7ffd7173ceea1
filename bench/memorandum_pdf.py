"""Memorandum PDF benchmark: render a four-party bilingual memorandum, seal it, validate the seal.

    .venv/bin/python bench/memorandum_pdf.py [--repeat 50]

The documents are the tests' sample (tests/helpers/memoranda.py): 3 pages (no preambles: the Kazakh
text, the Russian text, the signatures), the sample itself (4 pages) and a long one (subject ×40).
For each it prints the median and p95 wall-clock time of render_memorandum (a first render; "again":
the median when the same verification address was rendered before, its QR code cached), of seal_pdf on
the rendered bytes (one fresh EC P-256 identity) and of validate_seal, plus the sizes. Not a test:
figures to read.
"""
import argparse
import dataclasses
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdf  # noqa: E402

from app.pdf import memorandum  # noqa: E402
from app.pdf.memorandum import render_memorandum  # noqa: E402
from app.pdf.seal import generate_identity, seal_pdf, validate_seal  # noqa: E402
from tests.helpers.memoranda import KK, RU, lengthen, sample_memorandum  # noqa: E402


def timed(repeat: int, fn) -> tuple[float, float, object]:
    """(median ms, p95 ms, last result)."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    ordered = sorted(times)
    return statistics.median(times) * 1000, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    no_preamble = [dataclasses.replace(KK, preamble=""), dataclasses.replace(RU, preamble="")]
    documents = {
        "4 parties, kk+ru, short": sample_memorandum(texts=no_preamble),
        "4 parties, kk+ru (tests' sample)": sample_memorandum(),
        "4 parties, kk+ru, subject x40": sample_memorandum(texts=[lengthen(KK, 40), lengthen(RU, 40)]),
    }
    started = time.perf_counter()
    identity = generate_identity()
    print(f"seal identity (EC P-256, self-signed): generated in {(time.perf_counter() - started) * 1000:.0f} ms")
    render_memorandum(documents["4 parties, kk+ru, short"])  # warm-up: font loading

    print(f"\n{'':34} {'pages':>5} {'KB':>5} │ {'render ms':>9} {'p95':>6} {'again':>6} │ {'seal ms':>7} {'p95':>6} {'+KB':>4} │ "
          f"{'validate ms':>11} {'p95':>6}")
    for label, doc in documents.items():
        def cold(doc=doc):  # a memorandum rendered for the first time: its QR code not cached yet
            memorandum._verify_qr.cache_clear()
            return render_memorandum(doc)

        render_median, render_p95, pdf = timed(args.repeat, cold)
        again_median, _p95, _pdf = timed(args.repeat, lambda doc=doc: render_memorandum(doc))
        assert render_memorandum(doc) == pdf, "the same data must give the same bytes"
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        seal_median, seal_p95, sealed = timed(args.repeat, lambda pdf=pdf: seal_pdf(pdf, identity))
        check_median, check_p95, result = timed(args.repeat, lambda sealed=sealed: validate_seal(sealed,
                                                                                                 identity.cert_pem))
        assert result["intact"] and result["valid"] and result["trusted"], result
        print(f"{label:34} {pages:5} {len(pdf) / 1024:5.0f} │ {render_median:9.1f} {render_p95:6.1f} {again_median:6.1f} │ "
              f"{seal_median:7.1f} {seal_p95:6.1f} {(len(sealed) - len(pdf)) / 1024:4.1f} │ "
              f"{check_median:11.1f} {check_p95:6.1f}")
    print(f"\n{args.repeat} runs each, one process, wall-clock; every sealed copy validated intact, valid, trusted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
