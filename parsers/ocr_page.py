"""OCR of one page image: ruled tables cell by cell, the rest of the page as prose words.

1. Otsu threshold, deskew (projection profile), ruling lines -> table grids (parsers.ocr_image);
   the rules of the tables and long free lines (letterhead underlines) are erased, and so are
   isolated specks.
2. Every non-empty cell is cropped to its ink and read on its own rectangle of the page image
   (Tesseract "single block" mode). Measured on the dev scans, this is as fast as one OCR of
   the whole table (the LSTM cost is per character read) and it never mixes the text of two
   cells.
3. Short one-line cells ("1", "12.", "TT", "%", "Hồ sơ") are unreliable alone: with nothing
   around it, the recogniser cannot tell the size of the text, and reads "3" as "8" or "5."
   as "Bì". They are read together on one synthetic line, behind a line of ordinary text from
   the same page that gives the scale, each cut out again by position (116 numbering cells of
   the dev scans: 111 exact instead of 97).
4. The rest of the page (tables blanked out) is read with automatic page segmentation; its
   words keep their boxes, Tesseract's baseline and text size, for the layout code.

The image given to Tesseract is squeezed horizontally by `X_SCALE` (see
parsers.ocr_tesseract.Engine.set_image): measured on dev pages, 0.8 reads 20% faster with the
same words (word recall 0.997 vs 0.998), 0.65 loses 2.5% of the words.
"""
from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from parsers import ocr_image as oi
from parsers import ocr_tesseract as ot
from parsers.pdf_layout import GridCell, PdfTable, join_wrapped
from parsers.pdf_pages import Word

X_SCALE = 0.8

_MARKER_GLUED = re.compile(r"^((?:[IVX]{1,5}|\d{1,2})\.)(?=[^\W\d_])")
_GLUED_CAPS = re.compile(r"(?<=[^\W\d_]{2})(?=[^\W\d_]{2})")
_PUNCT_ONLY = re.compile(r"^[^\w]+$")
# Letters OCR reads instead of a list letter ("g)" -> "ø)").
_MARKER_LOOKALIKE = {"ø": "g", "Ø": "g", "ġ": "g", "ọ": "o", "ä": "a", "à": "a", "ê": "e", "è": "e",
                     "é": "e", "ï": "i", "ì": "i", "í": "i"}
_QUARTER = re.compile(r"^[\[\]|!lI1]{1,3}V?(?=$|/|[.,;:)]|\s)|^IV(?=$|/|[.,;:)])")


def fix_words(words: list[str]) -> list[str]:
    """Fix the OCR slips that matter downstream, on the words of one line:

    * 'I.MỤC ĐÍCH' -> 'I. MỤC ĐÍCH' (the narrow space after a numbering mark is lost);
    * 'ø) Mức độ' -> 'g) Mức độ' (a list letter read as a look-alike);
    * 'Phục vụHCC' -> 'Phục vụ HCC' (the space before an abbreviation in capitals is lost);
    * 'Quý [I/2026' -> 'Quý II/2026' (the roman quarter after "Quý": [ ] | ! l 1 for I);
    * 'Sÿ' -> 'Sỹ' (two dots over a vowel: a tilde).
    """
    out: list[str] = []
    for i, word in enumerate(words):
        if i == 0:
            marker = _MARKER_GLUED.match(word)
            if marker:
                out.append(marker.group(1))
                word = word[marker.end():]
            elif len(word) == 2 and word[1] == ")" and word[0] in _MARKER_LOOKALIKE:
                word = _MARKER_LOOKALIKE[word[0]] + ")"
        if out and out[-1].lower() in ("quý", "qúy") and _QUARTER.match(word):
            m = _QUARTER.match(word)
            numeral = "".join("I" if ch in "[]|!l1I" else ch for ch in m.group(0))
            if numeral in ("I", "II", "III", "IV") and not m.group(0).isdigit():
                word = numeral + word[m.end():]
        out.extend(fix_glued(word.translate(_DIAERESIS)).split(" "))
    return [w for w in out if w]


# Two dots over a vowel do not occur in Vietnamese: they are a tilde read badly.
_DIAERESIS = str.maketrans("ÿŸïÏëËäÄöÖüÜ", "ỹỸĩĨẽẼãÃõÕũŨ")


def fix_line(text: str) -> str:
    return " ".join(fix_words(text.split()))


def fix_glued(text: str) -> str:
    """'Phục vụHCC' -> 'Phục vụ HCC': the space lost between a lower-case word and an
    abbreviation in capitals (the squeezed image narrows the gap)."""
    def split(m: re.Match) -> str:
        i = m.start()
        upper = 0
        while i + upper < len(text) and text[i + upper].isalpha() and text[i + upper].isupper():
            upper += 1
        following = text[i + upper:i + upper + 1]
        if text[i - 2:i].islower() and upper >= 2 and not (following.isalpha() and following.islower()):
            return " "
        return ""
    return _GLUED_CAPS.sub(split, text)


def is_noise(w: ot.OcrWord) -> bool:
    """A speck or a stray bit of a rule read as punctuation, or a low-confidence scrap."""
    if _PUNCT_ONLY.match(w.text) and w.text not in ("-", "+", "–", "—", "*", "•", "(", ")", "%"):
        return w.conf < 60 or (len(w.text) == 1 and w.text in "'`.,‘’:;|!_~^\"")
    return w.conf < 25 and len(w.text) <= 2


@dataclass
class OcrCell:
    lines: list[str]
    conf: float | None


@dataclass
class OcrTable:
    table: PdfTable                        # cells' lines filled, coordinates in points
    conf: dict[tuple[int, int], float]     # (row, col) of a cell -> mean word confidence


@dataclass
class OcrPage:
    number: int
    width: float                           # points
    height: float
    words: list[Word]                      # prose words (outside tables), points
    confs: list[float]                     # confidence of each word in `words`
    tables: list[OcrTable]
    dpi: int
    skew: float
    seconds: float
    mean_conf: float | None = None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- cells

@dataclass
class _Crop:
    key: tuple[int, int]                   # (row, col) of the grid cell
    box: tuple[int, int, int, int]         # the text's bounding box, pixels
    short: bool


def _crop(text_ink: np.ndarray, cell: oi.GridCell, dpi: int) -> _Crop | None:
    """The ink of a cell (its rules and specks already removed), or None when it is empty."""
    x0, y0, x1, y1 = cell.box
    inset = max(2, int(round(0.3 * dpi / 25.4)))
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    region = text_ink[y0:y1, x0:x1]
    if int(region.sum()) < max(8, int((0.25 * dpi / 25.4) ** 2)):
        return None
    rows = np.nonzero(region.any(axis=1))[0]
    cols = np.nonzero(region.any(axis=0))[0]
    box = (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)
    height, width = box[3] - box[1], box[2] - box[0]
    mm = dpi / 25.4
    short = height <= 7 * mm and width <= 4 * height
    return _Crop((cell.row, cell.col), box, short)


def _read_cell(engine: ot.Engine, crop: _Crop, bounds: tuple[int, int, int, int],
               dpi: int) -> OcrCell:
    pad = max(4, int(round(1.0 * dpi / 25.4)))
    x0, y0, x1, y1 = crop.box
    bx0, by0, bx1, by1 = bounds
    box = (max(bx0, x0 - pad), max(by0, y0 - pad), min(bx1, x1 + pad), min(by1, y1 + pad))
    words = [w for w in engine.recognise(box, psm=ot.PSM_SINGLE_BLOCK) if not is_noise(w)]
    return _cell_result(words)


def _cell_result(words: list[ot.OcrWord]) -> OcrCell:
    if not words:
        return OcrCell([], None)
    lines = sorted(ot.group_lines(words), key=lambda ln: (ln.top + ln.bottom) / 2)
    texts = [fix_line(ln.text) for ln in lines]
    chars = sum(len(w.text) for w in words)
    conf = sum(w.conf * len(w.text) for w in words) / max(1, chars)
    return OcrCell(join_wrapped(texts), round(conf, 1))


def _reference(clean: np.ndarray, text_ink: np.ndarray, crops: list[_Crop], dpi: int
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


def _read_short(engine: ot.Engine, clean: np.ndarray, text_ink: np.ndarray, crops: list[_Crop],
                ref: tuple[int, int, int, int] | None, dpi: int, chunk: int = 24
                ) -> list[OcrCell]:
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
            out.append(_cell_result(mine))
    if chunk > 1:
        # The recogniser is sensitive to what stands next to a lone glyph: a reading that is
        # empty, unsure, or odd ("I1", "8i", "3⁄4") is read again on its own line, and the
        # better of the two kept.
        for i, (crop, cell) in enumerate(zip(crops, out)):
            if _doubtful(cell):
                again = _read_short(engine, clean, text_ink, [crop], ref, dpi, chunk=1)[0]
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
    def _key(text_ink: np.ndarray, grid: oi.Grid, crop: _Crop) -> tuple[int, int, np.ndarray]:
        x0, y0, x1, y1 = crop.box
        return x0 - grid.xs[0], y0 - grid.ys[0], text_ink[y0:y1, x0:x1]

    def find(self, text_ink: np.ndarray, grid: oi.Grid, crop: _Crop) -> OcrCell | None:
        dx, dy, ink = self._key(text_ink, grid, crop)
        total = int(ink.sum())
        for kx, ky, known, result in self.items:
            if abs(kx - dx) > 8 or abs(ky - dy) > 8:
                continue
            if abs(known.shape[0] - ink.shape[0]) > 3 or abs(known.shape[1] - ink.shape[1]) > 3:
                continue
            h = min(known.shape[0], ink.shape[0])
            w = min(known.shape[1], ink.shape[1])
            differ = int((known[:h, :w] ^ ink[:h, :w]).sum())
            if differ <= 0.15 * max(total, int(known.sum()), 1):
                return result
        return None

    def remember(self, text_ink: np.ndarray, grid: oi.Grid, crop: _Crop, result: OcrCell) -> None:
        if not result.lines:
            return
        dx, dy, ink = self._key(text_ink, grid, crop)
        self.items.insert(0, (dx, dy, ink.copy(), result))
        del self.items[self.size:]


# --------------------------------------------------------------------------- page

def _to_words(raw: list[ot.OcrWord], scale: float) -> tuple[list[Word], list[float]]:
    """Tesseract words -> layout words in points; every word of a line gets the line's
    baseline and text size (the layout code groups and compares lines by them)."""
    by_line: dict[tuple[int, int, int], list[ot.OcrWord]] = {}
    for w in raw:
        by_line.setdefault((w.block, w.par, w.line), []).append(w)
    words: list[Word] = []
    confs: list[float] = []
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.left)
        baseline = statistics.median(w.baseline for w in line_words)
        sizes = [w.size for w in line_words if w.size > 0]
        size = float(statistics.median(sizes)) if sizes else 0.0
        fixed = fix_words([w.text for w in line_words])
        if len(fixed) != len(line_words):
            # A word was split ("I.MỤC" -> "I." "MỤC"): the parts share the word's box.
            pieces = []
            for w in line_words:
                pieces += [(part, w) for part in fix_words([w.text]) or [w.text]]
            fixed_pairs = pieces
        else:
            fixed_pairs = list(zip(fixed, line_words))
        for text, w in fixed_pairs:
            words.append(Word(text, w.left * scale, w.right * scale, w.top * scale,
                              max(w.bottom, baseline) * scale, baseline * scale, size))
            confs.append(w.conf)
    return words, confs


def _despeckle(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Specks found on the 2×2-pooled image (four times cheaper), back at full size."""
    h, w = ink.shape
    small = ink[:h - h % 2, :w - w % 2]
    small = small[0::2, 0::2] | small[1::2, 0::2] | small[0::2, 1::2] | small[1::2, 1::2]
    found = oi.specks(small, dpi // 2)
    if not found.any():
        return np.zeros_like(ink)
    big = np.zeros_like(ink)
    big[:h - h % 2, :w - w % 2] = np.repeat(np.repeat(found, 2, axis=0), 2, axis=1)
    return big & ink


def ocr_image(gray: np.ndarray, dpi: int, number: int = 1, engine: ot.Engine | None = None,
              started: float | None = None, headers: HeaderMemo | None = None) -> OcrPage:
    """OCR one page image (grayscale uint8 array at `dpi`). `headers` (shared by the pages of a
    document read in order) lets a header row repeated from an earlier page be reused."""
    started = time.perf_counter() if started is None else started
    engine = engine or ot.engine()
    threshold = oi.otsu_threshold(gray)
    ink = gray < threshold
    warnings: list[str] = []
    turned = 0
    if oi.turned_sideways(ink):
        # Text lines run vertically: a quarter turn (which one is settled below with the
        # upside-down test).
        gray, ink = np.ascontiguousarray(np.rot90(gray, 1)), np.ascontiguousarray(np.rot90(ink, 1))
        turned = 90
    skew = oi.estimate_skew(ink)
    if skew:
        gray = oi.rotate(gray, skew)
        ink = gray < threshold
    hsegs, vsegs = oi.find_rulings(ink, dpi)
    grids = oi.find_grids(hsegs, vsegs, dpi)
    rules = oi.rule_mask(ink.shape, ink, [s for g in grids for s in g.hsegs],
                         [s for g in grids for s in g.vsegs]) if grids else None
    if oi.upside_down(ink, grids, rules):
        gray, ink = np.ascontiguousarray(gray[::-1, ::-1]), np.ascontiguousarray(ink[::-1, ::-1])
        turned = (turned + 180) % 360
        hsegs, vsegs = oi.find_rulings(ink, dpi)
        grids = oi.find_grids(hsegs, vsegs, dpi)
    if turned:
        warnings.append(f"OCR_PAGE_TURNED: page {number} was read turned by {turned}°")
    free_h, free_v = oi.free_rules(hsegs, vsegs, grids, dpi)
    erase = oi.rule_mask(ink.shape, ink, [s for g in grids for s in g.hsegs] + free_h,
                         [s for g in grids for s in g.vsegs] + free_v)
    erase |= _despeckle(ink & ~erase, dpi)
    clean = gray.copy()
    clean[erase] = 255
    text_ink = ink & ~erase
    scale = 72.0 / dpi

    tables: list[OcrTable] = []
    if grids:
        engine.set_image(clean, dpi, X_SCALE)
        jobs: list[tuple[oi.Grid, oi.GridCell, _Crop | None]] = []
        for grid in grids:
            for cell in grid.cells:
                jobs.append((grid, cell, _crop(text_ink, cell, dpi)))
        results: dict[tuple[int, tuple[int, int]], OcrCell] = {}
        shorts: list[tuple[int, _Crop]] = []
        for grid, cell, crop in jobs:
            if crop is None:
                continue
            if headers is not None and cell.row == 0:
                known = headers.find(text_ink, grid, crop)
                if known is not None:
                    results[(id(grid), crop.key)] = known
                    continue
            if crop.short:
                shorts.append((id(grid), crop))
            else:
                results[(id(grid), crop.key)] = _read_cell(engine, crop, cell.box, dpi)
        if shorts:
            crops = [c for _, _, c in jobs if c is not None]
            ref = _reference(clean, text_ink, crops, dpi)
            read = _read_short(engine, clean, text_ink, [c for _, c in shorts], ref, dpi)
            for (grid_id, crop), result in zip(shorts, read):
                results[(grid_id, crop.key)] = result
        if headers is not None:
            for grid, cell, crop in jobs:
                if crop is not None and cell.row == 0 and (id(grid), crop.key) in results:
                    headers.remember(text_ink, grid, crop, results[(id(grid), crop.key)])
        for grid in grids:
            cells: list[GridCell] = []
            confs: dict[tuple[int, int], float] = {}
            for gc in grid.cells:
                result = results.get((id(grid), (gc.row, gc.col)), OcrCell([], None))
                bx0, by0, bx1, by1 = gc.box
                cells.append(GridCell(gc.row, gc.col, gc.row_span, gc.col_span,
                                      (bx0 * scale, by0 * scale, bx1 * scale, by1 * scale),
                                      result.lines))
                if result.conf is not None:
                    confs[(gc.row, gc.col)] = result.conf
            xs = [x * scale for x in grid.xs]
            ys = [y * scale for y in grid.ys]
            tables.append(OcrTable(PdfTable(number, (xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells),
                                   confs))

    # Prose: the page with its tables blanked out.
    prose = clean
    if grids:
        prose = clean.copy()
        pad = max(3, int(round(0.5 * dpi / 25.4)))
        h, w = prose.shape
        for grid in grids:
            x0, y0, x1, y1 = grid.bbox
            ys, xs = slice(max(0, y0 - pad), min(h, y1 + pad)), slice(max(0, x0 - pad), min(w, x1 + pad))
            prose[ys, xs] = 255
            text_ink[ys, xs] = False
    words: list[Word] = []
    confs_: list[float] = []
    if int(text_ink.sum()) >= max(30, int((0.5 * dpi / 25.4) ** 2)):
        engine.set_image(prose, dpi, X_SCALE)
        # Automatic page segmentation only where two blocks stand side by side (letterhead,
        # signature): one uniform block elsewhere skips the column analysis (7% fewer
        # instructions on a page of prose) and reads the same words.
        psm = ot.PSM_AUTO if oi.has_columns(text_ink, dpi) else ot.PSM_SINGLE_BLOCK
        # Only the part of the page that has ink (the margins cost layout time for nothing).
        rows = np.nonzero(text_ink.any(axis=1))[0]
        cols = np.nonzero(text_ink.any(axis=0))[0]
        pad = int(round(3 * dpi / 25.4))
        box = (max(0, int(cols[0]) - pad), max(0, int(rows[0]) - pad),
               min(prose.shape[1], int(cols[-1]) + 1 + pad), min(prose.shape[0], int(rows[-1]) + 1 + pad))
        raw = [w for w in engine.recognise(box, psm=psm) if not is_noise(w)]
        words, confs_ = _to_words(raw, scale)
    h, w = gray.shape
    all_confs = confs_ + [c for t in tables for c in t.conf.values()]
    return OcrPage(number, w * scale, h * scale, words, confs_, tables, dpi, skew,
                   time.perf_counter() - started,
                   round(float(np.mean(all_confs)), 1) if all_confs else None, warnings)
