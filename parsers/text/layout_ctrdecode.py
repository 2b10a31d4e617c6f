"""Joint reading of the rows of a layout-text table whose cells are centred vertically (see
parsers.text.layout_table).

The beam of parsers.text.layout_topdecode, column by column, left to right, with the row geometry
of centred cells (parsers.text.layout_ctrcolumn): a column takes the middle lines of one of the
row's two line groups, and which lines form the smaller group (the row's `structure`) is part of
each state of the beam. Each cell is wrapped greedily at its column's printed width; a fragment
that is not its cell's last fills the column, and its cell reads on into the fragment on the
group's next line, so the reading of a column over its lines is nearly fixed by where the
columns before it stopped. What is chosen is each column's group and height and where its
fragments end, scored by the word lists, the word pairs across a cell's line breaks, how a cell
opens, widths and wrapping, with an optimistic estimate of the tokens not yet read.

A row broken by a page has its first part top-aligned on its page (read by
parsers.text.layout_topdecode) and its remainder centred on the next page, read on from what the
first part's cells ended with.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from parsers.text.layout_ctrcolumn import column_options, groups_of, remaining, structures
from parsers.text.layout_polish import polish
from parsers.text.layout_linemodel import Emissions, LineBase, is_bullet
from parsers.text.layout_rows import Block, section_row
from parsers.text.layout_topcolumn import NEW_PARAGRAPH, UNDER_CAP, OVER, TOL, UNDER, prepare
from parsers.text.layout_topdecode import add_fragments, relaxed_scores, best_finished, clamp_widths, decode_top
from parsers.text.layout_types import Bigrams, RecoveredRow, TLine, visual_len
from parsers.text.layout_vocab import word_key

_BEAM = 12          # states kept after each column
_PER_KEY = 2        # ... at most this many with one structure, group and height of the column
_COMBOS = 4         # readings of one column at one height
_CANDIDATES = 3     # candidate states looked at per state kept
_MIN_PAIRS = 6      # line breaks a column needs before its width is re-estimated
_SAMPLE_ROWS = 8    # the tallest rows the first width estimate is made from


@dataclass
class _State:
    score: float
    structure: int
    offsets: tuple[int, ...]
    parts: tuple


def decode_centred(bases: list[LineBase], middle: int | None, roles: list[str],
                   emissions: Emissions, widths: dict[int, float], bigrams: Bigrams,
                   opens: bool = True, context: dict[int, str] | None = None,
                   quick: bool = False) -> list[list[tuple[int, int, int]]] | None:
    """Per column, its fragments (line, i0, i1) over the lines of one centred row: every line
    of the row (the TT line without its number, at `middle`; None: a row's remainder on a new
    page, read on from `context`, per column the last word it had)."""
    beam_size, per_key, combos = (_BEAM // 2, 1, _COMBOS // 2) if quick else (_BEAM, _PER_KEY, _COMBOS)
    lines = [prepare(b, roles, emissions) for b in bases]
    L, k = len(lines), len(roles)
    if not L or not k:
        return None
    sizes = tuple(ln.base.n for ln in lines)
    shapes = [groups_of(s) for s in structures(L, middle)]
    beam = [_State(0.0, si, (0,) * L, ()) for si, groups in enumerate(shapes)
            if all(remaining(g, (0,) * L, sizes) >= 0 for g in groups)]
    cache: dict = {}
    relaxed = [relaxed_scores(line, widths, k) for line in lines]
    for c in range(k):
        rests = [relax[c + 1] for relax in relaxed]
        last = c == k - 1
        grown = []
        for bi, state in enumerate(beam):
            offsets = state.offsets
            left = sum(rests[j][offsets[j]] for j in range(L))
            options = column_options(lines, sizes, offsets, c, roles[c], shapes[state.structure],
                                     widths, bigrams, opens, context, last, cache, combos, rests)
            # the estimate of the lines a height takes, once per height (its readings share
            # their `taken`)
            subs: dict[tuple[int, ...], float] = {}
            for gain, taken, ends, rest in options:
                score = state.score + gain
                sub = subs.get(taken)
                if sub is None:
                    sub = subs[taken] = sum([rests[j][offsets[j]] for j in taken])
                estimate = left - sub + rest
                grown.append((score + estimate, bi, taken, ends, score))
        grown.sort(key=_minus_first)
        # the best state of every (structure, group, height) of this column is kept, then the
        # best others, a few per key: the estimate of what is left is optimistic
        picked: list[tuple[int, _State]] = []
        seen: set = set()
        per: dict[tuple, int] = {}
        for rank, (_, bi, taken, ends, score) in enumerate(grown):
            state = beam[bi]
            key = (state.structure, taken)
            if per.get(key, 0) >= per_key or (len(picked) >= beam_size and key in per):
                continue
            offsets = list(state.offsets)
            for j, e in zip(taken, ends):
                offsets[j] = e
            offsets_t = tuple(offsets)
            if (state.structure, offsets_t) in seen:
                continue
            counts = [remaining(g, offsets_t, sizes) for g in shapes[state.structure]]
            if min(counts) < 0 or sum(1 for r in counts if r) > k - 1 - c:
                continue      # the columns still to read cannot take the lines left
            seen.add((state.structure, offsets_t))
            per[key] = per.get(key, 0) + 1
            parts = tuple((j, state.offsets[j], e) for j, e in zip(taken, ends))
            picked.append((rank, _State(score, state.structure, offsets_t, state.parts + (parts,))))
            if len(picked) >= _CANDIDATES * beam_size:
                break
        beam = [state for _, state in picked]
        if not beam:
            return None
    best = best_finished(beam, sizes)
    if best is None:
        return None
    parts = [list(p) for p in best.parts]
    return polish(lines, parts, roles, widths, bigrams, opens, context)


def _minus_first(item: tuple) -> float:
    return -item[0]


def symmetric(block: Block) -> bool:
    return block.center is not None and block.center - block.start == block.end - 1 - block.center


def decode_table(lines: list[TLine], blocks: list[Block], bases: list[LineBase], roles: list[str],
                 emissions: Emissions, bigrams: Bigrams, widths: dict[int, float],
                 text_cols: list[int], memo: dict | None = None,
                 keep: frozenset = frozenset()) -> list[RecoveredRow] | None:
    """The rows of a centred table from its blocks; None when a complete row is not centred
    on its TT line (another reader must take the table). `memo` gets, per block, its reading
    (per column: (line, i0, i1) over the block's lines `use`) and `use`; the blocks in `keep`
    keep the reading `memo` has."""
    rows: list[RecoveredRow] = []
    current: RecoveredRow | None = None
    for bi, block in enumerate(blocks):
        if block.kind == "section":
            rows.append(section_row(lines, block))
            current = None
            continue
        idx = list(range(block.start, block.end))
        if block.kind == "row":
            seq_line = lines[block.center]
            current = RecoveredRow("task", [], seq=seq_line.text.split()[0], seq_line=seq_line.no)
            rows.append(current)
        elif current is None:
            if not (rows and rows[-1].kind == "task"):
                continue
            current = rows[-1]     # lines before this table's first row: the last row goes on
        if bi in keep and memo is not None and bi in memo:
            parts, use = memo[bi]
        elif block.kind == "row":
            use = idx
            if block.broken:
                # the part before the page break: top-aligned, the cells go on after it
                use = [j for j in idx if bases[j].n]
                parts = decode_top([bases[j] for j in use], roles, emissions, widths, bigrams) \
                    if use else []
            elif symmetric(block):
                parts = decode_centred([bases[j] for j in use], block.center - block.start, roles,
                                       emissions, widths, bigrams)
            else:
                return None
        else:
            context = {c: word_key(frags[-1][1].split()[-1])
                       for c, col in enumerate(text_cols) if (frags := current.cells.get(col))}
            use = [j for j in idx if bases[j].n]
            parts = decode_centred([bases[j] for j in use], None, roles, emissions, widths,
                                   bigrams, opens=False, context=context) if use else []
            if parts is None and use:
                parts = decode_top([bases[j] for j in use], roles, emissions, widths, bigrams,
                                   opens=False, context=context)
        if parts is None:                # no reading fits: keep the text, in the first column
            parts = [[(t, 0, bases[j].n) for t, j in enumerate(use) if bases[j].n]]
        if memo is not None:
            memo[bi] = (parts, use)
        current.lines.extend(lines[j].no for j in idx)
        add_fragments(current, parts, use, lines, bases, widths, text_cols)
    return rows


def _cells(blocks: list[Block], bases: list[LineBase], memo: dict) -> list:
    """Per row read: per column, its fragments as (line base, i0, i1)."""
    return [[[(bases[use[t]], i0, i1) for t, i0, i1 in col] for col in parts]
            for bi, (parts, use) in memo.items() if blocks[bi].kind == "row"]


def _learn_pair(tables, memos, roles: list[str]) -> tuple[dict, list[frozenset]]:
    """Which words this document puts in the lead and which in the coordinating column,
    counted on the lines read with both side by side (their order tells them apart), and per
    table the blocks read so (settled: their reading stays)."""
    if "lead" not in roles or "coordinating" not in roles:
        return {}, [frozenset() for _ in tables]
    a, b = roles.index("lead"), roles.index("coordinating")
    counts: dict[str, list[int]] = {}
    settled = []
    for (lines, blocks, bases), memo in zip(tables, memos):
        done = set()
        for bi, (parts, use) in memo.items():
            if len(parts) <= max(a, b):
                continue
            shared = {t for t, _, _ in parts[a]} & {t for t, _, _ in parts[b]}
            if not shared:
                continue
            done.add(bi)
            for side, col in ((0, a), (1, b)):
                for t, i0, i1 in parts[col]:
                    if t in shared:
                        for key in bases[use[t]].keys[i0:i1]:
                            if key and key not in ("-", "–"):
                                counts.setdefault(key, [0, 0])[side] += 1
        settled.append(frozenset(done))
    if sum(x + y for x, y in counts.values()) < 6:
        return {}, settled
    lead, coord = {}, {}
    for key, (x, y) in counts.items():
        value = 0.5 * max(-2.0, min(2.0, math.log((x + 0.5) / (y + 0.5)))) * min(1.0, (x + y) / 3.0)
        lead[key], coord[key] = value, -value
    return {"lead": lead, "coordinating": coord}, settled


def cell_widths(cells: list, k: int, widths: dict[int, float]) -> dict[int, float]:
    """Column widths that read the cells as read best: each width maximises the width terms
    of the reading's score (a line running over its column, a wrapped line falling short of
    filling it; parsers.text.layout_topcolumn.fragment_score), so that reading and widths agree."""
    out = dict(widths)
    for c in range(k):
        over, under = [], []      # lengths; (room taken with the next word, penalty cap)
        for row in cells:
            if c >= len(row):
                continue
            frags = row[c]
            for (base, i0, i1), nxt in zip(frags, frags[1:] + [None]):
                length = base.chars(i0, i1)
                over.append(length)
                if nxt is None:
                    continue
                nbase, n0, _ = nxt
                first = nbase.tokens[n0]
                capital = nbase.cell_start[n0]
                if is_bullet(first) or first[:1] in "(\"“" or \
                        (base.tokens[i1 - 1].endswith((".", ";", ":")) and capital):
                    continue
                under.append((length + base.space + visual_len(first),
                              NEW_PARAGRAPH if capital else UNDER_CAP))
        if len(under) < _MIN_PAIRS:
            continue

        def cost(w: float) -> float:
            total = sum(OVER * (x - w * (1 + TOL)) for x in over if x > w * (1 + TOL))
            for room, cap in under:
                short = w * (1 - TOL) - room
                if short > 0:
                    total += UNDER * min(short, cap)
            return total

        grid = sorted({x / (1 + TOL) for x in over} | {room / (1 - TOL) for room, _ in under})
        best = min(grid, key=lambda w: (cost(w), w))
        out[c] = float(best)
    return out


def _sample(tables, size: int = 8, tallest: int = 9):
    out = []
    for lines, blocks, bases in tables:
        for block in blocks:
            if block.kind == "row" and not block.broken and symmetric(block) \
                    and 3 <= block.end - block.start <= tallest:
                out.append((block.end - block.start, block.center - block.start,
                            bases[block.start:block.end]))
    out.sort(key=lambda s: (-s[0], -sum(b.n for b in s[2])))
    return out[:size]


def read_tables(tables, roles, emissions, bigrams, widths, fits, text_cols):
    """Rows of centred tables (per table: lines, blocks, bases), or None when a table has a
    row this reader cannot take."""
    k = len(roles)
    widths = clamp_widths(widths, fits)
    # widths: twice from the quick reading of the tallest rows, then once from every row
    sample = _sample(tables, _SAMPLE_ROWS)
    for _ in range(2):
        cells = []
        for _, middle, group in sample:
            parts = decode_centred(group, middle, roles, emissions, widths, bigrams, quick=True)
            if parts:
                cells.append([[(group[t], i0, i1) for t, i0, i1 in col] for col in parts])
        widths = clamp_widths(cell_widths(cells, k, widths), fits)
    # then once from every row's full reading
    memos = [{} for _ in tables]
    for (lines, blocks, bases), memo in zip(tables, memos):
        if decode_table(lines, blocks, bases, roles, emissions, bigrams, widths, text_cols,
                        memo) is None:
            return None
    cells = [c for (lines, blocks, bases), memo in zip(tables, memos)
             for c in _cells(blocks, bases, memo)]
    widths = clamp_widths(cell_widths(cells, k, widths), fits)
    memos = [{} for _ in tables]
    results = [decode_table(lines, blocks, bases, roles, emissions, bigrams, widths, text_cols, memo)
               for (lines, blocks, bases), memo in zip(tables, memos)]
    if any(r is None for r in results):
        return None
    learnt, settled = _learn_pair(tables, memos, roles)
    if learnt:
        emissions = Emissions(learnt)
        results = [decode_table(lines, blocks, bases, roles, emissions, bigrams, widths,
                                text_cols, memo, keep)
                   for (lines, blocks, bases), memo, keep in zip(tables, memos, settled)]
    return results
