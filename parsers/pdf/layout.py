"""Layout of one PDF page with a text layer: ruled tables, two-column blocks, prose paragraphs.

Input is a `PageData` (words + ruling edges, see parsers.pdf.pages); output is a list of page
items in reading order: `PdfTable` (a ruled grid with the text of every cell) and `PdfParagraph`.

* Tables are found here only from ruling lines (pdfplumber's edge -> intersection -> cell
  algorithm run on our edges); words whose centre lies inside a table go to its cells, the
  rest is prose. Tables without ruling lines: parsers.pdf.borderless.
* Two-column borderless blocks (the letterhead "ỦY BAN NHÂN DÂN | CỘNG HÒA …" and the signature
  block "Nơi nhận: | TM. ỦY BAN NHÂN DÂN …") are found from a vertical gutter shared by
  consecutive lines; they are read left column first, then right column, one paragraph per line
  (wrapped lines that start in lower case are re-joined).
* Prose lines are grouped into paragraphs: a new paragraph starts at a list / numbering marker,
  after a larger vertical gap, at a first-line indent, after a line that ended early, at a
  change of weight or size, and around centred lines (titles).
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges

from parsers.pdf.pages import Y_TOLERANCE, PageData, Word

# A line starting with one of these begins a new paragraph / a new line inside a cell.
_BULLET = re.compile(r"^[-+•*–—−▪●◦○∙](?=\s|[^\W\d_])")
_DASH_CONTINUES = re.compile(r"^[-–—−]\s*(\w)")
_NUMBERED = re.compile(
    r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}(?:\.\d{1,2})+|\(?[a-zđ][.)]|\(?[IVXLC]{1,6}[.)]"
    r"|Điều\s+\d+[.:]?)(?=\s|$)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;:!?…]\s*$")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?$",
                          re.IGNORECASE)
_MIN_EDGE = 3.0


def starts_item(text: str, previous: str | None = None) -> bool:
    """Whether a line opens a new list item / numbered point rather than continuing one."""
    text = text.lstrip()
    if _BULLET.match(text):
        dash = _DASH_CONTINUES.match(text)
        if (dash and (dash.group(1).isdigit() or dash.group(1).islower())
                and previous is not None and not _SENTENCE_END.search(previous)):
            return False      # "2026" / "– 2030", "kinh tế" / "- xã hội": broken at the dash
        return True
    return bool(_NUMBERED.match(text))


def _starts_lower(text: str) -> bool:
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
    """Words -> visual lines (baselines within Y_TOLERANCE), top to bottom, left to right."""
    if not words:
        return []
    ordered = sorted(words, key=lambda w: (w.baseline, w.x0))
    groups: list[list[Word]] = [[ordered[0]]]
    for w in ordered[1:]:
        if w.baseline - groups[-1][-1].baseline <= Y_TOLERANCE:
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


# --------------------------------------------------------------------------- tables

@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: tuple[float, float, float, float]
    lines: list[str] = field(default_factory=list)      # logical lines (wrapping undone)


@dataclass
class PdfTable:
    page: int
    bbox: tuple[float, float, float, float]
    xs: list[float]                  # column boundaries
    ys: list[float]                  # row boundaries
    cells: list[GridCell]
    borderless: bool = False         # recovered from word positions (parsers.pdf.borderless)

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def width(self) -> int:
        return len(self.xs) - 1

    def grid(self) -> list[list[tuple[GridCell, bool]]]:
        """Rows of (cell, merged_from_above), left to right; spanned columns appear once."""
        start: dict[tuple[int, int], GridCell] = {(c.row, c.col): c for c in self.cells}
        cover: dict[tuple[int, int], GridCell] = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    cover[(r, k)] = c
        rows = []
        for r in range(len(self.ys) - 1):
            row: list[tuple[GridCell, bool]] = []
            k = 0
            while k < self.width:
                cell = start.get((r, k)) or cover.get((r, k))
                if cell is None:
                    filler = GridCell(r, k, 1, 1, (self.xs[k], self.ys[r], self.xs[k + 1], self.ys[r + 1]))
                    row.append((filler, False))
                    k += 1
                    continue
                row.append((cell, cell.row != r))
                k = cell.col + cell.col_span if cell.col <= k else k + 1
            rows.append(row)
        return rows


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], value: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - value))


def has_rules(page: PageData) -> bool:
    h = sum(1 for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= 10)
    v = sum(1 for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= 5)
    return h >= 2 and v >= 2


def _intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber.table.intersections_to_cells with the edge sets of each intersection
    computed once (the original rebuilds them for every pair of points tested)."""
    def bbox(e):
        return (e["x0"], e["top"], e["x1"], e["bottom"])

    v_sets = {p: {bbox(e) for e in ix["v"]} for p, ix in intersections.items()}
    h_sets = {p: {bbox(e) for e in ix["h"]} for p, ix in intersections.items()}

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    points = sorted(intersections)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for p in points:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for pt in points:
        below = [q for q in by_x[pt[0]] if q > pt]
        right = [q for q in by_y[pt[1]] if q > pt]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def find_tables(page: PageData) -> list[PdfTable]:
    if not has_rules(page):
        return []
    edges = [e for e in page.edges
             if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 1]
    edges = merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3,
                        join_x_tolerance=3, join_y_tolerance=3)
    edges = [e for e in edges
             if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= _MIN_EDGE]
    intersections = edges_to_intersections(edges, 3, 3)
    cells = _intersections_to_cells(intersections)
    tables = []
    for boxes in cells_to_tables(cells):
        xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
        ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
        if len(xs) < 2 or len(ys) < 2:
            continue
        grid_cells = []
        for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
            r0, r1 = _index(ys, top), _index(ys, bottom)
            c0, c1 = _index(xs, x0), _index(xs, x1)
            if r1 <= r0 or c1 <= c0:
                continue
            grid_cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, (x0, top, x1, bottom)))
        bbox = (xs[0], ys[0], xs[-1], ys[-1])
        tables.append(PdfTable(page.number, bbox, xs, ys, grid_cells))
    return tables


def _fill_tables(tables: list[PdfTable], words: list[Word]) -> list[Word]:
    """Put words into the cells of the tables that contain them; return the other words."""
    rest: list[Word] = []
    buckets: dict[tuple[int, int], list[Word]] = {}
    slots = [_slot_map(t) for t in tables]
    for w in words:
        xc, yc = w.xc, (w.top + w.baseline) / 2
        for t_index, t in enumerate(tables):
            x0, top, x1, bottom = t.bbox
            if x0 - 1 <= xc <= x1 + 1 and top - 1 <= yc <= bottom + 1:
                r = min(max(bisect_right(t.ys, yc) - 1, 0), len(t.ys) - 2)
                k = min(max(bisect_right(t.xs, xc) - 1, 0), len(t.xs) - 2)
                cell_index = slots[t_index].get((r, k))
                if cell_index is None:
                    # A hole in the grid (a border not drawn): a cell for that grid slot.
                    t.cells.append(GridCell(r, k, 1, 1, (t.xs[k], t.ys[r], t.xs[k + 1], t.ys[r + 1])))
                    cell_index = slots[t_index][(r, k)] = len(t.cells) - 1
                buckets.setdefault((t_index, cell_index), []).append(w)
                break
        else:
            rest.append(w)
    for (t_index, cell_index), cell_words in buckets.items():
        cell = tables[t_index].cells[cell_index]
        cell.lines = join_wrapped(unbreak_words(make_lines(cell_words), cell.bbox[2]))
    return rest


def _slot_map(table: PdfTable) -> dict[tuple[int, int], int]:
    """Grid slot (row, col) -> index of the cell covering it."""
    out: dict[tuple[int, int], int] = {}
    for i, c in enumerate(table.cells):
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                out.setdefault((r, k), i)
    return out


# --------------------------------------------------------------------------- prose

@dataclass
class PdfParagraph:
    text: str
    page: int
    top: float
    first: Line
    last: Line
    bold: bool = False
    list_item: bool = False
    column: bool = False             # read from a two-column block (letterhead, signature)
    page_end: int | None = None


@dataclass
class Margins:
    left: float
    right: float
    pitch_ratio: float = 1.3         # usual baseline-to-baseline distance / font size

    @property
    def width(self) -> float:
        return self.right - self.left


def _gaps(line: Line) -> list[tuple[float, float, int]]:
    """(gap start, gap end, index of the word after the gap) for gaps wide enough to be a
    column gutter."""
    threshold = max(18.0, 1.8 * line.size)
    out = []
    for i in range(1, len(line.words)):
        a, b = line.words[i - 1].x1, line.words[i].x0
        if b - a >= threshold:
            out.append((a, b, i))
    return out


def _alignment(lines: list[Line]) -> tuple[str, float]:
    """How a column's lines are aligned: ("left", x0), ("centre", mid), "mixed", or "any"
    while there is only one line."""
    if len(lines) < 2:
        return "any", 0.0
    x0s = [ln.x0 for ln in lines]
    mids = [ln.mid for ln in lines]
    if max(x0s) - min(x0s) <= 3:
        return "left", min(x0s)
    if max(mids) - min(mids) <= 6:
        return "centre", statistics.mean(mids)
    return "mixed", 0.0


def _fits_column(line: Line, column: list[Line]) -> bool:
    if not column:
        return False
    mode, value = _alignment(column)
    tolerance = max(4.0, 0.3 * line.size)
    if mode == "left":
        return abs(line.x0 - value) <= tolerance
    if mode == "centre":
        return abs(line.mid - value) <= 2 * tolerance
    if mode == "any":
        ref = column[0]
        return abs(line.x0 - ref.x0) <= tolerance or abs(line.mid - ref.mid) <= 2 * tolerance
    x0 = min(ln.x0 for ln in column)
    return abs(line.x0 - x0) <= tolerance


def _split(line: Line, centre: float) -> tuple[list[Word], list[Word]] | None:
    """Words left and right of a gutter centre; None when a word straddles it."""
    left = [w for w in line.words if w.x1 <= centre]
    right = [w for w in line.words if w.x0 >= centre]
    if len(left) + len(right) != len(line.words):
        return None
    return left, right


def _is_marker(words: list[Word]) -> bool:
    """Only a list / numbering marker ("a)", "1.", "-", "Điều 1."): a tab after a marker is
    not a column gutter."""
    text = " ".join(w.text for w in words).strip()
    return bool(text) and len(text) <= 10 and (starts_item(text + " x") and len(words) <= 2)


def _extend_block(lines: list[Line], i: int, gl: float, gr: float) -> tuple[int, float, float, list[Line]]:
    """Grow a two-column block from lines[i] down: (line count, gutter start, gutter end,
    left column lines); count 0 when there is no block with text on both sides."""
    left: list[Line] = []
    right: list[Line] = []
    j, previous = i, None
    while j < len(lines):
        line = lines[j]
        if previous is not None and line.top - previous.bottom > 6 * max(line.size, previous.size):
            break
        parts = _split(line, (gl + gr) / 2)
        if parts is None:
            break
        lw, rw = parts
        ngl = max([gl] + [w.x1 for w in lw])
        ngr = min([gr] + [w.x0 for w in rw])
        if ngr - ngl < 8:
            break
        if lw and not rw and left and not _fits_column(Line(lw), left):
            break
        if rw and not lw and right and not _fits_column(Line(rw), right):
            break
        if lw:
            left.append(Line(lw))
        if rw:
            right.append(Line(rw))
        gl, gr, previous = ngl, ngr, line
        j += 1
    if not left or not right:
        return 0, gl, gr, []
    return j - i, gl, gr, left


def _gutter_candidates(lines: list[Line], i: int) -> list[tuple[float, float]]:
    """Possible gutters for a block starting at lines[i]: the wide gaps of that line, or the
    space between it and the next line when the two sit side by side (the columns' baselines
    need not line up)."""
    out = [(a, b) for a, b, _ in sorted(_gaps(lines[i]), key=lambda g: (g[0] - g[1], g[0]))]
    if i + 1 < len(lines):
        cur, nxt = lines[i], lines[i + 1]
        if nxt.baseline - cur.baseline < 0.8 * min(cur.size, nxt.size):   # closer than a line
            threshold = max(18.0, 1.8 * max(cur.size, nxt.size))
            if nxt.x0 - cur.x1 >= threshold:
                out.append((cur.x1, nxt.x0))
            elif cur.x0 - nxt.x1 >= threshold:
                out.append((nxt.x1, cur.x0))
    return out


def _column_block(lines: list[Line], i: int) -> tuple[int, float, float] | None:
    """If a two-column block (letterhead, signature) starts at lines[i]: (number of lines,
    gutter start, gutter end). Each candidate gutter is tried; the longest block wins."""
    candidates = _gutter_candidates(lines, i)
    if not candidates:
        return None
    best: tuple[int, float, float] | None = None
    for gl, gr in candidates:
        count, ngl, ngr, left = _extend_block(lines, i, gl, gr)
        if count == 0 or all(_is_marker(ln.words) for ln in left):
            continue
        if best is None or count > best[0]:
            best = (count, ngl, ngr)
    if best is None:
        return None
    if best[0] >= 2:
        return best
    # A single line: columns only if one gap clearly dominates (a justified line spreads its
    # words evenly), e.g. "Số: 12/KH-UBND      Hà Nội, ngày ...".
    line = lines[i]
    widths = sorted((line.words[k].x0 - line.words[k - 1].x1 for k in range(1, len(line.words))),
                    reverse=True)
    if len(widths) == 1 or widths[0] >= 2 * widths[1]:
        return best
    return None


def _lift_right_lines(pending: list[Line], first: Line, gl: float, gr: float) -> int:
    """How many lines just above a block belong to its right column (e.g. "TM. ỦY BAN NHÂN
    DÂN" printed a little higher than "Nơi nhận:")."""
    count, below = 0, first
    for line in reversed(pending[-3:]):
        if line.x0 < (gl + gr) / 2 or below.top - line.bottom > 1.5 * line.size:
            break
        count, below = count + 1, line
    return count


def _column_paragraphs(lines: list[Line], page: int) -> list[PdfParagraph]:
    """Lines of one column of a letterhead / signature block: one paragraph per line, except
    wrapped continuations (lower-case start, no list marker)."""
    out: list[PdfParagraph] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if out and _starts_lower(text) and not starts_item(text) \
                and line.top - out[-1].last.bottom < 1.2 * line.size:
            prev = out[-1]
            prev.text = join_text(prev.text, text)
            prev.last = line
            prev.bold = prev.bold and line.bold
            continue
        out.append(PdfParagraph(text, page, line.top, line, line, bold=line.bold,
                                list_item=bool(_BULLET.match(text)), column=True))
    return out


def _is_centred(line: Line, m: Margins) -> bool:
    left_gap, right_gap = line.x0 - m.left, m.right - line.x1
    return left_gap > 1.5 * line.size and abs(left_gap - right_gap) <= max(6.0, 0.04 * m.width)


def _breaks(prev: Line, cur: Line, m: Margins) -> bool:
    """Whether `cur` starts a new paragraph after `prev` in running prose."""
    text = cur.text
    if starts_item(text, prev.text):
        return True
    if prev.bold != cur.bold or abs(prev.size - cur.size) > 1.0:
        return True
    size = max(prev.size, cur.size)
    if cur.baseline - prev.baseline > size * m.pitch_ratio * 1.2 + 1.0:
        return True
    lower = _starts_lower(text) and not _SENTENCE_END.search(prev.text)
    if _is_centred(cur, m) or _is_centred(prev, m):
        return not lower
    if lower:
        return False
    if cur.x0 > prev.x0 + 0.8 * size and cur.x0 > m.left + 0.8 * size:
        return True         # first-line indent
    first_word = cur.words[0].x1 - cur.words[0].x0
    if prev.x1 + 0.3 * size + first_word < m.right - 2:
        return True         # the previous line ended although the next word would have fitted
    return False


def prose_paragraphs(lines: list[Line], page: int, m: Margins) -> list[PdfParagraph]:
    out: list[PdfParagraph] = []
    prev: Line | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if prev is not None and out and not _breaks(prev, line, m):
            para = out[-1]
            para.text = join_text(para.text, text)
            para.last = line
            para.bold = para.bold and line.bold
        else:
            out.append(PdfParagraph(text, page, line.top, line, line, bold=line.bold,
                                    list_item=bool(_BULLET.match(text))))
        prev = line
    return out


def read_page(page: PageData) -> tuple[list[Line], list[PdfTable]]:
    """(prose lines without the page number, tables with their cells filled) of one page."""
    tables = find_tables(page)
    words = _fill_tables(tables, page.words) if tables else page.words
    return drop_page_number(make_lines(words), page), tables


def page_items(number: int, lines: list[Line], tables: list[PdfTable],
               margins: Margins) -> list[PdfTable | PdfParagraph]:
    """Tables and paragraphs of one page, in reading order."""
    items: list[tuple[float, int, object]] = [(t.top, 0, t) for t in tables]
    tops = sorted(t.top for t in tables)
    runs: list[tuple[int, list[Line]]] = []
    for line in lines:
        key = sum(1 for top in tops if top < line.top)    # lines between the same tables
        if runs and runs[-1][0] == key:
            runs[-1][1].append(line)
        else:
            runs.append((key, [line]))
    for _, run in runs:
        for para in _run_paragraphs(run, number, margins):
            items.append((para.top, 1, para))
    items.sort(key=lambda it: (it[0], it[1]))
    return [it[2] for it in items]


def _run_paragraphs(lines: list[Line], page: int, m: Margins) -> list[PdfParagraph]:
    out: list[PdfParagraph] = []
    pending: list[Line] = []
    i = 0
    while i < len(lines):
        block = _column_block(lines, i)
        if block is None:
            pending.append(lines[i])
            i += 1
            continue
        count, gl, gr = block
        lifted = _lift_right_lines(pending, lines[i], gl, gr)
        above = pending[len(pending) - lifted:] if lifted else []
        out.extend(prose_paragraphs(pending[:len(pending) - lifted], page, m))
        pending = []
        centre = (gl + gr) / 2
        rows = lines[i:i + count]
        left = [Line([w for w in ln.words if w.x1 <= centre]) for ln in rows]
        right = above + [Line([w for w in ln.words if w.x0 >= centre]) for ln in rows]
        paragraphs = _column_paragraphs([ln for ln in left if ln.words], page) + \
            _column_paragraphs([ln for ln in right if ln.words], page)
        top = (above[0] if above else rows[0]).top
        for p in paragraphs:
            p.top = top          # keep the block together when items are sorted
        out.extend(paragraphs)
        i += count
    out.extend(prose_paragraphs(pending, page, m))
    return out


def drop_page_number(lines: list[Line], page: PageData) -> list[Line]:
    """Remove a lone page number printed at the top or bottom of the page."""
    if not lines:
        return lines
    out = list(lines)
    for index in (0, -1):
        if not out:
            break
        line = out[index]
        near_edge = line.bottom < 0.12 * page.height or line.top > 0.88 * page.height
        if near_edge and _PAGE_NUMBER.match(line.text.strip()):
            out.pop(index)
    return out


def page_margins(lines: list[Line], tables: list[PdfTable], page: PageData) -> Margins:
    """Text block bounds of a page from its own content (used when the document gives none)."""
    x0s = [ln.x0 for ln in lines] + [t.bbox[0] for t in tables]
    x1s = [ln.x1 for ln in lines] + [t.bbox[2] for t in tables]
    if not x0s:
        return Margins(0.0, page.width)
    return Margins(min(x0s), max(x1s))


def _edge_value(values: list[float], smallest: bool) -> float | None:
    """The outermost position shared by at least 10% of the values (a text block edge), so
    that neither a stray line nor the first-line indent is taken for the margin."""
    counts = Counter(round(v) for v in values)
    floor = max(2, 0.1 * len(values))
    common = sorted((k for k, n in counts.items() if n >= floor), reverse=not smallest)
    if not common:
        return None
    edge = common[0]
    near = [v for v in values if abs(v - edge) <= 1.5]
    return min(near) if smallest else max(near)


def document_margins(pages: list[tuple[PageData, list[Line], list[PdfTable]]]) -> dict[int, Margins]:
    """Margins per page: the left and right edges of body lines, shared by pages of the same
    size; pages of a size with little prose fall back to their own content bounds."""
    groups: dict[tuple[int, int], list[Line]] = {}
    for page, lines, _ in pages:
        groups.setdefault((round(page.width), round(page.height)), []).extend(lines)
    ratios = []
    for _, lines, _ in pages:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - b.size) < 0.5 and a.size > 0:
                ratio = (b.baseline - a.baseline) / a.size
                if 1.0 <= ratio <= 1.6:
                    ratios.append(ratio)
    pitch = statistics.median(ratios) if ratios else 1.3
    by_group: dict[tuple[int, int], Margins | None] = {}
    for key, lines in groups.items():
        long_lines = [ln for ln in lines if len(ln.words) >= 6]
        left = _edge_value([ln.x0 for ln in long_lines], smallest=True) if len(long_lines) >= 8 else None
        right = _edge_value([ln.x1 for ln in long_lines], smallest=False) if len(long_lines) >= 8 else None
        by_group[key] = Margins(left, right, pitch) if left is not None and right is not None \
            and right - left > 100 else None
    out: dict[int, Margins] = {}
    for page, lines, tables in pages:
        m = by_group[(round(page.width), round(page.height))]
        if m is None:
            own = page_margins(lines, tables, page)
            m = Margins(own.left, own.right, pitch)
        out[page.number] = m
    return out
