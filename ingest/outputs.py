"""Writers: atomic files, and the Parquet tables built from the per-plan JSON documents."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.transaction import Transaction, file_mode, write_file


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename: never a partial file. The
    file gets the user's umask (analysts and web servers read the outputs)."""
    write_file(path, data.encode("utf-8") if isinstance(data, str) else data, file_mode())


def _day(value: str | None) -> date | None:
    """A `date` for a full ISO day; None for a partial or impossible one ("2025-01-99" can
    only come from an older output: the contract rejects it now), never an exception."""
    if value and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


PLANS = pa.schema([
    ("plan_id", pa.string()), ("source_path", pa.string()), ("source_sha256", pa.string()),
    ("source_format", pa.string()), ("source_pages", pa.int32()), ("issuer", pa.string()),
    ("commune", pa.string()), ("province", pa.string()), ("number", pa.string()),
    ("issued_date", pa.string()), ("issued_day", pa.date32()), ("title", pa.string()),
    ("period_start", pa.int32()), ("period_end", pa.int32()), ("signer_name", pa.string()),
    ("signer_role", pa.string()), ("tasks", pa.int32()), ("targets", pa.int32()),
    ("issues", pa.int32()), ("error_issues", pa.int32()),
])
TASKS = pa.schema([
    ("task_id", pa.string()), ("plan_id", pa.string()), ("order", pa.int32()), ("seq", pa.string()),
    ("area", pa.string()), ("annex", pa.string()), ("content", pa.string()),
    ("products", pa.list_(pa.string())), ("lead", pa.list_(pa.string())), ("lead_raw", pa.string()),
    ("coordinating", pa.list_(pa.string())), ("coordinating_raw", pa.string()),
    ("deadline_raw", pa.string()), ("deadline_kind", pa.string()), ("deadline_start", pa.date32()),
    ("deadline_due", pa.date32()), ("deadline_recurrence", pa.string()),
    ("deadline_condition", pa.string()), ("deadline_parts", pa.string()),
    ("extra", pa.map_(pa.string(), pa.string())), ("page", pa.int32()), ("line", pa.int32()),
    ("line_end", pa.int32()), ("section", pa.string()),
])
TARGETS = pa.schema([
    ("target_id", pa.string()), ("plan_id", pa.string()), ("task_id", pa.string()),
    ("area", pa.string()), ("text", pa.string()), ("metric", pa.string()), ("value", pa.float64()),
    ("comparator", pa.string()), ("unit", pa.string()), ("year", pa.int32()),
    ("direction", pa.string()), ("page", pa.int32()), ("line", pa.int32()),
])
ISSUES = pa.schema([
    ("plan_id", pa.string()), ("severity", pa.string()), ("code", pa.string()),
    ("message", pa.string()), ("task_id", pa.string()), ("page", pa.int32()), ("line", pa.int32()),
    ("field", pa.string()),
])


def _rows(documents: list[dict]) -> dict[str, list[dict]]:
    plans, tasks, targets, issues = [], [], [], []
    for doc in documents:
        plan = doc["plan"]
        pid = plan["plan_id"]
        src = plan["source"]
        signer = plan.get("signer") or {}
        plans.append({
            "plan_id": pid, "source_path": src["path"], "source_sha256": src["sha256"],
            "source_format": src["format"], "source_pages": src.get("pages"), "issuer": plan["issuer"],
            "commune": plan["commune"], "province": plan["province"], "number": plan["number"],
            "issued_date": plan["issued_date"], "issued_day": _day(plan["issued_date"]),
            "title": plan["title"], "period_start": plan["period_start"], "period_end": plan["period_end"],
            "signer_name": signer.get("name"), "signer_role": signer.get("role"),
            "tasks": len(doc["tasks"]), "targets": len(doc["targets"]), "issues": len(doc["issues"]),
            "error_issues": sum(i["severity"] == "error" for i in doc["issues"]),
        })
        for t in doc["tasks"]:
            d, prov = t["deadline"], t["provenance"]
            tasks.append({
                "task_id": t["task_id"], "plan_id": pid, "order": t["order"], "seq": t["seq"],
                "area": t["area"], "annex": t["annex"], "content": t["content"], "products": t["products"],
                "lead": t["lead"], "lead_raw": t["lead_raw"], "coordinating": t["coordinating"],
                "coordinating_raw": t["coordinating_raw"], "deadline_raw": d["raw"],
                "deadline_kind": d["kind"], "deadline_start": _day(d["start"]), "deadline_due": _day(d["due"]),
                "deadline_recurrence": d["recurrence"], "deadline_condition": d["condition"],
                "deadline_parts": json.dumps(d["parts"], ensure_ascii=False) if d["parts"] is not None else None,
                "extra": list(t["extra"].items()), "page": prov.get("page"), "line": prov.get("line"),
                "line_end": prov.get("line_end"), "section": prov.get("section"),
            })
        for g in doc["targets"]:
            prov = g["provenance"]
            targets.append({k: g[k] for k in ("target_id", "task_id", "area", "text", "metric", "value",
                                              "comparator", "unit", "year", "direction")}
                           | {"plan_id": pid, "page": prov.get("page"), "line": prov.get("line")})
        for i in doc["issues"]:
            loc = i.get("location") or {}
            issues.append({"plan_id": pid, "severity": i["severity"], "code": i["code"],
                           "message": i["message"], "task_id": loc.get("task_id"),
                           "page": loc.get("page"), "line": loc.get("line"), "field": loc.get("field")})
    return {"plans": plans, "tasks": tasks, "targets": targets, "issues": issues}


TABLES = {"plans": PLANS, "tasks": TASKS, "targets": TARGETS, "issues": ISSUES}
MANIFEST = "_parts.json"
MAX_PARTS = 64      # above this many parts a run rewrites one part: readers open every part



def check_document(document: dict) -> None:
    """Raise if a plan's rows cannot go into the Parquet tables (what every table needs of the
    document), so one document's bad values cost that document, not the batch's outputs."""
    rows = _rows([document])
    for table, schema in TABLES.items():
        pa.Table.from_pylist(rows[table], schema=schema)


def _part_name(plan_ids: list[str]) -> str:
    return "part-" + hashlib.sha256("\n".join(sorted(plan_ids)).encode()).hexdigest()[:16] + ".parquet"


Loader = Callable[[str], "dict | None"]


class ParquetParts:
    """The Parquet outputs as datasets: OUT/parquet/<table>.parquet/ is a folder of parts,
    each part holding whole plans (OUT/parquet/_parts.json lists them). A run writes one new
    part for the plans it converted and rewrites only the old parts that held a changed or
    removed plan, so an unchanged rerun writes nothing. Every change goes through the run's
    Transaction: new parts are complete before the old ones are removed, all at the commit."""

    def __init__(self, out: Path, folder: str = "parquet"):
        self.out, self.folder = out, folder
        try:
            parts = json.loads((out / folder / MANIFEST).read_text("utf-8"))
            self.parts: dict[str, list[str]] = parts if isinstance(parts, dict) else {}
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            self.parts = {}

    def plan_ids(self) -> set[str]:
        return {pid for ids in self.parts.values() for pid in ids}

    def _rel(self, table: str, name: str) -> str:
        return f"{self.folder}/{table}.parquet/{name}"

    def _complete(self) -> bool:
        return all((self.out / self._rel(table, name)).is_file() for name in self.parts for table in TABLES)

    def _write_part(self, tx: Transaction, ids: list[str], load: Loader, dropped: set[str]) -> list[str]:
        """Write one part holding `ids`; a plan whose JSON is missing or whose rows cannot be
        built is left out (returned in `dropped`). Returns the ids written."""
        rows: dict[str, list[dict]] = {table: [] for table in TABLES}
        written = []
        for pid in sorted(ids):
            document = load(pid)
            try:
                if document is None:
                    raise ValueError("no JSON")
                doc_rows = _rows([document])
                for table, schema in TABLES.items():
                    pa.Table.from_pylist(doc_rows[table], schema=schema)
            except Exception:      # one bad document must not cost the others their rows
                dropped.add(pid)
                continue
            for table in TABLES:
                rows[table].extend(doc_rows[table])
            written.append(pid)
        name = _part_name(written) if written else "part-empty.parquet"
        for table, schema in TABLES.items():
            rel = self._rel(table, name)
            pq.write_table(pa.Table.from_pylist(rows[table], schema=schema), tx.path_for(rel),
                           compression="zstd")
            tx.adopt(rel)
        if written:
            self.parts[name] = written
        return written

    def _drop_part(self, tx: Transaction, name: str) -> None:
        for table in TABLES:
            tx.remove(self._rel(table, name))
        self.parts.pop(name, None)

    def update(self, tx: Transaction, final_ids: set[str], changed: set[str], committed_ids: set[str],
               load: Loader, rebuild: bool = False) -> set[str]:
        """Stage the datasets for the plan set `final_ids`, of which `changed` were (re)written
        by this run; `committed_ids` is the plan set the current outputs hold. Rebuilds all
        parts when the manifest does not match them (a foreign edit, an old version). Returns
        the plans left out because their JSON is missing or unusable."""
        dropped: set[str] = set()
        if (rebuild or self.plan_ids() != committed_ids or len(self.parts) > MAX_PARTS or not self._complete()
                or not self.parts and not (self.out / self._rel("plans", "part-empty.parquet")).exists()):
            self.rebuild(tx, final_ids, load, dropped)
            return dropped
        touched = changed | (self.plan_ids() - final_ids)
        if not touched:
            return dropped
        for name, ids in sorted(self.parts.items()):
            if touched & set(ids):
                keep = [pid for pid in ids if pid not in touched]
                self._drop_part(tx, name)
                if keep:
                    self._write_part(tx, keep, load, dropped)
        fresh = sorted(changed & final_ids)
        if fresh:
            self._write_part(tx, fresh, load, dropped)
        self._finish(tx)
        return dropped

    def rebuild(self, tx: Transaction, final_ids: set[str], load: Loader, dropped: set[str]) -> None:
        for table in TABLES:
            folder = self.out / self.folder / f"{table}.parquet"
            if folder.is_file():
                tx.remove(f"{self.folder}/{table}.parquet")
            elif folder.is_dir():
                for part in folder.glob("*.parquet"):
                    tx.remove(self._rel(table, part.name))
        self.parts = {}
        self._write_part(tx, sorted(final_ids), load, dropped)
        self._finish(tx)

    def _finish(self, tx: Transaction) -> None:
        if self.parts:   # an empty dataset keeps its empty part (readers need the schema)
            for table in TABLES:
                tx.remove(self._rel(table, "part-empty.parquet"))
        elif not (self.out / self._rel("plans", "part-empty.parquet")).exists() \
                and tx.staged(self._rel("plans", "part-empty.parquet")) is None:
            self._write_part(tx, [], lambda pid: None, set())
        tx.put(f"{self.folder}/{MANIFEST}", json.dumps(self.parts, indent=0, sort_keys=True))

    def counts(self) -> dict[str, int]:
        return {table: sum(pq.ParquetFile(p).metadata.num_rows
                           for p in (self.out / self.folder / f"{table}.parquet").glob("*.parquet"))
                for table in TABLES}
