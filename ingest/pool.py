"""Worker processes with a per-file time limit and memory cap.

Each worker is a long-lived process (so spaCy and the parsers load once); a file that runs
past the time limit gets its worker killed and replaced, and is reported as an error. The
memory cap is watched from outside: the batch reads the resident memory of the worker and of
the helpers it started, and kills them past the cap. (An address-space limit inside the worker
was tried first: native code that hits it can hang instead of failing, until the time limit.)
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from ingest.convert import FileOutcome, convert_file


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 300.0
    memory_mb: int | None = 2048
    password: str | None = None
    severities: tuple[tuple[str, str], ...] = ()


def _warm_up() -> None:
    """Run a sample plan through the pipeline before the first file, so that a file's time
    limit measures that file and not the worker's start-up (see ingest.warmup)."""
    from ingest.warmup import warm_up

    warm_up()


def _settle_garbage_collector() -> None:
    """Move what the warm-up loaded (spaCy, models, compiled patterns, caches) out of the
    collector's sight, and collect the young generation less often: a full collection over
    that long-lived heap otherwise costs ~10% of the time of a small file."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _own_session(tmp: str) -> None:
    """Put the worker (and every helper it starts: LibreOffice, Tesseract) in a session of its
    own, so that the batch can kill them all together (kill_session), and so that Ctrl-C at the
    terminal reaches only the batch process, which stops the workers itself (no traceback from
    every worker). Temporary files go to a folder the batch removes after the worker."""
    try:
        os.setsid()
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.environ["TMPDIR"] = tmp
    tempfile.tempdir = tmp


def _worker(conn: Connection, limits: Limits, tmp: str) -> None:
    _own_session(tmp)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        _warm_up()
    except Exception:   # a broken install shows up per file, with its message
        pass
    _settle_garbage_collector()
    try:
        conn.send("ready")
    except OSError:              # the batch was killed while this worker started
        return
    severities = dict(limits.severities)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        outcome = convert_file(path, limits.password, severities)
        # python-docx and lxml leave reference cycles behind; with the frozen heap and the high
        # thresholds above, the collector would otherwise let them pile up file after file
        # (a worker grew to ~490 MB over 75 DOCX plans). The collection is part of the file's time.
        started = time.perf_counter()
        gc.collect()
        outcome.seconds += time.perf_counter() - started
        outcome.worker_rss_mb = _resident_mb()
        try:
            conn.send(outcome)
        except OSError:          # the batch is gone (killed): nothing to report to
            return


def _resident_mb() -> float | None:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return round(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6, 1)
    except (OSError, ValueError, IndexError):     # not Linux
        return None


STARTUP_TIMEOUT_S = 180.0
KILL_WAIT_S = 5.0      # how long to wait for a killed process to be reaped
MEMORY_POLL_S = 0.2    # how often a busy worker's memory is read: a parser grows ~100 MB/s at worst


def _session_processes(sid: int) -> list[tuple[int, int]]:
    """(pid, resident pages) of every process of the session `sid`; empty where there is no /proc."""
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) == sid:          # field 6 of stat: the session id
                found.append((pid, int(fields[21])))    # field 24: resident set size in pages
        except (OSError, ValueError, IndexError):
            continue
    return found


def session_resident_mb(sid: int) -> float:
    """Resident memory of a worker and every helper it started (LibreOffice, Tesseract)."""
    pages = sum(resident for _, resident in _session_processes(sid))
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def kill_session(sid: int) -> None:
    """SIGKILL every process of the session `sid` (a worker and the helpers it started, even
    those that made a process group of their own, such as LibreOffice's soffice.bin)."""
    try:
        os.killpg(sid, signal.SIGKILL)
    except OSError:
        pass
    for pid, _ in _session_processes(sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue


class _Slot:
    def __init__(self, ctx, limits: Limits):
        self.conn, child = ctx.Pipe()
        self.tmp = tempfile.mkdtemp(prefix="kehoach-worker-")
        self.process = ctx.Process(target=_worker, args=(child, limits, self.tmp), daemon=True)
        self.process.start()
        child.close()
        self.path: str | None = None
        self.started = 0.0
        self.ready = False

    def wait_ready(self) -> bool:
        if not self.ready and self.conn.poll(STARTUP_TIMEOUT_S):
            try:
                self.ready = self.conn.recv() == "ready"
            except (EOFError, OSError):
                self.ready = False
        return self.ready

    def submit(self, path: str) -> None:
        self.wait_ready()
        self.path, self.started = path, time.monotonic()
        try:
            self.conn.send(path)
        except OSError:     # the worker died on start-up: run_pool sees its sentinel and reports it
            pass

    def kill(self) -> None:
        if self.process.pid is not None:
            kill_session(self.process.pid)
        self.process.kill()
        self.process.join(KILL_WAIT_S)
        self.conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.process.join(KILL_WAIT_S)
        if self.process.is_alive():             # (once reaped, its pid may belong to another)
            kill_session(self.process.pid)
            self.process.join(KILL_WAIT_S)
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_pool(paths: Iterable[str], workers: int, limits: Limits) -> Iterator[FileOutcome]:
    """Outcomes in completion order (callers sort); one slow file never blocks the others."""
    queue = list(paths)
    if not queue:
        return          # nothing to convert (an unchanged rerun): do not start workers
    if workers <= 0:   # in-process: no guards, for debugging and tests
        for path in queue:
            yield convert_file(path, limits.password, dict(limits.severities))
        return
    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    slots = [_Slot(ctx, limits) for _ in range(min(workers, max(1, len(queue))))]
    queue.reverse()
    try:
        for slot in slots:
            if queue:
                slot.submit(queue.pop())
        while any(s.path for s in slots):
            busy = [s for s in slots if s.path]
            now = time.monotonic()
            wait_for = min(max(0.05, limits.timeout_s - (now - s.started)) for s in busy)
            if limits.memory_mb:
                wait_for = min(wait_for, MEMORY_POLL_S)
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=wait_for)
            for index, slot in enumerate(slots):
                if not slot.path:
                    continue
                outcome: FileOutcome | None = None
                if slot.conn in ready:
                    try:
                        outcome = slot.conn.recv()
                    except (EOFError, OSError):
                        outcome = _failed(slot, "the worker process died while converting this file "
                                                "(crash)")
                elif slot.process.sentinel in ready or not slot.process.is_alive():
                    outcome = _failed(slot, "the worker process died while converting this file "
                                            "(crash)")
                elif time.monotonic() - slot.started > limits.timeout_s:
                    outcome = _failed(slot, f"time limit exceeded ({limits.timeout_s:g} s): conversion stopped")
                elif limits.memory_mb and session_resident_mb(slot.process.pid) > limits.memory_mb:
                    outcome = _failed(slot, f"memory cap exceeded ({limits.memory_mb} MB): conversion stopped")
                if outcome is None:
                    continue
                if outcome.error and outcome.error.startswith(("the worker", "time limit", "memory cap")):
                    slot.kill()
                    slots[index] = slot = _Slot(ctx, limits)
                slot.path = None
                yield outcome
                if queue:
                    slot.submit(queue.pop())
    finally:
        for slot in slots:
            if slot.path:
                slot.kill()
            else:
                slot.stop()


def _failed(slot: _Slot, message: str) -> FileOutcome:
    return FileOutcome(path=slot.path or "?", status="error", error=message,
                       seconds=time.monotonic() - slot.started)
