"""Writers: atomic files, and the Parquet tables built from the per-plan JSON documents."""
from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.tables import (PLAN_TABLES, REFERENCE_TABLES, as_day, build_tables, plan_rows, reference_tables,
                           schema_of)
from ingest.transaction import Transaction, file_mode, write_file


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename: never a partial file. The
    file gets the user's umask (analysts and web servers read the outputs)."""
    write_file(path, data.encode("utf-8") if isinstance(data, str) else data, file_mode())


TABLES = PLAN_TABLES   # per-plan analyst tables (ingest/tables.py): datasets of parts
MANIFEST = "_parts.json"
MAX_PARTS = 64      # above this many parts a run rewrites one part: readers open every part
REFERENCE = REFERENCE_TABLES   # departments, areas: one file each, staged when they change

__all__ = ["MANIFEST", "MAX_PARTS", "REFERENCE", "TABLES", "ParquetParts", "as_day", "check_document",
           "write_atomic"]


def check_document(document: dict, source_path: str | None = None) -> None:
    """Raise if a plan's rows cannot go into the Parquet tables (what every table needs of the
    document), so one document's bad values cost that document, not the batch's outputs."""
    build_tables([document], {document["plan"]["plan_id"]: source_path} if source_path else None)


def _part_name(plan_ids: list[str]) -> str:
    return "part-" + hashlib.sha256("\n".join(sorted(plan_ids)).encode()).hexdigest()[:16] + ".parquet"


Loader = Callable[[str], "dict | None"]


class ParquetParts:
    """The Parquet outputs as datasets: OUT/parquet/<table>.parquet/ is a folder of parts,
    each part holding whole plans (OUT/parquet/_parts.json lists them). A run writes one new
    part for the plans it converted and rewrites only the old parts that held a changed or
    removed plan, so an unchanged rerun writes nothing. Every change goes through the run's
    Transaction: new parts are complete before the old ones are removed, all at the commit."""

    def __init__(self, out: Path, folder: str = "parquet", sources: Mapping[str, str] | None = None):
        self.out, self.folder = out, folder
        self.sources = dict(sources or {})   # plan_id -> source path relative to the input root
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
                doc_rows = plan_rows(document, self.sources.get(pid))
                for table in TABLES:
                    pa.Table.from_pylist(doc_rows[table], schema=schema_of(table))
            except Exception:      # one bad document must not cost the others their rows
                dropped.add(pid)
                continue
            for table in TABLES:
                rows[table].extend(doc_rows[table])
            written.append(pid)
        name = _part_name(written) if written else "part-empty.parquet"
        for table in TABLES:
            rel = self._rel(table, name)
            pq.write_table(pa.Table.from_pylist(rows[table], schema=schema_of(table)), tx.path_for(rel),
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
        self._stage_reference_tables(tx)
        if (rebuild or self.plan_ids() != committed_ids or len(self.parts) > MAX_PARTS or not self._complete()
                or not self.parts and not (self.out / self._rel("plans", "part-empty.parquet")).exists()
                or self._old_columns()):
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

    def _old_columns(self) -> bool:
        """Parts written by a kehoach with other table columns (a dataset must have one schema)."""
        for table in TABLES:
            folder = self.out / self.folder / f"{table}.parquet"
            part = next(iter(sorted(folder.glob("*.parquet"))), None) if folder.is_dir() else None
            try:
                if part is not None and not pq.read_schema(part).equals(schema_of(table), check_metadata=False):
                    return True
            except Exception:       # an unreadable part: rebuilt too
                return True
        return False

    def _stage_reference_tables(self, tx: Transaction) -> None:
        """departments.parquet and areas.parquet (code, level, name, aliases), with every run;
        a file is staged only when the vocabulary changed (or it is missing)."""
        for name, table in reference_tables().items():
            buffer = io.BytesIO()
            pq.write_table(table, buffer, compression="zstd")
            rel = f"{self.folder}/{name}.parquet"
            target = self.out / rel
            try:
                same = target.is_file() and target.read_bytes() == buffer.getvalue()
            except OSError:
                same = False
            if not same:
                tx.put(rel, buffer.getvalue())

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
