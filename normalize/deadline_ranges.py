"""Deadline forms read apart from the main rules of normalize/deadlines.py (folded text in).

- Day ranges whose year is written once: "Từ ngày 15/6 đến ngày 30/6/2026", "15/6 - 30/6/2026"
  (the start takes the end's year, or the year before when it would fall after the end:
  "15/12 đến 15/01/2027"), "Từ 15/6/2026 đến 30/6" (the end takes the start's year), and with no
  year at all the plan's year when the plan spans one year.
- Ad hoc work ("Đột xuất", "Đột xuất khi có phản ánh, kiến nghị"): it happens when something
  calls for it, so it is conditional on that event; with a schedule beside it ("Định kỳ, đột
  xuất", "Hằng quý và đột xuất") the schedule decides instead.
- Deadlines relative to an event, not the calendar ("Trước mỗi đợt kiểm tra 05 ngày làm việc",
  "Sau 15 ngày kể từ ngày kết thúc kiểm tra", "Trong vòng 30 ngày kể từ ngày ban hành"):
  conditional on that event.
- A range broken over two lines of a narrow cell ("2026 -" / "2027", "Giai đoạn 2026" / "- 2027")
  is one range, not a list of two items.
- A day date in words the rules could not read: dateparser, the last resort.
"""
from __future__ import annotations

import re
from datetime import date

# One day "15/6" or "15/6/2026", maybe after "ngày"; the month is not the start of a year
# ("01/2026" is a month, not day 01 of month 20).
_DAY_PART = r"(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})(?!\d)(?:\s*/\s*(\d{4}))?"
_DAY_RANGE = re.compile(r"(?<![\d/.])" + _DAY_PART + r"\s*(?:-|–|—|(?:cho\s+)?den\b(?:\s*het\b)?|toi\b)\s*"
                        + _DAY_PART + r"(?![\d/])")

_AD_HOC = re.compile(r"\bdot\s*xuat\b")
# A duration before or after an event ("05 ngày làm việc", "15 ngày kể từ", "mỗi đợt").
_RELATIVE = re.compile(
    r"^(?:truoc|sau|trong(?:\s+vong)?|cham nhat(?:\s+(?:la|sau))?|khong qua)\s+"
    r"(?:(?:moi|tung|cac)\s+(?:dot|lan|ky|cuoc)\b.*\b\d{1,3}\s*(?:ngay|tuan|thang)\b|"
    r"\d{1,3}\s*(?:ngay|tuan|thang)(?:\s+lam\s+viec)?\s+(?:ke\s+tu|tinh\s+tu|sau\s+khi|truoc\s+khi|tu\s+khi|"
    r"tu\s+ngay|khi)\b)")


def iso_date(y: int, m: int, d: int) -> str | None:
    """'YYYY-MM-DD', or None for a day that does not exist ("31/02")."""
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def day_range(f: str, default_year: int | None) -> tuple[str | None, str | None] | None:
    """(start, due) of a day range with the year written at most once; (None, None) when the
    range is there but a day does not exist or no year can be given; None when the cell has no
    such range (both days with a year are left to the main rules)."""
    m = _DAY_RANGE.search(f)
    if m is None or (m.group(3) and m.group(6)):
        return None
    d1, m1, d2, m2 = int(m.group(1)), int(m.group(2)), int(m.group(4)), int(m.group(5))
    y1 = int(m.group(3)) if m.group(3) else None
    y2 = int(m.group(6)) if m.group(6) else None
    if y1 is None and y2 is None:
        if default_year is None:
            return None, None
        y1 = y2 = default_year
    elif y1 is None:
        assert y2 is not None
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    elif y2 is None:
        y2 = y1 if (m1, d1) <= (m2, d2) else y1 + 1
    start, due = iso_date(y1, m1, d1), iso_date(y2, m2, d2)
    if not start or not due or start > due:
        return None, None
    return start, due


def is_ad_hoc(f: str) -> bool:
    return bool(_AD_HOC.search(f))


def is_relative_to_event(f: str) -> bool:
    return bool(_RELATIVE.match(f))


# A range broken over two lines of a narrow cell: "2026 -" / "2027", "Giai đoạn 2026" / "- 2027".
_DANGLING_DASH = re.compile(r"\d\s*[-–—]$")
_DASHED_DATE = re.compile(r"^[-–—]\s*(?:\d{1,2}\s*/\s*)?(?:\d{1,2}\s*/\s*)?\d{4}\W*$")
_BULLETED = re.compile(r"^\s*[-+•]")


def join_broken_ranges(lines: list[str]) -> list[str]:
    """Lines of a cell with a range's two ends put back on one line. "- 2027" after a line
    without a bullet of its own is the end of a range, not an item of a list."""
    out: list[str] = []
    for line in lines:
        if out and (_DANGLING_DASH.search(out[-1]) or
                    (_DASHED_DATE.match(line) and not _BULLETED.match(out[-1]) and re.search(r"\d$", out[-1]))):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MAY_BE_DAY = re.compile(r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?!\d)")


def dateparser_day(text: str) -> str | None:
    """Last resort for a day date in words; only when a 4-digit year and a number that could
    be a day are present (dateparser costs ~1 ms a call)."""
    if not _YEAR.search(text) or len(text) > 60 or not _MAY_BE_DAY.search(_YEAR.sub(" ", text)):
        return None
    try:
        import dateparser  # imported lazily: slow to load and rarely needed
    except ImportError:
        return None
    parsed = dateparser.parse(
        text, languages=["vi"],
        settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
                  "RELATIVE_BASE": __import__("datetime").datetime(2000, 1, 1),
                  "PREFER_DATES_FROM": "current_period"})
    return parsed.date().isoformat() if parsed else None
