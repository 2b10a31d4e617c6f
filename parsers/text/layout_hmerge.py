"""Header labels of a layout-text table rebuilt from the header's lines (see parsers.text.layout_header).

Every line of a flattened header row holds, left to right, one line of some of the labels: the
labels' first lines on the TT line and the lines they wrap onto around it (top-aligned cells:
below; centred cells: above and below, a one-line label alone on the middle line). Each line is
split into fragments that either go on a label seen on an earlier line (a word pair of header
labels joins them, or the vocabulary knows the label only with it: "Cơ quan thực" + "hiện") or
open a new one (a capitalised word). Labels of the TT line have known places; a label only seen
on lines without a placed label ("Thời gian" above the TT line, "Nội dung công việc" alone)
floats: parsers.text.layout_header.choose_columns places it by the table's lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from normalize.text import fold_words
from parsers.plan.columns import vocabulary

# Whole header labels whose words are split over lines: which word follows which.
_HEADER_PHRASES = (
    "so thu tu", "noi dung cong viec", "noi dung nhiem vu", "ten nhiem vu", "san pham dau ra",
    "ket qua san pham", "san pham ket qua", "co quan thuc hien", "don vi thuc hien",
    "co quan chu tri", "don vi chu tri", "co quan phoi hop", "don vi phoi hop",
    "thoi gian hoan thanh", "thoi gian thuc hien", "thoi han hoan thanh", "tien do thuc hien",
    "kinh phi thuc hien", "nguon kinh phi", "ghi chu", "du kien san pham", "noi dung thuc hien",
    "nhiem vu cu the", "ket qua dau ra", "co quan don vi chu tri",
)
_MAX_GROUP = 6          # words of one label on one line


@lru_cache(maxsize=1)
def header_pairs() -> frozenset[tuple[str, str]]:
    """Word pairs that follow each other inside a header label."""
    vocab = vocabulary()
    phrases = list(_HEADER_PHRASES) + list(vocab.statistics_markers)
    for rule in vocab.rules:
        phrases.extend(rule.any_of + rule.exact)
    pairs = set()
    for phrase in phrases:
        words = phrase.split()
        pairs.update(zip(words, words[1:]))
    return frozenset(pairs)


@dataclass
class Label:
    pieces: list[str] = field(default_factory=list)      # its text line by line
    glued: bool = False        # the TT label broken by a narrow column: "ST" + "T" -> "STT"

    @property
    def text(self) -> str:
        return "".join(self.pieces) if self.glued else " ".join(self.pieces)


def _opens(token: str) -> bool:
    first = next((ch for ch in token if ch.isalnum()), "")
    return bool(first) and (first.isupper() or token[:1] == "(")


@lru_cache(maxsize=256)
def merge_header(texts: tuple[str, ...], tt_at: int, tail: str | None) -> tuple[tuple, tuple, tuple]:
    """(placed labels, floating labels, per line: how many of its fragments went on a label)
    of the header lines `texts`, its TT line at `tt_at`; `tail`: the end of a TT label broken
    over lines, opening a later line."""
    placed: list[Label] = []
    floating: list[Label] = []
    goes_on: list[int] = []
    for at, text in enumerate(texts):
        toks = text.split()
        glued = 0
        if tail and at > tt_at and toks[:1] == [tail] and placed and not placed[0].glued:
            placed[0].pieces.append(tail)
            placed[0].glued = True
            toks = toks[1:]
            glued = 1
        groups = _split_line(toks, placed, floating) if toks else []
        goes_on.append(glued + sum(1 for kind, _, _, _, tied in groups if kind != "new" and tied))
        _apply(groups, toks, placed, floating, at == tt_at)
    return tuple(placed), tuple(floating), tuple(goes_on)


def _apply(groups, toks, placed: list[Label], floating: list[Label], tt_line: bool) -> None:
    """Put a line's fragments in place: on the TT line, or beside placed labels they follow."""
    items: list[tuple[str, Label]] = []
    for kind, index, i0, i1, _ in groups:
        words = " ".join(toks[i0:i1])
        if kind == "new":
            label = Label([words])
        else:
            label = (placed if kind == "placed" else floating)[index]
            label.pieces.append(words)
        items.append((kind, label))
    if tt_line and not placed:
        for kind, label in items:
            if kind == "floating":
                floating.remove(label)
            placed.append(label)
        return
    target = placed if any(kind == "placed" for kind, _ in items) else floating
    pending: list[Label] = []
    pointer = 0
    for kind, label in items:
        if label in target:
            spot = target.index(label)
            for extra in pending:
                target.insert(spot, extra)
                spot += 1
            pending = []
            pointer = spot + 1
        else:
            if kind == "floating":
                floating.remove(label)       # placed now, beside the labels it follows
            pending.append(label)
    for extra in pending:
        target.insert(min(pointer, len(target)), extra)
        pointer += 1


@lru_cache(maxsize=4096)
def _named(text: str) -> str | None:
    """The role whose vocabulary phrase the label holds as written (no misreading allowance:
    "Cơ quan thực Kinh phí" is one letter off "cơ quan thực hiện" but names nothing)."""
    vocab = vocabulary()
    folded = fold_words(text)
    for rule, pattern in zip(vocab.rules, vocab._patterns):   # type: ignore[attr-defined]
        if folded in rule.exact or (pattern is not None and pattern.search(folded)):
            return rule.name
    return None


def _split_line(toks: list[str], placed: list[Label], floating: list[Label]):
    """Fragments of a header line: [(kind, label index, i0, i1, tied)], kind "placed" /
    "floating" (going on that label) or "new"; placed and floating labels are gone on in their
    order; `tied`: a word pair or the vocabulary joins the fragment to its label."""
    pairs = header_pairs()
    keys = [fold_words(t) for t in toks]
    n = len(toks)
    opens = [_opens(t) for t in toks]
    labels = [("placed", i, lab) for i, lab in enumerate(placed)] + \
             [("floating", i, lab) for i, lab in enumerate(floating)]

    def inner(i0: int, i1: int) -> float:
        words = " ".join(keys[i0:i1]).split()
        return sum(1.0 for a, b in zip(words, words[1:]) if (a, b) in pairs)

    def going_on(label: Label, i0: int, i1: int) -> float | None:
        last = fold_words(label.text).split()[-1:]
        first = keys[i0].split()[:1]
        linked = 1.0 if last and first and (last[0], first[0]) in pairs else 0.0
        words = " ".join(toks[i0:i1])
        # the vocabulary knows the label only with these words (and not them alone)
        known = 2.0 if (_named(label.text) is None and _named(words) is None
                        and _named(f"{label.text} {words}") is not None) else 0.0
        if not linked and not known:
            # nothing ties them: a small word must go on some label, a capitalised one opens
            # its own
            return None if opens[i0] else -1.0
        return linked + known - 0.1 - (1.0 if opens[i0] else 0.0)

    neg = float("-inf")
    # state: (tokens used, last placed label gone on, last floating label gone on, whether
    # the last fragment opened a label)
    best: dict[tuple[int, int, int, bool], tuple[float, tuple | None]] = {(0, -1, -1, False): (0.0, None)}
    for i in range(n):
        for (used, lp, lf, opened), (score, _) in sorted((s for s in best.items() if s[0][0] == i),
                                                         key=lambda item: item[0]):
            # a label opened on this line is cut by a small word only where that word goes
            # on a label from another line, and needs good reason ("Sản phẩm" | "gian")
            split = 0.5 if opened and not opens[i] else 0.0
            for j in range(i + 1, min(n, i + _MAX_GROUP) + 1):
                if any(opens[m] and not toks[m - 1].endswith(("/", "-")) for m in range(i + 1, j)):
                    break            # a capitalised word opens another label
                cut = -1.0 if j < n and (keys[j - 1], keys[j]) in pairs else 0.0
                within = inner(i, j)
                moves = [("new", -1, lp, lf, within + (-0.3 if opens[i] else -3.0), False)]
                for kind, index, label in labels:
                    if (kind == "placed" and index > lp) or (kind == "floating" and index > lf):
                        gain = going_on(label, i, j)
                        if gain is not None:
                            moves.append((kind, index, index if kind == "placed" else lp,
                                          index if kind == "floating" else lf, within + gain - split,
                                          gain > -1.0))
                for kind, index, nlp, nlf, gain, tied in moves:
                    key = (j, nlp, nlf, kind == "new")
                    value = score + gain + cut
                    if value > best.get(key, (neg, None))[0]:
                        best[key] = (value, ((used, lp, lf, opened), (kind, index, i, j, tied)))
    finals = [(v, k) for k, (v, _) in best.items() if k[0] == n]
    if not finals:
        return [("new", -1, 0, n, False)]
    _, key = max(finals)
    out = []
    while best[key][1] is not None:
        key, group = best[key][1]
        out.append(group)
    out.reverse()
    return out
