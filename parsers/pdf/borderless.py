"""Task tables printed without ruling lines (or with too few to make a grid), recovered from
word positions. parsers.pdf calls `with_borderless` for every page on which the ruled-table
path (parsers.pdf.layout) found no table, or only tables of one row or one column.

* Header: a band of up to seven tightly spaced lines (bold, or set off from the text above)
  whose phrases, merged when they overlap horizontally from line to line, name the columns
  of a task table in the parsers.plan.columns vocabulary (TT / Nội dung … / Sản phẩm … / Cơ quan
  chủ trì / … phối hợp / Thời gian …: a content column and two of lead, deadline, products,
  coordinating, the test parsers.plan.structure applies) or of a statistics form. A header cell
  over two columns ("Thời gian" over "Bắt đầu | Hoàn thành", centred or flush left) gives a
  second header row, as a ruled table has.
* Columns: one per header column; the boundary between two neighbours is the middle of the
  widest x-interval between their header texts that the fewest body words cover (the
  whitespace gutter between the columns' text).
* Body: every word goes to the column its centre falls in. A phrase that runs over a gutter
  with ordinary word spacing ("I. Cải cách thể chế") is a section row spanning the table.
  Rows are anchored on the numbers of the TT column; the cut between two numbered rows is
  chosen by dynamic programming over the gaps between lines, so that the cells of every row
  are all top-aligned or all vertically centred (whichever fits the page better), preferring
  wider gaps. Printed horizontal rules are hard row boundaries. Without a TT column a row
  ends at every clear vertical gap.
* Extent: the body ends at a large vertical gap, at a line of running text over the columns
  ("Ghi chú: …"), at an annex title ("Phụ lục 02"), or where the next table's header (and
  the title lines just above it) starts; a page can hold several tables.
* Pages: a table that reaches the bottom of a page goes on on the next page with the same
  columns, with or without a repeated header; text above the first number of that page
  becomes a row without TT number, which parsers.pdf merges into the row it continues.

The result is a PdfTable like the ruled path makes (column bounds xs, row bounds ys, cells
with their logical lines; `borderless` set), so page stitching in parsers.pdf and
parsers.plan.structure treat both alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.pdf.layout import drop_page_number
from parsers.pdf.lines import Line, make_lines
from parsers.pdf.ruled import PdfTable
from parsers.pdf.borderless_settings import SETTINGS
from parsers.pdf.pages import PageData
from parsers.pdf.borderless_header import find_header, Header
from parsers.pdf.borderless_rows import (ANCHOR, Layout, body_rows, body_size, col_of, column_bounds, crossings,
                                         is_prose, region_end, to_table)


@dataclass
class PageResult:
    lines: list[Line]                    # prose lines left on the page
    tables: list[PdfTable]
    carry: Layout | None                 # the layout goes on on the next page


def _same_layout(layout: Layout, header: Header) -> bool:
    if len(header.columns) != len(layout.xs) - 1:
        return False
    cols = [col_of(layout.xs, (c.x0 + c.x1) / 2) for c in header.columns]
    return cols == list(range(len(header.columns)))


def _new_layout(lines: list[Line], header: Header, limit: int, page_size: tuple[int, int]) -> Layout:
    h_end = header.end
    size = body_size(lines[h_end:min(limit, h_end + 20)] or lines[h_end - 1:h_end])
    end = region_end(lines, h_end, limit, size)
    body = [w for ln in lines[h_end:end] for w in ln.words]
    xs = column_bounds(header.columns, body)
    roles = header.roles
    seq = next((k for k, r in enumerate(roles) if r == "seq"), None)
    if seq is None and roles[0] is None:
        first_col = [w for w in body if w.xc < xs[1]]
        if first_col and sum(bool(ANCHOR.match(w.text)) for w in first_col) >= SETTINGS.seq_column_share * len(first_col):
            seq = 0
    return Layout(xs, seq, size, page_size)


_ANNEX_TITLE = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)


def _is_annex_title(line: Line, layout: Layout) -> bool:
    """"Phụ lục 02 …" starting in the first column: the title of the next annex."""
    return bool(_ANNEX_TITLE.match(line.text)) and line.x0 < layout.xs[1]


def _heading(line: Line, layout: Layout) -> bool:
    """A heading line between two tables ("Phụ lục số 02: …"): bigger or smaller type than
    the table body, or text running over a column gutter."""
    return abs(line.size - layout.size) >= 1.0 or bool(crossings(line.words, layout.xs, layout.size))


def borderless_tables(page: PageData, lines: list[Line], carry: Layout | None) -> PageResult:
    """Borderless tables of one page (`lines`: the page's lines without page number), given
    the layout of a table that ran to the bottom of the previous page. Returns the lines
    left for prose, the tables, and the layout to carry over to the next page."""
    page_size = (round(page.width), round(page.height))
    if carry is not None and carry.page_size != page_size:
        carry = None
    original = lines
    lines = _readmit_numbers(page, lines)
    rest: list[Line] = []
    tables: list[PdfTable] = []
    out_carry: Layout | None = None
    pos = 0
    while pos < len(lines):
        found = find_header(lines, pos)
        header: Header | None = None
        if carry is not None and pos == 0 and (found is None or found.start > 0) and _continues(lines, carry):
            layout, h_start, start, leading = carry, 0, 0, True
            limit = found.start if found is not None else len(lines)
        elif found is not None:
            header, h_start, start = found, found.start, found.end
            following = find_header(lines, start)
            limit = following.start if following is not None else len(lines)
            if carry is not None and h_start == 0 and _same_layout(carry, header):
                layout, leading = carry, True
            else:
                layout, leading = _new_layout(lines, header, limit, page_size), False
        else:
            break
        end = region_end(lines, start, limit, layout.size)
        for k in range(start, end):
            line = lines[k]
            if (is_prose(line, layout.xs) or _is_annex_title(line, layout)
                    or (abs(line.size - layout.size) >= 1.0 and _heading(line, layout))):
                end = k
                break
        if end == limit < len(lines):
            while end > start and _heading(lines[end - 1], layout):
                end -= 1          # the title of the next table
        body = [w for ln in lines[start:end] for w in ln.words]
        if header is None and not body:
            carry = None          # not a continuation after all (a title, then a new table)
            continue
        rows = body_rows(page, body, layout, leading) if body else []
        rest.extend(lines[pos:h_start])
        tables.append(to_table(page.number, layout, header, rows))
        pos = max(end, start)
        out_carry = layout if pos >= len(lines) else None
        carry = None
    if not tables:
        return PageResult(original, [], None)
    rest.extend(lines[pos:])
    kept = {id(ln) for ln in original}
    rest = [ln for ln in rest if id(ln) in kept]      # a lone number that is no cell text
    return PageResult(rest, tables, out_carry)


def insufficient(tables: list[PdfTable]) -> bool:
    """Ruled tables that cannot be the grid of a task table: only one row or one column
    (a frame, column rules only, or rules drawn for part of the table)."""
    return bool(tables) and all(t.width < 2 or len(t.ys) < 3 for t in tables)


def with_borderless(page: PageData, lines: list[Line], tables: list[PdfTable],
                    carry: Layout | None) -> tuple[list[Line], list[PdfTable], Layout | None]:
    """A page as parsers.pdf.layout.read_page read it, with borderless tables looked for when
    it found no ruled table, or only ruled tables too poor to be a task table (then a
    borderless table found replaces them). Returns (prose lines, tables, layout carried to
    the next page)."""
    if not page.words or (tables and not insufficient(tables)):
        return lines, tables, None
    base = drop_page_number(make_lines(page.words), page) if tables else lines
    found = borderless_tables(page, base, carry)
    if not found.tables:
        return lines, tables, None
    return found.lines, found.tables, found.carry


def _readmit_numbers(page: PageData, lines: list[Line]) -> list[Line]:
    """The page's lines with the lines taken for page numbers put back when they sit right
    against other text (a number ending a table cell at the foot of the page, "…/202" "6")."""
    full = make_lines(page.words)
    if len(full) == len(lines):
        return lines
    kept = {id(w) for ln in lines for w in ln.words}
    out = list(lines)
    for k, line in enumerate(full):
        if all(id(w) in kept for w in line.words):
            continue
        near = [other for other in full[max(0, k - 1):k] + full[k + 1:k + 2]]
        if any(abs(line.top - o.bottom) < SETTINGS.near_line_gap * line.size
               or abs(o.top - line.bottom) < SETTINGS.near_line_gap * line.size
               for o in near):
            out.append(line)
    out.sort(key=lambda ln: (ln.baseline, ln.x0))
    return out


def _continues(lines: list[Line], layout: Layout) -> bool:
    """Whether the top of a page without a header goes on with a table of this layout: its
    first lines are no running text or heading, stay inside the table, and soon fill two
    columns or show a row number."""
    end = region_end(lines, 0, min(len(lines), 10), layout.size)
    head = lines[:end]
    if not head:
        return False
    first = head[0]
    if is_prose(first, layout.xs) or abs(first.size - layout.size) >= 1.0:
        return False
    slack = 2 * layout.size
    if any(ln.x0 < layout.xs[0] - slack or ln.x1 > layout.xs[-1] + slack for ln in head):
        return False
    cols = {col_of(layout.xs, w.xc) for ln in head for w in ln.words}
    numbered = layout.seq_col is not None and any(
        col_of(layout.xs, w.xc) == layout.seq_col and ANCHOR.match(w.text) for ln in head for w in ln.words)
    return len(cols) >= 2 or numbered


__all__ = ["Layout", "PageResult", "borderless_tables", "find_header", "insufficient", "with_borderless"]
