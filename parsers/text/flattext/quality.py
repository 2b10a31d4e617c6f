"""How plausible a document's task tables look, whichever reader produced them: the share
of task rows whose lead cell names units and whose deadline cell reads as a deadline. Used to
choose between readings of the same flattened text (reading order or interleaved)."""
from __future__ import annotations

from parsers.text.flattext.typing import is_deadline, unit_share
from parsers.model import Document, Table
from parsers.plan.table_header import header_mapping

# A lead cell is "units" when most of its letters name units.
UNIT_CELL_SHARE = 0.6


def _row_checks(texts: dict[str, str]) -> list[bool]:
    checks = []
    if "lead" in texts:
        checks.append(unit_share(texts["lead"]) >= UNIT_CELL_SHARE)
    if texts.get("coordinating"):
        checks.append(unit_share(texts["coordinating"]) >= UNIT_CELL_SHARE)
    if "deadline" in texts:
        checks.append(is_deadline(texts["deadline"]))
    if "content" in texts:
        checks.append(texts["content"][:1].isupper())
    return checks


def table_quality(document: Document) -> tuple[float, int]:
    """(share of checks passed over all numbered task rows, number of such rows)."""
    passed = total = rows = 0
    for table in document.blocks:
        if not isinstance(table, Table):
            continue
        mapping, header_rows, statistics = header_mapping(table.rows)
        if mapping is None or statistics or mapping.seq_col is None:
            continue
        for row in table.rows[header_rows:]:
            if len(row.cells) != mapping.width or not row.cells[mapping.seq_col].text:
                continue
            texts = {role: row.cells[col].text for col, role in mapping.roles.items() if col < len(row.cells)}
            checks = _row_checks(texts)
            rows += 1
            passed += sum(checks)
            total += len(checks)
    return (passed / total if total else 0.0), rows
