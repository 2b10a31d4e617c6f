"""Builders of synthetic Word documents for tests (layouts the dev corpus does not have)."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def letterhead(document, left: list[str], right: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.cell(0, 0).text = "\n".join(left)
    table.cell(0, 1).text = "\n".join(right)


def grid_table(document, header: list[str], rows: list[list[str] | str]):
    """A ruled table; a str row is a section row spanning all columns."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for i, text in enumerate(header):
        table.cell(0, i).text = text
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = row
        else:
            for i, text in enumerate(row):
                cells[i].text = text
    return table


def provincial_plan(path: Path) -> Path:
    d = docx.Document()
    letterhead(d, ["ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH", "Số: 45/KH-UBND"],
               ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Ninh Bình, ngày 20 tháng 02 năm 2026"])
    for text in ["KẾ HOẠCH", "Cải cách hành chính nhà nước tỉnh Ninh Bình năm 2026",
                 "I. MỤC TIÊU",
                 "- Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt tối thiểu 98%.",
                 "- Mức độ hài lòng của người dân đạt trên 90% vào năm 2026.",
                 "II. TỔ CHỨC THỰC HIỆN", "Các sở, ban, ngành triển khai thực hiện Kế hoạch này."]:
        d.add_paragraph(text)
    letterhead(d, ["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT."],
               ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"])
    for text in ["PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026",
                 "(Kèm theo Kế hoạch số 45/KH-UBND ngày 20/02/2026 của UBND tỉnh Ninh Bình)"]:
        d.add_paragraph(text)
    grid_table(d, ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                   "Theo dõi, kiểm tra, đôn đốc", "Thời gian hoàn thành", "Sản phẩm"], [
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        "I. CẢI CÁCH THỂ CHẾ",
        ["1", "Rà soát văn bản quy phạm pháp luật của tỉnh", "Sở Tư pháp",
         "Các sở, ban, ngành; UBND các xã, phường, đặc khu", "Sở Nội vụ", "Quý II/2026", "Báo cáo"],
        ["2", "Theo dõi thi hành pháp luật", "Sở Tư pháp", "Các cơ quan, đơn vị, địa phương",
         "Văn phòng UBND tỉnh", "Thường xuyên", "Báo cáo"],
        "II. XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
        ["3", "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính tỉnh, đạt 100% hồ sơ được số hóa",
         "Sở Khoa học và Công nghệ", "Trung tâm Phục vụ hành chính công tỉnh", "Sở Nội vụ",
         "Trước ngày 30/9/2026", "- Hệ thống được nâng cấp; - Báo cáo"],
    ])
    d.save(path)
    return path


def report_with_statistics(path: Path) -> Path:
    d = docx.Document()
    letterhead(d, ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH", "Số: 12/BC-UBND"],
               ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "An Bình, ngày 10 tháng 12 năm 2025"])
    for text in ["BÁO CÁO", "Kết quả công tác cải cách hành chính năm 2025",
                 "Năm 2025, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99%.", "Phụ lục: Kết quả thực hiện"]:
        d.add_paragraph(text)
    grid_table(d, ["STT", "Nội dung nhiệm vụ", "Kết quả", "Cơ quan thực hiện", "Thời gian hoàn thành"], [
        ["1", "Ban hành kế hoạch CCHC năm 2025", "Đã hoàn thành", "Phòng Văn hóa - Xã hội", "Quý I/2025"],
        ["2", "Rà soát thủ tục hành chính", "Đã hoàn thành", "Trung tâm Phục vụ HCC", "Quý II/2025"],
    ])
    grid_table(d, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu"], [["1", "Số TTHC", "Thủ tục", "120"]])
    d.save(path)
    return path


def cover_letter(path: Path) -> Path:
    d = docx.Document()
    letterhead(d, ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH", "Số: 88/UBND-VP", "V/v gửi Kế hoạch CCHC năm 2026"],
               ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "An Bình, ngày 12 tháng 01 năm 2026"])
    for text in ["Kính gửi: Sở Nội vụ tỉnh",
                 "UBND xã An Bình gửi kèm Kế hoạch cải cách hành chính năm 2026, phấn đấu 100% nhiệm vụ hoàn thành."]:
        d.add_paragraph(text)
    grid_table(d, ["STT", "Tên văn bản", "Cơ quan ban hành", "Thời gian ban hành"],
               [["1", "Kế hoạch CCHC năm 2026", "UBND xã", "Tháng 01/2026"]])
    d.save(path)
    return path


def _vmerge(cell_top, cell_bottom) -> None:
    cell_top.merge(cell_bottom)


def tricky_tables_plan(path: Path) -> Path:
    """Two-row header, a task split over rows with different leads (merged TT and content),
    Arabic group-heading rows, and a second annex without a TT column."""
    d = docx.Document()
    letterhead(d, ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                    "An Bình, ngày 05 tháng 01 năm 2026"])
    for text in ["KẾ HOẠCH", "Cải cách hành chính trên địa bàn xã An Bình năm 2026", "Phụ lục 01"]:
        d.add_paragraph(text)
    table = d.add_table(rows=2, cols=6)
    table.style = "Table Grid"
    top, sub = table.rows[0].cells, table.rows[1].cells
    for i, text in enumerate(["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp"]):
        top[i].text = text
        top[i].merge(sub[i])
    span = top[4].merge(top[5])
    span.text = "Thời gian"
    sub[4].text, sub[5].text = "Bắt đầu", "Hoàn thành"
    body = [["1", "Cải cách thủ tục hành chính", "", "", "", ""],
            ["1.1", "Rà soát thủ tục hành chính", "Trung tâm Phục vụ HCC", "Các phòng chuyên môn", "Tháng 01/2026", "Quý II/2026"],
            ["1.2", "Tuyên truyền thủ tục mới", "Phòng Văn hóa - Xã hội", "", "Tháng 02/2026", "Quý III/2026"],
            ["", "", "Công an xã", "", "Tháng 02/2026", "Quý IV/2026"]]
    for values in body:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            cells[i].text = text
    rows = table.rows
    # merge TT and content of the last two rows: one task split over two rows
    rows[4].cells[0].merge(rows[5].cells[0])
    rows[4].cells[1].merge(rows[5].cells[1])
    d.add_paragraph("Phụ lục 02")
    grid_table(d, ["Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành"], [
        ["Kiểm tra công vụ", "Văn phòng HĐND và UBND xã", "Quý IV/2026"],
        ["Đánh giá cán bộ", "Phòng Văn hóa - Xã hội", "Tháng 12/2026"],
    ])
    d.save(path)
    return path
