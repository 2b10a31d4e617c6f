"""Header text -> column role, from the vocabulary in parsers/data/columns.toml."""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from normalize.text import fold_words

# the roles besides content a task table needs (a header needs content and two of them)
CORE_ROLES = frozenset({"lead", "deadline", "products", "coordinating"})
MISREAD_RATIO = 0.88      # how close a misread header must be to a vocabulary phrase


@dataclass(frozen=True)
class RoleRule:
    name: str
    any_of: tuple[str, ...]
    exact: tuple[str, ...]
    extra: bool


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


@dataclass(frozen=True)
class ColumnVocabulary:
    rules: tuple[RoleRule, ...]
    statistics_markers: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_patterns", tuple(_phrase_pattern(r.any_of) for r in self.rules))
        object.__setattr__(self, "_statistics", _phrase_pattern(self.statistics_markers))
        object.__setattr__(self, "_extra", frozenset(r.name for r in self.rules if r.extra))
        object.__setattr__(self, "_roles", {})     # header text -> role, memoised per vocabulary

    def role_of(self, header: str) -> str | None:
        roles: dict[str, str | None] = self._roles
        if header not in roles:
            if len(roles) > 65536:
                roles.clear()
            roles[header] = self._role_of(header)
        return roles[header]

    def _role_of(self, header: str) -> str | None:
        folded = fold_words(header)
        if not folded or len(folded) > 120:   # long cell text is content, not a header
            return None
        # "ST T": a short label broken by a narrow column ("STT" over two lines)
        squeezed = folded.replace(" ", "") if len(folded) <= 8 else None
        for rule, pattern in zip(self.rules, self._patterns):
            if folded in rule.exact or (pattern is not None and pattern.search(folded)) \
                    or (squeezed is not None and squeezed in rule.exact):
                return rule.name
        return self._misread_role(folded) if len(folded) <= 60 else None

    def _misread_role(self, folded: str) -> str | None:
        """A header one or two letters off a phrase of the vocabulary (an OCR slip: "Đơn vị chủ
        tr", "Thòi gian"): the role of the closest phrase of six letters or more, in rule order."""
        if any(ch.isdigit() for ch in folded):
            return None           # headers carry no numbers; cells with dates and numbers do
        words = folded.split()
        for rule in self.rules:
            for phrase in rule.any_of:
                if len(phrase) < 6:
                    continue
                n = len(phrase.split())
                for i in range(max(1, len(words) - n + 1)):
                    window = " ".join(words[i:i + n])
                    if abs(len(window) - len(phrase)) > 2:
                        continue
                    matcher = difflib.SequenceMatcher(None, window, phrase)
                    if matcher.quick_ratio() >= MISREAD_RATIO and matcher.ratio() >= MISREAD_RATIO:
                        return rule.name
        return None

    def is_extra(self, role: str) -> bool:
        return role in self._extra

    def marks_statistics(self, header: str) -> bool:
        return bool(self._statistics and self._statistics.search(fold_words(header)))


@lru_cache(maxsize=1)
def vocabulary() -> ColumnVocabulary:
    raw = tomllib.loads(resources.files("parsers").joinpath("data/columns.toml").read_text("utf-8"))
    rules = tuple(
        RoleRule(name=r["name"], any_of=tuple(r.get("any", ())), exact=tuple(r.get("exact", ())),
                 extra=bool(r.get("extra", False)))
        for r in raw["role"]
    )
    return ColumnVocabulary(rules=rules, statistics_markers=tuple(raw["statistics"]["any"]))
