"""The words of unit names as a line of text shows them (normalize/data/departments.csv): the
nouns a unit's name starts with, and how a name cut by a line end goes on. Used to read cells
side by side in flattened text, where a column edge cuts names anywhere."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from normalize.text import fold_words

_JOINERS = {"va"}                       # "Sở Nông nghiệp và Môi trường": "và" is inside the name
_LEVEL_WORDS = {"xa", "phuong", "tinh", "huyen"}   # a name is also written without its level word
_LAST_PART = re.compile(r"[;,.()]")     # a name never goes on past these


def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in fold_words(name).split() if w not in _JOINERS)


@lru_cache(maxsize=1)
def registry_rows() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(code, level, names: the canonical name first, then the aliases) of each unit of
    normalize/data/departments.csv, as printed."""
    text = resources.files("normalize").joinpath("data/departments.csv").read_text("utf-8")
    return tuple((row["code"], row["level"],
                  (row["canonical_name"], *(a for a in (row.get("aliases") or "").split("|") if a.strip())))
                 for row in csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, ...], ...]:
    names: set[tuple[str, ...]] = set()
    for _code, _level, printed in registry_rows():
        for name in printed:
            words = _words(name)
            if words:
                names.add(words)
                if len(words) > 2 and words[-1] in _LEVEL_WORDS:
                    names.add(words[:-1])
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def longest_name_words() -> int:
    """The most words a unit's printed name (or alias) has."""
    return max(len(name.split()) for _code, _level, printed in registry_rows() for name in printed)


@lru_cache(maxsize=1)
def unit_head_words() -> frozenset[str]:
    """The folded first words of the units' names ("so", "phong", "ubnd" …)."""
    return frozenset(words[0] for words in _names())


@lru_cache(maxsize=1)
def _by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for words in _names():
        out.setdefault(words[0], []).append(words)
    return {first: tuple(found) for first, found in out.items()}


@lru_cache(maxsize=16384)
def name_continuations(text: str) -> frozenset[str]:
    """The folded words that would go on a unit's name the text ends with part of ("Sở Nông
    nghiệp và" -> {"moi"}): how a name cut by a line end continues on the next line."""
    words = _words(_LAST_PART.split(text)[-1])
    found: set[str] = set()
    for size in range(1, len(words) + 1):
        tail = words[-size:]
        for name in _by_first().get(tail[0], ()):
            if len(name) > size and name[:size] == tail:
                found.add(name[size])
    return frozenset(found)


def name_goes_on(text: str, word: str) -> bool:
    """`word` can follow `text` inside a unit's name: the name's next word, or "và" / "&"
    inside a name that goes on."""
    folded = fold_words(word).split()
    following = name_continuations(text)
    return bool(folded) and (folded[0] in following or folded[0] in _JOINERS and bool(following)) \
        or word == "&" and bool(following)
