"""Does an output folder agree with itself? The plans of the state file, of OUT/json and of
every Parquet table must be the same set, with the row counts the JSON documents give; the
reference tables (departments, areas) must be there with their columns; the report must name
every input. Used by the fault-injection tests and benchmarks/faults.py."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from ingest.outputs import MANIFEST, REFERENCE, TABLES
from ingest.state import State
from ingest.tables import schema_of
from ingest.transaction import STAGING


def audit(out: Path, as_reader: bool = False) -> list[str]:
    """Problems found (empty: consistent). A folder no run has committed to yet is consistent,
    and so is one with an interrupted run's staging folder, which the next run finishes or
    discards before anything else; `as_reader` checks what a reader sees before that."""
    problems: list[str] = []
    if (out / STAGING).exists() and not as_reader:
        return problems
    state = State.load(out)
    held = state.plan_ids()
    if not (out / "parquet" / MANIFEST).exists() and not held:
        return problems
    documents: dict[str, dict] = {}
    for pid in held:
        path = out / "json" / f"{pid}.json"
        try:
            documents[pid] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"state lists plan {pid} but its JSON is unreadable: {exc}")
    counts = {"plans": {pid: 1 for pid in documents},
              "tasks": {pid: len(d.get("tasks", [])) for pid, d in documents.items()},
              "targets": {pid: len(d.get("targets", [])) for pid, d in documents.items()},
              "responsibilities": {pid: len(d.get("responsibilities", [])) for pid, d in documents.items()},
              "issues": {pid: len(d.get("issues", [])) for pid, d in documents.items()}}
    for table in TABLES:
        folder = out / "parquet" / f"{table}.parquet"
        try:
            column = pq.read_table(folder, columns=["plan_id"]).column("plan_id").to_pylist()
        except Exception as exc:     # missing, unreadable or mixed parts
            problems.append(f"{table}: cannot be read: {type(exc).__name__}: {exc}")
            continue
        found: dict[str, int] = {}
        for pid in column:
            found[pid] = found.get(pid, 0) + 1
        expected = {pid: n for pid, n in counts.get(table, {}).items() if n}
        if table in counts and found != expected:
            extra = sorted(set(found) - set(expected))
            missing = sorted(set(expected) - set(found))
            wrong = sorted(p for p in set(found) & set(expected) if found[p] != expected[p])
            problems.append(f"{table}: rows disagree with json/ (extra plans {extra[:3]}, missing "
                            f"{missing[:3]}, wrong row counts {wrong[:3]})")
        elif table not in counts and not set(found) <= held:
            problems.append(f"{table}: rows of plans the state does not hold")
    for table in REFERENCE:
        path = out / "parquet" / f"{table}.parquet"
        try:
            schema = pq.read_schema(path)
            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception as exc:     # missing or unreadable
            problems.append(f"{table}: cannot be read: {type(exc).__name__}: {exc}")
            continue
        if not schema.equals(schema_of(table), check_metadata=False):
            problems.append(f"{table}: columns differ from the table definition")
        elif not rows:
            problems.append(f"{table}: no rows")
    return problems
