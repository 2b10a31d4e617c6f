"""The column-merge search of column-major text (parsers.text.flattext.columnar): a page's
pieces read as a merge of the columns' cell sequences, each column's cells in row order."""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import fold_words
from parsers.text.flattext.settings import FlatTextSettings
from parsers.text.flattext.stacked import Piece, join_evidence
from parsers.text.flattext.typing import BULLET, product_nouns, score

NEG = float("-inf")
Lines = list[tuple[int, str]]     # (source line, text) of a cell's pieces


@dataclass
class Merged:
    """What the merge reads from a page: cells [row][column], the text each column's cell of
    the row before goes on with (`carried`), and the boxes it could place in no column, each
    with the row it came among (-1: the row before the page)."""
    cells: list[list[Lines]]
    carried: list[Lines]
    unplaced: list[tuple[int, Lines]]


# "Các phòng, ban …", "… liên quan": the coordinating units, rarely the one lead unit
_COLLECTIVE = re.compile(r"^cac\b|\blien quan\b")


def cell_score(role: str, text: str, before: str | None, settings: FlatTextSettings) -> float:
    """A cell's fit (parsers.text.flattext.typing) with what tells content from products when their
    boxes are not side by side: a products cell is a list of outputs (bullets, document nouns),
    a content cell is a sentence."""
    if before is None:
        fit = score(role, text)
        if role == "products" and not BULLET.match(text) and len(text.split()) > settings.plain_product_words \
                and not fold_words(text[:40]).startswith(product_nouns()):
            fit -= settings.plain_product_cost
        elif role == "content" and (BULLET.match(text) or len(text.split()) <= settings.plain_product_words
                                    and fold_words(text[:40]).startswith(product_nouns())):
            fit -= settings.plain_product_cost      # "- Báo cáo", "Kế hoạch; Báo cáo": outputs
        elif role == "lead" and _COLLECTIVE.search(fold_words(text)):
            fit -= settings.collective_lead_cost
        return fit
    gain = score(role, f"{before} {text}") - score(role, before) - settings.carry_cost
    gain += settings.carry_content_bonus if role == "content" else 0.0
    return gain + join_evidence(Piece(0, before, False), Piece(0, text, False), settings, False)


def _push(bucket: dict, key: tuple, value: float, back: tuple) -> None:
    held = bucket.get(key)
    if held is None or held[0] < value:
        bucket[key] = (value, back)


def merge_columns(roles: list[str], seq_col: int | None, n: int, before: list[str] | None, pieces: list[Piece],
                  box_end: list[int], numbers: dict[int, int], join: list[float], settings: FlatTextSettings) -> Merged:
    """The boxes as a merge of the columns' cell sequences (each column's cells in row order, the
    columns interleaved as the tool emitted them), found by a beam search over the pieces; a
    step that goes on neither down its column nor along its row costs `jump_cost`. A TT number
    (`numbers`: piece -> row) is the cell of its row in the TT column and nothing else."""
    k, m = len(roles), len(pieces)
    start = tuple(-1 if before and before[c] else 0 for c in range(k))
    # state: (pointers, last slot) -> (score, back)
    buckets: list[dict] = [dict() for _ in range(m + 1)]
    buckets[0][(start, None)] = (0.0, None)
    empty = [0.0 if c == seq_col else settings.empty_cost.get(r, settings.other_empty_cost) for c, r in enumerate(roles)]
    text_columns = [c for c in range(k) if c != seq_col]

    # A cell's fit depends on its column, its pieces and whether it continues the row before,
    # not on the search state: scored once per (column, first piece, carry), not per state.
    fits: dict[tuple[int, int, bool], list[tuple[dict, float, float]]] = {}

    def cell_fits(c: int, i: int, end: int, carry: bool) -> list[tuple[dict, float, float]]:
        """(bucket j, fit, cut) of the cell of column c made of pieces i … j-1, for each j."""
        found = fits.get((c, i, carry))
        if found is None:
            found = fits[(c, i, carry)] = []
            text = ""
            for j in range(i + 1, min(end, i + settings.max_cell_box_pieces) + 1):
                text = f"{text} {pieces[j - 1].text}" if text else pieces[j - 1].text
                cut = -join[j] if j < end else 0.0
                fit = cell_score(roles[c], text, before[c] if carry and before else None, settings)
                found.append((buckets[j], fit, cut))
        return found

    def natural(last: tuple[int, int] | None, c: int, r: int) -> bool:
        """The next cell below the last one, beside it, or in a row after it."""
        if last is None:
            return True
        last_c, last_r = last
        return (c == last_c and r == last_r + 1) or (r == last_r and c > last_c) \
            or (r == 0 and c > last_c) or (r > last_r and c < last_c)

    beam, skip, jump, noise = settings.merge_beam, settings.merge_skip, settings.jump_cost, settings.noise_box_cost
    for i in range(m):
        bucket = buckets[i]
        if len(bucket) > beam:
            kept = sorted(bucket.items(), key=lambda kv: -kv[1][0])[:beam]   # C sort: faster than heapq here
            buckets[i] = bucket = dict(kept)
        if not bucket:
            continue
        row = numbers.get(i)
        if row is not None:
            for (pointers, last), (base, _) in bucket.items():
                if seq_col is None:
                    _push(buckets[i + 1], (pointers, last), base - noise, (i, pointers, last, None))
                elif pointers[seq_col] == row:    # the numbers come in order: every one is taken
                    key = (pointers[:seq_col] + (row + 1,) + pointers[seq_col + 1:], (seq_col, row))
                    _push(buckets[i + 1], key, base - (0.0 if natural(last, seq_col, row) else jump),
                          (i, pointers, last, (seq_col, row)))
            continue
        end = box_end[i]
        box_start = i == 0 or box_end[i - 1] == i
        here = {c: cell_fits(c, i, end, False) for c in text_columns}     # every state starts cells here
        for (pointers, last), (base, _) in bucket.items():
            if box_start:
                _push(buckets[end], (pointers, last), base - noise, (i, pointers, last, None))
            for c in text_columns:
                at = pointers[c]
                for r in range(at, min(n, at + skip + 1)):
                    skipped = empty[c] * (r - at if at > 0 else r) if r > 0 else 0.0
                    step = base - skipped - (0.0 if natural(last, c, r) else jump)
                    key = (pointers[:c] + (r + 1,) + pointers[c + 1:], (c, r))
                    back = (i, pointers, last, (c, r))
                    for target, fit, cut in (here[c] if r >= 0 else cell_fits(c, i, end, True)):
                        value = step + fit + cut
                        held = target.get(key)
                        if held is None or held[0] < value:
                            target[key] = (value, back)
    return _read_back(buckets, n, len(roles), pieces, empty)


def _read_back(buckets: list[dict], n: int, k: int, pieces: list[Piece], empty: list[float]) -> Merged:
    """The cells of the best final state of the merge (unused rows of a column cost their
    empty cells), read back along its back pointers."""
    m = len(pieces)
    merged = Merged([[[] for _ in range(k)] for _ in range(n)], [[] for _ in range(k)], [])
    if not buckets[m]:
        return merged
    best_key, best_value = None, NEG
    for key, (value, _) in buckets[m].items():
        value -= sum(empty[c] for c in range(k) for _ in range(max(key[0][c], 0), n))
        if value > best_value:
            best_key, best_value = key, value
    j, key = m, best_key
    path: list[tuple[tuple[int, int] | None, list[tuple[int, str]]]] = []
    while j > 0:
        _, back = buckets[j][key]
        i, pointers, last, slot = back
        path.append((slot, [(p.line, p.text) for p in pieces[i:j]]))
        j, key = i, (pointers, last)
    path.reverse()
    rows = [slot[1] for slot, _ in path if slot is not None]
    row = rows[0] if rows else None            # text before the first cell goes with its row
    for slot, found in path:
        if slot is None:
            if row is not None:
                merged.unplaced.append((row, found))
            continue
        c, row = slot
        if row < 0:
            merged.carried[c] = found
        else:
            merged.cells[row][c] = found
    return merged
