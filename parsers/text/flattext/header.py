"""Annex-table headers in flattened text, from the column vocabulary (parsers/data/columns.toml):
the labels found in the text give the columns and their order, whether the tool wrote them
one per line, wrapped over several lines, or all on one line."""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from normalize.text import ROMAN_NUMERAL, fold_words
from parsers.plan.columns import CORE_ROLES, vocabulary
from parsers.model import Cell, Provenance, Row
from parsers.text.flattext.settings import SETTINGS, FlatTextSettings

SEQ_LABELS = ("tt", "stt", "so tt", "so thu tu")
MAX_LABEL_LINES_ABOVE = 2   # label lines a header may have over its TT line (centred labels)
MAX_HEADER_PARSES = 2000    # ways of nesting a header's labels tried (a dozen labels make a few hundred)
COLUMN_NUMBERS = re.compile(r"^(?:\(\s*\d{1,2}\s*\)\s*)+$")    # "(1) (2) (3)" under a header


@dataclass(frozen=True)
class Header:
    start: int                 # index of its first line, end exclusive
    end: int
    roles: tuple[str, ...]     # column roles in order ("other" for an unrecognised label)
    labels: tuple[str, ...]    # the label text of each column as printed
    statistics: bool           # a statistics / reporting form, not a task table
    # the header's rows as printed, (label, columns spanned) each; one row unless labels are grouped
    rows: tuple[tuple[tuple[str, int], ...], ...] = ()


@lru_cache(maxsize=1)
def _group_data() -> tuple[tuple[tuple[tuple[str, ...], frozenset[str]], ...], dict[str, str]]:
    """(phrases, sub-column roles) of group labels, and the sub-labels' own roles
    (parsers/data/header_groups.toml)."""
    raw = tomllib.loads(resources.files("parsers").joinpath("data/header_groups.toml").read_text("utf-8"))
    return tuple((tuple(g["phrases"]), frozenset(g["roles"])) for g in raw["group"]), dict(raw["sub_labels"])


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(folded words, role) of every vocabulary phrase and sub-label, longest first (the
    longest match wins)."""
    vocab = vocabulary()
    out = [(tuple(p.split()), rule.name) for rule in vocab.rules for p in rule.any_of]
    out += [(tuple(p.split()), role) for p, role in _group_data()[1].items()]
    return tuple(sorted(out, key=lambda item: -len(item[0])))


def heading_labels(labels: list[str]) -> frozenset[str]:
    """The folded labels among `labels` that head others: a group phrase ("Đơn vị thực hiện")
    when two other labels name sub-columns of its roles ("Chủ trì", "Phối hợp"); alone it is
    a column of its own."""
    folded = [fold_words(label) for label in labels]
    out = set()
    for phrases, roles in _group_data()[0]:
        for text in folded:
            if text in phrases and sum(1 for other in folded if other != text and any(
                    role in roles for _, role in label_roles(other.split()))) >= 2:
                out.add(text)
    return frozenset(out)


def label_roles(words: list[str]) -> list[tuple[int, str]]:
    """(word index, role) of each vocabulary phrase starting in the folded `words`, in order;
    words inside a longer match are not matched again."""
    return [(at, role) for at, role, _ in _label_spans(words)]


def _label_spans(words: list[str]) -> list[tuple[int, str, int]]:
    """(word index, role, length in words) of each vocabulary phrase, in order."""
    found: list[tuple[int, str, int]] = []
    i = 0
    while i < len(words):
        if i == 0 and words[0] in SEQ_LABELS or words[i] in ("tt", "stt"):
            found.append((i, "seq", 1))
            i += 1
            continue
        for phrase, role in _phrases():
            if tuple(words[i:i + len(phrase)]) == phrase:
                found.append((i, role, len(phrase)))
                i += len(phrase)
                break
        else:
            i += 1
    return found


_SECTION_START = re.compile(rf"^(?:{ROMAN_NUMERAL}|[A-ZĐ])\s*[.)]\s|^\d")


# Words a label may hold besides its vocabulary phrase ("Cơ quan chủ trì", "Thời gian thực hiện").
LABEL_WORDS = frozenset("co quan don vi thoi gian thuc hien hoan thanh va ket qua du kien".split())
# A line of labels without a TT column is mostly labels: a sentence naming the columns is not.
MIN_LABEL_COVER = 0.75


def _labels_only(text: str, words: list[str]) -> bool:
    if not text.strip()[:1].isalpha() or text.rstrip().endswith((".", ";", ":")):
        return False
    found = _label_spans(words)
    if len(found) < 3:
        return False
    printed = [w for word in text.split() for w in [word] * len(fold_words(word).split())]
    if any(not printed[_label_head(words, at)][:1].isupper() for at, _, _ in found):
        return False          # "… cơ quan chủ trì, phối hợp …": labels named in a sentence
    covered = {k for at, _, length in found for k in range(at, at + length)}
    covered.update(k for k, w in enumerate(words) if w in LABEL_WORDS)
    return len(covered) >= MIN_LABEL_COVER * len(words)


def _label_line(text: str, settings: FlatTextSettings) -> bool:
    if _SECTION_START.match(text.strip()):
        return False          # the first body row: a section row or a numbered row
    folded = fold_words(_unglued(text))
    if not folded or any(ch.isdigit() for ch in folded):
        return False
    return len(folded.split()) <= settings.max_label_words or len(label_roles(folded.split())) >= 3


def find_header(texts: list[str], start: int, settings: FlatTextSettings = SETTINGS) -> Header | None:
    """The header whose first line is texts[start], or None. It opens on a sequence label
    ("TT", "STT") or on a line of several labels, and runs over label-like lines."""
    line = texts[start].strip()
    if not line[:1].isupper() or len(line) > settings.max_header_line_chars:
        return None           # a header line starts with a capital ("TT", "STT", "Nội dung")
    first = fold_words(line).split()
    # "ST" / "T": a narrow TT column breaks its label over two lines
    rest = fold_words(texts[start + 1]).replace(" ", "") if start + 1 < len(texts) else ""
    squeezed = len(first) == 1 and len(first[0]) < 3 and bool(rest) and first[0] + rest in ("stt", "tt")
    by_seq = bool(first) and (first[0] in SEQ_LABELS or first[:2] == ["so", "tt"] or squeezed)
    if not first or not (by_seq or _labels_only(texts[start], first)):
        return None
    end = start + (2 if squeezed else 1)      # "ST" / "T" are both label lines, whatever else they look like
    while end < len(texts) and end - start < settings.max_header_lines and _label_line(texts[end], settings):
        end += 1
    found = _header(texts, start, end, squeezed, by_seq, settings)
    if found is not None or not by_seq:
        return found
    # labels centred on a tall header row stand above the TT line in text that keeps the layout
    for above in range(1, min(MAX_LABEL_LINES_ABOVE, start) + 1):
        line = texts[start - above].strip()
        if not _label_line(line, settings) or line.isupper() or line.endswith((".", ":", ";")) or not line[:1].isupper():
            return None
        found = _header(texts, start - above, end, False, by_seq, settings)
        if found is not None:
            return found
    return None


def _header(texts: list[str], start: int, end: int, squeezed: bool, by_seq: bool,
            settings: FlatTextSettings) -> Header | None:
    """The header of the label lines texts[start:end], or None when they are not one."""
    words: list[str] = []
    printed: list[str] = []
    line_starts: list[int] = []
    for text in texts[start:end]:
        line_starts.append(len(words))
        for word in _unglued(text).split():
            folded = fold_words(word)
            if folded:
                words.extend(folded.split())
                printed.extend([word] * len(folded.split()))
    if squeezed:
        words[:2], printed[:2] = ["stt"], [printed[0] + printed[1]]
        line_starts = [max(0, ls - 1) for ls in line_starts]
    spans = _label_spans(words)
    ends = {at: at + length for at, _, length in spans}
    roles = _columns([(at, role) for at, role, _ in spans])
    if not roles:
        return None
    # the header ends with its last label: trailing lines with other words are body text
    last_line = bisect_right(line_starts, spans[-1][0] + spans[-1][2] - 1) - 1
    bounds = line_starts + [len(words)]
    known = LABEL_WORDS | set(words[:bounds[last_line + 1]])
    while last_line + 1 < len(line_starts):
        # "hoàn thành" under "Thời gian", "tra" under "Thời gian kiểm", "trì  hợp" under "Cơ quan chủ  Cơ quan phối"
        below = texts[start + last_line + 1].strip()
        if not (all(w in known for w in words[bounds[last_line + 1]:bounds[last_line + 2]])
                or below[:1].islower() and len(below.split()) <= settings.max_label_words // 2):
            break
        last_line += 1
    if last_line + 1 < len(line_starts):
        end = start + last_line + 1
        words, printed = words[:line_starts[last_line + 1]], printed[:line_starts[last_line + 1]]
    kinds = {r for _, r in roles}
    statistics = vocabulary().marks_statistics(" ".join(words))
    if "content" not in kinds and not statistics or len(kinds & CORE_ROLES) < settings.min_core_roles and not statistics:
        return None
    roles = _label_starts(_unlabelled_columns(roles, words, printed, line_starts, ends), words, line_starts, ends)
    labels = []
    for k, (at, _) in enumerate(roles):
        stop = roles[k + 1][0] if k + 1 < len(roles) else len(printed)
        labels.append(_dedupe(printed[at:stop]))
    nodes = [_Node(role, label, line=bisect_right(line_starts, at) - 1) for (at, role), label in zip(roles, labels)]
    leaves, rows = _nested(nodes) or (nodes, ((tuple((n.label, 1) for n in nodes)),))
    while end < len(texts) and COLUMN_NUMBERS.match(texts[end].strip()):
        end += 1
    if not by_seq and (end >= len(texts) or not _SECTION_START.match(texts[end].strip())):
        return None          # labels in a sentence: a table without TT opens on a numbered row
    return Header(start, end, tuple(_column_role(n.role) for n in leaves), tuple(n.label for n in leaves),
                  statistics, rows)


def _unglued(text: str) -> str:
    """Two labels' words glued by the tool ("thànhChủ trì") apart: a capitalised word starting
    right after a small letter ("VNeID", "TTHC" stay whole)."""
    out = list(text)
    for k in range(len(text) - 2, 0, -1):
        if text[k - 1].islower() and text[k].isupper() and text[k + 1].islower():
            out.insert(k, " ")
    return "".join(out)


@dataclass
class _Node:
    role: str
    label: str
    line: int = 0              # the header line it was printed on
    children: list[_Node] = field(default_factory=list)
    index: int = 0


def _column_role(role: str) -> str:
    """The role a cell of this column is judged as: a start date reads like a deadline."""
    return {"start": "deadline", "group": "other"}.get(role, role)


def _family(node: _Node) -> frozenset[str]:
    folded = f" {fold_words(node.label)} "
    for phrases, roles in _group_data()[0]:
        if any(f" {phrase} " in folded for phrase in phrases):
            return roles
    return frozenset()


def _nested(nodes: list[_Node]) -> tuple[list[_Node], tuple[tuple[tuple[str, int], ...], ...]] | None:
    """Leaf columns and header rows of a header printed row after row, or None when it reads
    best as one row. A group label's sub-labels come after the labels of its row, in the order
    of their groups ("Tổ chức thực hiện … Cơ quan thực hiện, Thời gian … Chủ trì, Phối hợp,
    Bắt đầu, Kết thúc"); a label spanning every row may come among them. Every way of giving
    labels to the groups waiting for sub-labels is tried: the one whose columns repeat no
    role wins, then the one with fewer levels."""
    several_per_line = len({n.line for n in nodes}) < len(nodes)
    best: tuple[tuple[int, int], list[_Node]] | None = None
    for top in _parses(nodes, several_per_line):
        every = _all(top)
        if any(n.children and len(_leaves(n.children)) < 2 or n.role == "group" and not n.children for n in every):
            continue
        rank = (_repeated_roles(_leaves(top)), max(_depth(n) for n in top))
        if best is None or rank < best[0]:
            best = rank, top
    if best is None or best[0][1] == 0:
        return None
    return _leaves(best[1]), _grid_rows(best[1], 1 + best[0][1])


def _parses(nodes: list[_Node], several_per_line: bool) -> list[list[_Node]]:
    """Every tree the labels can make, as lists of top-level copies (a few hundred at most)."""
    out: list[list[_Node]] = []

    def walk(k: int, top: list[_Node], waiting: list[_Node]) -> None:
        if len(out) >= MAX_HEADER_PARSES:
            return
        if k == len(nodes):
            out.append(top)
            return
        node = nodes[k]
        for attach in range(len(waiting) + 1):       # to a waiting group, or to none (top level)
            if attach < len(waiting):
                group = waiting[attach]
                if any(not w.children for w in waiting[:attach]):
                    continue              # groups get sub-labels in order: none past one still empty
                if node.role not in _family(group) or node.role in {c.role for c in group.children}:
                    continue
                if not group.children and k == group.index + 1 and not (several_per_line and node.line > group.line):
                    continue              # sub-labels start a row below
            new_top, new_waiting = _copied(top, waiting)
            child = _Node(node.role, node.label, node.line, index=k)
            if attach < len(waiting):
                new_waiting[attach].children.append(child)
                new_waiting = new_waiting[attach:]            # the groups before are done
            else:
                new_top.append(child)     # a label of the top row, or one spanning every row
                while new_waiting and new_waiting[0].children:
                    new_waiting.pop(0)    # groups that got their sub-labels are done
            if _family(child):
                new_waiting.append(child)
            walk(k + 1, new_top, new_waiting)

    walk(0, [], [])
    return out


def _copied(top: list[_Node], waiting: list[_Node]) -> tuple[list[_Node], list[_Node]]:
    """A deep copy of a partial tree and its waiting groups."""
    copy: dict[int, _Node] = {}

    def clone(node: _Node) -> _Node:
        twin = _Node(node.role, node.label, node.line, [clone(c) for c in node.children], node.index)
        copy[id(node)] = twin
        return twin

    new_top = [clone(n) for n in top]
    return new_top, [copy[id(w)] for w in waiting]


def _all(nodes: list[_Node]) -> list[_Node]:
    return [m for n in nodes for m in [n] + _all(n.children)]


def _repeated_roles(leaves: list[_Node]) -> int:
    """Columns whose role another column has already (a task has one of each)."""
    roles = [n.role for n in leaves if n.role not in ("other", "notes", "group")]
    return len(roles) - len(set(roles))


def _leaves(nodes: list[_Node]) -> list[_Node]:
    return [leaf for n in nodes for leaf in (_leaves(n.children) if n.children else [n])]


def _depth(node: _Node) -> int:
    return 1 + max(_depth(c) for c in node.children) if node.children else 0


def _grid_rows(top: list[_Node], depth: int) -> tuple[tuple[tuple[str, int], ...], ...]:
    """Header rows left to right: each label spans its leaves; under a leaf, empty cells."""
    rows: list[list[tuple[str, int]]] = [[] for _ in range(depth)]

    def walk(node: _Node, level: int) -> int:
        if not node.children:
            rows[level].append((node.label, 1))
            for below in range(level + 1, depth):
                rows[below].append(("", 1))
            return 1
        at = len(rows[level])
        rows[level].append((node.label, 0))
        span = sum(walk(child, level + 1) for child in node.children)
        rows[level][at] = (node.label, span)
        return span

    for node in top:
        walk(node, 0)
    return tuple(tuple(row) for row in rows)


_HEADS = (("co", "quan"), ("don", "vi"), ("co", "quan", "don", "vi"), ("ten",))


def _unlabelled_columns(roles: list[tuple[int, str]], words: list[str], printed: list[str],
                        line_starts: list[int], ends: dict[int, int]) -> list[tuple[int, str]]:
    """Labels the vocabulary does not know ("Kinh phí", "Đơn vị được kiểm tra") printed on the
    same line right after a known one: a capitalised word there opens a column of its own
    instead of lengthening the label before it."""
    out: list[tuple[int, str]] = []
    for k, (at, role) in enumerate(roles):
        out.append((at, role))
        end = ends.get(at, at + 1)
        stop = _label_head(words, roles[k + 1][0]) if k + 1 < len(roles) else len(words)
        line_end = min((ls for ls in line_starts if ls > at), default=len(words))
        for n in range(end, min(stop, line_end)):
            if printed[n][:1].isupper() and (n == 0 or printed[n] is not printed[n - 1]):
                out.append((n, "other"))
                ends[n] = n + 1
                break
    return out


def _label_head(words: list[str], at: int) -> int:
    """A label's first word: "Cơ quan" / "Đơn vị" printed before its phrase ("Cơ quan | chủ trì")."""
    for head in sorted(_HEADS, key=len, reverse=True):
        if at >= len(head) and tuple(words[at - len(head):at]) == head:
            return at - len(head)
    return at


def _label_starts(roles: list[tuple[int, str]], words: list[str], line_starts: list[int],
                  ends: dict[int, int]) -> list[tuple[int, str]]:
    """Each label's first word: the start of its line when nothing else is labelled there
    before it ("Tên nhiệm vụ", "Đơn vị chủ trì"), else the words just before its phrase that
    head a label ("Cơ quan | chủ trì")."""
    out = []
    for k, (at, role) in enumerate(roles):
        line_start = max((ls for ls in line_starts if ls <= at), default=0)
        previous_end = ends.get(roles[k - 1][0], roles[k - 1][0] + 1) if k else 0
        out.append((line_start if previous_end <= line_start else max(_label_head(words, at), previous_end), role))
    return out


def _columns(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """One column per label: a role found again right after itself is the same label
    ("Sản phẩm, kết quả")."""
    out: list[tuple[int, str]] = []
    for at, role in found:
        if out and out[-1][1] == role:
            continue
        out.append((at, role))
    return out


def _dedupe(words: list[str]) -> str:
    """Printed words of a label (a word split into several folded words appears once)."""
    out: list[str] = []
    for w in words:
        if not out or out[-1] is not w:
            out.append(w)
    return " ".join(out)


def same_header(a: Header, b: Header) -> bool:
    return a.roles == b.roles


def header_words(texts: list[str]) -> list[str]:
    return [w for text in texts for w in fold_words(text).split()]


def repeated_header(texts: list[str], start: int, words: list[str]) -> int | None:
    """End of a repetition of a header whose folded words are `words` starting at texts[start]
    (the header printed again on a new page), or None. Only the same words in the same order
    count, so the continuation of a row right after it is never taken for a label."""
    got: list[str] = []
    end = start
    while end < len(texts) and len(got) < len(words):
        got.extend(fold_words(texts[end]).split())
        end += 1
        if got != words[:len(got)]:
            return None
    if got != words:
        return None
    while end < len(texts) and COLUMN_NUMBERS.match(texts[end].strip()):
        end += 1
    return end


def header_model_rows(printed: tuple[tuple[tuple[str, int], ...], ...], line: int, line_end: int,
                      table: int) -> list[Row]:
    """The header's rows as table rows: each label spanning its columns, empty cells under a
    label that spans every row (merged from above)."""
    where = Provenance(line=line, line_end=line_end)
    return [Row(cells=[Cell([label] if label else [], where, col_span=span, merged_from_above=not label and r > 0)
                       for label, span in row],
                provenance=Provenance(line=line, line_end=line_end, table=table, row=r))
            for r, row in enumerate(printed)]
