"""OCR pages -> document blocks: numbering and text sizes settled over the document, tables
stitched over page breaks, paragraphs laid out and re-joined (cf. parsers.pdf for the text
layer), with the OCR confidence carried into every Provenance."""
from __future__ import annotations

import re
import statistics
from dataclasses import replace
from difflib import SequenceMatcher
from functools import partial

from normalize.text import ROMAN_NUMERAL_IVX, fold_words
from parsers.model import Cell, Paragraph, Provenance, Table
from parsers.pdf.ocr.page import OcrPage, OcrTable
from parsers.pdf.layout import PdfParagraph, document_margins, drop_page_number, page_items
from parsers.pdf.lines import make_lines
from parsers.pdf.ruled import GridCell
from parsers.pdf.pages import PageData, Word
from parsers.pdf.stitch import TableStitcher, blocks_of, continues_paragraph, stitch_pages


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

    def near(i: int, step: int) -> int | None:
        # The nearest number above / below, over a header cell ("TT") repeated at the top of
        # the next table or page (at most two cells away).
        for j in range(i + step, i + 3 * step, step):
            if not 0 <= j < len(column):
                return None
            found = value(column[j])
            if found is not None:
                return found
            if _NUMBER_LOOKALIKE.match(column[j].lines[0].strip()):
                return None              # another doubtful number: no evidence
        return None

    for i, cell in enumerate(column):
        text = cell.lines[0].strip()
        m = _NUMBER_LOOKALIKE.match(text)
        if not m or _NUMBER.match(text):
            continue
        candidate = m.group(1).translate(str.maketrans("IlO|", "1101"))
        if not candidate.isdigit():
            continue
        n = int(candidate)
        before, after = near(i, -1), near(i, 1)
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


_NUMBERED_ROW = re.compile(rf"^\s*(?:\d{{1,3}}(?:\.\d{{1,2}})*|{ROMAN_NUMERAL_IVX}|[a-zđ])\s*[.)]?\s*$")


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85


class _TableBuilder(TableStitcher):
    """A ruled table over scanned pages: cells carry their OCR confidence, and a header row
    repeated on the next page is recognised although OCR may read it slightly differently."""

    column_tolerance = 6.0

    @staticmethod
    def table_of(fragment: OcrTable):
        return fragment.table

    def cells(self, fragment: OcrTable) -> list[list[Cell]]:
        page = fragment.table.page
        return [[Cell(lines=list(cell.lines), col_span=cell.col_span, merged_from_above=merged,
                      provenance=Provenance(page=page, ocr_confidence=fragment.conf.get((cell.row, cell.col))))
                 for cell, merged in grid_row]
                for grid_row in fragment.table.grid()]

    def remember_header(self, rows: list[list[Cell]]) -> None:
        # The leading rows before the first numbered one (at most three).
        self.header: list[str] = []
        for r in rows[:3]:
            if r and _NUMBERED_ROW.match(r[0].text):
                break
            self.header.append(_signature(r))

    def repeats_header(self, row: list[Cell]) -> bool:
        return any(_similar(_signature(row), h) for h in self.header)

    def merged_provenance(self, a: Cell, b: Cell) -> Provenance:
        conf = _mean_conf([(a.provenance.ocr_confidence, len(a.text)), (b.provenance.ocr_confidence, len(b.text))])
        return replace(a.provenance.spanning(b.provenance), ocr_confidence=conf)

    def row_extras(self, cells: list[Cell]) -> dict:
        return {"ocr_confidence": _mean_conf([(c.provenance.ocr_confidence, len(c.text)) for c in cells])}


def _mean_conf(values: list[tuple[float | None, int]]) -> float | None:
    pairs = [(c, max(1, n)) for c, n in values if c is not None]
    if not pairs:
        return None
    return round(sum(c * n for c, n in pairs) / sum(n for _, n in pairs), 1)


# --------------------------------------------------------------------------- paragraphs

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
                         _TableBuilder, partial(continues_paragraph, same_weight=False),
                         fragment_of=lambda t: fragments[id(t)], on_paragraph=paragraph_conf)
    return blocks_of(order, lambda item: {"ocr_confidence": conf_of.get(id(item))})
