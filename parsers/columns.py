"""Header text -> column role, from the vocabulary in parsers/data/columns.toml."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from normalize.text import fold_words

TASK_ROLES = ("seq", "content", "products", "lead", "coordinating", "deadline")


@dataclass(frozen=True)
class RoleRule:
    name: str
    any_of: tuple[str, ...]
    exact: tuple[str, ...]
    extra: bool


@dataclass(frozen=True)
class ColumnVocabulary:
    rules: tuple[RoleRule, ...]
    statistics_markers: tuple[str, ...]

    def role_of(self, header: str) -> str | None:
        folded = fold_words(header)
        if not folded:
            return None
        for rule in self.rules:
            if folded in rule.exact:
                return rule.name
            if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded) for p in rule.any_of):
                return rule.name
        return None

    def is_extra(self, role: str) -> bool:
        return any(r.name == role and r.extra for r in self.rules)

    def marks_statistics(self, header: str) -> bool:
        folded = fold_words(header)
        return any(re.search(rf"(?<!\w){re.escape(m)}(?!\w)", folded) for m in self.statistics_markers)


@lru_cache(maxsize=1)
def vocabulary() -> ColumnVocabulary:
    raw = tomllib.loads(resources.files("parsers").joinpath("data/columns.toml").read_text("utf-8"))
    rules = tuple(
        RoleRule(name=r["name"], any_of=tuple(r.get("any", ())), exact=tuple(r.get("exact", ())),
                 extra=bool(r.get("extra", False)))
        for r in raw["role"]
    )
    return ColumnVocabulary(rules=rules, statistics_markers=tuple(raw["statistics"]["any"]))
