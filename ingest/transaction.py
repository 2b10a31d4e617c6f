"""The output folder as one unit: a lock, and changes staged then made visible together.

A run writes every new or changed output file (plan JSON, Parquet parts, the parts manifest,
the state file, report.json) into OUT/.kehoach-tx/ first. When all of them are complete it
writes a journal (OUT/.kehoach-tx/COMMIT: the files to move in, the files to remove) under a
temporary name and renames it: that rename is the commit point. Only then are the staged
files renamed into place (new Parquet parts before old ones are removed) and the stale ones
removed. A run killed before the commit point leaves the old outputs untouched (the next run
throws the staging folder away); one killed after it is finished by the next run, which
replays the journal (every step can be repeated). Renames stay on one file system, so the
visible change takes milliseconds, whatever the batch size.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from pathlib import Path

STAGING = ".kehoach-tx"
JOURNAL = "COMMIT"
LOCK_FILE = ".kehoach-lock"


class OutputBusyError(Exception):
    """Another run holds the output folder's lock."""


def file_mode() -> int:
    """The mode a new output file gets under the user's umask (0644 under the usual 022):
    outputs are read by analysts and web servers, so not mkstemp's private 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, raw: bytes, mode: int | None = None) -> None:
    """Write and flush to disk under a temporary name, then rename: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else mode)
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


class OutputLock:
    """An exclusive lock on OUT (flock on OUT/.kehoach-lock, released by the kernel when the
    process dies, so a killed run never leaves a stale lock)."""

    def __init__(self, out: Path):
        self.path = out / LOCK_FILE
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            holder = os.pread(self.fd, 64, 0).decode("ascii", "replace").strip()
            os.close(self.fd)
            self.fd = None
            raise OutputBusyError(f"another kehoach run{f' (pid {holder})' if holder else ''} is writing "
                                  f"to {self.path.parent}; wait for it to end, or use another --out") from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)     # closing releases the lock
            self.fd = None


def recover(out: Path) -> str | None:
    """Finish or throw away what an interrupted run left in OUT/.kehoach-tx/. Returns what was
    done ('finished' / 'discarded') or None. Call with the lock held."""
    staging = out / STAGING
    if not staging.exists():
        return None
    journal = staging / JOURNAL
    if journal.exists():
        try:
            plan = json.loads(journal.read_text("utf-8"))
        except (OSError, json.JSONDecodeError):   # cannot happen (renamed into place whole)
            plan = None
        if plan is not None:
            _apply(out, plan)
            shutil.rmtree(staging, ignore_errors=True)
            return "finished"
    shutil.rmtree(staging, ignore_errors=True)
    return "discarded"


def _apply(out: Path, plan: dict) -> None:
    """Move the staged files into place, then remove the stale ones. Repeatable: a moved file
    is no longer in the staging folder, a removed one no longer exists."""
    staging = out / STAGING
    for rel in plan["put"]:
        source = staging / rel
        if source.exists():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, out / rel)
    for rel in plan["remove"]:
        try:
            (out / rel).unlink()
        except FileNotFoundError:
            pass


class Transaction:
    """Staged changes to OUT: `put` files and `remove` files, then `commit` (all visible) or
    `abort` (none). Paths are relative to OUT, with '/' separators."""

    def __init__(self, out: Path):
        self.out = out
        self.staging = out / STAGING
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self.mode = file_mode()
        self.puts: dict[str, None] = {}      # ordered set
        self.removes: dict[str, None] = {}

    def put(self, rel: str, data: bytes | str) -> None:
        # A stray undecodable file name in some message must not cost the run its outputs.
        raw = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
        write_file(self.staging / rel, raw, self.mode)
        self.puts[rel] = None
        self.removes.pop(rel, None)

    def staged(self, rel: str) -> Path | None:
        """The staged copy of rel, if this transaction wrote one."""
        return self.staging / rel if rel in self.puts else None

    def unput(self, rel: str) -> None:
        if self.puts.pop(rel, 0) is None:
            (self.staging / rel).unlink(missing_ok=True)

    def remove(self, rel: str) -> None:
        self.unput(rel)
        self.removes[rel] = None

    def path_for(self, rel: str) -> Path:
        """Where to write a staged file directly (large writers such as Parquet); call
        `adopt` after it is complete."""
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def adopt(self, rel: str) -> None:
        os.chmod(self.staging / rel, self.mode)
        self.puts[rel] = None
        self.removes.pop(rel, None)

    def commit(self) -> None:
        plan = {"put": list(self.puts), "remove": [r for r in self.removes if r not in self.puts]}
        write_file(self.staging / JOURNAL, json.dumps(plan, ensure_ascii=True).encode("ascii"))
        _fsync_dir(self.staging)
        _apply(self.out, plan)
        shutil.rmtree(self.staging, ignore_errors=True)

    def abort(self) -> None:
        """Throw the staged changes away; after the commit point (the journal exists) they are
        left for the next run to finish instead (see recover)."""
        if not (self.staging / JOURNAL).exists():
            shutil.rmtree(self.staging, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
