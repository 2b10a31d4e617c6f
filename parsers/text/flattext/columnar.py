"""Task tables whose text comes column by column within a page (pdfminer.six `extract_text`,
pdftotext's default mode): after the header labels a page gives the TT numbers of its rows,
then the content cells of those rows one after another, then their products, lead units …;
the tool may give a column's boxes out of order or two columns alternating row by row (their
boxes sit on the same line), and drops page headers and section titles in between.

Decoding: the table's lines are cut into boxes (blank-line separated blocks); the header
labels repeated on each page are dropped. Each page is one block of rows, its TT numbers
giving the rows. The block's boxes, split further where a line may start a new cell, are
read as a merge of the columns' cell sequences — each column's cells in row order, the TT
numbers the cells of theirs — found by a beam search that scores each cell with the column
typing (parsers.text.flattext.typing), each cut with the line-break evidence of the
reading-order decoder and each step that goes neither down a column nor along a row with a
cost. The same search reads a page given column by column, row by row (each number followed
by its row), or mixed (the numbers alternating with the unit beside them, then the rest).
Boxes of a new page before its rows may continue the cells of the row cut by the page
break. Never raises: a table it cannot decode gives the rows it has, and the reader keeps
the more plausible reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalize.text import UPPER, fold_words
from parsers.plan.columns import vocabulary
from parsers.text.flattext.cells import cell_lines
from parsers.text.flattext.header import COLUMN_NUMBERS, LABEL_WORDS, SEQ_LABELS, find_header, label_roles
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings
from parsers.text.flattext.stacked import ROMAN, SECTION, Piece, cut_pieces, piece_joins, plausible_next, seq_tuple
from parsers.text.flattext.column_merge import Lines, Merged, merge_columns
from parsers.text.flattext.typing import unit_share
from parsers.text.layout_prose import ANNEX, is_caps_line, mostly_words, paragraphs, prose_width
from parsers.text.layout_text import TABLE_END, source_lines, Src
from parsers.model import Cell, Document, Paragraph, ParserWarning, Provenance, Row, Table
from schema.codes import Code

if TYPE_CHECKING:
    from parsers.text.flattext.reader import StackedReading

_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})[.)]?$")
_NUMBERED_TITLE = re.compile(rf"^(\d{{1,2}})\.\s+[{UPPER}]")       # "2. Cải cách thủ tục hành chính"
_TEXT_ROLES = ("content", "products", "lead", "coordinating", "deadline")


def _label_vocabulary() -> frozenset[str]:
    words = set(LABEL_WORDS) | {w for label in SEQ_LABELS for w in label.split()}
    for rule in vocabulary().rules:
        for phrase in rule.any_of:
            words.update(phrase.split())
    return frozenset(words)


@dataclass
class _Box:
    lines: list[tuple[int, str]]
    page: int
    number: tuple[int, ...] | None = None    # a TT number alone
    seq: str = ""


@dataclass
class _Block:
    """One page of a table: the TT numbers it gives (its rows), its boxes in the order the tool
    gave them (the numbers among them) and the section titles between its rows."""
    seqs: list[tuple[str, int]]              # (printed number, line)
    boxes: list[_Box] = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)   # (row it comes before, title)
    continued: bool = False                  # rows before it: its boxes may continue their cells


@dataclass
class _TableSpec:
    roles: tuple[str, ...]                   # header roles in printed order (seq included)
    labels: tuple[str, ...]
    start: int                               # index of the header's first line
    title: str = ""                          # the annex title before it


def parse_columnar_text(text: str, settings: FlatTextSettings = SETTINGS,
                        column_major_only: bool = False) -> StackedReading | None:
    """The document read as column-major text (a StackedReading), or None without a task-table
    header (or, with `column_major_only`, when no page gives its TT numbers in a run). Never
    raises."""
    from parsers.text.flattext.reader import StackedReading   # the reader imports this module
    try:
        return _parse(text, settings, StackedReading, column_major_only)
    except Exception:       # noqa: BLE001 — a reading that fails leaves the others standing
        return None


def _parse(text: str, settings: FlatTextSettings, reading_type: type[StackedReading],
           column_major_only: bool) -> StackedReading | None:
    lines = source_lines(text)
    texts = [ln.text for ln in lines]
    noise = _label_vocabulary()
    specs = _headers(lines, texts, noise, settings)
    if not specs:
        return None
    prose = lines[:specs[0].start]
    width = prose_width(prose)
    blocks: list[Paragraph | Table] = list(paragraphs(prose, width))
    total, column_major = 0, False
    warnings: list[ParserWarning] = []
    for k, spec in enumerate(specs):
        if not spec.roles:
            continue
        end = specs[k + 1].start if k + 1 < len(specs) else len(lines)
        body = [ln for ln in lines[spec.start:end] if not TABLE_END.match(ln.text)]
        index = sum(isinstance(b, Table) for b in blocks)
        if spec.title:
            blocks.append(Paragraph(spec.title))
        table, rows, runs, unplaced = _table(spec, body, noise, index, settings)
        total, column_major = total + rows, column_major or runs
        blocks.append(table)
        if unplaced:
            warnings.append(ParserWarning(Code.TEXT_FRAGMENT_UNPLACED, (
                f"task table {index + 1}: text on {len(unplaced)} line(s) (from line {min(unplaced)}) fits none of "
                f"its columns; kept in the tasks' extra under \"{UNPLACED_LABEL}\"")))
    if column_major_only and not column_major:
        return None           # no page gives its TT numbers in a run: text in reading order
    pages = max((ln.page for ln in lines), default=1) if "\f" in text else None
    return reading_type(Document(blocks=blocks, format="txt", pages=pages, warnings=warnings), total, 0)


def _headers(lines: list[Src], texts: list[str], noise: frozenset[str],
             settings: FlatTextSettings) -> list[_TableSpec]:
    """Every table start: a TT label followed by column labels (numbers may come between).
    A header repeated on a new page with no annex title since is the same table."""
    specs: list[_TableSpec] = []
    title = ""
    for i, line in enumerate(texts):
        if ANNEX.match(line):
            title = line
            continue
        rest = _after_seq_label(line)
        if rest is None:
            continue
        header = find_header(texts, i, settings)
        following = " ".join(fold_words(t) for t in texts[i + 1:i + 4])
        if header is not None and header.statistics or vocabulary().marks_statistics(following):
            specs.append(_TableSpec((), (), i))     # a statistics form ends the task table
            continue
        roles, labels = ["seq"], [line[:len(line) - len(rest)].strip()]
        window = _labels_above(texts, i, noise) + ([rest] if rest else []) \
            + texts[i + 1:i + 1 + settings.columnar_header_window]
        for k, text in enumerate(window):
            if fold_words(text) in SEQ_LABELS:
                break
            if k + 1 < len(window) and window[k + 1][:1].islower():
                text = f"{text} {window[k + 1]}"     # a label wrapped: "Cơ quan thực" + "hiện"
            if _is_label(text, noise):
                for _, role in label_roles(fold_words(text).split()):
                    if role not in roles:
                        roles.append(role)
                        labels.append(text)
        if header is not None and not header.statistics and "content" in header.roles \
                and len(set(header.roles)) >= len(set(roles)):
            roles, labels = list(header.roles), list(header.labels)
        if "content" not in roles or len(set(roles) & set(_TEXT_ROLES)) < 1 + settings.min_core_roles:
            continue
        if specs and specs[-1].roles and not title:
            continue          # the header again on a new page
        if specs and specs[-1].roles and set(specs[-1].roles) > set(roles):
            roles, labels = list(specs[-1].roles), list(specs[-1].labels)
        specs.append(_TableSpec(tuple(roles), tuple(labels), i, title))
        title = ""
    return specs


def _after_seq_label(line: str) -> str | None:
    """The rest of a line that starts with the TT label ("" when it is the label alone; the
    tool may glue the next label to it: "STT Cơ quan chủ trì"), None for any other line."""
    words = line.split()
    if not line[:1].isalpha():
        return None                 # "- TT Đảng ủy": a recipient line, TT an abbreviation
    for size in (1, 2, 3):
        if fold_words(" ".join(words[:size])) in SEQ_LABELS:
            return " ".join(words[size:])
    return None


def _labels_above(texts: list[str], i: int, noise: frozenset[str]) -> list[str]:
    """Column labels the tool gave before the TT label (their boxes sit higher on the page),
    in their order: the lines just above it that are labels, column numbers or blank."""
    k = i
    while k > 0 and (not texts[k - 1].strip() or COLUMN_NUMBERS.match(texts[k - 1].strip())
                     or _is_label(texts[k - 1], noise)):
        k -= 1
    return [t for t in texts[k:i] if t.strip() and not COLUMN_NUMBERS.match(t.strip())]


def _is_label(text: str, noise: frozenset[str]) -> bool:
    """A column label: short, capitalised, label words only or a label phrase at its start
    ("Nhiệm vụ cụ thể"; "Cơ quan | thực hiện")."""
    words = fold_words(text).split()
    if not words or len(words) > 6 or not text[:1].isupper():
        return False
    if all(w in noise for w in words):
        return unit_share(text) < 1.0      # "Sở Nội vụ" is made of label words too: a unit's name
    found = label_roles(words)
    return bool(found) and all(w in LABEL_WORDS for w in words[:found[0][0]])


def _title(text: str) -> bool:
    """An annex title in capitals ("DANH MỤC NHIỆM VỤ …"), not a cell of abbreviations."""
    return is_caps_line(text) and len(text.split()) >= 3 and mostly_words(text)


def _boxes(body: list[Src], noise: frozenset[str]) -> list[_Box]:
    """The body's boxes, header labels and annex titles left out. A TT number alone and a
    section title ("II. Cải cách …") are boxes of their own."""
    boxes: list[_Box] = []
    previous: Src | None = None
    label_before = False
    for ln in body:
        text = ln.text.strip()
        joined = previous is not None and ln.no == previous.no + 1 and ln.page == previous.page
        if ANNEX.match(text) or fold_words(text) in SEQ_LABELS or _is_label(text, noise) or _title(text) \
                or COLUMN_NUMBERS.match(text) \
                or label_before and joined and all(w in noise for w in fold_words(text).split()):
            label_before, previous = True, ln
            continue
        label_before = False
        number = _NUMBER.match(text)
        section = SECTION.match(text)
        if number:
            boxes.append(_Box([(ln.no, text)], ln.page, seq_tuple(number.group(1)), number.group(1)))
        elif section and ROMAN.match(section.group(1)):
            boxes.append(_Box([(ln.no, text)], ln.page, None, "section"))
        elif boxes and joined and boxes[-1].number is None and boxes[-1].seq != "section" \
                and previous is not None and boxes[-1].lines[-1][0] == previous.no:
            boxes[-1].lines.append((ln.no, text))
        else:
            boxes.append(_Box([(ln.no, text)], ln.page))
        previous = ln
    _numbered_sections(boxes)
    return boxes


def _numbered_sections(boxes: list[_Box]) -> None:
    """A one-line box "2. Cải cách thủ tục hành chính" whose next TT number is 2.1 is the title
    of section 2 (its rows numbered under it), not a cell."""
    for k, box in enumerate(boxes):
        title = _NUMBERED_TITLE.match(box.lines[0][1]) if len(box.lines) == 1 and box.number is None else None
        if title is None:
            continue
        number = next((b.number for b in boxes[k + 1:] if b.number is not None), None)
        if number == (int(title.group(1)), 1):
            box.seq, box.number = "section", (int(title.group(1)),)


def _blocks(boxes: list[_Box], settings: FlatTextSettings) -> tuple[list[_Block], bool]:
    """One block of rows per page, and whether a page gave TT numbers in a run (column by
    column). A page's boxes are decoded together whatever their order: column by column, row
    by row, or a mixture (the TT numbers and the unit beside them alternating, then the rest)."""
    out: list[_Block] = []
    last: tuple[int, ...] | None = None
    runs = False
    pages: list[list[_Box]] = []
    for box in boxes:
        if not pages or box.page != pages[-1][-1].page:
            pages.append([])
        pages[-1].append(box)
    for page in pages:
        block = _Block([], continued=bool(out))
        after_number = False
        for box in page:
            if box.seq == "section":
                block.sections.append((len(block.seqs), box.lines[0][1]))
                last = box.number or last            # "2. …": its rows are 2.1, 2.2 …
                after_number = False
            elif box.number is not None:
                if last is None and box.number[-1] == 1 or last is not None and plausible_next(last, box.number, settings):
                    last, runs = box.number, runs or after_number
                    block.seqs.append((box.seq, box.lines[0][0]))
                    block.boxes.append(box)
                    after_number = True           # other numbers (page numbers) are left out
            else:
                block.boxes.append(box)
                after_number = False
        out.append(block)
    return out, runs


def _table(spec: _TableSpec, body: list[Src], noise: frozenset[str], index: int,
           settings: FlatTextSettings) -> tuple[Table, int, bool, list[int]]:
    """The table, its task rows, whether a page of it gave its rows column by column, and the
    source lines of the text it could place in no column."""
    roles = list(spec.roles)
    seq_col = roles.index("seq") if "seq" in roles else None
    cell_roles = [r for c, r in enumerate(roles) if c != seq_col]
    width = len(roles)
    first = body[0].no if body else 0
    head = Row(cells=[Cell([label], Provenance(line=first)) for label in spec.labels],
               provenance=Provenance(line=first, table=index, row=0))
    table = Table(rows=[head], provenance=Provenance(line=first, line_end=body[-1].no if body else first, table=index))
    boxes = _boxes(body, noise)
    blocks, runs = _blocks(boxes, settings)
    decoded: list[_DecodedRow | str] = []
    for block in blocks:
        last = next((e for e in reversed(decoded) if not isinstance(e, str)), None)
        before = [" ".join(t for _, t in cell) for cell in last.cells] if last and block.continued else None
        try:
            merged = _decode_block(block, roles, seq_col, before, settings)
        except Exception:     # noqa: BLE001 — a block that fails to decode keeps its numbers
            merged = Merged([[[] for _ in cell_roles] for _ in block.seqs], [], [])
        if last is not None:
            for c, found in enumerate(merged.carried):
                last.cells[c] = last.cells[c] + found
        here = [_DecodedRow(seq, line, row_cells) for (seq, line), row_cells in zip(block.seqs, merged.cells)]
        for r, found in merged.unplaced:
            owner = here[r] if r >= 0 else last
            if owner is not None:
                owner.unplaced.extend(found)
        for r, row in enumerate(here):
            decoded.extend(title for at, title in block.sections if at == r)
            decoded.append(row)
        decoded.extend(title for at, title in block.sections if at >= len(block.seqs))
    unplaced = [line for entry in decoded if not isinstance(entry, str) for line, _ in entry.unplaced]
    table.rows.extend(_model_rows(decoded, seq_col, width, index, bool(unplaced)))
    if unplaced:
        head.cells.append(Cell([UNPLACED_LABEL], Provenance(line=first)))
    rows = sum(not isinstance(entry, str) for entry in decoded)
    return table, rows, runs, unplaced


@dataclass
class _DecodedRow:
    seq: str
    line: int
    cells: list[Lines]                       # the columns after the TT column's
    unplaced: Lines = field(default_factory=list)


UNPLACED_LABEL = "(văn bản chưa xếp được vào cột)"   # the extra column of text no column took


def _model_rows(decoded: list[_DecodedRow | str], seq_col: int | None, width: int, index: int,
                spare: bool) -> list[Row]:
    """The table's rows after its header; with `spare` (some row has text the decoder placed in
    no column) that text goes to a last column of its own (UNPLACED_LABEL: a task's `extra`)."""
    out: list[Row] = []
    for entry in decoded:
        prov = Provenance(table=index, row=len(out) + 1)
        if isinstance(entry, str):
            out.append(Row(cells=[Cell([entry], col_span=width + spare)], provenance=prov))
            continue
        found_cells = entry.cells + ([entry.unplaced] if spare else [])
        cells = [Cell(cell_lines([t for _, t in found]),
                      Provenance(line=found[0][0], line_end=found[-1][0]) if found else Provenance())
                 for found in found_cells]
        if seq_col is not None:
            cells.insert(seq_col, Cell([entry.seq], Provenance(line=entry.line)))
        lines_of = [n for found in found_cells for n, _ in found] + [entry.line]
        prov.line, prov.line_end = min(lines_of), max(lines_of)
        out.append(Row(cells=cells, provenance=prov))
    return out


def _decode_block(block: _Block, roles: list[str], seq_col: int | None, before: list[str] | None,
                  settings: FlatTextSettings) -> Merged:
    """Cells [row][column] (the TT column left out) of a block's rows from its boxes, and the
    text each such column's cell of the row before (`before`, cut by the page break) goes on
    with."""
    k = len(roles) - (seq_col is not None)
    n = len(block.seqs)
    pieces: list[Piece] = []
    box_end: list[int] = []
    numbers: dict[int, int] = {}             # piece index -> the row whose TT number it is
    for box in block.boxes:
        if box.number is not None:           # the block keeps only the numbers of its rows, in order
            numbers[len(pieces)] = len(numbers)
            part = [Piece(box.lines[0][0], box.seq, False)]
        else:
            part = cut_pieces(box.lines, False, settings)
        pieces.extend(part)
        box_end.extend([len(pieces)] * len(part))
    m = len(pieces)
    if m > settings.max_block_pieces or not m:
        return Merged([[[] for _ in range(k)] for _ in range(n)], [[] for _ in range(k)], [])
    join = [value + (settings.columnar_inline_cost if piece.inline and g else 0.0)
            for g, (value, piece) in enumerate(zip(piece_joins(pieces, settings, False), pieces))]
    full = None
    if before is not None and any(before):
        full = list(before)
        if seq_col is not None:
            full.insert(seq_col, "")
    merged = merge_columns(roles, seq_col, n, full, pieces, box_end, numbers, join, settings)
    if seq_col is not None:
        merged.cells = [row[:seq_col] + row[seq_col + 1:] for row in merged.cells]
        merged.carried = merged.carried[:seq_col] + merged.carried[seq_col + 1:]
    return merged
