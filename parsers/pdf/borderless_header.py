"""The header band of a table printed without ruling lines: its phrases merged into
columns, a header cell over several columns, the role of every column (see parsers.pdf.borderless)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import ROMAN_NUMERAL
from parsers.plan.columns import CORE_ROLES, vocabulary
from parsers.pdf.lines import Line, join_wrapped, make_lines
from parsers.pdf.borderless_settings import SETTINGS
from parsers.pdf.pages import Word


_MAX_HEADER_LINES = 7
_MAX_HEADER_CELL = 80            # characters: longer text is content, not a header


@dataclass
class Cluster:
    x0: float
    x1: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(join_wrapped([ln.text for ln in make_lines(self.words)]))

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    def overlaps(self, other: Cluster) -> bool:
        return self.x0 < other.x1 + 1 and other.x0 - 1 < self.x1


@dataclass
class Header:
    start: int                           # first line of the band
    end: int                             # line after the band
    columns: list[Cluster]              # one per column, left to right
    parents: list[tuple[Cluster, int, int]]   # a header cell over columns [first, last]
    roles: list[str | None]              # role of every column

    @property
    def words(self) -> list[Word]:
        return [w for c in self.columns for w in c.words] + [w for p, _, _ in self.parents for w in p.words]


def _phrases(line: Line) -> list[Cluster]:
    """Words of a line cut at gaps wider than ordinary word spacing (header text is not
    justified)."""
    limit = max(5.0, SETTINGS.header_phrase_gap * line.size)
    out = [[line.words[0]]]
    for w in line.words[1:]:
        if w.x0 - out[-1][-1].x1 >= limit:
            out.append([w])
        else:
            out[-1].append(w)
    return [Cluster(p[0].x0, max(w.x1 for w in p), p) for p in out]


def _merge(phrases: list[Cluster]) -> list[Cluster]:
    """Phrases merged when they overlap horizontally, left to right."""
    clusters: list[Cluster] = []
    for phrase in phrases:
        hits = [c for c in clusters if c.overlaps(phrase)]
        merged = Cluster(min([phrase.x0] + [c.x0 for c in hits]), max([phrase.x1] + [c.x1 for c in hits]),
                          [w for c in hits for w in c.words] + list(phrase.words))
        clusters = [c for c in clusters if c not in hits] + [merged]
    return sorted(clusters, key=lambda c: c.x0)


def _band(lines: list[Line]) -> tuple[list[Cluster], list[tuple[Cluster, int, int]]]:
    """Columns and spanning header cells of a header band. A phrase printed above two or more
    phrases side by side that it overlaps ("Thời gian" over "Bắt đầu | Hoàn thành") spans
    the columns of those phrases."""
    phrases = [p for line in lines for p in _phrases(line)]
    parents = []
    for p in phrases:
        below = [q for q in phrases if q is not p and q.top >= p.bottom - 1 and p.overlaps(q)]
        side_by_side = _merge(below)
        if len(side_by_side) >= 2 and p.x0 - 1 <= side_by_side[0].x1 and side_by_side[-1].x0 <= p.x1 + 1:
            parents.append(p)
    columns = _merge([p for p in phrases if p not in parents])
    spans = []
    for p in parents:
        under = [k for k, c in enumerate(columns) if c.overlaps(p)]
        if under:
            spans.append((p, under[0], under[-1]))
    spans += _left_parents(columns, [p for p in phrases if p not in parents])
    return columns, sorted(spans, key=lambda s: s[1])


def _left_parents(columns: list[Cluster], phrases: list[Cluster]) -> list[tuple[Cluster, int, int]]:
    """Spanning header cells printed flush left ("Thời gian" over "Bắt đầu" only, with
    "Hoàn thành" beside it in the second header row), in a header whose cells are top-aligned:
    a column whose text below its first line starts level with the column(s) to its right,
    which have nothing at the height of that first line while every other column starts at
    the top of the band. The first line is taken out of the column as a header cell over
    all of them."""
    out = []
    band_top = min(c.top for c in columns)
    k = 0
    while k < len(columns) - 1:
        column, right = columns[k], columns[k + 1]
        own = [p for p in phrases if column.overlaps(p) and p.x0 >= column.x0 - 1 and p.x1 <= column.x1 + 1]
        upper = [p for p in own if p.bottom <= right.top + 1]
        lower = [p for p in own if p not in upper]
        if not upper or not lower:
            k += 1
            continue
        low_top = min(p.top for p in lower)
        last = k
        while last + 1 < len(columns) and abs(columns[last + 1].top - low_top) <= 2.0:
            last += 1
        others = columns[:k] + columns[last + 1:]
        # Only in a header whose cells are top-aligned: every other column starts at the top
        # of the band, so a column starting lower is in a second header row.
        if last == k or not others or any(abs(c.top - band_top) > 2.0 for c in others) \
                or abs(min(p.top for p in upper) - band_top) > 2.0:
            k += 1
            continue
        parent_words = [w for p in upper for w in p.words]
        parent = Cluster(min(p.x0 for p in upper), max(p.x1 for p in upper), parent_words)
        child_words = [w for p in lower for w in p.words]
        columns[k] = Cluster(min(p.x0 for p in lower), max(p.x1 for p in lower), child_words)
        out.append((parent, k, last))
        k = last + 1
    return out


def _header(lines: list[Line], start: int, end: int) -> Header | None:
    """The band lines[start:end] as a table header, or None when it is not one: at least three
    columns, and the header texts of a task table (a content column and two of lead,
    deadline, products, coordinating) or of a statistics form."""
    columns, parents = _band(lines[start:end])
    if len(columns) < 3:
        return None
    vocab = vocabulary()
    texts = [c.text for c in columns] + [p.text for p, _, _ in parents]
    if any(len(t) > _MAX_HEADER_CELL for t in texts):
        return None
    roles: list[str | None] = []
    for k, c in enumerate(columns):
        role = vocab.role_of(c.text)
        if role is None:           # "Thời gian" over "Hoàn thành": the parent's role
            role = next((vocab.role_of(p.text) for p, a, b in parents if a <= k <= b), None)
        roles.append(role if role not in roles else None)
    found = {r for r in roles if r} | {vocab.role_of(t) for t in texts} - {None}
    statistics = any(vocab.marks_statistics(t) for t in texts)
    if statistics:
        if len(found) + sum(1 for t in texts if vocab.marks_statistics(t)) < 2:
            return None
    elif "content" not in found or len(found & CORE_ROLES) < 2:
        return None
    return Header(start, end, columns, parents, roles)


def _tight(a: Line, b: Line) -> bool:
    return b.top - a.bottom <= SETTINGS.header_line_gap * max(a.size, b.size)


_ROW_START = re.compile(rf"^\(?(?:\d{{1,3}}(?:\.\d{{1,3}})*|{ROMAN_NUMERAL}|[a-zđ])\s*[.):]?\)?$")


def starts_anchor(line: Line) -> bool:
    """A line that starts with a row number (case-sensitive: "T" wrapped from "STT" is not)."""
    return bool(_ROW_START.match(line.words[0].text))


def find_header(lines: list[Line], start: int = 0) -> Header | None:
    """The first table header band at or after lines[start]: the longest band of tight,
    equally bold lines with the most recognised columns."""
    for i in range(start, len(lines)):
        if i > 0 and not lines[i].bold and lines[i].top - lines[i - 1].bottom < SETTINGS.header_space_above * lines[i].size:
            continue          # a header that is not bold starts after some space
        best = None
        for j in range(i + 1, min(len(lines), i + _MAX_HEADER_LINES) + 1):
            if j > i + 1:
                prev, cur = lines[j - 2], lines[j - 1]
                if not _tight(prev, cur) or starts_anchor(cur) or cur.bold != lines[i].bold:
                    break
            header = _header(lines, i, j)
            if header is None:
                continue
            score = sum(1 for r in header.roles if r)
            if best is None or score >= best[0]:
                best = (score, header)
        if best is not None:
            return best[1]
    return None
