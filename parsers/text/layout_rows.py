"""Row anchors (TT numbers, section rows) and the split of a table's lines into row blocks
(see parsers.text.layout_table, steps 1-2)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from parsers.text.layout_linemodel import opens_cell, starts_lower
from parsers.text.layout_types import ROMAN_NUM, SECTION_LINE, SEQ_TOKEN, RecoveredRow, TLine


# --------------------------------------------------------------------------------------------
# Anchors: TT numbers and section rows


def seq_value(token: str) -> tuple[int, ...] | None:
    m = SEQ_TOKEN.match(token)
    if not m:
        return None
    return tuple(int(p) for p in m.group(1).split("."))


_ROMAN_ALONE = re.compile(rf"^{ROMAN_NUM}\s*[.):]?$")


def is_section_line(text: str, any_letter: bool = False) -> bool:
    """"II. Cải cách thủ tục hành chính", or the numeral of a section row whose title wraps
    around it ("II." alone, "II. hành chính" between the title's first and last lines).
    Letters past A-Đ ("E.", "G.") only with `any_letter`: "P. VH-XH" opens a unit's name."""
    if _ROMAN_ALONE.match(text.strip()):
        return True
    if not SECTION_LINE.match(text) and not (any_letter and _LETTER_LINE.match(text)):
        return False
    rest = re.sub(rf"^(?:{ROMAN_NUM}|[A-ZĐ])\s*[.):]?\s*", "", text, count=1)
    if not rest or rest.split()[0][0].isdigit():
        return False
    numeral = text.split()[0]
    if starts_lower(rest.split()[0]):
        return bool(re.match(rf"^{ROMAN_NUM}[.)]$", numeral))
    return True


_LETTER_LINE = re.compile(r"^[A-ZĐ]\s*[.):]\s*\S")
_VI_LETTERS = "ABCDĐEGHIKLMNOPQRSTUVXY"       # the order of lettered sections (no F, J, W, Z)
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}


def section_numeral(text: str) -> tuple[str, int] | None:
    """("roman", 3) for "III. …", ("letter", 6) for "E. …": kind and rank of a section's numeral."""
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    m = re.match(rf"^({ROMAN_NUM})[.):]?$", head)
    if m:
        values = [_ROMAN_VALUE[ch] for ch in m.group(1)]
        return "roman", sum(-v if v < w else v for v, w in zip(values, values[1:] + [0]))
    m = re.match(r"^([A-ZĐ])[.):]$", head)
    if m and m.group(1) in _VI_LETTERS:
        return "letter", _VI_LETTERS.index(m.group(1)) + 1
    return None


def follows_section(last: tuple[str, int] | None, numeral: tuple[str, int] | None) -> bool:
    """`numeral` comes after `last` in one numbering (one section may be skipped)."""
    return bool(last and numeral and last[0] == numeral[0] and 0 < numeral[1] - last[1] <= 2)


def find_anchors(lines: list[TLine]) -> dict[int, str]:
    """Index -> "seq" / "section" for lines that start a numbered row or are a section row."""
    candidates: list[tuple[int, tuple[int, ...]]] = []
    kinds: dict[int, str] = {}
    last_section: tuple[str, int] | None = None
    for i, line in enumerate(lines):
        toks = line.text.split()
        if not toks:
            continue
        if len(line.text) < 140 and (is_section_line(line.text) or (
                is_section_line(line.text, any_letter=True)
                and follows_section(last_section, section_numeral(line.text)))):
            kinds[i] = "section"
            candidates.append((i, ()))
            last_section = section_numeral(line.text) or last_section
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
        elif nexts and (_follows(last, value, gap=2) or _follows(last, value, gap=3)) \
                and _follows(value, nexts[0]):
            ok = True               # a number skipped: the numbering goes on from this one
        if ok:
            accepted[i] = "seq"
            last = value
            after_section = False
    # a number whose first sub-number comes next ("1. Cải cách thể chế", then 1.1, 1.2 …)
    # heads a group of rows: a section row
    values = dict(candidates)
    seqs = [i for i in accepted if accepted[i] == "seq"]
    for i, j in zip(seqs, seqs[1:]):
        if values[j] == values[i] + (1,) and not any(accepted.get(x) == "section" for x in range(i, j)):
            accepted[i] = "section"
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
                  and opens_cell(lines[i].text.split()[1]) and not starts_lower(lines[i].text.split()[1]))
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
                while stop < end and starts_lower(lines[stop].text.split()[0]):
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
    return 1.0 if starts_lower(tok) else 0.0


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
    blocks = _page_blocks(first, xs, kinds, gaps, pre, post, a_vals, final[2])
    last_a = a_vals[m - 1]
    maybe_split = more_pages and kinds[m - 1] == "seq" and last_a == 0
    return blocks, bool(final[2]) or maybe_split


def _page_blocks(first: int, xs: list[int], kinds: list[str], gaps: list[int], pre: int, post: int,
                 a_vals: list[int], last_split: bool) -> list[Block]:
    """The page's blocks once the lines above each anchor (`a_vals`) are chosen: a remainder
    of the previous page's row, then a row or section per anchor (the last one's top-aligned
    first part when `last_split`)."""
    m = len(xs)
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
        split = i == m - 1 and last_split
        model = "top" if split else "center"
        if a != b and not split and a == 0:
            model = "top"
        blocks.append(Block("row", start, end, first + xs[i], model))
    return blocks


def section_row(lines: list[TLine], block: Block) -> RecoveredRow:
    """The section row of a section block: its title in reading order (a title wrapped around
    its numeral has its first line above the numeral's)."""
    numeral = lines[block.center]
    parts = [numeral.text] + [lines[j].text for j in range(block.start, block.end) if j != block.center]
    if not _ROMAN_ALONE.match(numeral.text.strip()) and block.end - block.start > 1:
        head, _, rest = numeral.text.partition(" ")
        above = [lines[j].text for j in range(block.start, block.center)]
        below = [lines[j].text for j in range(block.center + 1, block.end)]
        parts = [head] + above + ([rest] if rest else []) + below
    return RecoveredRow("section", [lines[j].no for j in range(block.start, block.end)],
                        section=" ".join(parts))
