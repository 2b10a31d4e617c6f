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


# ----------------------------------------------------------------------------- crawl (.md)
# The dev crawl (/work/shared/corpus/dev/crawl) as this writer reads it:
# * the body's paragraphs and tables in document order;
# * a paragraph with text: its text (whitespace runs collapsed to one space, ends stripped),
#   bold runs as ``**…**`` (italic/underline not marked; a bold span's edge spaces moved
#   outside it; a space put after a closing ``**`` that a word or punctuation follows, as
#   the crawl shows ``(**báo cáo … quý** )``), then a blank line; an empty paragraph (or one
#   holding only a page break) gives one empty line;
# * a table: for each row a line ``|``, then for each ``<w:tc>`` of the row its text and a
#   line ``|``; a cell's non-empty paragraphs are its lines; an empty cell gives no line; a
#   cell merged across columns (gridSpan) is written once; a cell continuing a vertical
#   merge (vMerge) is written as an empty cell; so a row ends with ``|`` and the next begins
#   with ``|`` (two ``|`` lines between rows); after the table one blank line;
# * long lines wrapped at spaces as the site's HTML source wraps them: a line breaks once it
#   would pass a width drawn anew for every line, uniform in 45…110 characters (the dev
#   crawl's non-final prose lines run 46…110, median 78); drawn from a generator seeded by
#   the file's stem, so the output is reproducible; ``wrap=False`` leaves paragraphs whole;
# * a manual line break (<w:br/>) inside a paragraph starts a new line (the dev files have none);
#   a tab is a space; deleted text and field codes are left out;
# * the file ends with one newline.
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WRAP_MIN, WRAP_MAX = 45, 110


def _w(tag: str) -> str:
    return W_NS + tag


def _is_on(el) -> bool:
    if el is None:
        return False
    val = el.get(_w("val"))
    return val is None or val.lower() not in ("0", "false", "off", "none")


def _run_bold(r, para_bold: bool) -> bool:
    rpr = r.find(_w("rPr"))
    if rpr is not None and rpr.find(_w("b")) is not None:
        return _is_on(rpr.find(_w("b")))
    return para_bold


def _run_text(r) -> str:
    out = []
    for child in r:
        tag = child.tag
        if tag == _w("t"):
            out.append(child.text or "")
        elif tag == _w("tab"):
            out.append(" ")
        elif tag in (_w("br"), _w("cr")):
            if child.get(_w("type")) not in ("page", "column"):
                out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _para_bold(p) -> bool:
    # bold set on the paragraph mark's run properties does not bold the text; styles are
    # not resolved (the plans set bold on runs)
    return False


def _paragraph_md(p) -> str:
    """A paragraph's text with bold spans as **…**; line breaks kept as \\n."""
    pbold = _para_bold(p)
    spans: list[list] = []          # [bold, text]
    for r in p.iter(_w("r")):
        # runs inside deleted text or field instructions carry no visible text
        if any(a.tag in (_w("del"), _w("instrText")) for a in r.iterancestors()):
            continue
        text = _run_text(r)
        if not text:
            continue
        bold = _run_bold(r, pbold)
        if spans and not text.strip():          # a space between two bold runs stays inside
            bold = spans[-1][0]
        if spans and spans[-1][0] == bold:
            spans[-1][1] += text
        else:
            spans.append([bold, text])
    lines_out = []
    # work line by line so that ** never spans a manual line break
    pieces: list[list] = [[]]
    for bold, text in spans:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if k:
                pieces.append([])
            pieces[-1].append([bold, part])
    for line in pieces:
        out = ""
        for bold, text in line:
            text = re.sub(r"\s+", " ", text)
            if not bold or not text.strip():
                out += text
                continue
            lead = " " if text[0] == " " else ""
            trail = " " if text[-1] == " " else ""
            out += f"{lead}**{text.strip()}**{trail}"
        out = re.sub(r" {2,}", " ", out).strip()
        lines_out.append(out)
    text = "\n".join(line for line in lines_out if line)
    # a closing ** followed at once by a word or punctuation gets a space, as on the site
    text = _space_after_closing_bold(text)
    return text


def _space_after_closing_bold(text: str) -> str:
    out, i, inside = [], 0, False
    while i < len(text):
        if text.startswith("**", i):
            out.append("**")
            i += 2
            if inside and i < len(text) and not text[i].isspace() and not text.startswith("**", i):
                out.append(" ")
            inside = not inside
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _wrap(text: str, rng: random.Random | None) -> list[str]:
    if rng is None:
        return [text]
    words = text.split(" ")
    lines, cur = [], ""
    width = rng.randint(WRAP_MIN, WRAP_MAX)
    for word in words:
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
            width = rng.randint(WRAP_MIN, WRAP_MAX)
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return lines


def _block_lines(text: str, rng) -> list[str]:
    out = []
    for line in text.split("\n"):
        out.extend(_wrap(line, rng))
    return out


def _cell_lines(tc, rng) -> list[str]:
    lines = []
    for child in tc:
        if child.tag == _w("p"):
            text = _paragraph_md(child)
            if text:
                lines.extend(_block_lines(text, rng))
        elif child.tag == _w("tbl"):          # a table inside a cell: its cells' lines
            for tr in child.iter(_w("tr")):
                for inner in tr.findall(_w("tc")):
                    lines.extend(_cell_lines(inner, rng))
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                lines.extend(_cell_lines(content, rng))
    return lines


def _row_cells(tr):
    cells = []
    for child in tr:
        if child.tag == _w("tc"):
            cells.append(child)
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                cells.extend(content.findall(_w("tc")))
    return cells


def _vmerge_continues(tc) -> bool:
    tcpr = tc.find(_w("tcPr"))
    if tcpr is None:
        return False
    vm = tcpr.find(_w("vMerge"))
    return vm is not None and vm.get(_w("val"), "continue") != "restart"


def _table_lines(tbl, rng) -> list[str]:
    out = []
    for tr in tbl.findall(_w("tr")):
        out.append("|")
        for tc in _row_cells(tr):
            if not _vmerge_continues(tc):
                out.extend(_cell_lines(tc, rng))
            out.append("|")
    return out


def docx_crawl(docx_path: Path, wrap: bool = True) -> str:
    """The crawl-style text of a Word file (see the notes above)."""
    import docx
    docx_path = Path(docx_path)
    rng = random.Random(docx_path.stem) if wrap else None
    body = docx.Document(str(docx_path)).element.body
    chunks: list[str] = []

    def walk(container):
        for el in container:
            if el.tag == _w("p"):
                text = _paragraph_md(el)
                if text:
                    chunks.append("\n".join(_block_lines(text, rng)) + "\n\n")
                else:
                    chunks.append("\n")
            elif el.tag == _w("tbl"):
                chunks.append("\n".join(_table_lines(el, rng)) + "\n\n")
            elif el.tag == _w("sdt"):
                content = el.find(_w("sdtContent"))
                if content is not None:
                    walk(content)

    walk(body)
    return "".join(chunks).rstrip("\n") + "\n"


def render_docx(docx_path: Path, out_dir: Path, wrap: bool = True) -> Path:
    """Write ``out_dir/<stem>.md`` (crawl style); return its path."""
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{docx_path.stem}.md"
    path.write_bytes(docx_crawl(docx_path, wrap).encode("utf-8"))
    return path


# ----------------------------------------------------------------------------- check against dev
def _skeleton(text: str) -> list[str]:
    """The crawl's structure: ``|`` and empty lines kept, each run of text lines as ``T``."""
    out: list[str] = []
    for line in text.split("\n"):
        if line in ("|", ""):
            out.append(line)
        elif not out or out[-1] != "T":
            out.append("T")
    return out


def _breaks(text: str) -> set[int]:
    """Token offsets after which a text line ends (structure lines not counted)."""
    marks, n = set(), 0
    for line in text.split("\n"):
        if line not in ("|", ""):
            n += len(line.split())
            marks.add(n)
    return marks


def check_dev(dev: Path) -> int:
    """Compare this script's renditions of the dev plans with the dev renditions; print a
    line per file; return the number of PDF renditions that differ."""
    dev = Path(dev)
    differ = 0
    for pdf in sorted(p for p in dev.glob("*.pdf") if not p.name.endswith(".scan.pdf")):
        for tool in TOOLS:
            ref = dev / "pdftext" / f"{pdf.stem}.{tool}.txt"
            if not ref.exists():
                continue
            same = ref.read_bytes() == pdf_text(pdf, tool).encode("utf-8")
            differ += not same
            print(f"{pdf.stem} {tool:17s} {'byte-identical' if same else 'DIFFERS'}")
    for docx_path in sorted(dev.glob("*.docx")):
        ref_path = dev / "crawl" / f"{docx_path.stem}.md"
        if not ref_path.exists():
            continue
        ref = ref_path.read_text(encoding="utf-8")
        whole = docx_crawl(docx_path, wrap=False)
        wrapped = docx_crawl(docx_path, wrap=True)
        skel_same = _skeleton(ref) == _skeleton(whole)
        tokens_same = ref.split() == whole.split()
        ours, theirs = _breaks(whole), _breaks(ref)
        ref_lines = ref.split("\n")
        shared = len(set(ref_lines) & set(wrapped.split("\n")))
        print(f"{docx_path.stem} crawl: structure (| and blank lines) "
              f"{'identical' if skel_same else 'DIFFERS'}; words {'identical' if tokens_same else 'DIFFER'}; "
              f"line breaks: ours {len(ours)}, all in the crawl: {ours <= theirs}, "
              f"crawl's extra (wraps) {len(theirs - ours)}; "
              f"identical lines with wrapping {shared}/{len(set(ref_lines))}")
    return differ


# ----------------------------------------------------------------------------- command line
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help=".pdf and/or .docx files")
    ap.add_argument("--out", type=Path, help="output folder (default: beside each file)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated PDF tools")
    ap.add_argument("--no-wrap", action="store_true", help="crawl: leave paragraphs unwrapped")
    ap.add_argument("--check-dev", type=Path, metavar="DEV",
                    help="compare with the renditions in DEV/pdftext and DEV/crawl")
    args = ap.parse_args(argv)
    if args.check_dev:
        return 1 if check_dev(args.check_dev) else 0
    tools = [t for t in args.tools.split(",") if t]
    for f in args.files:
        out = args.out or f.parent
        if f.suffix.lower() == ".pdf":
            for p in render_pdf(f, out, tools):
                print(p)
        elif f.suffix.lower() == ".docx":
            print(render_docx(f, out, wrap=not args.no_wrap))
        else:
            print(f"skipped {f}: neither .pdf nor .docx", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
