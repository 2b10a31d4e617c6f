"""Baseline extractors for the kehoach benchmark, one per process.

Run by ``benchmarks/run.py`` as a subprocess (a fresh interpreter per baseline, so imports,
memory and timings are not shared with kehoach or with another baseline):

    python benchmarks/baselines.py pdfplumber   --files-from LIST  > result.json
    python benchmarks/baselines.py pypdfium2    --files-from LIST  > result.json
    python benchmarks/baselines.py docling-docx --files-from LIST  > result.json

LIST has one path a line. The result is one JSON object on stdout:
``{"baseline", "method", "versions", "import_s", "files": [{"path", "ok", "seconds", "pages",
"chars", "tables", "error"}], "wall_s", "peak_rss_mb"}``. ``seconds`` is measured around the
whole per-file work (open, extract, close) with ``time.perf_counter``; ``import_s`` is the
time to import the library and build its converter, measured once.

What each baseline does, per file:
- ``pdfplumber``: ``extract_text()`` and ``extract_tables()`` on every page (what a
  hand-written pdfplumber pipeline would at least do; kehoach's PDF parser is built on it).
- ``pypdfium2``: ``get_textpage().get_text_range()`` on every page: the text-layer floor,
  no layout, no tables.
- ``docling-docx``: Docling's DOCX converter alone (``MsWordDocumentBackend``), no models.
  ``DocumentConverter(allowed_formats=[InputFormat.DOCX])`` is used when it can be imported;
  docling-slim 2.143 cannot import it without torch (its ASR pipeline imports torch at module
  load, see docling issues #3805/#3997), and then the backend is driven exactly as Docling's
  ``SimplePipeline._build_document`` does: ``InputDocument(path, DOCX, MsWordDocumentBackend)``
  then ``backend.convert()`` -> ``DoclingDocument``. No Markdown/JSON export is timed.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _error(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" (at {Path(frame.filename).name}:{frame.lineno})" if frame else ""
    return f"{type(exc).__name__}: {str(exc)[:300]}{where}"


# --- pdfplumber: text + tables on every page ------------------------------------------------
def setup_pdfplumber():
    import pdfplumber

    def run(path: str) -> dict:
        chars = tables = 0
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:
                chars += len(page.extract_text() or "")
                tables += len(page.extract_tables())
                page.close()   # pdfplumber caches per-page objects; release them as we go
        return {"pages": pages, "chars": chars, "tables": tables}

    return run, "pdfplumber.open -> page.extract_text() + page.extract_tables() on every page", \
        {"pdfplumber": _version("pdfplumber"), "pdfminer.six": _version("pdfminer.six")}


# --- pypdfium2: plain text layer, the floor --------------------------------------------------
def setup_pypdfium2():
    import pypdfium2 as pdfium

    def run(path: str) -> dict:
        chars = 0
        pdf = pdfium.PdfDocument(path)
        try:
            pages = len(pdf)
            for index in range(pages):
                page = pdf[index]
                textpage = page.get_textpage()
                chars += len(textpage.get_text_range())
                textpage.close()
                page.close()
        finally:
            pdf.close()
        return {"pages": pages, "chars": chars, "tables": None}

    return run, "pypdfium2.PdfDocument -> page.get_textpage().get_text_range() on every page", \
        {"pypdfium2": _version("pypdfium2")}


# --- Docling DOCX converter alone --------------------------------------------------------------
def setup_docling_docx():
    from docling.datamodel.base_models import InputFormat

    versions = {"docling-slim": _version("docling-slim"), "docling": _version("docling"),
                "docling-core": _version("docling-core")}
    try:
        from docling.document_converter import DocumentConverter

        converter = DocumentConverter(allowed_formats=[InputFormat.DOCX])

        def run(path: str) -> dict:
            result = converter.convert(path, raises_on_error=True)
            return {"pages": None, "chars": None, "tables": len(result.document.tables)}

        return run, "docling DocumentConverter(allowed_formats=[InputFormat.DOCX]).convert(path)", versions
    except ImportError as exc:   # docling-slim without torch: drive the DOCX backend directly
        reason = f"{type(exc).__name__}: {exc}"
    from docling.backend.msword_backend import MsWordDocumentBackend
    from docling.datamodel.document import InputDocument

    def run(path: str) -> dict:
        in_doc = InputDocument(path_or_stream=Path(path), format=InputFormat.DOCX,
                               backend=MsWordDocumentBackend)
        if not in_doc.valid:
            raise RuntimeError("docling rejected the input document")
        document = in_doc._backend.convert()   # what SimplePipeline._build_document runs
        in_doc._backend.unload()
        return {"pages": None, "chars": None, "tables": len(document.tables)}

    return run, ("docling MsWordDocumentBackend via InputDocument(...)._backend.convert() "
                 f"(DocumentConverter not importable: {reason})"), versions


BASELINES = {"pdfplumber": setup_pdfplumber, "pypdfium2": setup_pypdfium2,
             "docling-docx": setup_docling_docx}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", choices=sorted(BASELINES))
    parser.add_argument("--files-from", required=True, help="file with one input path a line")
    args = parser.parse_args(argv)
    paths = [line for line in Path(args.files_from).read_text("utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    try:
        run, method, versions = BASELINES[args.baseline]()
    except Exception as exc:   # the library is not installed or cannot be imported
        print(json.dumps({"baseline": args.baseline, "available": False, "error": _error(exc)}))
        return 0
    import_s = time.perf_counter() - started
    files = []
    for path in paths:
        t0 = time.perf_counter()
        entry: dict = {"path": path, "ok": True, "error": None}
        try:
            entry.update(run(path))
        except Exception as exc:   # one bad file must not stop the baseline
            entry.update(ok=False, error=_error(exc))
        entry["seconds"] = time.perf_counter() - t0
        files.append(entry)
    out = {"baseline": args.baseline, "available": True, "method": method, "versions": versions,
           "import_s": import_s, "files": files, "wall_s": time.perf_counter() - started,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
