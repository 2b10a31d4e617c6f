"""Tables of a web crawl of a legal-document site: every cell's text on its own line(s),
cells separated by a line holding only `|`, a row opened and closed by such a line (so two
of them stand between rows), bold as `**…**`.

The grammar is exact but for one ambiguity: between two `|` lines with nothing between them
is either an empty cell or a row boundary. The header row (its labels are never empty) gives
the width; a gap ends a row when the row is full, or when it holds one cell (a section row
merged across the table); otherwise the gap is an empty cell.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from normalize.text import ROMAN_NUMERAL
from parsers.model import Cell, Paragraph, Provenance, Row, Table

SEPARATOR = "|"
# A table of fewer columns is a letterhead or signature block laid out as a table: its cells
# are read as paragraphs, as the DOCX reader does with borderless layout tables.
MIN_TABLE_COLUMNS = 3
_BULLET = re.compile(r"^(?:[-+•▪●*]|\u2212)\s")


@dataclass(frozen=True)
class CrawlTable:
    first_line: int      # 0-based indexes into the lines given, end exclusive
    end_line: int
    blocks: list[Paragraph | Table]


def is_separator(line: str) -> bool:
    return line.strip() == SEPARATOR


def has_crawl_tables(lines: list[str]) -> bool:
    """Two consecutive separator lines somewhere: a row boundary only this style writes."""
    return any(is_separator(a) and is_separator(b) for a, b in zip(lines, lines[1:]))


def _table_end(lines: list[str], start: int) -> int:
    """End (exclusive) of the table opening at `start`: after the last separator line that is
    followed by a blank line, end of text, or a line that is not part of a cell run."""
    i = start
    last_sep = start
    while i < len(lines):
        if is_separator(lines[i]):
            last_sep = i
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if not nxt.strip():
                break
        i += 1
    return last_sep + 1


def _cell_paragraphs(raw: list[str]) -> list[str]:
    """A cell's source lines as its paragraphs: a bullet starts one, other lines continue the
    previous one (the site wraps long lines at arbitrary places)."""
    out: list[str] = []
    for line in raw:
        text = line.strip()
        if not text:
            continue
        if not out or _BULLET.match(text):
            out.append(text)
        else:
            out[-1] = f"{out[-1]} {text}"
    return out


def _runs(lines: list[str], start: int, end: int) -> list[tuple[int, list[str]] | None]:
    """The table's cells in order: (first line, raw lines) for a text run, None for a gap
    (two separators with nothing between)."""
    runs: list[tuple[int, list[str]] | None] = []
    i = start + 1           # the opening separator
    while i < end:
        if is_separator(lines[i]):
            runs.append(None)
            i += 1
            continue
        j = i
        while j < end and not is_separator(lines[j]):
            j += 1
        runs.append((i, lines[i:j]))
        i = j + 1            # the separator closing the cell
    return runs


_ROW_START = re.compile(rf"^\**\s*(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?|{ROMAN_NUMERAL}\.?|[A-ZĐ]\.|\(\d{{1,2}}\))\s*\**$")


def _is_row_number(text: str) -> bool:
    """A row number ("1", "1.2", "II", "A.", "(1)"): what the first cell of a row holds."""
    return bool(text) and bool(_ROW_START.match(text.strip()))


def _starts_row(run: tuple[int, list[str]] | None) -> bool:
    return run is not None and len(run[1]) == 1 and _is_row_number(run[1][0])


def _width(runs: list[tuple[int, list[str]] | None]) -> int:
    """Cells of a full row: those before the first gap (the header's labels are never empty),
    or more when the table numbers its columns "(1) (2) …" on a row of their own, or when
    its body rows are wider (a header of several rows merges its labels over columns): a
    numbered row ends where the next begins, after one gap for the boundary."""
    first = next((k for k, run in enumerate(runs) if run is None), len(runs))
    numbered = sum(1 for run in runs if run is not None and len(run[1]) == 1
                   and re.fullmatch(r"\(\d{1,2}\)", run[1][0].strip()))
    starts = [k for k, run in enumerate(runs) if _starts_row(run)]
    body = [b - a - 1 for a, b in zip(starts, starts[1:]) if _one_row(runs[a:b])]
    return max([first, numbered] + body)


def _one_row(span: list[tuple[int, list[str]] | None]) -> bool:
    """A numbered row up to the next: one gap at its end, no two gaps together, no bold title
    (a section row) inside."""
    return span[-1] is None and all(not (a is None and b is None) for a, b in zip(span, span[1:])) \
        and not any(run is not None and run[1][0].strip().startswith("**") for run in span)


def _resolve_gaps(cells: int, gaps: int, width: int, following: tuple[int, list[str]] | None,
                  body_row: bool) -> tuple[int, bool]:
    """(empty cells ending the current row, whether a row boundary follows them) for `gaps`
    consecutive empty separators after a row holding `cells` cells."""
    if cells >= width:
        return 0, True
    if _starts_row(following):
        return min(gaps - 1, width - cells), True
    if cells == 1 and gaps == 1:
        return 0, True            # a section title merged across the table
    if cells + gaps + (following is not None) > width:
        # more gaps than the row has room for: a body row is filled up, a header row (its
        # labels merged over columns) ends, and the next row opens with empty cells
        return (min(gaps - 1, width - cells) if body_row else 0), True
    return gaps, False


def parse_crawl_table(lines: list[str], start: int, first_line_no: int, table_index: int,
                      cell_lines: Callable[[str], tuple[str, ...]]) -> CrawlTable:
    """The table opening at lines[start]; `first_line_no` is the 1-based number of lines[0],
    `cell_lines` cleans one paragraph of a cell (markdown, HTML residue)."""
    end = _table_end(lines, start)
    runs = _runs(lines, start, end - 1)
    width = _width(runs)
    rows_cells: list[list[tuple[int, list[str]]]] = [[]]
    between: list[int] = []          # gaps between row r and row r + 1
    k = 0
    while k < len(runs):
        run = runs[k]
        if run is not None:
            rows_cells[-1].append(run)
            k += 1
            continue
        gaps = 0
        while k < len(runs) and runs[k] is None:
            gaps, k = gaps + 1, k + 1
        following = runs[k] if k < len(runs) else None
        row = rows_cells[-1]
        trailing, boundary = _resolve_gaps(len(row), gaps, width, following,
                                           bool(row) and _starts_row(row[0]))
        rows_cells[-1].extend([(-1, [])] * trailing)
        if boundary:
            between.append(gaps)
            rows_cells.append([(-1, [])] * (gaps - trailing - 1))
    _place_header_rows(rows_cells, between, width)
    rows_cells = [r for r in rows_cells if r]
    if not rows_cells or max(len(r) for r in rows_cells) < MIN_TABLE_COLUMNS:
        return CrawlTable(start, end, _layout_paragraphs(rows_cells, first_line_no, cell_lines))
    table = Table(rows=[], provenance=Provenance(line=first_line_no + start, table=table_index))
    width = max(len(r) for r in rows_cells)
    for cells_raw in rows_cells:
        cells: list[Cell] = []
        numbered = [n for n, _ in cells_raw if n >= 0]
        for line, raw in cells_raw:
            paragraphs = [t for p in _cell_paragraphs(raw) for t in cell_lines(p)]
            where = Provenance(line=first_line_no + line, line_end=first_line_no + line + len(raw) - 1) \
                if line >= 0 else Provenance()
            cells.append(Cell(paragraphs, where))
        if 1 < len(cells) < width and _is_row_number(cells[0].text):
            cells[-1].col_span = width - len(cells) + 1   # a title merged to the right ("I | Cải cách …")
        elif len(cells) == 1:
            cells[0].col_span = width
        first = first_line_no + min(numbered) if numbered else None
        table.rows.append(Row(cells=cells, provenance=Provenance(
            line=first, table=table_index, row=len(table.rows))))
    table.provenance.line_end = first_line_no + end - 1
    _header_spans(table.rows, width)
    return CrawlTable(start, end, [table])


def _place_header_rows(rows: list[list[tuple[int, list[str]]]], between: list[int], width: int) -> None:
    """Empty cells of a header of several rows put back where they stand. Between two header
    rows the gaps are the upper row's trailing empties, the boundary and the lower row's
    leading ones; the lowest header row is full width and the row after it starts at the
    first column, so the split is worked out from the bottom up."""
    labels = [[c for c in row if c[0] >= 0] for row in rows]
    body = next((r for r, found in enumerate(labels) if len(found) == 1 or found and _starts_row(found[0])), None)
    if body is None or body < 2 or len(between) < body:
        return
    placed = {body: rows[body][rows[body].index(labels[body][0]):]}      # the row after starts at column 0
    trailing = between[body - 1] - 1
    for r in range(body - 1, 0, -1):
        leading = width - len(labels[r]) - trailing if r == body - 1 else between[r - 1] - 1
        if leading < 0:
            return
        placed[r] = [(-1, [])] * leading + labels[r] + [(-1, [])] * trailing
        trailing = between[r - 1] - 1 - leading        # the upper row's trailing empties
        if trailing < 0:
            return
    placed[0] = labels[0] + [(-1, [])] * trailing
    for r, row in placed.items():
        rows[r] = row


def _header_spans(rows: list[Row], width: int) -> None:
    """Spans of a header of several rows, which the crawl does not write: a label over several
    columns stands above the labels of the row below it, a label over one column above an
    empty cell (the rest of its vertical merge). Worked out from the lowest header row up."""
    count = next((k for k, row in enumerate(rows) if _is_row_number(row.cells[0].text)), 0)
    for r in range(count - 2, -1, -1):
        upper, lower = rows[r], rows[r + 1]
        below: list[bool] = []            # per grid column of the lower row: labelled?
        for cell in lower.cells:
            below.extend([bool(cell.text)] * max(1, cell.col_span))
        if len(below) != width or len(upper.cells) >= width:
            continue
        groups: list[list[int]] = []      # grid columns under each upper cell
        for col, labelled in enumerate(below):
            if labelled and groups and below[groups[-1][-1]] and groups[-1][-1] == col - 1:
                groups[-1].append(col)
            else:
                groups.append([col])
        while len(groups) < len(upper.cells):     # two labels over neighbouring runs
            longest = max(range(len(groups)), key=lambda g: len(groups[g]))
            run = groups[longest]
            if len(run) < 4 or not below[run[0]]:
                break
            groups[longest:longest + 1] = [run[:len(run) // 2], run[len(run) // 2:]]
        if len(groups) != len(upper.cells):
            continue
        for cell, group in zip(upper.cells, groups):
            cell.col_span = len(group)
        for cell in lower.cells:
            if not cell.text:
                cell.merged_from_above = True


def _layout_paragraphs(rows: list[list[tuple[int, list[str]]]], first_line_no: int,
                       cell_lines: Callable[[str], tuple[str, ...]]) -> list[Paragraph | Table]:
    out: list[Paragraph | Table] = []
    for row in rows:
        for line, raw in row:
            for offset, text in enumerate(raw):
                for cleaned in cell_lines(text):
                    bold = text.strip().startswith("**")
                    out.append(Paragraph(cleaned, Provenance(line=first_line_no + line + offset), bold=bold))
    return out
