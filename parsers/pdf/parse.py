"""PDF parser (PDFs with a text layer): prose paragraphs and ruled annex tables, page by page.

Pages are read by parsers.pdf.pages (PDFium by default, pdfplumber as a cross-check engine)
and laid out by parsers.pdf.layout; on a page without ruled table (or with only a one-row /
one-column grid) parsers.pdf.borderless recovers task tables printed without ruling lines
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
Unicode while the pages are read (parsers.pdf.pages), with a LEGACY_ENCODING_CONVERTED warning
naming the fonts.

Encrypted files raise EncryptedDocumentError, unreadable ones ParseError. A PDF without any
text layer (a scan) gives an empty Document with a PDF_NO_TEXT_LAYER warning.
"""
from __future__ import annotations

from normalize.text import fold_words
from parsers.errors import EncryptedDocumentError, ParseError, analysed
from parsers.model import Cell, Document, Paragraph, ParserWarning, Table
from parsers.pdf.borderless import with_borderless
from parsers.pdf.borderless_rows import Layout
from parsers.pdf.layout import document_margins, page_items, read_page
from parsers.pdf.ruled import PdfTable
from parsers.pdf.pages import PageData, pdfplumber_pages
from parsers.pdf.pdfium_pages import pdfium_pages
from parsers.pdf.stitch import TableStitcher, blocks_of, continues_paragraph, stitch_pages
from parsers.pdf.text_layer import IMAGE_COVER, is_sandwich, page_is_unusable, unusable_fonts
from schema.codes import Code

ENGINES = {"pdfium": pdfium_pages, "pdfplumber": pdfplumber_pages}


# --------------------------------------------------------------------------- tables

class _TableBuilder(TableStitcher):
    """A ruled table over pages; its header is the leading rows (up to 3) of the first
    fragment, repeated to the letter at the top of the next pages."""

    def remember_header(self, rows: list[list[Cell]]) -> None:
        self.header = [self._signature(r) for r in rows[:3]]

    def repeats_header(self, row: list[Cell]) -> bool:
        return self._signature(row) in self.header

    @staticmethod
    def _signature(cells: list[Cell]) -> tuple[str, ...]:
        return tuple(fold_words(c.text) for c in cells)


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
    # a page that is one large image and no text: a scanned page (e.g. an annex scanned and
    # appended), read by OCR with the rest (parsers.pdf.text_layer), not left out
    scanned = {p.number for p, _, _ in read if not p.words and p.image_cover >= IMAGE_COVER}
    if read and len(empty) == len(read):
        warnings.append(ParserWarning(Code.PDF_NO_TEXT_LAYER, f"none of the {len(read)} pages has a text layer "
                                                              "(scanned images?); OCR is needed to read this document"))
    elif set(empty) - scanned:
        warnings.append(ParserWarning(Code.PDF_PAGES_WITHOUT_TEXT, f"pages {_ranges(sorted(set(empty) - scanned))} have "
                                                                   "no text layer and no page-sized image (blank?) and were not read"))
    borderless = [p.number for p, _, tables in read if any(t.borderless for t in tables)]
    if borderless:
        warnings.append(ParserWarning(Code.PDF_BORDERLESS_TABLE, f"pages {_ranges(borderless)} have tables printed "
                                                                 "without (enough) ruling lines, read from word positions; check rows"))
    if failed:
        warnings.append(ParserWarning(Code.PDF_BORDERLESS_FAILED, f"pages {_ranges(failed)} could not be searched for "
                                                                  "tables without ruling lines and were read as prose"))
    rotated = sum(p.dropped_rotated for p, _, _ in read)
    if rotated:
        warnings.append(ParserWarning(Code.PDF_ROTATED_TEXT, f"{rotated} characters of rotated text were ignored"))
    legacy = _legacy_fonts(p for p, _, _ in read)
    if legacy:
        warnings.append(ParserWarning(Code.LEGACY_ENCODING_CONVERTED, f"text in legacy fonts ({legacy}) was converted "
                                                                      "to Unicode"))
    unreadable = _unreadable_pages([p for p, _, _ in read], warnings)
    if len(empty) < len(read):
        unreadable = tuple(sorted(set(unreadable) | scanned))

    blocks = analysed("PDF", lambda: _assemble(read))
    return Document(blocks=blocks, format="pdf", pages=count, warnings=warnings, unreadable_pages=unreadable)


def _unreadable_pages(pages: list[PageData], warnings: list[str]) -> tuple[int, ...]:
    """Pages the text layer does not give the text of (parsers.pdf.text_layer), with a warning."""
    broken = unusable_fonts([f for p in pages for f in p.fonts])
    by_font = [p.number for p in pages if broken and page_is_unusable(list(p.fonts), broken)]
    sandwich = [p.number for p in pages if is_sandwich(p.image_cover, p.visible_text, p.invisible_text)]
    if by_font:
        names = ", ".join(sorted({_bare(f) for f in broken}))
        warnings.append(ParserWarning(Code.PDF_UNREADABLE_FONTS, f"fonts without usable text ({names}) on pages {_ranges(by_font)}"))
    if sandwich:
        warnings.append(ParserWarning(Code.PDF_IMAGE_WITH_TEXT_LAYER, f"pages {_ranges(sandwich)} are page images under an "
                                                                      "invisible text layer (a scan with OCR text)"))
    return tuple(sorted(set(by_font) | set(sandwich)))


def _bare(font: str) -> str:
    return font.split("+", 1)[1] if len(font) > 7 and font[6] == "+" else font


def _assemble(read: list[tuple[PageData, list, list[PdfTable]]]) -> list[Paragraph | Table]:
    """Pages -> blocks: tables stitched over page breaks, paragraphs re-joined."""
    margins = document_margins(read)
    order = stitch_pages(((page.number, page_items(page.number, lines, tables, margins[page.number]),
                           margins[page.number]) for page, lines, tables in read),
                         _TableBuilder, continues_paragraph)
    return blocks_of(order)


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
