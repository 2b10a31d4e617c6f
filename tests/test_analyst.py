"""Analyst-ready outputs: the tables in pandas, DuckDB and Polars; the README's analyst
section as written; `kehoach export`; the Python API."""
from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

import kehoach
from conftest import DEV, DEV_IDS
from ingest.batch import run_batch
from ingest.pool import Limits

README = Path(__file__).resolve().parents[1] / "README.md"
TABLES = ["plans", "tasks", "targets", "responsibilities", "issues", "departments", "areas"]


def _glob(out: Path, table: str) -> str:
    path = out / "parquet" / f"{table}.parquet"
    return f"{path}/*.parquet" if path.is_dir() else str(path)


def test_every_table_loads_in_pandas_duckdb_polars_with_types(core_out: Path) -> None:
    frames = kehoach.load(core_out)
    assert list(frames) == TABLES
    tasks, plans = frames["tasks"], frames["plans"]
    assert str(tasks["deadline_due"].dtype).startswith("datetime64")
    assert str(plans["issued_day"].dtype).startswith("datetime64")
    for column in ("task_order", "page", "line", "line_end", "source_row"):
        assert str(tasks[column].dtype) == "Int32", column
    assert str(plans["is_plan"].dtype) == "boolean"
    assert "order" not in tasks and "tasks" not in plans and plans["task_count"].sum() == len(tasks) == 232
    resp = frames["responsibilities"]
    assert "order" not in resp and plans["responsibility_count"].sum() == len(resp) > 0
    for column in ("resp_order", "line", "line_end"):
        assert str(resp[column].dtype) == "Int32", column
    assert str(resp["deadline_due"].dtype).startswith("datetime64")
    composite = resp[resp.deadline_parts.notna()].iloc[0]
    assert set(composite.deadline_parts[0]) == {"raw", "kind", "start", "due", "recurrence", "condition"}
    assert int((tasks.deadline_due < "2026-07-01").sum()) > 0          # no TypeError
    with_parts = tasks[tasks.deadline_parts.notna()].iloc[0]
    part = with_parts.deadline_parts[0]
    assert set(part) == {"raw", "kind", "start", "due", "recurrence", "condition"}
    # plain pandas: nullable integers without help; dates as datetime.date (pandas' default)
    plain = pd.read_parquet(core_out / "parquet" / "tasks.parquet")
    assert str(plain["line"].dtype) == "Int32"
    assert isinstance(plain["deadline_due"].dropna().iloc[0], datetime.date)
    as_dates = pd.read_parquet(core_out / "parquet" / "tasks.parquet", to_pandas_kwargs={"date_as_object": False})
    assert str(as_dates["deadline_due"].dtype).startswith("datetime64")      # the README's plain-pandas note

    con = duckdb.connect()
    expected_duckdb = {"tasks": {"deadline_due": "DATE", "task_order": "INTEGER", "lead": "VARCHAR[]",
                                 "deadline_parts": "STRUCT(raw VARCHAR, kind VARCHAR, \"start\" DATE, due DATE, "
                                                   "recurrence VARCHAR, condition VARCHAR)[]",
                                 "extra": "MAP(VARCHAR, VARCHAR)"},
                       "plans": {"issued_day": "DATE", "is_plan": "BOOLEAN", "task_count": "INTEGER"},
                       "departments": {"aliases": "VARCHAR[]"}, "areas": {"code": "VARCHAR"},
                       "targets": {"value": "DOUBLE", "year": "INTEGER"}, "issues": {"issue_index": "INTEGER"},
                       "responsibilities": {"resp_order": "INTEGER", "unit": "VARCHAR[]", "deadline_due": "DATE",
                                            "deadline_parts": "STRUCT(raw VARCHAR, kind VARCHAR, \"start\" DATE, "
                                                              "due DATE, recurrence VARCHAR, condition VARCHAR)[]"}}
    for table in TABLES:
        types = dict(con.execute(f"select column_name, column_type from (describe select * from "
                                 f"'{_glob(core_out, table)}')").fetchall())
        for column, kind in expected_duckdb[table].items():
            assert types[column] == kind, (table, column, types[column])
        rows = con.execute(f"select count(*) from '{_glob(core_out, table)}'").fetchone()[0]
        assert rows == len(frames[table])
        polars_frame = pl.read_parquet(_glob(core_out, table))
        assert polars_frame.height == len(frames[table]) and polars_frame.columns == list(frames[table].columns)
    ptasks = pl.read_parquet(_glob(core_out, "tasks"))
    assert ptasks.schema["deadline_due"] == pl.Date and ptasks.schema["task_order"] == pl.Int32
    assert ptasks.schema["deadline_parts"] == pl.List(pl.Struct({
        "raw": pl.String, "kind": pl.String, "start": pl.Date, "due": pl.Date, "recurrence": pl.String,
        "condition": pl.String}))
    assert con.execute(f"select task_order from '{_glob(core_out, 'tasks')}' order by task_order limit 1"
                       ).fetchone() == (1,)


def test_plans_keys_kinds_and_reference_tables(core_out: Path) -> None:
    frames = kehoach.load(core_out)
    plans = frames["plans"]
    # the .txt and .docx renditions of each dev plan share one document_key
    assert plans.groupby("document_key").size().tolist() == [2, 2, 2]
    assert plans.is_plan.all() and set(plans.doc_kind) == {"plan"}
    assert set(plans.source_path) == {f"{d}{s}" for d in DEV_IDS for s in (".txt", ".docx")}
    departments, areas = frames["departments"], frames["areas"]
    assert departments.set_index("code").loc["PHONG_VHXH", "name"] == "Phòng Văn hóa - Xã hội"
    assert "Phòng VH-XH" in list(departments.set_index("code").loc["PHONG_VHXH", "aliases"])
    assert set(areas.code) == {"CHI_DAO_DIEU_HANH", "THE_CHE", "TTHC", "TO_CHUC_BO_MAY", "CONG_VU",
                               "TAI_CHINH_CONG", "CHINH_QUYEN_SO"}
    assert set(frames["tasks"].explode("lead").lead.dropna()) <= set(departments.code)


def test_source_path_relative_to_input_root_and_not_a_plan(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    (inp / "xa_thuong_xuan").mkdir(parents=True)
    shutil.copy(DEV / f"{DEV_IDS[0]}.txt", inp / "xa_thuong_xuan" / "kh.txt")
    (inp / "bao_cao.txt").write_text(
        "ỦY BAN NHÂN DÂN\nXÃ THƯỜNG XUÂN\nSố: 12/BC-UBND\n\nBÁO CÁO\nKết quả công tác năm 2025\n"
        "Năm 2025 xã đã hoàn thành các nhiệm vụ.\n", "utf-8")
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    plans = kehoach.load(out)["plans"].set_index("source_path")
    assert list(plans.index) == ["bao_cao.txt", "xa_thuong_xuan/kh.txt"]
    assert plans.loc["xa_thuong_xuan/kh.txt", "source_file"] == "kh.txt"
    assert plans.loc["bao_cao.txt", "doc_kind"] == "report" and not plans.loc["bao_cao.txt", "is_plan"]
    assert plans.loc["xa_thuong_xuan/kh.txt", "is_plan"]
    # the reference tables are there after an unchanged rerun too
    (out / "parquet" / "areas.parquet").unlink()
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    assert len(kehoach.load(out)["areas"]) == 7


def _python_blocks(section: str) -> list[str]:
    text = README.read_text("utf-8")
    start = text.index(f"## {section}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end if end > 0 else None], re.S)


def test_readme_analyst_section_runs_as_written(core_out: Path, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "out").symlink_to(core_out, target_is_directory=True)
    blocks = _python_blocks("Analyst tables")
    assert len(blocks) == 3    # pandas, DuckDB, Polars
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            for block in blocks:
                exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = printed.getvalue()
    assert "Thường Xuân" in out and "Phòng Văn hóa - Xã hội" in out and "Quý IV/2027" in out


def test_export_xlsx_csv_duckdb(core_out: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    frames = kehoach.load(core_out)
    [xlsx] = kehoach.export(str(core_out), "xlsx", str(tmp_path / "k.xlsx"))
    book = load_workbook(xlsx)
    assert book.sheetnames == TABLES
    for name in TABLES:
        sheet = book[name]
        assert sheet.max_row == len(frames[name]) + 1, name
        assert [c.value for c in sheet[1]] == list(frames[name].columns)
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    tasks = book["tasks"]
    header = [c.value for c in tasks[1]]
    row = [c.value for c in tasks[2]]
    assert isinstance(row[header.index("deadline_due")], datetime.datetime)
    assert any("Phòng Văn hóa" in (c.value or "") for c in book["departments"]["C"])
    csvs = kehoach.export(str(core_out), "csv", str(tmp_path / "csv"))
    text = (tmp_path / "csv" / "tasks.csv").read_text("utf-8-sig")
    assert len(csvs) == len(TABLES) and "Văn phòng HĐND" in text
    [db] = kehoach.export(str(core_out), "duckdb", str(tmp_path / "k.duckdb"))
    con = duckdb.connect(db, read_only=True)
    assert con.execute("select count(*) from tasks where deadline_due < date '2026-07-01'").fetchone()[0] == \
        int((frames["tasks"].deadline_due < "2026-07-01").sum())


def test_python_api_convert(tmp_path: Path) -> None:
    path = DEV / f"{DEV_IDS[0]}.txt"
    doc = kehoach.convert(path)
    assert isinstance(doc, kehoach.PlanDocument)
    assert doc.plan.number == "09/KH-UBND" and doc.plan.issued_day == datetime.date(2026, 1, 10)
    assert isinstance(doc.tasks[0].deadline.due, datetime.date)
    assert doc.responsibilities and isinstance(doc.responsibilities[0], kehoach.Responsibility)
    out = tmp_path / "out"
    run_batch([str(path)], out, 0, Limits(), progress=False)
    written = (out / "json" / f"{doc.plan.plan_id}.json").read_text("utf-8")
    assert doc.to_json() == written                          # the same JSON as the CLI
    same = kehoach.convert(path.read_bytes(), name=path.name)
    assert same.to_json() == written
    many = kehoach.convert_many([path, DEV / f"{DEV_IDS[1]}.txt"], workers=0)
    assert [len(d.tasks) for d in many.values()] == [38, 36]
    with pytest.raises(kehoach.ConversionError):
        kehoach.convert(b"", name="empty.txt")
    assert kehoach.convert_many([tmp_path / "missing.docx"], workers=0, on_error="skip") == {}


def test_readme_python_api_section_runs_as_written() -> None:
    [block] = _python_blocks("Python API")
    root = README.parent
    cwd = os.getcwd()
    os.chdir(root)              # the example converts the sample plans in data/raw
    try:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    lines = printed.getvalue().splitlines()
    assert lines[0] == "09/KH-UBND 2026-01-10 38"
    assert lines[-1] == ("{'000_d2de27e494264d19.txt': 38, '002_f6f77b1eeffe7669.txt': 36, "
                         "'003_af92c9f39506e254.txt': 42}")


def test_parts_of_an_older_layout_are_rebuilt(tmp_path: Path) -> None:
    """An unchanged rerun after an upgrade that changed the columns rewrites the datasets, so
    no dataset mixes two schemas (skipped files would otherwise keep their old parts)."""
    import pyarrow.parquet as pq

    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(DEV / f"{DEV_IDS[0]}.txt", inp / "a.txt")
    out = tmp_path / "out"
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    [part] = (out / "parquet" / "tasks.parquet").glob("*.parquet")
    old = pq.read_table(part)
    pq.write_table(old.rename_columns(["order" if c == "task_order" else c for c in old.column_names]), part)
    run_batch([str(inp)], out, 0, Limits(), progress=False)
    tasks = kehoach.load(out)["tasks"]
    assert "task_order" in tasks and "order" not in tasks and len(tasks) == 38
