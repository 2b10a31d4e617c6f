"""Build the third held-out set of tests/data/heldout (plans 407-409, see its README) as Word files.

    python tests/build_heldout_plans_3.py [OUT_DIR]      # default tests/data/heldout

Made so that a held-out set nobody has looked at exists again after 404-406. Built the way
401-406 are (the helpers of ``build_heldout_plans.py``: python-docx, Times New Roman 13, a
portrait body and a landscape annex with its header rows repeated). Each plan is fictional; its
gold (``tests/data/heldout/gold/<stem>.json``, contract v1.1 with responsibilities) was written by
hand from the plan's content before kehoach was run on it. The layouts differ from the dev,
synth and 401-406 plans on purpose:

* ``407_sin_ho_lai_chau``: a commune of a northern mountain province (UBND xã Sìn Hồ, Lai Châu),
  CCHC 2026; EVERY cell of the annex table CENTRED VERTICALLY (a short cell's text sits in the
  middle of its row, beside the middle lines of the content cell); columns ``TT | Nội dung |
  Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm``; six roman section rows
  with numbering restarting at 1 in each; a composite deadline, an event deadline, a monthly
  relative deadline; duties under lettered headings with ``+`` items.
* ``408_ninh_binh_an_toan_thuc_pham``: a province (UBND tỉnh Ninh Bình), NOT administrative
  reform: bảo đảm an toàn thực phẩm 2026 (area null); columns ``STT | Nội dung nhiệm vụ | Sản
  phẩm đầu ra | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Kinh phí`` (products BEFORE the
  units, a funding column for ``extra``); NO section rows, tasks 1..15; cells top-aligned (the
  default) with bullet lists in content, product and coordinating cells (one unit per ``- ``
  line); three leads in one cell; a date range by day (``Từ ngày 15/4 đến ngày 15/5/2026``),
  ``Trước ngày 20 của tháng cuối quý``; duties as numbered headings with ``a)``/``b)`` items.
* ``409_ninh_kieu_can_tho``: a ward of a southern city (UBND phường Ninh Kiều, thành phố Cần
  Thơ), chuyển đổi số 2026; TWO annexes (``PHỤ LỤC I`` / ``PHỤ LỤC II``), each a table with a
  two-row header (``Đơn vị thực hiện`` > ``Chủ trì`` / ``Phối hợp``, other header cells merged
  down, no number row) and ``Kết quả, sản phẩm`` BETWEEN the units and the deadline; Phụ lục I's
  cells centred vertically, Phụ lục II's top-aligned; no section rows, numbering restarting in
  Phụ lục II; duties as numbered sentences with the addressee inline (``Giao …``, ``Đề nghị …``).
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_ALIGN_VERTICAL

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout_plans import (  # noqa: E402  (the helpers of the first held-out set)
    add_row, annex_opening, grid, header_table, landscape_section, main, new_document, para, plan_opening,
    repeat_header, sectioned_rows, signature,
)


def centre_vertically(table, first_row: int = 0) -> None:
    """Centre every cell of ``table`` from ``first_row`` on vertically (w:vAlign center)."""
    for row in table.rows[first_row:]:
        for cell in row.cells:
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def two_row_header(d, widths: list[float], labels: list[str], group: int):
    """A table whose header has two rows, both repeated on every page: ``labels`` in row 1 with
    columns ``group`` and ``group + 1`` under one "Đơn vị thực hiện" cell, "Chủ trì" / "Phối hợp"
    in row 2; the other header cells merged down over both rows."""
    t = grid(d, widths)
    top = list(labels)
    top.insert(group + 1, "")
    r1 = add_row(t, top, bold=True, widths=widths)
    r2 = add_row(t, ["Chủ trì" if i == group else "Phối hợp" if i == group + 1 else ""
                     for i in range(len(widths))], bold=True, widths=widths)
    repeat_header(r1)
    repeat_header(r2)
    for i in range(len(widths)):
        if i not in (group, group + 1):
            r1.cells[i].merge(r2.cells[i])
    r1.cells[group].merge(r1.cells[group + 1])
    centre_vertically(t)
    return t


# ----------------------------------------------------------------------------- 407
# (seq, content, lead, coordinating, deadline, products)
P407_TASKS = [
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", [
        ("1", "Ban hành Kế hoạch cải cách hành chính, Kế hoạch kiểm tra công tác cải cách hành chính "
              "năm 2026 của UBND xã",
         "Văn phòng HĐND và UBND xã", "Phòng Văn hóa - Xã hội", "Tháng 01/2026", "Kế hoạch"),
        ("2", "Tổ chức Hội thi tìm hiểu về cải cách hành chính cho cán bộ, công chức xã và người dân "
              "các bản",
         "Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã; Hội Liên hiệp Phụ nữ xã", "Quý III/2026",
         "Hội thi"),
        ("3", "Kiểm tra việc thực hiện kỷ luật, kỷ cương hành chính, văn hóa công vụ tại các phòng, "
              "đơn vị thuộc UBND xã và Trung tâm Phục vụ hành chính công xã",
         "Văn phòng HĐND và UBND xã", "Phòng Văn hóa - Xã hội; Công an xã",
         "Tháng 6/2026; tháng 11/2026", "Thông báo kết quả kiểm tra"),
    ]),
    ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", [
        ("1", "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã; đề xuất "
              "phương án đơn giản hóa, cắt giảm tối thiểu 15% thời gian giải quyết so với quy định",
         "Trung tâm Phục vụ hành chính công xã", "Các phòng chuyên môn thuộc UBND xã",
         "Trước ngày 30/9/2026", "Phương án đơn giản hóa"),
        ("2", "Niêm yết công khai thủ tục hành chính, số điện thoại đường dây nóng tại Trung tâm Phục "
              "vụ hành chính công xã và nhà văn hóa các bản",
         "Trung tâm Phục vụ hành chính công xã", "Trưởng các bản", "Thường xuyên", "Bảng niêm yết"),
        ("3", "Tổ chức tiếp nhận, trả kết quả giải quyết thủ tục hành chính lưu động tại các bản vùng "
              "sâu, vùng xa, đi lại khó khăn; ưu tiên người cao tuổi, người khuyết tật, hộ nghèo. Bố "
              "trí công chức thông thạo tiếng Mông, tiếng Dao hỗ trợ người dân kê khai hồ sơ, tra cứu "
              "kết quả giải quyết và phản ánh những vướng mắc trong quá trình thực hiện",
         "Trung tâm Phục vụ hành chính công xã", "Công an xã; Phòng Kinh tế", "Hằng tháng",
         "Sổ theo dõi tiếp nhận lưu động"),
        ("4", "Tiếp nhận, xử lý phản ánh, kiến nghị của người dân về quy định hành chính và việc giải "
              "quyết thủ tục hành chính qua đường dây nóng, hộp thư góp ý đặt tại Trung tâm Phục vụ hành "
              "chính công xã và trên Hệ thống thông tin tiếp nhận, xử lý phản ánh, kiến nghị; công khai "
              "kết quả xử lý trên hệ thống loa truyền thanh của xã",
         "Văn phòng HĐND và UBND xã", "Trung tâm Phục vụ hành chính công xã",
         "Khi có phản ánh, kiến nghị", "Văn bản trả lời"),
    ]),
    ("III. CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", [
        ("1", "Rà soát, đề xuất sáp nhập các bản chưa đạt tiêu chuẩn về quy mô số hộ gia đình theo "
              "quy định",
         "Phòng Văn hóa - Xã hội", "Các bản; Ủy ban MTTQ Việt Nam xã", "Quý II - Quý III/2026",
         "Đề án sáp nhập bản"),
        ("2", "Xây dựng, trình phê duyệt Đề án vị trí việc làm của các cơ quan, đơn vị thuộc UBND xã",
         "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND xã; Phòng Kinh tế",
         "Theo hướng dẫn của Sở Nội vụ", "Đề án vị trí việc làm"),
    ]),
    ("IV. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", [
        ("1", "Cử cán bộ, công chức tham gia bồi dưỡng kỹ năng giao tiếp, ứng xử với người dân tại "
              "bộ phận tiếp nhận và trả kết quả",
         "Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công xã", "Năm 2026",
         "Danh sách cử đi bồi dưỡng"),
        ("2", "Đánh giá, xếp loại cán bộ, công chức hằng tháng theo kết quả thực hiện nhiệm vụ trên "
              "phần mềm đánh giá",
         "Phòng Văn hóa - Xã hội", "Các phòng, ban, đơn vị thuộc UBND xã", "Trước ngày 05 hằng tháng",
         "Kết quả đánh giá, xếp loại"),
    ]),
    ("V. CẢI CÁCH TÀI CHÍNH CÔNG", [
        ("1", "Công khai dự toán, quyết toán ngân sách xã và các quỹ tài chính ngoài ngân sách tại trụ "
              "sở UBND xã",
         "Phòng Kinh tế", "Văn phòng HĐND và UBND xã", "Theo quy định", "Báo cáo công khai"),
    ]),
    ("VI. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ", [
        ("1", "Hướng dẫn người dân tại các bản nộp hồ sơ trực tuyến, thanh toán phí, lệ phí trực tuyến "
              "trên Cổng Dịch vụ công quốc gia",
         "Tổ công nghệ số cộng đồng", "Trung tâm Phục vụ hành chính công xã; Viettel Lai Châu",
         "Quý I - Quý IV/2026", "Hồ sơ trực tuyến"),
        ("2", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực; cập nhật kho dữ liệu "
              "điện tử của tổ chức, cá nhân",
         "Trung tâm Phục vụ hành chính công xã", "Văn phòng HĐND và UBND xã", "Trước ngày 15/12/2026",
         "Dữ liệu được số hóa"),
        ("3", "Lắp đặt hệ thống wifi miễn phí tại Trung tâm Phục vụ hành chính công xã và nhà văn hóa "
              "các bản trung tâm",
         "Phòng Kinh tế", "VNPT Lai Châu", "Tháng 4 - 8/2026", "Điểm wifi công cộng"),
    ]),
]


def build_407(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "XÃ SÌN HỒ", "Số: 19/KH-UBND", "Sìn Hồ, ngày 16 tháng 01 năm 2026",
                 "Cải cách hành chính nhà nước xã Sìn Hồ năm 2026")
    para(d, "Thực hiện Kế hoạch số 256/KH-UBND ngày 26/12/2025 của UBND tỉnh Lai Châu về cải cách "
            "hành chính nhà nước năm 2026, UBND xã Sìn Hồ ban hành Kế hoạch cải cách hành chính năm "
            "2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "Đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ người dân, nhất là đồng bào "
            "dân tộc thiểu số ở các bản vùng cao; gắn trách nhiệm của người đứng đầu với kết quả cải "
            "cách hành chính của cơ quan, đơn vị.")
    para(d, "II. MỤC TIÊU, CHỈ TIÊU", bold=True)
    para(d, "1. Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn và trước hạn đạt trên 98%.")
    para(d, "2. Mức độ hài lòng của người dân đối với việc giải quyết thủ tục hành chính tại Trung tâm "
            "Phục vụ hành chính công xã đạt từ 88% trở lên.")
    para(d, "3. Tối thiểu 75% cán bộ, công chức xã sử dụng thành thạo phần mềm quản lý văn bản và "
            "điều hành.")
    para(d, "4. Giảm ít nhất 30% số hồ sơ phải trả lại, yêu cầu bổ sung so với năm 2025.")
    para(d, "5. Phấn đấu 95% hộ gia đình tại các bản được phổ biến về dịch vụ công trực tuyến.")
    para(d, "III. NHIỆM VỤ", bold=True)
    para(d, "Các nhiệm vụ, đơn vị chủ trì, đơn vị phối hợp, thời gian hoàn thành và sản phẩm tại Phụ "
            "lục kèm theo Kế hoạch này.")
    para(d, "IV. KINH PHÍ", bold=True)
    para(d, "Kinh phí thực hiện từ nguồn ngân sách xã năm 2026 và nguồn kinh phí hỗ trợ của tỉnh.")
    para(d, "V. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "a) Phòng Văn hóa - Xã hội:", bold=True)
    para(d, "+ Là cơ quan thường trực, chủ trì theo dõi, đôn đốc các đơn vị triển khai Kế hoạch này.")
    para(d, "+ Tổng hợp, báo cáo kết quả cải cách hành chính về UBND xã định kỳ hằng quý, 6 tháng, năm.")
    para(d, "b) Trung tâm Phục vụ hành chính công xã:", bold=True)
    para(d, "+ Chủ trì rà soát, niêm yết công khai thủ tục hành chính; hoàn thành trước ngày 31/3/2026.")
    para(d, "c) Văn phòng HĐND và UBND xã:", bold=True)
    para(d, "+ Phối hợp với Phòng Văn hóa - Xã hội kiểm tra kỷ luật, kỷ cương hành chính trong Quý "
            "II/2026.")
    para(d, "d) Công an xã:", bold=True)
    para(d, "+ Phối hợp với Tổ công nghệ số cộng đồng hướng dẫn người dân kích hoạt, sử dụng tài khoản "
            "định danh điện tử.")
    para(d, "đ) Trưởng các bản:", bold=True)
    para(d, "+ Tuyên truyền, vận động Nhân dân thực hiện thủ tục hành chính trên môi trường điện tử.")
    signature(d, ["- UBND tỉnh (b/c);", "- Sở Nội vụ (b/c);", "- TT Đảng ủy, TT HĐND xã;",
                  "- Các phòng, đơn vị thuộc UBND xã;", "- Các bản;", "- Lưu: VT."],
              ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Vàng A Dính")
    annex_opening(d, "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH XÃ SÌN HỒ NĂM 2026",
                  "(Kèm theo Kế hoạch số 19/KH-UBND ngày 16/01/2026 của UBND xã Sìn Hồ)")
    widths = [1.1, 9.6, 3.8, 4.6, 3.2, 3.9]
    t = header_table(d, widths, ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp",
                                 "Thời gian hoàn thành", "Sản phẩm"])
    sectioned_rows(t, P407_TASKS, widths, center_cols=(0, 2, 3, 4, 5))
    centre_vertically(t)
    path = out / "407_sin_ho_lai_chau.docx"
    d.save(path)
    return path


# ----------------------------------------------------------------------------- 408
# (seq, content, products, lead, coordinating, deadline, funding); "\n" = one paragraph per line
P408_TASKS = [
    ("1", "Kiện toàn Ban Chỉ đạo liên ngành về an toàn thực phẩm tỉnh; ban hành quy chế hoạt động và "
          "phân công nhiệm vụ các thành viên",
     "Quyết định kiện toàn; Quy chế hoạt động", "Sở Y tế", "Các sở, ban, ngành liên quan",
     "Quý I/2026", "Ngân sách tỉnh"),
    ("2", "Tổ chức Tháng hành động vì an toàn thực phẩm năm 2026:\n"
          "- Lễ phát động cấp tỉnh;\n"
          "- Kiểm tra liên ngành tại các chợ đầu mối, siêu thị, cơ sở chế biến thực phẩm",
     "- Kế hoạch triển khai;\n- Báo cáo kết quả", "Sở Y tế",
     "- Sở Công Thương;\n- Sở Nông nghiệp và Môi trường;\n- Công an tỉnh;\n- UBND các xã, phường",
     "Từ ngày 15/4 đến ngày 15/5/2026", "Ngân sách tỉnh"),
    ("3", "Kiểm tra, giám sát an toàn thực phẩm trong dịp Tết Nguyên đán Bính Ngọ và mùa Lễ hội Xuân "
          "năm 2026",
     "Báo cáo kết quả kiểm tra", "Sở Y tế",
     "Sở Công Thương, Sở Nông nghiệp và Môi trường, Công an tỉnh", "Tháng 02 - 3/2026",
     "Ngân sách tỉnh"),
    ("4", "Kiểm tra, giám sát an toàn thực phẩm trong dịp Tết Trung thu; xử lý nghiêm hành vi kinh "
          "doanh bánh, kẹo không rõ nguồn gốc, xuất xứ",
     "Báo cáo", "Sở Công Thương", "Sở Y tế; Chi cục Quản lý thị trường tỉnh Ninh Bình",
     "Quý III/2026", "Lồng ghép"),
    ("5", "Quản lý an toàn thực phẩm đối với nông sản, thủy sản, thịt và sản phẩm từ thịt:\n"
          "- Giám sát dư lượng thuốc bảo vệ thực vật, kháng sinh trong sản phẩm nông nghiệp;\n"
          "- Kiểm tra cơ sở giết mổ gia súc, gia cầm tập trung",
     "Kết quả giám sát; Báo cáo", "Sở Nông nghiệp và Môi trường", "UBND các xã, phường",
     "Hằng quý", "Ngân sách tỉnh"),
    ("6", "Cấp, thu hồi Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm theo phân cấp; công khai "
          "danh sách cơ sở vi phạm trên Cổng thông tin điện tử tỉnh",
     "- Giấy chứng nhận;\n- Danh sách công khai",
     "Sở Y tế; Sở Công Thương; Sở Nông nghiệp và Môi trường", "UBND các xã, phường", "Thường xuyên", ""),
    ("7", "Kiểm tra bếp ăn tập thể tại các trường học có tổ chức bán trú; bảo đảm 100% bếp ăn bán "
          "trú được kiểm tra trước năm học mới",
     "Biên bản kiểm tra", "Sở Giáo dục và Đào tạo", "Sở Y tế; UBND các xã, phường",
     "Trước ngày 31/8/2026", "Lồng ghép"),
    ("8", "Kiểm tra an toàn thực phẩm tại bếp ăn tập thể của các doanh nghiệp trong khu công nghiệp",
     "Báo cáo", "Ban Quản lý các khu công nghiệp tỉnh", "Sở Y tế; Liên đoàn Lao động tỉnh",
     "Quý II/2026", ""),
    ("9", "Kiểm tra thức ăn đường phố, cơ sở kinh doanh dịch vụ ăn uống tại các khu du lịch Tràng An, "
          "Tam Cốc - Bích Động, chùa Bái Đính; kiểm tra ít nhất 30% cơ sở kinh doanh thức ăn đường phố",
     "Biên bản kiểm tra; Báo cáo", "UBND các xã, phường",
     "- Sở Y tế;\n- Sở Văn hóa, Thể thao và Du lịch", "Trước ngày 15/10/2026", "Ngân sách xã"),
    ("10", "Tuyên truyền kiến thức, pháp luật về an toàn thực phẩm trên các phương tiện thông tin đại "
           "chúng và hệ thống truyền thanh cơ sở",
     "- Tin, bài, phóng sự;\n- Tờ rơi, áp phích", "Sở Y tế",
     "Sở Văn hóa, Thể thao và Du lịch; Hội Liên hiệp Phụ nữ tỉnh; Hội Nông dân tỉnh", "Thường xuyên",
     "Ngân sách tỉnh"),
    ("11", "Điều tra, xử lý ngộ độc thực phẩm; lấy mẫu xét nghiệm, truy xuất nguồn gốc thực phẩm gây "
           "ngộ độc",
     "Báo cáo điều tra", "Sở Y tế", "Công an tỉnh; UBND các xã, phường",
     "Khi xảy ra ngộ độc thực phẩm", ""),
    ("12", "Đấu tranh, phòng chống tội phạm, vi phạm pháp luật về an toàn thực phẩm; điều tra, xử lý "
           "các vụ việc sản xuất, buôn bán thực phẩm giả, kém chất lượng",
     "Báo cáo kết quả", "Công an tỉnh",
     "- Sở Y tế;\n- Sở Công Thương;\n- Sở Nông nghiệp và Môi trường", "Thường xuyên",
     "Lồng ghép nguồn kinh phí thường xuyên"),
    ("13", "Kiểm nghiệm mẫu thực phẩm lưu thông trên thị trường; công bố kết quả kiểm nghiệm",
     "Phiếu kết quả kiểm nghiệm", "Trung tâm Kiểm soát bệnh tật tỉnh",
     "Sở Công Thương; Sở Nông nghiệp và Môi trường", "Hằng tháng", "Ngân sách tỉnh"),
    ("14", "Xây dựng, nhân rộng mô hình chợ bảo đảm an toàn thực phẩm, chuỗi cung ứng thực phẩm an toàn",
     "- Mô hình chợ an toàn thực phẩm;\n- Chuỗi cung ứng thực phẩm an toàn", "Sở Công Thương",
     "Sở Nông nghiệp và Môi trường; UBND các xã, phường", "Quý II - Quý IV/2026", "Xã hội hóa"),
    ("15", "Tổng hợp, báo cáo kết quả công tác bảo đảm an toàn thực phẩm về Bộ Y tế và UBND tỉnh",
     "Báo cáo", "Sở Y tế", "Các sở, ban, ngành; UBND các xã, phường",
     "Trước ngày 20 của tháng cuối quý", ""),
]


def build_408(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "TỈNH NINH BÌNH", "Số: 87/KH-UBND", "Ninh Bình, ngày 06 tháng 02 năm 2026",
                 "Bảo đảm an toàn thực phẩm trên địa bàn tỉnh Ninh Bình năm 2026")
    para(d, "Căn cứ Luật An toàn thực phẩm ngày 17/6/2010; Nghị định số 15/2018/NĐ-CP ngày 02/02/2018 "
            "của Chính phủ quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm; Ủy ban "
            "nhân dân tỉnh Ninh Bình ban hành Kế hoạch bảo đảm an toàn thực phẩm năm 2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "Nâng cao hiệu lực, hiệu quả quản lý nhà nước về an toàn thực phẩm; ngăn chặn thực phẩm "
            "không bảo đảm an toàn lưu thông trên thị trường, bảo vệ sức khỏe Nhân dân và du khách.")
    para(d, "II. MỤC TIÊU", bold=True)
    para(d, "1. Mục tiêu chung", bold=True)
    para(d, "Kiểm soát có hiệu quả an toàn thực phẩm trong toàn bộ chuỗi cung cấp thực phẩm; giảm "
            "thiểu các vụ ngộ độc thực phẩm trên địa bàn tỉnh.")
    para(d, "2. Chỉ tiêu cụ thể", bold=True)
    para(d, "- Trên 95% người sản xuất, kinh doanh thực phẩm, người tiêu dùng và người quản lý được "
            "cập nhật kiến thức về an toàn thực phẩm.")
    para(d, "- 100% cơ sở sản xuất, kinh doanh thực phẩm thuộc diện phải cấp Giấy chứng nhận cơ sở đủ "
            "điều kiện an toàn thực phẩm được cấp giấy chứng nhận.")
    para(d, "- Tỷ lệ mẫu thực phẩm được kiểm nghiệm đạt yêu cầu về an toàn thực phẩm từ 92% trở lên.")
    para(d, "- Giảm tối thiểu 10% số vụ ngộ độc thực phẩm từ 30 người mắc trở lên so với năm 2025.")
    para(d, "- Tối thiểu 85% bếp ăn tập thể trong trường học, khu công nghiệp được kiểm tra ít nhất một "
            "lần trong năm.")
    para(d, "III. NHIỆM VỤ, GIẢI PHÁP", bold=True)
    para(d, "Các nhiệm vụ, sản phẩm đầu ra, cơ quan chủ trì, cơ quan phối hợp, thời hạn và kinh phí "
            "tại Phụ lục kèm theo Kế hoạch này.")
    para(d, "IV. KINH PHÍ THỰC HIỆN", bold=True)
    para(d, "Từ nguồn ngân sách nhà nước theo phân cấp, nguồn xã hội hóa và các nguồn hợp pháp khác.")
    para(d, "V. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "1. Sở Y tế (cơ quan thường trực Ban Chỉ đạo liên ngành về an toàn thực phẩm tỉnh)",
         bold=True)
    para(d, "a) Là cơ quan thường trực, chủ trì, phối hợp với các sở, ngành, địa phương triển khai Kế "
            "hoạch này.")
    para(d, "b) Tổng hợp, báo cáo UBND tỉnh và Bộ Y tế kết quả thực hiện trước ngày 15/12/2026.")
    para(d, "2. Sở Công Thương, Sở Nông nghiệp và Môi trường", bold=True)
    para(d, "a) Chủ trì kiểm tra, giám sát an toàn thực phẩm thuộc lĩnh vực được phân công quản lý; "
            "báo cáo kết quả về Sở Y tế hằng quý.")
    para(d, "3. Sở Tài chính", bold=True)
    para(d, "a) Tham mưu UBND tỉnh bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân sách tỉnh.")
    para(d, "4. Công an tỉnh", bold=True)
    para(d, "a) Phối hợp với Sở Y tế điều tra, xử lý các vụ ngộ độc thực phẩm có dấu hiệu tội phạm.")
    para(d, "5. UBND các xã, phường", bold=True)
    para(d, "a) Chủ động kiểm tra an toàn thực phẩm đối với các cơ sở thuộc thẩm quyền quản lý trên "
            "địa bàn.")
    para(d, "b) Báo cáo kết quả về Sở Y tế định kỳ 6 tháng, năm.")
    signature(d, ["- Bộ Y tế (b/c);", "- TT Tỉnh ủy, TT HĐND tỉnh (b/c);", "- Chủ tịch, các PCT UBND tỉnh;",
                  "- Các sở, ban, ngành;", "- UBND các xã, phường;", "- Lưu: VT, VX."],
              ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Bùi Thị Thu Hương")
    annex_opening(d, "NHIỆM VỤ BẢO ĐẢM AN TOÀN THỰC PHẨM TỈNH NINH BÌNH NĂM 2026",
                  "(Kèm theo Kế hoạch số 87/KH-UBND ngày 06/02/2026 của UBND tỉnh Ninh Bình)")
    widths = [1.2, 8.2, 3.6, 3.4, 4.2, 2.9, 2.7]
    t = header_table(d, widths, ["STT", "Nội dung nhiệm vụ", "Sản phẩm đầu ra", "Cơ quan chủ trì",
                                 "Cơ quan phối hợp", "Thời hạn", "Kinh phí"])
    for cells in P408_TASKS:
        add_row(t, list(cells), center_cols=(0, 5), widths=widths)
    path = out / "408_ninh_binh_an_toan_thuc_pham.docx"
    d.save(path)
    return path


# ----------------------------------------------------------------------------- 409
# (seq, content, lead, coordinating, products, deadline)
P409_ANNEX1 = [
    ("1", "Vận hành hệ thống quản lý văn bản và điều hành, chữ ký số chuyên dùng tại UBND phường và "
          "các khu vực",
     "Văn phòng HĐND và UBND phường", "Các phòng, ban, đơn vị thuộc UBND phường",
     "Hệ thống vận hành ổn định", "Thường xuyên"),
    ("2", "Cập nhật, công khai danh mục dịch vụ công trực tuyến toàn trình; hướng dẫn người dân nộp "
          "hồ sơ trực tuyến tại Trung tâm Phục vụ hành chính công phường",
     "Trung tâm Phục vụ hành chính công phường", "Tổ công nghệ số cộng đồng; Đoàn Thanh niên phường",
     "Danh mục dịch vụ công trực tuyến", "Tháng 3 - 4/2026"),
    ("3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; bảo đảm 100% hồ sơ tiếp nhận được số "
          "hóa",
     "Trung tâm Phục vụ hành chính công phường", "Phòng Văn hóa - Xã hội", "Dữ liệu số hóa",
     "Hằng tháng"),
    ("4", "Triển khai hệ thống camera giám sát an ninh, trật tự, giao thông kết nối với Trung tâm "
          "giám sát, điều hành đô thị thông minh thành phố",
     "Công an phường", "Phòng Kinh tế, Hạ tầng và Đô thị; VNPT Cần Thơ", "Hệ thống camera",
     "Quý II - Quý III/2026"),
    ("5", "Làm sạch dữ liệu dân cư, hộ tịch; kích hoạt tài khoản định danh điện tử mức độ 2 cho "
          "người dân",
     "Công an phường", "Phòng Văn hóa - Xã hội, các khu vực", "Dữ liệu được làm sạch",
     "Trước ngày 30/6/2026"),
    ("6", "Bảo đảm an toàn thông tin mạng; triển khai phần mềm phòng, chống mã độc tập trung trên máy "
          "tính của cán bộ, công chức",
     "Văn phòng HĐND và UBND phường", "Viettel Cần Thơ", "Phần mềm được cài đặt", "Từ tháng 4/2026"),
    ("7", "Tự đánh giá mức độ chuyển đổi số của phường năm 2026 theo bộ chỉ số của thành phố",
     "Phòng Văn hóa - Xã hội", "Các phòng, ban, đơn vị thuộc UBND phường", "Báo cáo tự đánh giá",
     "Theo hướng dẫn của Sở Khoa học và Công nghệ"),
]
P409_ANNEX2 = [
    ("1", "Hướng dẫn tiểu thương chợ Tân An, chợ Xuân Khánh mở tài khoản, sử dụng mã QR thanh toán "
          "không dùng tiền mặt",
     "Phòng Kinh tế, Hạ tầng và Đô thị",
     "Ban quản lý chợ Tân An; Ngân hàng TMCP Ngoại thương Việt Nam chi nhánh Cần Thơ",
     "Tiểu thương sử dụng thanh toán số", "Quý II/2026"),
    ("2", "Hỗ trợ hộ kinh doanh, hợp tác xã đưa sản phẩm lên sàn thương mại điện tử",
     "Phòng Kinh tế, Hạ tầng và Đô thị", "Hội Liên hiệp Phụ nữ phường; Bưu điện thành phố Cần Thơ",
     "Gian hàng trực tuyến", "Năm 2026"),
    ("3", "Tổ chức lớp phổ cập kỹ năng số cơ bản cho người dân theo phong trào “Bình dân học vụ số”",
     "Phòng Văn hóa - Xã hội", "Tổ công nghệ số cộng đồng; Ủy ban MTTQ Việt Nam phường",
     "Lớp tập huấn; Danh sách học viên", "Hằng quý"),
    ("4", "Triển khai sổ sức khỏe điện tử, đặt lịch khám bệnh trực tuyến tại Trạm Y tế phường",
     "Trạm Y tế phường", "Công an phường", "Sổ sức khỏe điện tử", "Tháng 5 - 9/2026"),
    ("5", "Ứng dụng phần mềm quản lý học sinh, học bạ số tại các trường mầm non, tiểu học, trung học "
          "cơ sở trên địa bàn phường",
     "Các trường mầm non, tiểu học, trung học cơ sở", "Phòng Văn hóa - Xã hội", "Học bạ số",
     "Tháng 9/2026"),
]


def _annex_409(d, title: str, rows, centred: bool) -> None:
    landscape_section(d)
    para(d, title, bold=True, center=True)
    para(d, "(Kèm theo Kế hoạch số 33/KH-UBND ngày 10/3/2026 của UBND phường Ninh Kiều)", italic=True,
         center=True)
    widths = [1.1, 9.4, 4.2, 4.4, 3.9, 3.2]
    t = two_row_header(d, widths, ["TT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", "Kết quả, sản phẩm",
                                   "Thời gian hoàn thành"], group=2)
    for cells in rows:
        add_row(t, list(cells), center_cols=(0, 5), widths=widths)
    if centred:
        centre_vertically(t, first_row=2)


def build_409(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "PHƯỜNG NINH KIỀU", "Số: 33/KH-UBND", "Ninh Kiều, ngày 10 tháng 3 năm 2026",
                 "Chuyển đổi số phường Ninh Kiều năm 2026")
    para(d, "Căn cứ Kế hoạch số 41/KH-UBND ngày 12/02/2026 của UBND thành phố Cần Thơ về chuyển đổi số "
            "năm 2026; Ủy ban nhân dân phường Ninh Kiều ban hành Kế hoạch chuyển đổi số năm 2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "Phát triển chính quyền số, kinh tế số, xã hội số trên địa bàn phường; lấy người dân làm "
            "trung tâm, bảo đảm an toàn thông tin trong quá trình chuyển đổi số.")
    para(d, "II. CHỈ TIÊU", bold=True)
    para(d, "a) Xây dựng chính quyền số:", italic=True)
    para(d, "- 100% hồ sơ công việc tại UBND phường được xử lý trên môi trường mạng (trừ hồ sơ mật).")
    para(d, "- Tỷ lệ thủ tục hành chính có đủ điều kiện được cung cấp dưới dạng dịch vụ công trực tuyến "
            "toàn trình đạt tối thiểu 85%.")
    para(d, "b) Phát triển kinh tế số:", italic=True)
    para(d, "- Tỷ lệ cơ sở kinh doanh tại chợ Tân An, chợ Xuân Khánh chấp nhận thanh toán không dùng "
            "tiền mặt đạt trên 75%.")
    para(d, "c) Phát triển xã hội số:", italic=True)
    para(d, "- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 90%.")
    para(d, "- Ít nhất 60% người trong độ tuổi lao động được phổ cập kỹ năng số cơ bản.")
    para(d, "III. NHIỆM VỤ", bold=True)
    para(d, "Nhiệm vụ xây dựng chính quyền số tại Phụ lục I; nhiệm vụ phát triển kinh tế số, xã hội số "
            "tại Phụ lục II kèm theo Kế hoạch này.")
    para(d, "IV. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "1. Giao Phòng Văn hóa - Xã hội chủ trì, theo dõi, đôn đốc các phòng, ban, đơn vị triển "
            "khai Kế hoạch này.")
    para(d, "2. Phòng Văn hóa - Xã hội tổng hợp, báo cáo kết quả thực hiện về UBND phường trước ngày "
            "05/12/2026.")
    para(d, "3. Giao Công an phường chủ trì triển khai các nhiệm vụ của Đề án 06 trên địa bàn phường.")
    para(d, "4. Văn phòng HĐND và UBND phường bảo đảm hạ tầng kỹ thuật, an toàn thông tin cho các hệ "
            "thống thông tin của UBND phường.")
    para(d, "5. Phòng Kinh tế, Hạ tầng và Đô thị phối hợp với các ngân hàng thương mại trên địa bàn "
            "phát triển thanh toán không dùng tiền mặt tại các chợ trong Quý II/2026.")
    para(d, "6. Đề nghị Ủy ban MTTQ Việt Nam phường và các đoàn thể vận động hội viên, đoàn viên tham "
            "gia phong trào “Bình dân học vụ số”.")
    para(d, "7. Trưởng các khu vực phối hợp với Tổ công nghệ số cộng đồng hướng dẫn người dân sử dụng "
            "dịch vụ công trực tuyến hằng tháng.")
    signature(d, ["- UBND thành phố (b/c);", "- Sở Khoa học và Công nghệ (b/c);",
                  "- TT Đảng ủy, TT HĐND phường;", "- Các phòng, ban, đơn vị thuộc UBND phường;",
                  "- Lưu: VT."],
              ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Hoàng Phúc")
    _annex_409(d, "PHỤ LỤC I: NHIỆM VỤ XÂY DỰNG CHÍNH QUYỀN SỐ NĂM 2026", P409_ANNEX1, centred=True)
    _annex_409(d, "PHỤ LỤC II: NHIỆM VỤ PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ NĂM 2026", P409_ANNEX2,
               centred=False)
    path = out / "409_ninh_kieu_can_tho.docx"
    d.save(path)
    return path


BUILDERS = [build_407, build_408, build_409]


if __name__ == "__main__":
    sys.exit(main(builders=BUILDERS))
