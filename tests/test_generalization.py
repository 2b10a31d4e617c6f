"""Layouts and document kinds the dev corpus lacks: a provincial plan, and non-plans."""
from __future__ import annotations

import json
from pathlib import Path

from builders import cover_letter, provincial_plan, report_with_statistics
from ingest.convert import convert_file


def _convert(path: Path) -> dict:
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    return json.loads(outcome.json_text)


def test_provincial_plan(tmp_path: Path) -> None:
    doc = _convert(provincial_plan(tmp_path / "kh tỉnh.docx"))
    plan = doc["plan"]
    assert plan["issuer"] == "UBND tỉnh Ninh Bình"
    assert plan["province"] == "Ninh Bình" and plan["commune"] is None
    assert plan["number"] == "45/KH-UBND" and plan["issued_date"] == "2026-02-20"
    assert plan["signer"] == {"name": "Nguyễn Văn An", "role": "PHÓ CHỦ TỊCH"}
    tasks = doc["tasks"]
    assert [t["seq"] for t in tasks] == ["1", "2", "3"]          # the (1)…(7) row is not a task
    assert [t["area"] for t in tasks] == ["THE_CHE", "THE_CHE", "CHINH_QUYEN_SO"]
    assert tasks[0]["lead"] == ["SO_TU_PHAP"]
    assert tasks[0]["coordinating"] == ["CAC_SO_NGANH", "UBND_CAP_XA"]
    assert tasks[1]["coordinating"] == ["ALL_UNITS", "UBND_CAP_XA"]
    assert tasks[0]["extra"] == {"Theo dõi, kiểm tra, đôn đốc": "Sở Nội vụ"}
    assert tasks[2]["coordinating"] == ["TT_PVHCC_TINH"]
    assert tasks[2]["deadline"]["kind"] == "due_by" and tasks[2]["deadline"]["due"] == "2026-09-30"
    assert tasks[2]["products"] == ["Hệ thống được nâng cấp", "Báo cáo"]
    values = sorted((t["value"], t["comparator"]) for t in doc["targets"])
    assert values == [(90.0, ">"), (98.0, ">="), (100.0, "=")]
    assert not [i for i in doc["issues"] if i["severity"] == "error"]


def test_report_yields_no_tasks_or_targets(tmp_path: Path) -> None:
    doc = _convert(report_with_statistics(tmp_path / "bao cao.docx"))
    assert doc["tasks"] == [] and doc["targets"] == []
    assert "NOT_A_PLAN" in {i["code"] for i in doc["issues"]}


def test_cover_letter_yields_no_tasks(tmp_path: Path) -> None:
    doc = _convert(cover_letter(tmp_path / "cong van.docx"))
    assert doc["tasks"] == [] and doc["targets"] == []


def test_tricky_tables(tmp_path: Path) -> None:
    from builders import tricky_tables_plan

    doc = _convert(tricky_tables_plan(tmp_path / "tricky.docx"))
    tasks = doc["tasks"]
    assert [t["seq"] for t in tasks] == ["1.1", "1.2", "1.2", None, None]
    assert tasks[0]["area"] == "TTHC"                       # from the "1 | Cải cách TTHC" group row
    assert tasks[0]["deadline"]["due"] == "2026-06-30"      # the "Hoàn thành" sub-column
    # the "Bắt đầu" sub-column starts the same deadline: "start - end"
    assert tasks[0]["deadline"]["start"] == "2026-01-01" and tasks[0]["extra"] == {}
    assert tasks[1]["content"] == tasks[2]["content"] == "Tuyên truyền thủ tục mới"
    assert tasks[1]["lead"] == ["PHONG_VHXH"] and tasks[2]["lead"] == ["CONG_AN"]
    assert tasks[3]["content"] == "Kiểm tra công vụ" and tasks[4]["lead"] == ["PHONG_VHXH"]
    codes = {i["code"] for i in doc["issues"]}
    assert "DUPLICATE_SEQ" not in codes and "UNASSIGNED_CELLS" not in codes and "MISSING_LEAD" not in codes
