"""Recover the rows and cells of an annex task table from layout-flattened PDF text.

A PDF text extractor without positions (pdfplumber `extract_text`) emits a table as physical
lines: every line holds the fragments of the cells that sit at that height, left to right,
joined by single spaces. Cells are wrapped inside their column and, in these tables, centred
vertically in their row: a row is a block of lines whose TT number sits on the middle line, and
a cell of n lines occupies the half-line positions -(n-1), -(n-3) … (n-1) around it. The part
of a row that a page break cuts off is top-aligned on its page and the remainder centred on the
next; tables whose TT numbers start their rows (top-aligned cells) are recognised too.

Recovery:

1. anchors: TT numbers (first token of a line, in sequence) and section rows (I., II. …);
2. row blocks: each page's lines are shared out between consecutive anchors so that every
   complete row is symmetric around its anchor (a small dynamic programme tolerating irregular
   rows and rows broken by a page);
3. a first reading of every line in the context of the lines above it in its row: Viterbi over
   the columns in order, scored by word lists (parsers.layout_vocab), word pairs learnt from
   the document's own prose (a cell's text reads on across its line breaks, two neighbouring
   cells do not), capitalisation, bullets and the first column's width; it gives each
   column's presence on each line and the columns' widths;
4. the row geometry is fitted: how many lines each cell has, hence which columns each line
   holds, scored by each line's best reading with exactly those columns, greedy wrapping (a
   cell line other than its last is nearly full), the columns' widths and how each cell reads
   on from line to line;
5. each line is split into exactly those columns;
6. a second reading learns from the first which agency names this document puts in the lead
   and the coordinating column (where a line shows both, their order tells), then refits.

Everything is deterministic: no randomness, no dependence on dictionary or set order.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import combinations

from parsers.layout_vocab import (AGENCY_STARTS, DEADLINE_STARTS, agency_boundary, dash_kind,
                                  phrase_roles, role_affinity, word_key)

NEG = -1e9

_SEQ_TOKEN = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,2})\.?$")
_ROMAN_NUM = r"(?:X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3})"
_SECTION_LINE = re.compile(rf"^(?:{_ROMAN_NUM}|[A-DĐ])\s*[.):]\s*\S|^{_ROMAN_NUM}\s+\S")
_BULLET_TOKEN = re.compile(r"^(?:[-+•▪●–]|\u2212)$")
_BULLET_START = re.compile(r"^[-+•▪●]\S")


@dataclass
class TLine:
    no: int           # 1-based line number in the source text
    text: str
    page: int


@dataclass
class Column:
    header: str
    role: str | None          # seq, content, products, lead, coordinating, deadline, other


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


# --------------------------------------------------------------------------------------------
# Token features


def _first_alpha(token: str) -> str:
    for ch in token:
        if ch.isalpha() or ch.isdigit():
            return ch
    return ""


def _starts_upper(token: str) -> bool:
    ch = _first_alpha(token)
    return bool(ch) and (ch.isupper() or ch.isdigit())


def _starts_lower(token: str) -> bool:
    ch = _first_alpha(token)
    return bool(ch) and ch.islower()


def _capital_word(token: str) -> bool:
    """'Ban' yes; 'UBND', 'HĐND&UBND', '2026', 'xã' no: capitalised like an ordinary word."""
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and all(ch.islower() for ch in letters[1:])


def _is_bullet(token: str) -> bool:
    return bool(_BULLET_TOKEN.match(token) or _BULLET_START.match(token))


def _cell_start(token: str) -> bool:
    """A token that can open a cell: capitalised, a number, a bullet or an opening quote."""
    return _starts_upper(token) or _is_bullet(token) or token[:1] in "\"“("


def _slope(width: float) -> float:
    """Penalty per character a fragment runs over its column: steeper for narrow columns."""
    return 0.35 * max(1.0, 20.0 / width)


class LineBase:
    """What does not depend on the columns: tokens, their keys and the cost of cutting or
    joining between neighbours."""

    __slots__ = ("tokens", "keys", "n", "chars_to", "join", "brk", "cell_start", "lower", "em_cache",
                 "phrases")

    def __init__(self, tokens: list[str], bigrams: Bigrams):
        self.tokens = tokens
        self.keys = [word_key(t) for t in tokens]
        n = self.n = len(tokens)
        self.cell_start = [_cell_start(t) for t in tokens]
        self.lower = [_starts_lower(t) for t in tokens]
        chars = [0]
        for t in tokens:
            chars.append(chars[-1] + len(t) + 1)
        self.chars_to = chars
        self.em_cache: dict[tuple, list[list[float]]] = {}
        self.phrases = phrase_roles(self.keys)
        self.join = [0.0] * n
        self.brk = [0.0] * n
        keys = self.keys
        dashes = {}
        for i in range(1, n - 1):
            if _BULLET_TOKEN.match(tokens[i]) and tokens[i] != "+":
                dashes[i] = dash_kind(tokens[i - 1], keys[i - 1], tokens[i + 1], keys[i + 1],
                                      (keys[i - 1], keys[i + 1]) in bigrams.around_dash)
        for i in range(1, n):
            tok, prev = tokens[i], tokens[i - 1]
            # a free-standing dash says nothing about what follows it
            strength = 0.0 if (i in dashes or i - 1 in dashes) else bigrams.strength(keys[i - 1], keys[i])
            join = 0.35 * strength
            brk = -1.0 - 0.9 * strength
            kind = dashes.get(i)
            if kind == "internal":
                brk -= 1.5
                join += 0.8
            elif kind == "trailing":
                brk += 0.8
            elif _is_bullet(tok):
                brk += 1.6
                join -= 0.6
            elif _capital_word(tok):
                brk += 0.6          # "Các", "Phòng", "Thường": words that open a cell
            elif _starts_upper(tok):
                brk += 0.2          # acronyms and numbers ("HCC", "UBND", "2026") sit inside too
            elif self.lower[i]:
                brk -= 0.3
            if prev.endswith((".", ";")):
                brk += 0.5
            elif prev.endswith((",", ":")):
                brk += 0.2
            before = dashes.get(i - 1)
            if before == "internal":
                brk -= 2.5
                join += 0.8
            elif before == "trailing":
                brk += 0.3 + agency_boundary(keys[i - 2] if i >= 2 else "", keys[i],
                                             keys[i + 1] if i + 1 < n else "", tok)
            elif _BULLET_TOKEN.match(prev):
                brk -= 1.2          # a bullet opens its fragment
                join += 0.6
            else:
                opens = agency_boundary(keys[i - 1], keys[i], keys[i + 1] if i + 1 < n else "", tok)
                if opens:
                    # a new agency name after one ("… Phục vụ | Các phòng"): running text's
                    # "phục vụ các …" says nothing here
                    brk += opens + 0.9 * strength
            self.join[i] = join
            self.brk[i] = brk

    def chars(self, i0: int, i1: int) -> int:
        return self.chars_to[i1] - self.chars_to[i0] - 1

    @property
    def length(self) -> int:
        return max(0, self.chars_to[-1] - 1)


class Emissions:
    """Word score per column role: the general word lists plus what this document taught."""

    _serial = 0

    def __init__(self, learnt: dict[str, dict[str, float]] | None = None):
        self.learnt = learnt or {}
        self.cache: dict[tuple[str, str], float] = {}
        Emissions._serial += 1
        self.serial = Emissions._serial      # identifies the word scores in line caches

    def score(self, role: str, key: str) -> float:
        value = self.cache.get((role, key))
        if value is None:
            value = role_affinity(role, key)
            learnt = self.learnt.get(role)
            if learnt:
                value += learnt.get(key, 0.0)
            self.cache[(role, key)] = value
        return value


class LineModel:
    """Scores for splitting one line's tokens among the columns (in order)."""

    def __init__(self, base: LineBase, roles: list[str], emissions: Emissions, bigrams: Bigrams,
                 first_width: float | None = None, context: dict[int, str] | None = None):
        """`context`: for each column already seen in the row, the last word of its previous
        fragment (None: no row context)."""
        self.base = base
        self.bigrams = bigrams
        self.first_width = first_width
        self.tokens, self.keys = base.tokens, base.keys
        self.join, self.brk = base.join, base.brk
        self.roles = roles
        n, k = base.n, len(roles)
        em = []
        for c, role in enumerate(roles):
            width = first_width if c == 0 else None
            cache_key = (emissions.serial, role, width)
            row = base.em_cache.get(cache_key)
            if row is None:
                row = [emissions.score(role, key) + extra.get(role, 0.0) if extra
                       else emissions.score(role, key)
                       for key, extra in zip(base.keys, base.phrases)]
                if width and n:
                    # the first text column always starts a line: its width bounds its reach
                    limit = width * 1.08 + 1
                    for i in range(n):
                        over = base.chars_to[i + 1] - 1 - limit
                        if over > 0:
                            row[i] -= 0.35 * over
                base.em_cache[cache_key] = row
            em.append(row)
        self.em = em
        # score of a column's fragment starting at token i (continuity / cell start)
        self.enter = [[0.0] * n for _ in range(k)]
        if context is not None and n:
            for c in range(k):
                prev = context.get(c)
                row = self.enter[c]
                if prev is None:
                    for i in range(n):
                        row[i] = 0.3 if base.cell_start[i] else (-0.8 if base.lower[i] else 0.0)
                else:
                    linkable = prev[-1:].isalnum()
                    for i in range(n):
                        strength = bigrams.strength(prev, base.keys[i])
                        row[i] = CONTINUITY * strength
                        if not strength and linkable and base.cell_start[i] \
                                and not _is_bullet(base.tokens[i]):
                            row[i] -= 0.5      # a capitalised word that never follows the last one
        self.em_prefix = []
        for row in self.em:
            acc, pre = 0.0, [0.0]
            for v in row:
                acc += v
                pre.append(acc)
            self.em_prefix.append(pre)
        acc, pre = 0.0, [0.0, 0.0]
        for i in range(1, n):
            acc += self.join[i]
            pre.append(acc)
        self.join_prefix = pre          # join_prefix[i] = sum of join[1..i-1]
        self.best = 0.0

    def viterbi(self, allowed: list[bool] | None = None) -> tuple[float, list[int]]:
        n, k = self.base.n, len(self.roles)
        if n == 0:
            return 0.0, []
        em, enter, join, brk = self.em, self.enter, self.join, self.brk
        v = [NEG] * k
        for c in range(k):
            if allowed is None or allowed[c]:
                v[c] = em[c][0] + enter[c][0]
        backs = []
        for i in range(1, n):
            cur = [NEG] * k
            back = [-1] * k
            best_prev, best_idx = NEG, -1
            ji, bi = join[i], brk[i]
            for c in range(k):
                if allowed is None or allowed[c]:
                    stay = v[c] + ji
                    move = best_prev + bi + enter[c][i] if best_idx >= 0 else NEG
                    if stay >= move:
                        cur[c], back[c] = stay + em[c][i], c
                    else:
                        cur[c], back[c] = move + em[c][i], best_idx
                if v[c] > best_prev:
                    best_prev, best_idx = v[c], c
            v = cur
            backs.append(back)
        last = max(range(k), key=lambda c: v[c])
        score = v[last]
        path = [last]
        for back in reversed(backs):
            path.append(back[path[-1]])
        path.reverse()
        return score, path

    def exact_parts(self, cols: tuple[int, ...], widths: dict[int, float] | None = None,
                    first_need: float = 0.0) -> tuple[float, list[tuple[int, int, int]]]:
        """`exact` with the split that achieves it: [(col, i0, i1)]."""
        n, m = self.base.n, len(cols)
        if m == 0 or m > n:
            return NEG, []
        join, brk = self.join, self.brk
        chars_to = self.base.chars_to
        ems = [self.em[c] for c in cols]
        enters = [self.enter[c] for c in cols]
        limits: list[float | None] = [None] * m
        slopes = [0.0] * m
        if widths:
            for idx, c in enumerate(cols):
                if widths.get(c) and not (c == 0 and self.first_width):
                    limits[idx] = widths[c] * 1.08 + 1
                    slopes[idx] = _slope(widths[c])
        need_first = first_need if (cols[0] == 0 and m > 1) else 0.0
        v = [NEG] * m
        start = [0] * m
        v[0] = ems[0][0] + enters[0][0]
        starts_at = [[0] * m for _ in range(n)]
        for i in range(1, n):
            ji, bi = join[i], brk[i]
            top = m if i + 1 > m else i + 1
            new = [NEG] * m
            new_start = [0] * m
            for idx in range(top):
                stay = v[idx] + ji
                s0 = start[idx]
                limit = limits[idx]
                if limit is not None and stay > -1e8:
                    after = chars_to[i + 1] - chars_to[s0] - 1
                    if after > limit:
                        before = chars_to[i] - chars_to[s0] - 1
                        stay -= slopes[idx] * (after - limit - (before - limit if before > limit else 0.0))
                if idx:
                    move = v[idx - 1] + bi + enters[idx][i]
                    if idx == 1 and need_first:
                        short = need_first - (chars_to[i] - 1)
                        if short > 0:
                            move -= 0.3 * short
                    if move > stay:
                        stay, s0 = move, i
                new[idx] = stay + ems[idx][i]
                new_start[idx] = s0
            v, start = new, new_start
            starts_at[i] = new_start
        # walk back: the segment of state idx ending at token i starts at starts_at[i][idx]
        parts, i1, idx = [], n, m - 1
        s0 = start[idx]
        while idx >= 0:
            parts.append((cols[idx], s0, i1))
            i1 = s0
            idx -= 1
            if idx >= 0:
                s0 = starts_at[i1 - 1][idx] if i1 - 1 >= 1 else 0
        parts.reverse()
        return v[m - 1], parts

    def exact(self, cols: tuple[int, ...], widths: dict[int, float] | None = None,
              first_need: float = 0.0) -> float:
        """Best score when the line holds exactly the columns `cols` (in order), each at least
        one token; a fragment wider than its column (`widths`) is penalised (tracked along the
        best path of each state), and so is a first-column fragment shorter than `first_need`
        characters (the cell goes on below: its lines are full)."""
        n, m = self.base.n, len(cols)
        if m == 0 or m > n:
            return NEG
        join, brk = self.join, self.brk
        chars_to = self.base.chars_to
        ems = [self.em[c] for c in cols]
        enters = [self.enter[c] for c in cols]
        limits: list[float | None] = [None] * m
        slopes = [0.0] * m
        if widths:
            for idx, c in enumerate(cols):
                if widths.get(c) and not (c == 0 and self.first_width):
                    limits[idx] = widths[c] * 1.08 + 1
                    slopes[idx] = _slope(widths[c])
        need_first = first_need if (cols[0] == 0 and m > 1) else 0.0
        v = [NEG] * m
        start = [0] * m
        v[0] = ems[0][0] + enters[0][0]
        for i in range(1, n):
            ji, bi = join[i], brk[i]
            top = m if i + 1 > m else i + 1
            new = [NEG] * m
            new_start = [0] * m
            for idx in range(top):
                stay = v[idx] + ji
                s0 = start[idx]
                limit = limits[idx]
                if limit is not None and stay > -1e8:
                    after = chars_to[i + 1] - chars_to[s0] - 1
                    if after > limit:
                        before = chars_to[i] - chars_to[s0] - 1
                        stay -= slopes[idx] * (after - limit - (before - limit if before > limit else 0.0))
                if idx:
                    move = v[idx - 1] + bi + enters[idx][i]
                    if idx == 1 and need_first:
                        short = need_first - (chars_to[i] - 1)
                        if short > 0:
                            move -= 0.3 * short
                    if move > stay:
                        stay, s0 = move, i
                new[idx] = stay + ems[idx][i]
                new_start[idx] = s0
            v, start = new, new_start
        return v[m - 1]

    def presence_margins(self) -> tuple[list[int], list[float]]:
        """Best path and, per column, best score with it present minus best without it."""
        k, n = len(self.roles), self.base.n
        best, path = self.viterbi()
        self.best = best
        on_path = set(path)
        fwd = bwd = None
        margins = []
        for c in range(k):
            if c in on_path:
                without, _ = self.viterbi([j != c for j in range(k)])
                margins.append(min(10.0, best - without) if without > NEG / 2 else 10.0)
            else:
                if fwd is None:
                    fwd, bwd = self._forward(), self._backward()
                through = max(fwd[i][c] + bwd[i][c] for i in range(n))
                margins.append(max(-10.0, through - best))
        return path, margins

    def _forward(self) -> list[list[float]]:
        n, k = self.base.n, len(self.roles)
        em, enter, join, brk = self.em, self.enter, self.join, self.brk
        v = [[NEG] * k for _ in range(n)]
        for c in range(k):
            v[0][c] = em[c][0] + enter[c][0]
        for i in range(1, n):
            best_prev = NEG
            prev, cur = v[i - 1], v[i]
            for c in range(k):
                stay = prev[c] + join[i]
                move = best_prev + brk[i] + enter[c][i]
                cur[c] = (stay if stay > move else move) + em[c][i]
                if prev[c] > best_prev:
                    best_prev = prev[c]
        return v

    def _backward(self) -> list[list[float]]:
        n, k = self.base.n, len(self.roles)
        em, enter, join, brk = self.em, self.enter, self.join, self.brk
        b = [[NEG] * k for _ in range(n)]
        b[n - 1] = [0.0] * k
        for i in range(n - 2, -1, -1):
            best_next = NEG       # max over c' > c of brk + enter + em + b
            nxt, cur = b[i + 1], b[i]
            for c in range(k - 1, -1, -1):
                stay = join[i + 1] + em[c][i + 1] + nxt[c]
                cur[c] = stay if stay > best_next else best_next
                cand = brk[i + 1] + enter[c][i + 1] + em[c][i + 1] + nxt[c]
                if cand > best_next:
                    best_next = cand
        return b


# --------------------------------------------------------------------------------------------
# Anchors: TT numbers and section rows


def seq_value(token: str) -> tuple[int, ...] | None:
    m = _SEQ_TOKEN.match(token)
    if not m:
        return None
    return tuple(int(p) for p in m.group(1).split("."))


_ROMAN_ALONE = re.compile(rf"^{_ROMAN_NUM}\s*[.):]?$")


def is_section_line(text: str) -> bool:
    """"II. Cải cách thủ tục hành chính", or the numeral of a section row whose title wraps
    around it ("II." alone, "II. hành chính" between the title's first and last lines)."""
    if _ROMAN_ALONE.match(text.strip()):
        return True
    if not _SECTION_LINE.match(text):
        return False
    rest = re.sub(rf"^(?:{_ROMAN_NUM}|[A-DĐ])\s*[.):]?\s*", "", text, count=1)
    if not rest or rest.split()[0][0].isdigit():
        return False
    numeral = text.split()[0]
    if _starts_lower(rest.split()[0]):
        return bool(re.match(rf"^{_ROMAN_NUM}[.)]$", numeral))
    return True


def find_anchors(lines: list[TLine]) -> dict[int, str]:
    """Index -> "seq" / "section" for lines that start a numbered row or are a section row."""
    candidates: list[tuple[int, tuple[int, ...]]] = []
    kinds: dict[int, str] = {}
    for i, line in enumerate(lines):
        toks = line.text.split()
        if not toks:
            continue
        if is_section_line(line.text) and len(line.text) < 140:
            kinds[i] = "section"
            candidates.append((i, ()))
            continue
        value = seq_value(toks[0])
        if value is not None and value[0] < 500:
            candidates.append((i, value))
    accepted: dict[int, str] = {}
    last: tuple[int, ...] | None = None
    after_section = True
    for pos, (i, value) in enumerate(candidates):
        if value == ():
            accepted[i] = "section"
            after_section = True
            continue
        nexts = [v for _, v in candidates[pos + 1:pos + 4] if v != ()]
        ok = False
        if last is None:
            ok = (value in ((1,), (1, 1)) or bool(nexts and _follows(value, nexts[0]))
                  or (len(value) == 1 and value[0] <= 3))
        elif _follows(last, value):
            ok = True
        elif after_section and value in ((1,), (1, 1)):
            ok = True
        elif nexts and _follows(last, nexts[0], gap=2) and not _follows(last, nexts[0]):
            accepted[i] = "seq"     # a misnumbered row between two consecutive numbers
            last = last[:-1] + (last[-1] + 1,)
            after_section = False
            continue
        if ok:
            accepted[i] = "seq"
            last = value
            after_section = False
    return accepted


def _follows(a: tuple[int, ...], b: tuple[int, ...], gap: int = 1) -> bool:
    """b comes right after a (1 -> 2, 1.2 -> 1.3, 1.3 -> 2, 1 -> 1.1)."""
    if len(a) == len(b):
        return a[:-1] == b[:-1] and b[-1] == a[-1] + gap
    if len(b) > len(a):
        return b[:len(a)] == a and all(x == 1 for x in b[len(a):]) and gap == 1
    return b[:-1] == a[:len(b) - 1] and b[-1] == a[len(b) - 1] + gap


# --------------------------------------------------------------------------------------------
# Row blocks


@dataclass
class Block:
    kind: str                 # "row", "section", "cont" (remainder of a row split by a page)
    start: int                # index into the table's lines
    end: int                  # exclusive
    center: int | None = None  # index of the TT line (row) / section line
    model: str = "center"     # "center" or "top"
    state: tuple | None = None  # the fitted geometry (hypothesis, heights), to restart from
    broken: bool = False      # the row goes on on the next page
    presence: list | None = None  # the columns each line holds, as fitted
    settled: bool = False     # a line holds both the lead and the coordinating column


def segment_rows(lines: list[TLine], anchors: dict[int, str]) -> list[Block]:
    """Share each page's lines out between anchors (see module docstring)."""
    pages: list[list[int]] = []
    for i, line in enumerate(lines):
        if not pages or lines[pages[-1][-1]].page != line.page:
            pages.append([])
        pages[-1].append(i)
    blocks: list[Block] = []
    prev_open = False          # the last row of the previous page continues on this page
    have_row = False
    for p, idxs in enumerate(pages):
        more_pages = p + 1 < len(pages)
        page_blocks, prev_open = _segment_page(lines, idxs, anchors, prev_open, have_row, more_pages)
        blocks.extend(page_blocks)
        have_row = have_row or any(b.kind == "row" for b in page_blocks)
    # Top-aligned cells put the TT number on each row's first line, next to the first line of
    # the content cell: the word after the number opens a sentence in nearly every row (a
    # centred TT line holds the middle of the content instead).
    seqs = [i for i, kind in anchors.items() if kind == "seq"]
    opening = sum(1 for i in seqs if len(lines[i].text.split()) > 1
                  and _cell_start(lines[i].text.split()[1]) and not _starts_lower(lines[i].text.split()[1]))
    _mark_broken(lines, blocks)
    rows = [b for b in blocks if b.kind == "row"]
    centred = [b for b in rows if b.model == "center" and b.center - b.start == b.end - 1 - b.center]
    if len(seqs) >= 3 and (opening >= 0.8 * len(seqs) or len(centred) < 0.5 * len(rows)):
        return _top_aligned(lines, pages, anchors)
    return blocks


def _top_aligned(lines: list[TLine], pages: list[list[int]], anchors: dict[int, str]) -> list[Block]:
    """Rows of a table whose cells are top-aligned: each row runs from its TT line to the next."""
    blocks: list[Block] = []
    for idxs in pages:
        first, last = idxs[0], idxs[-1] + 1
        marks = [i for i in idxs if i in anchors]
        if not marks:
            blocks.append(Block("cont", first, last, None, "top"))
            continue
        if marks[0] > first:
            blocks.append(Block("cont", first, marks[0], None, "top"))
        for n, i in enumerate(marks):
            end = marks[n + 1] if n + 1 < len(marks) else last
            if anchors[i] == "section":
                # its title may wrap onto the next lines (lower-case continuations)
                stop = i + 1
                while stop < end and _starts_lower(lines[stop].text.split()[0]):
                    stop += 1
                blocks.append(Block("section", i, stop, i))
                if end > stop:
                    blocks.append(Block("cont", stop, end, None, "top"))
            else:
                blocks.append(Block("row", i, end, i, "top"))
    _mark_broken(lines, blocks)
    return blocks


def _mark_broken(lines: list[TLine], blocks: list[Block]) -> None:
    """Flag the rows whose remainder comes on the next page."""
    for block, after in zip(blocks, blocks[1:]):
        if (block.kind == "row" and after.kind == "cont"
                and lines[after.start].page != lines[block.end - 1].page):
            block.broken = True


def _top_lower_cost(text: str) -> float:
    tok = text.split()[0] if text.split() else ""
    return 1.0 if _starts_lower(tok) else 0.0


def _segment_page(lines, idxs, anchors, prev_open, have_row, more_pages):
    first, n = idxs[0], len(idxs)
    local = [(j, anchors[i]) for j, i in enumerate(idxs) if i in anchors]
    if not local:
        if have_row:
            return [Block("cont", first, first + n)], prev_open or True
        return [Block("cont", first, first + n)], False
    xs = [j for j, _ in local]
    kinds = [k for _, k in local]
    m = len(xs)
    pre = xs[0]
    gaps = [xs[i + 1] - xs[i] - 1 for i in range(m - 1)]
    post = n - 1 - xs[-1]

    def row_cost(i: int, a: int, b: int, last: bool) -> tuple[float, bool]:
        if kinds[i] == "section":
            # a title is short: on one line, or wrapped around its numeral
            return 2.0 * abs(a - b) + 0.8 * (a + b), False
        if last and more_pages and a == 0 and b > 0:
            return 0.3, True           # top-aligned first part of a row broken by the page
        return 2.0 * abs(a - b), False

    def top_cost(i: int, a: int) -> float:
        return _top_lower_cost(lines[first + xs[i] - a].text) if a > 0 else 0.0

    # dp over a_i
    options0 = range(pre + 1)
    dp: list[dict[int, tuple[float, int | None]]] = [{}]
    for a in options0:
        c = pre - a
        cost = top_cost(0, a)
        if c > 0:
            cost += 0.0 if prev_open else (3.0 * c if have_row else 4.0 * c)
            cost += 0.3 * (1.0 - _top_lower_cost(lines[first].text))
        elif prev_open:
            cost += 0.5
        dp[0][a] = (cost, None)
    for i in range(1, m):
        dp.append({})
        g = gaps[i - 1]
        for a in range(g + 1):
            best = (math.inf, None)
            for a_prev, (cost_prev, _) in dp[i - 1].items():
                b_prev = g - a
                rc, _ = row_cost(i - 1, a_prev, b_prev, False)
                total = cost_prev + rc + top_cost(i, a)
                if total < best[0]:
                    best = (total, a_prev)
            dp[i][a] = best
    final = (math.inf, None, False)
    for a, (cost, _) in dp[m - 1].items():
        rc, split = row_cost(m - 1, a, post, True)
        if cost + rc < final[0]:
            final = (cost + rc, a, split)
    # backtrack
    a_vals = [0] * m
    a_vals[m - 1] = final[1]
    for i in range(m - 1, 0, -1):
        a_vals[i - 1] = dp[i][a_vals[i]][1]
    blocks: list[Block] = []
    c = pre - a_vals[0]
    if c > 0:
        blocks.append(Block("cont", first, first + c))
    for i in range(m):
        a = a_vals[i]
        b = gaps[i] - a_vals[i + 1] if i + 1 < m else post
        start, end = first + xs[i] - a, first + xs[i] + b + 1
        if kinds[i] == "section":
            blocks.append(Block("section", start, end, first + xs[i]))
            continue
        split = i == m - 1 and final[2]
        model = "top" if split else "center"
        if a != b and not split and a == 0:
            model = "top"
        blocks.append(Block("row", start, end, first + xs[i], model))
    last_a = a_vals[m - 1]
    maybe_split = more_pages and kinds[m - 1] == "seq" and last_a == 0
    return blocks, bool(final[2]) or maybe_split


# --------------------------------------------------------------------------------------------
# Geometry: which columns a line of a block holds


def _positions(o: int, e: int) -> list[int]:
    """Sorted half-line positions of a centred block whose tallest odd / even cells have o / e lines."""
    pos = set()
    if o:
        pos.update(range(-(o - 1), o, 2))
    if e:
        pos.update(range(-(e - 1), e, 2))
    return sorted(pos)


def _present(n: int, p: int) -> bool:
    return n > 0 and abs(p) <= n - 1 and (abs(p) - (n - 1)) % 2 == 0


CONTINUITY = 1.0     # weight of a cell's word pair across a line break
_SLACK = 8          # longest word that may not fit at the end of a wrapped line, in characters
_DEFAULT_WIDTH = 16.0


@dataclass
class LineFacts:
    length: int               # characters
    tokens: int
    upper_start: bool         # first token capitalised / a bullet / a digit
    word_start: bool = False  # first token a capitalised ordinary word (not an acronym / number)
    bullet_start: bool = False  # first token a bullet
    para_end: bool = False    # last token ends a sentence / list item


def fit_block(block: Block, margins: list[list[float]], k: int, facts: list[LineFacts],
              widths: dict[int, float], models: list[LineModel | None] | None = None,
              roles: list[str] | None = None,
              restart: tuple[int, tuple[int, ...]] | None = None) -> list[list[bool]] | None:
    """For each line of the block, which of the k columns it holds (None: no fit).

    A cell of n lines takes the positions the geometry gives it. The heights are chosen to
    maximise: each line's best score with exactly the columns it then holds (`models`), a line
    that is not the cell's last being nearly as long as the column is wide (greedy wrapping),
    the columns on a line being wide enough for it, the first line of the first column starting
    with a capital, and cells being filled. Search: from the best height of each column taken
    alone (first-pass margins), moves of one column or of the lead / coordinating pair."""
    L = block.end - block.start
    if L == 0:
        return None
    roles = roles or ["other"] * k
    caps = [widths.get(c, _DEFAULT_WIDTH) * 1.08 + 2 for c in range(k)]
    needs = [(widths[c] - _SLACK) if widths.get(c) else 0.0 for c in range(k)]
    fill = [0.0 if roles[c] == "other" else 1.0 for c in range(k)]
    exact_cache: list[dict[int, float]] = [{} for _ in range(L)]

    need_first = needs[0] if k else 0.0
    cols_of = [tuple(c for c in range(k) if mask >> c & 1) for mask in range(1 << k)]

    def line_score(j: int, mask: int, continues: bool = False) -> float:
        """Score of line j holding exactly the columns in `mask`, relative to its best;
        `continues`: the first column's cell goes on below this line."""
        cache = exact_cache[j]
        key = mask | (1 << k) if continues else mask
        value = cache.get(key)
        if value is None:
            f = facts[j]
            cols = cols_of[mask]
            if f.tokens == 0:
                value = -2.0 * len(cols)
            elif not cols:
                value = -8.0
            elif len(cols) > f.tokens:
                value = -6.0 * (len(cols) - f.tokens) - 6.0
            else:
                model = models[j] if models else None
                # the first-pass margins already tell a hopeless set: skip the exact reading
                marg = margins[j] if margins and margins[j] else None
                rough = 0.0
                if marg is not None:
                    for c in range(k):
                        inside = bool(mask >> c & 1)
                        if inside and marg[c] < 0:
                            rough += marg[c]
                        elif not inside and marg[c] > 0:
                            rough -= marg[c]
                if model is None:
                    value = 0.0
                elif rough < -20.0:
                    value = rough
                else:
                    value = model.exact(cols, widths, need_first if continues else 0.0) - model.best
                value = max(value, -25.0)
                cap = sum(caps[c] for c in cols)
                if f.length > cap:
                    value -= 0.3 * (f.length - cap)
            cache[key] = value
        return value

    def continuing(n0: int, present_of) -> set[int]:
        lines = present_of[n0]
        return set(lines) if block.broken else set(lines[:-1])

    lengths = [f.length for f in facts]
    sep_cache: dict[tuple[int, tuple[int, ...]], float] = {}

    def separable(c: int, present: tuple[int, ...]) -> float:
        key = (c, present)
        score = sep_cache.get(key)
        if score is not None:
            return score
        score = fill[c] if present else 0.0
        if needs[c] and len(present) > 1:
            need = needs[c]
            # a wrapped line is nearly full, unless the cell's paragraph ends there
            score -= 0.3 * sum(need - lengths[j] for t, j in enumerate(present[:-1])
                               if lengths[j] < need and not facts[j].para_end
                               and not facts[present[t + 1]].bullet_start)
        if c == 0 and present:
            if not facts[present[0]].upper_start:
                score -= 2.5
            elif facts[present[0]].bullet_start:
                score -= 1.5
            score -= 0.6 * sum(1 for j in present[1:] if facts[j].word_start)
        sep_cache[key] = score
        return score

    initial_cache: dict[tuple[int, tuple[int, ...]], float] = {}

    def initial(c: int, present: tuple[int, ...]) -> float:
        key = (c, present)
        value = initial_cache.get(key)
        if value is None:
            value = initial_cache[key] = (separable(c, present)
                                          + sum(margins[j][c] for j in present))
        return value

    if block.model == "top":
        hypotheses = [(list(range(L + 1)), {n: tuple(range(n)) for n in range(L + 1)}, (L,))]
    else:
        hypotheses = []
        center = None if block.center is None else block.center - block.start
        for o in range(0, L + 1):
            e = L - o
            if (o and o % 2 == 0) or (e and e % 2 == 1):
                continue
            pos = _positions(o, e)
            if len(pos) != L or (center is not None and pos[center] != 0):
                continue
            options = [0] + list(range(1, o + 1, 2)) + list(range(2, e + 1, 2))
            present_of = {n: tuple(j for j in range(L) if _present(n, pos[j])) for n in options}
            hypotheses.append((options, present_of, tuple(x for x in (o, e) if x)))
    pair = [c for c in range(k) if roles[c] in ("lead", "coordinating")]
    # start every geometry from each column's best height taken alone (first-pass margins);
    # search the most promising few, or only the one an earlier reading settled on
    starts = []
    for h, (options, present_of, edges) in enumerate(hypotheses):
        if restart is not None and h != restart[0]:
            continue
        if margins and margins[0]:
            ranked = [sorted(options, key=lambda n, c=c: -initial(c, present_of[n]))[:5]
                      for c in range(k)]
        else:
            ranked = [list(options[:5]) for _ in range(k)]
        for r in ranked:          # the tallest cells reach the block's edges: always a candidate
            r.extend(x for x in edges if x not in r)
        ns = list(restart[1]) if restart is not None else [r[0] for r in ranked]
        for c in range(k):
            if ns[c] not in ranked[c]:
                ranked[c].append(ns[c])
        estimate = sum(initial(c, present_of[ns[c]]) for c in range(k)) if margins and margins[0] else 0.0
        starts.append((estimate, h, present_of, ranked, ns))
    starts.sort(key=lambda item: -item[0])
    if len(starts) > 3:
        rescored = []
        for estimate, h, present_of, ranked, ns in starts[:6]:
            masks = [0] * L
            for c in range(k):
                for j in present_of[ns[c]]:
                    masks[j] |= 1 << c
            cont = continuing(ns[0], present_of) if k else set()
            exact_total = (sum(separable(c, present_of[ns[c]]) for c in range(k))
                           + sum(line_score(j, masks[j], j in cont) for j in range(L)))
            rescored.append((exact_total, h, present_of, ranked, ns))
        rescored.sort(key=lambda item: -item[0])
        starts = rescored
    best_total, best_presence, best_state = None, None, None
    for _, h, present_of, ranked, ns in starts[:3]:
        masks = [0] * L
        for c in range(k):
            for j in present_of[ns[c]]:
                masks[j] |= 1 << c
        sets = {n: frozenset(lines) for n, lines in present_of.items()}
        cont = continuing(ns[0], present_of) if k else set()
        cur = [line_score(j, masks[j], j in cont) for j in range(L)]

        def single(c: int, n: int) -> float:
            bit = 1 << c
            new_set = sets[n]
            delta = separable(c, present_of[n]) - separable(c, present_of[ns[c]])
            if c == 0:
                new_cont = continuing(n, present_of)
                for j in range(L):
                    mask = masks[j] | bit if j in new_set else masks[j] & ~bit
                    delta += line_score(j, mask, j in new_cont) - cur[j]
                return delta
            for j in sets[ns[c]] ^ new_set:
                mask = masks[j] | bit if j in new_set else masks[j] & ~bit
                delta += line_score(j, mask, j in cont) - cur[j]
            return delta

        def double(a: int, na: int, b: int, nb: int) -> float:
            delta = (separable(a, present_of[na]) - separable(a, present_of[ns[a]])
                     + separable(b, present_of[nb]) - separable(b, present_of[ns[b]]))
            bit_a, bit_b = 1 << a, 1 << b
            sa, sb = sets[na], sets[nb]
            if a == 0:                   # the content's continuation flags move too
                flags = continuing(na, present_of)
                affected = range(L)
            else:
                flags = cont
                affected = (sets[ns[a]] ^ sa) | (sets[ns[b]] ^ sb)
            for j in affected:
                mask = masks[j]
                mask = mask | bit_a if j in sa else mask & ~bit_a
                mask = mask | bit_b if j in sb else mask & ~bit_b
                delta += line_score(j, mask, j in flags) - cur[j]
            return delta

        for _step in range(4 * k):
            best_move, best_delta = None, 1e-9
            for c in range(k):
                for n in ranked[c]:
                    if n != ns[c]:
                        d = single(c, n)
                        if d > best_delta:
                            best_move, best_delta = ((c, n),), d
            if len(pair) == 2:
                a, b = pair
                for na in ranked[a][:4]:
                    if na == ns[a]:
                        continue
                    for nb in ranked[b][:4]:
                        if nb != ns[b]:
                            d = double(a, na, b, nb)
                            if d > best_delta:
                                best_move, best_delta = ((a, na), (b, nb)), d
            for a in range(k):          # two cells trading heights
                for b in range(a + 1, k):
                    if ns[a] != ns[b] and (a, b) != tuple(pair):
                        d = double(a, ns[b], b, ns[a])
                        if d > best_delta:
                            best_move, best_delta = ((a, ns[b]), (b, ns[a])), d
            if best_move is None:
                break
            for c, n in best_move:
                ns[c] = n
                if n not in ranked[c]:
                    ranked[c].append(n)
            masks = [0] * L
            for c in range(k):
                for j in present_of[ns[c]]:
                    masks[j] |= 1 << c
            cont = continuing(ns[0], present_of) if k else set()
            cur = [line_score(j, masks[j], j in cont) for j in range(L)]
        total = sum(separable(c, present_of[ns[c]]) for c in range(k)) + sum(cur)
        if best_total is None or total > best_total:
            best_total = total
            best_presence = [[bool(masks[j] >> c & 1) for c in range(k)] for j in range(L)]
            best_state = (h, tuple(ns))
    if best_state is not None and len(pair) == 2 and models:
        h, ns = best_state
        a, b = pair
        if ns[a] != ns[b]:
            present_of = hypotheses[h][1]
            swapped = list(ns)
            swapped[a], swapped[b] = ns[b], ns[a]
            here = _with_continuity(ns, present_of, k, L, models, widths, facts, line_score,
                                    separable, pair, block.broken)
            there = _with_continuity(swapped, present_of, k, L, models, widths, facts,
                                     line_score, separable, pair, block.broken)
            if there > here + 1e-9:
                best_state = (h, tuple(swapped))
                masks = _masks(swapped, present_of, k, L)
                best_presence = [[bool(masks[j] >> c & 1) for c in range(k)] for j in range(L)]
    block.state = best_state
    return best_presence


def _masks(ns, present_of, k: int, L: int) -> list[int]:
    masks = [0] * L
    for c in range(k):
        for j in present_of[ns[c]]:
            masks[j] |= 1 << c
    return masks


def _with_continuity(ns, present_of, k, L, models, widths, facts, line_score, separable,
                     cols_of_interest, broken: bool = False) -> float:
    """Total score of heights `ns` plus how well the fragments of the given columns run on
    from line to line (and open their cell with a capital)."""
    masks = _masks(ns, present_of, k, L)
    cont = (set(present_of[ns[0]]) if broken else set(present_of[ns[0]][:-1])) if k else set()
    total = sum(separable(c, present_of[ns[c]]) for c in range(k))
    total += sum(line_score(j, masks[j], j in cont) for j in range(L))
    split: dict[int, dict[int, tuple[int, int]]] = {}
    for j in range(L):
        model = models[j]
        if model is None or not masks[j]:
            continue
        cols = tuple(c for c in range(k) if masks[j] >> c & 1)
        if len(cols) > model.base.n:
            continue
        _, parts = model.exact_parts(cols, widths)
        split[j] = {c: (i0, i1) for c, i0, i1 in parts}
    bigrams = models_bigrams(models)
    for c in cols_of_interest:
        prev_key = None
        first = True
        for j in present_of[ns[c]]:
            seg = split.get(j, {}).get(c)
            if seg is None:
                continue
            base = models[j].base
            i0, i1 = seg
            if first:
                total += 0.5 if base.cell_start[i0] else -0.8
                first = False
            elif prev_key is not None and bigrams is not None:
                total += 1.2 * bigrams.strength(prev_key, base.keys[i0])
            prev_key = base.keys[i1 - 1]
    return total


def models_bigrams(models) -> Bigrams | None:
    for model in models:
        if model is not None:
            return model.bigrams
    return None


# --------------------------------------------------------------------------------------------
# Constrained split of one line into given columns


def split_line(model: LineModel, cols: list[int], first: dict[int, bool],
               prev_last: dict[int, str], widths: dict[int, float],
               bigrams: Bigrams, first_need: float = 0.0) -> list[tuple[int, int, int]] | None:
    """Best split of the line's tokens into exactly `cols` (in order): [(col, i0, i1)];
    `first_need`: the first column's cell goes on below, so its fragment is nearly that long."""
    base = model.base
    n, k = base.n, len(cols)
    if k == 0 or k > n:
        return None
    chars_to = base.chars_to
    join_prefix = model.join_prefix
    need_first = first_need if (cols[0] == 0 and k > 1) else 0.0
    dp = [[NEG] * (n + 1) for _ in range(k + 1)]
    back = [[-1] * (n + 1) for _ in range(k + 1)]
    dp[0][0] = 0.0
    for ci in range(1, k + 1):
        c = cols[ci - 1]
        role = model.roles[c]
        prev = prev_last.get(c)
        is_first = first.get(c, False)
        # score of the fragment starting at token i (boundary, cell start / continuity)
        start_row = [0.0] * n
        for i in range(n):
            value = base.brk[i] if i > 0 else 0.0
            if is_first:
                value += 0.8 if base.cell_start[i] else -1.2
                key = base.keys[i]
                if role in ("lead", "coordinating") and key in AGENCY_STARTS:
                    value += 0.5
                elif role == "deadline" and key in DEADLINE_STARTS:
                    value += 0.5
            elif prev is not None:
                strength = bigrams.strength(prev, base.keys[i])
                value += 0.8 * strength
                if not strength and base.cell_start[i] and prev[-1:].isalnum() \
                        and not _is_bullet(base.tokens[i]):
                    value -= 0.6        # a capitalised word that never follows the last one
            start_row[i] = value
        width = None if (c == 0 and model.first_width) else widths.get(c)
        limit = width * 1.08 + 1 if width else None
        slope = _slope(width) if width else 0.0
        em_prefix = model.em_prefix[c]
        prev_dp, cur_dp, cur_back = dp[ci - 1], dp[ci], back[ci]
        for i1 in range(ci, n - (k - ci) + 1):
            best, arg = NEG, -1
            em_end, join_end, chars_end = em_prefix[i1], join_prefix[i1], chars_to[i1]
            for i0 in range(i1 - 1, ci - 2, -1):
                base_score = prev_dp[i0]
                if base_score <= -1e8:
                    continue
                score = (base_score + em_end - em_prefix[i0] + join_end - join_prefix[i0 + 1]
                         + start_row[i0])
                if ci == 2 and need_first:
                    short = need_first - (chars_to[i0] - 1)
                    if short > 0:
                        score -= 0.3 * short
                if limit is not None:
                    over = chars_end - chars_to[i0] - 1 - limit
                    if over > 0:
                        score -= slope * over
                        if over > 15 and arg >= 0:
                            break          # longer fragments only get worse
                if score > best:
                    best, arg = score, i0
            cur_dp[i1], cur_back[i1] = best, arg
    if dp[k][n] <= NEG / 2:
        return None
    out, i1 = [], n
    for ci in range(k, 0, -1):
        i0 = back[ci][i1]
        out.append((cols[ci - 1], i0, i1))
        i1 = i0
    out.reverse()
    return out


# --------------------------------------------------------------------------------------------
# Tables


@dataclass
class TableResult:
    columns: list[Column]
    rows: list[RecoveredRow]


@dataclass
class _Prepared:
    lines: list[TLine]
    blocks: list[Block]
    bases: list[LineBase]
    contexts: list[str | None]


def recover(lines: list[TLine], columns: list[Column], bigrams: Bigrams) -> TableResult:
    """Rows of one task table from its body lines (header lines, page numbers removed)."""
    return recover_group([lines], columns, bigrams)[0]


def recover_group(tables: list[list[TLine]], columns: list[Column],
                  bigrams: Bigrams) -> list[TableResult]:
    """Rows of the tables that share one header layout (and so their column widths and
    vocabulary): each table's body lines, header lines and page numbers removed."""
    text_cols = [c for c in range(len(columns)) if columns[c].role != "seq"]
    roles = [columns[c].role or "other" for c in text_cols]
    k = len(text_cols)
    prepared = []
    for lines in tables:
        anchors = find_anchors(lines)
        blocks = segment_rows(lines, anchors) if lines else []
        seq_idx = {i for i, kind in anchors.items() if kind == "seq"}
        bases = []
        for i, line in enumerate(lines):
            toks = line.text.split()
            bases.append(LineBase(toks[1:] if i in seq_idx else toks, bigrams))
        prepared.append(_Prepared(lines, blocks, bases, _row_contexts(blocks, len(lines))))
    all_bases = [b for p in prepared for b in p.bases]

    # first reading, without context: the columns' widths, and which agency names this
    # document puts in the lead / coordinating columns where a line shows both side by side
    emissions = Emissions()
    paths = [LineModel(b, roles, emissions, bigrams).viterbi()[1] for b in all_bases]
    widths = _estimate_widths(all_bases, paths, k)
    per_table, at = [], 0
    for prep in prepared:
        per_table.append(paths[at:at + len(prep.bases)])
        at += len(prep.bases)
    widths = _wrap_widths(prepared, per_table, k, widths)

    firsts = [_first_pass(prep, roles, emissions, bigrams, widths.get(0)) for prep in prepared]
    widths = _wrap_widths(prepared, [f[1] for f in firsts], k,
                          _estimate_widths(all_bases, [p for f in firsts for p in f[1]], k))
    results = [_decode(prep, margins, paths, models, roles, emissions, bigrams, widths, text_cols)
               for prep, (margins, paths, models) in zip(prepared, firsts)]
    # second reading: which agency names this document puts in the lead / coordinating column,
    # learnt where a decoded line shows both side by side (their order tells them apart)
    learnt = _learn_pair(results, text_cols, roles)
    if learnt:
        emissions = Emissions(learnt)
        # rows where a line already shows both columns are settled: only the others are read
        # again (the remainder of a broken row goes with its first part)
        redo_all = []
        for prep in prepared:
            redo: set[int] = set()
            group: list[Block] = []
            for block in prep.blocks + [Block("row", 0, 0)]:
                if block.kind == "row" and group:
                    if not any(b.settled for b in group):
                        for b in group:
                            redo.update(range(b.start, b.end))
                    group = []
                if block.kind in ("row", "cont"):
                    group.append(block)
            redo_all.append(redo)
        seconds = [_first_pass(prep, roles, emissions, bigrams, widths.get(0), light=True,
                               keep=(first[1], first[2]), redo=redo)
                   for prep, first, redo in zip(prepared, firsts, redo_all)]
        results = [_decode(prep, first[0], paths, models, roles, emissions, bigrams, widths,
                           text_cols, restart=True, redo=redo)
                   for prep, first, (_, paths, models), redo
                   in zip(prepared, firsts, seconds, redo_all)]
    return [TableResult(columns, rows) for rows in results]


def _first_pass(prep: _Prepared, roles: list[str], emissions: Emissions, bigrams: Bigrams,
                first_width: float | None, light: bool = False,
                keep: tuple[list, list] | None = None, redo: set[int] | None = None):
    """Each line read in the context of the lines above it in its row: best split and, per
    column, how strongly it is present. `light`: best split only; with `keep` (an earlier
    pass's paths and models), only the lines in `redo` are read again."""
    k = len(roles)
    margins, paths, models = [], [], []
    context: dict[int, str] = {}
    for i, base in enumerate(prep.bases):
        if prep.contexts[i] == "reset":
            context = {}
        if not base.n:
            paths.append([])
            margins.append([-5.0] * k)
            models.append(None)
            continue
        if keep is not None and redo is not None and i not in redo:
            path, model = keep[0][i], keep[1][i]
            paths.append(path)
            margins.append([])
            models.append(model)
            for c, _, i1 in _path_parts(path):
                context[c] = base.keys[i1 - 1]
            continue
        model = LineModel(base, roles, emissions, bigrams, first_width,
                          None if prep.contexts[i] is None else context)
        if light:
            model.best, path = model.viterbi()
            marg = []
        else:
            path, marg = model.presence_margins()
        paths.append(path)
        margins.append(marg)
        models.append(model)
        for c, _, i1 in _path_parts(path):
            context[c] = base.keys[i1 - 1]
    return margins, paths, models


def _decode(prep: _Prepared, margins: list[list[float]], paths: list[list[int]],
            models: list[LineModel | None], roles: list[str], emissions: Emissions,
            bigrams: Bigrams, widths: dict[int, float], text_cols: list[int],
            restart: bool = False, redo: set[int] | None = None) -> list[RecoveredRow]:
    k = len(roles)
    lines, bases = prep.lines, prep.bases
    rows: list[RecoveredRow] = []
    current: RecoveredRow | None = None
    prev_last_row: dict[int, str] = {}
    for block in prep.blocks:
        if block.kind == "section":
            numeral = lines[block.center]
            parts = [numeral.text] + [lines[j].text for j in range(block.start, block.end)
                                      if j != block.center]
            if not _ROMAN_ALONE.match(numeral.text.strip()) and block.end - block.start > 1:
                head, _, rest = numeral.text.partition(" ")
                above = [lines[j].text for j in range(block.start, block.center)]
                below = [lines[j].text for j in range(block.center + 1, block.end)]
                parts = [head] + above + ([rest] if rest else []) + below
            rows.append(RecoveredRow("section", [lines[j].no for j in range(block.start, block.end)],
                                     section=" ".join(parts)))
            current = None
            continue
        if block.kind == "cont" and current is None:
            # lines that belong to no numbered row: attach to the previous task if any
            if rows and rows[-1].kind == "task":
                current = rows[-1]
            else:
                continue
        if block.kind == "row":
            seq_line = lines[block.center]
            current = RecoveredRow("task", [], seq=seq_line.text.split()[0], seq_line=seq_line.no)
            rows.append(current)
            prev_last_row = {}
        facts = [LineFacts(b.length, b.n, bool(b.n) and b.cell_start[0],
                           bool(b.n) and _capital_word(b.tokens[0]),
                           bool(b.n) and _is_bullet(b.tokens[0]),
                           bool(b.n) and b.tokens[-1].endswith((".", ";", ":")))
                 for b in bases[block.start:block.end]]
        block_models = models[block.start:block.end]
        if block.kind == "cont" and current.cells:
            # the remainder of a row broken by a page: read it on from what the row decoded to
            context = {text_cols.index(c): word_key(frags[-1][1].split()[-1])
                       for c, frags in current.cells.items() if frags}
            block_models = []
            for j in range(block.start, block.end):
                if not bases[j].n:
                    block_models.append(None)
                    continue
                model = LineModel(bases[j], roles, emissions, bigrams, widths.get(0), context)
                model.best, path = model.viterbi()
                for c, _, i1 in _path_parts(path):
                    context[c] = bases[j].keys[i1 - 1]
                block_models.append(model)
        if redo is not None and block.start not in redo and block.presence is not None:
            presence = block.presence          # settled on the first reading
        else:
            presence = fit_block(block, margins[block.start:block.end], k, facts, widths,
                                 block_models, roles, restart=block.state if restart else None)
            block.presence = presence
            if presence and "lead" in roles and "coordinating" in roles:
                a, b = roles.index("lead"), roles.index("coordinating")
                block.settled = any(line[a] and line[b] for line in presence)
        cell_index = {text_cols[c]: c for c in range(k)}
        seen_cols = {cell_index[c] for c in current.cells}
        if block.kind == "cont":
            prev_last = {cell_index[c]: word_key(frags[-1][1].split()[-1])
                         for c, frags in current.cells.items() if frags}
        else:
            prev_last = dict(prev_last_row)
        content_lines = [j for j in range(block.start, block.end)
                         if presence and presence[j - block.start][0]] if k else []
        need_first = (widths[0] - _SLACK) if (k and widths.get(0)) else 0.0
        for j in range(block.start, block.end):
            base = bases[j]
            current.lines.append(lines[j].no)
            if not base.n:
                continue
            cols = [c for c in range(k) if presence and presence[j - block.start][c]]
            continues = bool(content_lines) and (j in content_lines[:-1]
                                                 or (block.broken and j == content_lines[-1]))
            cols = _feasible(cols, margins[j], base.n)
            parts = None
            if cols:
                model = block_models[j - block.start] or LineModel(base, roles, emissions, bigrams)
                first = {c: (c not in seen_cols and block.kind != "cont") for c in cols}
                parts = split_line(model, cols, first, prev_last, widths, bigrams,
                                   need_first if continues else 0.0)
            if parts is None:
                parts = _path_parts(paths[j])
            for c, i0, i1 in parts:
                frag = " ".join(base.tokens[i0:i1])
                current.cells.setdefault(text_cols[c], []).append((lines[j].no, frag))
                seen_cols.add(c)
                prev_last[c] = base.keys[i1 - 1]
        if block.kind == "row":
            prev_last_row = prev_last
    return rows


def _learn_pair(results: list[list[RecoveredRow]], text_cols: list[int],
                roles: list[str]) -> dict[str, dict[str, float]]:
    """Lead vs coordinating preference of words, from decoded lines that hold both columns."""
    if "lead" not in roles or "coordinating" not in roles:
        return {}
    lead_col = text_cols[roles.index("lead")]
    coord_col = text_cols[roles.index("coordinating")]
    counts: dict[str, list[int]] = {}
    for rows in results:
        for row in rows:
            if row.kind != "task":
                continue
            lead_lines = {no for no, _ in row.cells.get(lead_col, [])}
            coord_lines = {no for no, _ in row.cells.get(coord_col, [])}
            shared = lead_lines & coord_lines
            if not shared:
                continue
            for side, col in ((0, lead_col), (1, coord_col)):
                for no, frag in row.cells[col]:
                    if no in shared:
                        for tok in frag.split():
                            key = word_key(tok)
                            if key and key not in ("-", "–"):
                                counts.setdefault(key, [0, 0])[side] += 1
    if sum(a + b for a, b in counts.values()) < 6:
        return {}
    out_lead, out_coord = {}, {}
    for key, (a, b) in counts.items():
        value = 0.5 * max(-2.0, min(2.0, math.log((a + 0.5) / (b + 0.5)))) * min(1.0, (a + b) / 3.0)
        out_lead[key] = value
        out_coord[key] = -value
    return {"lead": out_lead, "coordinating": out_coord}


def _row_contexts(blocks: list[Block], n: int) -> list[str | None]:
    """Per line: "reset" where a row starts, "keep" inside a row, None outside rows."""
    out: list[str | None] = [None] * n
    for block in blocks:
        if block.kind == "section":
            continue
        for j in range(block.start, block.end):
            out[j] = "keep"
        if block.kind == "row":
            out[block.start] = "reset"
    return out


def _feasible(cols: list[int], margins: list[float], n_tokens: int) -> list[int]:
    cols = list(cols)
    while len(cols) > n_tokens:
        cols.remove(min(cols, key=lambda c: margins[c]))
    return cols


def _path_parts(path: list[int]) -> list[tuple[int, int, int]]:
    parts: list[tuple[int, int, int]] = []
    for i, c in enumerate(path):
        if parts and parts[-1][0] == c:
            parts[-1] = (c, parts[-1][1], i + 1)
        else:
            parts.append((c, i, i + 1))
    return parts


def _wrap_widths(prepared: list["_Prepared"], paths: list[list[list[int]]], k: int,
                 fallback: dict[int, float]) -> dict[int, float]:
    """Column widths from greedy wrapping: a cell line is at most as long as its column, and
    adding the next line's first word would have overflowed it. Each pair of consecutive
    fragments of a cell bounds the width; the width kept agrees with most pairs."""
    bounds: dict[int, list[tuple[int, int]]] = {c: [] for c in range(k)}
    for prep, table_paths in zip(prepared, paths):
        last: dict[int, tuple[int, str]] = {}
        for block in prep.blocks:
            if block.kind == "row":
                last = {}
            elif block.kind == "section":
                last = {}
                continue
            for j in range(block.start, block.end):
                base = prep.bases[j]
                for c, i0, i1 in _path_parts(table_paths[j]):
                    if c in last and not _is_bullet(base.tokens[i0]):
                        length, end = last[c]
                        if not end.endswith((".", ";", ":")):
                            bounds[c].append((length, length + 1 + len(base.tokens[i0])))
                    last[c] = (base.chars(i0, i1), base.tokens[i1 - 1])
    widths = dict(fallback)
    for c, pairs in bounds.items():
        if len(pairs) < 6:
            continue
        best, best_cover = None, 0
        for w in sorted({lo for lo, _ in pairs}):
            cover = sum(1 for lo, hi in pairs if lo <= w < hi)
            if cover > best_cover:
                best, best_cover = w, cover
        if best is not None and best_cover >= 0.3 * len(pairs):
            widths[c] = float(best)
    return widths


def _estimate_widths(bases: list[LineBase], paths: list[list[int]], k: int) -> dict[int, float]:
    lengths: dict[int, list[int]] = {c: [] for c in range(k)}
    for base, path in zip(bases, paths):
        for c, i0, i1 in _path_parts(path):
            lengths[c].append(base.chars(i0, i1))
    widths: dict[int, float] = {}
    for c, values in lengths.items():
        if len(values) >= 4:
            values.sort()
            widths[c] = float(values[int(0.85 * (len(values) - 1))])
    return widths


_CANONICAL = ("lead", "coordinating", "deadline")


def choose_columns(options: list[list[Column]], tokens: list[list[str]],
                   bigrams: Bigrams) -> list[Column]:
    """Pick the column order that best explains the lines (header cells stacked over several
    lines give no position of their own); ties go to the usual order chủ trì < phối hợp <
    thời gian."""
    if len(options) == 1:
        return options[0]
    sample = [t for t in tokens if len(t) >= 4]
    sample.sort(key=len, reverse=True)
    bases = [LineBase(t, bigrams) for t in sample[:24]]
    emissions = Emissions()
    # the first text column's width does not depend on the order: measure it first
    roles0 = [c.role or "other" for c in options[0] if c.role != "seq"]
    paths = [LineModel(b, roles0, emissions, bigrams).viterbi()[1] for b in bases]
    first_width = _estimate_widths(bases, paths, len(roles0)).get(0)
    best, best_score = options[0], NEG
    for cols in options:
        roles = [c.role or "other" for c in cols if c.role != "seq"]
        ranks = [_CANONICAL.index(r) for r in roles if r in _CANONICAL]
        inversions = sum(1 for i in range(len(ranks)) for j in range(i + 1, len(ranks))
                         if ranks[i] > ranks[j])
        if "lead" in roles and "coordinating" in roles:
            # chủ trì and phối hợp sit side by side in nearly every plan table
            inversions += abs(roles.index("lead") - roles.index("coordinating")) - 1
        score = sum(LineModel(b, roles, emissions, bigrams, first_width).viterbi()[0]
                    for b in bases) - 3.0 * inversions
        if score > best_score + 1e-9:
            best, best_score = cols, score
    return best


def interleavings(main: list[Column], stacked: list[Column]) -> list[list[Column]]:
    """Orders of main + stacked header cells keeping each list's order, TT and the first text
    column of the main line staying first."""
    if not stacked:
        return [main]
    head = main[:2] if len(main) >= 2 and main[0].role == "seq" else main[:1]
    rest = main[len(head):]
    total = len(rest) + len(stacked)
    out = []
    for slots in combinations(range(total), len(stacked)):
        order, si, ri = [], 0, 0
        for pos in range(total):
            if pos in slots:
                order.append(stacked[si])
                si += 1
            else:
                order.append(rest[ri])
                ri += 1
        out.append(head + order)
    return out
