"""Profile kehoach's per-file conversion (cProfile), in process, after a warm-up.

    .venv/bin/python benchmarks/profile_convert.py                      # dev .docx and .txt files
    .venv/bin/python benchmarks/profile_convert.py tests/data/dev/*.pdf --repeat 3 --top 30
    .venv/bin/python benchmarks/profile_convert.py --sort tottime --out /tmp/convert.prof

Every file is converted once untimed (imports, spaCy load, caches), then `--repeat` times under
cProfile with `ingest.convert.convert_file` (what a worker runs for one file). Prints the top
functions by cumulative and by own time, and the share of time per top-level module. For a
sampling profile of a whole batch instead: `py-spy record -o prof.svg --subprocesses --
.venv/bin/kehoach convert tests/data/dev --out /tmp/o --workers 1 --force -q`.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="files (default: tests/data/dev/*.docx and *.txt)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--out", help="write the raw profile here (for snakeviz / pstats)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from ingest.convert import convert_file

    files = [Path(f) for f in args.files] or sorted(
        p for p in (REPO / "tests" / "data" / "dev").iterdir() if p.suffix in (".docx", ".txt"))
    for f in files:   # warm-up: imports, spaCy pipeline, regex and vocabulary caches
        convert_file(str(f))
    per_file: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        for f in files:
            outcome = convert_file(str(f))
            per_file[f.name].append(outcome.seconds)
    profiler.disable()
    total = time.perf_counter() - started
    print(f"{len(files)} files x {args.repeat}: {total:.2f} s under cProfile "
          f"(profiling adds overhead; compare shares, not absolute times)")
    for name, secs in per_file.items():
        print(f"  {name:40s} {min(secs):.3f} s (min of {len(secs)})")
    stats = pstats.Stats(profiler)
    if args.out:
        stats.dump_stats(args.out)
    for key in ("cumulative", "tottime") if args.sort == "cumulative" else ("tottime",):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(key).print_stats(args.top)
        print(f"\n=== top {args.top} by {key} ===")
        print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[-(args.top + 3) * 200:])
    # own time per package/module: where the time really goes
    own: dict[str, float] = defaultdict(float)
    for (filename, _line, _func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.replace("\\", "/")
        if "/site-packages/" in path:
            module = path.split("/site-packages/")[1].split("/")[0]
        elif str(REPO) in path:
            module = str(Path(path).relative_to(REPO))
        elif path == "~":
            module = "builtins (C methods: re, str, dict, hash, ...; attributed to callers above)"
        elif path.startswith("<"):
            module = path
        else:
            module = "stdlib:" + Path(path).name
        own[module] += tt
    whole = sum(own.values()) or 1.0
    print("\n=== own time by module ===")
    for module, tt in sorted(own.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {100 * tt / whole:5.1f}%  {tt:7.3f} s  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
