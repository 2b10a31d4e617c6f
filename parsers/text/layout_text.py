"""Parser for layout-flattened PDF text (what pdfplumber's `extract_text` gives): no tabs, prose
wrapped at the page width, form feeds between pages with the page number on a line of its own,
and annex tables flattened line by line (the cells of a row interleaved, the header row repeated
on every page). Prose lines are re-joined into paragraphs; annex task tables are recovered into
Table / Row / Cell by parsers.text.layout_table, with a header row `parsers.structure` can map.

`looks_like_layout_text` tells such text from a normal text rendition (tab- or pipe-separated
rows, markdown, HTML), so callers can pick the parser without being told.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import UPPER, fold_words
from parsers.errors import ParseError
from parsers.text.layout_header import Header, choose_columns, find_headers, is_main_header
from parsers.text.layout_prose import ANNEX, SENTENCE_END, is_caps_line, mostly_words, norm, paragraphs, prose_width
from parsers.text.layout_rows import follows_section, is_section_line, section_numeral, seq_value
from parsers.text.layout_table import Bigrams, TableResult, TLine, recover_group
from parsers.model import Cell, Document, Paragraph, Provenance, Row, Table
from parsers.text.plain import decode_text
from parsers.text.flattext.regions import split_regions

_PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(?:trang\s+)?(\d{1,3})(?:\s*/\s*\d{1,3})?(?:\s*[-–])?$",
                          re.IGNORECASE)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# Lines that close a table: signature block, annex note, and the closing formula of the text
# ("Trên đây là Kế hoạch …") when a table sits in the body of the plan.
TABLE_END = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|\(Kèm theo|Ghi chú\s*:|Trên đây là\b)", re.IGNORECASE)
_HTML = re.compile(r"<\s*/?\s*(?:table|tr|td|th|p|br|li|ul|div|b|strong)\b[^>]*>", re.IGNORECASE)



_norm = norm


# --------------------------------------------------------------------------------------------
# Detection


def _has_two_tab_rows(text: str) -> bool:
    """At least two non-blank lines hold a tab (looks_like_layout_text's first test)."""
    rows, at = 0, text.find("\t")
    while at >= 0:
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            rows += 1
            if rows == 2:
                return True
        at = text.find("\t", end)
    return False


def looks_like_layout_text(text: str) -> bool:
    """True for layout-flattened PDF text, False for a normal text rendition of the same
    document (one table row per line with tab / pipe separated cells, markdown, HTML)."""
    if _has_two_tab_rows(text):
        return False     # the common text rendition: settled without splitting every line
    nonblank = [ln.strip() for ln in text.replace("\r", "").split("\n") if ln.strip()]
    if len(nonblank) < 5:
        return False
    tab_rows = sum(1 for ln in nonblank if "\t" in ln)
    pipe_rows = sum(1 for ln in nonblank if ln.startswith("|") and ln.count("|") >= 3)
    if tab_rows >= 2 or pipe_rows >= 2 or len(_HTML.findall(text)) >= 3:
        return False
    if sum(1 for ln in nonblank if re.match(r"^#{1,6}\s", ln)) >= 2:
        return False
    # Positive evidence: a flattened annex-table header, or prose wrapped at a fixed width.
    if any(is_main_header(ln, nxt) for ln, nxt in zip(nonblank, nonblank[1:] + [None])):
        return True
    form_feeds = text.count("\f")
    long_lines = [ln for ln in nonblank if len(ln) >= 40]
    if len(long_lines) < 5:
        return False
    unfinished = sum(1 for ln in long_lines if not SENTENCE_END.search(ln))
    lengths = sorted(len(ln) for ln in long_lines)
    typical = lengths[len(lengths) * 3 // 4]
    near_width = sum(1 for n in lengths if n >= typical * 0.85) / len(lengths)
    wrapped = unfinished / len(long_lines)
    return ((wrapped >= 0.5 and near_width >= 0.5 and typical <= 130)
            or (form_feeds >= 1 and wrapped >= 0.4))


# --------------------------------------------------------------------------------------------
# Lines and pages


@dataclass
class Src:
    no: int
    text: str
    page: int


def source_lines(text: str) -> list[Src]:
    out: list[Src] = []
    page = 1
    by_page: dict[int, list[Src]] = {}
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if "\f" in raw:
            before, *rest = raw.split("\f")
            if before.strip():
                line = Src(no, _norm(before), page)
                out.append(line)
                by_page.setdefault(page, []).append(line)
            page += len(rest)
            raw = rest[-1]
        stripped = _norm(raw)
        if not stripped:
            continue
        line = Src(no, stripped, page)
        out.append(line)
        by_page.setdefault(page, []).append(line)
    # page numbers: a number alone as the first or last line of a page
    drop: set[int] = set()
    pages = sorted(by_page)
    for p in pages:
        items = by_page[p]
        for line in (items[0], items[-1]):
            m = _PAGE_NUMBER.match(line.text)
            if m and (len(pages) > 1):
                value = int(m.group(1))
                if abs(value - p) <= 3 or line is items[0] and value > 0:
                    drop.add(line.no)
                    break
    kept = [ln for ln in out if ln.no not in drop and not _URL.match(ln.text)]
    return [Src(ln.no, part, ln.page) for ln in kept for part in _side_by_side(ln.text)]


_NATIONAL = re.compile(r"C[ỘO]NG\s+H[ÒOÀ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM",
                       re.IGNORECASE)
_MOTTO = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", re.IGNORECASE)
_NUMBER_DATE = re.compile(r"^(Số\s*:?\s*\S*)\s+(\S.*?,\s*ngày\b.*)$")
_RECEIVERS = re.compile(r"^(Nơi\s+nhận\s*:)\s*(\S.*)$", re.IGNORECASE)
_SIGNER_TAIL = re.compile(rf"^(-\s.*?)\s+((?:(?:KT|TM|TL|Q)\.\s*)?(?:[{UPPER}]{{2,}}\s*){{1,6}})$")


def _side_by_side(text: str) -> list[str]:
    """Split a line holding two columns of the letterhead or the signature block:
    "XÃ THƯỜNG XUÂN Độc lập - Tự do - Hạnh phúc", "Số: 09/KH-UBND Thường Xuân, ngày 10 …",
    "Nơi nhận: TM. ỦY BAN NHÂN DÂN", "- Sở Nội vụ (b/c); CHỦ TỊCH"."""
    for pattern in (_NATIONAL, _MOTTO):
        m = pattern.search(text)
        if m and m.start() > 0:
            left, right = text[:m.start()].strip(), text[m.start():].strip()
            if left:
                return [left, right]
    m = _NUMBER_DATE.match(text) or _RECEIVERS.match(text)
    if m:
        return [m.group(1), m.group(2)]
    m = _SIGNER_TAIL.match(text)
    if m and len(m.group(2).split()) <= 6 and is_caps_line(m.group(2)) and len(m.group(2)) >= 6:
        return [m.group(1), m.group(2)]
    return [text]


# --------------------------------------------------------------------------------------------
# Parser


def parse_layout_text(data: bytes) -> Document:
    return parse_layout_decoded(data)


def parse_layout_decoded(text: str | bytes) -> Document:
    """The document of layout-flattened text, decoded already or not."""
    try:
        return _parse(decode_text(text) if isinstance(text, bytes) else text)
    except ParseError:
        raise
    except Exception as exc:  # never leak anything but ParseError on odd input
        raise ParseError(f"layout text could not be parsed: {exc.__class__.__name__}: {exc}") from exc


def _parse(text: str) -> Document:
    if "\x00" in text:
        raise ParseError("text file contains NUL bytes: binary data, not a text rendition")
    lines = source_lines(text)
    pages = max((ln.page for ln in lines), default=1) if "\f" in text else None
    regions = _regions(lines, find_headers(lines))
    prose_lines = [ln for kind, r in regions if kind == "prose" for ln in r]  # type: ignore[union-attr]
    width = prose_width(prose_lines)
    # word pairs of running text: what a cell's text looks like, never two cells side by side
    bigrams = Bigrams([ln.text for ln in prose_lines])
    recovered = _recover_tables(regions, bigrams)
    blocks: list[Paragraph | Table] = []
    warnings: list[str] = []
    for kind, region in regions:
        if kind == "prose":
            blocks.extend(paragraphs(region, width))  # type: ignore[arg-type]
            continue
        h, header_lines, body = region  # type: ignore[misc]
        table_index = sum(isinstance(b, Table) for b in blocks)
        result = None if h.statistics else recovered[h.layout_key()].pop(0)
        table, extra, note = _build_table(h, header_lines, body, table_index, result)
        blocks.append(table)
        if note:
            warnings.append(note)
        if extra:
            blocks.extend(paragraphs(extra, width))
    return Document(blocks=blocks, format="txt", pages=pages, warnings=warnings)


def _regions(lines: list[Src], headers: list[Header]) -> list[tuple[str, object]]:
    """Prose runs and tables (header + body until an annex title / closing line)."""
    header_at = {h.start: h for h in headers}

    def table_at(i: int) -> tuple[tuple[Header, list[Src], list[Src]], int] | None:
        h = header_at.get(i)
        if h is None:
            return None
        header_lines, body, end = _table_region(lines, header_at, h)
        return (h, header_lines, body), end

    return split_regions(lines, table_at)


def _table_region(lines: list[Src], header_at: dict[int, Header],
                  h: Header) -> tuple[list[Src], list[Src], int]:
    """The header lines (repeated on later pages too) and body lines of the table whose header
    is `h`, and the index of the line after it."""
    body: list[Src] = []
    header_lines = list(lines[h.start:h.end])
    j = h.end
    last_section: tuple[str, int] | None = None
    while j < len(lines):
        nxt = header_at.get(j)
        if nxt is not None:
            if nxt.signature == h.signature or _same_header(nxt, h):
                _drop_page_number(body)          # the number of the page the header ends
                header_lines.extend(lines[nxt.start:nxt.end])
                j = nxt.end
                continue
            break
        numeral = section_numeral(lines[j].text) if is_section_line(lines[j].text, True) else None
        if ends_table(lines[j].text) and not _section_row(lines[j].text, numeral, body, last_section):
            break
        last_section = numeral or last_section
        body.append(lines[j])
        j += 1
    _drop_page_number(body)
    return header_lines, body, j


def _recover_tables(regions: list[tuple[str, object]], bigrams: Bigrams) -> dict[tuple, list[TableResult]]:
    """The rows of the tables, by header layout: one column order per layout, chosen on the
    lines of all its tables."""
    groups: dict[tuple, list[list[str]]] = {}
    for kind, region in regions:
        if kind == "table":
            h, _, body = region  # type: ignore[misc]
            groups.setdefault(h.layout_key(), []).extend(ln.text.split() for ln in body)
    chosen: dict[tuple, list] = {}
    bodies: dict[tuple, list[list[TLine]]] = {}
    for kind, region in regions:
        if kind == "table":
            h, _, body = region  # type: ignore[misc]
            key = h.layout_key()
            if h.statistics:
                continue
            if key not in chosen:
                chosen[key] = choose_columns(h.options(), groups[key], bigrams)
            bodies.setdefault(key, []).append([TLine(ln.no, ln.text, ln.page) for ln in body])
    return {key: recover_group(tables, chosen[key], bigrams) for key, tables in bodies.items()}


def _drop_page_number(body: list[Src]) -> None:
    """Remove a page number printed after a table's last row on a page (text without form
    feeds, where source_lines cannot tell pages apart): a number alone on the last line,
    unless it continues the table's TT numbering (a row number set on a line of its own).
    Left in, it would be read as part of the last row and shift that row's columns."""
    if not body:
        return
    m = _PAGE_NUMBER.match(body[-1].text)
    if not m or "." in body[-1].text:
        return
    last_seq = next((value for ln in reversed(body[:-1]) if (value := seq_value(ln.text.split()[0]))), None)
    if last_seq is not None and len(last_seq) == 1 and int(m.group(1)) == last_seq[0] + 1:
        return
    body.pop()


def _same_header(a: Header, b: Header) -> bool:
    return fold_words(" ".join(a.main_cells)) == fold_words(" ".join(b.main_cells))


def ends_table(text: str) -> bool:
    return bool(ANNEX.match(text) or TABLE_END.match(text)
                or (is_caps_line(text) and len(text.split()) >= 3 and mostly_words(text)))


def _section_row(text: str, numeral: tuple[str, int] | None, body: list[Src],
                 last: tuple[str, int] | None) -> bool:
    """A section row written in capitals ("A. CÔNG TÁC CHỈ ĐẠO", "II PHÁT TRIỂN HẠ TẦNG SỐ")
    rather than a heading of the text after the table: it opens the table's body, or its
    numeral follows the table's previous section row."""
    if numeral is None or ANNEX.match(text) or TABLE_END.match(text):
        return False
    return not body or follows_section(last, numeral)


def _build_table(h: Header, header_lines: list[Src], body: list[Src], index: int,
                 result: TableResult | None) -> tuple[Table, list[Src], str | None]:
    """The Table of one annex table region, and the body lines to give back as prose when no
    numbered row could be recovered."""
    first_header = header_lines[:h.end - h.start]
    last = (body[-1] if body else header_lines[-1]).no
    tprov = Provenance(line=header_lines[0].no, line_end=last, table=index)
    head_prov = Provenance(line=first_header[0].no, line_end=first_header[-1].no, table=index, row=0)

    def header_row(texts: list[str]) -> Row:
        return Row(cells=[Cell(lines=[t], provenance=Provenance(line=head_prov.line,
                                                                 line_end=head_prov.line_end))
                          for t in texts], provenance=head_prov)

    if h.statistics or result is None:
        # a statistics form: its header lets parsers.structure set it aside; one row per line
        rows = [header_row(h.main_cells + h.stacked)]
        span = len(rows[0].cells)
        for ln in body:      # its cells are not split: each line spans the table
            rows.append(Row(cells=[Cell(lines=[ln.text], provenance=Provenance(line=ln.no),
                                        col_span=span)],
                            provenance=Provenance(line=ln.no, line_end=ln.no, table=index,
                                                  row=len(rows))))
        return Table(rows=rows, provenance=tprov), [], None

    columns = result.columns
    rows = _header_rows(columns, head_prov) if any(c.path for c in columns) \
        else [header_row([c.header for c in columns])]
    # a deadline given by two columns under one label ("Bắt đầu | Kết thúc")
    pairs = [c for c in range(len(columns) - 1) if columns[c].path
             and columns[c].role == columns[c + 1].role == "deadline"
             and columns[c].path == columns[c + 1].path]
    if not any(r.kind == "task" for r in result.rows):
        note = f"layout table at line {head_prov.line}: no numbered rows recovered; body kept as text"
        return Table(rows=rows, provenance=head_prov), body, note
    for rec in result.rows:
        rprov = Provenance(line=min(rec.lines), line_end=max(rec.lines), table=index,
                           row=len(rows)) if rec.lines else Provenance(table=index, row=len(rows))
        if rec.kind == "section":
            sprov = Provenance(line=rprov.line, line_end=rprov.line_end)
            title = _norm(rec.section)
            m = _NUMBERED_GROUP.match(title)
            if m and len(columns) >= 2 and columns[0].role == "seq":
                # a numbered group ("1. Công tác chỉ đạo") as the other renditions give it:
                # its number in the TT column, its title merged over the rest (part of the
                # lettered / roman section above it, see parsers.structure)
                rows.append(Row(cells=[Cell(lines=[m.group(1)], provenance=sprov),
                                       Cell(lines=[m.group(2)], provenance=sprov,
                                            col_span=len(columns) - 1)], provenance=rprov))
                continue
            rows.append(Row(cells=[Cell(lines=[title], provenance=sprov, col_span=len(columns))],
                            provenance=rprov))
            continue
        cells = []
        frag_of = {ci: list(rec.cells.get(ci, [])) for ci in range(len(columns))}
        spans = {}
        for ci in pairs:
            spans[ci] = _start_end(frag_of, ci)

        def cell_of(frags: list[tuple[int, str]], span: int = 1) -> Cell:
            return Cell(lines=_cell_lines([f for _, f in frags]),
                        provenance=Provenance(line=frags[0][0], line_end=frags[-1][0])
                        if frags else Provenance(), col_span=span)

        ci = 0
        while ci < len(columns):
            column = columns[ci]
            if column.role == "seq":
                cells.append(Cell(lines=[rec.seq], provenance=Provenance(line=rec.seq_line)))
            elif spans.get(ci):
                cells.append(cell_of(frag_of[ci], 2))
                ci += 2
                continue
            else:
                cells.append(cell_of(frag_of[ci]))
            ci += 1
        rows.append(Row(cells=cells, provenance=rprov))
    return Table(rows=rows, provenance=tprov), [], None


_NUMBERED_GROUP = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*\.?)\s+(\S.*)$")
_DATE = r"(?:(?:Quý|Tháng|Năm)\s+)?(?:[IVX]{1,4}/|\d{1,2}/)?(?:\d{1,2}/)?\d{4}"
_TWO_DATES = re.compile(rf"^({_DATE})\s+({_DATE})$", re.IGNORECASE)


def _start_end(frags: dict[int, list[tuple[int, str]]], c: int) -> bool:
    """Mend the cells of a deadline's start and end columns (c, c + 1) as read line by line:
    a cell merged over both ("Thường xuyên", "Theo hướng dẫn của Sở") came out in two pieces,
    two dates set on one line ("12/2026 01/2027") in one. True when the row's deadline is one
    cell over both columns (then in frags[c])."""
    start, end = frags[c], frags[c + 1]
    text_s = " ".join(t for _, t in start)
    text_e = " ".join(t for _, t in end)
    if start and end:
        if re.search(r"\d", text_s) and re.search(r"\d", text_e):
            return False
        merged = sorted(start + end, key=lambda f: f[0])     # stable: start before end
        frags[c], frags[c + 1] = merged, []
        return True
    one = start or end
    m = _TWO_DATES.match(" ".join(t for _, t in one)) if one else None
    if m and len(one) == 1:
        line = one[0][0]
        frags[c], frags[c + 1] = [(line, m.group(1))], [(line, m.group(2))]
        return False
    if one and not re.search(r"\d", text_s + text_e):
        frags[c], frags[c + 1] = one, []
        return True      # a phrase, not a date, in one of them: the merged cell, read off-centre
    return False


def _header_rows(columns: list, prov: Provenance) -> list[Row]:
    """A header of several label rows: every column's labels top to bottom, a label over
    neighbouring columns spanning them, a column's own label merged down the rows below it."""
    paths = [list(c.path) + [c.header] for c in columns]
    depth = max(len(p) for p in paths)
    rows: list[Row] = []
    for r in range(depth):
        cells: list[Cell] = []
        c = 0
        while c < len(columns):
            path = paths[c]
            if r >= len(path):          # the column's own label, merged from the row above
                cells.append(Cell(lines=[path[-1]], provenance=Provenance(line=prov.line, line_end=prov.line_end),
                                  merged_from_above=True))
                c += 1
                continue
            span = 1
            if r < len(path) - 1:       # a label over columns: as far as they share it
                while (c + span < len(columns) and len(paths[c + span]) > r + 1
                       and paths[c + span][:r + 1] == path[:r + 1]):
                    span += 1
            cells.append(Cell(lines=[path[r]], provenance=Provenance(line=prov.line, line_end=prov.line_end),
                              col_span=span))
            c += span
        rows.append(Row(cells=cells, provenance=Provenance(line=prov.line, line_end=prov.line_end,
                                                           table=prov.table, row=r)))
    return rows


_ITEM_START = re.compile(r"^(?:[-+•▪●]|\u2212)\s*\S")


def _cell_lines(fragments: list[str]) -> list[str]:
    """Fragments of a cell joined back into its paragraphs (a bullet starts a new one)."""
    out: list[str] = []
    for frag in fragments:
        if not out or _ITEM_START.match(frag):
            out.append(frag)
            continue
        prev = out[-1]
        if prev.endswith("-") and len(prev) >= 2 and prev[-2].isalnum():
            out[-1] = prev + frag
        else:
            out[-1] = f"{prev} {frag}"
    return [_norm(t) for t in out if t.strip()]
