"""Render test plans as *flattened text*: a PDF as eight PDF-to-text tools give it, a Word file
as a legal-document website's crawl gives it.

Test-material generator, not part of kehoach: it needs pdfminer.six, pypdf, PyMuPDF (AGPL: a
generation helper only, never a runtime dependency; see the ``render`` extra), pypdfium2,
pdfplumber, python-docx, and poppler's ``pdftotext`` on PATH.

    python tests/render_text.py PLAN.pdf [PLAN.docx ...] --out DIR        # any mix of files
    python tests/render_text.py --check-dev /work/shared/corpus/dev       # compare with the dev renditions

A PDF gives ``DIR/<stem>.<tool>.txt`` for each tool in ``TOOLS``; a DOCX gives ``DIR/<stem>.md``.
The page joins are the dev renditions' (``/work/shared/corpus/dev/pdftext``):

=================  =========================================================================
tool               how a file is made
=================  =========================================================================
pdfminer           ``pdfminer.high_level.extract_text(pdf)`` as it comes (a form feed ends each page)
pymupdf            ``"".join(page.get_text() for page in pymupdf.open(pdf))``
pypdf              ``"\\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)``
pdfium             ``"\\n".join(textpage.get_text_range())`` over the pages (pdfium's CRLF kept)
pdfplumber         ``"\\n".join(page.extract_text() for page in pdfplumber.open(pdf).pages)``
pdftotext          ``pdftotext -enc UTF-8 pdf out`` (poppler; a form feed ends each page)
pdftotext-raw      ``pdftotext -enc UTF-8 -raw pdf out``
pdftotext-layout   ``pdftotext -enc UTF-8 -layout pdf out``
=================  =========================================================================

Every file is written as UTF-8 bytes exactly as the tool returns the text (no newline
translation, no trailing newline added).
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS = ("pdfminer", "pymupdf", "pypdf", "pdfium", "pdfplumber",
         "pdftotext", "pdftotext-raw", "pdftotext-layout")


# ----------------------------------------------------------------------------- PDF tools
def _pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text
    return extract_text(str(pdf))


def _pymupdf(pdf: Path) -> str:
    import pymupdf
    with pymupdf.open(str(pdf)) as doc:
        return "".join(page.get_text() for page in doc)


def _pypdf(pdf: Path) -> str:
    import pypdf
    reader = pypdf.PdfReader(str(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _pdfium(pdf: Path) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        parts = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        doc.close()


def _pdfplumber(pdf: Path) -> str:
    import pdfplumber
    with pdfplumber.open(str(pdf)) as doc:
        return "\n".join(page.extract_text() for page in doc.pages)


def _pdftotext(*flags: str):
    def run(pdf: Path) -> str:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(pdf), "-"],
                             check=True, capture_output=True).stdout
        return out.decode("utf-8")
    return run


EXTRACTORS = {
    "pdfminer": _pdfminer,
    "pymupdf": _pymupdf,
    "pypdf": _pypdf,
    "pdfium": _pdfium,
    "pdfplumber": _pdfplumber,
    "pdftotext": _pdftotext(),
    "pdftotext-raw": _pdftotext("-raw"),
    "pdftotext-layout": _pdftotext("-layout"),
}


def pdf_text(pdf: Path, tool: str) -> str:
    """The text of ``pdf`` as ``tool`` gives it, pages joined the dev renditions' way."""
    return EXTRACTORS[tool](Path(pdf))


def render_pdf(pdf: Path, out_dir: Path, tools=TOOLS) -> list[Path]:
    """Write ``out_dir/<stem>.<tool>.txt`` for each tool; return the paths."""
    pdf, out_dir = Path(pdf), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for tool in tools:
        path = out_dir / f"{pdf.stem}.{tool}.txt"
        path.write_bytes(pdf_text(pdf, tool).encode("utf-8"))
        written.append(path)
    return written


# ----------------------------------------------------------------------------- command line
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help=".pdf and/or .docx files")
    ap.add_argument("--out", type=Path, help="output folder (default: beside each file)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated PDF tools")
    args = ap.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    for f in args.files:
        out = args.out or f.parent
        if f.suffix.lower() == ".pdf":
            for p in render_pdf(f, out, tools):
                print(p)
        elif f.suffix.lower() == ".docx":
            print(render_docx(f, out))
        else:
            print(f"skipped {f}: neither .pdf nor .docx", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
