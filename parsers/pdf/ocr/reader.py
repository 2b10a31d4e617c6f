"""Scanned PDFs (image-only pages) -> Document, with Tesseract OCR (`-l vie`, LSTM, one thread).

Per page (parsers.pdf.ocr.page, with parsers.pdf.ocr.image and parsers.pdf.ocr.tesseract):

1. render the page with PDFium at the scan's own resolution, grayscale (200 dpi scans are read
   at 200 dpi: 300 dpi was measured slower, with no better words);
2. binarise (Otsu), turn sideways / upside-down pages upright, deskew (projection profile, ±3°);
3. find ruled tables from the ruling lines (long horizontal / vertical ink runs that cross),
   cut them into grid cells (a missing border = a spanned cell; a letter stroke is no border),
   erase the rules and the dust specks;
4. OCR every non-empty cell on its own rectangle, lines in order, wrapped lines re-joined like
   the text-layer parser does; each cell gets the mean word confidence (0-100); the readings
   of numbering cells and quarters are checked against the ink (the dot of "1.1", the I's of
   "III", a row of column numbers "(1) | (2) | …");
5. OCR the rest of the page block by block (each column of the letterhead and of the signature
   block on its own) into words with their boxes and baselines, which then go through the same
   layout code as PDFs with a text layer (parsers.pdf.layout): lines, the two-column letterhead
   / signature block read column by column, prose paragraphs, page numbers dropped.

Then, over the document: OCR slips that matter downstream are fixed ("I.MỤC" -> "I. MỤC",
"vụHCC" -> "vụ HCC", "Quý [I" -> "Quý II", "II" between 10. and 12. -> "11."), and pages are
stitched like parsers.pdf does: a table running over a page break becomes one Table (header
rows repeated on the next page dropped, a row cut by the break merged back), and a paragraph
cut by the break is re-joined. Paragraphs, rows and cells carry the page(s) and the mean OCR
confidence in their Provenance.

Tesseract or its Vietnamese model missing -> ParseError (TesseractMissing) saying what to
install; anything else that goes wrong on one page -> an OCR_PAGE_FAILED warning, the other
pages are still read.

`page_needs_ocr(text)` tells whether the text layer of a PDF page is unusable (too little text,
or not Vietnamese: Cyrillic / private-use / replacement characters, legacy-encoding mojibake,
few Vietnamese syllables), for a later hybrid PDF reader.
"""
from __future__ import annotations

import queue
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from parsers.pdf.ocr import tesseract
from parsers.pdf.ocr.image import render_page
from parsers.errors import EncryptedDocumentError, ParseError, analysed
from parsers.model import Document, ParserWarning
from parsers.pdf.ocr.assemble import assemble, fix_numbering, normalise_sizes
from parsers.pdf.ocr.cells import HeaderMemo
from parsers.pdf.ocr.page import OcrPage, ocr_image
from parsers.pdf.ocr.cleanup import page_needs_ocr
from schema.codes import Code

FORMAT = "pdf-ocr"


def ocr_page(page, number: int, dpi: int | None = None, engine: tesseract.Engine | None = None) -> OcrPage:
    """OCR one pypdfium2 page."""
    started = time.perf_counter()
    gray, dpi = render_page(page, dpi)
    return ocr_image(gray, dpi, number, engine=engine, started=started)


# --------------------------------------------------------------------------- entry points

def _open(data: bytes):
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(f"PDF data must be bytes, not {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise ParseError("empty file: not a PDF")
    if b"%PDF-" not in data[:1024]:
        raise ParseError("not a PDF: no %PDF- header in the first 1024 bytes")
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise EncryptedDocumentError("the PDF is encrypted; a password is needed") from exc
        raise ParseError(f"PDF could not be opened: {message}") from exc


def parse_scanned_pdf(data: bytes, pages: list[int] | None = None, *, dpi: int | None = None,
                      workers: int = 1, lang: str = "vie") -> Document:
    """OCR a scanned PDF into the shared document model (format "pdf-ocr").

    `pages`: 1-based page numbers to read (default: all); `dpi`: render resolution (default:
    the scan's own); `workers`: pages recognised in parallel threads, one Tesseract each
    (default 1: the batch runner parallelises over files).
    """
    pdf = _open(data)
    try:
        tesseract.engine(lang)                   # TesseractMissing (a ParseError) when not installed
    except ParseError:
        pdf.close()
        raise
    try:
        count = len(pdf)
        wanted = list(range(1, count + 1)) if pages is None else \
            sorted({int(p) for p in pages if 1 <= int(p) <= count})
        warnings: list[str] = []
        if pages is not None and len(wanted) != len(set(pages)):
            warnings.append(ParserWarning(Code.OCR_PAGES_OUT_OF_RANGE, f"the document has {count} pages"))
        results = _run(pdf, wanted, dpi, max(1, int(workers)), lang)
    finally:
        pdf.close()
    results.sort(key=lambda p: p.number)
    for p in results:
        warnings.extend(p.warnings)
    low = [p.number for p in results if p.mean_conf is not None and p.mean_conf < 60]
    if low:
        warnings.append(ParserWarning(Code.OCR_LOW_CONFIDENCE, f"pages {', '.join(map(str, low))} were read with a "
                                                               "mean confidence below 60 (poor scan?)"))
    empty = [p.number for p in results if not p.words and not p.tables]
    if results and len(empty) == len(results):
        warnings.append(ParserWarning(Code.OCR_NO_TEXT, "no text was recognised on any page"))
    normalise_sizes(results)
    fix_numbering(results)
    blocks = analysed("OCR", lambda: assemble(results))
    return Document(blocks=blocks, format=FORMAT, pages=count, warnings=warnings)


def _run(pdf, wanted: list[int], dpi: int | None, workers: int, lang: str) -> list[OcrPage]:
    def work(item: tuple[int, np.ndarray, int], engine: tesseract.Engine,
             headers: HeaderMemo | None = None) -> OcrPage:
        number, gray, page_dpi = item
        started = time.perf_counter()
        try:
            return ocr_image(gray, page_dpi, number, engine=engine, started=started, headers=headers)
        except (ParseError, MemoryError):
            raise
        except Exception as exc:   # one unreadable page must not lose the document
            page = OcrPage(number, gray.shape[1] * 72.0 / page_dpi, gray.shape[0] * 72.0 / page_dpi,
                           [], [], [], page_dpi, 0.0, time.perf_counter() - started)
            page.warnings.append(ParserWarning(Code.OCR_PAGE_FAILED, f"page {number} could not be read "
                                                                     f"({type(exc).__name__}: {exc})"))
            return page

    def rendered():
        # PDFium is not thread-safe: pages are rendered here, in the calling thread.
        for number in wanted:
            try:
                gray, page_dpi = render_page(pdf[number - 1], dpi)
            except Exception as exc:
                raise ParseError(f"PDF page {number} could not be rendered "
                                 f"({type(exc).__name__}: {exc})") from exc
            yield number, gray, page_dpi

    if workers <= 1 or len(wanted) <= 1:
        engine = tesseract.engine(lang)
        headers = HeaderMemo()
        return [work(item, engine, headers) for item in rendered()]
    # One Tesseract per thread (an instance is not thread-safe); ctypes releases the GIL while
    # Tesseract runs, so the threads recognise pages in parallel.
    engines: queue.SimpleQueue[tesseract.Engine] = queue.SimpleQueue()
    created = [tesseract.Engine(lang) for _ in range(min(workers, len(wanted)))]
    for e in created:
        engines.put(e)

    def work_with_engine(item):
        engine = engines.get()
        try:
            return work(item, engine)
        finally:
            engines.put(engine)

    results: list[OcrPage] = []
    try:
        with ThreadPoolExecutor(max_workers=len(created)) as pool:
            pending = []
            for item in rendered():
                pending.append(pool.submit(work_with_engine, item))
                while len(pending) > 2 * len(created):    # bound the rendered pages in memory
                    results.append(pending.pop(0).result())
            results.extend(f.result() for f in pending)
    finally:
        for e in created:
            e.close()
    return results


__all__ = ["parse_scanned_pdf", "page_needs_ocr", "ocr_page", "ocr_image", "FORMAT"]
