"""Where the text of a page image is, and which way up: `turned_sideways` / `upside_down` (a
page scanned a quarter or a half turn off: text lines running vertically; marks below the
lines rather than above), and `text_regions`, the blocks to recognise one by one (each column
of a two-column letterhead or signature block on its own)."""
from __future__ import annotations

import numpy as np

from parsers.pdf.ocr.grid import Grid
from parsers.pdf.ocr.image import text_bands

# --------------------------------------------------------------------------- orientation

def _sharpness(profile: np.ndarray) -> float:
    """How peaked a row profile of ink (pixels per row) is (1 for evenly spread ink; text lines
    give 2-4)."""
    profile = profile.astype(np.float64)
    total = profile.sum()
    return float((profile ** 2).sum() * len(profile) / (total * total)) if total else 0.0


def turned_sideways(ink: np.ndarray) -> bool:
    """Whether the text lines run vertically (a page scanned turned by 90°): the column profile
    is much sharper than the row profile."""
    small = ink[::2, ::2]
    by_row = np.count_nonzero(small, axis=1)
    if by_row.sum() < 2000:
        return False
    rows, cols = _sharpness(by_row), _sharpness(np.count_nonzero(small, axis=0))
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
        profile = np.count_nonzero(ink[a:b], axis=1)
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


def _parts(counts: np.ndarray, gap: float, min_width: float, min_ink: float) -> list[tuple[int, int]]:
    """Runs of ink columns of a text line split at gaps of `gap` or more; parts narrower than
    `min_width` or with less ink than `min_ink` (specks, stray marks) are left out."""
    cols = np.nonzero(counts)[0]
    if len(cols) == 0:
        return []
    breaks = np.nonzero(np.diff(cols) >= gap)[0]
    starts = np.concatenate(([cols[0]], cols[breaks + 1]))
    ends = np.concatenate((cols[breaks], [cols[-1]]))
    return [(int(s), int(e) + 1) for s, e in zip(starts, ends)
            if e - s + 1 >= min_width and counts[s:e + 1].sum() >= min_ink]


def text_regions(ink: np.ndarray, dpi: int) -> list[tuple[tuple[int, int, int, int], bool]]:
    """Blocks of text to recognise one by one: (box, is_column). Runs of full-width lines form
    one block; where two blocks stand side by side (the letterhead, the signature block: parts
    of a line 12 mm or more apart, each at least 5 mm wide), the left and the right column are
    separate blocks, so that the recogniser never reads across the gutter nor mixes the lines
    of two columns with different spacing."""
    mm = dpi / 25.4
    bands = [(a, b) for a, b in text_bands(ink, min_gap=1) if b - a >= 3]
    if not bands:
        return []
    info = []
    for a, b in bands:
        counts = np.count_nonzero(ink[a:b], axis=0)
        parts = _parts(counts, 12 * mm, 5 * mm, 4 * mm * mm)
        cols = np.nonzero(counts)[0]
        info.append((a, b, parts, int(cols[0]), int(cols[-1]) + 1))
    n = len(info)
    gutter: list[tuple[int, int] | None] = [None] * n
    for i, (a, b, parts, x0, x1) in enumerate(info):
        if len(parts) >= 2:
            widest = max(range(len(parts) - 1), key=lambda k: parts[k + 1][0] - parts[k][1])
            gutter[i] = (parts[widest][1], parts[widest + 1][0])

    in_zone: list[tuple[int, int] | None] = [None] * n
    i = 0
    while i < n:
        if gutter[i] is None or in_zone[i] is not None:
            i += 1
            continue
        gl, gr = gutter[i]
        start = end = i
        while end + 1 < n:
            free = _narrowed(ink, info[end + 1], gl, gr, mm)
            if free is None:
                break
            gl, gr = free
            end += 1
        while start - 1 >= 0 and in_zone[start - 1] is None:
            free = _narrowed(ink, info[start - 1], gl, gr, mm)
            if free is None:
                break
            gl, gr = free
            start -= 1
        for k in range(start, end + 1):
            in_zone[k] = (gl, gr)
        i = end + 1
    return _regions(ink, info, in_zone)


def _narrowed(ink: np.ndarray, band: tuple, gl: int, gr: int, mm: float) -> tuple[int, int] | None:
    """The gutter (gl, gr) left free by a band: the widest ink-free stretch of it, or None
    when less than 6 mm is left (the line runs across: full-width prose)."""
    a, b = band[0], band[1]
    inside = ink[a:b, gl + 1:gr].any(axis=0)
    if not inside.any():
        return gl, gr
    runs = []
    start = None
    for k, busy in enumerate(inside):
        if not busy and start is None:
            start = k
        elif busy and start is not None:
            runs.append((start, k))
            start = None
    if start is not None:
        runs.append((start, len(inside)))
    if not runs:
        return None
    s, e = max(runs, key=lambda r: r[1] - r[0])
    if e - s < 6 * mm:
        return None
    return gl + 1 + s - 1, gl + 1 + e


def _regions(ink: np.ndarray, info: list[tuple], in_zone: list[tuple[int, int] | None]
             ) -> list[tuple[tuple[int, int, int, int], bool]]:
    """Runs of bands alike (full width, or in the same two-column zone) -> blocks."""
    n = len(info)
    regions: list[tuple[tuple[int, int, int, int], bool]] = []
    k = 0
    while k < n:
        j = k
        while j + 1 < n and (in_zone[j + 1] is None) == (in_zone[k] is None) and \
                (in_zone[k] is None or in_zone[j + 1] == in_zone[k]):
            j += 1
        a, b = info[k][0], info[j][1]
        x0 = min(info[m][3] for m in range(k, j + 1))
        x1 = max(info[m][4] for m in range(k, j + 1))
        if in_zone[k] is None:
            regions.append(((x0, a, x1, b), False))
        else:
            gl, gr = in_zone[k]
            left = ink[a:b, :gl + 1].any(axis=0)
            right = ink[a:b, gr:].any(axis=0)
            if left.any():
                regions.append(((x0, a, gl + 1, b), True))
            if right.any():
                regions.append(((gr, a, x1, b), True))
        k = j + 1
    return regions
