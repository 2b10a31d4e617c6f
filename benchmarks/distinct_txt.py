"""Throughput on .txt plans that kehoach has never seen: a capacity figure for real batches.

    .venv/bin/python benchmarks/distinct_txt.py              # 60 variants, 1 worker
    .venv/bin/python benchmarks/distinct_txt.py --files 120 --workers 2

`benchmarks/run.py` replicates the dev plans (as the throughput issue asks), so every copy's
paragraphs and cells are ones the worker has already normalised: its memo caches (deadlines,
unit names, products, targets, cleaned text) all hit. A province's real batch is mostly new
text. Here each variant of a dev .txt plan gets a different number appended to every paragraph
and every non-numeric table cell, so no paragraph or cell repeats between variants: the caches
miss and unit cells take the fuzzy-matching path (the numbers are not part of any unit name),
which makes this a pessimistic figure. Reported like run.py: files / sum of the per-file
seconds in report.json (docs/s per worker), and the median.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "dev"


def variant(text: str, seed: int) -> str:
    """The plan with a number of its own appended to each paragraph and non-numeric cell."""
    rnd = random.Random(seed)
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            line = "\t".join(f"{c} {rnd.randrange(10 ** 6)}" if c.strip() and not c.strip().rstrip(".").isdigit()
                             else c for c in line.split("\t"))
        elif len(line.strip()) > 20:
            line = f"{line} {rnd.randrange(10 ** 6)}"
        out.append(line)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=60, help="variants to convert (60)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    originals = sorted(p for p in DEV.glob("*.txt") if not p.name.endswith(".layout.txt"))
    if not originals:
        print("no dev .txt plans in tests/data/dev", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kehoach-distinct-") as work:
        corpus, out = Path(work) / "corpus", Path(work) / "out"
        corpus.mkdir()
        for k in range(args.files):
            source = originals[k % len(originals)]
            (corpus / f"{source.stem}-v{k:03d}.txt").write_text(variant(source.read_text("utf-8"), k), "utf-8")
        done = subprocess.run([sys.executable, "-m", "ingest.cli", "convert", str(corpus), "--out", str(out),
                               "--workers", str(args.workers), "-q"], cwd=REPO, check=False)
        report = json.loads((out / "report.json").read_text("utf-8"))
    seconds = [f["seconds"] for f in report["files"] if f["status"] == "ok"]
    failed = len(report["files"]) - len(seconds)
    if not seconds:
        print(f"no file converted (exit {done.returncode})", file=sys.stderr)
        return 1
    print(f"{len(seconds)} never-seen .txt plans, {args.workers} worker(s): "
          f"{len(seconds) / sum(seconds):.1f} docs/s per worker (files / sum of per-file s), "
          f"median {statistics.median(seconds) * 1000:.1f} ms" + (f"; {failed} failed" if failed else ""))
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
