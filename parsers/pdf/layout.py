"""Layout of one PDF page with a text layer: ruled tables, two-column blocks, prose paragraphs.

Input is a `PageData` (words + ruling edges, see parsers.pdf.pages); output is a list of page
items in reading order: `PdfTable` (a ruled grid with the text of every cell) and `PdfParagraph`.

* Tables are found here only from ruling lines (pdfplumber's edge -> intersection -> cell
  algorithm run on our edges); words whose centre lies inside a table go to its cells, the
  rest is prose. Tables without ruling lines: parsers.pdf.borderless.
* Two-column borderless blocks (the letterhead "ỦY BAN NHÂN DÂN | CỘNG HÒA …" and the signature
  block "Nơi nhận: | TM. ỦY BAN NHÂN DÂN …") are found from a vertical gutter shared by
  consecutive lines; they are read left column first, then right column, one paragraph per line
  (wrapped lines that start in lower case are re-joined).
* Prose lines are grouped into paragraphs: a new paragraph starts at a list / numbering marker,
  after a larger vertical gap, at a first-line indent, after a line that ended early, at a
  change of weight or size, and around centred lines (titles).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from parsers.pdf.page_settings import SETTINGS
from parsers.pdf.pages import PageData, Word
from parsers.pdf.lines import BULLET, join_text, Line, make_lines, SENTENCE_END, starts_item, starts_lower
from parsers.pdf.ruled import fill_tables, find_tables, PdfTable

_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?$",
                          re.IGNORECASE)


@dataclass
class PdfParagraph:
    text: str
    page: int
    top: float
    first: Line
    last: Line
    bold: bool = False
    list_item: bool = False
    column: bool = False             # read from a two-column block (letterhead, signature)
    page_end: int | None = None


@dataclass
class Margins:
    left: float
    right: float
    pitch_ratio: float = SETTINGS.pitch_ratio   # usual baseline-to-baseline distance / font size

    @property
    def width(self) -> float:
        return self.right - self.left


def _gaps(line: Line) -> list[tuple[float, float, int]]:
    """(gap start, gap end, index of the word after the gap) for gaps wide enough to be a
    column gutter."""
    threshold = max(SETTINGS.gutter_min, SETTINGS.gutter_size * line.size)
    out = []
    for i in range(1, len(line.words)):
        a, b = line.words[i - 1].x1, line.words[i].x0
        if b - a >= threshold:
            out.append((a, b, i))
    return out


def _alignment(lines: list[Line]) -> tuple[str, float]:
    """How a column's lines are aligned: ("left", x0), ("centre", mid), "mixed", or "any"
    while there is only one line."""
    if len(lines) < 2:
        return "any", 0.0
    x0s = [ln.x0 for ln in lines]
    mids = [ln.mid for ln in lines]
    if max(x0s) - min(x0s) <= SETTINGS.aligned_left:
        return "left", min(x0s)
    if max(mids) - min(mids) <= SETTINGS.aligned_centre:
        return "centre", statistics.mean(mids)
    return "mixed", 0.0


def _fits_column(line: Line, column: list[Line]) -> bool:
    if not column:
        return False
    mode, value = _alignment(column)
    tolerance = max(SETTINGS.column_tolerance_min, SETTINGS.column_tolerance_size * line.size)
    if mode == "left":
        return abs(line.x0 - value) <= tolerance
    if mode == "centre":
        return abs(line.mid - value) <= SETTINGS.centre_tolerance * tolerance
    if mode == "any":
        ref = column[0]
        return abs(line.x0 - ref.x0) <= tolerance or abs(line.mid - ref.mid) <= SETTINGS.centre_tolerance * tolerance
    x0 = min(ln.x0 for ln in column)
    return abs(line.x0 - x0) <= tolerance


def _split(line: Line, centre: float) -> tuple[list[Word], list[Word]] | None:
    """Words left and right of a gutter centre; None when a word straddles it."""
    left = [w for w in line.words if w.x1 <= centre]
    right = [w for w in line.words if w.x0 >= centre]
    if len(left) + len(right) != len(line.words):
        return None
    return left, right


def _is_marker(words: list[Word]) -> bool:
    """Only a list / numbering marker ("a)", "1.", "-", "Điều 1."): a tab after a marker is
    not a column gutter."""
    text = " ".join(w.text for w in words).strip()
    return (bool(text) and len(text) <= SETTINGS.marker_chars and starts_item(text + " x")
            and len(words) <= SETTINGS.marker_words)


def _extend_block(lines: list[Line], i: int, gl: float, gr: float) -> tuple[int, float, float, list[Line]]:
    """Grow a two-column block from lines[i] down: (line count, gutter start, gutter end,
    left column lines); count 0 when there is no block with text on both sides."""
    left: list[Line] = []
    right: list[Line] = []
    j, previous = i, None
    while j < len(lines):
        line = lines[j]
        if previous is not None and line.top - previous.bottom > SETTINGS.block_line_gap * max(line.size, previous.size):
            break
        parts = _split(line, (gl + gr) / 2)
        if parts is None:
            break
        lw, rw = parts
        ngl = max([gl] + [w.x1 for w in lw])
        ngr = min([gr] + [w.x0 for w in rw])
        if ngr - ngl < SETTINGS.gutter_min_width:
            break
        if lw and not rw and left and not _fits_column(Line(lw), left):
            break
        if rw and not lw and right and not _fits_column(Line(rw), right):
            break
        if lw:
            left.append(Line(lw))
        if rw:
            right.append(Line(rw))
        gl, gr, previous = ngl, ngr, line
        j += 1
    if not left or not right:
        return 0, gl, gr, []
    return j - i, gl, gr, left


def _gutter_candidates(lines: list[Line], i: int) -> list[tuple[float, float]]:
    """Possible gutters for a block starting at lines[i]: the wide gaps of that line, or the
    space between it and the next line when the two sit side by side (the columns' baselines
    need not line up)."""
    out = [(a, b) for a, b, _ in sorted(_gaps(lines[i]), key=lambda g: (g[0] - g[1], g[0]))]
    if i + 1 < len(lines):
        cur, nxt = lines[i], lines[i + 1]
        if nxt.baseline - cur.baseline < SETTINGS.side_by_side * min(cur.size, nxt.size):   # closer than a line
            threshold = max(SETTINGS.gutter_min, SETTINGS.gutter_size * max(cur.size, nxt.size))
            if nxt.x0 - cur.x1 >= threshold:
                out.append((cur.x1, nxt.x0))
            elif cur.x0 - nxt.x1 >= threshold:
                out.append((nxt.x1, cur.x0))
    return out


def _column_block(lines: list[Line], i: int) -> tuple[int, float, float] | None:
    """If a two-column block (letterhead, signature) starts at lines[i]: (number of lines,
    gutter start, gutter end). Each candidate gutter is tried; the longest block wins."""
    candidates = _gutter_candidates(lines, i)
    if not candidates:
        return None
    best: tuple[int, float, float] | None = None
    for gl, gr in candidates:
        count, ngl, ngr, left = _extend_block(lines, i, gl, gr)
        if count == 0 or all(_is_marker(ln.words) for ln in left):
            continue
        if best is None or count > best[0]:
            best = (count, ngl, ngr)
    if best is None:
        return None
    if best[0] >= SETTINGS.block_lines:
        return best
    # A single line: columns only if one gap clearly dominates (a justified line spreads its
    # words evenly), e.g. "Số: 12/KH-UBND      Hà Nội, ngày ...".
    line = lines[i]
    widths = sorted((line.words[k].x0 - line.words[k - 1].x1 for k in range(1, len(line.words))),
                    reverse=True)
    if len(widths) == 1 or widths[0] >= SETTINGS.dominant_gap * widths[1]:
        return best
    return None


def _lift_right_lines(pending: list[Line], first: Line, gl: float, gr: float) -> int:
    """How many lines just above a block belong to its right column (e.g. "TM. ỦY BAN NHÂN
    DÂN" printed a little higher than "Nơi nhận:")."""
    count, below = 0, first
    for line in reversed(pending[-SETTINGS.lifted_lines:]):
        if line.x0 < (gl + gr) / 2 or below.top - line.bottom > SETTINGS.lifted_gap * line.size:
            break
        count, below = count + 1, line
    return count


def _column_paragraphs(lines: list[Line], page: int) -> list[PdfParagraph]:
    """Lines of one column of a letterhead / signature block: one paragraph per line, except
    wrapped continuations (lower-case start, no list marker)."""
    out: list[PdfParagraph] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if out and starts_lower(text) and not starts_item(text) \
                and line.top - out[-1].last.bottom < SETTINGS.column_wrap_gap * line.size:
            prev = out[-1]
            prev.text = join_text(prev.text, text)
            prev.last = line
            prev.bold = prev.bold and line.bold
            continue
        out.append(PdfParagraph(text, page, line.top, line, line, bold=line.bold,
                                list_item=bool(BULLET.match(text)), column=True))
    return out


def _is_centred(line: Line, m: Margins) -> bool:
    s = SETTINGS
    left_gap, right_gap = line.x0 - m.left, m.right - line.x1
    return left_gap > s.centred_indent * line.size and abs(left_gap - right_gap) <= max(
        s.centred_tolerance_min, s.centred_tolerance_share * m.width)


def _breaks(prev: Line, cur: Line, m: Margins) -> bool:
    """Whether `cur` starts a new paragraph after `prev` in running prose."""
    s = SETTINGS
    text = cur.text
    if starts_item(text, prev.text):
        return True
    if prev.bold != cur.bold or abs(prev.size - cur.size) > s.size_change:
        return True
    size = max(prev.size, cur.size)
    if cur.baseline - prev.baseline > size * m.pitch_ratio * s.paragraph_gap + s.paragraph_gap_extra:
        return True
    lower = starts_lower(text) and not SENTENCE_END.search(prev.text)
    if _is_centred(cur, m) or _is_centred(prev, m):
        return not lower
    if lower:
        return False
    if cur.x0 > prev.x0 + s.indent * size and cur.x0 > m.left + s.indent * size:
        return True         # first-line indent
    first_word = cur.words[0].x1 - cur.words[0].x0
    if prev.x1 + s.word_space * size + first_word < m.right - s.right_slack:
        return True         # the previous line ended although the next word would have fitted
    return False


def prose_paragraphs(lines: list[Line], page: int, m: Margins) -> list[PdfParagraph]:
    out: list[PdfParagraph] = []
    prev: Line | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if prev is not None and out and not _breaks(prev, line, m):
            para = out[-1]
            para.text = join_text(para.text, text)
            para.last = line
            para.bold = para.bold and line.bold
        else:
            out.append(PdfParagraph(text, page, line.top, line, line, bold=line.bold,
                                    list_item=bool(BULLET.match(text))))
        prev = line
    return out


def read_page(page: PageData) -> tuple[list[Line], list[PdfTable]]:
    """(prose lines without the page number, tables with their cells filled) of one page."""
    tables = find_tables(page)
    words = fill_tables(tables, page.words) if tables else page.words
    return drop_page_number(make_lines(words), page), tables


def page_items(number: int, lines: list[Line], tables: list[PdfTable],
               margins: Margins) -> list[PdfTable | PdfParagraph]:
    """Tables and paragraphs of one page, in reading order."""
    items: list[tuple[float, int, object]] = [(t.top, 0, t) for t in tables]
    tops = sorted(t.top for t in tables)
    runs: list[tuple[int, list[Line]]] = []
    for line in lines:
        key = sum(1 for top in tops if top < line.top)    # lines between the same tables
        if runs and runs[-1][0] == key:
            runs[-1][1].append(line)
        else:
            runs.append((key, [line]))
    for _, run in runs:
        for para in _run_paragraphs(run, number, margins):
            items.append((para.top, 1, para))
    items.sort(key=lambda it: (it[0], it[1]))
    return [it[2] for it in items]


def _run_paragraphs(lines: list[Line], page: int, m: Margins) -> list[PdfParagraph]:
    out: list[PdfParagraph] = []
    pending: list[Line] = []
    i = 0
    while i < len(lines):
        block = _column_block(lines, i)
        if block is None:
            pending.append(lines[i])
            i += 1
            continue
        count, gl, gr = block
        lifted = _lift_right_lines(pending, lines[i], gl, gr)
        above = pending[len(pending) - lifted:] if lifted else []
        out.extend(prose_paragraphs(pending[:len(pending) - lifted], page, m))
        pending = []
        centre = (gl + gr) / 2
        rows = lines[i:i + count]
        left = [Line([w for w in ln.words if w.x1 <= centre]) for ln in rows]
        right = above + [Line([w for w in ln.words if w.x0 >= centre]) for ln in rows]
        paragraphs = _column_paragraphs([ln for ln in left if ln.words], page) + \
            _column_paragraphs([ln for ln in right if ln.words], page)
        top = (above[0] if above else rows[0]).top
        for p in paragraphs:
            p.top = top          # keep the block together when items are sorted
        out.extend(paragraphs)
        i += count
    out.extend(prose_paragraphs(pending, page, m))
    return out


def drop_page_number(lines: list[Line], page: PageData) -> list[Line]:
    """Remove a lone page number printed at the top or bottom of the page."""
    if not lines:
        return lines
    out = list(lines)
    for index in (0, -1):
        if not out:
            break
        line = out[index]
        near_edge = (line.bottom < SETTINGS.page_number_top * page.height
                     or line.top > SETTINGS.page_number_bottom * page.height)
        if near_edge and _PAGE_NUMBER.match(line.text.strip()):
            out.pop(index)
    return out


def page_margins(lines: list[Line], tables: list[PdfTable], page: PageData) -> Margins:
    """Text block bounds of a page from its own content (used when the document gives none)."""
    x0s = [ln.x0 for ln in lines] + [t.bbox[0] for t in tables]
    x1s = [ln.x1 for ln in lines] + [t.bbox[2] for t in tables]
    if not x0s:
        return Margins(0.0, page.width)
    return Margins(min(x0s), max(x1s))


def _edge_value(values: list[float], smallest: bool) -> float | None:
    """The outermost position shared by at least 10% of the values (a text block edge), so
    that neither a stray line nor the first-line indent is taken for the margin."""
    counts = Counter(round(v) for v in values)
    floor = max(SETTINGS.margin_edge_lines, SETTINGS.margin_edge_share * len(values))
    common = sorted((k for k, n in counts.items() if n >= floor), reverse=not smallest)
    if not common:
        return None
    edge = common[0]
    near = [v for v in values if abs(v - edge) <= SETTINGS.margin_edge_near]
    return min(near) if smallest else max(near)


def document_margins(pages: list[tuple[PageData, list[Line], list[PdfTable]]]) -> dict[int, Margins]:
    """Margins per page: the left and right edges of body lines, shared by pages of the same
    size; pages of a size with little prose fall back to their own content bounds."""
    s = SETTINGS
    groups: dict[tuple[int, int], list[Line]] = {}
    for page, lines, _ in pages:
        groups.setdefault((round(page.width), round(page.height)), []).extend(lines)
    ratios = []
    for _, lines, _ in pages:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - b.size) < s.pitch_same_size and a.size > 0:
                ratio = (b.baseline - a.baseline) / a.size
                if s.pitch_ratio_min <= ratio <= s.pitch_ratio_max:
                    ratios.append(ratio)
    pitch = statistics.median(ratios) if ratios else s.pitch_ratio
    by_group: dict[tuple[int, int], Margins | None] = {}
    for key, lines in groups.items():
        long_lines = [ln for ln in lines if len(ln.words) >= s.margin_line_words]
        enough = len(long_lines) >= s.margin_lines
        left = _edge_value([ln.x0 for ln in long_lines], smallest=True) if enough else None
        right = _edge_value([ln.x1 for ln in long_lines], smallest=False) if enough else None
        by_group[key] = Margins(left, right, pitch) if left is not None and right is not None \
            and right - left > s.margin_min_width else None
    out: dict[int, Margins] = {}
    for page, lines, tables in pages:
        m = by_group[(round(page.width), round(page.height))]
        if m is None:
            own = page_margins(lines, tables, page)
            m = Margins(own.left, own.right, pitch)
        out[page.number] = m
    return out
