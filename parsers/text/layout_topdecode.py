"""Joint reading of the rows of a top-aligned layout-text table (see parsers.text.layout_table).

When a table's cells are top-aligned, every cell starts on its row's first line and column c
holds lines 0 … n_c-1 of the row, so a line holds the first few of those columns. Each cell is
wrapped greedily at its column's width, and printed widths (parsers.text.layout_types.visual_len)
are known well enough to use that: a fragment that is not its cell's last fills the column so
that the cell's next word, the first word of its fragment on the next line, would not have
fitted. Read column by column, left to right, a column's fragment on each line is a prefix of
what the columns before it left over, nearly fixed by the width; what remains to choose is
each column's height and where its last fragment ends. A beam over the columns scores those
choices by the word lists, word pairs across a cell's line breaks, how a cell opens, widths
and wrapping, with an optimistic estimate of the tokens not yet read so that states that have
read different amounts compare fairly.
"""
from __future__ import annotations

from dataclasses import dataclass

from parsers.text.layout_linemodel import Emissions, LineBase
from parsers.text.layout_rows import Block, section_row
from parsers.text.layout_topcolumn import OVER, TOL, Line, broken_word, column_options, prepare
from parsers.text.layout_types import Bigrams, RecoveredRow, TLine
from parsers.text.layout_vocab import AGENCY_STARTS, word_key

_BEAM = 10             # states kept after each column
_PER_HEIGHT = 3        # ... at most this many of one height of the column
_COMBOS = 4            # readings of one column at one height
_SPLIT = 2.0           # how much better a row must read as two (a cell merged over both)


@dataclass
class _State:
    score: float                   # of the columns read so far
    offsets: tuple[int, ...]       # per line: tokens taken by the columns read so far
    parts: tuple                   # per column read: ((line, i0, i1), ...)


def decode_top(bases: list[LineBase], roles: list[str], emissions: Emissions,
               widths: dict[int, float], bigrams: Bigrams, opens: bool = True,
               context: dict[int, str] | None = None, quick: bool = False,
               merged: bool = False) -> list[list[tuple[int, int, int]]] | None:
    """Per column, its fragments (line, i0, i1) over the lines of one row (its first line
    without the TT number; a row broken by a page: both parts). `opens`: the first line is the
    row's first (cells open there); `context`: else, per column, the last word it had;
    `quick`: a narrower search; `merged`: the first column's cell is merged with the row
    above (it has no lines here)."""
    scored = decode_top_scored(bases, roles, emissions, widths, bigrams, opens, context, quick, merged)
    return scored[0] if scored is not None else None


def best_finished(beam: list, sizes: tuple[int, ...]):
    """The best state of a beam that has read every token of every line, or None."""
    done = [s for s in beam if s.offsets == sizes]
    return max(done, key=lambda s: s.score) if done else None


def decode_top_scored(bases: list[LineBase], roles: list[str], emissions: Emissions,
                      widths: dict[int, float], bigrams: Bigrams, opens: bool = True,
                      context: dict[int, str] | None = None, quick: bool = False,
                      merged: bool = False) -> tuple[list[list[tuple[int, int, int]]], float] | None:
    """decode_top's reading and its score."""
    beam_size, per_height_size, combos = (_BEAM // 3, _PER_HEIGHT // 2, _COMBOS // 2) if quick \
        else (_BEAM, _PER_HEIGHT, _COMBOS)
    lines = [prepare(b, roles, emissions) for b in bases]
    L, k = len(lines), len(roles)
    if not L or not k:
        return None
    sizes = tuple(ln.base.n for ln in lines)
    beam = [_State(0.0, (0,) * L, ())]
    cache: dict = {}
    relaxed = [relaxed_scores(line, widths, k) for line in lines]
    for c in range(k):
        grown: list[tuple[float, int, int, list[int], float]] = []
        rests = [relax[c + 1] for relax in relaxed]
        for si, state in enumerate(beam):
            offsets = state.offsets
            suffix = [0.0] * (L + 1)         # estimate of what is left, from each height down
            for j in range(L - 1, -1, -1):
                suffix[j] = suffix[j + 1] + rests[j][offsets[j]]
            options = [(0.0, 0, [], 0.0)] if merged and c == 0 else \
                column_options(lines, sizes, offsets, c, roles, widths, bigrams, opens, context, k,
                               cache, combos, rests)
            for gain, n, ends, rest in options:
                score = state.score + gain
                grown.append((score + suffix[n] + rest, si, n, ends, score))
        grown.sort(key=lambda item: -item[0])
        # the estimate of what is left is optimistic (leaving a tall cell's lines to the
        # columns after it looks cheap until they are read): the best state of every height
        # of this column is kept, then the best others, a few per height
        picked: dict[int, tuple[int, _State]] = {}
        seen: set[tuple[int, ...]] = set()
        per_height: dict[int, int] = {}
        reserved: set[int] = set()
        for rank, (_, si, n, ends, score) in enumerate(grown):
            if len(picked) >= beam_size and n in reserved:
                continue
            if per_height.get(n, 0) >= per_height_size:
                continue
            state = beam[si]
            offsets = tuple(ends) + state.offsets[n:]
            if offsets in seen or not _completable(offsets, sizes):
                continue     # same tokens left: only the better way to that point matters
            seen.add(offsets)
            per_height[n] = per_height.get(n, 0) + 1
            reserved.add(n)
            parts = tuple((j, state.offsets[j], ends[j]) for j in range(n))
            picked[rank] = (n, _State(score, offsets, state.parts + (parts,)))
            if len(picked) >= beam_size + L + 1:
                break
        beam = [state for _, (_, state) in sorted(picked.items())]
        if not beam:
            return None
    best = best_finished(beam, sizes)
    return ([list(p) for p in best.parts], best.score) if best is not None else None


def relaxed_scores(line: Line, widths: dict[int, float], k: int) -> list[list[float]]:
    """_relaxed_scores, memoised on the line per widths of the columns after the first (the
    rows returned are shared: read only). The decoders read rows 1 … k only (what the columns
    after the current one leave), which do not depend on the first column's width: the trial
    widths of the first column (first_width) all share one."""
    key = (k,) + tuple(widths.get(d) for d in range(1, k))
    value = line.relaxed.get(key)
    if value is None:
        value = line.relaxed[key] = _relaxed_scores(line, widths, k)
    return value


def _relaxed_scores(line: Line, widths: dict[int, float], k: int) -> list[list[float]]:
    """Per column c and start token, the best score of the line's tokens from there on read
    by the columns after c alone, as if the line stood by itself (no wrapping, no heights):
    the words, the cuts and the widths. What a state leaves to the columns still to read
    costs at least about that much: leaving a tall cell's lines to narrow columns does not
    look cheap. Row 0 (every column) is never read: left unscored."""
    base = line.base
    n, chars, join, brk, space = base.n, base.chars_to, base.join, base.brk, base.space
    neg = -1e9
    # f[d][i]: tokens i.. read by columns d.. (k: none left)
    f = [[neg] * (n + 1) for _ in range(k + 1)]
    f[k][n] = 0.0
    joins = [0.0] * (n + 1)            # joins[i]: join costs inside tokens 0..i-1
    for i in range(1, n):
        joins[i + 1] = joins[i] + join[i]
    for d in range(k - 1, 0, -1):
        em = line.em[d]
        width = widths.get(d)
        limit = width * (1 + TOL) if width else None
        row, after = f[d], f[d + 1]
        row[n] = 0.0
        for i in range(n - 1, -1, -1):
            best = after[i]
            for e in range(i + 1, n + 1):
                if after[e] <= neg / 2:
                    continue
                value = em[e] - em[i] + joins[e] - joins[i + 1] + after[e]
                if e < n:
                    value += brk[e]
                if limit is not None:
                    over = chars[e] - chars[i] - space - limit
                    if over > 0:
                        value -= OVER * over
                        if over > 12:
                            if value > best:
                                best = value
                            break
                if value > best:
                    best = value
            row[i] = best
    return f


def _completable(offsets: tuple[int, ...], sizes: tuple[int, ...]) -> bool:
    """The columns still to read each take a top run of lines: the lines with tokens left
    must be a top run too."""
    left = True
    for o, n in zip(offsets, sizes):
        if o < n:
            if not left:
                return False
        else:
            left = False
    return True


def decode_table(lines: list[TLine], blocks: list[Block], bases: list[LineBase], roles: list[str],
                 emissions: Emissions, bigrams: Bigrams, widths: dict[int, float],
                 text_cols: list[int], quick: bool = False) -> list[RecoveredRow]:
    """The rows of a top-aligned table from its blocks (a row broken by a page is read with
    the part on the next page: the cells that go on start that part's lines)."""
    groups: list[list[Block]] = []
    for block in blocks:
        if block.kind == "cont" and groups and groups[-1][0].kind == "row":
            groups[-1].append(block)
        else:
            groups.append([block])
    rows: list[RecoveredRow] = []
    for group in groups:
        first = group[0]
        if first.kind == "section":
            rows.append(section_row(lines, first))
            continue
        idx = [j for b in group for j in range(b.start, b.end)]
        context = None
        if first.kind == "row":
            seq_line = lines[first.center]
            current = RecoveredRow("task", [], seq=seq_line.text.split()[0], seq_line=seq_line.no)
            rows.append(current)
        elif rows and rows[-1].kind == "task":
            current = rows[-1]          # lines before this table's first row: the last row goes on
            context = {c: word_key(frags[-1][1].split()[-1])
                       for c, col in enumerate(text_cols) if (frags := current.cells.get(col))}
        else:
            continue
        use = [j for j in idx if bases[j].n]
        scored = decode_top_scored([bases[j] for j in use], roles, emissions, widths, bigrams,
                                   opens=first.kind == "row", context=context, quick=quick) if use else ([], 0.0)
        if scored is None:               # no reading fits: keep the text, in the first column
            scored = ([[(t, 0, bases[j].n) for t, j in enumerate(use)]], 0.0)
        parts, whole = scored
        below: list[tuple[list[int], list]] = []
        if first.kind == "row" and parts and len(use) >= 3:
            at, lower = _merged_below([bases[j] for j in use], roles, emissions, widths, bigrams,
                                      whole)
            if at:
                parts = decode_top([bases[j] for j in use[:at]], roles, emissions, widths, bigrams)
                below = [(use[at:], lower)]
                use = use[:at]
        current.lines.extend(lines[j].no for j in idx if not below or j < below[0][0][0])
        add_fragments(current, parts, use, lines, bases, widths, text_cols)
        for sub_use, sub_parts in below:
            # the lower part of a row whose first cell is merged over two rows: a row of its
            # own without a TT number (parsers.structure repeats the merged text)
            sub = RecoveredRow("task", [lines[j].no for j in idx if j >= sub_use[0]], seq="",
                               seq_line=lines[sub_use[0]].no)
            rows.append(sub)
            add_fragments(sub, sub_parts, sub_use, lines, bases, widths, text_cols)
    return rows


def _merged_below(group: list[LineBase], roles: list[str], emissions: Emissions,
                  widths: dict[int, float], bigrams: Bigrams, whole: float) -> tuple[int, list]:
    """Where a row's first cell, merged over two rows, ends the first of them: from a line
    opening with a unit's name on, the other cells start again. Kept when the two rows read
    better than one."""
    tried = 0
    for at in range(len(group) - 1, 1, -1):
        token = group[at].tokens[0]
        if not (group[at].cell_start[0] and token[:1].isupper() and group[at].keys[0] in AGENCY_STARTS):
            continue
        tried += 1
        upper = decode_top_scored(group[:at], roles, emissions, widths, bigrams, quick=True)
        if upper is not None:
            lower = decode_top_scored(group[at:], roles, emissions, widths, bigrams, merged=True)
            if lower is not None and upper[1] + lower[1] > whole + _SPLIT:
                return at, lower[0]
        if tried == 2:
            break
    return 0, []


def add_fragments(row: RecoveredRow, parts, use: list[int], lines: list[TLine],
                   bases: list[LineBase], widths: dict[int, float], text_cols: list[int]) -> None:
    """The fragments read (per column: line, i0, i1 over the lines `use`) into the row's cells;
    a number broken by its column is joined back."""
    for c, fragments in enumerate(parts):
        cell = row.cells.setdefault(text_cols[c], [])
        for t, i0, i1 in fragments:
            j = use[t]
            toks = bases[j].tokens[i0:i1]
            if cell and broken_word(cell[-1][1].split()[-1], toks[0], widths.get(c)):
                cell[-1] = (cell[-1][0], cell[-1][1] + toks[0])
                toks = toks[1:]
            if toks:
                cell.append((lines[j].no, " ".join(toks)))


def clamp_widths(widths: dict[int, float], fits: list[tuple[float, float | None] | None]) -> dict[int, float]:
    """Widths kept within what the header labels show (a label printed on one line fits its
    column; one that wraps does not fit on one line)."""
    out = dict(widths)
    for c, fit in enumerate(fits):
        if not fit:
            continue
        low, high = fit
        width = out.get(c)
        if width is None or width < low:
            width = low if low else width
        if width is not None and high is not None and width > high and high >= low:
            width = high
        if width:
            out[c] = width
    return out


_TRIALS = (0.62, 0.78, 0.94)
_SAMPLE = 4
_SAMPLE_LINES = 6


def first_width(tables: list[tuple[list[TLine], list[Block], list[LineBase]]], roles: list[str],
                emissions: Emissions, bigrams: Bigrams, widths: dict[int, float],
                low: float = 0.0) -> float | None:
    """The first column's width that reads the tallest rows best. Read line by line without
    widths, the first column takes in its neighbours' first words and looks far wider than it
    is; the other columns' widths are less off. Each trial width is scored by how well the
    rows read with it (too narrow: fragments run over it; too wide: wrapped lines fall short),
    on a coarse grid, then around the best."""
    start = widths.get(0)
    if not start:
        return None
    groups = []
    for lines, blocks, bases in tables:
        rows = [b for b in blocks if b.kind == "row"]
        for block in rows:
            # a row's first lines read as a row of their own (the cells going on below just
            # end there): the tallest rows, cut short, say most for the least reading
            group = [bases[j] for j in range(block.start, block.end) if bases[j].n][:_SAMPLE_LINES]
            if len(group) >= 2:
                groups.append(group)
    groups.sort(key=lambda g: (-len(g), -sum(b.n for b in g)))
    sample = groups[:_SAMPLE]
    if not sample:
        return None

    def score(width: float) -> float:
        trial = dict(widths)
        trial[0] = width
        total = 0.0
        for group in sample:
            scored = decode_top_scored(group, roles, emissions, trial, bigrams, quick=True)
            total += -50.0 if scored is None else scored[1]
        return total

    tried = {}
    for factor in _TRIALS:
        width = round(max(low, start * factor), 1)
        if width not in tried:
            tried[width] = score(width)
    best = max(tried, key=lambda w: (tried[w], -w))
    for factor in (0.94, 1.06):
        width = round(max(low, best * factor), 1)
        if width not in tried:
            tried[width] = score(width)
    return max(tried, key=lambda w: (tried[w], -w))
