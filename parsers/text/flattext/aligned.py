"""Task tables in space-aligned text (pdftotext -layout, a PDF viewer's "keep layout" copy):
every line keeps the page's columns as runs of spaces.

The header's labels, where they stand on their lines, give the columns and their roles; the
blank gutters of the body place each column's edge between two labels. A word belongs to the
column its first letter stands in. Rows are anchored on the TT numbers, whether cells are
top-aligned (a number on its row's first line) or centred (a number in the middle of its row:
a row then reaches as far above its number as below, and starts where the content does).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from normalize.text import fold_words
from parsers.text.flattext.cells import cell_lines
from parsers.text.flattext.header import COLUMN_NUMBERS, Header, header_model_rows, heading_labels, label_roles
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings
from parsers.text.flattext.stacked import SECTION, Line, line_end_evidence, plausible_next, seq_tuple
from parsers.text.flattext.typing import opens_deadline
from parsers.model import Cell, Provenance, Row, Table

_GUTTER = re.compile(r"\S {3,}\S")            # two columns' text on one line
_SEGMENT = re.compile(r"\S+(?: \S+)*")        # a run of words one space apart: one cell's line
_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?$")
MIN_HEADER_GUTTERS = 2      # a space-aligned header line holds three labels apart by gutters
TOP_ALIGNED_SHARE = 0.6     # numbers beside a capitalised content line this often: cells are top-aligned
SHIFT_LINES = 2             # a centred row's mirrored start is off by a line or two (rounded baselines)
CONTINUATION_WEIGHT = 10    # a row edge that cuts a cell in two is worse than any number of clean columns


@dataclass(frozen=True)
class _Column:
    start: int                 # the first character of its label
    end: int                   # one past the last
    label: str
    role: str


def raw_lines(text: str) -> list[str]:
    """The text's lines as printed, 1-based by index - 1, a page's form feed removed."""
    return [line.split("\f")[-1].rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def looks_aligned(lines: list[str], settings: FlatTextSettings = SETTINGS) -> bool:
    """Most lines of a table hold two cells apart by a gutter of spaces."""
    body = [line.strip() for line in lines if line.strip()]
    return bool(body) and sum(1 for line in body if _GUTTER.search(line)) >= settings.aligned_min_share * len(body)


def _segments(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _SEGMENT.finditer(line)]


def _columns(header: list[str], groups: frozenset[str] = frozenset()) -> list[_Column] | None:
    """Columns from the header lines: segments of label text standing over each other are one
    label; labels heading others (`groups`) are left out. None when a label spans others
    that are not known to be grouped."""
    stacks: list[list[tuple[int, int, int, str]]] = []          # (start, end, line, text) over each other
    for k, line in enumerate(header):
        for start, end, text in _segments(line):
            if fold_words(text) in groups:
                continue          # a label over others ("Đơn vị thực hiện" over "Chủ trì  Phối hợp")
            hits = [g for g in stacks if any(start < e + 1 and s < end + 1 for s, e, _, _ in g)]
            merged = [(start, end, k, text)] + [seg for g in hits for seg in g]
            stacks = [g for g in stacks if not any(g is h for h in hits)] + [merged]
    columns = []
    for group in sorted(stacks, key=lambda g: min(s for s, _, _, _ in g)):
        if len({k for _, _, k, _ in group}) < len(group):
            return None        # two segments of one line under one label: a label over sub-labels
        text = " ".join(t for _, _, _, t in sorted(group, key=lambda seg: seg[2]))
        roles = label_roles(fold_words(text).split())
        columns.append(_Column(min(s for s, _, _, _ in group), max(e for _, e, _, _ in group), text,
                               roles[0][1] if roles else "other"))
    return columns


def _with_labels_above(header: list[str], above: list[str], groups: frozenset[str]) -> list[_Column] | None:
    """The header's columns, with the lines just above it when they hold a label of a role the
    header lacks ("Thời gian" printed over "TT  Nội dung … " and "hoàn thành" under it)."""
    columns = _columns(header, groups)
    for k in range(len(above) - 1, -1, -1):
        if columns is None:
            return None
        wider = _columns(above[k:] + header, groups)
        if wider is None or len(wider) < len(columns) or {c.role for c in wider} <= {c.role for c in columns}:
            break
        columns = wider
    return columns


def _edges(columns: list[_Column], body: list[str]) -> list[int]:
    """Where each column after the first begins: between two labels' starts, at the body's
    least inked position nearest the right one (its gutter); text starts at or right of it."""
    ink = _ink(body)
    edges = []
    for left, right in zip(columns, columns[1:]):
        # a column's text may start left of its (centred) label, even under the label before it
        span = range(left.start + 1, right.start + 1)
        edges.append(min(span, key=lambda x: (ink[x] if x < len(ink) else 0, -x)) if len(span) > 1 else right.start)
    return edges


def _ink(lines: list[str]) -> list[int]:
    """How many of the lines have a word's letter at each position."""
    ink = [0] * (max((len(line) for line in lines), default=0) + 1)
    for line in lines:                    # words, not the single spaces between them
        for m in re.finditer(r"\S+", line):
            for x in range(m.start(), m.end()):
                ink[x] += 1
    return ink


def _page_edges(columns: list[_Column], groups: frozenset[str], body: list[Line], raw: list[str]) -> list[list[int]]:
    """Each body line's column edges: the first header's over the whole table's gutters. The
    tool lays out each page apart, so on a page whose header is printed again they move with
    its labels."""
    printed = [raw[line.no - 1] for line in body]
    whole = _edges(columns, printed)
    starts = [k for k, line in enumerate(body) if k and line.page_break] + [len(body)]
    out = [whole] * starts[0]
    for start, end in zip(starts, starts[1:]):
        between = [line for line in raw[body[start - 1].no:body[start].no - 1]
                   if line.strip() and not COLUMN_NUMBERS.match(line.strip())]
        own = _columns(between, groups) if between else None
        if own is None or [c.role for c in own] != [c.role for c in columns]:
            out += [whole] * (end - start)
            continue
        # each edge moves with the two labels beside it, as far as the nearer-staying one moved
        # (not at all when they moved apart): a page's columns may shift and stretch, but its
        # few lines are too few to find its gutters anew
        moved = [mine.start - first.start for mine, first in zip(own, columns)]
        out += [[edge + _common_move(left, right) for edge, left, right in zip(whole, moved, moved[1:])]] \
            * (end - start)
    return out


def _common_move(left: int, right: int) -> int:
    """How far an edge between two labels moved: the smaller of their moves the same way."""
    return min(left, right) if left > 0 and right > 0 else max(left, right) if left < 0 and right < 0 else 0


def _cells(line: str, edges: list[int]) -> list[list[str]]:
    """The words of each column on a line. A run of words one space apart stays in the column
    it starts in, unless a word past the next edge opens a cell (a capital, a digit, a bullet):
    a word in small letters past the edge is the end of a long line, not the next column."""
    out: list[list[str]] = [[] for _ in range(len(edges) + 1)]
    for start, end, text in _segments(line):
        column = bisect_right(edges, start)
        x = start
        for word in text.split(" "):
            beyond = bisect_right(edges, x)
            if beyond > column and _opens_cell([word]):
                column = beyond
            out[column].append(word)
            x += len(word) + 1
    return out


def _section_line(text: str, cells: list[list[str]], own: tuple[int, int]) -> bool:
    """"II. CẢI CÁCH THỂ CHẾ", "B) …": a numeral and a title in the first columns, or in capitals."""
    found = SECTION.match(text)
    if not found:
        return False
    return found.group(2).isupper() or not any(words for c, words in enumerate(cells) if c not in own)


def _spans_columns(line: str, edges: list[int]) -> bool:
    """One run of words across two column edges or more: a section row's title (a merged cell)."""
    segments = _segments(line)
    return len(segments) == 1 and sum(1 for e in edges if segments[0][0] < e < segments[0][1]) >= 2


def aligned_table(header_lines: list[str], above: list[str], header: Header, body: list[Line], raw: list[str],
                  index: int, settings: FlatTextSettings = SETTINGS) -> tuple[Table, int] | None:
    """The table of a header and its body lines (raw: the text's lines as printed; `above`: the
    lines over the header, nearest last; `header`: what the labels say, their nesting included),
    and its task rows; None when the lines are not aligned in columns or the header cannot be placed."""
    body = _without_labels(body, raw, header_lines + above)
    printed = [raw[line.no - 1] for line in body]
    if not body or not looks_aligned(printed, settings):
        return None
    if not any(len(re.findall(r" {3,}", line.strip())) >= MIN_HEADER_GUTTERS for line in header_lines + above):
        return None        # labels not laid out by position: the text is not space-aligned
    header_lines = [line for line in header_lines if not COLUMN_NUMBERS.match(line.strip())]   # "(1) (2) …"
    groups = frozenset(fold_words(label) for row in header.rows for label, span in row if span > 1) \
        | heading_labels([text for line in header_lines + above for _, _, text in _segments(line)])
    columns = _with_labels_above(header_lines, above, groups)
    if columns is None or not {"content", "seq"} <= {c.role for c in columns}:
        return None
    edges = _page_edges(columns, groups, body, raw)
    split = [_cells(line, line_edges) for line, line_edges in zip(printed, edges)]
    seq_col = next(c for c, col in enumerate(columns) if col.role == "seq")
    content_col = next(c for c, col in enumerate(columns) if col.role == "content")
    for cells in split:      # "1. Công tác …" from the TT column on: a number, then its row's text
        if len(cells[seq_col]) > 1 and _NUMBER.match(cells[seq_col][0]) and seq_col < content_col:
            cells[content_col][:0] = cells[seq_col][1:]
            del cells[seq_col][1:]
    anchors, sections = _anchors(split, printed, edges, (seq_col, content_col), settings)
    if not anchors:
        return None
    # "2. Công tác kiểm tra": a numbered title alone on its line heads the rows under it; it
    # bounds the rows around it like a section row
    headings = {a for a in anchors if split[a][seq_col][0].endswith(".") and _opens_cell(split[a][content_col])
                and not any(words for c, words in enumerate(split[a]) if c not in (seq_col, content_col))}
    owners = _owners(split, anchors, {**sections, **{h: "" for h in headings}}, body, content_col)
    for r, a in enumerate(anchors):
        if a in headings:
            owners[a] = r
    # a nested header keeps its rows (the plan stage reads "Thời gian > Bắt đầu" as a start)
    nested = len(header.rows) > 1 and sum(span for _, span in header.rows[0]) == len(columns)
    printed_rows = header.rows if nested else (tuple((c.label, 1) for c in columns),)
    table = Table(rows=header_model_rows(printed_rows, body[0].no, body[0].no, index),
                  provenance=Provenance(line=body[0].no, line_end=body[-1].no, table=index))
    _add_rows(table, split, body, anchors, sections, owners, [c.role for c in columns], settings)
    return table, len(anchors)


def _without_labels(body: list[Line], raw: list[str], labels: list[str]) -> list[Line]:
    """The body less the header's label lines printed again on a new page (the header finder
    skips the repeated header itself, not a label line standing over it)."""
    folded = {fold_words(line) for line in labels if line.strip()}
    kept: list[Line] = []
    page_break = False
    for line in body:
        if fold_words(raw[line.no - 1]) in folded:
            page_break = page_break or line.page_break
            continue
        kept.append(Line(line.no, line.text, line.page_break or page_break))
        page_break = False
    return kept


def _anchors(split: list[list[list[str]]], printed: list[str], edges: list[list[int]], own: tuple[int, int],
             settings: FlatTextSettings) -> tuple[list[int], dict[int, str]]:
    """Lines holding a row's TT number (a plausible next number), and section rows by line."""
    anchors: list[int] = []
    sections: dict[int, str] = {}
    last: tuple[int, ...] | None = None
    for k, cells in enumerate(split):
        number = _NUMBER.match(" ".join(cells[own[0]]))
        value = seq_tuple(number.group(1)) if number else None
        if value and plausible_next(last, value, settings):
            anchors.append(k)
            last = value
        elif _spans_columns(printed[k], edges[k]) or _section_line(printed[k].strip(), cells, own):
            sections[k] = " ".join(printed[k].split())
    return anchors, sections


def _add_rows(table: Table, split: list[list[list[str]]], body: list[Line], anchors: list[int],
              sections: dict[int, str], owners: list[int | None], roles: list[str],
              settings: FlatTextSettings) -> None:
    """Section rows and task rows in line order, each task row's cells from the lines it owns;
    a row whose TT and content cells span sub-rows of their own lead and deadline gives a task
    per sub-row, the shared cells marked merged from above."""
    width = len(split[0]) if split else 0
    for k, r in sorted([(a, r) for r, a in enumerate(anchors)] + [(k, -1) for k in sections]):
        if r < 0:
            prov = Provenance(line=body[k].no, table=table.provenance.table, row=len(table.rows))
            table.rows.append(Row(cells=[Cell([sections[k]], prov, col_span=width)], provenance=prov))
            continue
        mine = [j for j in range(len(split)) if owners[j] == r]
        first: list[Cell] = []
        for part, lines_of in enumerate(_sub_rows(mine, split, roles, settings)):
            prov = Provenance(line=body[lines_of[0]].no, line_end=body[lines_of[-1]].no,
                              table=table.provenance.table, row=len(table.rows))
            cells = []
            for c in range(width):
                lines = [j for j in lines_of if split[j][c]]
                if part and not lines and first[c].text and roles[c] in ("seq", "content"):
                    cells.append(Cell(first[c].lines, first[c].provenance, merged_from_above=True))
                    continue
                cells.append(Cell(cell_lines([" ".join(split[j][c]) for j in lines]),
                                  Provenance(line=body[lines[0]].no, line_end=body[lines[-1]].no) if lines else Provenance()))
            first = first or cells
            table.rows.append(Row(cells=cells, provenance=prov))


def _goes_on(words: list[str], settings: FlatTextSettings) -> bool:
    """The cell's text so far ends where a cell goes on: the reading-order decoder's line-end
    evidence, or a list's ";" or ":"."""
    text = " ".join(words)
    return line_end_evidence(text, settings) > 0 or text.endswith((";", ":"))


def _sub_rows(mine: list[int], split: list[list[list[str]]], roles: list[str],
              settings: FlatTextSettings) -> list[list[int]]:
    """The row's lines cut where, the content column blank, a new lead cell and a new deadline
    cell open after a complete lead and deadline (a content merged over two tasks' rows)."""
    if not mine or not {"content", "lead", "deadline"} <= set(roles):
        return [mine] if mine else []
    content, lead, due = roles.index("content"), roles.index("lead"), roles.index("deadline")
    parts = [[mine[0]]]
    for j in mine[1:]:
        cells = split[j]
        before_lead = [w for i in parts[-1] for w in split[i][lead]]
        before_due = [w for i in parts[-1] for w in split[i][due]]
        if not cells[content] and _opens_cell(cells[lead]) and _opens_cell(cells[due]) \
                and opens_deadline(" ".join(cells[due])) and before_lead and before_due \
                and not _goes_on(before_lead, settings) and not _goes_on(before_due, settings):
            parts.append([j])
        else:
            parts[-1].append(j)
    return parts


def _opens_cell(words: list[str]) -> bool:
    return bool(words) and (words[0][:1].isupper() or words[0][:1].isdigit() or words[0][:1] in "-+•")


def _owners(split: list[list[list[str]]], anchors: list[int], sections: dict[int, str], body: list[Line],
            content_col: int) -> list[int | None]:
    """The row (index into anchors) each line belongs to.

    Top-aligned cells (most numbers beside a capitalised content line) belong to the number
    above them. Centred cells put each number in the middle of its row, so a row reaches as far
    above its number as below: rows are chained from a known edge of each stretch of lines
    (the header or a section row above, the page's end below after a page break), each edge
    moved a line or two to where cells open (a capital, a bullet) rather than go on. Lines at
    the top of a page before its first row continue the row before."""
    top_aligned = sum(_opens_cell(split[a][content_col]) for a in anchors) >= TOP_ALIGNED_SHARE * len(anchors)
    owner: list[int | None] = [None] * len(split)
    last_row: int | None = None
    for low, high, after_break in _stretches(body, sections):
        inside = [r for r, a in enumerate(anchors) if low <= a < high]
        if not inside:
            if after_break and last_row is not None:
                owner[low:high] = [last_row] * (high - low)
            continue
        if top_aligned:
            starts = [anchors[r] for r in inside]
        elif after_break:
            starts = _chain_up(split, [anchors[r] for r in inside], low, high)
        else:
            starts = _chain_down(split, [anchors[r] for r in inside], low, high)
        if not after_break or last_row is None:
            starts[0] = low
        owner[low:starts[0]] = [last_row] * (starts[0] - low)
        for r, start, end in zip(inside, starts, starts[1:] + [high]):
            owner[start:end] = [r] * (end - start)
        last_row = inside[-1]
    return owner


def _stretches(body: list[Line], sections: dict[int, str]) -> list[tuple[int, int, bool]]:
    """(first, end, follows a page break) of the runs of lines between section rows and pages."""
    cuts = sorted({0, len(body)} | {k for k in range(1, len(body)) if body[k].page_break}
                  | set(sections) | {k + 1 for k in sections})
    return [(a, b, a > 0 and body[a].page_break and a not in sections and a - 1 not in sections)
            for a, b in zip(cuts, cuts[1:]) if a not in sections and b > a]


def _best_edge(split: list[list[list[str]]], mirrored: int, low: int, anchor: int) -> int:
    """The first line of the row numbered on line `anchor`: near where symmetry puts it,
    within [low, anchor], preferring a line from which every column's text opens a cell."""
    window = range(max(low, mirrored - SHIFT_LINES), min(anchor, mirrored + SHIFT_LINES) + 1)
    if not len(window):
        return min(max(mirrored, low), anchor)
    return max(window, key=lambda k: (_fresh_columns(split, k, anchor), -abs(k - mirrored)))


def _fresh_columns(split: list[list[list[str]]], k: int, anchor: int) -> int:
    """Columns whose first text from line k on (to the number's line) opens a cell, less
    ten for each that goes on from the row above."""
    score = 0
    for c in range(len(split[k])):
        first = next((split[j][c] for j in range(k, anchor + 1) if split[j][c]), None)
        if first is not None:
            score += 1 if _opens_cell(first) else -CONTINUATION_WEIGHT
    return score


def _chain_down(split: list[list[list[str]]], anchors: list[int], low: int, high: int) -> list[int]:
    starts = [low]
    for previous, anchor in zip(anchors, anchors[1:]):
        starts.append(_best_edge(split, 2 * previous - starts[-1] + 1, previous + 1, anchor))
    return starts


def _chain_up(split: list[list[list[str]]], anchors: list[int], low: int, high: int) -> list[int]:
    bottom = high - 1
    starts: list[int] = []
    for k in range(len(anchors) - 1, -1, -1):
        floor = anchors[k - 1] + 1 if k else low
        starts.insert(0, _best_edge(split, 2 * anchors[k] - bottom, floor, anchors[k]))
        bottom = starts[0] - 1
    return starts


