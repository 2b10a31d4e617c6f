"""Duties assigned in prose (contract v1.1 `responsibilities`, normalize/duties).

On the real dev plans against their gold (tests/data/gold, copied from shared/gold/dev), on two
invented held-out plans whose expected duties were written by hand before the extractor was
run on them (tests/data/heldout), and on the pieces: time expressions, roles, addressee
headings, character spans, the validator and the Parquet table.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import GOLD, convert_into, dev_files
from ingest.evaluate import evaluate
from ingest.readers import ReadOptions, read_document
from ingest.assemble import SourceInfo, build_plan_document
from normalize.duties.nlp import analyse, view
from normalize.duties.roles import role_of
from normalize.duties.timing import find_timing
from normalize.duties.walk import _addressee_heading, _Context
from schema import PlanDocument

HELDOUT = Path(__file__).parent / "data" / "heldout"
FLOORS = {"resp.recall": 0.90, "resp.precision": 0.85, "resp.unit": 0.90, "resp.role": 0.85,
          "resp.deadline_kind": 0.90}


def _convert_text(path: Path) -> PlanDocument:
    document = read_document("txt", path.read_bytes(), ReadOptions())
    return build_plan_document(document, SourceInfo(path=path.name, sha256="0" * 64, format="txt", pages=None),
                               path.stem)


# -- dev plans against their gold ------------------------------------------------------------

def test_gold_has_responsibilities() -> None:
    """The copied gold is contract v1.1 (else the floors below would measure nothing)."""
    counts = [len(json.loads(p.read_text("utf-8"))["responsibilities"]) for p in sorted(GOLD.glob("*.json"))]
    assert counts == [29, 22, 31]


def test_floors_on_txt_and_docx(core_metrics: dict[str, float]) -> None:
    for key, floor in FLOORS.items():
        assert core_metrics[key] >= floor, (key, core_metrics[key])


@pytest.fixture(scope="module")
def pdf_metrics(tmp_path_factory) -> dict[str, float]:
    out = convert_into(tmp_path_factory.mktemp("resp_pdf"), dev_files("pdf"))
    return evaluate(GOLD, out / "json")[0]


def test_floors_on_pdf(pdf_metrics: dict[str, float]) -> None:
    for key, floor in FLOORS.items():
        assert pdf_metrics[key] >= floor, (key, pdf_metrics[key])


def test_layout_text_gives_duties(tmp_path: Path) -> None:
    """Layout-flattened PDF text (wrapped lines, no markup) is read too, without a crash."""
    out = convert_into(tmp_path, dev_files("layout"))
    metrics = evaluate(GOLD, out / "json")[0]
    assert metrics["resp.precision"] >= 0.85 and metrics["resp.recall"] >= 0.5, metrics


def test_dev_duties_in_document_order(core_out: Path) -> None:
    docs = [json.loads(p.read_text("utf-8")) for p in sorted((core_out / "json").glob("003_*.json"))]
    doc = next(d for d in docs if d["plan"]["source"]["format"] == "txt")
    items = doc["responsibilities"]
    assert [r["order"] for r in items] == list(range(1, len(items) + 1))
    assert all(r["resp_id"] == f"{doc['plan']['plan_id']}:r{r['order']}" for r in items)
    lines = [r["provenance"]["line"] for r in items]
    assert lines == sorted(lines)
    # the report schedule of Phòng VH-XH: four "Chậm nhất là ngày …" parts in the plan year
    schedule = next(r for r in items if r["duty"].startswith("Thời gian hoàn thiện"))
    assert schedule["deadline"]["kind"] == "composite"
    assert [p["due"] for p in schedule["deadline"]["parts"]] == ["2026-03-07", "2026-06-07", "2026-09-07",
                                                               "2026-12-07"]


# -- held-out plans (expected written before the first run) ------------------------------------

@pytest.mark.parametrize("stem", ["province_prose_plan", "commune_label_plan", "province_headed_plan"])
def test_heldout_plan(stem: str) -> None:
    expected = json.loads((HELDOUT / f"{stem}.expected.json").read_text("utf-8"))["responsibilities"]
    got = _convert_text(HELDOUT / f"{stem}.txt").responsibilities
    assert len(got) == len(expected), [r.duty for r in got]
    for want, have in zip(expected, got):
        assert have.duty.startswith(want["duty_starts"]), have.duty
        assert have.unit == want["unit"], have.duty
        assert have.role == want["role"], have.duty
        assert (have.deadline.kind, have.deadline.due, have.deadline.recurrence) == (
            want["kind"], want["due"], want["recurrence"]), have.duty


def test_plan_without_addressees_has_no_duties() -> None:
    """Units named only as objects or in goals and funding assign nothing."""
    text = "\n".join([
        "ỦY BAN NHÂN DÂN", "XÃ HÒA AN", "Số: 02/KH-UBND", "KẾ HOẠCH", "Phát triển văn hóa năm 2026",
        "I. MỤC TIÊU", "Phòng Văn hóa - Xã hội phấn đấu 90% thôn đạt chuẩn văn hóa.",
        "II. NHIỆM VỤ", "Tăng cường phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam xã và các đoàn thể.",
        "Đẩy mạnh tuyên truyền trên hệ thống truyền thanh của xã.",
        "III. KINH PHÍ", "Phòng Kinh tế bố trí kinh phí trong dự toán chi thường xuyên.",
        "Nơi nhận:", "- Phòng Văn hóa - Xã hội;",
    ])
    path = Path("/tmp") / "kehoach_no_duties.txt"
    path.write_text(text, encoding="utf-8")
    assert _convert_text(path).responsibilities == []


# -- the pieces ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, recurrence, due", [
    ("Định kỳ hàng quý, 6 tháng, năm hoặc đột xuất báo cáo", "recurring", "quarterly", None),
    ("xây dựng Kế hoạch hằng năm; định kỳ tổng hợp, báo cáo", "recurring", "annual", None),
    ("là nhiệm vụ trọng tâm, thường xuyên", "recurring", "continuous", None),
    ("báo cáo UBND tỉnh trước ngày 15/12 hằng năm", "recurring", "annual", None),
    ("hoàn thành trước ngày 30/6/2026", "due_by", None, "2026-06-30"),
    ("chấm điểm theo hướng dẫn của Sở Nội vụ", "conditional", None, None),
    # a year that names the work, an example clause and recurrent spending are no deadline
    ("thực hiện các nhiệm vụ được giao trong năm 2026", "unspecified", None, None),
    ("đặc biệt là dự toán ngân sách hàng năm; thực hành tiết kiệm", "unspecified", None, None),
    ("bố trí trong dự toán chi thường xuyên", "unspecified", None, None),
    ("Báo cáo quý I: chậm nhất là ngày 07/3; báo cáo năm: chậm nhất là ngày 07/12", "composite", None,
     "2026-03-07"),
])
def test_timing(text: str, kind: str, recurrence: str | None, due: str | None) -> None:
    timing = find_timing(text, 2026, 2026)
    assert (timing.deadline["kind"], timing.deadline["recurrence"], timing.deadline["due"]) == (kind, recurrence, due)
    if kind != "unspecified":      # the span points at the expression read
        assert timing.start is not None and text[timing.start:timing.end].strip()


@pytest.mark.parametrize("text, role", [
    ("Chủ trì, phối hợp với các cơ quan liên quan tham mưu UBND xã", "lead"),
    ("Là cơ quan thường trực tham mưu tổ chức triển khai thực hiện Kế hoạch này", "lead"),
    ("Tham mưu giúp UBND xã, Chủ tịch UBND xã thực hiện hoàn thành các nhiệm vụ", "lead"),
    ("Tham mưu UBND xã, Chủ tịch UBND xã quyết định các giải pháp", "do"),
    ("Trực tiếp theo dõi, tham mưu, triển khai về kết quả các chỉ số", "do"),
    ("Phối hợp với Trung tâm Phục vụ hành chính công rà soát thủ tục", "coordinate"),
    ("Tích cực phối hợp với các đoàn thể tuyên truyền", "coordinate"),
    ("Phối hợp với cơ quan chủ trì tổng hợp số liệu", "coordinate"),
    ("Xác định tuyên truyền là nhiệm vụ thường xuyên; phối hợp với các cơ quan liên quan", "do"),
])
def test_roles(text: str, role: str) -> None:
    v = view(text)
    assert role_of(v, 0, len(v)).role == role


@pytest.mark.parametrize("label, codes", [
    ("Phòng Văn hoá – Xã hội", ("PHONG_VHXH",)),
    ("Văn phòng HĐND&UBND xã", ("VP_HDND_UBND",)),
    ("Trưởng phòng, ban, đơn vị, các trung tâm có trách nhiệm:", ("ALL_UNITS",)),
    ("Đề nghị Ủy ban Mặt trận tổ quốc và tổ chức thành viên", ("MTTQ", "UNKNOWN")),
    ("Đối với UBND các xã, phường:", ("UBND_CAP_XA",)),
    ("Phân công trách nhiệm cụ thể của các phòng ban, đơn vị liên quan:", None),
    ("Trách nhiệm của Sở Nội vụ:", ("SO_NOI_VU",)),
    ("Trách nhiệm chung", None),
    ("Tổ chức thực hiện kịp thời và có hiệu quả các nhiệm vụ", None),
])
def test_addressee_headings(label: str, codes: tuple[str, ...] | None) -> None:
    level = "province" if "xã, phường" in label or "Sở" in label else "commune"
    found = _addressee_heading(label, _Context(level, 2026, 2026, frozenset()))
    assert (found[1] if found else None) == codes


def test_spans_point_into_the_duty() -> None:
    plan = _convert_text(HELDOUT / "province_prose_plan.txt")
    first = plan.responsibilities[0]
    assert first.duty[slice(*first.spans["unit"])] == "Sở Nội vụ"
    assert first.duty[slice(*first.spans["role"])] == "chủ trì"
    assert first.duty[slice(*first.spans["deadline"])] == "hoàn thành trước ngày 31/3/2027"


def test_unknown_addressee_is_reported() -> None:
    plan = _convert_text(HELDOUT / "province_prose_plan.txt")
    assert not [i for i in plan.issues if i.code == "UNKNOWN_DEPARTMENT"]
    text = (HELDOUT / "commune_label_plan.txt").read_text("utf-8").replace(
        "d) Các thôn:", "d) Các thôn và Hợp tác xã Nông nghiệp Tân Tiến:")
    path = Path("/tmp") / "kehoach_unknown_unit.txt"
    path.write_text(text, encoding="utf-8")
    plan = _convert_text(path)
    assert plan.responsibilities[-1].unit == ["THON", "UNKNOWN"]
    issues = [i for i in plan.issues if i.code == "UNKNOWN_DEPARTMENT"]
    assert len(issues) == 1 and "Hợp tác xã" in issues[0].message and issues[0].location.field == "unit"


def test_json_is_deterministic() -> None:
    path = HELDOUT / "province_prose_plan.txt"
    first = _convert_text(path).to_json()
    from normalize.duties import walk
    for cache in (analyse, view, walk._inline_found, walk._item_found, walk._addressee_heading, walk._walk):
        cache.cache_clear()         # cold caches must give the same bytes
    assert _convert_text(path).to_json() == first
    assert json.loads(first)["contract_version"] == "1.1"


def test_parquet_table(core_out: Path) -> None:
    table = pd.read_parquet(core_out / "parquet" / "responsibilities.parquet")
    expected = sum(len(json.loads(p.read_text("utf-8"))["responsibilities"])
                   for p in (core_out / "json").glob("*.json"))
    assert len(table) == expected > 0
    assert set(table["role"]) == {"lead", "coordinate", "do"}
    assert all(isinstance(u, str) for u in table["unit"].iloc[0])
    assert (table.groupby("plan_id")["resp_order"].min() == 1).all()
    assert "order" not in table           # an SQL reserved word: the JSON keeps it, the table does not
    assert str(table["resp_order"].dtype) == "Int32"
    parts = table[table.deadline_parts.notna()]["deadline_parts"].iloc[0]
    assert isinstance(parts[0], dict) and {"raw", "kind", "due"} <= set(parts[0])


def test_loaded_by_the_python_api_and_audited(core_out: Path) -> None:
    import kehoach
    from ingest.audit import audit

    frames = kehoach.load(core_out)
    assert "responsibilities" in frames and len(frames["responsibilities"]) == \
        frames["plans"]["responsibility_count"].sum() > 0
    assert audit(core_out) == []
