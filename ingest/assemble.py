"""Document model -> contract v1.1 plan document (tasks, targets, responsibilities, metadata, issues)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import TypeAdapter

from normalize.areas import area_of, is_reform_plan
from normalize.deadlines import deadline_dict
from normalize.duties import extract_duties
from normalize.departments import match_departments
from normalize.headings import HeadingTracker, inline_area
from normalize.metadata import PlanMetadata, extract_metadata
from normalize.products import split_products
from normalize.targets import extract_targets
from normalize.text import clean, fold_words, strip_bullet
from ingest.validation import Finding, validate
from parsers.model import Document, Provenance
from parsers.plan.structure import PlanStructure, TaskRow, analyse
from schema import Issue, Plan, PlanDocument, Responsibility, Signer, Source, Target, Task


@dataclass(frozen=True)
class SourceInfo:
    path: str
    sha256: str
    format: str
    pages: int | None


_SEQ_END = re.compile(r"[.)]+$")


@lru_cache(maxsize=4096)      # "1", "2.", "a)": the same few labels in every plan
def _seq(text: str) -> str | None:
    text = _SEQ_END.sub("", clean(text).strip()).strip()
    return text or None


def _content(row: TaskRow) -> str:
    cell = row.cells.get("content")
    if cell is None:
        return ""
    parts = [strip_bullet(clean(line)) for line in cell.lines]
    return " ".join(p for p in parts if p)


def _provenance(prov: Provenance, section: str | None = None, *, span: bool = False) -> dict:
    """Output provenance as the dict the contract model validates (nested dicts are validated
    in the same call as their parent model: one pydantic call per task, not three).
    span: give line_end even for a one-line source (task rows state their line span)."""
    line_end = prov.line_end if prov.line is not None else None
    if span and prov.line is not None and line_end is None:
        line_end = prov.line
    return {"page": prov.page, "page_end": prov.page_end, "table": prov.table, "row": prov.row,
            "line": prov.line, "line_end": line_end, "paragraph": prov.paragraph, "section": section,
            "ocr_confidence": prov.ocr_confidence}


def build_tasks(structure: PlanStructure, meta: PlanMetadata, plan_id: str) -> tuple[list[Task], list[TaskRow]]:
    annexes = {row.annex for row in structure.task_rows}
    several_annexes = len(annexes) > 1
    reform = is_reform_plan(meta.title)
    tasks: list[Task] = []
    for order, row in enumerate(structure.task_rows, start=1):
        lead = match_departments(row.text("lead"), meta.level)
        coordinating = match_departments(row.text("coordinating"), meta.level)
        tasks.append(Task(
            task_id=f"{plan_id}:{order}",
            order=order,
            seq=_seq(row.text("seq")),
            area=area_of(row.section, reform) or area_of(row.table_title, reform),
            annex=row.annex if several_annexes else None,
            content=_content(row),
            products=split_products(row.lines("products")),
            lead=lead.codes,
            lead_raw=clean(row.text("lead")),
            coordinating=coordinating.codes,
            coordinating_raw=clean(row.text("coordinating")),
            deadline=deadline_dict(row.lines("deadline"), meta.period_start, meta.period_end),
            extra=dict(sorted(row.extra.items())),
            provenance=_provenance(row.provenance, row.section, span=True),
        ))
    return tasks, structure.task_rows


def build_targets(structure: PlanStructure, tasks: list[Task], meta: PlanMetadata,
                  plan_id: str) -> list[Target]:
    found: list[tuple[str | None, str | None, Provenance, object]] = []
    tracker = HeadingTracker(reform_plan=is_reform_plan(meta.title))
    for paragraph in structure.paragraphs:
        if tracker.feed(paragraph.text, paragraph.heading_level, paragraph.bold):
            continue
        if "%" not in paragraph.text:
            continue        # no percentage, no target (extract_targets would say the same)
        context = tracker.context
        year = context.year or meta.period_end
        area = inline_area(paragraph.text, tracker.reform_plan) or context.area
        for value in extract_targets(paragraph.text, year):
            found.append((None, area, paragraph.provenance, value))
    for task, row in zip(tasks, structure.task_rows):
        # a goal may sit in the content or in the product cell ("100% hồ sơ được số hóa")
        for text in (task.content, row.text("products")):
            if "%" in text:
                for value in extract_targets(text, meta.period_end):
                    found.append((task.task_id, task.area, row.provenance, value))
    targets = []
    for index, (task_id, area, prov, value) in enumerate(found, start=1):
        targets.append(Target(
            target_id=f"{plan_id}:t{index}", task_id=task_id, area=area, text=value.text,
            metric=value.metric, value=value.value, comparator=value.comparator, unit="%",
            year=value.year, direction=value.direction,
            provenance=_provenance(Provenance(page=prov.page, line=prov.line, table=prov.table,
                                              row=prov.row, paragraph=prov.paragraph)),
        ))
    return targets


_RESPONSIBILITIES = TypeAdapter(list[Responsibility])


def build_responsibilities(structure: PlanStructure, meta: PlanMetadata, plan_id: str) -> list[Responsibility]:
    """Duties assigned to units in the prose (normalize/duties), in document order."""
    # the plan's own place names are no unit ("các phòng ban thuộc UBND xã Thường Xuân")
    places = frozenset(fold_words(name) for name in (meta.commune, meta.province) if name)
    duties = extract_duties(structure.paragraphs, meta.level, meta.period_start, meta.period_end, places)
    rows = []
    for order, duty in enumerate(duties, start=1):
        prov = duty.provenance
        rows.append({
            "resp_id": f"{plan_id}:r{order}", "order": order, "unit": duty.unit, "unit_raw": duty.unit_raw,
            "duty": duty.duty, "role": duty.role, "deadline": duty.deadline,
            "provenance": _provenance(Provenance(page=prov.page, page_end=prov.page_end, line=prov.line,
                                                 line_end=prov.line_end, paragraph=prov.paragraph), span=True),
            "spans": duty.spans or None,
        })
    return _RESPONSIBILITIES.validate_python(rows)     # one validation call for the whole list


def build_plan_document(document: Document, source: SourceInfo, plan_id: str,
                        severities: dict[str, str] | None = None) -> PlanDocument:
    structure = analyse(document)
    meta = extract_metadata([p.text for p in structure.paragraphs])
    if meta.kind not in ("plan", "unknown"):
        # Reports, letters, notices and decisions are not plans: their tables and figures are
        # not tasks or goals, so nothing is extracted from them (NOT_A_PLAN says why).
        structure = PlanStructure(paragraphs=structure.paragraphs, task_rows=[])
    tasks, rows = build_tasks(structure, meta, plan_id)
    is_plan = meta.kind in ("plan", "unknown")
    targets = build_targets(structure, tasks, meta, plan_id) if is_plan else []
    responsibilities = build_responsibilities(structure, meta, plan_id) if is_plan else []
    plan = Plan(
        plan_id=plan_id,
        source=Source(path=source.path, sha256=source.sha256, format=source.format, pages=source.pages),
        issuer=meta.issuer, commune=meta.commune, province=meta.province, number=meta.number,
        issued_date=meta.issued_date, title=meta.title, period_start=meta.period_start,
        period_end=meta.period_end,
        signer=Signer(name=meta.signer_name, role=meta.signer_role) if meta.signer_found else None,
    )
    findings: list[Finding] = validate(plan, tasks, rows, targets, structure, meta, document.warnings,
                                       responsibilities)
    issues = [Issue(severity=f.severity(severities), code=f.code, message=f.message,
                    location=f.location) for f in findings if f.severity(severities) != "off"]
    return PlanDocument(plan=plan, tasks=tasks, targets=targets, responsibilities=responsibilities,
                        issues=issues)
