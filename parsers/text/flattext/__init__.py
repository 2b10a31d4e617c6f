"""Task tables in flattened text, whatever tool flattened them.

- `reader`: the readings of one text and the choice between them; `regions` cuts the text
  into prose runs and tables, `header` finds and nests the column labels.
- `stacked`: reading-order text (PyMuPDF, pypdf, pypdfium2, pdftotext -raw): a table's cells
  one after another, a few side by side on one line.
- `interleaved`: cells side by side on every line (pdfplumber), top-aligned tables.
- `aligned`: space-aligned columns (pdftotext -layout).
- `columnar` (+ `column_merge`): cells column by column (pdfminer.six, pdftotext's default).
- `crawl`: web crawls of legal-document sites (each cell on its own lines between lines that
  hold a single `|`).
All produce the one document model (parsers.model); nothing after them knows the style.
"""
