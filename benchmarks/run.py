"""kehoach benchmark: kehoach and baselines on the SAME files, in ONE run.

    .venv/bin/python benchmarks/run.py                 # full run (>= 300 files), ~13 min on 2 cores (longer with --wait-idle)
    .venv/bin/python benchmarks/run.py --quick         # smoke check (48 files + a 40-page PDF)
    .venv/bin/python benchmarks/run.py --skip-baselines --corpus /tmp/khcorpus --keep
    .venv/bin/python benchmarks/run.py --scan-only          # only OCR of the dev scans: s/page per worker

Writes ``benchmarks/results.json`` (``--quick``: ``benchmarks/results-quick.json``; ``--scan-only``:
``benchmarks/results-scan.json``; ``--out`` to choose) and prints a table. See
``benchmarks/README.md`` for the method and every number.
Needs the ``bench`` extra (psutil, docling-slim[format-docx]); without psutil, peak RSS is not
sampled; without docling, the DOCX baseline is reported as unavailable.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "dev"
BASELINES_PY = Path(__file__).resolve().parent / "baselines.py"

# Corpus groups: name -> (suffix of the dev originals, folder in the corpus). The order is the
# order of the report. ".scan.pdf" originals are used when the dev set has them.
GROUPS = {
    "docx": ".docx",
    "pdf": ".pdf",            # text-layer PDFs (names ending .pdf but not .scan.pdf)
    "txt": ".txt",            # plain text renditions (not .layout.txt)
    "layout": ".layout.txt",  # layout-flattened PDF text
    "scan": ".scan.pdf",      # scanned PDFs (no text layer), when present
}
BIG = "big100"                # the ~100-page PDF, measured on its own

TARGETS = {
    "pdf_vs_pdfplumber_max": 0.5,
    "docx_vs_docling_max": 0.2,
    "txt_docs_per_s_per_worker_min": 200.0,
    "big_pdf_peak_rss_mb_max": 300.0,
    "scaling_2w_min": 1.7,
    "rerun_speedup_min": 20.0,
    "ocr_s_per_page_per_worker_max": 1.5,
}
# Scans are OCRed (~1.5 s a page): they are not replicated to the corpus size but read once each
# (copy 0 only), in a run of their own ("scan/w1"), and kept out of the per-group and whole-corpus
# runs, which they would otherwise dominate.
SCAN = "scan"

MARK = "kehoach-bench copy {:03d}"
NOISY_LOAD = 0.25   # CPUs used by other processes above which a timing verdict is marked '?'


# ================================================================ small helpers
def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _group_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".scan.pdf"):
        return "scan"
    if lower.endswith(".layout.txt"):
        return "layout"
    if lower.endswith(".pdf"):
        return "pdf"
    if lower.endswith(".txt"):
        return "txt"
    if lower.endswith(".docx"):
        return "docx"
    return None


def _split_name(name: str) -> tuple[str, str]:
    """'000_x.layout.txt' -> ('000_x', '.layout.txt'): kehoach's plan_id uses the part before the first dot."""
    stem, dot, rest = name.partition(".")
    return stem, dot + rest


def quantile(values: list[float], q: float) -> float | None:
    """Linear-interpolated quantile (numpy's default), None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def dist(values: list[float]) -> dict:
    return {"n": len(values), "sum": round(sum(values), 4) if values else 0.0,
            "mean": round(statistics.fmean(values), 4) if values else None,
            "median": _r(quantile(values, 0.5)), "p95": _r(quantile(values, 0.95)),
            "max": _r(max(values) if values else None)}


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def pdf_pages(path: Path) -> int | None:
    try:
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:
        return None


def _version(dist_name: str) -> str | None:
    try:
        return metadata.version(dist_name)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


# ================================================================ corpus
def copy_txt(data: bytes, k: int) -> bytes:
    """Plain text rendition: a trailing newline and an HTML comment line (the text parser drops it)."""
    return data + (b"" if data.endswith(b"\n") else b"\n") + f"\n<!-- {MARK.format(k)} -->\n".encode()


def copy_layout(data: bytes, k: int) -> bytes:
    """Layout text: k extra trailing blank lines. A trailing comment line is NOT harmless here:
    parsers/text/layout_text.py folds it into the last table row and re-splits earlier columns."""
    return data + b"\n" * k


def copy_pdf(data: bytes, k: int) -> bytes:
    """A PDF comment after %%EOF: readers ignore bytes after the last trailer."""
    return data + (b"" if data.endswith(b"\n") else b"\n") + f"%{MARK.format(k)}\n".encode()


_CUSTOM_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
               'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
               '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="KehoachBenchCopy">'
               '<vt:lpwstr>{}</vt:lpwstr></property></Properties>')
_CUSTOM_CT = ('<Override PartName="/docProps/custom.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>')
_CUSTOM_REL = ('<Relationship Id="rIdKehoachBench" Target="docProps/custom.xml" '
               'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"/>')


def copy_docx(data: bytes, k: int) -> bytes:
    """Rewrite the package with a docProps/custom.xml custom property naming the copy (plus its
    content-type override and package relationship); every other part is copied unchanged."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = set(src.namelist())
    had_custom = "docProps/custom.xml" in names
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/custom.xml":
                body = _CUSTOM_XML.format(MARK.format(k)).encode()
            elif info.filename == "[Content_Types].xml" and not had_custom:
                body = body.replace(b"</Types>", _CUSTOM_CT.encode() + b"</Types>", 1)
            elif info.filename == "_rels/.rels" and not had_custom:
                body = body.replace(b"</Relationships>", _CUSTOM_REL.encode() + b"</Relationships>", 1)
            dst.writestr(info, body)
        if not had_custom:
            info = zipfile.ZipInfo("docProps/custom.xml", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, _CUSTOM_XML.format(MARK.format(k)).encode())
    return out.getvalue()


COPIERS = {"docx": copy_docx, "pdf": copy_pdf, "scan": copy_pdf, "txt": copy_txt, "layout": copy_layout}


def _annex_pages(pdf_path: Path, pdf) -> list[int]:
    """Pages of the annexes: from the dev manifest (pages with tables) when there is one, else
    from the first page whose text starts a 'PHỤ LỤC' block."""
    manifest = pdf_path.with_name(_split_name(pdf_path.name)[0] + ".manifest.json")
    if manifest.exists():
        try:
            per_page = json.loads(manifest.read_text("utf-8")).get("tables_per_page") or []
            if len(per_page) == len(pdf) and any(per_page):
                first = next(i for i, n in enumerate(per_page) if n)
                # the annex title page may carry no table: start at the page before if it says PHỤ LỤC
                if first > 0 and re.search(r"(?im)^\s*ph[ụu]\s*l[ụu]c", _page_text(pdf, first - 1)):
                    first -= 1
                return list(range(first, len(pdf)))
        except (OSError, ValueError, StopIteration):
            pass
    for index in range(len(pdf)):
        if re.search(r"(?im)^\s*ph[ụu]\s*l[ụu]c", _page_text(pdf, index)):
            return list(range(index, len(pdf)))
    return list(range(len(pdf)))


def _page_text(pdf, index: int) -> str:
    page = pdf[index]
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()
        page.close()


def build_big_pdf(sources: list[Path], dest: Path, pages_wanted: int) -> dict:
    """Page 1 of the first plan (letterhead, number, title: so kehoach sees a plan), then the
    annex pages of every dev PDF, in turn, again and again, until `pages_wanted` pages."""
    import pypdfium2 as pdfium

    docs = [pdfium.PdfDocument(str(p)) for p in sources]
    try:
        annexes = [(i, _annex_pages(p, d)) for i, (p, d) in enumerate(zip(sources, docs))]
        annexes = [(i, pages) for i, pages in annexes if pages]
        new = pdfium.PdfDocument.new()
        new.import_pages(docs[0], pages=[0])
        plan: list[list] = [[sources[0].name, [0]]]
        while len(new) < pages_wanted and annexes:
            for i, pages in annexes:
                take = pages[: pages_wanted - len(new)]
                if not take:
                    break
                new.import_pages(docs[i], pages=take)
                plan.append([sources[i].name, take])
        buf = io.BytesIO()
        new.save(buf)
        new.close()
        dest.write_bytes(buf.getvalue())
    finally:
        for d in docs:
            d.close()
    return {"path": str(dest), "pages": pdf_pages(dest), "bytes": dest.stat().st_size,
            "made_of": plan, "annex_pages_per_source": {sources[i].name: pages for i, pages in annexes}}


def build_corpus(root: Path, min_files: int, big_pages: int) -> dict:
    """Copies of every dev original (copy 0 is the original's bytes), byte-distinct, one folder
    per group, plus the big PDF. Deterministic: the same options give the same bytes."""
    originals: dict[str, list[Path]] = {g: [] for g in GROUPS}
    for path in sorted(DEV.iterdir()):
        group = _group_of(path.name)
        if group and path.is_file():
            originals[group].append(path)
    n_orig = sum(len(v) for v in originals.values())
    if not n_orig:
        raise SystemExit(f"benchmark: no dev documents under {DEV}")
    n_replicated = sum(len(v) for g, v in originals.items() if g != SCAN)
    copies = max(1, math.ceil(min_files / max(1, n_replicated)))
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[dict]] = {}
    for group, paths in originals.items():
        if not paths:
            continue
        folder = root / group
        folder.mkdir(exist_ok=True)
        entries = []
        for src in paths:
            data = src.read_bytes()
            stem, suffix = _split_name(src.name)
            pages = pdf_pages(src) if suffix.endswith(".pdf") else None
            for k in range(1 if group == SCAN else copies):
                name = src.name if k == 0 else f"{stem}-c{k:03d}{suffix}"
                body = data if k == 0 else COPIERS[group](data, k)
                (folder / name).write_bytes(body)
                entries.append({"name": name, "original": src.name, "copy": k, "bytes": len(body), "pages": pages})
        files[group] = entries
    big_dir = root / BIG
    big_dir.mkdir(exist_ok=True)
    big = build_big_pdf(originals["pdf"], big_dir / f"annexes_{big_pages}p.pdf", big_pages) \
        if originals["pdf"] else None
    all_bytes = [e["bytes"] for g in files.values() for e in g]
    manifest = {"root": str(root), "copies_per_original": copies, "min_files": min_files,
                "big_pages_requested": big_pages, "files": files, "big": big,
                "total_files": len(all_bytes), "total_bytes": sum(all_bytes),
                "originals": {g: [p.name for p in v] for g, v in originals.items() if v}}
    # every file must be byte-distinct
    digests = set()
    import hashlib
    for group, entries in files.items():
        for e in entries:
            digests.add(hashlib.sha256((root / group / e["name"]).read_bytes()).hexdigest())
    manifest["byte_distinct"] = len(digests) == len(all_bytes)
    (root / "corpus.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def load_or_build_corpus(root: Path, min_files: int, big_pages: int) -> dict:
    marker = root / "corpus.json"
    if marker.exists():
        manifest = json.loads(marker.read_text("utf-8"))
        if manifest.get("min_files") == min_files and manifest.get("big_pages_requested") == big_pages:
            log(f"reusing corpus {root} ({manifest['total_files']} files)")
            return manifest
        log(f"corpus {root} was built with other options: rebuilding")
        for group in list(GROUPS) + [BIG]:
            shutil.rmtree(root / group, ignore_errors=True)
    log(f"building corpus in {root} (>= {min_files} files, {big_pages}-page PDF)")
    return build_corpus(root, min_files, big_pages)


# ================================================================ process-tree RSS sampler
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_status(pid: int) -> dict:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return out


def _proc_cpu_s(pid: int) -> float | None:
    """utime + stime of a process, from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return None


def machine_busy_s() -> float | None:
    """CPU seconds the whole machine spent busy (all CPUs), from /proc/stat."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
        user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
        return (user + nice + system + irq + softirq + steal) / CLK_TCK
    except (OSError, ValueError):
        return None


def other_load(seconds: float = 1.0) -> float | None:
    """CPUs busy over `seconds` while the benchmark itself is idle: the load of other processes."""
    b0 = machine_busy_s()
    time.sleep(seconds)
    b1 = machine_busy_s()
    return None if b0 is None or b1 is None else (b1 - b0) / seconds


def wait_idle() -> dict:
    """With --wait-idle S: wait (up to S seconds) until other processes use less than
    --idle-threshold CPUs, measured over 1 s windows. Returns what was waited and seen."""
    max_wait, threshold = RUN.get("wait_idle", 0.0), RUN.get("idle_threshold", 0.3)
    if not max_wait:
        return {}
    started = time.monotonic()
    load = other_load()
    while load is not None and load > threshold and time.monotonic() - started < max_wait:
        time.sleep(2.0)
        load = other_load()
    waited = time.monotonic() - started
    if load is not None and load > threshold:
        log(f"  machine still busy after {waited:.0f} s (other load {load:.2f} CPUs): running anyway")
    elif waited > 1.5:
        log(f"  waited {waited:.0f} s for the machine to be idle")
    return {"waited_s": round(waited, 1), "load_before_cpus": _r(load, 2)}


class TreeSampler:
    """Polls a process and its descendants. The tree is re-listed (psutil) every
    `tree_interval` s; every `interval` s each known process's /proc/<pid>/status is read and
    the largest VmHWM kept: VmHWM is the kernel's peak-RSS high-water mark, so a peak between
    two samples is still seen as long as the process is sampled once after it (only a peak in
    the last `interval` before a worker exits can be missed). Also keeps parent, command line
    and the last CPU time (utime+stime) of each process."""

    def __init__(self, root_pids: int | list[int], interval: float = 0.05, tree_interval: float = 0.1):
        self.roots = [root_pids] if isinstance(root_pids, int) else list(root_pids)
        self.root_pid = self.roots[0]
        self.interval, self.tree_interval = interval, tree_interval
        self.procs: dict[int, dict] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        try:
            import psutil
            self._psutil = psutil
        except ImportError:
            self._psutil = None

    @property
    def available(self) -> bool:
        return self._psutil is not None

    def start(self) -> "TreeSampler":
        if self.available:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _discover(self) -> None:
        psutil = self._psutil
        for root_pid in self.roots:
            try:
                root = psutil.Process(root_pid)
                tree = [root] + root.children(recursive=True)
            except psutil.Error:
                continue
            for proc in tree:
                if proc.pid in self.procs:
                    continue
                try:
                    self.procs[proc.pid] = {"pid": proc.pid, "ppid": proc.ppid(), "root": root_pid,
                                            "cmd": " ".join(proc.cmdline())[:300], "hwm_kb": 0, "rss_kb": 0,
                                            "cpu_s": 0.0, "alive": True}
                except psutil.Error:
                    continue

    def _loop(self) -> None:
        next_tree = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= next_tree:
                self._discover()
                next_tree = now + self.tree_interval
            for pid, rec in self.procs.items():
                if not rec["alive"]:
                    continue
                status = _proc_status(pid)
                if not status:
                    rec["alive"] = False
                    continue
                rec["hwm_kb"] = max(rec["hwm_kb"], status.get("VmHWM", 0))
                rec["rss_kb"] = max(rec["rss_kb"], status.get("VmRSS", 0))
                cpu = _proc_cpu_s(pid)
                if cpu is not None:
                    rec["cpu_s"] = max(rec["cpu_s"], cpu)
            self.samples += 1
            self._stop.wait(self.interval)

    def cpu_s(self) -> float:
        return sum(r["cpu_s"] for r in self.procs.values())

    def summary(self) -> dict:
        """main = the root process; helpers = its direct children (forkserver, resource
        tracker; Dask nannies); workers = processes started by a helper (multiprocessing
        forkserver workers; Dask workers), or direct children started with spawn."""
        if not self.available:
            return {"available": False, "note": "psutil not installed: no RSS sampling"}
        main = self.procs.get(self.root_pid)
        workers, helpers = [], []
        for pid, rec in self.procs.items():
            if pid in self.roots:
                continue
            spawned = "spawn_main" in rec["cmd"] or "--multiprocessing-fork" in rec["cmd"]
            (workers if rec["ppid"] not in self.roots or spawned else helpers).append(rec)

        def mb(rec: dict) -> float:
            return round(max(rec["hwm_kb"], rec["rss_kb"]) / 1024, 1)

        workers.sort(key=lambda r: r["pid"])
        return {"available": True, "samples": self.samples, "interval_s": self.interval,
                "main_peak_mb": mb(main) if main else None,
                "worker_peak_mb": [mb(r) for r in workers],
                "max_worker_peak_mb": max((mb(r) for r in workers), default=None),
                "worker_cpu_s": [round(r["cpu_s"], 2) for r in workers],
                "main_cpu_s": round(main["cpu_s"], 2) if main else None,
                "helper_peak_mb": [mb(r) for r in helpers]}


# ================================================================ kehoach runs
CODE_PACKAGES = ("ingest", "parsers", "normalize", "schema")
RUN: dict = {"cwd": str(REPO), "env": None}


def code_fingerprint(root: Path) -> str:
    """sha256 over kehoach's package files (sources and data), to tell whether the code changed."""
    import hashlib
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        digest.update(pyproject.read_bytes())
    return digest.hexdigest()[:16]


def snapshot_code(dest: Path) -> dict:
    """Copy kehoach's packages (and pyproject.toml, which holds its [tool.kehoach] config) to
    `dest` and run every kehoach process from there (PYTHONPATH first, cwd = dest): all runs of
    one benchmark then use the same code even when the work tree is being edited meanwhile
    (the project is installed editable)."""
    dest.mkdir(parents=True, exist_ok=True)
    for package in CODE_PACKAGES:
        shutil.copytree(REPO / package, dest / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if (REPO / "pyproject.toml").exists():
        shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(dest) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    RUN.update(cwd=str(dest), env=env)
    return {"snapshot": str(dest), "fingerprint": code_fingerprint(dest)}


def kehoach_cmd() -> list[str]:
    script = Path(sys.executable).with_name("kehoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ingest.cli"]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_kehoach(label: str, paths: list[Path], out: Path, workers: int | None, *, force: bool = True,
                extra: list[str] | None = None, timeout: float = 3600, also_sample: list[int] | None = None) -> dict:
    """One `kehoach convert` as a subprocess; wall clock around the whole process, per-file
    times and statuses from its report.json, peak RSS and CPU from the sampler, and the CPU
    that other processes on the machine used meanwhile (/proc/stat minus our processes)."""
    cmd = kehoach_cmd() + ["convert", *[str(p) for p in paths], "--out", str(out), "-q"]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    if force:
        cmd.append("--force")
    cmd += extra or []
    (out / "report.json").unlink(missing_ok=True)
    log(f"kehoach {label}: {' '.join(cmd[1:3])} ... --workers {workers} {' '.join(extra or [])}")
    idle = wait_idle()
    busy0, own0 = machine_busy_s(), time.process_time()
    other_sampler = TreeSampler(also_sample).start() if also_sample else None
    if other_sampler:   # processes that exist before the run: count only what they use during it
        time.sleep(0.15)
        base_other = other_sampler.cpu_s()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=RUN["cwd"], env=RUN["env"],
                            start_new_session=True)
    sampler = TreeSampler(proc.pid).start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        stdout, stderr = proc.communicate()
        timed_out = True
    wall = time.perf_counter() - started
    sampler.stop()
    _kill_group(proc)   # leftover workers, if any
    extra_cpu = 0.0
    if other_sampler:
        other_sampler.stop()
        extra_cpu = other_sampler.cpu_s() - base_other
    busy1, own1 = machine_busy_s(), time.process_time()
    ours = sampler.cpu_s() + extra_cpu + (own1 - own0)
    other_cpus = None
    if busy0 is not None and busy1 is not None and wall > 0:
        other_cpus = max(0.0, (busy1 - busy0) - ours) / wall
    rec: dict = {"label": label, "cmd": cmd[:3] + ["..."] + cmd[3 + len(paths):], "workers": workers,
                 "exit_code": proc.returncode, "timed_out": timed_out, "wall_s": round(wall, 3),
                 "rss": sampler.summary(), "kehoach_cpu_s": round(sampler.cpu_s() + extra_cpu, 2),
                 "benchmark_process_cpu_s": round(own1 - own0, 2),
                 "other_load_cpus": _r(other_cpus, 2), "idle_wait": idle,
                 "stderr_tail": stderr.decode("utf-8", "replace")[-1500:] if stderr else ""}
    if other_sampler:
        rec["extra_tree_rss"] = other_sampler.summary()
    report_path = out / "report.json"
    if not report_path.exists():
        rec["error"] = "kehoach wrote no report.json"
        log(f"  FAILED: no report.json (exit {proc.returncode}): {rec['stderr_tail'][-300:]}")
        return rec
    report = json.loads(report_path.read_text("utf-8"))
    entries = report.get("files", [])
    rec["summary"] = report.get("summary")
    rec["files"] = [{"path": e["path"], "status": e["status"], "seconds": e.get("seconds"),
                     "format": e.get("format"), "plan_id": e.get("plan_id"), "tasks": e.get("tasks"),
                     "error": e.get("error")} for e in entries]
    log(f"  {len(entries)} files in {wall:.1f} s (exit {proc.returncode}); "
        f"{sum(e['status'] == 'ok' for e in entries)} ok, {sum(e['status'] == 'error' for e in entries)} failed, "
        f"{sum(e['status'] == 'skipped' for e in entries)} skipped; max worker RSS "
        f"{rec['rss'].get('max_worker_peak_mb')} MB; other load {fmt(rec['other_load_cpus'])} CPUs")
    return rec


def describe_run(rec: dict, pages_by_name: dict[str, int | None]) -> dict:
    """Throughput and per-file statistics of one run (in place, also returned)."""
    files = rec.get("files") or []
    n = len(files)
    ok = [f for f in files if f["status"] == "ok"]
    secs = [f["seconds"] for f in files if f["status"] in ("ok", "error") and f["seconds"] is not None]
    ok_secs = [f["seconds"] for f in ok if f["seconds"] is not None]
    wall = rec["wall_s"]
    pages = [pages_by_name.get(Path(f["path"]).name) for f in files]
    total_pages = sum(p for p in pages if p) if any(pages) else None
    errors: dict[str, int] = {}
    for f in files:
        if f["status"] == "error":
            key = re.sub(r"\d+(\.\d+)?", "N", (f["error"] or "?"))[:160]
            errors[key] = errors.get(key, 0) + 1
    workers = rec.get("workers") or 1
    rec.update({
        "n_files": n, "n_ok": len(ok), "n_error": sum(f["status"] == "error" for f in files),
        "n_skipped": sum(f["status"] == "skipped" for f in files),
        "docs_per_s": _r(n / wall if wall and n else None, 3),
        "pages": total_pages, "pages_per_s": _r(total_pages / wall if total_pages and wall else None, 2),
        # per-file statistics over the files converted (failures are often instant and would flatter them)
        "per_file_s": dist(ok_secs), "per_file_all_s": dist(secs),
        # the processing rate of one worker: converted files / sum of their per-file seconds
        "steady_docs_per_s_per_worker": _r(len(ok_secs) / sum(ok_secs) if ok_secs and sum(ok_secs) else None, 3),
        "error_kinds": errors,
        "failures": [{"path": Path(f["path"]).name, "error": f["error"]} for f in files if f["status"] == "error"][:20],
    })
    rec["workers_effective"] = min(workers, max(1, n))
    return rec


def compare_json_dirs(a: Path, b: Path) -> dict:
    """Byte-identity of every json/<plan_id>.json between two output folders."""
    ja = {p.name: p for p in (a / "json").glob("*.json")} if (a / "json").exists() else {}
    jb = {p.name: p for p in (b / "json").glob("*.json")} if (b / "json").exists() else {}
    only_a, only_b = sorted(set(ja) - set(jb)), sorted(set(jb) - set(ja))
    differ = sorted(n for n in set(ja) & set(jb) if ja[n].read_bytes() != jb[n].read_bytes())
    return {"compared": len(set(ja) & set(jb)), "identical": len(set(ja) & set(jb)) - len(differ),
            "differ": differ[:20], "n_differ": len(differ), "only_in_first": only_a[:20],
            "only_in_second": only_b[:20], "n_only_first": len(only_a), "n_only_second": len(only_b),
            "byte_identical": (not differ and not only_a and not only_b) if (ja or jb) else None}


def copy_fidelity(run: dict, out: Path, manifest: dict) -> dict:
    """Does kehoach read every copy exactly as its original? Compares each copy's JSON with its
    original's after replacing the plan_id, sha256 and file name (the only fields that may differ)."""
    by_name = {Path(f["path"]).name: f for f in run.get("files") or []}
    result: dict[str, dict] = {}
    for group, entries in manifest["files"].items():
        same = differ = 0
        examples = []
        originals: dict[str, str | None] = {}
        for e in entries:
            if e["copy"] != 0:
                continue
            f = by_name.get(e["name"])
            originals[e["name"]] = _normalised_json(out, f, e["name"])
        for e in entries:
            if e["copy"] == 0:
                continue
            f = by_name.get(e["name"])
            mine = _normalised_json(out, f, e["name"])
            ref = originals.get(e["original"])
            if mine == ref:
                same += 1
            else:
                differ += 1
                if len(examples) < 5:
                    examples.append(e["name"])
        result[group] = {"copies": same + differ, "same_as_original": same, "different": differ,
                         "examples": examples}
    return result


def _normalised_json(out: Path, entry: dict | None, name: str) -> str | None:
    if entry is None:
        return "<missing from report>"
    if entry["status"] != "ok":
        return "error: " + re.sub(re.escape(name), "NAME", entry.get("error") or "")
    path = out / "json" / f"{entry['plan_id']}.json"
    if not path.exists():
        return "<json missing>"
    text = path.read_text("utf-8")
    doc = json.loads(text)
    source = doc.get("plan", {}).get("source", {})
    for old, new in ((entry["plan_id"], "PLAN"), (source.get("sha256") or "\0", "SHA"),
                     (json.dumps(source.get("path") or "\0", ensure_ascii=False)[1:-1], "NAME")):
        text = text.replace(old, new)
    return text


# ================================================================ Dask
def dask_support() -> tuple[bool, str]:
    try:
        help_text = subprocess.run(kehoach_cmd() + ["convert", "--help"], capture_output=True, text=True,
                                   cwd=RUN["cwd"], env=RUN["env"], timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"kehoach convert --help failed: {exc}"
    if "--executor" not in help_text or "dask" not in help_text:
        return False, "kehoach convert has no --executor dask option (not implemented yet)"
    import importlib.util
    if importlib.util.find_spec("distributed") is None:
        return False, "kehoach has --executor dask, but dask.distributed is not installed (pip install 'kehoach[dask]')"
    return True, "ok"


class LocalDask:
    """A LocalCluster (2 worker processes, 1 thread each) in a child process, on 127.0.0.1."""
    CODE = ("import sys\n"
            "from distributed import LocalCluster\n"
            "c = LocalCluster(n_workers={n}, threads_per_worker=1, processes=True, dashboard_address=None,"
            " host='127.0.0.1')\n"
            "print(c.scheduler_address, flush=True)\n"
            "sys.stdin.read()\n"
            "c.close()\n")

    def __init__(self, n_workers: int = 2):
        self.proc = subprocess.Popen([sys.executable, "-c", self.CODE.format(n=n_workers)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=RUN["cwd"], env=RUN["env"],
                                     start_new_session=True, text=True)
        self.address = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("tcp://"):
                self.address = line.strip()
                break
        if not self.address:
            self.close()
            raise RuntimeError("the local Dask cluster did not start")

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        _kill_group(self.proc)


# ================================================================ baselines
def run_baseline(name: str, paths: list[Path], work: Path, timeout: float = 3600) -> dict:
    lst = work / f"baseline-{name}.lst"
    lst.write_text("\n".join(str(p) for p in paths) + "\n", "utf-8")
    log(f"baseline {name}: {len(paths)} files")
    idle = wait_idle()
    busy0, own0 = machine_busy_s(), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(BASELINES_PY), name, "--files-from", str(lst)],
                              capture_output=True, text=True, cwd=RUN["cwd"], env=RUN["env"], timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"baseline": name, "available": True, "error": f"timed out after {timeout} s"}
    wall = time.perf_counter() - started
    busy1, own1 = machine_busy_s(), resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = (own1.ru_utime - own0.ru_utime) + (own1.ru_stime - own0.ru_stime)
    other = max(0.0, (busy1 - busy0) - ours) / wall if busy0 is not None and busy1 is not None and wall else None
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"baseline": name, "available": False, "error": f"exit {proc.returncode}: {proc.stderr[-800:]}"}
    result["process_wall_s"] = round(wall, 3)
    result["other_load_cpus"] = _r(other, 2)
    result["idle_wait"] = idle
    if result.get("available"):
        bad = [f for f in result["files"] if not f["ok"]]
        log(f"  {name}: {len(result['files'])} files, {sum(f['seconds'] for f in result['files']):.1f} s "
            f"(+{result['import_s']:.1f} s import), {len(bad)} failed; other load {fmt(result['other_load_cpus'])} CPUs")
    else:
        log(f"  {name}: unavailable: {result.get('error')}")
    return result


def baseline_stats(result: dict, names: set[str]) -> dict | None:
    """Statistics of a baseline over the files whose name is in `names`."""
    if not result.get("available") or "files" not in result:
        return None
    files = [f for f in result["files"] if Path(f["path"]).name in names]
    if not files:
        return None
    secs = [f["seconds"] for f in files if f["ok"]]   # statistics over the files it extracted
    pages = [f.get("pages") for f in files if f["ok"]]
    total = sum(secs)
    total_pages = sum(p for p in pages if p) if any(pages) else None
    return {"n_files": len(files), "n_failed": sum(not f["ok"] for f in files), "per_file_s": dist(secs),
            "total_s": round(total, 3), "import_s": round(result["import_s"], 3),
            "total_with_import_s": round(total + result["import_s"], 3),
            "docs_per_s": _r(len(secs) / total if total else None, 3), "pages": total_pages,
            "pages_per_s": _r(total_pages / total if total_pages and total else None, 2),
            "peak_rss_mb": _r(result.get("peak_rss_mb"), 1), "other_load_cpus": result.get("other_load_cpus"),
            "failures": [{"path": Path(f["path"]).name, "error": f["error"]} for f in files if not f["ok"]][:10]}


# ================================================================ report
def fmt(x, nd: int = 2, suffix: str = "") -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}{suffix}"
    return f"{x}{suffix}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(c.rjust(w) if i and _numeric(c) else c.ljust(w)
                             for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(out)


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,/]+[x%]?|-|True|False|dask", cell))


def verdict(value, target, kind: str) -> str:
    if value is None:
        return "N/A"
    if kind == "max":
        return "PASS" if value <= target else "FAIL"
    if kind == "min":
        return "PASS" if value >= target else "FAIL"
    return "PASS" if value else "FAIL"


def render(results: dict) -> str:
    out = []
    c = results["corpus"]
    out.append(f"kehoach benchmark ({results['meta']['mode']}) {results['meta']['started']}  "
               f"kehoach {results['meta']['kehoach_version']} @ {results['meta']['git_rev']}"
               f"{' (dirty)' if results['meta']['git_dirty'] else ''}  "
               f"{results['meta']['cpus']} CPUs, Python {results['meta']['python']}")
    out.append(f"corpus: {c['total_files']} files ({c['copies_per_original']} byte-distinct copies of each dev original; "
               f"byte-distinct: {c['byte_distinct']}), big PDF: {c['big_pages']} pages")
    out.append("")
    out.append("kehoach convert (wall = whole process; per-file = report.json seconds of the converted files; "
               "RSS = max worker VmHWM)")
    rows = []
    for key, run in results["kehoach"].items():
        if "n_files" not in run:
            rows.append([key, "-", str(run.get("workers")), fmt(run.get("wall_s"), 1), "-", "-", "-", "-", "-", "-",
                         run.get("error", "?")[:40], fmt(run.get("other_load_cpus"), 2)])
            continue
        rows.append([key, str(run["n_files"]), str(run.get("workers") if run.get("workers") is not None else "dask"),
                     fmt(run["wall_s"], 1), fmt(run["docs_per_s"], 2), fmt(run["pages_per_s"], 1),
                     fmt(run["per_file_s"]["median"], 3), fmt(run["per_file_s"]["p95"], 3),
                     fmt(run["steady_docs_per_s_per_worker"], 1),
                     fmt(run["rss"].get("max_worker_peak_mb"), 0),
                     f"{run['n_ok']}/{run['n_error']}/{run['n_skipped']}", fmt(run.get("other_load_cpus"), 2)])
    out.append(table(["run", "files", "w", "wall s", "docs/s", "pages/s", "median s", "p95 s", "docs/s/wkr*",
                      "RSS MB", "ok/err/skip", "other"], rows))
    out.append("  * docs/s/wkr = files / sum(per-file seconds): one worker's processing rate, startup excluded; "
               "other = CPUs used by other processes on the machine during the run")
    if results.get("big_pdf_exact_rss"):
        e = results["big_pdf_exact_rss"]
        out.append(f"  big PDF, worker-equivalent process (import + convert_file, ru_maxrss): "
                   f"{fmt(e.get('peak_rss_mb'), 1)} MB, {fmt(e.get('seconds'), 2)} s, status {e.get('status')}")
    failures = [(k, r) for k, r in results["kehoach"].items() if r.get("n_error")]
    for key, run in failures:
        for kind, count in list(run["error_kinds"].items())[:3]:
            out.append(f"  {key}: {count} failed: {kind}")
    out.append("")
    if results.get("baselines"):
        out.append("baselines (one process each; total = sum of per-file seconds of the files extracted, import excluded)")
        rows = []
        for key, b in results["baselines"].items():
            if b is None or "n_files" not in b:
                rows.append([key, "-", "-", "-", "-", "-", "-", "-", (b or {}).get("error", "unavailable")[:50]])
                continue
            rows.append([key, f"{b['n_files']}" + (f" ({b['n_failed']} failed)" if b["n_failed"] else ""),
                         fmt(b["total_s"], 1), fmt(b["import_s"], 1), fmt(b["docs_per_s"], 2),
                         fmt(b["pages_per_s"], 1), fmt(b["per_file_s"]["median"], 3), fmt(b["per_file_s"]["p95"], 3),
                         fmt(b["peak_rss_mb"], 0), fmt(b.get("other_load_cpus"), 2)])
        out.append(table(["baseline/group", "files", "total s", "import s", "docs/s", "pages/s", "median s", "p95 s",
                          "RSS MB", "other"], rows))
        out.append("")
        out.append("ratios kehoach / baseline (< 1: kehoach faster), on the files both converted. total = sum of "
                   "per-file s (kehoach --workers 1 report.json vs baseline in-process timer); median = per-file "
                   "medians; wall = kehoach process wall vs baseline total incl. import")
        rows = [[k, str(v.get("files", "-")), fmt(v.get("total"), 3), fmt(v.get("median"), 3), fmt(v.get("wall"), 3),
                 v.get("note") or ""] for k, v in results["ratios"].items()]
        out.append(table(["ratio", "files", "total", "median", "wall", "note"], rows))
        out.append("")
    ident = results.get("identity", {})
    out.append("JSON byte-identity: " + "; ".join(
        f"{k}: {'identical' if v.get('byte_identical') else 'no JSON' if v.get('byte_identical') is None else 'DIFFERENT'} ({v.get('identical')}/{v.get('compared')}"
        f"{', ' + str(v['n_differ']) + ' differ' if v.get('n_differ') else ''}"
        f"{', ' + str(v['n_only_first'] + v['n_only_second']) + ' missing' if v.get('n_only_first') or v.get('n_only_second') else ''})"
        if isinstance(v, dict) and "compared" in v else f"{k}: {v}" for k, v in ident.items()))
    fid = results.get("copy_fidelity") or {}
    if fid:
        out.append("copy fidelity (copy's JSON == original's, modulo id/sha/name): " + ", ".join(
            f"{g} {v['same_as_original']}/{v['copies']}" for g, v in fid.items()))
    out.append("")
    out.append("targets")
    rows = [[t["name"], t["target"], fmt(t["value"], 3) if isinstance(t["value"], (float, type(None))) else str(t["value"]),
             t["verdict"], t.get("note", "")[:100]] for t in results["targets"]]
    out.append(table(["target", "goal", "measured", "verdict", "note"], rows))
    for note in results.get("notes", []):
        out.append(f"note: {note}")
    return "\n".join(out)


# ================================================================ main
def exact_worker_rss(path: Path) -> dict:
    """Peak RSS of a process doing what one kehoach worker does for one file: import the
    converter, convert_file(path), then report getrusage(RUSAGE_SELF).ru_maxrss (exact peak)."""
    code = ("import json, resource, sys, time\n"
            "t = time.perf_counter()\n"
            "from ingest.convert import convert_file\n"
            "o = convert_file(sys.argv[1])\n"
            "print(json.dumps({'status': o.status, 'error': o.error, 'seconds': o.seconds, 'tasks': o.tasks,"
            " 'process_s': time.perf_counter() - t,"
            " 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n")
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              cwd=RUN["cwd"], env=RUN["env"], timeout=1800)
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, IndexError, json.JSONDecodeError) as exc:
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kehoach vs baselines on the same files (see benchmarks/README.md)")
    parser.add_argument("--quick", action="store_true", help="small corpus (48 files, 40-page PDF): a smoke check")
    parser.add_argument("--out", help="results JSON (default benchmarks/results.json; --quick: results-quick.json)")
    parser.add_argument("--corpus", help="corpus folder: reused when it holds a corpus built with the same "
                                         "options, else built there (default: a temporary folder)")
    parser.add_argument("--skip-baselines", action="store_true", help="kehoach only")
    parser.add_argument("--min-files", type=int, help="corpus size (default 300; --quick 48)")
    parser.add_argument("--big-pages", type=int, help="pages of the big PDF (default 100; --quick 40)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (corpus and kehoach outputs)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask executor run")
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="S",
                        help="before each timed run, wait up to S seconds for other processes to use less than "
                             "--idle-threshold CPUs (for shared machines; default 0: do not wait)")
    parser.add_argument("--idle-threshold", type=float, default=0.3, metavar="CPUS")
    scan_opts = parser.add_mutually_exclusive_group()
    scan_opts.add_argument("--skip-scan", action="store_true", help="skip the OCR run over the dev scans")
    scan_opts.add_argument("--scan-only", action="store_true",
                           help="only the OCR run over the dev scans (s/page per worker); no other run")
    args = parser.parse_args(argv)
    RUN.update(wait_idle=args.wait_idle, idle_threshold=args.idle_threshold)

    min_files = args.min_files or (48 if args.quick else 300)
    big_pages = args.big_pages or (40 if args.quick else 100)
    default_out = "results-scan.json" if args.scan_only else "results-quick.json" if args.quick else "results.json"
    out_path = Path(args.out) if args.out else REPO / "benchmarks" / default_out
    work = Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
    corpus_root = Path(args.corpus).resolve() if args.corpus else work / "corpus"
    started = time.time()
    notes: list[str] = []
    try:
        code = snapshot_code(work / "code")
        code["live_fingerprint_at_start"] = code_fingerprint(REPO)
        log(f"kehoach code snapshot {code['fingerprint']} in {code['snapshot']}")
        manifest = load_or_build_corpus(corpus_root, min_files, big_pages)
        groups = [g for g in GROUPS if manifest["files"].get(g)]
        pages_by_name = {e["name"]: e["pages"] for g in manifest["files"].values() for e in g}
        if manifest.get("big"):
            pages_by_name[Path(manifest["big"]["path"]).name] = manifest["big"]["pages"]

        results: dict = {
            "meta": {"mode": "quick" if args.quick else "full", "options": vars(args), "started": dt.datetime.now().isoformat(timespec="seconds"),
                     "kehoach_version": _version("kehoach"), "git_rev": (_git("rev-parse", "--short", "HEAD") or "?"),
                     "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
                     "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                     "versions": {d: _version(d) for d in ("pdfplumber", "pdfminer.six", "pypdfium2", "python-docx",
                                                           "spacy", "psutil", "docling-slim", "docling", "docling-core",
                                                           "distributed")},
                     "code": code, "load_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
                     "method": "see benchmarks/README.md", "targets": TARGETS},
            "corpus": {"total_files": manifest["total_files"], "total_bytes": manifest["total_bytes"],
                       "copies_per_original": manifest["copies_per_original"], "byte_distinct": manifest["byte_distinct"],
                       "groups": {g: {"files": len(manifest["files"][g]),
                                      "pages": sum(e["pages"] or 0 for e in manifest["files"][g]) or None,
                                      "bytes": sum(e["bytes"] for e in manifest["files"][g])} for g in groups},
                       "big_pages": (manifest.get("big") or {}).get("pages"), "big": manifest.get("big"),
                       "copy_methods": {g: COPIERS[g].__doc__.split("\n")[0] for g in groups}},
            "kehoach": {}, "baselines": {}, "ratios": {}, "identity": {}, "targets": [], "notes": notes,
        }
        if not manifest["byte_distinct"]:
            notes.append("corpus files are NOT all byte-distinct")
        runs = results["kehoach"]
        outs = work / "out"

        # 0. scanned PDFs: every dev scan once, one worker (OCR s/page per worker)
        scan_run = None
        scans = [corpus_root / SCAN / e["name"] for e in manifest["files"].get(SCAN, []) if e["copy"] == 0]
        if scans and not args.skip_scan:
            scan_run = runs[f"{SCAN}/w1"] = describe_run(
                run_kehoach(f"{SCAN}/w1", scans, outs / f"{SCAN}-w1", 1), pages_by_name)
        if args.scan_only:
            _scan_target(results, scan_run, args, pages_by_name)
            return _finish(results, code, out_path, started, args, work)
        groups = [g for g in groups if g != SCAN]

        # 1. per group, 1 and 2 workers
        for group in groups:
            for w in (1, 2):
                key = f"{group}/w{w}"
                runs[key] = describe_run(run_kehoach(key, [corpus_root / group], outs / key.replace("/", "-"), w),
                                         pages_by_name)
            results["identity"][f"{group} w1 vs w2"] = compare_json_dirs(outs / f"{group}-w1", outs / f"{group}-w2")
        # the big PDF: one file, so one worker whatever --workers says
        big_path = Path(manifest["big"]["path"]) if manifest.get("big") else None
        if big_path:
            runs[f"{BIG}/w1"] = describe_run(run_kehoach(f"{BIG}/w1", [big_path], outs / f"{BIG}-w1", 1), pages_by_name)
            log("big PDF: worker-equivalent process for an exact peak RSS")
            results["big_pdf_exact_rss"] = exact_worker_rss(big_path)

        # 2. the whole corpus: 1 vs 2 workers, identity, unchanged rerun, Dask
        corpus_dirs = [corpus_root / g for g in groups]
        runs["all/w1"] = describe_run(run_kehoach("all/w1", corpus_dirs, outs / "all-w1", 1), pages_by_name)
        runs["all/w2"] = describe_run(run_kehoach("all/w2", corpus_dirs, outs / "all-w2", 2), pages_by_name)
        results["identity"]["all w1 vs w2"] = compare_json_dirs(outs / "all-w1", outs / "all-w2")
        if (outs / "all-w1" / "json").exists():
            shutil.copytree(outs / "all-w1" / "json", outs / "all-w1-before-rerun" / "json")
        runs["all/rerun-w1"] = describe_run(run_kehoach("all/rerun-w1", corpus_dirs, outs / "all-w1", 1, force=False),
                                            pages_by_name)
        results["identity"]["all w1 before vs after unchanged rerun"] = compare_json_dirs(
            outs / "all-w1-before-rerun", outs / "all-w1")
        results["copy_fidelity"] = copy_fidelity(runs["all/w1"], outs / "all-w1", manifest)
        dask_ok, dask_note = (False, "skipped (--no-dask)") if args.no_dask else dask_support()
        results["dask"] = {"available": dask_ok, "note": dask_note}
        if dask_ok:
            cluster = None
            try:
                cluster = LocalDask(2)
                results["dask"]["scheduler"] = cluster.address
                rec = run_kehoach("all/dask", corpus_dirs, outs / "all-dask", None,
                                  extra=["--executor", "dask", "--scheduler", cluster.address],
                                  also_sample=[cluster.proc.pid])
                # the conversions run in the cluster's workers, not under kehoach: show their RSS
                rec["kehoach_process_rss"] = rec["rss"]
                rec["rss"] = rec.pop("extra_tree_rss", {})
                rec["rss"]["note"] = "Dask LocalCluster tree: main = cluster process, helpers = nannies, workers"
                runs["all/dask"] = describe_run(rec, pages_by_name)
                results["identity"]["all w1 vs dask"] = compare_json_dirs(outs / "all-w1", outs / "all-dask")
            except Exception as exc:   # the executor is new: report, do not stop the benchmark
                results["dask"].update(available=False, note=f"dask run failed: {type(exc).__name__}: {exc}")
            finally:
                if cluster:
                    cluster.close()
        else:
            notes.append(f"Dask executor: {dask_note}")

        # 3. baselines on the same files
        if not args.skip_baselines:
            pdfs = [corpus_root / "pdf" / e["name"] for e in manifest["files"].get("pdf", [])]
            pdf_all = pdfs + ([big_path] if big_path else [])
            scans = [corpus_root / "scan" / e["name"] for e in manifest["files"].get("scan", [])]
            docx = [corpus_root / "docx" / e["name"] for e in manifest["files"].get("docx", [])]
            raw = {}
            if pdf_all:
                raw["pdfplumber"] = run_baseline("pdfplumber", pdf_all + scans, work)
                raw["pypdfium2"] = run_baseline("pypdfium2", pdf_all + scans, work)
            if docx:
                raw["docling-docx"] = run_baseline("docling-docx", docx, work)
            results["baselines_raw_meta"] = {k: {kk: vv for kk, vv in v.items() if kk != "files"} for k, v in raw.items()}
            b = results["baselines"]
            sets = {"pdf": {p.name for p in pdfs}, BIG: {big_path.name} if big_path else set(),
                    "scan": {p.name for p in scans}, "docx": {p.name for p in docx}}
            for name, res in raw.items():
                for group, names in sets.items():
                    if not names or (name == "docling-docx") != (group == "docx"):
                        continue
                    stats = baseline_stats(res, names)
                    b[f"{name}/{group}"] = stats if stats else {"error": res.get("error", "unavailable")}

            def ratio_block(run_key: str, base_name: str) -> dict | None:
                """kehoach / baseline on the files both converted (same files on both sides)."""
                run, res = runs.get(run_key), raw.get(base_name)
                if not run or "files" not in run or not res or not res.get("available") or "files" not in res:
                    return None
                mine = {Path(f["path"]).name: f for f in run["files"]}
                theirs = {Path(f["path"]).name: f for f in res["files"] if Path(f["path"]).name in mine}
                if not theirs:
                    return None
                both = sorted(n for n in theirs if mine[n]["status"] == "ok" and theirs[n]["ok"])
                k_fail = sum(mine[n]["status"] != "ok" for n in theirs)
                b_fail = sum(not theirs[n]["ok"] for n in theirs)
                note = "; ".join(x for x in (f"kehoach failed {k_fail}/{len(theirs)}" if k_fail else "",
                                             f"baseline failed {b_fail}/{len(theirs)}" if b_fail else "") if x)
                block = {"files": len(both), "kehoach_failed": k_fail, "baseline_failed": b_fail, "note": note,
                         "total": None, "median": None, "wall": None}
                if not both:
                    block["note"] = (note + "; " if note else "") + "no file converted by both: no ratio"
                    return block
                ks = [mine[n]["seconds"] for n in both]
                bs = [theirs[n]["seconds"] for n in both]
                block.update(total=_r(_ratio(sum(ks), sum(bs))), median=_r(_ratio(quantile(ks, 0.5), quantile(bs, 0.5))),
                             kehoach_s=round(sum(ks), 3), baseline_s=round(sum(bs), 3))
                if not k_fail and not b_fail:   # whole-process wall only means something when every file was done
                    block["wall"] = _r(_ratio(run["wall_s"], sum(f["seconds"] for f in theirs.values()) + res["import_s"]))
                return block

            pairs = {"pdf: kehoach / pdfplumber text+tables": ("pdf/w1", "pdfplumber"),
                     "pdf: kehoach / pypdfium2 text (floor)": ("pdf/w1", "pypdfium2"),
                     f"{BIG}: kehoach / pdfplumber text+tables": (f"{BIG}/w1", "pdfplumber"),
                     f"{BIG}: kehoach / pypdfium2 text (floor)": (f"{BIG}/w1", "pypdfium2"),
                     "docx: kehoach / docling DOCX": ("docx/w1", "docling-docx")}
            for label, (rk, bk) in pairs.items():
                block = ratio_block(rk, bk)
                if block:
                    results["ratios"][label] = block

        # 4. targets
        t = results["targets"]
        ratios = results["ratios"]

        def add(name: str, goal: str, value, kind: str, target, note: str = "", loads: tuple = ()) -> None:
            """`loads`: other-process load (CPUs) of the timed runs behind this number; above
            NOISY_LOAD the verdict gets a '?' (the number may be off because of other processes)."""
            entry = {"name": name, "target": goal, "value": _r(value, 3) if isinstance(value, float) else value,
                     "verdict": verdict(value, target, kind), "note": note}
            seen = [x for x in loads if x is not None]
            if seen:
                entry["other_load_cpus"] = max(seen)
                if max(seen) > NOISY_LOAD and entry["verdict"] in ("PASS", "FAIL"):
                    entry["verdict"] += "?"
                    entry["note"] = f"noisy: other load up to {max(seen):.2f} CPUs; " + note
            t.append(entry)

        def load_of(*keys: str) -> tuple:
            return tuple((runs.get(k) or results["baselines"].get(k) or {}).get("other_load_cpus") for k in keys)

        r = ratios.get("pdf: kehoach / pdfplumber text+tables") or {}
        add("PDF (text layer) vs pdfplumber", "<= 0.5x", r.get("total"), "max", TARGETS["pdf_vs_pdfplumber_max"],
            f"sum of per-file s, 1 worker, {r.get('files')} files" + (f"; {r['note']}" if r.get("note") else "")
            if r else ("baselines skipped" if args.skip_baselines else "no data"), load_of("pdf/w1", "pdfplumber/pdf"))
        r = ratios.get("docx: kehoach / docling DOCX") or {}
        add("DOCX vs Docling", "<= 0.2x", r.get("total"), "max", TARGETS["docx_vs_docling_max"],
            f"sum of per-file s, 1 worker, {r.get('files')} files" + (f"; {r['note']}" if r.get("note") else "")
            if r else ("baselines skipped" if args.skip_baselines else "no data"), load_of("docx/w1", "docling-docx/docx"))
        txt = runs.get("txt/w1", {})
        add(".txt docs/s per worker", ">= 200", txt.get("steady_docs_per_s_per_worker"), "min",
            TARGETS["txt_docs_per_s_per_worker_min"],
            f"files/sum(per-file s); 1/median {fmt(_ratio(1.0, (txt.get('per_file_s') or {}).get('median')), 1)}; "
            f"wall incl. startup {fmt(txt.get('docs_per_s'), 1)}", load_of("txt/w1"))
        big = runs.get(f"{BIG}/w1", {})
        exact = results.get("big_pdf_exact_rss") or {}
        sampled = (big.get("rss") or {}).get("max_worker_peak_mb")
        rss_values = [v for v in (sampled, exact.get("peak_rss_mb")) if v is not None]
        add(f"peak RSS/worker, {results['corpus']['big_pages']}-page PDF",
            "<= 300 MB", max(rss_values) if rss_values else None, "max", TARGETS["big_pdf_peak_rss_mb_max"],
            f"sampled VmHWM {fmt(sampled, 0)} MB, exact ru_maxrss {fmt(exact.get('peak_rss_mb'), 0)} MB"
            + ("" if big.get("n_ok") else f"; kehoach FAILED on it: {(big.get('failures') or [{}])[0].get('error')}"))
        w1, w2 = runs.get("all/w1", {}), runs.get("all/w2", {})
        add("2 workers vs 1 (throughput)", ">= 1.7x", _ratio(w1.get("wall_s"), w2.get("wall_s")), "min",
            TARGETS["scaling_2w_min"], f"wall {fmt(w1.get('wall_s'), 1)} s / {fmt(w2.get('wall_s'), 1)} s, "
                                       f"{w1.get('n_files')} files", load_of("all/w1", "all/w2"))
        rerun = runs.get("all/rerun-w1", {})
        add("unchanged rerun speed-up", ">= 20x", _ratio(w1.get("wall_s"), rerun.get("wall_s")), "min",
            TARGETS["rerun_speedup_min"], f"{fmt(w1.get('wall_s'), 1)} s -> {fmt(rerun.get('wall_s'), 2)} s, "
                                          f"{rerun.get('n_skipped')} skipped", load_of("all/w1", "all/rerun-w1"))
        ident = results["identity"].get("all w1 vs w2", {})
        add("JSON identical, 1 vs 2 workers", "identical", ident.get("byte_identical"), "bool", True,
            f"{ident.get('identical')}/{ident.get('compared')} files")
        if "all w1 vs dask" in results["identity"]:
            ident = results["identity"]["all w1 vs dask"]
            add("JSON identical, local vs Dask", "identical", ident.get("byte_identical"), "bool", True,
                f"{ident.get('identical')}/{ident.get('compared')} files")
        else:
            t.append({"name": "JSON identical, local vs Dask", "target": "identical", "value": None, "verdict": "SKIP",
                      "note": results["dask"]["note"]})
        _scan_target(results, scan_run, args, pages_by_name)

        return _finish(results, code, out_path, started, args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _scan_target(results: dict, scan_run: dict | None, args: argparse.Namespace,
                 pages_by_name: dict[str, int | None]) -> None:
    """The OCR throughput target: sum of the per-file seconds of the scans converted / their pages
    (one worker; process start-up excluded, as for the other per-worker rates)."""
    entry = {"name": "OCR s/page per worker", "target": "<= 1.5", "value": None, "verdict": "SKIP", "note": ""}
    if scan_run is None:
        entry["note"] = "skipped (--skip-scan)" if args.skip_scan else "no dev scans (*.scan.pdf)"
        results["targets"].append(entry)
        return
    ok = [f for f in scan_run.get("files") or [] if f["status"] == "ok" and f["seconds"] is not None]
    n_pages = sum(pages_by_name.get(Path(f["path"]).name) or 0 for f in ok)
    value = sum(f["seconds"] for f in ok) / n_pages if n_pages else None
    scan_run["ocr_s_per_page_per_worker"] = _r(value, 3)
    note = (f"{len(ok)}/{scan_run.get('n_files')} scans, {n_pages} pages; wall incl. start-up "
            f"{fmt(_ratio(scan_run.get('wall_s'), n_pages), 2)} s/page")
    if len(ok) < (scan_run.get("n_files") or 0):
        note += "; a scan that failed is not counted"
    entry.update(value=_r(value, 3), verdict=verdict(value, TARGETS["ocr_s_per_page_per_worker_max"], "max"),
                 note=note)
    load = scan_run.get("other_load_cpus")
    if load is not None:
        entry["other_load_cpus"] = load
        if load > NOISY_LOAD and entry["verdict"] in ("PASS", "FAIL"):
            entry["verdict"] += "?"
            entry["note"] = f"noisy: other load up to {load:.2f} CPUs; " + note
    results["targets"].append(entry)


def _finish(results: dict, code: dict, out_path: Path, started: float, args: argparse.Namespace,
            work: Path) -> int:
    """Notes, results JSON, the printed report."""
    notes, runs = results["notes"], results["kehoach"]
    live_end = code_fingerprint(REPO)
    code["live_fingerprint_at_end"] = live_end
    if live_end != code["live_fingerprint_at_start"]:
        notes.append("the work tree's kehoach code changed during the benchmark; every run used the snapshot "
                     f"taken at start ({code['fingerprint']})")
    elif code["fingerprint"] != live_end:
        notes.append("snapshot fingerprint differs from the work tree (copy problem?)")
    loads = [r.get("other_load_cpus") for r in runs.values() if r.get("other_load_cpus") is not None]
    if loads and max(loads) > 0.2:
        notes.append(f"other processes used up to {max(loads):.2f} of the {os.cpu_count()} CPUs during some runs "
                     "(column 'other'): timings of those runs are inflated")
    results["meta"]["seconds"] = round(time.time() - started, 1)
    # the per-file lists are long: keep them, but after everything else
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(render(results))
    print(f"\nresults: {out_path}  ({results['meta']['seconds']} s)")
    if args.keep:
        print(f"work folder kept: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
