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

from normalize.duties.nlp import View
from normalize.duties.vocab import vocab

_PARTNER_NOUNS = {"quan", "vi", "nganh", "so", "phong"}   # "… với cơ quan chủ trì": a partner
_UNIT_GLUE = {",", "va", "&", "-", "cho", "giup", "xa", "tinh", "phuong"}
LEAD, COORDINATE, DO = "lead", "coordinate", "do"


@dataclass(frozen=True)
class RoleCue:
    role: str
    start: int | None     # character offsets of the cue in the analysed text
    end: int | None


def role_of(v: View, first: int, end: int) -> RoleCue:
    """Role of the duty whose predicate spans tokens [first, end) of the view."""
    for start, stop in v.lead:
        if first <= start < end and not _partner(v, start, first):
            return RoleCue(LEAD, v.idx[start], v.ends[stop - 1])
    for start, stop in v.advise:
        if first <= start < end:
            cue = _advice_carried_out(v, stop, end)
            if cue is not None:
                return RoleCue(LEAD, v.idx[start], cue)
    i = first
    while i < end and (i in v.adverbs or v.norms[i] in (",", "-", "+")):
        i = v.adverbs[i] if i in v.adverbs else i + 1
    if i in v.coordinate:
        return RoleCue(COORDINATE, v.idx[i], v.ends[v.coordinate[i] - 1])
    return RoleCue(DO, None, None)


def _partner(v: View, i: int, first: int) -> bool:
    """'chủ trì' names a partner ("phối hợp với cơ quan chủ trì"), not this unit's role."""
    if i - 1 < first or v.norms[i - 1] not in _PARTNER_NOUNS:
        return False
    return any(v.norms[j] == "voi" for j in range(max(first, i - 5), i))


def _advice_carried_out(v: View, k: int, end: int) -> int | None:
    """After 'tham mưu': skip whom it advises; the end offset of a carrying-out verb, or None."""
    if k < end and v.norms[k] == ",":
        return None          # "tham mưu, triển khai": a list of the unit's own verbs
    j = k
    while j < end and (j in v.in_unit or j in v.titles or v.norms[j] in _UNIT_GLUE or v.norms[j] == "trinh"
                       or any(t <= j < e for t, e in v.titles.items())):
        j += 1
    rest = " ".join(v.norms[j:min(end, j + 5)])
    for verb in vocab().advise_then:
        if rest == verb or rest.startswith(verb + " "):
            return v.ends[j + len(verb.split()) - 1]
    return None
