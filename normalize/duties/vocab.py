"""The duty vocabulary (normalize/data/duties.toml), folded for matching."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from normalize.text import fold_words


def _folded(words: list[str]) -> tuple[str, ...]:
    # longest first: "chậm nhất là ngày" must win over "chậm nhất"
    return tuple(sorted({fold_words(w) for w in words if fold_words(w)}, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class DutyVocab:
    implementation: tuple[str, ...]
    no_duties: tuple[str, ...]
    work: tuple[str, ...]
    end_of_body: tuple[str, ...]
    end_of_body_words: tuple[str, ...]   # their last words, printed lower case (a cheap pre-test)
    cues: tuple[str, ...]
    suffixes: tuple[str, ...]
    heads: tuple[str, ...]
    heads_printed: tuple[str, ...]      # lower case with diacritics (matched on LOWER)
    strong_heads: tuple[str, ...]
    leader_titles: tuple[str, ...]
    object_markers: tuple[str, ...]
    duty_verbs: tuple[str, ...]
    lead: tuple[str, ...]
    advise_then: tuple[str, ...]
    coordinate: tuple[str, ...]
    adverbs: tuple[str, ...]
    recurrence_heads: tuple[str, ...]
    periods: tuple[str, ...]
    continuous: tuple[str, ...]
    not_continuous: tuple[str, ...]
    bounds: tuple[str, ...]
    conditions: tuple[str, ...]
    example_cues: tuple[str, ...]


@lru_cache(maxsize=1)
def vocab() -> DutyVocab:
    data = tomllib.loads(resources.files("normalize").joinpath("data/duties.toml").read_text("utf-8"))
    s, a, v, r, t = data["sections"], data["addressee"], data["verbs"], data["roles"], data["timing"]
    return DutyVocab(
        implementation=_folded(s["implementation"]), no_duties=_folded(s["no_duties"]),
        work=_folded(s["work"]),
        end_of_body=_folded(s["end_of_body"]),
        end_of_body_words=tuple(sorted({w.split()[-1].lower() for w in s["end_of_body"]})), cues=_folded(a["cues"]), suffixes=_folded(a["suffixes"]),
        heads=_folded(a["heads"]),
        heads_printed=tuple(sorted({h.lower() for h in a["heads"]})), leader_titles=_folded(a["leader_titles"]),
        strong_heads=_folded(a["strong_heads"]),
        object_markers=_folded(a["object_markers"]), duty_verbs=_folded(v["duty"]),
        lead=_folded(r["lead"]), advise_then=_folded(r["advise_then"]), coordinate=_folded(r["coordinate"]),
        adverbs=_folded(r["adverbs"]), recurrence_heads=_folded(t["recurrence_heads"]),
        periods=_folded(t["periods"]), continuous=_folded(t["continuous"]),
        not_continuous=_folded(t["not_continuous"]), bounds=_folded(t["bounds"]),
        conditions=_folded(t["conditions"]), example_cues=_folded(t["example_cues"]),
    )
