"""Ruled tables of a PDF page with a text layer: pdfplumber's edge -> intersection -> cell
algorithm run on our edges, and the words whose centre lies inside a table sent to its cells."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges

from parsers.pdf.pages import PageData, Word
from parsers.pdf.lines import join_wrapped, make_lines, unbreak_words


_MIN_EDGE = 3.0


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: tuple[float, float, float, float]
    lines: list[str] = field(default_factory=list)      # logical lines (wrapping undone)


@dataclass
class PdfTable:
    page: int
    bbox: tuple[float, float, float, float]
    xs: list[float]                  # column boundaries
    ys: list[float]                  # row boundaries
    cells: list[GridCell]
    borderless: bool = False         # recovered from word positions (parsers.pdf.borderless)

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def width(self) -> int:
        return len(self.xs) - 1

    def grid(self) -> list[list[tuple[GridCell, bool]]]:
        """Rows of (cell, merged_from_above), left to right; spanned columns appear once."""
        start: dict[tuple[int, int], GridCell] = {(c.row, c.col): c for c in self.cells}
        cover: dict[tuple[int, int], GridCell] = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    cover[(r, k)] = c
        rows = []
        for r in range(len(self.ys) - 1):
            row: list[tuple[GridCell, bool]] = []
            k = 0
            while k < self.width:
                cell = start.get((r, k)) or cover.get((r, k))
                if cell is None:
                    filler = GridCell(r, k, 1, 1, (self.xs[k], self.ys[r], self.xs[k + 1], self.ys[r + 1]))
                    row.append((filler, False))
                    k += 1
                    continue
                row.append((cell, cell.row != r))
                k = cell.col + cell.col_span if cell.col <= k else k + 1
            rows.append(row)
        return rows


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], value: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - value))


def has_rules(page: PageData) -> bool:
    h = sum(1 for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= 10)
    v = sum(1 for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= 5)
    return h >= 2 and v >= 2


def _intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber.table.intersections_to_cells with the edge sets of each intersection
    computed once (the original rebuilds them for every pair of points tested)."""
    def bbox(e):
        return (e["x0"], e["top"], e["x1"], e["bottom"])

    v_sets = {p: {bbox(e) for e in ix["v"]} for p, ix in intersections.items()}
    h_sets = {p: {bbox(e) for e in ix["h"]} for p, ix in intersections.items()}

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    points = sorted(intersections)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for p in points:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for pt in points:
        below = [q for q in by_x[pt[0]] if q > pt]
        right = [q for q in by_y[pt[1]] if q > pt]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def find_tables(page: PageData) -> list[PdfTable]:
    if not has_rules(page):
        return []
    edges = [e for e in page.edges
             if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 1]
    edges = merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3,
                        join_x_tolerance=3, join_y_tolerance=3)
    edges = [e for e in edges
             if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= _MIN_EDGE]
    intersections = edges_to_intersections(edges, 3, 3)
    cells = _intersections_to_cells(intersections)
    tables = []
    for boxes in cells_to_tables(cells):
        xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
        ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
        if len(xs) < 2 or len(ys) < 2:
            continue
        grid_cells = []
        for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
            r0, r1 = _index(ys, top), _index(ys, bottom)
            c0, c1 = _index(xs, x0), _index(xs, x1)
            if r1 <= r0 or c1 <= c0:
                continue
            grid_cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, (x0, top, x1, bottom)))
        bbox = (xs[0], ys[0], xs[-1], ys[-1])
        tables.append(PdfTable(page.number, bbox, xs, ys, grid_cells))
    return tables


def fill_tables(tables: list[PdfTable], words: list[Word]) -> list[Word]:
    """Put words into the cells of the tables that contain them; return the other words."""
    rest: list[Word] = []
    buckets: dict[tuple[int, int], list[Word]] = {}
    slots = [_slot_map(t) for t in tables]
    for w in words:
        xc, yc = w.xc, (w.top + w.baseline) / 2
        for t_index, t in enumerate(tables):
            x0, top, x1, bottom = t.bbox
            if x0 - 1 <= xc <= x1 + 1 and top - 1 <= yc <= bottom + 1:
                r = min(max(bisect_right(t.ys, yc) - 1, 0), len(t.ys) - 2)
                k = min(max(bisect_right(t.xs, xc) - 1, 0), len(t.xs) - 2)
                cell_index = slots[t_index].get((r, k))
                if cell_index is None:
                    # A hole in the grid (a border not drawn): a cell for that grid slot.
                    t.cells.append(GridCell(r, k, 1, 1, (t.xs[k], t.ys[r], t.xs[k + 1], t.ys[r + 1])))
                    cell_index = slots[t_index][(r, k)] = len(t.cells) - 1
                buckets.setdefault((t_index, cell_index), []).append(w)
                break
        else:
            rest.append(w)
    for (t_index, cell_index), cell_words in buckets.items():
        cell = tables[t_index].cells[cell_index]
        cell.lines = join_wrapped(unbreak_words(make_lines(cell_words), cell.bbox[2]))
    return rest


def _slot_map(table: PdfTable) -> dict[tuple[int, int], int]:
    """Grid slot (row, col) -> index of the cell covering it."""
    out: dict[tuple[int, int], int] = {}
    for i, c in enumerate(table.cells):
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                out.setdefault((r, k), i)
    return out
