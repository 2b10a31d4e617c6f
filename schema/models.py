"""Pydantic v2 models of data contract v1.1 (see README, "Output"): v1 plus `responsibilities`."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CONTRACT_VERSION = "1.1"

AREA_CODES = (
    "CHI_DAO_DIEU_HANH",
    "THE_CHE",
    "TTHC",
    "TO_CHUC_BO_MAY",
    "CONG_VU",
    "TAI_CHINH_CONG",
    "CHINH_QUYEN_SO",
)
Area = Literal[
    "CHI_DAO_DIEU_HANH", "THE_CHE", "TTHC", "TO_CHUC_BO_MAY", "CONG_VU", "TAI_CHINH_CONG",
    "CHINH_QUYEN_SO",
]
SourceFormat = Literal["docx", "pdf", "pdf-ocr", "txt", "md", "doc", "odt", "rtf"]
DeadlineKind = Literal[
    "due_by", "window", "recurring", "conditional", "from", "composite", "unspecified"
]
Recurrence = Literal[
    "continuous", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "periodic"
]
Comparator = Literal[">=", ">", "=", "<=", "<"]
Severity = Literal["error", "warning"]
Role = Literal["lead", "coordinate", "do"]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _real_date(value: str | None) -> str | None:
    """A 'YYYY-MM-DD' (or 'YYYY-MM', 'YYYY') that names a real day: the pattern alone lets
    "2025-01-99" through, and every reader of the contract (Parquet `date` columns) breaks on it.
    A `date` (the Python API's models narrow the field to it) is real already."""
    if isinstance(value, date):
        return value
    if value is not None:
        year, _, rest = value.partition("-")
        month, _, day = rest.partition("-")
        date(int(year), int(month or 1), int(day or 1))      # ValueError -> a validation error
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


def _is_none(value: object) -> bool:
    return value is None


def _optional(description: str | None = None, **constraints: Any) -> Any:
    """An optional key left out of the JSON when it does not apply (None), as the contract
    shows provenance and issue locations. (Per field in pydantic-core: about twice as fast as
    a Python model serializer dropping the None keys.)"""
    return Field(None, exclude_if=_is_none, description=description, **constraints)


class Provenance(_Model):
    """Where a value came from; keys that do not apply are left out of the JSON."""

    page: int | None = _optional("1-based page (paged formats)", ge=1)
    table: int | None = _optional("0-based table index in the document", ge=0)
    row: int | None = _optional("0-based row index in its table", ge=0)
    line: int | None = _optional("1-based first line (text renditions)", ge=1)
    line_end: int | None = _optional("1-based last line (text renditions)", ge=1)
    page_end: int | None = _optional("last page when a row spans pages", ge=1)
    paragraph: int | None = _optional("paragraph number (DOCX prose; 1-based, non-empty paragraphs)", ge=1)
    section: str | None = _optional("section row text the task sits under")
    ocr_confidence: float | None = _optional("mean OCR confidence", ge=0, le=100)


class Source(_Model):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    format: SourceFormat
    pages: int | None = None


class Signer(_Model):
    name: str | None
    role: str | None


class Plan(_Model):
    plan_id: str
    source: Source
    issuer: str | None
    commune: str | None
    province: str | None
    number: str | None
    issued_date: str | None = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    title: str | None
    period_start: int | None
    period_end: int | None
    signer: Signer | None

    @field_validator("issued_date")
    @classmethod
    def _issued_date_is_real(cls, value: str | None) -> str | None:
        return _real_date(value)


class Deadline(_Model):
    raw: str
    kind: DeadlineKind
    start: str | None = Field(None, pattern=ISO_DATE)
    due: str | None = Field(None, pattern=ISO_DATE)
    recurrence: Recurrence | None = None
    condition: str | None = None
    parts: list[Deadline] | None = None

    @field_validator("start", "due")
    @classmethod
    def _dates_are_real(cls, value: str | None) -> str | None:
        return _real_date(value)


class Task(_Model):
    task_id: str
    order: int = Field(ge=1)
    seq: str | None
    area: Area | None
    annex: str | None
    content: str
    products: list[str]
    lead: list[str]
    lead_raw: str
    coordinating: list[str]
    coordinating_raw: str
    deadline: Deadline
    extra: dict[str, str] = Field(default_factory=dict)
    provenance: Provenance


class Target(_Model):
    target_id: str
    task_id: str | None
    area: Area | None
    text: str
    metric: str
    value: float
    comparator: Comparator
    unit: Literal["%"] = "%"
    year: int | None
    direction: Literal["increase", "decrease"] = "increase"
    provenance: Provenance


class Responsibility(_Model):
    """One duty of one addressee, assigned in the prose (contract v1.1)."""

    resp_id: str
    order: int = Field(ge=1)
    unit: list[str] = Field(description="department codes of the addressee; UNKNOWN for a party with no code")
    unit_raw: str = Field(description="the addressee as printed, without list marker, framing words and colon")
    duty: str
    role: Role
    deadline: Deadline
    provenance: Provenance
    spans: dict[str, list[int]] | None = _optional(
        "character offsets [start, end) in `duty` of the unit mention, the role cue and the time "
        "expression(s) that were read (keys unit, role, deadline; each only when in the duty)")

    @field_validator("spans")
    @classmethod
    def _spans_are_pairs(cls, spans: dict[str, list[int]] | None) -> dict[str, list[int]] | None:
        for key, pair in (spans or {}).items():
            if len(pair) != 2 or not 0 <= pair[0] <= pair[1]:
                raise ValueError(f"span {key} must be [start, end) with 0 <= start <= end")
        return spans


class IssueLocation(_Model):
    task_id: str | None = _optional()
    page: int | None = _optional()
    line: int | None = _optional()
    field: str | None = _optional()


class Issue(_Model):
    severity: Severity
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    message: str
    location: IssueLocation = Field(default_factory=IssueLocation)


class PlanDocument(_Model):
    contract_version: Literal["1.1"] = CONTRACT_VERSION
    plan: Plan
    tasks: list[Task]
    targets: list[Target]
    responsibilities: list[Responsibility] = Field(default_factory=list)
    issues: list[Issue]

    @field_validator("tasks", "responsibilities")
    @classmethod
    def _orders_are_positions(cls, items: list[Task] | list[Responsibility]) -> list:
        for position, item in enumerate(items, start=1):
            if item.order != position:
                name = f"task {item.task_id}" if isinstance(item, Task) else f"responsibility {item.resp_id}"
                raise ValueError(f"{name} has order {item.order}, expected {position}")
        return items

    def to_json(self) -> str:
        """Deterministic JSON text (UTF-8, fixed key order, one-space indent, final newline)."""
        return self.model_dump_json(indent=1) + "\n"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one output document."""
    schema = PlanDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kehoach plan document, data contract v1.1"
    return schema
