"""convert / convert_many / load: the public functions behind `import kehoach`."""
from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

import schema.models as contract

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_NAME = "document"      # file name given to bytes converted without a name (plan_id stem)


class Deadline(contract.Deadline):
    """The contract's deadline with `start`/`due` as `datetime.date` (JSON text unchanged)."""

    # Narrower than the contract's ISO strings on purpose (pydantic parses and serialises them).
    start: date | None = None  # type: ignore[assignment]
    due: date | None = None  # type: ignore[assignment]
    parts: list[Deadline] | None = None  # type: ignore[assignment]


class Task(contract.Task):
    deadline: Deadline


class Responsibility(contract.Responsibility):
    """A duty assigned in the prose (contract v1.1), its deadline's dates as `date`."""

    deadline: Deadline


class Plan(contract.Plan):
    @property
    def issued_day(self) -> date | None:
        """issued_date as a date when the day is printed (it may be only 'YYYY-MM')."""
        value = self.issued_date
        return date.fromisoformat(value) if value and len(value) == 10 else None


class PlanDocument(contract.PlanDocument):
    """One converted document; `to_json()` gives exactly the JSON `kehoach convert` writes."""

    plan: Plan
    tasks: list[Task]  # type: ignore[assignment]   # the same tasks, dates as `date`
    responsibilities: list[Responsibility] = Field(default_factory=list)  # type: ignore[assignment]


class ConversionError(Exception):
    """A file could not be converted (unreadable, not a supported format, corrupt…)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


def _severities(severities: dict[str, str] | None) -> dict[str, str]:
    return dict(severities or {})


def convert(source: str | Path | bytes, *, name: str = DEFAULT_NAME, password: str | None = None,
            severities: dict[str, str] | None = None) -> PlanDocument:
    """Convert one document (a path, or its bytes; the format is told from the content).
    `name` is the file name used for bytes (it gives the plan_id's stem). Raises
    ConversionError when the file cannot be converted."""
    from ingest.convert import convert_file

    if isinstance(source, (bytes, bytearray)):
        with tempfile.TemporaryDirectory(prefix="kehoach-") as tmp:
            path = Path(tmp) / Path(name).name
            path.write_bytes(bytes(source))
            outcome = convert_file(str(path), password, _severities(severities))
    else:
        outcome = convert_file(str(source), password, _severities(severities))
    if outcome.status != "ok" or outcome.json_text is None:
        raise ConversionError(str(source) if not isinstance(source, (bytes, bytearray)) else name,
                              outcome.error or "conversion failed")
    return PlanDocument.model_validate_json(outcome.json_text)


def convert_many(paths: Iterable[str | Path], workers: int | None = None, *,
                 on_error: Literal["raise", "skip"] = "raise", password: str | None = None,
                 timeout: float = 300.0) -> dict[str, PlanDocument]:
    """Convert files in `workers` processes (default: one per CPU; 0 = in this process).
    Returns {path: PlanDocument} in the order given. With on_error="raise" the first failed
    file (in that order) raises ConversionError after all are done; "skip" leaves it out."""
    from ingest.batch import default_workers
    from ingest.pool import Limits, run_pool

    keys = [str(p) for p in paths]
    limits = Limits(timeout_s=timeout, password=password)
    outcomes = {o.path: o for o in run_pool(keys, default_workers() if workers is None else workers, limits)}
    result: dict[str, PlanDocument] = {}
    for key in keys:
        outcome = outcomes[key]
        if outcome.status == "ok" and outcome.json_text is not None:
            result[key] = PlanDocument.model_validate_json(outcome.json_text)
        elif on_error == "raise":
            raise ConversionError(key, outcome.error or "conversion failed")
    return result


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The tables of a `kehoach convert` output folder as pandas DataFrames keyed by name
    (plans, tasks, targets, responsibilities, issues, departments, areas, and any other table
    present): dates as datetime64, integers as nullable Int32, lists as lists."""
    from ingest.analyst import read_arrow_tables, to_pandas

    return {name: to_pandas(table) for name, table in read_arrow_tables(out_dir).items()}
