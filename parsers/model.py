"""The one document model every format parser produces.

A Document is an ordered list of blocks: paragraphs and tables (rows of cells). Every node
carries a Provenance saying where it came from (page, table, row, line span), so every value
extracted downstream can be traced back to the source. Nothing here knows about formats.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from schema.codes import Code


class ParserWarning(str):
    """A reader's warning: an issue code (schema.codes.Code) and a message. It is the string
    "CODE: message", so warnings that are still plain strings in that form (the text family)
    go in the same list."""

    code: Code
    message: str

    def __new__(cls, code: Code, message: str) -> ParserWarning:
        warning = super().__new__(cls, f"{code.value}: {message}")
        warning.code, warning.message = code, message
        return warning

    def __getnewargs__(self) -> tuple[Code, str]:      # pickled between worker processes
        return self.code, self.message


@dataclass(slots=True)
class Provenance:
    page: int | None = None          # 1-based, paged formats
    page_end: int | None = None
    line: int | None = None          # 1-based, text renditions
    line_end: int | None = None
    table: int | None = None         # 0-based table index in the document
    row: int | None = None           # 0-based row index within its table
    paragraph: int | None = None     # 1-based paragraph number (unpaged, unlined formats: DOCX)
    ocr_confidence: float | None = None

    def spanning(self, other: Provenance) -> Provenance:
        """This provenance extended to also cover `other` (a continuation of it)."""
        def last(a: int | None, b: int | None) -> int | None:
            values = [v for v in (a, b) if v is not None]
            return max(values) if values else None

        page_end = last(self.page_end or self.page, other.page_end or other.page)
        line_end = last(self.line_end or self.line, other.line_end or other.line)
        return Provenance(
            page=self.page,
            page_end=page_end if page_end != self.page else self.page_end,
            line=self.line,
            line_end=line_end,
            table=self.table,
            row=self.row,
            paragraph=self.paragraph,
            ocr_confidence=self.ocr_confidence,
        )


@dataclass(slots=True)
class Paragraph:
    text: str
    provenance: Provenance = field(default_factory=Provenance)
    heading_level: int | None = None   # markup-declared heading level (1 = top), if any
    bold: bool = False                 # whole paragraph emphasised (often a title)
    list_item: bool = False            # bullet / numbered list item


class Cell:
    """One grid cell. `lines` keeps the paragraphs / list items of the cell in order.

    Treat `lines` as immutable: assign a new list to change it. `text` is computed once and
    cached (downstream stages read it thousands of times per document), and assigning `lines`
    clears the cache."""

    __slots__ = ("_lines", "_text", "provenance", "col_span", "merged_from_above")

    def __init__(self, lines: list[str], provenance: Provenance | None = None, col_span: int = 1,
                 merged_from_above: bool = False) -> None:
        self._lines = lines
        self._text: str | None = None
        self.provenance = provenance if provenance is not None else Provenance()
        self.col_span = col_span
        self.merged_from_above = merged_from_above   # vertically merged continuation (text repeated)

    @property
    def lines(self) -> list[str]:
        return self._lines

    @lines.setter
    def lines(self, value: list[str]) -> None:
        self._lines = value
        self._text = None

    @property
    def text(self) -> str:
        """The cell's non-blank lines joined by spaces: "" for an empty cell, never only spaces
        (so `if cell.text` tests for content)."""
        text = self._text
        if text is None:
            text = self._text = " ".join(line for line in self._lines if line.strip())
        return text

    @property
    def is_empty(self) -> bool:
        return not self.text          # text is never only spaces

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return (self._lines == other._lines and self.provenance == other.provenance
                and self.col_span == other.col_span and self.merged_from_above == other.merged_from_above)

    __hash__ = None  # type: ignore[assignment]   # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (f"Cell(lines={self._lines!r}, provenance={self.provenance!r}, col_span={self.col_span}, "
                f"merged_from_above={self.merged_from_above})")


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    provenance: Provenance = field(default_factory=Provenance)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def is_empty(self) -> bool:
        return not any(c.text for c in self.cells)


@dataclass(slots=True)
class Table:
    rows: list[Row]
    provenance: Provenance = field(default_factory=Provenance)
    # Borderless tables used for layout (letterhead, signature) rather than data.
    layout_only: bool = False


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block]
    format: str                    # docx, pdf, pdf-ocr, txt, md
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)   # ParserWarning (or "CODE: message") for the issue list
    # Pages whose text the file does not give (a broken font map, a scan under an invisible
    # text layer): the reader reads them from their image instead.
    unreadable_pages: tuple[int, ...] = ()

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
