"""OCR pages -> document blocks: numbering and text sizes settled over the document, tables
stitched over page breaks, paragraphs laid out and re-joined (cf. parsers.pdf for the text
layer), with the OCR confidence carried into every Provenance."""
from __future__ import annotations

import re
import statistics
from difflib import SequenceMatcher

from normalize.text import collapse_spaces, fold_words
from parsers.model import Cell, Paragraph, Provenance, Row, Table
from parsers.ocr_page import OcrPage, OcrTable
from parsers.pdf_layout import (GridCell, Margins, PdfParagraph, document_margins,
                                drop_page_number, join_text, make_lines, page_items, starts_item)
from parsers.pdf import stitch_pages
from parsers.pdf_pages import PageData, Word


# --------------------------------------------------------------------------- numbering

_NUMBER = re.compile(r"^(\d{1,3})[.)]?$")
_NUMBER_LOOKALIKE = re.compile(r"^(?:[-–—~.,'`‘’]\s*)?([0-9IlO|]{1,3})([.)]?)$")


def fix_numbering(pages: list[OcrPage]) -> None:
    """'II' between 10. and 12. in a numbering column is 11: a number read with letters
    (I / l / | for 1, O for 0) or behind a stray mark ("- 36") is corrected when it continues
    the numbers around it."""
    column: list[GridCell] = []
    for page in pages:
        for t in page.tables:
            for cell in sorted(t.table.cells, key=lambda c: (c.row, c.col)):
                if cell.col == 0 and cell.col_span == 1 and len(cell.lines) == 1:
                    column.append(cell)

    def value(cell) -> int | None:
        m = _NUMBER.match(cell.lines[0].strip()) if cell.lines else None
        return int(m.group(1)) if m else None

    for i, cell in enumerate(column):
        text = cell.lines[0].strip()
        m = _NUMBER_LOOKALIKE.match(text)
        if not m or _NUMBER.match(text):
            continue
        candidate = m.group(1).translate(str.maketrans("IlO|", "1101"))
        if not candidate.isdigit():
            continue
        n = int(candidate)
        before = value(column[i - 1]) if i > 0 else None
        after = value(column[i + 1]) if i + 1 < len(column) else None
        if (before is not None and before + 1 == n) or (after is not None and after - 1 == n):
            cell.lines = [candidate + m.group(2)]


# --------------------------------------------------------------------------- sizes

def normalise_sizes(pages: list[OcrPage]) -> None:
    """Tesseract's text sizes are whole points and jitter by ±1-2 around the real size; lines
    within 20% of the document's body size get the body size, so that the layout code does
    not see a change of font at every line."""
    sizes = [w.size for p in pages for w in p.words if w.size > 0]
    if not sizes:
        return
    body = statistics.median(sizes)
    for p in pages:
        fixed = []
        for w in p.words:
            size = w.size
            if size <= 0 or abs(size - body) <= 0.2 * body:
                size = body
            fixed.append(Word(w.text, w.x0, w.x1, w.top, w.bottom, w.baseline, size))
        p.words = fixed


# --------------------------------------------------------------------------- tables over pages

def _signature(cells: list[Cell]) -> str:
    return " | ".join(fold_words(c.text) for c in cells)


_NUMBERED_ROW = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,2})*|[IVX]{1,5}|[a-zđ])\s*[.)]?\s*$")


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85


class _TableBuilder:
    """One logical table assembled from its page fragments (cf. parsers.pdf)."""

    def __init__(self, fragment: OcrTable):
        self.fragments = [fragment]
        self.rows: list[list[Cell]] = []
        self.header: list[str] = []
        self._add(fragment, first=True)

    @staticmethod
    def _cells(fragment: OcrTable) -> list[list[Cell]]:
        page = fragment.table.page
        rows = []
        for grid_row in fragment.table.grid():
            row = []
            for cell, merged in grid_row:
                conf = fragment.conf.get((cell.row, cell.col))
                row.append(Cell(lines=list(cell.lines), col_span=cell.col_span, merged_from_above=merged,
                                provenance=Provenance(page=page, ocr_confidence=conf)))
            rows.append(row)
        return rows

    def _add(self, fragment: OcrTable, first: bool) -> None:
        rows = self._cells(fragment)
        if first:
            # Header rows: the leading rows before the first numbered one (at most three).
            for r in rows[:3]:
                if r and _NUMBERED_ROW.match(r[0].text):
                    break
                self.header.append(_signature(r))
        else:
            # Header rows repeated at the top of the page (OCR may read them slightly
            # differently from one page to the next).
            while rows and any(c.text for c in rows[0]) and \
                    any(_similar(_signature(rows[0]), h) for h in self.header):
                rows.pop(0)
            if rows and self.rows and self._continues_row(rows[0]):
                self._merge_into_last(rows.pop(0))
        self.rows.extend(rows)

    def _continues_row(self, row: list[Cell]) -> bool:
        if not row or row[0].text.strip() or all(c.is_empty for c in row):
            return False
        return [c.col_span for c in self.rows[-1]] == [c.col_span for c in row]

    def _merge_into_last(self, row: list[Cell]) -> None:
        last = self.rows[-1]
        for k, (a, b) in enumerate(zip(last, row)):
            if not b.lines or b.merged_from_above:
                continue
            lines = list(a.lines)
            for line in b.lines:
                if lines and not starts_item(line, lines[-1]):
                    lines[-1] = join_text(lines[-1], line)
                else:
                    lines.append(line)
            conf = _mean_conf([(a.provenance.ocr_confidence, len(a.text)),
                               (b.provenance.ocr_confidence, len(b.text))])
            prov = a.provenance.spanning(b.provenance)
            last[k] = Cell(lines=lines, col_span=a.col_span, merged_from_above=a.merged_from_above,
                           provenance=Provenance(page=prov.page, page_end=prov.page_end,
                                                 ocr_confidence=conf))

    def accepts(self, fragment: OcrTable) -> bool:
        last = self.fragments[-1].table
        new = fragment.table
        if new.page != last.page + 1 or new.width != last.width:
            return False
        return all(abs(a - b) <= 6.0 for a, b in zip(new.xs, last.xs))

    def extend(self, fragment: OcrTable) -> None:
        self.fragments.append(fragment)
        self._add(fragment, first=False)

    def build(self, index: int) -> Table:
        rows = []
        for r, cells in enumerate(self.rows):
            pages = [c.provenance.page for c in cells if c.provenance.page] or [self.fragments[0].table.page]
            ends = [c.provenance.page_end or c.provenance.page for c in cells if c.provenance.page]
            first, last = min(pages), max(ends or pages)
            fixed = [Cell(lines=c.lines, col_span=c.col_span, merged_from_above=c.merged_from_above,
                          provenance=Provenance(page=c.provenance.page or first,
                                                page_end=c.provenance.page_end, table=index, row=r,
                                                ocr_confidence=c.provenance.ocr_confidence))
                     for c in cells]
            conf = _mean_conf([(c.provenance.ocr_confidence, len(c.text)) for c in cells])
            rows.append(Row(cells=fixed, provenance=Provenance(
                page=first, page_end=last if last != first else None, table=index, row=r,
                ocr_confidence=conf)))
        first, last = self.fragments[0].table.page, self.fragments[-1].table.page
        return Table(rows=rows, provenance=Provenance(page=first, page_end=last if last != first else None,
                                                      table=index))


def _mean_conf(values: list[tuple[float | None, int]]) -> float | None:
    pairs = [(c, max(1, n)) for c, n in values if c is not None]
    if not pairs:
        return None
    return round(sum(c * n for c, n in pairs) / sum(n for _, n in pairs), 1)


# --------------------------------------------------------------------------- paragraphs

def _continues_paragraph(prev: PdfParagraph, cur: PdfParagraph, m_prev: Margins, m_cur: Margins) -> bool:
    """A paragraph cut by the page break (cf. parsers.pdf)."""
    if prev.column or cur.column:
        return False
    if starts_item(cur.first.text, prev.last.text):
        return False
    size = max(prev.last.size, cur.first.size)
    full = prev.last.x1 >= m_prev.right - 1.5 * size
    at_margin = abs(cur.first.x0 - m_cur.left) <= 0.6 * size
    return full and at_margin and prev.last.x0 <= m_prev.left + 3 * size


def _paragraph_conf(para: PdfParagraph, page: OcrPage) -> float | None:
    """Mean confidence of the page's words inside the paragraph's lines."""
    x0 = min(para.first.x0, para.last.x0) - 1
    x1 = max(para.first.x1, para.last.x1) + 1
    top, bottom = para.first.top - 1, para.last.bottom + 1
    picked = [(c, len(w.text)) for w, c in zip(page.words, page.confs)
              if x0 <= w.xc <= x1 and top <= (w.top + w.baseline) / 2 <= bottom]
    return _mean_conf(picked)


def assemble(pages: list[OcrPage]) -> list[Paragraph | Table]:
    read = []
    for p in pages:
        data = PageData(p.number, p.width, p.height, p.words, [])
        lines = drop_page_number(make_lines(p.words), data)
        read.append((data, lines, [t.table for t in p.tables]))
    margins = document_margins(read)
    fragments = {id(t.table): t for p in pages for t in p.tables}
    by_number = {p.number: p for p in pages}
    conf_of: dict[int, float | None] = {}

    def paragraph_conf(item: PdfParagraph, number: int, joined_to: PdfParagraph | None) -> None:
        conf = _paragraph_conf(item, by_number[number])
        if joined_to is None:
            conf_of[id(item)] = conf
        else:
            conf_of[id(joined_to)] = _mean_conf([(conf_of.get(id(joined_to)), len(joined_to.text)),
                                                 (conf, len(item.text))])

    order = stitch_pages(((p.number, page_items(p.number, lines, tables, margins[p.number]), margins[p.number])
                          for p, (_, lines, tables) in zip(pages, read)),
                         _TableBuilder, _continues_paragraph, fragment_of=lambda t: fragments[id(t)],
                         on_paragraph=paragraph_conf)

    blocks: list[Paragraph | Table] = []
    table_index = 0
    for item in order:
        if isinstance(item, _TableBuilder):
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
                                                      ocr_confidence=conf_of.get(id(item)))))
    return blocks
