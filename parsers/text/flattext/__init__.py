"""Task tables in flattened text, whatever tool flattened them.

- `crawl`: web crawls of legal-document sites (each cell on its own lines between lines that
  hold a single `|`).
- `stacked`: reading-order text (pdfminer.six, PyMuPDF, pypdf, pypdfium2, pdftotext -raw):
  a table's cells one after another, a few side by side on one line.
Both produce the one document model (parsers.model); nothing after them knows the style.
"""
