"""What the duty walk reads (paragraphs of the document model, seen through Protocols: normalize
imports nothing from parsers) and what it gives (`Duty`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Self


class Provenance(Protocol):
    """Where a paragraph was read (parsers.model.Provenance; normalize does not import parsers)."""

    def spanning(self, other: Self) -> Self: ...


class Paragraph(Protocol):
    """What the walk reads of a paragraph of the document model (parsers.model.Paragraph)."""
    text: str
    heading_level: int | None
    bold: bool
    provenance: Provenance


@dataclass
class Duty:
    unit: list[str]
    unit_raw: str
    duty: str
    role: str
    deadline: dict
    provenance: Provenance
    # character offsets in `duty` of what was read: the unit mention (inline addressees),
    # the role cue and the time expression(s); absent when not in the duty text
    spans: dict[str, list[int]] = field(default_factory=dict)
