"""Addressees: where a unit mention starts and ends in a sentence, and its department codes.

An addressee is a unit mention (a registry name found by the unit ruler, or a phrase that
starts with a unit head word such as "Sở", "các", "Trưởng") that is either a heading of its
own or the subject of a duty: followed by a duty verb ("Sở Tài chính phối hợp …"), or named
after "Giao / Đề nghị / Yêu cầu" ("Giao Sở Nội vụ chủ trì …"). Codes come from the department
registry (normalize/departments.py), which also reads abbreviations, typos and collectives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from normalize.departments import match_departments
from normalize.duties.nlp import starts
from normalize.duties.vocab import vocab
from normalize.text import fold_words

# A subject longer than this (tokens outside parentheses) is a clause, not a name (the longest
# dev addressee, a collective with its members in parentheses, has 16 outside them).
MAX_SUBJECT_TOKENS = 30
_JOINERS = {",", "va", "&", "-", "(", ")", "cung", "/"}
# Title words left over by the registry ("Trưởng các phòng" -> unknown "truong"): not a unit.
_TITLE_WORDS = {"truong", "thu", "pho", "chu", "tich", "lanh", "dao", "dong", "chi", "giam", "doc",
                "nguoi", "dung", "dau", "cap", "tren"}
# Collective nouns: "các phòng", "các cơ quan" -> every unit of the issuing level.
_COLLECTIVE_NOUNS = ("phong", "ban", "nganh", "co quan", "don vi", "trung tam", "dia phuong", "so")
_COLLECTIVE_WORDS = {"cac", "phong", "ban", "nganh", "co", "quan", "don", "vi", "trung", "tam", "so"}
UNKNOWN = "UNKNOWN"
# "các tổ chức", "những hoạt động": after these a verb is a noun
_NOUN_MARKERS = {"cac", "nhung", "moi", "cong", "su", "viec"}
# words a unit subject may hold besides names and heads ("các đơn vị có liên quan thuộc xã")
_SUBJECT_FILLER = {",", "va", "&", "-", "(", ")", "cung", "/", "cac", "thuoc", "truc", "co", "lien", "quan",
                   "xa", "phuong", "tinh", "huyen", "tren", "dia", "ban", "cap", "chuyen", "mon", "nganh",
                   "thanh", "vien", "don", "vi", "trung", "tam", "phong", "so", "khac", "toan", "cua",
                   "viet", "nam", "chinh", "tri", "hoi", "doan", "the", "to", "chuc", "dia", "phuong"}
_CONDITION_FIRST = re.compile(r"^(?:[a-z0-9]{1,2}\s+)?(?:trong qua trinh|neu|khi|truong hop)\b")
_INLINE_CUES = {"giao", "giao cho", "đề nghị", "yêu cầu"}


@dataclass(frozen=True)
class Addressee:
    start: int          # character offsets of the mention in the analysed text
    end: int
    codes: tuple[str, ...]
    predicate: int      # token index where the duty's predicate starts (len(doc) for a heading)


def issuer_code(level: str) -> str:
    return "UBND_TINH" if level == "province" else "UBND_XA"


def code_addressee(phrase: str, level: str, places: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Department codes of an addressee phrase; UNKNOWN last when a party has no code."""
    match = match_departments(phrase, level)
    codes = list(match.codes)
    unknown = False
    for rest in match.unknown:
        words = [w for w in rest.split() if w not in _TITLE_WORDS]
        text = " ".join(words)
        for place in places:
            text = text.replace(place, " ")
        words = text.split()
        if words and words[0] == "cac" and " ".join(words[1:3]).startswith(_COLLECTIVE_NOUNS):
            code = "CAC_SO_NGANH" if words[1] == "so" and level == "province" else "ALL_UNITS"
            if code not in codes:
                codes.append(code)
            continue
        if not words or all(w in _COLLECTIVE_WORDS for w in words):
            continue          # "Trưởng phòng, ban": the heads of the units already coded
        unknown = True
    folded = fold_words(phrase)
    if not codes and any(folded.startswith(t) or f" {t} " in f" {folded} " for t in vocab().leader_titles):
        codes.append(issuer_code(level))     # a leader of the issuing committee acts for it
    if unknown and codes:
        codes.append(UNKNOWN)
    return tuple(codes)


def unit_start(doc: Doc, i: int, heads: dict[int, Span], ents: dict[int, Span]) -> bool:
    return i in ents or i in heads


def find_subject(doc: Doc, sent: Span, level: str, places: frozenset[str]) -> Addressee | None:
    """The addressee of a sentence that assigns a duty, or None (see module doc)."""
    heads, ents = starts(doc, "unit_head"), {e.start: e for e in doc.ents}
    cues, verbs = starts(doc, "addressee_cue"), starts(doc, "duty_verb")
    titles = starts(doc, "leader_title")
    in_unit = {t.i for e in doc.ents for t in e} | {t.i for h in doc.spans["unit_head"] for t in h}
    objects = {t.i for s in doc.spans["object_marker"] for t in s}
    i = _skip_marker(doc, sent.start, sent.end)
    candidates: list[int] = []
    for j in range(i, sent.end):
        if j in cues and (j == i or doc[j - 1].norm_ == "," or (
                cues[j].text.lower() in _INLINE_CUES and doc[j - 1].norm_ != "duoc")):
            # "Giao / Đề nghị / Yêu cầu X …" ("Đối với X" only where a clause starts)
            k = cues[j].end
            if k < sent.end and (unit_start(doc, k, heads, ents) or k in titles):
                candidates.append(k)
        elif (j == i or doc[j - 1].norm_ == ",") and unit_start(doc, j, heads, ents):
            # after a comma: a new clause's subject, not the next item of a list of units or
            # of objects ("… của Tỉnh ủy, UBND tỉnh về …")
            before = range(max(sent.start, j - 4), j - 1)
            if j == i or (j - 2 >= sent.start and (j - 2) not in in_unit
                          and not any(b in objects for b in before)):
                candidates.append(j)
    if not candidates and _CONDITION_FIRST.match(fold_words(sent.text)):
        # "Trong quá trình thực hiện, nếu phát sinh vướng mắc các ngành, cơ quan, đơn vị báo
        # cáo …": after a condition the subject may follow without a comma
        candidates = [e.start for e in doc.ents if sent.start < e.start < sent.end
                      and e.start - 1 not in objects and doc[e.start - 1].norm_ not in (",", "(")]
    for k in candidates:
        named = k > sent.start and doc[k - 1].i in {t.i for c in cues.values() for t in c}
        found = _subject_from(doc, k, sent.end, verbs, level, places, free_words=named)
        if found is None:
            continue
        mid_sentence = k > i and doc[k - 1].norm_ == ","
        if mid_sentence and UNKNOWN in found.codes:
            continue          # after a comma, only a clean unit list is a new clause's subject
        return found
    return None


def _parenthesised(doc: Doc, i: int, start: int) -> bool:
    """Token i sits inside parentheses opened at or after token start."""
    depth = 0
    for t in doc[start:i]:
        depth += (t.text == "(") - (t.text == ")")
    return depth > 0 or doc[i].text in "()"


def _skip_marker(doc: Doc, i: int, end: int) -> int:
    """Past a list marker ("a)", "1.", "2.1.", "-", "+") at the start of a sentence."""
    if i < end and doc[i].norm_ in ("-", "+", "•", "*"):
        return i + 1
    if i + 1 < end and doc[i + 1].text in (")", ".") and (doc[i].is_digit or len(doc[i].text) <= 2
                                                          or doc[i].text.replace(".", "").isdigit()):
        return i + 2
    return i


def _subject_from(doc: Doc, k: int, end: int, verbs: dict[int, Span], level: str,
                  places: frozenset[str], free_words: bool = False) -> Addressee | None:
    """The mention that starts at token k and ends before the first duty verb outside a unit
    name and outside parentheses; None when no such verb follows or the phrase has no code.
    Outside parentheses a subject is made of unit words only (names, head words, leaders'
    titles, joiners, fillers such as "thuộc", "có liên quan", the plan's place names), unless
    a cue named it (free_words: "Giao đồng chí Phó Chủ tịch phụ trách lĩnh vực … chỉ đạo")."""
    depth = outside = 0
    in_unit = {t.i for e in doc.ents for t in e}
    unitish = in_unit | {t.i for group in ("unit_head", "leader_title") for s in doc.spans[group] for t in s}
    place_words = {w for place in places for w in place.split()}
    for j in range(k, end):
        text = doc[j].text
        outside += depth == 0
        if outside > MAX_SUBJECT_TOKENS:
            return None
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        elif text in (";", ".", ":", "?", "!") and depth == 0:
            return None
        elif depth == 0 and j > k and j in verbs and j not in in_unit and doc[j - 1].norm_ not in _NOUN_MARKERS:
            span = doc[k:j]
            while len(span) and span[-1].norm_ in _JOINERS:
                span = doc[k:span.end - 1]
            if not len(span):
                return None
            if not free_words and any(t.i not in unitish and t.norm_ not in _SUBJECT_FILLER
                                      and t.norm_ not in place_words and not _parenthesised(doc, t.i, k)
                                      for t in span):
                return None
            codes = code_addressee(span.text, level, places)
            if not [c for c in codes if c != UNKNOWN]:
                return None
            return Addressee(span.start_char, span.end_char, codes, j)
    return None
