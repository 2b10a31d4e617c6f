"""Time expressions in a duty -> one contract deadline (normalize/deadlines.py reads each).

Found on the folded duty text (folding keeps offsets: one folded character per NFC character):
- schedules: "định kỳ", "hằng/hàng/mỗi" + a period, with the periods listed after them
  ("Định kỳ hàng quý, 6 tháng, năm hoặc đột xuất"), "thường xuyên" / "liên tục" (not "chi
  thường xuyên", recurrent spending) -> recurring; several of them are read together, so the
  finest listed period wins ("hằng năm; định kỳ" -> annual, "định kỳ; hàng quý" -> quarterly);
- a bound and a date or period ("trước ngày 15/12/2026", "chậm nhất là ngày 07/3", "hoàn thành
  trong quý II/2026", "trước ngày 15/12 hằng năm") -> due_by / window / recurring;
- conditions: "theo hướng dẫn của <body>", "theo yêu cầu của <body>", event clauses ("nếu
  phát sinh …", "trường hợp …") -> conditional.
Expressions inside an example clause ("đặc biệt là … dự toán hàng năm") name objects, not the
duty's time, and are skipped. Different kinds give a composite (parts in document order, due =
the earliest due); no expression gives `unspecified` with raw "".
A year alone ("Kế hoạch CCHC năm 2026") names an object, not a deadline: it is not read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.deadlines import parse_deadline
from normalize.duties.vocab import vocab
from normalize.text import fold

_DATE = (r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{4})?(?!\s*[/.\-]?\d)"
         r"|\d{1,2}\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?"
         r"|(?:quy|thang)\s+[ivx\d]+(?:\s*(?:,|-|va)\s*[ivx\d]+)*(?:\s*(?:/|nam)\s*\d{4})?"
         r"|(?:cuoi\s+)?nam\s+\d{4})")
_ANNUAL_TAIL = r"(?:\s+(?:hang|hằng|moi)\s+(?:nam|thang|quy))?"
_SEP = r"\s*(?:,|va|hoac|\+)\s*"


@dataclass(frozen=True)
class Timing:
    deadline: dict
    start: int | None     # character offsets of the expressions in the duty text
    end: int | None


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = vocab()

    def alt(words) -> str:
        return "|".join(re.escape(w) for w in words)

    period = f"(?:{alt(v.periods)})"
    heads = [h for h in v.recurrence_heads if h != "dinh ky"]
    schedule = re.compile(
        rf"\b(?:(?:theo\s+)?dinh ky(?:{_SEP}|\s+)?(?:(?:{alt(heads)})\s+{period}|{period})?"
        rf"|(?:{alt(heads)})\s+{period})(?:{_SEP}(?:(?:bao cao\s+)?(?:{alt(heads)})\s+)?{period}\b)*")
    continuous = re.compile(rf"\b(?:{alt(v.continuous)})\b")
    not_continuous = re.compile(rf"\b(?:{alt(v.not_continuous)})\b")
    bounded = re.compile(rf"\b(?:{alt(v.bounds)})\s+(?:la\s+)?(?:ngay\s+)?{_DATE}{_ANNUAL_TAIL}(?![\w/])")
    condition = re.compile(rf"\b(?:{alt(v.conditions)})\b[^,;.()]*")
    return schedule, continuous, not_continuous, bounded, condition


def _examples(f: str) -> list[tuple[int, int]]:
    """Spans of example clauses ("đặc biệt là …" up to the next ";" or the end)."""
    out = []
    for cue in vocab().example_cues:
        for m in re.finditer(rf"\b{re.escape(cue)}\b", f):
            stop = f.find(";", m.end())
            out.append((m.start(), stop if stop >= 0 else len(f)))
    return out


def find_timing(text: str, plan_start: int | None, plan_end: int | None) -> Timing:
    """The deadline of a duty from the time expressions its text states."""
    f = fold(text)
    if len(f) != len(text):        # folding changed the length: offsets cannot be mapped
        f = "".join(fold(c)[:1] or " " for c in text)
    schedule, continuous, not_continuous, bounded, condition = _patterns()
    examples = _examples(f)
    spending = [(m.start(), m.end()) for m in not_continuous.finditer(f)]
    found: list[tuple[int, int, str]] = []      # (start, end, kind hint)

    def inside(spans, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in spans)

    for pattern, hint in ((bounded, "date"), (schedule, "recurring"), (continuous, "recurring"),
                          (condition, "conditional")):
        for m in pattern.finditer(f):
            a, b = m.start(), len(f[:m.end()].rstrip(" ,"))
            if inside(examples, a, b) or (hint == "recurring" and inside(spending, a, b)):
                continue
            if hint == "date" and re.match(r"trong\s+(?:la\s+)?(?:cuoi\s+)?nam\b", f[a:b]):
                continue              # "giao trong năm 2026": a year names the work, not its time
            if any(a < e and s < b for s, e, _ in found):
                continue              # overlaps a longer, earlier-kind expression
            found.append((a, b, hint))
    if not found:
        return Timing({"raw": "", "kind": "unspecified", "start": None, "due": None,
                       "recurrence": None, "condition": None, "parts": None}, None, None)
    found.sort()
    values = []
    recurring_raw = [text[a:b] for a, b, hint in found if hint == "recurring"]
    merged_recurring = False
    for a, b, hint in found:
        raw = text[a:b]
        if hint == "conditional":
            values.append({"raw": raw, "kind": "conditional", "start": None, "due": None,
                           "recurrence": None, "condition": raw, "parts": None})
            continue
        if hint == "recurring":
            if merged_recurring:
                continue
            merged_recurring = True
            raw = "; ".join(recurring_raw)
        value = parse_deadline(raw, plan_start, plan_end).as_dict()
        if value["kind"] != "unspecified":
            values.append(value)
    start, end = found[0][0], found[-1][1]
    if not values:
        return Timing({"raw": "", "kind": "unspecified", "start": None, "due": None,
                       "recurrence": None, "condition": None, "parts": None}, None, None)
    if len(values) == 1:
        return Timing(values[0], start, end)
    dues = sorted(v["due"] for v in values if v["due"])
    return Timing({"raw": "; ".join(v["raw"] for v in values), "kind": "composite", "start": None,
                   "due": dues[0] if dues else None, "recurrence": None, "condition": None,
                   "parts": values}, start, end)
