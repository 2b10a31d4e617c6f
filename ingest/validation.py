"""Validation rules of the contract: each finding has a code, a default severity, a message
and a location. Severities can be overridden per code (pyproject [tool.kehoach] / kehoach.toml)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from normalize.departments import match_departments
from normalize.metadata import PlanMetadata
from normalize.targets import malformed_percentages
from normalize.text import clean, fold_words, LOWER, UPPER
from parsers.model import ParserWarning
from parsers.plan.structure import PlanStructure, TaskRow
from schema import IssueLocation, Plan, Responsibility, Target, Task
from schema.codes import Code

# The codes, their default severities and descriptions: schema/codes.py.
DEFAULT_SEVERITY: dict[str, str] = {code.value: code.severity for code in Code}
RULE_DESCRIPTIONS: dict[str, str] = {code.value: code.description for code in Code}


@dataclass
class Finding:
    code: str
    message: str
    location: IssueLocation = field(default_factory=IssueLocation)

    def severity(self, overrides: dict[str, str] | None = None) -> str:
        if overrides and self.code in overrides:
            return overrides[self.code]
        return DEFAULT_SEVERITY.get(self.code, "warning")


def _loc(task: Task | None = None, field_name: str | None = None) -> IssueLocation:
    if task is None:
        return IssueLocation(field=field_name)
    return IssueLocation(task_id=task.task_id, page=task.provenance.page, line=task.provenance.line,
                         field=field_name)


def _label(task: Task) -> str:
    where = f"{task.annex}, " if task.annex else ""
    return f"{where}TT {task.seq or '?'} (order {task.order})"


def validate(plan: Plan, tasks: list[Task], rows: list[TaskRow], targets: list[Target],
             structure: PlanStructure, meta: PlanMetadata, parser_warnings: list[str],
             responsibilities: list[Responsibility] | None = None) -> list[Finding]:
    out: list[Finding] = []
    for warning in parser_warnings:
        if isinstance(warning, ParserWarning):
            out.append(Finding(warning.code.value, warning.message))
            continue
        # "CODE: message" strings (the text family, until it emits typed warnings)
        code, sep, message = warning.partition(": ")
        if sep and re.fullmatch(r"[A-Z][A-Z0-9_]+", code):
            out.append(Finding(code, message))
        else:
            out.append(Finding("PARSER_WARNING", warning))
    if meta.kind not in ("plan", "unknown"):
        out.append(Finding("NOT_A_PLAN", f"the document is a {meta.kind}, not a plan (Kế hoạch): "
                                         "no tasks or targets were extracted"))
    elif not tasks:
        out.append(Finding("NO_TASK_TABLE", "no annex task table was found in the document"))
    if not tasks and not targets:
        out.append(Finding("NOTHING_EXTRACTED", "no task and no target was found: the document gives "
                                                "nothing to act on, so it is not a valid plan"))
    out += _header_findings(plan, meta)
    for task, row in zip(tasks, rows):
        out += _task_findings(task, row, plan, meta)
    out += _sequence_findings([t for t, r in zip(tasks, rows) if not r.seq_shared])
    out += _commune_findings(plan, tasks, structure)
    out += _percent_findings(structure, tasks, rows)
    for target in targets:
        if target.value > 100 and not re.search(r"tăng|tốc độ|tang|so với", target.text + target.metric,
                                                re.IGNORECASE):
            out.append(Finding("PERCENT_OVER_100",
                               f"target '{target.text[:80]}' asks for {target.value:g}% (above 100)",
                               IssueLocation(task_id=target.task_id, page=target.provenance.page,
                                             line=target.provenance.line, field="value")))
    out += _responsibility_findings(responsibilities or [])
    return out


def _responsibility_findings(items: list[Responsibility]) -> list[Finding]:
    """A duty addressed to a party with no department code (citizens, enterprises, a unit
    missing from departments.csv): the raw addressee is kept, the code is not guessed."""
    out = []
    for item in items:
        if "UNKNOWN" in item.unit:
            out.append(Finding("UNKNOWN_DEPARTMENT",
                               f"duty {item.resp_id}: addressee '{item.unit_raw}' names a party with no "
                               "department code",
                               IssueLocation(page=item.provenance.page, line=item.provenance.line,
                                             field="unit")))
    return out


def _percent_findings(structure: PlanStructure, tasks: list[Task], rows: list[TaskRow]) -> list[Finding]:
    out = []
    for paragraph in structure.paragraphs:
        for figure in malformed_percentages(paragraph.text):
            out.append(Finding("INVALID_PERCENT", f"'{figure}' is not a percentage goal; left out of the targets",
                               IssueLocation(page=paragraph.provenance.page, line=paragraph.provenance.line,
                                             field="value")))
    for task, row in zip(tasks, rows):
        for text in (task.content, row.text("products")):
            for figure in malformed_percentages(text):
                out.append(Finding("INVALID_PERCENT", f"{_label(task)}: '{figure}' is not a percentage goal; "
                                                      "left out of the targets", _loc(task, "value")))
    return out


def _header_findings(plan: Plan, meta: PlanMetadata) -> list[Finding]:
    out = []
    if plan.number is None:
        out.append(Finding("MISSING_NUMBER", "the plan number is blank ('Số: /KH-UBND')"
                           if meta.number_blank else "no plan number found"))
    if plan.issued_date is None:
        out.append(Finding("MISSING_ISSUED_DATE", "no issue date found"))
    elif len(plan.issued_date) < 10:
        out.append(Finding("MISSING_ISSUED_DATE", f"the issue date is incomplete ({plan.issued_date})"))
    for text in meta.invalid_dates:
        out.append(Finding("INVALID_DATE", f"'{text}' is not a real date; the issue date was left out",
                           IssueLocation(field="issued_date")))
    if plan.signer is None:
        out.append(Finding("MISSING_SIGNER", "no signature block found"))
    if meta.header_number and meta.annex_number and meta.header_number != meta.annex_number:
        out.append(Finding("PLAN_DATE_CONFLICT",
                           f"header number {meta.header_number} differs from the annex's {meta.annex_number}"))
    if meta.header_date and meta.annex_date and not (
            meta.header_date.startswith(meta.annex_date) or meta.annex_date.startswith(meta.header_date)):
        out.append(Finding("PLAN_DATE_CONFLICT",
                           f"header date {meta.header_date} differs from the annex's {meta.annex_date}"))
    return out


def _span(start: str | None, due: str | None) -> str:
    if start and due:
        return f"{start} to {due}"
    return f"due {due}" if due else f"from {start}"


def _task_findings(task: Task, row: TaskRow, plan: Plan, meta: PlanMetadata) -> list[Finding]:
    out = []
    lead_match = match_departments(task.lead_raw, meta.level)
    if lead_match.by_reference:
        out.append(Finding("LEAD_BY_REFERENCE", f"{_label(task)}: lead given by reference "
                                                f"('{task.lead_raw[:80]}')", _loc(task, "lead")))
    elif not task.lead and not lead_match.unknown:
        out.append(Finding("MISSING_LEAD", f"{_label(task)} has no lead unit", _loc(task, "lead")))
    for field_name, match in (("lead", lead_match),
                              ("coordinating", match_departments(task.coordinating_raw, meta.level))):
        for mention in match.unknown:
            out.append(Finding("UNKNOWN_DEPARTMENT",
                               f"{_label(task)}: '{mention}' in {field_name} matches no department code",
                               _loc(task, field_name)))
    deadline = task.deadline
    if deadline.kind == "unspecified":
        if deadline.raw:
            out.append(Finding("UNPARSED_DEADLINE", f"{_label(task)}: deadline '{deadline.raw}' not understood",
                               _loc(task, "deadline")))
        else:
            out.append(Finding("MISSING_DEADLINE", f"{_label(task)}: deadline cell is empty",
                               _loc(task, "deadline")))
    for part in [deadline] + list(deadline.parts or []):
        if part.start and part.due and part.start > part.due:
            out.append(Finding("DEADLINE_REVERSED", f"{_label(task)}: deadline '{part.raw}' starts "
                                                    f"({part.start}) after it ends ({part.due})",
                               _loc(task, "deadline")))
            break
    if deadline.kind != "unspecified" and plan.period_start and plan.period_end:
        spans = [deadline] + list(deadline.parts or [])
        for part in spans:
            years = [int(d[:4]) for d in (part.start, part.due) if d]
            if years and (max(years) > plan.period_end or min(years) < plan.period_start - 1):
                out.append(Finding(
                    "DEADLINE_OUTSIDE_PERIOD",
                    f"{_label(task)}: deadline '{part.raw}' ({_span(part.start, part.due)}) lies "
                    f"outside the plan period {plan.period_start}-{plan.period_end}",
                    _loc(task, "deadline")))
                break
    if row.unassigned:
        out.append(Finding("UNASSIGNED_CELLS", f"{_label(task)}: cells without a column: "
                                               + " | ".join(c[:40] for c in row.unassigned), _loc(task)))
    return out


_DOTTED = re.compile(r"^((?:\d{1,3}\.)*)(\d{1,3})$")


def _numbering(task: Task) -> tuple[str, int] | None:
    """'12' -> ('', 12); '4.3' -> ('4.', 3): the level a number counts in, and its last part."""
    m = _DOTTED.match(task.seq) if task.seq else None
    return (m.group(1), int(m.group(2))) if m else None


def _sequence_findings(tasks: list[Task]) -> list[Finding]:
    """Numbering problems per annex and per level: 1, 2, 3 … and, under section 4, 4.1, 4.2 …"""
    out: list[Finding] = []
    groups: dict[tuple[str | None, str], list[tuple[Task, int]]] = {}
    for task in tasks:
        numbering = _numbering(task)
        if numbering is not None:
            groups.setdefault((task.annex, numbering[0]), []).append((task, numbering[1]))
    for (_, prefix), numbered in groups.items():
        for part in _restarts_by_section(numbered):
            out += _check_numbering(prefix, part)
    return out


def _restarts_by_section(numbered: list[tuple[Task, int]]) -> list[list[tuple[Task, int]]]:
    """The numbering as one run, or one run per section when every section starts again at 1
    ("I" 1.1, 1.2, 2.1 …; "II" 1.1 …): printed that way, a number may repeat across sections."""
    sections: dict[str | None, list[tuple[Task, int]]] = {}
    for item in numbered:
        sections.setdefault(item[0].provenance.section, []).append(item)
    if len(sections) > 1 and all(part[0][1] == 1 for part in sections.values()):
        return list(sections.values())
    return [numbered]


def _check_numbering(prefix: str, numbered: list[tuple[Task, int]]) -> list[Finding]:
    out: list[Finding] = []
    if len(numbered) < 2:
        return out
    values = [v for _, v in numbered]
    misprints: set[int] = set()
    expected_prev: dict[int, int] = {}
    prev = 0   # the last number in sequence, a misprint counted as the number it replaces
    for i, (task, value) in enumerate(numbered):
        nxt = values[i + 1] if i + 1 < len(values) else None
        expected_prev[i] = prev
        if value != prev + 1 and (nxt == prev + 2 or value <= prev):
            misprints.add(i)
            out.append(Finding("SEQ_OUT_OF_ORDER",
                               f"{_label(task)} has seq '{task.seq}' after '{prefix}{prev}'; "
                               f"expected '{prefix}{prev + 1}'", _loc(task, "seq")))
            prev += 1
        else:
            prev = value
    seen: dict[int, list[int]] = {}
    for i, value in enumerate(values):
        seen.setdefault(value, []).append(i)
    for value, positions in seen.items():
        if len(positions) > 1:
            at = next((p for p in positions if p in misprints), positions[-1])
            task = numbered[at][0]
            others = ", ".join(str(numbered[p][0].order) for p in positions)
            out.append(Finding("DUPLICATE_SEQ",
                               f"seq '{prefix}{value}' is printed {len(positions)} times (task orders {others})",
                               _loc(task, "seq")))
    present = set(values)
    for missing in range(1, max(values) + 1):
        if missing in present:
            continue
        at = next((i for i in sorted(misprints) if expected_prev[i] + 1 == missing), None)
        if at is None:
            at = next((i for i, v in enumerate(values) if v > missing), len(values) - 1)
        out.append(Finding("SEQ_GAP", f"seq '{prefix}{missing}' is missing from the numbering "
                           f"{prefix}1..{prefix}{max(values)}", _loc(numbered[at][0], "seq")))
    return out


_COMMUNE_NAME = rf"((?:[{UPPER}][{LOWER}]+)(?:\s+[{UPPER}][{LOWER}]+){{0,3}})"
_OWN_COMMUNE = re.compile(
    r"(?:trên địa bàn|của|tại|nhà nước|UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN|Kế hoạch[^.;]{0,60})\s+"
    rf"(xã|phường|thị trấn)\s+{_COMMUNE_NAME}")
_UNIT_THEN_NAME = tuple((word, re.compile(word + r"\s+" + _COMMUNE_NAME)) for word in ("xã", "phường", "thị trấn"))


def _commune_findings(plan: Plan, tasks: list[Task], structure: PlanStructure) -> list[Finding]:
    if not plan.commune:
        return []
    own = fold_words(plan.commune)
    own_words = len(own.split())
    out: list[Finding] = []

    seen: dict[str, bool] = {}     # the same names come back paragraph after paragraph

    def other_commune(name: str) -> bool:
        if name not in seen:
            # Names may run on into the next capitalised word; compare the leading words.
            candidate = fold_words(" ".join(name.split()[:own_words]))
            seen[name] = bool(candidate) and candidate != own and not own.startswith(candidate)
        return seen[name]

    def check(text: str, location: Callable[[], IssueLocation], where: str) -> None:
        if "xã" not in text and "phường" not in text and "thị trấn" not in text \
                and unicodedata.is_normalized("NFC", text):
            return            # names no unit (checked before clean(), which costs more)
        text = clean(text)
        # Cheap pre-scan: every unit name, without the context words _OWN_COMMUNE wants (a
        # literal-led pattern per unit word). Most texts only name the plan's own commune.
        if not any(other_commune(m.group(1)) for word, pattern in _UNIT_THEN_NAME if word in text
                   for m in pattern.finditer(text)):
            return
        for _, name in _OWN_COMMUNE.findall(text):
            if other_commune(name):
                out.append(Finding("COMMUNE_MISMATCH",
                                   f"{where} reads '… {name}' but the plan is for {plan.commune} "
                                   "(copy-paste from another commune's plan?)", location()))
                return

    for task in tasks:
        check(task.content, lambda task=task: _loc(task, "content"), _label(task))
    for paragraph in structure.paragraphs:
        prov = paragraph.provenance
        check(paragraph.text, lambda prov=prov: IssueLocation(page=prov.page, line=prov.line, field="text"),
              "the text")
    return out
