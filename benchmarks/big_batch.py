"""A large real-like batch: ≥ 800 generated files in every supported format, with the faults
of a real archive mixed in, converted with 2 workers; wall time, peak memory, crashes.

    .venv/bin/python benchmarks/big_batch.py                    # 834 paths, 2 workers
    .venv/bin/python benchmarks/big_batch.py --keep /tmp/big    # keep the corpus and outputs

The corpus (deterministic for a seed): distinct .txt variants of the dev plans (a number of
their own on every paragraph and cell, benchmarks/distinct_txt.py), .md and layout-text
copies, byte-distinct .docx and text .pdf copies (benchmarks/run.py's copiers), the dev scans,
.doc/.odt/.rtf made from the dev .docx by LibreOffice, and faults: plans with impossible
issue dates, names that are not UTF-8, FIFOs, stray JSON, spreadsheets, files with no
extension, nested-frame DOCX, corrupt PDFs, empty folders. Memory is sampled from /proc
every 0.25 s over the batch process, its workers and every helper in their sessions
(LibreOffice, Tesseract): the peak of the sum and the peak of one process. A crash of the
batch is a run that ends without report.json, with a traceback, or with an exit status other
than 0/1. Writes benchmarks/results-big-batch.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "dev"
SHARED_DEV = Path("/work/shared/corpus/dev")
DEV_IDS = ["000_d2de27e494264d19", "002_f6f77b1eeffe7669", "003_af92c9f39506e254"]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

KEHOACH = str(REPO / ".venv" / "bin" / "kehoach")
COUNTS = {"txt": 250, "md": 60, "layout": 60, "docx": 250, "pdf": 150, "legacy_each": 10}
SAMPLE_S = 0.25


def _scan_source(doc_id: str) -> Path | None:
    for folder in (DEV, SHARED_DEV):
        if (folder / f"{doc_id}.scan.pdf").exists():
            return folder / f"{doc_id}.scan.pdf"
    return None


def build(root: Path, seed: int) -> dict:
    from distinct_txt import variant
    from run import copy_docx, copy_layout, copy_pdf, copy_txt
    from test_batch_faults import _nested_frames_docx, _plan_text

    rnd = random.Random(seed)
    made: dict[str, int] = {}

    def put(group: str, name: str, data: bytes) -> None:
        folder = root / group
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        made[group] = made.get(group, 0) + 1

    for k in range(COUNTS["txt"]):
        doc_id = DEV_IDS[k % 3]
        put("txt", f"{doc_id}-v{k:03d}.txt", variant((DEV / f"{doc_id}.txt").read_text("utf-8"),
                                                     rnd.randrange(10 ** 9)).encode())
    crawl = SHARED_DEV / "crawl"
    for k in range(COUNTS["md"]):
        doc_id = DEV_IDS[k % 3]
        source = crawl / f"{doc_id}.md" if (crawl / f"{doc_id}.md").exists() else DEV / f"{doc_id}.txt"
        put("md", f"{doc_id}-c{k:03d}.md", copy_txt(source.read_bytes(), k + 1))
    for k in range(COUNTS["layout"]):
        doc_id = DEV_IDS[k % 3]
        put("layout", f"{doc_id}-c{k:03d}.layout.txt", copy_layout((DEV / f"{doc_id}.layout.txt").read_bytes(), k))
    for k in range(COUNTS["docx"]):
        doc_id = DEV_IDS[k % 3]
        put("docx", f"{doc_id}-c{k:03d}.docx", copy_docx((DEV / f"{doc_id}.docx").read_bytes(), k + 1))
    for k in range(COUNTS["pdf"]):
        doc_id = DEV_IDS[k % 3]
        put("pdf", f"{doc_id}-c{k:03d}.pdf", copy_pdf((DEV / f"{doc_id}.pdf").read_bytes(), k + 1))
    for doc_id in DEV_IDS:                   # scans: the originals and one copy each
        source = _scan_source(doc_id)
        if source:
            put("scan", f"{doc_id}.scan.pdf", source.read_bytes())
            put("scan", f"{doc_id}-c1.scan.pdf", copy_pdf(source.read_bytes(), 1))
    legacy = root / ".legacy-work"
    legacy.mkdir()
    for fmt in ("doc", "odt", "rtf"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{legacy}/profile", "--headless",
                        "--convert-to", fmt, "--outdir", str(legacy / fmt)]
                       + [str(DEV / f"{d}.docx") for d in DEV_IDS], capture_output=True, timeout=600)
        for k in range(COUNTS["legacy_each"]):
            doc_id = DEV_IDS[k % 3]
            data = (legacy / fmt / f"{doc_id}.{fmt}").read_bytes()
            # byte-distinct copies: bytes after the end of the document are ignored by readers
            put("legacy", f"{doc_id}-c{k:03d}.{fmt}", data + b"\n" * (k + 1) if fmt == "rtf" else
                data + b"\0" * (k + 1))
    shutil.rmtree(legacy)
    faults = root / "faults"
    faults.mkdir()
    for k in range(10):
        text = _plan_text(DEV_IDS[0], bad_date=True).replace("Thường Xuân", f"Thường Xuân {k}", 1)
        (faults / f"bad_date_{k}.txt").write_text(text, "utf-8")
    for k in range(3):
        (faults / os.fsdecode(b"k\xe9 ho\xe1ch %d.txt" % k)).write_text(_plan_text(DEV_IDS[1]) + f"\n{k}\n", "utf-8")
    for k in range(2):
        os.mkfifo(faults / f"pipe{k}.txt")
    (faults / "notes.json").write_text('{"note": 1}', "utf-8")
    (faults / "budget.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    (faults / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (faults / "no-extension").write_text("x", "utf-8")
    (faults / "README").write_text("x", "utf-8")
    for k, depth in enumerate((2, 6, 14)):
        _nested_frames_docx(faults / f"framed{k}.docx", depth)
    for k in range(3):
        (faults / f"corrupt{k}.pdf").write_bytes(b"%PDF-1.4\n" + bytes(rnd.randrange(256) for _ in range(500)))
    (faults / "empty1").mkdir()
    (faults / "empty2" / "deeper").mkdir(parents=True)
    made["faults"] = sum(1 for _ in faults.rglob("*"))
    return made


def _sessions_rss(root_pid: int) -> tuple[int, int]:
    """(sum, max) of VmRSS in kB over root_pid, its descendants and their sessions' members."""
    stats: dict[int, tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()
            stats[int(name)] = (int(fields[1]), int(fields[3]))       # ppid, session
        except (OSError, IndexError, ValueError):
            continue
    family = {root_pid}
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _) in stats.items():
            if ppid in family and pid not in family:
                family.add(pid)
                changed = True
    family |= {pid for pid, (_, sid) in stats.items() if sid in family}
    total = peak = 0
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    total += rss
                    peak = max(peak, rss)
        except (OSError, ValueError):
            continue
    return total, peak


def convert(root: Path, out: Path, workers: int) -> dict:
    started = time.monotonic()
    process = subprocess.Popen([KEHOACH, "convert", str(root), "--out", str(out), "--workers", str(workers),
                                "--timeout", "600", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"sum_kb": 0, "one_kb": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, one = _sessions_rss(process.pid)
            peaks["sum_kb"] = max(peaks["sum_kb"], total)
            peaks["one_kb"] = max(peaks["one_kb"], one)
            done.wait(SAMPLE_S)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    wall = time.monotonic() - started
    report_path = out / "report.json"
    report = json.loads(report_path.read_text("utf-8")) if report_path.exists() else None
    crashed = report is None or "Traceback" in stderr or process.returncode not in (0, 1)
    return {"wall_s": round(wall, 1), "exit": process.returncode, "crashed": crashed,
            "stderr": stderr.strip()[-500:], "peak_rss_sum_mb": round(peaks["sum_kb"] / 1024, 1),
            "peak_rss_one_process_mb": round(peaks["one_kb"] / 1024, 1),
            "summary": report["summary"] if report else None,
            "errors": sorted({f["error"][:90] for f in report["files"] if f["status"] == "error"}) if report else None,
            "skipped_reasons": sorted({(f.get("reason") or "")[:60] for f in report["files"]
                                       if f["status"] == "skipped"}) if report else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", help="build into this folder and keep it")
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results-big-batch.json"))
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kehoach-big-"))
    corpus, out = work / "corpus", work / "out"
    if not corpus.exists():
        built = build(corpus, args.seed)
    else:
        built = {"reused": str(corpus)}
    paths = sum(1 for _ in corpus.rglob("*") if not _.is_dir() or not any(_.iterdir()))
    print(f"corpus: {built} ({paths} paths)")
    first = convert(corpus, out, args.workers)
    print(json.dumps(first, ensure_ascii=False, indent=1))
    from ingest.audit import audit
    rerun = convert(corpus, out, args.workers)          # unchanged: everything skipped
    result = {"paths": paths, "built": built, "workers": args.workers, "first_run": first,
              "audit_after_first": audit(out), "unchanged_rerun": {k: rerun[k] for k in ("wall_s", "exit", "crashed")}
              | {"summary": rerun["summary"]}}
    print(json.dumps(result["unchanged_rerun"], indent=1))
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if first["crashed"] or rerun["crashed"] else 0


if __name__ == "__main__":
    sys.exit(main())
