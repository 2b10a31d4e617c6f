"""Flattened text cut into its regions: runs of prose lines and task tables, in order. Both
readers of flattened text (parsers.text.flattext.reader and the older parsers.text.layout_text)
scan the lines so; each says where a table starts and what it holds."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

L = TypeVar("L")     # a line of the text
T = TypeVar("T")     # what a reader keeps of a table


def split_regions(lines: list[L], table_at: Callable[[int], tuple[T, int] | None]
                  ) -> list[tuple[str, list[L] | T]]:
    """("prose", lines) and ("table", table) regions; `table_at(i)` gives the table starting at
    line i and the index after it, or None where no table starts."""
    regions: list[tuple[str, list[L] | T]] = []
    prose: list[L] = []
    i = 0
    while i < len(lines):
        found = table_at(i)
        if found is None:
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            regions.append(("prose", prose))
            prose = []
        table, i = found
        regions.append(("table", table))
    if prose:
        regions.append(("prose", prose))
    return regions
