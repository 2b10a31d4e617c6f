"""Shared types of layout-text table recovery: source lines, columns, recovered rows, and the
word-pair (bigram) model learnt from the document's own prose."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from normalize.text import ROMAN_NUMERAL_STRICT
from parsers.text.flattext.widths import printed_width
from parsers.text.layout_vocab import word_key

NEG = -1e9
# weight of a cell's word pair across a line break
CONTINUITY = 1.0


SEQ_TOKEN = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,2})\.?$")
ROMAN_NUM = ROMAN_NUMERAL_STRICT
SECTION_LINE = re.compile(rf"^(?:{ROMAN_NUM}|[A-DĐ])\s*[.):]\s*\S|^{ROMAN_NUM}\s+\S")
BULLET_TOKEN = re.compile(r"^(?:[-+•▪●–]|\u2212)$")
BULLET_START = re.compile(r"^[-+•▪●]\S")


# Printed width of a token in typical letters (Times New Roman advances): a column wraps its
# text at a width in points, so this says better than a character count whether it is full.
visual_len = printed_width


@dataclass
class TLine:
    no: int           # 1-based line number in the source text
    text: str
    page: int


@dataclass
class Column:
    header: str
    role: str | None          # seq, content, products, lead, coordinating, deadline, other
    # printed width the column's header label shows (lowest, highest or None), when it is known
    fits: tuple[float, float | None] | None = None
    # labels of the header rows above its own, top to bottom ("Cơ quan thực hiện" over "Chủ trì")
    path: tuple[str, ...] = ()


@dataclass
class RecoveredRow:
    kind: str                               # "section" or "task"
    lines: list[int]                        # source line numbers covered
    section: str = ""
    seq: str = ""
    seq_line: int | None = None
    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)   # col -> fragments


# --------------------------------------------------------------------------------------------
# Bigram model learnt from the document's own prose


class Bigrams:
    def __init__(self, texts: list[str]):
        self.cache: dict[tuple[str, str], float] = {}
        self.pairs: dict[tuple[str, str], int] = {}
        self.around_dash: set[tuple[str, str]] = set()     # "a - b" seen in the prose
        self.words: dict[str, int] = {}
        for text in texts:
            keys = [word_key(t) for t in text.split()]
            keys = [k for k in keys if k]
            for k in keys:              # "VH-XH", "hóa-xã": the halves follow each other too
                if "-" in k[1:-1]:
                    left, _, right = k.partition("-")
                    if left and right:
                        self.pairs[(left + "-", right)] = self.pairs.get((left + "-", right), 0) + 1
            for k in keys:
                self.words[k] = self.words.get(k, 0) + 1
            for a, b in zip(keys, keys[1:]):
                self.pairs[(a, b)] = self.pairs.get((a, b), 0) + 1
            for a, dash, b in zip(keys, keys[1:], keys[2:]):
                if dash in ("-", "–"):          # "Văn hóa - Xã hội": (hóa, xã) too
                    self.pairs[(a, b)] = self.pairs.get((a, b), 0) + 1
                    self.around_dash.add((a, b))

    def strength(self, a: str, b: str) -> float:
        """0 for an unseen pair, up to ~2.5 for a frequent one."""
        key = (a, b)
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = self._strength(a, b)
        return value

    def _strength(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        count = self.pairs.get((a, b), 0)
        if not count and (a[-1] in "-–" or b[0] in "-–"):
            count = self.pairs.get((a.rstrip("-–"), b.lstrip("-–")), 0)   # "hóa-" + "xã"
        if not count and ("-" in a[1:] or "-" in b[:-1]):
            # compounds: "văn" + "hóa-xã" reads as "văn hóa"
            count = self.pairs.get((a.rsplit("-", 1)[-1] or a, b.split("-", 1)[0] or b), 0)
        if not count:
            return 0.0
        return min(2.5, 0.8 + math.log(count))
