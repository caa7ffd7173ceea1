"""Reading what a barcode scanner typed into the desk's input.

A USB or Bluetooth scanner is a keyboard: it sends key presses, and the laptop turns them
into letters through whatever keyboard layout is active. At a Kazakh venue that is often
the Russian or Kazakh layout, so the badge code «301-1.AbXy» arrives as «301-1юФиЧн».
The badge code is signed, so trying the same keys in the Latin layout (and with Caps Lock
undone) is safe: only a reading the signature accepts is ever used.
"""
from app.registration.tokens import read_badge_token

# Key by key: what the Russian (ЙЦУКЕН) layout types → what the US layout types on the same key.
_RU_LOWER = ("йцукенгшщзхъфывапролджэячсмитьбюё", "qwertyuiop[]asdfghjkl;'zxcvbnm,.`")
_RU_UPPER = ("ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ", 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~')
RUSSIAN = str.maketrans(_RU_LOWER[0] + _RU_UPPER[0], _RU_LOWER[1] + _RU_UPPER[1])

# The Kazakh layout (RST KazSSR 903-90) has the same letters, and Kazakh letters and
# punctuation on the digit row: 1 → ", 2 → ә, … 6 → «,», 7 → «.», … 0 → қ, - → ө, = → һ.
_KZ_ROW = ('"әіңғ,.үұқөһ' + "ӘІҢҒҮҰҚӨҺ", "1234567890-=" + "@#$%*()_+")
KAZAKH = str.maketrans(_RU_LOWER[0] + _RU_UPPER[0] + _KZ_ROW[0], _RU_LOWER[1] + _RU_UPPER[1] + _KZ_ROW[1])


def _readings(raw: str) -> list[str]:
    """The typed text, then the same keys read in the Latin layout, each also without Caps Lock."""
    bases = [raw]
    if any("\u0400" <= c <= "\u04ff" for c in raw):
        bases += [raw.translate(RUSSIAN), raw.translate(KAZAKH)]
    readings = []
    for text in bases:
        for candidate in (text, text.swapcase()):
            if candidate not in readings:
                readings.append(candidate)
    return readings


def badge_code(raw: str | None) -> str:
    """The badge code the scanner meant, or the text as typed when no reading of it is a valid code."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return raw
    for candidate in _readings(raw):
        if read_badge_token(candidate) is not None:
            return candidate
    return raw
