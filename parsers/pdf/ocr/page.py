"""OCR of one page image: ruled tables cell by cell, the rest of the page block by block.

1. Otsu threshold; a page whose text lines run vertically is turned by a quarter, one whose
   text reads upside down (marks below the lines) by a half turn; deskew (projection profile);
   ruling lines -> table grids (parsers.pdf.ocr.grid). The rules of the tables, long free lines
   (letterhead underlines) and isolated specks are erased.
2. Table cells are read one by one, short cells together on a synthetic line with context,
   repeated header rows reused, a row of column numbers ("(1) | (2) | …") given its numbers
   (parsers.pdf.ocr.cells).
3. The rest of the page (tables blanked out) is read block by block (parsers.pdf.ocr.image.
   text_regions: runs of full-width lines, and each column of a two-column letterhead or
   signature block on its own), each as one uniform block: Tesseract's own column analysis
   split or merged the bold capitals of the signature block ("CHỦ TỊCH" -> "CH TI" + "Ú TỊCH").
   The words keep their boxes, Tesseract's baseline and text size, for the layout code; the
   page number is dropped by its place (a number alone is the hardest thing to read).

The image given to Tesseract is squeezed horizontally by `X_SCALE` (see
parsers.pdf.ocr.tesseract.Engine.set_image): on a dev page 0.8 runs 18% fewer instructions with
the same words (word recall 0.997 vs 0.998 on three pages); 0.75 and 0.7 started to lose digits
of numbering cells and the bold capitals of the signature block.
"""
from __future__ import annotations

import dataclasses
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from parsers.pdf.ocr import tesseract
from parsers.pdf.ocr.grid import Grid, ImageCell, find_grids, find_rulings, free_rules, pool2, rule_mask
from parsers.pdf.ocr.image import estimate_skew, otsu_threshold, rotate, specks
from parsers.pdf.ocr.regions import text_regions, turned_sideways, upside_down
from parsers.pdf.ocr.cells import (
    X_SCALE,
    Crop,
    HeaderMemo,
    OcrCell,
    crop_cell,
    fix_column_numbers,
    read_cell,
    read_short_cells,
    reference_line,
)
from parsers.pdf.ocr.cleanup import fix_words_indexed, is_noise
from parsers.pdf.ruled import GridCell, PdfTable
from parsers.pdf.pages import Word
from parsers.model import ParserWarning
from schema.codes import Code


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


# --------------------------------------------------------------------------- page

def _to_words(raw: list[tesseract.OcrWord], scale: float) -> tuple[list[Word], list[float]]:
    """Tesseract words -> layout words in points; every word of a line gets the line's
    baseline and text size (the layout code groups and compares lines by them)."""
    by_line: dict[tuple[int, int, int], list[tesseract.OcrWord]] = {}
    for w in raw:
        by_line.setdefault((w.block, w.par, w.line), []).append(w)
    words: list[Word] = []
    confs: list[float] = []
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.left)
        baseline = statistics.median(w.baseline for w in line_words)
        sizes = [w.size for w in line_words if w.size > 0]
        size = float(statistics.median(sizes)) if sizes else 0.0
        fixed_pairs = [(text, line_words[i]) for text, i in fix_words_indexed([w.text for w in line_words])]
        for text, w in fixed_pairs:
            words.append(Word(text, w.left * scale, w.right * scale, w.top * scale,
                              max(w.bottom, baseline) * scale, baseline * scale, size))
            confs.append(w.conf)
    return words, confs


def _without_page_number(raw: list[tesseract.OcrWord], shape: tuple[int, int]) -> list[tesseract.OcrWord]:
    """Drop the page number: a short line alone on its row, centred, in the top or bottom tenth
    of the page.
    A number alone is the hardest thing to read ("11" -> "ñÌi"), so it is recognised by its
    place, not by its text (the text-layer rule in parsers.pdf.layout needs the digits)."""
    h, w = shape
    lines = tesseract.group_lines(raw)
    if not lines:
        return raw
    drop = set()
    for line in (min(lines, key=lambda ln: ln.top), max(lines, key=lambda ln: ln.bottom)):
        text = "".join(line.text.split())
        near_edge = line.bottom < 0.1 * h or line.top > 0.9 * h
        centred = abs((line.left + line.right) / 2 - w / 2) < 0.12 * w
        margin = (line.bottom - line.top) // 2
        alone = all(other is line or other.bottom < line.top - margin
                    or other.top > line.bottom + margin for other in lines)
        if near_edge and centred and alone and 0 < len(text) <= 7:
            drop.update(id(word) for word in line.words)
    return [word for word in raw if id(word) not in drop]


def _padded(boxes: list[tuple[int, int, int, int]], shape: tuple[int, int], pad: int
            ) -> list[tuple[int, int, int, int]]:
    """Boxes widened by `pad`, but never into the ink of another box (a cut-off bit of the
    line above makes the recogniser stumble on the first line of a block)."""
    h, w = shape
    out = []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        top, bottom, left, right = max(0, y0 - pad), min(h, y1 + pad), max(0, x0 - pad), min(w, x1 + pad)
        for j, (a0, b0, a1, b1) in enumerate(boxes):
            if i == j:
                continue
            if a0 < x1 and a1 > x0:                  # overlapping columns: above or below
                if b1 <= y0:
                    top = max(top, (b1 + y0) // 2)
                elif b0 >= y1:
                    bottom = min(bottom, (y1 + b0 + 1) // 2)
            if b0 < y1 and b1 > y0:                  # overlapping rows: left or right
                if a1 <= x0:
                    left = max(left, (a1 + x0) // 2)
                elif a0 >= x1:
                    right = min(right, (x1 + a0 + 1) // 2)
        out.append((left, top, right, bottom))
    return out


def _despeckle(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Specks found on the 2×2-pooled image (four times cheaper), back at full size."""
    found = specks(pool2(ink), dpi // 2)
    big = np.zeros_like(ink)
    ys, xs = np.nonzero(found)
    if len(ys) == 0:
        return big
    # Each pooled speck pixel stands for a 2×2 block (there are few: no full-size upsampling).
    for dy in (0, 1):
        for dx in (0, 1):
            big[2 * ys + dy, 2 * xs + dx] = True
    return big & ink


def ocr_image(gray: np.ndarray, dpi: int, number: int = 1, engine: tesseract.Engine | None = None,
              started: float | None = None, headers: HeaderMemo | None = None) -> OcrPage:
    """OCR one page image (grayscale uint8 array at `dpi`). `headers` (shared by the pages of a
    document read in order) lets a header row repeated from an earlier page be reused."""
    started = time.perf_counter() if started is None else started
    engine = engine or tesseract.engine()
    gray, ink, skew, (hsegs, vsegs, grids), warnings = _upright(gray, dpi, number)
    free_h, free_v = free_rules(hsegs, vsegs, grids, dpi)
    erase = rule_mask(ink.shape, ink, [s for g in grids for s in g.hsegs] + free_h,
                      [s for g in grids for s in g.vsegs] + free_v)
    erase |= _despeckle(ink & ~erase, dpi)
    clean = gray | (erase.view(np.uint8) * np.uint8(255))     # erased pixels white (fast)
    text_ink = ink & ~erase
    scale = 72.0 / dpi

    prose_ink = text_ink
    if grids:
        # The prose is what is left with the tables blanked out.
        prose_ink = text_ink.copy()
        pad = max(3, int(round(0.5 * dpi / 25.4)))
        h, w = text_ink.shape
        blanks = []
        for grid in grids:
            x0, y0, x1, y1 = grid.bbox
            box = (max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad))
            prose_ink[box[1]:box[3], box[0]:box[2]] = False
            blanks.append(box)
    has_prose = np.count_nonzero(prose_ink) >= max(30, int((0.5 * dpi / 25.4) ** 2))
    if grids or has_prose:
        engine.set_image(clean, dpi, X_SCALE)      # squeezed once for the cells and the prose

    # Tables, cell by cell (short cells are kept for one synthetic line, read last).
    results: dict[tuple[int, tuple[int, int]], OcrCell] = {}
    jobs: list[tuple[Grid, ImageCell, Crop | None]] = []
    shorts: list[tuple[int, Crop]] = []
    for grid in grids:
        for cell in grid.cells:
            jobs.append((grid, cell, crop_cell(text_ink, cell, dpi)))
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
            results[(id(grid), crop.key)] = read_cell(engine, crop, cell.box, dpi, text_ink)

    words: list[Word] = []
    confs_: list[float] = []
    if has_prose:
        if grids:
            engine.blank(blanks)
        words, confs_ = _read_prose(engine, prose_ink, clean, dpi, scale)

    if shorts:
        crops = [c for _, _, c in jobs if c is not None]
        ref = reference_line(text_ink, crops, dpi)
        read = read_short_cells(engine, clean, text_ink, [c for _, c in shorts], ref, dpi)
        for (grid_id, crop), result in zip(shorts, read):
            results[(grid_id, crop.key)] = result
    _fix_column_numbers(grids, results)
    if headers is not None:
        for grid, cell, crop in jobs:
            if crop is not None and cell.row == 0 and (id(grid), crop.key) in results:
                headers.remember(text_ink, grid, crop, results[(id(grid), crop.key)])
    tables = [_table(grid, results, number, scale) for grid in grids]
    h, w = gray.shape
    all_confs = confs_ + [c for t in tables for c in t.conf.values()]
    return OcrPage(number, w * scale, h * scale, words, confs_, tables, dpi, skew,
                   time.perf_counter() - started,
                   round(float(np.mean(all_confs)), 1) if all_confs else None, warnings)


def _upright(gray: np.ndarray, dpi: int, number: int):
    """The page image turned upright and deskewed: (gray, ink, skew, (horizontal rulings,
    vertical rulings, grids), warnings)."""
    threshold = otsu_threshold(gray)
    ink = gray < threshold
    warnings: list[str] = []
    turned = 0
    if turned_sideways(ink):
        # Text lines run vertically: a quarter turn (which one is settled below with the
        # upside-down test).
        gray, ink = np.ascontiguousarray(np.rot90(gray, 1)), np.ascontiguousarray(np.rot90(ink, 1))
        turned = 90
    skew = estimate_skew(ink)
    if skew:
        gray = rotate(gray, skew)
        ink = gray < threshold
    hsegs, vsegs = find_rulings(ink, dpi)
    grids = find_grids(hsegs, vsegs, dpi)
    rules = rule_mask(ink.shape, ink, [s for g in grids for s in g.hsegs],
                      [s for g in grids for s in g.vsegs]) if grids else None
    if upside_down(ink, grids, rules):
        gray, ink = np.ascontiguousarray(gray[::-1, ::-1]), np.ascontiguousarray(ink[::-1, ::-1])
        turned = (turned + 180) % 360
        hsegs, vsegs = find_rulings(ink, dpi)
        grids = find_grids(hsegs, vsegs, dpi)
    if turned:
        warnings.append(ParserWarning(Code.OCR_PAGE_TURNED, f"page {number} was read turned by {turned}°"))
    return gray, ink, skew, (hsegs, vsegs, grids), warnings


def _read_prose(engine: tesseract.Engine, prose_ink: np.ndarray, clean: np.ndarray, dpi: int,
                scale: float) -> tuple[list[Word], list[float]]:
    """Prose, block by block (full-width prose; each column of the letterhead / signature block
    on its own), each as one uniform block of text: Tesseract's own column analysis split or
    merged the bold capitals of the signature block ("CHỦ TỊCH" -> "CH TI" + "Ú TỊCH")."""
    raw = []
    regions = [box for box, _ in text_regions(prose_ink, dpi)]
    for index, box in enumerate(_padded(regions, clean.shape, int(round(2 * dpi / 25.4)))):
        for word in engine.recognise(box, psm=tesseract.PSM_SINGLE_BLOCK):
            if not is_noise(word):
                raw.append(dataclasses.replace(word, block=word.block + 1000 * index))
    return _to_words(_without_page_number(raw, clean.shape), scale)


def _fix_column_numbers(grids: list[Grid], results: dict[tuple[int, tuple[int, int]], OcrCell]) -> None:
    """The numbers of each table row read together (fix_column_numbers), in place."""
    for grid in grids:
        rows: dict[int, list[ImageCell]] = {}
        for gc in grid.cells:
            rows.setdefault(gc.row, []).append(gc)
        for row_cells in rows.values():
            row_cells.sort(key=lambda gc: gc.col)
            keys = [(id(grid), (gc.row, gc.col)) for gc in row_cells]
            fixed = fix_column_numbers([results.get(key) for key in keys])
            for key, result in zip(keys, fixed):
                if result is not None:
                    results[key] = result


def _table(grid: Grid, results: dict[tuple[int, tuple[int, int]], OcrCell], number: int,
           scale: float) -> OcrTable:
    """A grid and its cells' readings -> a table in PDF points."""
    cells: list[GridCell] = []
    confs: dict[tuple[int, int], float] = {}
    for gc in grid.cells:
        result = results.get((id(grid), (gc.row, gc.col)), OcrCell([], None))
        bx0, by0, bx1, by1 = gc.box
        cells.append(GridCell(gc.row, gc.col, gc.row_span, gc.col_span,
                              (bx0 * scale, by0 * scale, bx1 * scale, by1 * scale), result.lines))
        if result.conf is not None:
            confs[(gc.row, gc.col)] = result.conf
    xs = [x * scale for x in grid.xs]
    ys = [y * scale for y in grid.ys]
    return OcrTable(PdfTable(number, (xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells), confs)
