"""Task tables in text that comes column by column within a page (pdfminer.six `extract_text`,
pdftotext's default mode), read by parsers/text/flattext/columnar.py: the dev plans as those tools'
text scored against their gold (floors are today's figures less a small margin), and the
decoder on small invented pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, DEV, GOLD, TUNED_HELDOUT, assert_floors, scored
from parsers.text.flattext.columnar import parse_columnar_text
from parsers.text.flattext.reader import choose_reading
from parsers.model import Table

COLUMN_MAJOR_FLOORS = {
    "pdfminer": {"tasks.recall": 0.74, "tasks.precision": 0.78, "tasks.lead": 0.70, "tasks.coordinating": 0.62,
                 "tasks.deadline_due": 0.75, "tasks.content": 0.90, "targets.recall": 0.97},
    # pdftotext's default mode also runs the content and products columns together line by line
    "pdftotext": {"tasks.recall": 0.33, "tasks.precision": 0.45, "targets.recall": 0.93},
}
HELDOUT_FLOORS = {
    "pdfminer": {"tasks.recall": 0.5, "tasks.precision": 0.58, "targets.recall": 0.93},
    "pdftotext": {"tasks.recall": 0.5, "tasks.precision": 0.75, "targets.recall": 0.93},
}


@pytest.mark.parametrize("tool", list(COLUMN_MAJOR_FLOORS))
def test_dev_plans_as_column_major_text(tmp_path: Path, tool: str) -> None:
    files = sorted((DEV / "pdftext").glob(f"*.{tool}.txt"))
    assert len(files) == 3
    assert_floors(scored(tmp_path, files, GOLD), COLUMN_MAJOR_FLOORS[tool])


@pytest.mark.parametrize("tool", list(HELDOUT_FLOORS))
def test_heldout_plans_as_column_major_text(tmp_path: Path, tool: str) -> None:
    files = [f for f in sorted((DATA / "heldout" / "pdftext").glob(f"*.{tool}.txt")) if f.name[:3] in TUNED_HELDOUT]
    assert len(files) == len(TUNED_HELDOUT)
    assert_floors(scored(tmp_path, files, DATA / "heldout" / "gold"), HELDOUT_FLOORS[tool])


# ------------------------------------------------------------------------------ invented pages

HEADER = ["TT", "", "Nội dung công việc", "", "Sản phẩm", "", "Đơn vị chủ trì", "", "Đơn vị phối hợp", "",
          "Thời hạn", ""]
CONTENTS = ["Tổ chức tập huấn nghiệp vụ lưu trữ", "cho công chức các phòng",
            "Rà soát quy chế làm việc của cơ quan", "Kiểm tra việc công khai ngân sách xã"]


def _rows(text: str) -> list[list[str]]:
    reading = parse_columnar_text(text)
    assert reading is not None
    tables = [b for b in reading.document.blocks if isinstance(b, Table)]
    return [row.texts for table in tables for row in table.rows[1:]]


def test_a_page_given_column_by_column() -> None:
    lines = ["KẾ HOẠCH", "Cải cách hành chính năm 2027", ""] + HEADER + ["1", "", "2", "", "3", ""] + [
        CONTENTS[0], CONTENTS[1], "", CONTENTS[2], "", CONTENTS[3], "",
        "- Hội nghị;", "- Báo cáo kết quả", "", "- Quy chế", "", "- Báo cáo", "",
        "Văn phòng HĐND và UBND xã", "", "Phòng Văn hóa - Xã hội", "", "Phòng Kinh tế", "",
        "Các phòng, ban liên quan", "", "Công an xã", "", "Các thôn", "",
        "Quý II/2027", "", "Tháng 6/2027", "", "Quý IV/2027"]
    rows = _rows("\n".join(lines))
    assert rows == [
        ["1", "Tổ chức tập huấn nghiệp vụ lưu trữ cho công chức các phòng", "- Hội nghị; - Báo cáo kết quả",
         "Văn phòng HĐND và UBND xã", "Các phòng, ban liên quan", "Quý II/2027"],
        ["2", "Rà soát quy chế làm việc của cơ quan", "- Quy chế", "Phòng Văn hóa - Xã hội", "Công an xã",
         "Tháng 6/2027"],
        ["3", "Kiểm tra việc công khai ngân sách xã", "- Báo cáo", "Phòng Kinh tế", "Các thôn", "Quý IV/2027"]]


def test_trailing_columns_alternating_row_by_row_and_a_row_cut_by_a_page_break() -> None:
    """The last three columns' boxes sit on the same line, so they come row by row; row 2's
    content and lead go on over the page break, where the header is printed again."""
    page1 = HEADER + ["1", "", "2", ""] + [
        "Tổ chức tập huấn nghiệp vụ lưu trữ", "cho công chức các phòng", "", "Rà soát quy chế làm việc", "",
        "- Hội nghị", "", "- Quy chế", "",
        "Văn phòng HĐND và UBND xã", "", "Các phòng, ban liên quan", "", "Quý II/2027", "",
        "Phòng Văn hóa -", "", "Công an xã", "", "Tháng 6/2027"]
    page2 = HEADER + ["và nội quy phòng họp", "", "Xã hội", "", "3", "",
                      "Kiểm tra việc công khai ngân sách xã", "", "- Báo cáo", "", "Phòng Kinh tế", "",
                      "Các thôn", "", "Quý IV/2027"]
    rows = _rows("\n".join(page1) + "\n\f" + "\n".join(page2))
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[1][1] == "Rà soát quy chế làm việc và nội quy phòng họp"
    assert rows[1][3] == "Phòng Văn hóa - Xã hội"
    assert rows[0][3:] == ["Văn phòng HĐND và UBND xã", "Các phòng, ban liên quan", "Quý II/2027"]
    assert rows[2][1:] == ["Kiểm tra việc công khai ngân sách xã", "- Báo cáo", "Phòng Kinh tế", "Các thôn",
                           "Quý IV/2027"]


def test_never_raises_and_gives_way_to_a_better_reading() -> None:
    for text in ["", "TT\n\n1\n\n2", "TT\nNội dung\nĐơn vị chủ trì\nThời hạn\n" + "7\n" * 50, "\f" * 5 + "TT"]:
        parse_columnar_text(text)                     # whatever it gives, it does not raise
    # text in reading order (each row's cells after its number) keeps the reading-order decoding
    row_major = HEADER + ["1", CONTENTS[2], "- Quy chế", "Phòng Văn hóa - Xã hội", "Công an xã", "Tháng 6/2027",
                          "2", CONTENTS[3], "- Báo cáo", "Phòng Kinh tế", "Các thôn", "Quý IV/2027"]
    document = choose_reading("\n".join(row_major), lambda: None)
    assert document is not None
    table = next(b for b in document.blocks if isinstance(b, Table))
    assert [row.texts[3] for row in table.rows[1:]] == ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế"]


def test_numbers_alternating_with_the_unit_beside_them_under_a_glued_tt_label() -> None:
    """pdfminer puts each TT number and the lead unit on its line together (top-aligned cells),
    then the contents, then the other cells row by row; the TT label is glued to the next label
    and "Sở Nội vụ" is made of column-label words."""
    header = ["STT Cơ quan chủ trì", "", "Nội dung nhiệm vụ", "", "Cơ quan phối hợp", "", "Sản phẩm", "",
              "Thời gian", "hoàn thành", ""]
    body = ["1", "", "Sở Nội vụ", "", "2", "", "Sở Nội vụ", "", "3", "", "Sở Tư pháp", "",
            CONTENTS[0], CONTENTS[1], CONTENTS[2], "", CONTENTS[3], "",
            "Các sở, ban, ngành", "", "Kế hoạch", "", "Tháng 01/2027", "",
            "Văn phòng UBND tỉnh", "", "- Báo cáo kết quả", "", "Quý II/2027", "",
            "Các sở, ban, ngành", "", "Báo cáo", "", "Quý IV/2027"]
    rows = _rows("\n".join(header + body))
    assert [row[:2] for row in rows] == [["1", "Sở Nội vụ"], ["2", "Sở Nội vụ"], ["3", "Sở Tư pháp"]]
    assert [row[2] for row in rows] == [f"{CONTENTS[0]} {CONTENTS[1]}", CONTENTS[2], CONTENTS[3]]
    assert [row[3:] for row in rows] == [["Các sở, ban, ngành", "Kế hoạch", "Tháng 01/2027"],
                                         ["Văn phòng UBND tỉnh", "- Báo cáo kết quả", "Quý II/2027"],
                                         ["Các sở, ban, ngành", "Báo cáo", "Quý IV/2027"]]


def test_labels_above_the_tt_label_and_numbered_sections() -> None:
    """pdfminer may give the header labels before the TT label (their boxes sit higher), the
    column numbers "(1)" … as boxes of their own, and sections numbered "1.", "2." whose rows
    are 1.1, 1.2 …; a content sentence ending on "năm 2027" is no deadline."""
    lines = ["Nội dung công việc", "", "Đơn vị chủ trì", "(2)", "", "Thời hạn", "(3)", "", "TT", "", "(1)", "",
             "1. Công tác chỉ đạo, điều hành", "", "1.1", "", "1.2", "",
             "Ban hành kế hoạch cải cách hành chính năm 2027", "Tự đánh giá chỉ số cải cách hành chính năm 2027", "",
             "2. Cải cách thủ tục hành chính", "", "2.1", "",
             "Niêm yết công khai thủ tục hành chính", "",
             "Phòng Văn hóa - Xã hội", "", "Quý I/2027", "", "Phòng Văn hóa - Xã hội", "", "Thường xuyên", "",
             "Văn phòng HĐND và UBND xã", "", "Quý II/2027"]
    rows = _rows("\n".join(lines))
    assert [row[0] for row in rows] == ["1. Công tác chỉ đạo, điều hành", "1.1", "1.2",
                                        "2. Cải cách thủ tục hành chính", "2.1"]
    tasks = [rows[1], rows[2], rows[4]]
    assert [row[1] for row in tasks] == ["Ban hành kế hoạch cải cách hành chính năm 2027",
                                         "Tự đánh giá chỉ số cải cách hành chính năm 2027",
                                         "Niêm yết công khai thủ tục hành chính"]
    assert [row[2:] for row in tasks] == [["Phòng Văn hóa - Xã hội", "Quý I/2027"],
                                          ["Phòng Văn hóa - Xã hội", "Thường xuyên"],
                                          ["Văn phòng HĐND và UBND xã", "Quý II/2027"]]


def test_text_that_fits_no_column_is_kept_in_extra_with_a_warning(tmp_path: Path) -> None:
    """Two deadline boxes more than the page has rows: no column can take them, so they go to
    the last row's extra (under UNPLACED_LABEL) and the plan gets TEXT_FRAGMENT_UNPLACED, not a
    silent loss."""
    import json

    from ingest.convert import convert_file
    from parsers.text.flattext.columnar import UNPLACED_LABEL

    lines = ["ỦY BAN NHÂN DÂN XÃ AN PHÚ", "", "KẾ HOẠCH", "Cải cách hành chính năm 2027 của xã An Phú", ""] + HEADER \
        + ["1", "", "2", "", "3", "", CONTENTS[0], CONTENTS[1], "", CONTENTS[2], "", CONTENTS[3], "",
           "- Hội nghị;", "- Báo cáo kết quả", "", "- Quy chế", "", "- Báo cáo", "",
           "Văn phòng HĐND và UBND xã", "", "Phòng Văn hóa - Xã hội", "", "Phòng Kinh tế", "",
           "Các phòng, ban liên quan", "", "Công an xã", "", "Các thôn", "",
           "Quý II/2027", "", "Tháng 6/2027", "", "Quý IV/2027", "", "Tháng 12/2027", "", "Quý I/2028"]
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines), "utf-8")
    plan = json.loads(convert_file(str(path)).json_text)
    assert [t["deadline"]["raw"] for t in plan["tasks"]] == ["Quý II/2027", "Tháng 6/2027", "Quý IV/2027"]
    assert [t["extra"] for t in plan["tasks"]] == [{}, {}, {UNPLACED_LABEL: "Tháng 12/2027 Quý I/2028"}]
    assert "TEXT_FRAGMENT_UNPLACED" in {issue["code"] for issue in plan["issues"]}
