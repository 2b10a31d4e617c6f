"""A conversion batch: discover files, skip unchanged ones, convert in workers, write outputs."""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest import __version__
from ingest.convert import FileOutcome
from ingest.detect import SUPPORTED_SUFFIXES
from ingest.outputs import ParquetParts, write_atomic
from ingest.pool import Limits, run_pool
from ingest.progress import Progress
from ingest.tables import relative_sources

STATE_FILE = ".kehoach-state.json"


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    parquet_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "error"]

    def summary(self) -> dict:
        statuses = [o.status for o in self.outcomes]
        return {
            "files": len(self.outcomes), "ok": statuses.count("ok"), "error": statuses.count("error"),
            "skipped": statuses.count("skipped"), "tasks": sum(o.tasks for o in self.outcomes),
            "targets": sum(o.targets for o in self.outcomes),
            "issues": sum(o.issues for o in self.outcomes),
            "error_issues": sum(o.errors for o in self.outcomes),
            "seconds": round(self.seconds, 2), "kehoach_version": __version__,
        }


def discover(inputs: list[str]) -> list[Path]:
    """Files named directly, and supported files found recursively under folders."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES \
                        and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    found.append(child)
        else:
            found.append(path)   # missing or odd files are reported, not silently dropped
    unique = list(dict.fromkeys(found))
    return unique


def _sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def run_batch(inputs: list[str], out_dir: Path, workers: int, limits: Limits,
              force: bool = False, progress: bool = True, scheduler: str | None = None) -> BatchResult:
    """Convert `inputs` into out_dir. With `scheduler` (a Dask scheduler address) the files
    are converted on that cluster instead of local worker processes."""
    started = time.monotonic()
    json_dir = out_dir / "json"
    json_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / STATE_FILE
    try:
        state = json.loads(state_path.read_text("utf-8")) if state_path.exists() and not force else {}
    except (OSError, json.JSONDecodeError):
        state = {}
    result = BatchResult()
    files = discover(inputs)
    relative = relative_sources(inputs, files)
    to_convert: list[str] = []
    for path in files:
        key = str(path)
        previous = state.get(key)
        sha = _sha256(path) if previous else None
        if (previous and sha and previous.get("sha256") == sha and previous.get("version") == __version__
                and previous.get("status") == "ok" and (json_dir / f"{previous['plan_id']}.json").exists()):
            entry = previous["entry"]
            result.outcomes.append(FileOutcome(
                path=key, status="skipped", error=None, plan_id=previous["plan_id"], sha256=sha,
                tasks=entry.get("tasks", 0), targets=entry.get("targets", 0),
                issues=entry.get("issues", 0), errors=entry.get("error_issues", 0), format=entry.get("format")))
        else:
            to_convert.append(key)
    bar = Progress(len(to_convert), progress)
    changed: set[str] = set()
    removed: set[str] = set()
    try:
        if scheduler:
            from ingest.dask_executor import run_dask
            outcomes = run_dask(to_convert, scheduler, limits)
        else:
            outcomes = run_pool(to_convert, workers, limits)
        for outcome in outcomes:
            previous = state.get(outcome.path)
            if previous and previous.get("plan_id") and (previous.get("plan_id") != outcome.plan_id
                                                         or outcome.status != "ok"):
                stale = json_dir / f"{previous['plan_id']}.json"
                if stale.exists():
                    stale.unlink()
                    removed.add(previous["plan_id"])
            if outcome.status == "ok" and outcome.json_text is not None:
                write_atomic(json_dir / f"{outcome.plan_id}.json", outcome.json_text)
                changed.add(outcome.plan_id)
                outcome.json_text = None   # do not keep whole documents for the whole batch
            state[outcome.path] = {"sha256": outcome.sha256, "version": __version__, "status": outcome.status,
                                   "plan_id": outcome.plan_id, "entry": outcome.report_entry(),
                                   "source_path": relative.get(outcome.path)}
            result.outcomes.append(outcome)
            bar.step(outcome.path)
    finally:
        bar.close()
        # Outputs are rebuilt even after an interruption, so they match what was converted.
        result.outcomes.sort(key=lambda o: o.path)
        parts = ParquetParts(out_dir / "parquet", {v["plan_id"]: v["source_path"] for v in state.values()
                                                   if v.get("plan_id") and v.get("source_path")})
        if force:
            parts.rebuild(json_dir)
        else:
            parts.update(json_dir, changed, removed)
        result.seconds = time.monotonic() - started
        report = {"files": [o.report_entry() for o in result.outcomes], "summary": result.summary()}
        write_atomic(out_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        write_atomic(state_path, json.dumps(state, ensure_ascii=False, indent=0, sort_keys=True))
    return result


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
