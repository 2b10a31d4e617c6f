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
    types = dict(con.execute(f"select column_name, column_type from (describe select * from '{parquet}/tasks.parquet')").fetchall())
    assert types["deadline_due"] == "DATE"
    assert types["lead"] == "VARCHAR[]"
    assert types["order"] == "INTEGER"
    rows = con.execute(
        f"select p.commune, count(*) from '{parquet}/tasks.parquet' t join '{parquet}/plans.parquet' p "
        f"using (plan_id) group by 1 order by 1").fetchall()
    assert rows == [("Thiên Phú", 72), ("Thường Xuân", 76), ("Vĩnh Lộc", 84)]
    overdue = con.execute(f"select count(*) from '{parquet}/tasks.parquet' where deadline_due > date '2026-12-31'"
                          " and plan_id like '000_%'").fetchone()[0]
    assert overdue == 2   # the 'Quý IV/2027' misprint, in both renditions
