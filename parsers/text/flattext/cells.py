"""A cell's text from its fragments (the lines it was flattened into)."""
from __future__ import annotations

import re

from parsers.text.layout_prose import norm

_ITEM_START = re.compile(r"^(?:[-+•▪●]|\u2212)\s*\S")
# "15/01/20" + "26": a date broken by a narrow column is glued back
_BROKEN_DATE = re.compile(r"\d{1,2}/\d{0,4}$|\d{1,2}/\d{1,2}/\d{0,3}$")


def cell_lines(fragments: list[str]) -> list[str]:
    """Fragments joined back into the cell's paragraphs: a bullet starts one, a date cut by
    the column edge is glued, other fragments go on the paragraph with a space."""
    out: list[str] = []
    for fragment in fragments:
        if not out or _ITEM_START.match(fragment):
            out.append(fragment)
        elif _BROKEN_DATE.search(out[-1]) and fragment[:1].isdigit():
            out[-1] += fragment
        else:
            out[-1] = f"{out[-1]} {fragment}"
    return [norm(t) for t in out if t.strip()]
