"""The analyst commands (`export`, `review`) and the options every command shares (-v/-q)."""
from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from ingest.export import FORMATS

LOG_FORMAT = "kehoach: %(message)s"


def add_verbosity(parsers: Iterable[argparse.ArgumentParser]) -> None:
    """-v/--verbose and -q/--quiet on every command (a command that already has -q keeps its
    own help for it)."""
    for parser in parsers:
        known = {opt for action in parser._actions for opt in action.option_strings}
        if "-v" not in known:
            parser.add_argument("-v", "--verbose", action="count", default=0,
                                help="more messages (-vv: debugging detail)")
        if "-q" not in known:
            parser.add_argument("-q", "--quiet", action="store_true", help="errors only")


def configure_logging(args: argparse.Namespace) -> None:
    verbose, quiet = getattr(args, "verbose", 0), getattr(args, "quiet", False)
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)
    logging.getLogger("kehoach").setLevel(level)


def _cmd_export(args: argparse.Namespace) -> int:
    from ingest.export import ExportError, export

    try:
        written = export(args.out_dir, args.to, args.dest)
    except (ExportError, FileNotFoundError) as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        for path in written:
            print(path)
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from ingest.review import build_site

    started = time.monotonic()
    try:
        index = build_site(Path(args.out_dir), Path(args.dest) if args.dest else None,
                           source_roots=[Path(p) for p in args.sources])
    except FileNotFoundError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"kehoach: review site written in {time.monotonic() - started:.1f} s; open {index}")
    return 0


def add_analyst_commands(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write the tables as an xlsx workbook, CSV files or a DuckDB file",
                            description="Export the Parquet tables of a `convert` output folder: one "
                                        "workbook (a sheet per table, frozen header, filters on), one CSV "
                                        "per table (UTF-8 with BOM) or a DuckDB database.")
    export.add_argument("out_dir", metavar="OUT_DIR", help="output folder of `kehoach convert`")
    export.add_argument("--to", choices=FORMATS, required=True, help="xlsx, csv or duckdb")
    export.add_argument("--dest", help="where to write (default: OUT_DIR/kehoach.xlsx, OUT_DIR/csv/, "
                                       "OUT_DIR/kehoach.duckdb)")
    export.set_defaults(func=_cmd_export)

    review = sub.add_parser("review", help="build a static review site: every task beside its source",
                            description="Write OUT_DIR/review/index.html and one page per plan: metadata "
                                        "and issues, every task row beside its source (page image with the "
                                        "row's cells boxed for PDFs and scans, the source lines or row "
                                        "for text and DOCX), with filters. Opens from disk, no server.")
    review.add_argument("out_dir", metavar="OUT_DIR", help="output folder of `kehoach convert`")
    review.add_argument("--dest", help="site folder (default: OUT_DIR/review)")
    review.add_argument("--sources", nargs="*", default=[], metavar="DIR",
                        help="folders to look for source files in when they moved since `convert`")
    review.set_defaults(func=_cmd_review)
