"""The `kehoach` command line."""
from __future__ import annotations

import argparse
import json
import os
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


EXIT_USAGE = 2           # bad option, configuration or input set (argparse uses 2 too)
EXIT_OUTPUT = 3          # the output folder cannot be used or written (the old outputs are kept)
EXIT_BUSY = 4            # another run holds the output folder
EXIT_INTERRUPTED = 130   # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141   # 128 + SIGPIPE, as a tool killed by `| head` reports


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
    from ingest.batch import OutputError, default_workers, run_batch
    from ingest.inputs import display_path
    from ingest.transaction import OutputBusyError

    workers = default_workers() if args.workers is None else args.workers
    limits = _limits(args, args.max_memory or None)
    out = Path(args.out)
    if args.executor == "dask" and not args.scheduler:
        raise _UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        result = run_batch(args.paths, out, workers, limits, force=args.force, progress=not args.quiet,
                           scheduler=args.scheduler if args.executor == "dask" else None, prune=args.prune)
    except OutputBusyError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except OutputError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("kehoach: interrupted; the files converted so far are in the outputs, which are complete "
              "and consistent (rerun to convert the rest)", file=sys.stderr)
        return EXIT_INTERRUPTED
    summary = result.summary()
    if not args.quiet:
        print(f"kehoach {__version__}: {summary['files']} paths in {summary['seconds']} s: "
              f"{summary['ok']} converted, {summary['unchanged']} unchanged, "
              f"{summary['skipped'] - summary['unchanged']} skipped (not plan files), {summary['error']} failed")
        print(f"  {summary['tasks']} tasks, {summary['targets']} targets, {summary['issues']} issues "
              f"({summary['error_issues']} error-level)")
        if result.recovered:
            print(f"  an interrupted earlier run was {result.recovered} before this one")
        if result.pruned:
            print(f"  outputs of {len(result.pruned)} inputs that are gone were removed")
        for o in result.failed[:20]:
            print(f"  FAILED {display_path(o.path)}: {o.error}")
        if len(result.failed) > 20:
            print(f"  … and {len(result.failed) - 20} more (see report.json)")
        print(f"  outputs: {display_path(out / 'json')}, {display_path(out / 'parquet')}, "
              f"{display_path(out / 'report.json')}")
    return 1 if result.failed else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from ingest.inputs import collect_inputs, display_path
    from ingest.pool import run_pool
    from ingest.progress import Progress
    from ingest.validate_report import FORMATTERS

    limits = _limits(args, memory_mb=2048)
    inputs = collect_inputs(args.paths)
    paths = [i.path for i in inputs if i.reason is None]
    unreadable = [i for i in inputs if i.failed]
    if not paths and not unreadable:
        raise _UsageError("nothing to validate: no plan files (" + " ".join(sorted(SUPPORTED_SUFFIXES))
                          + ") in " + ", ".join(display_path(p) for p in args.paths))
    # on stderr (the report is on stdout); off a terminal only a long run's periodic lines, so
    # that a short run's stderr holds nothing but errors (`validate … | head` stays quiet)
    bar = Progress(len(paths), enabled=not args.quiet, final_line=False)
    outcomes = []
    try:
        for outcome in run_pool(paths, args.workers, limits):
            outcomes.append(outcome)
            bar.step(display_path(outcome.path))
    finally:
        bar.close()
    from ingest.convert import FileOutcome
    outcomes += [FileOutcome(path=i.path, status="error", error=i.reason) for i in unreadable]
    for outcome in outcomes:          # names that are not UTF-8 are printed escaped
        outcome.path = display_path(outcome.path)
    outcomes.sort(key=lambda o: o.path)
    sys.stdout.write(FORMATTERS[args.format](outcomes))
    sys.stdout.flush()
    if any(o.status == "error" for o in outcomes):
        return 2
    return 1 if any(o.errors for o in outcomes) else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from schema import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from ingest.evaluate import EvalInputError, evaluate

    try:
        metrics, per_doc = evaluate(Path(args.gold), Path(args.pred))
    except EvalInputError as exc:
        raise _UsageError(str(exc)) from None
    for source, line in sorted(per_doc.items()):
        print(f"  {source}: {line}")
    for key, value in metrics.items():
        print(f"{key:28s} {value}")
    below = []
    for spec in args.min:
        key, _, floor = spec.partition("=")
        if key not in metrics:
            raise _UsageError(f"--min {spec}: unknown metric {key!r} (known: {', '.join(metrics)})")
        try:
            value = float(floor)
        except ValueError:
            raise _UsageError(f"--min {spec}: the floor is not a number") from None
        if metrics[key] < value:
            below.append(f"{key}={metrics[key]} < {floor}")
    if below:
        print("BELOW FLOOR: " + "; ".join(below))
        return 1
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    from ingest.validation import DEFAULT_SEVERITY, RULE_DESCRIPTIONS

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
                                         "OUT/parquet/{plans,tasks,targets,responsibilities,issues}.parquet (datasets of parts), "
                                         "OUT/parquet/{departments,areas}.parquet and OUT/report.json. "
                                         "Unchanged files (same content and kehoach version) are skipped on a "
                                         "rerun. Exit status 1 when any file failed, 3 when the output folder "
                                         "cannot be used or written, 4 when another run holds it, 130 when "
                                         "interrupted.")
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
    convert.add_argument("--prune", action="store_true",
                         help="remove the outputs of inputs not given to this run (those of deleted "
                              "inputs are always removed)")
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
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kehoach: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`kehoach validate … | head`): stop quietly, as other tools do.
        # Later writes to stdout (at exit) go to /dev/null instead of raising again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
