"""One column of a top-aligned row, read over its lines (see parsers.text.layout_topdecode).

Given where a column starts on each line of the row (after the columns to its left), the
lines' choices are independent: a line's fragment end scores its words, the cut after it and
the width, and, where the cell goes on, the wrap (a wrapped fragment fills the column: the
cell's next word would not have fitted) and the word pair into the next line's fragment, whose
start is known. The best reading of each height is then the best end on every line; the few
next best combinations are kept too, made to leave the columns after a top run of lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize.text import fold
from parsers.text.layout_linemodel import Emissions, LineBase, is_bullet
from parsers.text.layout_prose import SYLLABLE
from parsers.text.layout_types import CONTINUITY, Bigrams, visual_len
from parsers.text.layout_vocab import AGENCY_STARTS, DEADLINE_STARTS

LEXICAL = 0.5          # weight of the word lists against the geometry (widths, wrapping)
OVER = 2.5             # per unit a fragment runs over its column
UNDER = 2.5            # per unit a wrapped fragment falls short of filling its column
TOL = 0.03             # widths are estimates: slack before either penalty
UNDER_CAP = 10.0      # a wrapped fragment falls short by at most this much (units)
NEW_PARAGRAPH = 2.0   # ... before a capitalised word, which may open a new paragraph
_BROKEN = 2.0          # a number too wide for its column goes on on the next line
EMPTY_CELL = {"content": -3.0, "lead": -1.2, "deadline": -1.2, "coordinating": -0.6, "products": -0.6}


@dataclass
class Line:
    base: LineBase
    em: list[list[float]]          # per column: prefix sums of the token scores
    para_end: list[bool]           # token ends a sentence / list item
    vis: list[float]               # per token printed width
    # memo of the line's fragment options (see line_options) and relaxed scores (topdecode):
    # a line is read again and again, by the sample and full passes of one width and by
    # trial widths that change one column only
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    relaxed: dict = field(default_factory=dict, compare=False, repr=False)


def prepare(base: LineBase, roles: list[str], emissions: Emissions) -> Line:
    key = ("top", emissions.serial, tuple(roles))
    line = base.em_cache.get(key)
    if line is None:
        line = _make_line(base, roles, emissions)
        # a line whose word scores the new emissions leave as they were (none of its words
        # learnt: parsers.text.layout_ctrdecode's second reading) is the line already made, with
        # its memos: everything read from a Line is a function of its contents
        shared = ("top-lines", tuple(roles))
        for other in base.em_cache.get(shared, ()):
            if other.em == line.em:
                line = other
                break
        else:
            base.em_cache.setdefault(shared, []).append(line)
        base.em_cache[key] = line
    return line                  # type: ignore[return-value]


def _make_line(base: LineBase, roles: list[str], emissions: Emissions) -> Line:
    n = base.n
    rows = []
    for role in roles:
        key = (emissions.serial, role, None)
        row = base.em_cache.get(key)
        if row is None:
            row = [emissions.score(role, kk) + extra.get(role, 0.0) if extra else emissions.score(role, kk)
                   for kk, extra in zip(base.keys, base.phrases)]
            base.em_cache[key] = row
        rows.append(row)
    # each token's scores relative to its best column: the best reading is the same (every
    # token is read once), and no state is rewarded for leaving words that score well
    # somewhere to the columns still to read
    tops = [max(col[i] for col in rows) for i in range(n)]
    rows = [[LEXICAL * (v - t) for v, t in zip(row, tops)] for row in rows]
    em = []
    for row in rows:
        acc, pre = 0.0, [0.0]
        for v in row:
            acc += v
            pre.append(acc)
        em.append(pre)
    para_end = [t.endswith((".", ";", ":")) for t in base.tokens]
    return Line(base, em, para_end, [visual_len(t) for t in base.tokens])


def column_options(lines: list[Line], sizes, offsets, c: int, roles: list[str],
                    widths: dict[int, float], bigrams: Bigrams, opens: bool,
                    context: dict[int, str] | None, k: int, cache: dict, limit: int,
                    rests: list[list[float]]):
    """(score, height, fragment ends, estimate of the ends' lines for the columns after) for
    the likely ways column c can take its lines.

    Given where the column starts on each line, the lines' choices are independent: a line's
    fragment end scores its words, the cut after it and the width, and (when the cell goes on)
    the wrap and the word pair into the next line's fragment, whose start is already known.
    So the best reading of each height is the best end on every line; the alternatives kept
    are the next best combinations of ends."""
    role = roles[c]
    L = len(lines)
    width = widths.get(c)
    reach = 0
    while reach < L and offsets[reach] < sizes[reach]:
        reach += 1
    if c == k - 1:
        # the last column takes everything left (a top run of lines, see _completable)
        if any(offsets[j] < sizes[j] for j in range(reach, L)):
            return []
        heights: range | list[int] = [reach]
    else:
        heights = range(reach + 1)
    out: list[tuple[float, int, list[int], float]] = []
    if 0 in heights:
        out.append(((EMPTY_CELL.get(role, 0.0) if opens else 0.0), 0, [], 0.0))
    if not reach:
        return out
    only_end = c == k - 1
    left = [False] * (L + 1)           # tokens left on some line from j down
    for j in range(L - 1, -1, -1):
        left[j] = left[j + 1] or offsets[j] < sizes[j]
    first = None
    going: list[list[tuple[float, int]]] = []     # per line, its options when the cell goes on
    for n in range(1, reach + 1):
        if n not in heights:
            continue
        # what the column does over its n lines depends only on where it starts on them
        key = ("column", c, left[n], offsets[:n])
        combos = cache.get(key)
        if combos is None:
            if first is None:
                first = opening_score(lines[0], offsets[0], c, role, bigrams, opens, context)
            while len(going) < n - 1:
                going.append(line_options(lines, sizes, offsets, c, len(going), width, bigrams,
                                          True, only_end))
            options = going[:n - 1]
            options.append(line_options(lines, sizes, offsets, c, n - 1, width, bigrams, False,
                                        only_end))
            combos, done = [], set()
            below = left[n]
            for score, ends in end_choices(options, limit):
                whole = [e == size for e, size in zip(ends, sizes)]
                # already a top run: nothing taken whole (tokens left below), or no line
                # taken whole above one that is not
                if (True not in whole) if below else \
                        (True not in whole or False not in whole[whole.index(True):]):
                    fixed_all = [(score, ends)]
                else:
                    fixed_all = _top_runs(score, ends, options, sizes, below)
                for total, fixed in fixed_all:
                    fixed_t = tuple(fixed)
                    if fixed_t not in done:
                        done.add(fixed_t)
                        combos.append((first + total, n, fixed,
                                       sum([rests[j][e] for j, e in enumerate(fixed)])))
            cache[key] = combos
        out.extend(combos)
    return out


def _top_runs(score: float, ends: list[int], options, sizes, below: bool):
    """A choice of ends made to leave a top run of lines with tokens for the columns after
    (see _completable): a line the column takes whole is followed by lines it takes whole.
    Tokens left under the column (`below`): every line keeps some; else either the lines
    from the first one taken whole on are taken whole, or those up to the last one not."""
    n = len(ends)
    whole = [ends[j] == sizes[j] for j in range(n)]
    if below:
        targets = [[False] * n]
    elif all(whole[j] <= whole[j + 1] for j in range(n - 1)):
        return [(score, ends)]
    else:
        first_whole = whole.index(True)
        last_part = n - 1 - whole[::-1].index(False)
        targets = [[j >= first_whole for j in range(n)], [j > last_part for j in range(n)]]
    out = []
    for target in targets:
        total, fixed = score, list(ends)
        for j in range(n):
            if whole[j] == target[j]:
                continue
            want = target[j]
            pick = next(((s, e) for s, e in options[j] if (e == sizes[j]) == want), None)
            if pick is None:
                break
            end = ends[j]
            total += pick[0] - next(s for s, e in options[j] if e == end)
            fixed[j] = pick[1]
        else:
            out.append((total, fixed))
    return out



def end_choices(options: list[list[tuple[float, int]]], limit: int) -> list[tuple[float, list[int]]]:
    """The best choices of one end per line, and the best with each end of the last line:
    where a cell's last line ends is the choice its own lines say least about (the next
    column's wrap and word pairs tell)."""
    best = _best_combinations(options, limit)
    if len(options[-1]) > 1:
        head = (sum(o[0][0] for o in options[:-1]), [o[0][1] for o in options[:-1]])
        seen = {tuple(ends) for _, ends in best}
        for cost, e in options[-1]:
            ends = head[1] + [e]
            if tuple(ends) not in seen:
                seen.add(tuple(ends))
                best.append((head[0] + cost, ends))
    return best


def _best_combinations(options: list[list[tuple[float, int]]], limit: int):
    """The `limit` best choices of one end per line (each list best first), best first: the
    lists merged one by one, keeping the `limit` best partial choices (for sums of scores the
    best full choices start with best partial ones)."""
    partial: list[tuple[float, list[int]]] = [(0.0, [])]
    for opts in options:
        if len(partial) * len(opts) > limit:
            # ranked before the lists of ends are built: only the `limit` kept get one (the
            # same order as ranking the built choices, the sort being stable)
            ranked = [(s + cost, ends, e) for s, ends in partial for cost, e in opts]
            ranked.sort(key=_minus_score)
            partial = [(s, ends + [e]) for s, ends, e in ranked[:limit]]
        else:
            partial = [(s + cost, ends + [e]) for s, ends in partial for cost, e in opts]
    partial.sort(key=_minus_score)
    return partial


def line_options(lines: list[Line], sizes, offsets, c: int, j: int, width: float | None,
                 bigrams: Bigrams, going: bool, only_end: bool,
                 nxt_j: int | None = None) -> list[tuple[float, int]]:
    """_line_options, memoised on the line: its result depends only on the line (its word
    scores), where the column starts on it, the column's width, and (when the cell goes on)
    the next line and where the column starts there. The lists returned are shared: read
    only."""
    line = lines[j]
    if going:
        nxt = lines[j + 1 if nxt_j is None else nxt_j]
        key = (c, offsets[j], sizes[j], width, only_end, offsets[j + 1 if nxt_j is None else nxt_j],
               id(nxt))
    else:
        nxt = None
        key = (c, offsets[j], sizes[j], width, only_end, -1, 0)
    hit = line.memo.get(key)
    if hit is not None and hit[0] is nxt and hit[1] is bigrams:
        return hit[2]
    value = _line_options(lines, sizes, offsets, c, j, width, bigrams, going, only_end, nxt_j)
    # the next line and the word pairs are kept with the value and checked on every hit (an
    # id in the key may be reused once its object is gone)
    line.memo[key] = (nxt, bigrams, value)
    return value


def opening_score(line: Line, start: int, c: int, role: str, bigrams: Bigrams, opens: bool,
             context: dict[int, str] | None) -> float:
    """How the column's first fragment opens: a cell starts (capital, unit or deadline word),
    or, in a row's remainder on a new page, it reads on from the column's last word."""
    base = line.base
    key = base.keys[start]
    if opens:
        score = 0.8 if base.cell_start[start] else -1.2
        if role in ("lead", "coordinating") and key in AGENCY_STARTS:
            score += 0.5
        elif role == "deadline" and key in DEADLINE_STARTS:
            score += 0.5
        return score
    prev = (context or {}).get(c)
    return _pair(bigrams, prev, base, start) if prev else 0.0


def _pair(bigrams: Bigrams, prev_key: str, base: LineBase, i: int) -> float:
    """A cell's text reading on from `prev_key` to token i of the next line."""
    strength = bigrams.strength(prev_key, base.keys[i])
    score = CONTINUITY * strength
    token = base.tokens[i]
    if (not strength and base.cell_start[i] and prev_key[-1:].isalnum() and not is_bullet(token)
            and not token[:1].isdigit()):
        score -= 0.5          # a capitalised word that never follows the last one (a number may)
    return score


def _line_options(lines: list[Line], sizes, offsets, c: int, j: int, width: float | None,
                  bigrams: Bigrams, going: bool, only_end: bool,
                  nxt_j: int | None = None) -> list[tuple[float, int]]:
    """(score, end) of the column's fragment on line j, best first: `going`, the cell goes on
    on line `nxt_j` (default j + 1: so the fragment fills the column and reads on into that
    line; a centred cell's next line may be further down, parsers.text.layout_ctrcolumn)."""
    # (the hot loop of both row decoders: everything that does not depend on the end is
    # computed once, and every score is summed in the order fragment_score sums it, so that
    # the floats are the same)
    line = lines[j]
    base = line.base
    start, size = offsets[j], sizes[j]
    em = line.em[c]
    chars, join, brk, space = base.chars_to, base.join, base.brk, base.space
    keys, para_end = base.keys, line.para_end
    em_start, chars_start = em[start], chars[start]
    if going:
        nxt_j = j + 1 if nxt_j is None else nxt_j
        first, nkey, wraps, capital, nvis, cap, penal = _next_start(lines[nxt_j], offsets[nxt_j])
        strengths = bigrams.cache
    else:
        wraps = capital = False
    if width:
        high, low, reach = width * (1 + TOL), width * (1 - TOL), width * (1 + TOL) + 12
        wide = 0.8 * width
        vis = line.vis
    scored = []
    joined = 0.0
    lo = start + 1
    if only_end:
        # only the whole line: the joins before its end summed as the loop would
        for e in range(start + 2, size + 1):
            joined += join[e - 1]
        lo = size
    for e in range(lo, size + 1):
        if e > start + 1 and not only_end:
            joined += join[e - 1]
        length = chars[e] - chars_start - space
        score = em[e] - em_start + joined
        if e < size:
            score += brk[e]          # the next column's fragment starts here
        if width:
            over = length - high
            if over > 0:
                score -= OVER * over
            # a line may end short where the cell's paragraph ends (before a capital)
            if wraps and not (para_end[e - 1] and capital):
                short = low - (length + space + nvis)
                if short > 0:
                    # a short line before a capital may end a paragraph of the cell
                    score -= UNDER * min(short, cap)
        if going:
            prev_key = keys[e - 1]
            strength = strengths.get((prev_key, nkey))
            if strength is None:
                strength = bigrams.strength(prev_key, nkey)
            pair = CONTINUITY * strength
            if not strength and penal and prev_key[-1:].isalnum():
                pair -= 0.5
            score += pair
            if width and vis[e - 1] >= wide and broken_word(base.tokens[e - 1], first, width):
                score += _BROKEN
        scored.append((score, e))
        if width and length > reach:
            break                               # longer fragments only get worse
    return _kept(scored, going, size)


def _next_start(nxt: Line, nxt_start: int) -> tuple:
    """How the line a cell goes on to starts, at `nxt_start`: (its first token, that token's
    key, whether the line above wraps into it (no bullet, bracket or quote first), whether it
    opens with a capital, the token's printed width, how short the line above may be counted,
    whether _pair's penalty for a capitalised word that never follows the last one applies,
    but for the end's own word)."""
    nbase = nxt.base
    first = nbase.tokens[nxt_start]
    bullet = is_bullet(first)
    capital = nbase.cell_start[nxt_start]
    return (first, nbase.keys[nxt_start], not bullet and first[:1] not in "(\"“", capital,
            nxt.vis[nxt_start], NEW_PARAGRAPH if capital else UNDER_CAP,
            bool(capital) and not bullet and not first[:1].isdigit())


def _kept(scored: list[tuple[float, int]], going: bool, size: int) -> list[tuple[float, int]]:
    """The best (score, end) options within reach of the best one; and the best way to take
    the line whole and the best to leave some of it, whatever they cost: the lines below may
    need either (see _top_runs)."""
    scored.sort(key=_minus_score)
    keep, spread = (3, 3.0) if going else (6, 5.0)
    floor = scored[0][0] - spread
    out = [s for s in scored if s[0] >= floor][:keep]
    for whole in (True, False):
        if not any((e == size) == whole for _, e in out):
            extra = next(((sc, e) for sc, e in scored if (e == size) == whole), None)
            if extra is not None:
                out.append(extra)
    return out


def _minus_score(item: tuple) -> float:
    return -item[0]


def fragment_score(line: Line, c: int, start: int, end: int, width: float | None,
                   bigrams: Bigrams, nxt: Line | None = None, nxt_start: int = 0) -> float:
    """The score _line_options gives the column's fragment start..end on `line` (`nxt`: the
    line its cell goes on to, whose fragment starts at `nxt_start`), evaluated alone."""
    base = line.base
    size = base.n
    em = line.em[c]
    score = em[end] - em[start] + sum(base.join[start + 1:end])
    if end < size:
        score += base.brk[end]
    length = base.chars_to[end] - base.chars_to[start] - base.space
    going = nxt is not None
    if width:
        over = length - width * (1 + TOL)
        if over > 0:
            score -= OVER * over
        if going:
            first = nxt.base.tokens[nxt_start]
            capital = nxt.base.cell_start[nxt_start]
            if not is_bullet(first) and first[:1] not in "(\"“" \
                    and not (line.para_end[end - 1] and capital):
                short = width * (1 - TOL) - (length + base.space + nxt.vis[nxt_start])
                if short > 0:
                    score -= UNDER * min(short, NEW_PARAGRAPH if capital else UNDER_CAP)
    if going:
        score += _pair(bigrams, base.keys[end - 1], nxt.base, nxt_start)
        if broken_word(base.tokens[end - 1], nxt.base.tokens[nxt_start], width):
            score += _BROKEN
    return score


def broken_word(last: str, first: str, width: float | None) -> bool:
    """A number or an abbreviation too wide for its column, broken over two lines
    ("15/01/20" / "26", "15.000.00" / "0", "INDE" / "X"): the first part fills the column and
    neither part reads as a word."""
    if not width or visual_len(last) < 0.8 * width:
        return False
    if last[-1:].isdigit() and first[:1].isdigit():
        return True
    letters = re.sub(r"[^A-Za-zĐđ]", "", fold(last))
    return (last.isupper() and first[:1].isupper() and first.rstrip(",.;:").isupper()
            and bool(letters) and not SYLLABLE.match(letters.lower()))
