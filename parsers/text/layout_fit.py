"""Row geometry of layout-text tables: which columns each line of a row block holds (fitting),
and the constrained split of one line into those columns (see parsers.text.layout_table, steps 4-5)."""
from __future__ import annotations

from dataclasses import dataclass

from parsers.text.layout_linemodel import LineModel, _is_bullet, _slope
from parsers.text.layout_rows import Block
from parsers.text.layout_types import NEG, Bigrams
from parsers.text.layout_vocab import AGENCY_STARTS, DEADLINE_STARTS


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


_SLACK = 8          # longest word that may not fit at the end of a wrapped line, in characters
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
    roles = roles or ["other"] * k
    caps = [widths.get(c, _DEFAULT_WIDTH) * 1.08 + 2 for c in range(k)]
    needs = [(widths[c] - _SLACK) if widths.get(c) else 0.0 for c in range(k)]
    fill = [0.0 if roles[c] == "other" else 1.0 for c in range(k)]
    exact_cache: list[dict[int, float]] = [{} for _ in range(L)]

    need_first = needs[0] if k else 0.0
    cols_of = [tuple(c for c in range(k) if mask >> c & 1) for mask in range(1 << k)]

    def line_score(j: int, mask: int, continues: bool = False) -> float:
        """Score of line j holding exactly the columns in `mask`, relative to its best;
        `continues`: the first column's cell goes on below this line."""
        cache = exact_cache[j]
        key = mask | (1 << k) if continues else mask
        value = cache.get(key)
        if value is None:
            f = facts[j]
            cols = cols_of[mask]
            if f.tokens == 0:
                value = -2.0 * len(cols)
            elif not cols:
                value = -8.0
            elif len(cols) > f.tokens:
                value = -6.0 * (len(cols) - f.tokens) - 6.0
            else:
                model = models[j] if models else None
                # the first-pass margins already tell a hopeless set: skip the exact reading
                marg = margins[j] if margins and margins[j] else None
                rough = 0.0
                if marg is not None:
                    for c in range(k):
                        inside = bool(mask >> c & 1)
                        if inside and marg[c] < 0:
                            rough += marg[c]
                        elif not inside and marg[c] > 0:
                            rough -= marg[c]
                if model is None:
                    value = 0.0
                elif rough < -20.0:
                    value = rough
                else:
                    value = model.exact(cols, widths, need_first if continues else 0.0) - model.best
                value = max(value, -25.0)
                cap = sum(caps[c] for c in cols)
                if f.length > cap:
                    value -= 0.3 * (f.length - cap)
            cache[key] = value
        return value

    def continuing(n0: int, present_of) -> set[int]:
        lines = present_of[n0]
        return set(lines) if block.broken else set(lines[:-1])

    lengths = [f.length for f in facts]
    sep_cache: dict[tuple[int, tuple[int, ...]], float] = {}

    def separable(c: int, present: tuple[int, ...]) -> float:
        key = (c, present)
        score = sep_cache.get(key)
        if score is not None:
            return score
        score = fill[c] if present else 0.0
        if needs[c] and len(present) > 1:
            need = needs[c]
            # a wrapped line is nearly full, unless the cell's paragraph ends there
            score -= 0.3 * sum(need - lengths[j] for t, j in enumerate(present[:-1])
                               if lengths[j] < need and not facts[j].para_end
                               and not facts[present[t + 1]].bullet_start)
        if c == 0 and present:
            if not facts[present[0]].upper_start:
                score -= 2.5
            elif facts[present[0]].bullet_start:
                score -= 1.5
            score -= 0.6 * sum(1 for j in present[1:] if facts[j].word_start)
        sep_cache[key] = score
        return score

    initial_cache: dict[tuple[int, tuple[int, ...]], float] = {}

    def initial(c: int, present: tuple[int, ...]) -> float:
        key = (c, present)
        value = initial_cache.get(key)
        if value is None:
            value = initial_cache[key] = (separable(c, present)
                                          + sum(margins[j][c] for j in present))
        return value

    if block.model == "top":
        hypotheses = [(list(range(L + 1)), {n: tuple(range(n)) for n in range(L + 1)}, (L,))]
    else:
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
    pair = [c for c in range(k) if roles[c] in ("lead", "coordinating")]
    # start every geometry from each column's best height taken alone (first-pass margins);
    # search the most promising few, or only the one an earlier reading settled on
    starts = []
    for h, (options, present_of, edges) in enumerate(hypotheses):
        if restart is not None and h != restart[0]:
            continue
        if margins and margins[0]:
            ranked = [sorted(options, key=lambda n, c=c: -initial(c, present_of[n]))[:5]
                      for c in range(k)]
        else:
            ranked = [list(options[:5]) for _ in range(k)]
        for r in ranked:          # the tallest cells reach the block's edges: always a candidate
            r.extend(x for x in edges if x not in r)
        ns = list(restart[1]) if restart is not None else [r[0] for r in ranked]
        for c in range(k):
            if ns[c] not in ranked[c]:
                ranked[c].append(ns[c])
        estimate = sum(initial(c, present_of[ns[c]]) for c in range(k)) if margins and margins[0] else 0.0
        starts.append((estimate, h, present_of, ranked, ns))
    starts.sort(key=lambda item: -item[0])
    if len(starts) > 3:
        rescored = []
        for estimate, h, present_of, ranked, ns in starts[:6]:
            masks = [0] * L
            for c in range(k):
                for j in present_of[ns[c]]:
                    masks[j] |= 1 << c
            cont = continuing(ns[0], present_of) if k else set()
            exact_total = (sum(separable(c, present_of[ns[c]]) for c in range(k))
                           + sum(line_score(j, masks[j], j in cont) for j in range(L)))
            rescored.append((exact_total, h, present_of, ranked, ns))
        rescored.sort(key=lambda item: -item[0])
        starts = rescored
    best_total, best_presence, best_state = None, None, None
    for _, h, present_of, ranked, ns in starts[:3]:
        masks = [0] * L
        for c in range(k):
            for j in present_of[ns[c]]:
                masks[j] |= 1 << c
        sets = {n: frozenset(lines) for n, lines in present_of.items()}
        cont = continuing(ns[0], present_of) if k else set()
        cur = [line_score(j, masks[j], j in cont) for j in range(L)]

        def single(c: int, n: int) -> float:
            bit = 1 << c
            new_set = sets[n]
            delta = separable(c, present_of[n]) - separable(c, present_of[ns[c]])
            if c == 0:
                new_cont = continuing(n, present_of)
                for j in range(L):
                    mask = masks[j] | bit if j in new_set else masks[j] & ~bit
                    delta += line_score(j, mask, j in new_cont) - cur[j]
                return delta
            for j in sets[ns[c]] ^ new_set:
                mask = masks[j] | bit if j in new_set else masks[j] & ~bit
                delta += line_score(j, mask, j in cont) - cur[j]
            return delta

        def double(a: int, na: int, b: int, nb: int) -> float:
            delta = (separable(a, present_of[na]) - separable(a, present_of[ns[a]])
                     + separable(b, present_of[nb]) - separable(b, present_of[ns[b]]))
            bit_a, bit_b = 1 << a, 1 << b
            sa, sb = sets[na], sets[nb]
            if a == 0:                   # the content's continuation flags move too
                flags = continuing(na, present_of)
                affected = range(L)
            else:
                flags = cont
                affected = (sets[ns[a]] ^ sa) | (sets[ns[b]] ^ sb)
            for j in affected:
                mask = masks[j]
                mask = mask | bit_a if j in sa else mask & ~bit_a
                mask = mask | bit_b if j in sb else mask & ~bit_b
                delta += line_score(j, mask, j in flags) - cur[j]
            return delta

        for _step in range(4 * k):
            best_move, best_delta = None, 1e-9
            for c in range(k):
                for n in ranked[c]:
                    if n != ns[c]:
                        d = single(c, n)
                        if d > best_delta:
                            best_move, best_delta = ((c, n),), d
            if len(pair) == 2:
                a, b = pair
                for na in ranked[a][:4]:
                    if na == ns[a]:
                        continue
                    for nb in ranked[b][:4]:
                        if nb != ns[b]:
                            d = double(a, na, b, nb)
                            if d > best_delta:
                                best_move, best_delta = ((a, na), (b, nb)), d
            for a in range(k):          # two cells trading heights
                for b in range(a + 1, k):
                    if ns[a] != ns[b] and (a, b) != tuple(pair):
                        d = double(a, ns[b], b, ns[a])
                        if d > best_delta:
                            best_move, best_delta = ((a, ns[b]), (b, ns[a])), d
            if best_move is None:
                break
            for c, n in best_move:
                ns[c] = n
                if n not in ranked[c]:
                    ranked[c].append(n)
            masks = [0] * L
            for c in range(k):
                for j in present_of[ns[c]]:
                    masks[j] |= 1 << c
            cont = continuing(ns[0], present_of) if k else set()
            cur = [line_score(j, masks[j], j in cont) for j in range(L)]
        total = sum(separable(c, present_of[ns[c]]) for c in range(k)) + sum(cur)
        if best_total is None or total > best_total:
            best_total = total
            best_presence = [[bool(masks[j] >> c & 1) for c in range(k)] for j in range(L)]
            best_state = (h, tuple(ns))
    if best_state is not None and len(pair) == 2 and models:
        h, ns = best_state
        a, b = pair
        if ns[a] != ns[b]:
            present_of = hypotheses[h][1]
            swapped = list(ns)
            swapped[a], swapped[b] = ns[b], ns[a]
            here = _with_continuity(ns, present_of, k, L, models, widths, facts, line_score,
                                    separable, pair, block.broken)
            there = _with_continuity(swapped, present_of, k, L, models, widths, facts,
                                     line_score, separable, pair, block.broken)
            if there > here + 1e-9:
                best_state = (h, tuple(swapped))
                masks = _masks(swapped, present_of, k, L)
                best_presence = [[bool(masks[j] >> c & 1) for c in range(k)] for j in range(L)]
    block.state = best_state
    return best_presence


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


# --------------------------------------------------------------------------------------------
# Constrained split of one line into given columns


def split_line(model: LineModel, cols: list[int], first: dict[int, bool],
               prev_last: dict[int, str], widths: dict[int, float],
               bigrams: Bigrams, first_need: float = 0.0) -> list[tuple[int, int, int]] | None:
    """Best split of the line's tokens into exactly `cols` (in order): [(col, i0, i1)];
    `first_need`: the first column's cell goes on below, so its fragment is nearly that long."""
    base = model.base
    n, k = base.n, len(cols)
    if k == 0 or k > n:
        return None
    chars_to = base.chars_to
    join_prefix = model.join_prefix
    need_first = first_need if (cols[0] == 0 and k > 1) else 0.0
    dp = [[NEG] * (n + 1) for _ in range(k + 1)]
    back = [[-1] * (n + 1) for _ in range(k + 1)]
    dp[0][0] = 0.0
    for ci in range(1, k + 1):
        c = cols[ci - 1]
        role = model.roles[c]
        prev = prev_last.get(c)
        is_first = first.get(c, False)
        # score of the fragment starting at token i (boundary, cell start / continuity)
        start_row = [0.0] * n
        for i in range(n):
            value = base.brk[i] if i > 0 else 0.0
            if is_first:
                value += 0.8 if base.cell_start[i] else -1.2
                key = base.keys[i]
                if role in ("lead", "coordinating") and key in AGENCY_STARTS:
                    value += 0.5
                elif role == "deadline" and key in DEADLINE_STARTS:
                    value += 0.5
            elif prev is not None:
                strength = bigrams.strength(prev, base.keys[i])
                value += 0.8 * strength
                if not strength and base.cell_start[i] and prev[-1:].isalnum() \
                        and not _is_bullet(base.tokens[i]):
                    value -= 0.6        # a capitalised word that never follows the last one
            start_row[i] = value
        width = None if (c == 0 and model.first_width) else widths.get(c)
        limit = width * 1.08 + 1 if width else None
        slope = _slope(width) if width else 0.0
        em_prefix = model.em_prefix[c]
        prev_dp, cur_dp, cur_back = dp[ci - 1], dp[ci], back[ci]
        for i1 in range(ci, n - (k - ci) + 1):
            best, arg = NEG, -1
            em_end, join_end, chars_end = em_prefix[i1], join_prefix[i1], chars_to[i1]
            for i0 in range(i1 - 1, ci - 2, -1):
                base_score = prev_dp[i0]
                if base_score <= -1e8:
                    continue
                score = (base_score + em_end - em_prefix[i0] + join_end - join_prefix[i0 + 1]
                         + start_row[i0])
                if ci == 2 and need_first:
                    short = need_first - (chars_to[i0] - 1)
                    if short > 0:
                        score -= 0.3 * short
                if limit is not None:
                    over = chars_end - chars_to[i0] - 1 - limit
                    if over > 0:
                        score -= slope * over
                        if over > 15 and arg >= 0:
                            break          # longer fragments only get worse
                if score > best:
                    best, arg = score, i0
            cur_dp[i1], cur_back[i1] = best, arg
    if dp[k][n] <= NEG / 2:
        return None
    out, i1 = [], n
    for ci in range(k, 0, -1):
        i0 = back[ci][i1]
        out.append((cols[ci - 1], i0, i1))
        i1 = i0
    out.reverse()
    return out
