"""Task tables printed without ruling lines (parsers.pdf.borderless): PDFs drawn here directly,
and Word documents without table borders (or with horizontal rules only) turned into PDF by
LibreOffice, checked against the ruled rendition of the same document and the DOCX itself."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from builders import letterhead, tricky_tables_plan
from ingest.convert import convert_file
from normalize.text import clean, fold_words
from parsers.model import Document
from parsers.pdf import parse_pdf
from parsers.pdf.borderless import with_borderless
from parsers.pdf.layout import read_page
from parsers.pdf.pdfium_pages import pdfium_pages
from parsers.plan.structure import analyse
from test_pdf_parser import build_pdf, text

DEV = Path(__file__).parent / "data" / "dev"
if not DEV.is_dir():
    DEV = Path("/work/shared/corpus/dev")
DEV_PLAN = DEV / "002_f6f77b1eeffe7669.docx"
ENGINES = ["pdfium", "pdfplumber"]


def table_texts(doc: Document) -> list[list[list[tuple[tuple[str, ...], int, bool]]]]:
    return [[[(tuple(c.lines), c.col_span, c.merged_from_above) for c in r.cells] for r in t.rows]
            for t in doc.tables()]


def paragraph_texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs()]


# --------------------------------------------------------------------------- drawn PDFs

_PITCH = 13.0
# TT, content, lead, coordinating, deadline: left edges (points, landscape A4).
_XS = [50, 85, 420, 560, 690]


def _at(x: float, top: float, s: str, bold: bool = False) -> bytes:
    """Text whose top (the glyphs' ascent) is at `top` from the top of a 595 pt page."""
    return text(x, 595 - top - 9, s, "F2" if bold else "F1", 11)


def _row(top: float, cells: list[list[str]], centred: bool = True) -> tuple[bytes, float]:
    """A borderless row: every cell's lines, vertically centred (or top-aligned) in the row;
    returns (operators, the next row's top)."""
    height = max(len(c) for c in cells) * _PITCH
    ops = b""
    for x, lines in zip(_XS, cells):
        start = top + (height - len(lines) * _PITCH) / 2 if centred else top
        for k, line in enumerate(lines):
            ops += _at(x, start + k * _PITCH, line)
    return ops, top + height + 8


HEADER = [["TT"], ["Noi dung nhiem vu"], ["Co quan chu tri"], ["Co quan phoi hop"], ["Thoi gian", "hoan thanh"]]


def _header(top: float) -> tuple[bytes, float]:
    ops = b""
    for x, lines in zip(_XS, HEADER):
        start = top + (2 - len(lines)) * _PITCH / 2
        for k, line in enumerate(lines):
            ops += _at(x, start + k * _PITCH, line, bold=True)
    return ops, top + 2 * _PITCH + 10


def _drawn_plan(repeat_header: bool) -> bytes:
    """Two landscape pages: an annex table without any rule, cells vertically centred, a
    section row, a row split by the page break, and a note after the table."""
    ops = _at(380, 50, "PHU LUC", bold=True) + _at(300, 66, "Nhiem vu cai cach hanh chinh nam 2026")
    part, top = _header(100)
    ops += part
    ops += _at(50, top, "I. CAI CACH THE CHE", bold=True)
    top += _PITCH + 8
    for cells in (
        [["1"], ["Ra soat van ban quy pham phap luat cua xa", "thuoc cac linh vuc dat dai, dau tu cong",
                 "va tai chinh cong"], ["Van phong HDND-UBND"], ["Cac phong, ban", "chuyen mon"],
         ["Quy II/2026"]],
        [["2"], ["Theo doi tinh hinh thi hanh phap luat"], ["Phong Van hoa -", "Xa hoi"], [],
         ["Thuong xuyen"]],
    ):
        part, top = _row(top, cells)
        ops += part
    # Row 3 runs over the page break: its first part is laid out from the top.
    part, _ = _row(top, [["3"], ["Nang cap he thong thong tin giai quyet thu tuc", "hanh chinh cua xa,"],
                         ["Cong an xa"], [], ["Truoc ngay"]], centred=False)
    ops += part + _at(421, 560, "1")
    page1 = (842, 595, 0, ops)

    ops, top = _header(40) if repeat_header else (b"", 40)
    part, top = _row(top, [[], ["bao dam ket noi voi Cong dich vu cong quoc gia"], [],
                           ["Trung tam Phuc vu", "hanh chinh cong"], ["30/9/2026"]], centred=False)
    ops += part
    part, top = _row(top, [["4"], ["To chuc hoi nghi tap huan nghiep vu", "cai cach hanh chinh",
                                   "cho can bo, cong chuc xa"], ["Phong Noi vu"], ["Cac thon"],
                           ["Quy III/2026"]])
    ops += part
    ops += _at(50, top + 30, "Ghi chu: cac co quan, don vi chu dong trien khai thuc hien ke hoach nay "
                             "va bao cao ket qua ve Van phong.")
    ops += _at(421, 560, "2")
    return build_pdf([page1, (842, 595, 0, ops)])


@pytest.mark.parametrize("repeat_header", [True, False])
@pytest.mark.parametrize("engine", ENGINES)
def test_drawn_borderless_table_over_two_pages(engine, repeat_header):
    doc = parse_pdf(_drawn_plan(repeat_header), engine=engine)
    (table,) = doc.tables()
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows == [
        ["TT", "Noi dung nhiem vu", "Co quan chu tri", "Co quan phoi hop", "Thoi gian hoan thanh"],
        ["I. CAI CACH THE CHE"],
        ["1", "Ra soat van ban quy pham phap luat cua xa thuoc cac linh vuc dat dai, dau tu cong "
              "va tai chinh cong", "Van phong HDND-UBND", "Cac phong, ban chuyen mon", "Quy II/2026"],
        ["2", "Theo doi tinh hinh thi hanh phap luat", "Phong Van hoa - Xa hoi", "", "Thuong xuyen"],
        ["3", "Nang cap he thong thong tin giai quyet thu tuc hanh chinh cua xa, bao dam ket noi voi "
              "Cong dich vu cong quoc gia", "Cong an xa", "Trung tam Phuc vu hanh chinh cong",
         "Truoc ngay 30/9/2026"],
        ["4", "To chuc hoi nghi tap huan nghiep vu cai cach hanh chinh cho can bo, cong chuc xa",
         "Phong Noi vu", "Cac thon", "Quy III/2026"],
    ]
    assert table.rows[1].cells[0].col_span == 5                      # the section row spans
    assert [(r.provenance.page, r.provenance.page_end) for r in table.rows][-2:] == [(1, 2), (2, None)]
    assert table.provenance.page == 1 and table.provenance.page_end == 2
    assert paragraph_texts(doc) == [
        "PHU LUC", "Nhiem vu cai cach hanh chinh nam 2026",
        "Ghi chu: cac co quan, don vi chu dong trien khai thuc hien ke hoach nay va bao cao ket qua ve "
        "Van phong."]
    assert doc.warnings == ["PDF_BORDERLESS_TABLE: pages 1-2 have tables printed without (enough) "
                            "ruling lines, read from word positions; check rows"]
    tasks = analyse(doc).task_rows
    assert [t.text("seq") for t in tasks] == ["1", "2", "3", "4"]
    assert [t.section for t in tasks] == ["I. CAI CACH THE CHE"] * 4
    assert tasks[2].text("deadline") == "Truoc ngay 30/9/2026"


def test_columns_without_task_header_stay_prose():
    """Text in columns under a header that names no task-table columns is no task table."""
    ops = b""
    for k, (a, b, c) in enumerate([("Ho ten", "Chuc vu", "Dien thoai"), ("Nguyen Van A", "Chu tich", "0912"),
                                   ("Tran Thi B", "Pho Chu tich", "0913")]):
        ops += _at(60, 100 + 20 * k, a, bold=k == 0) + _at(300, 100 + 20 * k, b, bold=k == 0)
        ops += _at(560, 100 + 20 * k, c, bold=k == 0)
    doc = parse_pdf(build_pdf([(842, 595, 0, ops)]))
    assert doc.tables() == [] and doc.warnings == []


# --------------------------------------------------------------------------- dev PDFs

@pytest.mark.skipif(not (DEV / "002_f6f77b1eeffe7669.pdf").is_file(), reason="dev PDFs not available")
def test_dev_pdfs_never_take_the_fallback():
    """The ruled path is left alone: on every dev page the fallback hands back what
    read_page found (pages with ruled tables, prose pages without a task header)."""
    for pdf in sorted(DEV.glob("*.pdf")):
        if pdf.name.endswith(".scan.pdf"):
            continue
        _, pages = pdfium_pages(pdf.read_bytes())
        for page in pages:
            lines, tables = read_page(page)
            got_lines, got_tables, carry = with_borderless(page, lines, tables, None)
            assert got_lines is lines and got_tables is tables and carry is None, (pdf.name, page.number)


# --------------------------------------------------------------------------- LibreOffice renditions

def _set_borders(table, keep: tuple[str, ...] = ()) -> None:
    """Table borders: only the edges in `keep` ("top", "bottom", "insideH" …) drawn; the
    cells' own borders removed."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in keep:
            for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                element.set(qn(f"w:{key}"), value)
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    for tc in table._tbl.iter(qn("w:tc")):
        tc_pr = tc.get_or_add_tcPr()
        for old in tc_pr.findall(qn("w:tcBorders")):
            tc_pr.remove(old)


H_RULES = ("top", "bottom", "insideH")
KEEP = {"none": (), "hrules": H_RULES, "vlines": ("top", "bottom", "left", "right", "insideV")}
TOPICS = ["Rà soát văn bản quy phạm pháp luật của tỉnh thuộc lĩnh vực",
          "Theo dõi tình hình thi hành pháp luật về",
          "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính phục vụ",
          "Tuyên truyền, phổ biến các quy định mới về",
          "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị về"]
AREAS = ["đất đai", "đầu tư công", "chuyển đổi số", "tài chính công", "công vụ, công chức", "y tế, giáo dục"]
UNITS = ["Sở Tư pháp", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ", "Sở Tài chính"]
DUE = ["Quý II/2026", "Thường xuyên", "Trước ngày 30/9/2026", "Tháng 12/2026", "Năm 2026"]
SECTIONS = ["I. CẢI CÁCH THỂ CHẾ", "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "III. CHÍNH QUYỀN SỐ"]


def annex_plan(path: Path, borders: str, repeat_header: bool = True, valign: str | None = None) -> Path:
    """A provincial plan whose landscape annex table runs over several pages. `borders`:
    "grid" (Table Grid), "none", "hrules" (horizontal rules only) or "vlines" (column rules
    and a frame, no rule between rows)."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(12)
    letterhead(d, ["ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH", "Số: 45/KH-UBND"],
               ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Ninh Bình, ngày 20 tháng 02 năm 2026"])
    for line in ["KẾ HOẠCH", "Cải cách hành chính nhà nước tỉnh Ninh Bình năm 2026", "I. MỤC TIÊU",
                 "- Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt tối thiểu 98%.",
                 "II. TỔ CHỨC THỰC HIỆN", "Các sở, ban, ngành triển khai thực hiện Kế hoạch này."]:
        d.add_paragraph(line)
    section = d.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for line in ["PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026",
                 "(Kèm theo Kế hoạch số 45/KH-UBND ngày 20/02/2026 của UBND tỉnh Ninh Bình)"]:
        d.add_paragraph(line)
    header = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]
    table = d.add_table(rows=1, cols=len(header))
    for i, label in enumerate(header):
        table.cell(0, i).text = label
        table.cell(0, i).paragraphs[0].runs[0].bold = True
    if repeat_header:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(flag)
    for k in range(18):
        if k % 7 == 0:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = SECTIONS[k // 7]
            merged.paragraphs[0].runs[0].bold = True
        content = f"{TOPICS[k % 5]} {AREAS[k % 6]}"
        if k % 3 == 0:
            content += " trên địa bàn tỉnh, bảo đảm đúng quy định và tiến độ đề ra"
        values = [str(k + 1), content, UNITS[k % 5], "Các sở, ban, ngành; UBND các xã, phường" if k % 2 else "",
                  DUE[k % 5], "- Báo cáo;\n- Kế hoạch" if k % 4 == 1 else "Báo cáo"]
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            first, *more = value.split("\n")
            cell.text = first
            for extra in more:
                cell.add_paragraph(extra)
    if borders == "grid":
        table.style = "Table Grid"
    else:
        _set_borders(table, KEEP[borders])
    if valign:
        for tc in table._tbl.iter(qn("w:tc")):
            element = OxmlElement("w:vAlign")
            element.set(qn("w:val"), valign)
            tc.get_or_add_tcPr().append(element)
    d.add_paragraph("Ghi chú: các cơ quan chủ động triển khai thực hiện.")
    d.save(path)
    return path


def strip_borders(source: Path, path: Path, keep: tuple[str, ...] = ()) -> Path:
    d = docx.Document(source)
    for table in d.tables:
        _set_borders(table, keep)
    d.save(path)
    return path


SYNTHETIC = {  # name -> (borders, repeated header, vertical alignment of the cells)
    "grid": ("grid", True, None),
    "none": ("none", True, None),
    "none_no_repeat": ("none", False, None),
    "hrules_centred": ("hrules", True, "center"),
    "none_centred_no_repeat": ("none", False, "center"),
    "vlines": ("vlines", True, None),      # one-row grids only: too poor, read without rules
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """The Word documents of this module as PDF (one LibreOffice run for all of them)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("borderless")
    sources = {name: annex_plan(folder / f"{name}.docx", *spec) for name, spec in SYNTHETIC.items()}
    tricky = tricky_tables_plan(folder / "tricky_source.docx")
    d = docx.Document(tricky)
    for table in d.tables[1:]:          # the annex tables; the letterhead has none already
        table.style = None
        _set_borders(table)
    d.save(folder / "tricky.docx")
    sources["tricky"] = folder / "tricky.docx"
    sources["tricky_grid"] = tricky
    if DEV_PLAN.is_file():
        sources["dev"] = DEV_PLAN
        sources["dev_none"] = strip_borders(DEV_PLAN, folder / "dev_none.docx")
        sources["dev_hrules"] = strip_borders(DEV_PLAN, folder / "dev_hrules.docx", H_RULES)
    copies = []
    for name, source in sources.items():
        copy = folder / "in" / f"{name}.docx"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(source, copy)
        copies.append(str(copy))
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder / "out"), *copies],
                   check=True, capture_output=True, timeout=180)
    out = {name: folder / "out" / f"{name}.pdf" for name in sources}
    out.update({f"{name}.docx": source for name, source in sources.items()})
    assert all(p.is_file() for p in out.values())
    return out


def tasks_of(path: Path) -> list[dict]:
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    return json.loads(outcome.json_text)["tasks"]


def overlap(a: str, b: str) -> float:
    x, y = set(fold_words(a).split()), set(fold_words(b).split())
    return len(x & y) / max(1, len(x | y))


def assert_same_tasks(got: list[dict], expected: list[dict]) -> None:
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert a["seq"] == b["seq"]
        assert overlap(a["content"], b["content"]) >= 0.95, (a["content"], b["content"])
        assert a["lead_raw"] == b["lead_raw"], a["seq"]
        assert a["coordinating_raw"] == b["coordinating_raw"], a["seq"]
        assert (a["deadline"] or {}).get("raw") == (b["deadline"] or {}).get("raw"), a["seq"]
        assert a["products"] == b["products"], a["seq"]
        assert a["provenance"].get("section") == b["provenance"].get("section"), a["seq"]


@pytest.mark.parametrize("variant", ["dev_none", "dev_hrules"])
def test_dev_plan_without_borders_gives_the_docx_tasks(rendered, variant):
    """The dev plan 002 with its table borders removed (or horizontal rules only): the same
    36 tasks as its DOCX, field by field."""
    if "dev" not in rendered:
        pytest.skip("dev DOCX not available")
    assert_same_tasks(tasks_of(rendered[variant]), tasks_of(DEV_PLAN))


def test_dev_plan_without_borders_same_document_as_ruled(rendered):
    """Cell by cell and paragraph by paragraph what the ruled rendition of the same DOCX gives."""
    if "dev" not in rendered:
        pytest.skip("dev DOCX not available")
    ruled = parse_pdf(rendered["dev"].read_bytes())
    annex_page = ruled.tables()[0].provenance.page      # where the annex starts depends on the fonts
    for variant in ("dev_none", "dev_hrules"):
        doc = parse_pdf(rendered[variant].read_bytes())
        assert table_texts(doc) == table_texts(ruled)
        assert paragraph_texts(doc) == paragraph_texts(ruled)
        assert doc.warnings[0].startswith(f"PDF_BORDERLESS_TABLE: pages {annex_page}-")


@pytest.mark.parametrize("name", [n for n in SYNTHETIC if n != "grid"])
def test_synthetic_borderless_annex_same_as_ruled(rendered, name):
    """Top-aligned or centred cells, header repeated on every page or not, no rules or
    horizontal rules only: the tables and paragraphs of the ruled rendition, the DOCX tasks."""
    ruled = parse_pdf(rendered["grid"].read_bytes())
    doc = parse_pdf(rendered[name].read_bytes())
    assert doc.pages > 3 and len(doc.tables()) == 1
    assert table_texts(doc) == table_texts(ruled)
    assert paragraph_texts(doc) == paragraph_texts(ruled)
    assert paragraph_texts(doc)[-1] == "Ghi chú: các cơ quan chủ động triển khai thực hiện."
    assert_same_tasks(tasks_of(rendered[name]), tasks_of(rendered[f"{name}.docx"]))


def test_two_row_header_and_table_without_tt(rendered):
    """"Thời gian" printed flush left over "Bắt đầu | Hoàn thành" spans both columns as in the
    ruled rendition; the annex title between two tables stays a paragraph; the second table
    (no TT column) is split into rows at its gaps."""
    ruled = parse_pdf(rendered["tricky_grid"].read_bytes())
    doc = parse_pdf(rendered["tricky"].read_bytes())
    assert paragraph_texts(doc) == paragraph_texts(ruled)
    first, second = table_texts(doc)
    assert first[:2] == table_texts(ruled)[0][:2]          # the two header rows
    assert first[:4] == table_texts(ruled)[0][:4]
    assert second == table_texts(ruled)[1]
    tasks = {clean(t.text("seq")) or clean(t.text("content")): t for t in analyse(doc).task_rows}
    assert tasks["1.1"].text("deadline") == "Tháng 01/2026 - Quý II/2026"   # "Bắt đầu - Hoàn thành"
    assert tasks["Đánh giá cán bộ"].annex == "Phụ lục 02"
