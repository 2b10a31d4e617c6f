"""What a fragment of a cell looks like to each column: scores from what the normalizers
already know (department names, deadline expressions, product nouns). Positive means the text
fits the column, negative that it does not; the decoder sums them over a row."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from normalize.deadlines import parse_deadline
from normalize.departments import match_departments, may_name_units
from normalize.text import fold_words
from normalize.unit_names import longest_name_words, name_goes_on, unit_head_words
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings

# The end of a deadline at the end of other text: the start of the deadline cell next to it
# ("… kết luận kiểm tra Quý II," / "III/2026"), not the year a content names ("năm 2026").
_DEADLINE_TAIL = re.compile(r"(?:\b(?:[Qq]uý|[Tt]háng|[Tt]rước(?: ngày)?|[Tt]ừ)(?:\s+[IVX\d][IVX\d,/\- ]*)?|\b\d{1,2}/\d{4})\s*,?$")
# A deadline cell does not start with the rest of a date ("I/2026", "2026" after "Quý").
_DEADLINE_REST = re.compile(r"^(?:[IVX]{1,4}/\d{4}|\d{4}\b|/)")
BULLET = re.compile(r"^(?:[-+•▪●–]|\u2212)\s*\S")   # a cell or item opening with a bullet


@lru_cache(maxsize=1)
def _cell_words() -> dict[str, list[str]]:
    return tomllib.loads(resources.files("parsers").joinpath("data/cell_words.toml").read_text("utf-8"))


@lru_cache(maxsize=1)     # called for every candidate products/content cell
def product_nouns() -> tuple[str, ...]:
    """Document nouns a products cell starts with (parsers/data/cell_words.toml)."""
    return tuple(_cell_words()["product_nouns"])


@lru_cache(maxsize=1)
def open_end() -> re.Pattern[str]:
    """A line end that goes on in the next line: a comma, an opening bracket, "&", "/", or one
    of the open-end words of parsers/data/cell_words.toml."""
    words = "|".join(re.escape(w) for w in _cell_words()["open_end_words"])
    return re.compile(rf"(?:[,(&/]|\b(?:{words}))$")


@lru_cache(maxsize=1)     # called for every word of every row line
def date_words() -> frozenset[str]:
    """Words a date's number follows ("tháng", "quý" …)."""
    return frozenset(_cell_words()["date_words"])


def deadline_words() -> frozenset[str]:
    """Words of deadline cells besides dates ("thường xuyên", "trước" …)."""
    return frozenset(_cell_words()["deadline_words"])


@lru_cache(maxsize=1)
def _deadline_openers() -> frozenset[str]:
    words = _cell_words()
    return frozenset(words["deadline_openers"]) | frozenset(words["deadline_words"]) | frozenset(words["date_words"])


def opens_deadline(text: str) -> bool:
    """The text may start a deadline cell: with a number, a bullet, a date or deadline word."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return first[:1].isdigit() or bool(BULLET.match(text)) or first.strip(".,:;(") in _deadline_openers()


@lru_cache(maxsize=65536)
def unit_share(text: str) -> float:
    """Share of the text's letters that name units (0 … 1)."""
    if not may_name_units(text):
        return 0.0                                  # no word can start a unit's name: no code
    folded = fold_words(text)
    if not folded:
        return 0.0
    match = match_departments(text, fuzzy=False)    # exact names: text here is not OCR
    if not match.codes:
        return 0.0
    unknown = sum(len(u) for u in match.unknown)
    return max(0.0, 1.0 - unknown / len(folded))


_UNIT_SEPARATOR = re.compile(r"(?:[;,:.&/+\-–(]|\bvà|\bvới|\bcủa)$")   # how units of one cell are listed


@lru_cache(maxsize=65536)
def units_meet(before: str, word: str) -> bool:
    """A whole unit's name ends `before` and `word` starts another's, with no separator between
    ("Sở Y tế | Sở Văn hóa …"): inside one cell units are listed with ";", ",", "và" or bullets,
    so on one line this is two cells side by side."""
    left = before.split()
    if not left or _UNIT_SEPARATOR.search(left[-1]) or not word[:1].isupper() \
            or fold_words(word) not in unit_head_words() or name_goes_on(before, word):
        return False
    return any(unit_share(" ".join(left[-k:])) == 1.0 for k in range(1, min(len(left), longest_name_words()) + 1))


@lru_cache(maxsize=65536)
def is_deadline(text: str) -> bool:
    return parse_deadline(text).kind != "unspecified"


def _words(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=65536)
def score(role: str, text: str, settings: FlatTextSettings = SETTINGS) -> float:
    """How well `text` (one whole cell) fits a column of `role`."""
    words = _words(text)
    long = words > settings.long_cell_words        # long text is content (or a product list)
    if role in ("lead", "coordinating"):
        if long or not text[:1].isupper() and text[:1] not in "-+•":
            return -2 * settings.unit_weight if long else -settings.unit_weight   # names start with a capital
        return settings.unit_weight * (2 * unit_share(text) - 1)
    if role == "deadline":
        if _DEADLINE_REST.match(text):
            return -settings.deadline_weight
        if not long and words <= settings.deadline_max_words and opens_deadline(text) and is_deadline(text):
            return settings.deadline_weight * (1 - words / (2 * settings.deadline_max_words))
        return -settings.deadline_weight if words > 4 or any(c.isdigit() for c in text) else 0.0
    if role == "products":
        fit = settings.product_bullet_bonus if BULLET.match(text) else 0.0
        if fold_words(text[:40]).startswith(product_nouns()):
            fit += settings.product_noun_bonus
        if _DEADLINE_TAIL.search(text[-40:]):
            fit -= settings.deadline_weight
        return fit if long else fit - settings.unit_weight * max(0.0, unit_share(text) - 0.5) * 2
    if role == "content":
        tail = -settings.deadline_weight if _DEADLINE_TAIL.search(text[-40:]) else 0.0
        if long:
            return tail
        fit = tail - settings.unit_weight * max(0.0, unit_share(text) - 0.5) * 2
        if words <= settings.deadline_max_words // 2 and is_deadline(text):
            fit -= settings.deadline_weight
        return fit
    return -settings.other_text_cost     # notes, funding …: mostly blank, never a sink for others' text


def score_bound(role: str, text: str, settings: FlatTextSettings = SETTINGS) -> float:
    """An upper bound of score(role, text) that needs no unit matching or deadline parsing:
    score with all the evidence that can only lower it left out. A decoder skips scoring a
    text whose bound cannot beat its best so far (the result is the same, found faster)."""
    if role in ("lead", "coordinating"):
        return settings.unit_weight                 # unit_share 1
    if role == "deadline":                          # what a parsed deadline of this length scores
        words = _words(text)
        if words <= settings.deadline_max_words and words <= settings.long_cell_words:
            return settings.deadline_weight * (1 - words / (2 * settings.deadline_max_words))
        return 0.0
    if role == "products":                          # the bonuses; deadline tail and unit names only subtract
        fit = settings.product_bullet_bonus if BULLET.match(text) else 0.0
        if fold_words(text[:40]).startswith(product_nouns()):
            fit += settings.product_noun_bonus
        return fit
    if role == "content":
        return 0.0                                  # every term of a content score is a penalty
    return -settings.other_text_cost
