"""Page breaks of flattened text whose pages were joined without a form feed (text saved page
by page and concatenated with newlines): the printed page numbers, a number alone on a line
counting 2, 3, 4 … at a page's distance from each other, mark them."""
from __future__ import annotations

import re

PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?(?:trang\s+)?(\d{1,3})(?:\s*/\s*\d{1,3})?(?:\s*[-–])?\s*$", re.IGNORECASE)
MIN_PAGE_LINES = 12      # a printed page holds more lines than this
MAX_PAGE_LINES = 200     # ... and fewer than this
MIN_PAGES = 3            # fewer numbered pages prove nothing (row numbers also count 2, 3)


def page_number_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that print page numbers 2, 3, … (the longest such chain)."""
    candidates = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := PAGE_NUMBER.match(line))]
    best: dict[int, tuple[int, int]] = {}    # candidate index -> (chain length, previous candidate)
    for k, (i, value) in enumerate(candidates):
        length, previous = (1, -1) if value == 2 else (0, -1)
        for j in range(k - 1, -1, -1):
            pi, pvalue = candidates[j]
            if i - pi > MAX_PAGE_LINES:
                break
            if pvalue == value - 1 and i - pi >= MIN_PAGE_LINES and j in best and best[j][0] + 1 > length:
                length, previous = best[j][0] + 1, j
        if length:
            best[k] = (length, previous)
    if not best:
        return []
    end = max(best, key=lambda k: (best[k][0], -k))
    if best[end][0] < MIN_PAGES - 1:
        return []
    chain = []
    while end >= 0:
        chain.append(candidates[end][0])
        end = best[end][1]
    return chain[::-1]


def restore_page_breaks(text: str) -> str:
    """`text` with a form feed before each printed page number, when it has none."""
    if "\f" in text:
        return text
    lines = text.split("\n")
    marks = set(page_number_lines(lines))
    if not marks:
        return text
    return "\n".join(f"\f{line}" if i in marks else line for i, line in enumerate(lines))
