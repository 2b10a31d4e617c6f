"""OCR of ruled-table cells: each cell on its own rectangle; short one-line cells together on
a synthetic line with context; header rows repeated on the next page reused.

* A cell is cropped to its ink (rules and specks already erased) and read on its own rectangle
  of the page image ("single block"). Measured on the dev scans against one OCR of the whole
  table with the words placed into the cells by their boxes: as fast (the LSTM cost is per
  character), and much better (tasks.recall 1.0 against 0.46-0.62: the words of neighbouring
  cells run together on one line).
* Short one-line cells ("1", "12.", "TT", "%", "Hồ sơ") are unreliable alone: with nothing
  around it, the recogniser cannot tell the size of the text and reads "3" as "8" or "5." as
  "Bì". They are read together on one synthetic line, behind a line of ordinary text from the
  same page that gives the scale, each cut out again by position (116 numbering cells of the
  dev scans: 111 exact instead of 97); a doubtful reading is read again on its own line.
* `HeaderMemo`: a header row printed again on the next page (the same pixels) is not read again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from parsers import ocr_image as oi
from parsers import ocr_tesseract as ot
from parsers.ocr_grid import Grid, GridCell
from parsers.ocr_text import fix_line, is_noise
from parsers.pdf_layout import join_wrapped

X_SCALE = 0.8          # horizontal squeeze of the image given to Tesseract (see parsers.ocr_page)


@dataclass
class OcrCell:
    lines: list[str]
    conf: float | None


# --------------------------------------------------------------------------- cells

@dataclass
class Crop:
    key: tuple[int, int]                   # (row, col) of the grid cell
    box: tuple[int, int, int, int]         # the text's bounding box, pixels
    short: bool


def crop_cell(text_ink: np.ndarray, cell: GridCell, dpi: int) -> Crop | None:
    """The ink of a cell (its rules and specks already removed), or None when it is empty."""
    x0, y0, x1, y1 = cell.box
    inset = max(2, int(round(0.3 * dpi / 25.4)))
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    region = text_ink[y0:y1, x0:x1]
    if np.count_nonzero(region) < max(8, int((0.25 * dpi / 25.4) ** 2)):
        return None
    rows = np.nonzero(region.any(axis=1))[0]
    cols = np.nonzero(region.any(axis=0))[0]
    box = (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)
    height, width = box[3] - box[1], box[2] - box[0]
    mm = dpi / 25.4
    short = height <= 7 * mm and width <= 4 * height
    return Crop((cell.row, cell.col), box, short)


def read_cell(engine: ot.Engine, crop: Crop, bounds: tuple[int, int, int, int],
              dpi: int) -> OcrCell:
    """One cell on its own rectangle (its crop with a margin, inside the cell)."""
    pad = max(4, int(round(1.0 * dpi / 25.4)))
    x0, y0, x1, y1 = crop.box
    bx0, by0, bx1, by1 = bounds
    box = (max(bx0, x0 - pad), max(by0, y0 - pad), min(bx1, x1 + pad), min(by1, y1 + pad))
    words = [w for w in engine.recognise(box, psm=ot.PSM_SINGLE_BLOCK) if not is_noise(w)]
    return cell_result(words)


def cell_result(words: list[ot.OcrWord]) -> OcrCell:
    """Words of a cell -> its lines (top to bottom, wrapping undone, OCR slips fixed) and the
    mean word confidence weighted by length."""
    if not words:
        return OcrCell([], None)
    lines = sorted(ot.group_lines(words), key=lambda ln: (ln.top + ln.bottom) / 2)
    texts = [fix_line(ln.text) for ln in lines]
    chars = sum(len(w.text) for w in words)
    conf = sum(w.conf * len(w.text) for w in words) / max(1, chars)
    return OcrCell(join_wrapped(texts), round(conf, 1))


def reference_line(text_ink: np.ndarray, crops: list[Crop], dpi: int
                   ) -> tuple[int, int, int, int] | None:
    """A line of ordinary text from the page (the first line of the largest cell), to give
    short cells read on a synthetic line the scale of the text."""
    best = None
    for c in crops:
        if c.short:
            continue
        x0, y0, x1, y1 = c.box
        area = (x1 - x0) * (y1 - y0)
        if best is None or area > best[0]:
            best = (area, c.box)
    if best is None:
        return None
    x0, y0, x1, y1 = best[1]
    bands = oi.text_bands(text_ink[y0:y1, x0:x1], min_gap=max(2, int(round(0.3 * dpi / 25.4))))
    if not bands:
        return None
    heights = sorted(b - a for a, b in bands)
    typical = heights[len(heights) // 2]
    for a, b in bands:
        if 0.7 * typical <= b - a <= 1.4 * typical:
            ink = text_ink[y0 + a:y0 + b, x0:x1]
            cols = np.nonzero(ink.any(axis=0))[0]
            if len(cols) == 0:
                continue
            width = min(int(cols[-1]) + 1, 10 * (b - a))
            return (x0, y0 + a, x0 + width, y0 + b)
    return None


def read_short_cells(engine: ot.Engine, clean: np.ndarray, text_ink: np.ndarray,
                     crops: list[Crop], ref: tuple[int, int, int, int] | None, dpi: int,
                     chunk: int = 24) -> list[OcrCell]:
    """Short cells read together on synthetic lines, behind a reference line of text (results
    in the order of `crops`)."""
    out: list[OcrCell] = []
    for start in range(0, len(crops), chunk):
        part = crops[start:start + chunk]
        boxes = ([ref] if ref else []) + [c.box for c in part]
        pieces = []
        for x0, y0, x1, y1 in boxes:
            pixels = clean[y0:y1, x0:x1]
            base = oi.baseline_of(text_ink[y0:y1, x0:x1])
            pieces.append((pixels, base))
        above = max(b for _, b in pieces)
        below = max(p.shape[0] - b for p, b in pieces)
        tallest = max(p.shape[0] for p, _ in pieces)
        gap = max(int(round(4 * dpi / 25.4)), int(1.5 * tallest))
        border = gap // 2
        width = sum(p.shape[1] for p, _ in pieces) + gap * (len(pieces) - 1) + 2 * border
        canvas = np.full((above + below + 2 * border, width), 255, dtype=np.uint8)
        x = border
        spans = []
        for pixels, base in pieces:
            top = border + above - base
            canvas[top:top + pixels.shape[0], x:x + pixels.shape[1]] = pixels
            spans.append((x - gap // 2, x + pixels.shape[1] + gap // 2))
            x += pixels.shape[1] + gap
        engine.set_image(canvas, dpi, X_SCALE)
        words = [w for w in engine.recognise(psm=ot.PSM_SINGLE_LINE) if not is_noise(w)]
        item_spans = spans[1:] if ref else spans
        for crop, (a, b) in zip(part, item_spans):
            mine = [w for w in words if a <= (w.left + w.right) / 2 < b]
            out.append(cell_result(mine))
    if chunk > 1:
        # The recogniser is sensitive to what stands next to a lone glyph: a reading that is
        # empty, unsure, or odd ("I1", "8i", "3⁄4") is read again on its own line, and the
        # better of the two kept.
        for i, (crop, cell) in enumerate(zip(crops, out)):
            if _doubtful(cell):
                again = read_short_cells(engine, clean, text_ink, [crop], ref, dpi, chunk=1)[0]
                if again.lines and (_doubtful(cell) and not _doubtful(again)
                                    or (again.conf or 0) > (cell.conf or 0)):
                    out[i] = again
    return out


_SUSPICIOUS = re.compile(r"^(?=\S*\d)(?=\S*[^\W\d_])\S{2,4}$")
_ODD_CHAR = re.compile(r"[^\w\s.,;:()\[\]/%=*+\-–&'\"]")


def _doubtful(cell: OcrCell) -> bool:
    if not cell.lines or (cell.conf or 0) < 75:
        return True
    return any(_SUSPICIOUS.search(line) or _ODD_CHAR.search(line) for line in cell.lines)


class HeaderMemo:
    """The first-row cells read on earlier pages, to reuse when a table's header row is printed
    again on the next page (the same pixels within a few percent: the same text). Saves reading
    the header on every page of a long annex table (about 5% of a table page)."""

    def __init__(self, size: int = 40):
        self.size = size
        self.items: list[tuple[int, int, np.ndarray, OcrCell]] = []   # dx, dy, ink, result

    @staticmethod
    def _key(text_ink: np.ndarray, grid: Grid, crop: Crop) -> tuple[int, int, np.ndarray]:
        x0, y0, x1, y1 = crop.box
        return x0 - grid.xs[0], y0 - grid.ys[0], text_ink[y0:y1, x0:x1]

    def find(self, text_ink: np.ndarray, grid: Grid, crop: Crop) -> OcrCell | None:
        dx, dy, ink = self._key(text_ink, grid, crop)
        total = np.count_nonzero(ink)
        for kx, ky, known, result in self.items:
            if abs(kx - dx) > 8 or abs(ky - dy) > 8:
                continue
            if abs(known.shape[0] - ink.shape[0]) > 3 or abs(known.shape[1] - ink.shape[1]) > 3:
                continue
            h = min(known.shape[0], ink.shape[0])
            w = min(known.shape[1], ink.shape[1])
            differ = np.count_nonzero(known[:h, :w] ^ ink[:h, :w])
            if differ <= 0.15 * max(total, np.count_nonzero(known), 1):
                return result
        return None

    def remember(self, text_ink: np.ndarray, grid: Grid, crop: Crop, result: OcrCell) -> None:
        if not result.lines:
            return
        dx, dy, ink = self._key(text_ink, grid, crop)
        self.items.insert(0, (dx, dy, ink.copy(), result))
        del self.items[self.size:]
