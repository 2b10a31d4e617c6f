"""The constrained split of one line of a layout-text table into the columns it holds (see
parsers.text.layout_table, step 5; which columns a line holds: parsers.text.layout_fit)."""
from __future__ import annotations

from parsers.text.layout_linemodel import LineModel, is_bullet, overrun_slope
from parsers.text.layout_types import NEG, Bigrams
from parsers.text.layout_vocab import AGENCY_STARTS, DEADLINE_STARTS


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
                        and not is_bullet(base.tokens[i]):
                    value -= 0.6        # a capitalised word that never follows the last one
            start_row[i] = value
        width = None if (c == 0 and model.first_width) else widths.get(c)
        limit = width * 1.08 + 1 if width else None
        slope = overrun_slope(width) if width else 0.0
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
