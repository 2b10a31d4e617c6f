"""The role a duty gives its unit: lead, coordinate or do (contract v1.1).

lead        a lead cue anywhere in the duty ("chủ trì", "là cơ quan thường trực"), or advice
            that carries the work out: "tham mưu [cho|giúp] [units] [trình units] triển khai |
            tổ chức | thực hiện | tiến hành | ban hành" ("tham mưu, triển khai" is a verb list:
            no lead)
coordinate  no lead cue, and the duty's first verb (after adverbs) is "phối hợp"
do          anything else ("chỉ đạo", plain "tham mưu" on measures, reporting, …)
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from normalize.duties.nlp import starts
from normalize.duties.vocab import vocab

_PARTNER_NOUNS = {"quan", "vi", "nganh", "so", "phong"}   # "… với cơ quan chủ trì": a partner
_UNIT_GLUE = {",", "va", "&", "-", "cho", "giup", "xa", "tinh", "phuong"}
LEAD, COORDINATE, DO = "lead", "coordinate", "do"


@dataclass(frozen=True)
class RoleCue:
    role: str
    start: int | None     # character offsets of the cue in the analysed text
    end: int | None


def role_of(doc: Doc, first: int, end: int) -> RoleCue:
    """Role of the duty whose predicate spans tokens [first, end) of doc."""
    for span in doc.spans["lead"]:
        if first <= span.start < end and not _partner(doc, span.start, first):
            return RoleCue(LEAD, span.start_char, span.end_char)
    for span in doc.spans["advise"]:
        if first <= span.start < end:
            cue = _advice_carried_out(doc, span.end, end)
            if cue is not None:
                return RoleCue(LEAD, span.start_char, cue)
    i = first
    adverbs = starts(doc, "adverb")
    while i < end and (i in adverbs or doc[i].norm_ in (",", "-", "+")):
        i = adverbs[i].end if i in adverbs else i + 1
    coordinate = starts(doc, "coordinate")
    if i in coordinate:
        return RoleCue(COORDINATE, coordinate[i].start_char, coordinate[i].end_char)
    return RoleCue(DO, None, None)


def _partner(doc: Doc, i: int, first: int) -> bool:
    """'chủ trì' names a partner ("phối hợp với cơ quan chủ trì"), not this unit's role."""
    if i - 1 < first or doc[i - 1].norm_ not in _PARTNER_NOUNS:
        return False
    return any(doc[j].norm_ == "voi" for j in range(max(first, i - 5), i))


def _advice_carried_out(doc: Doc, k: int, end: int) -> int | None:
    """After 'tham mưu': skip whom it advises; the end offset of a carrying-out verb, or None."""
    units = {t.i for e in doc.ents for t in e}
    titles = {t.i for s in doc.spans["leader_title"] for t in s}
    if k < end and doc[k].norm_ == ",":
        return None          # "tham mưu, triển khai": a list of the unit's own verbs
    j = k
    while j < end and (j in units or j in titles or doc[j].norm_ in _UNIT_GLUE
                       or doc[j].norm_ == "trinh"):
        j += 1
    rest = " ".join(t.norm_ for t in doc[j:min(end, j + 5)])
    for verb in vocab().advise_then:
        if rest == verb or rest.startswith(verb + " "):
            return doc[j + len(verb.split()) - 1].idx + len(doc[j + len(verb.split()) - 1].text)
    return None
