"""Issue 14: a batch never dies and never loses data. Fault injection on `convert`: bad values,
odd paths, a full disk, kills between stages, concurrent runs; after each, the output set
(JSON, every Parquet table, the state file, report.json) must agree with itself."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEV, DEV_IDS
from ingest.audit import audit
from ingest.batch import OutputError, run_batch
from ingest.pool import Limits
from ingest.transaction import STAGING, OutputBusyError, OutputLock

ROOT = Path(__file__).resolve().parents[1]
GOOD_DATE, BAD_DATE = "ngày 10 tháng 01 năm 2026", "ngày 99 tháng 01 năm 2026"   # dev plan 000's


def _plan_text(doc_id: str = DEV_IDS[0], bad_date: bool = False) -> str:
    text = (DEV / f"{doc_id}.txt").read_text("utf-8")
    if bad_date:
        assert GOOD_DATE in text
        text = text.replace(GOOD_DATE, BAD_DATE)
    return text


def _three_plans(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id in DEV_IDS:
        shutil.copy(DEV / f"{doc_id}.txt", folder / f"{doc_id}.txt")
    return folder


def _rows(out: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(out / "parquet" / f"{table}.parquet")


def _nested_frames_docx(path: Path, depth: int) -> Path:
    import copy

    import docx

    from builders import provincial_plan

    provincial_plan(path)
    document = docx.Document(path)
    annex = document.tables[-1]._tbl
    parent = annex.getparent()
    inner = copy.deepcopy(annex)
    for _ in range(depth):        # each level: a one-cell ruled table holding the previous one
        frame = document.add_table(rows=1, cols=1)
        frame.style = "Table Grid"
        cell = frame.cell(0, 0)._tc
        cell.append(inner)
        cell.append(copy.deepcopy(cell[1]))      # a cell ends with a paragraph
        inner = frame._tbl
        inner.getparent().remove(inner)
    parent.replace(annex, inner)
    document.save(path)
    return path


def test_impossible_issue_date_costs_nothing(tmp_path: Path) -> None:
    inp = _three_plans(tmp_path / "in")
    (inp / "bad_date.txt").write_text(_plan_text(bad_date=True), "utf-8")
    out = tmp_path / "out"
    result = run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert [o.status for o in result.outcomes] == ["ok"] * 4
    doc = json.loads(next((out / "json").glob("bad_date-*.json")).read_text("utf-8"))
    assert doc["plan"]["issued_date"] is None
    invalid = [i for i in doc["issues"] if i["code"] == "INVALID_DATE"]
    assert invalid and BAD_DATE in invalid[0]["message"]
    plans = _rows(out, "plans")
    assert len(plans) == 4 and str(plans["issued_day"].dtype).startswith(("datetime64", "object"))
    import pyarrow.parquet as pq
    assert str(pq.read_schema(next((out / "parquet" / "plans.parquet").glob("*.parquet"))).field(
        "issued_day").type) == "date32[day]"
    assert audit(out) == []


def test_mixed_folder_every_path_reported_and_outputs_agree(tmp_path: Path) -> None:
    """The 'done when' run: an impossible date, a name that is not UTF-8, a FIFO, a stray JSON, a
    nested-frame DOCX, a corrupt PDF, unknown types and an empty folder next to good files."""
    inp = _three_plans(tmp_path / "in")
    (inp / "bad_date.txt").write_text(_plan_text(bad_date=True), "utf-8")
    odd_name = os.fsdecode(b"k\xe9 ho\xe1ch.txt")           # Latin-1 bytes: not valid UTF-8
    (inp / odd_name).write_text(_plan_text(DEV_IDS[1]), "utf-8")
    os.mkfifo(inp / "pipe.txt")
    (inp / "notes.json").write_text('{"note": 1}', "utf-8")
    _nested_frames_docx(inp / "framed.docx", depth=3)
    (inp / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (inp / "no-extension").write_text("x", "utf-8")
    (inp / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (inp / "empty").mkdir()
    out = tmp_path / "out"
    from ingest.cli import main
    code = main(["convert", str(inp), "--out", str(out), "--workers", "1", "-q"])
    assert code == 1                                 # the corrupt PDF failed, nothing else did
    report = json.loads((out / "report.json").read_text("utf-8"))
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    expected = {f"{d}.txt" for d in DEV_IDS} | {"bad_date.txt", "k\\xe9 ho\\xe1ch.txt", "pipe.txt",
                                                 "notes.json", "framed.docx", "broken.pdf",
                                                 "no-extension", "sheet.xlsx", "empty"}
    assert set(by_name) == expected
    assert by_name["pipe.txt"]["status"] == "skipped" and "FIFO" in by_name["pipe.txt"]["reason"]
    assert by_name["notes.json"]["status"] == "skipped" and "not a supported" in by_name["notes.json"]["reason"]
    assert by_name["empty"]["reason"] == "empty folder"
    assert by_name["broken.pdf"]["status"] == "error"
    assert by_name["framed.docx"]["status"] == "ok" and by_name["framed.docx"]["tasks"] == 3
    ok = [f for f in report["files"] if f["status"] == "ok"]
    assert len(ok) == 6 and len(list((out / "json").glob("*.json"))) == 6
    assert audit(out) == []
    assert len(_rows(out, "tasks")) == sum(f["tasks"] for f in ok)


def test_stray_json_in_outputs_and_forced_rebuild(tmp_path: Path) -> None:
    """A stray json/notes.json made the Parquet rebuild raise KeyError after deleting every part."""
    inp = _three_plans(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    (out / "json" / "notes.json").write_text('{"note": "not a plan"}', "utf-8")
    run_batch([str(inp)], out, 0, Limits(), force=True, progress=False)
    assert len(_rows(out, "plans")) == 3 and (out / "json" / "notes.json").exists()
    assert audit(out) == []


class _FullDisk:
    """Raise ENOSPC from the n-th staged write on (a disk that fills up mid-run)."""

    def __init__(self, monkeypatch, after: int, target: str = "ingest.transaction.write_file"):
        from ingest import transaction
        self.calls, self.after, self.real = 0, after, transaction.write_file

        def failing(path, raw, mode=None):
            self.calls += 1
            if self.calls > self.after:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.real(path, raw, mode)
        monkeypatch.setattr(transaction, "write_file", failing)


@pytest.mark.parametrize("after", [0, 2, 5])
def test_disk_full_leaves_previous_outputs_then_rerun_repairs(tmp_path: Path, monkeypatch, after: int) -> None:
    inp = _three_plans(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([str(inp / f"{DEV_IDS[0]}.txt")], out, 0, Limits(), progress=False)
    before = {p.name: p.read_bytes() for p in (out / "json").glob("*.json")}
    plans_before = len(_rows(out, "plans"))
    with monkeypatch.context() as patch:
        _FullDisk(patch, after)
        with pytest.raises(OutputError, match="disk is full"):
            run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert {p.name: p.read_bytes() for p in (out / "json").glob("*.json")} == before
    assert len(_rows(out, "plans")) == plans_before and audit(out) == []
    assert not (out / STAGING).exists()
    run_batch([str(inp)], out, 0, Limits(), progress=False)       # space freed: the rerun repairs
    assert len(_rows(out, "plans")) == 3 and len(_rows(out, "tasks")) == 38 + 36 + 42
    assert audit(out) == []


def test_disk_full_on_a_real_small_file_system(tmp_path: Path) -> None:
    """A 1 MB tmpfs as OUT (root only: skipped where mounting is not allowed)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        inp = _three_plans(tmp_path / "in")
        for copy in range(30):          # ~45 KB of JSON each: more than 1 MB
            shutil.copy(inp / f"{DEV_IDS[0]}.txt", inp / f"copy{copy:02d}.txt")
        out = mount / "out"
        with pytest.raises(OutputError, match="disk is full"):
            run_batch([str(inp)], out, 0, Limits(), progress=False)
        assert audit(out) == [] and not (out / STAGING).exists()
        for copy in range(30):
            (inp / f"copy{copy:02d}.txt").unlink()
        run_batch([str(inp)], out, 0, Limits(), progress=False)
        assert len(_rows(out, "plans")) == 3 and audit(out) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from ingest import batch, outputs, transaction
    stage = sys.argv[1]
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    if stage == "checkpointed":            # a commit after every file, then killed
        batch.CHECKPOINT_S = 0.0
        stage = "converting"
    if stage == "converting":              # after the second file was staged
        real_take = batch._take
        count = [0]
        def take(*args, **kwargs):
            real_take(*args, **kwargs)
            count[0] += 1
            if count[0] == 2:
                die()
        batch._take = take
    elif stage == "parquet":               # Parquet parts staged, journal not yet written
        real_update = outputs.ParquetParts.update
        def update(self, *args, **kwargs):
            real_update(self, *args, **kwargs)
            die()
        outputs.ParquetParts.update = update
    elif stage == "applying":              # journal written, half the files moved in
        real_replace = os.replace
        count = [0]
        def replace(src, dst):
            real_replace(src, dst)
            if "kehoach-tx" in str(src) and not str(dst).endswith(".tmp"):
                count[0] += 1
                if count[0] == 3:
                    die()
        transaction.os.replace = replace
    from ingest.pool import Limits
    batch.run_batch(sys.argv[2:-1], Path(sys.argv[-1]), 0, Limits(), progress=False)
""")


def _run_killed(tmp_path: Path, stage: str, inputs: list[str], out: Path) -> int:
    script = tmp_path / "killer.py"
    script.write_text(_KILLER.format(root=str(ROOT)), "utf-8")
    return subprocess.run([sys.executable, str(script), stage, *inputs, str(out)],
                          capture_output=True, timeout=300).returncode


@pytest.mark.parametrize("stage", ["converting", "parquet", "applying"])
def test_kill_between_stages_then_rerun(tmp_path: Path, stage: str) -> None:
    inp = _three_plans(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([str(inp / f"{DEV_IDS[0]}.txt")], out, 0, Limits(), progress=False)
    changed = inp / f"{DEV_IDS[0]}.txt"
    changed.write_text(changed.read_text("utf-8") + "\n", "utf-8")     # a changed plan too
    assert _run_killed(tmp_path, stage, [str(inp)], out) == -signal.SIGKILL
    # what a reader sees right after the kill: the old set, or (after the commit point) the
    # journal that the next run replays first
    assert audit(out) == [] or (out / STAGING / "COMMIT").exists()
    result = run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert result.recovered in ("finished", "discarded")
    assert audit(out) == []
    assert len(_rows(out, "plans")) == 3 and len(_rows(out, "tasks")) == 38 + 36 + 42
    assert len(list((out / "json").glob("*.json"))) == 3


def test_checkpoints_keep_the_work_done_before_a_kill(tmp_path: Path) -> None:
    """A long batch commits every CHECKPOINT_S: a kill -9 loses only the work since then."""
    inp = _three_plans(tmp_path / "in")
    out = tmp_path / "out"
    assert _run_killed(tmp_path, "checkpointed", [str(inp)], out) == -signal.SIGKILL
    assert audit(out) == []
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["summary"]["in_progress"] and len(report["files"]) == 3
    result = run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert sorted(o.status for o in result.outcomes) == ["ok", "ok", "skipped"]    # the first one kept
    assert len(_rows(out, "plans")) == 3 and audit(out) == []


def test_copies_in_two_folders_never_clobber_each_other(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for folder in (a, b):
        shutil.copy(DEV / f"{DEV_IDS[0]}.txt", folder / "plan.txt")
    out = tmp_path / "out"
    run_batch([str(a), str(b)], out, 0, Limits(), progress=False)
    edited = b / "plan.txt"
    edited.write_text(edited.read_text("utf-8").replace("Thường Xuân", "Thường Xuân ", 1), "utf-8")
    result = run_batch([str(a), str(b)], out, 0, Limits(), progress=False)
    statuses = {Path(o.path).parent.name: o.status for o in result.outcomes}
    assert statuses == {"a": "skipped", "b": "ok"}
    assert len(list((out / "json").glob("*.json"))) == 2       # a's plan kept, b's new one added
    assert len(_rows(out, "plans")) == 2 and audit(out) == []


def test_second_run_on_the_same_out_is_refused(tmp_path: Path) -> None:
    inp = _three_plans(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    with OutputLock(out):
        with pytest.raises(OutputBusyError, match=f"pid {os.getpid()}"):
            run_batch([str(inp)], out, 0, Limits(), progress=False)
        cli = subprocess.run([str(ROOT / ".venv" / "bin" / "kehoach"), "convert", str(inp), "--out", str(out)],
                             capture_output=True, text=True, timeout=120)
    assert cli.returncode == 4 and "another kehoach run" in cli.stderr and "Traceback" not in cli.stderr
    run_batch([str(inp)], out, 0, Limits(), progress=False)          # free again once released


def test_concurrent_runs_keep_every_entry(tmp_path: Path) -> None:
    """Two runs started together on one --out: one converts, the other is refused (or runs
    after); the state never loses the first run's entries."""
    first, second = _three_plans(tmp_path / "in1"), tmp_path / "in2"
    second.mkdir()
    shutil.copy(DEV / f"{DEV_IDS[1]}.docx", second / "other.docx")
    out = tmp_path / "out"
    kehoach = str(ROOT / ".venv" / "bin" / "kehoach")
    runs = [subprocess.Popen([kehoach, "convert", str(folder), "--out", str(out), "--workers", "0", "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for folder in (first, second)]
    codes = [run.wait(timeout=300) for run in runs]
    assert sorted(codes) in ([0, 0], [0, 4])
    if 4 in codes:      # the refused one, run again
        refused = (first, second)[codes.index(4)]
        assert subprocess.run([kehoach, "convert", str(refused), "--out", str(out), "--workers", "0", "-q"],
                              timeout=300).returncode == 0
    assert len(_rows(out, "plans")) == 4 and audit(out) == []


def test_fifo_named_on_the_command_line_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = run_batch([str(fifo)], tmp_path / "out", 1, Limits(timeout_s=60), progress=False)
    assert time.monotonic() - started < 30
    (outcome,) = result.outcomes
    assert outcome.status == "skipped" and "FIFO" in outcome.reason


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    inp = _three_plans(tmp_path / "in")
    old = os.umask(0o027)
    try:
        run_batch([str(inp)], tmp_path / "out", 0, Limits(), progress=False)
    finally:
        os.umask(old)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != ".kehoach-lock"]
    assert files and {oct(p.stat().st_mode & 0o777) for p in files} == {oct(0o640)}


def test_deleted_inputs_and_prune(tmp_path: Path) -> None:
    inp = _three_plans(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    (inp / f"{DEV_IDS[2]}.txt").unlink()                      # deleted: its outputs go
    result = run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert len(result.pruned) == 1 and len(_rows(out, "plans")) == 2
    assert len(list((out / "json").glob("*.json"))) == 2 and audit(out) == []
    run_batch([str(inp / f"{DEV_IDS[0]}.txt")], out, 0, Limits(), progress=False)
    assert len(_rows(out, "plans")) == 2                       # not given is not deleted …
    run_batch([str(inp / f"{DEV_IDS[0]}.txt")], out, 0, Limits(), progress=False, prune=True)
    assert len(_rows(out, "plans")) == 1 and audit(out) == []  # … unless --prune


def test_same_folder_by_another_path_is_not_reconverted(tmp_path: Path, monkeypatch) -> None:
    inp = _three_plans(tmp_path / "in")
    (tmp_path / "link").symlink_to(inp)
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    monkeypatch.chdir(tmp_path)
    for other in ("link", "in", "./in/"):
        result = run_batch([other], out, 0, Limits(), progress=False)
        assert {o.status for o in result.outcomes} == {"skipped"}, other
    # options are part of the key: other severities give other issues, so the files are converted
    result = run_batch([str(inp)], out, 0, Limits(severities=(("SEQ_GAP", "off"),)), progress=False)
    assert {o.status for o in result.outcomes} == {"ok"}


def test_analyst_tables_in_the_transactional_output_set(tmp_path: Path) -> None:
    """Merge of issues 14 and 16: the analyst columns (task_order, source_path relative to the
    input folder) are written by the transactional parts, and the reference tables are part of
    the output set the audit checks: a lost one is reported, and the next run restores it."""
    inp = _three_plans(tmp_path / "in")
    (inp / "sub").mkdir()
    shutil.move(inp / f"{DEV_IDS[2]}.txt", inp / "sub" / f"{DEV_IDS[2]}.txt")
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert audit(out) == []
    plans = _rows(out, "plans")
    assert sorted(plans["source_path"]) == sorted([f"{DEV_IDS[0]}.txt", f"{DEV_IDS[1]}.txt",
                                                   f"sub/{DEV_IDS[2]}.txt"])
    assert "task_order" in _rows(out, "tasks").columns
    assert len(pd.read_parquet(out / "parquet" / "departments.parquet")) > 0
    (out / "parquet" / "areas.parquet").unlink()
    assert any(p.startswith("areas:") for p in audit(out))
    result = run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert {o.status for o in result.outcomes} == {"skipped"} and audit(out) == []
    assert len(pd.read_parquet(out / "parquet" / "areas.parquet")) == 7
