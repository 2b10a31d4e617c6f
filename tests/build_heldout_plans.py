"""Build the held-out synthetic plans of tests/data/heldout (see its README) as Word files.

    python tests/build_heldout_plans.py [OUT_DIR]        # default tests/data/heldout

Each plan is fictional. Its gold (``tests/data/heldout/gold/<stem>.json``) was written by hand
from the plan's content, before kehoach was run on it. The layouts differ from the dev and
synth plans on purpose:

* ``401_tuyen_quang``: a province; the annex table puts "Cơ quan chủ trì" BEFORE "Nội dung
  nhiệm vụ"; roman section rows with numbering restarting in every section; long cells
  with several bullet paragraphs; the table runs over several landscape pages with its header
  repeated.
* ``402_hoa_khanh_da_nang``: a ward; NO product column; a two-row header ("Đơn vị thực hiện" >
  "Chủ trì" / "Phối hợp", other header cells merged vertically) and a "(1)…(5)" number row;
  arabic section rows "1. …" with tasks "1.1", "1.2"…; a content cell merged over two rows
  whose leads and deadlines differ; units on separate lines of one cell.
* ``403_muong_cha_dien_bien``: a commune; two annexes (Phụ lục I, Phụ lục II) with the
  deadline column BEFORE the lead column, products called "Kết quả đầu ra" and a "Ghi chú"
  column; lettered section rows; composite, conditional and monthly deadlines; an empty
  lead cell.
"""
from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
OUT = HERE / "data" / "heldout"


# ----------------------------------------------------------------------------- helpers
def new_document() -> docx.Document:
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(4)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    return d


def para(d, text: str = "", bold: bool = False, italic: bool = False, center: bool = False,
         indent: bool = True, size: float | None = None):
    p = d.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Cm(1.0)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return p


def rich(d, parts: list[tuple[str, bool]]):
    """A paragraph of (text, bold) runs."""
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Cm(1.0)
    for text, bold in parts:
        p.add_run(text).bold = bold
    return p


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def set_cell(cell, lines: str | list[str], bold: bool = False, italic: bool = False,
             center: bool = False, size: float = 12) -> None:
    """Write a cell: a list (or a str with newlines) gives one paragraph per item."""
    if isinstance(lines, str):
        lines = lines.split("\n") if lines else [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_before = Pt(2)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            run = p.add_run(line)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(size)


def letterhead(d, left: list[tuple[str, bool]], right: list[tuple[str, bool]],
               number: str, place_date: str) -> None:
    t = d.add_table(rows=2, cols=2)
    _no_borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    t.columns[0].width, t.columns[1].width = Cm(6.2), Cm(9.8)
    for row in t.rows:
        row.cells[0].width, row.cells[1].width = Cm(6.2), Cm(9.8)
    for cell, lines in ((t.cell(0, 0), left), (t.cell(0, 1), right)):
        first = cell.paragraphs[0]
        for i, (text, bold) in enumerate(lines):
            p = first if i == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(text).bold = bold
    set_cell(t.cell(1, 0), number, center=True, size=13)
    set_cell(t.cell(1, 1), place_date, italic=True, center=True, size=13)


def signature(d, recipients: list[str], sign: list[str], name: str) -> None:
    t = d.add_table(rows=1, cols=2)
    _no_borders(t)
    left, right = t.cell(0, 0), t.cell(0, 1)
    p = left.paragraphs[0]
    r = p.add_run("Nơi nhận:")
    r.bold, r.italic = True, True
    for line in recipients:
        q = left.add_paragraph()
        q.add_run(line).font.size = Pt(11)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(sign[0]).bold = True
    for line in sign[1:]:
        q = right.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        q.add_run(line).bold = True
    for _ in range(3):
        right.add_paragraph()
    q = right.add_paragraph()
    q.alignment = WD_ALIGN_PARAGRAPH.CENTER
    q.add_run(name).bold = True


def landscape_section(d):
    sec = d.add_section()
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21)
    sec.left_margin, sec.right_margin = Cm(2), Cm(1.5)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(1.5)
    return sec


def plan_opening(d, unit: str, number: str, place_date: str, title: str) -> None:
    """A plan's first lines: letterhead of `unit`'s People's Committee, "KẾ HOẠCH", its title."""
    letterhead(d, [("ỦY BAN NHÂN DÂN", False), (unit, True)],
               [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)],
               number, place_date)
    para(d, "KẾ HOẠCH", bold=True, center=True, size=14)
    para(d, title, bold=True, center=True, size=14)
    para(d)


def annex_opening(d, title: str, attached: str) -> None:
    """A landscape annex: "PHỤ LỤC", its title and the "(Kèm theo Kế hoạch …)" line."""
    landscape_section(d)
    para(d, "PHỤ LỤC", bold=True, center=True)
    para(d, title, bold=True, center=True)
    para(d, attached, italic=True, center=True)


def header_table(d, widths: list[float], labels: list[str]):
    """A table whose one header row is repeated on every page."""
    t = grid(d, widths)
    repeat_header(add_row(t, labels, bold=True, widths=widths))
    return t


def sectioned_rows(t, sections: list, widths: list[float], center_cols: tuple[int, ...]) -> None:
    """Rows of (section title, [cells in column order, …]) pairs: a merged section row, then its tasks."""
    for section, tasks in sections:
        section_row(t, section)
        for cells in tasks:
            add_row(t, list(cells), center_cols=center_cols, widths=widths)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


def grid(d, widths_cm: list[float]):
    t = d.add_table(rows=0, cols=len(widths_cm))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for col, w in zip(t.columns, widths_cm):
        col.width = Cm(w)
    return t


def add_row(t, values: list, bold: bool = False, center_cols: tuple = (), widths=None):
    row = t.add_row()
    for i, value in enumerate(values):
        set_cell(row.cells[i], value, bold=bold, center=bold or i in center_cols)
        if widths:
            row.cells[i].width = Cm(widths[i])
    return row


def section_row(t, text: str, widths=None):
    row = t.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    set_cell(merged, text, bold=True)
    return row


# ----------------------------------------------------------------------------- 401
P401_TASKS = [
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", [
        ("1", "Sở Nội vụ",
         ["Xây dựng, trình Chủ tịch UBND tỉnh ban hành Kế hoạch cải cách hành chính năm 2026 "
          "và Kế hoạch kiểm tra công tác cải cách hành chính năm 2026 trên địa bàn tỉnh"],
         "Các sở, ban, ngành; UBND các xã, phường", "Kế hoạch", "Tháng 01/2026"),
        ("2", "Sở Nội vụ",
         ["Tổ chức kiểm tra công tác cải cách hành chính, kỷ luật, kỷ cương hành chính tại các "
          "cơ quan, đơn vị, địa phương, trong đó:",
          "- Kiểm tra theo kế hoạch tối thiểu 30% số cơ quan, đơn vị cấp tỉnh;",
          "- Kiểm tra đột xuất việc chấp hành giờ giấc, thái độ phục vụ của cán bộ, công chức "
          "tại bộ phận tiếp nhận và trả kết quả"],
         "Văn phòng UBND tỉnh; Thanh tra tỉnh",
         "- Thông báo kết luận kiểm tra;\n- Báo cáo kết quả kiểm tra", "Quý II - Quý IV/2026"),
        ("3", "Sở Nội vụ",
         ["Xác định, công bố Chỉ số cải cách hành chính năm 2025 của các sở, ban, ngành và "
          "UBND các xã, phường; tổ chức điều tra xã hội học phục vụ xác định Chỉ số"],
         "Các sở, ban, ngành; UBND các xã, phường", "Quyết định công bố Chỉ số CCHC",
         "Trước ngày 31/3/2026"),
    ]),
    ("II. CẢI CÁCH THỂ CHẾ", [
        ("1", "Sở Tư pháp",
         ["Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành; kịp "
          "thời đề xuất sửa đổi, bổ sung, thay thế hoặc bãi bỏ các văn bản không còn phù hợp "
          "sau khi sắp xếp đơn vị hành chính và tổ chức chính quyền địa phương hai cấp"],
         "Các sở, ban, ngành", "- Báo cáo rà soát;\n- Danh mục văn bản đề nghị sửa đổi, bãi bỏ",
         "Quý III/2026"),
        ("2", "Sở Tư pháp",
         ["Theo dõi tình hình thi hành pháp luật trong lĩnh vực trọng tâm năm 2026 (đất đai, "
          "đầu tư, xây dựng)"],
         "Sở Nông nghiệp và Môi trường; Sở Xây dựng; Sở Tài chính", "Báo cáo", "Tháng 11/2026"),
        ("3", "Văn phòng UBND tỉnh",
         ["Xây dựng Chương trình công tác năm 2026 của UBND tỉnh, bảo đảm các đề án, văn bản "
          "quy phạm pháp luật được trình đúng tiến độ"],
         "Các sở, ban, ngành", "Chương trình công tác", "Tháng 01/2026"),
    ]),
    ("III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", [
        ("1", "Văn phòng UBND tỉnh",
         ["Rà soát, đơn giản hóa thủ tục hành chính, quy trình nội bộ giải quyết thủ tục hành "
          "chính thuộc thẩm quyền giải quyết của tỉnh:",
          "- Cắt giảm tối thiểu 10% thời gian giải quyết thủ tục hành chính so với quy định;",
          "- Công bố danh mục thủ tục hành chính được tiếp nhận không phụ thuộc địa giới hành chính"],
         "Các sở, ban, ngành; UBND các xã, phường",
         "- Quyết định công bố;\n- Phương án đơn giản hóa", "Quý II/2026"),
        ("2", "Trung tâm Phục vụ hành chính công tỉnh",
         ["Vận hành Trung tâm Phục vụ hành chính công tỉnh; tiếp nhận, giải quyết hồ sơ thủ tục "
          "hành chính không phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh"],
         "Các sở, ban, ngành; Bưu điện tỉnh", "Báo cáo kết quả giải quyết hồ sơ", "Thường xuyên"),
        ("3", "Công an tỉnh",
         ["Triển khai Đề án 06: khai thác, sử dụng dữ liệu dân cư trong giải quyết thủ tục "
          "hành chính, cắt giảm giấy tờ công dân phải nộp"],
         "Sở Khoa học và Công nghệ; UBND các xã, phường", "Báo cáo", "Hằng quý"),
        ("4", "Văn phòng UBND tỉnh",
         ["Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính "
          "trên Hệ thống thông tin tiếp nhận, xử lý phản ánh, kiến nghị"],
         "Các sở, ban, ngành; UBND các xã, phường", "Văn bản trả lời", "Thường xuyên"),
    ]),
    ("IV. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", [
        ("1", "Sở Nội vụ",
         ["Tổ chức thi tuyển, xét tuyển công chức, viên chức theo vị trí việc làm; thực hiện "
          "chuyển đổi vị trí công tác đối với công chức, viên chức theo quy định"],
         "Các sở, ban, ngành; UBND các xã, phường", "Kết quả tuyển dụng", "Năm 2026"),
        ("2", "Sở Nội vụ",
         ["Bồi dưỡng kiến thức, kỹ năng cho cán bộ, công chức cấp xã sau sắp xếp; phối hợp "
          "mở các lớp bồi dưỡng về chuyển đổi số"],
         "Trường Chính trị tỉnh; UBND các xã, phường", "Lớp bồi dưỡng", "Quý II, Quý III/2026"),
    ]),
    ("V. CẢI CÁCH TÀI CHÍNH CÔNG", [
        ("1", "Sở Tài chính",
         ["Giao quyền tự chủ tài chính cho các đơn vị sự nghiệp công lập giai đoạn 2026 - 2030; "
          "hướng dẫn các đơn vị xây dựng phương án tự chủ"],
         "Sở Nội vụ; các đơn vị sự nghiệp công lập", "Quyết định giao tự chủ", "Trước ngày 30/6/2026"),
        ("2", "Sở Tài chính",
         ["Công khai dự toán, quyết toán ngân sách nhà nước của tỉnh trên Cổng thông tin điện tử "
          "tỉnh theo quy định"],
         "Văn phòng UBND tỉnh", "Báo cáo công khai", "Theo quy định"),
    ]),
    ("VI. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ", [
        ("1", "Sở Khoa học và Công nghệ",
         ["Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính tỉnh, kết nối, đồng bộ với "
          "Cổng Dịch vụ công quốc gia, bảo đảm 100% hồ sơ được số hóa kết quả giải quyết"],
         "Văn phòng UBND tỉnh; Viễn thông Tuyên Quang",
         "- Hệ thống được nâng cấp;\n- Báo cáo", "Quý III/2026"),
        ("2", "Sở Khoa học và Công nghệ",
         ["Triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP), kết nối với các cơ sở "
          "dữ liệu quốc gia về dân cư, đất đai, doanh nghiệp"],
         "Công an tỉnh; Sở Nông nghiệp và Môi trường; Sở Tài chính", "Nền tảng LGSP vận hành",
         "Năm 2026 - 2027"),
        ("3", "Văn phòng UBND tỉnh",
         ["Vận hành hệ thống quản lý văn bản và điều hành; phấn đấu gửi, nhận văn bản điện tử "
          "có ký số giữa các cơ quan hành chính các cấp"],
         "Các sở, ban, ngành; UBND các xã, phường", "Hệ thống vận hành ổn định", "Thường xuyên"),
    ]),
]


def build_401(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "TỈNH TUYÊN QUANG", "Số: 38/KH-UBND", "Tuyên Quang, ngày 15 tháng 01 năm 2026",
                 "Cải cách hành chính nhà nước tỉnh Tuyên Quang năm 2026")
    para(d, "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình "
            "tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030, Ủy ban nhân dân tỉnh "
            "Tuyên Quang ban hành Kế hoạch cải cách hành chính nhà nước năm 2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "1. Mục đích", bold=True)
    para(d, "- Tiếp tục đẩy mạnh cải cách hành chính gắn với vận hành mô hình chính quyền địa "
            "phương hai cấp, lấy người dân, doanh nghiệp làm trung tâm phục vụ.")
    para(d, "- Nâng cao Chỉ số cải cách hành chính (PAR INDEX), Chỉ số hài lòng về sự phục vụ "
            "hành chính (SIPAS) của tỉnh.")
    para(d, "2. Yêu cầu", bold=True)
    para(d, "Các nhiệm vụ phải cụ thể, gắn trách nhiệm của người đứng đầu cơ quan, đơn vị; bảo "
            "đảm tiến độ, chất lượng và hiệu quả.")
    para(d, "II. MỤC TIÊU CỤ THỂ", bold=True)
    para(d, "1. Cải cách thể chế", bold=True)
    para(d, "- Tỷ lệ văn bản quy phạm pháp luật của tỉnh được ban hành đúng tiến độ đạt tối thiểu 95%.")
    para(d, "2. Cải cách thủ tục hành chính", bold=True)
    para(d, "- Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn đạt trên 98%.")
    para(d, "- Mức độ hài lòng của người dân, doanh nghiệp đối với việc giải quyết thủ tục hành "
            "chính đạt tối thiểu 90%.")
    para(d, "- Giảm ít nhất 10% thời gian giải quyết thủ tục hành chính so với năm 2025.")
    para(d, "3. Xây dựng và phát triển chính quyền điện tử, chính quyền số", bold=True)
    para(d, "- Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình "
            "đạt từ 80% trở lên.")
    para(d, "III. NHIỆM VỤ TRỌNG TÂM", bold=True)
    para(d, "Các nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp và thời gian hoàn thành tại "
            "Phụ lục kèm theo Kế hoạch này.")
    para(d, "IV. KINH PHÍ THỰC HIỆN", bold=True)
    para(d, "Kinh phí thực hiện được bố trí trong dự toán ngân sách nhà nước năm 2026 của các cơ "
            "quan, đơn vị theo phân cấp hiện hành.")
    para(d, "V. TỔ CHỨC THỰC HIỆN", bold=True)
    rich(d, [("1. Sở Nội vụ", True), (" là cơ quan thường trực, chủ trì theo dõi, đôn đốc, "
             "kiểm tra việc thực hiện Kế hoạch; tổng hợp, báo cáo UBND tỉnh ", False),
             ("định kỳ hằng quý", True), (".", False)])
    rich(d, [("2. Các sở, ban, ngành, UBND các xã, phường", True), (" căn cứ Kế hoạch này xây "
             "dựng kế hoạch cải cách hành chính năm 2026 của cơ quan, đơn vị mình, gửi Sở Nội vụ "
             "trước ngày 31/01/2026.", False)])
    signature(d, ["- Bộ Nội vụ (b/c);", "- TT Tỉnh ủy, TT HĐND tỉnh (b/c);", "- Chủ tịch, các PCT UBND tỉnh;",
                  "- Các sở, ban, ngành;", "- UBND các xã, phường;", "- Lưu: VT, NC."],
              ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Hoàng Việt Phương")
    annex_opening(d, "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC TỈNH TUYÊN QUANG NĂM 2026",
                  "(Kèm theo Kế hoạch số 38/KH-UBND ngày 15/01/2026 của UBND tỉnh Tuyên Quang)")
    widths = [1.2, 3.6, 8.6, 4.6, 4.2, 3.0]
    t = header_table(d, widths, ["STT", "Cơ quan chủ trì", "Nội dung nhiệm vụ", "Cơ quan phối hợp",
                                 "Sản phẩm", "Thời gian hoàn thành"])
    sectioned_rows(t, P401_TASKS, widths, center_cols=(0, 5))
    path = out / "401_tuyen_quang.docx"
    d.save(path)
    return path


# ----------------------------------------------------------------------------- 402
# rows: (seq, content, lead, coordinating, deadline); a section is a str; ("MERGE", …) rows
# continue the content cell of the row above (vertical merge) with their own lead/deadline
P402_ROWS = [
    "1. Công tác chỉ đạo, điều hành cải cách hành chính",
    ("1.1", "Ban hành Kế hoạch cải cách hành chính năm 2026 của UBND phường",
     "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND phường", "Trước ngày 15/01/2026"),
    ("1.2", "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026 của phường",
     "Phòng Văn hóa - Xã hội", "Các phòng chuyên môn thuộc UBND phường", "Theo hướng dẫn của Sở Nội vụ"),
    ("1.3", "Tuyên truyền về cải cách hành chính trên hệ thống truyền thanh phường và trang "
            "thông tin điện tử phường",
     "Trung tâm Văn hóa - Thông tin - Thể thao phường", "Các tổ dân phố", "Hằng tháng"),
    "2. Cải cách thủ tục hành chính",
    ("2.1", "Niêm yết, công khai đầy đủ, kịp thời thủ tục hành chính tại Trung tâm Phục vụ hành "
            "chính công phường và trên Cổng Dịch vụ công quốc gia",
     "Trung tâm Phục vụ hành chính công phường", "Văn phòng HĐND và UBND phường", "Thường xuyên"),
    ("2.2", "Rà soát quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực đất đai, xây dựng, "
            "hộ tịch; đề xuất phương án đơn giản hóa",
     "Phòng Kinh tế, Hạ tầng và Đô thị\nPhòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công phường",
     "Quý II/2026"),
    ("2.3", "Tổ chức đối thoại giữa lãnh đạo UBND phường với người dân, doanh nghiệp về giải "
            "quyết thủ tục hành chính",
     "UBND phường", "Ủy ban Mặt trận Tổ quốc Việt Nam phường; Hiệp hội Doanh nghiệp quận Liên Chiểu",
     "Quý III/2026"),
    "3. Cải cách tổ chức bộ máy hành chính nhà nước",
    ("3.1", "Rà soát chức năng, nhiệm vụ của các phòng chuyên môn, đơn vị sự nghiệp thuộc UBND "
            "phường sau sắp xếp; kiện toàn tổ chức bộ máy",
     "Phòng Văn hóa - Xã hội", "Các phòng chuyên môn thuộc UBND phường", "Quý I, Quý II/2026"),
    ("3.2", "Xây dựng đề án vị trí việc làm của các cơ quan, đơn vị thuộc UBND phường",
     "Phòng Văn hóa - Xã hội", "Các phòng chuyên môn thuộc UBND phường", "Tháng 6/2026"),
    "4. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    ("4.1", "Hướng dẫn người dân sử dụng dịch vụ công trực tuyến, thanh toán trực tuyến, ứng dụng "
            "VNeID tại các tổ dân phố",
     "Công an phường", "Tổ công nghệ số cộng đồng; Đoàn Thanh niên phường", "Hằng quý"),
    ("MERGE", "", "Trung tâm Phục vụ hành chính công phường", "Tổ công nghệ số cộng đồng",
     "Tháng 3 - 9/2026"),
    ("4.2", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực; phấn đấu 100% kết "
            "quả giải quyết được số hóa",
     "Trung tâm Phục vụ hành chính công phường", "", "Năm 2026"),
]


def build_402(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "PHƯỜNG HÒA KHÁNH", "Số: 15/KH-UBND", "Hòa Khánh, ngày 08 tháng 01 năm 2026",
                 "Cải cách hành chính phường Hòa Khánh năm 2026")
    para(d, "Căn cứ Kế hoạch số 05/KH-UBND ngày 05/01/2026 của UBND thành phố Đà Nẵng về cải "
            "cách hành chính nhà nước năm 2026; UBND phường Hòa Khánh xây dựng Kế hoạch cải cách "
            "hành chính năm 2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "Triển khai đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính, nâng cao chất lượng "
            "phục vụ người dân, doanh nghiệp trên địa bàn phường.")
    para(d, "II. CHỈ TIÊU", bold=True)
    para(d, "a) 100% thủ tục hành chính thuộc thẩm quyền của phường được công khai đầy đủ, đúng "
            "quy định.")
    para(d, "b) Tỷ lệ hồ sơ giải quyết đúng hạn và trước hạn đạt từ 97% trở lên.")
    para(d, "c) Tỷ lệ người dân từ 14 tuổi trở lên có tài khoản định danh điện tử mức độ 2 đạt "
            "trên 85%.")
    para(d, "III. NHIỆM VỤ", bold=True)
    para(d, "(Chi tiết tại Phụ lục kèm theo)")
    para(d, "IV. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "1. Phòng Văn hóa - Xã hội", bold=True)
    para(d, "- Là cơ quan thường trực, tham mưu UBND phường triển khai Kế hoạch này.")
    para(d, "- Tổng hợp, báo cáo kết quả thực hiện định kỳ 6 tháng, năm.")
    para(d, "2. Các phòng chuyên môn, đơn vị thuộc UBND phường", bold=True)
    para(d, "- Chủ động triển khai các nhiệm vụ được phân công; báo cáo kết quả về Phòng Văn hóa "
            "- Xã hội trước ngày 10 của tháng cuối quý.")
    signature(d, ["- UBND thành phố (b/c);", "- Sở Nội vụ (b/c);", "- TT Đảng ủy, TT HĐND phường;",
                  "- Các phòng, đơn vị thuộc UBND phường;", "- Lưu: VT."],
              ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Lê Minh Tuấn")
    annex_opening(d, "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH PHƯỜNG HÒA KHÁNH NĂM 2026",
                  "(Kèm theo Kế hoạch số 15/KH-UBND ngày 08/01/2026 của UBND phường Hòa Khánh)")
    widths = [1.4, 10.5, 5.2, 5.2, 3.4]
    t = grid(d, widths)
    r1 = add_row(t, ["TT", "Nội dung công việc", "Đơn vị thực hiện", "", "Thời hạn hoàn thành"],
                 bold=True, widths=widths)
    r2 = add_row(t, ["", "", "Chủ trì", "Phối hợp", ""], bold=True, widths=widths)
    repeat_header(r1)
    repeat_header(r2)
    for i in (0, 1, 4):
        r1.cells[i].merge(r2.cells[i])
    # merge "Đơn vị thực hiện" over Chủ trì + Phối hợp (keeps the first cell's text)
    r1.cells[2].merge(r1.cells[3])
    nums = add_row(t, ["(1)", "(2)", "(3)", "(4)", "(5)"], center_cols=(0, 1, 2, 3, 4), widths=widths)
    repeat_header(nums)
    previous = None
    for row in P402_ROWS:
        if isinstance(row, str):
            section_row(t, row)
            continue
        seq, content, lead, coord, when = row
        if seq == "MERGE":
            r = add_row(t, ["", "", lead, coord, when], center_cols=(4,), widths=widths)
            previous.cells[0].merge(r.cells[0])
            previous.cells[1].merge(r.cells[1])
            continue
        previous = add_row(t, [seq, content, lead, coord, when], center_cols=(0, 4), widths=widths)
    path = out / "402_hoa_khanh_da_nang.docx"
    d.save(path)
    return path


# ----------------------------------------------------------------------------- 403
# (seq, content, deadline, lead, coordinating, products, note)
P403_ANNEX1 = [
    "A. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    ("1", "Rà soát, thống kê thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã; đề "
          "xuất bãi bỏ thủ tục không cần thiết",
     "Quý I/2026", "Văn phòng HĐND và UBND xã", "Trung tâm Phục vụ hành chính công xã",
     "Báo cáo rà soát", ""),
    ("2", "Duy trì tiếp nhận, trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính "
          "công ích cho người dân các bản vùng cao",
     "Thường xuyên", "Trung tâm Phục vụ hành chính công xã", "Bưu điện xã; các bản",
     "Sổ theo dõi", "Ưu tiên bản xa trung tâm"),
    ("3", "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính trên địa bàn xã",
     "Trước ngày 18 hằng tháng", "Trung tâm Phục vụ hành chính công xã", "",
     "Báo cáo tháng", ""),
    "B. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
    ("4", "Đánh giá, xếp loại chất lượng cán bộ, công chức xã năm 2026",
     "Tháng 12/2026", "Phòng Văn hóa - Xã hội", "Các phòng, ban, đơn vị liên quan",
     "Quyết định xếp loại", ""),
    ("5", "Cử cán bộ, công chức tham gia các lớp bồi dưỡng tiếng dân tộc Mông, Thái",
     "Theo kế hoạch của Sở Nội vụ", "", "Phòng Văn hóa - Xã hội",
     "Danh sách cử đi học", "Chưa giao đơn vị chủ trì"),
]
P403_ANNEX2 = [
    "A. XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
    ("1", "Triển khai hệ thống hội nghị truyền hình trực tuyến từ xã đến các bản",
     "Quý II/2026: lắp đặt; Quý IV/2026: đưa vào sử dụng", "Phòng Kinh tế",
     "Viễn thông Điện Biên", "Hệ thống hội nghị trực tuyến", ""),
    ("2", "Duy trì hoạt động Tổ công nghệ số cộng đồng tại các bản; hướng dẫn người dân cài đặt, "
          "sử dụng ứng dụng VNeID",
     "Hằng quý", "Công an xã", "Tổ công nghệ số cộng đồng; Đoàn Thanh niên xã",
     "Báo cáo kết quả", ""),
    ("3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, bảo đảm tối thiểu 90% kết quả "
          "giải quyết được số hóa",
     "Năm 2026", "Trung tâm Phục vụ hành chính công xã", "Văn phòng HĐND và UBND xã",
     "Kho dữ liệu số hóa", ""),
    "B. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, TUYÊN TRUYỀN",
    ("4", "Kiểm tra công tác cải cách hành chính tại các bộ phận chuyên môn",
     "Quý III/2026", "Văn phòng HĐND và UBND xã", "Phòng Văn hóa - Xã hội",
     "Thông báo kết quả kiểm tra", ""),
    ("5", "Tuyên truyền cải cách hành chính bằng tiếng Mông, tiếng Thái trên loa truyền thanh các bản",
     "6 tháng, năm", "Phòng Văn hóa - Xã hội", "Các bản; Ủy ban MTTQ Việt Nam xã",
     "Tin, bài tuyên truyền", ""),
]


def _annex_403(d, title: str, rows) -> None:
    para(d, title, bold=True, center=True)
    widths = [1.1, 7.8, 3.4, 3.6, 4.0, 3.6, 2.5]
    t = header_table(d, widths, ["TT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì",
                                 "Đơn vị phối hợp", "Kết quả đầu ra", "Ghi chú"])
    for row in rows:
        if isinstance(row, str):
            section_row(t, row)
        else:
            add_row(t, list(row), center_cols=(0, 2), widths=widths)


def build_403(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "XÃ MƯỜNG CHÀ", "Số: 07/KH-UBND", "Mường Chà, ngày 12 tháng 01 năm 2026",
                 "Thực hiện công tác cải cách hành chính xã Mường Chà năm 2026")
    para(d, "Thực hiện Kế hoạch số 120/KH-UBND ngày 30/12/2025 của UBND tỉnh Điện Biên về cải "
            "cách hành chính nhà nước năm 2026, UBND xã Mường Chà ban hành Kế hoạch thực hiện như sau:")
    para(d, "I. MỤC TIÊU", bold=True)
    para(d, "1. Phấn đấu tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt 100%.")
    para(d, "2. Tỷ lệ cán bộ, công chức xã được bồi dưỡng kiến thức, kỹ năng số đạt ít nhất 70% "
            "vào năm 2026.")
    para(d, "3. Mức độ hài lòng của người dân đối với sự phục vụ của UBND xã không thấp hơn 85%.")
    para(d, "II. NHIỆM VỤ", bold=True)
    para(d, "Nhiệm vụ trọng tâm tại Phụ lục I; nhiệm vụ chuyển đổi số và chỉ đạo, điều hành tại "
            "Phụ lục II kèm theo Kế hoạch này.")
    para(d, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "Giao Phòng Văn hóa - Xã hội chủ trì, theo dõi, đôn đốc các đơn vị thực hiện Kế hoạch "
            "và tổng hợp báo cáo UBND xã trước ngày 15/12/2026.")
    signature(d, ["- UBND tỉnh (b/c);", "- Sở Nội vụ (b/c);", "- TT Đảng ủy xã;", "- Lưu: VT."],
              ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Lò Văn Thắng")
    landscape_section(d)
    para(d, "(Kèm theo Kế hoạch số 07/KH-UBND ngày 12/01/2026 của UBND xã Mường Chà)",
         italic=True, center=True)
    _annex_403(d, "Phụ lục I: NHIỆM VỤ TRỌNG TÂM", P403_ANNEX1)
    para(d)
    _annex_403(d, "Phụ lục II: CHUYỂN ĐỔI SỐ VÀ CHỈ ĐẠO, ĐIỀU HÀNH", P403_ANNEX2)
    path = out / "403_muong_cha_dien_bien.docx"
    d.save(path)
    return path


BUILDERS = [build_401, build_402, build_403]


def main(argv=None, builders=None) -> int:
    """Build `builders` (this file's by default) into OUT_DIR (argv[0]) or tests/data/heldout."""
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    for build in builders or BUILDERS:
        print(build(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
