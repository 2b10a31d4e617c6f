"""Per-file time limit and memory cap: a pathological file is stopped, the batch goes on."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DEV, DEV_IDS
from ingest.batch import run_batch
from ingest.pool import Limits


def _big_plan(path: Path, rows: int) -> None:
    header = "TT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
    body = "".join(f"{i}\tNhiệm vụ {i} đạt {i % 100}%\tBáo cáo\tPhòng Kinh tế\tCác phòng ban\tQuý I/2026\n"
                   for i in range(1, rows + 1))
    path.write_text("KẾ HOẠCH\nThử nghiệm năm 2026\nPhụ lục\n" + header + body, "utf-8")


def test_slow_file_is_stopped_and_others_converted(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    _big_plan(inp / "huge.txt", 60000)
    shutil.copy(DEV / f"{DEV_IDS[0]}.txt", inp / "small.txt")
    out = tmp_path / "out"
    result = run_batch([str(inp)], out, workers=2, limits=Limits(timeout_s=3.0), progress=False)
    by_name = {Path(o.path).name: o for o in result.outcomes}
    assert by_name["huge.txt"].status == "error" and "time limit" in by_name["huge.txt"].error
    assert by_name["small.txt"].status == "ok" and by_name["small.txt"].tasks == 38
    assert len(list((out / "json").glob("*.json"))) == 1


def test_memory_cap_stops_a_file(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    _big_plan(inp / "huge.txt", 60000)
    shutil.copy(DEV / f"{DEV_IDS[1]}.txt", inp / "small.txt")
    out = tmp_path / "out"
    result = run_batch([str(inp)], out, workers=1, limits=Limits(timeout_s=120, memory_mb=450), progress=False)
    by_name = {Path(o.path).name: o for o in result.outcomes}
    assert by_name["huge.txt"].status == "error"
    assert "memory cap exceeded" in by_name["huge.txt"].error
    assert by_name["small.txt"].status == "ok"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["summary"]["error"] == 1


def test_worker_memory_does_not_grow_over_a_batch(tmp_path: Path) -> None:
    """python-docx leaves reference cycles; the worker collects them after every file, so its
    resident memory stays flat over a long batch instead of growing file after file."""
    inp = tmp_path / "in"
    inp.mkdir()
    for k in range(15):
        for doc_id in DEV_IDS:
            shutil.copy(DEV / f"{doc_id}.docx", inp / f"{doc_id}_{k:02d}.docx")
    result = run_batch([str(inp)], tmp_path / "out", workers=1, limits=Limits(), progress=False)
    assert all(o.status == "ok" for o in result.outcomes)
    resident = [o.worker_rss_mb for o in result.outcomes]
    if None in resident:
        return       # not Linux: no /proc/self/statm
    assert max(resident) - min(resident) < 60, resident
