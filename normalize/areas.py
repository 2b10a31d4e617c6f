"""Annex titles, section rows and prose headings -> CCHC area code (normalize/data/areas.toml)."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from normalize.text import fold


@lru_cache(maxsize=1)
def _areas() -> list[tuple[str, list[str]]]:
    raw = tomllib.loads(resources.files("normalize").joinpath("data/areas.toml").read_text("utf-8"))
    return [(a["code"], [" ".join(p.split()) for p in a["any"]]) for a in raw["area"]]


def area_of(heading: str | None) -> str | None:
    """The CCHC area a heading names, or None when it names none."""
    if not heading:
        return None
    return _area_of(heading)


@lru_cache(maxsize=8192)     # section and annex headings repeat on every row they head
def _area_of(heading: str) -> str | None:
    folded = " ".join(re.sub(r"[^\w,]+", " ", fold(heading)).split()).replace(" ,", ",")
    plain = folded.replace(",", "")
    for code, phrases in _areas():
        for phrase in phrases:
            if phrase in folded or phrase.replace(",", "") in plain:
                return code
    return None
