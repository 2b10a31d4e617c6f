"""Writers: atomic files, and the Parquet tables built from the per-plan JSON documents."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.tables import PLAN_TABLES, build_tables, reference_tables, schema_of


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


TABLES = PLAN_TABLES   # analyst column sets: ingest/tables.py
MANIFEST = "_parts.json"
MAX_PARTS = 64


def _write_table(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
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

    def __init__(self, root: Path, sources: dict[str, str] | None = None):
        self.root = root
        self.sources = sources or {}     # plan_id -> source path relative to the input root
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
        for table, data in build_tables(documents, self.sources).items():
            _write_table(data, self.root / f"{table}.parquet" / name)

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
        if known - removed - changed != on_disk - changed or len(self.parts) > MAX_PARTS or self._old_columns():
            self.rebuild(json_dir)
            return
        touched = changed | removed
        if not touched:
            write_reference_tables(self.root)
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

    def _old_columns(self) -> bool:
        """Parts written by a kehoach with other table columns (a dataset must have one schema)."""
        for table in TABLES:
            part = next(iter(sorted((self.root / f"{table}.parquet").glob("*.parquet"))), None)
            if part is not None and not pq.read_schema(part).equals(schema_of(table), check_metadata=False):
                return True
        return False

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
            for table in TABLES:   # empty datasets still have a schema
                _write_table(schema_of(table).empty_table(), self.root / f"{table}.parquet" / "part-empty.parquet")
        self._save()

    def _save(self) -> None:
        write_reference_tables(self.root)
        write_atomic(self.manifest_path, json.dumps(self.parts, indent=0, sort_keys=True))

    def counts(self) -> dict[str, int]:
        return {table: sum(pq.ParquetFile(p).metadata.num_rows
                           for p in (self.root / f"{table}.parquet").glob("*.parquet"))
                for table in TABLES}


def write_reference_tables(root: Path) -> None:
    """departments.parquet and areas.parquet (code, level, name, aliases), with every run;
    a file is rewritten only when the vocabulary changed."""
    import io

    for name, table in reference_tables().items():
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        target = root / f"{name}.parquet"
        if not target.is_file() or target.read_bytes() != buffer.getvalue():
            write_atomic(target, buffer.getvalue())
