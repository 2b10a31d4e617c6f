"""HTML tables inside a text rendition (a plan copied from a web page or saved by a converter
as HTML-in-text): `<table>` … `</table>` spans, their rows and cells, with colspan (one cell
over several columns) and rowspan (the cell repeated below, marked merged_from_above, as the
DOCX parser does for a vertically merged cell)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from parsers.model import Cell, Provenance, Row, Table

_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</tbody|</thead|</tfoot|$)", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t([dh])\b([^>]*)>(.*?)(?=<t[dh]\b|</tr|$)", re.IGNORECASE | re.DOTALL)
_CELL_END = re.compile(r"</t[dh]\s*>\s*$", re.IGNORECASE)
_SPAN = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?(\d{1,3})", re.IGNORECASE)
_RULE = re.compile(r"^[\s|:\-–—=+_]*$")
MAX_SPAN = 50          # a larger span is a typo (or an attack), not a layout


@dataclass(frozen=True)
class HtmlTable:
    start: int          # offsets of the <table> … </table> span in the text
    end: int
    table: Table


def find_tables(text: str, line_of: Callable[[int], int],
                cell_lines: Callable[[str], tuple[str, ...]], first_index: int = 0) -> list[HtmlTable]:
    """The HTML tables of `text`; `line_of(offset)` gives the 1-based line of an offset (for
    provenance), `cell_lines(raw)` the cleaned lines of a cell's inner HTML."""
    out: list[HtmlTable] = []
    for match in _TABLE.finditer(text):
        index = first_index + len(out)
        table = Table(rows=[], provenance=Provenance(line=line_of(match.start()), table=index))
        pending: dict[int, tuple[tuple[str, ...], int, int]] = {}   # column -> (lines, span, rows left)
        body_start = match.start(1)
        for row_match in _ROW.finditer(match.group(1)):
            line = line_of(body_start + row_match.start())
            where = Provenance(line=line)
            cells: list[Cell] = []
            column = 0

            def carry() -> None:
                nonlocal column
                while column in pending:
                    lines, span, left = pending[column]
                    cells.append(Cell(list(lines), where, col_span=span, merged_from_above=True))
                    if left <= 1:
                        del pending[column]
                    else:
                        pending[column] = (lines, span, left - 1)
                    column += span

            for cell_match in _CELL.finditer(row_match.group(1)):
                carry()
                spans = {k.lower(): min(MAX_SPAN, max(1, int(v))) for k, v in _SPAN.findall(cell_match.group(2))}
                span, down = spans.get("colspan", 1), spans.get("rowspan", 1)
                lines = cell_lines(_CELL_END.sub("", cell_match.group(3)))
                cells.append(Cell(list(lines), where, col_span=span))
                if down > 1:
                    pending[column] = (lines, span, down - 1)
                column += span
            carry()
            if cells and not all(_RULE.match(c.text) for c in cells):   # "----" rows are rules
                table.rows.append(Row(cells=cells, provenance=Provenance(line=line, table=index,
                                                                         row=len(table.rows))))
        if table.rows:
            out.append(HtmlTable(match.start(), match.end(), table))
    return out
