"""Near spellings of unit names (OCR slips, typos) for normalize/departments.py.

A mention that names no registry alias word for word gets the code of the closest alias by
difflib's ratio, at FUZZY_THRESHOLD or better; failing that, of the aliases that are the
mention to the word but for one abbreviation it has one letter off ("Trung tâm Phục vụ HGC",
an OCR slip for HCC). Below both, a mention keeps no code.
"""
from __future__ import annotations

import difflib
import re
import threading
from typing import Callable

from normalize.text import one_edit

FUZZY_THRESHOLD = 0.86


def level_rank(alias_level: str, plan_level: str) -> int:
    """How well an alias's level fits the plan's: 0 the same level, 1 any level, 2 another."""
    if alias_level == plan_level:
        return 0
    return 1 if alias_level == "any" else 2


def abbreviator(abbreviations: dict[str, str]) -> Callable[[str], str]:
    """'trung tam phuc vu hanh chinh cong' -> 'trung tam phuc vu hcc' (folded words), for the
    abbreviations (abbreviation -> expansion) given."""
    # Expansion -> abbreviation, for the expansions that hold no other one ("phuc vu hanh chinh
    # cong" holds "hanh chinh cong": abbreviated, "Trung tâm Phục vụ HCC" stays four words).
    abbreviated: dict[str, str] = {}
    for short, long in abbreviations.items():
        if not any(other != long and f" {other} " in f" {long} " for other in abbreviations.values()):
            abbreviated.setdefault(long, short)    # the first spelling of an expansion wins
    expansion = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, abbreviated), key=len, reverse=True))
                           + r")\b")
    return lambda folded: expansion.sub(lambda m: abbreviated[m.group(0)], folded)


class NearSpellings:
    """Fuzzy lookup over a registry's aliases (objects with .words, .code and .level)."""

    def __init__(self, aliases: list, abbreviations: dict[str, str]):
        self._all = aliases
        self._abbreviations = abbreviations
        self.abbreviate = abbreviator(abbreviations)
        self._local = threading.local()

    def closest(self, words: list[str], level: str) -> str | None:
        """The closest alias at FUZZY_THRESHOLD or better; failing that, the closest in the
        abbreviated spelling, where a misread abbreviation ("Trung tâm Phục vụ HGC", an OCR
        slip for HCC) is one letter off instead of a whole expanded phrase off."""
        phrase = " ".join(w for w in words if w not in ("lien", "quan"))
        return self._closest(phrase, self._alias_matchers(), level) or self.misread_abbreviation(phrase, level)

    def misread_abbreviation(self, phrase: str, level: str) -> str | None:
        """The code of the aliases that are `phrase` to the word but for one abbreviation,
        which the phrase has one letter off ("hgc" for "hcc", "hccc"); of the plan's level
        first; None when no alias or aliases of several codes are. Ratios over abbreviated
        text would be too lenient: "trung tam vh" is 0.88 of "trung tam hcc"."""
        words = self.abbreviate(phrase).split()
        codes: set[tuple[int, str]] = set()
        for alias, alias_words in self._abbreviated_aliases():
            if len(alias_words) != len(words):
                continue
            differing = [(a, b) for a, b in zip(words, alias_words) if a != b]
            if len(differing) == 1:
                got, short = differing[0]
                if short in self._abbreviations and got not in self._abbreviations and len(got) >= 3 \
                        and one_edit(got, short):
                    codes.add((level_rank(alias.level, level), alias.code))
        best = {code for rank, code in codes if rank == min(codes)[0]} if codes else set()
        return best.pop() if len(best) == 1 else None

    def _abbreviated_aliases(self) -> list[tuple[object, list[str]]]:
        cached = getattr(self, "_abbreviated", None)
        if cached is None:
            cached = self._abbreviated = [(alias, self.abbreviate(" ".join(alias.words)).split())
                                          for alias in self._all]
        return cached

    def _closest(self, phrase: str, matchers: list[tuple[object, int, difflib.SequenceMatcher]],
                 level: str) -> str | None:
        best_code, best_score = None, 0.0
        length = len(phrase)
        # ratio() is costly; its cheap upper bounds rule out most aliases. An alias that cannot
        # reach the threshold or the best score so far cannot change the result. The first
        # bound is difflib's real_quick_ratio(), computed here from the lengths.
        floor = FUZZY_THRESHOLD
        for alias, alias_length, matcher in matchers:
            shorter = alias_length if alias_length < length else length
            if 2.0 * shorter / (length + alias_length) < floor:
                continue
            matcher.set_seq1(phrase)
            if matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            if score > best_score or (score == best_score and best_code and
                                      level_rank(alias.level, level) == 0):
                best_code, best_score = alias.code, score
                floor = best_score if best_score > FUZZY_THRESHOLD else FUZZY_THRESHOLD
        return best_code if best_score >= FUZZY_THRESHOLD else None

    def _alias_matchers(self) -> list[tuple[object, int, difflib.SequenceMatcher]]:
        """(alias, length of its text, a SequenceMatcher with the alias as its second
        sequence, whose index difflib builds once). Per thread: a matcher holds state."""
        matchers = getattr(self._local, "matchers", None)
        if matchers is None:
            texts = [(alias, " ".join(alias.words)) for alias in self._all]
            matchers = self._local.matchers = [
                (alias, len(text), difflib.SequenceMatcher(None, "", text)) for alias, text in texts]
        return matchers
