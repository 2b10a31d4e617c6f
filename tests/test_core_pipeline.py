"""End to end on the .txt and .docx renditions of the dev plans: the issue's floors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from schema import PlanDocument, json_schema

from conftest import GOLD

FLOORS = {
    "tasks.recall": 0.98, "tasks.precision": 0.98, "tasks.area": 0.98, "tasks.content": 0.95,
    "tasks.lead": 0.95, "tasks.coordinating": 0.90, "tasks.products": 0.90,
    "tasks.deadline_kind": 0.95, "tasks.deadline_due": 0.95, "tasks.deadline_start": 0.95,
    "targets.recall": 0.90, "targets.precision": 0.85, "targets.comparator": 0.90,
    "targets.year": 0.90, "plan.commune": 1.0, "plan.province": 1.0, "plan.period_start": 1.0,
    "plan.period_end": 1.0,
}


def test_every_rendition_is_converted(core_out: Path) -> None:
    report = json.loads((core_out / "report.json").read_text("utf-8"))
    assert [f["status"] for f in report["files"]] == ["ok"] * 6
    assert len(list((core_out / "json").glob("*.json"))) == 6


@pytest.mark.parametrize("metric,floor", sorted(FLOORS.items()))
def test_floor(core_metrics: dict[str, float], metric: str, floor: float) -> None:
    assert core_metrics[metric] >= floor, f"{metric} = {core_metrics[metric]} < {floor}"


def test_gold_anomalies_reported(core_metrics: dict[str, float]) -> None:
    assert core_metrics["issues.recall"] == 1.0


def test_eval_agrees_with_reference_scorer(core_out: Path, core_metrics: dict[str, float]) -> None:
    """`kehoach eval` computes the same numbers as shared/eval/score.py (a copy is in tests/reference)."""
    reference = Path(__file__).parent / "reference" / "score.py"
    out = subprocess.run([sys.executable, str(reference), "--gold", str(GOLD), "--pred", str(core_out / "json")],
                         capture_output=True, text=True, check=True).stdout
    theirs = {line.split()[0]: float(line.split()[1]) for line in out.splitlines()
              if line and not line.startswith(" ") and len(line.split()) == 2}
    assert theirs == core_metrics


def test_json_validates_against_committed_schema(core_out: Path) -> None:
    committed = json.loads((Path(__file__).parents[1] / "schema" / "plan.schema.json").read_text("utf-8"))
    for path in sorted((core_out / "json").glob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        jsonschema.validate(document, committed)
        PlanDocument.model_validate(document)


def test_committed_schema_in_sync() -> None:
    committed = json.loads((Path(__file__).parents[1] / "schema" / "plan.schema.json").read_text("utf-8"))
    assert committed == json_schema(), "run: kehoach schema > schema/plan.schema.json"


def test_same_input_gives_identical_json(core_out: Path, tmp_path: Path) -> None:
    from conftest import convert_into, dev_files

    again = convert_into(tmp_path, dev_files("txt", "docx"))
    first = {p.name: p.read_bytes() for p in (core_out / "json").glob("*.json")}
    second = {p.name: p.read_bytes() for p in (again / "json").glob("*.json")}
    assert first == second


def test_provenance_points_back_to_source(core_out: Path) -> None:
    for path in (core_out / "json").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        fmt = doc["plan"]["source"]["format"]
        for task in doc["tasks"]:
            prov = task["provenance"]
            if fmt == "txt":
                assert prov["line"] <= prov["line_end"]
            else:
                assert "table" in prov and "row" in prov
        for target in doc["targets"]:
            assert target["provenance"], target


def test_continuation_row_merged_with_line_span(core_out: Path) -> None:
    """A row continued after a repeated header (empty TT cell) belongs to the row above."""
    doc = next(json.loads(p.read_text("utf-8")) for p in (core_out / "json").glob("000_*.json")
               if json.loads(p.read_text("utf-8"))["plan"]["source"]["format"] == "txt")
    merged = [t for t in doc["tasks"] if t["provenance"]["line_end"] > t["provenance"]["line"]]
    assert len(merged) == 1
    task = merged[0]
    assert task["content"].endswith("Trung tâm phục vụ hành chính công")
    assert task["lead_raw"] == "Phòng Văn hóa- Xã hội"
    assert task["products"] == ["Kế hoạch", "Quyết định kiểm tra"]


def test_statistics_form_is_not_a_task_table(core_out: Path) -> None:
    for path in (core_out / "json").glob("003_*.json"):
        doc = json.loads(path.read_text("utf-8"))
        assert len(doc["tasks"]) == 42
        assert not any("Chỉ tiêu thống kê" in t["content"] or "Số VBQPPL" in t["content"] for t in doc["tasks"])
        assert not any("dưới 100%" in t["text"] for t in doc["targets"])


PDF_FLOORS = {"tasks.recall": 0.98, "tasks.precision": 0.98, "tasks.lead": 0.95, "tasks.deadline_due": 0.95,
              "tasks.products": 0.90, "tasks.content": 0.95, "targets.recall": 0.90, "targets.precision": 0.85}


@pytest.fixture(scope="module")
def pdf_out(tmp_path_factory) -> Path:
    from conftest import convert_into, dev_files

    return convert_into(tmp_path_factory.mktemp("pdf"), dev_files("pdf"))


def test_pdf_floors(pdf_out: Path) -> None:
    from ingest.evaluate import evaluate

    metrics, _ = evaluate(GOLD, pdf_out / "json")
    below = {k: metrics[k] for k, floor in PDF_FLOORS.items() if metrics[k] < floor}
    assert not below, below


def test_pdf_tasks_and_targets_carry_pages(pdf_out: Path) -> None:
    for path in (pdf_out / "json").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        assert doc["plan"]["source"]["format"] == "pdf" and doc["plan"]["source"]["pages"] >= 10
        assert doc["tasks"] and all(t["provenance"]["page"] >= 1 for t in doc["tasks"])
        assert all(t["provenance"]["page"] >= 1 for t in doc["targets"])
