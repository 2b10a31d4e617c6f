"""The Parquet outputs load in pandas and DuckDB with the right types."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import duckdb
import pandas as pd


def test_pandas_types(core_out: Path) -> None:
    tasks = pd.read_parquet(core_out / "parquet" / "tasks.parquet")
    assert len(tasks) == sum(len(json.loads(p.read_text("utf-8"))["tasks"])
                             for p in (core_out / "json").glob("*.json"))
    row = tasks.iloc[0]
    assert list(row["products"]) and all(isinstance(x, str) for x in row["products"])
    due = tasks["deadline_due"].dropna().iloc[0]
    assert isinstance(due, datetime.date)
    targets = pd.read_parquet(core_out / "parquet" / "targets.parquet")
    assert str(targets["value"].dtype) == "float64"


def test_duckdb_types_and_joins(core_out: Path) -> None:
    parquet = core_out / "parquet"
    con = duckdb.connect()
    tasks, plans = f"{parquet}/tasks.parquet/*.parquet", f"{parquet}/plans.parquet/*.parquet"
    types = dict(con.execute(f"select column_name, column_type from (describe select * from '{tasks}')").fetchall())
    assert types["deadline_due"] == "DATE"
    assert types["lead"] == "VARCHAR[]"
    assert types["task_order"] == "INTEGER"   # `order` is an SQL reserved word; the JSON keeps it
    rows = con.execute(
        f"select p.commune, count(*) from '{tasks}' t join '{plans}' p "
        f"using (plan_id) group by 1 order by 1").fetchall()
    assert rows == [("Thiên Phú", 72), ("Thường Xuân", 76), ("Vĩnh Lộc", 84)]
    overdue = con.execute(f"select count(*) from '{tasks}' where deadline_due > date '2026-12-31'"
                          " and plan_id like '000_%'").fetchone()[0]
    assert overdue == 2   # the 'Quý IV/2027' misprint, in both renditions


def test_polars_reads_the_datasets(core_out: Path) -> None:
    polars = __import__("pytest").importorskip("polars")
    tasks = polars.read_parquet(core_out / "parquet" / "tasks.parquet" / "*.parquet")
    assert tasks.schema["deadline_due"] == polars.Date
    assert tasks.height == 232


def test_incremental_parts(tmp_path: Path) -> None:
    """A rerun writes nothing when nothing changed; a changed file rewrites only its part."""
    import shutil

    from conftest import DEV, DEV_IDS
    from ingest.batch import run_batch
    from ingest.pool import Limits

    inp = tmp_path / "in"
    inp.mkdir()
    for doc_id in DEV_IDS:
        shutil.copy(DEV / f"{doc_id}.txt", inp / f"{doc_id}.txt")
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    parts = sorted((out / "parquet" / "tasks.parquet").glob("*.parquet"))
    stamps = {p: p.stat().st_mtime_ns for p in parts}
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert {p: p.stat().st_mtime_ns for p in parts} == stamps          # nothing rewritten
    changed = inp / f"{DEV_IDS[0]}.txt"
    changed.write_text(changed.read_text("utf-8") + "\n", "utf-8")
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    tasks = pd.read_parquet(out / "parquet" / "tasks.parquet")
    assert len(tasks) == 38 + 36 + 42
    assert tasks["plan_id"].nunique() == 3
    assert len(list((out / "json").glob("*.json"))) == 3
