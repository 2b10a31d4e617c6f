"""Prose heading hierarchy: which numbered heading (and so which CCHC area / target year)
each paragraph sits under."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.areas import area_of
from normalize.text import ROMAN_NUMERAL_STRICT, clean

_ROMAN = re.compile(rf"^{ROMAN_NUMERAL_STRICT}\s*[.)]\s+\S")
_DECIMAL = re.compile(r"^(\d+(?:\.\d+)*)\s*[.)]?\s+\S")
_LETTER = re.compile(r"^[a-zđ]\s*\)\s+\S")
_YEAR = re.compile(r"(?:đến|tới|vào|trong|hết)\s+(?:hết\s+)?năm\s+(\d{4})|giai đoạn\s+\d{4}\s*[-–]\s*(\d{4})",
                    re.IGNORECASE)
MAX_HEADING_CHARS = 110
UNNUMBERED = 0   # an unnumbered heading nests under the heading in force (see HeadingTracker)


@dataclass
class HeadingContext:
    area: str | None
    year: int | None


def heading_level(text: str, markup_level: int | None, bold: bool) -> float | None:
    """Level of a heading paragraph (1 = top), or None when the paragraph is body text."""
    return _heading_level(clean(text), markup_level, bold)


@lru_cache(maxsize=16384)
def _heading_level(text: str, markup_level: int | None, bold: bool) -> float | None:
    if not text or len(text) > MAX_HEADING_CHARS or "%" in text:
        return None
    if text.startswith(("-", "+", "•", "*", "(")):
        return None
    if re.search(r"[.;,]$", text) and not re.match(r"^\S+\.$", text):
        return None
    if _ROMAN.match(text) and text.split()[0].rstrip(".)").isupper():
        return 1
    decimal = _DECIMAL.match(text)
    if decimal and not re.match(r"^\d{4}\b", text):
        return 1 + decimal.group(1).count(".") + 1
    if _LETTER.match(text):
        # Bold (or styled) in Word; in text renditions and scans a short lettered line that
        # names a reform area ("a) Về cải cách thể chế") heads its paragraphs too.
        return 6 if (bold or markup_level or area_of(text) is not None) else None
    if markup_level is not None or bold:
        return UNNUMBERED
    if text[:1].isupper() and len(text.split()) <= 10 and not re.search(r"[.:;]$", text):
        return UNNUMBERED
    return None


_INLINE_LABEL = re.compile(r"^\s*(?:[a-zđ]\s*\)|[-+•]|\d+(?:\.\d+)*\.?)?\s*([^:;.%]{3,70}):\s+\S")


def inline_area(text: str, reform_plan: bool = True) -> str | None:
    """The reform area a paragraph's own leading label names ("b) Về chính quyền số: 100% …"):
    the label heads the goals that follow it, like a heading line would."""
    label = _INLINE_LABEL.match(text)
    return area_of(label.group(1), reform_plan) if label else None


class HeadingTracker:
    """Feed paragraphs in order; `context` gives the area and year in force."""

    def __init__(self, reform_plan: bool = True) -> None:
        self._stack: list[tuple[float, str | None, int | None]] = []
        self.reform_plan = reform_plan     # see areas.area_of

    def feed(self, text: str, markup_level: int | None = None, bold: bool = False) -> bool:
        level = heading_level(text, markup_level, bold)
        if level is None:
            return False
        if level == UNNUMBERED:
            level = self._stack[-1][0] + 0.5 if self._stack else 1.5
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        year_match = _YEAR.search(text)
        year = int(next(g for g in year_match.groups() if g)) if year_match else None
        self._stack.append((level, area_of(text, self.reform_plan), year))
        return True

    @property
    def context(self) -> HeadingContext:
        area = next((a for _, a, _ in reversed(self._stack) if a), None)
        year = next((y for _, _, y in reversed(self._stack) if y), None)
        return HeadingContext(area=area, year=year)
