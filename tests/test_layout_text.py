"""Layout-flattened PDF text (pdfplumber `extract_text`): detection and recovery of the annex
task tables, checked against the clean renditions (.txt) of the same dev plans, plus synthetic
tables rendered the way the extractor flattens them (centred and top-aligned cells)."""
from __future__ import annotations

import random
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from normalize.text import fold_words
from parsers.errors import ParseError
from parsers.text.layout_text import looks_like_layout_text, parse_layout_text
from parsers.text.layout_types import visual_len
from parsers.model import Paragraph
from parsers.plan.structure import analyse
from parsers.text.plain import parse_text

_LOCAL = Path(__file__).parent / "data" / "dev"
DEV = _LOCAL if any(_LOCAL.glob("*.layout.txt")) else Path("/work/shared/corpus/dev")
LAYOUT = sorted(DEV.glob("*.layout.txt"))
PLAIN = sorted(p for p in DEV.glob("*.txt") if not p.name.endswith(".layout.txt"))
needs_dev = pytest.mark.skipif(not LAYOUT, reason="dev corpus not available")

EXPECTED_TASKS = {"000": 38, "002": 36, "003": 42}
# Floors a little under what the parser achieves on the dev plans (per document):
# share of tasks whose content has token-F1 >= 0.9 with the clean rendition, mean content F1,
# share of equal lead / deadline cells (compared after fold_words).
FLOORS = {
    "000": {"content": 0.97, "content_mean": 0.98, "lead": 0.95, "deadline": 0.97},
    "002": {"content": 0.97, "content_mean": 0.98, "lead": 0.9, "deadline": 0.95},
    "003": {"content": 0.97, "content_mean": 0.98, "lead": 0.95, "deadline": 0.92},
}


def _key(path: Path) -> str:
    return path.name[:3]


def _token_f1(a: str, b: str) -> float:
    ta, tb = fold_words(a).split(), fold_words(b).split()
    if not ta and not tb:
        return 1.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


_parsed: dict[Path, object] = {}


def _layout_doc(path: Path):
    if path not in _parsed:
        _parsed[path] = parse_layout_text(path.read_bytes())
    return _parsed[path]


# ------------------------------------------------------------------ detection

@needs_dev
@pytest.mark.parametrize("path", LAYOUT, ids=lambda p: p.name)
def test_layout_renditions_are_detected(path: Path) -> None:
    assert looks_like_layout_text(path.read_text("utf-8"))


@needs_dev
@pytest.mark.parametrize("path", PLAIN, ids=lambda p: p.name)
def test_clean_renditions_are_not_layout(path: Path) -> None:
    assert not looks_like_layout_text(path.read_text("utf-8"))


def test_detection_of_other_text_kinds() -> None:
    header = "TT\tNội dung thực hiện\tCơ quan chủ trì\tThời gian hoàn thành"
    tabbed = "\n".join([header, "1\tRà soát văn bản\tVăn phòng\tCả năm 2026"] * 4)
    assert not looks_like_layout_text(tabbed)
    piped = "\n".join(["| TT | Nội dung | Cơ quan chủ trì |", "|---|---|---|"]
                      + ["| 1 | Rà soát | Phòng |"] * 4)
    assert not looks_like_layout_text(piped)
    html = "<table><tr><td>TT</td><td>Nội dung</td></tr>" + "<tr><td>1</td><td>x</td></tr>" * 5
    assert not looks_like_layout_text(html + "\n" * 6)
    one_paragraph_per_line = "\n".join(
        ["Thực hiện Kế hoạch số 1/KH-UBND của Ủy ban nhân dân tỉnh về cải cách hành chính."] * 8)
    assert not looks_like_layout_text(one_paragraph_per_line)
    assert not looks_like_layout_text("KẾ HOẠCH\nngắn")
    assert looks_like_layout_text(_document([3, 40, 22, 16, 20, 12], "center"))
    wrapped = "\n".join(textwrap.wrap(_PROSE_TEXT * 3, 76)) + "\n\f2\n" + "\n".join(
        textwrap.wrap(_PROSE_TEXT, 76))
    assert looks_like_layout_text(wrapped)


# ------------------------------------------------------------------ dev plans vs clean renditions

def _pairs(path: Path):
    got = analyse(_layout_doc(path)).task_rows
    ref = analyse(parse_text(path.with_name(path.name.replace(".layout.txt", ".txt")).read_bytes())).task_rows
    return got, ref


@needs_dev
@pytest.mark.parametrize("path", LAYOUT, ids=lambda p: p.name)
def test_task_count_and_numbers(path: Path) -> None:
    got, ref = _pairs(path)
    assert len(got) == EXPECTED_TASKS[_key(path)] == len(ref)
    assert [t.text("seq").strip(".") for t in got] == [t.text("seq").strip(".") for t in ref]


@needs_dev
@pytest.mark.parametrize("path", LAYOUT, ids=lambda p: p.name)
def test_row_recovery_quality(path: Path) -> None:
    got, ref = _pairs(path)
    n = len(ref)
    f1 = [_token_f1(g.text("content"), r.text("content")) for g, r in zip(got, ref)]
    lead = sum(fold_words(g.text("lead")) == fold_words(r.text("lead")) for g, r in zip(got, ref))
    deadline = sum(fold_words(g.text("deadline")) == fold_words(r.text("deadline"))
                   for g, r in zip(got, ref))
    floors = FLOORS[_key(path)]
    assert sum(f >= 0.9 for f in f1) / n >= floors["content"]
    assert sum(f1) / n >= floors["content_mean"]
    assert lead / n >= floors["lead"]
    assert deadline / n >= floors["deadline"]


@needs_dev
@pytest.mark.parametrize("after", [
    "{page}",                      # text without form feeds: the page number under the last row
    "Trên đây là Kế hoạch cải cách hành chính năm 2026 của Ủy ban nhân dân xã, yêu cầu các cơ\n"
    "quan, đơn vị triển khai thực hiện nghiêm túc./.",      # the closing formula after a table
], ids=["page-number", "closing-formula"])
def test_text_after_the_last_table_row_is_not_read_into_it(after: str) -> None:
    """Lines after a table's last row used to be read as part of that row and shifted its
    columns."""
    path = next(p for p in LAYOUT if _key(p) == "002")
    plain = [r.cells for r in analyse(_layout_doc(path)).task_rows]
    last_seq = int(plain[-1]["seq"].text.strip("."))
    trailing = after.format(page=last_seq - 15)
    data = path.read_bytes().rstrip() + f"\n\n{trailing}\n".encode()
    got = [r.cells for r in analyse(parse_layout_text(data)).task_rows]
    assert len(got) == len(plain)
    for role in ("content", "lead", "coordinating", "products", "deadline"):
        assert [c[role].text for c in got if role in c] == [c[role].text for c in plain if role in c]


@needs_dev
def test_sections_annexes_and_statistics_form() -> None:
    by_key = {_key(p): p for p in LAYOUT}
    s000 = analyse(_layout_doc(by_key["000"]))
    annexes = sorted({t.annex for t in s000.task_rows})
    assert len(annexes) == 7 and all(a.startswith("Phụ lục số 0") for a in annexes)
    assert annexes[0] == "Phụ lục số 01: Cải cách thể chế"
    s002 = analyse(_layout_doc(by_key["002"]))
    sections = list(dict.fromkeys(t.section for t in s002.task_rows))
    assert [s.split()[0] for s in sections] == ["I.", "II.", "III.", "IV.", "V.", "VI."]
    assert sections[0] == "I. Cải cách thể chế"
    s003 = analyse(_layout_doc(by_key["003"]))
    assert s003.statistics_tables == 1 and len(s003.task_rows) == 42   # Phụ lục 01b: no tasks
    assert s003.task_rows[-1].section.startswith("VII.")


@needs_dev
def test_prose_paragraphs_page_numbers_and_letterhead() -> None:
    path = next(p for p in LAYOUT if _key(p) == "000")
    doc = _layout_doc(path)
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    texts = [p.text for p in paragraphs]
    # the two columns of the letterhead are told apart
    assert texts[:6] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ THƯỜNG XUÂN",
                         "Độc lập - Tự do - Hạnh phúc", "Số: 09/KH-UBND",
                         "Thường Xuân, ngày 10 tháng 01 năm 2026"]
    # wrapped lines are re-joined, a paragraph ends at a sentence end
    opening = next(p for p in paragraphs if p.text.startswith("Thực hiện Kế hoạch số 257/KH-UBND"))
    assert opening.text.endswith("với các nội dung cụ thể như sau:")
    assert (opening.provenance.line, opening.provenance.line_end) == (6, 9)
    item = next(p for p in paragraphs if p.text.startswith("c) Chủ động rà soát"))
    assert "kịp thời đề xuất UBND tỉnh" in item.text and item.list_item
    # page numbers are dropped, paragraphs broken by a page are joined
    assert not any(t.isdigit() for t in texts)
    assert any(t.startswith("d) Tổ chức triển khai có hiệu quả") and "Thực hiện hiệu quả công tác" in t
               for t in texts)
    assert doc.pages == 16 and doc.format == "txt"


@needs_dev
@pytest.mark.parametrize("path", LAYOUT, ids=lambda p: p.name)
def test_provenance_and_cells(path: Path) -> None:
    n_lines = len(path.read_text("utf-8").split("\n"))
    doc = _layout_doc(path)
    for table in doc.tables():
        header, *rows = table.rows
        width = len(header.cells)
        for row in rows:
            prov = row.provenance
            assert 1 <= prov.line <= prov.line_end <= n_lines
            assert sum(max(1, c.col_span) for c in row.cells) == width
            for cell in row.cells:
                if cell.provenance.line is not None:
                    assert prov.line <= cell.provenance.line <= prov.line_end
                assert all(line == line.strip() and line for line in cell.lines)
    # products keep one line per bullet item
    task = analyse(doc).task_rows[0]
    if _key(path) == "000":
        assert task.lines("products") == ["- Kế hoạch;", "- Báo cáo rà soát"]
        assert task.text("lead") == "Văn phòng HĐND&UBND xã"


@needs_dev
@pytest.mark.parametrize("path", LAYOUT, ids=lambda p: p.name)
def test_deterministic_and_fast(path: Path) -> None:
    data = path.read_bytes()
    start = time.process_time()
    first = parse_layout_text(data)
    elapsed = time.process_time() - start
    second = parse_layout_text(data)
    assert repr(first) == repr(second)
    assert elapsed < 2.0      # ~0.2 s on an idle machine; generous for loaded CI runners


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("data", [
    b"\xff\xfe\x00\xd8",                 # broken UTF-16
    b"TT N\xe9i dung\n1 \xc3\x28",       # not UTF-8
    "TT Nội dung\x00".encode(),          # NUL byte
])
def test_bad_input_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_layout_text(data)


def test_odd_input_never_raises_anything_else() -> None:
    rnd = random.Random(7)
    pieces = ["TT Nội dung thực hiện Sản phẩm Cơ quan chủ trì Cơ quan phối hợp Thời gian",
              "1", "2.", "II.", "- Kế hoạch;", "Phòng Văn hóa - Xã hội", "Cả năm 2026", "\f3",
              "Phụ lục", "", "x" * 300, "Thường", "xuyên", "I. Cải cách thể chế", "(1) (2) (3) (4)"]
    samples = [b"", b"\n\n", "\f".encode() * 20, "1\n" * 200, b"TT", _document([3, 40, 22, 16, 20, 12],
               "center")[:700].encode()]
    for _ in range(80):
        samples.append("\n".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 60))).encode())
    for _ in range(20):
        samples.append(bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 300))))
    for data in samples:
        try:
            doc = parse_layout_text(data)
        except ParseError:
            continue
        analyse(doc)


def test_table_without_numbered_rows_keeps_its_text() -> None:
    text = ("Phụ lục\nTT Nội dung thực hiện Cơ quan chủ trì Thời gian hoàn thành\n"
            "Rà soát văn bản quy phạm pháp luật Văn phòng Cả năm 2026\n")
    doc = parse_layout_text(text.encode())
    assert any("Rà soát văn bản" in p.text for p in doc.paragraphs())
    assert doc.warnings and not analyse(doc).task_rows


# ------------------------------------------------------------------ synthetic flattened tables

_PROSE_TEXT = (
    "Thực hiện Kế hoạch số 120/KH-UBND ngày 20 tháng 12 năm 2025 của Ủy ban nhân dân tỉnh về cải "
    "cách hành chính năm 2026, Ủy ban nhân dân xã An Bình ban hành Kế hoạch cải cách hành chính "
    "năm 2026 như sau: Văn phòng HĐND và UBND xã chủ trì tham mưu, Phòng Văn hóa - Xã hội phối hợp "
    "với các phòng, ban chuyên môn và Trung tâm Phục vụ hành chính công xã triển khai thực hiện "
    "thường xuyên, cả năm; Phòng Kinh tế theo dõi việc quản lý, sử dụng tài sản công. Các phòng, "
    "ban chuyên môn liên quan báo cáo kết quả thực hiện theo quy định, trước ngày 15 tháng 12 hằng "
    "năm. ")
_HEADER = ["TT", "Nội dung thực hiện", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
           "Thời gian hoàn thành"]
_ROLES = ["seq", "content", "products", "lead", "coordinating", "deadline"]
_ROWS = [
    ["1", "Rà soát, kiểm tra văn bản quy phạm pháp luật do Ủy ban nhân dân xã ban hành để kịp thời "
          "đề xuất sửa đổi, bổ sung", "Báo cáo kết quả rà soát", "Văn phòng HĐND và UBND xã",
     "Các phòng, ban chuyên môn", "Cả năm 2026"],
    ["2", "Niêm yết công khai thủ tục hành chính tại Trung tâm Phục vụ hành chính công xã",
     "Danh mục thủ tục hành chính được công khai", "Trung tâm Phục vụ hành chính công",
     "Các phòng, ban chuyên môn liên quan", "Thường xuyên"],
    ["3", "Tổ chức tập huấn nâng cao năng lực cho cán bộ, công chức làm công tác cải cách hành chính",
     "Kế hoạch tập huấn; Báo cáo kết quả", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND xã",
     "Quý II/2026"],
    ["4", "Thực hiện tự đánh giá, chấm điểm chỉ số cải cách hành chính của xã theo hướng dẫn của tỉnh",
     "Báo cáo tự đánh giá", "Phòng Văn hóa - Xã hội", "Các phòng, ban chuyên môn",
     "Trước ngày 15/10/2026"],
    ["5", "Kiểm tra việc quản lý, sử dụng tài sản công tại các cơ quan, đơn vị trên địa bàn xã",
     "Kế hoạch kiểm tra; Thông báo kết luận", "Phòng Kinh tế", "Văn phòng HĐND và UBND xã",
     "Quý III/2026"],
    ["6", "Đẩy mạnh thanh toán trực tuyến phí, lệ phí trên Cổng Dịch vụ công quốc gia",
     "Báo cáo kết quả thực hiện", "Trung tâm Phục vụ hành chính công", "Phòng Kinh tế",
     "Thường xuyên"],
    ["7", "Tuyên truyền về cải cách hành chính trên hệ thống truyền thanh của xã và trang thông tin "
          "điện tử", "Chuyên mục tuyên truyền", "Phòng Văn hóa - Xã hội", "Các thôn trên địa bàn xã",
     "Cả năm 2026"],
    ["8", "Xây dựng, ban hành kế hoạch cải cách hành chính năm 2027 của Ủy ban nhân dân xã",
     "Kế hoạch của Ủy ban nhân dân xã", "Phòng Văn hóa - Xã hội", "Các phòng, ban chuyên môn",
     "Tháng 12/2026"],
]


def _wrap_printed(text: str, width: float) -> list[str]:
    """Greedy wrapping at a printed width (what a PDF's table cell does), in typical letters."""
    lines: list[list[str]] = []
    for word in text.split():
        if lines and sum(visual_len(w) + 1 for w in lines[-1] + [word]) - 1 <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(words) for words in lines]


def _render_row(cells: list[str], widths: list[int], aligned: str, printed: bool = False) -> list[str]:
    """One table row as the extractor flattens it: each cell wrapped in its column (by
    characters, or by printed width), cells vertically centred (or top-aligned), the fragments
    at one height joined on one line."""
    slots: dict[int, list[tuple[int, str]]] = {}
    for col, (text, width) in enumerate(zip(cells, widths)):
        frags = (_wrap_printed(text, width) if printed
                 else textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))
        for k, frag in enumerate(frags):
            pos = -(len(frags) - 1) + 2 * k if aligned == "center" else 2 * k
            slots.setdefault(pos, []).append((col, frag))
    return [" ".join(f for _, f in sorted(slots[p])) for p in sorted(slots)]


def _document(widths: list[int], aligned: str, per_page: int = 4, printed: bool = False) -> str:
    out = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
           "XÃ AN BÌNH Độc lập - Tự do - Hạnh phúc",
           "Số: 15/KH-UBND An Bình, ngày 05 tháng 01 năm 2026", "KẾ HOẠCH",
           "Cải cách hành chính trên địa bàn xã An Bình năm 2026"]
    out += textwrap.wrap(_PROSE_TEXT, 78)
    out += ["", "\f2", "Phụ lục", "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026"]
    head = _render_row(_HEADER, widths, "center", printed)
    out += head
    for i, row in enumerate(_ROWS):
        if i and i % per_page == 0:
            out += ["\f" + str(3 + i // per_page)] + head
        out += _render_row(row, widths, aligned, printed)
    return "\n".join(out) + "\n"


def _agreement(text: str) -> dict[str, int]:
    got = analyse(parse_layout_text(text.encode())).task_rows
    assert len(got) == len(_ROWS)
    return {role: sum(fold_words(t.text(role)) == fold_words(row[i]) for t, row in zip(got, _ROWS))
            for i, role in enumerate(_ROLES)}


def test_synthetic_centred_table() -> None:
    text = _document([3, 40, 22, 16, 20, 12], "center")
    assert looks_like_layout_text(text)
    doc = parse_layout_text(text.encode())
    header = doc.tables()[0].rows[0]
    assert [c.text for c in header.cells] == _HEADER        # stacked "Thời gian / hoàn thành"
    agree = _agreement(text)
    assert agree["seq"] == 8 and agree["deadline"] == 8
    assert agree["content"] >= 7 and agree["lead"] >= 7 and agree["products"] >= 7


@pytest.mark.parametrize("widths", [[3, 34, 26, 14, 18, 10], [3, 48, 18, 18, 16, 14]])
def test_synthetic_centred_table_other_widths(widths: list[int]) -> None:
    agree = _agreement(_document(widths, "center"))
    assert agree["seq"] == 8 and agree["deadline"] == 8
    assert agree["content"] >= 6


@pytest.mark.parametrize("widths", [[3, 34, 26, 14, 18, 10], [3, 48, 18, 18, 16, 14]])
def test_synthetic_centred_table_printed_widths(widths: list[int]) -> None:
    """Wrapped at printed widths, as a PDF wraps them: centred rows are read by those widths
    (parsers.text.layout_ctrdecode)."""
    agree = _agreement(_document(widths, "center", printed=True))
    assert agree["seq"] == 8 and agree["deadline"] == 8
    assert min(agree.values()) >= 7


def test_synthetic_top_aligned_table() -> None:
    """Cells written from the top of their row: the TT number starts each row. Wrapped at
    printed widths, as a PDF wraps them (top-aligned tables are read by those widths)."""
    agree = _agreement(_document([3, 40, 22, 16, 20, 12], "top", printed=True))
    assert agree["seq"] == 8 and agree["deadline"] >= 7
    assert agree["content"] >= 4 and agree["coordinating"] >= 4


def test_synthetic_top_aligned_table_wrapped_by_characters() -> None:
    """Wrapped by character counts instead, the printed widths the reader relies on are off
    by up to a tenth: rows are still found and most cells still read."""
    agree = _agreement(_document([3, 40, 22, 16, 20, 12], "top"))
    assert agree["seq"] == 8 and agree["deadline"] >= 4
    assert agree["content"] >= 4


def _report() -> None:
    """Print the self-check figures per dev plan (python tests/test_layout_text.py)."""
    for path in LAYOUT:
        start = time.process_time()
        _parsed.pop(path, None)
        got, ref = _pairs(path)
        elapsed = time.process_time() - start
        n = min(len(got), len(ref))
        f1 = [_token_f1(g.text("content"), r.text("content")) for g, r in zip(got, ref)]
        same = {role: sum(fold_words(g.text(role)) == fold_words(r.text(role)) for g, r in zip(got, ref))
                for role in ("lead", "deadline", "coordinating")}
        print(f"{path.name}: tasks {len(got)}/{len(ref)}, content F1 mean {sum(f1) / max(1, n):.3f} "
              f"(>= 0.9: {sum(f >= 0.9 for f in f1)}/{n}), lead {same['lead']}/{n}, "
              f"deadline {same['deadline']}/{n}, coordinating {same['coordinating']}/{n}, "
              f"{elapsed:.2f} s CPU incl. the clean rendition")


if __name__ == "__main__":
    _report()


# --------------------------------------------------------------------------------------------
# Headers of several label rows and inspection schedules


def _annex(header: str, body: str) -> bytes:
    prose = ("Ủy ban nhân dân xã ban hành kế hoạch thực hiện nhiệm vụ cải cách hành chính năm nay\n"
             "với các nội dung cụ thể tại phụ lục kèm theo kế hoạch này để các cơ quan, đơn vị\n"
             "triển khai thực hiện bảo đảm đúng tiến độ, chất lượng và hiệu quả theo quy định.\n")
    return (prose + "\f\nPHỤ LỤC\n" + textwrap.dedent(header) + textwrap.dedent(body)).encode()


_THREE_ROWS = """\
    Tổ chức thực hiện
    STT Nội dung nhiệm vụ Cơ quan thực hiện Thời gian thực hiện Sản phẩm Ghi chú
    Chủ trì Phối hợp Bắt đầu Kết thúc
    (1) (2) (3) (4) (5) (6) (7) (8)
    """
_TWO_ROWS = """\
    Cơ quan thực hiện Thời gian thực hiện
    STT Nội dung nhiệm vụ Sản phẩm Ghi chú
    Chủ trì Phối hợp Bắt đầu Kết thúc
    """
_BODY = """\
    I CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
    1 Xây dựng kế hoạch cải cách hành chính Văn phòng Các phòng 01/2026 01/2026 Kế hoạch
    2 Kiểm tra việc thực hiện nhiệm vụ Phòng Nội vụ Các ban Thường xuyên Báo cáo
    """


@pytest.mark.parametrize("header", [_THREE_ROWS, _TWO_ROWS])
def test_header_of_several_label_rows(header: str) -> None:
    from parsers.plan.table_header import header_mapping
    doc = parse_layout_text(_annex(header, _BODY))
    table = next(b for b in doc.blocks if hasattr(b, "rows"))
    mapping, used, statistics = header_mapping(table.rows)
    assert mapping is not None and not statistics
    assert used == (3 if header is _THREE_ROWS else 2)
    roles = {mapping.headers[c]: r for c, r in mapping.roles.items()}
    assert roles["STT"] == "seq" and roles["Nội dung nhiệm vụ"] == "content"
    assert [r for h, r in roles.items() if h.endswith("Chủ trì")] == ["lead"]
    assert [r for h, r in roles.items() if h.endswith("Phối hợp")] == ["coordinating"]
    assert [r for h, r in roles.items() if h.endswith("Kết thúc")] == ["deadline"]
    assert mapping.start_col is not None and mapping.headers[mapping.start_col].endswith("Bắt đầu")
    assert [fold_words(r.cells["seq"].text) for r in analyse(doc).task_rows] == ["1", "2"]


_SYNTH = Path(__file__).parent / "data" / "synth"


@pytest.mark.skipif(not (_SYNTH / "302_bac_giang_bac_ninh.layout.txt").exists(), reason="no synthetic plan")
def test_three_row_header_plan() -> None:
    """A plan whose annex header has three label rows (synthetic 302): every task row found,
    a deadline cell merged over "Bắt đầu | Kết thúc" read as one."""
    doc = parse_layout_text((_SYNTH / "302_bac_giang_bac_ninh.layout.txt").read_bytes())
    rows = analyse(doc).task_rows
    assert len(rows) == 23
    deadlines = Counter(fold_words(r.cells["deadline"].text) for r in rows if "deadline" in r.cells)
    assert deadlines["thuong xuyen"] >= 3
    assert deadlines["01 2026 01 2026"] == 1


def test_start_end_columns_mended() -> None:
    from parsers.text.layout_text import _start_end
    frags = {0: [(5, "Thường")], 1: [(5, "xuyên")]}
    assert _start_end(frags, 0) and frags == {0: [(5, "Thường"), (5, "xuyên")], 1: []}
    frags = {0: [(7, "12/2026 01/2027")], 1: []}
    assert not _start_end(frags, 0) and frags == {0: [(7, "12/2026")], 1: [(7, "01/2027")]}
    frags = {0: [(3, "Quý I/2026")], 1: [(2, "Quý"), (4, "IV/2026")]}
    assert not _start_end(frags, 0) and frags[1] == [(2, "Quý"), (4, "IV/2026")]


def test_inspection_schedule_labels_around_the_tt_line() -> None:
    """Labels wrapped above and below the TT line ("Đơn vị được kiểm" / "tra"), one of them a
    column of no core role before the content column."""
    from parsers.text.layout_header import find_headers
    from parsers.text.layout_text import source_lines
    header = """\
    Đơn vị được kiểm Thời gian kiểm
    STT Nội dung kiểm tra Thành phần đoàn kiểm tra Ghi chú
    tra tra
    """
    lines = source_lines(_annex(header, "1 Trạm Y tế xã Việc niêm yết giá Tháng 8/2026 - Phòng Kinh tế\n").decode())
    (h,) = find_headers(lines)
    assert h.stacked == ["Đơn vị được kiểm tra", "Thời gian kiểm tra"]
    orders = [[c.header for c in cols] for cols in h.options()]
    assert ["STT", "Đơn vị được kiểm tra", "Nội dung kiểm tra", "Thời gian kiểm tra",
            "Thành phần đoàn kiểm tra", "Ghi chú"] in orders
    # a label of a core role never goes before the content column
    assert not any(o.index("Thời gian kiểm tra") < o.index("Nội dung kiểm tra") for o in orders)
