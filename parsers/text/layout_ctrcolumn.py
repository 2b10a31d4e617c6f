"""Row geometry and one column of a vertically centred row (see parsers.text.layout_ctrdecode).

A centred cell of n lines in a row of height H sits at the heights (H - n) / 2 + 0, 1 … n - 1:
cells whose line counts have the same parity share heights, the others sit half a line off, and
the PDF text extractor gives every distinct height a line of its own. So a row's lines form two
interleaved groups centred on the row's middle line (where the TT number sits): the P lines of
the cells of one parity and the Q lines of the other (P - Q odd), the Q lines alternating with
the P lines around the middle and the rest of the P lines above and below them. A cell of
either group takes the n middle lines of its group (n of the group's parity). Which lines form
the smaller group is not known beforehand: every way of choosing it is a `structure`.

Given where a column starts on each of its lines, the lines' choices are independent, as in a
top-aligned row (parsers.text.layout_topcolumn, whose per-line reading is used here with the cell's
next line being its group's next line): the best reading of each height is the best end on
every line, with the next best combinations kept, made to leave the columns after it the
middle lines of each group.
"""
from __future__ import annotations

from parsers.text.layout_topcolumn import EMPTY_CELL, Line, end_choices, opening_score, line_options
from parsers.text.layout_types import Bigrams


def structures(n_lines: int, middle: int | None) -> list[tuple[int, ...]]:
    """Per way of sharing the lines between the two groups: the group (0: the larger, 1: the
    smaller) of every line. The smaller group has Q lines alternating with the larger around the
    middle line (Q = 0: one group only); `middle` None: a row's remainder on a new page, centred
    on its own middle."""
    if middle is None:
        if n_lines % 2 == 0:
            return [(0,) * n_lines]
        middle = n_lines // 2
    half = min(middle, n_lines - 1 - middle)
    if middle != n_lines - 1 - middle:
        return []
    out = [(0,) * n_lines]
    for q in range(1, half + 1):
        top = half - q + 1           # lines of the larger group alone above (and below)
        out.append(tuple(0 if j < top or j > n_lines - 1 - top else (1 if (j - top) % 2 == 0 else 0)
                         for j in range(n_lines)))
    return out


def groups_of(structure: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    # tuples: a column's lines (a slice of a group) key the decoders' caches as they are
    return (tuple(j for j, g in enumerate(structure) if g == 0),
            tuple(j for j, g in enumerate(structure) if g == 1))


def remaining(group, offsets, sizes) -> int:
    """How many middle lines of the group still have tokens, or -1 when the lines with tokens
    left are not the group's middle lines (no cells to come can take them)."""
    left = [offsets[j] < sizes[j] for j in group]
    count = sum(left)
    if not count:
        return 0
    a = (len(group) - count) // 2
    if (len(group) - count) % 2 or not all(left[a:a + count]):
        return -1
    return count


def centred(group, n: int):
    a = (len(group) - n) // 2
    return group[a:a + n]


def column_options(lines: list[Line], sizes, offsets, c: int, role: str, groups,
                   widths: dict[int, float], bigrams: Bigrams, opens: bool,
                   context: dict[int, str] | None, last: bool, cache: dict, limit: int,
                   rests: list[list[float]]):
    """(score, lines taken, their fragment ends, estimate of those lines for the columns after)
    for the likely ways column c can take its lines in one structure (`groups`). The readings
    of one height share their `taken` tuple (the decoder keys on it)."""
    out: list[tuple[float, tuple[int, ...], list[int], float]] = []
    counts = [remaining(g, offsets, sizes) for g in groups]
    empty = (EMPTY_CELL.get(role, 0.0) if opens else 0.0, (), [], 0.0)
    if last:
        # the last column takes everything left: the middle lines of one group
        live = [gi for gi, r in enumerate(counts) if r]
        if len(live) != 1:
            return [empty] if not live else []
        choices = [(live[0], counts[live[0]])]
    else:
        out.append(empty)
        choices = [(gi, n) for gi, r in enumerate(counts) for n in range(r, 0, -2)]
    width = widths.get(c)
    for gi, n in choices:
        taken = centred(groups[gi], n)
        below = n < counts[gi]          # a taller cell of the group comes later: keep tokens
        key = (c, taken, tuple([offsets[j] for j in taken]), below, last)
        combos = cache.get(key)
        if combos is None:
            # the readings depend on the lines themselves, not on the row they are read in:
            # memoised on the first line too, for the row's other readings (the sample and
            # full passes, the second reading's unchanged lines) whose width is the same
            mine = tuple([lines[j] for j in taken])
            prev = None if opens else (context or {}).get(c)
            hkey = ("height", c, tuple([id(line) for line in mine]), key[2], below, last, width,
                    limit, opens, prev)
            memo = mine[0].memo
            hit = memo.get(hkey)
            # (the lines after the first kept and checked: the memo's own line would make a
            # reference cycle)
            if hit is not None and hit[1] is bigrams and all(a is b for a, b in zip(hit[0], mine[1:])):
                raw = hit[2]
            else:
                raw = _height_options(lines, sizes, offsets, c, role, taken, below, width,
                                      bigrams, opens, context, last, limit)
                memo[hkey] = (mine[1:], bigrams, raw)
            combos = cache[key] = [(score, taken, fixed,
                                    sum([rests[j][e] for j, e in zip(taken, fixed)]))
                                   for score, fixed in raw]
        out.extend(combos)
    return out


def _height_options(lines: list[Line], sizes, offsets, c: int, role: str,
                    taken: tuple[int, ...], below: bool, width: float | None, bigrams: Bigrams,
                    opens: bool, context: dict[int, str] | None, last: bool, limit: int):
    """column_options for one height, the column on the lines `taken`: (score, ends)."""
    first = opening_score(lines[taken[0]], offsets[taken[0]], c, role, bigrams, opens, context)
    options = []
    count = len(taken)
    for t, j in enumerate(taken):
        going = t + 1 < count
        options.append(line_options(lines, sizes, offsets, c, j, width, bigrams, going, last,
                                    taken[t + 1] if going else None))
    combos, done = [], set()
    sub_sizes = [sizes[j] for j in taken]
    alts = [_alternatives(opts, size) for opts, size in zip(options, sub_sizes)]
    # per line, each end's score (the first listed, as a search of the list would find)
    at = [{e: s for s, e in reversed(opts)} for opts in options]
    for score, ends in end_choices(options, limit):
        for total, fixed in _middle_runs(score, ends, at, sub_sizes, below, alts):
            fixed_t = tuple(fixed)
            if fixed_t not in done:
                done.add(fixed_t)
                combos.append((first + total, fixed))
    return combos


def _alternatives(opts: list[tuple[float, int]], size: int):
    """The first (best) option taking the line whole and the first leaving some, or None."""
    whole = part = None
    for option in opts:
        if option[1] == size:
            if whole is None:
                whole = option
                if part is not None:
                    break
        elif part is None:
            part = option
            if whole is not None:
                break
    return whole, part


_PATTERNS: dict[tuple[int, int], list[bool]] = {}
_TARGETS: dict[int, list[list[bool]]] = {}


def _pattern(n: int, d: int) -> list[bool]:
    """The n lines of a cell with d lines taken whole at the top and at the bottom (shared:
    read only)."""
    value = _PATTERNS.get((n, d))
    if value is None:
        value = _PATTERNS[(n, d)] = [t < d or t >= n - d for t in range(n)]
    return value


def _middle_runs(score: float, ends: list[int], at: list[dict[int, float]], sizes, below: bool,
                 alts):
    """A choice of ends made to leave the group's middle lines with tokens for the columns
    after: the lines taken whole are the same number at the top and at the bottom. Tokens
    left under the column (`below`): every line keeps some. The two cheapest such choices.
    `alts`: per line, the best end taking it whole and the best leaving some (or None);
    `at`: per line, the score of each end."""
    n = len(ends)
    whole = [e == size for e, size in zip(ends, sizes)]
    if True not in whole:
        return [(score, ends)]
    if not below:
        d = 0
        while d < n and whole[d]:
            d += 1
        if whole == _pattern(n, d):
            return [(score, ends)]
        targets = _TARGETS.get(n)
        if targets is None:
            targets = _TARGETS[n] = [_pattern(n, d) for d in range((n + 1) // 2 + 1)]
    else:
        targets = [[False] * n]
    out = []
    for target in targets:
        total, fixed = score, list(ends)
        for t in range(n):
            want = target[t]
            if whole[t] == want:
                continue
            pick = alts[t][0 if want else 1]
            if pick is None:
                break
            total += pick[0] - at[t][ends[t]]
            fixed[t] = pick[1]
        else:
            out.append((total, fixed))
    out.sort(key=_minus_score)
    return out[:2]


def _minus_score(item: tuple) -> float:
    return -item[0]
