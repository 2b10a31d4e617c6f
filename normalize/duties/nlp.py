"""The spaCy pipeline that reads duty prose (no model download: a blank pipeline with rules).

    tokenizer     spaCy's multilingual rules (punctuation split off words: "trì," -> "trì" ",")
    fold_norms    token.norm_ = the folded token (no diacritics, lower case, one kind of dash),
                  so every matcher below is blind to tone-mark placement, case and "–"/"-"
    sentencizer   sentence boundaries
    unit_ruler    PhraseMatcher over the department registry (canonical names and aliases of
                  normalize/data/departments.csv): doc.ents = UNIT mentions, longest first;
                  doc.spans["unit_head"] = words that may start a unit the registry lacks
    duty_cues     PhraseMatcher over the duty vocabulary (normalize/data/duties.toml):
                  doc.spans["duty_verb"], ["lead"], ["coordinate"], ["advise"], ["adverb"],
                  ["addressee_cue"], ["leader_title"], ["object_marker"]

Every span keeps its character offsets in the analysed text (token.idx), so extracted values
can be highlighted in the source.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from normalize.duties.vocab import vocab
from normalize.text import fold

# Paragraph analyses kept per process: plans copy their implementation sections from templates.
ANALYSIS_CACHE = 8192
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-"})


def _norm(text: str) -> str:
    return fold(text).translate(_DASHES)


def _set_norms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = _norm(token.text)
    return doc


@Language.component("kehoach_fold_norms")
def fold_norms(doc: Doc) -> Doc:
    return _set_norms(doc)


def _unit_names() -> list[str]:
    text = resources.files("normalize").joinpath("data/departments.csv").read_text("utf-8")
    names: list[str] = []
    for row in csv.DictReader(text.splitlines()):
        names.append(row["canonical_name"])
        names.extend(a for a in (row.get("aliases") or "").split("|") if a.strip())
    return sorted(set(names))


class _Matchers:
    """The phrase matchers, built once per process from the two vocabularies."""

    def __init__(self, nlp: Language) -> None:
        v = vocab()

        def patterns(phrases) -> list[Doc]:
            # the vocabulary is already folded; names are folded here through the same norms
            return [_set_norms(nlp.make_doc(p)) for p in phrases]

        names = [_set_norms(nlp.make_doc(n)) for n in _unit_names()]
        self.units = PhraseMatcher(nlp.vocab, attr="NORM")
        self.units.add("UNIT", [d for d in names if len(d) > 1])
        # One-word names on their printed lower case: folded, "ấp" (hamlet) would be "Áp dụng".
        self.short_units = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.short_units.add("UNIT", [nlp.make_doc(d.text.lower()) for d in names if len(d) == 1])
        # Head words on their printed lower case: folded, "trưởng" would be "khẩn trương"'s
        # "trương" and "sở" would be "cơ sở"'s "sở".
        self.units.add("UNIT_HEAD", patterns(v.heads))
        self.heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.heads.add("UNIT_HEAD", [nlp.make_doc(h) for h in v.heads_printed])
        self.cues = PhraseMatcher(nlp.vocab, attr="NORM")
        for label, phrases in (("duty_verb", v.duty_verbs), ("lead", v.lead), ("coordinate", v.coordinate),
                               ("advise", ("tham muu",)), ("adverb", v.adverbs),
                               ("addressee_cue", v.cues), ("leader_title", v.leader_titles),
                               ("object_marker", v.object_markers)):
            self.cues.add(label, patterns(phrases))
        self.labels = ("duty_verb", "lead", "coordinate", "advise", "adverb", "addressee_cue",
                       "leader_title", "object_marker")


_MATCHERS: list[_Matchers] = []


@Language.component("kehoach_unit_ruler")
def unit_ruler(doc: Doc) -> Doc:
    m = _MATCHERS[0]
    units = [Span(doc, start, end, label="UNIT") for match_id, start, end in m.units(doc)
             if doc.vocab.strings[match_id] == "UNIT"]
    units += [Span(doc, start, end, label="UNIT") for _, start, end in m.short_units(doc)]
    heads = [Span(doc, start, end, label="UNIT_HEAD") for _, start, end in m.heads(doc)]
    doc.ents = filter_spans(units)
    doc.spans["unit_head"] = filter_spans(heads)
    return doc


@Language.component("kehoach_duty_cues")
def duty_cues(doc: Doc) -> Doc:
    m = _MATCHERS[0]
    found: dict[str, list[Span]] = {label: [] for label in m.labels}
    for match_id, start, end in m.cues(doc):
        label = doc.vocab.strings[match_id]
        found[label].append(Span(doc, start, end, label=label))
    for label, spans in found.items():
        doc.spans[label] = filter_spans(spans)
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("kehoach_fold_norms")
    nlp.add_pipe("sentencizer")
    _MATCHERS.append(_Matchers(nlp))
    nlp.add_pipe("kehoach_unit_ruler")
    nlp.add_pipe("kehoach_duty_cues")
    return nlp


@lru_cache(maxsize=ANALYSIS_CACHE)
def analyse(text: str) -> Doc:
    """The analysed paragraph (cached: a Doc is only read afterwards, never changed)."""
    return pipeline()(text)


def starts(doc: Doc, label: str) -> dict[int, Span]:
    """Spans of a doc.spans group keyed by their first token index."""
    return {span.start: span for span in doc.spans[label]}


@dataclass(frozen=True)
class View:
    """An analysed paragraph as plain Python values: the rules below read tokens thousands of
    times per plan, and a spaCy Token is built anew on every doc[i] (about 1 µs each)."""

    text: str
    norms: tuple[str, ...]
    texts: tuple[str, ...]
    idx: tuple[int, ...]                 # character offset of each token
    ends: tuple[int, ...]                # character offset after each token
    sents: tuple[tuple[int, int], ...]   # token ranges [start, end)
    ents: dict[int, int]                 # UNIT mention start -> end (tokens)
    heads: dict[int, int]
    titles: dict[int, int]
    cues: dict[int, int]
    adverbs: dict[int, int]
    coordinate: dict[int, int]
    verbs: frozenset[int]                # first tokens of duty verbs
    lead: tuple[tuple[int, int], ...]
    advise: tuple[tuple[int, int], ...]
    in_unit: frozenset[int]              # tokens inside a registry name
    unitish: frozenset[int]              # tokens inside a name, a head word or a leader's title
    objects: frozenset[int]              # tokens of object markers ("với", "của" …)

    def __len__(self) -> int:
        return len(self.norms)

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.idx[start]:self.ends[end - 1]] if end > start else ""

    def token_at(self, char: int) -> int:
        """The first token that starts at or after a character offset."""
        for i, at in enumerate(self.idx):
            if at >= char:
                return i
        return len(self.idx)


def _ranges(doc: Doc, label: str) -> dict[int, int]:
    return {span.start: span.end for span in doc.spans[label]}


def _tokens(spans) -> set[int]:
    return {i for span in spans for i in range(span.start, span.end)}


@lru_cache(maxsize=ANALYSIS_CACHE)
def view(text: str) -> View:
    """The analysed paragraph as a View (cached like analyse)."""
    doc = analyse(text)
    in_unit = _tokens(doc.ents)
    return View(
        text=text, norms=tuple(t.norm_ for t in doc), texts=tuple(t.text for t in doc),
        idx=tuple(t.idx for t in doc), ends=tuple(t.idx + len(t.text) for t in doc),
        sents=tuple((s.start, s.end) for s in doc.sents), ents={e.start: e.end for e in doc.ents},
        heads=_ranges(doc, "unit_head"), titles=_ranges(doc, "leader_title"),
        cues=_ranges(doc, "addressee_cue"), adverbs=_ranges(doc, "adverb"),
        coordinate=_ranges(doc, "coordinate"), verbs=frozenset(s.start for s in doc.spans["duty_verb"]),
        lead=tuple((s.start, s.end) for s in doc.spans["lead"]),
        advise=tuple((s.start, s.end) for s in doc.spans["advise"]),
        in_unit=frozenset(in_unit),
        unitish=frozenset(in_unit | _tokens(doc.spans["unit_head"]) | _tokens(doc.spans["leader_title"])),
        objects=frozenset(_tokens(doc.spans["object_marker"])),
    )
