"""The PDF reader (ingest.readers) falls back to OCR when a PDF's text layer is garbage: a scan
with an invisible text layer whose font maps its codes to Cyrillic and private-use characters
(a broken /ToUnicode map, as some scanners and converters write) is read with OCR, with an
OCR_FALLBACK warning. A normal PDF, and a PDF in a legacy Vietnamese font, are not sent to OCR.

The garbled PDF is built here (tests/pdf_builder.py) from two page images of a dev scan: the
first page (letterhead, "KẾ HOẠCH") and the first annex page (task table); OCR takes about
2 s a page.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import pytest

from conftest import DEV
from ingest.readers import ReadOptions, read_document
from normalize.text import clean, fold_words
from parsers.pdf.ocr import tesseract
from parsers.model import Document
from parsers.pdf.ocr import page_needs_ocr
from parsers.pdf import parse_pdf
from pdf_builder import Font, Writer

DOC_ID = "000_d2de27e494264d19"
SCAN = DEV / f"{DOC_ID}.scan.pdf"
PAGES = (1, 11)            # letterhead + title; "Phụ lục số 01" with its task table

_MISSING = tesseract.available("vie")
needs_ocr = pytest.mark.skipif(_MISSING is not None or not SCAN.is_file(),
                               reason=f"Tesseract or the dev scans are not available: {_MISSING}")


def _garbling() -> dict[int, str]:
    """A broken /ToUnicode map: letters to Cyrillic, vowels to private-use characters, digits
    and punctuation kept ("6Ӣ CÔNG 7+ѬѪ1*" is what such layers look like)."""
    mapping = {}
    for code in range(0x21, 0x7F):
        ch = chr(code)
        if ch.lower() in "aeiouy":
            mapping[code] = chr(0xE000 + code)
        elif ch.isupper():
            mapping[code] = chr(0x0410 + code - 0x41)
        elif ch.islower():
            mapping[code] = chr(0x0450 + code - 0x61)
        else:
            mapping[code] = ch
    mapping[0x20] = " "
    return mapping


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if ord(ch) < 0x7F)


def _scan_pages() -> list[tuple[bytes, int, int, float, float]]:
    """(JPEG data, pixel width, height, page width, height) of PAGES of the dev scan."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(SCAN.read_bytes())
    try:
        out = []
        for number in PAGES:
            page = pdf[number - 1]
            image = next(o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
            assert image.get_filters() == ["DCTDecode"]
            width, height = image.get_px_size()
            out.append((bytes(image.get_data(decode_simple=False)), width, height, *page.get_size()))
        return out
    finally:
        pdf.close()


def _page_texts() -> list[list[str]]:
    """The text of PAGES from the dev PDF's (good) text layer, line by line."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument((DEV / f"{DOC_ID}.pdf").read_bytes())
    try:
        texts = []
        for number in PAGES:
            textpage = pdf[number - 1].get_textpage()
            texts.append([ln for ln in textpage.get_text_range().splitlines() if ln.strip()])
            textpage.close()
        return texts
    finally:
        pdf.close()


@lru_cache(maxsize=None)
def garbled_pdf() -> bytes:
    """The scan pages, each with an invisible text layer (rendering mode 3) of its own text
    drawn in a font whose /ToUnicode map gives garbage."""
    w = Writer({"F1": Font("ABCDEF+TimesNewRomanPSMT", to_unicode=_garbling())})
    for (jpeg, px_w, px_h, width, height), lines in zip(_scan_pages(), _page_texts()):
        page = w.new_page(width, height)
        page.image(jpeg, px_w, px_h)
        top = 60.0
        for line in lines:
            page.text(60, top, _ascii(line).encode("latin-1")[:110], "F1", 11, invisible=True)
            top += 15
    return w.build()


@lru_cache(maxsize=None)
def read_garbled() -> Document:
    return read_document("pdf", garbled_pdf(), ReadOptions())


# --------------------------------------------------------------------------- garbled layer

@needs_ocr
def test_text_layer_of_the_built_pdf_is_garbage():
    doc = parse_pdf(garbled_pdf())
    assert doc.pages == 2 and not any(w.startswith("PDF_NO_TEXT_LAYER") for w in doc.warnings)
    text = " ".join(p.text for p in doc.paragraphs())
    assert sum(ch.isalpha() for ch in text) > 400
    assert any("\u0400" <= ch <= "\u04ff" for ch in text) and any("\ue000" <= ch <= "\uf8ff" for ch in text)
    assert page_needs_ocr(text)


@needs_ocr
def test_garbled_text_layer_is_read_with_ocr():
    doc = read_garbled()
    assert doc.format == "pdf-ocr" and doc.pages == 2
    fallback = [w for w in doc.warnings if w.startswith("OCR_FALLBACK:")]
    assert len(fallback) == 1 and "pages 1, 2 " in fallback[0]
    texts = [clean(p.text) for p in doc.paragraphs()]
    assert "KẾ HOẠCH" in texts
    assert "ỦY BAN NHÂN DÂN" in texts
    assert "Phụ lục số 01: Cải cách thể chế" in texts
    assert not any("\u0400" <= ch <= "\u04ff" or "\ue000" <= ch <= "\uf8ff" for t in texts for ch in t)
    # The annex table of page 2 (page 11 of the scan) is read as a task table.
    table = doc.tables()[0]
    header = [fold_words(c.text) for c in table.rows[0].cells]
    assert header[:2] == ["tt", "noi dung thuc hien"] and header[-1] == "thoi gian hoan thanh"
    row1 = table.rows[1]
    assert fold_words(row1.cells[1].text).startswith("ra soat kiem tra van ban quy pham phap luat")
    assert row1.provenance.page == 2


@needs_ocr
def test_garbled_pdf_gives_tasks_and_an_ocr_fallback_issue():
    import hashlib

    from ingest.assemble import SourceInfo, build_plan_document

    doc = read_garbled()
    data = garbled_pdf()
    plan = build_plan_document(doc, SourceInfo("garbled.pdf", hashlib.sha256(data).hexdigest(), doc.format,
                                               doc.pages), "garbled")
    assert "OCR_FALLBACK" in {i.code for i in plan.issues}
    contents = [fold_words(t.content) for t in plan.tasks]
    assert len(contents) >= 4
    assert contents[0].startswith("ra soat kiem tra van ban quy pham phap luat")


# --------------------------------------------------------------------------- not sent to OCR

def _no_ocr(monkeypatch) -> None:
    import parsers.pdf.ocr

    def fail(*args, **kwargs):
        raise AssertionError("the PDF was sent to OCR")
    monkeypatch.setattr(parsers.pdf.ocr, "parse_scanned_pdf", fail)


@pytest.mark.parametrize("doc_id", ["000_d2de27e494264d19", "002_f6f77b1eeffe7669"])
def test_dev_pdf_with_a_good_text_layer_is_not_sent_to_ocr(doc_id, monkeypatch):
    _no_ocr(monkeypatch)
    doc = read_document("pdf", (DEV / f"{doc_id}.pdf").read_bytes(), ReadOptions())
    assert doc.format == "pdf" and doc.tables()
    assert not any(w.startswith("OCR_FALLBACK") for w in doc.warnings)


# --------------------------------------------------------------------------- only some pages

def _spy_on_ocr(monkeypatch) -> list:
    """The `pages` argument of every parse_scanned_pdf call, in a list that fills as it goes."""
    import parsers.pdf.ocr

    asked: list = []
    real = parsers.pdf.ocr.parse_scanned_pdf

    def spy(data, pages=None, **kwargs):
        asked.append(pages)
        return real(data, pages, **kwargs)
    monkeypatch.setattr(parsers.pdf.ocr, "parse_scanned_pdf", spy)
    return asked


def mixed_pdf() -> bytes:
    """The first ten pages of the dev PDF (a good text layer: the plan's prose) followed by the
    built garbled annex page: a plan whose annex was appended from a broken export."""
    import io

    import pypdfium2 as pdfium

    good = pdfium.PdfDocument((DEV / f"{DOC_ID}.pdf").read_bytes())
    bad = pdfium.PdfDocument(garbled_pdf())
    out = pdfium.PdfDocument.new()
    out.import_pages(good, list(range(10)))
    out.import_pages(bad, [1])
    buffer = io.BytesIO()
    out.save(buffer)
    for pdf in (good, bad, out):
        pdf.close()
    return buffer.getvalue()


@needs_ocr
def test_only_the_unreadable_pages_are_read_with_ocr(monkeypatch):
    asked = _spy_on_ocr(monkeypatch)
    doc = read_document("pdf", mixed_pdf(), ReadOptions())
    assert asked == [[11]] and doc.pages == 11 and doc.format == "pdf-ocr"
    fallback = [w for w in doc.warnings if w.startswith("OCR_FALLBACK:")]
    assert len(fallback) == 1 and "pages 11 were read with OCR, the others from the text layer" in fallback[0]
    # pages 1-10 keep their exact text layer; page 11's table comes from OCR, in page order
    text_layer = parse_pdf((DEV / f"{DOC_ID}.pdf").read_bytes())
    expected = [p.text for p in text_layer.paragraphs() if (p.provenance.page or 0) <= 10]
    got = [p.text for p in doc.paragraphs() if (p.provenance.page or 0) <= 10]
    assert got == expected and "KẾ HOẠCH" in [clean(t) for t in got]
    annex = [t for t in doc.tables() if t.rows[0].provenance.page == 11]
    assert annex and annex[-1] is doc.tables()[-1]
    assert [t.provenance.table for t in doc.tables()] == list(range(len(doc.tables())))
    row1 = annex[0].rows[1]
    assert fold_words(row1.cells[1].text).startswith("ra soat kiem tra van ban quy pham phap luat")
    assert row1.cells[1].provenance.ocr_confidence is not None


def test_a_table_running_onto_an_unreadable_page_is_read_whole_by_ocr():
    from parsers.model import Cell, Paragraph, Provenance, Row, Table
    from parsers.pdf.hybrid import pages_to_read

    table = Table(rows=[Row([Cell(["a"])], Provenance(page=9)), Row([Cell(["b"])], Provenance(page=10))],
                  provenance=Provenance(page=9, page_end=10))
    doc = Document(blocks=[Paragraph("x", Provenance(page=1)), table], format="pdf", pages=11)
    assert pages_to_read(doc, {10, 11}) == {9, 10, 11}
    assert pages_to_read(doc, {11}) == {11}


@needs_ocr
def test_one_scanned_page_appended_to_a_text_pdf_is_read(monkeypatch):
    """A single page that is only an image (the annex scanned and appended) is OCRed, not
    dropped as a blank separator page; the text pages are not OCRed."""
    import io

    import pypdfium2 as pdfium

    good = pdfium.PdfDocument((DEV / f"{DOC_ID}.pdf").read_bytes())
    scan = pdfium.PdfDocument(SCAN.read_bytes())
    out = pdfium.PdfDocument.new()
    out.import_pages(good, list(range(10)))
    out.import_pages(scan, [10])            # the scan's page 11: "Phụ lục số 01" and its table
    buffer = io.BytesIO()
    out.save(buffer)
    for pdf in (good, scan, out):
        pdf.close()
    asked = _spy_on_ocr(monkeypatch)
    doc = read_document("pdf", buffer.getvalue(), ReadOptions())
    assert asked == [[11]]
    assert not any(w.startswith("PDF_PAGES_WITHOUT_TEXT") for w in doc.warnings)
    annex = [t for t in doc.tables() if t.rows[0].provenance.page == 11]
    assert annex and fold_words(annex[0].rows[1].cells[1].text).startswith("ra soat kiem tra van ban")
