"""Rows and cells of a task table whose text is interleaved (pdfplumber, pypdfium2 …): each
printed line holds, left to right, the line of every cell that has one at that height, joined
by single spaces, so one line is several cells' pieces side by side.

Decoding a row is cutting each line into pieces of its columns, in the header's order. The
evidence, all of it true of any plan:
- what a cell's text is (unit names, a deadline, a product noun: parsers.text.flattext.typing);
- a top-aligned row's first line holds the first line of every cell, each opening with a
  capital, a number or a bullet;
- a unit's name or a date cut by a line end goes on at the start of the cell's next piece, and a
  phrase of the document's prose is rarely cut by a column edge;
- every column of a table has one width: a cell's line holds as many words as fit, so a line
  followed by more of the same cell is nearly full, and no line is much longer than the column.
Widths are unknown in text, so they are learnt from the table itself: first from the rows'
first lines, then from the lines that wrapped, and the rows are decoded again with them.

Rows are anchored on the TT numbers at the start of lines, which top-aligned cells print on
the row's first line. Tables whose cells are centred vertically (the number mid-row) are
recognised and left to the older reader (parsers.text.layout_*).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from normalize.unit_names import name_goes_on, unit_head_words
from normalize.text import fold_words
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings
from parsers.text.flattext.stacked import (ROMAN, SECTION, Line, inside_date, line_end_evidence, plausible_next,
                                           roman_value, seq_tuple)
from parsers.text.flattext.typing import deadline_words, score
from parsers.text.flattext.widths import SPACE, printed_width

_SEQ_TOKEN = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})[.)]?$")
_DATE_TOKEN = re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{4}|[IVX]{1,4}/\d{4}|\d{4}|[IVX]{1,4})[,.;]?$")
_BULLET = re.compile(r"^(?:[-+•▪●–]|\u2212)$")
_CELL_OPENERS = "-+•▪●–(\"“\u2212"


def _opens_cell(word: str) -> bool:
    """A cell's first word: a capital, a number, a bullet or an opening bracket or quote."""
    first = word[:1]
    return first.isupper() or first.isdigit() or first in _CELL_OPENERS


@dataclass(frozen=True)
class TextLine:
    no: int                      # 1-based source line
    words: tuple[str, ...]
    page_break: bool = False


@dataclass
class InterleavedRow:
    kind: str                                        # "task" or "section"
    seq: str = ""
    seq_line: int | None = None
    title: str = ""
    lines: list[TextLine] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Rows: anchors and the lines between them


def _anchor(words: list[str], last: tuple[int, ...] | None, settings: FlatTextSettings) -> tuple[int, ...] | None:
    match = _SEQ_TOKEN.match(words[0]) if words else None
    if match is None:
        return None
    value = seq_tuple(match.group(1))
    return value if value and plausible_next(last, value, settings) else None


def _section(text: str, last_roman: int) -> int | None:
    """The roman value of a section row ("II. CÔNG TÁC …"; 0 for a lettered one), or None."""
    match = SECTION.match(text)
    if match is None:
        return None
    letters = [ch for ch in match.group(2) if ch.isalpha()]
    caps = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    numeral = match.group(1)
    if ROMAN.match(numeral) and (caps or roman_value(numeral) == last_roman + 1):
        return roman_value(numeral)
    return 0 if caps and not ROMAN.match(numeral) else None


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def split_rows(body: list[Line], settings: FlatTextSettings = SETTINGS
               ) -> tuple[list[InterleavedRow], list[Line], bool]:
    """The table's rows (sections and tasks, each task with its lines), the lines before the
    first row (kept as text), and whether cells are centred vertically."""
    marks: list[tuple[int, InterleavedRow]] = []          # (index in body, row) of each anchor
    last: tuple[int, ...] | None = None
    last_roman = 0
    for index, line in enumerate(body):
        words = line.text.split()
        roman = _section(line.text.strip(), last_roman)
        if roman is not None:
            marks.append((index, InterleavedRow("section", seq=words[0].rstrip(".)"), seq_line=line.no,
                                                title=line.text.strip())))
            last_roman, last = (roman or last_roman), None
            continue
        value = _anchor(words, last, settings)
        if value is not None:
            last = value
            marks.append((index, InterleavedRow("task", seq=words[0].rstrip(".)") if len(words) > 1 else words[0],
                                                seq_line=line.no)))
    if not any(row.kind == "task" for _, row in marks):
        return [], body, False
    _title_lines(body, marks)
    if _centred(marks):     # the number sits mid-row: not read here (parsers.text.layout_* reads it)
        return [row for _, row in marks], body, True
    return [row for _, row in marks], _share_lines(body, marks), False


def _title_lines(body: list[Line], marks: list[tuple[int, InterleavedRow]]) -> None:
    """A section title wrapped over lines in capitals: the lines join the title."""
    for k, (index, row) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else len(body)
        j = index + 1
        while row.kind == "section" and j < stop and _is_caps(body[j].text):
            row.title = f"{row.title} {body[j].text.strip()}"
            j += 1
        if j > index + 1:
            row.lines = [TextLine(body[t].no, (), False) for t in range(index + 1, j)]   # taken lines


def _body_start(index: int, row: InterleavedRow) -> int:
    return index + 1 + len(row.lines) if row.kind == "section" else index


def _centred(marks: list[tuple[int, InterleavedRow]]) -> bool:
    """Cells centred vertically: the first task of the table or of a section has lines above
    its number more often than not (top-aligned cells print the number on the row's first line)."""
    above = level = 0
    start: int | None = 0
    for index, row in marks:
        if row.kind == "section":
            start = _body_start(index, row)
        elif start is not None:
            above, level = (above + 1, level) if index > start else (above, level + 1)
            start = None
    return above > level


def _share_lines(body: list[Line], marks: list[tuple[int, InterleavedRow]]) -> list[Line]:
    """Give each task row of a top-aligned table its lines, from its number to the next row;
    returns the lines before the first row (a section's stray lines join its title)."""
    lead_in: list[Line] = []
    block_start = 0
    for k, (index, row) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else len(body)
        if row.kind == "section":
            block_start = _body_start(index, row)
            continue
        if k == 0:
            lead_in.extend(body[block_start:index])
        elif marks[k - 1][1].kind == "section" and index > block_start:
            section = marks[k - 1][1]
            section.title = " ".join([section.title] + [ln.text.strip() for ln in body[block_start:index]])
        row.lines = [_text_line(body[t], strip_seq=t == index) for t in range(index, stop)]
    return lead_in


def _text_line(line: Line, strip_seq: bool) -> TextLine:
    words = line.text.split()
    return TextLine(line.no, tuple(words[1:] if strip_seq else words), line.page_break)


# --------------------------------------------------------------------------------------------
# One row, column by column


@lru_cache(maxsize=65536)
def _goes_on_line(prev_last: str) -> float:
    """stacked.line_end_evidence of a cell's last word. (Every piece of a continuation line
    starts one of its cell's lines, so lower case says nothing about where a cut is.)"""
    return line_end_evidence(prev_last, SETTINGS)


def _inner_items(words: tuple[str, ...], i: int, j: int) -> int:
    """Bullets inside words[i:j] right after a clause ends ("khai; - Sở …"): each is a cell's
    next item, so a column edge, not one cell's text ("Văn hóa - Xã hội" is a name)."""
    return sum(1 for k in range(i + 1, j) if _BULLET.match(words[k]) and words[k - 1][-1:] in ";:,.")


def word_pairs(lines: list[str]) -> frozenset[tuple[str, str]]:
    """The pairs of neighbouring words of the document's prose, folded: a pair seen there is
    one phrase, rarely cut by a column edge."""
    pairs: set[tuple[str, str]] = set()
    for line in lines:
        words = [_pair_word(w) for w in line.split()]
        pairs.update(zip(words, words[1:]))
    return frozenset(pairs)


@lru_cache(maxsize=65536)
def _pair_word(word: str) -> str:
    return fold_words(word.strip(",.;:()\"“”"))


def _goes_on(role: str, before: str, first: str, settings: FlatTextSettings) -> float:
    """A unit's name or a date cut by the line end, going on with this word."""
    if role in ("lead", "coordinating"):
        return settings.name_goes_on if name_goes_on(before, first) else 0.0
    if role == "deadline" and _DATE_TOKEN.match(first):
        last = before.rsplit(" ", 1)[-1]
        # "Trước ngày" / "30/6/2026", "Tháng 5 -" / "6/2026": a date, or a range, going on
        if last.lower() in deadline_words() or last in ("-", "–") or _DATE_TOKEN.match(last) or last.isdigit():
            return settings.name_goes_on
    return 0.0


@dataclass(frozen=True)
class _Frag:
    line: int
    start: int
    end: int


@dataclass
class _Reading:
    value: float
    cells: tuple[tuple[_Frag, ...], ...]      # per column, its pieces so far
    open: frozenset[int]                      # columns with a piece on the last line read


class _TopAligned:
    """A top-aligned row (or the part of one on a page): every cell starts on the first line,
    and column c holds lines 0 … n_c - 1, so the columns a line holds are among those the line
    above held. Lines are read top down, a beam keeping the best readings so far; each line is
    split over its columns by a dynamic programme scoring how each piece goes on its cell
    (words, a name or a date going on, widths, a wrapped line filling its column)."""

    def __init__(self, roles: list[str], widths: list[float | None], settings: FlatTextSettings,
                 pairs: frozenset[tuple[str, str]] = frozenset()):
        self.roles, self.widths, self.s, self.pairs = roles, widths, settings, pairs

    def decode(self, lines: list[tuple[str, ...]], first: list[tuple[float, list[tuple[int, int, int]]]] | None,
               before: list[str]) -> tuple[list[list[_Frag]], float]:
        """`first`: the first line's best readings (a row's first part), None after a page break."""
        k = len(self.roles)
        self.lines, self.before = lines, before
        if first:
            beam = []
            for value, cuts in first:
                cells: list[tuple[_Frag, ...]] = [() for _ in range(k)]
                for c, i, j in cuts:
                    cells[c] = (_Frag(0, i, j),)
                beam.append(_Reading(value, tuple(cells), frozenset(c for c, _, _ in cuts)))
            start = 1
        else:
            beam = [_Reading(0.0, tuple(() for _ in range(k)), frozenset(c for c in range(k) if before[c]))]
            start = 0
        for line in range(start, len(lines)):
            grown: list[_Reading] = []
            for reading in beam:
                grown.extend(self._next_line(reading, line))
            grown.sort(key=lambda r: -r.value)
            beam = grown[:self.s.row_beam] or beam
        best = max(beam, key=lambda r: r.value - (self._left_open(r, r.open) if len(lines) == start else 0.0))
        return [list(cell) for cell in best.cells], best.value

    def _left_open(self, reading: _Reading, closed: frozenset[int] | set[int]) -> float:
        """Evidence against cells that end here: a cell never ends on "và", "của", a comma …"""
        value = 0.0
        for c in closed:
            if reading.cells[c]:
                last = reading.cells[c][-1]
                value += _goes_on_line(self.lines[last.line][last.end - 1])
        return value

    def _text(self, cell: tuple[_Frag, ...], c: int) -> str:
        parts = [self.before[c]] if self.before[c] else []
        parts += [" ".join(self.lines[f.line][f.start:f.end]) for f in cell]
        return " ".join(parts)

    def _next_line(self, reading: _Reading, line: int) -> list[_Reading]:
        """The best split of `line` over the columns still open, as a new reading."""
        words = self.lines[line]
        m = len(words)
        last_line = line == len(self.lines) - 1
        allowed = sorted(reading.open)
        texts = {c: self._text(reading.cells[c], c) for c in allowed}
        # best[(n, j)]: the best split of words[:j] over the first n allowed columns
        best: dict[tuple[int, int], tuple[float, tuple[tuple[int, int, int], ...]]] = {(0, 0): (0.0, ())}
        for n, c in enumerate(allowed):
            closing = self._left_open(reading, {c})      # the cell ends on the line above
            for (count, i), (base, pieces) in list(best.items()):
                if count != n:
                    continue
                key = (n + 1, i)
                if key not in best or base - closing > best[key][0]:
                    best[key] = (base - closing, pieces)
                if i >= m:
                    continue
                for j in range(i + 1, m + 1):
                    value = self._piece(c, texts[c], reading.cells[c], line, i, j)
                    if value is None:
                        break
                    if last_line:
                        value -= _goes_on_line(words[j - 1])
                    key = (n + 1, j)
                    if key not in best or base + value > best[key][0]:
                        best[key] = (base + value, pieces + ((c, i, j),))
        done = best.get((len(allowed), m))
        if done is None:
            return []
        value, pieces = done
        cells = list(reading.cells)
        for c, i, j in pieces:
            cells[c] = cells[c] + (_Frag(line, i, j),)
        return [_Reading(reading.value + value, tuple(cells), frozenset(c for c, _, _ in pieces))]

    def _piece(self, c: int, text: str, cell: tuple[_Frag, ...], line: int, i: int, j: int) -> float | None:
        """What words[i:j] of `line` adds as column c's next piece; None when too wide."""
        s, role, width = self.s, self.roles[c], self.widths[c]
        if role in ("lead", "coordinating", "deadline") and j - i > s.max_line_words.get(role, j - i):
            return None                          # more words than a unit or deadline cell's line holds
        words = self.lines[line]
        piece = " ".join(words[i:j])
        printed = printed_width(piece)
        if width and printed > width * s.max_width_ratio and j > i + 1:
            return None
        value = -_over_width(printed, width, s) - s.inner_item_cost * _inner_items(words, i, j)
        first = words[i]
        last_word = text.rsplit(" ", 1)[-1] if text else ""
        if text:
            value += _goes_on_line(last_word) + _goes_on(role, text, first, s)
            if (_pair_word(last_word), _pair_word(first)) in self.pairs:
                value += s.pair_weight        # a phrase of the prose going on across the line break
        if j < len(words) and (_pair_word(words[j - 1]), _pair_word(words[j])) in self.pairs:
            value -= s.pair_weight            # a phrase of the prose cut by a column edge
        if j < len(words) and inside_date(words, j):
            value -= s.name_goes_on           # a date cut by a column edge
        if cell and width:
            prev = cell[-1]
            if printed_width(" ".join(self.lines[prev.line][prev.start:prev.end])) + SPACE + printed_width(first) \
                    <= width * (1 - s.width_under):
                value -= s.underfull_cost         # the word would have fitted on the line before
        whole = f"{text} {piece}" if text else piece
        if role in ("lead", "coordinating", "deadline"):
            value += score(role, whole) - (score(role, text) if text else 0.0)
        if j < len(words) and _goes_on(role, whole, words[j], s):
            value -= s.name_goes_on               # a unit's name (or a date) cut by a column edge
        return value


# --------------------------------------------------------------------------------------------
# A table


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[int(share * (len(values) - 1))]


def _line_score(role: str, words: tuple[str, ...], s: FlatTextSettings) -> float:
    """How well a cell's first line fits a column: as a whole cell, or as the start of one
    (a unit's name cut at the column edge, "Trước ngày" before its date)."""
    whole = score(role, " ".join(words))
    head = fold_words(words[0]).split()[:1]
    if role in ("lead", "coordinating") and head and head[0] in unit_head_words():
        return max(whole, s.unit_start_fit)
    if role == "deadline" and 2 * sum(bool(_DATE_TOKEN.match(w)) or w.lower() in deadline_words()
                                      for w in words) >= len(words):
        return max(whole, s.deadline_start_fit)
    return whole


def _over_width(printed: float, width: float | None, settings: FlatTextSettings) -> float:
    """The cost of a piece printed wider than its column."""
    if not width or printed <= width * (1 + settings.width_over):
        return 0.0
    return settings.width_weight * (printed / width - 1 - settings.width_over) / settings.width_over


def _first_line(words: tuple[str, ...], roles: list[str], settings: FlatTextSettings,
                widths: list[float | None] | None = None) -> list[tuple[float, list[tuple[int, int, int]]]]:
    """The best few readings of a top-aligned row's first line, best first, each (score,
    [(column, start, end)]): the first line of every cell that has text, each opening with a
    capital, a number or a bullet, judged as a cell and by the column's width when known."""
    positions = [i for i, word in enumerate(words)
                 if i == 0 or _opens_cell(word) and not inside_date(words, i)] + [len(words)]
    keep = settings.first_line_readings
    # best[(columns read, words read)]: the best few (score, cuts so far)
    best: dict[tuple[int, int], list[tuple[float, tuple[tuple[int, int, int], ...]]]] = {(0, 0): [(0.0, ())]}
    for c, role in enumerate(roles):
        empty = settings.empty_cost.get(role, settings.other_empty_cost)
        for i in positions:
            for base, cuts in best.get((c, i), []):
                best.setdefault((c + 1, i), []).append((base - empty, cuts))
                for j in positions:
                    if j <= i:
                        continue
                    value = base + _line_score(role, words[i:j], settings) - settings.inner_item_cost * _inner_items(words, i, j)
                    if widths:
                        value -= _over_width(printed_width(" ".join(words[i:j])), widths[c], settings)
                    best.setdefault((c + 1, j), []).append((value, cuts + ((c, i, j),)))
        for key in [key for key in best if key[0] == c + 1]:
            best[key] = sorted(best[key], key=lambda item: -item[0])[:keep]
    return [(value, list(cuts)) for value, cuts in best.get((len(roles), len(words)), [])]


def _row_lines(row: InterleavedRow) -> list[list[TextLine]]:
    """The row's non-empty lines, in parts cut by page breaks."""
    parts: list[list[TextLine]] = [[]]
    for line in row.lines:
        if line.page_break and parts[-1]:
            parts.append([])
        if line.words:
            parts[-1].append(line)
    return [part for part in parts if part]


def _decode_row(row: InterleavedRow, decoder: _TopAligned, columns: int) -> list[list[tuple[TextLine, _Frag]]]:
    cells: list[list[tuple[TextLine, _Frag]]] = [[] for _ in range(columns)]
    for index, part in enumerate(_row_lines(row)):
        before = [" ".join(" ".join(line.words[f.start:f.end]) for line, f in cell) for cell in cells]
        first = _first_line(part[0].words, decoder.roles, decoder.s, decoder.widths) if index == 0 else None
        found = decoder.decode([line.words for line in part], first, before)
        for c, frags in enumerate(found[0]):
            cells[c].extend((part[f.line], f) for f in frags)
    return cells


def _learnt_widths(decoded: list[list[list[tuple[TextLine, _Frag]]]], columns: int,
                   settings: FlatTextSettings) -> list[float | None]:
    """Each column's width, from the lines of its cells that wrapped (nearly full); a column
    whose cells never wrap keeps its longest line."""
    widths: list[float | None] = []
    for c in range(columns):
        wrapped, every = [], []
        for cells in decoded:
            pieces = [printed_width(" ".join(line.words[f.start:f.end])) for line, f in cells[c]]
            wrapped.extend(pieces[:-1])
            every.extend(pieces)
        widths.append(_percentile(wrapped, settings.width_quantile) if len(wrapped) >= settings.min_wrapped_lines
                      else max(every, default=None))
    return widths


def decode_table(rows: list[InterleavedRow], roles: list[str], settings: FlatTextSettings = SETTINGS,
                 limit: int | None = None, pairs: frozenset[tuple[str, str]] = frozenset()) -> tuple[list[list[list[tuple[int, str]]]], float]:
    """Each task row's cells (per column, (line, text) pieces), in the order of `rows`' tasks,
    and how well the cells fit their columns (summed over rows). `limit`: the first rows only.
    Widths are learnt as the rows are read: from the first lines (read by words alone), then
    from the lines that wrapped."""
    tasks = [row for row in rows if row.kind == "task"][:limit]
    starts = [parts[0][0].words for parts in map(_row_lines, tasks) if parts]
    firsts: list[list[float]] = [[] for _ in roles]
    for words in starts:
        for c, i, j in next(iter(_first_line(words, roles, settings)), (0.0, []))[1]:
            firsts[c].append(printed_width(" ".join(words[i:j])))
    widths = [_percentile(found, settings.first_line_quantile) for found in firsts]
    decoded: list[list[list[tuple[TextLine, _Frag]]]] = []
    for round_ in range(settings.width_rounds):
        if round_:
            widths = _learnt_widths(decoded, len(roles), settings)
        decoder = _TopAligned(roles, widths, settings, pairs)
        decoded = [_decode_row(row, decoder, len(roles)) for row in tasks]
    out = []
    fit = 0.0
    for cells in decoded:
        texts = [[(line.no, " ".join(line.words[f.start:f.end])) for line, f in cell] for cell in cells]
        out.append(texts)
        fit += sum(score(role, " ".join(t for _, t in cell)) if cell else
                   -settings.empty_cost.get(role, settings.other_empty_cost) for role, cell in zip(roles, texts))
    return out, fit
