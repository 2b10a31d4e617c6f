"""Local improvement of a layout-text row's reading (see parsers.text.layout_ctrdecode).

A beam over the columns keeps only a few readings of each column, ranked with an estimate of
what the columns after it will make of the rest; the word pairs that tie a cell's lines
together are only known once those columns are read, so the reading found may leave a word on
the wrong side of a cut ("Trung tâm Phục" / "HCC" with "vụ" left to the column before). Each
cut between two neighbouring fragments of a line is moved by a word either way while that
reads the row better, every cell keeping at least one word on each of its lines (the row's
geometry does not change).
"""
from __future__ import annotations

from parsers.text.layout_topcolumn import EMPTY_CELL, Line, opening_score, fragment_score
from parsers.text.layout_types import Bigrams

_ROUNDS = 4


def column_score(lines: list[Line], frags: list[list[int]], c: int, role: str,
                 widths: dict[int, float], bigrams: Bigrams, opens: bool,
                 context: dict[int, str] | None) -> float:
    """The score of one column's cell read as `frags` ([line, i0, i1] in order)."""
    if not frags:
        return EMPTY_CELL.get(role, 0.0) if opens else 0.0
    j0, s0, _ = frags[0]
    score = opening_score(lines[j0], s0, c, role, bigrams, opens, context)
    width = widths.get(c)
    for t, (j, i0, i1) in enumerate(frags):
        if t + 1 < len(frags):
            nj, ns, _ = frags[t + 1]
            score += fragment_score(lines[j], c, i0, i1, width, bigrams, lines[nj], ns)
        else:
            score += fragment_score(lines[j], c, i0, i1, width, bigrams)
    return score


def polish(lines: list[Line], parts: list[list[tuple[int, int, int]]], roles: list[str],
           widths: dict[int, float], bigrams: Bigrams, opens: bool = True,
           context: dict[int, str] | None = None) -> list[list[tuple[int, int, int]]]:
    """`parts` (per column: (line, i0, i1) fragments) with cuts moved while the row reads
    better."""
    cols = [[list(f) for f in col] for col in parts]
    scores = [column_score(lines, cols[c], c, roles[c], widths, bigrams, opens, context)
              for c in range(len(cols))]
    for _ in range(_ROUNDS):
        improved = False
        on_line: dict[int, list[tuple[int, int]]] = {}
        for c, col in enumerate(cols):
            for t, frag in enumerate(col):
                on_line.setdefault(frag[0], []).append((c, t))
        for j in sorted(on_line):
            row = sorted(on_line[j], key=lambda ct: cols[ct[0]][ct[1]][1])
            for (a, ta), (b, tb) in zip(row, row[1:]):
                left, right = cols[a][ta], cols[b][tb]
                for step in (1, -1):
                    cut = left[2] + step
                    if not (left[1] < cut < right[2]):
                        continue
                    old = (left[2], right[1])
                    left[2] = right[1] = cut
                    new_a = column_score(lines, cols[a], a, roles[a], widths, bigrams, opens, context)
                    new_b = column_score(lines, cols[b], b, roles[b], widths, bigrams, opens, context)
                    if new_a + new_b > scores[a] + scores[b] + 1e-9:
                        scores[a], scores[b] = new_a, new_b
                        improved = True
                        break
                    left[2], right[1] = old
        if not improved:
            break
    return [[tuple(f) for f in col] for col in cols]
