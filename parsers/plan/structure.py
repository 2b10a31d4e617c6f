"""Format-free plan structure: annex task tables, their column mapping, section rows,
continuation rows and prose paragraphs, from any Document.

Nothing here knows which format a Document came from. Statistics forms and tables without a
task header are set aside; rows are returned with cells keyed by column role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize.areas import area_of
from normalize.text import ROMAN_NUMERAL_STRICT, clean, fold_words
from parsers.plan.columns import CORE_ROLES, vocabulary
from parsers.model import Cell, Document, Paragraph, Provenance, Table
from parsers.plan.table_header import Mapping, grid as _grid, header_mapping

# The numeral of a section row, or nothing: a row opening on a bare "." ")" or "-" (before its
# words) or made of one of them counts as a section mark, as it always has.
_ROMAN = rf"(?:{ROMAN_NUMERAL_STRICT})?"
_SECTION_MARK = re.compile(rf"^\s*(?:{_ROMAN}|[A-Đ])\s*[.):]?\s*$")
_SECTION_PREFIX = re.compile(rf"^\s*((?:{_ROMAN})|[A-Đ])\s*[.):\-–]\s*\S|^\s*({_ROMAN})\s+\S")
# A TT cell holds a number; a number followed by words, alone on its row, heads a section.
_LONE_HEADING = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s*[.)]?\s+[^\W\d_]{2,}.{3,}")
_ARABIC = re.compile(r"^\s*\d")
_NUMBER_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?\.?$")
_ANNEX_TITLE = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)
# A time of day ("7h30", "07 giờ 30", "8:00", "14h00 - 15h30"): the "Thời gian" column of a
# conference agenda, whose rows are programme items, not tasks.
_CLOCK_TIME = re.compile(r"^\s*\d{1,2}\s*(?:h|giờ|g|:)\s*(?:\d{2})?(?:\s*(?:phút|'))?\s*(?:[-–—]|đến|$)",
                         re.IGNORECASE)
AGENDA_SHARE = 0.5    # a table is an agenda when at least half its filled deadline cells are clock times
_SENTENCE_END = re.compile(r"[.;:!?…)\]”\"'/]\s*$")


@dataclass
class TaskRow:
    """One annex task row: cells keyed by role, continuation rows already merged in."""

    cells: dict[str, Cell]
    extra: dict[str, str]
    annex: str | None
    section: str | None
    table_title: str | None          # annex heading text used to derive the area
    provenance: Provenance
    unassigned: list[str] = field(default_factory=list)

    @property
    def seq_shared(self) -> bool:
        """The TT cell is merged down from the row above (one task split over rows)."""
        seq = self.cells.get("seq")
        return seq is not None and seq.merged_from_above

    def text(self, role: str) -> str:
        cell = self.cells.get(role)
        return cell.text if cell else ""

    def lines(self, role: str) -> list[str]:
        cell = self.cells.get(role)
        return list(cell.lines) if cell else []


@dataclass
class PlanStructure:
    paragraphs: list[Paragraph]        # prose in reading order, broken paragraphs re-joined
    task_rows: list[TaskRow]
    task_tables: int = 0
    statistics_tables: int = 0
    other_tables: int = 0


def _is_agenda(table: Table, header_rows: int, mapping: Mapping) -> bool:
    """A conference programme ("Thời gian | Nội dung | Chủ trì" with "8h00 - 8h30" slots):
    its deadline column holds times of day, which no task deadline is."""
    columns = {col for col, role in mapping.roles.items() if role == "deadline"}
    if not columns:
        return False
    filled = clock = 0
    for row in table.rows[header_rows:]:
        for col, cell in _grid(row):
            if col in columns and cell.text.strip():
                filled += 1
                clock += bool(_CLOCK_TIME.match(cell.text))
    return filled > 0 and clock >= AGENDA_SHARE * filled


def _is_number_row(texts: list[str]) -> bool:
    """A row of column numbers ("(1) | (2) | (3)") under the header; a scan may misread a few
    of them ("@®"), as long as most cells read as numbers and none is longer than a number."""
    filled = numbers = 0
    for text in texts:
        if not text:
            continue
        text = text.strip()
        if len(text) > 8:
            return False      # most rows fail on their first long cell: stop there
        filled += 1
        if _NUMBER_CELL.match(text):
            numbers += 1
        elif len(text) > 4:
            return False
    return numbers >= 3 and (numbers == filled or numbers >= 0.6 * filled)


def _is_repeated_header(texts: list[str], mapping: Mapping) -> bool:
    """The table's header row again (repeated on a new page), or a row of header labels only."""
    # Header labels are short: a row with a cell longer than any label (and than 60 chars, the
    # limit of the vocabulary test below) is a body row; skip folding its text.
    limit = 2 * max(60, mapping.longest_label)
    for text in texts:
        if len(text) > limit:
            return False
    # Folded cell by cell, stopping at the first cell that is neither the header's label at
    # that place nor a header word: a body row fails on its first cell ("1", a task).
    vocab = vocabulary()
    expected = mapping.signature
    same = all_labels = True
    count = 0
    for text in texts:
        if not text:
            continue
        folded = fold_words(text)
        same = same and count < len(expected) and folded == expected[count]
        all_labels = all_labels and len(folded) < 60 and vocab.role_of(folded) is not None
        if not (same or all_labels):
            return False
        count += 1
    return (same and count == len(expected)) or (all_labels and count >= 3)


def _section_text(grid: list[tuple[int, Cell]], mapping: Mapping) -> str | None:
    """The section heading of a section row (I, II … spanning the table), else None."""
    cells = [(col, c) for col, c in grid if c.text]
    if not cells:
        return None
    first_col, first = cells[0]
    seq_col = mapping.seq_col
    if first_col != seq_col and first.col_span <= 1:
        return None
    # A spanning cell repeated by the parser shows the same text in every column; a task row
    # has different texts in its unit / deadline columns (compared raw first: cheaper; then
    # cleaned, stopping at the first cell that differs).
    # ("I | CÔNG TÁC … | CÔNG TÁC …": the mark, then the heading repeated.)
    repeated = cells[1:] if first_col == seq_col and len(cells) > 2 else cells
    if len(cells) > 1 and any(mapping.roles.get(col) in CORE_ROLES for col, _ in cells):
        raw = repeated[0][1].text
        if any(c.text != raw for _, c in repeated):
            wanted = clean(raw)
            if any(clean(c.text) != wanted for _, c in repeated):
                return None
    texts = list(dict.fromkeys(clean(c.text) for _, c in cells))
    if len(cells) == 1 and (first.col_span > 1 or _SECTION_PREFIX.match(texts[0])):
        return texts[0] if _SECTION_PREFIX.match(texts[0]) or first.col_span > 1 else None
    if len(cells) == 1 and first_col == seq_col and _LONE_HEADING.match(texts[0]):
        return texts[0]     # "3. Cải cách thủ tục hành chính" alone in the TT column (text renditions)
    if _SECTION_MARK.match(texts[0]) and len(texts) <= 2:
        return " ".join(dict.fromkeys(texts))
    if len(set(texts)) == 1 and _SECTION_PREFIX.match(texts[0]):
        return texts[0]
    return None


def _may_open_annex(text: str) -> bool:
    """Cheap pre-test for _ANNEX_TITLE ("Phụ lục ..."): the first visible character is a P
    (or markup / an invisible character that clean() removes)."""
    return text.lstrip()[:1] in ("p", "P", "<", "&", "\u200b", "\ufeff")


def _annex_title(paragraphs: list[Paragraph]) -> str | None:
    """Heading of the annex a table belongs to, from the paragraphs just before it."""
    for i in range(len(paragraphs) - 1, -1, -1):
        if not _may_open_annex(paragraphs[i].text):
            continue
        text = clean(paragraphs[i].text)
        if _ANNEX_TITLE.match(text):
            title = text
            if len(fold_words(text).split()) <= 4:   # "Phụ lục" / "PHỤ LỤC II": title follows
                following = [clean(p.text) for p in paragraphs[i + 1:i + 3]
                             if not clean(p.text).startswith("(")]
                if following:
                    title = f"{text}: {following[0]}" if not text.endswith(":") else f"{text} {following[0]}"
            return title
    return None


def _join_broken(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Re-join paragraphs split mid-sentence by a page break or a stray blank line."""
    out: list[Paragraph] = []
    for p in paragraphs:
        text = p.text.strip()
        if (out and text and text[0].islower() and not _SENTENCE_END.search(out[-1].text)
                and out[-1].heading_level is None and p.heading_level is None
                and not re.match(r"^[a-zđ]\)", text)):
            prev = out[-1]
            out[-1] = Paragraph(text=f"{prev.text.rstrip()} {text}",
                                provenance=prev.provenance.spanning(p.provenance),
                                heading_level=None, bold=prev.bold, list_item=prev.list_item)
        else:
            out.append(p)
    return out


def _merge_cell(a: Cell | None, b: Cell) -> Cell:
    if a is None:
        return b
    lines = list(a.lines)
    rest = list(b.lines)
    # Text cut by a page/chunk break continues the last line when it starts in lower case.
    if lines and rest and rest[0][:1].islower() and not _SENTENCE_END.search(lines[-1]):
        lines[-1] = f"{lines[-1].rstrip()} {rest.pop(0).lstrip()}"
    return Cell(lines=lines + rest, provenance=a.provenance.spanning(b.provenance), col_span=a.col_span)


def analyse(document: Document) -> PlanStructure:
    structure = PlanStructure(paragraphs=[], task_rows=[])
    paragraphs_so_far: list[Paragraph] = []
    mapping: Mapping | None = None
    annex: str | None = None
    section: str | None = None
    section_from_row = False           # the section was set by a section row (I, II, 1. …)
    last_task: TaskRow | None = None
    paragraphs_since_table = 0
    vocab = vocabulary()

    for block in document.blocks:
        if isinstance(block, Paragraph):
            paragraphs_so_far.append(block)
            paragraphs_since_table += 1
            if _may_open_annex(block.text) and _ANNEX_TITLE.match(clean(block.text)):
                mapping, last_task = None, None
            continue
        table: Table = block
        if table.layout_only or not table.rows:
            structure.other_tables += 1
            continue
        new_mapping, header_rows, statistics = header_mapping(table.rows)
        if statistics:
            structure.statistics_tables += 1
            mapping, last_task = None, None
            continue
        if new_mapping is not None and _is_agenda(table, header_rows, new_mapping):
            structure.other_tables += 1
            mapping, last_task = None, None
            continue
        if new_mapping is not None:
            mapping = new_mapping
            title = _annex_title(paragraphs_so_far)
            if title != annex:
                section, section_from_row = None, False
            annex = title
            structure.task_tables += 1
            body = table.rows[header_rows:]
        elif mapping is not None and _continues(table, mapping, paragraphs_since_table):
            body = table.rows        # the same annex table, split by a page or a chunk break
        else:
            structure.other_tables += 1
            mapping, last_task = None, None
            continue
        paragraphs_since_table = 0
        for row in body:
            texts = [c.text for c in row.cells]
            if not any(texts) or _is_number_row(texts) or _is_repeated_header(texts, mapping):
                continue
            grid = _grid(row)
            heading = _section_text(grid, mapping)
            if heading is not None:
                section, last_task, section_from_row = heading, None, True
                continue
            cells, extra, unassigned = _row_cells(grid, mapping, vocab)
            if last_task is not None and _splits_task(cells, last_task):
                _share_merged_cells(cells, last_task)
            elif _is_continuation(cells, has_seq="seq" in mapping.roles.values()) and last_task is not None:
                _absorb(last_task, cells, extra, row.provenance)
                continue
            if not any(c.text for r, c in cells.items() if r != "seq"):
                continue   # a numbered row with nothing else: not a task
            if _is_group_heading(cells):
                # a numbered group under a roman / lettered section row that already names an
                # area ("IV. CẢI CÁCH TỔ CHỨC BỘ MÁY" / "1. Sắp xếp tổ chức bộ máy") is a part
                # of that section; an arabic section row is its sibling
                if not (section_from_row and area_of(section) and not _ARABIC.match(section)):
                    section = clean(" ".join(cells[r].text for r in ("seq", "content") if r in cells))
                    section_from_row = False
                last_task = None
                continue
            task = TaskRow(cells=cells, extra=extra, annex=annex, section=section,
                           table_title=annex, provenance=row.provenance, unassigned=unassigned)
            structure.task_rows.append(task)
            last_task = task

    structure.task_rows = _without_parent_rows(structure.task_rows)
    structure.paragraphs = _join_broken(paragraphs_so_far)
    return structure


def _row_cells(grid: list[tuple[int, Cell]], mapping: Mapping, vocab
               ) -> tuple[dict[str, Cell], dict[str, str], list[str]]:
    """A body row's cells by role, its extra columns (header -> text) and the text of cells
    under no header; a separate start-date column joins the deadline."""
    cells: dict[str, Cell] = {}
    extra: dict[str, str] = {}
    unassigned: list[str] = []
    start: Cell | None = None
    for col, cell in grid:
        role = mapping.roles.get(col)
        if role is None and cell.col_span > 1:
            role = _covered_role(mapping, col, cell.col_span)
        if col == mapping.start_col and role is None:
            start = cell
            continue
        if role is None:
            if cell.text:
                header = mapping.headers.get(col)
                if header:
                    extra[header] = clean(cell.text)
                else:
                    unassigned.append(clean(cell.text))
            continue
        if vocab.is_extra(role):
            if cell.text:
                extra[mapping.headers[col]] = clean(cell.text)
            continue
        cells[role] = cell
    if start is not None and start.text:
        cells["deadline"] = _with_start(start, cells.get("deadline"))
    return cells, extra, unassigned


def _share_merged_cells(cells: dict[str, Cell], last_task: TaskRow) -> None:
    """A task cell merged over rows with different leads and deadlines, flattened by a text
    rendition: the row is a task of its own, with the shared cells."""
    for role in ("seq", "content"):
        if role in last_task.cells:
            cells[role] = Cell(lines=last_task.cells[role].lines, merged_from_above=True,
                               provenance=last_task.cells[role].provenance)


def _without_parent_rows(rows: list[TaskRow]) -> list[TaskRow]:
    """Drop numbered rows that only name a group of the tasks under them ("2. | Quản lý biên
    chế", nothing else, followed by 2.1): a sub-section heading, not a task."""
    out = []
    for i, row in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and nxt.annex == row.annex and _names_group_only(row.cells) \
                and _is_first_child(row.text("seq"), nxt.text("seq")):
            continue
        out.append(row)
    return out


def _names_group_only(cells: dict[str, Cell]) -> bool:
    """Only a TT number and a text: no unit, product or deadline."""
    return "content" in cells and bool(cells["content"].text) and not any(
        c.text for r, c in cells.items() if r not in ("seq", "content"))


def _is_first_child(parent: str, child: str) -> bool:
    """"2." / "2" then "2.1"; "II.2" then "II.2.1"."""
    parent, child = parent.strip().rstrip(".)"), child.strip().rstrip(".)")
    return bool(parent) and re.fullmatch(re.escape(parent) + r"\.0?1", child) is not None


def _covered_role(mapping: Mapping, col: int, span: int) -> str | None:
    """The role of a column a spanning cell covers ("Thường xuyên" merged over "Bắt đầu |
    Kết thúc": the deadline), when the cell's own column has none."""
    return next((mapping.roles[c] for c in range(col + 1, col + span) if c in mapping.roles), None)


def _with_start(start: Cell, end: Cell | None) -> Cell:
    """One deadline from a "Bắt đầu" and a "Kết thúc" column: "start - end", or the one given."""
    if end is None or not end.text:
        return start
    if start.text == end.text and not any(ch.isdigit() for ch in start.text):
        return end            # "Thường xuyên" repeated over both: one merged cell
    return Cell(lines=[f"{clean(start.text)} - {clean(end.text)}"],
                provenance=start.provenance.spanning(end.provenance))


def _splits_task(cells: dict[str, Cell], last: TaskRow) -> bool:
    """A row with no TT and no content of its own but a lead AND a deadline of its own, under
    a task that has all three: the lower part of a task cell merged over two rows (each row a
    task), not text continued over a page break (that continues the content, or one cell)."""
    def filled(source: dict[str, Cell], role: str) -> bool:
        return role in source and bool(source[role].text)

    if filled(cells, "seq") or filled(cells, "content"):
        return False
    if any(c.merged_from_above for c in cells.values()):
        return False        # the merge is visible (DOCX, PDF): _is_continuation decides
    return (filled(cells, "lead") and filled(cells, "deadline") and filled(last.cells, "content")
            and filled(last.cells, "lead") and filled(last.cells, "deadline"))


def _is_continuation(cells: dict[str, Cell], has_seq: bool) -> bool:
    """A row that continues the task above rather than starting one.

    With a TT column: its TT cell is empty. Without one: its content cell is empty. A row
    whose TT and content cells are merged down from the row above (one task split over rows)
    continues it unless its own lead or deadline differs; then it is a task of its own with
    the shared text repeated."""
    seq = cells.get("seq")
    content = cells.get("content")
    if has_seq and seq is not None and not seq.text:
        return True
    if not has_seq and (content is None or not content.text):
        return True
    if (seq is None or seq.merged_from_above) and content is not None and content.merged_from_above:
        own = [cells[r] for r in ("lead", "deadline") if r in cells and cells[r].text]
        return all(c.merged_from_above for c in own)
    return False


def _is_group_heading(cells: dict[str, Cell]) -> bool:
    """A numbered row that only names a CCHC area ("1 | Cải cách thể chế", no unit, no date)
    heads a group of tasks, like a section row."""
    if not _names_group_only(cells):
        return False      # a unit, product or deadline: a task, not a heading
    content = clean(cells["content"].text)
    return (0 < len(content) <= 90 and not content.endswith((".", ";"))
            and area_of(content) is not None)


def _continues(table: Table, mapping: Mapping, paragraphs_between: int) -> bool:
    width = max(sum(max(1, c.col_span) for c in r.cells) for r in table.rows)
    return width == mapping.width and paragraphs_between <= 3


def _absorb(task: TaskRow, cells: dict[str, Cell], extra: dict[str, str], prov: Provenance) -> None:
    """Merge a continuation row (empty TT cell) into the task row above."""
    for role, cell in cells.items():
        if cell.text and not cell.merged_from_above:
            task.cells[role] = _merge_cell(task.cells.get(role), cell)
    for key, value in extra.items():
        task.extra[key] = f"{task.extra[key]} {value}".strip() if key in task.extra else value
    task.provenance = task.provenance.spanning(prov)
