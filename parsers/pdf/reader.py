"""The PDF reader: the text layer first, OCR for the pages it cannot give (format policy).

The text layer is read by `parse.parse_pdf`. A page goes to OCR when its text is not real
Vietnamese (a broken font map), when the document has a scanned part (pages without text),
or when the text-layer reader found it unreadable (its fonts or a page image under an
invisible OCR layer); only those pages, and the rest of a table running onto them, are OCRed
(`hybrid`), the others keep their text layer. Text in legacy fonts (TCVN3 .VnTime, VNI-Times)
is already converted to Unicode by parse_pdf, so the check sees Vietnamese, not "KÕ ho¹ch",
and keeps the text layer.
"""
from __future__ import annotations

from dataclasses import dataclass

from parsers.model import Document, Paragraph, ParserWarning
from parsers.options import ReadOptions
from parsers.pdf.parse import parse_pdf
from schema.codes import Code


@dataclass(frozen=True)
class OcrPolicy:
    """When pages of a PDF with a text layer are read with OCR instead."""
    min_letters: int = 80            # a page with fewer letters is too short to judge its text
    scanned_pages: int = 2           # this many pages without text (and the share below) are a scanned part;
    scanned_share: float = 0.2       # one blank page is only a separator


POLICY = OcrPolicy()


def read(data: bytes, options: ReadOptions) -> Document:
    """Read a PDF: its text layer, with the pages the text layer cannot give read by OCR
    (an `OCR_FALLBACK` warning says which and why)."""
    document = parse_pdf(data, password=options.password)
    pages = document.pages or 0
    texts = _page_texts(document)
    try:
        from parsers.pdf.ocr import page_needs_ocr
    except ImportError:      # OCR dependencies missing: keep the text layer as it is
        return document
    # Pages with a real amount of text that is not Vietnamese (short pages decide nothing).
    garbled = [n for n in range(1, pages + 1)
               if sum(ch.isalpha() for ch in texts.get(n, "")) >= POLICY.min_letters and page_needs_ocr(texts[n])]
    empty = [n for n in range(1, pages + 1) if not texts.get(n, "").strip()]
    scanned_part = len(empty) == pages or (len(empty) >= POLICY.scanned_pages
                                           and len(empty) >= POLICY.scanned_share * pages)
    unreadable = list(document.unreadable_pages)
    if not garbled and not scanned_part and not unreadable:
        return document
    needing = sorted(set(garbled + (empty if scanned_part else []) + unreadable))
    if options.password:
        return document      # OCR renders with pdfium, which needs the decrypted file: not yet
    return _with_ocr(data, document, needing, all_empty=len(empty) == pages)


def _with_ocr(data: bytes, document: Document, needing: list[int], *, all_empty: bool) -> Document:
    """OCR the pages `needing` it (and the rest of any table that runs onto them), merged
    into the text-layer reading."""
    from parsers.pdf import ocr
    from parsers.pdf.hybrid import merge, pages_to_read

    pages = document.pages or 0
    ocr_pages = pages_to_read(document, set(needing))
    whole = len(ocr_pages) >= pages
    scanned = ocr.parse_scanned_pdf(data, None if whole else sorted(ocr_pages))
    if all_empty:
        return scanned
    # Why, as the text-layer reader saw it (which fonts, which page images), then what was done.
    done = "the document was read with OCR" if whole else \
        f"pages {', '.join(map(str, sorted(ocr_pages)))} were read with OCR, the others from the text layer"
    fallback = ParserWarning(Code.OCR_FALLBACK, f"pages {', '.join(map(str, needing))} have no usable text layer "
                                                f"(scanned, or a broken font map); {done}")
    if whole:
        reasons = [w for w in document.warnings
                   if getattr(w, "code", None) in (Code.PDF_UNREADABLE_FONTS, Code.PDF_IMAGE_WITH_TEXT_LAYER)]
        scanned.warnings[:0] = reasons + [fallback]
        return scanned
    merged = merge(document, scanned, ocr_pages)
    merged.warnings.append(fallback)
    return merged


def _page_texts(document: Document) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for block in document.blocks:
        if isinstance(block, Paragraph):
            texts.setdefault(block.provenance.page or 0, []).append(block.text)
        else:
            for row in block.rows:
                for cell in row.cells:
                    texts.setdefault(cell.provenance.page or row.provenance.page or 0, []).append(cell.text)
    return {page: " ".join(parts) for page, parts in texts.items()}
