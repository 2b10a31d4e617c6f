"""Task tables printed without ruling lines (or with too few to make a grid), recovered from
word positions. parsers.pdf calls `with_borderless` for every page on which the ruled-table
path (parsers.pdf.layout) found no table, or only tables of one row or one column.

* Header: a band of up to seven tightly spaced lines (bold, or set off from the text above)
  whose phrases, merged when they overlap horizontally from line to line, name the columns
  of a task table in the parsers.plan.columns vocabulary (TT / Nội dung … / Sản phẩm … / Cơ quan
  chủ trì / … phối hợp / Thời gian …: a content column and two of lead, deadline, products,
  coordinating, the test parsers.plan.structure applies) or of a statistics form. A header cell
  over two columns ("Thời gian" over "Bắt đầu | Hoàn thành", centred or flush left) gives a
  second header row, as a ruled table has.
* Columns: one per header column; the boundary between two neighbours is the middle of the
  widest x-interval between their header texts that the fewest body words cover (the
  whitespace gutter between the columns' text).
* Body: every word goes to the column its centre falls in. A phrase that runs over a gutter
  with ordinary word spacing ("I. Cải cách thể chế") is a section row spanning the table.
  Rows are anchored on the numbers of the TT column; the cut between two numbered rows is
  chosen by dynamic programming over the gaps between lines, so that the cells of every row
  are all top-aligned or all vertically centred (whichever fits the page better), preferring
  wider gaps. Printed horizontal rules are hard row boundaries. Without a TT column a row
  ends at every clear vertical gap.
* Extent: the body ends at a large vertical gap, at a line of running text over the columns
  ("Ghi chú: …"), at an annex title ("Phụ lục 02"), or where the next table's header (and
  the title lines just above it) starts; a page can hold several tables.
* Pages: a table that reaches the bottom of a page goes on on the next page with the same
  columns, with or without a repeated header; text above the first number of that page
  becomes a row without TT number, which parsers.pdf merges into the row it continues.

The result is a PdfTable like the ruled path makes (column bounds xs, row bounds ys, cells
with their logical lines; `borderless` set), so page stitching in parsers.pdf and
parsers.plan.structure treat both alike.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from parsers.plan.columns import CORE_ROLES, vocabulary
from parsers.pdf.layout import GridCell, Line, PdfTable, drop_page_number, join_wrapped, make_lines
from parsers.pdf.pages import PageData, Word

# A TT cell: "1", "1.", "1.2", "(3)", "II.", "a)".
_ANCHOR = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[a-zđ])\s*[.):]?\)?$", re.IGNORECASE)
_MAX_HEADER_LINES = 7
_MAX_HEADER_CELL = 80            # characters: longer text is content, not a header


@dataclass
class Layout:
    """Column layout of a borderless table, carried over to the next page."""
    xs: list[float]                      # column bounds, left edge … right edge
    seq_col: int | None                  # index of the TT column, if any
    size: float                          # body font size
    page_size: tuple[int, int]


@dataclass
class _Piece:
    """The words of one column on one visual line."""
    col: int
    words: list[Word]

    def __post_init__(self):
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        self.mid = (self.top + self.bottom) / 2
        self.text = " ".join(w.text for w in self.words)


@dataclass
class _Row:
    top: float
    bottom: float
    pieces: list[_Piece] = field(default_factory=list)
    spanning: list[Word] | None = None   # a section row: one cell over all columns


# --------------------------------------------------------------------------- header

@dataclass
class _Cluster:
    x0: float
    x1: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(join_wrapped([ln.text for ln in make_lines(self.words)]))

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    def overlaps(self, other: _Cluster) -> bool:
        return self.x0 < other.x1 + 1 and other.x0 - 1 < self.x1


@dataclass
class Header:
    start: int                           # first line of the band
    end: int                             # line after the band
    columns: list[_Cluster]              # one per column, left to right
    parents: list[tuple[_Cluster, int, int]]   # a header cell over columns [first, last]
    roles: list[str | None]              # role of every column

    @property
    def words(self) -> list[Word]:
        return [w for c in self.columns for w in c.words] + [w for p, _, _ in self.parents for w in p.words]


def _phrases(line: Line) -> list[_Cluster]:
    """Words of a line cut at gaps wider than ordinary word spacing (header text is not
    justified)."""
    limit = max(5.0, 0.7 * line.size)
    out = [[line.words[0]]]
    for w in line.words[1:]:
        if w.x0 - out[-1][-1].x1 >= limit:
            out.append([w])
        else:
            out[-1].append(w)
    return [_Cluster(p[0].x0, max(w.x1 for w in p), p) for p in out]


def _merge(phrases: list[_Cluster]) -> list[_Cluster]:
    """Phrases merged when they overlap horizontally, left to right."""
    clusters: list[_Cluster] = []
    for phrase in phrases:
        hits = [c for c in clusters if c.overlaps(phrase)]
        merged = _Cluster(min([phrase.x0] + [c.x0 for c in hits]), max([phrase.x1] + [c.x1 for c in hits]),
                          [w for c in hits for w in c.words] + list(phrase.words))
        clusters = [c for c in clusters if c not in hits] + [merged]
    return sorted(clusters, key=lambda c: c.x0)


def _band(lines: list[Line]) -> tuple[list[_Cluster], list[tuple[_Cluster, int, int]]]:
    """Columns and spanning header cells of a header band. A phrase printed above two or more
    phrases side by side that it overlaps ("Thời gian" over "Bắt đầu | Hoàn thành") spans
    the columns of those phrases."""
    phrases = [p for line in lines for p in _phrases(line)]
    parents = []
    for p in phrases:
        below = [q for q in phrases if q is not p and q.top >= p.bottom - 1 and p.overlaps(q)]
        side_by_side = _merge(below)
        if len(side_by_side) >= 2 and p.x0 - 1 <= side_by_side[0].x1 and side_by_side[-1].x0 <= p.x1 + 1:
            parents.append(p)
    columns = _merge([p for p in phrases if p not in parents])
    spans = []
    for p in parents:
        under = [k for k, c in enumerate(columns) if c.overlaps(p)]
        if under:
            spans.append((p, under[0], under[-1]))
    spans += _left_parents(columns, [p for p in phrases if p not in parents])
    return columns, sorted(spans, key=lambda s: s[1])


def _left_parents(columns: list[_Cluster], phrases: list[_Cluster]) -> list[tuple[_Cluster, int, int]]:
    """Spanning header cells printed flush left ("Thời gian" over "Bắt đầu" only, with
    "Hoàn thành" beside it in the second header row), in a header whose cells are top-aligned:
    a column whose text below its first line starts level with the column(s) to its right,
    which have nothing at the height of that first line while every other column starts at
    the top of the band. The first line is taken out of the column as a header cell over
    all of them."""
    out = []
    band_top = min(c.top for c in columns)
    k = 0
    while k < len(columns) - 1:
        column, right = columns[k], columns[k + 1]
        own = [p for p in phrases if column.overlaps(p) and p.x0 >= column.x0 - 1 and p.x1 <= column.x1 + 1]
        upper = [p for p in own if p.bottom <= right.top + 1]
        lower = [p for p in own if p not in upper]
        if not upper or not lower:
            k += 1
            continue
        low_top = min(p.top for p in lower)
        last = k
        while last + 1 < len(columns) and abs(columns[last + 1].top - low_top) <= 2.0:
            last += 1
        others = columns[:k] + columns[last + 1:]
        # Only in a header whose cells are top-aligned: every other column starts at the top
        # of the band, so a column starting lower is in a second header row.
        if last == k or not others or any(abs(c.top - band_top) > 2.0 for c in others) \
                or abs(min(p.top for p in upper) - band_top) > 2.0:
            k += 1
            continue
        parent_words = [w for p in upper for w in p.words]
        parent = _Cluster(min(p.x0 for p in upper), max(p.x1 for p in upper), parent_words)
        child_words = [w for p in lower for w in p.words]
        columns[k] = _Cluster(min(p.x0 for p in lower), max(p.x1 for p in lower), child_words)
        out.append((parent, k, last))
        k = last + 1
    return out


def _header(lines: list[Line], start: int, end: int) -> Header | None:
    """The band lines[start:end] as a table header, or None when it is not one: at least three
    columns, and the header texts of a task table (a content column and two of lead,
    deadline, products, coordinating) or of a statistics form."""
    columns, parents = _band(lines[start:end])
    if len(columns) < 3:
        return None
    vocab = vocabulary()
    texts = [c.text for c in columns] + [p.text for p, _, _ in parents]
    if any(len(t) > _MAX_HEADER_CELL for t in texts):
        return None
    roles: list[str | None] = []
    for k, c in enumerate(columns):
        role = vocab.role_of(c.text)
        if role is None:           # "Thời gian" over "Hoàn thành": the parent's role
            role = next((vocab.role_of(p.text) for p, a, b in parents if a <= k <= b), None)
        roles.append(role if role not in roles else None)
    found = {r for r in roles if r} | {vocab.role_of(t) for t in texts} - {None}
    statistics = any(vocab.marks_statistics(t) for t in texts)
    if statistics:
        if len(found) + sum(1 for t in texts if vocab.marks_statistics(t)) < 2:
            return None
    elif "content" not in found or len(found & CORE_ROLES) < 2:
        return None
    return Header(start, end, columns, parents, roles)


def _tight(a: Line, b: Line) -> bool:
    return b.top - a.bottom <= 0.35 * max(a.size, b.size)


_ROW_START = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[a-zđ])\s*[.):]?\)?$")


def _starts_anchor(line: Line) -> bool:
    """A line that starts with a row number (case-sensitive: "T" wrapped from "STT" is not)."""
    return bool(_ROW_START.match(line.words[0].text))


def find_header(lines: list[Line], start: int = 0) -> Header | None:
    """The first table header band at or after lines[start]: the longest band of tight,
    equally bold lines with the most recognised columns."""
    for i in range(start, len(lines)):
        if i > 0 and not lines[i].bold and lines[i].top - lines[i - 1].bottom < 0.6 * lines[i].size:
            continue          # a header that is not bold starts after some space
        best = None
        for j in range(i + 1, min(len(lines), i + _MAX_HEADER_LINES) + 1):
            if j > i + 1:
                prev, cur = lines[j - 2], lines[j - 1]
                if not _tight(prev, cur) or _starts_anchor(cur) or cur.bold != lines[i].bold:
                    break
            header = _header(lines, i, j)
            if header is None:
                continue
            score = sum(1 for r in header.roles if r)
            if best is None or score >= best[0]:
                best = (score, header)
        if best is not None:
            return best[1]
    return None


# --------------------------------------------------------------------------- columns

def _least_covered(words: list[Word], lo: float, hi: float) -> float:
    """Middle of the widest part of [lo, hi] covered by the fewest words."""
    if hi <= lo:
        return (lo + hi) / 2
    events = [(lo, 0), (hi, 0)]
    for w in words:
        a, b = max(w.x0, lo), min(w.x1, hi)
        if b > a:
            events.append((a, 1))
            events.append((b, -1))
    events.sort()
    best = None                       # (count, -width, start, end)
    count, x = 0, lo
    for pos, delta in events:
        if pos > x:
            candidate = (count, -(pos - x), x, pos)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        count += delta
        x = max(x, pos)
    return (best[2] + best[3]) / 2 if best else (lo + hi) / 2


def _columns(clusters: list[_Cluster], body: list[Word]) -> list[float]:
    xs = [min([clusters[0].x0] + [w.x0 for w in body]) - 1.0]
    for a, b in zip(clusters, clusters[1:]):
        xs.append(_least_covered(body, a.x1, b.x0))
    xs.append(max([clusters[-1].x1] + [w.x1 for w in body]) + 1.0)
    return xs


def _col_of(xs: list[float], x: float) -> int:
    return min(max(bisect_right(xs, x) - 1, 0), len(xs) - 2)


def _crossings(words: list[Word], xs: list[float], size: float) -> list[tuple[Word, Word | None]]:
    """Places where text runs over a column boundary with ordinary word spacing: pairs of
    neighbouring words on the same baseline on both sides of a boundary, or a word cut by
    one (second element None)."""
    near = 0.5 * size
    out: list[tuple[Word, Word | None]] = []
    inner = xs[1:-1]
    for w in words:
        if any(w.x0 + 0.25 * size < b < w.x1 - 0.25 * size for b in inner):
            out.append((w, None))
    by_line: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.baseline):
        if by_line and w.baseline - by_line[-1][0].baseline <= 1.0:
            by_line[-1].append(w)
        else:
            by_line.append([w])
    for group in by_line:
        group.sort(key=lambda w: w.x0)
        for a, b in zip(group, group[1:]):
            if abs(a.baseline - b.baseline) > 1.0 or b.x0 - a.x1 >= near:
                continue
            if any(a.x1 <= x <= b.x0 or a.xc < x < b.xc for x in inner):
                out.append((a, b))
    return out


# --------------------------------------------------------------------------- table region

def _region_end(lines: list[Line], start: int, limit: int, size: float) -> int:
    """Index after the last line of the table body starting at lines[start]: the body ends at
    a vertical gap much larger than the gaps between rows (or at lines[limit])."""
    end = start
    bottom = None
    while end < limit:
        line = lines[end]
        if bottom is not None and line.top - bottom > 2.5 * size:
            break
        bottom = line.bottom if bottom is None else max(bottom, line.bottom)
        end += 1
    return end


def _is_prose(line: Line, xs: list[float]) -> bool:
    """A line of running text after the table ("Ghi chú: …"): not bold, not upper case, no
    section number, one run of ordinarily spaced words over two or more column boundaries
    (a cell's text stays inside its column; the gutter between cells is a wide gap)."""
    text = line.text
    if line.bold or text.upper() == text or _starts_anchor(line):
        return False
    size = line.size
    crossed: set[int] = set()
    words = sorted(line.words, key=lambda w: w.x0)
    start = 0
    for k in range(1, len(words) + 1):
        if k < len(words) and words[k].x0 - words[k - 1].x1 < 0.5 * size \
                and abs(words[k].baseline - words[k - 1].baseline) <= 1.0:
            continue
        x0, x1 = words[start].x0, max(w.x1 for w in words[start:k])
        crossed.update(i for i, b in enumerate(xs[1:-1]) if x0 + 0.25 * size < b < x1 - 0.25 * size)
        start = k
    return len(crossed) >= 2


def _body_size(lines: list[Line]) -> float:
    sizes = sorted(ln.size for ln in lines)
    return sizes[len(sizes) // 2] if sizes else 12.0


# --------------------------------------------------------------------------- rows

MODES = ("top", "centre", "bottom")


def _alignment_cost(pieces: list[_Piece], mode: str) -> float:
    """How far the cells of one row are from being all top-aligned / centred / bottom-aligned."""
    cells: dict[int, list[float]] = {}
    for p in pieces:
        box = cells.setdefault(p.col, [p.top, p.bottom])
        box[0], box[1] = min(box[0], p.top), max(box[1], p.bottom)
    if len(cells) < 2:
        return 0.0
    top = min(b[0] for b in cells.values())
    bottom = max(b[1] for b in cells.values())
    if mode == "top":
        return sum(b[0] - top for b in cells.values())
    if mode == "bottom":
        return sum(bottom - b[1] for b in cells.values())
    centre = (top + bottom) / 2
    return sum(abs((b[0] + b[1]) / 2 - centre) for b in cells.values())


def _gap(pieces: list[_Piece], cut: int) -> float:
    """Whitespace between the pieces before and after position `cut` (mid order)."""
    above = max(p.bottom for p in pieces[:cut])
    below = min(p.top for p in pieces[cut:])
    return below - above


def _numbers(text: str) -> list[int] | None:
    parts = re.findall(r"\d+", text)
    return [int(x) for x in parts] if parts and re.fullmatch(r"[\d.\s()]+", text) else None


def _follows(previous: str, current: str) -> bool:
    """Whether `current` can be the row number after `previous` (1. -> 2., 3 -> 3.1,
    3.2 -> 4)."""
    a, b = _numbers(previous), _numbers(current)
    if a is None or b is None:
        return True
    if b == a + [1]:
        return True
    return any(b == a[:k] + [a[k] + 1] for k in range(len(a)))


def _anchors(pieces: list[_Piece], seq_col: int | None, size: float) -> list[int]:
    """Indices (mid order) of the pieces that start numbered rows. A number wrapped in a
    narrow TT column ("3.1." over "1") is one number."""
    out: list[int] = []
    previous: _Piece | None = None
    for i, p in enumerate(pieces):
        if p.col != seq_col:
            continue
        if _ANCHOR.match(p.text):
            wrapped = (previous is not None and out and pieces[out[-1]] is previous
                       and p.top - previous.bottom < 0.5 * size
                       and previous.text.endswith((".", "-"))
                       and _ANCHOR.match(previous.text + p.text)
                       and not _follows(previous.text, p.text))
            if not wrapped:
                out.append(i)
        previous = p
    return out


def _segment_rows(pieces: list[_Piece], seq_col: int | None, leading: bool,
                  size: float, mode: str) -> tuple[float, list[list[_Piece]]]:
    """(cost, rows) of the pieces of a run between hard row boundaries, for cells aligned
    as `mode` says."""
    if not pieces:
        return 0.0, []
    pieces = sorted(pieces, key=lambda p: (p.mid, p.col))
    n = len(pieces)
    if seq_col is None:
        # No TT column: a new row at every clear vertical gap.
        rows, start = [], 0
        for cut in range(1, n):
            if _gap(pieces, cut) >= 0.45 * size and pieces[cut].mid - pieces[cut - 1].mid > 1:
                rows.append(pieces[start:cut])
                start = cut
        rows.append(pieces[start:])
        return 0.0, rows
    anchors = _anchors(pieces, seq_col, size)
    if not anchors:
        return 0.0, [pieces]

    def cuts_between(lo: int, hi: int) -> list[int]:
        """Cut positions p (rows pieces[..p], pieces[p..]) with lo < p <= hi."""
        return [p for p in range(lo + 1, hi + 1) if pieces[p].mid - pieces[p - 1].mid > 0.5]

    lam = 1.0      # weight of the gap at a cut against the misalignment of the rows
    # Leading cut: 0 (no row before the first number) or, on a continued page, any gap above it.
    first = [0] + (cuts_between(0, anchors[0]) if leading else [])
    costs: dict[int, tuple[float, list[int]]] = {}
    for p in first:
        costs[p] = (0.0 if p == 0 else -lam * _gap(pieces, p), [p])
    for k, a in enumerate(anchors):
        ends = [n] if k == len(anchors) - 1 else cuts_between(a, anchors[k + 1])
        if not ends:          # two numbers on one line: keep them in one row
            continue
        nxt: dict[int, tuple[float, list[int]]] = {}
        for q in ends:
            bonus = 0.0 if q == n else -lam * _gap(pieces, q)
            best = None
            for p, (cost, path) in costs.items():
                if p > a or p >= q:
                    continue
                misfit = _alignment_cost(pieces[p:q], mode)
                if q == n and mode != "top":
                    # The last row may be the first part of a row split by the page break,
                    # laid out from the top.
                    misfit = min(misfit, _alignment_cost(pieces[p:q], "top"))
                total = cost + misfit + bonus
                if best is None or total < best[0]:
                    best = (total, path + [q])
            if best is not None:
                nxt[q] = best
        costs = nxt
    if not costs:
        return 0.0, [pieces]
    cost, path = min(costs.values(), key=lambda v: v[0])
    if path[-1] != n:
        path.append(n)
    bounds = path if path[0] == 0 else [0] + path
    return cost, [pieces[s:e] for s, e in zip(bounds, bounds[1:]) if e > s]


def _rules(page: PageData, xs: list[float], top: float, bottom: float) -> list[float]:
    """y of horizontal rules across most of the table between `top` and `bottom`."""
    width = xs[-1] - xs[0]
    ys = sorted(e["top"] for e in page.edges if e["orientation"] == "h"
                and min(e["x1"], xs[-1]) - max(e["x0"], xs[0]) >= 0.6 * width
                and top - 1 <= e["top"] <= bottom + 1)
    out: list[float] = []
    for y in ys:
        if not out or y - out[-1] > 2.0:
            out.append(y)
    return out


def _body_rows(page: PageData, words: list[Word], layout: Layout, leading: bool) -> list[_Row]:
    xs, size = layout.xs, layout.size
    spanning: set[int] = set()
    for a, b in _crossings(words, xs, size):
        spanning.add(id(a))
        if b is not None:
            spanning.add(id(b))
    # A section row: the words chained to a crossing on its baseline.
    span_rows: list[list[Word]] = []
    if spanning:
        by_base = sorted(words, key=lambda w: (w.baseline, w.x0))
        seeds = [w for w in by_base if id(w) in spanning]
        used: set[int] = set()
        for seed in seeds:
            if id(seed) in used:
                continue
            line = sorted((w for w in words if abs(w.baseline - seed.baseline) <= 1.0),
                          key=lambda w: w.x0)
            k = line.index(seed)
            lo = hi = k
            while lo > 0 and line[lo].x0 - line[lo - 1].x1 < 0.5 * size:
                lo -= 1
            while hi + 1 < len(line) and line[hi + 1].x0 - line[hi].x1 < 0.5 * size:
                hi += 1
            chain = line[lo:hi + 1]
            used.update(id(w) for w in chain)
            span_rows.append(chain)
    in_span = {id(w) for chain in span_rows for w in chain}
    per_col: dict[int, list[Word]] = {}
    for w in words:
        if id(w) not in in_span:
            per_col.setdefault(_col_of(xs, w.xc), []).append(w)
    pieces = [_Piece(col, ln.words) for col, ws in per_col.items() for ln in make_lines(ws)]

    # Hard boundaries: section rows and printed horizontal rules.
    top = min(w.top for w in words)
    bottom = max(w.bottom for w in words)
    spans = sorted(((min(w.top for w in c), max(w.bottom for w in c), c) for c in span_rows),
                   key=lambda s: s[0])
    rules = _rules(page, xs, top, bottom)
    rows: list[_Row] = []
    cursor = top
    segments: list[tuple[float, float, list[Word] | None]] = []
    for s_top, s_bottom, chain in spans:
        if segments and segments[-1][2] is not None and s_top <= segments[-1][1]:
            prev = segments.pop()      # two crossings on one section line (or its wrap)
            segments.append((prev[0], max(prev[1], s_bottom), prev[2] + chain))
            continue
        segments.append((cursor, s_top, None))
        segments.append((s_top, s_bottom, chain))
        cursor = s_bottom
    segments.append((cursor, bottom + 1, None))
    # Runs of pieces between hard boundaries; each is split into rows for both alignments of
    # the cells, and the alignment that fits the page best wins.
    runs: list[tuple[list[_Piece], bool]] = []
    first_run = True
    for s_top, s_bottom, chain in segments:
        if chain is not None:
            rows.append(_Row(s_top, s_bottom, spanning=sorted(chain, key=lambda w: (w.baseline, w.x0))))
            first_run = False
            continue
        run = [p for p in pieces if s_top <= p.mid < s_bottom]
        if not run:
            continue
        cuts = [y for y in rules if s_top < y < s_bottom]
        bands = [s_top] + cuts + [s_bottom]
        for b_top, b_bottom in zip(bands, bands[1:]):
            band = [p for p in run if b_top <= p.mid < b_bottom]
            if band:
                runs.append((band, leading and first_run and not cuts))
                first_run = False
    best = None
    for mode in MODES:
        results = [_segment_rows(band, layout.seq_col, allow, size, mode) for band, allow in runs]
        total = sum(cost for cost, _ in results)
        if best is None or total < best[0]:
            best = (total, results)
    for _, groups in (best[1] if best else []):
        for group in groups:
            rows.append(_Row(min(p.top for p in group), max(p.bottom for p in group), group))
    rows.sort(key=lambda r: r.top)
    return rows


def _cell_lines(words: list[Word]) -> list[str]:
    return join_wrapped([ln.text for ln in make_lines(words)])


def _header_cells(header: Header, xs: list[float]) -> tuple[list[GridCell], int]:
    """Header grid cells (two rows when some header cells span columns) and the row count."""
    top = min(w.top for w in header.words)
    bottom = max(w.bottom for w in header.words)
    width = len(xs) - 1
    per_col: dict[int, list[Word]] = {}
    for c in header.columns:
        per_col.setdefault(_col_of(xs, (c.x0 + c.x1) / 2), []).extend(c.words)
    def col(k: int) -> int:
        return _col_of(xs, (header.columns[k].x0 + header.columns[k].x1) / 2)

    spans = sorted((col(a), col(b), p) for p, a, b in header.parents)
    if not spans:
        return [GridCell(0, col, 1, 1, (xs[col], top, xs[col + 1], bottom), _cell_lines(ws))
                for col, ws in sorted(per_col.items())], 1
    middle = max(p.bottom for _, _, p in spans)
    cells = []
    under = {k for first, last, _ in spans for k in range(first, last + 1)}
    for first, last, p in spans:
        cells.append(GridCell(0, first, 1, last - first + 1, (xs[first], top, xs[last + 1], middle),
                              _cell_lines(p.words)))
    for col in range(width):
        ws = per_col.get(col, [])
        if col in under:
            cells.append(GridCell(1, col, 1, 1, (xs[col], middle, xs[col + 1], bottom), _cell_lines(ws)))
        elif ws:
            cells.append(GridCell(0, col, 2, 1, (xs[col], top, xs[col + 1], bottom), _cell_lines(ws)))
    return cells, 2


def _to_table(page: int, layout: Layout, header: Header | None, rows: list[_Row]) -> PdfTable:
    xs = layout.xs
    width = len(xs) - 1
    cells: list[GridCell] = []
    tops: list[float] = []
    bottoms: list[float] = []
    r = 0
    if header is not None:
        cells, r = _header_cells(header, xs)
        top = min(w.top for w in header.words)
        bottom = max(w.bottom for w in header.words)
        if r == 2:
            middle = max(p.bottom for p, _, _ in header.parents)
            tops += [top, middle]
            bottoms += [middle, bottom]
        else:
            tops.append(top)
            bottoms.append(bottom)
    for row in rows:
        if row.spanning is not None:
            cells.append(GridCell(r, 0, 1, width, (xs[0], row.top, xs[-1], row.bottom),
                                  _cell_lines(row.spanning)))
        else:
            per_col: dict[int, list[_Piece]] = {}
            for p in row.pieces:
                per_col.setdefault(p.col, []).append(p)
            for col, ps in sorted(per_col.items()):
                ps.sort(key=lambda p: p.top)
                cells.append(GridCell(r, col, 1, 1, (xs[col], row.top, xs[col + 1], row.bottom),
                                      join_wrapped([p.text for p in ps])))
        tops.append(row.top)
        bottoms.append(row.bottom)
        r += 1
    # Row bounds: half way between one row's bottom and the next row's top.
    ys = [tops[0]] + [max(b, min(t, (b + t) / 2)) for b, t in zip(bottoms, tops[1:])] + [bottoms[-1]]
    for k in range(1, len(ys)):
        ys[k] = max(ys[k], ys[k - 1] + 0.01)
    return PdfTable(page, (xs[0], ys[0], xs[-1], ys[-1]), list(xs), ys, cells, borderless=True)


# --------------------------------------------------------------------------- entry point

@dataclass
class PageResult:
    lines: list[Line]                    # prose lines left on the page
    tables: list[PdfTable]
    carry: Layout | None                 # the layout goes on on the next page


def _same_layout(layout: Layout, header: Header) -> bool:
    if len(header.columns) != len(layout.xs) - 1:
        return False
    cols = [_col_of(layout.xs, (c.x0 + c.x1) / 2) for c in header.columns]
    return cols == list(range(len(header.columns)))


def _new_layout(lines: list[Line], header: Header, limit: int, page_size: tuple[int, int]) -> Layout:
    h_end = header.end
    size = _body_size(lines[h_end:min(limit, h_end + 20)] or lines[h_end - 1:h_end])
    end = _region_end(lines, h_end, limit, size)
    body = [w for ln in lines[h_end:end] for w in ln.words]
    xs = _columns(header.columns, body)
    roles = header.roles
    seq = next((k for k, r in enumerate(roles) if r == "seq"), None)
    if seq is None and roles[0] is None:
        first_col = [w for w in body if w.xc < xs[1]]
        if first_col and sum(bool(_ANCHOR.match(w.text)) for w in first_col) >= 0.6 * len(first_col):
            seq = 0
    return Layout(xs, seq, size, page_size)


_ANNEX_TITLE = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)


def _is_annex_title(line: Line, layout: Layout) -> bool:
    """"Phụ lục 02 …" starting in the first column: the title of the next annex."""
    return bool(_ANNEX_TITLE.match(line.text)) and line.x0 < layout.xs[1]


def _heading(line: Line, layout: Layout) -> bool:
    """A heading line between two tables ("Phụ lục số 02: …"): bigger or smaller type than
    the table body, or text running over a column gutter."""
    return abs(line.size - layout.size) >= 1.0 or bool(_crossings(line.words, layout.xs, layout.size))


def borderless_tables(page: PageData, lines: list[Line], carry: Layout | None) -> PageResult:
    """Borderless tables of one page (`lines`: the page's lines without page number), given
    the layout of a table that ran to the bottom of the previous page. Returns the lines
    left for prose, the tables, and the layout to carry over to the next page."""
    page_size = (round(page.width), round(page.height))
    if carry is not None and carry.page_size != page_size:
        carry = None
    original = lines
    lines = _readmit_numbers(page, lines)
    rest: list[Line] = []
    tables: list[PdfTable] = []
    out_carry: Layout | None = None
    pos = 0
    while pos < len(lines):
        found = find_header(lines, pos)
        header: Header | None = None
        if carry is not None and pos == 0 and (found is None or found.start > 0) and _continues(lines, carry):
            layout, h_start, start, leading = carry, 0, 0, True
            limit = found.start if found is not None else len(lines)
        elif found is not None:
            header, h_start, start = found, found.start, found.end
            following = find_header(lines, start)
            limit = following.start if following is not None else len(lines)
            if carry is not None and h_start == 0 and _same_layout(carry, header):
                layout, leading = carry, True
            else:
                layout, leading = _new_layout(lines, header, limit, page_size), False
        else:
            break
        end = _region_end(lines, start, limit, layout.size)
        for k in range(start, end):
            line = lines[k]
            if (_is_prose(line, layout.xs) or _is_annex_title(line, layout)
                    or (abs(line.size - layout.size) >= 1.0 and _heading(line, layout))):
                end = k
                break
        if end == limit < len(lines):
            while end > start and _heading(lines[end - 1], layout):
                end -= 1          # the title of the next table
        body = [w for ln in lines[start:end] for w in ln.words]
        if header is None and not body:
            carry = None          # not a continuation after all (a title, then a new table)
            continue
        rows = _body_rows(page, body, layout, leading) if body else []
        rest.extend(lines[pos:h_start])
        tables.append(_to_table(page.number, layout, header, rows))
        pos = max(end, start)
        out_carry = layout if pos >= len(lines) else None
        carry = None
    if not tables:
        return PageResult(original, [], None)
    rest.extend(lines[pos:])
    kept = {id(ln) for ln in original}
    rest = [ln for ln in rest if id(ln) in kept]      # a lone number that is no cell text
    return PageResult(rest, tables, out_carry)


def insufficient(tables: list[PdfTable]) -> bool:
    """Ruled tables that cannot be the grid of a task table: only one row or one column
    (a frame, column rules only, or rules drawn for part of the table)."""
    return bool(tables) and all(t.width < 2 or len(t.ys) < 3 for t in tables)


def with_borderless(page: PageData, lines: list[Line], tables: list[PdfTable],
                    carry: Layout | None) -> tuple[list[Line], list[PdfTable], Layout | None]:
    """A page as parsers.pdf.layout.read_page read it, with borderless tables looked for when
    it found no ruled table, or only ruled tables too poor to be a task table (then a
    borderless table found replaces them). Returns (prose lines, tables, layout carried to
    the next page)."""
    if not page.words or (tables and not insufficient(tables)):
        return lines, tables, None
    base = drop_page_number(make_lines(page.words), page) if tables else lines
    found = borderless_tables(page, base, carry)
    if not found.tables:
        return lines, tables, None
    return found.lines, found.tables, found.carry


def _readmit_numbers(page: PageData, lines: list[Line]) -> list[Line]:
    """The page's lines with the lines taken for page numbers put back when they sit right
    against other text (a number ending a table cell at the foot of the page, "…/202" "6")."""
    full = make_lines(page.words)
    if len(full) == len(lines):
        return lines
    kept = {id(w) for ln in lines for w in ln.words}
    out = list(lines)
    for k, line in enumerate(full):
        if all(id(w) in kept for w in line.words):
            continue
        near = [other for other in full[max(0, k - 1):k] + full[k + 1:k + 2]]
        if any(abs(line.top - o.bottom) < 0.5 * line.size or abs(o.top - line.bottom) < 0.5 * line.size
               for o in near):
            out.append(line)
    out.sort(key=lambda ln: (ln.baseline, ln.x0))
    return out


def _continues(lines: list[Line], layout: Layout) -> bool:
    """Whether the top of a page without a header goes on with a table of this layout: its
    first lines are no running text or heading, stay inside the table, and soon fill two
    columns or show a row number."""
    end = _region_end(lines, 0, min(len(lines), 10), layout.size)
    head = lines[:end]
    if not head:
        return False
    first = head[0]
    if _is_prose(first, layout.xs) or abs(first.size - layout.size) >= 1.0:
        return False
    slack = 2 * layout.size
    if any(ln.x0 < layout.xs[0] - slack or ln.x1 > layout.xs[-1] + slack for ln in head):
        return False
    cols = {_col_of(layout.xs, w.xc) for ln in head for w in ln.words}
    numbered = layout.seq_col is not None and any(
        _col_of(layout.xs, w.xc) == layout.seq_col and _ANCHOR.match(w.text) for ln in head for w in ln.words)
    return len(cols) >= 2 or numbered


__all__ = ["Layout", "PageResult", "borderless_tables", "find_header", "insufficient", "with_borderless"]
