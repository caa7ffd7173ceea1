"""The fonts every PDF uses: DejaVu Sans, shipped in app/pdf/fonts/ (see LICENSE there).

ReportLab's built-in Helvetica has no Kazakh letters (ә ғ қ ң ө ұ ү һ і), so the
TrueType files are embedded (as subsets) in each PDF. They are registered once per process.
"""
import threading
from pathlib import Path
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


class Fonts(NamedTuple):
    regular: str
    bold: str


def register_fonts() -> Fonts:
    """Register the DejaVu fonts with ReportLab (idempotent, thread-safe); returns their names."""
    global _registered
    if not _registered:
        with _lock:
            if not _registered:
                for name, filename in _FILES.items():
                    pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
                pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD,
                                              italic=REGULAR, boldItalic=BOLD)
                _registered = True
    return Fonts(REGULAR, BOLD)
