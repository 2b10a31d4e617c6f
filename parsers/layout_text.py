"""Parser for layout-flattened PDF text (what pdfplumber's `extract_text` gives): no tabs, prose
wrapped at the page width, form feeds between pages with the page number on a line of its own,
and annex tables flattened line by line (the cells of a row interleaved, the header row repeated
on every page). Prose lines are re-joined into paragraphs; annex task tables are recovered into
Table / Row / Cell by parsers.layout_table, with a header row `parsers.structure` can map.

`looks_like_layout_text` tells such text from a normal text rendition (tab- or pipe-separated
rows, markdown, HTML), so callers can pick the parser without being told.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from normalize.text import UPPER, collapse_spaces, fold_words, nfc
from parsers.columns import vocabulary
from parsers.errors import ParseError
from parsers.layout_table import (Bigrams, Column, TableResult, TLine, choose_columns, interleavings,
                                  recover_group)
from parsers.layout_rows import seq_value
from parsers.model import Cell, Document, Paragraph, Provenance, Row, Table
from parsers.text import decode_text

_PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(?:trang\s+)?(\d{1,3})(?:\s*/\s*\d{1,3})?(?:\s*[-–])?$",
                          re.IGNORECASE)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_MARKER = re.compile(
    r"^(?:[-+•▪●*–]\s|[a-zđ]\s?[).]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|"
    r"(?:X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3})[.)]\s|[A-ZĐ][.)]\s|\(|Điều\s+\d|Chương\s+[IVX])")
_SENTENCE_END = re.compile(r"[.;:!?…]\s*$|\./\.\s*$")
_ANNEX = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)
# Lines that close a table: signature block, annex note, and the closing formula of the text
# ("Trên đây là Kế hoạch …") when a table sits in the body of the plan.
_TABLE_END = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|\(Kèm theo|Ghi chú\s*:|Trên đây là\b)", re.IGNORECASE)
_TT_HEADER = re.compile(r"^(?:S[ốo]\s+)?S?TT\.?(?:\s|$)|^Số\s+thứ\s+tự\b", re.IGNORECASE)
_HTML = re.compile(r"<\s*/?\s*(?:table|tr|td|th|p|br|li|ul|div|b|strong)\b[^>]*>", re.IGNORECASE)

_HEADER_EXTRA = (
    "tt stt so thu tu ten noi dung nhiem vu cong viec cu the thuc hien hoan thanh thoi gian "
    "han tien do du kien san pham ket qua hinh thuc van ban the hien co quan don vi chu tri "
    "phoi hop ghi chu giai phap trach nhiem tham muu theo doi kiem tra don doc chi tieu thong "
    "ke tinh lieu hoat dong de an moc chinh phu trach dau moi"
)


def _norm(text: str) -> str:
    """NFC and tidy spaces; words are kept as written (no tone-mark rewriting)."""
    return collapse_spaces(nfc(text).replace("\u200b", "").replace("\ufeff", ""))


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
    if any(_is_main_header(ln) for ln in nonblank):
        return True
    form_feeds = text.count("\f")
    long_lines = [ln for ln in nonblank if len(ln) >= 40]
    if len(long_lines) < 5:
        return False
    unfinished = sum(1 for ln in long_lines if not _SENTENCE_END.search(ln))
    lengths = sorted(len(ln) for ln in long_lines)
    typical = lengths[len(lengths) * 3 // 4]
    near_width = sum(1 for n in lengths if n >= typical * 0.85) / len(lengths)
    wrapped = unfinished / len(long_lines)
    return ((wrapped >= 0.5 and near_width >= 0.5 and typical <= 130)
            or (form_feeds >= 1 and wrapped >= 0.4))


# --------------------------------------------------------------------------------------------
# Lines and pages


@dataclass
class _Src:
    no: int
    text: str
    page: int


def _source_lines(text: str) -> list[_Src]:
    out: list[_Src] = []
    page = 1
    by_page: dict[int, list[_Src]] = {}
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if "\f" in raw:
            before, *rest = raw.split("\f")
            if before.strip():
                line = _Src(no, _norm(before), page)
                out.append(line)
                by_page.setdefault(page, []).append(line)
            page += len(rest)
            raw = rest[-1]
        stripped = _norm(raw)
        if not stripped:
            continue
        line = _Src(no, stripped, page)
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
    return [_Src(ln.no, part, ln.page) for ln in kept for part in _side_by_side(ln.text)]


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
    if m and len(m.group(2).split()) <= 6 and _is_caps_line(m.group(2)) and len(m.group(2)) >= 6:
        return [m.group(1), m.group(2)]
    return [text]


# --------------------------------------------------------------------------------------------
# Table headers


@lru_cache(maxsize=1)
def _header_words() -> frozenset[str]:
    vocab = vocabulary()
    words = set(_HEADER_EXTRA.split())
    for rule in vocab.rules:
        for phrase in rule.any_of + rule.exact:
            words.update(phrase.split())
    for phrase in vocab.statistics_markers:
        words.update(phrase.split())
    return frozenset(words)


def _is_header_ish(text: str) -> bool:
    words = fold_words(text).split()
    return bool(words) and len(text) <= 90 and all(w in _header_words() for w in words)


def _cap_split(text: str) -> list[str]:
    """Header cells of one line: a new cell starts at every capitalised word."""
    cells: list[list[str]] = []
    for tok in text.split():
        first = next((ch for ch in tok if ch.isalpha()), "")
        if not cells or (first and first.isupper() and not cells[-1][-1].endswith(("/", "-"))):
            cells.append([tok])
        else:
            cells[-1].append(tok)
    return [" ".join(c) for c in cells]


def _is_main_header(text: str) -> bool:
    if not _TT_HEADER.match(text) or len(text) > 220:
        return False
    cells = _cap_split(text)
    vocab = vocabulary()
    if vocab.marks_statistics(text):
        return len(cells) >= 3
    roles = {vocab.role_of(c) for c in cells[1:]}
    return "content" in roles and len(roles & {"products", "lead", "coordinating", "deadline"}) >= 1


@dataclass
class _Header:
    start: int                 # index range in the line list
    end: int
    main: int
    statistics: bool
    main_cells: list[str]
    stacked: list[str]         # header cells written over the lines around the TT line
    signature: str
    above: list[str]
    below: list[str]

    def layout_key(self) -> tuple:
        return (tuple(fold_words(t) for t in self.main_cells), tuple(fold_words(t) for t in self.stacked))

    def options(self) -> list[list[Column]]:
        vocab = vocabulary()

        def col(text: str, first: bool = False) -> Column:
            role = "seq" if first else vocab.role_of(text)
            if role is None or (role != "seq" and vocab.is_extra(role)) or (role == "seq" and not first):
                role = "other" if not first else "seq"
            return Column(text, role)

        main = [col(t, i == 0) for i, t in enumerate(self.main_cells)]
        stacked = [col(t) for t in self.stacked]
        return interleavings(main, stacked)


def _find_headers(lines: list[_Src]) -> list[_Header]:
    headers: list[_Header] = []
    taken: set[int] = set()
    vocab = vocabulary()
    for i, line in enumerate(lines):
        if i in taken:
            continue
        if not _is_main_header(line.text):
            # a statistics form: short TT line, its header words on the lines around it
            if not (_TT_HEADER.match(line.text) and len(line.text) <= 60 and _is_header_ish(line.text)):
                continue
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(lines) and lines[j].page == line.page]
            if not any(vocab.marks_statistics(lines[j].text) for j in near):
                continue
            start, end = (i - 1 if i - 1 in near else i), (i + 2 if i + 1 in near else i + 1)
            cells = _cap_split(" ".join(ln.text for ln in lines[start:end]))
            signature = fold_words(" ".join(ln.text for ln in lines[start:end]))
            headers.append(_Header(start, end, i, True, cells, [], signature, [], []))
            taken.update(range(start, end))
            continue
        above = 0
        while (above < 4 and i - above - 1 >= 0 and i - above - 1 not in taken
               and lines[i - above - 1].page == line.page
               and _is_header_ish(lines[i - above - 1].text)):
            above += 1
        below = 0
        while (below < above and i + below + 1 < len(lines)
               and lines[i + below + 1].page == line.page
               and _is_header_ish(lines[i + below + 1].text)
               and not _is_main_header(lines[i + below + 1].text)):
            below += 1
        start, end = i - above, i + below + 1
        # a row numbering the columns, "(1) (2) (3) …", belongs to the header
        if (end < len(lines) and lines[end].page == line.page
                and re.fullmatch(r"(?:\(?\d{1,2}\)?[.*]?\s*){3,}", lines[end].text)):
            end += 1
        statistics = vocabulary().marks_statistics(" ".join(ln.text for ln in lines[start:end]))
        main_cells = _cap_split(line.text)
        signature = fold_words(" ".join(ln.text for ln in lines[start:end]))
        headers.append(_Header(start, end, i, statistics, main_cells, [], signature,
                               [ln.text for ln in lines[start:i]],
                               [ln.text for ln in lines[i + 1:i + below + 1]]))
        taken.update(range(start, end))
    return headers


def _stack_cells(above: list[str], below: list[str], bigrams: Bigrams) -> list[str]:
    """Header cells written over several lines above / below the TT line."""
    cells: list[str] = []
    for text in above:
        parts = _cap_split(text)
        if parts and cells and not _starts_upper(parts[0]):
            cells[-1] = f"{cells[-1]} {parts[0]}"
            parts = parts[1:]
        cells.extend(parts)
    if not cells:
        return []
    vocab = vocabulary()
    for text in below:
        toks = text.split()
        if len(cells) == 1:
            cells[0] = f"{cells[0]} {text}"
            continue
        best, best_score = None, None
        # split toks into len(cells) contiguous (possibly empty) parts
        for cuts in _cuts(len(toks), len(cells)):
            parts = [toks[a:b] for a, b in zip((0,) + cuts, cuts + (len(toks),))]
            score = 0.0
            for cell, part in zip(cells, parts):
                joined = f"{cell} {' '.join(part)}".strip()
                if part and vocab.role_of(joined) is not None:
                    score += 2.0
                if part:
                    score += 0.5
            for a in cuts:
                if 0 < a < len(toks):
                    score -= bigrams.strength(fold_words(toks[a - 1]), fold_words(toks[a]))
            if best_score is None or score > best_score:
                best, best_score = parts, score
        cells = [f"{c} {' '.join(p)}".strip() for c, p in zip(cells, best)]
    return cells


def _cuts(n: int, parts: int) -> list[tuple[int, ...]]:
    out = []
    for cuts in product(range(n + 1), repeat=parts - 1):
        if all(a <= b for a, b in zip(cuts, cuts[1:])):
            out.append(tuple(cuts))
    return out


def _starts_upper(text: str) -> bool:
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.isupper()


# --------------------------------------------------------------------------------------------
# Prose


def _is_caps_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and all(ch.isupper() for ch in letters)


def _paragraphs(lines: list[_Src], width: int) -> list[Paragraph]:
    out: list[Paragraph] = []
    cur: list[_Src] = []

    def flush() -> None:
        if not cur:
            return
        text = cur[0].text
        for ln in cur[1:]:
            if text.endswith("-") and not text.endswith((" -", "–")) and ln.text[:1].isalpha():
                text = f"{text}{ln.text}" if text[-2:-1].isalpha() else f"{text} {ln.text}"
            else:
                text = f"{text} {ln.text}"
        text = _norm(text)
        list_item = bool(re.match(r"^[-+•▪●*–]\s|^[a-zđ]\)\s", text))
        out.append(Paragraph(text=text, provenance=Provenance(line=cur[0].no, line_end=cur[-1].no),
                             bold=_is_caps_line(text) and len(text) < 200, list_item=list_item))
        cur.clear()

    for line in lines:
        if cur:
            prev, text = cur[-1].text, line.text
            first = next((ch for ch in text if ch.isalnum()), "")
            lower = first.islower()
            ended = bool(re.search(r"[.!?…]\s*$|\./\.\s*$", prev))
            paused = prev.rstrip().endswith((";", ":"))
            short = len(prev) < 0.78 * width
            if text.startswith("("):
                new = ended or paused or short
            else:
                new = (bool(_MARKER.match(text)) or ((ended or paused or short) and not lower)
                       or _is_caps_line(text) != _is_caps_line(prev) or bool(_ANNEX.match(text))
                       or (prev.startswith("(") and prev.endswith(")")))
            if new:
                flush()
        cur.append(line)
    flush()
    return out


def _prose_width(lines: list[_Src]) -> int:
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= 30)
    if not lengths:
        return 80
    return lengths[int(0.8 * (len(lengths) - 1))]


# --------------------------------------------------------------------------------------------
# Parser


def parse_layout_text(data: bytes) -> Document:
    try:
        return _parse(data)
    except ParseError:
        raise
    except Exception as exc:  # never leak anything but ParseError on odd input
        raise ParseError(f"layout text could not be parsed: {exc.__class__.__name__}: {exc}") from exc


def _parse(data: bytes) -> Document:
    text = decode_text(data)
    if "\x00" in text:
        raise ParseError("text file contains NUL bytes: binary data, not a text rendition")
    lines = _source_lines(text)
    pages = max((ln.page for ln in lines), default=1) if "\f" in text else None
    headers = _find_headers(lines)
    header_at = {h.start: h for h in headers}

    # regions: prose runs and tables (header + body until an annex title / closing line)
    regions: list[tuple[str, object]] = []
    i = 0
    prose: list[_Src] = []
    while i < len(lines):
        h = header_at.get(i)
        if h is None:
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            regions.append(("prose", prose))
            prose = []
        body: list[_Src] = []
        header_lines = list(lines[h.start:h.end])
        j = h.end
        while j < len(lines):
            nxt = header_at.get(j)
            if nxt is not None:
                if nxt.signature == h.signature or _same_header(nxt, h):
                    _drop_page_number(body)          # the number of the page the header ends
                    header_lines.extend(lines[nxt.start:nxt.end])
                    j = nxt.end
                    continue
                break
            if _ends_table(lines[j].text):
                break
            body.append(lines[j])
            j += 1
        _drop_page_number(body)
        regions.append(("table", (h, header_lines, body)))
        i = j
    if prose:
        regions.append(("prose", prose))

    prose_lines = [ln for kind, r in regions if kind == "prose" for ln in r]  # type: ignore[union-attr]
    width = _prose_width(prose_lines)
    # word pairs of running text: what a cell's text looks like, never two cells side by side
    bigrams = Bigrams([ln.text for ln in prose_lines])
    for h in headers:
        h.stacked = _stack_cells(h.above, h.below, bigrams)
    # one column order per header layout, chosen on the lines of all its tables
    groups: dict[tuple, list[list[str]]] = {}
    for kind, region in regions:
        if kind == "table":
            h, _, body = region  # type: ignore[misc]
            groups.setdefault(h.layout_key(), []).extend(ln.text.split() for ln in body)
    chosen: dict[tuple, list[Column]] = {}
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
    recovered: dict[tuple, list[TableResult]] = {
        key: recover_group(tables, chosen[key], bigrams) for key, tables in bodies.items()}
    blocks: list[Paragraph | Table] = []
    warnings: list[str] = []
    for kind, region in regions:
        if kind == "prose":
            blocks.extend(_paragraphs(region, width))  # type: ignore[arg-type]
            continue
        h, header_lines, body = region  # type: ignore[misc]
        table_index = sum(isinstance(b, Table) for b in blocks)
        result = None if h.statistics else recovered[h.layout_key()].pop(0)
        table, extra, note = _build_table(h, header_lines, body, table_index, result)
        blocks.append(table)
        if note:
            warnings.append(note)
        if extra:
            blocks.extend(_paragraphs(extra, width))
    return Document(blocks=blocks, format="txt", pages=pages, warnings=warnings)


def _drop_page_number(body: list[_Src]) -> None:
    """Remove a page number printed after a table's last row on a page (text without form
    feeds, where _source_lines cannot tell pages apart): a number alone on the last line,
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


def _same_header(a: _Header, b: _Header) -> bool:
    return fold_words(" ".join(a.main_cells)) == fold_words(" ".join(b.main_cells))


def _ends_table(text: str) -> bool:
    return bool(_ANNEX.match(text) or _TABLE_END.match(text)
                or (_is_caps_line(text) and len(text.split()) >= 3))


def _build_table(h: _Header, header_lines: list[_Src], body: list[_Src], index: int,
                 result: TableResult | None) -> tuple[Table, list[_Src], str | None]:
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
    rows = [header_row([c.header for c in columns])]
    if not any(r.kind == "task" for r in result.rows):
        note = f"layout table at line {head_prov.line}: no numbered rows recovered; body kept as text"
        return Table(rows=rows, provenance=head_prov), body, note
    for rec in result.rows:
        rprov = Provenance(line=min(rec.lines), line_end=max(rec.lines), table=index,
                           row=len(rows)) if rec.lines else Provenance(table=index, row=len(rows))
        if rec.kind == "section":
            rows.append(Row(cells=[Cell(lines=[_norm(rec.section)],
                                        provenance=Provenance(line=rprov.line, line_end=rprov.line_end),
                                        col_span=len(columns))], provenance=rprov))
            continue
        cells = []
        for ci, column in enumerate(columns):
            if column.role == "seq":
                cells.append(Cell(lines=[rec.seq], provenance=Provenance(line=rec.seq_line)))
                continue
            frags = rec.cells.get(ci, [])
            cells.append(Cell(lines=_cell_lines([f for _, f in frags]),
                              provenance=Provenance(line=frags[0][0], line_end=frags[-1][0])
                              if frags else Provenance()))
        rows.append(Row(cells=cells, provenance=rprov))
    return Table(rows=rows, provenance=tprov), [], None


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
