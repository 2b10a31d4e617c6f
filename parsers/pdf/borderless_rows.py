"""The columns, extent and rows of a table printed without ruling lines, from word positions
(see parsers.pdf.borderless): column bounds from the gutters, rows anchored on the TT numbers
and cut where the cells of every row align best."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from normalize.text import ROMAN_NUMERAL
from parsers.pdf.lines import Line, join_wrapped, make_lines
from parsers.pdf.ruled import GridCell, PdfTable
from parsers.pdf.borderless_settings import SETTINGS
from parsers.pdf.pages import PageData, Word
from parsers.pdf.borderless_header import Cluster, Header, starts_anchor


# A TT cell: "1", "1.", "1.2", "(3)", "II.", "a)".
ANCHOR = re.compile(rf"^\(?(?:\d{{1,3}}(?:\.\d{{1,3}})*|{ROMAN_NUMERAL}|[a-zđ])\s*[.):]?\)?$", re.IGNORECASE)


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


def column_bounds(clusters: list[Cluster], body: list[Word]) -> list[float]:
    xs = [min([clusters[0].x0] + [w.x0 for w in body]) - 1.0]
    for a, b in zip(clusters, clusters[1:]):
        xs.append(_least_covered(body, a.x1, b.x0))
    xs.append(max([clusters[-1].x1] + [w.x1 for w in body]) + 1.0)
    return xs


def col_of(xs: list[float], x: float) -> int:
    return min(max(bisect_right(xs, x) - 1, 0), len(xs) - 2)


def crossings(words: list[Word], xs: list[float], size: float) -> list[tuple[Word, Word | None]]:
    """Places where text runs over a column boundary with ordinary word spacing: pairs of
    neighbouring words on the same baseline on both sides of a boundary, or a word cut by
    one (second element None)."""
    near = SETTINGS.word_gap * size
    out: list[tuple[Word, Word | None]] = []
    inner = xs[1:-1]
    for w in words:
        if any(w.x0 + SETTINGS.gutter_inset * size < b < w.x1 - SETTINGS.gutter_inset * size for b in inner):
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

def region_end(lines: list[Line], start: int, limit: int, size: float) -> int:
    """Index after the last line of the table body starting at lines[start]: the body ends at
    a vertical gap much larger than the gaps between rows (or at lines[limit])."""
    end = start
    bottom = None
    while end < limit:
        line = lines[end]
        if bottom is not None and line.top - bottom > SETTINGS.table_end_gap * size:
            break
        bottom = line.bottom if bottom is None else max(bottom, line.bottom)
        end += 1
    return end


def is_prose(line: Line, xs: list[float]) -> bool:
    """A line of running text after the table ("Ghi chú: …"): not bold, not upper case, no
    section number, one run of ordinarily spaced words over two or more column boundaries
    (a cell's text stays inside its column; the gutter between cells is a wide gap)."""
    text = line.text
    if line.bold or text.upper() == text or starts_anchor(line):
        return False
    size = line.size
    crossed: set[int] = set()
    words = sorted(line.words, key=lambda w: w.x0)
    start = 0
    for k in range(1, len(words) + 1):
        if k < len(words) and words[k].x0 - words[k - 1].x1 < SETTINGS.word_gap * size \
                and abs(words[k].baseline - words[k - 1].baseline) <= 1.0:
            continue
        x0, x1 = words[start].x0, max(w.x1 for w in words[start:k])
        crossed.update(i for i, b in enumerate(xs[1:-1]) if x0 + SETTINGS.gutter_inset * size < b < x1 - SETTINGS.gutter_inset * size)
        start = k
    return len(crossed) >= 2


def body_size(lines: list[Line]) -> float:
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
        if ANCHOR.match(p.text):
            wrapped = (previous is not None and out and pieces[out[-1]] is previous
                       and p.top - previous.bottom < SETTINGS.wrapped_number_gap * size
                       and previous.text.endswith((".", "-"))
                       and ANCHOR.match(previous.text + p.text)
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
            if _gap(pieces, cut) >= SETTINGS.row_gap * size and pieces[cut].mid - pieces[cut - 1].mid > 1:
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
                and min(e["x1"], xs[-1]) - max(e["x0"], xs[0]) >= SETTINGS.rule_span * width
                and top - 1 <= e["top"] <= bottom + 1)
    out: list[float] = []
    for y in ys:
        if not out or y - out[-1] > 2.0:
            out.append(y)
    return out


def body_rows(page: PageData, words: list[Word], layout: Layout, leading: bool) -> list[_Row]:
    xs, size = layout.xs, layout.size
    span_rows = _section_rows(words, xs, size)
    in_span = {id(w) for chain in span_rows for w in chain}
    per_col: dict[int, list[Word]] = {}
    for w in words:
        if id(w) not in in_span:
            per_col.setdefault(col_of(xs, w.xc), []).append(w)
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


def _section_rows(words: list[Word], xs: list[float], size: float) -> list[list[Word]]:
    """Section rows: the words chained to a word crossing a column boundary, on its baseline."""
    spanning: set[int] = set()
    for a, b in crossings(words, xs, size):
        spanning.add(id(a))
        if b is not None:
            spanning.add(id(b))
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
            while lo > 0 and line[lo].x0 - line[lo - 1].x1 < SETTINGS.word_gap * size:
                lo -= 1
            while hi + 1 < len(line) and line[hi + 1].x0 - line[hi].x1 < SETTINGS.word_gap * size:
                hi += 1
            chain = line[lo:hi + 1]
            used.update(id(w) for w in chain)
            span_rows.append(chain)
    return span_rows


def _cell_lines(words: list[Word]) -> list[str]:
    return join_wrapped([ln.text for ln in make_lines(words)])


def _header_cells(header: Header, xs: list[float]) -> tuple[list[GridCell], int]:
    """Header grid cells (two rows when some header cells span columns) and the row count."""
    top = min(w.top for w in header.words)
    bottom = max(w.bottom for w in header.words)
    width = len(xs) - 1
    per_col: dict[int, list[Word]] = {}
    for c in header.columns:
        per_col.setdefault(col_of(xs, (c.x0 + c.x1) / 2), []).extend(c.words)
    def col(k: int) -> int:
        return col_of(xs, (header.columns[k].x0 + header.columns[k].x1) / 2)

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


def to_table(page: int, layout: Layout, header: Header | None, rows: list[_Row]) -> PdfTable:
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
