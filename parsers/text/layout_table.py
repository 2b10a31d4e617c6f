"""Recover the rows and cells of an annex task table from layout-flattened PDF text.

A PDF text extractor without positions (pdfplumber `extract_text`) emits a table as physical
lines: every line holds the fragments of the cells that sit at that height, left to right,
joined by single spaces. Cells are wrapped inside their column and, in these tables, centred
vertically in their row: a row is a block of lines whose TT number sits on the middle line, and
a cell of n lines occupies the half-line positions -(n-1), -(n-3) … (n-1) around it. The part
of a row that a page break cuts off is top-aligned on its page and the remainder centred on the
next; tables whose TT numbers start their rows (top-aligned cells) are recognised too.

Recovery:

1. anchors: TT numbers (first token of a line, in sequence) and section rows (I., II. …);
2. row blocks: each page's lines are shared out between consecutive anchors so that every
   complete row is symmetric around its anchor (a small dynamic programme tolerating irregular
   rows and rows broken by a page);
3. a first reading of every line in the context of the lines above it in its row: Viterbi over
   the columns in order, scored by word lists (parsers.text.layout_vocab), word pairs learnt from
   the document's own prose (a cell's text reads on across its line breaks, two neighbouring
   cells do not), capitalisation, bullets and the first column's width; it gives each
   column's presence on each line and the columns' widths;
4. the row geometry is fitted: how many lines each cell has, hence which columns each line
   holds, scored by each line's best reading with exactly those columns, greedy wrapping (a
   cell line other than its last is nearly full), the columns' widths and how each cell reads
   on from line to line;
5. each line is split into exactly those columns;
6. a second reading learns from the first which agency names this document puts in the lead
   and the coordinating column (where a line shows both, their order tells), then refits.

After step 3 lengths are printed widths (parsers.text.layout_types.visual_len) and each row is read
whole, column by column: top-aligned rows (LibreOffice's and Word's default: the TT number
opens each row) by parsers.text.layout_topdecode, with the first column's width chosen by how well
the tallest rows read; vertically centred rows by parsers.text.layout_ctrdecode, which knows where
the lines of centred cells sit. Rows neither can place keep the line-by-line reading.

Everything is deterministic: no randomness, no dependence on dictionary or set order.
"""
from __future__ import annotations

import gc
import math
from dataclasses import dataclass

from parsers.text.layout_fit import SLACK, LineFacts, fit_block
from parsers.text import layout_ctrdecode
from parsers.text.layout_linemodel import Emissions, LineBase, LineModel, capital_word, is_bullet
from parsers.text.layout_rows import Block, find_anchors, section_row, segment_rows
from parsers.text.layout_split import split_line
from parsers.text.layout_topcolumn import Line
from parsers.text.layout_topdecode import clamp_widths, decode_table, first_width
from parsers.text.layout_types import Bigrams, Column, RecoveredRow, TLine
from parsers.text.layout_vocab import word_key

__all__ = ["Bigrams", "Column", "RecoveredRow", "TLine", "TableResult", "recover", "recover_group"]

# --------------------------------------------------------------------------------------------
# Tables


@dataclass
class TableResult:
    columns: list[Column]
    rows: list[RecoveredRow]


@dataclass
class _Prepared:
    lines: list[TLine]
    blocks: list[Block]
    bases: list[LineBase]
    contexts: list[str | None]


def recover(lines: list[TLine], columns: list[Column], bigrams: Bigrams) -> TableResult:
    """Rows of one task table from its body lines (header lines, page numbers removed)."""
    return recover_group([lines], columns, bigrams)[0]


def recover_group(tables: list[list[TLine]], columns: list[Column],
                  bigrams: Bigrams) -> list[TableResult]:
    """Rows of the tables that share one header layout (and so their column widths and
    vocabulary): each table's body lines, header lines and page numbers removed."""
    # The row decoders allocate millions of small tuples and their memos (on each line,
    # parsers.text.layout_topcolumn.Line) keep many alive: the cyclic collector, run every few
    # hundred allocations, would walk them again and again (and the whole heap, the NLP
    # models' too, on each full collection), a third of the time. Nothing here needs it:
    # the lines' caches (a line and its memos refer to each other) are emptied after, so
    # that all of it is freed at once, without the collector.
    enabled = gc.isenabled()
    gc.disable()
    made: list[LineBase] = []
    try:
        return _recover_group(tables, columns, bigrams, made)
    finally:
        for base in made:
            for value in base.em_cache.values():
                if isinstance(value, Line):
                    value.memo.clear()
                    value.relaxed.clear()
            base.em_cache.clear()
        if enabled:
            gc.enable()


def _recover_group(tables: list[list[TLine]], columns: list[Column], bigrams: Bigrams,
                   made: list[LineBase]) -> list[TableResult]:
    text_cols = [c for c in range(len(columns)) if columns[c].role != "seq"]
    roles = [columns[c].role or "other" for c in text_cols]
    k = len(text_cols)
    prepared, top = _prepare(tables, bigrams, made)
    emissions = Emissions()
    widths, firsts = _first_reading(prepared, roles, emissions, bigrams, k)
    if not top:
        results = layout_ctrdecode.read_tables([(p.lines, p.blocks, p.bases) for p in prepared],
                                               roles, emissions, bigrams, widths,
                                               [columns[c].fits for c in text_cols], text_cols)
        if results is not None:
            return [TableResult(columns, rows) for rows in results]
    if top:
        results = _read_top(prepared, [columns[c].fits for c in text_cols], roles, emissions, bigrams,
                            widths, text_cols)
        return [TableResult(columns, rows) for rows in results]
    results = [_decode(prep, margins, paths, models, roles, emissions, bigrams, widths, text_cols)
               for prep, (margins, paths, models) in zip(prepared, firsts)]
    # second reading: which agency names this document puts in the lead / coordinating column,
    # learnt where a decoded line shows both side by side (their order tells them apart)
    learnt = _learn_pair(results, text_cols, roles)
    if learnt:
        results = _second_reading(prepared, firsts, roles, Emissions(learnt), bigrams, widths, text_cols)
    return [TableResult(columns, rows) for rows in results]


def _prepare(tables: list[list[TLine]], bigrams: Bigrams,
             made: list[LineBase]) -> tuple[list[_Prepared], bool]:
    """Each table's lines cut into row blocks, with their words (the sequence numbers left
    out); and whether every table's rows are top-aligned."""
    segmented = []
    for lines in tables:
        anchors = find_anchors(lines)
        segmented.append((lines, anchors, segment_rows(lines, anchors) if lines else []))
    # lengths are printed widths: top-aligned rows are read by parsers.text.layout_topdecode,
    # centred ones by parsers.text.layout_ctrdecode (the older line-by-line reading below is kept
    # for the rows whose geometry that cannot place)
    top = bool(segmented) and all(_top_aligned(blocks) for _, _, blocks in segmented)
    prepared = []
    for lines, anchors, blocks in segmented:
        seq_idx = {i for i, kind in anchors.items() if kind == "seq"}
        bases = []
        for i, line in enumerate(lines):
            toks = line.text.split()
            bases.append(LineBase(toks[1:] if i in seq_idx else toks, bigrams, printed=True))
        made.extend(bases)
        prepared.append(_Prepared(lines, blocks, bases, _row_contexts(blocks, len(lines))))
    return prepared, top


def _first_reading(prepared: list[_Prepared], roles: list[str], emissions: Emissions,
                   bigrams: Bigrams, k: int) -> tuple[dict[int, float], list[tuple]]:
    """First reading, without context: the columns' widths, and which agency names this
    document puts in the lead / coordinating columns where a line shows both side by side;
    with each table's first pass (see _first_pass)."""
    all_bases = [b for p in prepared for b in p.bases]
    paths = [LineModel(b, roles, emissions, bigrams).viterbi()[1] for b in all_bases]
    widths = estimate_widths(all_bases, paths, k)
    per_table, at = [], 0
    for prep in prepared:
        per_table.append(paths[at:at + len(prep.bases)])
        at += len(prep.bases)
    widths = _wrap_widths(prepared, per_table, k, widths)

    # (the row decoders only need the widths of this reading: no presence margins)
    firsts = [_first_pass(prep, roles, emissions, bigrams, widths.get(0), light=True)
              for prep in prepared]
    widths = _wrap_widths(prepared, [f[1] for f in firsts], k,
                          estimate_widths(all_bases, [p for f in firsts for p in f[1]], k))
    return widths, firsts


def _read_top(prepared: list[_Prepared], fits: list, roles: list[str], emissions: Emissions,
              bigrams: Bigrams, widths: dict[int, float], text_cols: list[int]) -> list[list[RecoveredRow]]:
    """Top-aligned cells: each row read as a whole (parsers.text.layout_topdecode), the first
    column's width chosen by how well the tallest rows read."""
    widths = clamp_widths(widths, fits)
    width = first_width([(p.lines, p.blocks, p.bases) for p in prepared], roles, emissions,
                        bigrams, widths, (fits[0] or (0.0, None))[0] if fits else 0.0)
    if width:
        widths[0] = width
    return [decode_table(prep.lines, prep.blocks, prep.bases, roles, emissions, bigrams,
                         widths, text_cols) for prep in prepared]


def _second_reading(prepared: list[_Prepared], firsts: list[tuple], roles: list[str],
                    emissions: Emissions, bigrams: Bigrams, widths: dict[int, float],
                    text_cols: list[int]) -> list[list[RecoveredRow]]:
    """The tables read again with the agency names learnt: rows where a line already shows
    both columns are settled, only the others are read again (the remainder of a broken row
    goes with its first part)."""
    redo_all = [_unsettled_lines(prep) for prep in prepared]
    seconds = [_first_pass(prep, roles, emissions, bigrams, widths.get(0), light=True,
                           keep=(first[1], first[2]), redo=redo)
               for prep, first, redo in zip(prepared, firsts, redo_all)]
    return [_decode(prep, first[0], paths, models, roles, emissions, bigrams, widths,
                    text_cols, restart=True, redo=redo)
            for prep, first, (_, paths, models), redo
            in zip(prepared, firsts, seconds, redo_all)]


def _unsettled_lines(prep: _Prepared) -> set[int]:
    """The lines of the rows (with their remainders) of which no block is settled."""
    redo: set[int] = set()
    group: list[Block] = []
    for block in prep.blocks + [Block("row", 0, 0)]:
        if block.kind == "row" and group:
            if not any(b.settled for b in group):
                for b in group:
                    redo.update(range(b.start, b.end))
            group = []
        if block.kind in ("row", "cont"):
            group.append(block)
    return redo


def _top_aligned(blocks: list[Block]) -> bool:
    rows = [b for b in blocks if b.kind == "row"]
    return bool(rows) and all(b.model == "top" for b in rows)


def _first_pass(prep: _Prepared, roles: list[str], emissions: Emissions, bigrams: Bigrams,
                first_width: float | None, light: bool = False,
                keep: tuple[list, list] | None = None, redo: set[int] | None = None):
    """Each line read in the context of the lines above it in its row: best split and, per
    column, how strongly it is present. `light`: best split only; with `keep` (an earlier
    pass's paths and models), only the lines in `redo` are read again."""
    k = len(roles)
    margins, paths, models = [], [], []
    context: dict[int, str] = {}
    for i, base in enumerate(prep.bases):
        if prep.contexts[i] == "reset":
            context = {}
        if not base.n:
            paths.append([])
            margins.append([-5.0] * k)
            models.append(None)
            continue
        if keep is not None and redo is not None and i not in redo:
            path, model = keep[0][i], keep[1][i]
            paths.append(path)
            margins.append([])
            models.append(model)
            for c, _, i1 in _path_parts(path):
                context[c] = base.keys[i1 - 1]
            continue
        model = LineModel(base, roles, emissions, bigrams, first_width,
                          None if prep.contexts[i] is None else context)
        if light:
            model.best, path = model.viterbi()
            marg = []
        else:
            path, marg = model.presence_margins()
        paths.append(path)
        margins.append(marg)
        models.append(model)
        for c, _, i1 in _path_parts(path):
            context[c] = base.keys[i1 - 1]
    return margins, paths, models


def _decode(prep: _Prepared, margins: list[list[float]], paths: list[list[int]],
            models: list[LineModel | None], roles: list[str], emissions: Emissions,
            bigrams: Bigrams, widths: dict[int, float], text_cols: list[int],
            restart: bool = False, redo: set[int] | None = None) -> list[RecoveredRow]:
    k = len(roles)
    lines, bases = prep.lines, prep.bases
    rows: list[RecoveredRow] = []
    current: RecoveredRow | None = None
    prev_last_row: dict[int, str] = {}
    for block in prep.blocks:
        if block.kind == "section":
            rows.append(section_row(lines, block))
            current = None
            continue
        if block.kind == "cont" and current is None:
            # lines that belong to no numbered row: attach to the previous task if any
            if rows and rows[-1].kind == "task":
                current = rows[-1]
            else:
                continue
        if block.kind == "row":
            seq_line = lines[block.center]
            current = RecoveredRow("task", [], seq=seq_line.text.split()[0], seq_line=seq_line.no)
            rows.append(current)
            prev_last_row = {}
        facts = _line_facts(bases[block.start:block.end])
        block_models = models[block.start:block.end]
        if block.kind == "cont" and current.cells:
            block_models = _continued_models(current, block, bases, roles, emissions, bigrams,
                                             widths, text_cols)
        if redo is not None and block.start not in redo and block.presence is not None:
            presence = block.presence          # settled on the first reading
        else:
            presence = fit_block(block, margins[block.start:block.end], k, facts, widths,
                                 block_models, roles, restart=block.state if restart else None)
            block.presence = presence
            if presence and "lead" in roles and "coordinating" in roles:
                a, b = roles.index("lead"), roles.index("coordinating")
                block.settled = any(line[a] and line[b] for line in presence)
        prev_last = _read_block(prep, block, current, presence, prev_last_row, margins, paths,
                                block_models, roles, emissions, bigrams, widths, text_cols)
        if block.kind == "row":
            prev_last_row = prev_last
    return rows


def _line_facts(bases: list[LineBase]) -> list[LineFacts]:
    return [LineFacts(b.length, b.n, bool(b.n) and b.cell_start[0],
                      bool(b.n) and capital_word(b.tokens[0]),
                      bool(b.n) and is_bullet(b.tokens[0]),
                      bool(b.n) and b.tokens[-1].endswith((".", ";", ":")))
            for b in bases]


def _continued_models(current: RecoveredRow, block: Block, bases: list[LineBase], roles: list[str],
                      emissions: Emissions, bigrams: Bigrams, widths: dict[int, float],
                      text_cols: list[int]) -> list[LineModel | None]:
    """The remainder of a row broken by a page: its lines read on from what the row decoded to."""
    context = {text_cols.index(c): word_key(frags[-1][1].split()[-1])
               for c, frags in current.cells.items() if frags}
    block_models: list[LineModel | None] = []
    for j in range(block.start, block.end):
        if not bases[j].n:
            block_models.append(None)
            continue
        model = LineModel(bases[j], roles, emissions, bigrams, widths.get(0), context)
        model.best, path = model.viterbi()
        for c, _, i1 in _path_parts(path):
            context[c] = bases[j].keys[i1 - 1]
        block_models.append(model)
    return block_models


def _read_block(prep: _Prepared, block: Block, current: RecoveredRow, presence: list[list[bool]] | None,
                prev_last_row: dict[int, str], margins: list[list[float]], paths: list[list[int]],
                block_models: list[LineModel | None], roles: list[str], emissions: Emissions,
                bigrams: Bigrams, widths: dict[int, float], text_cols: list[int]) -> dict[int, str]:
    """Each line of the block split into the columns it holds (`presence`), its fragments
    appended to the row's cells; the last word of each column, for the row's next block."""
    k = len(roles)
    lines, bases = prep.lines, prep.bases
    cell_index = {text_cols[c]: c for c in range(k)}
    seen_cols = {cell_index[c] for c in current.cells}
    if block.kind == "cont":
        prev_last = {cell_index[c]: word_key(frags[-1][1].split()[-1])
                     for c, frags in current.cells.items() if frags}
    else:
        prev_last = dict(prev_last_row)
    content_lines = [j for j in range(block.start, block.end)
                     if presence and presence[j - block.start][0]] if k else []
    need_first = (widths[0] - SLACK) if (k and widths.get(0)) else 0.0
    for j in range(block.start, block.end):
        base = bases[j]
        current.lines.append(lines[j].no)
        if not base.n:
            continue
        cols = [c for c in range(k) if presence and presence[j - block.start][c]]
        continues = bool(content_lines) and (j in content_lines[:-1]
                                             or (block.broken and j == content_lines[-1]))
        cols = _feasible(cols, margins[j], base.n)
        parts = None
        if cols:
            model = block_models[j - block.start] or LineModel(base, roles, emissions, bigrams)
            first = {c: (c not in seen_cols and block.kind != "cont") for c in cols}
            parts = split_line(model, cols, first, prev_last, widths, bigrams,
                               need_first if continues else 0.0)
        if parts is None:
            parts = _path_parts(paths[j])
        for c, i0, i1 in parts:
            frag = " ".join(base.tokens[i0:i1])
            current.cells.setdefault(text_cols[c], []).append((lines[j].no, frag))
            seen_cols.add(c)
            prev_last[c] = base.keys[i1 - 1]
    return prev_last


def _learn_pair(results: list[list[RecoveredRow]], text_cols: list[int],
                roles: list[str]) -> dict[str, dict[str, float]]:
    """Lead vs coordinating preference of words, from decoded lines that hold both columns."""
    if "lead" not in roles or "coordinating" not in roles:
        return {}
    lead_col = text_cols[roles.index("lead")]
    coord_col = text_cols[roles.index("coordinating")]
    counts: dict[str, list[int]] = {}
    for rows in results:
        for row in rows:
            if row.kind != "task":
                continue
            lead_lines = {no for no, _ in row.cells.get(lead_col, [])}
            coord_lines = {no for no, _ in row.cells.get(coord_col, [])}
            shared = lead_lines & coord_lines
            if not shared:
                continue
            for side, col in ((0, lead_col), (1, coord_col)):
                for no, frag in row.cells[col]:
                    if no in shared:
                        for tok in frag.split():
                            key = word_key(tok)
                            if key and key not in ("-", "–"):
                                counts.setdefault(key, [0, 0])[side] += 1
    if sum(a + b for a, b in counts.values()) < 6:
        return {}
    out_lead, out_coord = {}, {}
    for key, (a, b) in counts.items():
        value = 0.5 * max(-2.0, min(2.0, math.log((a + 0.5) / (b + 0.5)))) * min(1.0, (a + b) / 3.0)
        out_lead[key] = value
        out_coord[key] = -value
    return {"lead": out_lead, "coordinating": out_coord}


def _row_contexts(blocks: list[Block], n: int) -> list[str | None]:
    """Per line: "reset" where a row starts, "keep" inside a row, None outside rows."""
    out: list[str | None] = [None] * n
    for block in blocks:
        if block.kind == "section":
            continue
        for j in range(block.start, block.end):
            out[j] = "keep"
        if block.kind == "row":
            out[block.start] = "reset"
    return out


def _feasible(cols: list[int], margins: list[float], n_tokens: int) -> list[int]:
    cols = list(cols)
    while len(cols) > n_tokens:
        cols.remove(min(cols, key=lambda c: margins[c]))
    return cols


def _path_parts(path: list[int]) -> list[tuple[int, int, int]]:
    parts: list[tuple[int, int, int]] = []
    for i, c in enumerate(path):
        if parts and parts[-1][0] == c:
            parts[-1] = (c, parts[-1][1], i + 1)
        else:
            parts.append((c, i, i + 1))
    return parts


def _wrap_widths(prepared: list["_Prepared"], paths: list[list[list[int]]], k: int,
                 fallback: dict[int, float]) -> dict[int, float]:
    """Column widths from greedy wrapping: a cell line is at most as long as its column, and
    adding the next line's first word would have overflowed it. Each pair of consecutive
    fragments of a cell bounds the width; the width kept agrees with most pairs."""
    bounds: dict[int, list[tuple[int, int]]] = {c: [] for c in range(k)}
    for prep, table_paths in zip(prepared, paths):
        last: dict[int, tuple[int, str]] = {}
        for block in prep.blocks:
            if block.kind == "row":
                last = {}
            elif block.kind == "section":
                last = {}
                continue
            for j in range(block.start, block.end):
                base = prep.bases[j]
                for c, i0, i1 in _path_parts(table_paths[j]):
                    if c in last and not is_bullet(base.tokens[i0]):
                        length, end = last[c]
                        if not end.endswith((".", ";", ":")):
                            bounds[c].append((length, length + 1 + base.chars(i0, i0 + 1)))
                    last[c] = (base.chars(i0, i1), base.tokens[i1 - 1])
    widths = dict(fallback)
    for c, pairs in bounds.items():
        if len(pairs) < 6:
            continue
        best, best_cover = None, 0
        for w in sorted({lo for lo, _ in pairs}):
            cover = sum(1 for lo, hi in pairs if lo <= w < hi)
            if cover > best_cover:
                best, best_cover = w, cover
        if best is not None and best_cover >= 0.3 * len(pairs):
            widths[c] = float(best)
    return widths


def estimate_widths(bases: list[LineBase], paths: list[list[int]], k: int) -> dict[int, float]:
    lengths: dict[int, list[int]] = {c: [] for c in range(k)}
    for base, path in zip(bases, paths):
        for c, i0, i1 in _path_parts(path):
            lengths[c].append(base.chars(i0, i1))
    widths: dict[int, float] = {}
    for c, values in lengths.items():
        if len(values) >= 4:
            values.sort()
            widths[c] = float(values[int(0.85 * (len(values) - 1))])
    return widths
