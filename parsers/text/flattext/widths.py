"""How wide text prints: a column wraps its text at a width in points, so a fragment's printed
width says far better than its character count whether it filled its column ("HĐND và UBND"
prints wider than "thực hiện việc")."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Advance widths of Times New Roman in 1/1000 em, the font Vietnamese administrative documents
# are set in; a letter with tone or vowel marks advances as its base letter.
_LOWER = dict(zip("abcdefghijklmnopqrstuvwxyz", (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,
                                                   500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444)))
_UPPER = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
                                                   722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611)))
_OTHER = {**{d: 500 for d in "0123456789"}, "đ": 500, "Đ": 722, ",": 250, ".": 250, ";": 278, ":": 278,
          "-": 333, "–": 500, "/": 278, "(": 333, ")": 333, "&": 778, "%": 833, "+": 564, "\"": 408,
          "“": 444, "”": 444, "'": 180, "’": 333, " ": 250}
_ADVANCE = {**_LOWER, **_UPPER, **_OTHER}
_UNKNOWN = 500          # a glyph not in the table: an average letter
_LETTER = 460.0         # a typical lower-case letter: widths stay close to character counts


@lru_cache(maxsize=65536)
def printed_width(text: str) -> float:
    """Printed width of `text` in typical letters (a space counts about half a letter)."""
    total = 0
    for ch in text:
        width = _ADVANCE.get(ch)
        if width is None:
            width = _ADVANCE.get(unicodedata.normalize("NFD", ch)[:1], _UNKNOWN)
        total += width
    return total / _LETTER


SPACE = printed_width(" ")
