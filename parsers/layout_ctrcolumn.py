"""Row geometry and one column of a vertically centred row (see parsers.layout_ctrdecode).

A centred cell of n lines in a row of height H sits at the heights (H - n) / 2 + 0, 1 … n - 1:
cells whose line counts have the same parity share heights, the others sit half a line off, and
the PDF text extractor gives every distinct height a line of its own. So a row's lines form two
interleaved groups centred on the row's middle line (where the TT number sits): the P lines of
the cells of one parity and the Q lines of the other (P - Q odd), the Q lines alternating with
the P lines around the middle and the rest of the P lines above and below them. A cell of
either group takes the n middle lines of its group (n of the group's parity). Which lines form
the smaller group is not known beforehand: every way of choosing it is a `structure`.

Given where a column starts on each of its lines, the lines' choices are independent, as in a
top-aligned row (parsers.layout_topcolumn, whose per-line reading is used here with the cell's
next line being its group's next line): the best reading of each height is the best end on
every line, with the next best combinations kept, made to leave the columns after it the
middle lines of each group.
"""
from __future__ import annotations

from parsers.layout_topcolumn import _EMPTY, Line, _choices, _line_options, _opening
from parsers.layout_types import Bigrams


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


def groups_of(structure: tuple[int, ...]) -> tuple[list[int], list[int]]:
    return ([j for j, g in enumerate(structure) if g == 0],
            [j for j, g in enumerate(structure) if g == 1])


def remaining(group: list[int], offsets, sizes) -> int:
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


def centred(group: list[int], n: int) -> list[int]:
    a = (len(group) - n) // 2
    return group[a:a + n]


def column_options(lines: list[Line], sizes, offsets, c: int, role: str, groups,
                   widths: dict[int, float], bigrams: Bigrams, opens: bool,
                   context: dict[int, str] | None, last: bool, cache: dict, limit: int,
                   rests: list[list[float]]):
    """(score, lines taken, their fragment ends, estimate of those lines for the columns after)
    for the likely ways column c can take its lines in one structure (`groups`)."""
    out: list[tuple[float, list[int], list[int], float]] = []
    counts = [remaining(g, offsets, sizes) for g in groups]
    empty = (_EMPTY.get(role, 0.0) if opens else 0.0, [], [], 0.0)
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
        key = ("centred", c, tuple(taken), tuple(offsets[j] for j in taken), below, last)
        combos = cache.get(key)
        if combos is None:
            first = _opening(lines[taken[0]], offsets[taken[0]], c, role, bigrams, opens, context)
            options = []
            for t, j in enumerate(taken):
                going = t + 1 < len(taken)
                nxt = taken[t + 1] if going else None
                okey = ("line", c, j, offsets[j], going, nxt, offsets[nxt] if going else -1, last)
                value = cache.get(okey)
                if value is None:
                    value = cache[okey] = _line_options(lines, sizes, offsets, c, j, width, bigrams,
                                                        going, last, nxt)
                options.append(value)
            combos, done = [], set()
            sub_sizes = [sizes[j] for j in taken]
            alts = [(next(((s, e) for s, e in opts if e == size), None),
                     next(((s, e) for s, e in opts if e != size), None))
                    for opts, size in zip(options, sub_sizes)]
            for score, ends in _choices(options, limit):
                for total, fixed in _middle_runs(score, ends, options, sub_sizes, below, alts):
                    if tuple(fixed) not in done:
                        done.add(tuple(fixed))
                        combos.append((first + total, taken, fixed,
                                       sum(rests[j][e] for j, e in zip(taken, fixed))))
            cache[key] = combos
        out.extend(combos)
    return out


def _middle_runs(score: float, ends: list[int], options, sizes, below: bool, alts):
    """A choice of ends made to leave the group's middle lines with tokens for the columns
    after: the lines taken whole are the same number at the top and at the bottom. Tokens
    left under the column (`below`): every line keeps some. The two cheapest such choices.
    `alts`: per line, the best end taking it whole and the best leaving some (or None)."""
    n = len(ends)
    whole = [ends[t] == sizes[t] for t in range(n)]
    if not any(whole):
        return [(score, ends)]
    if not below:
        d = 0
        while d < n and whole[d]:
            d += 1
        if all(whole[t] == (t < d or t >= n - d) for t in range(n)):
            return [(score, ends)]
        targets = [[t < d or t >= n - d for t in range(n)] for d in range((n + 1) // 2 + 1)]
    else:
        targets = [[False] * n]
    current = [next(s for s, e in options[t] if e == ends[t]) for t in range(n)]
    out = []
    for target in targets:
        total, fixed = score, list(ends)
        for t in range(n):
            if whole[t] == target[t]:
                continue
            pick = alts[t][0 if target[t] else 1]
            if pick is None:
                break
            total += pick[0] - current[t]
            fixed[t] = pick[1]
        else:
            out.append((total, fixed))
    out.sort(key=lambda item: -item[0])
    return out[:2]
