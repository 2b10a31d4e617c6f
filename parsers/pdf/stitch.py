"""Pages -> one reading order, for every paged format (text-layer PDF, OCR): a table that runs
over a page break becomes one Table, a paragraph cut by a page break is re-joined.

`TableStitcher` assembles one logical table from its page fragments: header rows repeated on
the next page are dropped, a row split by the page break (its first cell empty on the next
page) is merged back into its row, with provenance page..page_end. The formats differ only in
how a fragment becomes cells and how a repeated header is recognised; they subclass it
(parsers.pdf, parsers.pdf.ocr.assemble).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from normalize.text import collapse_spaces
from parsers.model import Cell, Paragraph, Provenance, Row, Table
from parsers.pdf.layout import Margins, PdfParagraph
from parsers.pdf.lines import join_text, starts_item
from parsers.pdf.ruled import PdfTable


class TableStitcher:
    """One logical table assembled from its page fragments (subclasses say how a fragment
    becomes cells and which of its rows repeat the header)."""

    column_tolerance = 4.0      # pt: how far a continued fragment's column edges may move

    def __init__(self, fragment) -> None:
        self.fragments = [fragment]
        self.rows: list[list[Cell]] = []
        self.row_provenance: list[Provenance] = []
        self._add(fragment, first=True)

    # ---- what a format decides
    @staticmethod
    def table_of(fragment) -> PdfTable:
        return fragment

    def cells(self, fragment) -> list[list[Cell]]:
        page = self.table_of(fragment).page
        return [[Cell(lines=list(cell.lines), col_span=cell.col_span, merged_from_above=merged,
                      provenance=Provenance(page=page))
                 for cell, merged in grid_row]
                for grid_row in self.table_of(fragment).grid()]

    def remember_header(self, rows: list[list[Cell]]) -> None:
        raise NotImplementedError

    def repeats_header(self, row: list[Cell]) -> bool:
        raise NotImplementedError

    def merged_provenance(self, a: Cell, b: Cell) -> Provenance:
        return a.provenance.spanning(b.provenance)

    def row_extras(self, cells: list[Cell]) -> dict:
        """Extra Provenance fields of a built row (e.g. OCR confidence)."""
        return {}

    # ---- the stitching itself
    def _add(self, fragment, first: bool) -> None:
        page = self.table_of(fragment).page
        rows = self.cells(fragment)
        if first:
            self.remember_header(rows)
        else:
            while rows and any(c.text for c in rows[0]) and self.repeats_header(rows[0]):
                rows.pop(0)
            if rows and self.rows and self._continues_row(rows[0]):
                self._merge_into_last(rows.pop(0), page)
        for r in rows:
            self.rows.append(r)
            self.row_provenance.append(Provenance(page=page))

    def _continues_row(self, row: list[Cell]) -> bool:
        """A row split by the page break: first cell empty, something else filled, same shape
        as the row it continues."""
        if not row or row[0].text.strip() or all(c.is_empty for c in row):
            return False
        return [c.col_span for c in self.rows[-1]] == [c.col_span for c in row]

    def _merge_into_last(self, row: list[Cell], page: int) -> None:
        last = self.rows[-1]
        for k, (a, b) in enumerate(zip(last, row)):
            if not b.lines or b.merged_from_above:
                continue
            lines = list(a.lines)
            for line in b.lines:
                if lines and not starts_item(line, lines[-1]):
                    lines[-1] = join_text(lines[-1], line)    # the sentence goes on over the break
                else:
                    lines.append(line)
            last[k] = Cell(lines=lines, col_span=a.col_span, merged_from_above=a.merged_from_above,
                           provenance=self.merged_provenance(a, b))
        self.row_provenance[-1] = self.row_provenance[-1].spanning(Provenance(page=page))

    def accepts(self, fragment) -> bool:
        """Whether `fragment` (first item of the next page) continues this table."""
        last, new = self.table_of(self.fragments[-1]), self.table_of(fragment)
        if new.page != last.page + 1 or new.width != last.width:
            return False
        return all(abs(a - b) <= self.column_tolerance for a, b in zip(new.xs, last.xs))

    def extend(self, fragment) -> None:
        self.fragments.append(fragment)
        self._add(fragment, first=False)

    def build(self, index: int) -> Table:
        rows = []
        for r, (cells, prov) in enumerate(zip(self.rows, self.row_provenance)):
            fixed = [Cell(lines=c.lines, col_span=c.col_span, merged_from_above=c.merged_from_above,
                          provenance=replace(c.provenance, page=c.provenance.page or prov.page,
                                             table=index, row=r))
                     for c in cells]
            rows.append(Row(cells=fixed, provenance=Provenance(
                page=prov.page, page_end=prov.page_end, table=index, row=r, **self.row_extras(cells))))
        first, last = self.table_of(self.fragments[0]).page, self.table_of(self.fragments[-1]).page
        return Table(rows=rows, provenance=Provenance(page=first, page_end=last if last != first else None,
                                                      table=index))


def continues_paragraph(prev: PdfParagraph, cur: PdfParagraph, m_prev: Margins, m_cur: Margins,
                        same_weight: bool = True) -> bool:
    """A paragraph cut by the page break: the page ended on a full line and the next page goes
    on at the left margin, without a marker (or, with same_weight, a change of weight)."""
    if prev.column or cur.column or (same_weight and prev.bold != cur.bold):
        return False
    if starts_item(cur.first.text, prev.last.text):
        return False
    size = max(prev.last.size, cur.first.size)
    full = prev.last.x1 >= m_prev.right - 1.5 * size
    at_margin = abs(cur.first.x0 - m_cur.left) <= 0.6 * size
    return full and at_margin and prev.last.x0 <= m_prev.left + 3 * size


ContinuesParagraph = Callable[[PdfParagraph, PdfParagraph, Margins, Margins], bool]


def stitch_pages(pages: Iterable[tuple[int, list, Margins]], new_table: Callable[[object], TableStitcher],
                 continues: ContinuesParagraph, fragment_of: Callable[[PdfTable], object] = lambda t: t,
                 on_paragraph: Callable[[PdfParagraph, int, PdfParagraph | None], None] | None = None,
                 ) -> list:
    """Reading order over the whole document from each page's items (page number, items of
    layout.page_items, margins): a table that goes on at the top of the next page extends
    its builder, a paragraph cut by the page break is joined to the one it continues.
    on_paragraph(item, page, joined_to) sees every paragraph item, after any join."""
    order: list = []
    previous_last: object | None = None                # last item of the previous page
    previous_margins: Margins | None = None
    for number, items, page_margins in pages:
        for position, item in enumerate(items):
            tail = order[-1] if order else None
            at_top = position == 0 and tail is not None
            if isinstance(item, PdfTable):
                fragment = fragment_of(item)
                if (at_top and not isinstance(tail, PdfParagraph) and previous_last is tail.fragments[-1]
                        and tail.accepts(fragment)):
                    tail.extend(fragment)
                else:
                    order.append(new_table(fragment))
                continue
            if (at_top and isinstance(tail, PdfParagraph) and previous_last is tail
                    and previous_margins is not None and continues(tail, item, previous_margins, page_margins)):
                tail.text = join_text(tail.text, item.text)
                tail.last = item.last
                tail.page_end = number
                if on_paragraph:
                    on_paragraph(item, number, tail)
                continue
            if on_paragraph:
                on_paragraph(item, number, None)
            order.append(item)
        previous_last = None
        if items and order:
            tail = order[-1]
            previous_last = tail if isinstance(tail, PdfParagraph) else tail.fragments[-1]
        previous_margins = page_margins
    return order


def blocks_of(order: list, paragraph_extras: Callable[[PdfParagraph], dict] = lambda item: {},
              ) -> list[Paragraph | Table]:
    """The stitched reading order as document blocks (tables numbered in order, empty ones and
    empty paragraphs left out)."""
    blocks: list[Paragraph | Table] = []
    table_index = 0
    for item in order:
        if isinstance(item, TableStitcher):
            table = item.build(table_index)
            if table.rows:
                blocks.append(table)
                table_index += 1
            continue
        text = collapse_spaces(item.text)
        if not text:
            continue
        blocks.append(Paragraph(text=text, bold=item.bold, list_item=item.list_item,
                                provenance=Provenance(page=item.page, page_end=item.page_end,
                                                      **paragraph_extras(item))))
    return blocks
