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

from normalize.departments import match_departments
from normalize.duties.nlp import View
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
_LEADER_WORDS = ("dong chi", "chu tich", "pho chu tich", "lanh dao", "giam doc", "truong", "thu truong")
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
_CLAUSE_CUES = {"đối với"}


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
        rest = rest.split(" phu trach ")[0] if rest.startswith(_LEADER_WORDS) else rest
        # "đồng chí Phó Chủ tịch phụ trách lĩnh vực văn hóa – xã hội": the field a leader is
        # in charge of describes the leader, it names no other party
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


def find_subject(v: View, sent: tuple[int, int], level: str, places: frozenset[str]) -> Addressee | None:
    """The addressee of a sentence (a token range of the view) that assigns a duty, or None
    (see module doc)."""
    start, end = sent
    norms = v.norms
    i = _skip_marker(v, start, end)
    candidates: list[int] = []
    for j in range(i, end):
        cue = v.span_text(j, v.cues[j]).lower() if j in v.cues else ""
        if cue and ((cue in _INLINE_CUES and (j == i or norms[j - 1] != "duoc"))
                    or (cue in _CLAUSE_CUES and (j == i or norms[j - 1] == ","))):
            # "Giao / Đề nghị / Yêu cầu X …" ("Đối với X" only where a clause starts; "Trách
            # nhiệm của X" frames headings only)
            k = v.cues[j]
            if k < end and (k in v.ents or k in v.heads or k in v.titles):
                candidates.append(k)
        elif (j == i or norms[j - 1] == ",") and (j in v.ents or j in v.heads):
            # after a comma: a new clause's subject, not the next item of a list of units or
            # of objects ("… của Tỉnh ủy, UBND tỉnh về …")
            if j == i or (j - 2 >= start and (j - 2) not in v.unitish
                          and not any(b in v.objects for b in range(max(start, j - 4), j - 1))):
                candidates.append(j)
    if not candidates and v.ents and _CONDITION_FIRST.match(fold_words(v.span_text(start, end))):
        # "Trong quá trình thực hiện, nếu phát sinh vướng mắc các ngành, cơ quan, đơn vị báo
        # cáo …": after a condition the subject may follow without a comma
        candidates = [e for e in sorted(v.ents) if start < e < end
                      and e - 1 not in v.objects and norms[e - 1] not in (",", "(")]
    cue_tokens = {t for c, e in v.cues.items() for t in range(c, e)}
    for k in candidates:
        named = k > start and (k - 1) in cue_tokens
        found = _subject_from(v, k, end, level, places, free_words=named)
        if found is None:
            continue
        if k > i and norms[k - 1] == "," and UNKNOWN in found.codes:
            continue          # after a comma, only a clean unit list is a new clause's subject
        return found
    return None


def _skip_marker(v: View, i: int, end: int) -> int:
    """Past a list marker ("a)", "1.", "2.1.", "-", "+") at the start of a sentence."""
    if i < end and v.norms[i] in ("-", "+", "•", "*"):
        return i + 1
    if i + 1 < end and v.texts[i + 1] in (")", ".") and (len(v.texts[i]) <= 2
                                                         or v.texts[i].replace(".", "").isdigit()):
        return i + 2
    return i


def _subject_from(v: View, k: int, end: int, level: str, places: frozenset[str],
                  free_words: bool = False) -> Addressee | None:
    """The mention that starts at token k and ends before the first duty verb outside a unit
    name and outside parentheses; None when no such verb follows or the phrase has no code.
    Outside parentheses a subject is made of unit words only (names, head words, leaders'
    titles, joiners, fillers such as "thuộc", "có liên quan", the plan's place names), unless
    a cue named it (free_words: "Giao đồng chí Phó Chủ tịch phụ trách lĩnh vực … chỉ đạo")."""
    depth = outside = 0
    foreign = False       # a word outside parentheses that is no unit word
    place_words = {w for place in places for w in place.split()}
    for j in range(k, end):
        text, norm = v.texts[j], v.norms[j]
        outside += depth == 0
        if outside > MAX_SUBJECT_TOKENS:
            return None
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        elif text in (";", ".", ":", "?", "!") and depth == 0:
            return None
        elif (depth == 0 and j > k and j in v.verbs and j not in v.in_unit
              and v.norms[j - 1] not in _NOUN_MARKERS):
            last = j
            while last > k and v.norms[last - 1] in _JOINERS:
                last -= 1
            if last == k or (foreign and not free_words):
                return None
            codes = code_addressee(v.span_text(k, last), level, places)
            if not [c for c in codes if c != UNKNOWN]:
                return None
            return Addressee(v.idx[k], v.ends[last - 1], codes, j)
        elif depth == 0 and j not in v.unitish and norm not in _SUBJECT_FILLER and norm not in place_words:
            foreign = True
    return None
