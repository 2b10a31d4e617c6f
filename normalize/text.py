"""Text cleanup shared by every stage: NFC, one tone-mark convention, no HTML, tidy spaces."""
from __future__ import annotations

import html
import re
import sys
import unicodedata
from functools import lru_cache

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# Open syllables ending in oa/oe/uy carry the tone on the first vowel in the convention the
# contract uses ("hóa", "khỏe", "thủy"); "qu" is a consonant, so "quý" keeps its mark.
_OLD_STYLE_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONE_MARKS}])(?![\u0302\u0306\u031b])(?![^\W\d_])")
# _OLD_STYLE_TONE on NFC text: an o/u (not after q) then an a/e/y carrying only a tone mark
# (one precomposed character) at the end of a word. Most texts have none ("hoạt", "quản" and
# "toàn" go on with a letter), so they skip the NFD round trip.
# (The q test follows the o/u: a pattern that starts with a character set is scanned fast.)
_OLD_TONE_HINT = re.compile(r"[oOuU](?<![qQ][oOuU])[àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?![^\W\d_])")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_BLOCK_TAG = re.compile(r"<\s*(?:/\s*(?:li|p|div|tr|h\d)|br\s*/?)\s*>", re.IGNORECASE)
_MARKDOWN_EMPHASIS = re.compile(r"(?<!\w)(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_BULLET = re.compile(r"^\s*(?:[-+•▪●○◦∙·*–—]|\u2212)\s*")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tone_convention(text: str) -> str:
    """'hoá' -> 'hóa', 'uỷ' -> 'ủy', 'khoẻ' -> 'khỏe'; anything else unchanged."""
    if unicodedata.is_normalized("NFC", text) and not _OLD_TONE_HINT.search(text):
        return text     # the common case: no o/u before a toned a/e/y, skip the NFD round trip
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_STYLE_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


def strip_html(text: str) -> str:
    return html.unescape(_TAG.sub(" ", text)) if "<" in text or "&" in text else text


def html_lines(text: str) -> list[str]:
    """Split HTML-ish cell text into its paragraphs / list items, tags removed."""
    marked = _BLOCK_TAG.sub("\n", text)
    return [ln for ln in (collapse_spaces(strip_html(part)) for part in marked.split("\n")) if ln]


def _emphasised(match: re.Match[str]) -> str:
    return match.group(2)


def strip_markdown(text: str) -> str:
    """'**Mục tiêu**' -> 'Mục tiêu' (nested emphasis too)."""
    # A function replacement is ~2x cheaper than the template r"\2"; another pass only while
    # emphasis markers remain.
    while "*" in text or "__" in text:
        text, replaced = _MARKDOWN_EMPHASIS.subn(_emphasised, text)
        if not replaced:
            break
    return text


def collapse_spaces(text: str) -> str:
    """Runs of whitespace (any Unicode space, tabs, line breaks, zero-width space) -> one space."""
    # Hot path (every paragraph and cell): isprintable() is False for every space but " ", so
    # text that passes it needs no more than a check for doubled spaces. str.split() knows every
    # Unicode space except the zero-width one.
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    return " ".join(text.split())


def clean(text: str | None) -> str:
    """NFC, tone convention, HTML removed, whitespace collapsed. Idempotent."""
    if not text:
        return ""
    return _clean(text)


# Hyphens that are not U+002D read as "-" ("KH‑UBND" typed with a non-breaking hyphen must
# parse as "KH-UBND"); a soft hyphen (U+00AD) is an invisible break hint: dropped. Zero-width
# space and BOM dropped too.
_CHARACTER_FIXES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
                                  "\uff0d": "-", "\u00ad": None, "\u200b": None, "\ufeff": None})


_FIXABLE = re.compile("[\u2010\u2011\u2012\u2212\uff0d\u00ad\u200b\ufeff]")   # keys of _CHARACTER_FIXES


@lru_cache(maxsize=65536)   # cells and headers repeat a lot within and across plans
def _clean(text: str) -> str:
    text = nfc(text)
    if not text.isascii() and _FIXABLE.search(text):
        text = text.translate(_CHARACTER_FIXES)
    return collapse_spaces(tone_convention(strip_html(text)))


def strip_bullet(text: str) -> str:
    """'- Kế hoạch' -> 'Kế hoạch' (one leading bullet marker and its space)."""
    # match + slice, not sub: sub tries the anchored pattern at every position of long text.
    m = _BULLET.match(text)
    return text[m.end():] if m else text


# Every nonspacing mark (category Mn) -> removed, đ/Đ -> d/D: one str.translate instead of a
# per-character Python loop (fold runs over every paragraph of a new document).
@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {
        cp: None for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Mn"}
    table.update({ord("đ"): ord("d"), ord("Đ"): ord("D")})
    return table


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Casefolded, diacritics removed, đ->d: for matching only, never for output."""
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFD", text).translate(_fold_table()).casefold()


@lru_cache(maxsize=65536)
def fold_words(text: str) -> str:
    """fold() with punctuation turned into single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def _letters(upper: bool) -> str:
    candidates = [chr(c) for c in list(range(0xC0, 0x1B1)) + list(range(0x1EA0, 0x1EFA))]
    picked = "".join(c for c in candidates if c.isalpha() and c.isupper() == upper)
    return ("A-Z" if upper else "a-z") + picked


# Regex character classes of Vietnamese upper / lower case letters ("[À-Ỹ]" is NOT that:
# the Unicode range mixes both cases).
UPPER = _letters(True)
LOWER = _letters(False)


def one_edit(a: str, b: str) -> bool:
    """a and b differ by one substituted, inserted or deleted letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


# --------------------------------------------------------------------------- roman numerals
# Patterns to embed in bigger regexes (no anchors, no groups to capture).
# A section's roman numeral as the parsers read it: one to six of the letters I V X L C, not
# checked for form (a typist's "IIII" still numbers a section).
ROMAN_NUMERAL = r"[IVXLC]{1,6}"
# A well-formed numeral from I to XXXIX, for text where a loose run of capitals could be a word.
ROMAN_NUMERAL_STRICT = r"(?:X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3})"
# Only I, V and X, up to five: where a capital C or L is likelier a lettered item ("C.") or an
# OCR misreading than 100 or 50 (OCR markers and numbering cells, plain-text paragraphs).
ROMAN_NUMERAL_IVX = r"[IVX]{1,5}"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int:
    """'XIV' -> 14: each letter's value, subtracted when a larger letter follows (the form is
    not checked: 'IIII' -> 4). Upper-case I V X L C only."""
    total = 0
    for a, b in zip(numeral, numeral[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b in _ROMAN_VALUES and _ROMAN_VALUES[b] > v else v
    return total
