"""The ink behind an OCR reading of a short cell: a numbering's digits and dots, a roman
numeral's strokes. Tesseract drops the small dot of "1.1" and miscounts the touching serifs
of "III"; the crop's blobs say what is printed. Used by parsers.pdf.ocr.cells."""
from __future__ import annotations

import dataclasses
import re

import numpy as np

from parsers.pdf.ocr import tesseract

_NUMERIC = re.compile(r"^\d+(?:[.,:;]\d+)*[.,:;]?$")


def glyph_runs(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Blobs of a one-line crop, left to right: runs of ink columns, each cut again where its
    rows have a gap (a speck under a digit is a blob of its own): (x0, x1, top, bottom), x1
    and bottom exclusive."""
    cols = ink.any(axis=0)
    idx = np.nonzero(cols)[0]
    if len(idx) == 0:
        return []
    breaks = np.nonzero(np.diff(idx) > 1)[0]
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    runs = []
    for a, b in zip(starts, ends):
        part = ink[:, a:b]
        rows = np.nonzero(part.any(axis=1))[0]
        gaps = np.nonzero(np.diff(rows) > 1)[0]
        tops = np.concatenate(([rows[0]], rows[gaps + 1]))
        bottoms = np.concatenate((rows[gaps], [rows[-1]])) + 1
        for t, u in zip(tops, bottoms):
            used = np.nonzero(part[t:u].any(axis=0))[0]
            runs.append((int(a + used[0]), int(a + used[-1]) + 1, int(t), int(u)))
    runs.sort()
    return runs


def number_glyphs(ink: np.ndarray) -> list[str] | None:
    """The blobs of a one-line crop as a number's glyphs: "D" a digit (full height; "W" when
    wider than one digit can be: digits touching), "." a dot on the baseline, "" a small mark
    higher up (a speck, a stray bit of a rule); None when a blob is none of these."""
    runs = glyph_runs(ink)
    if not runs or len(runs) > 12:
        return None
    height = max(bottom - top for _, _, top, bottom in runs)
    if height < 6:
        return None
    tall = [r for r in runs if r[3] - r[2] >= 0.7 * height]
    top = min(r[2] for r in tall)
    base = max(r[3] for r in tall)
    tokens = []
    for x0, x1, t, b in runs:
        h, w = b - t, x1 - x0
        if h >= 0.7 * height:
            if w > 1.1 * height:
                return None                  # not a digit, nor two
            tokens.append("D" if w <= 0.85 * height else "W")
        elif h <= 0.35 * height and w <= 0.5 * height and abs(b - base) <= 0.15 * height \
                and t >= top + 0.5 * height:
            tokens.append(".")
        elif h <= 0.5 * height:
            tokens.append("")
        else:
            return None
    return tokens


def number_as_printed(text: str, ink: np.ndarray) -> str | None:
    """A numbering cell read as digits, with its dots as the image shows them ("11" -> "1.1",
    "311" -> "3.1.1", "1.7:" -> "1.7"), or None when there is nothing to change or the image
    does not say.

    On a synthetic line of short cells the recogniser drops the small dot of "1.1" most of the
    time (35 of 45 numbers of one plan), even where it reads every digit right; the dot is
    plain in the image: a blob a quarter of the digit height, on the baseline, between two
    digits. The crop's ink is cut into blobs: digits (full height), dots (small, on the
    baseline) and marks (small, higher: a speck, a stray bit of a rule); when there are as many
    digit blobs as the reading has digits, the number is rebuilt from the blobs, the digits
    from the reading. Digits touching each other or a dot touching its digit (fewer blobs)
    leave the reading as it is, and a dot the recogniser saw but the blobs do not show is
    never taken away."""
    text = text.strip()
    if not _NUMERIC.match(text) or len(text) > 8 or "," in text:
        return None                          # "2,5": a decimal comma is left as read
    digits = [ch for ch in text if ch.isdigit()]
    tokens = number_glyphs(ink)
    if tokens is None:
        return None
    if sum(t in ("D", "W") for t in tokens) != len(digits):
        return None
    out, k = [], 0
    for token in tokens:
        if token in ("D", "W"):
            out.append(digits[k])
            k += 1
        elif token == "." and out and out[-1] != ".":
            out.append(".")                  # never a leading dot
    number = "".join(out)
    read_dots = sum(text.count(ch) for ch in ".,")
    if number == text or number.count(".") < read_dots:
        return None
    return number


# --------------------------------------------------------------------------- roman numerals

_STEM_NUMERAL = re.compile(r"[IHl1|]+")
# An OCR reading that may be roman numerals: I V X with the stems' misreadings (H, l, 1, |),
# not normalize.text.ROMAN_NUMERAL, since the reading is what gets repaired here.
_ROMANISH = re.compile(r"^[IVXHl1|]+(?:[,.;\-–][IVXHl1|]*)*(?:[,.;:)\-–]|/\d.*)?$")
_QUARTER_WORD = {"quý", "qúy", "quy"}
# A repaired numeral of a quarter or a numbering cell: I to XII only (or "1" for a lone I).
_ROMAN_I_TO_XII = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,2}|1)$")


def _stem_tokens(ink: np.ndarray) -> list[int | str | None]:
    """The strokes of a word image, left to right: a run of upright stems standing alone (the
    I's of a roman numeral, which may touch by their serifs) -> the number of stems; anything
    else with ink across the middle of the line (a V, a "/", a "-", a digit) -> None (runs of
    them count as one); a mark standing alone at the foot (a comma, a full stop) -> ",". The
    middle of the line is cut into runs of inked columns: a run is a stem when it is narrow
    (under 0.45 of the height) and one of its columns is inked over 85% of the tallest column.
    Other ink only at the top or the bottom (serifs, accents) separates nothing."""
    h = ink.shape[0]
    if h < 8 or ink.shape[1] == 0:
        return []
    cover = np.count_nonzero(ink, axis=0)
    tallest = int(cover.max())
    if tallest < 0.6 * h:
        return []
    middle = ink[int(0.3 * h):int(0.7 * h) + 1].any(axis=0)
    events: list[tuple[int, str]] = []
    for a, b in _runs(np.nonzero(cover)[0]):
        if b - a <= 0.35 * h and not ink[:int(0.6 * h), a:b].any():
            events.append((a, ","))          # nothing above the lower part: a comma, a stop
            continue
        if not middle[a:b].any():
            continue
        for c, d in _runs(a + np.nonzero(middle[a:b])[0]):
            stem = d - c <= 0.45 * h and cover[c:d].max() >= 0.85 * tallest
            events.append((c, "stem" if stem else "other"))
    tokens: list[int | str | None] = []
    for _, kind in sorted(events):
        if kind == "stem":
            if tokens and isinstance(tokens[-1], int):
                tokens[-1] += 1
            else:
                tokens.append(1)
        elif kind == "other":
            if not tokens or tokens[-1] is not None:
                tokens.append(None)
        elif tokens and tokens[-1] != ",":
            tokens.append(",")
    return tokens


def _runs(idx: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive indexes: (first, last + 1)."""
    if len(idx) == 0:
        return []
    breaks = np.nonzero(np.diff(idx) > 1)[0]
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return [(int(a), int(b)) for a, b in zip(starts, ends)]


def _without_marks(tokens: list[int | str | None]) -> list[int | None]:
    """The tokens with the commas left out (stems on both sides of one counted together)."""
    out: list[int | None] = []
    for t in tokens:
        if t == ",":
            continue
        if isinstance(t, int) and out and isinstance(out[-1], int):
            out[-1] += t
        else:
            out.append(t)
    return out


def _stems_of(text: str, ink: np.ndarray) -> str | None:
    """`text` ("II", "HI,", "II-II/2026", "1/2026") with each group of upright numeral strokes
    (I, l, 1, |; H for two) before any "/" written with as many I's as the image has stems,
    when the image's strokes line up with the reading's up to its last group; else None. The
    year after the "/" is not looked at. A numeral the recogniser ran together over a comma it
    lost ("IIIV" for "III,IV": not a numeral) is written as the image shows it, with the V's
    and X's of the reading."""
    tokens = _stem_tokens(ink)
    fixed = _stems_aligned(text, _without_marks(tokens))
    prefix = text.split("/")[0]
    if fixed is None and "," in tokens and not _roman_parts(prefix) \
            and re.fullmatch(r"[IHl1|VX]+", prefix):
        fixed = _stems_rebuilt(text, prefix, tokens)
    return fixed


def _roman_parts(prefix: str) -> bool:
    parts = [p for p in re.split(r"[,.;:)\-–\s]+", prefix) if p]
    return bool(parts) and all(_ROMAN_I_TO_XII.match(p) for p in parts)


def _stems_rebuilt(text: str, prefix: str, tokens: list[int | str | None]) -> str | None:
    letters = [ch for ch in prefix if ch in "VX"]
    out = []
    for t in tokens:
        if isinstance(t, int):
            out.append("I" * t)
        elif t == ",":
            out.append(",")
        elif letters:
            out.append(letters.pop(0))
            if not letters:
                break                        # the numeral ends with its last V / X
        else:
            break                            # the "/" and the year
    rebuilt = "".join(out).strip(",")
    if letters or not _roman_parts(rebuilt) or "," not in rebuilt:
        return None
    return rebuilt + text[len(prefix):]


def _stems_aligned(text: str, seen: list[int | None]) -> str | None:
    prefix = text.split("/")[0]
    expected: list[int | None] = []
    groups = []
    pos = 0
    for m in _STEM_NUMERAL.finditer(prefix):
        for ch in text[pos:m.start()]:
            if ch not in ",.;:" and (not expected or expected[-1] is not None):
                expected.append(None)
        groups.append(m)
        expected.append(sum(2 if ch == "H" else 1 for ch in m.group(0)))
        pos = m.end()
    if not groups:
        return None
    tail = prefix[pos:]
    if "/" in text or (tail and tail not in ",.;:)"):
        expected.append(None)                # the "/" or what follows the last numeral
    if "/" in text:
        seen = seen[:len(expected)]          # the year is not looked at
    elif tail and len(seen) == len(expected) + 1 and seen[-1] is None:
        seen = seen[:-1]                     # a comma or a bracket reaching the middle
    if len(seen) != len(expected) or any((a is None) != (b is None) for a, b in zip(seen, expected)):
        return None
    counts = [n for n in seen if n is not None]
    if any(not 1 <= n <= 3 for n in counts):
        return None
    out, pos = [], 0
    for m, n, want in zip(groups, counts, [e for e in expected if e is not None]):
        out.append(text[pos:m.start()])
        group = m.group(0)
        # Only the count is corrected (and an H, two stems, written out): a "1" or an "l" of
        # the right count stays as read ("l)" is a list letter).
        out.append(group if n == want and "H" not in group else "I" * n)
        pos = m.end()
    out.append(text[pos:])
    fixed = "".join(out)
    if fixed == text or not _roman_parts(fixed.split("/")[0]):
        return None                          # "IIIIV" (a comma lost) is not a numeral
    return fixed


def fix_roman_numerals(words: list[tesseract.OcrWord], ink: np.ndarray, whole: bool = False
                       ) -> list[tesseract.OcrWord]:
    """Roman numerals of upright strokes read with one stroke too few or too many: "Quý II,
    III/2026" read "Quý II, II/2026" (the serifs of "III" touch), "Quý HI" for "Quý III",
    "Quý 1/2026" for "Quý II/2026"; a numbering cell "H" or "II" for "II" / "III" (`whole`:
    `words` are a whole short cell). The I's after "Quý" (and after the numerals following
    it: "Quý II, III"), or of a cell that is one numeral, are counted in the image (`ink`, in
    the coordinates of the words' boxes; see `_stem_tokens`). Only the number of I's is
    changed, and only where the image's strokes line up with the reading; a "1" or an "l" with
    the right number of strokes stays as read. A numeral run together over a comma the
    recogniser lost ("Quý IIIV/2026" for "Quý III,IV/2026": not a numeral) is written as the
    strokes and the comma in the image show it."""
    if not words:
        return words
    out = list(words)
    quarter = False
    single = whole and len(words) == 1 and re.fullmatch(r"[IHl|]{1,4}[.)]?", words[0].text)
    for i, w in enumerate(words):
        text = w.text
        if text.lower() in _QUARTER_WORD:
            quarter = True
            continue
        if not (quarter or single):
            continue
        if quarter and text.lower() in ("-", "–", ",", "và", "đến"):
            continue                          # "Quý II - III/2026", "Quý II và III"
        if not _ROMANISH.match(text):
            quarter = False
            continue
        region = ink[max(0, w.top):w.bottom, max(0, w.left):w.right]
        fixed = _stems_of(text, region) if region.size else None
        if fixed is not None:
            out[i] = dataclasses.replace(w, text=fixed)
    return out
