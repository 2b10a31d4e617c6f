"""Parser for text renditions (.txt / .md): tab- or pipe-separated table rows, leftover HTML,
markdown headings and emphasis. Layout-flattened PDF text is handled by parsers.text.layout_text."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

from normalize.legacy import decode_legacy_bytes
from normalize.text import collapse_spaces, html_lines, strip_markdown

LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, .VnTime fonts)", "vni": "VNI (VNI-Times fonts)", "cp1258": "Windows-1258"}
from parsers.errors import ParseError
from parsers.text.flattext.crawl import has_crawl_tables, is_separator, parse_crawl_table
from parsers.text.html_tables import find_tables
from parsers.model import Cell, Document, Paragraph, ParserWarning, Provenance, Row, Table
from schema.codes import Code

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_SEPARATOR_ROW = re.compile(r"^[\s|:\-–—=+]*$")
_WHOLE_BOLD = re.compile(r"^\s*(\*\*|__)(.+?)(\*\*|__)?\s*$")


_VIETNAMESE_MARKS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300\u0301\u0303\u0309\u0323]")
# Letters only Unicode Vietnamese has: text mis-read from a legacy font (TCVN3/VNI bytes shown as
# Latin-1) never contains them.
_UNICODE_ONLY_LETTERS = re.compile("[ăĂđĐơƠưƯ\u1ea0-\u1ef9]")


def _plainly_unicode_vietnamese(text: str) -> bool:
    """Many Unicode-only Vietnamese letters early on: no need for legacy-encoding detection
    (which scans the whole text)."""
    return len(_UNICODE_ONLY_LETTERS.findall(text, 0, 2000)) >= 20


def decode_text_with_note(data: bytes) -> tuple[str, ParserWarning | None]:
    """Text and, when a legacy encoding was converted, a note saying so.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as they are; Windows-1258
    (Vietnamese ANSI) is recognised when it decodes to Vietnamese; anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    utf8_error: UnicodeDecodeError | None = None
    try:
        utf8: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8, utf8_error = None, exc
    if utf8 is not None and _plainly_unicode_vietnamese(utf8):
        return utf8, None
    # TCVN3 / VNI font text first: its bytes also decode (wrongly) as cp1258 or even UTF-8.
    legacy = decode_legacy_bytes(data)
    if legacy:
        text, encoding = legacy
        return text, ParserWarning(Code.LEGACY_ENCODING_CONVERTED,
                                   f"the text was typed in {LEGACY_NAMES[encoding]} and was converted to Unicode")
    if utf8 is not None:
        return utf8, None
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        text = ""
    if text and len(_VIETNAMESE_MARKS.findall(text)) >= max(3, len(text) // 200):
        return text, ParserWarning(Code.LEGACY_ENCODING_CONVERTED,
                                   "the text was in Windows-1258 (cp1258) and was converted to Unicode")
    assert utf8_error is not None      # utf8 is None only when decoding failed
    raise ParseError(
        f"text is not UTF-8 (invalid byte at offset {utf8_error.start}) nor a Vietnamese legacy encoding "
        "(Windows-1258, TCVN3/ABC, VNI) that could be recognised")


def decode_text(data: bytes) -> str:
    return decode_text_with_note(data)[0]


def has_table_markup(text: str) -> bool:
    """Tables written with markup: tab- or pipe-separated rows, HTML tables, crawl separators.
    Text without any is flattened text (parsers.text.flattext, parsers.text.layout_text)."""
    lines = text.splitlines()
    marked = 0
    for line in lines:
        if split_table_line(line) is not None:
            marked += 1
            if marked >= 2:
                return True
    return "<table" in text or "<TABLE" in text or has_crawl_tables(lines)


def split_table_line(line: str) -> list[str] | None:
    """Cells of a table row line, or None when the line is prose."""
    if "\t" in line:
        cells = line.split("\t")
        return cells if len(cells) >= 2 else None
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        return [c for c in stripped.strip("|").split("|")]
    return None


@lru_cache(maxsize=32768)   # template cells ("Thường xuyên", unit names) repeat across plans
def _cell_lines(raw: str) -> tuple[str, ...]:
    if "<" not in raw and "&" not in raw:
        text = collapse_spaces(raw)
        lines = [strip_markdown(text) if ("*" in text or "__" in text) else text]
    else:
        lines = [strip_markdown(part) for part in html_lines(raw)]
    return tuple(ln for ln in lines if ln)


_LIST_ITEM = re.compile(r"^\s*(?:[-+•*]\s|<li)")


def _paragraph(line: str, line_no: int) -> Paragraph | None:
    heading_level = None
    if line.startswith("#"):
        match = _HEADING.match(line)
        if match:
            heading_level, line = len(match.group(1)), match.group(2)
    markup = "<" in line or "&" in line
    bold = ("**" in line and bool(_WHOLE_BOLD.match(line))) or (markup and line.strip().startswith("<b>"))
    joined = " ".join(html_lines(line)) if markup else line
    if "*" in joined or "__" in joined:
        joined = strip_markdown(joined)
    text = collapse_spaces(joined).strip("*_ ").strip()
    if not text:
        return None
    return Paragraph(text=text, provenance=Provenance(line=line_no), heading_level=heading_level,
                     bold=bold, list_item=bool(_LIST_ITEM.match(line)))


def parse_text(data: bytes, fmt: str = "txt") -> Document:
    text, note = decode_text_with_note(data)
    return parse_decoded_text(text, fmt, [note] if note else [])


def parse_decoded_text(text: str, fmt: str = "txt", warnings: list[str] | None = None) -> Document:
    """The document of an already decoded text rendition (see decode_text_with_note)."""
    if "\x00" in text:
        raise ParseError("text file contains NUL bytes: binary data, not a text rendition")
    blocks: list[Paragraph | Table] = []
    if "<table" not in text and "<TABLE" not in text:
        _parse_lines(text, 1, blocks)
        return Document(blocks=blocks, format=fmt, warnings=list(warnings or []))
    # HTML tables (parsers.text.html_tables) between the lines of text.
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_of(offset: int) -> int:
        return bisect_right(newlines, offset - 1) + 1

    position = 0
    for html_table in find_tables(text, line_of, _cell_lines):
        _parse_lines(text[position:html_table.start], line_of(position), blocks)
        html_table.table.provenance.table = sum(isinstance(b, Table) for b in blocks)
        for row in html_table.table.rows:
            row.provenance.table = html_table.table.provenance.table
        blocks.append(html_table.table)
        position = html_table.end
    _parse_lines(text[position:], line_of(position), blocks)
    return Document(blocks=blocks, format=fmt, warnings=list(warnings or []))


# A line opening a paragraph of its own: a list marker, a numbered heading, emphasis.
_PARAGRAPH_START = re.compile(r"^\s*(?:[-+•▪●]\s|\*\*|__|#|<|[IVX]{1,5}\.\s|\d{1,2}(?:\.\d{1,2})*\.\s|[a-zđ]\)\s)")


def _continues(blocks: list[Paragraph | Table], paragraph: Paragraph, line: str) -> bool:
    """A web crawl wraps a paragraph's text over lines at arbitrary places (paragraphs are
    separated by blank lines): this line goes on the paragraph of the line just above."""
    if not blocks or not isinstance(blocks[-1], Paragraph) or _PARAGRAPH_START.match(line):
        return False
    previous = blocks[-1]
    last_line = previous.provenance.line_end or previous.provenance.line
    return (last_line is not None and paragraph.provenance.line == last_line + 1
            and not previous.bold and previous.heading_level is None)


def _parse_lines(text: str, first_line: int, blocks: list[Paragraph | Table]) -> None:
    """Paragraphs and tab / pipe tables of `text` (which starts at line `first_line`)."""
    table: Table | None = None
    tables = sum(isinstance(b, Table) for b in blocks)
    lines = text.splitlines()
    crawl = has_crawl_tables(lines)
    skip_to = 0
    for index, line in enumerate(lines):
        line_no = first_line + index
        if index < skip_to or not line or line.isspace():
            continue  # blank lines neither end a table nor make a paragraph
        if crawl and is_separator(line):
            found = parse_crawl_table(lines, index, first_line, tables, _cell_lines)
            blocks.extend(found.blocks)
            tables += sum(isinstance(b, Table) for b in found.blocks)
            skip_to, table = found.end_line, None
            continue
        cells = split_table_line(line)
        if cells is None:
            table = None
            paragraph = _paragraph(line, line_no)
            if paragraph and crawl and _continues(blocks, paragraph, line):
                previous = blocks[-1]
                assert isinstance(previous, Paragraph)
                previous.text = f"{previous.text} {paragraph.text}"
                previous.provenance = previous.provenance.spanning(paragraph.provenance)
            elif paragraph:
                blocks.append(paragraph)
            continue
        if _SEPARATOR_ROW.match(line):
            continue  # markdown table rule "---|---" or "----\t--"
        if table is None:
            table = Table(rows=[], provenance=Provenance(line=line_no, table=tables))
            tables += 1
            blocks.append(table)
        where = Provenance(line=line_no)      # shared by the row's cells: provenance is never mutated
        row = Row(cells=[Cell(list(_cell_lines(c)), where) for c in cells],
                  provenance=Provenance(line=line_no, table=table.provenance.table, row=len(table.rows)))
        table.rows.append(row)
