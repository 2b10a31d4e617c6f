"""OCR of scanned PDFs (parsers.pdf.ocr): the dev scans against the gold plans, page-level checks of
the tables and the letterhead, the text-layer heuristic, and the errors for a missing Tesseract.

The scans are looked for in tests/data/dev, then in /work/shared/corpus/dev. OCR takes
about 0.8 s a page: every dev scan is read against its gold (about 50 s on one core);
KEHOACH_OCR_QUICK=1 leaves that check out for quick local runs.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import importlib.util
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from normalize.text import clean, fold_words
from parsers.pdf.ocr import tesseract
from parsers.errors import ParseError
from parsers.model import Document, Table
from parsers.pdf.ocr import page_needs_ocr, parse_scanned_pdf
from parsers.pdf.ocr.cleanup import fix_line

HERE = Path(__file__).parent
_LOCAL = HERE / "data" / "dev"
_SHARED = Path("/work/shared/corpus/dev")
GOLD = HERE / "data" / "gold"
if not GOLD.is_dir():
    GOLD = Path("/work/shared/gold/dev")
IDS = ["000_d2de27e494264d19", "002_f6f77b1eeffe7669", "003_af92c9f39506e254"]
FIRST = IDS[0]
FIRST_ANNEX_PAGE = 11          # 000: "Phụ lục số 01" and "Phụ lục số 02" start here
QUICK = os.environ.get("KEHOACH_OCR_QUICK", "") not in ("", "0")


def scan(doc_id: str) -> Path | None:
    for folder in (_LOCAL, _SHARED):
        path = folder / f"{doc_id}.scan.pdf"
        if path.is_file():
            return path
    return None


_TESSERACT_MISSING = tesseract.available("vie")
needs_tesseract = pytest.mark.skipif(
    _TESSERACT_MISSING is not None,
    reason=f"Tesseract OCR is not installed: {_TESSERACT_MISSING}")
needs_scans = pytest.mark.skipif(scan(FIRST) is None, reason="dev scans (*.scan.pdf) not available")


@lru_cache(maxsize=None)
def ocr(doc_id: str, pages: tuple[int, ...] | None = None) -> Document:
    return parse_scanned_pdf(scan(doc_id).read_bytes(), list(pages) if pages else None)


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


# --------------------------------------------------------------------------- page_needs_ocr

VIETNAMESE = ("Thực hiện Kế hoạch số 257/KH-UBND ngày 22 tháng 12 năm 2025 của UBND tỉnh Thanh Hóa "
              "về Kế hoạch cải cách hành chính trên địa bàn tỉnh Thanh Hóa năm 2026; Ủy ban nhân dân "
              "xã Thường Xuân ban hành Kế hoạch cải cách hành chính nhà nước năm 2026.")


def test_page_needs_ocr_accepts_vietnamese_text():
    assert not page_needs_ocr(VIETNAMESE)
    assert not page_needs_ocr(VIETNAMESE.upper())


def test_page_needs_ocr_flags_empty_and_tiny_pages():
    assert page_needs_ocr("")
    assert page_needs_ocr("   \n ")
    assert page_needs_ocr("12")          # only a page number


def test_page_needs_ocr_flags_garbled_text_layers():
    cyrillic = "Тхѕц хиїн Кї хоьч сђ 257/КХ-УБНД нгаы 22 тханг 12 нѓм 2025 цѕа УБНД тѕнх Тханх Хоа " * 2
    assert page_needs_ocr(cyrillic)
    private_use = "".join(chr(0xE000 + (i % 200)) if i % 3 else " " for i in range(300))
    assert page_needs_ocr(private_use)
    # TCVN3 bytes shown as Latin-1 ("Thùc hiÖn KÕ ho¹ch ...").
    tcvn3 = ("Thùc hiÖn KÕ ho¹ch sè 257/KH-UBND ngµy 22 th¸ng 12 n¨m 2025 cña UBND tØnh Thanh Hãa "
             "vÒ KÕ ho¹ch c¶i c¸ch hµnh chÝnh trªn ®Þa bµn tØnh Thanh Hãa n¨m 2026")
    assert page_needs_ocr(tcvn3)
    replacement = "Th\ufffdc hi\ufffdn K\ufffd ho\ufffdch s\ufffd " * 20
    assert page_needs_ocr(replacement)
    english = "The quick brown fox jumps over the lazy dog and keeps running far away. " * 3
    assert page_needs_ocr(english)


# --------------------------------------------------------------------------- OCR text fixes

@pytest.mark.parametrize("read, fixed", [
    ("I.MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("ø) Mức độ hài lòng", "g) Mức độ hài lòng"),
    ("~ Sở Nội vụ (b/c);", "- Sở Nội vụ (b/c);"),
    ("Trung tâm Phục vụHCC", "Trung tâm Phục vụ HCC"),
    ("Quý [I/2026", "Quý II/2026"),
    ("Quý 1/2026", "Quý 1/2026"),                 # arabic quarters are left alone
    ("Hoàng Sÿ Hùng", "Hoàng Sỹ Hùng"),
    ("XÃ THƯỜNG XUÂN", "XÃ THƯỜNG XUÂN"),
    ("HĐND&UBND xã; QĐ-TTg", "HĐND&UBND xã; QĐ-TTg"),
])
def test_ocr_slips_are_fixed(read, fixed):
    assert fix_line(read) == fixed


# --------------------------------------------------------------------------- errors

def test_not_a_pdf_is_a_parse_error():
    with pytest.raises(ParseError, match="empty"):
        parse_scanned_pdf(b"")
    with pytest.raises(ParseError, match="not a PDF"):
        parse_scanned_pdf(b"hello, world")
    with pytest.raises(ParseError):
        parse_scanned_pdf(b"%PDF-1.4\n" + b"\x00" * 200)


def test_missing_library_is_a_clear_parse_error(monkeypatch):
    monkeypatch.setattr(tesseract, "_lib", None)
    monkeypatch.setattr(tesseract, "_lib_error", None)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)

    def no_library(*args, **kwargs):
        raise OSError("cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ParseError, match=r"Tesseract OCR is not installed.*apt-get install tesseract-ocr"):
        tesseract.Engine("vie")


@needs_tesseract
def test_missing_language_model_is_a_clear_parse_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))      # no traineddata in there
    with pytest.raises(ParseError, match=r"Vietnamese model \(vie.traineddata\).*tesseract-ocr-vie"):
        tesseract.Engine("vie")


@needs_tesseract
@needs_scans
def test_unknown_language_is_a_parse_error():
    with pytest.raises(ParseError, match="not installed"):
        parse_scanned_pdf(scan(FIRST).read_bytes(), [1], lang="zzz_no_such_model")


# --------------------------------------------------------------------------- pages

@needs_tesseract
@needs_scans
def test_first_annex_page_tables():
    doc = ocr(FIRST, (FIRST_ANNEX_PAGE,))
    assert doc.format == "pdf-ocr"
    assert doc.pages == 16
    found = tables(doc)
    assert len(found) == 2                       # "Phụ lục số 01" and the start of "số 02"
    first = found[0]
    assert len(first.rows) == 5
    header = [fold_words(c.text) for c in first.rows[0].cells]
    assert header == ["tt", "noi dung thuc hien", "san pham ket qua", "co quan chu tri",
                      "co quan phoi hop", "thoi gian hoan thanh"]
    assert [r.cells[0].text for r in first.rows[1:]] == ["1", "2", "3", "4"]
    row1 = first.rows[1]
    assert fold_words(row1.cells[1].text).startswith("ra soat kiem tra van ban quy pham phap luat")
    assert row1.cells[2].lines == ["- Kế hoạch;", "- Báo cáo rà soát"]     # lines kept apart
    assert clean(row1.cells[5].text) == "Cả năm 2026"
    for row in first.rows:
        for cell in row.cells:
            assert cell.provenance.page == FIRST_ANNEX_PAGE
            if cell.text:
                assert 0 <= cell.provenance.ocr_confidence <= 100
    confidences = [c.provenance.ocr_confidence for r in first.rows[1:] for c in r.cells if c.text]
    assert sum(confidences) / len(confidences) > 80
    titles = [clean(p.text) for p in doc.paragraphs()]
    assert "Phụ lục số 01: Cải cách thể chế" in titles
    assert "Phụ lục số 02: Cải cách thủ tục hành chính" in titles
    assert not any(re.fullmatch(r"\d+", t) for t in titles)     # the page number is dropped


@needs_tesseract
@needs_scans
def test_letterhead_is_read_column_by_column():
    doc = ocr(FIRST, (1,))
    texts = [clean(p.text) for p in doc.paragraphs()]
    assert not any("ỦY BAN NHÂN DÂN" in t and "CỘNG HÒA" in t for t in texts)
    head = texts[:6]
    assert head.index("ỦY BAN NHÂN DÂN") < head.index("XÃ THƯỜNG XUÂN") < head.index("Số: 09/KH-UBND")
    assert head.index("Số: 09/KH-UBND") < head.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert "Thường Xuân, ngày 10 tháng 01 năm 2026" in head
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts
    assert all(p.provenance.page == 1 for p in doc.paragraphs())
    assert all(0 <= p.provenance.ocr_confidence <= 100 for p in doc.paragraphs())


def _pdf_of_images(images, dpi: int = 200) -> bytes:
    import io

    from PIL import Image
    pages = [Image.fromarray(a) for a in images]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buf.getvalue()


@needs_tesseract
def test_blank_page_gives_an_empty_document_with_a_warning():
    import numpy as np
    doc = parse_scanned_pdf(_pdf_of_images([np.full((2339, 1654), 255, np.uint8)]))
    assert doc.blocks == [] and doc.pages == 1
    assert any(w.startswith("OCR_NO_TEXT") for w in doc.warnings)


@needs_tesseract
@needs_scans
def test_page_scanned_upside_down_is_turned():
    import numpy as np
    import pypdfium2 as pdfium

    from parsers.pdf.ocr.image import render_page
    pdf = pdfium.PdfDocument(scan(FIRST).read_bytes())
    gray, dpi = render_page(pdf[0])
    pdf.close()
    doc = parse_scanned_pdf(_pdf_of_images([np.ascontiguousarray(gray[::-1, ::-1])], dpi))
    assert any(w.startswith("OCR_PAGE_TURNED") for w in doc.warnings)
    texts = [clean(p.text) for p in doc.paragraphs()]
    assert texts[:3] == ["ỦY BAN NHÂN DÂN", "XÃ THƯỜNG XUÂN", "Số: 09/KH-UBND"]


# --------------------------------------------------------------------------- whole documents

def _reference_scorer():
    path = HERE / "reference" / "score.py"
    if not path.is_file():
        path = Path("/work/shared/eval/score.py")
    spec = importlib.util.spec_from_file_location("reference_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(doc_ids: list[str], tmp_path: Path) -> dict[str, float]:
    from ingest.assemble import SourceInfo, build_plan_document

    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    for doc_id in doc_ids:
        data = scan(doc_id).read_bytes()
        document = ocr(doc_id)
        plan = build_plan_document(document, SourceInfo(f"{doc_id}.scan.pdf", hashlib.sha256(data).hexdigest(),
                                                        "pdf-ocr", document.pages), doc_id)
        (pred_dir / f"{doc_id}.scan.json").write_text(plan.to_json(), encoding="utf-8")
        shutil.copy(GOLD / f"{doc_id}.json", gold_dir / f"{doc_id}.json")
    scorer = _reference_scorer()
    metrics, _, _ = scorer.score(scorer.load_dir(gold_dir), scorer.load_dir(pred_dir))
    return metrics


FLOORS = {"tasks.recall": 0.90, "tasks.precision": 0.90, "tasks.lead": 0.85,
          "tasks.deadline_due": 0.85, "tasks.content": 0.85, "targets.recall": 0.80}   # the OCR issue's
# What the dev scans reach today (1.0 on every metric), less a little: a regression check.
HELD = {"tasks.recall": 0.99, "tasks.precision": 0.99, "tasks.seq": 0.98, "tasks.content": 0.98,
        "tasks.lead": 0.98, "tasks.coordinating": 0.98, "tasks.deadline_kind": 0.98,
        "tasks.deadline_due": 0.98, "targets.recall": 0.98, "targets.precision": 0.98}


@needs_tesseract
@needs_scans
def test_one_scanned_plan_against_gold(tmp_path):
    if not (GOLD / f"{FIRST}.json").is_file():
        pytest.skip("gold plans not available")
    metrics = _score([FIRST], tmp_path)
    low = {k: metrics[k] for k, floor in FLOORS.items() if metrics[k] < floor}
    assert not low, f"below the floors {FLOORS}: {low}"
    assert metrics["plan.commune"] == 1.0 and metrics["plan.number"] == 1.0


@needs_tesseract
@pytest.mark.skipif(QUICK, reason="KEHOACH_OCR_QUICK=1: every dev scan is not read")
@pytest.mark.skipif(any(scan(i) is None for i in IDS), reason="dev scans not available")
def test_every_dev_scan_against_gold(tmp_path):
    metrics = _score(IDS, tmp_path)
    low = {k: metrics[k] for k, floor in {**FLOORS, **HELD}.items() if metrics[k] < floor}
    assert not low, f"below the floors {FLOORS} / {HELD}: {low}"
    stitched = [t for t in tables(ocr(IDS[1])) if t.provenance.page_end]
    assert stitched, "a table running over several pages should be one Table"


@needs_tesseract
@needs_scans
def test_page_selection_and_parallel_pages_give_the_same_document():
    data = scan(FIRST).read_bytes()
    sequential = ocr(FIRST, (1, FIRST_ANNEX_PAGE))
    parallel = parse_scanned_pdf(data, [FIRST_ANNEX_PAGE, 1], workers=2)
    assert [getattr(b, "text", None) for b in parallel.blocks] == \
        [getattr(b, "text", None) for b in sequential.blocks]
    assert [[r.texts for r in t.rows] for t in tables(parallel)] == \
        [[r.texts for r in t.rows] for t in tables(sequential)]
