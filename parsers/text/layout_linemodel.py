"""Reading one physical line of a layout-text table: token features, the per-line base scores
and the Viterbi reading of a line over the columns in order (see parsers.text.layout_table)."""
from __future__ import annotations

from parsers.text.layout_types import BULLET_START, BULLET_TOKEN, CONTINUITY, NEG, Bigrams, visual_len
from parsers.text.layout_vocab import agency_boundary, dash_kind, phrase_roles, role_affinity, word_key


# --------------------------------------------------------------------------------------------
# Token features


def _first_alpha(token: str) -> str:
    for ch in token:
        if ch.isalpha() or ch.isdigit():
            return ch
    return ""


def _starts_upper(token: str) -> bool:
    ch = _first_alpha(token)
    return bool(ch) and (ch.isupper() or ch.isdigit())


def starts_lower(token: str) -> bool:
    ch = _first_alpha(token)
    return bool(ch) and ch.islower()


def capital_word(token: str) -> bool:
    """'Ban' yes; 'UBND', 'HĐND&UBND', '2026', 'xã' no: capitalised like an ordinary word."""
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and all(ch.islower() for ch in letters[1:])


def is_bullet(token: str) -> bool:
    return bool(BULLET_TOKEN.match(token) or BULLET_START.match(token))


def opens_cell(token: str) -> bool:
    """A token that can open a cell: capitalised, a number, a bullet or an opening quote."""
    return _starts_upper(token) or is_bullet(token) or token[:1] in "\"“("


def overrun_slope(width: float) -> float:
    """Penalty per character a fragment runs over its column: steeper for narrow columns."""
    return 0.35 * max(1.0, 20.0 / width)


class LineBase:
    """What does not depend on the columns: tokens, their keys and the cost of cutting or
    joining between neighbours."""

    __slots__ = ("tokens", "keys", "n", "chars_to", "join", "brk", "cell_start", "lower", "em_cache",
                 "phrases", "space")

    def __init__(self, tokens: list[str], bigrams: Bigrams, printed: bool = False,
                 space: float = 1.0):
        """`printed`: lengths are printed widths (parsers.text.layout_types.visual_len), else
        character counts; `space`: the width of a space between tokens."""
        self.tokens = tokens
        self.keys = [word_key(t) for t in tokens]
        n = self.n = len(tokens)
        self.cell_start = [opens_cell(t) for t in tokens]
        self.lower = [starts_lower(t) for t in tokens]
        self.space = space
        chars = [0.0]
        for t in tokens:
            chars.append(chars[-1] + (visual_len(t) if printed else len(t)) + space)
        self.chars_to = chars
        self.em_cache: dict[tuple, list[list[float]]] = {}
        self.phrases = phrase_roles(self.keys)
        self.join = [0.0] * n
        self.brk = [0.0] * n
        keys = self.keys
        dashes = {}
        for i in range(1, n - 1):
            if BULLET_TOKEN.match(tokens[i]) and tokens[i] != "+":
                dashes[i] = dash_kind(tokens[i - 1], keys[i - 1], tokens[i + 1], keys[i + 1],
                                      (keys[i - 1], keys[i + 1]) in bigrams.around_dash)
        for i in range(1, n):
            tok, prev = tokens[i], tokens[i - 1]
            # a free-standing dash says nothing about what follows it
            strength = 0.0 if (i in dashes or i - 1 in dashes) else bigrams.strength(keys[i - 1], keys[i])
            join = 0.35 * strength
            brk = -1.0 - 0.9 * strength
            kind = dashes.get(i)
            if kind == "internal":
                brk -= 1.5
                join += 0.8
            elif kind == "trailing":
                brk += 0.8
            elif is_bullet(tok):
                brk += 1.6
                join -= 0.6
            elif capital_word(tok):
                brk += 0.6          # "Các", "Phòng", "Thường": words that open a cell
            elif _starts_upper(tok):
                brk += 0.2          # acronyms and numbers ("HCC", "UBND", "2026") sit inside too
            elif self.lower[i]:
                brk -= 0.3
            if prev.endswith((".", ";")):
                brk += 0.5
            elif prev.endswith((",", ":")):
                brk += 0.2
            before = dashes.get(i - 1)
            if before == "internal":
                brk -= 2.5
                join += 0.8
            elif before == "trailing":
                brk += 0.3 + agency_boundary(keys[i - 2] if i >= 2 else "", keys[i],
                                             keys[i + 1] if i + 1 < n else "", tok)
            elif BULLET_TOKEN.match(prev):
                brk -= 1.2          # a bullet opens its fragment
                join += 0.6
            else:
                opens = agency_boundary(keys[i - 1], keys[i], keys[i + 1] if i + 1 < n else "", tok)
                if opens:
                    # a new agency name after one ("… Phục vụ | Các phòng"): running text's
                    # "phục vụ các …" says nothing here
                    brk += opens + 0.9 * strength
            self.join[i] = join
            self.brk[i] = brk

    def chars(self, i0: int, i1: int) -> float:
        return self.chars_to[i1] - self.chars_to[i0] - self.space

    @property
    def length(self) -> float:
        return max(0.0, self.chars_to[-1] - self.space)


class Emissions:
    """Word score per column role: the general word lists plus what this document taught."""

    _serial = 0

    def __init__(self, learnt: dict[str, dict[str, float]] | None = None):
        self.learnt = learnt or {}
        self.cache: dict[tuple[str, str], float] = {}
        Emissions._serial += 1
        self.serial = Emissions._serial      # identifies the word scores in line caches

    def score(self, role: str, key: str) -> float:
        value = self.cache.get((role, key))
        if value is None:
            value = role_affinity(role, key)
            learnt = self.learnt.get(role)
            if learnt:
                value += learnt.get(key, 0.0)
            self.cache[(role, key)] = value
        return value


class LineModel:
    """Scores for splitting one line's tokens among the columns (in order)."""

    def __init__(self, base: LineBase, roles: list[str], emissions: Emissions, bigrams: Bigrams,
                 first_width: float | None = None, context: dict[int, str] | None = None):
        """`context`: for each column already seen in the row, the last word of its previous
        fragment (None: no row context)."""
        self.base = base
        self.bigrams = bigrams
        self.first_width = first_width
        self.tokens, self.keys = base.tokens, base.keys
        self.join, self.brk = base.join, base.brk
        self.roles = roles
        n, k = base.n, len(roles)
        em = []
        for c, role in enumerate(roles):
            width = first_width if c == 0 else None
            cache_key = (emissions.serial, role, width)
            row = base.em_cache.get(cache_key)
            if row is None:
                row = [emissions.score(role, key) + extra.get(role, 0.0) if extra
                       else emissions.score(role, key)
                       for key, extra in zip(base.keys, base.phrases)]
                if width and n:
                    # the first text column always starts a line: its width bounds its reach
                    limit = width * 1.08 + 1
                    for i in range(n):
                        over = base.chars_to[i + 1] - 1 - limit
                        if over > 0:
                            row[i] -= 0.35 * over
                base.em_cache[cache_key] = row
            em.append(row)
        self.em = em
        # score of a column's fragment starting at token i (continuity / cell start)
        self.enter = [[0.0] * n for _ in range(k)]
        if context is not None and n:
            for c in range(k):
                prev = context.get(c)
                row = self.enter[c]
                if prev is None:
                    for i in range(n):
                        row[i] = 0.3 if base.cell_start[i] else (-0.8 if base.lower[i] else 0.0)
                else:
                    linkable = prev[-1:].isalnum()
                    for i in range(n):
                        strength = bigrams.strength(prev, base.keys[i])
                        row[i] = CONTINUITY * strength
                        if not strength and linkable and base.cell_start[i] \
                                and not is_bullet(base.tokens[i]):
                            row[i] -= 0.5      # a capitalised word that never follows the last one
        self.em_prefix = []
        for row in self.em:
            acc, pre = 0.0, [0.0]
            for v in row:
                acc += v
                pre.append(acc)
            self.em_prefix.append(pre)
        acc, pre = 0.0, [0.0, 0.0]
        for i in range(1, n):
            acc += self.join[i]
            pre.append(acc)
        self.join_prefix = pre          # join_prefix[i] = sum of join[1..i-1]
        self.best = 0.0

    def viterbi(self, allowed: list[bool] | None = None) -> tuple[float, list[int]]:
        n, k = self.base.n, len(self.roles)
        if n == 0:
            return 0.0, []
        em, enter, join, brk = self.em, self.enter, self.join, self.brk
        v = [NEG] * k
        for c in range(k):
            if allowed is None or allowed[c]:
                v[c] = em[c][0] + enter[c][0]
        backs = []
        for i in range(1, n):
            cur = [NEG] * k
            back = [-1] * k
            best_prev, best_idx = NEG, -1
            ji, bi = join[i], brk[i]
            for c in range(k):
                if allowed is None or allowed[c]:
                    stay = v[c] + ji
                    move = best_prev + bi + enter[c][i] if best_idx >= 0 else NEG
                    if stay >= move:
                        cur[c], back[c] = stay + em[c][i], c
                    else:
                        cur[c], back[c] = move + em[c][i], best_idx
                if v[c] > best_prev:
                    best_prev, best_idx = v[c], c
            v = cur
            backs.append(back)
        last = max(range(k), key=lambda c: v[c])
        score = v[last]
        path = [last]
        for back in reversed(backs):
            path.append(back[path[-1]])
        path.reverse()
        return score, path

    def exact_parts(self, cols: tuple[int, ...], widths: dict[int, float] | None = None,
                    first_need: float = 0.0) -> tuple[float, list[tuple[int, int, int]]]:
        """`exact` with the split that achieves it: [(col, i0, i1)]."""
        m = len(cols)
        score, start, starts_at = self._exact_table(cols, widths, first_need, trace=True)
        if not starts_at:
            return NEG, []
        # walk back: the segment of state idx ending at token i starts at starts_at[i][idx]
        parts, i1, idx = [], self.base.n, m - 1
        s0 = start[idx]
        while idx >= 0:
            parts.append((cols[idx], s0, i1))
            i1 = s0
            idx -= 1
            if idx >= 0:
                s0 = starts_at[i1 - 1][idx] if i1 - 1 >= 1 else 0
        parts.reverse()
        return score, parts

    def exact(self, cols: tuple[int, ...], widths: dict[int, float] | None = None,
              first_need: float = 0.0) -> float:
        """Best score when the line holds exactly the columns `cols` (in order), each at least
        one token; a fragment wider than its column (`widths`) is penalised (tracked along the
        best path of each state), and so is a first-column fragment shorter than `first_need`
        characters (the cell goes on below: its lines are full)."""
        return self._exact_table(cols, widths, first_need, trace=False)[0]

    def _exact_table(self, cols: tuple[int, ...], widths: dict[int, float] | None, first_need: float,
                     trace: bool) -> tuple[float, list[int], list[list[int]]]:
        """The dynamic programme behind `exact`: (score, the start token of each state's last
        segment, and with `trace` the same for every token, to walk the split back).
        The hottest loop of layout-text parsing: kept flat, locals only."""
        n, m = self.base.n, len(cols)
        if m == 0 or m > n:
            return NEG, [], []
        join, brk = self.join, self.brk
        chars_to = self.base.chars_to
        ems = [self.em[c] for c in cols]
        enters = [self.enter[c] for c in cols]
        limits: list[float | None] = [None] * m
        slopes = [0.0] * m
        if widths:
            for idx, c in enumerate(cols):
                if widths.get(c) and not (c == 0 and self.first_width):
                    limits[idx] = widths[c] * 1.08 + 1
                    slopes[idx] = overrun_slope(widths[c])
        need_first = first_need if (cols[0] == 0 and m > 1) else 0.0
        v = [NEG] * m
        start = [0] * m
        v[0] = ems[0][0] + enters[0][0]
        starts_at: list[list[int]] = [[0] * m] * n if trace else []   # rows replaced below
        for i in range(1, n):
            ji, bi = join[i], brk[i]
            top = m if i + 1 > m else i + 1
            new = [NEG] * m
            new_start = [0] * m
            for idx in range(top):
                stay = v[idx] + ji
                s0 = start[idx]
                limit = limits[idx]
                if limit is not None and stay > -1e8:
                    after = chars_to[i + 1] - chars_to[s0] - 1
                    if after > limit:
                        before = chars_to[i] - chars_to[s0] - 1
                        stay -= slopes[idx] * (after - limit - (before - limit if before > limit else 0.0))
                if idx:
                    move = v[idx - 1] + bi + enters[idx][i]
                    if idx == 1 and need_first:
                        short = need_first - (chars_to[i] - 1)
                        if short > 0:
                            move -= 0.3 * short
                    if move > stay:
                        stay, s0 = move, i
                new[idx] = stay + ems[idx][i]
                new_start[idx] = s0
            v, start = new, new_start
            if trace:
                starts_at[i] = new_start
        return v[m - 1], start, starts_at

    def presence_margins(self) -> tuple[list[int], list[float]]:
        """Best path and, per column, best score with it present minus best without it."""
        k, n = len(self.roles), self.base.n
        best, path = self.viterbi()
        self.best = best
        on_path = set(path)
        fwd = bwd = None
        margins = []
        for c in range(k):
            if c in on_path:
                without, _ = self.viterbi([j != c for j in range(k)])
                margins.append(min(10.0, best - without) if without > NEG / 2 else 10.0)
            else:
                if fwd is None:
                    fwd, bwd = self._forward(), self._backward()
                through = max(fwd[i][c] + bwd[i][c] for i in range(n))
                margins.append(max(-10.0, through - best))
        return path, margins

    def _forward(self) -> list[list[float]]:
        n, k = self.base.n, len(self.roles)
        em, enter, join, brk = self.em, self.enter, self.join, self.brk
        v = [[NEG] * k for _ in range(n)]
        for c in range(k):
            v[0][c] = em[c][0] + enter[c][0]
        for i in range(1, n):
            best_prev = NEG
            prev, cur = v[i - 1], v[i]
            for c in range(k):
                stay = prev[c] + join[i]
                move = best_prev + brk[i] + enter[c][i]
                cur[c] = (stay if stay > move else move) + em[c][i]
                if prev[c] > best_prev:
                    best_prev = prev[c]
        return v

    def _backward(self) -> list[list[float]]:
        n, k = self.base.n, len(self.roles)
        em, enter, join, brk = self.em, self.enter, self.join, self.brk
        b = [[NEG] * k for _ in range(n)]
        b[n - 1] = [0.0] * k
        for i in range(n - 2, -1, -1):
            best_next = NEG       # max over c' > c of brk + enter + em + b
            nxt, cur = b[i + 1], b[i]
            for c in range(k - 1, -1, -1):
                stay = join[i + 1] + em[c][i + 1] + nxt[c]
                cur[c] = stay if stay > best_next else best_next
                cand = brk[i + 1] + enter[c][i + 1] + em[c][i + 1] + nxt[c]
                if cand > best_next:
                    best_next = cand
        return b
