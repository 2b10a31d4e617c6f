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
* What the recogniser gets wrong on these short cells is checked against the ink of the crop:
  the dot of a numbering "1.1" (read "11" on most rows of a plan; `number_as_printed` puts
  back the dots the blobs show: a small blob on the baseline between two digits), a number
  with more or fewer digits than the crop has digit glyphs ("67" for a lone "7": read again on
  its own line), the I's of a roman numeral (`fix_roman_numerals`: "Quý II, III/2026" read
  "Quý II, II/2026", "HI" for "III", "IIIV" for "III,IV", a numbering "H" for "II": the
  stems are counted), and
  a row of column numbers under the header ("(1) | (2) | …") read "(D", "(2", "6)"
  (`fix_column_numbers`: each cell is given its number once the readable ones agree).
* A crop with two bands of ink (a short line and a speck under it) is not a short cell.
* `HeaderMemo`: a header row printed again on the next page (the same pixels) is not read again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from parsers.pdf.ocr import tesseract
from parsers.pdf.ocr.image import baseline_of, text_bands
from parsers.pdf.ocr.glyphs import fix_roman_numerals, number_as_printed, number_glyphs
from parsers.pdf.ocr.grid import Grid, ImageCell
from parsers.pdf.ocr.cleanup import fix_line, is_noise
from parsers.pdf.lines import glue_broken_numbers, join_wrapped

X_SCALE = 0.8          # horizontal squeeze of the image given to Tesseract (see parsers.pdf.ocr.page)


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


def crop_cell(text_ink: np.ndarray, cell: ImageCell, dpi: int) -> Crop | None:
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
    if short:
        # One line only: two bands of ink (two short lines, or a line and a speck under it)
        # read on one synthetic line lose a line ("Quý IV/2026" + a speck -> "Quý").
        ink = region[box[1] - y0:box[3] - y0, box[0] - x0:box[2] - x0]
        short = len(text_bands(ink, min_gap=max(2, int(round(0.6 * mm))))) == 1
    return Crop((cell.row, cell.col), box, short)


def read_cell(engine: tesseract.Engine, crop: Crop, bounds: tuple[int, int, int, int],
              dpi: int, text_ink: np.ndarray | None = None) -> OcrCell:
    """One cell on its own rectangle (its crop with a margin, inside the cell). With the page's
    `text_ink`, the roman numerals of a quarter are checked against their strokes."""
    pad = max(4, int(round(1.0 * dpi / 25.4)))
    x0, y0, x1, y1 = crop.box
    bx0, by0, bx1, by1 = bounds
    box = (max(bx0, x0 - pad), max(by0, y0 - pad), min(bx1, x1 + pad), min(by1, y1 + pad))
    words = [w for w in engine.recognise(box, psm=tesseract.PSM_SINGLE_BLOCK) if not is_noise(w)]
    if text_ink is not None:
        words = fix_roman_numerals(words, text_ink)
    return cell_result(words)


def cell_result(words: list[tesseract.OcrWord]) -> OcrCell:
    """Words of a cell -> its lines (top to bottom, wrapping undone, OCR slips fixed) and the
    mean word confidence weighted by length."""
    if not words:
        return OcrCell([], None)
    lines = sorted(tesseract.group_lines(words), key=lambda ln: (ln.top + ln.bottom) / 2)
    texts = [fix_line(ln.text) for ln in lines]
    chars = sum(len(w.text) for w in words)
    conf = sum(w.conf * len(w.text) for w in words) / max(1, chars)
    return OcrCell(join_wrapped(glue_broken_numbers(texts)), round(conf, 1))


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
    bands = text_bands(text_ink[y0:y1, x0:x1], min_gap=max(2, int(round(0.3 * dpi / 25.4))))
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
            if width < int(cols[-1]) + 1:
                # End in a gap between letters, not through one (a cut "Kế" is read "K(").
                blank = np.nonzero(~ink[:, :width].any(axis=0))[0]
                blank = blank[blank >= 4 * (b - a)]
                if len(blank):
                    width = int(blank[-1])
            return (x0, y0 + a, x0 + width, y0 + b)
    return None


def read_short_cells(engine: tesseract.Engine, clean: np.ndarray, text_ink: np.ndarray,
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
            base = baseline_of(text_ink[y0:y1, x0:x1])
            pieces.append((pixels, base))
        above = max(b for _, b in pieces)
        below = max(p.shape[0] - b for p, b in pieces)
        tallest = max(p.shape[0] for p, _ in pieces)
        gap = max(int(round(4 * dpi / 25.4)), int(1.5 * tallest))
        border = gap // 2
        width = sum(p.shape[1] for p, _ in pieces) + gap * (len(pieces) - 1) + 2 * border
        canvas = np.full((above + below + 2 * border, width), 255, dtype=np.uint8)
        canvas_ink = np.zeros(canvas.shape, dtype=bool)
        x = border
        spans = []
        for (pixels, base), (x0, y0, x1, y1) in zip(pieces, boxes):
            top = border + above - base
            canvas[top:top + pixels.shape[0], x:x + pixels.shape[1]] = pixels
            canvas_ink[top:top + pixels.shape[0], x:x + pixels.shape[1]] = text_ink[y0:y1, x0:x1]
            spans.append((x - gap // 2, x + pixels.shape[1] + gap // 2))
            x += pixels.shape[1] + gap
        engine.set_image(canvas, dpi, X_SCALE)
        words = [w for w in engine.recognise(psm=tesseract.PSM_SINGLE_LINE) if not is_noise(w)]
        item_spans = spans[1:] if ref else spans
        for crop, (a, b) in zip(part, item_spans):
            mine = [w for w in words if a <= (w.left + w.right) / 2 < b]
            out.append(cell_result(fix_roman_numerals(mine, canvas_ink, whole=True)))
    if chunk > 1:
        # The recogniser is sensitive to what stands next to a lone glyph: a reading that is
        # empty, unsure, or odd ("I1", "8i", "3⁄4") is read again on its own line, and the
        # better of the two kept.
        # A number with more or fewer digits than the image has digit glyphs ("67" for a lone
        # "7") is read again too, and the new reading kept only if its digits agree.
        for i, (crop, cell) in enumerate(zip(crops, out)):
            x0, y0, x1, y1 = crop.box
            ink = text_ink[y0:y1, x0:x1]
            miscounted = _digits_disagree(cell, ink)
            if _doubtful(cell) or miscounted:
                again = read_short_cells(engine, clean, text_ink, [crop], ref, dpi, chunk=1)[0]
                if miscounted:
                    if again.lines and _digit_count(again) is not None and not _digits_disagree(again, ink):
                        out[i] = again
                elif again.lines and (_doubtful(cell) and not _doubtful(again)
                                      or (again.conf or 0) > (cell.conf or 0)):
                    out[i] = again
        for i, (crop, cell) in enumerate(zip(crops, out)):
            if len(cell.lines) == 1:
                x0, y0, x1, y1 = crop.box
                number = number_as_printed(cell.lines[0], text_ink[y0:y1, x0:x1])
                if number is not None:
                    out[i] = OcrCell([number], cell.conf)
    return out


# --------------------------------------------------------------------------- numbers

_NUMERIC = re.compile(r"^\d+(?:[.,:;]\d+)*[.,:;]?$")


def _digit_count(cell: OcrCell) -> int | None:
    """Digits of a one-line numeric reading ("1.1" -> 2), else None."""
    if len(cell.lines) != 1 or not _NUMERIC.match(cell.lines[0].strip()):
        return None
    return sum(ch.isdigit() for ch in cell.lines[0])


def _digits_disagree(cell: OcrCell, ink: np.ndarray) -> bool:
    """A numeric reading with more or fewer digits than the crop has digit glyphs, every glyph
    plainly one digit ("67" read for a lone "7")."""
    count = _digit_count(cell)
    if count is None:
        return False
    tokens = number_glyphs(ink)
    if tokens is None or "W" in tokens:
        return False
    return tokens.count("D") != count


# --------------------------------------------------------------------------- column numbers

_COLUMN_NUMBER_PART = re.compile(r"^[(\[{]?(\d{1,2})[)\]}]?$")


def fix_column_numbers(row: list[OcrCell | None]) -> list[OcrCell | None]:
    """A row of column numbers under a header ("(1) | (2) | … | (7)") with some of them misread
    ("(D", "(2", "6)", "6®", "@)", an empty reading; on a synthetic line of short cells the
    recogniser reads a bracketed digit badly): when the cells that show a digit with a bracket
    ("(4)", "(2", "6)") agree, at least two of them and at least half, on k = place in the row +
    the same offset, and every other cell read is a short scrap with a bracket or a digit (or
    at most two characters), each cell is given its number. `row`: the results of the cells of
    one grid row, left to right (None: no ink)."""
    texts = [" ".join(c.lines).strip() if c is not None else None for c in row]
    if len(row) < 3:
        return row
    votes: dict[int, int] = {}
    for place, text in enumerate(texts):
        compact = (text or "").replace(" ", "")
        m = _COLUMN_NUMBER_PART.match(compact)
        if m and compact != m.group(1):          # a bracket at least: "12" alone is no vote
            offset = int(m.group(1)) - place
            votes[offset] = votes.get(offset, 0) + 1
    if not votes:
        return row
    offset, agree = max(votes.items(), key=lambda kv: (kv[1], -abs(kv[0] - 1)))
    if agree < 2 or agree < 0.5 * sum(votes.values()) or offset < 0:
        return row
    fixed = list(row)
    for place, (cell, text) in enumerate(zip(row, texts)):
        if cell is None:
            continue
        want = f"({place + offset})"
        if text == want:
            continue
        compact = (text or "").replace(" ", "")
        if len(compact) > 4 or not (len(compact) <= 2 or "(" in compact or ")" in compact) \
                or compact and not re.search(r"[()\[\]{}0-9]", compact):
            return row                      # a real text cell: not a row of column numbers
        fixed[place] = OcrCell([want], cell.conf)
    return fixed


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
