"""Flattened-text files per second per worker (issue 13, point 4: at least 20 on the dev renditions).

    .venv/bin/python benchmarks/flattext_speed.py                 # every set below, 1 worker
    .venv/bin/python benchmarks/flattext_speed.py --sets dev-pdfminer crawl --keep /tmp/fs

Each set is copied to a folder of its own and converted by `kehoach convert DIR --out OUT
--workers 1 -q --force`; files/s per worker = files / sum of the per-file `seconds` of
report.json (the worker's own timer: no start-up, no warm-up). The sets: the dev plans as the
text of each of the 8 tools (`../shared/corpus/dev/pdftext/<id>.<tool>.txt`), the dev crawls and
.txt originals, and the held-out renditions of tests/data/heldout and tests/data/synth. The
pdfplumber renditions are read by the old parsers/text/layout_* path as well as the new one. On a
shared machine the figures move by ±30 %: compare runs made one after the other, and keep the
`--keep` folders to `diff -r` their json/ against another code version's.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "corpus" / "dev"
TOOLS = ("pdfminer", "pymupdf", "pypdf", "pdfium", "pdfplumber", "pdftotext", "pdftotext-raw", "pdftotext-layout")


def sets() -> dict[str, list[Path]]:
    heldout = REPO / "tests" / "data" / "heldout"
    found: dict[str, list[Path]] = {}
    for tool in TOOLS:
        found[f"dev-{tool}"] = sorted((DEV / "pdftext").glob(f"*.{tool}.txt"))
    found["dev-crawl"] = sorted((DEV / "crawl").glob("*.md"))
    found["dev-txt"] = sorted(p for p in DEV.glob("*.txt") if not p.name.endswith(".layout.txt"))
    for tool in TOOLS:
        found[f"heldout-{tool}"] = sorted((heldout / "pdftext").glob(f"*.{tool}.txt"))
    found["heldout-crawl"] = sorted((heldout / "crawl").glob("*.md"))
    found["heldout-txt"] = sorted(heldout.glob("*.txt")) + sorted(
        p for p in (REPO / "tests" / "data" / "synth").glob("*.txt") if not p.name.endswith(".layout.txt"))
    return {name: files for name, files in found.items() if files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", help="set names (default: all)")
    parser.add_argument("--keep", help="work folder to keep (inputs and outputs per set)")
    args = parser.parse_args(argv)
    available = sets()
    chosen = args.sets or list(available)
    work = Path(args.keep or tempfile.mkdtemp(prefix="kehoach-flattext-speed-"))
    kehoach = Path(sys.executable).parent / "kehoach"
    total_files, total_seconds = 0, 0.0
    try:
        for name in chosen:
            src, out = work / name / "in", work / name / "out"
            shutil.rmtree(src, ignore_errors=True)
            src.mkdir(parents=True)
            for path in available[name]:
                shutil.copy2(path, src / path.name)
            subprocess.run([str(kehoach), "convert", str(src), "--out", str(out), "--workers", "1", "-q", "--force"],
                           check=False)
            files = json.loads((out / "report.json").read_text("utf-8"))["files"]
            seconds = sum(f["seconds"] or 0.0 for f in files)
            failed = sum(f["status"] != "ok" for f in files)
            if name.startswith("dev-"):
                total_files, total_seconds = total_files + len(files), total_seconds + seconds
            print(f"{name:26s} {len(files):3d} files  {seconds:7.2f} s  {len(files) / seconds if seconds else 0:7.2f} files/s"
                  + (f"  {failed} failed" if failed else ""), flush=True)
        if total_seconds:
            print(f"{'dev sets together':26s} {total_files:3d} files  {total_seconds:7.2f} s  "
                  f"{total_files / total_seconds:7.2f} files/s")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
