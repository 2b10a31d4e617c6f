"""PDFs whose text layer is in a legacy Vietnamese font (TCVN3 ".VnTime" / ".VnTimeH", VNI
"VNI-Times"): the words come out as the font's 8-bit codes read as WinAnsi ("KÕ ho¹ch") and are
converted to Unicode by the PDF parser, with a LEGACY_ENCODING_CONVERTED warning; such a PDF
must give the same tasks as the plan's Unicode text and must not be sent to OCR.

The PDFs are written here (tests/pdf_builder.py) from a dev plan: its letterhead, opening
paragraphs and some rows of its annex task table, drawn with non-embedded fonts named like the
old fonts, in the bytes those fonts used (normalize.legacy.from_unicode).
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import DEV
from ingest.convert import convert_file
from ingest.readers import ReadOptions, read_document
from normalize.legacy import from_unicode
from normalize.text import clean
from parsers.pdf import parse_pdf
from pdf_builder import Font, Writer, to_bytes

SOURCE = DEV / "002_f6f77b1eeffe7669.txt"
ENGINES = ["pdfium", "pdfplumber"]
# Resource name -> /BaseFont per encoding. F1 body text, F2 bold (table header, headings),
# F3 the capitals font (title, letterhead): TCVN3 has ".VnTimeH", VNI writes capitals itself.
FONTS = {
    "tcvn3": {"F1": ".VnTime", "F2": "ABCDEF+.VnTime,Bold", "F3": "BCDEFG+.VnTimeH,Bold"},
    "vni": {"F1": "VNI-Times", "F2": "CDEFGH+VNI-Times-Bold", "F3": "VNI-Times,Bold"},
}
TABLE_ROWS = ("I", "4.", "5.", "II", "10.", "11.")   # TT of the annex rows drawn


def _typed(text: str, encoding: str) -> str:
    """TCVN3 as typists wrote capitals in a normal (not "H") font: toned capitals, which the
    font lacks, typed as the lowercase letter ("MỤC" -> "MôC")."""
    out = []
    for ch in text:
        legacy = from_unicode(ch, encoding)
        if encoding == "tcvn3" and len(legacy) > 1 and ch.isupper():
            legacy = from_unicode(ch.lower(), encoding)
        out.append(legacy)
    return "".join(out)


# The same text in fonts whose names say nothing: Word substitutes "Times New Roman" for a
# missing ".VnTime" and keeps the bytes; converters rename fonts.
UNNAMED = {"F1": "TimesNewRomanPSMT", "F2": "ABCDEF+TimesNewRomanPS-BoldMT",
           "F3": "BCDEFG+TimesNewRomanPS-BoldMT"}


def _encoder(encoding: str, unnamed: bool = False):
    def encode(font: str, text: str) -> bytes:
        if font == "F3" and unnamed:
            return to_bytes(_typed(text, encoding))      # no capitals font without its name
        if font == "F3":
            return to_bytes(from_unicode(text, encoding, uppercase_font=encoding == "tcvn3"))
        if font == "F2":
            return to_bytes(_typed(text, encoding))
        return to_bytes(from_unicode(text, encoding))
    return encode


@lru_cache(maxsize=None)
def plan_content() -> tuple[list[str], list[list[str]]]:
    """(opening paragraphs from the title to section I, annex rows: header + TABLE_ROWS)."""
    lines = [ln.rstrip("\n") for ln in SOURCE.read_text("utf-8").splitlines()]
    prose = [ln.strip() for ln in lines if ln.strip() and "\t" not in ln]
    start = prose.index("KẾ HOẠCH")
    end = next(i for i, p in enumerate(prose) if p.startswith("II. MỤC TIÊU"))
    rows = [[c.strip() for c in ln.split("\t")] for ln in lines if "\t" in ln]
    header = rows[0]
    body = [r for r in rows if r[0] in TABLE_ROWS and "<" not in "".join(r)]
    assert [r[0] for r in body] == list(TABLE_ROWS)
    return prose[start:end], [header] + body


LETTERHEAD = (["ỦY BAN NHÂN DÂN", "XÃ THIÊN PHÚ", "Số: 12/KH-UBND"],
              ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
               "Thiên Phú, ngày 15 tháng 01 năm 2026"])
ANNEX_TITLE = ["Phụ lục", "PHÂN CÔNG THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH"]


def unicode_text() -> str:
    """The same plan as a Unicode .txt (the reference)."""
    prose, rows = plan_content()
    parts = LETTERHEAD[0] + LETTERHEAD[1] + prose + ANNEX_TITLE
    return "\n\n".join(parts) + "\n\n" + "\n".join("\t".join(r) for r in rows) + "\n"


@lru_cache(maxsize=None)
def legacy_pdf(encoding: str, unnamed: bool = False) -> bytes:
    names = UNNAMED if unnamed else FONTS[encoding]
    fonts = {res: Font(base, bold=res != "F1", legacy=encoding) for res, base in names.items()}
    w = Writer(fonts, _encoder(encoding, unnamed))
    prose, rows = plan_content()
    w.new_page()
    w.columns([(LETTERHEAD[0][0], "F1"), (LETTERHEAD[0][1], "F3"), (LETTERHEAD[0][2], "F1")],
              [(LETTERHEAD[1][0], "F3"), (LETTERHEAD[1][1], "F2"), (LETTERHEAD[1][2], "F1")])
    for k, text in enumerate(prose):
        if k == 0:
            w.paragraph(text, "F3", 14, center=True)
        elif k == 1:
            w.paragraph(text, "F2", 13, center=True, after=14)
        elif text[:3] in ("I. ", "II."):
            w.paragraph(text, "F2", 13, indent=36)       # section heading, typed in capitals
        else:
            w.paragraph(text, "F1", 13, indent=36)
    w.new_page(842, 595)
    w.margin = 40
    w.top = 40
    w.paragraph(ANNEX_TITLE[0], "F2", 13, center=True, after=2)
    w.paragraph(ANNEX_TITLE[1], "F3", 13, center=True)
    w.table([36, 250, 140, 100, 120, 116], rows, "F1", "F2", 11)
    assert w.top <= w.page.height - 20, "the table does not fit on its page"
    return w.build()


def _tasks(document_json: str) -> list[tuple]:
    doc = json.loads(document_json)
    return [(t["seq"], t["area"], clean(t["content"]), t["products"], t["lead"], t["coordinating"],
             t["deadline"]) for t in doc["tasks"]]


def _convert(path: Path) -> tuple[list[tuple], set[str], str]:
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    codes = {i["code"] for i in json.loads(outcome.json_text)["issues"]}
    return _tasks(outcome.json_text), codes, outcome.format


# --------------------------------------------------------------------------- parser level

@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_font_text_is_converted(encoding, engine):
    doc = parse_pdf(legacy_pdf(encoding), engine=engine)
    texts = [clean(p.text) for p in doc.paragraphs()]
    prose, rows = plan_content()
    assert "ỦY BAN NHÂN DÂN" in texts and "XÃ THIÊN PHÚ" in texts
    assert "Số: 12/KH-UBND" in texts
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert "KẾ HOẠCH" in texts
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts                  # typed capitals restored (TCVN3)
    for paragraph in prose:
        assert clean(paragraph) in texts
    (table,) = doc.tables()
    assert [clean(c.text) for c in table.rows[0].cells] == rows[0]
    got = [[clean(c.text) for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in got] == list(TABLE_ROWS)
    for g, want in zip(got, rows[1:]):
        if want[0] in ("I", "II"):
            assert clean(want[1]) in " ".join(g)
        else:
            assert g == [clean(c) for c in want]
    legacy = [w for w in doc.warnings if w.startswith("LEGACY_ENCODING_CONVERTED:")]
    assert len(legacy) == 1
    assert (".VnTime" in legacy[0] and ".VnTimeH" in legacy[0]) if encoding == "tcvn3" \
        else "VNI-Times" in legacy[0]


LETTERS = sorted({unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in
                  ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")} | {"đ"})


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_survives_the_text_layer(encoding, engine):
    """All 134 Vietnamese letters, and "ư" (TCVN3 byte 0xAD, which WinAnsi calls a hyphen)
    next to real hyphens."""
    lines = [" ".join(LETTERS), " ".join(x.upper() for x in LETTERS),
             "Thường xuyên - VH-XH tư ư Ư -ương 2026-2030"]
    fonts = {res: Font(FONTS[encoding][res], bold=res != "F1", legacy=encoding) for res in ("F1", "F3")}
    w = Writer(fonts, lambda font, text: to_bytes(from_unicode(text, encoding)))
    w.new_page()
    for line in lines:
        w.paragraph(line, "F1")
    if encoding == "tcvn3":      # the capitals font: every letter typed with its lowercase code
        w.encode = _encoder(encoding)
        w.paragraph(lines[1], "F3")
    doc = parse_pdf(w.build(), engine=engine)
    assert [p.text for p in doc.paragraphs()] == lines + (lines[1:2] if encoding == "tcvn3" else [])


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_engines_agree_on_legacy_pdf(encoding):
    data = legacy_pdf(encoding)
    assert parse_pdf(data, engine="pdfium") == parse_pdf(data, engine="pdfplumber")


def test_raw_text_layer_is_legacy_without_conversion():
    """What the conversion starts from: the PDF's text reads as TCVN3 bytes in WinAnsi."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(legacy_pdf("tcvn3"))
    try:
        textpage = pdf[0].get_textpage()
        raw = textpage.get_text_range()
        textpage.close()
    finally:
        pdf.close()
    assert "KÕ HO¹CH" in raw and "KẾ HOẠCH" not in raw


def test_unicode_text_in_a_legacy_named_font_is_kept():
    """A font named ".VnTime" whose text already reads as Unicode (a PDF made by a converter
    that kept the font name) is not converted again."""
    text = "Kế hoạch cải cách hành chính năm 2026"
    fonts = {"F1": Font(".VnTime", to_unicode={i + 32: ch for i, ch in enumerate(sorted(set(text)))})}
    codes = {ch: i + 32 for i, ch in enumerate(sorted(set(text)))}
    w = Writer(fonts, lambda font, t: bytes(codes[ch] if ch != " " else codes[" "] for ch in t))
    w.new_page()
    w.paragraph(text)
    doc = parse_pdf(w.build())
    assert [p.text for p in doc.paragraphs()] == [text]
    assert not any(x.startswith("LEGACY_ENCODING_CONVERTED") for x in doc.warnings)


def test_unicode_pdf_has_no_legacy_warning():
    doc = parse_pdf((DEV / "000_d2de27e494264d19.pdf").read_bytes())
    assert not any(x.startswith("LEGACY_ENCODING_CONVERTED") for x in doc.warnings)


# --------------------------------------------------------------------------- reader / pipeline

def _no_ocr(monkeypatch) -> None:
    import parsers.pdf.ocr

    def fail(*args, **kwargs):
        raise AssertionError("the PDF was sent to OCR")
    monkeypatch.setattr(parsers.pdf.ocr, "parse_scanned_pdf", fail)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_reader_does_not_send_legacy_pdf_to_ocr(encoding, monkeypatch):
    """The garbled-layer check runs on the converted text: the same text unconverted would
    be flagged for OCR."""
    from parsers.pdf.ocr import page_needs_ocr

    _no_ocr(monkeypatch)
    doc = read_document("pdf", legacy_pdf(encoding), ReadOptions())
    assert doc.format == "pdf"
    assert not any(w.startswith("OCR_FALLBACK") for w in doc.warnings)
    prose, _ = plan_content()
    assert page_needs_ocr(from_unicode(" ".join(prose), encoding))
    assert not page_needs_ocr(" ".join(prose))


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_pdf_gives_the_tasks_of_the_unicode_text(tmp_path, encoding):
    reference = tmp_path / "unicode.txt"
    reference.write_text(unicode_text(), "utf-8")
    legacy = tmp_path / f"{encoding}.pdf"
    legacy.write_bytes(legacy_pdf(encoding))
    want, _, _ = _convert(reference)
    got, codes, fmt = _convert(legacy)
    assert fmt == "pdf"
    assert len(want) == 4
    assert got == want
    assert "LEGACY_ENCODING_CONVERTED" in codes


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_bytes_in_a_font_named_otherwise_are_recognised_by_their_text(tmp_path, encoding):
    """TCVN3 / VNI bytes in fonts named "TimesNewRoman…": the text tells the encoding, the PDF
    keeps its text layer (no OCR of the mojibake) and gives the tasks of the Unicode text."""
    reference = tmp_path / "unicode.txt"
    reference.write_text(unicode_text(), "utf-8")
    legacy = tmp_path / f"{encoding}-unnamed.pdf"
    legacy.write_bytes(legacy_pdf(encoding, unnamed=True))
    want, _, _ = _convert(reference)
    got, codes, fmt = _convert(legacy)
    assert fmt == "pdf"
    assert got == want
    assert "LEGACY_ENCODING_CONVERTED" in codes
