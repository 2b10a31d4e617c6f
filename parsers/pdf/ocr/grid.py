"""Ruled tables of a page image: ruling lines -> segments -> grids of cells (numpy).

Horizontal / vertical runs of ink longer than a few millimetres (a morphological opening with a
line-shaped element, computed exactly from run lengths, on a 2×2-pooled image) are grouped into
line segments; segments that cross form a table; the table is cut into a grid at the positions
of its lines, and a cell whose border is missing on one side spans into its neighbour
(col_span / row_span). A vertical segment must reach the horizontal rules it crosses (half a
millimetre: the stem of a bold letter in a spanning section row stops short of a rule) and is
trimmed to its outermost crossing rules (a letter touching a column rule does not carry it
into the spanning row above). `rule_mask` gives the pixels of the lines to erase before OCR (only
lines of a table, or long free lines, so that the bars of a bold "TT" are never taken for a
rule).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


# --------------------------------------------------------------------------- ruling lines

def _shifted_and(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """out[i] = all of mask[i : i + length] along `axis` (False where the window runs off the
    end); by doubling, so about log2(length) whole-image operations instead of a scan."""
    out = mask.copy()
    span = 1
    while 2 * span <= length:
        _and_from(out, out, span, axis)
        span *= 2
    if span < length:                       # two overlapping windows of `span` cover `length`
        _and_from(out, out, length - span, axis)
    return out


def _and_from(out: np.ndarray, src: np.ndarray, shift: int, axis: int) -> None:
    """out[i] &= src[i + shift] along `axis` (False past the end); in place, front to back."""
    n = out.shape[axis]
    if shift >= n:
        out[...] = False
        return
    if axis == 0:
        out[:n - shift] &= src[shift:]
        out[n - shift:] = False
    else:
        out[:, :n - shift] &= src[:, shift:]
        out[:, n - shift:] = False


def _shifted_or(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """out[i] = any of mask[i - length + 1 : i + 1] along `axis` (by doubling)."""
    out = mask.copy()
    span = 1
    while 2 * span <= length:
        _or_back(out, span, axis)
        span *= 2
    if span < length:
        _or_back(out, length - span, axis)
    return out


def _or_back(out: np.ndarray, shift: int, axis: int) -> None:
    """out[i] |= out[i - shift] along `axis`, with the values from before the call (back to
    front, so that no value is used after it was changed)."""
    n = out.shape[axis]
    if shift >= n:
        return
    if axis == 0:
        out[shift:] |= out[:n - shift].copy()
    else:
        out[:, shift:] |= out[:, :n - shift].copy()


def _long_runs(mask: np.ndarray, min_len: int, axis: int = 1) -> np.ndarray:
    """Pixels of `mask` lying in runs of at least `min_len` along `axis`: a morphological
    opening with a line of `min_len` pixels (erosion then dilation, each by doubling shifts:
    a few whole-image boolean operations, no per-run bookkeeping)."""
    if min_len <= 1:
        return mask.copy()
    starts = _shifted_and(mask, min_len, axis)      # a full run of min_len starts here
    return _shifted_or(starts, min_len, axis)


@dataclass
class Segment:
    pos: float        # y of a horizontal line, x of a vertical one (full-resolution pixels)
    start: int        # extent along the line
    end: int
    lo: int           # band across the line (first and last pixel row / column)
    hi: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def _segments(lines: np.ndarray, min_len: int, max_gap: int, max_thickness: int,
              factor: int) -> list[Segment]:
    """Group line pixels (runs along axis 1) into segments: bands of adjacent rows, their
    coverage along the row bridged over gaps of up to `max_gap` pixels. Coordinates are
    multiplied by `factor` (the pooling of the image)."""
    counts = np.count_nonzero(lines, axis=1)
    rows = np.nonzero(counts >= min_len)[0]
    out: list[Segment] = []
    if len(rows) == 0:
        return out
    bands: list[tuple[int, int]] = []
    start = prev = int(rows[0])
    for r in rows[1:]:
        r = int(r)
        if r - prev > 1:
            bands.append((start, prev))
            start = r
        prev = r
    bands.append((start, prev))
    for y0, y1 in bands:
        if y1 - y0 + 1 > max_thickness:
            continue          # a filled block or a bar, not a ruling line
        cover = lines[y0:y1 + 1].any(axis=0)
        idx = np.nonzero(cover)[0]
        if len(idx) == 0:
            continue
        breaks = np.nonzero(np.diff(idx) > max_gap + 1)[0]
        starts = np.concatenate(([idx[0]], idx[breaks + 1]))
        ends = np.concatenate((idx[breaks], [idx[-1]]))
        weights = counts[y0:y1 + 1].astype(np.float64)
        pos = float(np.dot(np.arange(y0, y1 + 1), weights) / max(weights.sum(), 1.0))
        for s, e in zip(starts, ends):
            if e - s + 1 >= min_len:
                out.append(Segment((pos + 0.5) * factor - 0.5, int(s) * factor,
                                   int(e) * factor + factor - 1, y0 * factor, y1 * factor + factor - 1))
    return out


def pool2(ink: np.ndarray) -> np.ndarray:
    """2×2 OR-pooling (a thin line survives, at half the resolution)."""
    h, w = ink.shape
    rows = ink[0:h - h % 2:2] | ink[1:h - h % 2:2]      # whole rows first: contiguous, cheap
    return rows[:, 0:w - w % 2:2] | rows[:, 1:w - w % 2:2]


def find_rulings(ink: np.ndarray, dpi: int) -> tuple[list[Segment], list[Segment]]:
    """(horizontal segments, vertical segments) of the ruling lines of a page."""
    factor = 2 if dpi >= 150 else 1
    small = pool2(ink) if factor == 2 else ink
    mm = dpi / 25.4 / factor
    h_min = max(12, int(round(6 * mm)))
    v_min = max(10, int(round(4.5 * mm)))
    # Tolerate a residual tilt: a line drawn over two pixel rows still gives one long run.
    ink_h = small.copy()
    ink_h[:-1] |= small[1:]
    h_lines = _long_runs(ink_h, h_min)
    ink_v = small.copy()
    ink_v[:, :-1] |= small[:, 1:]
    v_lines = np.ascontiguousarray(_long_runs(ink_v, v_min, axis=0).T)
    max_thick = max(3, int(round(1.0 * mm)))
    gap = max(2, int(round(0.8 * mm)))
    hsegs = _segments(h_lines, h_min, gap, max_thick, factor)
    vsegs = _segments(v_lines, v_min, gap, max_thick, factor)
    return hsegs, vsegs


def rule_mask(shape: tuple[int, int], ink: np.ndarray, hsegs: list[Segment],
              vsegs: list[Segment], pad: int = 1) -> np.ndarray:
    """Ink pixels of the given segments (their band, widened by `pad`), to be erased."""
    h, w = shape
    mask = np.zeros(shape, dtype=bool)
    for s in hsegs:
        y0, y1 = max(0, s.lo - pad), min(h, s.hi + pad + 1)
        x0, x1 = max(0, s.start - pad), min(w, s.end + pad + 1)
        mask[y0:y1, x0:x1] |= ink[y0:y1, x0:x1]
    for s in vsegs:
        x0, x1 = max(0, s.lo - pad), min(w, s.hi + pad + 1)
        y0, y1 = max(0, s.start - pad), min(h, s.end + pad + 1)
        mask[y0:y1, x0:x1] |= ink[y0:y1, x0:x1]
    return mask


@dataclass
class ImageCell:
    """A cell of a ruled grid found in a page image, in pixels (the text-layer reader's cell,
    in points and with its text, is parsers.pdf.ruled.GridCell)."""
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]          # x0, y0, x1, y1 in pixels (on the rules)


@dataclass
class Grid:
    xs: list[int]                            # column boundaries (pixels)
    ys: list[int]                            # row boundaries
    cells: list[ImageCell] = field(default_factory=list)
    hsegs: list[Segment] = field(default_factory=list)
    vsegs: list[Segment] = field(default_factory=list)
    sources: frozenset[int] = frozenset()    # ids of the segments of find_rulings it was made of

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _cluster_positions(values: list[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _covered(segments: list[Segment], pos: float, a: float, b: float, tol: float) -> float:
    """Share of the interval [a, b] covered by segments lying at `pos` (within tol)."""
    if b <= a:
        return 1.0
    spans = sorted((max(s.start, a), min(s.end, b)) for s in segments
                   if abs(s.pos - pos) <= tol and s.end >= a and s.start <= b)
    covered, cur_s, cur_e = 0.0, None, None
    for s, e in spans:
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                covered += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        covered += cur_e - cur_s
    return covered / (b - a)


def find_grids(hsegs: list[Segment], vsegs: list[Segment], dpi: int) -> list[Grid]:
    """Ruled tables: connected sets of crossing horizontal and vertical segments.

    A vertical segment crosses a horizontal one only when it really reaches the horizontal's
    band (within `reach`, half a millimetre): the stem of a bold "D" in a one-line section row,
    or a stroke of a serif letter resting on the rule below, stops a millimetre short of the
    rule above, whereas a cell border touches both rules (0-2 px gaps on every scan measured,
    at 150-300 dpi, blurred, noisy or 1-bit). Along the horizontal, the tolerance stays wide
    (a rule may stop short of the table's frame). A vertical is then trimmed to its outermost
    crossing rules: a letter of a spanning row touching a column rule from above ("7. Xây
    dựng …" over the TT | content border) does not extend that border into the spanning row
    (where it would cut the row into two cells)."""
    if len(hsegs) < 2 or len(vsegs) < 2:
        return []
    mm = dpi / 25.4
    tol = max(4.0, 1.5 * mm)
    reach = max(2.0, 0.5 * mm)
    n_h = len(hsegs)
    parent = list(range(n_h + len(vsegs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    crossings = [0] * (n_h + len(vsegs))
    v_lo = [float("inf")] * len(vsegs)         # the outermost crossing rules of each vertical
    v_hi = [float("-inf")] * len(vsegs)
    for i, h in enumerate(hsegs):
        for j, v in enumerate(vsegs):
            if h.start - tol <= v.pos <= h.end + tol and v.start - reach <= h.hi and h.lo <= v.end + reach:
                a, b = find(i), find(n_h + j)
                if a != b:
                    parent[a] = b
                crossings[i] += 1
                crossings[n_h + j] += 1
                v_lo[j] = min(v_lo[j], h.lo)
                v_hi[j] = max(v_hi[j], h.hi)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hsegs):
        if crossings[i]:
            groups.setdefault(find(i), ([], []))[0].append(h)
    trimmed: dict[int, Segment] = {}
    for j, v in enumerate(vsegs):
        # A vertical line must reach a horizontal line at both ends (a cell border); a bracket
        # or a tall letter touching one rule does not count.
        if crossings[n_h + j] >= 2:
            start, end = max(v.start, int(v_lo[j])), min(v.end, int(v_hi[j]))
            cut = v if (start, end) == (v.start, v.end) else Segment(v.pos, start, end, v.lo, v.hi)
            trimmed[id(cut)] = v
            groups.setdefault(find(n_h + j), ([], []))[1].append(cut)
    grids = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _build_grid(hs, vs, tol)
        if grid is not None:
            grid.sources = frozenset(id(s) for s in hs) | frozenset(id(trimmed[id(s)]) for s in vs)
            grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _build_grid(hs: list[Segment], vs: list[Segment], tol: float) -> Grid | None:
    ys = _cluster_positions([h.pos for h in hs], tol)
    xs = _cluster_positions([v.pos for v in vs], tol)
    if len(xs) < 2 or len(ys) < 2:
        return None
    if xs[-1] - xs[0] < 8 * tol or ys[-1] - ys[0] < 4 * tol:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # Is there a border between slot (r, k) and its right / lower neighbour?
    right = [[_covered(vs, xs[k + 1], ys[r], ys[r + 1], tol) >= 0.5 for k in range(n_cols - 1)]
             for r in range(n_rows)]
    below = [[_covered(hs, ys[r + 1], xs[k], xs[k + 1], tol) >= 0.5 for k in range(n_cols)]
             for r in range(n_rows - 1)]
    taken = [[False] * n_cols for _ in range(n_rows)]
    cells: list[ImageCell] = []
    for r in range(n_rows):
        for k in range(n_cols):
            if taken[r][k]:
                continue
            # Grow right while no border, then down while no border under the whole span.
            k1 = k
            while k1 + 1 < n_cols and not right[r][k1] and not taken[r][k1 + 1]:
                k1 += 1
            r1 = r
            while r1 + 1 < n_rows and all(not below[r1][c] for c in range(k, k1 + 1)) \
                    and not any(taken[r1 + 1][c] for c in range(k, k1 + 1)):
                r1 += 1
            for rr in range(r, r1 + 1):
                for cc in range(k, k1 + 1):
                    taken[rr][cc] = True
            cells.append(ImageCell(r, k, r1 - r + 1, k1 - k + 1,
                                  (int(round(xs[k])), int(round(ys[r])),
                                   int(round(xs[k1 + 1])), int(round(ys[r1 + 1])))))
    return Grid([int(round(x)) for x in xs], [int(round(y)) for y in ys], cells, list(hs), list(vs))


def free_rules(hsegs: list[Segment], vsegs: list[Segment], grids: list[Grid],
               dpi: int) -> tuple[list[Segment], list[Segment]]:
    """Long lines outside tables (the underlines of the letterhead, a separator): erased too."""
    used = {i for g in grids for i in g.sources} | {id(s) for g in grids for s in g.hsegs + g.vsegs}
    long = 15 * dpi / 25.4
    return ([s for s in hsegs if id(s) not in used and s.length >= long],
            [s for s in vsegs if id(s) not in used and s.length >= long])
