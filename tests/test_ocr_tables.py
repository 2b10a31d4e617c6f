"""Ruled tables of scanned pages (parsers.pdf.ocr.grid, parsers.pdf.ocr.cells, parsers.pdf.ocr.image): what
a letter stroke, a dust speck or a lost dot must not do to the grid and the cells.

Most checks run on synthetic page images (numpy arrays at 200 dpi, no Tesseract); the last one
draws a small annex table with Liberation Serif and reads it with Tesseract.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parsers.pdf.ocr import tesseract
from parsers.pdf.ocr.grid import Grid, ImageCell, find_grids, find_rulings
from parsers.pdf.ocr.assemble import fix_numbering
from parsers.pdf.ocr.cells import OcrCell, fix_column_numbers
from parsers.pdf.ocr.glyphs import _stems_of, fix_roman_numerals, number_as_printed
from parsers.pdf.ocr.image import baseline_of
from parsers.pdf.ocr.page import OcrPage, OcrTable, _despeckle
from parsers.pdf.ruled import GridCell as PdfGridCell
from parsers.pdf.ruled import PdfTable

DPI = 200
MM = DPI / 25.4


def _table(xs: list[int], ys: list[int], shape=(700, 1200), thickness: int = 2,
           skip_v: set[tuple[int, int]] = frozenset()) -> np.ndarray:
    """Ink of a ruled table: every row line, every column line except (column line, row) in
    `skip_v` (the spanned cells)."""
    ink = np.zeros(shape, dtype=bool)
    for y in ys:
        ink[y:y + thickness, xs[0]:xs[-1] + thickness] = True
    for k, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (k, r) not in skip_v:
                ink[ys[r]:ys[r + 1] + thickness, x:x + thickness] = True
    return ink


def _grid(ink: np.ndarray) -> Grid:
    hsegs, vsegs = find_rulings(ink, DPI)
    grids = find_grids(hsegs, vsegs, DPI)
    assert len(grids) == 1
    return grids[0]


def _row(grid: Grid, r: int) -> list[ImageCell]:
    return sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col)


XS = [100, 200, 600, 1100]
YS = [100, 160, 210, 300, 390]
SECTION = {(1, 1), (2, 1)}          # row 1 ("IV | Dân vận …" over the whole width) is spanned


def test_a_letter_stem_in_a_spanning_row_is_not_a_column_rule():
    ink = _table(XS, YS, skip_v=SECTION | {(1, 1)})
    # The stem of a bold "D": 4.5 mm tall, resting on the rule below, 1 mm short of the rule
    # above (long enough for a ruling line, and within 1.5 mm of both rules).
    ink[YS[1] + 2 + 8:YS[2] + 1, 400:403] = True
    grid = _grid(ink)
    assert grid.xs == XS
    section = _row(grid, 1)
    assert len(section) == 1 and section[0].col_span == 3


def test_a_letter_touching_a_column_rule_does_not_cut_the_spanning_row():
    # No TT | content border in the section row: the rule below it goes up into the row by a
    # letter touching it (30 of the row's 50 pixels).
    ink = _table(XS, YS, skip_v={(1, 1), (2, 1)})
    ink[YS[2] - 30:YS[2], XS[1]:XS[1] + 2] = True
    grid = _grid(ink)
    section = _row(grid, 1)
    assert len(section) == 1 and section[0].col_span == 3
    assert [c.col_span for c in _row(grid, 2)] == [1, 1, 1]


def test_rules_that_really_cross_still_make_cells():
    ink = _table(XS, YS)
    grid = _grid(ink)
    assert grid.xs == XS and len(grid.ys) == len(YS)
    assert all(c.col_span == 1 and c.row_span == 1 for c in grid.cells)
    assert len(grid.cells) == (len(XS) - 1) * (len(YS) - 1)


def test_square_specks_go_a_dash_and_a_full_stop_stay():
    ink = np.zeros((400, 600), dtype=bool)
    ink[100:106, 100:106] = True                      # a 0.75 mm square speck, alone
    ink[300:304, 500:504] = True                      # a 0.5 mm one
    ink[200:203, 300:314] = True                      # a lone "-" in a cell (1.8 × 0.4 mm)
    ink[100:124, 400:412] = True                      # a letter ...
    ink[120:124, 414:418] = True                      # ... and its full stop
    found = _despeckle(ink, DPI)
    assert found[100:106, 100:106].all() and found[300:304, 500:504].all()
    assert not found[200:203, 300:314].any()
    assert not found[100:124, 400:418].any()


def _digits(pattern: str, height: int = 22) -> np.ndarray:
    """Ink of a number: "D" a digit (full height), "." a dot on the baseline, ":" a mark above
    the baseline, "d" two digits touching."""
    top = 4
    ink = np.zeros((height + 8, 12 * len(pattern) + 8), dtype=bool)
    x = 2
    for ch in pattern:
        if ch == "D":
            ink[top:top + height, x + 2:x + 5] = True          # a stem ...
            ink[top:top + 3, x:x + 10] = True                   # ... with bars
            ink[top + height - 3:top + height, x:x + 10] = True
            x += 13
        elif ch == "d":
            ink[top:top + height, x:x + 24] = True
            x += 27
        elif ch == ".":
            ink[top + height - 4:top + height, x:x + 4] = True
            x += 7
        elif ch == ":":
            ink[top + height - 12:top + height - 7, x:x + 5] = True
            x += 8
    return ink


@pytest.mark.parametrize("read, pattern, printed", [
    ("11", "D.D", "1.1"),
    ("23", "D.D", "2.3"),
    ("311", "D.D.D", "3.1.1"),
    ("1.7:", "D.D:", "1.7"),
    ("12.", "DD.", None),          # read as printed
    ("12", "DD", None),            # "12" really is twelve
    ("11", "d", None),             # touching digits: the image does not say
    ("2.5", "DD", None),           # a dot touching its digit is not taken away
    ("Bì", "D.", None),            # not a number
])
def test_numbers_get_their_dots_from_the_image(read, pattern, printed):
    assert number_as_printed(read, _digits(pattern)) == printed


def _cells(*texts):
    return [None if t is None else OcrCell([t] if t else [], 80.0) for t in texts]


def _texts(cells):
    return [None if c is None else " ".join(c.lines) for c in cells]


def test_column_numbers_misread_are_given_their_number():
    row = _cells("(D", "(2", "6)", "(4)", "(5)", "(6)")
    assert _texts(fix_column_numbers(row)) == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    row = _cells("(", "(2", "", "(2", "(5)", "(6)")
    assert _texts(fix_column_numbers(row)) == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    row = _cells("(1)", "(2", "G)", "(@", "6)", "(Ø")       # hardly one read right
    assert _texts(fix_column_numbers(row)) == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    row = _cells("(1)", "(2)", None, "(4)")                 # a cell without ink stays empty
    assert _texts(fix_column_numbers(row)) == ["(1)", "(2)", None, "(4)"]


@pytest.mark.parametrize("texts", [
    ("1", "Xây dựng kế hoạch", "(2)", "(3)"),               # a task row
    ("(1)", "(5)", "x", "-"),                              # no two numbers in step
    ("(1)", "(2)", "x", "-"),                              # scraps without a bracket or digit
    ("(1)", "(2)", "(3)=(1)+(2)"),                        # a formula is a real cell
])
def test_other_rows_are_left_alone(texts):
    row = _cells(*texts)
    assert _texts(fix_column_numbers(row)) == list(texts)


def _strokes(pattern: str, height: int = 24) -> np.ndarray:
    """Ink of a word: "I" an upright stem with serifs (touching the next letter's), "V" two
    slanted strokes, "H" two stems and a bar, "/" a slash, "," a comma at the foot."""
    ink = np.zeros((height, 14 * len(pattern) + 4), dtype=bool)
    x = 2
    for ch in pattern:
        if ch == "I":
            ink[:, x + 4:x + 8] = True
            ink[:2, x:x + 12] = ink[-2:, x:x + 12] = True        # serifs, touching the next
            x += 11
        elif ch == "H":
            ink[:, x + 1:x + 4] = ink[:, x + 10:x + 13] = True
            ink[height // 2 - 1:height // 2 + 1, x + 1:x + 13] = True
            x += 15
        elif ch in "V/":
            for y in range(height):
                k = x + (y * 8) // height
                ink[y, k:k + 3] = True
                if ch == "V":
                    ink[y, x + 14 - (y * 8) // height:x + 17 - (y * 8) // height] = True
            x += 18
        elif ch == ",":
            ink[-4:, x + 3:x + 6] = True
            x += 9
    return ink


@pytest.mark.parametrize("read, printed, fixed", [
    ("II", "III", "III"),                 # the serifs of III touch: one stroke lost
    ("II/2026", "III/", "III/2026"),      # the year after "/" is not looked at
    ("H", "II", "II"),
    ("HI,", "III,", "III,"),
    ("1", "II", "II"),
    ("1", "I", None),                     # a "1" of one stroke stays a "1"
    ("l)", "I", None),                    # and so does a list letter "l)"
    ("IV", "IV", None),
    ("II", "IV", None),                   # the strokes do not line up with the reading
    ("H", "H", None),                     # a real H (with its bar)
    ("IIIIV", "III,IV", "III,IV"),        # a comma lost, the numerals run together
    ("IIIV/2026", "III,IV/", "III,IV/2026"),
    ("IIIIV/2026", "III,IV/II", "III,IV/2026"),
    ("IIII/2026", "II,II/", "II,II/2026"),
    ("IIIV", "IIIV", None),               # no comma in the image: not guessed
])
def test_roman_numerals_get_their_strokes_from_the_image(read, printed, fixed):
    assert _stems_of(read, _strokes(printed)) == fixed


def _word(text: str, left: int, ink_width: int, height: int = 24) -> tesseract.OcrWord:
    return tesseract.OcrWord(text, left, 0, left + ink_width, height, 90.0, 1, 1, 1, float(height), 12.0)


def test_only_numerals_after_quy_or_a_whole_numbering_cell_are_checked():
    word = _strokes("III")
    ink = np.zeros((24, 200), dtype=bool)
    ink[:, 100:100 + word.shape[1]] = word
    after_quarter = [_word("Quý", 0, 60), _word("II", 100, word.shape[1])]
    assert [w.text for w in fix_roman_numerals(after_quarter, ink)] == ["Quý", "III"]
    elsewhere = [_word("Mục", 0, 60), _word("II", 100, word.shape[1])]
    assert [w.text for w in fix_roman_numerals(elsewhere, ink)] == ["Mục", "II"]
    cell = [_word("II", 100, word.shape[1])]
    assert [w.text for w in fix_roman_numerals(cell, ink, whole=True)] == ["III"]
    assert [w.text for w in fix_roman_numerals(cell, ink)] == ["II"]


def test_a_seven_is_set_on_its_foot():
    seven = np.zeros((30, 20), dtype=bool)
    seven[2:6, 2:18] = True                          # the bar: the only dense rows
    for y in range(6, 28):
        seven[y, 14 - (y - 6) // 3:17 - (y - 6) // 3] = True
    assert baseline_of(seven) == 28
    line = np.zeros((30, 60), dtype=bool)            # an ordinary line: x-height band dense,
    line[8:22, 0:60:3] = True                        # a descender below it
    line[22:28, 30:32] = True
    assert baseline_of(line) == 22


def _page(number: int, column: list[str]) -> OcrPage:
    cells = [PdfGridCell(r, 0, 1, 1, (0, r, 1, r + 1), [text] if text else [])
             for r, text in enumerate(column)]
    table = PdfTable(number, (0, 0, 1, len(column)), [0, 1], list(range(len(column) + 1)), cells)
    return OcrPage(number, 100, 100, [], [], [OcrTable(table, {})], DPI, 0.0, 0.0)


def test_a_number_read_with_letters_is_corrected_over_a_repeated_header():
    pages = [_page(11, ["TT", "1", "2", "3", "4"]), _page(11, ["TT", "I"]), _page(12, ["TT", "", "2", "3"])]
    fix_numbering(pages)
    assert pages[1].tables[0].table.cells[1].lines == ["1"]
    pages = [_page(1, ["TT", "5", "II", "1", "2"])]             # a section row, not a number
    fix_numbering(pages)
    assert pages[0].tables[0].table.cells[2].lines == ["II"]


# --------------------------------------------------------------------------- with Tesseract

_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
_BOLD = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")
needs_tesseract = pytest.mark.skipif(tesseract.available("vie") is not None,
                                            reason="Tesseract not installed")
needs_font = pytest.mark.skipif(not (_FONT.is_file() and _BOLD.is_file()),
                                reason="Liberation Serif not installed")


def _annex_page() -> tuple[np.ndarray, list[str]]:
    """A landscape 200 dpi page with an annex table: header, column numbers, a section row
    over the whole width, dotted task numbers."""
    from PIL import Image, ImageDraw, ImageFont
    w, h = 2339, 1654
    image = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(image)
    size = int(round(13 / 72 * DPI))
    font = ImageFont.truetype(str(_FONT), size)
    bold = ImageFont.truetype(str(_BOLD), size)
    xs = [200, 300, 1000, 1300, 1600, 2100]
    header = ["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"]
    numbers = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    rows = [("head", header), ("nums", [f"({i + 1})" for i in range(5)]),
            ("section", ["IV. Dân vận trong cải cách thủ tục hành chính"])]
    rows += [("task", [n, "Xây dựng kế hoạch năm 2026", "Phòng KT", "Các phòng", "Quý IV/2026"])
             for n in numbers]
    y = 150
    for kind, texts in rows:
        height = 90 if kind == "head" else 60
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
        if kind == "section":
            draw.text((xs[0] + 15, y + 12), texts[0], font=bold, fill=0)
            for x in (xs[0], xs[-1]):
                draw.line([(x, y), (x, y + height)], fill=0, width=3)
        else:
            for k, text in enumerate(texts):
                left, right = xs[k], xs[k + 1]
                tw = draw.textlength(text, font=bold if kind == "head" else font)
                draw.text((left + (right - left - tw) / 2, y + 12), text,
                          font=bold if kind == "head" else font, fill=0)
            for x in xs:
                draw.line([(x, y), (x, y + height)], fill=0, width=3)
        y += height
    draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    return np.array(image), numbers


@needs_tesseract
@needs_font
def test_annex_page_numbers_column_numbers_and_section_row():
    from parsers.pdf.ocr.page import ocr_image
    gray, numbers = _annex_page()
    page = ocr_image(gray, DPI)
    assert len(page.tables) == 1
    table = page.tables[0].table
    cells = {(c.row, c.col): c for c in table.cells}
    assert len(table.xs) == 6
    assert [" ".join(cells[(1, k)].lines) for k in range(5)] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    section = cells[(2, 0)]
    assert section.col_span == 5 and "Dân vận" in " ".join(section.lines)
    assert [" ".join(cells[(3 + i, 0)].lines) for i in range(len(numbers))] == numbers
