"""The `kehoach` command line."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest import __version__
from ingest.cli_commands import add_analyst_commands, add_verbosity, configure_logging
from ingest.detect import SUPPORTED_SUFFIXES

EPILOG = """examples:
  kehoach convert data/raw --out data/out          convert every plan under data/raw
  kehoach convert a.docx b.pdf --out out --workers 2
  kehoach validate new_plan.docx --format junit > report.xml
  kehoach eval --gold gold/ --pred data/out/json --min tasks.recall=0.98
  kehoach schema > plan.schema.json
  kehoach export data/out --to xlsx                 tables as one workbook (also csv, duckdb)
  kehoach review data/out                           static review site: data/out/review/index.html
"""


class _UsageError(Exception):
    """A bad option or configuration: reported on stderr, exit status 2."""


def _limits(args: argparse.Namespace, memory_mb: int | None):
    """Per-file limits and rule severities (from --config, else kehoach.toml / pyproject.toml)."""
    from ingest.config import ConfigError, find_config, load_severities
    from ingest.pool import Limits

    try:
        severities = load_severities(Path(args.config) if args.config else find_config(Path.cwd()))
    except ConfigError as exc:
        raise _UsageError(f"configuration error: {exc}") from exc
    return Limits(timeout_s=args.timeout, memory_mb=memory_mb, password=args.password,
                  severities=tuple(sorted(severities.items())))


def _cmd_convert(args: argparse.Namespace) -> int:
    from ingest.batch import default_workers, run_batch

    workers = default_workers() if args.workers is None else args.workers
    limits = _limits(args, args.max_memory or None)
    out = Path(args.out)
    try:
        if args.executor == "dask" and not args.scheduler:
            raise _UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
        result = run_batch(args.paths, out, workers, limits, force=args.force, progress=not args.quiet,
                           scheduler=args.scheduler if args.executor == "dask" else None)
    except KeyboardInterrupt:
        print("kehoach: interrupted; outputs written so far are complete (no partial files)", file=sys.stderr)
        return 130
    summary = result.summary()
    if not args.quiet:
        print(f"kehoach {__version__}: {summary['files']} files in {summary['seconds']} s: "
              f"{summary['ok']} converted, {summary['skipped']} unchanged (skipped), {summary['error']} failed")
        print(f"  {summary['tasks']} tasks, {summary['targets']} targets, {summary['issues']} issues "
              f"({summary['error_issues']} error-level)")
        for o in result.failed[:20]:
            print(f"  FAILED {o.path}: {o.error}")
        if len(result.failed) > 20:
            print(f"  … and {len(result.failed) - 20} more (see report.json)")
        print(f"  outputs: {out / 'json'}, {out / 'parquet'}, {out / 'report.json'}")
    return 1 if result.failed else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from ingest.batch import discover
    from ingest.pool import run_pool
    from ingest.progress import Progress
    from ingest.validate_report import FORMATTERS

    limits = _limits(args, memory_mb=2048)
    paths = [str(p) for p in discover(args.paths)]
    bar = Progress(len(paths), enabled=not args.quiet)     # on stderr: the report is on stdout
    outcomes = []
    for outcome in run_pool(paths, args.workers, limits):
        outcomes.append(outcome)
        bar.step(outcome.path)
    bar.close()
    outcomes.sort(key=lambda o: o.path)
    sys.stdout.write(FORMATTERS[args.format](outcomes))
    if any(o.status == "error" for o in outcomes):
        return 2
    return 1 if any(o.errors for o in outcomes) else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from schema import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from ingest.evaluate import evaluate

    metrics, per_doc = evaluate(Path(args.gold), Path(args.pred))
    for source, line in sorted(per_doc.items()):
        print(f"  {source}: {line}")
    for key, value in metrics.items():
        print(f"{key:28s} {value}")
    below = []
    for spec in args.min:
        key, _, floor = spec.partition("=")
        if metrics.get(key, 0.0) < float(floor):
            below.append(f"{key}={metrics.get(key)} < {floor}")
    if below:
        print("BELOW FLOOR: " + "; ".join(below))
        return 1
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    from normalize.validation import DEFAULT_SEVERITY, RULE_DESCRIPTIONS

    for code in sorted(DEFAULT_SEVERITY):
        print(f"{code:26s} {DEFAULT_SEVERITY[code]:8s} {RULE_DESCRIPTIONS.get(code, '')}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehoach", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Turn Vietnamese plan documents (Kế hoạch …/KH-UBND: .docx, .pdf, .txt, .md) "
                    "into validated JSON and Parquet (data contract v1).")
    parser.add_argument("--version", action="version", version=f"kehoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    convert = sub.add_parser("convert", help="convert files or folders (recursive) to JSON + Parquet",
                             description="Convert plan documents. Writes OUT/json/<plan_id>.json, "
                                         "OUT/parquet/{plans,tasks,targets,issues}.parquet and OUT/report.json. "
                                         "Unchanged files (same content and kehoach version) are skipped on a "
                                         "rerun. Exit status 1 when any file failed.")
    convert.add_argument("paths", nargs="+", help="files or folders (searched recursively for "
                         + " ".join(sorted(SUPPORTED_SUFFIXES)) + "; the format is told from the content)")
    convert.add_argument("--out", required=True, help="output folder")
    convert.add_argument("--workers", type=int, default=None,
                         help="worker processes (default: CPU count; 0 = in-process, no guards)")
    convert.add_argument("--timeout", type=float, default=300.0, help="per-file time limit in seconds (300)")
    convert.add_argument("--max-memory", type=int, default=2048, help="per-worker memory cap in MB (2048; 0 = none)")
    convert.add_argument("--password", help="password for encrypted PDFs")
    convert.add_argument("--config", help="severity config (kehoach.toml or pyproject.toml)")
    convert.add_argument("--force", action="store_true", help="reconvert every file, ignoring the previous run")
    convert.add_argument("--executor", choices=["local", "dask"], default="local",
                         help="where files are converted: local worker processes (default) or a Dask cluster")
    convert.add_argument("--scheduler", help="Dask scheduler address for --executor dask (tcp://host:8786)")
    convert.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    convert.set_defaults(func=_cmd_convert)

    validate = sub.add_parser("validate", help="check documents against the contract's rules (for CI)",
                              description="Run the pipeline and the validation rules. Exit 0 when every file "
                                          "is valid, 1 when any has an error-level issue, 2 when a file cannot "
                                          "be read. See `kehoach rules` for the rule list.")
    validate.add_argument("paths", nargs="+", help="plan files to check")
    validate.add_argument("--format", choices=["text", "json", "junit", "github"], default="text",
                          help="report format: text (default), json, junit (XML) or github (annotations)")
    validate.add_argument("--config", help="severity config (kehoach.toml or pyproject.toml)")
    validate.add_argument("--password", help="password for encrypted PDFs")
    validate.add_argument("--timeout", type=float, default=300.0, help="per-file time limit in seconds (300)")
    validate.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    validate.set_defaults(func=_cmd_validate)

    rules = sub.add_parser("rules", help="list validation rules and default severities")
    rules.set_defaults(func=_cmd_rules)

    schema = sub.add_parser("schema", help="print the JSON Schema of the output (contract v1)")
    schema.set_defaults(func=_cmd_schema)

    evaluate = sub.add_parser("eval", help="score predictions against gold JSON (precision/recall per field)")
    evaluate.add_argument("--gold", required=True, help="folder of gold JSON documents")
    evaluate.add_argument("--pred", required=True, help="folder of predicted JSON documents (OUT/json)")
    evaluate.add_argument("--min", nargs="*", default=[], help="floors, e.g. tasks.recall=0.95")
    evaluate.set_defaults(func=_cmd_eval)
    add_analyst_commands(sub)
    add_verbosity(sub.choices.values())
    return parser


def main(argv: list[str] | None = None) -> int:
    import logging
    import signal

    logging.getLogger("pdfminer").setLevel(logging.ERROR)   # damaged PDFs are reported per file
    # `kill` (SIGTERM) stops a batch like Ctrl-C: outputs of the files done so far are written.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:          # `kehoach` alone: the commands and examples
        parser.print_help()
        return 0
    configure_logging(args)
    try:
        return args.func(args)
    except _UsageError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
