"""Scanned PDFs (image-only pages) -> Document, with Tesseract OCR (`-l vie`).

Per page (parsers.ocr_image, parsers.ocr_tesseract):

1. render the page with PDFium at the scan's own resolution (200 dpi scans are read at 200 dpi:
   300 dpi was measured slower and no more accurate), grayscale;
2. binarise (Otsu) and deskew (projection profile, up to ±3°);
3. find ruled tables from the ruling lines (long horizontal / vertical ink runs that cross),
   cut them into grid cells (a missing border = a spanned cell), and erase the rules;
4. OCR every non-empty cell on its own rectangle (page segmentation "single block"), lines
   in order, wrapped lines re-joined like the text-layer parser does; each cell gets the mean
   word confidence (0-100);
5. OCR the rest of the page (tables blanked out, automatic page segmentation) into words with
   their boxes and baselines, which then go through the same layout code as PDFs with a text
   layer (parsers.pdf_layout): lines, the two-column letterhead / signature block read column
   by column, prose paragraphs, page numbers dropped.

Pages are stitched like parsers.pdf does: a table running over a page break becomes one Table
(header rows repeated on the next page dropped, a row cut by the break merged back), and a
paragraph cut by the break is re-joined.

`page_needs_ocr(text)` tells whether the text layer of a PDF page is unusable (too little text,
or not Vietnamese: Cyrillic / private-use / replacement characters, few Vietnamese syllables),
for a later hybrid PDF reader.
"""
from __future__ import annotations

import queue
import re
import statistics
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from difflib import SequenceMatcher

import numpy as np

from normalize.text import collapse_spaces, fold_words
from parsers import ocr_image as oi
from parsers import ocr_tesseract as ot
from parsers.ocr_page import HeaderMemo, OcrPage, OcrTable, ocr_image
from parsers.errors import ParseError
from parsers.model import Cell, Document, Paragraph, Provenance, Row, Table
from parsers.pdf_layout import (GridCell, Margins, PdfParagraph, PdfTable, document_margins, drop_page_number,
                                join_text, make_lines, page_items, starts_item)
from parsers.pdf_pages import PageData, Word

FORMAT = "pdf-ocr"


def ocr_page(page, number: int, dpi: int | None = None, engine: ot.Engine | None = None) -> OcrPage:
    """OCR one pypdfium2 page."""
    started = time.perf_counter()
    gray, dpi = oi.render_page(page, dpi)
    return ocr_image(gray, dpi, number, engine=engine, started=started)


# --------------------------------------------------------------------------- numbering

_NUMBER = re.compile(r"^(\d{1,3})[.)]?$")
_NUMBER_LOOKALIKE = re.compile(r"^([0-9IlO|]{1,3})([.)]?)$")


def _fix_numbering(pages: list[OcrPage]) -> None:
    """'II' between 10. and 12. in a numbering column is 11: a number read with letters
    (I / l / | for 1, O for 0) is corrected when it continues the numbers around it."""
    column: list[GridCell] = []
    for page in pages:
        for t in page.tables:
            for cell in sorted(t.table.cells, key=lambda c: (c.row, c.col)):
                if cell.col == 0 and cell.col_span == 1 and len(cell.lines) == 1:
                    column.append(cell)

    def value(cell) -> int | None:
        m = _NUMBER.match(cell.lines[0].strip()) if cell.lines else None
        return int(m.group(1)) if m else None

    for i, cell in enumerate(column):
        text = cell.lines[0].strip()
        m = _NUMBER_LOOKALIKE.match(text)
        if not m or text[:-1].isdigit() or m.group(1).isdigit():
            continue
        candidate = m.group(1).translate(str.maketrans("IlO|", "1101"))
        if not candidate.isdigit():
            continue
        n = int(candidate)
        before = value(column[i - 1]) if i > 0 else None
        after = value(column[i + 1]) if i + 1 < len(column) else None
        if (before is not None and before + 1 == n) or (after is not None and after - 1 == n):
            cell.lines = [candidate + m.group(2)]


# --------------------------------------------------------------------------- sizes

def _normalise_sizes(pages: list[OcrPage]) -> None:
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


_NUMBERED_ROW = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,2})*|[IVX]{1,5}|[a-zđ])\s*[.)]?\s*$")


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85


class _TableBuilder:
    """One logical table assembled from its page fragments (cf. parsers.pdf)."""

    def __init__(self, fragment: OcrTable):
        self.fragments = [fragment]
        self.rows: list[list[Cell]] = []
        self.header: list[str] = []
        self._add(fragment, first=True)

    @staticmethod
    def _cells(fragment: OcrTable) -> list[list[Cell]]:
        page = fragment.table.page
        rows = []
        for grid_row in fragment.table.grid():
            row = []
            for cell, merged in grid_row:
                conf = fragment.conf.get((cell.row, cell.col))
                row.append(Cell(lines=list(cell.lines), col_span=cell.col_span, merged_from_above=merged,
                                provenance=Provenance(page=page, ocr_confidence=conf)))
            rows.append(row)
        return rows

    def _add(self, fragment: OcrTable, first: bool) -> None:
        rows = self._cells(fragment)
        if first:
            # Header rows: the leading rows before the first numbered one (at most three).
            for r in rows[:3]:
                if r and _NUMBERED_ROW.match(r[0].text):
                    break
                self.header.append(_signature(r))
        else:
            # Header rows repeated at the top of the page (OCR may read them slightly
            # differently from one page to the next).
            while rows and any(c.text for c in rows[0]) and \
                    any(_similar(_signature(rows[0]), h) for h in self.header):
                rows.pop(0)
            if rows and self.rows and self._continues_row(rows[0]):
                self._merge_into_last(rows.pop(0))
        self.rows.extend(rows)

    def _continues_row(self, row: list[Cell]) -> bool:
        if not row or row[0].text.strip() or all(c.is_empty for c in row):
            return False
        return [c.col_span for c in self.rows[-1]] == [c.col_span for c in row]

    def _merge_into_last(self, row: list[Cell]) -> None:
        last = self.rows[-1]
        for k, (a, b) in enumerate(zip(last, row)):
            if not b.lines or b.merged_from_above:
                continue
            lines = list(a.lines)
            for line in b.lines:
                if lines and not starts_item(line, lines[-1]):
                    lines[-1] = join_text(lines[-1], line)
                else:
                    lines.append(line)
            conf = _mean_conf([(a.provenance.ocr_confidence, len(a.text)),
                               (b.provenance.ocr_confidence, len(b.text))])
            prov = a.provenance.spanning(b.provenance)
            last[k] = Cell(lines=lines, col_span=a.col_span, merged_from_above=a.merged_from_above,
                           provenance=Provenance(page=prov.page, page_end=prov.page_end,
                                                 ocr_confidence=conf))

    def accepts(self, fragment: OcrTable) -> bool:
        last = self.fragments[-1].table
        new = fragment.table
        if new.page != last.page + 1 or new.width != last.width:
            return False
        return all(abs(a - b) <= 6.0 for a, b in zip(new.xs, last.xs))

    def extend(self, fragment: OcrTable) -> None:
        self.fragments.append(fragment)
        self._add(fragment, first=False)

    def build(self, index: int) -> Table:
        rows = []
        for r, cells in enumerate(self.rows):
            pages = [c.provenance.page for c in cells if c.provenance.page] or [self.fragments[0].table.page]
            ends = [c.provenance.page_end or c.provenance.page for c in cells if c.provenance.page]
            first, last = min(pages), max(ends or pages)
            fixed = [Cell(lines=c.lines, col_span=c.col_span, merged_from_above=c.merged_from_above,
                          provenance=Provenance(page=c.provenance.page or first,
                                                page_end=c.provenance.page_end, table=index, row=r,
                                                ocr_confidence=c.provenance.ocr_confidence))
                     for c in cells]
            conf = _mean_conf([(c.provenance.ocr_confidence, len(c.text)) for c in cells])
            rows.append(Row(cells=fixed, provenance=Provenance(
                page=first, page_end=last if last != first else None, table=index, row=r,
                ocr_confidence=conf)))
        first, last = self.fragments[0].table.page, self.fragments[-1].table.page
        return Table(rows=rows, provenance=Provenance(page=first, page_end=last if last != first else None,
                                                      table=index))


def _mean_conf(values: list[tuple[float | None, int]]) -> float | None:
    pairs = [(c, max(1, n)) for c, n in values if c is not None]
    if not pairs:
        return None
    return round(sum(c * n for c, n in pairs) / sum(n for _, n in pairs), 1)


# --------------------------------------------------------------------------- paragraphs

def _continues_paragraph(prev: PdfParagraph, cur: PdfParagraph, m_prev: Margins, m_cur: Margins) -> bool:
    """A paragraph cut by the page break (cf. parsers.pdf)."""
    if prev.column or cur.column:
        return False
    if starts_item(cur.first.text, prev.last.text):
        return False
    size = max(prev.last.size, cur.first.size)
    full = prev.last.x1 >= m_prev.right - 1.5 * size
    at_margin = abs(cur.first.x0 - m_cur.left) <= 0.6 * size
    return full and at_margin and prev.last.x0 <= m_prev.left + 3 * size


def _paragraph_conf(para: PdfParagraph, page: OcrPage) -> float | None:
    """Mean confidence of the page's words inside the paragraph's lines."""
    x0 = min(para.first.x0, para.last.x0) - 1
    x1 = max(para.first.x1, para.last.x1) + 1
    top, bottom = para.first.top - 1, para.last.bottom + 1
    picked = [(c, len(w.text)) for w, c in zip(page.words, page.confs)
              if x0 <= w.xc <= x1 and top <= (w.top + w.baseline) / 2 <= bottom]
    return _mean_conf(picked)


def _assemble(pages: list[OcrPage]) -> list[Paragraph | Table]:
    read = []
    for p in pages:
        data = PageData(p.number, p.width, p.height, p.words, [])
        lines = drop_page_number(make_lines(p.words), data)
        read.append((data, lines, [t.table for t in p.tables]))
    margins = document_margins(read)
    order: list[PdfParagraph | _TableBuilder] = []
    conf_of: dict[int, float | None] = {}
    previous_last: object | None = None
    previous_margins: Margins | None = None
    for page, (data, lines, _) in zip(pages, read):
        page_margins = margins[page.number]
        by_table = {id(t.table): t for t in page.tables}
        items = page_items(page.number, lines, [t.table for t in page.tables], page_margins)
        for position, item in enumerate(items):
            tail = order[-1] if order else None
            at_top = position == 0 and tail is not None
            if isinstance(item, PdfTable):
                fragment = by_table[id(item)]
                if (at_top and isinstance(tail, _TableBuilder) and previous_last is tail.fragments[-1]
                        and tail.accepts(fragment)):
                    tail.extend(fragment)
                else:
                    order.append(_TableBuilder(fragment))
                continue
            conf = _paragraph_conf(item, page)
            if (at_top and isinstance(tail, PdfParagraph) and previous_last is tail
                    and previous_margins is not None
                    and _continues_paragraph(tail, item, previous_margins, page_margins)):
                tail.text = join_text(tail.text, item.text)
                tail.last = item.last
                tail.page_end = page.number
                conf_of[id(tail)] = _mean_conf([(conf_of.get(id(tail)), len(tail.text)),
                                                (conf, len(item.text))])
                continue
            conf_of[id(item)] = conf
            order.append(item)
        previous_last = None
        if items and order:
            tail = order[-1]
            previous_last = tail.fragments[-1] if isinstance(tail, _TableBuilder) else tail
        previous_margins = page_margins

    blocks: list[Paragraph | Table] = []
    table_index = 0
    for item in order:
        if isinstance(item, _TableBuilder):
            table = item.build(table_index)
            if table.rows:
                blocks.append(table)
                table_index += 1
            continue
        text = collapse_spaces(item.text)
        if not text:
            continue
        blocks.append(Paragraph(text=text, bold=item.bold, list_item=item.list_item,
                                provenance=Provenance(page=item.page, page_end=item.page_end,
                                                      ocr_confidence=conf_of.get(id(item)))))
    return blocks


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
            from parsers.errors import EncryptedDocumentError
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
        ot.engine(lang)                   # TesseractMissing (a ParseError) when not installed
    except ParseError:
        pdf.close()
        raise
    try:
        count = len(pdf)
        wanted = list(range(1, count + 1)) if pages is None else \
            sorted({int(p) for p in pages if 1 <= int(p) <= count})
        warnings: list[str] = []
        if pages is not None and len(wanted) != len(set(pages)):
            warnings.append(f"OCR_PAGES_OUT_OF_RANGE: the document has {count} pages")
        results = _run(pdf, wanted, dpi, max(1, int(workers)), lang)
    finally:
        pdf.close()
    results.sort(key=lambda p: p.number)
    for p in results:
        warnings.extend(p.warnings)
    low = [p.number for p in results if p.mean_conf is not None and p.mean_conf < 60]
    if low:
        warnings.append(f"OCR_LOW_CONFIDENCE: pages {', '.join(map(str, low))} were read with a "
                        "mean confidence below 60 (poor scan?)")
    empty = [p.number for p in results if not p.words and not p.tables]
    if results and len(empty) == len(results):
        warnings.append("OCR_NO_TEXT: no text was recognised on any page")
    _normalise_sizes(results)
    _fix_numbering(results)
    try:
        blocks = _assemble(results)
    except (ParseError, MemoryError, RecursionError):
        raise
    except Exception as exc:    # geometry the layout code did not expect: report, do not crash
        raise ParseError(f"OCR layout could not be analysed ({type(exc).__name__}: {exc})") from exc
    return Document(blocks=blocks, format=FORMAT, pages=count, warnings=warnings)


def _run(pdf, wanted: list[int], dpi: int | None, workers: int, lang: str) -> list[OcrPage]:
    def work(item: tuple[int, np.ndarray, int], engine: ot.Engine,
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
            page.warnings.append(f"OCR_PAGE_FAILED: page {number} could not be read "
                                 f"({type(exc).__name__}: {exc})")
            return page

    def rendered():
        # PDFium is not thread-safe: pages are rendered here, in the calling thread.
        for number in wanted:
            try:
                gray, page_dpi = oi.render_page(pdf[number - 1], dpi)
            except Exception as exc:
                raise ParseError(f"PDF page {number} could not be rendered "
                                 f"({type(exc).__name__}: {exc})") from exc
            yield number, gray, page_dpi

    if workers <= 1 or len(wanted) <= 1:
        engine = ot.engine(lang)
        headers = HeaderMemo()
        return [work(item, engine, headers) for item in rendered()]
    # One Tesseract per thread (an instance is not thread-safe); ctypes releases the GIL while
    # Tesseract runs, so the threads recognise pages in parallel.
    engines: queue.SimpleQueue[ot.Engine] = queue.SimpleQueue()
    created = [ot.Engine(lang) for _ in range(min(workers, len(wanted)))]
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


# --------------------------------------------------------------------------- text-layer check

_VIET_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_MOJIBAKE = set("ÐÞßæðøþÆØÅåÑñÇçÏïËëÖöÄäÜüÛûÎîÿ¸¹µ¶·¨ª«¬®¯±²³´¼½¾¿×÷¦¤¥¡¢£")
_CASE_FLIP = re.compile(r"[^\W\d_](?<![A-ZÀ-ỸĐ])[A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯÖØÜÐÑÇÏËÄÅÆ][a-zà-ỹđ]")
_VIET_TONED = re.compile(r"[àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                         re.IGNORECASE)
_COMMON_SYLLABLES = frozenset("""
và của các có được cho trong với là theo năm thực hiện xã ủy ban nhân dân kế hoạch cơ quan
công tác hành chính cải cách phòng người đơn vị về tỉnh huyện việc này những một số đã để
không đến trên tại từ quy định nội dung phối hợp chủ trì thời gian hoàn thành sản phẩm kết
quả báo cáo nhiệm vụ giải pháp chỉ tiêu mục đích yêu cầu triển khai tổ chức cán bộ chức
""".split())


def page_needs_ocr(text: str) -> bool:
    """Whether a PDF page's text layer is unusable and the page should be OCRed instead.

    True when the page has (almost) no text, or when the text is not Vietnamese: many Cyrillic,
    Greek, private-use, replacement or control characters (a font without a usable ToUnicode
    map, TCVN3/VNI bytes shown as Latin-1), or too few Vietnamese syllables among its words.
    """
    text = unicodedata.normalize("NFC", text or "")
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 40:
        return True
    strange = 0
    for ch in text:
        code = ord(ch)
        if (0x0400 <= code <= 0x04FF or 0x0370 <= code <= 0x03FF or 0xE000 <= code <= 0xF8FF
                or code == 0xFFFD or (code < 32 and ch not in "\n\r\t") or 0x80 <= code < 0xA0):
            strange += 1
    if strange > 0.05 * len(letters):
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 8:
        return True
    # Mojibake of legacy encodings (TCVN3 / VNI bytes shown as Latin-1 / cp1252): letters
    # Vietnamese does not use, Latin-1 symbols inside words, case flips inside a word.
    foreign = sum(1 for ch in text if ch in _MOJIBAKE)
    flips = sum(1 for w in re.findall(r"[^\W\d_]+", text) if _CASE_FLIP.search(w))
    if foreign > 0.03 * len(letters) or flips > 0.1 * len(words):
        return True
    vietnamese = sum(1 for w in words if w in _COMMON_SYLLABLES or _VIET_TONED.search(w)
                     or any(ch in _VIET_LETTERS for ch in w))
    return vietnamese < 0.35 * len(words)


__all__ = ["parse_scanned_pdf", "page_needs_ocr", "ocr_page", "ocr_image", "FORMAT"]
