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


def write_parquet(json_dir: Path, parquet_dir: Path) -> dict[str, int]:
    """(Re)build plans/tasks/targets/issues.parquet from every JSON document in json_dir."""
    documents = [json.loads(p.read_text("utf-8")) for p in sorted(json_dir.glob("*.json"))]
    rows = _rows(documents)
    counts = {}
    for name, schema in (("plans", PLANS), ("tasks", TASKS), ("targets", TARGETS), ("issues", ISSUES)):
        table = pa.Table.from_pylist(rows[name], schema=schema)
        target = parquet_dir / f"{name}.parquet"
        parquet_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=parquet_dir)
        os.close(fd)
        try:
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        counts[name] = table.num_rows
    return counts
