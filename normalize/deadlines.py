"""Deadline cell text -> a contract deadline {raw, kind, start, due, recurrence, condition, parts}.

Explicit rules decide quarters, month ranges, years, "Cả năm", "Thường xuyên", "Hằng quý,
năm", "Theo hướng dẫn của …" and day dates written the usual ways; dateparser is asked only
for a day-level date the rules could not read.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from normalize.text import clean, fold, strip_bullet

_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"(\d{4})"
_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_DAY_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|/)\s*(\d{4})")
_DAY_NO_YEAR = re.compile(r"(?:ngay\s*)?(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_QUARTERS = re.compile(r"quy\s+((?:(?:iv|iii|ii|i|[1-4])\s*(?:,|-|–|va|den)?\s*)+)(?:\s*(?:/|nam)\s*" + _Y + ")?")
_MONTH_RANGE = re.compile(r"thang\s*(\d{1,2})\s*(?:-|–|den|toi)\s*(?:thang\s*)?(\d{1,2})\s*(?:/|nam)\s*" + _Y)
_MONTH = re.compile(r"thang\s*(\d{1,2})\s*(?:/|nam)\s*" + _Y)
_MONTH_NO_YEAR = re.compile(r"thang\s*(\d{1,2})(?!\s*[/\d])")
_HALF = re.compile(r"6\s*thang\s*(dau|cuoi)\s*nam(?:\s*" + _Y + ")?")
_YEAR_RANGE = re.compile(_Y + r"\s*(?:-|–|den|toi)\s*(?:nam\s*)?" + _Y)
_YEAR = re.compile(r"(?<!\d)" + _Y + r"(?!\d)")

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
    (re.compile(r"\b(?:hang|moi)\s*thang\b|\bthang lien ke\b"), "monthly"),
    (re.compile(r"\b(?:hang|moi)\s*quy\b|\bquy lien ke\b"), "quarterly"),
    (re.compile(r"(?<!\d)6\s*thang\b(?!\s*(?:dau|cuoi))|\bsau thang\b|\bnua nam\b"), "semiannual"),
    (re.compile(r"\b(?:hang|moi)\s*nam\b|\bnam lien ke\b|(?:,|\bva)\s*(?:1\s*)?nam\b|^nam$"), "annual"),
]
_FINEST_FIRST = ["daily", "weekly", "monthly", "quarterly", "semiannual", "annual"]
_CONTINUOUS = re.compile(r"thuong xuyen|lien tuc|hang ngay")
_PERIODIC = re.compile(r"dinh ky|dot xuat")


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


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _month_start(y: int, m: int) -> str | None:
    return _iso(y, m, 1) if 1 <= m <= 12 else None


def _quarter_span(quarters: list[int], y: int) -> tuple[str | None, str | None]:
    return _month_start(y, 3 * min(quarters) - 2), _month_end(y, 3 * max(quarters))


def _strip_terminal(text: str) -> str:
    return re.sub(r"[\s.;,]+$", "", strip_bullet(text)).strip()


def _split_parts(lines: list[str]) -> list[str]:
    """Bulleted items of a deadline cell ("- Kế hoạch: hàng năm.- Báo cáo: …")."""
    pieces: list[str] = []
    for line in lines:
        text = clean(line)
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
        return _parse_one(raw, _strip_terminal(raw), plan_start, plan_end)
    except Exception:  # a rule bug must never lose the row: keep the text, report it
        return DeadlineValue(raw=raw, kind="unspecified")


def _drop_label(part: str) -> str:
    """'Kế hoạch: hàng năm' -> 'hàng năm' (a short label before a colon)."""
    head, sep, tail = part.partition(":")
    if sep and tail.strip() and len(head.split()) <= 8 and not re.search(r"\d", head):
        return tail.strip()
    return part


def _parse_one(raw: str, text: str, plan_start: int | None, plan_end: int | None) -> DeadlineValue:
    f = " ".join(fold(text).split())
    value = DeadlineValue(raw=raw, kind="unspecified")
    if not f:
        return value
    if _CONDITIONAL.match(f):
        value.kind, value.condition = "conditional", text
        return value
    default_year = plan_start if plan_start is not None and plan_start == plan_end else None

    recurrence = _recurrence(f)
    has_year = bool(_YEAR.search(f))
    if recurrence and not (has_year and not re.search(r"\b(?:hang|moi)\b|lien ke|dinh ky", f)):
        value.kind, value.recurrence = "recurring", recurrence
        return value

    bound = bool(_BOUND.search(f))
    completion = bool(_COMPLETION.search(f))

    # Day-level dates.
    day = _DAY.search(f) or _DAY_WORDS.search(f)
    if day:
        d, m, y = _day_parts(day)
        due = _iso(y, m, d)
        if due:
            if _FROM.match(f) and not re.search(r"den", f):
                value.kind, value.start = "from", due
                return value
            second = _DAY.search(f, day.end())
            if second and re.search(r"den|-", f[day.end():second.start()]):
                d2, m2, y2 = _day_parts(second)
                value.kind, value.start, value.due = "window", due, _iso(y2, m2, d2)
                return value
            value.kind, value.due = "due_by", due
            return value
    if bound or "ngay" in f:
        dm = _DAY_NO_YEAR.search(f)
        if dm and not _MONTH.search(f):
            d, m = int(dm.group(1)), int(dm.group(2))
            if re.search(r"lien ke|hang nam", f):
                value.kind, value.recurrence = "recurring", "annual"
                return value
            if default_year and 1 <= m <= 12:
                due = _iso(default_year, m, d)
                if due:
                    value.kind, value.due = "due_by", due
                    return value

    start = due = None
    q = _QUARTERS.search(f)
    mr = _MONTH_RANGE.search(f)
    mo = _MONTH.search(f)
    half = _HALF.search(f)
    yr = _YEAR_RANGE.search(f)
    if q:
        quarters = [_ROMAN_Q[t] for t in re.findall(r"iv|iii|ii|i|[1-4]", q.group(1))]
        year = int(q.group(2)) if q.group(2) else _first_year(f) or default_year
        if quarters and year:
            start, due = _quarter_span(quarters, year)
    elif mr:
        m1, m2, y = int(mr.group(1)), int(mr.group(2)), int(mr.group(3))
        start, due = _month_start(y, m1), _month_end(y, m2)
    elif half:
        y = int(half.group(2)) if half.group(2) else _first_year(f) or default_year
        if y:
            start, due = (_iso(y, 1, 1), _iso(y, 6, 30)) if half.group(1) == "dau" else (
                _iso(y, 7, 1), _iso(y, 12, 31))
    elif mo:
        m, y = int(mo.group(1)), int(mo.group(2))
        start, due = _month_start(y, m), _month_end(y, m)
    elif yr:
        y1, y2 = int(yr.group(1)), int(yr.group(2))
        if y1 <= y2:
            start, due = _iso(y1, 1, 1), _iso(y2, 12, 31)
    elif (ys := _YEAR.search(f)) and not _looks_like_reference(f):
        y = int(ys.group(1))
        start, due = _iso(y, 1, 1), _iso(y, 12, 31)
    elif (mny := _MONTH_NO_YEAR.search(f)) and default_year:
        m = int(mny.group(1))
        start, due = _month_start(default_year, m), _month_end(default_year, m)

    if start and due:
        if _FROM.match(f) and not re.search(r"\bden\b|-|–", f[_FROM.match(f).end():]):
            value.kind, value.start = "from", start
        elif bound or (completion and not re.search(r"^(?:trong|ca)\b", f)):
            value.kind, value.due = "due_by", due
        else:
            value.kind, value.start, value.due = "window", start, due
        return value

    if recurrence or _CONTINUOUS.search(f) or _PERIODIC.search(f):
        value.kind, value.recurrence = "recurring", recurrence or _loose_recurrence(f)
        return value
    parsed = _dateparser_day(text)
    if parsed:
        value.kind, value.due = "due_by", parsed
    return value


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


def _dateparser_day(text: str) -> str | None:
    """Last resort for a day date in words; only when a 4-digit year is present."""
    if not _YEAR.search(text) or len(text) > 60:
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
