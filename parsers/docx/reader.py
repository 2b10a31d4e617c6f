"""DOCX parser (python-docx): body walked in order, paragraphs and tables interleaved.

Merged cells are resolved on the grid (gridSpan, vMerge), nested tables are read as text,
and borderless layout tables (letterhead, signature block) are emitted as paragraphs, column
by column, so that they are read as text and never mistaken for annex tables.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from normalize.legacy import text_encoding, to_unicode
from parsers.docx.fonts import LegacyFonts
from parsers.errors import ParseError
from parsers.model import Cell, Document, Paragraph, ParserWarning, Provenance, Row, Table
from parsers.options import ReadOptions
from schema.codes import Code

_NO_BORDER = {"nil", "none", None}


TextOf = Callable[[object], str]   # w:p element -> its text


W_P, W_TBL, W_TC, W_TR = qn("w:p"), qn("w:tbl"), qn("w:tc"), qn("w:tr")
_W_T, _W_TAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_W_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
# The runs python-docx's Paragraph.text reads (direct runs and hyperlink runs), and those Word
# keeps in tracked insertions, smart tags, content controls and fields (visible text all), compiled
# once. Deleted runs hold w:delText, which is not read.
_TEXT_NODES = etree.XPath(
    "./w:r/* | ./w:hyperlink/w:r/* | ./w:ins/w:r/* | ./w:smartTag/w:r/* | ./w:sdt/w:sdtContent/w:r/*"
    " | ./w:fldSimple/w:r/* | ./w:ins/w:hyperlink/w:r/*",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})
_LEGACY_FONT_NAME = re.compile(rb'w:(?:ascii|hAnsi)="(?:\.?Vn[A-Z]|VNI[-_ ])')


def _plain_text(p) -> str:
    parts: list[str] = []
    for node in _TEXT_NODES(p):
        tag = node.tag
        if tag == _W_T:
            parts.append(node.text or "")
        elif tag == _W_TAB:
            parts.append("\t")
        elif tag in (_W_BR, _W_CR):
            parts.append("\n")
        elif tag == _W_NO_BREAK_HYPHEN:
            parts.append("-")       # "KH‑UBND" typed with Ctrl+Shift+-
    return "".join(parts)


def _may_use_legacy_fonts(data: bytes) -> bool:
    """Cheap check on the raw XML: only documents that name a TCVN3/VNI font need run fonts."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        return any(_LEGACY_FONT_NAME.search(archive.read(part))
                   for part in ("word/document.xml", "word/styles.xml") if part in names)


def _is_bold(p) -> bool:
    runs = [r for r in p.iter(qn("w:r")) if (r.findtext(qn("w:t")) or "").strip()]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(qn("w:rPr"))
        b = rpr.find(qn("w:b")) if rpr is not None else None
        if b is None or b.get(qn("w:val")) in ("0", "false"):
            return False
    return True


def _heading_level(p, styles: dict[str, str]) -> int | None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        return None
    style = ppr.find(qn("w:pStyle"))
    name = styles.get(style.get(qn("w:val")), "") if style is not None else ""
    if name.lower().startswith("heading"):
        digits = "".join(ch for ch in name if ch.isdigit())
        return int(digits) if digits else 1
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is not None and (outline.get(qn("w:val")) or "").isdigit():
        level = int(outline.get(qn("w:val"))) + 1
        return level if level <= 6 else None
    return None


def _is_list_item(p) -> bool:
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:numPr")) is not None


def _cell_lines(tc, text_of: TextOf) -> list[str]:
    """Paragraphs of a cell in order; nested tables are flattened row by row."""
    lines: list[str] = []
    for child in tc.iterchildren():
        if child.tag == W_P:
            text = text_of(child)
            if text.strip():
                lines.append(text)
        elif child.tag == W_TBL:
            for tr in child.iter(W_TR):
                row_text = " ".join(" ".join(_cell_lines(tc2, text_of)) for tc2 in tr.iter(W_TC))
                if row_text.strip():
                    lines.append(row_text)
    return lines


def _is_layout_table(tbl) -> bool:
    """Letterhead / signature tables: no visible borders (table or cell level) and few columns.

    Word draws borders from tblBorders or a table style; LibreOffice writes them per cell
    (tcBorders). A wide borderless grid is still data: annexes are sometimes borderless."""
    tblpr = tbl.find(qn("w:tblPr"))
    borders = tblpr.find(qn("w:tblBorders")) if tblpr is not None else None
    style = tblpr.find(qn("w:tblStyle")) if tblpr is not None else None
    if borders is not None and any(b.get(qn("w:val")) not in _NO_BORDER for b in borders):
        return False
    if borders is None and style is not None and "grid" in (style.get(qn("w:val")) or "").lower():
        return False
    for cell_borders in tbl.iter(qn("w:tcBorders")):
        if any(b.get(qn("w:val")) not in _NO_BORDER for b in cell_borders):
            return False
    rows = tbl.findall(W_TR)
    widest = max((len(r.findall(W_TC)) for r in rows), default=0)
    return widest <= 3


def _grid_rows(tbl, text_of: TextOf) -> list[list[tuple[list[str], int, bool]]]:
    """Rows of (lines, col_span, merged_from_above), vMerge continuations filled from above."""
    rows: list[list[tuple[list[str], int, bool]]] = []
    above: dict[int, list[str]] = {}
    for tr in tbl.findall(W_TR):
        row: list[tuple[list[str], int, bool]] = []
        col = 0
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None:
            before = trpr.find(qn("w:gridBefore"))
            if before is not None and (before.get(qn("w:val")) or "").isdigit():
                for _ in range(int(before.get(qn("w:val")))):
                    row.append(([], 1, False))
                    col += 1
        for tc in tr.findall(W_TC):
            tcpr = tc.find(qn("w:tcPr"))
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None and (gs.get(qn("w:val")) or "").isdigit():
                    span = max(1, int(gs.get(qn("w:val"))))
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val")) or "continue"
            if vmerge == "continue":
                lines, merged = list(above.get(col, [])), True
            else:
                lines, merged = _cell_lines(tc, text_of), False
                above[col] = lines
            row.append((lines, span, merged))
            col += span
        rows.append(row)
    return rows


def _layout_paragraphs(tbl, first_number: int, text_of: TextOf) -> list[Paragraph]:
    """A borderless table read as text: each column top to bottom, left to right."""
    grid = _grid_rows(tbl, text_of)
    width = max((len(r) for r in grid), default=0)
    paragraphs: list[Paragraph] = []
    for col in range(width):
        for row in grid:
            if col < len(row) and not row[col][2]:
                # Soft line breaks separate the lines of a letterhead or signature block.
                for line in (part for text in row[col][0] for part in text.split("\n") if part.strip()):
                    number = first_number + len(paragraphs)
                    paragraphs.append(Paragraph(text=line, provenance=Provenance(paragraph=number)))
    return paragraphs


MAX_UNPACKED_BYTES = 300 * 1024 * 1024   # a real plan unpacks to a few MB
MAX_PART_RATIO = 200                       # XML compresses ~10x; bombs compress ~1000x


def _check_package(data: bytes) -> None:
    """Refuse decompression bombs from the zip directory alone, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ParseError(f"not a readable DOCX file: {exc}") from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise ParseError(f"DOCX content too large when unpacked ({total / 1e6:.0f} MB > "
                         f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB): refused (possible decompression bomb)")
    for info in infos:
        if info.file_size > 10_000_000 and info.file_size > MAX_PART_RATIO * max(1, info.compress_size):
            raise ParseError(f"DOCX part {info.filename} is too large when unpacked "
                             f"({info.file_size / 1e6:.0f} MB from {info.compress_size / 1e3:.0f} kB): "
                             "refused (possible decompression bomb)")


def _style_names(document) -> dict[str, str]:
    """Style id -> style name ("Heading 2"), read from the XML (python-docx's objects are slow)."""
    names: dict[str, str] = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        names[style.get(qn("w:styleId"))] = name.get(qn("w:val")) if name is not None else ""
    return names


_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
# Text boxes of a paragraph; the VML copy Word keeps for old readers (mc:Fallback) is left out.
_TEXT_BOX_PARAGRAPHS = etree.XPath(
    ".//w:txbxContent/w:p[not(ancestor::mc:Fallback)]",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"})


def _is_frame(tbl) -> bool:
    """A table used as a box around content: one cell, or a borderless layout table whose
    cells hold a table of their own with four columns or more (a task table)."""
    rows = tbl.findall(W_TR)
    cells = [tc for tr in rows for tc in tr.findall(W_TC)]
    nested = [t for tc in cells for t in tc.findall(W_TBL)]
    if not nested:
        return False
    if len(cells) == 1:
        return True
    return _is_layout_table(tbl) and any(max((len(r.findall(W_TC)) for r in t.findall(W_TR)), default=0) >= 4
                                         for t in nested)


def _body_blocks(container):
    """The paragraphs and tables of the body in order: those inside content controls, custom
    XML and frame tables too (templates wrap whole tables in them), and after a paragraph the
    paragraphs of its text boxes (a letterhead or plan number typed in a box)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == W_P:
            yield child
            yield from _TEXT_BOX_PARAGRAPHS(child)
        elif tag == W_TBL:
            if _is_frame(child):
                # A box around the annex: read what is inside, each cell once. Only the frame's
                # own cells (iter() would also walk the cells of every table inside, reading a
                # nested box's content again at each level: 10 boxes gave 2,082 tasks for 38).
                for tr in child.findall(W_TR):
                    for tc in tr.findall(W_TC):
                        yield from _body_blocks(tc)
            else:
                yield child
        elif tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _body_blocks(content)
        elif tag == _W_CUSTOM_XML:
            yield from _body_blocks(child)


def parse_docx(data: bytes) -> Document:
    _check_package(data)
    try:
        document = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(f"not a readable DOCX file: {exc}") from exc
    except Exception as exc:  # python-docx raises several types for broken packages
        raise ParseError(f"not a readable DOCX file: {type(exc).__name__}: {exc}") from exc
    styles = _style_names(document)
    legacy = LegacyFonts(document) if _may_use_legacy_fonts(data) else None
    text_of: TextOf = legacy.paragraph_text if legacy is not None and legacy.active else _plain_text
    blocks: list[Paragraph | Table] = []
    table_index = 0
    paragraph_number = 0
    for child in _body_blocks(document.element.body):
        if child.tag == W_P:
            text = text_of(child)
            if text.strip():
                paragraph_number += 1
                blocks.append(Paragraph(text=text, provenance=Provenance(paragraph=paragraph_number),
                                        heading_level=_heading_level(child, styles),
                                        bold=_is_bold(child), list_item=_is_list_item(child)))
        elif child.tag == W_TBL:
            if _is_layout_table(child):
                layout = _layout_paragraphs(child, paragraph_number + 1, text_of)
                paragraph_number += len(layout)
                blocks.extend(layout)
                continue
            table = Table(rows=[], provenance=Provenance(table=table_index))
            for r, grid_row in enumerate(_grid_rows(child, text_of)):
                cells = [Cell(lines=lines, col_span=span, merged_from_above=merged,
                              provenance=Provenance(table=table_index, row=r))
                         for lines, span, merged in grid_row]
                table.rows.append(Row(cells=cells, provenance=Provenance(table=table_index, row=r)))
            blocks.append(table)
            table_index += 1
    warnings = []
    if legacy is not None and legacy.converted:
        warnings.append(ParserWarning(Code.LEGACY_ENCODING_CONVERTED, "text in TCVN3/VNI fonts (.VnTime, VNI-Times) "
                                                                      "was converted to Unicode"))
    elif (encoding := _unnamed_legacy(blocks)) is not None:
        _convert_blocks(blocks, encoding)
        warnings.append(ParserWarning(Code.LEGACY_ENCODING_CONVERTED, f"the text is in {encoding.upper()} bytes under fonts "
                                                                      "with other names and was converted to Unicode"))
    return Document(blocks=blocks, format="docx", warnings=warnings)


def _block_texts(blocks: list[Paragraph | Table]):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.lines


def _unnamed_legacy(blocks: list[Paragraph | Table]) -> str | None:
    """TCVN3 / VNI text in fonts not named so (a legacy document whose fonts Word replaced by
    "Times New Roman"): told from the text itself, as for PDFs (normalize.legacy)."""
    sample, size = [], 0
    for text in _block_texts(blocks):
        sample.append(text)
        size += len(text)
        if size > 50_000:
            break
    return text_encoding(None, " ".join(sample))


def _convert_blocks(blocks: list[Paragraph | Table], encoding: str) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            block.text = to_unicode(block.text, encoding)
        else:
            for row in block.rows:
                for cell in row.cells:
                    cell.lines = [to_unicode(line, encoding) for line in cell.lines]


def read(data: bytes, options: ReadOptions) -> Document:
    """The format's reader (parsers/registry.py): DOCX has no options."""
    return parse_docx(data)
