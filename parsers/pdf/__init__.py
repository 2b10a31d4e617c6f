"""PDF: the text layer (pages, ruled and borderless tables, page stitching, font checks) and,
for the pages it cannot give, OCR (`parsers.pdf.ocr`).

- `reader.read`: the format's reader (text layer, OCR policy, hybrid merge).
- `parse.parse_pdf`: the text layer alone -> Document.
- `pages`: characters and ruling lines per page (pypdfium2 / pdfplumber); `text_layer`: is a
  font's text usable; `layout`: a page's lines, ruled tables and paragraphs; `borderless`:
  tables from word positions; `stitch`: tables and paragraphs joined over page breaks;
  `hybrid`: OCRed pages merged into the text-layer reading.
"""
from parsers.pdf.parse import parse_pdf
from parsers.pdf.reader import read

__all__ = ["parse_pdf", "read"]
