"""Deadline cell text -> a contract deadline {raw, kind, start, due, recurrence, condition, parts}.

Explicit rules over the folded text (no diacritics, lower case) decide everything they can;
dateparser is asked only for a day-level date the rules could not read.

Rules, in the order they are tried:
- "Theo hướng dẫn của …", "Sau khi …" → conditional.
- Recurrence words ("Thường xuyên", "Hằng quý, năm", "năm liền kề", "tháng cuối quý",
  "đầu/cuối/giữa quý", "đầu/cuối tháng" without a number) → recurring; with a year in the
  cell only when the words say so ("hằng", "mỗi", "liền kề", "định kỳ").
- Day dates ("15/01/2026", "ngày 15 tháng 01 năm 2026", "30/6 năm 2026"): due_by; "Từ …" →
  from; "A đến B" → window, B a day or a period ("Từ ngày 01/4/2026 đến hết Quý II/2026").
  An impossible day ("31/02/2026", "31/4/2026") leaves the cell unspecified: nothing else in
  the cell is used in its place (in particular not its year).
- Periods: a sequence of quarters and months joined by ",", "-", "và", "đến (hết)", "tới"
  ("Quý I và Quý II năm 2026", "Quý III,IV/2026", "Tháng 3 và tháng 9/2026",
  "Tháng 11/2026 - Tháng 01/2027", "Từ tháng 4 đến tháng 6/2026"): a window from the start of
  the first period to the end of the last. An item without a year takes the year of the next
  item that has one (the year is written once, at the end), else the previous one, else the
  cell's first year, else the plan's year when the plan spans one year. Also read: "Q2/2026"
  (only with a year), a bare month/year "10/2026" (not after another number or "/", not in a
  document reference). A sequence that goes backwards ("Tháng 9 và tháng 3/2026"), an
  impossible month or quarter ("Tháng 13/2026", "Quý V/2026") leaves the cell unspecified, and
  so does a second dated period the sequence does not join ("Quý I/2026, báo cáo Quý IV/2026"
  is not silently Quý I). A year of 3 or 5 digits ("Quý I năm 206", OCR or typing) is taken
  as a year of the plan period only when exactly one of them is that number with one digit
  lost or added (206 → 2026 in a 2026 or 2026–2030 plan; 202 in a 2026–2030 plan fits five
  years and is not guessed); otherwise, and without a plan period, the cell is unspecified.
  A 4-digit year is never changed.
- "6 tháng đầu/cuối năm 2026" → that half.
- Years: "2026", "2025 - 2035", "Năm 2026, 2027" → window of the years. This fallback is taken
  only when nothing date-like is left unread in the cell (another number, "ngày", "tháng",
  "tuần", "quý" + a numeral, "Q2"): "Trước ngày 31/02/2026" is not reduced to 2026 (nor is
  "Năm 2026 (02 đợt)": any other number counts), and years with other words between them
  ("Trong năm 2026 (dự kiến 2027)") are no list. "Đầu năm
  2026", "Giữa năm 2026" and "Cuối năm 2026" keep the year window (the deadline lies in that
  year; how early or late "đầu"/"cuối" is is not guessed), "Trước cuối năm 2026" → due_by.
- A period or day followed by "và các năm tiếp theo", "trở đi", "trở về sau" → from (open-ended).
- A bound ("Trước", "Chậm nhất") or a completion verb ("Hoàn thành trong") turns a window
  into due_by its end; "Từ …" without an end turns it into from.
OCR slips of scanned plans are read only where they cannot mean anything else: "H" for "II"
and "l" for "I" inside the numeral right after "Quý" ("Quý HI/2026" → III; "Ĩ", "Í" fold to
"I"), a lost "/" between a month and a year after "Tháng" ("Tháng 01-052026" → 01-05/2026;
two-digit month, year 19xx/20xx), punctuation inside "Thường xuyên" ("Thường, xuyên").
"Quý IIIV/2026" (III,IV with the comma lost) is no numeral and stays unspecified.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from normalize.deadline_ranges import (
    dateparser_day,
    day_range,
    is_ad_hoc,
    iso_date,
    is_relative_to_event,
    join_broken_ranges,
)
from normalize.text import clean, fold, strip_bullet

# A quarter's numeral (folded): I to IV only, a year has four quarters ("quý v" is none).
_QUARTER_NUMERALS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Y = r"(\d{4})"
_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_DAY_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|/)\s*(\d{4})(?!\d)|"
                        r"(?<![\d/.\-])(?<!thang)(?<!thang )(\d{1,2})\s*/\s*(\d{1,2})\s*nam\s*(\d{4})(?!\d)")
_DAY_NO_YEAR = re.compile(r"(?:ngay\s*)?(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])|"
                          r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?!\d)(?!\s*(?:/|nam)\s*\d)")
_MONTH = re.compile(r"thang\s*(\d{1,2})\s*(?:/|nam)\s*" + _Y)
_HALF = re.compile(r"6\s*thang\s*(dau|cuoi)\s*nam(?:\s*" + _Y + ")?")
_YEAR = re.compile(r"(?<!\d)" + _Y + r"(?!\d)")

# One period of a sequence: a unit (quarter, month) and its number, maybe a year.
# "q" only as "Q2/2026", "Q2-Q3/2026" (a year in the sequence); the numeral after "Quý" may
# carry OCR slips.
_UNIT = r"(?<![a-z0-9])(?P<unit>quy|thang|q(?=\s*(?:[1-4]|iv|iii|ii|i)(?![a-z0-9])))"
_NUM = r"(?P<num>[ivhl]{1,4}(?![a-z0-9])|\d{1,2}(?!\d))"
_YEAR_PART = r"(?:\s*(?:/|\bnam\b)\s*(?P<year>\d+))?"
_PERIOD_HEAD = re.compile(_UNIT + r"\s*" + _NUM + _YEAR_PART)
_PERIOD_NEXT = re.compile(r"(?:" + _UNIT + r"\s*)?" + _NUM + _YEAR_PART)
_IMPLICIT_MONTH = re.compile(r"(?<![\d/.\-])(?P<num>\d{1,2})\s*/\s*(?P<year>\d{4})(?![\d/])")
_PERIOD_SEP = re.compile(r"\s*(?:,\s*(?:va\b)?|-|–|—|&|\+|va\b|(?:cho\s+)?den\b(?:\s*het\b)?|toi\b)\s*")
_DOUBLED_DASH = re.compile(r"\s*[-–—](?:\s+[-–—])+\s*")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|(?:cho\s+)?den\b(?:\s*het\b)?|toi\b)\s*(?:ngay\b\s*)?")
# "Tháng 01-052026": the "/" between a two-digit month and the year lost by OCR.
_LOST_SLASH = re.compile(r"(thang\s*(?:\d{1,2}\s*(?:-|–|den|toi)\s*(?:thang\s*)?)?)(0[1-9]|1[0-2])((?:19|20)\d\d)(?!\d)")
_OPEN_END = re.compile(r"\b(?:cac|nhung)\s+(?:nam|quy|thang|ky|giai doan)\s+(?:tiep theo|sau|ke tiep|tiep)\b|"
                       r"\btro\s*(?:di|ve sau)\b")
# Left unread, these make a cell more than its year ("Trước ngày 31/02/2026", "Quý IX/2026").
_DATE_WORD = re.compile(r"\d|\b(?:ngay|thang|tuan)\b|\bquy\s*(?:[ivxlh]+\b|\d|/|$)|"
                        r"\b(?:dau|cuoi|giua)\s*quy\b|(?<![a-z])q\s*\d")
_YEAR_LIST_GAP = re.compile(r"(?:\s|,|-|–|—|&|va\b|den\b|het\b|toi\b|nam\b)*")

_CONDITIONAL = re.compile(
    r"^(?:theo\s+(?:huong dan|yeu cau|ke hoach|chi dao|quy dinh|van ban|lo trinh|thong bao|"
    r"tien do|de nghi|chuong trinh|cong van|phan cong|quyet dinh|thoi gian|ket luan)|"
    r"sau khi|khi co|khi\s|ngay sau khi|can cu)")
_BOUND = re.compile(r"(?:truoc|cham nhat|khong qua|han chot|muon nhat|han cuoi|hoan thanh truoc)")
_COMPLETION = re.compile(r"(?:xong|hoan thanh|ket thuc|ban hanh|trinh)\s*(?:trong|truoc|vao)?")
_FROM = re.compile(r"^(?:bat dau\s+)?tu\s+")
_RECURRENCE_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:hang|moi)\s*ngay\b"), "daily"),
    (re.compile(r"\b(?:hang|moi)\s*tuan\b"), "weekly"),
    (re.compile(r"\b(?:hang|moi)\s*thang\b|\bthang lien ke\b|"
                r"\b(?:dau|cuoi|giua)\s*(?:moi\s*)?thang\b(?!\s*(?:\d|/))"), "monthly"),
    (re.compile(r"\b(?:hang|moi)\s*quy\b|\bquy lien ke\b|"
                r"\b(?:dau|cuoi|giua)\s*(?:moi\s*)?quy\b(?!\s*(?:[ivhl]{1,4}\b|\d|/))"), "quarterly"),
    (re.compile(r"(?<!\d)6\s*thang\b(?!\s*(?:dau|cuoi))|\bsau thang\b|\bnua nam\b"), "semiannual"),
    (re.compile(r"\b(?:hang|moi)\s*nam\b|\bnam lien ke\b|(?:,|\bva)\s*(?:1\s*)?nam\b|^nam$"), "annual"),
]
_FINEST_FIRST = ["daily", "weekly", "monthly", "quarterly", "semiannual", "annual"]
_CONTINUOUS = re.compile(r"thuong[\W_]*xuyen|lien[\W_]*tuc|hang ngay")
_PERIODIC = re.compile(r"dinh ky")     # "đột xuất" (ad hoc) is conditional: deadline_ranges


@dataclass
class DeadlineValue:
    raw: str
    kind: str
    start: str | None = None
    due: str | None = None
    recurrence: str | None = None
    condition: str | None = None
    parts: list[DeadlineValue] | None = None

    def as_dict(self) -> dict:
        return {
            "raw": self.raw, "kind": self.kind, "start": self.start, "due": self.due,
            "recurrence": self.recurrence, "condition": self.condition,
            "parts": [p.as_dict() for p in self.parts] if self.parts is not None else None,
        }


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return iso_date(y, m, calendar.monthrange(y, m)[1])


def _month_start(y: int, m: int) -> str | None:
    return iso_date(y, m, 1) if 1 <= m <= 12 else None


def _strip_terminal(text: str) -> str:
    return re.sub(r"[\s.;,]+$", "", strip_bullet(text)).strip()


def _split_parts(lines: list[str]) -> list[str]:
    """Bulleted items of a deadline cell ("- Kế hoạch: hàng năm.- Báo cáo: …")."""
    pieces: list[str] = []
    for text in join_broken_ranges([clean(line) for line in lines]):
        pieces.extend(re.split(r"(?:^|(?<=[.;]))\s*[-+•]\s*(?=\S)", text))
    return [p.strip() for p in pieces if p and p.strip(" .;-")]


def parse_deadline(cell_lines: list[str] | str, plan_start: int | None = None,
                   plan_end: int | None = None) -> DeadlineValue:
    """Deadline of a task from its cell text (lines of the cell, or one string). Never raises."""
    lines = (cell_lines,) if isinstance(cell_lines, str) else tuple(cell_lines)
    return _copy(_parse_deadline(lines, plan_start, plan_end))


def deadline_dict(cell_lines: list[str], plan_start: int | None = None,
                  plan_end: int | None = None) -> dict:
    """parse_deadline(...).as_dict(), without copying the memoised value first."""
    return _parse_deadline(tuple(cell_lines), plan_start, plan_end).as_dict()


def _copy(value: DeadlineValue) -> DeadlineValue:
    return DeadlineValue(raw=value.raw, kind=value.kind, start=value.start, due=value.due,
                         recurrence=value.recurrence, condition=value.condition,
                         parts=[_copy(p) for p in value.parts] if value.parts is not None else None)


@lru_cache(maxsize=16384)    # deadline cells repeat a lot ("Thường xuyên", "Quý IV/2026")
def _parse_deadline(lines: tuple[str, ...], plan_start: int | None, plan_end: int | None) -> DeadlineValue:
    raw = clean(" ".join(line for line in lines if line and line.strip()))
    if not raw:
        return DeadlineValue(raw="", kind="unspecified")
    try:
        parts = _split_parts(lines)
        if len(parts) >= 2:
            values = [_parse_one(p, _strip_terminal(_drop_label(p)), plan_start, plan_end) for p in parts]
            if sum(v.kind != "unspecified" for v in values) >= 2:
                dues = sorted(v.due for v in values if v.due)
                for v in values:
                    v.raw = _strip_terminal(v.raw)
                return DeadlineValue(raw=raw, kind="composite", due=dues[0] if dues else None,
                                     parts=values)
        # "Quý I/2026 - - Quý IV/2026": a dash ending one cell and the range's own dash
        return _parse_one(raw, _strip_terminal(_DOUBLED_DASH.sub(" - ", raw)), plan_start, plan_end)
    except Exception:  # a rule bug must never lose the row: keep the text, report it
        return DeadlineValue(raw=raw, kind="unspecified")


def _drop_label(part: str) -> str:
    """'Kế hoạch: hàng năm' -> 'hàng năm' (a short label before a colon)."""
    head, sep, tail = part.partition(":")
    if sep and tail.strip() and len(head.split()) <= 8 and not re.search(r"\d", head):
        return tail.strip()
    return part


@dataclass
class _Periods:
    """A sequence of quarters / months read from a cell; broken when it cannot be a deadline."""
    start: str | None
    due: str | None
    begin: int
    end: int
    broken: bool = False


def _parse_one(raw: str, text: str, plan_start: int | None, plan_end: int | None) -> DeadlineValue:
    # A stray opening quote (OCR, copied text) must not hide "Theo …" from the rules.
    f = " ".join(fold(text).lstrip("\"“”'‘’ ").split())
    value = DeadlineValue(raw=raw, kind="unspecified")
    if not f:
        return value
    if _CONDITIONAL.match(f) or (is_relative_to_event(f) and not _DAY.search(f)):
        value.kind, value.condition = "conditional", text
        return value
    if "thang" in f:
        f = _LOST_SLASH.sub(r"\1\2/\3", f)
    default_year = plan_start if plan_start is not None and plan_start == plan_end else None

    recurrence = _recurrence(f)
    has_year = bool(_YEAR.search(f))
    if recurrence and not (has_year and not re.search(r"\b(?:hang|moi)\b|lien ke|dinh ky", f)):
        value.kind, value.recurrence = "recurring", recurrence
        return value

    bound = bool(_BOUND.search(f))
    open_ended = bool(_OPEN_END.search(f))
    from_match = _FROM.match(f)

    # Day-level dates: a range with its year written once first ("Từ ngày 15/6 đến ngày 30/6/2026").
    days = day_range(f, default_year)
    if days is not None:
        if days[0] and days[1]:
            value.kind, value.start, value.due = "window", days[0], days[1]
        return value
    day = _DAY.search(f) or _DAY_WORDS.search(f)
    if day:
        return _day_deadline(value, f, day, bool(from_match), open_ended, plan_start, plan_end)
    if (bound or "ngay" in f) and _day_without_year(value, f, default_year):
        return value

    span = _period_span(f, default_year, plan_start, plan_end, has_year)
    if span is None:             # periods that cannot be a deadline
        return value
    start, due = span
    if start and due:
        _set_span(value, f, start, due, from_match, open_ended, bound)
        return value
    return _undated(value, f, text, recurrence)


def _day_without_year(value: DeadlineValue, f: str, default_year: int | None) -> bool:
    """'Trước ngày 15/6': a day and month without a year, recurring ('hằng năm') or due in
    the plan's single year. True when it decided the value."""
    dm = _DAY_NO_YEAR.search(f)
    if not dm or _MONTH.search(f):
        return False
    d, m = (int(g) for g in dm.groups() if g)
    if re.search(r"lien ke|hang nam", f):
        value.kind, value.recurrence = "recurring", "annual"
        return True
    if default_year and 1 <= m <= 12:
        due = iso_date(default_year, m, d)
        if due:
            value.kind, value.due = "due_by", due
            return True
    return False


def _period_span(f: str, default_year: int | None, plan_start: int | None, plan_end: int | None,
                 has_year: bool) -> tuple[str | None, str | None] | None:
    """(start, due) of the quarters / months, the half year or the years a cell names
    ((None, None) when it names none); None when its periods cannot be a deadline."""
    periods = _periods(f, default_year, plan_start, plan_end)
    half = _HALF.search(f)
    if periods is not None:
        if periods.broken:
            return None
        return periods.start, periods.due
    if half:
        y = int(half.group(2)) if half.group(2) else _first_year(f) or default_year
        if y:
            return (iso_date(y, 1, 1), iso_date(y, 6, 30)) if half.group(1) == "dau" else (
                iso_date(y, 7, 1), iso_date(y, 12, 31))
        return None, None
    if has_year and not _looks_like_reference(f):
        return _year_span(f)
    return None, None


def _set_span(value: DeadlineValue, f: str, start: str, due: str, from_match: re.Match | None,
              open_ended: bool, bound: bool) -> None:
    """A span read from the cell: from its start, due by its end, or the whole window."""
    completion = bool(_COMPLETION.search(f))
    if open_ended or (from_match and not re.search(r"\bden\b|-|–", f[from_match.end():])):
        value.kind, value.start = "from", start
    elif bound or (completion and not re.search(r"^(?:trong|ca)\b", f)):
        value.kind, value.due = "due_by", due
    else:
        value.kind, value.start, value.due = "window", start, due


def _undated(value: DeadlineValue, f: str, text: str, recurrence: str | None) -> DeadlineValue:
    """A cell naming no day and no period: recurring, when something calls for it, or a date
    dateparser can read."""
    if recurrence or _CONTINUOUS.search(f) or _PERIODIC.search(f):
        value.kind, value.recurrence = "recurring", recurrence or _loose_recurrence(f)
        return value
    if is_ad_hoc(f):                 # "Đột xuất khi có phản ánh": when something calls for it
        value.kind, value.condition = "conditional", text
        return value
    parsed = dateparser_day(text)
    if parsed:
        value.kind, value.due = "due_by", parsed
    return value


def _day_deadline(value: DeadlineValue, f: str, day: re.Match, from_match: bool, open_ended: bool,
                  plan_start: int | None, plan_end: int | None) -> DeadlineValue:
    """A deadline that names a day: due by it, from it, or a window from it to a second day
    or period."""
    d, m, y = _day_parts(day)
    due = iso_date(y, m, d)
    if not due:                  # "31/02/2026": a date that does not exist is not guessed
        return value
    # "Từ 15/6/2026 - 30/6/2026" is a range like "Từ … đến …", not an open start.
    if (from_match and not re.search(r"den|[-–—]\s*\S", f[day.end():])) or open_ended:
        value.kind, value.start = "from", due
        return value
    second = _DAY.search(f, day.end())
    if second and re.search(r"den|-", f[day.end():second.start()]):
        d2, m2, y2 = _day_parts(second)
        end = iso_date(y2, m2, d2)
        if not end:
            return value
        value.kind, value.start, value.due = "window", due, end
        return value
    sep = _RANGE_SEP.match(f, day.end())
    if sep and not second:
        until = _periods(f[sep.end():], y, plan_start, plan_end)
        if until is not None and until.begin == 0:
            if until.broken or not until.due:
                return value
            value.kind, value.start, value.due = "window", due, until.due
            return value
    value.kind, value.due = "due_by", due
    return value


def _periods(f: str, default_year: int | None, plan_start: int | None = None,
             plan_end: int | None = None) -> _Periods | None:
    """The first sequence of quarters / months in f ("Quý I và Quý II năm 2026", "Tháng 01-05/2026",
    "Tháng 11/2026 - Tháng 01/2027", "10/2026"); None when there is none, or none with a year."""
    head = _PERIOD_HEAD.search(f)
    implicit = _IMPLICIT_MONTH.search(f)
    if implicit and (_looks_like_reference(f) or (head and head.start() < implicit.start())):
        implicit = None
    first = implicit or head
    if first is None:
        return None
    unit = "thang" if first is implicit else first.group("unit")
    items = [(unit, first.group("num"), first.group("year"))]
    end = first.end()
    while (sep := _PERIOD_SEP.match(f, end)) and (nxt := _PERIOD_NEXT.match(f, sep.end())):
        unit = nxt.group("unit") or unit
        if _months_of(unit, nxt.group("num")) is None:
            break
        items.append((unit, nxt.group("num"), nxt.group("year")))
        end = nxt.end()
    result = _Periods(None, None, first.start(), end)
    spans = [_months_of(u, n) for u, n, _ in items]
    years = [_repair_year(y, plan_start, plan_end) if y and len(y) != 4 else y for _, _, y in items]
    if None in spans or any(y is not None and len(y) != 4 for y in years):
        result.broken = True      # "Quý V/2026", "Tháng 13/2026", "Quý I năm 206" (no plan year)
        return result
    cell_year = _first_year(f[:first.start()] + " " + f[end:])
    if any(u == "q" for u, _, _ in items) and not any(years) and not cell_year:
        return None               # a lone "Q2" is not read with the plan's year
    fallback = cell_year or default_year
    dated: list[tuple[int, int, int]] = []
    for i, ((m1, m2), y) in enumerate(zip(spans, years)):
        if y is None:
            y = next((y2 for y2 in years[i + 1:] if y2), None) or next(
                (y2 for y2 in reversed(years[:i]) if y2), None) or fallback
        if y is None:
            return None
        dated.append((int(y), m1, m2))
    for (y0, a0, b0), (y1, a1, b1) in pairwise(dated):
        if (y1, a1) < (y0, a0) or (y1, b1) < (y0, b0):
            result.broken = True  # a sequence that goes backwards
            return result
    rest = f[:first.start()] + " " + f[end:]
    if _has_dated_period(rest):
        result.broken = True      # two dated periods the sequence does not join
        return result
    result.start = _month_start(dated[0][0], dated[0][1])
    result.due = _month_end(dated[-1][0], dated[-1][2])
    return result


def _repair_year(digits: str, plan_start: int | None, plan_end: int | None) -> str:
    """A 3- or 5-digit year typo ("206", "20266") -> the one year of the plan period that it is
    with one digit lost or added; unchanged (so: not a year) when none or several are."""
    if plan_start is None or plan_end is None or not 0 <= plan_end - plan_start <= 20:
        return digits
    fits = [str(y) for y in range(plan_start, plan_end + 1)
            if _one_digit_more(str(y), digits) or _one_digit_more(digits, str(y))]
    return fits[0] if len(fits) == 1 else digits


def _one_digit_more(longer: str, shorter: str) -> bool:
    """shorter is longer with one digit deleted."""
    return len(longer) == len(shorter) + 1 and any(
        longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _months_of(unit: str, num: str) -> tuple[int, int] | None:
    """First and last month of a quarter / month numeral; None when it is no such numeral."""
    if unit == "thang":
        return (int(num), int(num)) if num.isdigit() and 1 <= int(num) <= 12 else None
    if num.isdigit():
        n = int(num) if 1 <= int(num) <= 4 else None
    else:
        n = _QUARTER_NUMERALS.get(num if unit == "q" else num.replace("h", "ii").replace("l", "i"))
    return (3 * n - 2, 3 * n) if n else None


def _has_dated_period(f: str) -> bool:
    if _DAY.search(f) or _DAY_WORDS.search(f):
        return True
    if any(m.group("year") for m in _PERIOD_HEAD.finditer(f)):
        return True
    return bool(_IMPLICIT_MONTH.search(f)) and not _looks_like_reference(f)


def _year_span(f: str) -> tuple[str | None, str | None]:
    """Window of the years of a cell that says nothing finer ("2026", "2025 - 2035", "Cả năm
    2026", "Năm 2026, 2027"); nothing when some other date-like word is left unread."""
    years = list(_YEAR.finditer(f))
    rest = _YEAR.sub(" ", f)
    if _DATE_WORD.search(rest):
        return None, None
    for a, b in pairwise(years):
        if not _YEAR_LIST_GAP.fullmatch(f[a.end():b.start()]):
            return None, None     # years with words between: not one list
    first, last = int(years[0].group(1)), int(years[-1].group(1))
    if first > last:
        return None, None
    return iso_date(first, 1, 1), iso_date(last, 12, 31)


def _day_parts(match: re.Match[str]) -> tuple[int, int, int]:
    groups = [g for g in match.groups() if g and g.isdigit()]
    return int(groups[0]), int(groups[1]), int(groups[2])


def _first_year(f: str) -> int | None:
    m = _YEAR.search(f)
    return int(m.group(1)) if m else None


def _looks_like_reference(f: str) -> bool:
    return bool(re.search(r"\bso\s*\d+|/(?:qd|kh|nq|ct|tb)", f))


def _recurrence(f: str) -> str | None:
    found = {name for pattern, name in _RECURRENCE_WORDS if pattern.search(f)}
    for name in _FINEST_FIRST:
        if name in found:
            return name
    if _CONTINUOUS.search(f) and not _YEAR.search(f):
        return "continuous"
    if _PERIODIC.search(f) and not _YEAR.search(f):
        return "periodic"
    return None


def _loose_recurrence(f: str) -> str:
    return "continuous" if _CONTINUOUS.search(f) else "periodic"
