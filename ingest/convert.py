"""Convert one file: read, detect, parse, assemble, validate. Returns text, never raises."""
from __future__ import annotations

import hashlib
import re
import stat
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.detect import detect
from ingest.inputs import display_path
from ingest.readers import ReadOptions, read_document
from parsers.errors import EncryptedDocumentError, ParseError

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class FileOutcome:
    path: str
    status: str                       # ok | error | skipped
    error: str | None = None
    reason: str | None = None         # why a file was skipped (unchanged, not a supported type, …)
    plan_id: str | None = None
    sha256: str | None = None
    json_text: str | None = None
    tasks: int = 0
    targets: int = 0
    issues: int = 0
    errors: int = 0                   # error-level issues
    seconds: float = 0.0
    format: str | None = None
    worker_rss_mb: float | None = None    # the worker's resident memory after this file
    issue_list: list[dict] = field(default_factory=list)

    def report_entry(self) -> dict:
        return {"path": display_path(self.path), "status": self.status, "error": self.error,
                "reason": self.reason, "plan_id": self.plan_id,
                "format": self.format, "tasks": self.tasks, "targets": self.targets,
                "issues": self.issues, "error_issues": self.errors, "seconds": round(self.seconds, 3),
                "worker_rss_mb": self.worker_rss_mb}


def plan_id_for(path: Path, sha256: str) -> str:
    """Readable and stable for the same content: '<file stem>-<first 12 hex of sha256>'."""
    stem = unicodedata.normalize("NFC", path.name.split(".")[0])
    slug = re.sub(r"[^\w\-]+", "_", stem).strip("_")[:60]
    return f"{slug}-{sha256[:12]}" if slug else sha256[:16]


def convert_file(path: str, password: str | None = None,
                 severities: dict[str, str] | None = None) -> FileOutcome:
    started = time.perf_counter()
    outcome = FileOutcome(path=path, status="error")
    try:
        file_path = Path(path)
        info = file_path.stat()
        if not stat.S_ISREG(info.st_mode):     # opening a FIFO or a device would block or never end
            outcome.error = "not a regular file (FIFO, socket or device): not read"
            return outcome
        size = info.st_size
        if size > MAX_FILE_BYTES:
            outcome.error = f"file is {size / 1e6:.0f} MB, above the {MAX_FILE_BYTES / 1e6:.0f} MB limit"
            return outcome
        data = file_path.read_bytes()
        outcome.sha256 = hashlib.sha256(data).hexdigest()
        detected = detect(file_path, data[:2048], data)
        outcome.format = detected.format
        if detected.format is None:
            outcome.error = detected.problem
            return outcome
        document = read_document(detected.format, data, ReadOptions(password=password))
        from ingest.assemble import SourceInfo, build_plan_document
        plan_id = plan_id_for(file_path, outcome.sha256)
        result = build_plan_document(
            document,
            SourceInfo(path=unicodedata.normalize("NFC", display_path(file_path.name)), sha256=outcome.sha256,
                       format=document.format, pages=document.pages),
            plan_id, severities)
        outcome.format = document.format
        outcome.plan_id = plan_id
        outcome.json_text = result.to_json()
        outcome.tasks, outcome.targets, outcome.issues = len(result.tasks), len(result.targets), len(result.issues)
        outcome.errors = sum(i.severity == "error" for i in result.issues)
        outcome.issue_list = [i.model_dump(mode="json") for i in result.issues]
        outcome.status = "ok"
    except EncryptedDocumentError as exc:
        outcome.error = f"encrypted: {exc}"
    except ParseError as exc:
        outcome.error = str(exc)
    except PermissionError as exc:
        outcome.error = f"cannot read the file: {exc.strerror}"
    except FileNotFoundError:
        outcome.error = "file not found"
    except IsADirectoryError:
        outcome.error = "is a directory"
    except MemoryError:
        outcome.error = "out of memory while converting (memory guard)"
    except RecursionError:
        outcome.error = "document nesting too deep to read"
    except Exception as exc:  # a bug must cost one file, not the batch; keep the trace short
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.error = (f"internal error {type(exc).__name__}: {exc} "
                         f"(at {Path(frame.filename).name}:{frame.lineno})")
    finally:
        outcome.seconds = time.perf_counter() - started
    return outcome
