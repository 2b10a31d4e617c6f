"""Page images for OCR (numpy + Pillow): rendering, binarisation, deskew, specks and text
bands (orientation and the text blocks of a page: parsers.pdf.ocr.regions).

* `render_page` reads a PDF page at the resolution of the scan it holds (the embedded JPEG
  decoded directly when the page is nothing else, else rendered by PDFium); upsampling a
  200 dpi scan to 300 dpi made Tesseract slower and no more accurate. Pages without a scan
  are rendered at `FALLBACK_DPI`.
* `binarise` / `otsu_threshold`: global Otsu threshold (ink is darker).
* `estimate_skew`: the angle whose row histogram of ink is sharpest (projection profile), ±3°
  to 0.025°; `rotate` undoes it.
* `specks`: isolated specks of dust (no other ink within ~1 mm; a compact speck up to 1 mm
  across with no other ink within 2 mm).
* `baseline_of`: the baseline of a short cell, for the synthetic line (a "7" or "T" ends on
  it, although only its bar is dense).
* `text_bands`: the lines of text of a crop.

Ruled tables are found in parsers.pdf.ocr.grid.
"""
from __future__ import annotations

import math

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


def _scan_pixels(page, dpi: int) -> np.ndarray | None:
    """The page's scan decoded directly (twice as fast as rendering it), when the page is
    nothing but one upright JPEG in gray or RGB covering it at `dpi`; else None."""
    try:
        import io

        import pypdfium2.raw as pdfium_c
        if page.get_rotation() % 360:
            return None
        objects = list(page.get_objects(max_depth=2))
        if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return None
        image = objects[0]
        if list(image.get_filters()) != ["DCTDecode"]:
            return None
        a, b, c, d, e, f = image.get_matrix().get()
        width_pt, height_pt = page.get_size()
        if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0 or abs(e) > 1 or abs(f) > 1 \
                or abs(a - width_pt) > 1 or abs(d - height_pt) > 1:
            return None
        meta = image.get_metadata()
        if meta.colorspace not in (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB):
            return None
        decoded = Image.open(io.BytesIO(bytes(image.get_data(decode_simple=False))))
        if decoded.mode not in ("L", "RGB"):
            return None
        expected = (round(width_pt * dpi / 72.0), round(height_pt * dpi / 72.0))
        if abs(decoded.size[0] - expected[0]) > 2 or abs(decoded.size[1] - expected[1]) > 2:
            return None
        return np.array(decoded if decoded.mode == "L" else decoded.convert("L"), dtype=np.uint8)
    except Exception:      # anything unusual: render instead
        return None


def render_page(page, dpi: int | None = None) -> tuple[np.ndarray, int]:
    """(grayscale uint8 array, dpi) of a pypdfium2 page."""
    if dpi is None:
        dpi = page_dpi(page)
        pixels = _scan_pixels(page, dpi)
        if pixels is not None:
            return pixels, dpi
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    image = bitmap.to_pil().convert("L")
    return np.asarray(image, dtype=np.uint8).copy(), dpi


# --------------------------------------------------------------------------- binarisation

def otsu_threshold(gray: np.ndarray) -> int:
    """Otsu's threshold of a grayscale image (ink is darker than the threshold)."""
    # Pillow's histogram of the 2×2-subsampled image: the same counts as np.bincount, without
    # widening every pixel to a 64-bit index first.
    sample = np.ascontiguousarray(gray[::2, ::2], dtype=np.uint8)
    hist = np.array(Image.fromarray(sample).histogram(), dtype=np.float64)
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

def _profile_score(ys: np.ndarray, xs: np.ndarray, angle_deg: float) -> int:
    rows = np.rint(ys - xs * math.tan(math.radians(angle_deg))).astype(np.int64)
    rows -= rows.min()
    hist = np.bincount(rows)
    # Integer dot product: exact, and no BLAS call (whose worker threads spin on another CPU).
    return int(np.dot(hist, hist))


def estimate_skew(ink: np.ndarray, max_angle: float = 3.0) -> float:
    """Skew angle in degrees (positive: lines run down to the right), by projection profile."""
    small = ink[::2, ::2]
    ys, xs = np.nonzero(small)
    if len(ys) < 500:
        return 0.0
    if len(ys) > 100_000:                    # a dense page: a sample is enough
        every = len(ys) // 100_000 + 1
        ys, xs = ys[::every], xs[::every]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64)
    best = 0.0
    for step, span in ((0.5, max_angle), (0.1, 0.5), (0.025, 0.1)):
        angles = np.arange(best - span, best + span + 1e-9, step)
        angles = angles[np.abs(angles) <= max_angle + 1e-9]
        scores = [_profile_score(ys, xs, a) for a in angles]
        best = float(angles[int(np.argmax(scores))])
    return round(best, 3) if abs(best) >= 0.05 else 0.0


def rotate(gray: np.ndarray, angle_deg: float) -> np.ndarray:
    """Rotate so that lines running down to the right by `angle_deg` become horizontal.
    Nearest-neighbour: five times faster than bilinear and as good for OCR at these angles."""
    if not angle_deg:
        return gray
    image = Image.fromarray(gray)
    out = image.rotate(angle_deg, resample=Image.Resampling.NEAREST, expand=False, fillcolor=255)
    return np.asarray(out, dtype=np.uint8).copy()


# --------------------------------------------------------------------------- specks

def _run_sums(a: np.ndarray, k: int, axis: int) -> np.ndarray:
    """out[i] = sum of a[i : i + k] along `axis`, for every window inside `a`: windows of
    1, 2, 4, ... pixels added up by doubling (a few whole-array additions, no cumulative sum)."""
    n = a.shape[axis]

    def part(arr: np.ndarray, start: int, stop: int) -> np.ndarray:
        return arr[start:stop] if axis == 0 else arr[:, start:stop]

    out: np.ndarray | None = None
    offset, span, width, rest, sums = 0, 1, n, k, a
    while True:
        if rest & 1:
            piece = part(sums, offset, offset + n - k + 1)
            if out is None:
                out = piece.copy()
            else:
                out += piece
            offset += span
        rest >>= 1
        if not rest:
            return out
        sums = part(sums, 0, width - span) + part(sums, span, width)
        width -= span
        span *= 2


def _box_sum(ink: np.ndarray, r: int) -> np.ndarray:
    """Number of ink pixels in the (2r+1)² window around every pixel (outside the image: no
    ink). Separable window sums in the narrowest integer type that holds the count."""
    h, w = ink.shape
    k = 2 * r + 1
    dtype = np.uint8 if k * k <= 255 else np.uint16 if k * k <= 65535 else np.int64
    padded = np.zeros((h + 2 * r, w + 2 * r), dtype=dtype)
    padded[r:r + h, r:r + w] = ink
    return _run_sums(_run_sums(padded, k, 0), k, 1)


def specks(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Isolated specks of dust / noise: ink pixels with only a few ink pixels in a window of
    about 2.5 mm around them (a diacritic dot or a full stop always has its letters close by).

    Two sizes: anything up to ~0.25 mm² alone in its window; and a compact blob up to 1 mm
    across (a square dust speck of 0.6-1 mm, which the recogniser reads as "." or ".." and
    which stretched a cell's crop to a second line: "Quý IV/2026" read "Quý", "Thường xuyên"
    read "Thường .. xuyên") with no other ink within 2 mm. A blob that is not compact (a lone
    "-" in a cell, about 1.8 × 0.4 mm) is kept."""
    r = max(4, int(round(1.2 * dpi / 25.4)))
    limit = max(6, int(round((0.5 * dpi / 25.4) ** 2)))
    sums = _box_sum(ink, r)
    found = ink & (sums <= limit)
    big = max(limit + 1, int(round((1.0 * dpi / 25.4) ** 2)))
    candidates = ink & (sums <= big) & ~found
    if candidates.any():
        found |= _compact_isolated(ink, candidates, max(r, int(round(2.0 * dpi / 25.4))),
                                   max(2, int(round(1.0 * dpi / 25.4))))
    return found


def _compact_isolated(ink: np.ndarray, candidates: np.ndarray, r: int, max_side: int
                      ) -> np.ndarray:
    """Connected blobs of `candidates` (8-neighbours) that are compact (at most `max_side`
    pixels across, neither side under 0.6 of the other: a dash, 4-5 × 2 pooled pixels, is not)
    and alone: no other ink within `r` pixels of their box (2 mm: a full stop after a closing
    quote, 1.5 mm below it, is not alone). Candidates are few (pixels with a sparse
    neighbourhood), so the blobs are labelled in Python."""
    out = np.zeros_like(ink)
    ys, xs = np.nonzero(candidates)
    if len(ys) > 50000:             # a page of noise: leave it to the small-speck test
        return out
    index = {(int(y), int(x)): i for i, (y, x) in enumerate(zip(ys, xs))}
    parent = list(range(len(ys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (y, x), i in index.items():
        for dy, dx in ((0, -1), (-1, -1), (-1, 0), (-1, 1)):
            j = index.get((y + dy, x + dx))
            if j is not None:
                a, b = root(i), root(j)
                if a != b:
                    parent[a] = b
    boxes: dict[int, list[int]] = {}
    for (y, x), i in index.items():
        box = boxes.setdefault(root(i), [y, x, y, x, 0])
        box[0], box[1] = min(box[0], y), min(box[1], x)
        box[2], box[3] = max(box[2], y), max(box[3], x)
        box[4] += 1
    h, w = ink.shape
    for y0, x0, y1, x1, count in boxes.values():
        bh, bw = y1 - y0 + 1, x1 - x0 + 1
        if max(bh, bw) > max_side or min(bh, bw) < 0.6 * max(bh, bw):
            continue
        around = ink[max(0, y0 - r):min(h, y1 + r + 1), max(0, x0 - r):min(w, x1 + r + 1)]
        if np.count_nonzero(around) == count:
            out[y0:y1 + 1, x0:x1 + 1] = ink[y0:y1 + 1, x0:x1 + 1]
    return out


def text_bands(ink: np.ndarray, min_gap: int = 2) -> list[tuple[int, int]]:
    """Horizontal bands of ink (text lines) of a region: (first row, last row + 1)."""
    profile = np.count_nonzero(ink, axis=1)
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
    profile = np.count_nonzero(ink, axis=1)
    if not profile.any():
        return ink.shape[0]
    dense = np.nonzero(profile >= 0.3 * profile.max())[0]
    rows = np.nonzero(profile)[0]
    if dense[-1] - rows[0] < 0.45 * (rows[-1] - rows[0] + 1):
        # Only the top is dense: a glyph hanging from a bar ("7", "T", "TT"), not a line with
        # descenders (whose dense band runs from the x-height to the baseline): its ink ends
        # on the baseline. (Set on the dense band's foot, a "7" hung below the synthetic line
        # and was read as "„" or not at all.)
        return int(rows[-1]) + 1
    return int(dense[-1]) + 1
