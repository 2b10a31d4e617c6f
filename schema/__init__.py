"""Data contract v1.1: pydantic models of kehoach's output and their JSON Schema.

This package imports nothing from the rest of the project.
"""
from schema.models import (
    AREA_CODES,
    CONTRACT_VERSION,
    Deadline,
    Issue,
    IssueLocation,
    Plan,
    PlanDocument,
    Provenance,
    Responsibility,
    Signer,
    Source,
    Target,
    Task,
    json_schema,
)

__all__ = [
    "AREA_CODES",
    "CONTRACT_VERSION",
    "Deadline",
    "Issue",
    "IssueLocation",
    "Plan",
    "PlanDocument",
    "Provenance",
    "Responsibility",
    "Signer",
    "Source",
    "Target",
    "Task",
    "json_schema",
]
