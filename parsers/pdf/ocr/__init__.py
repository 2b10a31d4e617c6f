"""Scanned PDF pages: rendered, deskewed, read with Tesseract 5 (`vie`); annex tables from the
ruling lines of the page image, each cell read on its own.

- `reader.parse_scanned_pdf`: pages -> Document (format `pdf-ocr`).
- `tesseract`: the libtesseract binding; `image`: rendering, deskew, text bands; `grid`: ruled
  tables in the image; `regions`: text blocks; `page`: one page's OCR; `cells`: a table
  cell's reading; `glyphs`: numbers and roman numerals from the glyph shapes; `cleanup`: OCR
  slips fixed, noise dropped, `page_needs_ocr`; `assemble`: pages -> Document.
"""
from parsers.pdf.ocr.cleanup import page_needs_ocr
from parsers.pdf.ocr.reader import parse_scanned_pdf

__all__ = ["page_needs_ocr", "parse_scanned_pdf"]
