"""One document from a PDF's text layer and the OCR of the pages it cannot give.

A plan whose annex was appended as a scan, or whose annex pages use a broken font, has most
pages readable: those keep their text layer (exact characters, no OCR errors) and only the
other pages are read from their image. Blocks are put back in page order and tables are
numbered again. A text-layer block that also covers a page to be OCRed (a table running onto
it) sends its other pages to OCR too, so that no block is cut in two.
"""
from __future__ import annotations

from dataclasses import replace

from parsers.model import Block, Document, Paragraph, Provenance, Table


def block_pages(block: Block) -> set[int]:
    """Pages a block lies on."""
    spans = [block.provenance]
    if isinstance(block, Table):
        spans += [row.provenance for row in block.rows]
    pages: set[int] = set()
    for prov in spans:
        if prov.page is not None:
            pages.update(range(prov.page, (prov.page_end or prov.page) + 1))
    return pages


def pages_to_read(text_layer: Document, needing: set[int]) -> set[int]:
    """`needing`, grown by the other pages of every text-layer block that touches it."""
    wanted = set(needing)
    grown = True
    while grown:
        grown = False
        for block in text_layer.blocks:
            pages = block_pages(block)
            if pages & wanted and not pages <= wanted:
                wanted |= pages
                grown = True
    return wanted


def merge(text_layer: Document, ocr: Document, ocr_pages: set[int]) -> Document:
    """The text layer's blocks off `ocr_pages` and the OCR's blocks, in page order."""
    kept = [b for b in text_layer.blocks if not (block_pages(b) & ocr_pages)]

    def first_page(block: Block) -> int:
        pages = block_pages(block)
        return min(pages) if pages else 0

    # stable: each page comes from one source, whose order within the page is kept
    blocks = sorted(kept + list(ocr.blocks), key=first_page)
    table_index = 0
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block)
            continue
        rows = [replace(row, provenance=_in_table(row.provenance, table_index)) for row in block.rows]
        out.append(replace(block, rows=rows, provenance=_in_table(block.provenance, table_index)))
        table_index += 1
    return Document(blocks=out, format=ocr.format, pages=text_layer.pages,
                    warnings=list(text_layer.warnings) + list(ocr.warnings))


def _in_table(prov: Provenance, index: int) -> Provenance:
    return prov if prov.table == index else replace(prov, table=index)
