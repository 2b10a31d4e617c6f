"""Page images for OCR: rendering, binarisation, deskew and ruled-table grids (numpy + Pillow).

* `render_page` renders a PDF page with PDFium at the resolution of the scan it holds (the
  embedded image's own pixels: upsampling a 200 dpi scan to 300 dpi made Tesseract slower and
  no more accurate), or at `FALLBACK_DPI` for pages without an image covering the page.
* `binarise` / `otsu_threshold`: global Otsu threshold (ink is darker).
* `estimate_skew`: the angle whose row histogram of ink is sharpest (projection profile, text
  lines and ruling lines horizontal), ±3°, to 0.025°; `rotate` undoes it.
* `find_rulings` / `find_grids`: ruled tables from their ruling lines: horizontal / vertical
  runs of ink longer than a few millimetres (a morphological opening with a line-shaped
  element, computed exactly from run lengths on a 2×2-pooled image), grouped into segments,
  connected into tables where they cross, and cut into grid cells; a cell whose border is
  missing on one side spans into its neighbour (col_span / row_span).
* `rule_mask`: the pixels of the ruling lines to erase before OCR (only lines that belong to
  a table or are long, so that the bars of a bold "TT" are never taken for a rule).
* `specks`: isolated specks of dust (no other ink within ~1 mm).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

FALLBACK_DPI = 300
MIN_DPI, MAX_DPI = 200, 400


# --------------------------------------------------------------------------- rendering

def page_dpi(page, default: int = FALLBACK_DPI) -> int:
    """Resolution to render a page at: that of the scanned image covering it, else `default`
    (scans below 200 dpi are upsampled to `default`, above 400 dpi read at 400)."""
    try:
        import pypdfium2.raw as pdfium_c
        width_pt, height_pt = page.get_size()
        best = None
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
            px_w, px_h = obj.get_px_size()
            bounds = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
            left, bottom, right, top = bounds
            w_in, h_in = (right - left) / 72.0, (top - bottom) / 72.0
            if w_in <= 0 or h_in <= 0 or px_w <= 0 or px_h <= 0:
                continue
            # Only an image covering most of the page is "the scan".
            if (right - left) * (top - bottom) < 0.5 * width_pt * height_pt:
                continue
            dpi = math.sqrt(px_w * px_h / (w_in * h_in))     # the same when the image is turned
            best = dpi if best is None else max(best, dpi)
        if best is None:
            return default
        dpi = int(round(best))
        if dpi < MIN_DPI:
            return default
        return min(dpi, MAX_DPI)
    except Exception:      # odd page objects: render at the default resolution
        return default


def render_page(page, dpi: int | None = None) -> tuple[np.ndarray, int]:
    """(grayscale uint8 array, dpi) of a pypdfium2 page."""
    if dpi is None:
        dpi = page_dpi(page)
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    image = bitmap.to_pil().convert("L")
    return np.asarray(image, dtype=np.uint8).copy(), dpi


# --------------------------------------------------------------------------- binarisation

def otsu_threshold(gray: np.ndarray) -> int:
    """Otsu's threshold of a grayscale image (ink is darker than the threshold)."""
    hist = np.bincount(gray[::2, ::2].ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    weight_bg = np.cumsum(hist)
    weight_fg = total - weight_bg
    cum_mean = np.cumsum(hist * levels)
    mean_all = cum_mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_bg = cum_mean / weight_bg
        mean_fg = (mean_all - cum_mean) / weight_fg
        between = weight_bg * weight_fg * (mean_bg - mean_fg) ** 2
    between = np.nan_to_num(between)
    t = int(np.argmax(between))
    # A blank page (all paper) has no meaningful split: keep a conservative level.
    return min(max(t, 60), 200)


def binarise(gray: np.ndarray) -> np.ndarray:
    """Boolean ink mask."""
    return gray < otsu_threshold(gray)


# --------------------------------------------------------------------------- deskew

def _profile_score(ys: np.ndarray, xs: np.ndarray, angle_deg: float) -> float:
    rows = np.rint(ys - xs * math.tan(math.radians(angle_deg))).astype(np.int64)
    rows -= rows.min()
    hist = np.bincount(rows).astype(np.float64)
    return float(np.dot(hist, hist))


def estimate_skew(ink: np.ndarray, max_angle: float = 3.0) -> float:
    """Skew angle in degrees (positive: lines run down to the right), by projection profile."""
    small = ink[::2, ::2]
    ys, xs = np.nonzero(small)
    if len(ys) < 500:
        return 0.0
    if len(ys) > 200_000:                    # very dense page: a sample is enough
        keep = np.random.default_rng(0).choice(len(ys), 200_000, replace=False)
        ys, xs = ys[keep], xs[keep]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64)
    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.25)
    scores = [_profile_score(ys, xs, a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.025)
    scores = [_profile_score(ys, xs, a) for a in fine]
    best = float(fine[int(np.argmax(scores))])
    return round(best, 3) if abs(best) >= 0.05 else 0.0


def rotate(gray: np.ndarray, angle_deg: float) -> np.ndarray:
    """Rotate so that lines running down to the right by `angle_deg` become horizontal.
    Nearest-neighbour: five times faster than bilinear and as good for OCR at these angles."""
    if not angle_deg:
        return gray
    image = Image.fromarray(gray)
    out = image.rotate(angle_deg, resample=Image.Resampling.NEAREST, expand=False, fillcolor=255)
    return np.asarray(out, dtype=np.uint8).copy()


# --------------------------------------------------------------------------- ruling lines

def _long_runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    """Pixels of `mask` lying in horizontal runs of at least `min_len` (row-wise opening)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(d == 1)
    rows_e, cols_e = np.nonzero(d == -1)
    # starts and ends come in the same (row-major) order
    keep = (cols_e - cols_s) >= min_len
    out = np.zeros((h, w + 1), dtype=np.int16)
    np.add.at(out, (rows_s[keep], cols_s[keep]), 1)
    np.add.at(out, (rows_e[keep], cols_e[keep]), -1)
    return np.cumsum(out, axis=1)[:, :w] > 0


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
    counts = lines.sum(axis=1)
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


def _pool2(ink: np.ndarray) -> np.ndarray:
    """2×2 OR-pooling (a thin line survives, at half the resolution)."""
    h, w = ink.shape
    a = ink[:h - h % 2, :w - w % 2]
    return a[0::2, 0::2] | a[1::2, 0::2] | a[0::2, 1::2] | a[1::2, 1::2]


def find_rulings(ink: np.ndarray, dpi: int) -> tuple[list[Segment], list[Segment]]:
    """(horizontal segments, vertical segments) of the ruling lines of a page."""
    factor = 2 if dpi >= 150 else 1
    small = _pool2(ink) if factor == 2 else ink
    mm = dpi / 25.4 / factor
    h_min = max(12, int(round(6 * mm)))
    v_min = max(10, int(round(4.5 * mm)))
    # Tolerate a residual tilt: a line drawn over two pixel rows still gives one long run.
    ink_h = small.copy()
    ink_h[:-1] |= small[1:]
    h_lines = _long_runs(ink_h, h_min)
    ink_v = small.copy()
    ink_v[:, :-1] |= small[:, 1:]
    v_lines = _long_runs(ink_v.T, v_min)
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
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]          # x0, y0, x1, y1 in pixels (on the rules)


@dataclass
class Grid:
    xs: list[int]                            # column boundaries (pixels)
    ys: list[int]                            # row boundaries
    cells: list[GridCell] = field(default_factory=list)
    hsegs: list[Segment] = field(default_factory=list)
    vsegs: list[Segment] = field(default_factory=list)

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
    """Ruled tables: connected sets of crossing horizontal and vertical segments."""
    if len(hsegs) < 2 or len(vsegs) < 2:
        return []
    mm = dpi / 25.4
    tol = max(4.0, 1.5 * mm)
    n_h = len(hsegs)
    parent = list(range(n_h + len(vsegs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    crossings = [0] * (n_h + len(vsegs))
    for i, h in enumerate(hsegs):
        for j, v in enumerate(vsegs):
            if h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol:
                a, b = find(i), find(n_h + j)
                if a != b:
                    parent[a] = b
                crossings[i] += 1
                crossings[n_h + j] += 1
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hsegs):
        if crossings[i]:
            groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vsegs):
        # A vertical line must reach a horizontal line at both ends (a cell border); a bracket
        # or a tall letter touching one rule does not count.
        if crossings[n_h + j] >= 2:
            groups.setdefault(find(n_h + j), ([], []))[1].append(v)
    grids = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _build_grid(hs, vs, tol)
        if grid is not None:
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
    cells: list[GridCell] = []
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
            cells.append(GridCell(r, k, r1 - r + 1, k1 - k + 1,
                                  (int(round(xs[k])), int(round(ys[r])),
                                   int(round(xs[k1 + 1])), int(round(ys[r1 + 1])))))
    return Grid([int(round(x)) for x in xs], [int(round(y)) for y in ys], cells, list(hs), list(vs))


def free_rules(hsegs: list[Segment], vsegs: list[Segment], grids: list[Grid],
               dpi: int) -> tuple[list[Segment], list[Segment]]:
    """Long lines outside tables (the underlines of the letterhead, a separator): erased too."""
    used = {id(s) for g in grids for s in g.hsegs + g.vsegs}
    long = 15 * dpi / 25.4
    return ([s for s in hsegs if id(s) not in used and s.length >= long],
            [s for s in vsegs if id(s) not in used and s.length >= long])


# --------------------------------------------------------------------------- specks

def _box_sum(ink: np.ndarray, r: int) -> np.ndarray:
    """Number of ink pixels in the (2r+1)² window around every pixel (integral image)."""
    h, w = ink.shape
    k = 2 * r + 1
    integral = np.zeros((h + k, w + k), dtype=np.int32)
    integral[r + 1:r + 1 + h, r + 1:r + 1 + w] = ink
    np.cumsum(integral, axis=0, out=integral)
    np.cumsum(integral, axis=1, out=integral)
    return (integral[k:k + h, k:k + w] - integral[:h, k:k + w]
            - integral[k:k + h, :w] + integral[:h, :w])


def specks(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Isolated specks of dust / noise: ink pixels with only a few ink pixels in a window of
    about 2.5 mm around them (a diacritic dot or a full stop always has its letters close by)."""
    r = max(4, int(round(1.2 * dpi / 25.4)))
    limit = max(6, int(round((0.5 * dpi / 25.4) ** 2)))
    return ink & (_box_sum(ink, r) <= limit)


def text_bands(ink: np.ndarray, min_gap: int = 2) -> list[tuple[int, int]]:
    """Horizontal bands of ink (text lines) of a region: (first row, last row + 1)."""
    profile = ink.sum(axis=1)
    rows = np.nonzero(profile)[0]
    if len(rows) == 0:
        return []
    bands = []
    start = prev = int(rows[0])
    for r in rows[1:]:
        r = int(r)
        if r - prev > min_gap:
            bands.append((start, prev + 1))
            start = r
        prev = r
    bands.append((start, prev + 1))
    return bands


def baseline_of(ink: np.ndarray) -> int:
    """Row of the baseline of a one-line region: the last row of its dense band (descenders
    and dots below are sparse)."""
    profile = ink.sum(axis=1)
    if not profile.any():
        return ink.shape[0]
    dense = np.nonzero(profile >= 0.3 * profile.max())[0]
    return int(dense[-1]) + 1


# --------------------------------------------------------------------------- orientation

def _sharpness(ink: np.ndarray) -> float:
    """How peaked the row profile of the ink is (1 for evenly spread ink; text lines give 2-4)."""
    profile = ink.sum(axis=1).astype(np.float64)
    total = profile.sum()
    return float((profile ** 2).sum() * len(profile) / (total * total)) if total else 0.0


def turned_sideways(ink: np.ndarray) -> bool:
    """Whether the text lines run vertically (a page scanned turned by 90°): the column profile
    is much sharper than the row profile."""
    small = ink[::2, ::2]
    if small.sum() < 2000:
        return False
    rows, cols = _sharpness(small), _sharpness(small.T)
    return cols > 1.3 * rows and cols > 1.8


def up_down(ink: np.ndarray) -> tuple[float, float, int]:
    """(ink above the x-height band, ink below the baseline, number of text lines) of a region
    of text: upright Vietnamese has two to three times more above (ascenders, tone marks) than
    below; upside down, the other way round."""
    up = down = 0.0
    lines = 0
    for a, b in text_bands(ink, min_gap=1):
        if b - a < 8:
            continue
        profile = ink[a:b].sum(axis=1)
        dense = np.nonzero(profile >= 0.5 * profile.max())[0]
        up += float(profile[:dense[0]].sum())
        down += float(profile[dense[-1] + 1:].sum())
        lines += 1
    return up, down, lines


def upside_down(ink: np.ndarray, grids: list[Grid], rules: np.ndarray | None = None) -> bool:
    """Whether a deskewed page is upside down, judged line by line on its prose and inside its
    table cells (lines of cells side by side must not be mixed)."""
    prose = ink.copy()
    for g in grids:
        x0, y0, x1, y1 = g.bbox
        prose[max(0, y0 - 3):y1 + 4, max(0, x0 - 3):x1 + 4] = False
    up, down, lines = up_down(prose)
    text = ink if rules is None else ink & ~rules
    for g in grids:
        for cell in g.cells[:80]:
            x0, y0, x1, y1 = cell.box
            u, d, n = up_down(text[y0 + 3:y1 - 2, x0 + 3:x1 - 2])
            up, down, lines = up + u, down + d, lines + n
    if lines < 6 or up + down == 0:
        return False
    return up < 0.6 * down


def has_columns(ink: np.ndarray, dpi: int) -> bool:
    """Whether some text line of a region holds two blocks side by side (the letterhead, the
    signature block): parts at least 5 mm wide, 12 mm or more apart. Justified prose and
    centred titles never have them; specks and stray marks are too small to count."""
    small = _pool2(ink)
    mm = dpi / 25.4 / 2
    for a, b in text_bands(small, min_gap=1):
        if b - a < 3:
            continue
        counts = small[a:b].sum(axis=0)
        cols = np.nonzero(counts)[0]
        if len(cols) < 2:
            continue
        breaks = np.nonzero(np.diff(cols) >= 12 * mm)[0]
        if len(breaks) == 0:
            continue
        starts = np.concatenate(([cols[0]], cols[breaks + 1]))
        ends = np.concatenate((cols[breaks], [cols[-1]]))
        parts = sum(1 for s, e in zip(starts, ends)
                    if e - s + 1 >= 5 * mm and counts[s:e + 1].sum() >= 4 * mm * mm)
        if parts >= 2:
            return True
    return False
