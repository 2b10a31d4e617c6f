"""Row geometry of layout-text tables: which columns each line of a row block holds (fitting;
see parsers.text.layout_table, step 4; the split of a line into them: parsers.text.layout_split)."""
from __future__ import annotations

from dataclasses import dataclass

from parsers.text.layout_linemodel import LineModel
from parsers.text.layout_rows import Block
from parsers.text.layout_types import Bigrams


# --------------------------------------------------------------------------------------------
# Geometry: which columns a line of a block holds


def _positions(o: int, e: int) -> list[int]:
    """Sorted half-line positions of a centred block whose tallest odd / even cells have o / e lines."""
    pos = set()
    if o:
        pos.update(range(-(o - 1), o, 2))
    if e:
        pos.update(range(-(e - 1), e, 2))
    return sorted(pos)


def _present(n: int, p: int) -> bool:
    return n > 0 and abs(p) <= n - 1 and (abs(p) - (n - 1)) % 2 == 0


SLACK = 8          # longest word that may not fit at the end of a wrapped line, in characters
_DEFAULT_WIDTH = 16.0


@dataclass
class LineFacts:
    length: float             # characters (printed width in top-aligned tables)
    tokens: int
    upper_start: bool         # first token capitalised / a bullet / a digit
    word_start: bool = False  # first token a capitalised ordinary word (not an acronym / number)
    bullet_start: bool = False  # first token a bullet
    para_end: bool = False    # last token ends a sentence / list item


def fit_block(block: Block, margins: list[list[float]], k: int, facts: list[LineFacts],
              widths: dict[int, float], models: list[LineModel | None] | None = None,
              roles: list[str] | None = None,
              restart: tuple[int, tuple[int, ...]] | None = None) -> list[list[bool]] | None:
    """For each line of the block, which of the k columns it holds (None: no fit).

    A cell of n lines takes the positions the geometry gives it. The heights are chosen to
    maximise: each line's best score with exactly the columns it then holds (`models`), a line
    that is not the cell's last being nearly as long as the column is wide (greedy wrapping),
    the columns on a line being wide enough for it, the first line of the first column starting
    with a capital, and cells being filled. Search: from the best height of each column taken
    alone (first-pass margins), moves of one column or of the lead / coordinating pair."""
    L = block.end - block.start
    if L == 0:
        return None
    fit = _BlockFit(block, margins, k, facts, widths, models, roles or ["other"] * k)
    hypotheses = _hypotheses(block, L)
    best_total, best_presence, best_state = None, None, None
    for _, h, present_of, ranked, ns in fit.starts(hypotheses, restart)[:3]:
        climb = fit.climb(present_of, ranked, ns)
        total = sum(fit.separable(c, present_of[ns[c]]) for c in range(k)) + sum(climb.cur)
        if best_total is None or total > best_total:
            best_total = total
            best_presence = [[bool(climb.masks[j] >> c & 1) for c in range(k)] for j in range(L)]
            best_state = (h, tuple(ns))
    if best_state is not None and len(fit.pair) == 2 and models:
        swapped = fit.swapped_pair(best_state, hypotheses[best_state[0]][1])
        if swapped is not None:
            best_state = (best_state[0], tuple(swapped))
            masks = _masks(swapped, hypotheses[best_state[0]][1], k, L)
            best_presence = [[bool(masks[j] >> c & 1) for c in range(k)] for j in range(L)]
    block.state = best_state
    return best_presence


def _hypotheses(block: Block, L: int) -> list[tuple[list[int], dict[int, tuple[int, ...]], tuple[int, ...]]]:
    """The geometries of the block: (the heights a cell may have, the lines a cell of each
    height holds, the heights of the tallest cells). A top-aligned block has one; a centred
    block one per split of its lines into odd- and even-height cells."""
    if block.model == "top":
        return [(list(range(L + 1)), {n: tuple(range(n)) for n in range(L + 1)}, (L,))]
    hypotheses = []
    center = None if block.center is None else block.center - block.start
    for o in range(0, L + 1):
        e = L - o
        if (o and o % 2 == 0) or (e and e % 2 == 1):
            continue
        pos = _positions(o, e)
        if len(pos) != L or (center is not None and pos[center] != 0):
            continue
        options = [0] + list(range(1, o + 1, 2)) + list(range(2, e + 1, 2))
        present_of = {n: tuple(j for j in range(L) if _present(n, pos[j])) for n in options}
        hypotheses.append((options, present_of, tuple(x for x in (o, e) if x)))
    return hypotheses


@dataclass
class _Climb:
    """The heights `ns` a search holds, with the columns each line then holds (`masks`), the
    lines whose first-column cell goes on below (`cont`) and each line's score (`cur`)."""
    present_of: dict[int, tuple[int, ...]]
    sets: dict[int, frozenset[int]]
    ranked: list[list[int]]
    ns: list[int]
    masks: list[int]
    cont: set[int]
    cur: list[float]


class _BlockFit:
    """The scores of fit_block for one block (memoised), and its search."""

    def __init__(self, block: Block, margins: list[list[float]], k: int, facts: list[LineFacts],
                 widths: dict[int, float], models: list[LineModel | None] | None, roles: list[str]):
        self.L = block.end - block.start
        self.broken = block.broken
        self.margins, self.k, self.facts, self.widths, self.models = margins, k, facts, widths, models
        self.caps = [widths.get(c, _DEFAULT_WIDTH) * 1.08 + 2 for c in range(k)]
        self.needs = [(widths[c] - SLACK) if widths.get(c) else 0.0 for c in range(k)]
        self.fill = [0.0 if roles[c] == "other" else 1.0 for c in range(k)]
        self.need_first = self.needs[0] if k else 0.0
        self.cols_of = [tuple(c for c in range(k) if mask >> c & 1) for mask in range(1 << k)]
        self.lengths = [f.length for f in facts]
        self.pair = [c for c in range(k) if roles[c] in ("lead", "coordinating")]
        self._exact_cache: list[dict[int, float]] = [{} for _ in range(self.L)]
        self._sep_cache: dict[tuple[int, tuple[int, ...]], float] = {}
        self._initial_cache: dict[tuple[int, tuple[int, ...]], float] = {}

    # -- scores -------------------------------------------------------------------------------
    def line_score(self, j: int, mask: int, continues: bool = False) -> float:
        """Score of line j holding exactly the columns in `mask`, relative to its best;
        `continues`: the first column's cell goes on below this line."""
        cache = self._exact_cache[j]
        key = mask | (1 << self.k) if continues else mask
        value = cache.get(key)
        if value is None:
            value = cache[key] = self._line_value(j, mask, continues)
        return value

    def _line_value(self, j: int, mask: int, continues: bool) -> float:
        f = self.facts[j]
        cols = self.cols_of[mask]
        if f.tokens == 0:
            return -2.0 * len(cols)
        if not cols:
            return -8.0
        if len(cols) > f.tokens:
            return -6.0 * (len(cols) - f.tokens) - 6.0
        value = max(self._reading(j, mask, cols, continues), -25.0)
        return value - self._overflow(f, cols)

    def _reading(self, j: int, mask: int, cols: tuple[int, ...], continues: bool) -> float:
        """The line's exact reading with `cols` against its best, unless the first-pass margins
        already tell a hopeless set (then their sum: the exact reading is skipped)."""
        model = self.models[j] if self.models else None
        marg = self.margins[j] if self.margins and self.margins[j] else None
        rough = _rough(marg, mask, self.k) if marg is not None else 0.0
        if model is None:
            return 0.0
        if rough < -20.0:
            return rough
        return model.exact(cols, self.widths, self.need_first if continues else 0.0) - model.best

    def _overflow(self, f: LineFacts, cols: tuple[int, ...]) -> float:
        """Penalty of a line longer than its columns are wide."""
        cap = sum(self.caps[c] for c in cols)
        return 0.3 * (f.length - cap) if f.length > cap else 0.0

    def separable(self, c: int, present: tuple[int, ...]) -> float:
        """Score of column c's cell on the lines `present`, apart from the lines' readings."""
        key = (c, present)
        score = self._sep_cache.get(key)
        if score is not None:
            return score
        score = self.fill[c] if present else 0.0
        if self.needs[c] and len(present) > 1:
            score -= self._short_wraps(c, present)
        if c == 0 and present:
            score -= self._first_line_start(present)
            score -= self._capitals_inside(present)
        self._sep_cache[key] = score
        return score

    def _short_wraps(self, c: int, present: tuple[int, ...]) -> float:
        """A wrapped line is nearly full, unless the cell's paragraph ends there."""
        need, lengths, facts = self.needs[c], self.lengths, self.facts
        return 0.3 * sum(need - lengths[j] for t, j in enumerate(present[:-1])
                         if lengths[j] < need and not facts[j].para_end
                         and not facts[present[t + 1]].bullet_start)

    def _first_line_start(self, present: tuple[int, ...]) -> float:
        """The first column's cell opens with a capital, not a bullet."""
        first = self.facts[present[0]]
        if not first.upper_start:
            return 2.5
        return 1.5 if first.bullet_start else 0.0

    def _capitals_inside(self, present: tuple[int, ...]) -> float:
        """Capitalised ordinary words opening the first column's later lines."""
        return 0.6 * sum(1 for j in present[1:] if self.facts[j].word_start)

    def initial(self, c: int, present: tuple[int, ...]) -> float:
        """Score of column c's cell on the lines `present`, by the first-pass margins."""
        key = (c, present)
        value = self._initial_cache.get(key)
        if value is None:
            value = self._initial_cache[key] = (self.separable(c, present)
                                                + sum(self.margins[j][c] for j in present))
        return value

    def continuing(self, n0: int, present_of) -> set[int]:
        lines = present_of[n0]
        return set(lines) if self.broken else set(lines[:-1])

    def _lines_total(self, present_of, ns: list[int]) -> list[float]:
        masks = _masks(ns, present_of, self.k, self.L)
        cont = self.continuing(ns[0], present_of) if self.k else set()
        return [self.line_score(j, masks[j], j in cont) for j in range(self.L)]

    # -- search -------------------------------------------------------------------------------
    def starts(self, hypotheses, restart: tuple[int, tuple[int, ...]] | None) -> list[tuple]:
        """Start every geometry from each column's best height taken alone (first-pass
        margins); the most promising first, or only the one an earlier reading settled on:
        (estimate, geometry, present_of, the heights to try per column, the heights)."""
        k, margins = self.k, self.margins
        starts = []
        for h, (options, present_of, edges) in enumerate(hypotheses):
            if restart is not None and h != restart[0]:
                continue
            if margins and margins[0]:
                ranked = [sorted(options, key=lambda n, c=c: -self.initial(c, present_of[n]))[:5]
                          for c in range(k)]
            else:
                ranked = [list(options[:5]) for _ in range(k)]
            for r in ranked:          # the tallest cells reach the block's edges: always a candidate
                r.extend(x for x in edges if x not in r)
            ns = list(restart[1]) if restart is not None else [r[0] for r in ranked]
            for c in range(k):
                if ns[c] not in ranked[c]:
                    ranked[c].append(ns[c])
            estimate = sum(self.initial(c, present_of[ns[c]]) for c in range(k)) if margins and margins[0] else 0.0
            starts.append((estimate, h, present_of, ranked, ns))
        starts.sort(key=lambda item: -item[0])
        if len(starts) > 3:
            rescored = []
            for estimate, h, present_of, ranked, ns in starts[:6]:
                exact_total = (sum(self.separable(c, present_of[ns[c]]) for c in range(k))
                               + sum(self._lines_total(present_of, ns)))
                rescored.append((exact_total, h, present_of, ranked, ns))
            rescored.sort(key=lambda item: -item[0])
            starts = rescored
        return starts

    def climb(self, present_of, ranked: list[list[int]], ns: list[int]) -> _Climb:
        """Hill-climb from heights `ns` (changed in place) by the best move of one column, of
        the lead / coordinating pair, or of two cells trading heights."""
        k, L = self.k, self.L
        masks = _masks(ns, present_of, k, L)
        cont = self.continuing(ns[0], present_of) if k else set()
        st = _Climb(present_of, {n: frozenset(lines) for n, lines in present_of.items()}, ranked, ns,
                    masks, cont, [self.line_score(j, masks[j], j in cont) for j in range(L)])
        for _step in range(4 * k):
            best_move, best_delta = self._best_single(st, None, 1e-9)
            best_move, best_delta = self._best_pair_move(st, best_move, best_delta)
            best_move, best_delta = self._best_trade(st, best_move, best_delta)
            if best_move is None:
                break
            for c, n in best_move:
                ns[c] = n
                if n not in ranked[c]:
                    ranked[c].append(n)
            st.masks = _masks(ns, present_of, k, L)
            st.cont = self.continuing(ns[0], present_of) if k else set()
            st.cur = [self.line_score(j, st.masks[j], j in st.cont) for j in range(L)]
        return st

    def _best_single(self, st: _Climb, best_move, best_delta: float):
        for c in range(self.k):
            for n in st.ranked[c]:
                if n != st.ns[c]:
                    d = self._single(st, c, n)
                    if d > best_delta:
                        best_move, best_delta = ((c, n),), d
        return best_move, best_delta

    def _best_pair_move(self, st: _Climb, best_move, best_delta: float):
        if len(self.pair) != 2:
            return best_move, best_delta
        a, b = self.pair
        for na in st.ranked[a][:4]:
            if na == st.ns[a]:
                continue
            for nb in st.ranked[b][:4]:
                if nb != st.ns[b]:
                    d = self._double(st, a, na, b, nb)
                    if d > best_delta:
                        best_move, best_delta = ((a, na), (b, nb)), d
        return best_move, best_delta

    def _best_trade(self, st: _Climb, best_move, best_delta: float):
        """Two cells trading heights."""
        ns = st.ns
        for a in range(self.k):
            for b in range(a + 1, self.k):
                if ns[a] != ns[b] and (a, b) != tuple(self.pair):
                    d = self._double(st, a, ns[b], b, ns[a])
                    if d > best_delta:
                        best_move, best_delta = ((a, ns[b]), (b, ns[a])), d
        return best_move, best_delta

    def _single(self, st: _Climb, c: int, n: int) -> float:
        present_of, sets, masks, cur = st.present_of, st.sets, st.masks, st.cur
        bit = 1 << c
        new_set = sets[n]
        delta = self.separable(c, present_of[n]) - self.separable(c, present_of[st.ns[c]])
        if c == 0:
            new_cont = self.continuing(n, present_of)
            for j in range(self.L):
                mask = masks[j] | bit if j in new_set else masks[j] & ~bit
                delta += self.line_score(j, mask, j in new_cont) - cur[j]
            return delta
        for j in sets[st.ns[c]] ^ new_set:
            mask = masks[j] | bit if j in new_set else masks[j] & ~bit
            delta += self.line_score(j, mask, j in st.cont) - cur[j]
        return delta

    def _double(self, st: _Climb, a: int, na: int, b: int, nb: int) -> float:
        present_of, sets, ns = st.present_of, st.sets, st.ns
        delta = (self.separable(a, present_of[na]) - self.separable(a, present_of[ns[a]])
                 + self.separable(b, present_of[nb]) - self.separable(b, present_of[ns[b]]))
        bit_a, bit_b = 1 << a, 1 << b
        sa, sb = sets[na], sets[nb]
        if a == 0:                   # the content's continuation flags move too
            flags = self.continuing(na, present_of)
            affected = range(self.L)
        else:
            flags = st.cont
            affected = (sets[ns[a]] ^ sa) | (sets[ns[b]] ^ sb)
        for j in affected:
            mask = st.masks[j]
            mask = mask | bit_a if j in sa else mask & ~bit_a
            mask = mask | bit_b if j in sb else mask & ~bit_b
            delta += self.line_score(j, mask, j in flags) - st.cur[j]
        return delta

    def swapped_pair(self, state: tuple[int, tuple[int, ...]], present_of) -> list[int] | None:
        """The heights with the lead / coordinating pair's swapped, when the fragments then run
        on better from line to line; None when they do not."""
        _, ns = state
        a, b = self.pair
        if ns[a] == ns[b]:
            return None
        swapped = list(ns)
        swapped[a], swapped[b] = ns[b], ns[a]
        args = (present_of, self.k, self.L, self.models, self.widths, self.facts, self.line_score,
                self.separable, self.pair, self.broken)
        here = _with_continuity(ns, *args)
        there = _with_continuity(swapped, *args)
        return swapped if there > here + 1e-9 else None


def _rough(marg: list[float], mask: int, k: int) -> float:
    """The first-pass margins of the columns a line would wrongly hold or leave out."""
    rough = 0.0
    for c in range(k):
        inside = bool(mask >> c & 1)
        if inside and marg[c] < 0:
            rough += marg[c]
        elif not inside and marg[c] > 0:
            rough -= marg[c]
    return rough


def _masks(ns, present_of, k: int, L: int) -> list[int]:
    masks = [0] * L
    for c in range(k):
        for j in present_of[ns[c]]:
            masks[j] |= 1 << c
    return masks


def _with_continuity(ns, present_of, k, L, models, widths, facts, line_score, separable,
                     cols_of_interest, broken: bool = False) -> float:
    """Total score of heights `ns` plus how well the fragments of the given columns run on
    from line to line (and open their cell with a capital)."""
    masks = _masks(ns, present_of, k, L)
    cont = (set(present_of[ns[0]]) if broken else set(present_of[ns[0]][:-1])) if k else set()
    total = sum(separable(c, present_of[ns[c]]) for c in range(k))
    total += sum(line_score(j, masks[j], j in cont) for j in range(L))
    split: dict[int, dict[int, tuple[int, int]]] = {}
    for j in range(L):
        model = models[j]
        if model is None or not masks[j]:
            continue
        cols = tuple(c for c in range(k) if masks[j] >> c & 1)
        if len(cols) > model.base.n:
            continue
        _, parts = model.exact_parts(cols, widths)
        split[j] = {c: (i0, i1) for c, i0, i1 in parts}
    bigrams = models_bigrams(models)
    for c in cols_of_interest:
        prev_key = None
        first = True
        for j in present_of[ns[c]]:
            seg = split.get(j, {}).get(c)
            if seg is None:
                continue
            base = models[j].base
            i0, i1 = seg
            if first:
                total += 0.5 if base.cell_start[i0] else -0.8
                first = False
            elif prev_key is not None and bigrams is not None:
                total += 1.2 * bigrams.strength(prev_key, base.keys[i0])
            prev_key = base.keys[i1 - 1]
    return total


def models_bigrams(models) -> Bigrams | None:
    for model in models:
        if model is not None:
            return model.bigrams
    return None
