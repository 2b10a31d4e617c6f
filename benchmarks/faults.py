"""Kill a batch at a random moment, rerun it, and check that the outputs never disagree.

    .venv/bin/python benchmarks/faults.py                  # 20 rounds, 2 workers
    .venv/bin/python benchmarks/faults.py --rounds 5 --seed 7

Every fourth round is killed instead the moment its commit journal appears (during the
renames), which a random moment almost never hits. The input folder mixes good plans (.txt, .docx, .pdf of the dev set) with the faults of
issue 14: an impossible issue date, a name that is not UTF-8, a FIFO, a stray JSON, a DOCX
with nested frames, a corrupt PDF, unknown types, an empty folder. Each round first changes
the inputs (edits one plan, deletes one, adds one back), starts `kehoach convert --workers 2`,
sends SIGKILL to the batch process at a random moment of a full run's duration, and checks
the output folder as a reader finds it (ingest.audit: state, JSON and every Parquet table
agree; an interrupted commit is allowed only while its journal is there to be replayed). Then
it reruns to the end and checks again: the rerun must repair everything and convert every
file. Writes benchmarks/results-faults.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "dev"
DEV_IDS = ["000_d2de27e494264d19", "002_f6f77b1eeffe7669", "003_af92c9f39506e254"]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from ingest.audit import audit  # noqa: E402
from ingest.transaction import JOURNAL, STAGING  # noqa: E402

KEHOACH = str(REPO / ".venv" / "bin" / "kehoach")
ORPHAN_WAIT_S = 60     # a killed batch's workers finish their file, then exit: wait this long at most


def build_inputs(folder: Path) -> None:
    from test_batch_faults import _nested_frames_docx, _plan_text

    folder.mkdir(parents=True)
    for doc_id in DEV_IDS:
        for suffix in (".txt", ".docx", ".pdf"):
            shutil.copy(DEV / f"{doc_id}{suffix}", folder / f"{doc_id}{suffix}")
    (folder / "bad_date.txt").write_text(_plan_text(bad_date=True), "utf-8")
    (folder / os.fsdecode(b"k\xe9 ho\xe1ch.txt")).write_text(_plan_text(DEV_IDS[1]), "utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "notes.json").write_text('{"note": 1}', "utf-8")
    _nested_frames_docx(folder / "framed.docx", depth=4)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (folder / "no-extension").write_text("x", "utf-8")
    (folder / "empty").mkdir()


def mutate(folder: Path, rnd: random.Random, round_no: int) -> str:
    """One change per round, so that every rerun has work to do."""
    plans = sorted(p for p in folder.glob("0*.txt"))
    choice = rnd.choice(["edit", "delete", "add"])
    if choice == "delete" and len(plans) > 1:
        rnd.choice(plans).unlink()
        return "delete"
    if choice == "add" or not plans:
        doc_id = rnd.choice(DEV_IDS)
        shutil.copy(DEV / f"{doc_id}.txt", folder / f"{doc_id}.txt")
        shutil.copy(DEV / f"{doc_id}.txt", folder / f"extra{round_no:02d}.txt")
        return "add"
    victim = rnd.choice(plans)
    victim.write_text(victim.read_text("utf-8") + f"\n<!-- round {round_no} -->\n", "utf-8")
    return "edit"


def run(folder: Path, out: Path, extra: list[str] = ()) -> subprocess.Popen:
    return subprocess.Popen([KEHOACH, "convert", str(folder), "--out", str(out), "--workers", "2", "-q",
                             "--timeout", "120", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def orphans_gone(pids_before: set[int]) -> bool:
    """No kehoach worker of the killed batch still running after ORPHAN_WAIT_S."""
    deadline = time.monotonic() + ORPHAN_WAIT_S
    while time.monotonic() < deadline:
        if not [p for p in _worker_pids() if p not in pids_before]:
            return True
        time.sleep(0.5)
    return False


def _worker_pids() -> set[int]:
    found = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
            except OSError:
                continue
            if str(REPO).encode() in cmdline and b"forkserver" in cmdline:
                found.add(int(name))
    return found


def _kill_at_commit_point(process: subprocess.Popen, out: Path, limit_s: float) -> float:
    """Poll for the journal (written just before the renames) and kill as soon as it shows:
    the moment a random kill almost never hits (the renames take milliseconds)."""
    started = time.monotonic()
    journal = out / STAGING / JOURNAL
    while time.monotonic() - started < limit_s and process.poll() is None:
        if journal.exists():
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.0005)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results-faults.json"))
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kehoach-faults-"))
    folder, out = work / "in", work / "out"
    build_inputs(folder)
    started = time.monotonic()
    first = run(folder, out)
    first.wait()
    full_s = time.monotonic() - started
    print(f"full run: {full_s:.1f} s, exit {first.returncode}, audit {audit(out) or 'ok'}")
    rounds = []
    before = _worker_pids()
    for round_no in range(1, args.rounds + 1):
        change = mutate(folder, rnd, round_no)
        force = rnd.random() < 0.25           # some rounds rebuild everything (--force)
        targeted = round_no % 4 == 0       # every 4th round: killed at its commit point
        delay = rnd.uniform(0.2, full_s * 1.1)
        process = run(folder, out, ["--force"] if force else [])
        if targeted:
            delay = _kill_at_commit_point(process, out, full_s * 3)
        else:
            time.sleep(delay)
        finished_before_kill = process.poll() is not None
        if not finished_before_kill:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        after_kill = audit(out)
        reader_view = audit(out, as_reader=True)      # before the next run finishes the commit
        journal = (out / STAGING / JOURNAL).exists()
        staged = (out / STAGING).exists()
        orphans_ok = orphans_gone(before)
        rerun = run(folder, out)
        _, stderr = rerun.communicate(timeout=900)
        report = json.loads((out / "report.json").read_text("utf-8"))
        statuses = {f["status"] for f in report["files"]}
        after_rerun = audit(out)
        inputs = len(list(folder.iterdir()))
        record = {"round": round_no, "change": change, "force": force, "targeted": targeted,
                  "kill_after_s": round(delay, 2),
                  "finished_before_kill": finished_before_kill, "staging_left": staged,
                  "journal_left": journal, "consistent_after_kill": not after_kill or journal,
                  "problems_after_kill": after_kill, "reader_view_problems": reader_view,
                  "workers_exited": orphans_ok,
                  "rerun_exit": rerun.returncode, "rerun_stderr": stderr.strip()[:200],
                  "consistent_after_rerun": not after_rerun, "problems_after_rerun": after_rerun,
                  "report_entries": len(report["files"]), "input_paths": inputs,
                  "rerun_statuses": sorted(statuses)}
        rounds.append(record)
        print(f"round {round_no:2d}: {change:6s} force={force!s:5s} kill at {delay:5.1f} s "
              f"{'(already done)' if finished_before_kill else ''} staging={staged} journal={journal} "
              f"after kill: {'ok' if record['consistent_after_kill'] else after_kill} | rerun exit "
              f"{rerun.returncode}: {'ok' if not after_rerun else after_rerun}, "
              f"{len(report['files'])} entries for {inputs} paths")
    summary = {"rounds": len(rounds), "full_run_s": round(full_s, 1),
               "killed_mid_run": sum(not r["finished_before_kill"] for r in rounds),
               "killed_after_commit_point": sum(r["journal_left"] for r in rounds),
               "inconsistent_after_kill": sum(not r["consistent_after_kill"] for r in rounds),
               "reader_saw_partial_commit": sum(bool(r["reader_view_problems"]) for r in rounds),
               "inconsistent_after_rerun": sum(not r["consistent_after_rerun"] for r in rounds),
               "rerun_exit_codes": sorted({r["rerun_exit"] for r in rounds}),
               "reports_missing_paths": sum(r["report_entries"] < r["input_paths"] for r in rounds),
               "workers_left_running": sum(not r["workers_exited"] for r in rounds)}
    print(json.dumps(summary, indent=1))
    Path(args.out).write_text(json.dumps({"summary": summary, "rounds": rounds}, ensure_ascii=False, indent=1)
                              + "\n", "utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if not summary["inconsistent_after_kill"] and not summary["inconsistent_after_rerun"] else 1


if __name__ == "__main__":
    sys.exit(main())
