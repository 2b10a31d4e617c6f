"""A conversion batch: account for every input, skip unchanged ones, convert in workers, and
make the whole output set (JSON, Parquet, state, report) visible together.

Whatever the inputs, a batch ends with a report entry for every path it was given or found
and outputs that agree with each other: a plan is in the Parquet tables exactly when its JSON
is in OUT/json and the state file lists an input that gave it. One document's bad values cost
that document only; a disk that fills up or a kill at any moment leaves the previous
consistent output set (or, after the commit point, the new one: see ingest.transaction).
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest import __version__
from ingest.convert import FileOutcome
from ingest.inputs import Input, collect_inputs, display_path
from ingest.outputs import ParquetParts, check_document
from ingest.pool import Limits, run_pool
from ingest.progress import Progress
from ingest.state import STATE_FILE, State, file_key, options_key
from ingest.tables import relative_sources
from ingest.transaction import OutputLock, Transaction, recover

__all__ = ["BatchResult", "OutputError", "STATE_FILE", "default_workers", "discover", "run_batch"]

UNCHANGED = "unchanged since the last run (same content, options and kehoach version)"
COPY = "a copy of a file already converted (same content, name and options): its outputs are shared"
NOT_CONVERTED = "not converted: the run stopped before this file (rerun to convert it)"
# A long batch commits what it has converted every this many seconds, so a kill -9 or a power
# cut loses at most this much work; each checkpoint adds one Parquet part (compacted past
# outputs.MAX_PARTS) and rewrites the state file and report (~1 MB for 1,000 files).
CHECKPOINT_S = 120.0


class OutputError(Exception):
    """The output folder cannot be used or written (not a folder, read-only, disk full, held by
    another run). The previous outputs are left as they were."""


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    parquet_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    recovered: str | None = None       # what was done with an interrupted run's staged outputs
    pruned: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "error"]

    def summary(self) -> dict:
        statuses = [o.status for o in self.outcomes]
        return {
            "files": len(self.outcomes), "ok": statuses.count("ok"), "error": statuses.count("error"),
            "skipped": statuses.count("skipped"),
            "unchanged": sum(o.status == "skipped" and o.reason in (UNCHANGED, COPY) for o in self.outcomes),
            "tasks": sum(o.tasks for o in self.outcomes),
            "targets": sum(o.targets for o in self.outcomes),
            "issues": sum(o.issues for o in self.outcomes),
            "error_issues": sum(o.errors for o in self.outcomes),
            "pruned": len(self.pruned), "interrupted": self.interrupted,
            "seconds": round(self.seconds, 2), "kehoach_version": __version__,
        }


def discover(inputs: list[str]) -> list[Path]:
    """The files to convert among the paths given (see ingest.inputs for the others)."""
    return [Path(i.path) for i in collect_inputs(inputs) if i.reason is None]


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {display_path(out_dir)} exists and is not a folder")
    try:
        (out_dir / "json").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {display_path(out_dir)}: {exc.strerror}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK) or not os.access(out_dir / "json", os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to the output folder {display_path(out_dir)}: permission denied")


def run_batch(inputs: list[str], out_dir: Path, workers: int, limits: Limits,
              force: bool = False, progress: bool = True, scheduler: str | None = None,
              prune: bool = False) -> BatchResult:
    """Convert `inputs` into out_dir. With `scheduler` (a Dask scheduler address) the files
    are converted on that cluster instead of local worker processes. With `prune`, outputs of
    inputs not given to this run are removed (those of deleted inputs always are)."""
    _prepare(out_dir)
    try:
        with OutputLock(out_dir):
            return _locked_batch(inputs, out_dir, workers, limits, force, progress, scheduler, prune)
    except OSError as exc:
        raise OutputError(_write_failure(out_dir, exc)) from None


def _write_failure(out_dir: Path, exc: OSError) -> str:
    what = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
            errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied"}.get(exc.errno or 0, exc.strerror or str(exc))
    return (f"cannot write the outputs to {display_path(out_dir)} ({what}); "
            f"the outputs of the previous run are unchanged")


def _locked_batch(inputs: list[str], out_dir: Path, workers: int, limits: Limits, force: bool,
                  progress: bool, scheduler: str | None, prune: bool) -> BatchResult:
    started = time.monotonic()
    result = BatchResult(recovered=recover(out_dir))
    state = State.load(out_dir)
    json_dir = out_dir / "json"
    # A plan whose JSON went missing (deleted by hand) is no longer held: reconverted if given.
    for key, record in list(state.files.items()):
        if record.get("status") == "ok" and not (json_dir / f"{record.get('plan_id')}.json").is_file():
            del state.files[key]
    committed_ids = state.plan_ids()
    options = options_key(limits.severities, limits.password)

    keys: dict[str, str] = {}                     # input path -> state key
    to_convert: list[str] = []
    items = collect_inputs(inputs, exclude=[out_dir])
    # source_path of the tables: each file's path relative to the input folder it was found in
    relative = relative_sources(inputs, [Path(i.path) for i in items if i.reason is None])
    for item in items:
        outcome = _screen(item, state, options, force, keys)
        if outcome is None:
            to_convert.append(item.path)
        else:
            result.outcomes.append(outcome)
    seen_keys = set(keys.values())
    # Outputs of an input deleted from a folder given to this run go; a folder that is not
    # there at all (an unplugged drive) is not taken as deleted.
    given = [os.path.join(file_key(p), "") for p in inputs if os.path.isdir(p)]
    for key in list(state.files):
        deleted = not os.path.lexists(key) and any(key.startswith(folder) for folder in given)
        if key not in seen_keys and (prune or deleted):
            result.pruned.append(display_path(key))
            del state.files[key]

    run = _Commits(out_dir, state, result, committed_ids, rebuild=force)
    bar = Progress(len(to_convert), progress)
    pending = dict.fromkeys(to_convert)
    try:
        outcomes = _convert(to_convert, workers, limits, scheduler)
        try:
            for outcome in outcomes:
                _take(outcome, run.tx, state, keys.get(outcome.path) or file_key(outcome.path), options,
                      run.changed, relative.get(outcome.path))
                pending.pop(outcome.path, None)
                result.outcomes.append(outcome)
                bar.step(display_path(outcome.path))
                if time.monotonic() - run.last >= CHECKPOINT_S and pending:
                    run.commit(list(pending), started)
        except KeyboardInterrupt:     # Ctrl-C / SIGTERM: keep what was converted
            result.interrupted = True
        finally:
            bar.close()
            close = getattr(outcomes, "close", None)
            if close is not None:
                close()               # stops the workers
        run.commit(list(pending), started, final=True)
    except BaseException:
        run.tx.abort()
        raise
    if result.interrupted:
        raise KeyboardInterrupt
    return result


class _Commits:
    """The run's transaction, committed at checkpoints and at the end (see CHECKPOINT_S)."""

    def __init__(self, out_dir: Path, state: State, result: BatchResult, committed_ids: set[str],
                 rebuild: bool):
        self.out_dir, self.state, self.result = out_dir, state, result
        self.committed_ids, self.rebuild = committed_ids, rebuild
        self.tx = Transaction(out_dir)
        self.changed: set[str] = set()
        self.last = time.monotonic()

    def commit(self, pending: list[str], started: float, final: bool = False) -> None:
        """Make everything converted so far visible, with a report that lists the files still
        pending as not converted (what is true if the run stops here). Ctrl-C and SIGTERM wait
        until the commit is done: it takes seconds, and a commit cut short in the middle of its
        renames would be finished by the next run anyway, but not by this one."""
        blocked = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            self._commit(pending, started, final)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _commit(self, pending: list[str], started: float, final: bool) -> None:
        state, result, tx = self.state, self.result, self.tx
        final_ids = state.plan_ids()
        for pid in sorted(self.committed_ids - final_ids):
            tx.remove(f"json/{pid}.json")
        dropped = ParquetParts(self.out_dir, sources=state.sources()).update(
            tx, final_ids, self.changed, self.committed_ids, _loader(tx, self.out_dir / "json"),
            rebuild=self.rebuild)
        for pid in sorted(dropped):           # its JSON is unusable: reconverted by the next run
            tx.remove(f"json/{pid}.json")
            state.drop_plan(pid)
            for outcome in result.outcomes:
                if outcome.plan_id == pid and outcome.status == "ok":
                    outcome.status, outcome.error = "error", "its outputs could not be built"
        not_yet = [FileOutcome(path=path, status="skipped", reason=NOT_CONVERTED) for path in pending]
        if final:
            result.outcomes += not_yet
            result.outcomes.sort(key=lambda o: os.fsencode(o.path))
        result.seconds = time.monotonic() - started
        entries = sorted(result.outcomes + ([] if final else not_yet), key=lambda o: os.fsencode(o.path))
        report = {"files": [o.report_entry() for o in entries],
                  "summary": result.summary() | ({} if final else {"in_progress": True})}
        if result.pruned:
            report["pruned"] = result.pruned
        tx.put("report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        tx.put(STATE_FILE, state.dumps())
        tx.commit()
        self.committed_ids, self.changed, self.rebuild = final_ids - dropped, set(), False
        self.last = time.monotonic()
        if not final:
            self.tx = Transaction(self.out_dir)


def _screen(item: Input, state: State, options: str, force: bool, keys: dict[str, str]) -> FileOutcome | None:
    """The outcome of an input that is not converted, or None for one to convert."""
    if item.reason is not None:
        return FileOutcome(path=item.path, status="error" if item.failed else "skipped",
                           error=item.reason if item.failed else None,
                           reason=None if item.failed else item.reason)
    key = file_key(item.path)
    keys[item.path] = key
    if force:
        return None
    try:
        sha = _sha256(item.path)
    except OSError as exc:
        return FileOutcome(path=item.path, status="error", error=f"cannot read the file: {exc.strerror}")
    name = Path(item.path).name
    previous = state.unchanged(key, sha, name, options)
    if previous is None:
        return None
    entry = previous.get("entry") or {}
    reason = UNCHANGED
    if state.files.get(key) is not previous:
        state.files[key] = dict(previous)     # a copy of a converted file: same result, own record
        reason = COPY
    return FileOutcome(path=item.path, status="skipped", reason=reason, plan_id=previous["plan_id"],
                       sha256=sha, tasks=entry.get("tasks", 0), targets=entry.get("targets", 0),
                       issues=entry.get("issues", 0), errors=entry.get("error_issues", 0),
                       format=entry.get("format"))


def _convert(paths: list[str], workers: int, limits: Limits, scheduler: str | None) -> Iterator[FileOutcome]:
    if scheduler:
        from ingest.dask_executor import run_dask
        return run_dask(paths, scheduler, limits)
    return run_pool(paths, workers, limits)


def _take(outcome: FileOutcome, tx: Transaction, state: State, key: str, options: str,
          changed: set[str], source_path: str | None = None) -> None:
    """Stage one converted file's JSON and record it; a document whose rows cannot go into the
    tables (a bad value the contract let through) becomes that file's error."""
    if outcome.status == "ok" and outcome.json_text is not None:
        try:
            check_document(json.loads(outcome.json_text), source_path)
        except Exception as exc:
            outcome.status = "error"
            outcome.error = f"internal error: the outputs could not be built ({type(exc).__name__}: {exc})"
        else:
            tx.put(f"json/{outcome.plan_id}.json", outcome.json_text)
            changed.add(outcome.plan_id)
    outcome.json_text = None        # do not keep whole documents for the whole batch
    state.record(key, sha256=outcome.sha256, name=Path(outcome.path).name, options=options,
                 status=outcome.status, plan_id=outcome.plan_id if outcome.status == "ok" else None,
                 entry=outcome.report_entry(), source_path=source_path)


def _loader(tx: Transaction, json_dir: Path) -> Callable[[str], dict | None]:
    def load(pid: str) -> dict | None:
        path = tx.staged(f"json/{pid}.json") or json_dir / f"{pid}.json"
        try:
            document = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return document if isinstance(document, dict) and "plan" in document else None
    return load


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
