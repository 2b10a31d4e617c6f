"""Page images of a PDF or scan, and the cell boxes of each task row on them.

Cell boxes are not in the JSON (its provenance is page/table/row and must stay byte-identical),
so they are recomputed from the source at review time: each page holding tasks is rendered
once, its ruled table grid found with the OCR parser's ruling-line detector (parsers/pdf/ocr/grid.py,
no OCR needed), and the grid rows matched to the page's tasks — by the printed sequence
number read from the text layer when the PDF has one, otherwise (scans) bottom-aligned with
the tasks that start on the page (full-width section rows skipped; a row continued from the
previous page is the row above the first task).
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PIL import Image

from parsers.pdf.ocr.grid import Grid, ImageCell, find_grids, find_rulings
from parsers.pdf.ocr.image import estimate_skew, otsu_threshold, page_dpi, render_page, rotate

TEXT_PDF_DPI = 100          # enough for the ruling lines of a text PDF's page, and a readable image
DISPLAY_WIDTH_PX = 1100     # page images are scaled down to this width: ~100 dpi for A4 landscape
JPEG_QUALITY = 60           # ~60-120 KB a page: a 60-page plan's page stays light
MAX_SCAN_DPI = 300          # scans are read at their own resolution, capped (ruling detection)

Box = tuple[float, float, float, float]     # x0, y0, x1, y1 as fractions of the page image


@dataclass
class PageImage:
    number: int                   # 1-based page
    jpeg: bytes
    width: int
    height: int
    rows: list[list[Box]] = field(default_factory=list)   # grid rows (cell boxes), top to bottom
    full_width: list[bool] = field(default_factory=list)  # a row that is one cell (section row)
    seqs: list[str | None] = field(default_factory=list)  # first-column text (text layer), or None
    grid_of: list[int] = field(default_factory=list)      # which grid (top to bottom) each row is in


def _norm_seq(text: str | None) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def _grid_rows(grids: list[Grid], shape: tuple[int, int]
               ) -> tuple[list[list[Box]], list[bool], list[tuple], list[int]]:
    """Rows of every grid on the page, top to bottom: cell boxes (fractions), whether the row
    is a single spanning cell, the first cell's pixel box, and the grid's rank (top to bottom)."""
    h, w = shape
    rows: list[tuple[int, list[Box], bool, tuple, int]] = []
    for rank, grid in enumerate(sorted(grids, key=lambda g: g.bbox[1])):
        ncols = len(grid.xs) - 1
        by_row: dict[int, list[ImageCell]] = {}
        for cell in grid.cells:
            by_row.setdefault(cell.row, []).append(cell)
        for r, cells in sorted(by_row.items()):
            cells.sort(key=lambda c: c.col)
            boxes = [(c.box[0] / w, c.box[1] / h, c.box[2] / w, c.box[3] / h) for c in cells]
            spanning = len(cells) == 1 and cells[0].col_span >= ncols
            rows.append((cells[0].box[1], boxes, spanning, cells[0].box, rank))
    rows.sort(key=lambda item: item[0])
    return [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows]


def render(pdf_page, number: int, scanned: bool, display_width: int = DISPLAY_WIDTH_PX) -> PageImage:
    """The page as a small JPEG with its table rows (deskewed like the OCR reads scans)."""
    if scanned:
        dpi = min(MAX_SCAN_DPI, page_dpi(pdf_page))
        gray, dpi = render_page(pdf_page, dpi)
    else:
        gray, dpi = render_page(pdf_page, TEXT_PDF_DPI)
    threshold = otsu_threshold(gray)
    ink = gray < threshold
    skew = estimate_skew(ink) if scanned else 0.0
    if skew:
        gray = rotate(gray, skew)
        ink = gray < threshold
    hsegs, vsegs = find_rulings(ink, dpi)
    grids = find_grids(hsegs, vsegs, dpi)
    rows, spanning, first_cells, grid_of = _grid_rows(grids, gray.shape)
    seqs: list[str | None] = [None] * len(rows)
    if not scanned:
        textpage = pdf_page.get_textpage()
        _, height_pt = pdf_page.get_size()
        s = 72.0 / dpi
        seqs = [textpage.get_text_bounded(x0 * s, height_pt - y1 * s, x1 * s, height_pt - y0 * s)
                for (x0, y0, x1, y1) in first_cells]
    image = Image.fromarray(gray)
    if image.width > display_width:
        image = image.resize((display_width, round(image.height * display_width / image.width)),
                             Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return PageImage(number, buffer.getvalue(), image.width, image.height,
                     rows, spanning, seqs, grid_of)


@dataclass
class RowBoxes:
    page: int
    boxes: list[Box]


def match_rows(tasks: Sequence[Mapping], pages: Mapping[int, PageImage]) -> dict[int, list[RowBoxes]]:
    """task order -> the cell boxes of its row (one entry per page it is on)."""
    out: dict[int, list[RowBoxes]] = {}
    by_page: dict[int, list[Mapping]] = {}
    for t in tasks:
        page = t["provenance"].get("page")
        if page in pages:
            by_page.setdefault(page, []).append(t)
    for number, image in sorted(pages.items()):
        page_tasks = by_page.get(number, [])
        assigned: dict[int, int] = {}
        if page_tasks:
            assigned = (_by_seq(page_tasks, image) if any(s is not None for s in image.seqs) else None) \
                or _bottom_aligned(page_tasks, image)
        for order, r in assigned.items():
            out.setdefault(order, []).append(RowBoxes(number, image.rows[r]))
        # the row above the page's first task continues the previous page's last task
        first_row = min(assigned.values(), default=len(image.rows))
        previous = [t for t in tasks if (t["provenance"].get("page") or 0) < number
                    <= (t["provenance"].get("page_end") or 0)]
        candidates = [r for r in range(first_row) if not image.full_width[r]]
        if previous and candidates:
            out.setdefault(previous[-1]["order"], []).append(RowBoxes(number, image.rows[candidates[-1]]))
    return out


def _by_seq(page_tasks: Sequence[Mapping], image: PageImage) -> dict[int, int] | None:
    """Tasks matched to rows in order by their printed number; None when most do not match."""
    assigned: dict[int, int] = {}
    r = 0
    for t in page_tasks:
        want = _norm_seq(t["seq"])
        for k in range(r, len(image.rows)):
            if not image.full_width[k] and want and _norm_seq(image.seqs[k]) == want:
                assigned[t["order"]] = k
                r = k + 1
                break
    return assigned if len(assigned) * 2 >= len(page_tasks) else None


def _bottom_aligned(page_tasks: Sequence[Mapping], image: PageImage) -> dict[int, int]:
    """Without text: the tasks of each source table, bottom-aligned with the body rows (not
    full-width section rows) of its grid; the page's tables are its last grids in order (a grid
    above them holds only a row continued from the previous page)."""
    groups: dict[object, list[Mapping]] = {}
    for t in page_tasks:
        groups.setdefault(t["provenance"].get("table"), []).append(t)
    n_grids = max(image.grid_of, default=-1) + 1
    grid_ids: list[int | None]
    if len(groups) > n_grids:                    # tables the grid finder merged: the whole page
        groups, grid_ids = {None: list(page_tasks)}, [None]
    else:
        grid_ids = [*range(n_grids - len(groups), n_grids)]
    assigned: dict[int, int] = {}
    for tasks, grid in zip(groups.values(), grid_ids):
        body = [r for r in range(len(image.rows)) if not image.full_width[r]
                and (grid is None or image.grid_of[r] == grid)]
        if len(body) >= len(tasks):
            assigned |= {t["order"]: r for t, r in zip(tasks, body[len(body) - len(tasks):])}
    return assigned
