"""Format -> parser dispatch (the only place that picks a parser for a file)."""
from __future__ import annotations

from dataclasses import dataclass

from parsers.errors import ParseError
from parsers.model import Document, Paragraph


@dataclass(frozen=True)
class ReadOptions:
    password: str | None = None


def read_document(fmt: str, data: bytes, options: ReadOptions) -> Document:
    if fmt == "docx":
        from parsers.docx import parse_docx
        return parse_docx(data)
    if fmt == "pdf":
        return _read_pdf(data, options)
    if fmt in ("txt", "md"):
        from parsers.flattext.pages import restore_page_breaks
        from parsers.flattext.reader import choose_reading
        from parsers.layout_text import looks_like_layout_text, parse_layout_decoded
        from parsers.text import decode_text_with_note, has_table_markup, parse_decoded_text
        text, note = decode_text_with_note(data)
        if not has_table_markup(text):
            # flattened text: tables in reading order, else interleaved (layout) text
            def interleaved() -> Document | None:
                paged = restore_page_breaks(text)
                return parse_layout_decoded(paged) if looks_like_layout_text(paged) else None

            document = choose_reading(text, interleaved)
            if document is not None:
                document.warnings[:0] = [note] if note else []
                return document
        return parse_decoded_text(text, fmt, [note] if note else [])
    if fmt in ("doc", "odt", "rtf"):
        from parsers.word97 import parse_word97
        return parse_word97(data, fmt)
    raise ParseError(f"unsupported format {fmt!r}")


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


def _read_pdf(data: bytes, options: ReadOptions) -> Document:
    """Text layer first; OCR for the pages with no text layer or whose text is not real
    Vietnamese (a broken font map), with a warning.
    Text in legacy fonts (TCVN3 .VnTime, VNI-Times) is already converted to Unicode by
    parse_pdf, so the check below sees Vietnamese, not "KÕ ho¹ch", and keeps the text layer."""
    from parsers.pdf import parse_pdf

    document = parse_pdf(data, password=options.password)
    pages = document.pages or 0
    texts = _page_texts(document)
    try:
        from parsers.ocr import page_needs_ocr
    except ImportError:      # OCR dependencies missing: keep the text layer as it is
        return document
    # Pages with a real amount of text that is not Vietnamese (short pages decide nothing).
    garbled = [n for n in range(1, pages + 1)
               if sum(ch.isalpha() for ch in texts.get(n, "")) >= 80 and page_needs_ocr(texts[n])]
    empty = [n for n in range(1, pages + 1) if not texts.get(n, "").strip()]
    # One blank page is a separator; several pages without text are a scanned part.
    scanned_part = len(empty) == pages or (len(empty) >= 2 and len(empty) >= 0.2 * pages)
    unreadable = list(document.unreadable_pages)
    if not garbled and not scanned_part and not unreadable:
        return document
    needing = sorted(set(garbled + (empty if scanned_part else []) + unreadable))
    from parsers.ocr import parse_scanned_pdf
    from parsers.pdf_hybrid import merge, pages_to_read

    if options.password:
        return document      # OCR renders with pdfium, which needs the decrypted file: not yet
    # Only the pages the text layer cannot give are OCRed (and the rest of any table that
    # runs onto them); the others keep their text layer (parsers/pdf_hybrid.py).
    ocr_pages = pages_to_read(document, set(needing))
    whole = len(ocr_pages) >= pages
    scanned = parse_scanned_pdf(data, None if whole else sorted(ocr_pages))
    if len(empty) == pages:
        return scanned
    # Why, as the text-layer reader saw it (which fonts, which page images), then what was done.
    done = "the document was read with OCR" if whole else \
        f"pages {', '.join(map(str, sorted(ocr_pages)))} were read with OCR, the others from the text layer"
    fallback = f"OCR_FALLBACK: pages {', '.join(map(str, needing))} have no usable text layer (scanned, " \
               f"or a broken font map); {done}"
    if whole:
        reasons = [w for w in document.warnings if w.startswith(("PDF_UNREADABLE_FONTS", "PDF_IMAGE_WITH_TEXT_LAYER"))]
        scanned.warnings[:0] = reasons + [fallback]
        return scanned
    merged = merge(document, scanned, ocr_pages)
    merged.warnings.append(fallback)
    return merged

