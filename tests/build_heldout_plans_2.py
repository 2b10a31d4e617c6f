"""Build the second held-out set of tests/data/heldout (plans 404-406, see its README) as Word files.

    python tests/build_heldout_plans_2.py [OUT_DIR]      # default tests/data/heldout

Made after the flattened-text decoder had been tuned while looking at 401-403, so that a held-out
set nobody has looked at exists again. Built the way 401-403 are (the helpers of
``build_heldout_plans.py``: python-docx, Times New Roman 13, a portrait body and a landscape
annex with its header rows repeated). Each plan is fictional; its gold
(``tests/data/heldout/gold/<stem>.json``, contract v1.1 with responsibilities) was written by hand
from the plan's content before kehoach was run on it. The layouts differ from the dev, synth and
401-403 plans on purpose:

* ``404_quang_ngai_thien_tai``: a province, NOT an administrative-reform plan (phòng, chống
  thiên tai và tìm kiếm cứu nạn: area null); columns ``STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan
  phối hợp | Thời gian hoàn thành | Sản phẩm`` (products LAST, after the deadline); roman section
  rows with tasks numbered 1..20 straight through (no restart); cells naming several units
  separated by commas or semicolons, a lead cell with two departments, a lead with no code;
  enterprises and bodies missing from the registry; event deadlines ("Sau mỗi đợt thiên tai").
* ``405_tran_van_thoi_ca_mau``: a commune, chuyển đổi số and Đề án 06; a THREE-row header whose
  groups differ from synth 302: ``Tổ chức thực hiện`` > ``Cơ quan thực hiện`` > ``Chủ trì`` /
  ``Phối hợp`` next to ``Thời gian`` > ``Bắt đầu`` / ``Kết thúc`` (those two merged down over rows
  2-3), no number row; deadlines in two columns, or one text merged over both; only one section
  row names a CCHC area; tasks numbered 1..19 straight through; "ấp" hamlets.
* ``406_thu_dau_mot_hcm``: a ward of Thành phố Hồ Chí Minh, CCHC 2026; ONE unit column ``Đơn
  vị thực hiện`` (no lead/coordinating split) holding one to three units; ``Sản phẩm dự kiến``;
  seven roman area rows with tasks numbered 1..20 straight through; a composite deadline, an
  open start ("Từ tháng 3/2026"), "6 tháng đầu năm 2026"; prose targets under lettered area
  headings, one with its own year (2027); numbered "Trách nhiệm" headings without colons.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout_plans import (  # noqa: E402  (the helpers of the first held-out set)
    add_row, annex_opening, grid, header_table, new_document, para, plan_opening, repeat_header, rich,
    main, section_row, sectioned_rows, signature,
)



# ----------------------------------------------------------------------------- 404
# (seq, task, lead, coordinating, deadline, products)
P404_TASKS = [
    ("I. CÔNG TÁC PHÒNG NGỪA THIÊN TAI", [
        ("1", "Rà soát, cập nhật Kế hoạch phòng, chống thiên tai tỉnh giai đoạn 2026 - 2030 và "
              "phương án ứng phó thiên tai theo các cấp độ rủi ro thiên tai trên địa bàn tỉnh",
         "Sở Nông nghiệp và Môi trường", "Các sở, ban, ngành; UBND các xã, phường, đặc khu",
         "Trước ngày 30/6/2026", "Kế hoạch; Phương án ứng phó"),
        ("2", "Kiểm tra, đánh giá an toàn hồ chứa, đập dâng và hệ thống đê điều trước mùa mưa lũ; "
              "xử lý kịp thời các sự cố, hư hỏng, không để xảy ra mất an toàn công trình",
         "Sở Nông nghiệp và Môi trường",
         "Sở Xây dựng, Sở Công Thương, UBND các xã, phường có hồ đập",
         "Tháng 5 - 6/2026", "Báo cáo kết quả kiểm tra"),
        ("3", "Kiểm tra an toàn đập, hồ chứa thủy điện; phê duyệt phương án ứng phó thiên tai cho "
              "công trình thủy điện và phương án ứng phó với tình huống khẩn cấp năm 2026",
         "Sở Công Thương", "Sở Nông nghiệp và Môi trường; Công ty Thủy điện Đakđrinh",
         "Trước ngày 31/8/2026", "Báo cáo;\nQuyết định phê duyệt"),
        ("4", "Rà soát, di dời dân cư ra khỏi vùng có nguy cơ cao sạt lở đất, lũ quét, ngập lụt "
              "ven sông, ven biển; bố trí tái định cư ổn định lâu dài cho các hộ dân",
         "UBND các xã, phường, đặc khu", "Sở Nông nghiệp và Môi trường, Sở Xây dựng, Sở Tài chính",
         "Năm 2026 - 2027", "Danh sách hộ dân di dời; Dự án tái định cư"),
        ("5", "Bảo đảm an toàn công trình trường học, cơ sở y tế trước mùa mưa bão; xây dựng "
              "phương án bảo vệ học sinh, người bệnh khi có thiên tai",
         "Sở Giáo dục và Đào tạo; Sở Y tế", "UBND các xã, phường, đặc khu",
         "Quý III/2026", "Phương án bảo đảm an toàn"),
        ("6", "Kiểm tra, gia cố hệ thống lưới điện, hạ tầng viễn thông, thông tin liên lạc phục vụ "
              "chỉ đạo, điều hành phòng, chống thiên tai",
         "Sở Công Thương", "Công ty Điện lực Quảng Ngãi, Viễn thông Quảng Ngãi, Sở Khoa học và Công nghệ",
         "Trước ngày 15/9/2026", "Báo cáo"),
    ]),
    ("II. CÔNG TÁC ỨNG PHÓ THIÊN TAI VÀ TÌM KIẾM CỨU NẠN", [
        ("7", "Tổ chức trực ban phòng, chống thiên tai 24/24 giờ trong mùa mưa bão; theo dõi chặt "
              "chẽ diễn biến thời tiết, kịp thời tham mưu chỉ đạo, ứng phó",
         "Sở Nông nghiệp và Môi trường", "Đài Khí tượng thủy văn tỉnh Quảng Ngãi; Bộ Chỉ huy quân sự tỉnh",
         "Tháng 9 - 12/2026", "- Lịch trực;\n- Báo cáo nhanh"),
        ("8", "Xây dựng kế hoạch huy động lực lượng, phương tiện, trang thiết bị tham gia ứng phó "
              "thiên tai, tìm kiếm cứu nạn",
         "Bộ Chỉ huy quân sự tỉnh", "Công an tỉnh; Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
         "Quý II/2026", "Kế hoạch"),
        ("9", "Tổ chức diễn tập ứng phó thiên tai và tìm kiếm cứu nạn cấp tỉnh năm 2026 tại đặc khu "
              "Lý Sơn",
         "Bộ Chỉ huy quân sự tỉnh", "Công an tỉnh, Sở Y tế, UBND đặc khu Lý Sơn",
         "Quý III/2026", "Cuộc diễn tập; Báo cáo rút kinh nghiệm"),
        ("10", "Bảo đảm thông tin liên lạc, cảnh báo sớm thiên tai đến tàu thuyền hoạt động trên "
               "biển; hướng dẫn tàu thuyền vào nơi tránh trú an toàn",
         "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
         "Sở Nông nghiệp và Môi trường; Đài Thông tin duyên hải Quảng Ngãi",
         "Hằng năm", "Báo cáo"),
        ("11", "Bảo đảm an ninh, trật tự tại các khu vực bị ảnh hưởng bởi thiên tai; hỗ trợ sơ tán "
               "người dân ra khỏi vùng nguy hiểm",
         "Công an tỉnh", "UBND các xã, phường, đặc khu", "Thường xuyên",
         "Kế hoạch bảo đảm an ninh, trật tự"),
        ("12", "Dự trữ lương thực, nước uống, thuốc chữa bệnh, nhu yếu phẩm thiết yếu cho vùng "
               "thường xuyên bị chia cắt theo phương châm “bốn tại chỗ”",
         "UBND các xã, phường, đặc khu", "Sở Công Thương, Sở Y tế",
         "Trước ngày 31/8/2026", "Phương án dự trữ"),
    ]),
    ("III. KHẮC PHỤC HẬU QUẢ THIÊN TAI", [
        ("13", "Thống kê, đánh giá thiệt hại do thiên tai; đề xuất hỗ trợ khôi phục sản xuất nông "
               "nghiệp cho người dân bị thiệt hại",
         "Sở Nông nghiệp và Môi trường", "Sở Tài chính; UBND các xã, phường, đặc khu",
         "Sau mỗi đợt thiên tai", "Báo cáo thiệt hại; Tờ trình hỗ trợ"),
        ("14", "Hướng dẫn xử lý môi trường, phòng, chống dịch bệnh sau thiên tai; bảo đảm nước "
               "sạch cho người dân vùng bị ảnh hưởng",
         "Sở Y tế", "Sở Nông nghiệp và Môi trường, UBND các xã, phường",
         "Theo tình hình thực tế", "Văn bản hướng dẫn"),
        ("15", "Sửa chữa, khôi phục các công trình giao thông, thủy lợi, trường học bị hư hỏng do "
               "thiên tai năm 2025",
         "Sở Xây dựng", "Sở Nông nghiệp và Môi trường; Sở Giáo dục và Đào tạo; Sở Tài chính",
         "Quý I - Quý II/2026", "Công trình được khôi phục"),
        ("16", "Tiếp nhận, phân bổ kịp thời nguồn hỗ trợ, cứu trợ của các tổ chức, cá nhân cho "
               "người dân bị ảnh hưởng",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Chữ thập đỏ tỉnh; UBND các xã, phường, đặc khu",
         "Thường xuyên", "Báo cáo tiếp nhận, phân bổ"),
    ]),
    ("IV. TUYÊN TRUYỀN, NÂNG CAO NHẬN THỨC VÀ ỨNG DỤNG KHOA HỌC CÔNG NGHỆ", [
        ("17", "Tuyên truyền, phổ biến kiến thức, kỹ năng phòng, chống thiên tai trên các phương "
               "tiện thông tin đại chúng, bảo đảm trên 90% người dân vùng thường xuyên chịu ảnh "
               "hưởng được tiếp cận thông tin",
         "Sở Văn hóa, Thể thao và Du lịch",
         "Báo và Phát thanh, Truyền hình Quảng Ngãi; UBND các xã, phường, đặc khu",
         "Hằng năm", "Tin, bài, phóng sự"),
        ("18", "Đưa nội dung giáo dục phòng, chống thiên tai, kỹ năng bơi an toàn vào hoạt động "
               "ngoại khóa tại các trường học",
         "Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch; Tỉnh đoàn",
         "Quý IV/2026", "Kế hoạch ngoại khóa"),
        ("19", "Nâng cấp hệ thống quan trắc, cảnh báo sớm mưa lớn, lũ quét, sạt lở đất; tích hợp "
               "dữ liệu trên nền tảng số phòng, chống thiên tai của tỉnh",
         "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường; Đài Khí tượng thủy văn tỉnh Quảng Ngãi",
         "Tháng 4 - 10/2026", "- Hệ thống cảnh báo sớm;\n- Cơ sở dữ liệu thiên tai"),
        ("20", "Tập huấn nâng cao năng lực cho lực lượng xung kích phòng, chống thiên tai cấp xã; "
               "bảo đảm tối thiểu 80% thành viên được tập huấn",
         "Sở Nông nghiệp và Môi trường", "Bộ Chỉ huy quân sự tỉnh; UBND các xã, phường, đặc khu",
         "Quý II, Quý III/2026", "Lớp tập huấn"),
    ]),
]


def build_404(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "TỈNH QUẢNG NGÃI", "Số: 52/KH-UBND", "Quảng Ngãi, ngày 20 tháng 3 năm 2026",
                 "Phòng, chống thiên tai và tìm kiếm cứu nạn trên địa bàn tỉnh Quảng Ngãi năm 2026")
    para(d, "Căn cứ Luật Phòng, chống thiên tai ngày 19/6/2013 và Luật sửa đổi, bổ sung một số điều "
            "của Luật Phòng, chống thiên tai và Luật Đê điều ngày 17/6/2020; để chủ động phòng ngừa, "
            "ứng phó và khắc phục hậu quả thiên tai, Ủy ban nhân dân tỉnh Quảng Ngãi ban hành Kế "
            "hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "1. Mục đích", bold=True)
    para(d, "- Chủ động phòng ngừa, ứng phó kịp thời, khắc phục khẩn trương và có hiệu quả hậu quả "
            "thiên tai, giảm thiểu thiệt hại về người và tài sản của Nhân dân và Nhà nước.")
    para(d, "- Nâng cao nhận thức, kỹ năng của cộng đồng về phòng, chống thiên tai theo phương "
            "châm “bốn tại chỗ”.")
    para(d, "2. Yêu cầu", bold=True)
    para(d, "Xác định cụ thể nhiệm vụ, trách nhiệm của từng cơ quan, đơn vị, địa phương; bảo đảm "
            "sự phối hợp chặt chẽ giữa các lực lượng trong phòng, chống thiên tai.")
    para(d, "II. MỤC TIÊU", bold=True)
    para(d, "- 100% các xã, phường, đặc khu kiện toàn Ban Chỉ huy phòng thủ dân sự cấp xã và xây dựng "
            "phương án ứng phó thiên tai theo cấp độ rủi ro trước ngày 30/6/2026.")
    para(d, "- Tỷ lệ người dân được phổ biến kiến thức, kỹ năng phòng, chống thiên tai đạt trên 90%.")
    para(d, "- Phấn đấu giảm ít nhất 15% thiệt hại về người do thiên tai so với bình quân giai đoạn "
            "2021 - 2025.")
    para(d, "- Tối thiểu 80% hồ chứa, đập dâng xung yếu được kiểm tra, đánh giá an toàn trước mùa "
            "mưa lũ.")
    para(d, "III. NHIỆM VỤ, GIẢI PHÁP", bold=True)
    para(d, "Các nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp, thời gian hoàn thành và sản phẩm "
            "tại Phụ lục kèm theo Kế hoạch này.")
    para(d, "IV. KINH PHÍ THỰC HIỆN", bold=True)
    para(d, "Từ nguồn ngân sách nhà nước theo phân cấp, Quỹ phòng, chống thiên tai tỉnh và các nguồn "
            "huy động hợp pháp khác.")
    para(d, "V. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "Trách nhiệm của các cơ quan, đơn vị, địa phương:", italic=True)
    para(d, "1. Sở Nông nghiệp và Môi trường (Cơ quan thường trực Ban Chỉ huy phòng thủ dân sự tỉnh):",
         bold=True)
    para(d, "- Là cơ quan thường trực, chủ trì theo dõi, đôn đốc các sở, ngành, địa phương triển khai "
            "Kế hoạch này.")
    para(d, "- Tổng hợp, báo cáo UBND tỉnh kết quả thực hiện định kỳ 6 tháng, hằng năm.")
    para(d, "2. Bộ Chỉ huy quân sự tỉnh:", bold=True)
    para(d, "- Chủ trì xây dựng kế hoạch huy động lực lượng, phương tiện tham gia ứng phó thiên tai, "
            "tìm kiếm cứu nạn.")
    para(d, "- Phối hợp với Công an tỉnh tổ chức diễn tập ứng phó thiên tai cấp tỉnh trong Quý III/2026.")
    para(d, "3. Sở Tài chính:", bold=True)
    para(d, "- Tham mưu UBND tỉnh bố trí kinh phí thực hiện Kế hoạch trong dự toán ngân sách hằng năm.")
    para(d, "4. UBND các xã, phường, đặc khu:", bold=True)
    para(d, "- Kiện toàn Ban Chỉ huy phòng thủ dân sự cấp xã; xây dựng, cập nhật phương án ứng phó "
            "thiên tai theo cấp độ rủi ro trên địa bàn, hoàn thành trước ngày 30/6/2026.")
    para(d, "- Chủ động sơ tán dân cư ra khỏi khu vực nguy hiểm khi có thiên tai; báo cáo kịp thời về "
            "Ban Chỉ huy phòng thủ dân sự tỉnh.")
    rich(d, [("5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội "
              "tỉnh", True),
             (" vận động Nhân dân tham gia phòng, chống thiên tai; hỗ trợ người dân bị ảnh hưởng.",
              False)])
    para(d, "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, địa phương "
            "báo cáo về Sở Nông nghiệp và Môi trường để tổng hợp, tham mưu UBND tỉnh xem xét, giải quyết.")
    signature(d, ["- Ban Chỉ đạo quốc gia về PCTT (b/c);", "- TT Tỉnh ủy, TT HĐND tỉnh (b/c);",
                  "- Chủ tịch, các PCT UBND tỉnh;", "- Các sở, ban, ngành;",
                  "- UBND các xã, phường, đặc khu;", "- Lưu: VT, KTN."],
              ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Trần Hoàng Tuấn")
    annex_opening(d, "NHIỆM VỤ PHÒNG, CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN NĂM 2026",
                  "(Kèm theo Kế hoạch số 52/KH-UBND ngày 20/3/2026 của UBND tỉnh Quảng Ngãi)")
    widths = [1.2, 9.4, 4.0, 5.0, 3.2, 3.4]
    t = header_table(d, widths, ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                 "Thời gian hoàn thành", "Sản phẩm"])
    sectioned_rows(t, P404_TASKS, widths, center_cols=(0, 4))
    path = out / "404_quang_ngai_thien_tai.docx"
    d.save(path)
    return path


# ----------------------------------------------------------------------------- 405
# (seq, content, lead, coordinating, start, end, products); end None: one text merged over
# both time columns (given as start)
P405_ROWS = [
    "I. XÂY DỰNG CHÍNH QUYỀN SỐ",
    ("1", "Triển khai sử dụng hệ thống quản lý văn bản và điều hành; bảo đảm 100% văn bản đi (trừ "
          "văn bản mật) được ký số và gửi, nhận trên môi trường mạng",
     "Văn phòng HĐND và UBND xã", "Các phòng, ban, đơn vị thuộc UBND xã",
     "Thường xuyên", None, "Văn bản điện tử được ký số"),
    ("2", "Rà soát, cập nhật danh mục dịch vụ công trực tuyến toàn trình; hướng dẫn người dân nộp "
          "hồ sơ trực tuyến tại Trung tâm Phục vụ hành chính công xã",
     "Trung tâm Phục vụ hành chính công xã",
     "Văn phòng HĐND và UBND xã, Công an xã, Tổ công nghệ số cộng đồng",
     "01/2026", "06/2026", "Danh mục dịch vụ công; Sổ theo dõi hướng dẫn"),
    ("3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính lĩnh vực hộ tịch, đất đai còn "
          "hiệu lực",
     "Trung tâm Phục vụ hành chính công xã", "Phòng Kinh tế; Phòng Văn hóa - Xã hội",
     "Quý I/2026", "Quý IV/2026", "Dữ liệu số hóa"),
    ("4", "Cập nhật, vận hành trang thông tin điện tử xã; công khai thông tin chỉ đạo, điều hành "
          "theo quy định",
     "Văn phòng HĐND và UBND xã", "Phòng Văn hóa - Xã hội", "Hằng tháng", None,
     "Tin, bài đăng tải"),
    ("5", "Tổ chức họp trực tuyến, hội nghị truyền hình từ xã đến các ấp; trang bị thiết bị đầu "
          "cuối cho 18 ấp",
     "Văn phòng HĐND và UBND xã", "Viettel Cà Mau; các ấp", "03/2026", "09/2026",
     "Điểm cầu trực tuyến"),
    "II. PHÁT TRIỂN KINH TẾ SỐ",
    ("6", "Hướng dẫn hộ sản xuất, hợp tác xã đưa sản phẩm OCOP, nông sản chủ lực (tôm, lúa - tôm) "
          "lên sàn thương mại điện tử",
     "Phòng Kinh tế", "Hội Nông dân xã, Bưu điện văn hóa xã", "Tháng 5 - 6/2026", None,
     "Gian hàng trên sàn thương mại điện tử"),
    ("7", "Vận động hộ kinh doanh, chợ truyền thống triển khai thanh toán không dùng tiền mặt; phấn "
          "đấu từ 70% hộ kinh doanh trở lên sử dụng thanh toán điện tử",
     "Phòng Kinh tế",
     "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Trần Văn Thời; Ban quản lý chợ xã",
     "04/2026", "12/2026", "Báo cáo kết quả"),
    ("8", "Hướng dẫn doanh nghiệp, hộ kinh doanh sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền",
     "Phòng Kinh tế", "Thuế cơ sở 9 tỉnh Cà Mau", "Năm 2026", None, "Báo cáo kết quả"),
    "III. PHÁT TRIỂN XÃ HỘI SỐ",
    ("9", "Duy trì, kiện toàn Tổ công nghệ số cộng đồng tại các ấp; tập huấn kỹ năng số cho thành "
          "viên Tổ",
     "Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã; các ấp", "01/2026", "03/2026",
     "Quyết định kiện toàn; Lớp tập huấn"),
    ("10", "Tổ chức phong trào “Bình dân học vụ số”, phổ cập kỹ năng số cơ bản cho người dân",
     "Phòng Văn hóa - Xã hội",
     "Ủy ban MTTQ Việt Nam xã, Đoàn Thanh niên xã, Hội Liên hiệp Phụ nữ xã, các trường học",
     "Hằng năm", None, "Lớp phổ cập kỹ năng số"),
    ("11", "Triển khai hồ sơ sức khỏe điện tử, khám chữa bệnh bằng thẻ căn cước gắn chíp tại Trạm "
           "y tế xã",
     "Trạm Y tế xã", "Công an xã; Bảo hiểm xã hội cơ sở", "Quý II/2026", "Quý III/2026",
     "Hồ sơ sức khỏe điện tử"),
    ("12", "Chi trả trợ cấp xã hội qua tài khoản ngân hàng cho đối tượng bảo trợ xã hội; bảo đảm "
           "trên 90% đối tượng được chi trả không dùng tiền mặt",
     "Phòng Văn hóa - Xã hội", "Bưu điện văn hóa xã; Bảo hiểm xã hội cơ sở",
     "", "Trước ngày 30/6/2026", "Danh sách đối tượng chi trả"),
    "IV. TRIỂN KHAI ĐỀ ÁN 06",
    ("13", "Làm sạch dữ liệu dân cư; cập nhật, đồng bộ dữ liệu hộ tịch với Cơ sở dữ liệu quốc gia "
           "về dân cư",
     "Công an xã", "Phòng Văn hóa - Xã hội; các ấp", "Thường xuyên", None,
     "Dữ liệu được làm sạch"),
    ("14", "Hướng dẫn người dân kích hoạt, sử dụng tài khoản định danh điện tử mức độ 2 trên ứng "
           "dụng VNeID",
     "Công an xã", "Tổ công nghệ số cộng đồng, Đoàn Thanh niên xã", "01/2026", "12/2026",
     "Tài khoản được kích hoạt"),
    ("15", "Rà soát, cấp căn cước cho trẻ em dưới 14 tuổi, người cao tuổi, người khuyết tật tại nhà",
     "Công an xã", "Trạm Y tế xã; các ấp", "Hằng quý", None, "Báo cáo"),
    ("16", "Tích hợp, khai thác dữ liệu dân cư trong giải quyết liên thông thủ tục hành chính đăng "
           "ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
     "Trung tâm Phục vụ hành chính công xã", "Công an xã; Bảo hiểm xã hội cơ sở",
     "Quý II/2026", "Quý IV/2026", "Hồ sơ liên thông"),
    "V. HẠ TẦNG SỐ VÀ BẢO ĐẢM AN TOÀN THÔNG TIN",
    ("17", "Phát triển hạ tầng Internet cáp quang đến các ấp vùng sâu; phủ sóng di động 4G/5G các "
           "khu vực còn lõm sóng",
     "Phòng Kinh tế", "Viettel Cà Mau, VNPT Cà Mau", "Năm 2026 - 2027", None,
     "Hạ tầng được đầu tư"),
    ("18", "Bảo đảm an toàn thông tin mạng cho hệ thống máy tính của cơ quan; cài đặt phần mềm "
           "phòng, chống mã độc cho 100% máy tính",
     "Văn phòng HĐND và UBND xã", "Công an xã", "Quý I/2026", "Quý II/2026",
     "Phần mềm được cài đặt"),
    ("19", "Kiểm tra, đánh giá mức độ chuyển đổi số của xã năm 2026; báo cáo UBND tỉnh",
     "Văn phòng HĐND và UBND xã", "Các phòng, ban, đơn vị thuộc UBND xã", "11/2026", "12/2026",
     "Báo cáo đánh giá"),
]


def build_405(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "XÃ TRẦN VĂN THỜI", "Số: 24/KH-UBND", "Trần Văn Thời, ngày 03 tháng 02 năm 2026",
                 "Chuyển đổi số và thực hiện Đề án 06 trên địa bàn xã Trần Văn Thời năm 2026")
    para(d, "Căn cứ Kế hoạch số 35/KH-UBND ngày 20/01/2026 của UBND tỉnh Cà Mau về chuyển đổi số "
            "tỉnh Cà Mau năm 2026; UBND xã Trần Văn Thời ban hành Kế hoạch chuyển đổi số và thực "
            "hiện Đề án 06 năm 2026 như sau:")
    para(d, "I. MỤC TIÊU", bold=True)
    para(d, "1. Mục tiêu chung", bold=True)
    para(d, "Phát triển đồng bộ chính quyền số, kinh tế số, xã hội số; khai thác hiệu quả dữ liệu "
            "dân cư phục vụ người dân và doanh nghiệp trên địa bàn xã.")
    para(d, "2. Chỉ tiêu cụ thể", bold=True)
    para(d, "a) Về chính quyền số", italic=True)
    para(d, "- 100% văn bản đi của UBND xã (trừ văn bản mật) được ký số và gửi, nhận trên môi trường "
            "mạng.")
    para(d, "- Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình đạt "
            "trên 60%.")
    para(d, "b) Về kinh tế số, xã hội số", italic=True)
    para(d, "- Tỷ lệ người dân trưởng thành có tài khoản định danh điện tử mức độ 2 đạt 95%.")
    para(d, "- Trên 80% hộ gia đình trên địa bàn xã có đường truyền Internet cáp quang.")
    para(d, "- Tỷ lệ hộ kinh doanh sử dụng hình thức thanh toán không dùng tiền mặt đạt từ 70% trở lên.")
    para(d, "II. NHIỆM VỤ", bold=True)
    para(d, "(Chi tiết tại Phụ lục kèm theo Kế hoạch này)")
    para(d, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "1. Trách nhiệm của các cơ quan, đơn vị", bold=True)
    para(d, "a) Văn phòng HĐND và UBND xã:", italic=True)
    para(d, "- Là cơ quan thường trực, tham mưu UBND xã tổ chức triển khai Kế hoạch này; theo dõi, "
            "đôn đốc các đơn vị thực hiện.")
    para(d, "- Tổng hợp, báo cáo kết quả thực hiện về UBND xã định kỳ hằng quý, năm.")
    para(d, "b) Công an xã:", italic=True)
    para(d, "- Chủ trì triển khai các nhiệm vụ của Đề án 06; hướng dẫn người dân kích hoạt tài khoản "
            "định danh điện tử mức độ 2.")
    para(d, "- Phối hợp với Trung tâm Phục vụ hành chính công xã khai thác dữ liệu dân cư trong giải "
            "quyết thủ tục hành chính.")
    para(d, "c) Phòng Kinh tế, Phòng Văn hóa - Xã hội:", italic=True)
    para(d, "- Chủ động triển khai các nhiệm vụ được giao tại Phụ lục kèm theo; báo cáo kết quả về "
            "Văn phòng HĐND và UBND xã trước ngày 15/12/2026.")
    para(d, "d) Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã và các đoàn thể:", italic=True)
    para(d, "- Tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tích cực tham gia chuyển đổi "
            "số, sử dụng dịch vụ công trực tuyến.")
    para(d, "đ) Trưởng các ấp:", italic=True)
    para(d, "- Phối hợp với Tổ công nghệ số cộng đồng thường xuyên hướng dẫn người dân cài đặt, sử "
            "dụng các ứng dụng số.")
    para(d, "2. Chế độ báo cáo", bold=True)
    para(d, "Kết quả thực hiện Kế hoạch được lồng ghép trong báo cáo kinh tế - xã hội hằng tháng của "
            "UBND xã.")
    signature(d, ["- UBND tỉnh (b/c);", "- Sở Khoa học và Công nghệ (b/c);", "- TT Đảng ủy, TT HĐND xã;",
                  "- Các phòng, ban, đơn vị thuộc UBND xã;", "- Lưu: VT."],
              ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Thanh Hải")
    annex_opening(d, "NHIỆM VỤ CHUYỂN ĐỔI SỐ VÀ THỰC HIỆN ĐỀ ÁN 06 XÃ TRẦN VĂN THỜI NĂM 2026",
                  "(Kèm theo Kế hoạch số 24/KH-UBND ngày 03/02/2026 của UBND xã Trần Văn Thời)")
    widths = [1.4, 8.1, 4.0, 4.4, 2.3, 2.3, 3.7]
    t = grid(d, widths)
    r1 = add_row(t, ["STT", "Nội dung nhiệm vụ", "Tổ chức thực hiện", "", "Thời gian", "", "Sản phẩm"],
                 bold=True, widths=widths)
    r2 = add_row(t, ["", "", "Cơ quan thực hiện", "", "Bắt đầu", "Kết thúc", ""], bold=True, widths=widths)
    r3 = add_row(t, ["", "", "Chủ trì", "Phối hợp", "", "", ""], bold=True, widths=widths)
    for r in (r1, r2, r3):
        repeat_header(r)
    for i in (0, 1, 6):
        r1.cells[i].merge(r3.cells[i])
    r1.cells[2].merge(r1.cells[3])
    r1.cells[4].merge(r1.cells[5])
    r2.cells[2].merge(r2.cells[3])
    r2.cells[4].merge(r3.cells[4])
    r2.cells[5].merge(r3.cells[5])
    for row in P405_ROWS:
        if isinstance(row, str):
            section_row(t, row)
            continue
        seq, content, lead, coord, start, end, product = row
        r = add_row(t, [seq, content, lead, coord, start, end or "", product],
                    center_cols=(0, 4, 5), widths=widths)
        if end is None:
            r.cells[4].merge(r.cells[5])
    path = out / "405_tran_van_thoi_ca_mau.docx"
    d.save(path)
    return path


# ----------------------------------------------------------------------------- 406
# (seq, content, units, deadline, products)
P406_TASKS = [
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", [
        ("1", "Xây dựng, ban hành Kế hoạch cải cách hành chính, Kế hoạch tuyên truyền cải cách hành "
              "chính năm 2026 của phường",
         "Phòng Văn hóa - Xã hội", "Trước ngày 31/01/2026", "Kế hoạch"),
        ("2", "Tổ chức kiểm tra công tác cải cách hành chính, kỷ luật, kỷ cương hành chính tại các "
              "phòng, ban, đơn vị thuộc UBND phường",
         "Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND phường", "Quý III/2026",
         "Thông báo kết quả kiểm tra"),
        ("3", "Tự đánh giá, chấm điểm các Chỉ số cải cách hành chính, Chỉ số hài lòng về sự phục vụ "
              "hành chính (SIPAS) của phường",
         "Phòng Văn hóa - Xã hội; các phòng, ban, đơn vị thuộc UBND phường",
         "Theo hướng dẫn của Sở Nội vụ Thành phố", "Báo cáo tự đánh giá"),
    ]),
    ("II. CẢI CÁCH THỂ CHẾ", [
        ("4", "Rà soát văn bản quy phạm pháp luật do HĐND, UBND phường ban hành trước khi sắp xếp "
              "đơn vị hành chính; đề xuất bãi bỏ văn bản không còn phù hợp",
         "Văn phòng HĐND và UBND phường", "Quý II/2026", "Báo cáo rà soát; Quyết định bãi bỏ"),
        ("5", "Theo dõi tình hình thi hành pháp luật về trật tự xây dựng, quản lý chất thải rắn sinh "
              "hoạt trên địa bàn phường",
         "Phòng Kinh tế, Hạ tầng và Đô thị", "Hằng năm", "Báo cáo"),
    ]),
    ("III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", [
        ("6", "Công khai đầy đủ, kịp thời thủ tục hành chính tại Trung tâm Phục vụ hành chính công "
              "phường và trên Cổng Dịch vụ công quốc gia; bảo đảm 100% thủ tục hành chính được công "
              "khai đúng quy định",
         "Trung tâm Phục vụ hành chính công phường", "Thường xuyên", "Danh mục thủ tục hành chính"),
        ("7", "Tiếp nhận, giải quyết hồ sơ thủ tục hành chính không phụ thuộc vào địa giới hành "
              "chính trong phạm vi Thành phố",
         "Trung tâm Phục vụ hành chính công phường; Phòng Kinh tế, Hạ tầng và Đô thị; Phòng Văn hóa - Xã hội",
         "Thường xuyên", "Hồ sơ được giải quyết"),
        ("8", "Rà soát, đơn giản hóa quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực xây "
              "dựng, đất đai; cắt giảm ít nhất 20% thời gian giải quyết so với quy định",
         "Phòng Kinh tế, Hạ tầng và Đô thị", "Tháng 5 - 6/2026", "Phương án đơn giản hóa"),
        ("9", "Tổ chức đối thoại giữa Chủ tịch UBND phường với người dân, doanh nghiệp về giải quyết "
              "thủ tục hành chính",
         "Chủ tịch UBND phường, Ủy ban MTTQ Việt Nam phường", "Quý IV/2026", "Hội nghị đối thoại"),
    ]),
    ("IV. CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", [
        ("10", "Rà soát, sắp xếp lại các khu phố chưa đạt tiêu chuẩn về quy mô số hộ gia đình theo "
               "quy định",
         "Phòng Văn hóa - Xã hội, các khu phố", "Quý I - Quý III/2026", "Đề án sắp xếp khu phố"),
        ("11", "Kiện toàn tổ chức, hoạt động của Trung tâm Cung ứng dịch vụ công phường sau sắp xếp",
         "Phòng Văn hóa - Xã hội; Trung tâm Cung ứng dịch vụ công phường", "Trước ngày 30/6/2026",
         "Quyết định kiện toàn"),
    ]),
    ("V. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", [
        ("12", "Đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức theo kết quả thực hiện "
               "nhiệm vụ",
         "Phòng Văn hóa - Xã hội; các phòng, ban, đơn vị thuộc UBND phường", "Hằng quý",
         "Kết quả đánh giá, xếp loại"),
        ("13", "Cử cán bộ, công chức tham gia các lớp bồi dưỡng kỹ năng số, ngoại ngữ do Thành phố "
               "tổ chức; phấn đấu trên 90% công chức được bồi dưỡng",
         "Phòng Văn hóa - Xã hội", "Theo kế hoạch của Thành phố", "Danh sách cử đi bồi dưỡng"),
    ]),
    ("VI. CẢI CÁCH TÀI CHÍNH CÔNG", [
        ("14", "Công khai dự toán, quyết toán ngân sách phường theo quy định",
         "Phòng Kinh tế, Hạ tầng và Đô thị",
         "Tháng 01/2026 (dự toán); tháng 12/2026 (quyết toán)", "Báo cáo công khai ngân sách"),
        ("15", "Thực hiện cơ chế tự chủ tài chính tại Trung tâm Cung ứng dịch vụ công phường và các "
               "trường mầm non, tiểu học, trung học cơ sở công lập",
         "Phòng Kinh tế, Hạ tầng và Đô thị; Trung tâm Cung ứng dịch vụ công phường; các trường học công lập",
         "Năm 2026", "Phương án tự chủ tài chính"),
    ]),
    ("VII. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ", [
        ("16", "Triển khai tiếp nhận, giải quyết thủ tục hành chính trực tuyến toàn trình; hướng dẫn "
               "người dân thanh toán phí, lệ phí trực tuyến",
         "Trung tâm Phục vụ hành chính công phường, Công an phường, Tổ công nghệ số cộng đồng",
         "Từ tháng 3/2026", "Hồ sơ trực tuyến toàn trình"),
        ("17", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; bảo đảm 100% hồ sơ tiếp nhận "
               "mới được số hóa",
         "Trung tâm Phục vụ hành chính công phường", "Tháng 02 - 12/2026", "Dữ liệu số hóa"),
        ("18", "Vận hành Hệ thống quản lý văn bản và điều hành, chữ ký số; thực hiện gửi, nhận văn bản "
               "điện tử giữa phường và các khu phố",
         "Văn phòng HĐND và UBND phường", "Thường xuyên", "Văn bản điện tử"),
        ("19", "Tuyên truyền, hướng dẫn người dân sử dụng ứng dụng VNeID, thanh toán không dùng tiền "
               "mặt tại các khu phố",
         "Công an phường, Đoàn Thanh niên phường, các khu phố", "6 tháng đầu năm 2026",
         "Buổi tuyên truyền"),
        ("20", "Duy trì, cải tiến Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO "
               "9001:2015 trong hoạt động của UBND phường",
         "Văn phòng HĐND và UBND phường", "Hằng năm", "Hệ thống được duy trì"),
    ]),
]


def build_406(out: Path) -> Path:
    d = new_document()
    plan_opening(d, "PHƯỜNG THỦ DẦU MỘT", "Số: 11/KH-UBND", "Thủ Dầu Một, ngày 14 tháng 01 năm 2026",
                 "Cải cách hành chính phường Thủ Dầu Một năm 2026")
    para(d, "Thực hiện Kế hoạch số 210/KH-UBND ngày 31/12/2025 của Ủy ban nhân dân Thành phố Hồ Chí "
            "Minh về cải cách hành chính nhà nước năm 2026, Ủy ban nhân dân phường Thủ Dầu Một ban "
            "hành Kế hoạch cải cách hành chính năm 2026 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "Tiếp tục đẩy mạnh cải cách hành chính gắn với vận hành chính quyền địa phương hai cấp; "
            "xây dựng nền hành chính phường phục vụ, chuyên nghiệp, hiện đại.")
    para(d, "II. CHỈ TIÊU CỤ THỂ", bold=True)
    para(d, "a) Về cải cách thủ tục hành chính:", italic=True)
    para(d, "- Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt 100%.")
    para(d, "- Mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính "
            "đạt tối thiểu 92%.")
    para(d, "b) Về cải cách chế độ công vụ:", italic=True)
    para(d, "- 100% cán bộ, công chức được đánh giá, xếp loại theo kết quả thực hiện nhiệm vụ hằng quý.")
    para(d, "c) Về xây dựng chính quyền số:", italic=True)
    para(d, "- Tỷ lệ hồ sơ trực tuyến toàn trình đạt từ 70% trở lên trên tổng số hồ sơ của các thủ "
            "tục hành chính có cung cấp dịch vụ công trực tuyến toàn trình.")
    para(d, "- Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 100% vào năm 2027.")
    para(d, "III. NHIỆM VỤ TRỌNG TÂM", bold=True)
    para(d, "Các nhiệm vụ, đơn vị thực hiện và thời gian thực hiện tại Phụ lục kèm theo.")
    para(d, "IV. TỔ CHỨC THỰC HIỆN", bold=True)
    para(d, "1. Phòng Văn hóa - Xã hội", bold=True)
    para(d, "- Là cơ quan thường trực, giúp UBND phường theo dõi, đôn đốc, kiểm tra việc thực hiện "
            "Kế hoạch này.")
    para(d, "- Tổng hợp, báo cáo kết quả thực hiện công tác cải cách hành chính định kỳ hằng quý, 6 "
            "tháng, năm gửi Sở Nội vụ Thành phố.")
    para(d, "2. Văn phòng HĐND và UBND phường", bold=True)
    para(d, "- Chủ trì, phối hợp với Phòng Văn hóa - Xã hội tham mưu UBND phường triển khai các nhiệm "
            "vụ xây dựng chính quyền số.")
    para(d, "- Đăng tải Kế hoạch này và các văn bản về cải cách hành chính trên Trang thông tin điện "
            "tử phường.")
    para(d, "3. Phòng Kinh tế, Hạ tầng và Đô thị", bold=True)
    para(d, "- Phối hợp với Trung tâm Phục vụ hành chính công phường rà soát, đơn giản hóa thủ tục "
            "hành chính thuộc lĩnh vực được giao; hoàn thành trước ngày 30/6/2026.")
    para(d, "4. Các phòng, ban, đơn vị thuộc UBND phường", bold=True)
    para(d, "- Căn cứ nhiệm vụ được giao tại Phụ lục, xây dựng kế hoạch chi tiết; báo cáo kết quả "
            "thực hiện về Phòng Văn hóa - Xã hội trước ngày 10 của tháng cuối quý.")
    para(d, "5. Đề nghị Ủy ban MTTQ Việt Nam phường và các tổ chức chính trị - xã hội phường phối hợp "
            "tuyên truyền, giám sát việc thực hiện cải cách hành chính trên địa bàn.")
    signature(d, ["- UBND Thành phố (b/c);", "- Sở Nội vụ (b/c);", "- TT Đảng ủy, TT HĐND phường;",
                  "- Các phòng, ban, đơn vị thuộc UBND phường;", "- Lưu: VT, VHXH."],
              ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Võ Thị Ngọc Lan")
    annex_opening(d, "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH PHƯỜNG THỦ DẦU MỘT NĂM 2026",
                  "(Kèm theo Kế hoạch số 11/KH-UBND ngày 14/01/2026 của UBND phường Thủ Dầu Một)")
    widths = [1.2, 11.8, 5.6, 3.6, 4.0]
    t = header_table(d, widths, ["TT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", "Thời gian thực hiện",
                                 "Sản phẩm dự kiến"])
    sectioned_rows(t, P406_TASKS, widths, center_cols=(0, 3))
    path = out / "406_thu_dau_mot_hcm.docx"
    d.save(path)
    return path


BUILDERS = [build_404, build_405, build_406]


if __name__ == "__main__":
    sys.exit(main(builders=BUILDERS))
