"""`kehoach export OUT_DIR --to xlsx|csv|duckdb`: the analyst tables for spreadsheets and SQL."""
from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from ingest.analyst import read_arrow_tables
from ingest.outputs import write_atomic

FORMATS = ("xlsx", "csv", "duckdb")
LIST_JOINER = "; "               # list cells in a spreadsheet: items as a person would write them
XLSX_MAX_CELL = 32_767           # Excel's limit on the characters of one cell
XLSX_MAX_WIDTH = 60              # column width cap (characters): long text wraps in the cell view
XLSX_DATE_FORMAT = "yyyy-mm-dd"  # ISO dates, the same as the JSON, whatever the locale
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")   # control characters XML cannot hold


class ExportError(Exception):
    """A missing optional dependency or an unknown format."""


def _cell(value: object) -> object:
    """A spreadsheet cell for an Arrow value: lists joined, maps and structs as 'key: value'."""
    if value is None or isinstance(value, (bool, int, float, date, datetime)):
        return value
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)[:XLSX_MAX_CELL]
    if isinstance(value, dict):
        return _cell(value.get("raw") if "raw" in value else
                     LIST_JOINER.join(f"{k}: {v}" for k, v in value.items() if v is not None))
    if isinstance(value, list):
        if value and isinstance(value[0], tuple):          # a map: [(key, value), …]
            return _cell(LIST_JOINER.join(f"{k}: {v}" for k, v in value))
        return _cell(LIST_JOINER.join(str(_cell(v)) for v in value if v is not None))
    return _cell(str(value))


def _rows(table: pa.Table) -> list[list[object]]:
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [[_cell(col[r]) for col in columns] for r in range(table.num_rows)]


def export_xlsx(tables: dict[str, pa.Table], dest: Path) -> list[Path]:
    """One sheet per table: bold frozen header row, filters on, dates as Excel dates."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError as exc:   # a dependency of kehoach; only a broken install lacks it
        raise ExportError("xlsx export needs openpyxl (pip install openpyxl)") from exc
    import io

    book = Workbook()
    book.remove(book.active)
    for name, table in tables.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(table.column_names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = _rows(table)
        for row in rows:
            sheet.append(row)
        for i, field in enumerate(table.schema, start=1):
            letter = get_column_letter(i)
            if pa.types.is_date(field.type) or pa.types.is_timestamp(field.type):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = XLSX_DATE_FORMAT
            longest = max([len(field.name)] + [len(str(r[i - 1])) for r in rows[:200] if r[i - 1] is not None])
            sheet.column_dimensions[letter].width = min(XLSX_MAX_WIDTH, longest + 2)
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, table.num_columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, table.num_rows + 1)}"
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(dest, buffer.getvalue())
    return [dest]


def export_csv(tables: dict[str, pa.Table], dest: Path) -> list[Path]:
    """One CSV per table in the folder `dest`: UTF-8 with a byte-order mark (Excel then reads
    Vietnamese correctly), lists joined with '; ', dates ISO."""
    import io

    written = []
    for name, table in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.column_names)
        for row in _rows(table):
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row])
        path = dest / f"{name}.csv"
        write_atomic(path, "\ufeff" + buffer.getvalue())
        written.append(path)
    return written


def export_duckdb(tables: dict[str, pa.Table], dest: Path) -> list[Path]:
    """A DuckDB database file with one table per name, types kept (DATE, lists, structs)."""
    try:
        import duckdb
    except ImportError as exc:
        raise ExportError("duckdb export needs the duckdb package (pip install duckdb)") from exc
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    if tmp.exists():
        tmp.unlink()
    con = duckdb.connect(str(tmp))
    try:
        for name, table in tables.items():
            con.register("_incoming", table)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
            con.unregister("_incoming")
    finally:
        con.close()
    tmp.replace(dest)
    return [dest]


EXPORTERS: dict[str, tuple[Callable[[dict[str, pa.Table], Path], list[Path]], str]] = {
    "xlsx": (export_xlsx, "kehoach.xlsx"), "csv": (export_csv, "csv"), "duckdb": (export_duckdb, "kehoach.duckdb"),
}


def export(out_dir: str | Path, to: str, dest: str | Path | None = None) -> list[Path]:
    """Export the tables of `out_dir` (default destination inside it: kehoach.xlsx, csv/,
    kehoach.duckdb). Returns the files written."""
    if to not in EXPORTERS:
        raise ExportError(f"unknown export format {to!r} (one of {', '.join(FORMATS)})")
    writer, default_name = EXPORTERS[to]
    tables = read_arrow_tables(out_dir)
    return writer(tables, Path(dest) if dest else Path(out_dir) / default_name)
