"""Format-free plan structure: annex task tables, their column mapping, section rows,
continuation rows and prose paragraphs, from any Document.

Nothing here knows which format a Document came from. Statistics forms and tables without a
task header are set aside; rows are returned with cells keyed by column role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize.text import clean, fold_words
from parsers.columns import vocabulary
from parsers.model import Cell, Document, Paragraph, Provenance, Row, Table

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_SECTION_MARK = re.compile(rf"^\s*(?:{_ROMAN}|[A-Đ])\s*[.):]?\s*$")
_SECTION_PREFIX = re.compile(rf"^\s*((?:{_ROMAN})|[A-Đ])\s*[.):\-–]\s*\S|^\s*({_ROMAN})\s+\S")
_COMPLETION_HEADER = re.compile(r"\b(?:hoan thanh|ket thuc|thoi han|han)\b")
# A TT cell holds a number; a number followed by words, alone on its row, heads a section.
_LONE_HEADING = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s*[.)]?\s+[^\W\d_]{2,}.{3,}")
_NUMBER_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?\.?$")
_SEQ = re.compile(r"^\s*(\d+(?:\.\d+)*|[a-zđ])\s*[.)/]?\s*$", re.IGNORECASE)
_ANNEX_TITLE = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)
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


@dataclass
class _Mapping:
    roles: dict[int, str]              # grid column -> role
    headers: dict[int, str]            # grid column -> header text
    width: int
    signature: tuple[str, ...]         # folded header texts, to spot repeated header rows

    longest_label: int = field(init=False)   # length of the longest folded header text
    seq_col: int = field(init=False)         # grid column of the TT (seq) role, else 0

    def __post_init__(self) -> None:
        self.longest_label = max((len(t) for t in self.signature), default=0)
        self.seq_col = next((c for c, r in self.roles.items() if r == "seq"), 0)


def _grid(row: Row) -> list[tuple[int, Cell]]:
    out, col = [], 0
    for cell in row.cells:
        out.append((col, cell))
        col += max(1, cell.col_span)
    return out


def _row_signature(row: Row) -> tuple[str, ...]:
    return tuple(fold_words(c.text) for c in row.cells if c.text)


_END_WORDS = ("hoan thanh", "ket thuc", "den")


def _is_subheader(row: Row, spans: dict[int, int], header_row: Row) -> bool:
    """A second header row: its labels sit under spanning header cells ("Thời gian" over
    "Bắt đầu | Hoàn thành") or are header words themselves; other cells are empty or merged."""
    vocab = vocabulary()
    labels = [(col, c) for col, c in _grid(row) if c.text and not c.merged_from_above]
    if not labels or _row_signature(row) == _row_signature(header_row):
        return False
    for col, cell in labels:
        parent = next((p for p, span in spans.items() if p <= col < p + span), None)
        under_span = parent is not None and spans[parent] > 1
        if not (under_span or vocab.role_of(cell.text)) or len(cell.text) > 60:
            return False
    return True


def _absorb_subheader(row: Row, roles: dict[int, str], headers: dict[int, str], spans: dict[int, int]) -> None:
    vocab = vocabulary()
    for col, cell in _grid(row):
        text = clean(cell.text)
        if not text or cell.merged_from_above:
            continue
        parent = next((p for p, span in spans.items() if p <= col < p + span), None)
        parent_header = headers.get(parent, "") if parent is not None else ""
        if parent is not None and spans[parent] > 1:
            headers[col] = f"{parent_header} - {text}" if parent_header else text
            if parent in roles and col != parent and any(w in fold_words(text) for w in _END_WORDS):
                roles[col] = roles.pop(parent)      # "Thời gian / Hoàn thành": the due column
                headers[parent] = headers.get(parent, parent_header)
        elif col not in roles:
            role = vocab.role_of(text)
            if role and role not in roles.values():
                roles[col] = role
            headers[col] = text


def _header_mapping(rows: list[Row]) -> tuple[_Mapping | None, int, bool]:
    """(mapping, rows used by the header, is_statistics) from the first rows of a table."""
    vocab = vocabulary()
    for start in range(min(3, len(rows))):
        row = rows[start]
        roles: dict[int, str] = {}
        headers: dict[int, str] = {}
        spans: dict[int, int] = {}
        statistics = False
        for col, cell in _grid(row):
            spans[col] = max(1, cell.col_span)
            header = clean(cell.text)
            if not header:
                continue
            headers[col] = header
            if vocab.marks_statistics(header):
                statistics = True
            role = vocab.role_of(header)
            if role and role not in roles.values():
                roles[col] = role
            elif role == "deadline" and _COMPLETION_HEADER.search(fold_words(header)):
                # "Thời gian bắt đầu | Thời gian kết thúc": the deadline is when it ends; the
                # start column is kept in extra (as the "Bắt đầu" sub-column of a two-row header).
                first = next(c for c, r in roles.items() if r == "deadline")
                if not _COMPLETION_HEADER.search(fold_words(headers[first])):
                    del roles[first]
                    roles[col] = role
        if start + 1 < len(rows):
            statistics = statistics or any(vocab.marks_statistics(clean(c.text)) for c in rows[start + 1].cells
                                           if c.text)
        if statistics:
            return None, start + 1, True
        core = {"lead", "deadline", "products", "coordinating"} & set(roles.values())
        if "content" in roles.values() and len(core) >= 2:
            used = 1
            while start + used < len(rows) and _is_subheader(rows[start + used], spans, row):
                _absorb_subheader(rows[start + used], roles, headers, spans)
                used += 1
            width = max(sum(max(1, c.col_span) for c in r.cells) for r in rows[start:start + used])
            return _Mapping(roles, headers, width, _row_signature(row)), start + used, False
    return None, 0, False


def _is_number_row(texts: list[str]) -> bool:
    """A row of column numbers ("(1) | (2) | (3)") under the header."""
    filled = 0
    for text in texts:
        if not text:
            continue
        text = text.strip()
        if len(text) > 8 or not _NUMBER_CELL.match(text):
            return False      # most rows fail on their first long cell: stop there
        filled += 1
    return filled >= 3


def _is_repeated_header(texts: list[str], mapping: _Mapping) -> bool:
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


_TASK_FIELDS = frozenset({"lead", "deadline", "products", "coordinating"})


def _section_text(grid: list[tuple[int, Cell]], mapping: _Mapping) -> str | None:
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
    if len(cells) > 1 and any(mapping.roles.get(col) in _TASK_FIELDS for col, _ in cells):
        raw = first.text
        if any(c.text != raw for _, c in cells):
            wanted = clean(raw)
            if any(clean(c.text) != wanted for _, c in cells):
                return None
    texts = [clean(c.text) for _, c in cells]
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
    mapping: _Mapping | None = None
    annex: str | None = None
    section: str | None = None
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
        new_mapping, header_rows, statistics = _header_mapping(table.rows)
        if statistics:
            structure.statistics_tables += 1
            mapping, last_task = None, None
            continue
        if new_mapping is not None:
            mapping = new_mapping
            title = _annex_title(paragraphs_so_far)
            if title != annex:
                section = None
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
                section, last_task = heading, None
                continue
            cells: dict[str, Cell] = {}
            extra: dict[str, str] = {}
            unassigned: list[str] = []
            for col, cell in grid:
                role = mapping.roles.get(col)
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
            if last_task is not None and _splits_task(cells, last_task):
                # A task cell merged over rows with different leads and deadlines, flattened
                # by a text rendition: the row is a task of its own, with the shared cells.
                for role in ("seq", "content"):
                    if role in last_task.cells:
                        cells[role] = Cell(lines=last_task.cells[role].lines, merged_from_above=True,
                                           provenance=last_task.cells[role].provenance)
            elif _is_continuation(cells, has_seq="seq" in mapping.roles.values()) and last_task is not None:
                _absorb(last_task, cells, extra, row.provenance)
                continue
            if not any(c.text for r, c in cells.items() if r != "seq"):
                continue   # a numbered row with nothing else: not a task
            if _is_group_heading(cells):
                section, last_task = clean(" ".join(cells[r].text for r in ("seq", "content") if r in cells)), None
                continue
            task = TaskRow(cells=cells, extra=extra, annex=annex, section=section,
                           table_title=annex, provenance=row.provenance, unassigned=unassigned)
            structure.task_rows.append(task)
            last_task = task

    structure.paragraphs = _join_broken(paragraphs_so_far)
    return structure


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
    from normalize.areas import area_of

    if any(c.text for r, c in cells.items() if r != "seq" and r != "content"):
        return False      # a unit, product or deadline: a task, not a heading
    content = clean(cells["content"].text) if "content" in cells else ""
    return (0 < len(content) <= 90 and not content.endswith((".", ";"))
            and area_of(content) is not None)


def _continues(table: Table, mapping: _Mapping, paragraphs_between: int) -> bool:
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
