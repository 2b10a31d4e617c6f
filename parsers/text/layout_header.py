"""Annex table headers in layout-flattened PDF text (see parsers.text.layout_text).

A header row comes out as a "TT …" line holding the first line of every header label, plus the
lines the longer labels wrap onto: around the TT line when the cells are centred vertically
("Thời gian" above, "hoàn thành" below), below it when they are top-aligned ("Cơ quan thực" /
"hiện"). A TT column too narrow for "STT" breaks it too: "ST Nội dung …" / "T trì hợp …". The
labels are rebuilt by parsers.text.layout_hmerge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from normalize.text import fold_words
from parsers.plan.columns import CORE_ROLES, vocabulary
from parsers.text.layout_hmerge import merge_header
from parsers.text.layout_linemodel import Emissions, LineBase, LineModel
from parsers.text.layout_table import estimate_widths
from parsers.text.layout_types import NEG, Bigrams, Column, visual_len

_TT_HEADER = re.compile(r"^(?:S[ốo]\s+)?S?TT\.?(?:\s|$)|^Số\s+thứ\s+tự\b", re.IGNORECASE)
# "STT" / "TT" broken by a narrow column: the head on the TT line, the tail on a later line
_TT_HEAD = {"ST": ("T", "TT"), "S": ("TT",), "T": ("T",)}
_NUMBER_ROW = re.compile(r"(?:\(?\d{1,2}\)?[.*]?\s*){3,}")
_SEQ_START = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.?|[A-ZĐ][.)])(?:\s|$)")

_HEADER_EXTRA = (
    "tt stt so thu tu ten noi dung nhiem vu cong viec cu the thuc hien hoan thanh thoi gian "
    "han tien do du kien san pham ket qua hinh thuc van ban the hien co quan don vi chu tri "
    "phoi hop ghi chu giai phap trach nhiem tham muu theo doi kiem tra don doc chi tieu thong "
    "ke tinh lieu hoat dong de an moc chinh phu trach dau moi ra kinh phi nguon du toan muc "
    "yeu cau dat linh vuc chuong trinh nam trieu dong duoc to chuc bat dau ket thuc"
)


@lru_cache(maxsize=1)
def _header_words() -> frozenset[str]:
    vocab = vocabulary()
    words = set(_HEADER_EXTRA.split())
    for rule in vocab.rules:
        for phrase in rule.any_of + rule.exact:
            words.update(phrase.split())
    for phrase in vocab.statistics_markers:
        words.update(phrase.split())
    return frozenset(words)


def _is_header_ish(text: str) -> bool:
    """Every word a header word (a year or a unit too: "Kế hoạch năm 2026", "(triệu đồng)");
    a line opening with a bullet is a cell's, never a header's."""
    words = fold_words(text).split()
    return (bool(words) and len(text) <= 90 and not _BULLET.match(text)
            and all(w in _header_words() or (w.isdigit() and len(w) <= 4) for w in words))


_BULLET = re.compile(r"^[-+•▪●*–]\s")


def _cap_split(text: str) -> list[str]:
    """Header cells of one line: a new cell starts at every capitalised word."""
    cells: list[list[str]] = []
    for tok in text.split():
        first = next((ch for ch in tok if ch.isalpha()), "")
        if not cells or (first and first.isupper() and not cells[-1][-1].endswith(("/", "-"))):
            cells.append([tok])
        else:
            cells[-1].append(tok)
    return [" ".join(c) for c in cells]


def _tt_tail(text: str, later: list[str]) -> str | None | bool:
    """True for a TT line ("TT …", "STT …"); the tail to look for when its TT label is broken
    ("ST" here, "T" opening one of the `later` lines); None otherwise."""
    if _TT_HEADER.match(text):
        return True
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    for tail in _TT_HEAD.get(head, ()):
        if any(t.split()[:1] == [tail] for t in later):
            return tail
    return None


def _roles_ok(labels: list[str]) -> bool:
    vocab = vocabulary()
    roles = {vocab.role_of(c) for c in labels}
    return "content" in roles and len(roles & CORE_ROLES) >= 1


def is_main_header(text: str, next_text: str | None = None) -> bool:
    """A header row's TT line ("TT Nội dung … Thời gian"); `next_text`: the line below, for
    labels (or a TT label) broken onto it."""
    if len(text) > 220:
        return False
    tail = _tt_tail(text, [next_text] if next_text else [])
    if tail is None:
        return False
    cells = _cap_split(text)
    if vocabulary().marks_statistics(text):
        return len(cells) >= 3
    if _roles_ok(cells[1:]):
        return True
    if next_text and _is_header_ish(_without(next_text, tail)):
        placed, floating, _ = merge_header((text, next_text), 0, tail if isinstance(tail, str) else None)
        return _roles_ok([lab.text for lab in list(placed[1:]) + list(floating)])
    return False


def _without(text: str, tail: str | bool | None) -> str:
    """A header line without the tail of a broken TT label opening it."""
    if isinstance(tail, str) and text.split()[:1] == [tail]:
        return text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
    return text


@dataclass
class Header:
    start: int                 # index range in the line list
    end: int
    main: int
    statistics: bool
    main_cells: list[str]
    stacked: list[str]         # labels whose place the lines do not show (see layout_hmerge)
    signature: str
    pieces: list[list[str]] | None = None        # main and stacked labels line by line
    # main and stacked labels: the labels of the header rows above each ("Tổ chức thực hiện",
    # "Cơ quan thực hiện" over "Chủ trì"), top to bottom
    paths: list[tuple[str, ...]] | None = None

    def layout_key(self) -> tuple:
        key = (tuple(fold_words(t) for t in self.main_cells), tuple(fold_words(t) for t in self.stacked))
        if self.paths and any(self.paths):
            key += (tuple(tuple(fold_words(t) for t in p) for p in self.paths),)
        return key

    def options(self) -> list[list[Column]]:
        vocab = vocabulary()

        def col(text: str, path: tuple[str, ...], first: bool = False) -> Column:
            role = "seq" if first else vocab.role_of(text)
            if role is None or (role != "seq" and vocab.is_extra(role)) or (role == "seq" and not first):
                role = "other" if not first else "seq"
            if role == "other" and path and _label_kind(text) == "time":
                role = "deadline"          # "Bắt đầu" under "Thời gian thực hiện"
            elif role == "other" and not first and _label_kind(text) == "agency":
                role = "units"             # "Đơn vị được kiểm tra": names units, read as such
            return Column(text, role)

        paths = self.paths if self.paths and len(self.paths) == len(self.main_cells) + len(self.stacked) \
            else [()] * (len(self.main_cells) + len(self.stacked))
        main = [col(t, paths[i], i == 0) for i, t in enumerate(self.main_cells)]
        stacked = [col(t, paths[len(main) + i]) for i, t in enumerate(self.stacked)]
        if self.pieces and len(self.pieces) == len(main) + len(stacked):
            for column, lines in zip(main + stacked, self.pieces):
                column.fits = label_fits(lines)
        if self.paths and len(self.paths) == len(main) + len(stacked):
            for column, path in zip(main + stacked, self.paths):
                column.path = path
        return interleavings(main, stacked)


_BOLD = 1.07        # header labels are bold: a little wider than the same text in the body


def label_fits(lines: list[str]) -> tuple[float, float | None]:
    """The printed widths a header label wrapped over `lines` allows its column: at least its
    longest line, and less than a line plus the next word (when the label wraps)."""
    widths = [_BOLD * (sum(visual_len(t) + 1 for t in ln.split()) - 1) for ln in lines if ln.split()]
    low = max(widths, default=0.0)
    high = None
    for width, nxt in zip(widths, lines[1:]):
        if nxt.split():
            bound = width + _BOLD * (1 + visual_len(nxt.split()[0]))
            high = bound if high is None else min(high, bound)
    return low, high


def find_headers(lines: list) -> list[Header]:
    """The header rows of the annex tables among the lines (objects with .text and .page)."""
    headers: list[Header] = []
    taken: set[int] = set()
    vocab = vocabulary()

    def same_page(j: int, page: int) -> bool:
        return 0 <= j < len(lines) and lines[j].page == page

    for i, line in enumerate(lines):
        if i in taken or len(line.text) > 220:
            continue
        later = [lines[j].text for j in range(i + 1, i + 4) if same_page(j, line.page)]
        tail = _tt_tail(line.text, later)
        header = _header_at(lines, i, tail, taken) if tail is not None else None
        if header is None:
            header = _statistics_form(lines, i, same_page)
        if header is None:
            continue
        # a row numbering the columns, "(1) (2) (3) …", belongs to the header
        if same_page(header.end, line.page) and _NUMBER_ROW.fullmatch(lines[header.end].text):
            header.end += 1
        text = " ".join(ln.text for ln in lines[header.start:header.end])
        header.statistics = header.statistics or vocab.marks_statistics(text)
        header.signature = fold_words(text)
        headers.append(header)
        taken.update(range(header.start, header.end))
    return headers


def _merged_labels(texts: tuple[str, ...], above: int, below: int, glue: str | None
                   ) -> tuple[tuple[str, ...], int, list[str], list[str], list[list[str]]]:
    """(lines, lines under the TT line, placed labels, stacked labels, label pieces) of the
    header lines merged into labels. Lines under the TT line that go on no label are not the
    header's (a body line of header words); only a label alone between wrapped lines is."""
    placed, floating, goes_on = merge_header(texts, above, glue)
    while below and not goes_on[above + below]:
        below -= 1
        texts = texts[:-1]
        placed, floating, goes_on = merge_header(texts, above, glue)
    pieces = [list(lab.pieces) for lab in list(placed) + list(floating)]
    return texts, below, [lab.text for lab in placed], [lab.text for lab in floating], pieces


def _header_at(lines: list, i: int, tail, taken: set[int]) -> Header | None:
    """The header whose TT line is line i: the header-like lines around it, its labels."""
    page = lines[i].page
    above = 0
    while (above < 4 and i - above - 1 >= 0 and i - above - 1 not in taken
           and lines[i - above - 1].page == page and _is_header_ish(lines[i - above - 1].text)):
        above += 1
    below = 0
    glue = tail if isinstance(tail, str) else None
    while below < 4 and i + below + 1 < len(lines) and lines[i + below + 1].page == page:
        text = lines[i + below + 1].text
        rest = _without(text, glue)
        if (_TT_HEADER.match(text) or _NUMBER_ROW.fullmatch(text)
                or (rest and (_SEQ_START.match(rest) or not _is_header_ish(rest)))):
            break
        below += 1
    texts = tuple(ln.text for ln in lines[i - above:i + below + 1])
    # label rows under the TT line's labels ("Chủ trì | Phối hợp" under "Cơ quan thực hiện"):
    # the last lines, each of labels only; the header is rebuilt from the lines above them
    rows: list[list[str]] = []
    while below and len(rows) < 2:
        cells = _label_row(texts[:len(texts) - len(rows)], above, glue)
        if cells is None:
            break
        rows.insert(0, cells)
        below -= 1
    if rows:
        texts = texts[:len(texts) - len(rows)]
    texts, below, labels, stacked, pieces = _merged_labels(texts, above, below, glue)
    paths: list[tuple[str, ...]] = [()] * (len(labels) + len(stacked))
    tree = _label_tree(labels, stacked, rows) if rows else None
    if rows and tree is None:
        below += len(rows)            # the rows fit no labels: lines of the old reading
        texts = tuple(ln.text for ln in lines[i - above:i + below + 1])
        texts, below, labels, stacked, pieces = _merged_labels(texts, above, below, glue)
        paths = [()] * (len(labels) + len(stacked))
    elif tree is not None:
        main_leaves, stacked_leaves = tree
        old_pieces = {("m", k): p for k, p in enumerate(pieces[:len(labels)])}
        old_pieces.update({("s", k): p for k, p in enumerate(pieces[len(labels):])})
        labels = [leaf[0] for leaf in main_leaves]
        stacked = [leaf[0] for leaf in stacked_leaves]
        paths = [leaf[1] for leaf in main_leaves + stacked_leaves]
        pieces = [old_pieces.get(leaf[2], [leaf[0]]) for leaf in main_leaves + stacked_leaves]
        below += len(rows)
    statistics = vocabulary().marks_statistics(" ".join(texts))
    if not labels or not (statistics and len(labels) + len(stacked) >= 3
                          or _roles_ok(labels[1:] + stacked)):
        return None
    return Header(i - above, i + below + 1, i, statistics, labels, stacked, "", pieces, paths)


_START_END = re.compile(r"\b(?:bat dau|ket thuc|hoan thanh|khoi cong|tu ngay|den ngay)\b")
_AGENCY_LABEL = re.compile(r"\b(?:co quan|don vi|bo phan)\b")


def _label_kind(text: str) -> str | None:
    """What a label over or under others says: "agency" (chủ trì, phối hợp, cơ quan thực
    hiện), "time" (thời gian, bắt đầu, kết thúc), None (no role: "Tổ chức thực hiện") or
    "other" (a role no label row groups: content, products, notes)."""
    role = vocabulary().role_of(text)
    folded = fold_words(text)
    if role in ("lead", "coordinating"):
        return "agency"
    if role == "deadline" or _START_END.search(folded):
        return "time"
    if role is None:
        return "agency" if _AGENCY_LABEL.search(folded) else None
    return "other"


def _label_row(texts: tuple[str, ...], tt_at: int, glue: str | None) -> list[str] | None:
    """The labels of the last header line when it is a row of labels of its own: two or more
    short capitalised labels, each naming an agency or a time."""
    if len(texts) <= tt_at + 1:
        return None
    cells = _cap_split(texts[-1])
    if (len(cells) < 2 or not cells[0][:1].isupper()
            or any(len(c.split()) > 5 or _label_kind(c) in (None, "other") for c in cells)):
        return None
    return cells


def _assign(children: list[str], parents: list[str]) -> tuple[float, list[tuple[int, int, int]]] | None:
    """Children split into runs of two or more, each under one of the parents in order:
    (score, [(parent, first child, end)]); a parent must say what its children say ("Cơ quan
    thực hiện" over "Chủ trì | Phối hợp") or nothing ("Tổ chức thực hiện")."""
    kinds_c = [_label_kind(c) for c in children]
    kinds_p = [_label_kind(p) for p in parents]
    n = len(children)
    best: dict[tuple[int, int], tuple[float, list]] = {(0, -1): (0.0, [])}
    for start in range(n):
        for (used, last), (score, runs) in sorted(best.items()):
            if used != start:
                continue
            for p in range(last + 1, len(parents)):
                if kinds_p[p] == "other":
                    continue
                for end in range(start + 2, n + 1):
                    ks = kinds_c[start:end]
                    if kinds_p[p] is not None and any(k != kinds_p[p] for k in ks):
                        break
                    gain = float(len(ks)) if kinds_p[p] is not None else 0.0
                    key = (end, p)
                    value = (score + gain, runs + [(p, start, end)])
                    if key not in best or value[0] > best[key][0] + 1e-9:
                        best[key] = value
    finals = [v for (used, _), v in sorted(best.items()) if used == n and v[1]]
    if not finals:
        return None
    return max(finals, key=lambda v: v[0])


def _label_tree(labels: list[str], stacked: list[str], rows: list[list[str]]):
    """Leaves (text, path of the labels above, origin) of the TT line's labels and the floating
    ones, the label rows under them filled in; None when the rows go under no labels."""
    # bottom-up: each row's labels go under the labels of the row above it; the first row's
    # under the TT line's labels or under the floating ones (whichever says what they say)
    children: dict[tuple, list[tuple]] = {}
    for r in range(len(rows) - 1, -1, -1):
        texts = rows[r]
        if r > 0:
            options = [[(("r", r - 1, k), t) for k, t in enumerate(rows[r - 1])]]
        else:
            options = [[(("m", k), t) for k, t in enumerate(labels) if k > 0],
                       [(("s", k), t) for k, t in enumerate(stacked)]]
        found = None
        for cands in options:
            if not cands:
                continue
            got = _assign(texts, [t for _, t in cands])
            if got is not None and (found is None or got[0] > found[0][0] + 1e-9):
                found = (got, cands)
        if found is None:
            return None
        (_, runs), cands = found
        for p, a, b in runs:
            children[cands[p][0]] = [("r", r, k) for k in range(a, b)]
    text_of = {("m", k): t for k, t in enumerate(labels)}
    text_of.update({("s", k): t for k, t in enumerate(stacked)})
    text_of.update({("r", r, k): t for r, row in enumerate(rows) for k, t in enumerate(row)})
    # a floating label of no role over no children spans the TT line's labels that have some
    top: dict[tuple, str] = {}
    parents_m = [k for k in range(len(labels)) if ("m", k) in children]
    spare = [k for k in range(len(stacked)) if ("s", k) not in children]
    if parents_m and spare:
        run = parents_m == list(range(parents_m[0], parents_m[-1] + 1))
        for k in spare:
            if run and len(parents_m) >= 2 and _label_kind(stacked[k]) is None:
                top = {("m", m): stacked[k] for m in parents_m}
        if top:
            spare = [k for k in spare if _label_kind(stacked[k]) is not None]

    def leaves(node: tuple, path: tuple[str, ...]) -> list[tuple]:
        if node not in children:
            return [(text_of[node], path, node)]
        out = []
        for child in children[node]:
            out.extend(leaves(child, path + (text_of[node],)))
        return out

    main_leaves = []
    for k in range(len(labels)):
        node = ("m", k)
        main_leaves.extend(leaves(node, (top[node],) if node in top else ()))
    stacked_leaves = []
    for k in range(len(stacked)):
        if ("s", k) in children or k in spare:
            stacked_leaves.extend(leaves(("s", k), ()))
    return main_leaves, stacked_leaves


def _statistics_form(lines: list, i: int, same_page) -> Header | None:
    """A statistics form: a short TT line, its header words on the lines around it."""
    line = lines[i]
    if not (_TT_HEADER.match(line.text) and len(line.text) <= 60 and _is_header_ish(line.text)):
        return None
    near = [j for j in (i - 1, i + 1) if same_page(j, line.page)]
    if not any(vocabulary().marks_statistics(lines[j].text) for j in near):
        return None
    start, end = (i - 1 if i - 1 in near else i), (i + 2 if i + 1 in near else i + 1)
    cells = _cap_split(" ".join(ln.text for ln in lines[start:end]))
    return Header(start, end, i, True, cells, [], "")


# --------------------------------------------------------------------------------------------
# Column order


_CANONICAL = ("lead", "coordinating", "deadline")


def choose_columns(options: list[list[Column]], tokens: list[list[str]],
                   bigrams: Bigrams) -> list[Column]:
    """Pick the column order that best explains the lines (header cells stacked over several
    lines give no position of their own); ties go to the usual order chủ trì < phối hợp <
    thời gian."""
    if len(options) == 1:
        return options[0]
    sample = [t for t in tokens if len(t) >= 4]
    sample.sort(key=len, reverse=True)
    bases = [LineBase(t, bigrams) for t in sample[:24]]
    emissions = Emissions()
    # the first text column's width does not depend on the order: measure it first
    roles0 = [c.role or "other" for c in options[0] if c.role != "seq"]
    paths = [LineModel(b, roles0, emissions, bigrams).viterbi()[1] for b in bases]
    first_width = estimate_widths(bases, paths, len(roles0)).get(0)
    best, best_score = options[0], NEG
    for cols in options:
        roles = [c.role or "other" for c in cols if c.role != "seq"]
        ranks = [_CANONICAL.index(r) for r in roles if r in _CANONICAL]
        inversions = sum(1 for i in range(len(ranks)) for j in range(i + 1, len(ranks))
                         if ranks[i] > ranks[j])
        if "lead" in roles and "coordinating" in roles:
            # chủ trì and phối hợp sit side by side in nearly every plan table
            inversions += abs(roles.index("lead") - roles.index("coordinating")) - 1
        score = sum(LineModel(b, roles, emissions, bigrams, first_width).viterbi()[0]
                    for b in bases) - 3.0 * inversions
        if score > best_score + 1e-9:
            best, best_score = cols, score
    return best


def interleavings(main: list[Column], stacked: list[Column]) -> list[list[Column]]:
    """Orders of main + stacked header cells keeping each list's order, TT and the first text
    column of the main line staying first."""
    if not stacked:
        return [main]
    # TT first, then the content column when the TT line shows it: only a label of no core
    # role ("Đơn vị được kiểm tra" of an inspection schedule) may float before it
    head = main[:1]
    content_first = len(main) >= 2 and main[0].role == "seq" and main[1].role == "content"
    lead_in = 0
    while content_first and lead_in < len(stacked) and stacked[lead_in].role in ("other", "units"):
        lead_in += 1
    rest = main[len(head):]
    total = len(rest) + len(stacked)
    out = []
    for slots in combinations(range(total), len(stacked)):
        order, si, ri = [], 0, 0
        for pos in range(total):
            if pos in slots:
                order.append(stacked[si])
                si += 1
            else:
                order.append(rest[ri])
                ri += 1
        if content_first and any(c is not main[1] for c in order[:order.index(main[1])][lead_in:]):
            continue
        out.append(head + order)
    # a label over columns spans neighbouring ones: its children side by side, when they can be
    together = [o for o in out if _siblings_together(o)]
    return together or out


def _siblings_together(order: list[Column]) -> bool:
    """Columns under one label of the row above ("Chủ trì | Phối hợp" under "Cơ quan thực
    hiện") side by side: a label over columns spans neighbouring ones."""
    at: dict[tuple[str, ...], list[int]] = {}
    for pos, column in enumerate(order):
        path = getattr(column, "path", None) or ()
        for depth in range(1, len(path) + 1):
            at.setdefault(tuple(path[:depth]), []).append(pos)
    return all(spots[-1] - spots[0] + 1 == len(spots) for spots in at.values())
