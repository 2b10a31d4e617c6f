"""Writers: atomic files, and the Parquet tables built from the per-plan JSON documents."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _day(value: str | None) -> date | None:
    if value and len(value) == 10:
        return date.fromisoformat(value)
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
RESPONSIBILITIES = pa.schema([
    ("resp_id", pa.string()), ("plan_id", pa.string()), ("order", pa.int32()),
    ("unit", pa.list_(pa.string())), ("unit_raw", pa.string()), ("duty", pa.string()),
    ("role", pa.string()), ("deadline_raw", pa.string()), ("deadline_kind", pa.string()),
    ("deadline_start", pa.date32()), ("deadline_due", pa.date32()), ("deadline_recurrence", pa.string()),
    ("deadline_condition", pa.string()), ("deadline_parts", pa.string()), ("page", pa.int32()),
    ("line", pa.int32()), ("line_end", pa.int32()), ("paragraph", pa.int32()),
])
ISSUES = pa.schema([
    ("plan_id", pa.string()), ("severity", pa.string()), ("code", pa.string()),
    ("message", pa.string()), ("task_id", pa.string()), ("page", pa.int32()), ("line", pa.int32()),
    ("field", pa.string()),
])


def _rows(documents: list[dict]) -> dict[str, list[dict]]:
    plans, tasks, targets, responsibilities, issues = [], [], [], [], []
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
        for r in doc.get("responsibilities") or []:     # contract v1 documents have none
            d, prov = r["deadline"], r["provenance"]
            responsibilities.append({
                "resp_id": r["resp_id"], "plan_id": pid, "order": r["order"], "unit": r["unit"],
                "unit_raw": r["unit_raw"], "duty": r["duty"], "role": r["role"], "deadline_raw": d["raw"],
                "deadline_kind": d["kind"], "deadline_start": _day(d["start"]), "deadline_due": _day(d["due"]),
                "deadline_recurrence": d["recurrence"], "deadline_condition": d["condition"],
                "deadline_parts": json.dumps(d["parts"], ensure_ascii=False) if d["parts"] is not None else None,
                "page": prov.get("page"), "line": prov.get("line"), "line_end": prov.get("line_end"),
                "paragraph": prov.get("paragraph"),
            })
        for i in doc["issues"]:
            loc = i.get("location") or {}
            issues.append({"plan_id": pid, "severity": i["severity"], "code": i["code"],
                           "message": i["message"], "task_id": loc.get("task_id"),
                           "page": loc.get("page"), "line": loc.get("line"), "field": loc.get("field")})
    return {"plans": plans, "tasks": tasks, "targets": targets, "responsibilities": responsibilities,
            "issues": issues}


TABLES = {"plans": PLANS, "tasks": TASKS, "targets": TARGETS, "responsibilities": RESPONSIBILITIES,
          "issues": ISSUES}
MANIFEST = "_parts.json"
MAX_PARTS = 64


def _write_table(rows: list[dict], schema: pa.Schema, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schema)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _part_name(plan_ids: list[str]) -> str:
    import hashlib
    return "part-" + hashlib.sha256("\n".join(sorted(plan_ids)).encode()).hexdigest()[:16] + ".parquet"


class ParquetParts:
    """The Parquet outputs as datasets: OUT/parquet/<table>.parquet/ is a folder of parts,
    each part holding whole plans. A run writes one new part for the plans it converted and
    rewrites only the old parts that held a changed or removed plan, so an unchanged rerun
    writes nothing. Every part is written under a temporary name and renamed."""

    def __init__(self, root: Path):
        self.root = root
        self.manifest_path = root / MANIFEST
        try:
            self.parts: dict[str, list[str]] = json.loads(self.manifest_path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError):
            self.parts = {}

    def _documents(self, json_dir: Path, plan_ids: list[str]) -> list[dict]:
        docs = []
        for pid in sorted(plan_ids):
            path = json_dir / f"{pid}.json"
            if path.exists():
                docs.append(json.loads(path.read_text("utf-8")))
        return docs

    def _write_part(self, name: str, documents: list[dict]) -> None:
        rows = _rows(documents)
        for table, schema in TABLES.items():
            _write_table(rows[table], schema, self.root / f"{table}.parquet" / name)

    def _drop_part(self, name: str) -> None:
        for table in TABLES:
            path = self.root / f"{table}.parquet" / name
            if path.exists():
                path.unlink()

    def update(self, json_dir: Path, changed: set[str], removed: set[str]) -> None:
        """Bring the datasets in line with json_dir after `changed` plans were (re)written and
        `removed` plans deleted. Falls back to a full rebuild when the manifest is missing or
        does not match the JSON folder."""
        on_disk = {p.stem for p in json_dir.glob("*.json")}
        known = {pid for ids in self.parts.values() for pid in ids}
        if known - removed - changed != on_disk - changed or len(self.parts) > MAX_PARTS:
            self.rebuild(json_dir)
            return
        touched = changed | removed
        if not touched:
            return
        for name, ids in sorted(self.parts.items()):
            if touched & set(ids):
                keep = [pid for pid in ids if pid not in touched]
                self._drop_part(name)
                del self.parts[name]
                if keep:
                    new_name = _part_name(keep)
                    self._write_part(new_name, self._documents(json_dir, keep))
                    self.parts[new_name] = keep
        fresh = sorted(pid for pid in changed if pid in on_disk)
        if fresh:
            name = _part_name(fresh)
            self._write_part(name, self._documents(json_dir, fresh))
            self.parts[name] = fresh
        self._save()

    def rebuild(self, json_dir: Path) -> None:
        for table in TABLES:
            folder = self.root / f"{table}.parquet"
            if folder.is_file():
                folder.unlink()
            elif folder.is_dir():
                for part in folder.glob("*.parquet"):
                    part.unlink()
        ids = sorted(p.stem for p in json_dir.glob("*.json"))
        self.parts = {}
        if ids:
            name = _part_name(ids)
            self._write_part(name, self._documents(json_dir, ids))
            self.parts[name] = ids
        else:
            for table, schema in TABLES.items():   # empty datasets still have a schema
                _write_table([], schema, self.root / f"{table}.parquet" / "part-empty.parquet")
        self._save()

    def _save(self) -> None:
        write_atomic(self.manifest_path, json.dumps(self.parts, indent=0, sort_keys=True))

    def counts(self) -> dict[str, int]:
        return {table: sum(pq.ParquetFile(p).metadata.num_rows
                           for p in (self.root / f"{table}.parquet").glob("*.parquet"))
                for table in TABLES}
