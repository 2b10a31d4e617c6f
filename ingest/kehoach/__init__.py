"""kehoach's Python API: convert plan documents and load the analyst tables.

    import kehoach
    doc = kehoach.convert("plan.docx")            # a PlanDocument (pydantic), dates as `date`
    docs = kehoach.convert_many(paths, workers=2)  # {path: PlanDocument}
    tables = kehoach.load("data/out")              # {"plans": DataFrame, "tasks": …, "responsibilities": …}

The package's source lives in ingest/kehoach/ (mapped to the top-level name `kehoach` by
pyproject.toml), so the repository keeps its fixed top-level folders.
"""
from __future__ import annotations

from ingest import __version__
from kehoach.api import (ConversionError, Deadline, Plan, PlanDocument, Responsibility, Task, convert,
                         convert_many, load)

__all__ = ["ConversionError", "Deadline", "Plan", "PlanDocument", "Responsibility", "Task", "__version__", "convert",
           "convert_many", "export", "load", "review"]


def export(out_dir: str, to: str, dest: str | None = None) -> list[str]:
    """Write the tables of `out_dir` as one xlsx workbook, CSV files or a DuckDB database."""
    from ingest.export import export as _export
    return [str(p) for p in _export(out_dir, to, dest)]


def review(out_dir: str, dest: str | None = None) -> str:
    """Build the static review site of `out_dir`; returns the index page's path."""
    from ingest.review import build_site
    return str(build_site(out_dir, dest))
