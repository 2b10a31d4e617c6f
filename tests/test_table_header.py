"""Annex table headers of one to three label rows and the rows under them (parsers.plan.table_header,
parsers.plan.structure), on the document model every parser produces: spans visible (DOCX, PDF) or
left as empty cells (text renditions)."""
from __future__ import annotations

from parsers.model import Cell, Document, Row, Table
from parsers.plan.structure import analyse
from parsers.plan.table_header import header_mapping

M = "merged"      # a cell merged down from the row above (its text repeated, as parsers give it)


def _row(*cells: str | tuple[str, int]) -> Row:
    out = []
    for cell in cells:
        text, span = cell if isinstance(cell, tuple) else (cell, 1)
        if text.startswith(M + ":"):
            out.append(Cell(lines=[text[len(M) + 1:]], col_span=span, merged_from_above=True))
        else:
            out.append(Cell(lines=[text] if text else [], col_span=span))
    return Row(cells=out)


# "Tổ chức thực hiện" over "Cơ quan thực hiện | Thời gian thực hiện" over "Chủ trì | Phối hợp |
# Bắt đầu | Kết thúc", as a DOCX or PDF parser gives it (spans and vertical merges visible)
THREE_ROWS_SPANNED = [
    _row("STT", "Nội dung nhiệm vụ", ("Tổ chức thực hiện", 4), "Sản phẩm"),
    _row("merged:STT", "merged:Nội dung nhiệm vụ", ("Cơ quan thực hiện", 2),
         ("Thời gian thực hiện", 2), "merged:Sản phẩm"),
    _row("merged:STT", "merged:Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Bắt đầu", "Kết thúc",
         "merged:Sản phẩm"),
]
# the same header as a text rendition gives it: merged cells empty after their first grid cell
THREE_ROWS_FLAT = [
    _row("STT", "Nội dung nhiệm vụ", "Tổ chức thực hiện", "", "", "", "Sản phẩm"),
    _row("", "", "Cơ quan thực hiện", "", "Thời gian thực hiện", "", ""),
    _row("", "", "Chủ trì", "Phối hợp", "Bắt đầu", "Kết thúc", ""),
]
# and as a rendition that repeats a merged cell's text in every grid cell it covers
THREE_ROWS_REPEATED = [
    _row("STT", "Nội dung nhiệm vụ", *["Tổ chức thực hiện"] * 4, "Sản phẩm"),
    _row("STT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện",
         "Thời gian thực hiện", "Thời gian thực hiện", "Sản phẩm"),
    _row("STT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Bắt đầu", "Kết thúc", "Sản phẩm"),
]
EXPECTED_ROLES = {0: "seq", 1: "content", 2: "lead", 3: "coordinating", 5: "deadline",
                  6: "products"}


def test_three_header_rows_give_every_column_its_role() -> None:
    for header in (THREE_ROWS_SPANNED, THREE_ROWS_FLAT, THREE_ROWS_REPEATED):
        mapping, used, statistics = header_mapping(header + [_row("1", "x", "", "", "", "", "")])
        assert mapping is not None and not statistics and used == 3
        assert mapping.roles == EXPECTED_ROLES
        assert mapping.start_col == 4
        assert mapping.headers[4] == "Tổ chức thực hiện - Thời gian thực hiện - Bắt đầu"


def _tasks(header: list[Row], body: list[Row]):
    return analyse(Document(blocks=[Table(rows=header + body)], format="docx")).task_rows


def test_start_and_end_columns_make_one_deadline() -> None:
    body = [
        _row("I", ("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 6)),
        _row("1.", "Công tác chỉ đạo, điều hành", "", "", "", "", ""),
        _row("1.1", "Xây dựng kế hoạch", "Phòng Văn hóa - Xã hội", "Các phòng", "01/2026",
             "02/2026", "Kế hoạch"),
        _row("1.2", "Chỉ đạo, đôn đốc", "Chủ tịch UBND xã", "Văn phòng", ("Thường xuyên", 2),
             "Văn bản"),
        _row("1.3", "Báo cáo", "Văn phòng", "", "", "Trước 30/11/2026", "Báo cáo"),
    ]
    tasks = _tasks(THREE_ROWS_SPANNED, body)
    # "1." with its text only, followed by 1.1: a sub-section heading, not a task
    assert [t.text("seq") for t in tasks] == ["1.1", "1.2", "1.3"]
    assert [t.text("deadline") for t in tasks] == ["01/2026 - 02/2026", "Thường xuyên",
                                                  "Trước 30/11/2026"]
    assert [t.text("coordinating") for t in tasks] == ["Các phòng", "Văn phòng", ""]
    assert all(t.section == "I CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" for t in tasks)
    assert not any(t.extra for t in tasks)


def test_repeated_merged_cells() -> None:
    body = [
        _row("I", *["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"] * 6),
        _row("1.1", "Chỉ đạo, đôn đốc", "Chủ tịch UBND xã", "Văn phòng", "Thường xuyên",
             "Thường xuyên", "Văn bản"),
        _row("1.2", "Đánh giá", "Văn phòng", "Các phòng", "01/2026", "01/2026", "Báo cáo"),
    ]
    tasks = _tasks(THREE_ROWS_REPEATED, body)
    assert [t.section for t in tasks] == ["I CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"] * 2
    assert [t.text("deadline") for t in tasks] == ["Thường xuyên", "01/2026 - 01/2026"]


def test_a_numbered_row_with_text_only_stays_a_task_without_sub_tasks() -> None:
    header = [_row("TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành")]
    body = [_row("1", "Rà soát thủ tục", "", ""), _row("2", "Công khai", "Văn phòng", "Quý I/2026"),
            _row("3", "Tổng kết", "", "")]
    assert [t.text("seq") for t in _tasks(header, body)] == ["1", "2", "3"]


def test_inspection_schedule_is_a_task_table() -> None:
    header = [_row("STT", "Đơn vị được kiểm tra", "Nội dung kiểm tra", "Thời gian kiểm tra",
                   "Thành phần đoàn kiểm tra", "Ghi chú")]
    body = [_row("1", "Trung tâm Phục vụ hành chính công xã", "Việc niêm yết thủ tục",
                 "Tháng 4/2026", "Phó Chủ tịch UBND xã (Trưởng đoàn)", "")]
    (task,) = _tasks(header, body)
    assert task.text("content") == "Việc niêm yết thủ tục"
    assert task.text("lead") == "Phó Chủ tịch UBND xã (Trưởng đoàn)"
    assert task.extra == {"Đơn vị được kiểm tra": "Trung tâm Phục vụ hành chính công xã"}


def test_a_title_row_over_the_table_is_not_a_header_level() -> None:
    header = [_row(("DANH MỤC NHIỆM VỤ", 4)), _row("TT", "Nội dung", "Cơ quan chủ trì", "Thời hạn")]
    mapping, used, _ = header_mapping(header + [_row("1", "x", "y", "z")])
    assert mapping is not None and used == 2
    assert mapping.headers == {0: "TT", 1: "Nội dung", 2: "Cơ quan chủ trì", 3: "Thời hạn"}


def test_numbering_restarting_in_every_section_is_not_out_of_order(tmp_path) -> None:
    """302: tasks 1.1, 1.2, 2.1 … under every roman section; the whole plan end to end."""
    import json
    import shutil

    from conftest import DATA
    from ingest.batch import run_batch
    from ingest.pool import Limits

    shutil.copy(DATA / "synth" / "302_bac_giang_bac_ninh.docx", tmp_path / "302.docx")
    run_batch([str(tmp_path / "302.docx")], tmp_path / "out", 0, Limits(), progress=False)
    (path,) = (tmp_path / "out" / "json").glob("*.json")
    plan = json.loads(path.read_text("utf-8"))
    assert len(plan["tasks"]) == 23
    assert [i["code"] for i in plan["issues"]] == ["DEADLINE_OUTSIDE_PERIOD"]
    starts = [t["deadline"]["start"] for t in plan["tasks"] if t["seq"] == "1.1"]
    assert starts[0] == "2026-01-01"


def test_a_column_number_row_misread_by_ocr_is_still_a_number_row() -> None:
    header = [_row("TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Sản phẩm")]
    body = [_row("(1)", "(2)", "@®", "(4)", "(5)", "(6)"),
            _row("1", "Rà soát thủ tục", "Văn phòng", "Các phòng", "Quý I/2026", "Báo cáo"),
            _row("2", "Ab", "Cd", "", "", "")]          # short cells, but words: a task
    assert [t.text("seq") for t in _tasks(header, body)] == ["1", "2"]
