"""Multi-row annex headers of layout-flattened PDF text (parsers.text.layout_header) as the model
sees them, and the variants of the synthetic plans that exercise them (tests/data/synth/variants:
302 with the common two-row header, the 301-303 tables with Word's default top alignment),
scored against the plans' gold."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA
from ingest.batch import run_batch
from ingest.evaluate import evaluate
from ingest.pool import Limits
from parsers.text.layout_header import interleavings
from parsers.text.layout_text import parse_layout_text
from parsers.text.layout_types import Column
from parsers.model import Table
from parsers.plan.table_header import header_mapping

SYNTH = DATA / "synth"
VARIANTS = SYNTH / "variants"
TWO_ROW = VARIANTS / "c2_2row" / "302_bac_giang_bac_ninh.layout.txt"


def _first_table(path: Path) -> Table:
    doc = parse_layout_text(path.read_bytes())
    return next(b for b in doc.blocks if isinstance(b, Table) and len(b.rows) > 3)


def _texts(row) -> list[tuple[str, int]]:
    return [(c.text, c.col_span) for c in row.cells]


# ---------------------------------------------------------------------------- column orders


def _col(text: str, role: str, path: tuple[str, ...] = ()) -> Column:
    column = Column(text, role)
    column.path = path
    return column


def test_children_of_one_label_stay_side_by_side() -> None:
    """Parents above the TT line and their children below it float: the children of one
    parent may not be split by a column of the TT line."""
    main = [_col("STT", "seq"), _col("Nội dung nhiệm vụ", "content"), _col("Sản phẩm", "products"),
            _col("Ghi chú", "other")]
    agency, time = ("Cơ quan thực hiện",), ("Thời gian thực hiện",)
    stacked = [_col("Chủ trì", "lead", agency), _col("Phối hợp", "coordinating", agency),
               _col("Bắt đầu", "deadline", time), _col("Kết thúc", "deadline", time)]
    orders = [[c.header for c in o] for o in interleavings(main, stacked)]
    assert ["STT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Bắt đầu", "Kết thúc", "Sản phẩm",
            "Ghi chú"] in orders
    for order in orders:
        for a, b in (("Chủ trì", "Phối hợp"), ("Bắt đầu", "Kết thúc")):
            assert order.index(b) == order.index(a) + 1, order
    # five slots for two blocks of two in the four main columns' gaps after the content one
    assert len(orders) == 6


def test_floating_labels_without_parents_keep_every_order() -> None:
    main = [_col("TT", "seq"), _col("Nội dung", "content"), _col("Sản phẩm", "products")]
    stacked = [_col("Đơn vị chủ trì", "lead"), _col("Thời gian hoàn thành", "deadline")]
    assert len(interleavings(main, stacked)) == 3


# ---------------------------------------------------------------------------- header rows


@pytest.mark.skipif(not TWO_ROW.exists(), reason="no variant file")
def test_two_row_header_rows() -> None:
    """"Cơ quan thực hiện | Thời gian thực hiện" above the TT line, "Chủ trì | Phối hợp |
    Bắt đầu | Kết thúc" below it: two header rows, each parent over its two children."""
    table = _first_table(TWO_ROW)
    top, low = table.rows[0], table.rows[1]
    assert _texts(top) == [("STT", 1), ("Nội dung nhiệm vụ", 1), ("Cơ quan thực hiện", 2),
                           ("Thời gian thực hiện", 2), ("Sản phẩm", 1), ("Ghi chú", 1)]
    assert [c.text for c in low.cells] == ["STT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp",
                                           "Bắt đầu", "Kết thúc", "Sản phẩm", "Ghi chú"]
    assert [c.merged_from_above for c in low.cells] == [True, True, False, False, False, False,
                                                        True, True]
    mapping, used, statistics = header_mapping(table.rows)
    assert mapping is not None and used == 2 and not statistics
    roles = [mapping.roles.get(c) for c in range(mapping.width)]
    assert roles[:4] == ["seq", "content", "lead", "coordinating"]
    assert roles[5] == "deadline" and roles[6] == "products"
    assert mapping.start_col == 4          # "Bắt đầu": the start of the deadline


@pytest.mark.skipif(not (SYNTH / "302_bac_giang_bac_ninh.layout.txt").exists(), reason="no synthetic plan")
def test_numbered_group_row_keeps_its_number_in_the_tt_column() -> None:
    """"1. Công tác chỉ đạo, điều hành" under "I CÔNG TÁC CHỈ ĐẠO …": its number in the TT
    column, its title over the rest, as the DOCX and .txt renditions give it (so it is a part
    of the roman section, whose area it keeps); the roman row spans the table."""
    table = _first_table(SYNTH / "302_bac_giang_bac_ninh.layout.txt")
    width = sum(c.col_span for c in table.rows[0].cells)
    body = [_texts(r) for r in table.rows]
    assert [("I CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", width)] in body
    assert [("1.", 1), ("Công tác chỉ đạo, điều hành", width - 1)] in body


# ---------------------------------------------------------------------------- variants scored


def _score(tmp_path: Path, files: list[Path]) -> tuple[dict[str, float], Path]:
    inp, gold = tmp_path / "in", tmp_path / "gold"
    inp.mkdir()
    gold.mkdir()
    for f in files:
        stem = f.name.split(".")[0]
        shutil.copy(f, inp / f.name)
        shutil.copy(SYNTH / "gold" / f"{stem}.json", gold / f"{stem}.json")
    result = run_batch([str(inp)], tmp_path / "out", 0, Limits(), progress=False)
    assert all(o.status == "ok" for o in result.outcomes), [o.error for o in result.outcomes]
    return evaluate(gold, tmp_path / "out" / "json")[0], tmp_path / "out" / "json"


@pytest.mark.skipif(not TWO_ROW.exists(), reason="no variant file")
def test_two_row_header_variant(tmp_path: Path) -> None:
    """302 with the two-row header reads like 302 itself (a chủ trì and a phối hợp column
    side by side, the start and end columns of one deadline)."""
    metrics, out = _score(tmp_path, [TWO_ROW])
    floors = {"tasks.recall": 1.0, "tasks.precision": 1.0, "tasks.area": 0.98, "tasks.content": 0.98,
              "tasks.lead": 0.84, "tasks.coordinating": 0.8, "tasks.deadline_due": 0.8}
    low = {m: round(metrics[m], 4) for m, floor in floors.items() if metrics[m] < floor}
    assert not low, low
    (path,) = out.glob("*.json")
    tasks = json.loads(path.read_text("utf-8"))["tasks"]
    assert len(tasks) == 23
    assert sum(1 for t in tasks if t["coordinating"]) >= 20


TOP = sorted(VARIANTS.glob("top_aligned/*.layout.txt"))


@pytest.mark.skipif(not TOP, reason="no variant files")
def test_top_aligned_variants(tmp_path: Path) -> None:
    metrics, _ = _score(tmp_path, TOP)
    floors = {"tasks.recall": 0.95, "tasks.precision": 0.95, "tasks.area": 0.98, "tasks.content": 0.88,
              "tasks.lead": 0.85, "tasks.coordinating": 0.72, "tasks.deadline_due": 0.97}
    low = {m: round(metrics[m], 4) for m, floor in floors.items() if metrics[m] < floor}
    assert not low, low
