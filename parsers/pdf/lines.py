"""Text lines of a PDF page with a text layer: words -> `Line`s, and the joining of a cell's or a
paragraph's lines (list markers, words broken by a narrow column, numbers broken over lines)."""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from normalize.text import ROMAN_NUMERAL
from parsers.pdf.page_settings import SETTINGS
from parsers.pdf.pages import Word


# A line starting with one of these begins a new paragraph / a new line inside a cell.
BULLET = re.compile(r"^[-+•*–—−▪●◦○∙](?=\s|[^\W\d_])")
_DASH_CONTINUES = re.compile(r"^[-–—−]\s*(\w)")
_NUMBERED = re.compile(
    rf"^(?:\(?\d{{1,2}}(?:\.\d{{1,2}})*[.)]|\d{{1,2}}(?:\.\d{{1,2}})+|\(?[a-zđ][.)]|\(?{ROMAN_NUMERAL}[.)]"
    r"|Điều\s+\d+[.:]?)(?=\s|$)",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.;:!?…]\s*$")


def starts_item(text: str, previous: str | None = None) -> bool:
    """Whether a line opens a new list item / numbered point rather than continuing one."""
    text = text.lstrip()
    if BULLET.match(text):
        dash = _DASH_CONTINUES.match(text)
        if (dash and (dash.group(1).isdigit() or dash.group(1).islower())
                and previous is not None and not SENTENCE_END.search(previous)):
            return False      # "2026" / "– 2030", "kinh tế" / "- xã hội": broken at the dash
        return True
    return bool(_NUMBERED.match(text))


def starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if not ch.isspace() and ch not in "\"'“‘(«":
            return False
    return False


# --------------------------------------------------------------------------- lines

@dataclass
class Line:
    words: list[Word]

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @cached_property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @cached_property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @cached_property
    def baseline(self) -> float:
        return statistics.median(w.baseline for w in self.words)

    @cached_property
    def size(self) -> float:
        counts = Counter(w.size for w in self.words)
        return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]   # commonest, then larger

    @cached_property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


def make_lines(words: list[Word]) -> list[Line]:
    """Words -> visual lines (baselines within SETTINGS.y_tolerance), top to bottom, left to right."""
    if not words:
        return []
    ordered = sorted(words, key=lambda w: (w.baseline, w.x0))
    groups: list[list[Word]] = [[ordered[0]]]
    for w in ordered[1:]:
        if w.baseline - groups[-1][-1].baseline <= SETTINGS.y_tolerance:
            groups[-1].append(w)
        else:
            groups.append([w])
    return [Line(sorted(g, key=lambda w: (w.x0, w.x1))) for g in groups]


def join_text(a: str, b: str) -> str:
    """Join a wrapped line to the text before it: no space after a hyphen / slash glued to
    a word ("Văn hoá-" + "Xã hội" -> "Văn hoá-Xã hội")."""
    a, b = a.rstrip(), b.lstrip()
    if not a:
        return b
    last = a.split()[-1]
    if len(last) > 1 and last[-1] in "-–/" and last[-2].isalnum():
        return a + b
    return f"{a} {b}"


_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_NUMBER_PIECES = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$|^\d{1,2}/\d{4}$|^\d{4}$|^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
CELL_PADDING = 5.4          # pt: Word's and LibreOffice's default left/right cell margin (0.19 cm)


def _has_vowel(token: str) -> bool:
    return any(ch in _VOWELS for ch in unicodedata.normalize("NFD", token))


def unbreak_words(lines: list[Line], right: float) -> list[str]:
    """Visual lines of a cell whose right text edge is `right` -> their texts, with the words a
    narrow column broke in the middle glued back: a word wider than the column is broken
    where the line ends, so its first part reaches the right edge. Glued only where the
    pieces cannot be words of their own: a date or number cut in two ("15/01/20" + "26",
    "20" + "26"), or a word alone on its line followed by a piece of one or two letters
    without a vowel ("ST" + "T", "INDE" + "X"; Vietnamese syllables all have a vowel)."""
    texts = [[w.text for w in ln.words] for ln in lines]
    for k in range(len(lines) - 2, -1, -1):
        if not texts[k] or not texts[k + 1]:
            continue
        last, nxt = lines[k].words[-1], texts[k + 1][0]
        if last.x1 < right - CELL_PADDING - 0.8 * (last.size or 10.0):
            continue              # the line did not reach the edge: an ordinary wrap
        glued = texts[k][-1] + nxt
        numbers = texts[k][-1][-1:].isdigit() and nxt[:1].isdigit() and bool(_NUMBER_PIECES.match(glued))
        letters = (len(texts[k]) == 1 and nxt.isalpha() and len(nxt) <= 2 and not _has_vowel(nxt)
                   and texts[k][-1].isalpha() and nxt.isupper() == texts[k][-1].isupper())
        if numbers or letters:
            texts[k][-1] = glued
            texts[k + 1] = texts[k + 1][1:]
    return [" ".join(t) for t in texts if t]


_YEAR_PIECES = re.compile(r"^(?:19|20)\d\d$")


def glue_broken_numbers(lines: list[str]) -> list[str]:
    """Lines of a cell with a date or number a narrow column cut at the line end glued back
    ("Trước ngày 15/01/20" + "26 …" -> "Trước ngày 15/01/2026 …"), from the text alone, for
    readers that have no glyph positions (OCR lines); see unbreak_words."""
    out = list(lines)
    for k in range(len(out) - 2, -1, -1):
        head, _, last = out[k].rpartition(" ")
        first, _, rest = out[k + 1].partition(" ")
        glued = last + first
        year_context = not head or head.rsplit(" ", 1)[-1].lower() in ("năm", "nam", "-", "–", "đến")
        if last[-1:].isdigit() and first[:1].isdigit() and _NUMBER_PIECES.match(glued) \
                and (not glued.isdigit() or (_YEAR_PIECES.match(glued) and year_context)):
            out[k] = f"{head} {glued}".strip()
            out[k + 1] = rest
    return [line for line in out if line]


def join_wrapped(lines: list[str]) -> list[str]:
    """Visual lines of one cell / column -> logical lines: wrapped parts of a sentence or list
    item are joined; a new list item / numbered point starts a new line."""
    out: list[str] = []
    for text in lines:
        text = text.strip()
        if not text:
            continue
        if out and not starts_item(text, out[-1]):
            out[-1] = join_text(out[-1], text)
        else:
            out.append(text)
    return out
