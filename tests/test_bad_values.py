"""Issue 14: values no document should pass on (impossible dates, figures that are no
percentages, reversed windows), agendas that are no task tables, boxes inside boxes."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ingest.convert import convert_file
from normalize.metadata import extract_metadata
from normalize.targets import extract_targets, malformed_percentages
from schema import Deadline, Plan

HEAD = ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH", "Số: 15/KH-UBND"]


@pytest.mark.parametrize("line", ["An Bình, ngày 99 tháng 01 năm 2025", "An Bình, ngày 40 tháng 09 năm 2025",
                                  "An Bình, ngày 31/02/2025", "An Bình, ngày 12 tháng 13 năm 2025"])
def test_impossible_date_is_left_out_and_quoted(line: str) -> None:
    meta = extract_metadata(HEAD + [line, "KẾ HOẠCH", "Cải cách hành chính năm 2025"])
    assert meta.issued_date is None
    assert meta.invalid_dates and meta.invalid_dates[0] in line


def test_real_dates_still_read() -> None:
    meta = extract_metadata(HEAD + ["An Bình, ngày 29 tháng 02 năm 2028", "KẾ HOẠCH"])
    assert meta.issued_date == "2028-02-29" and meta.invalid_dates == []


def test_contract_rejects_impossible_dates() -> None:
    with pytest.raises(ValueError):
        Deadline(raw="x", kind="due_by", due="2025-09-40")
    with pytest.raises(ValueError):
        Plan.model_validate({"plan_id": "p", "source": {"path": "a", "sha256": "0" * 64, "format": "txt"},
                             "issuer": None, "commune": None, "province": None, "number": None,
                             "issued_date": "2025-01-99", "title": None, "period_start": None,
                             "period_end": None, "signer": None})


def test_parquet_day_tolerates_an_old_bad_value() -> None:
    from ingest.outputs import as_day
    assert as_day("2025-01-99") is None and as_day("2025-01-09").isoformat() == "2025-01-09"


@pytest.mark.parametrize("text,figure", [("Tỷ lệ hồ sơ đạt 1e308% kế hoạch", "1e308%"),
                                         ("Giảm -50% thời gian giải quyết", "-50%"),
                                         ("Đạt 999999999999% kế hoạch", "999999999999%")])
def test_figures_that_are_no_percentages(text: str, figure: str) -> None:
    assert extract_targets(text, 2026) == []
    assert malformed_percentages(text) == [figure]


def test_ordinary_percentages_unchanged() -> None:
    assert [t.value for t in extract_targets("Tỷ lệ hồ sơ đúng hạn đạt 98,5% trở lên", 2026)] == [98.5]
    assert malformed_percentages("đạt 30-50% hồ sơ; tăng 5%-10%") == []


PLAN = """ỦY BAN NHÂN DÂN
XÃ AN BÌNH
Số: 15/KH-UBND
An Bình, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
{title}
I. MỤC TIÊU
- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 1e308% trở lên.
II. NHIỆM VỤ
{table}
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn B
"""


def _convert(tmp_path: Path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    return json.loads(outcome.json_text)


def test_issues_name_bad_percentages_and_reversed_windows(tmp_path: Path) -> None:
    table = ("TT\tNội dung\tĐơn vị chủ trì\tThời gian bắt đầu\tThời gian kết thúc\n"
             "1\tRà soát thủ tục hành chính\tVăn phòng HĐND và UBND\t01/10/2026\t30/6/2026\n"
             "2\tSố hóa hồ sơ\tVăn phòng HĐND và UBND\t01/3/2026\t30/6/2026")
    doc = _convert(tmp_path, "plan.txt", PLAN.format(title="Cải cách hành chính năm 2026", table=table))
    codes = [i["code"] for i in doc["issues"]]
    assert codes.count("DEADLINE_REVERSED") == 1 and "INVALID_PERCENT" in codes
    assert all(t["value"] <= 100 for t in doc["targets"])


def test_conference_agenda_gives_no_tasks(tmp_path: Path) -> None:
    table = ("Thời gian\tNội dung\tChủ trì\n"
             "7h30 - 8h00\tĐón tiếp đại biểu\tVăn phòng HĐND và UBND\n"
             "8h00 - 8h15\tKhai mạc hội nghị\tChủ tịch UBND xã\n"
             "8h15 - 9h00\tBáo cáo tổng kết công tác cải cách hành chính\tPhòng Văn hóa - Xã hội\n"
             "9h00 - 10h30\tThảo luận\tChủ tịch UBND xã\n"
             "10 giờ 30\tBế mạc hội nghị\tChủ tịch UBND xã")
    doc = _convert(tmp_path, "agenda.txt", PLAN.format(title="Tổ chức Hội nghị tổng kết công tác cải cách "
                                                             "hành chính năm 2025", table=table))
    assert doc["tasks"] == []


def test_nested_frames_unwrapped_once_in_linear_time(tmp_path: Path) -> None:
    from test_batch_faults import _nested_frames_docx

    timings = {}
    for depth in (2, 10, 16):
        path = _nested_frames_docx(tmp_path / f"frames{depth}.docx", depth)
        started = time.perf_counter()
        outcome = convert_file(str(path))
        timings[depth] = time.perf_counter() - started
        assert outcome.status == "ok" and outcome.tasks == 3, (depth, outcome.tasks)
    assert timings[16] < 2.0
