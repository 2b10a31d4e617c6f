"""Rows and cells of a task table whose text comes in reading order (pdfminer.six, PyMuPDF,
pypdf, pypdfium2, pdftotext -raw …): each row's number, then its cells one after another, each
over one or more lines, now and then two cells side by side on one line.

Rows are anchored on the TT numbering (1, 2, 3 … restarting per section, roman section rows).
Within a row the columns come in the header's order, so decoding is choosing where each cell
ends: a dynamic programme over the row's pieces (lines, and lines cut before a capital) that
maximises how well each cell's text fits its column (parsers.text.flattext.typing) plus the evidence
each line break gives (a line in lower case continues a cell, a capital may start one). A row
cut by a page break is decoded part by part and the parts joined cell by cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize.text import ROMAN_NUMERAL, UPPER, roman_value
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings
from parsers.text.flattext.typing import date_words, is_deadline, open_end, score, score_bound, units_meet

_BARE = re.compile(rf"^(\d{{1,2}}(?:\.\d{{1,2}}){{0,2}}|{ROMAN_NUMERAL}|[a-zđ])[.)]?$")
_NUM_TEXT = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})[.)]?\s+(\S.*)$")
# "II. Cải cách thể chế", "B) …", or a roman numeral and a title in capitals ("II PHÁT TRIỂN …")
SECTION = re.compile(rf"^((?:{ROMAN_NUMERAL})|[A-ZĐ])(?:[.)]\s*|\s+(?=[A-ZĐ][{UPPER}]))(\S.*)$")
ROMAN = re.compile(rf"^{ROMAN_NUMERAL}$")
_DATE_NUMBER = re.compile(r"^(?:\d|[IVX]{1,4}\b)")
_INLINE_START = re.compile(rf"^(?:[{UPPER}]|\d|[-+•]$)")


@dataclass(frozen=True)
class Line:
    no: int            # 1-based source line
    text: str
    page_break: bool = False    # a page break (or a repeated header) comes before this line


@dataclass
class Row:
    kind: str                              # "task" or "section"
    seq: str = ""
    seq_line: int | None = None
    title: str = ""                        # a section row's text
    items: list[tuple[int, str]] = field(default_factory=list)   # (line, text); "\f" opens a new page
    lines: list[int] = field(default_factory=list)


def seq_tuple(seq: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in seq.split("."))
    except ValueError:
        return None


def plausible_next(last: tuple[int, ...] | None, value: tuple[int, ...], settings: FlatTextSettings) -> bool:
    """`value` can follow `last` in a TT column: the next number (or a few on, for misprints and
    gaps), the first child, the next at a shallower level, or a restart at 1."""
    if last is None or value == (1,) or value[-1] == 1 and value[:-1] == last[:len(value) - 1]:
        return True
    for depth in range(1, len(last) + 1):
        if len(value) == depth and value[:-1] == last[:depth - 1] \
                and 0 < value[-1] - last[depth - 1] <= settings.max_seq_jump:
            return True
    return len(value) == len(last) + 1 and value[:-1] == last and value[-1] == 1


def find_rows(lines: list[Line], settings: FlatTextSettings = SETTINGS) -> tuple[list[Row], list[Line]]:
    """Rows of a table body, and the lines before its first row (kept as text)."""
    rows: list[Row] = []
    lead_in: list[Line] = []
    last: tuple[int, ...] | None = None
    last_roman = 0
    current: Row | None = None
    for line in lines:
        text = line.text.strip()
        bare = _BARE.match(text)
        numbered = _NUM_TEXT.match(text)
        section = SECTION.match(text)
        anchor: Row | None = None
        if bare and not ROMAN.match(bare.group(1)) and not bare.group(1).isalpha():
            value = seq_tuple(bare.group(1))
            if value and plausible_next(last, value, settings):
                anchor, last = Row("task", seq=text, seq_line=line.no), value
        elif bare and ROMAN.match(bare.group(1)) and roman_value(bare.group(1)) == last_roman + 1:
            anchor = Row("section", seq=bare.group(1), title=text, seq_line=line.no)
            last_roman += 1
        elif section and (ROMAN.match(section.group(1)) and roman_value(section.group(1)) == last_roman + 1
                          or not ROMAN.match(section.group(1)) and current is not None and current.kind != "task"
                          or not ROMAN.match(section.group(1)) and not rows):
            anchor = Row("section", seq=section.group(1), title=text, seq_line=line.no)
            if ROMAN.match(section.group(1)):
                last_roman = roman_value(section.group(1))
            last = None
        elif numbered:
            value = seq_tuple(numbered.group(1))
            if value and plausible_next(last, value, settings) and numbered.group(2)[:1].isupper():
                anchor, last = Row("task", seq=numbered.group(1), seq_line=line.no), value
                anchor.items = [(line.no, numbered.group(2))]
        if anchor is not None:
            anchor.lines.append(line.no)
            rows.append(anchor)
            current = anchor
            continue
        if bare and bare.group(1).isdigit() and text.isdigit():
            continue       # a number alone that opens no row: a page number
        if current is None:
            lead_in.append(line)
            continue
        current.lines.append(line.no)
        current.items.append((line.no, text if not line.page_break else "\f" + text))
    return rows, lead_in


# --------------------------------------------------------------------------------------------
# Cells of one row


@dataclass(frozen=True)
class Piece:
    line: int
    text: str
    inline: bool        # cut from the line before it (two cells side by side)


def cut_pieces(items: list[tuple[int, str]], continuation: bool, settings: FlatTextSettings) -> list[Piece]:
    """The row's lines, cut where a cell may start inside a line: before a capital, a digit or
    a bullet; after a page break (where cells go on in lower case) before any word of a short
    line."""
    out: list[Piece] = []
    for line, text in items:
        words = text.split()
        start = 0
        anywhere = continuation and len(words) <= settings.max_continuation_words
        for k in range(1, len(words)):
            if (anywhere or _INLINE_START.match(words[k])) and not words[k - 1].endswith("-") \
                    and not inside_date(words, k):
                out.append(Piece(line, " ".join(words[start:k]), start > 0))
                start = k
        out.append(Piece(line, " ".join(words[start:]), start > 0))
    return out


def join_evidence(prev: Piece, nxt: Piece, settings: FlatTextSettings, continuation: bool) -> float:
    """Evidence that `nxt` continues the cell of `prev` (positive) or starts another. After a
    page break every cell goes on mid-sentence, so a lower-case start says nothing there."""
    first = nxt.text[:1]
    evidence = settings.inline_split_cost if nxt.inline else 0.0
    if nxt.inline:
        first = ""
    if first.islower():
        evidence += 0.0 if continuation else settings.lower_start
    elif first.isdigit():
        evidence += 0.0 if continuation else settings.digit_start
    elif first.isupper():
        evidence += settings.upper_start
    elif first and first in "-+•–":
        evidence += settings.bullet_start
    return evidence + line_end_evidence(prev.text, settings)


def piece_joins(pieces: list[Piece], settings: FlatTextSettings, continuation: bool) -> list[float]:
    """join_evidence between each piece and the one before it (0 for the first), less
    `unit_after_unit` where two whole unit names meet inside a line (typing.units_meet)."""
    joins = [0.0]
    for g in range(1, len(pieces)):
        value = join_evidence(pieces[g - 1], pieces[g], settings, continuation)
        if pieces[g].inline:
            start = g - 1          # the line's first piece (a line's first piece is never inline)
            while pieces[start].inline:
                start -= 1
            if units_meet(_text(pieces[start:g]), pieces[g].text.split()[0]):
                value -= settings.unit_after_unit
        joins.append(value)
    return joins


def reach(pieces: list[Piece], longest: int) -> list[int]:
    """For each piece i, the end j of the longest run pieces[i:j] over at most `longest` source
    lines (a line cut at every capital gives many pieces; a cell's size is its lines)."""
    line = [0] * len(pieces)
    for g in range(1, len(pieces)):
        line[g] = line[g - 1] + (not pieces[g].inline)
    ends, j = [], 0
    for i in range(len(pieces)):
        j = max(j, i)
        while j < len(pieces) and line[j] - line[i] < longest:
            j += 1
        ends.append(j)
    return ends + [len(pieces)]


def line_end_evidence(text: str, settings: FlatTextSettings) -> float:
    """Evidence that a cell goes on after a line ending so: a word cut at a hyphen, or a
    comma, "và", "của" … (a cell never ends on them)."""
    if text.endswith(("-", "–")):
        return settings.hyphen_end
    return settings.open_end if open_end().search(text) else 0.0


def inside_date(words: list[str] | tuple[str, ...], k: int) -> bool:
    """A cut before words[k] would split a date or a range of them: "Tháng | 3", "Quý | II",
    "3 | - 9/2026"."""
    return words[k - 1].lower() in date_words() and bool(_DATE_NUMBER.match(words[k])) \
        or words[k] in ("-", "–") and words[k - 1][-1:].isdigit()


def _text(pieces: list[Piece]) -> str:
    return " ".join(p.text for p in pieces)


def decode_part(items: list[tuple[int, str]], roles: list[str], continuation: bool,
                settings: FlatTextSettings = SETTINGS,
                context: list[tuple[str, str]] | None = None) -> list[list[tuple[int, str]]]:
    """Split one row's lines (one page's part of it) into the cells of `roles`, in order.
    `context` gives, per column, the text of the same cell on the pages before and after, so
    a cell cut by a page break is judged whole."""
    return _decode_scored(items, roles, continuation, settings, context)[0]


def _decode_scored(items: list[tuple[int, str]], roles: list[str], continuation: bool,
                   settings: FlatTextSettings,
                   context: list[tuple[str, str]] | None = None) -> tuple[list[list[tuple[int, str]]], float]:
    """decode_part's cells and the score of the best split."""
    pieces = cut_pieces(items, continuation, settings)
    n, k = len(pieces), len(roles)
    if n > settings.max_row_pieces:            # not one row: keep the text, decode nothing
        return ([[(p.line, p.text) for p in pieces] if c == roles.index("content") else []
                 for c in range(k)] if "content" in roles else [[] for _ in roles]), 0.0
    around = context or [("", "")] * k
    join = piece_joins(pieces, settings, continuation)
    factor = settings.continuation_empty_factor if continuation else 1.0
    empty = []
    for c, role in enumerate(roles):
        known = " ".join(t for t in around[c] if t)
        empty.append(score(role, known) if known else -factor * settings.empty_cost.get(role, settings.other_empty_cost))
    NEG = float("-inf")
    best = [[NEG] * (k + 1) for _ in range(n + 1)]
    back: list[list[int]] = [[-1] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for c in range(k):
        before, after = around[c]
        ends = reach(pieces, settings.max_cell_lines.get(roles[c], n))
        for i in range(n + 1):
            base = best[i][c]
            if base == NEG:
                continue
            if base + empty[c] > best[i][c + 1]:
                best[i][c + 1], back[i][c + 1] = base + empty[c], i
            text = before
            for j in range(i + 1, ends[i] + 1):
                text = f"{text} {pieces[j - 1].text}" if text else pieces[j - 1].text
                # a cell ending before piece j: breaking there goes against its join evidence
                cut = -join[j] if j < n else 0.0
                whole = f"{text} {after}" if after else text
                if base + score_bound(roles[c], whole) + cut <= best[j][c + 1]:
                    continue          # cannot beat the best split found so far: not scored
                value = base + score(roles[c], whole) + cut
                if value > best[j][c + 1]:
                    best[j][c + 1], back[j][c + 1] = value, i
    cells: list[list[tuple[int, str]]] = [[] for _ in roles]
    j = n
    for c in range(k, 0, -1):
        i = back[j][c]
        if i < 0:
            break
        cells[c - 1] = [(p.line, p.text) for p in pieces[i:j]]
        j = i
    return cells, best[n][k]


def decode_tasks(row: Row, roles: list[str], settings: FlatTextSettings = SETTINGS) -> list[list[list[tuple[int, str]]]]:
    """The cells of the task(s) of a row: one, or two sharing one TT and content cell (merged
    over two rows whose leads and deadlines differ), when the columns after the content come
    twice in the row's text and reading them twice fits clearly better. The second task's
    shared cells are the first's (the same lists)."""
    if "content" not in roles or any(text.startswith("\f") for _, text in row.items):
        return [decode_row(row, roles, settings)]
    tail = roles[roles.index("content") + 1:]
    one, one_value = _decode_scored(row.items, roles, False, settings)
    if not {"lead", "deadline"} <= set(tail) or sum(
            1 for piece in cut_pieces(row.items, False, settings)
            if len(piece.text.split()) <= settings.deadline_max_words // 2 and is_deadline(piece.text)) < 2:
        return [one]         # two tasks have two deadlines (a cheap test: most rows stop here)
    two, two_value = _decode_scored(row.items, roles + tail, False, settings)
    second = two[len(roles):]
    if two_value - one_value < settings.merged_row_gain or not all(second[tail.index(r)] for r in ("lead", "deadline")):
        return [one]
    first = two[:len(roles)]
    return [first, [second[tail.index(r)] if r in tail else first[c] for c, r in enumerate(roles)]]


def decode_row(row: Row, roles: list[str], settings: FlatTextSettings = SETTINGS) -> list[list[tuple[int, str]]]:
    """The cells of a task row: its lines split at page breaks, each part decoded, then each
    part decoded again knowing the others' cells (coordinate ascent), parts joined."""
    parts: list[list[tuple[int, str]]] = [[]]
    for line, text in row.items:
        if text.startswith("\f"):
            parts.append([])
            text = text[1:]
        parts[-1].append((line, text))
    parts = [p for p in parts if p] or [[]]
    if len(parts) == 2:
        joint = _decode_two_parts(parts[0], parts[1], roles, settings)
        if joint is not None:
            return joint
    decoded = [decode_part(part, roles, index > 0, settings) for index, part in enumerate(parts)]
    for _ in range(settings.page_break_passes if len(parts) > 1 else 0):
        for index, part in enumerate(parts):
            context = [(" ".join(t for d in decoded[:index] for _, t in d[c]),
                        " ".join(t for d in decoded[index + 1:] for _, t in d[c])) for c in range(len(roles))]
            decoded[index] = decode_part(part, roles, index > 0, settings, context)
    return [[item for d in decoded for item in d[c]] for c in range(len(roles))]


def _decode_two_parts(first: list[tuple[int, str]], second: list[tuple[int, str]], roles: list[str],
                      settings: FlatTextSettings) -> list[list[tuple[int, str]]] | None:
    """A row cut by one page break, both parts decoded together: each cell is the pieces it
    takes from the first page followed by those from the second, judged as one text. None
    when the parts are too long for the joint search (then parts are decoded in turn)."""
    a, b = cut_pieces(first, False, settings), cut_pieces(second, True, settings)
    na, nb, k = len(a), len(b), len(roles)
    if (na + 1) * (nb + 1) > settings.max_joint_states:
        return None
    join_a, join_b = piece_joins(a, settings, False), piece_joins(b, settings, True)
    NEG = float("-inf")
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    backs: list[dict[tuple[int, int], tuple[int, int]]] = []
    for c in range(k):
        role = roles[c]
        longest = settings.max_cell_lines.get(role, na + nb)
        ends_a, ends_b = reach(a, longest), reach(b, longest)
        empty = -settings.empty_cost.get(role, settings.other_empty_cost)
        nxt: dict[tuple[int, int], float] = {}
        back: dict[tuple[int, int], tuple[int, int]] = {}
        for (i, j), base in best.items():
            texts_a = [""]
            for ja in range(i + 1, ends_a[i] + 1):
                texts_a.append(f"{texts_a[-1]} {a[ja - 1].text}".strip())
            texts_b = [""]
            for jb in range(j + 1, ends_b[j] + 1):
                texts_b.append(f"{texts_b[-1]} {b[jb - 1].text}".strip())
            for da, text_a in enumerate(texts_a):
                ja = i + da
                cut_a = -join_a[ja] if da and ja < na else 0.0
                for db, text_b in enumerate(texts_b):
                    jb = j + db
                    cut_b = -join_b[jb] if db and jb < nb else 0.0
                    text = f"{text_a} {text_b}".strip()
                    if text and base + score_bound(role, text) + cut_a + cut_b <= nxt.get((ja, jb), NEG):
                        continue      # cannot beat the best split found so far: not scored
                    value = base + (score(role, text) if text else empty) + cut_a + cut_b
                    if value > nxt.get((ja, jb), NEG):
                        nxt[(ja, jb)], back[(ja, jb)] = value, (i, j)
        best = nxt
        backs.append(back)
    if (na, nb) not in best:
        return None
    cells: list[list[tuple[int, str]]] = [[] for _ in roles]
    at = (na, nb)
    for c in range(k - 1, -1, -1):
        i, j = backs[c][at]
        cells[c] = [(p.line, p.text) for p in a[i:at[0]]] + [(p.line, p.text) for p in b[j:at[1]]]
        at = (i, j)
    return cells
