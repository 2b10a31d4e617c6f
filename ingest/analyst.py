"""Reading the analyst tables back: one Arrow table per name, and pandas with proper dtypes."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.tables import PLAN_TABLES, REFERENCE_TABLES

if TYPE_CHECKING:
    import pandas as pd

# Tables in the order analysts meet them (xlsx sheets, CSV files, DuckDB tables).
TABLE_ORDER = (*PLAN_TABLES, *REFERENCE_TABLES)


def parquet_dir(out_dir: str | Path) -> Path:
    """OUT/parquet for an output folder (the parquet folder itself is accepted too)."""
    root = Path(out_dir)
    return root if (root / "tasks.parquet").exists() else root / "parquet"


def table_paths(out_dir: str | Path) -> dict[str, Path]:
    """Every table present, by name: dataset folders and single files alike."""
    root = parquet_dir(out_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"no Parquet tables under {out_dir} (run `kehoach convert` first)")
    found = {p.name.removesuffix(".parquet"): p for p in sorted(root.glob("*.parquet"))}
    ordered = [n for n in TABLE_ORDER if n in found] + sorted(set(found) - set(TABLE_ORDER))
    return {name: found[name] for name in ordered}


def read_table(path: Path) -> pa.Table:
    if not path.is_dir():
        return pq.read_table(path)
    tables = [pq.read_table(p) for p in sorted(path.glob("*.parquet"))]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables).replace_schema_metadata(tables[0].schema.metadata)


def read_arrow_tables(out_dir: str | Path) -> dict[str, pa.Table]:
    return {name: read_table(path) for name, path in table_paths(out_dir).items()}


def _nullable(dtype: pa.DataType):
    import pandas as pd

    mapping = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
               pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return mapping.get(dtype)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Dates as datetime64 (so `tasks.deadline_due < "2026-07-01"` works), integers and
    booleans as nullable pandas dtypes, strings as pandas strings, lists as lists."""
    return table.to_pandas(date_as_object=False, types_mapper=_nullable)
