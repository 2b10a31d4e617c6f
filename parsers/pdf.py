"""PDF parser (PDFs with a text layer): prose paragraphs and ruled annex tables, page by page.

Pages are read by parsers.pdf_pages (PDFium by default, pdfplumber as a cross-check engine)
and laid out by parsers.pdf_layout; on a page without ruled table (or with only a one-row /
one-column grid) parsers.pdf_borderless recovers task tables printed without ruling lines
from word positions (a PDF_BORDERLESS_TABLE warning names those pages). This module
stitches the pages into one Document:

* a ruled table that runs over several pages (the header row repeated on each page) becomes
  one Table: repeated header rows are dropped, and a row split by the page break (its TT
  cell empty on the next page) is merged back into its row, with provenance page..page_end;
* a paragraph cut by a page break is re-joined when the last line of the page is a full
  line and the next page goes on without an indent, marker or change of weight;
* the letterhead and the signature block are paragraphs (left column, then right column),
  never tables; page numbers are dropped.

Text drawn in legacy Vietnamese fonts (TCVN3 ".VnTime", VNI "VNI-Times") is converted to
Unicode while the pages are read (parsers.pdf_pages), with a LEGACY_ENCODING_CONVERTED warning
naming the fonts.

Encrypted files raise EncryptedDocumentError, unreadable ones ParseError. A PDF without any
text layer (a scan) gives an empty Document with a PDF_NO_TEXT_LAYER warning.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from normalize.text import collapse_spaces, fold_words
from parsers.errors import EncryptedDocumentError, ParseError
from parsers.model import Cell, Document, Paragraph, Provenance, Row, Table
from parsers.pdf_borderless import Layout, with_borderless
from parsers.pdf_layout import (Margins, PdfParagraph, PdfTable, document_margins, join_text,
                                page_items, read_page, starts_item)
from parsers.pdf_pages import PageData, pdfium_pages, pdfplumber_pages

ENGINES = {"pdfium": pdfium_pages, "pdfplumber": pdfplumber_pages}


# --------------------------------------------------------------------------- tables

class _TableBuilder:
    """One logical table assembled from its page fragments."""

    def __init__(self, fragment: PdfTable):
        self.fragments = [fragment]
        self.rows: list[list[Cell]] = []
        self.row_provenance: list[Provenance] = []
        self.header: list[tuple[str, ...]] = []
        self._add(fragment, first=True)

    @staticmethod
    def _signature(cells: list[Cell]) -> tuple[str, ...]:
        return tuple(fold_words(c.text) for c in cells)

    def _add(self, fragment: PdfTable, first: bool) -> None:
        page = fragment.page
        grid = fragment.grid()
        rows: list[list[Cell]] = []
        for grid_row in grid:
            rows.append([Cell(lines=list(cell.lines), col_span=cell.col_span, merged_from_above=merged,
                              provenance=Provenance(page=page))
                         for cell, merged in grid_row])
        if first:
            # Header rows: the leading rows repeated at the top of later fragments (up to 3).
            self.header = [self._signature(r) for r in rows[:3]]
        else:
            while rows and self._signature(rows[0]) in self.header and any(c.text for c in rows[0]):
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
        last = self.rows[-1]
        return [c.col_span for c in last] == [c.col_span for c in row]

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
                           provenance=a.provenance.spanning(Provenance(page=page)))
        self.row_provenance[-1] = self.row_provenance[-1].spanning(Provenance(page=page))

    def accepts(self, fragment: PdfTable) -> bool:
        """Whether `fragment` (first item of the next page) continues this table."""
        last = self.fragments[-1]
        if fragment.page != last.page + 1 or fragment.width != last.width:
            return False
        return all(abs(a - b) <= 4.0 for a, b in zip(fragment.xs, last.xs))

    def extend(self, fragment: PdfTable) -> None:
        self.fragments.append(fragment)
        self._add(fragment, first=False)

    def build(self, index: int) -> Table:
        rows = []
        for r, (cells, prov) in enumerate(zip(self.rows, self.row_provenance)):
            row_prov = Provenance(page=prov.page, page_end=prov.page_end, table=index, row=r)
            fixed = [Cell(lines=c.lines, col_span=c.col_span, merged_from_above=c.merged_from_above,
                          provenance=Provenance(page=c.provenance.page or prov.page,
                                                page_end=c.provenance.page_end, table=index, row=r))
                     for c in cells]
            rows.append(Row(cells=fixed, provenance=row_prov))
        first, last = self.fragments[0].page, self.fragments[-1].page
        return Table(rows=rows, provenance=Provenance(page=first, page_end=last if last != first else None,
                                                      table=index))


# --------------------------------------------------------------------------- paragraphs

def _continues_paragraph(prev: PdfParagraph, cur: PdfParagraph, m_prev: Margins, m_cur: Margins) -> bool:
    """A paragraph cut by the page break: the page ended on a full line and the next page goes
    on at the left margin, without a marker or a change of weight."""
    if prev.column or cur.column or prev.bold != cur.bold:
        return False
    if starts_item(cur.first.text, prev.last.text):
        return False
    size = max(prev.last.size, cur.first.size)
    full = prev.last.x1 >= m_prev.right - 1.5 * size
    at_margin = abs(cur.first.x0 - m_cur.left) <= 0.6 * size
    return full and at_margin and prev.last.x0 <= m_prev.left + 3 * size


# --------------------------------------------------------------------------- entry point

def _check_header(data: bytes) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(f"PDF data must be bytes, not {type(data).__name__}")
    if not data:
        raise ParseError("empty file: not a PDF")
    if b"%PDF-" not in bytes(data[:1024]):
        raise ParseError("not a PDF: no %PDF- header in the first 1024 bytes")


def parse_pdf(data: bytes, password: str | None = None, *, engine: str = "pdfium") -> Document:
    """Read a PDF with a text layer into the shared document model (format "pdf")."""
    _check_header(data)
    try:
        loader = ENGINES[engine]
    except KeyError:
        raise ValueError(f"unknown PDF engine {engine!r}; use one of {sorted(ENGINES)}") from None
    data = bytes(data)
    count, pages = loader(data, password)
    read: list[tuple[PageData, list, list[PdfTable]]] = []
    carry: Layout | None = None          # a borderless table going on on the next page
    failed: list[int] = []               # pages where the borderless-table fallback failed
    try:
        for page in pages:
            lines, tables = read_page(page)
            # No ruled table (or a too poor one): look for a borderless task table.
            try:
                lines, tables, carry = with_borderless(page, lines, tables, carry)
            except (ParseError, MemoryError, RecursionError):
                raise
            except Exception:       # a fallback must not lose the page: keep it as read
                carry = None
                failed.append(page.number)
            read.append((page, lines, tables))
    except (ParseError, MemoryError, RecursionError):
        raise
    except Exception as exc:   # a page the engine could not interpret
        raise ParseError(f"PDF page could not be read ({engine}: {type(exc).__name__}: {exc})") from exc

    warnings: list[str] = []
    empty = [p.number for p, lines, tables in read if not p.words]
    if read and len(empty) == len(read):
        warnings.append(f"PDF_NO_TEXT_LAYER: none of the {len(read)} pages has a text layer "
                        "(scanned images?); OCR is needed to read this document")
    elif empty:
        warnings.append(f"PDF_PAGES_WITHOUT_TEXT: pages {_ranges(empty)} have no text layer "
                        "(scanned images?) and were not read")
    borderless = [p.number for p, _, tables in read if any(t.borderless for t in tables)]
    if borderless:
        warnings.append(f"PDF_BORDERLESS_TABLE: pages {_ranges(borderless)} have tables printed "
                        "without (enough) ruling lines, read from word positions; check rows")
    if failed:
        warnings.append(f"PDF_BORDERLESS_FAILED: pages {_ranges(failed)} could not be searched for "
                        "tables without ruling lines and were read as prose")
    rotated = sum(p.dropped_rotated for p, _, _ in read)
    if rotated:
        warnings.append(f"PDF_ROTATED_TEXT: {rotated} characters of rotated text were ignored")
    legacy = _legacy_fonts(p for p, _, _ in read)
    if legacy:
        warnings.append(f"LEGACY_ENCODING_CONVERTED: text in legacy fonts ({legacy}) was converted "
                        "to Unicode")

    try:
        blocks = _assemble(read)
    except (ParseError, MemoryError, RecursionError):
        raise
    except Exception as exc:   # geometry the layout code did not expect: report, do not crash
        raise ParseError(f"PDF layout could not be analysed ({type(exc).__name__}: {exc})") from exc
    return Document(blocks=blocks, format="pdf", pages=count, warnings=warnings)


class StitchedTable(Protocol):
    """What stitch_pages needs of a table builder (one per format: text layer, OCR)."""
    fragments: list

    def accepts(self, fragment) -> bool: ...
    def extend(self, fragment) -> None: ...


ContinuesParagraph = Callable[[PdfParagraph, PdfParagraph, Margins, Margins], bool]


def stitch_pages(pages: Iterable[tuple[int, list, Margins]], new_table: Callable[[object], StitchedTable],
                 continues: ContinuesParagraph, fragment_of: Callable[[PdfTable], object] = lambda t: t,
                 on_paragraph: Callable[[PdfParagraph, int, PdfParagraph | None], None] | None = None,
                 ) -> list:
    """Reading order over the whole document from each page's items (page number, items of
    pdf_layout.page_items, margins): a table that goes on at the top of the next page extends
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


def _assemble(read: list[tuple[PageData, list, list[PdfTable]]]) -> list[Paragraph | Table]:
    """Pages -> blocks: tables stitched over page breaks, paragraphs re-joined."""
    margins = document_margins(read)
    order = stitch_pages(((page.number, page_items(page.number, lines, tables, margins[page.number]),
                           margins[page.number]) for page, lines, tables in read),
                         _TableBuilder, _continues_paragraph)
    blocks: list[Paragraph | Table] = []
    table_index = 0
    for item in order:
        if isinstance(item, _TableBuilder):
            table = item.build(table_index)
            if table.rows:
                blocks.append(table)
                table_index += 1
        else:
            text = collapse_spaces(item.text)
            if not text:
                continue
            blocks.append(Paragraph(text=text, bold=item.bold, list_item=item.list_item,
                                    provenance=Provenance(page=item.page, page_end=item.page_end)))
    return blocks


_LEGACY_NAMES = {"tcvn3": "TCVN3", "vni": "VNI"}


def _legacy_fonts(pages) -> str:
    """'.VnTime, .VnTimeH: TCVN3; VNI-Times: VNI' for the legacy fonts converted on `pages`
    (subset tags and style suffixes left out), '' when none."""
    by_encoding: dict[str, set[str]] = {}
    for page in pages:
        for font, encoding in page.legacy_fonts:
            name = font.split("+", 1)[1] if len(font) > 7 and font[6] == "+" else font
            by_encoding.setdefault(encoding, set()).add(name.split(",")[0] or font)
    return "; ".join(f"{', '.join(sorted(names))}: {_LEGACY_NAMES.get(enc, enc)}"
                     for enc, names in sorted(by_encoding.items()))


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], None, None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(out)


__all__ = ["parse_pdf", "ENGINES", "EncryptedDocumentError", "ParseError"]
