"""A flattened-text document in reading order: prose re-joined into paragraphs, annex task
tables found by their header labels and decoded row by row (parsers.text.flattext.stacked)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from parsers.text.flattext.aligned import aligned_table, raw_lines
from parsers.text.flattext.columnar import parse_columnar_text
from parsers.text.flattext.interleaved import decode_table, split_rows, word_pairs
from parsers.text.flattext.quality import table_quality
from parsers.text.flattext.regions import split_regions
from parsers.text.flattext.header import (MAX_LABEL_LINES_ABOVE, SEQ_LABELS, Header, find_header, header_model_rows, header_words, label_roles, repeated_header,
                                     same_header)
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings
from parsers.text.flattext.pages import PAGE_NUMBER
from parsers.text.flattext.stacked import Line, decode_tasks, find_rows
from parsers.text.layout_prose import paragraphs, prose_width
from parsers.text.flattext.cells import cell_lines
from parsers.text.layout_text import Src, ends_table, source_lines
from normalize.text import ROMAN_NUMERAL, UPPER, fold_words
from parsers.errors import ParseError
from parsers.model import Cell, Document, Paragraph, ParserWarning, Provenance, Row, Table
from schema.codes import Code

_BARE_NUMERAL = re.compile(rf"^(?:{ROMAN_NUMERAL}|[A-ZĐ])[.)]?$")   # a section row's number, its title below
_SECTION_LINE = re.compile(rf"^(?:{ROMAN_NUMERAL}|[A-ZĐ])(?:[.)]\s|\s+[A-ZĐ][{UPPER}])")


@dataclass
class StackedReading:
    document: Document
    rows: int                  # task rows decoded
    side_by_side: int          # source lines whose text went to two cells or more
    aligned: bool = False      # every table read by its columns' positions (space-aligned text)

    @property
    def side_by_side_per_row(self) -> float:
        return self.side_by_side / self.rows if self.rows else 0.0


@dataclass
class _TableRegion:
    header: Header
    header_lines: list[Src]
    body: list[Line]


def parse_stacked_text(text: str, settings: FlatTextSettings = SETTINGS,
                       interleaved: bool = False) -> StackedReading | None:
    """The document read as reading-order text (or, `interleaved`, as lines holding several
    cells side by side), or None when no task-table header is found."""
    lines = source_lines(text)
    texts = [ln.text for ln in lines]
    printed = raw_lines(text)

    def table_at(i: int) -> tuple[_TableRegion, int] | None:
        header = find_header(texts, i, settings)
        return None if header is None else _table_region(lines, texts, header, settings)

    regions = split_regions(lines, table_at)
    if not any(kind == "table" for kind, _ in regions):
        return None
    width = prose_width([ln for kind, r in regions if kind == "prose" for ln in r])  # type: ignore[union-attr]
    pairs = word_pairs([ln.text for kind, r in regions if kind == "prose" for ln in r]) if interleaved else None  # type: ignore[union-attr]
    blocks: list[Paragraph | Table] = []
    rows = shared = 0
    aligned = True
    for kind, region in regions:
        if kind == "prose":
            blocks.extend(paragraphs(region, width))  # type: ignore[arg-type]
            continue
        assert isinstance(region, _TableRegion)
        index = sum(isinstance(b, Table) for b in blocks)
        found = _table(region, index, printed, settings, pairs if interleaved else None)
        if found is None:
            return None           # cells centred vertically: not read here yet
        table, lead_in, counts, by_position = found
        rows, shared, aligned = rows + counts[0], shared + counts[1], aligned and by_position
        blocks.extend(paragraphs(lead_in, width))
        blocks.append(table)
    pages = max((ln.page for ln in lines), default=1) if "\f" in text else None
    return StackedReading(Document(blocks=blocks, format="txt", pages=pages), rows, shared, aligned)


def choose_reading(text: str, interleaved: Callable[[], Document | None],
                   settings: FlatTextSettings = SETTINGS) -> Document | None:
    """The better reading of flattened text: in reading order, or by `interleaved` (cells side
    by side on each line), judged by how plausible their task rows look. Reading order is
    taken without a second reading when its rows are plausible and few of its lines hold
    two cells (interleaved text read in order puts two cells on almost every line)."""
    stacked = parse_stacked_text(text, settings)
    quality = table_quality(stacked.document)[0] if stacked is not None else 0.0
    if stacked is not None and quality >= settings.convincing_quality \
            and stacked.side_by_side_per_row <= settings.max_side_by_side_per_row:
        return stacked.document
    def side_by_side() -> Document | None:
        """Top-aligned interleaved cells are read by parsers.text.flattext.interleaved, centred ones
        (not yet read there) by `interleaved`; of two readings the more plausible."""
        reading = parse_stacked_text(text, settings, interleaved=True)
        other = interleaved()
        if reading is None:
            return other
        other_quality = _judged(other)
        if other_quality is not None and (_judged(reading.document) or 0.0) < other_quality + settings.interleaved_margin:
            return other
        return reading.document

    chosen, final = _second_reading(stacked, quality, side_by_side, settings)
    chosen, final = _columnar_reading(text, chosen, final, settings)
    if chosen is not None and final is not None:
        if final < settings.uncertain_quality:
            chosen.warnings.append(ParserWarning(
                Code.TEXT_TABLE_UNCERTAIN, f"the task tables of this flattened text were decoded with "
                f"{final:.0%} of their cells fitting their columns; check the rows"))
    return chosen


def _second_reading(stacked: StackedReading | None, quality: float, interleaved: Callable[[], Document | None],
                    settings: FlatTextSettings) -> tuple[Document | None, float | None]:
    """The reading to keep and its quality (None when it has no task row to judge)."""
    try:
        other = interleaved()
    except ParseError:
        other = None          # the interleaved reader gave up: the reading-order one stands
    if stacked is None:
        return other, _judged(other)
    if other is None:
        return stacked.document, quality if stacked.rows else None
    other_quality, other_rows = table_quality(other)
    judged_other = other_quality if other_rows else None
    # a reading that finds only a fraction of the other's rows has lost (part of) the table; a
    # reading-order decode of interleaved text over-counts rows (numbers inside cells), so
    # the interleaved reading is held to the looser share
    if other_rows < settings.min_row_share * stacked.rows:
        other_quality *= other_rows / stacked.rows
    elif stacked.rows < settings.min_stacked_row_share * other_rows:
        quality *= stacked.rows / other_rows
    # two cells on many lines of a row: the text is likelier interleaved than in reading order
    bias = settings.interleaved_bias if stacked.side_by_side_per_row > settings.max_side_by_side_per_row else 0.0
    if stacked.aligned and stacked.rows:
        bias -= settings.aligned_bias       # columns placed by position: plausibility alone does not overrule them
    if other_quality + bias >= quality:
        return other, judged_other
    return stacked.document, table_quality(stacked.document)[0] if stacked.rows else None


def _columnar_reading(text: str, chosen: Document | None, final: float | None,
                      settings: FlatTextSettings) -> tuple[Document | None, float | None]:
    """The column-major reading instead of `chosen` when its task rows are clearly more plausible
    and it has not lost most of the table. A plausible reading is challenged only by text that
    gives some page's TT numbers in a run."""
    plausible = final is not None and final >= settings.uncertain_quality
    columnar = parse_columnar_text(text, settings, column_major_only=plausible)
    if columnar is None:
        return chosen, final
    quality, rows = table_quality(columnar.document)
    chosen_rows = table_quality(chosen)[1] if chosen is not None else 0
    if not rows:
        return chosen, final
    if rows < settings.min_row_share * chosen_rows:
        quality *= rows / chosen_rows
    if quality > (final or 0.0) + settings.columnar_margin:
        return columnar.document, quality
    return chosen, final


def _judged(document: Document | None) -> float | None:
    if document is None:
        return None
    quality, rows = table_quality(document)
    return quality if rows else None


def _table_region(lines: list[Src], texts: list[str], header: Header,
                  settings: FlatTextSettings) -> tuple[_TableRegion, int]:
    words = header_words([t for t in texts[header.start:header.end]])
    body: list[Line] = []
    header_lines = lines[header.start:header.end]
    j = header.end
    page_break = False
    while j < len(lines):
        end = repeated_header(texts, j, words)
        if end is not None:
            _drop_page_number(body)
            page_break, j = True, end
            continue
        other = find_header(texts, j, settings)
        if other is not None and not same_header(other, header):
            break
        text = texts[j]
        after_numeral = bool(body) and bool(_BARE_NUMERAL.match(body[-1].text))
        if ends_table(text) and not _SECTION_LINE.match(text) and not after_numeral:
            break
        if body and lines[j].page != lines[j - 1].page:
            page_break = True
        body.append(Line(lines[j].no, text, page_break))
        page_break = False
        j += 1
    _drop_page_number(body)
    return _TableRegion(header, header_lines, body), j


def _drop_page_number(body: list[Line]) -> None:
    """A page number printed at the foot of the page, just before the repeated header."""
    if body and PAGE_NUMBER.match(body[-1].text) and not body[-1].text.endswith("."):
        body.pop()


def _table(region: _TableRegion, index: int, printed: list[str], settings: FlatTextSettings,
           pairs: frozenset[tuple[str, str]] | None = None) -> tuple[Table, list[Src], tuple[int, int], bool] | None:
    """The table, the lines before its first row, (task rows, lines shared by two cells), and
    whether it was read by its columns' positions (space-aligned text).
    `pairs` (the prose's word pairs): read the rows as interleaved text (None when its cells
    are centred vertically)."""
    header = region.header
    if region.body and not header.statistics:
        first = region.header_lines[0].no
        above = [line for line in printed[max(0, first - 1 - MAX_LABEL_LINES_ABOVE):first - 1] if line.strip()]
        aligned = aligned_table([printed[ln.no - 1] for ln in region.header_lines], above, header, region.body,
                                printed, index, settings)
        if aligned is not None:
            return aligned[0], [], (aligned[1], 0), True
    first, last = region.header_lines[0].no, (region.body[-1].no if region.body else region.header_lines[-1].no)
    head_prov = Provenance(line=first, line_end=region.header_lines[-1].no, table=index, row=0)
    printed_rows = header.rows or (tuple((label, 1) for label in header.labels),)
    table = Table(rows=header_model_rows(printed_rows, first, head_prov.line_end, index),
                  provenance=Provenance(line=first, line_end=last, table=index))
    width = len(header.roles)
    if header.statistics:
        for line in region.body:     # a statistics form: kept whole, set aside by parsers.structure
            table.rows.append(Row(cells=[Cell([line.text], Provenance(line=line.no), col_span=width)],
                                  provenance=Provenance(line=line.no, table=index, row=len(table.rows))))
        return table, [], (0, 0), True      # neutral: a form kept whole is no evidence either way
    if pairs is not None:
        above = next((line for line in reversed(printed[:region.header_lines[0].no - 1]) if line.strip()), "")
        found = _interleaved_table(table, region, index, above.strip(), settings, pairs)
        return None if found is None else (*found, False)
    rows_found, lead_in = find_rows(region.body, settings)
    rows = shared = 0
    roles = list(header.roles)
    seq_col = roles.index("seq") if "seq" in roles else None
    cell_roles = [r for c, r in enumerate(roles) if c != seq_col]
    for row in rows_found:
        prov = Provenance(line=min(row.lines), line_end=max(row.lines), table=index, row=len(table.rows))
        if row.kind == "section":
            title = " ".join([row.title] + [t.lstrip("\f") for _, t in row.items])
            table.rows.append(Row(cells=[Cell([title], Provenance(line=prov.line, line_end=prov.line_end),
                                              col_span=width)], provenance=prov))
            continue
        tasks = decode_tasks(row, cell_roles, settings)
        for part, decoded in enumerate(tasks):
            rows += 1
            owners: dict[int, int] = {}
            for c, found in enumerate(decoded):
                for line, _ in found:
                    owners[line] = owners.get(line, c) if owners.get(line, c) == c else -1
            shared += sum(1 for owner in owners.values() if owner < 0)
            cells: list[Cell] = []
            for c, found in enumerate(decoded):
                # the second task of a merged row repeats the first's shared cells (the same lists)
                cells.append(Cell(cell_lines([t for _, t in found]),
                                  Provenance(line=found[0][0], line_end=found[-1][0]) if found else Provenance(),
                                  merged_from_above=part > 0 and found is tasks[0][c] and bool(found)))
            if seq_col is not None:
                cells.insert(seq_col, Cell([row.seq], Provenance(line=row.seq_line), merged_from_above=part > 0))
            table.rows.append(Row(cells=cells, provenance=Provenance(line=prov.line, line_end=prov.line_end,
                                                                     table=index, row=len(table.rows))))
    return table, [Src(ln.no, ln.text, 0) for ln in lead_in], (rows, shared), False


def _interleaved_table(table: Table, region: _TableRegion, index: int, above: str, settings: FlatTextSettings,
                       pairs: frozenset[tuple[str, str]]) -> tuple[Table, list[Src], tuple[int, int]] | None:
    """The table read as interleaved text, or None when its cells are centred vertically or
    its TT label is glued to the next label (not read here)."""
    roles = list(region.header.roles)
    seq_col = roles.index("seq") if "seq" in roles else None
    if seq_col is None or fold_words(region.header.labels[seq_col]) not in SEQ_LABELS:
        return None
    cell_roles = [r for c, r in enumerate(roles) if c != seq_col]
    floating = [role for _, role in label_roles(fold_words(above).split())]
    floats = bool(above and floating and not set(floating) & set(roles)
                  and len(above.split()) <= settings.max_label_words)
    # a label centred on the header row stands above the TT line (and its end below it): its
    # copies over repeated headers are dropped, and its column goes where the body fits it best
    body = [line for line in region.body if line.text.strip() != above] if floats else region.body
    rows, lead_in, centred = split_rows(body, settings)
    if centred:
        return None
    if floats:
        at = max(range(1, len(cell_roles) + 1), key=lambda at: decode_table(
            rows, cell_roles[:at] + floating + cell_roles[at:], settings, settings.column_trial_rows, pairs)[1])
        cell_roles[at:at] = floating
        labels = [label for c, label in enumerate(region.header.labels) if c != seq_col]
        labels[at:at] = [above]
        labels.insert(0, region.header.labels[seq_col])
        seq_col = 0
        table.rows[:] = header_model_rows((tuple((label, 1) for label in labels),), table.rows[0].provenance.line or 0,
                                          table.rows[0].provenance.line_end or 0, index)
    width = len(cell_roles) + 1
    decoded = iter(decode_table(rows, cell_roles, settings, None, pairs)[0])
    tasks = 0
    for row in rows:
        lines = [ln.no for ln in row.lines] + [row.seq_line or 0]
        prov = Provenance(line=min(lines), line_end=max(lines), table=index, row=len(table.rows))
        if row.kind == "section":
            table.rows.append(Row(cells=[Cell([row.title], Provenance(line=prov.line, line_end=prov.line_end),
                                              col_span=width)], provenance=prov))
            continue
        tasks += 1
        cells = [Cell(cell_lines([t for _, t in found]),
                      Provenance(line=found[0][0], line_end=found[-1][0]) if found else Provenance())
                 for found in next(decoded)]
        cells.insert(seq_col, Cell([row.seq], Provenance(line=row.seq_line)))
        table.rows.append(Row(cells=cells, provenance=prov))
    return table, [Src(ln.no, ln.text, 0) for ln in lead_in], (tasks, 0)
