"""Annex titles, section rows and prose headings -> CCHC area code (normalize/data/areas.toml)."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from normalize.text import fold

_REFORM = re.compile(r"\bcai cach hanh chinh\b|\bcchc\b")


@lru_cache(maxsize=1)
def _areas() -> list[tuple[str, list[str], list[str]]]:
    raw = tomllib.loads(resources.files("normalize").joinpath("data/areas.toml").read_text("utf-8"))
    return [(a["code"], [" ".join(p.split()) for p in a["any"]],
             [" ".join(p.split()) for p in a.get("reform_plan", [])]) for a in raw["area"]]


def is_reform_plan(title: str | None) -> bool:
    """Whether a plan is on administrative reform (its title names it); True when the title
    is unknown, so that a plan whose title was not found keeps the reform reading."""
    return not title or bool(_REFORM.search(fold(title)))


def area_of(heading: str | None, reform_plan: bool = True) -> str | None:
    """The CCHC area a heading names, or None when it names none. In a plan on another
    subject (reform_plan False) only the phrases that name a reform area outright count."""
    if not heading:
        return None
    return _area_of(heading, reform_plan)


@lru_cache(maxsize=8192)     # section and annex headings repeat on every row they head
def _area_of(heading: str, reform_plan: bool) -> str | None:
    folded = " ".join(re.sub(r"[^\w,]+", " ", fold(heading)).split()).replace(" ,", ",")
    plain = folded.replace(",", "")
    for code, phrases, reform_phrases in _areas():
        for phrase in phrases + reform_phrases if reform_plan else phrases:
            if phrase in folded or phrase.replace(",", "") in plain:
                return code
    return None
