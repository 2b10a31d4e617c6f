"""The spaCy pipeline that reads duty prose (no model download: a blank pipeline with rules).

    tokenizer     spaCy's multilingual rules (punctuation split off words: "trì," -> "trì" ",")
    fold_norms    the norm of each word type = its folded form (no diacritics, lower case, one
                  kind of dash), so the NORM matchers are blind to tone-mark placement, case
                  and "–"/"-"
    sentencizer   sentence boundaries
    unit_ruler    PhraseMatcher over the department registry (canonical names and aliases of
                  normalize/data/departments.csv): doc.ents = UNIT mentions, longest first;
                  "unit_head" ranges = words that may start a unit the registry lacks
    duty_cues     PhraseMatcher over the duty vocabulary (normalize/data/duties.toml): token
                  ranges of "duty_verb", "lead", "coordinate", "advise", "adverb",
                  "addressee_cue", "leader_title", "object_marker" (doc.user_data, see spans())

Every span keeps its character offsets in the analysed text (token.idx), so extracted values
can be highlighted in the source.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.attrs import IDX, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from normalize.duties.vocab import vocab
from normalize.text import fold

# Paragraph analyses kept per process: plans copy their implementation sections from templates.
ANALYSIS_CACHE = 8192
_NORMED: set[int] = set()          # word types whose lexeme norm is folded already
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-"})


def _norm(text: str) -> str:
    return fold(text).translate(_DASHES)


def _set_norms(doc: Doc) -> Doc:
    """The folded form as the norm of each word type (its lexeme), set once per process per
    type: no Token objects are built (the pipeline's vocabulary is its own)."""
    vocab = doc.vocab
    for orth in set(doc.to_array(ORTH).tolist()):
        if orth not in _NORMED:
            lexeme = vocab[orth]
            lexeme.norm_ = _norm(lexeme.orth_)
            _NORMED.add(orth)
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


def unit_first_words() -> list[str]:
    """The registry's names folded (their first words open a unit mention)."""
    return [_norm(name) for name in _unit_names()]


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


def _longest_first(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's filter_spans on (start, end) pairs: longest first, then earliest; no overlaps."""
    taken: set[int] = set()
    kept = []
    for start, end in sorted(set(ranges), key=lambda r: (r[0] - r[1], r[0])):
        if not any(i in taken for i in range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return sorted(kept)


CUES = "kehoach_cues"     # doc.user_data key: label -> token ranges [(start, end)]


@Language.component("kehoach_unit_ruler")
def unit_ruler(doc: Doc) -> Doc:
    m = _MATCHERS[0]
    units = [(start, end) for match_id, start, end in m.units(doc) if doc.vocab.strings[match_id] == "UNIT"]
    units += [(start, end) for _, start, end in m.short_units(doc)]
    doc.ents = [Span(doc, start, end, label="UNIT") for start, end in _longest_first(units)]
    doc.user_data.setdefault(CUES, {})["unit_head"] = _longest_first(
        [(start, end) for _, start, end in m.heads(doc)])
    return doc


@Language.component("kehoach_duty_cues")
def duty_cues(doc: Doc) -> Doc:
    """Cue ranges go to doc.user_data (token ranges, not Span objects: a Span costs a few µs
    and the rules read plain ranges; spans() builds Spans on demand)."""
    m = _MATCHERS[0]
    found: dict[str, list[tuple[int, int]]] = {label: [] for label in m.labels}
    for match_id, start, end in m.cues(doc):
        found[doc.vocab.strings[match_id]].append((start, end))
    cues = doc.user_data.setdefault(CUES, {})
    for label, ranges in found.items():
        cues[label] = _longest_first(ranges)
    return doc


def spans(doc: Doc, label: str) -> list[Span]:
    """The cue spans of one label as spaCy Spans (for inspection and tests)."""
    return [Span(doc, start, end, label=label) for start, end in doc.user_data[CUES][label]]


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


def _sentences(sent_start: list[int]) -> tuple[tuple[int, int], ...]:
    """Token ranges of the sentences the sentencizer marked (SENT_START 1 opens one)."""
    starts = [i for i, flag in enumerate(sent_start) if flag == 1 or i == 0]
    return tuple(zip(starts, starts[1:] + [len(sent_start)]))


def _ranges(doc: Doc, label: str) -> dict[int, int]:
    return dict(doc.user_data[CUES][label])


def _tokens(ranges) -> set[int]:
    return {i for start, end in ranges for i in range(start, end)}


@lru_cache(maxsize=ANALYSIS_CACHE)
def view(text: str) -> View:
    """The analysed paragraph as a View (cached like analyse)."""
    doc = analyse(text)
    cues = doc.user_data[CUES]
    in_unit = _tokens((e.start, e.end) for e in doc.ents)
    strings = doc.vocab.strings
    columns = doc.to_array([ORTH, NORM, IDX, SENT_START]).tolist() if len(doc) else []   # no Token objects
    texts = tuple(strings[row[0]] for row in columns)
    idx = tuple(row[2] for row in columns)
    return View(
        text=text, norms=tuple(strings[row[1]] for row in columns), texts=texts,
        idx=idx, ends=tuple(i + len(t) for i, t in zip(idx, texts)),
        sents=_sentences([row[3] for row in columns]), ents={e.start: e.end for e in doc.ents},
        heads=_ranges(doc, "unit_head"), titles=_ranges(doc, "leader_title"),
        cues=_ranges(doc, "addressee_cue"), adverbs=_ranges(doc, "adverb"),
        coordinate=_ranges(doc, "coordinate"), verbs=frozenset(s for s, _ in cues["duty_verb"]),
        lead=tuple(cues["lead"]), advise=tuple(cues["advise"]), in_unit=frozenset(in_unit),
        unitish=frozenset(in_unit | _tokens(cues["unit_head"]) | _tokens(cues["leader_title"])),
        objects=frozenset(_tokens(cues["object_marker"])),
    )
