"""What the output folder holds, file by file (OUT/.kehoach-state.json): the content, options
and version each input was converted with and the plan it gave, so that a rerun skips an
input whose result would be the same, and knows which plans the outputs hold.

Records are keyed by the file's real path (the same folder named by another path, a relative
or a linked one, is the same file), and an unchanged input is recognised by what decides its
result: content (sha256), file name (the plan_id and source.path come from it), options
(severities, password) and kehoach version, so a copy of a converted file is not converted
again either. Written with ASCII escapes, so file names that are not valid UTF-8 survive.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest import __version__

STATE_FILE = ".kehoach-state.json"
STATE_FORMAT = 2


def options_key(severities: tuple[tuple[str, str], ...], password: str | None) -> str:
    """A digest of the options that change a file's result (not the password itself)."""
    text = json.dumps([list(severities), password], ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def file_key(path: str) -> str:
    return os.path.realpath(path)


@dataclass
class State:
    files: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> State:
        try:
            data = json.loads((out / STATE_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        if data.get("format") != STATE_FORMAT:     # kehoach <= 0.1.0: {path: record}
            return cls(files={file_key(path): {**record, "name": Path(path).name, "options": None}
                              for path, record in data.items() if isinstance(record, dict)})
        return cls(files={k: v for k, v in (data.get("files") or {}).items() if isinstance(v, dict)})

    def dumps(self) -> str:
        return json.dumps({"format": STATE_FORMAT, "files": self.files}, ensure_ascii=True, indent=0,
                          sort_keys=True)

    def plan_ids(self) -> set[str]:
        return {r["plan_id"] for r in self.files.values() if r.get("status") == "ok" and r.get("plan_id")}

    def unchanged(self, key: str, sha256: str, name: str, options: str) -> dict | None:
        """A record whose result this input would reproduce: its own, else a copy's."""
        def same(record: dict) -> bool:
            return (record.get("status") == "ok" and record.get("sha256") == sha256
                    and record.get("name") == name and record.get("options") == options
                    and record.get("version") == __version__)
        own = self.files.get(key)
        if own is not None and same(own):
            return own
        return next((r for r in self.files.values() if same(r)), None)

    def record(self, key: str, *, sha256: str | None, name: str, options: str, status: str,
               plan_id: str | None, entry: dict, source_path: str | None = None) -> None:
        self.files[key] = {"sha256": sha256, "name": name, "options": options, "version": __version__,
                           "status": status, "plan_id": plan_id, "entry": entry, "source_path": source_path}

    def sources(self) -> dict[str, str]:
        """plan_id -> the source path relative to the input folder it was found in (the
        `source_path` column of the tables); for copies of one file, the first by key."""
        found: dict[str, str] = {}
        for key in sorted(self.files):
            record = self.files[key]
            if record.get("status") == "ok" and record.get("plan_id") and record.get("source_path"):
                found.setdefault(record["plan_id"], record["source_path"])
        return found

    def drop_plan(self, plan_id: str) -> None:
        for key in [k for k, r in self.files.items() if r.get("plan_id") == plan_id]:
            del self.files[key]
