"""Analyst-ready tables built from the per-plan JSON documents (the contract stays in the JSON).

Column names avoid SQL reserved words (`order` -> `task_order`, `resp_order`), dates are Arrow `date32`,
integer columns carry pandas metadata so pandas reads them as nullable integers (`Int32`),
`deadline_parts` is a list of structs, and plans get `document_key` (one key for every
rendition of the same plan), `doc_kind`/`is_plan` and `*_count` columns. `departments` and
`areas` are the code -> name reference tables.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path

import pyarrow as pa

# Count columns of plans: contract list name -> column name ("tasks" would shadow the table).
COUNT_COLUMNS = {"tasks": "task_count", "targets": "target_count", "issues": "issue_count",
                 "responsibilities": "responsibility_count"}
DOCUMENT_KEY_HEX = 16          # 64 bits: no collision among millions of plans, short to read
_NOT_A_PLAN = re.compile(r"the document is an? (\w+), not a plan")

DEADLINE_PART = pa.struct([
    ("raw", pa.string()), ("kind", pa.string()), ("start", pa.date32()), ("due", pa.date32()),
    ("recurrence", pa.string()), ("condition", pa.string()),
])

PLANS = pa.schema([
    ("plan_id", pa.string()), ("document_key", pa.string()), ("doc_kind", pa.string()),
    ("is_plan", pa.bool_()), ("source_path", pa.string()), ("source_file", pa.string()),
    ("source_sha256", pa.string()), ("source_format", pa.string()), ("source_pages", pa.int32()),
    ("issuer", pa.string()), ("commune", pa.string()), ("province", pa.string()),
    ("number", pa.string()), ("issued_date", pa.string()), ("issued_day", pa.date32()),
    ("title", pa.string()), ("period_start", pa.int32()), ("period_end", pa.int32()),
    ("signer_name", pa.string()), ("signer_role", pa.string()), ("task_count", pa.int32()),
    ("target_count", pa.int32()), ("responsibility_count", pa.int32()), ("issue_count", pa.int32()),
    ("error_issue_count", pa.int32()),
])
TASKS = pa.schema([
    ("task_id", pa.string()), ("plan_id", pa.string()), ("task_order", pa.int32()),
    ("seq", pa.string()), ("area", pa.string()), ("annex", pa.string()), ("content", pa.string()),
    ("products", pa.list_(pa.string())), ("lead", pa.list_(pa.string())), ("lead_raw", pa.string()),
    ("coordinating", pa.list_(pa.string())), ("coordinating_raw", pa.string()),
    ("deadline_raw", pa.string()), ("deadline_kind", pa.string()), ("deadline_start", pa.date32()),
    ("deadline_due", pa.date32()), ("deadline_recurrence", pa.string()),
    ("deadline_condition", pa.string()), ("deadline_parts", pa.list_(DEADLINE_PART)),
    ("extra", pa.map_(pa.string(), pa.string())), ("page", pa.int32()), ("page_end", pa.int32()),
    ("source_table", pa.int32()), ("source_row", pa.int32()), ("line", pa.int32()),
    ("line_end", pa.int32()), ("section", pa.string()), ("ocr_confidence", pa.float64()),
])
TARGETS = pa.schema([
    ("target_id", pa.string()), ("plan_id", pa.string()), ("task_id", pa.string()),
    ("area", pa.string()), ("text", pa.string()), ("metric", pa.string()), ("value", pa.float64()),
    ("comparator", pa.string()), ("unit", pa.string()), ("year", pa.int32()),
    ("direction", pa.string()), ("page", pa.int32()), ("line", pa.int32()),
])
# Duties assigned in the prose (contract v1.1): one row per duty of one addressee.
RESPONSIBILITIES = pa.schema([
    ("resp_id", pa.string()), ("plan_id", pa.string()), ("resp_order", pa.int32()),
    ("unit", pa.list_(pa.string())), ("unit_raw", pa.string()), ("duty", pa.string()),
    ("role", pa.string()), ("deadline_raw", pa.string()), ("deadline_kind", pa.string()),
    ("deadline_start", pa.date32()), ("deadline_due", pa.date32()), ("deadline_recurrence", pa.string()),
    ("deadline_condition", pa.string()), ("deadline_parts", pa.list_(DEADLINE_PART)),
    ("page", pa.int32()), ("page_end", pa.int32()), ("line", pa.int32()), ("line_end", pa.int32()),
    ("paragraph", pa.int32()),
])
ISSUES = pa.schema([
    ("plan_id", pa.string()), ("issue_index", pa.int32()), ("severity", pa.string()),
    ("code", pa.string()), ("message", pa.string()), ("task_id", pa.string()), ("page", pa.int32()),
    ("line", pa.int32()), ("field", pa.string()),
])
DEPARTMENTS = pa.schema([
    ("code", pa.string()), ("level", pa.string()), ("name", pa.string()),
    ("aliases", pa.list_(pa.string())),
])
AREAS = DEPARTMENTS

# Per-plan tables (dataset folders of parts) and reference tables (one file each).
PLAN_TABLES: dict[str, pa.Schema] = {"plans": PLANS, "tasks": TASKS, "targets": TARGETS,
                                     "responsibilities": RESPONSIBILITIES, "issues": ISSUES}
REFERENCE_TABLES = ("departments", "areas")
# Contract names of the CCHC areas (data contract, "Areas"); areas.toml holds the heading phrases.
AREA_NAMES = {
    "CHI_DAO_DIEU_HANH": "Công tác chỉ đạo, điều hành cải cách hành chính",
    "THE_CHE": "Cải cách thể chế",
    "TTHC": "Cải cách thủ tục hành chính",
    "TO_CHUC_BO_MAY": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "CONG_VU": "Cải cách chế độ công vụ",
    "TAI_CHINH_CONG": "Cải cách tài chính công",
    "CHINH_QUYEN_SO": "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
}
AREA_LEVEL = "cchc"            # the national CCHC programme's areas, the same at every level


def _with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """Attach pandas metadata so that `pandas.read_parquet` gives nullable integers (Int32)
    and booleans instead of float64/object for columns holding nulls."""
    columns = []
    for f in schema:
        if pa.types.is_int32(f.type):
            numpy_type, pandas_type = "Int32", "int32"
        elif pa.types.is_boolean(f.type):
            numpy_type, pandas_type = "boolean", "bool"
        else:
            continue
        columns.append({"name": f.name, "field_name": f.name, "pandas_type": pandas_type,
                        "numpy_type": numpy_type, "metadata": None})
    meta = {"index_columns": [], "column_indexes": [], "columns": columns,
            "creator": {"library": "kehoach", "version": "1"}, "pandas_version": "2.0.0"}
    return schema.with_metadata({b"pandas": json.dumps(meta, sort_keys=True).encode()})


def schema_of(table: str) -> pa.Schema:
    base = PLAN_TABLES.get(table) or (DEPARTMENTS if table in REFERENCE_TABLES else None)
    if base is None:
        raise KeyError(table)
    return _with_pandas_metadata(base)


def as_day(value: str | None) -> date | None:
    """A `date` for a full ISO day; None for a partial or impossible one ("2025-01-99" can
    only come from an older output: the contract rejects it now), never an exception."""
    if value and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _folded(value: str | None) -> str:
    text = unicodedata.normalize("NFC", value or "").casefold()
    return " ".join(re.findall(r"\w+", text))


def document_key(plan: Mapping) -> str:
    """One key for every rendition of a plan (.docx, .pdf, scan, .txt): a hash of its number,
    issue date, issuer and title, compared without case, punctuation or spacing. A document
    with neither number nor title keys on its own content."""
    if not plan.get("number") and not plan.get("title"):
        basis = "sha256:" + plan["source"]["sha256"]
    else:
        basis = "\x1f".join(_folded(plan.get(k)) for k in ("number", "issued_date", "issuer", "title"))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:DOCUMENT_KEY_HEX]


def doc_kind(issues: Iterable[Mapping]) -> str:
    """'plan', or the kind NOT_A_PLAN names (report, letter, notice, decision, other)."""
    for issue in issues:
        if issue["code"] == "NOT_A_PLAN":
            m = _NOT_A_PLAN.search(issue["message"])
            return m.group(1) if m else "other"
    return "plan"


def _parts(parts: list[dict] | None) -> list[dict] | None:
    if parts is None:
        return None
    return [{"raw": p["raw"], "kind": p["kind"], "start": as_day(p.get("start")), "due": as_day(p.get("due")),
             "recurrence": p.get("recurrence"), "condition": p.get("condition")} for p in parts]


def plan_rows(doc: Mapping, source_path: str | None = None) -> dict[str, list[dict]]:
    """Rows of every per-plan table for one JSON document."""
    plan = doc["plan"]
    pid, src = plan["plan_id"], plan["source"]
    signer = plan.get("signer") or {}
    kind = doc_kind(doc["issues"])
    row = {
        "plan_id": pid, "document_key": document_key(plan), "doc_kind": kind, "is_plan": kind == "plan",
        "source_path": source_path or src["path"], "source_file": src["path"],
        "source_sha256": src["sha256"], "source_format": src["format"], "source_pages": src.get("pages"),
        "issuer": plan["issuer"], "commune": plan["commune"], "province": plan["province"],
        "number": plan["number"], "issued_date": plan["issued_date"], "issued_day": as_day(plan["issued_date"]),
        "title": plan["title"], "period_start": plan["period_start"], "period_end": plan["period_end"],
        "signer_name": signer.get("name"), "signer_role": signer.get("role"),
        "error_issue_count": sum(i["severity"] == "error" for i in doc["issues"]),
    }
    row |= {column: len(doc[key]) for key, column in COUNT_COLUMNS.items() if key in doc}
    tasks = []
    for t in doc["tasks"]:
        d, prov = t["deadline"], t["provenance"]
        tasks.append({
            "task_id": t["task_id"], "plan_id": pid, "task_order": t["order"], "seq": t["seq"],
            "area": t["area"], "annex": t["annex"], "content": t["content"], "products": t["products"],
            "lead": t["lead"], "lead_raw": t["lead_raw"], "coordinating": t["coordinating"],
            "coordinating_raw": t["coordinating_raw"], "deadline_raw": d["raw"], "deadline_kind": d["kind"],
            "deadline_start": as_day(d["start"]), "deadline_due": as_day(d["due"]),
            "deadline_recurrence": d["recurrence"], "deadline_condition": d["condition"],
            "deadline_parts": _parts(d["parts"]), "extra": list(t["extra"].items()),
            "page": prov.get("page"), "page_end": prov.get("page_end"), "source_table": prov.get("table"),
            "source_row": prov.get("row"), "line": prov.get("line"), "line_end": prov.get("line_end"),
            "section": prov.get("section"), "ocr_confidence": prov.get("ocr_confidence"),
        })
    targets = []
    for g in doc["targets"]:
        prov = g["provenance"]
        targets.append({k: g[k] for k in ("target_id", "task_id", "area", "text", "metric", "value",
                                          "comparator", "unit", "year", "direction")}
                       | {"plan_id": pid, "page": prov.get("page"), "line": prov.get("line")})
    responsibilities = []
    for r in doc.get("responsibilities") or []:     # contract v1 documents have none
        d, prov = r["deadline"], r["provenance"]
        responsibilities.append({
            "resp_id": r["resp_id"], "plan_id": pid, "resp_order": r["order"], "unit": r["unit"],
            "unit_raw": r["unit_raw"], "duty": r["duty"], "role": r["role"], "deadline_raw": d["raw"],
            "deadline_kind": d["kind"], "deadline_start": as_day(d["start"]), "deadline_due": as_day(d["due"]),
            "deadline_recurrence": d["recurrence"], "deadline_condition": d["condition"],
            "deadline_parts": _parts(d["parts"]), "page": prov.get("page"), "page_end": prov.get("page_end"),
            "line": prov.get("line"), "line_end": prov.get("line_end"), "paragraph": prov.get("paragraph"),
        })
    issues = []
    for index, i in enumerate(doc["issues"]):
        loc = i.get("location") or {}
        issues.append({"plan_id": pid, "issue_index": index, "severity": i["severity"], "code": i["code"],
                       "message": i["message"], "task_id": loc.get("task_id"), "page": loc.get("page"),
                       "line": loc.get("line"), "field": loc.get("field")})
    return {"plans": [row], "tasks": tasks, "targets": targets, "responsibilities": responsibilities,
            "issues": issues}


def build_tables(documents: Iterable[Mapping], sources: Mapping[str, str] | None = None
                 ) -> dict[str, pa.Table]:
    """The per-plan tables of `documents`; `sources` maps plan_id -> source path relative to
    the input root given to `convert` (the JSON keeps only the file name)."""
    rows: dict[str, list[dict]] = {name: [] for name in PLAN_TABLES}
    for doc in documents:
        for name, part in plan_rows(doc, (sources or {}).get(doc["plan"]["plan_id"])).items():
            rows[name] += part
    return {name: pa.Table.from_pylist(rows[name], schema=schema_of(name)) for name in PLAN_TABLES}


def departments_table() -> pa.Table:
    text = resources.files("normalize").joinpath("data/departments.csv").read_text("utf-8")
    rows = [{"code": r["code"], "level": r["level"], "name": r["canonical_name"],
             "aliases": [a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()]}
            for r in csv.DictReader(text.splitlines())]
    return pa.Table.from_pylist(rows, schema=schema_of("departments"))


def areas_table() -> pa.Table:
    raw = tomllib.loads(resources.files("normalize").joinpath("data/areas.toml").read_text("utf-8"))
    phrases = {a["code"]: list(a.get("any", [])) + list(a.get("reform_plan", [])) for a in raw["area"]}
    rows = [{"code": code, "level": AREA_LEVEL, "name": name, "aliases": phrases.get(code, [])}
            for code, name in AREA_NAMES.items()]
    return pa.Table.from_pylist(rows, schema=schema_of("areas"))


def reference_tables() -> dict[str, pa.Table]:
    return {"departments": departments_table(), "areas": areas_table()}


def relative_sources(inputs: Iterable[str], files: Iterable[Path]) -> dict[str, str]:
    """Each discovered file's path relative to the input root it was found under (a folder
    given on the command line), or its name when the file was given directly; '/' separated."""
    roots = [Path(i) for i in inputs if Path(i).is_dir()]
    out: dict[str, str] = {}
    for path in files:
        rel = path.name
        for root in roots:
            try:
                rel = path.relative_to(root).as_posix()
                break
            except ValueError:
                continue
        # undecodable bytes of a file name escaped, as in the JSON's source.path
        out[str(path)] = unicodedata.normalize("NFC", os.fsencode(rel).decode("utf-8", "backslashreplace"))
    return out
