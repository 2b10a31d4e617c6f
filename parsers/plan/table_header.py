"""The header of an annex task table: which grid column holds which role.

Headers come in one, two or three label rows: "Thời gian" over "Bắt đầu | Kết thúc", or
"Tổ chức thực hiện" over "Cơ quan thực hiện | Thời gian thực hiện" over "Chủ trì | Phối hợp |
Bắt đầu | Kết thúc". Every grid column gets the path of labels above it, top to bottom; its
role comes from its own (lowest) label first, then from the labels it sits under. A spanning
cell is visible in DOCX and PDF; text renditions leave the columns it covers empty, so a label
followed by empty cells with labels under them is taken to span them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize.text import clean, fold_words
from parsers.plan.columns import CORE_ROLES, vocabulary
from parsers.model import Cell, Row

_COMPLETION_HEADER = re.compile(r"\b(?:hoan thanh|ket thuc|thoi han|han|den)\b")
_START_HEADER = re.compile(r"\b(?:bat dau|khoi cong|tu ngay|trien khai)\b")
_MAX_HEADER_ROWS = 4
_MAX_LABEL = 60


@dataclass
class Mapping:
    roles: dict[int, str]              # grid column -> role
    headers: dict[int, str]            # grid column -> header text ("Thời gian - Bắt đầu")
    width: int
    signature: tuple[str, ...]         # folded header texts, to spot repeated header rows
    start_col: int | None = None       # grid column of a deadline's "Bắt đầu" sibling

    longest_label: int = field(init=False)   # length of the longest folded header text
    seq_col: int = field(init=False)         # grid column of the TT (seq) role, else 0

    def __post_init__(self) -> None:
        self.longest_label = max((len(t) for t in self.signature), default=0)
        self.seq_col = next((c for c, r in self.roles.items() if r == "seq"), 0)


def grid(row: Row) -> list[tuple[int, Cell]]:
    """(grid column, cell) of a row: a cell spanning columns takes their places."""
    out, col = [], 0
    for cell in row.cells:
        out.append((col, cell))
        col += max(1, cell.col_span)
    return out


def row_signature(row: Row) -> tuple[str, ...]:
    return tuple(fold_words(c.text) for c in row.cells if c.text)


def _labels(row: Row) -> list[tuple[int, Cell]]:
    """The cells of a header row that carry a label of their own (not merged from above)."""
    return [(col, c) for col, c in grid(row) if c.text and not c.merged_from_above]


def _spans(row: Row, below: list[Row]) -> dict[int, int]:
    """Grid column -> span of each labelled cell of a header row. A label followed by empty
    cells with labels under them (in any row `below`), or by the same label again, spans those
    cells: a text rendition's merged cell."""
    cells = grid(row)
    under = {col for r in below for col, _ in _labels(r)}
    spans: dict[int, int] = {}
    for i, (col, cell) in enumerate(cells):
        span = max(1, cell.col_span)
        if cell.text and span == 1:
            for next_col, nxt in cells[i + 1:]:
                if nxt.merged_from_above or (nxt.text and nxt.text != cell.text):
                    break
                if nxt.text or next_col in under:     # (a rendition repeating the label)
                    span = next_col - col + 1
        spans[col] = span
    return spans


def _parent(spans: dict[int, int], col: int) -> int | None:
    return next((p for p, span in spans.items() if p <= col < p + span), None)


def _is_subheader(row: Row, spans: dict[int, int], header_row: Row) -> bool:
    """A further header row: its labels sit under spanning header cells ("Thời gian" over
    "Bắt đầu | Hoàn thành") or are header words themselves; other cells are empty or merged."""
    vocab = vocabulary()
    labels = _labels(row)
    # (a body row fails on its long cells, before anything is folded)
    if not labels or any(len(cell.text) > _MAX_LABEL for _, cell in labels) \
            or row_signature(row) == row_signature(header_row):
        return False
    for col, cell in labels:
        parent = _parent(spans, col)
        under_span = parent is not None and spans[parent] > 1
        if not (under_span or vocab.role_of(cell.text)):
            return False
    return True


def _header_rows(rows: list[Row], start: int) -> list[Row]:
    header = [rows[start]]
    while start + len(header) < len(rows) and len(header) < _MAX_HEADER_ROWS:
        candidate = rows[start + len(header)]
        if not _is_subheader(candidate, _spans(header[-1], [candidate]), header[0]):
            break
        header.append(candidate)
    return header


def _paths(header: list[Row]) -> dict[int, list[str]]:
    """Grid column -> its labels, top to bottom."""
    paths: dict[int, list[str]] = {}
    for r, row in enumerate(header):
        spans = _spans(row, header[r + 1:])
        for col, cell in _labels(row):
            label = clean(cell.text)
            for g in range(col, col + spans[col]):
                path = paths.setdefault(g, [])
                if not path or path[-1] != label:
                    path.append(label)
    return paths


def _place(roles: dict[int, str], paths: dict[int, list[str]], col: int, role: str) -> None:
    """Give `role` to `col` unless another column has it; of two deadline columns ("Thời gian
    bắt đầu | Thời gian kết thúc") the one saying when the work ends keeps it."""
    holder = next((c for c, r in roles.items() if r == role), None)
    if holder is None:
        roles[col] = role
    elif role == "deadline" and _says_end(paths[col]) and not _says_end(paths[holder]):
        del roles[holder]
        roles[col] = role


def _says_end(path: list[str]) -> bool:
    return bool(_COMPLETION_HEADER.search(fold_words(path[-1])))


def _roles(paths: dict[int, list[str]]) -> dict[int, str]:
    """Each column's role from its own label; columns without one take the role of a label they
    sit under, if no column has it yet (under "Thời gian": the column that says when it ends,
    else the first)."""
    vocab = vocabulary()
    roles: dict[int, str] = {}
    for col in sorted(paths):
        role = vocab.role_of(paths[col][-1])
        if role:
            _place(roles, paths, col, role)
    for depth in range(max((len(p) for p in paths.values()), default=0) - 2, -1, -1):
        groups: dict[str, list[int]] = {}     # label at this depth -> the columns under it
        for col in sorted(paths):
            path = paths[col]
            if len(path) > depth + 1 and col not in roles:
                groups.setdefault(path[depth], []).append(col)
        for label, cols in groups.items():
            role = vocab.role_of(label)
            if not role or role in roles.values():
                continue
            ends = [c for c in cols if _says_end(paths[c])] if role == "deadline" else []
            roles[(ends or cols)[0]] = role
    return roles


def _start_column(roles: dict[int, str], paths: dict[int, list[str]]) -> int | None:
    """The column saying when a deadline's work starts: "Bắt đầu" beside the deadline's
    "Kết thúc" under one label, or "Thời gian bắt đầu" beside "Thời gian kết thúc"."""
    deadline = next((c for c, r in roles.items() if r == "deadline"), None)
    if deadline is None:
        return None
    for col in sorted(paths):
        if col in roles or not _START_HEADER.search(fold_words(paths[col][-1])):
            continue
        siblings = paths[col][:-1] == paths[deadline][:-1] and len(paths[col]) > 1
        both_times = vocabulary().role_of(paths[col][-1]) == "deadline"
        if siblings or both_times:
            return col
    return None


def header_mapping(rows: list[Row]) -> tuple[Mapping | None, int, bool]:
    """(mapping, rows used by the header, is_statistics) from the first rows of a table."""
    vocab = vocabulary()
    for start in range(min(3, len(rows))):
        row = rows[start]
        labels = _labels(row)
        # most tables fail here, cheaply: a letterhead, a title row, a row of data (a header
        # row has two labels at least, one with a role; a lone label is a title over the table)
        candidate = len(labels) >= 2 and any(vocab.role_of(c.text) for _, c in labels)
        header = _header_rows(rows, start) if candidate else [row]
        # a statistics form says so in its header or the row under it
        if any(vocab.marks_statistics(clean(c.text)) for r in rows[start:start + len(header) + 1]
               for c in r.cells if c.text):
            return None, start + 1, True
        if not candidate:
            continue
        paths = _paths(header)
        roles = _roles(paths)
        core = CORE_ROLES & set(roles.values())
        if "content" in roles.values() and len(core) >= 2:
            headers = {col: " - ".join(path) for col, path in paths.items()}
            width = max(sum(max(1, c.col_span) for c in r.cells) for r in header)
            return (Mapping(roles, headers, width, row_signature(row), _start_column(roles, paths)),
                    start + len(header), False)
    return None, 0, False
