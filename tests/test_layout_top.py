"""Layout-flattened text of tables whose cells are top-aligned (LibreOffice's and Word's default):
header labels wrapped below the TT line and a TT label broken by a narrow column, section rows
in capitals, numbering with sub-numbers and gaps, and rows read by printed widths
(parsers.text.layout_header, layout_hmerge, layout_rows, layout_topdecode)."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from normalize.text import fold_words
from parsers.text.layout_header import find_headers, is_main_header
from parsers.text.layout_hmerge import merge_header
from parsers.text.layout_rows import find_anchors
from parsers.text.layout_text import ends_table, looks_like_layout_text, parse_layout_text
from parsers.text.layout_types import TLine, visual_len
from parsers.plan.structure import analyse


@dataclass
class _Line:
    text: str
    page: int = 1


def _token_f1(a: str, b: str) -> float:
    ta, tb = fold_words(a).split(), fold_words(b).split()
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return float(not ta and not tb)
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _labels(texts: list[str]) -> tuple[list[str], list[str]]:
    headers = find_headers([_Line(t) for t in texts])
    assert len(headers) == 1
    return headers[0].main_cells, headers[0].stacked


# ------------------------------------------------------------------ headers

def test_top_aligned_header_with_a_broken_tt_label() -> None:
    main, stacked = _labels(["ST Nội dung công việc Đơn vị chủ Đơn vị phối Sản phẩm Thời Ghi",
                             "T trì hợp đầu ra gian chú", "hoàn", "thành",
                             "A. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"])
    assert main == ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp",
                    "Sản phẩm đầu ra", "Thời gian hoàn thành", "Ghi chú"]
    assert stacked == []


def test_label_wrapped_onto_the_line_below() -> None:
    assert is_main_header("TT Nội dung Cơ quan thực Thời gian Kinh phí", "hiện")
    main, _ = _labels(["TT Nội dung Cơ quan thực Thời gian Kinh phí", "hiện",
                       "I Công tác tuyên truyền, quán triệt"])
    assert main == ["TT", "Nội dung", "Cơ quan thực hiện", "Thời gian", "Kinh phí"]


def test_centred_header_with_a_broken_tt_label_and_a_label_alone_on_its_line() -> None:
    """Centred labels: "Thời gian hoàn thành" over four lines around the others, the one-line
    "Nội dung công việc" alone on the middle line, "STT" broken over two lines."""
    texts = ["Thời", "ST Đơn vị chủ Đơn vị phối Sản phẩm gian Ghi", "Nội dung công việc",
             "T trì hợp đầu ra hoàn chú", "thành", "A. CÔNG TÁC CHỈ ĐẠO"]
    main, stacked = _labels(texts)
    assert main == ["STT", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm đầu ra",
                    "Thời gian hoàn thành", "Ghi chú"]
    assert stacked == ["Nội dung công việc"]
    header = find_headers([_Line(t) for t in texts])[0]
    # the content column may come right after TT: it is not pinned behind the first label
    assert any([c.role for c in option][:2] == ["seq", "content"] for option in header.options())


def test_centred_headers_of_the_dev_plans_are_read_as_before() -> None:
    main, stacked = _labels(["Thời gian",
                             "TT Nội dung thực hiện Sản phẩm, kết quả Cơ quan chủ trì Cơ quan phối hợp",
                             "hoàn thành", "Rà soát, kiểm tra văn bản quy phạm pháp"])
    assert main == ["TT", "Nội dung thực hiện", "Sản phẩm, kết quả", "Cơ quan chủ trì",
                    "Cơ quan phối hợp"]
    assert stacked == ["Thời gian hoàn thành"]
    placed, floating, _ = merge_header(("Cơ quan chủ Cơ quan phối Thời gian",
                                        "TT Nội dung thực hiện Sản phẩm/Kết quả",
                                        "trì hợp hoàn thành"), 1, None)
    assert [lab.text for lab in placed] == ["TT", "Nội dung thực hiện", "Sản phẩm/Kết quả"]
    assert [lab.text for lab in floating] == ["Cơ quan chủ trì", "Cơ quan phối hợp",
                                              "Thời gian hoàn thành"]


def test_a_body_line_of_header_words_is_not_taken_into_the_header() -> None:
    main, _ = _labels(["TT Nội dung thực hiện Sản phẩm Cơ quan chủ trì Thời gian", "- Báo cáo kết quả thực"])
    assert main == ["TT", "Nội dung thực hiện", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"]


# ------------------------------------------------------------------ rows and sections

def _anchors(texts: list[str]) -> list[tuple[str, str]]:
    lines = [TLine(i + 1, t, 1) for i, t in enumerate(texts)]
    return [(texts[i].split()[0], kind) for i, kind in sorted(find_anchors(lines).items())]


def test_numbered_group_rows_and_a_skipped_number() -> None:
    texts = ["1. Công tác chỉ đạo, điều hành", "1.1 Xây dựng kế hoạch P. VH-XH Quý I/2026",
             "1.2 Kiểm tra công tác P. VH-XH Quý II/2026", "2 Cải cách thể chế",
             "2.1 Rà soát văn bản VP HĐND-UBND Cả năm", "2.2 Phổ biến pháp luật Phòng KT Quý III",
             "2.4 Kiểm tra văn bản VP HĐND-UBND Năm 2026", "2.5 Xây dựng xã đạt chuẩn Phòng KT Năm 2026"]
    assert _anchors(texts) == [("1.", "section"), ("1.1", "seq"), ("1.2", "seq"), ("2", "section"),
                               ("2.1", "seq"), ("2.2", "seq"), ("2.4", "seq"), ("2.5", "seq")]


def test_lettered_sections_past_d() -> None:
    texts = ["A. CÔNG TÁC CHỈ ĐẠO", "1 Xây dựng kế hoạch", "D. CẢI CÁCH TỔ CHỨC BỘ MÁY",
             "2 Rà soát quy chế", "Đ. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "3 Đánh giá cán bộ",
             "E. CẢI CÁCH TÀI CHÍNH CÔNG", "4 Giao quyền tự chủ", "G. CHÍNH QUYỀN SỐ", "5 Ký số",
             "P. VH-XH chủ trì"]
    kinds = _anchors(texts)
    assert [k for _, k in kinds].count("section") == 5 and ("P.", "section") not in kinds


def test_lines_that_end_a_table() -> None:
    assert ends_table("DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    assert ends_table("Phụ lục 02")
    assert not ends_table("HĐND, UBND UBND")          # a line of cells in capitals


def test_printed_widths() -> None:
    assert visual_len("HĐND") > visual_len("hiện") > visual_len("lít")
    assert abs(visual_len("Hoàn") - visual_len("Hoan")) < 1e-9


# ------------------------------------------------------------------ whole documents

_PROSE = (
    "Thực hiện Kế hoạch số 120/KH-UBND ngày 20 tháng 12 năm 2025 của Ủy ban nhân dân tỉnh về cải "
    "cách hành chính năm 2026, Ủy ban nhân dân phường Tân An ban hành Kế hoạch cải cách hành chính "
    "năm 2026 như sau: Văn phòng HĐND và UBND phường chủ trì tham mưu, Phòng Văn hóa - Xã hội phối "
    "hợp với các phòng chuyên môn và Trung tâm Phục vụ hành chính công phường triển khai thực hiện "
    "thường xuyên, cả năm; Phòng Kinh tế, Hạ tầng và Đô thị theo dõi việc quản lý tài sản công. Các "
    "phòng chuyên môn báo cáo kết quả thực hiện theo quy định, trước ngày 15 tháng 12 hằng năm. ")
_HEADER = ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm",
           "Thời gian hoàn thành"]
_WIDTHS = [2.6, 24.0, 12.0, 13.0, 12.5, 9.0]
_ROWS: list[list[str] | str] = [
    "A. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    ["1", "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2026 của phường",
     "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND phường", "Kế hoạch", "Trước ngày 15/01/2026"],
    ["2", "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị thuộc phường",
     "Phòng Văn hóa - Xã hội", "Các phòng chuyên môn", "Thông báo kết luận kiểm tra", "Quý II/2026"],
    "B. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    ["3", "Niêm yết, công khai đầy đủ thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
     "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND phường", "Danh mục thủ tục hành chính",
     "Thường xuyên"],
    ["4", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
     "Văn phòng HĐND và UBND phường", "Trung tâm Phục vụ hành chính công", "Văn bản trả lời",
     "Thường xuyên"],
    "C. CẢI CÁCH TÀI CHÍNH CÔNG",
    ["5", "Quản lý, sử dụng tài sản công; thực hành tiết kiệm, chống lãng phí trong sử dụng ngân sách",
     "Phòng Kinh tế, Hạ tầng và Đô thị", "Các phòng chuyên môn", "Báo cáo kết quả", "Cả năm 2026"],
    ["6", "Giao quyền tự chủ tài chính cho các đơn vị sự nghiệp công lập thuộc phường",
     "Phòng Kinh tế, Hạ tầng và Đô thị", "Trạm Y tế phường; các trường học", "Quyết định giao quyền",
     "Trước ngày 31/12/2026"],
    ["7", "Tổng hợp, báo cáo kết quả thực hiện công tác cải cách hành chính gửi UBND thành phố",
     "Phòng Văn hóa - Xã hội", "Các phòng chuyên môn", "Báo cáo quý, 6 tháng, năm", "Định kỳ hằng quý"],
]


def _printed(text: str) -> float:
    return sum(visual_len(w) + 1 for w in text.split()) - 1


def _wrap(text: str, width: float) -> list[str]:
    """Greedy wrapping at a printed width; a word wider than the column is broken."""
    lines: list[str] = []
    for word in text.split():
        if lines and _printed(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while visual_len(word) > width and len(word) > 1:
            cut = max([i for i in range(1, len(word)) if visual_len(word[:i]) <= width] or [1])
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def _top_row(cells: list[str]) -> list[str]:
    wrapped = [_wrap(text, width) for text, width in zip(cells, _WIDTHS)]
    return [" ".join(col[j] for col in wrapped if j < len(col))
            for j in range(max(len(col) for col in wrapped))]


def _document(per_page: int = 3) -> str:
    out = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
           "PHƯỜNG TÂN AN Độc lập - Tự do - Hạnh phúc",
           "Số: 15/KH-UBND Tân An, ngày 05 tháng 01 năm 2026", "KẾ HOẠCH",
           "Cải cách hành chính trên địa bàn phường Tân An năm 2026"]
    out += _wrap(_PROSE * 2, 70)
    out += ["", "\f2", "Phụ lục", "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026"]
    head = _top_row(_HEADER)
    out += head
    page, rows_on_page = 2, 0
    for row in _ROWS:
        if rows_on_page == per_page:
            page += 1
            out += ["", f"\f{page}"] + head
            rows_on_page = 0
        if isinstance(row, str):
            out.append(row)
            continue
        out += _top_row(row)
        rows_on_page += 1
    out += ["", "\f" + str(page + 1), "Phụ lục 02", "BIỂU THỐNG KÊ SỐ LIỆU"]
    return "\n".join(out) + "\n"


def test_header_of_the_rendered_table() -> None:
    head = _top_row(_HEADER)
    assert head[0].startswith("ST ") and head[1].startswith("T ")   # STT broken by its column


def test_top_aligned_document() -> None:
    text = _document()
    assert looks_like_layout_text(text)
    structure = analyse(parse_layout_text(text.encode()))
    tasks = structure.task_rows
    rows = [r for r in _ROWS if not isinstance(r, str)]
    assert [t.text("seq") for t in tasks] == [r[0] for r in rows]
    assert [t.section.split(".")[0] for t in tasks] == ["A", "A", "B", "B", "C", "C", "C"]
    # mean token F1 of each cell with the rendered one (narrow columns: a few words land in the
    # neighbouring cell)
    f1 = {role: sum(_token_f1(t.text(role), row[i]) for t, row in zip(tasks, rows)) / len(rows)
          for i, role in enumerate(["seq", "content", "lead", "coordinating", "products", "deadline"])}
    assert f1["content"] >= 0.93 and f1["deadline"] >= 0.85
    assert f1["lead"] >= 0.85 and f1["coordinating"] >= 0.85 and f1["products"] >= 0.85


def test_top_aligned_document_is_read_fast_and_the_same_each_time() -> None:
    data = _document().encode()
    start = time.process_time()
    first = parse_layout_text(data)
    elapsed = time.process_time() - start
    assert repr(first) == repr(parse_layout_text(data))
    assert elapsed < 2.0


def test_first_cell_merged_over_two_rows() -> None:
    """Row 3's content cell spans two rows whose units and deadlines differ: two tasks with the
    same content (the lower row has no TT number of its own)."""
    content = "Rà soát, nâng cấp, bảo đảm kết nối mạng truyền số liệu chuyên dùng đến các cơ quan, đơn vị"
    upper = ["Phòng Văn hóa - Xã hội", "Các phòng chuyên môn", "Báo cáo kết quả rà soát", "Quý I/2026"]
    lower = ["Trung tâm Phục vụ hành chính công", "Phòng Văn hóa - Xã hội", "Hệ thống mạng được nâng cấp",
             "Quý III/2026"]
    merged = _wrap(content, _WIDTHS[1])
    top = [_wrap(text, width) for text, width in zip(upper, _WIDTHS[2:])]
    bottom = [_wrap(text, width) for text, width in zip(lower, _WIDTHS[2:])]
    body = []
    for j in range(max(len(merged), *(len(col) for col in top))):   # the upper row holds the merged text
        parts = ([merged[j]] if j < len(merged) else []) + [col[j] for col in top if j < len(col)]
        body.append(("3 " if j == 0 else "") + " ".join(parts))
    body += [" ".join(col[j] for col in bottom if j < len(col)) for j in range(max(map(len, bottom)))]
    rows = [r for r in _ROWS if not isinstance(r, str)][:2]
    text = "\n".join(_wrap(_PROSE * 2, 70) + ["Phụ lục", "DANH MỤC NHIỆM VỤ"] + _top_row(_HEADER)
                     + [line for row in rows for line in _top_row(row)] + body
                     + _top_row(["4"] + rows[1][1:])) + "\n"
    tasks = analyse(parse_layout_text(text.encode())).task_rows
    assert [t.text("seq") for t in tasks] == ["1", "2", "3", "3", "4"]
    assert tasks[2].text("content") == tasks[3].text("content")
    assert _token_f1(tasks[2].text("content"), content) >= 0.9
    assert _token_f1(tasks[2].text("lead"), upper[0]) >= 0.8 and _token_f1(tasks[3].text("lead"), lower[0]) >= 0.8
    assert _token_f1(tasks[3].text("deadline"), lower[3]) == 1.0
