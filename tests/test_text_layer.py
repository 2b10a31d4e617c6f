"""Text layers that do not give the text (parsers.pdf.text_layer): a font without a usable
/ToUnicode map used only for the bold text (headings, table headers), and a scan under an
invisible OCR text layer. Both make the PDF parser mark the pages unreadable, which sends
them to OCR (ingest.readers); an ordinary PDF, and one typed without marks, are left alone."""
from __future__ import annotations

import unicodedata

import pytest

from conftest import DEV
from parsers.pdf import parse_pdf
from parsers.pdf.text_layer import FontText, text_is_unusable, unusable_fonts
from pdf_builder import Font, Writer

PLAN = DEV / "000_d2de27e494264d19.txt"


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if ord(ch) < 0x7F)


def _glyph_ids(text: str) -> str:
    """What a font whose codes are its glyph ids gives for `text` (TrueType's standard order
    puts each ASCII character 29 below its code: "SO CONG" -> "62 &21*")."""
    return "".join(chr(ord(ch) - 29) if ch > " " else ch for ch in _ascii(text))


def test_glyph_id_text_is_unusable_and_real_text_is_not():
    lines = [ln.strip() for ln in PLAN.read_text("utf-8").splitlines() if len(ln.strip()) > 40][:20]
    assert text_is_unusable([_glyph_ids(" ".join(lines))])
    assert text_is_unusable(["1'%$11+1>ې", "&+Ӣ", "7ӎ&+Ӭ&"] * 3)
    assert not text_is_unusable(" ".join(lines).split())
    assert not text_is_unusable(_ascii(" ".join(lines)).split())        # typed without marks
    assert not text_is_unusable(["KẾ HOẠCH", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    assert not text_is_unusable(["x"], controls=3)                        # too little to tell
    assert text_is_unusable(["ab", "cd"], controls=40)                    # control codes


def test_symbol_fonts_are_not_judged():
    bullets = FontText("ABCDEF+Wingdings-Regular", ("\uf0b7",) * 40)
    assert unusable_fonts([bullets]) == set()


def _plan_pdf(bold_to_unicode: dict[int, str] | None) -> bytes:
    """Letterhead, title, headings and an annex table; the bold text (titles, headings, the
    table header) in font F2, with the given /ToUnicode map."""
    fonts = {"F1": Font("ABCDEF+TimesNewRomanPSMT"),
             "F2": Font("BCDEFG+TimesNewRomanPS-BoldMT", bold=True, to_unicode=bold_to_unicode)}
    w = Writer(fonts, lambda font, text: _ascii(text).encode("latin-1"))
    w.new_page()
    w.paragraph("UY BAN NHAN DAN XA THUONG XUAN", "F2", 12, center=True)
    w.paragraph("KE HOACH", "F2", 14, center=True)
    w.paragraph("Cai cach hanh chinh tren dia ban xa Thuong Xuan nam 2026", "F2", 13, center=True)
    w.paragraph("I. MUC DICH, YEU CAU", "F2", 13)
    for line in PLAN.read_text("utf-8").splitlines()[20:40]:
        if len(line.strip()) > 30 and "\t" not in line:
            w.paragraph(line.strip()[:300], "F1", 13, indent=30)
    w.new_page(842, 595)
    w.margin = 40
    w.top = 40
    w.paragraph("PHU LUC SO 01: CAI CACH THE CHE", "F2", 13, center=True)
    w.table([40, 300, 150, 150, 120], [
        ["TT", "Noi dung thuc hien", "Co quan chu tri", "Co quan phoi hop", "Thoi gian hoan thanh"],
        ["1", "Ra soat van ban quy pham phap luat", "Van phong HDND va UBND", "Cac phong ban", "Quy II/2026"],
        ["2", "Kiem tra cong tac cai cach hanh chinh", "Phong Van hoa - Xa hoi", "Cac thon", "Quy IV/2026"],
    ], "F1", "F2", 11)
    return w.build()


def test_a_broken_bold_font_makes_its_pages_unreadable():
    """Only the bold font is broken: the page text as a whole still looks like Vietnamese, but
    the title and the table header are junk, so the pages go to OCR."""
    garbling = {code: chr(code - 29) for code in range(0x21, 0x7F)}
    doc = parse_pdf(_plan_pdf(garbling))
    assert doc.unreadable_pages == (1, 2)
    (warning,) = [w for w in doc.warnings if w.startswith("PDF_UNREADABLE_FONTS")]
    assert "TimesNewRomanPS-BoldMT" in warning and "TimesNewRomanPSMT," not in warning


def test_a_good_text_layer_typed_without_marks_is_readable():
    doc = parse_pdf(_plan_pdf(None))
    assert doc.unreadable_pages == ()
    assert not any(w.startswith("PDF_UNREADABLE_FONTS") for w in doc.warnings)


@pytest.mark.parametrize("doc_id", ["000_d2de27e494264d19", "002_f6f77b1eeffe7669", "003_af92c9f39506e254"])
def test_dev_pdfs_are_readable(doc_id):
    doc = parse_pdf((DEV / f"{doc_id}.pdf").read_bytes())
    assert doc.unreadable_pages == ()


def test_scan_under_an_invisible_text_layer_is_read_as_a_scan():
    """A scanned page with a good but invisible OCR text layer: its tables are only in the
    image, so the page is read from the image (and a visible text page is not)."""
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument((DEV / "000_d2de27e494264d19.scan.pdf").read_bytes())
    try:
        page = scan[10]
        image = next(o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
        jpeg, (px_w, px_h) = bytes(image.get_data(decode_simple=False)), image.get_px_size()
        width, height = page.get_size()
    finally:
        scan.close()
    w = Writer({"F1": Font("ABCDEF+TimesNewRomanPSMT")}, lambda font, text: _ascii(text).encode("latin-1"))
    sandwich = w.new_page(width, height)
    sandwich.image(jpeg, px_w, px_h)
    for k, line in enumerate(["PHU LUC SO 01: CAI CACH THE CHE", "TT Noi dung thuc hien Co quan chu tri",
                              "1 Ra soat kiem tra van ban quy pham phap luat"] * 4):
        sandwich.text(60, 60 + 15 * k, line.encode("latin-1"), "F1", 11, invisible=True)
    w.new_page()
    w.paragraph("KE HOACH cai cach hanh chinh nam 2026, trang van ban co lop chu thuong.")
    doc = parse_pdf(w.build())
    assert doc.unreadable_pages == (1,)
    assert any(x.startswith("PDF_IMAGE_WITH_TEXT_LAYER: pages 1 ") for x in doc.warnings)
