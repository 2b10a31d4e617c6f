"""Finding each plan's source file again, and the source text of a task for text and DOCX."""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.state import State

CONTEXT_LINES = 1            # text renditions: one line of context above and below a task's lines
MAX_SNIPPET_LINES = 40       # a task's source lines shown at most (a runaway span stays readable)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def locate_sources(out_dir: Path, plans: Sequence[Mapping], roots: Sequence[Path] = ()) -> dict[str, Path]:
    """plan_id -> the source file with the plan's sha256: from the run state of `convert`
    (the inputs' real paths), else by relative path or file name
    under `roots`."""
    state = State.load(out_dir).files      # keys: the inputs' real paths
    by_plan = {v.get("plan_id"): (k, v.get("source_path")) for k, v in sorted(state.items())
               if v.get("plan_id") and v.get("status") == "ok"}
    found: dict[str, Path] = {}
    for plan in plans:
        pid, source = plan["plan_id"], plan["source"]
        given, relative = by_plan.get(pid, (None, None))
        candidates = [Path(given)] if given else []
        for root in roots:
            candidates += [root / relative] if relative else []
            candidates += [root / source["path"]] + sorted(root.rglob(source["path"]))[:5]
        for path in candidates:
            if path.is_file() and _sha256(path) == source["sha256"]:
                found[pid] = path
                break
    return found


@dataclass
class Snippet:
    """Source text of one task: numbered lines (text renditions) or the cells of its row (DOCX)."""
    lines: list[tuple[int, str]] | None = None       # (1-based line number, text)
    focus: tuple[int, int] | None = None             # the task's own lines
    cells: list[str] | None = None


class TextSource:
    def __init__(self, data: bytes):
        from parsers.text.plain import decode_text

        text = unicodedata.normalize("NFC", decode_text(data))     # as the JSON's text: marks composed
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def snippet(self, provenance: Mapping) -> Snippet | None:
        first = provenance.get("line")
        if not first:
            return None
        last = min(provenance.get("line_end") or first, first + MAX_SNIPPET_LINES - 1)
        lo, hi = max(1, first - CONTEXT_LINES), min(len(self.lines), last + CONTEXT_LINES)
        return Snippet(lines=[(n, self.lines[n - 1]) for n in range(lo, hi + 1)], focus=(first, last))


class DocxSource:
    def __init__(self, data: bytes):
        from parsers.docx import parse_docx

        self.rows: dict[tuple[object, object], list[str]] = {}
        for table in parse_docx(data).tables():
            for row in table.rows:
                if table.provenance.table is not None and row.provenance.row is not None:
                    self.rows[(table.provenance.table, row.provenance.row)] = row.texts

    def snippet(self, provenance: Mapping) -> Snippet | None:
        cells = self.rows.get((provenance.get("table"), provenance.get("row")))
        return Snippet(cells=cells) if cells is not None else None
