"""Percentage targets in prose and task rows.

spaCy (a blank multilingual pipeline with the rule-based sentencizer, no model download)
splits prose into sentences; a PhraseMatcher finds the comparator and direction cues around
each percentage. Each percentage goal gives one target, with value, comparator, year,
direction and the clause it came from.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from normalize.text import clean, fold

# Not after a digit, separator, minus sign or exponent: "-50%", "1e308%" are no goals of 50 and
# 308 (see malformed_percentages, which reports them).
_PERCENT = re.compile(r"(?<![\d,.\-−])(?<![\d][eE])(?<![\d][eE][+-])(\d{1,3}(?:[.,]\d+)?)\s*%")
# A figure before "%" that is no percentage goal: negative, in exponent form, or with more than
# three digits before the decimal mark ("999999999999%"): an OCR or typing slip to report.
# The minus sign is attached to the figure: "- 100% hồ sơ" is a list item, not -100.
_ODD_PERCENT = re.compile(r"(?<![\w,.])(?:[-−]\d[\d.,]*|\d[\d.,]*[eE][+-]?\d+|\d{4,}(?:[.,]\d+)?)\s*%")
_RANGE_BEFORE = re.compile(r"\d\s*%?\s*$")     # "30-50%": the minus is a range dash
_RANGE_AFTER = re.compile(r"^\s*[-–]\s*(?:dưới|đến|tới)?\s*\d")
_YEAR_CUE = re.compile(r"(?:vào|đến|tới|trong|đến hết|hết|từ)\s+năm\s+(\d{4})(?!\d)", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"^[^;,.]{0,12}?năm\s+(\d{4})(?!\d)", re.IGNORECASE)
# "năm 2026 đạt 80%, năm 2028 đạt 90%": a bare year a few words before the figure is its year
# (not "so với năm 2025", the baseline).
_YEAR_BEFORE = re.compile(r"(?<!với )\bnăm\s+(\d{4})(?!\d)\s*[:,]?(?:\s+[^\s\d%,;:.()]+){0,4}\s*$", re.IGNORECASE)
# A figure right after a change verb and its cue ("Cắt giảm ít nhất", "Tăng tối thiểu").
_CHANGE_VERB_ONLY = re.compile(r"^\s*(?:phấn đấu\s+)?(?:cắt\s+)?(?:giảm|tăng|nâng)(?:\s+(?:ít nhất|tối thiểu|"
                               r"không dưới|không thấp hơn|không ít hơn|trên|hơn|khoảng|thêm))?\s*$", re.IGNORECASE)
_BASELINE = re.compile(r"so\s+với|so\s+cùng\s+kỳ", re.IGNORECASE)    # "tăng 5% so với năm 2025"

# Cue phrases (folded) before / after the number, in priority order.
_BEFORE_CUES = [
    ("khong duoi", ">="), ("khong thap hon", ">="), ("khong it hon", ">="),
    ("khong vuot qua", "<="), ("khong qua", "<="), ("khong cao hon", "<="), ("toi da", "<="),
    ("duoi", "<"), ("thap hon", "<"), ("it hon", "<"),
    ("toi thieu", ">="), ("it nhat", ">="), ("tren", ">"), ("vuot", ">"), ("cao hon", ">"), ("hon", ">"),
]
_AFTER_CUES = [("tro len", ">="), ("tro xuong", "<="), ("tro di", ">=")]
FROM_CUE_WORDS = 8     # "từ X% <what is counted> trở lên": the counted noun phrase is short
# On the text with its tone marks: folded, "giảm" would also be "giám" (giám sát, giám đốc)
# and "hạ" would be "Hà" (Hà Nội, Hà Tĩnh).
_DECREASE = re.compile(r"\b(?:giảm|hạ\s+(?:thấp|xuống))\b")


@dataclass(frozen=True)
class TargetValue:
    text: str
    metric: str
    value: float
    comparator: str
    year: int | None
    direction: str


@lru_cache(maxsize=1)
def _nlp():
    import spacy  # loaded once per process, only the sentencizer is used

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[str]:
    """Sentences of `text` that hold a percentage (spaCy's rule-based sentencizer)."""
    if "%" not in text:
        return []
    return list(_sentences(text))


@lru_cache(maxsize=8192)   # objective sentences are copied from plan templates
def _sentences(text: str) -> tuple[str, ...]:
    if _one_sentence(text):
        return (text.strip(),)
    return tuple(s.text.strip() for s in _nlp()(text).sents if "%" in s.text)


@lru_cache(maxsize=1)
def _sentence_end() -> re.Pattern[str]:
    """Any of the sentencizer's sentence-end characters."""
    chars = sorted(_nlp().get_pipe("sentencizer").punct_chars)
    return re.compile("|".join(re.escape(c) for c in chars))


def _one_sentence(text: str) -> bool:
    """True when the sentencizer cannot split `text` (most objectives: one sentence, often
    ending in "."), so spaCy need not tokenise it. The sentencizer starts a sentence at a
    token that follows a sentence-end character and is not punctuation itself; so the text
    is one sentence when no such character occurs before its trailing run of punctuation
    (Unicode category P*) and spaces."""
    end = len(text)
    while end and (text[end - 1].isspace() or unicodedata.category(text[end - 1])[0] == "P"):
        end -= 1
    return _sentence_end().search(text, 0, end) is None


_LIST_MARK = re.compile(r"^\s*(?:[-+•*]|[a-zđ]\)|\d+(?:\.\d+)*\.?)\s+")


def _clauses(sentence: str) -> list[str]:
    return [_LIST_MARK.sub("", c.strip(), count=1) for c in re.split(r";", sentence) if c.strip()]


def _comparator(before: str, after: str) -> str:
    # Quotes are no words: 'ít nhất "50%' (OCR, quoted figures) keeps its cue.
    b = " ".join(re.sub(r"[\"“”‘’]", " ", fold(before)).split()[-4:])
    a = " ".join(fold(after).split()[:3])
    for cue, comp in _AFTER_CUES:
        if a.startswith(cue) or f" {cue}" in f" {a}"[:len(cue) + 4]:
            return comp
    # "từ 70% hộ kinh doanh trở lên": the cue closes the phrase that "từ" opened
    if re.search(r"(?:^|\s)tu$", b) and " tro len" in " " + " ".join(fold(after).split()[:FROM_CUE_WORDS]):
        return ">="
    for cue, comp in _BEFORE_CUES:
        if re.search(rf"(?:^|\s){cue}(?:\s+(?:tu|muc|khoang|la|bang))?$", b):
            return comp
    return "="


def _metric(clause: str, start: int) -> str:
    before = clause[:start]
    after = clause[start:]
    if before.count("(") > before.count(")"):
        before = before[before.rfind("(") + 1:]     # the goal is stated inside parentheses
    heads = list(re.finditer(r"(?:tỷ lệ|tỉ lệ|mức độ|chỉ số|tốc độ)", before, re.IGNORECASE))
    if heads:
        subject = re.split(r"\s+(?:đạt|là|từ|tối thiểu|trên|ít nhất|phải|bằng)\b", before[heads[-1].start():],
                           flags=re.IGNORECASE)[0]
        return _cap(subject)
    noun = re.match(r"^\s*\d+(?:[.,]\d+)?\s*%\s*([^;,.()]+?)(?:\s+(?:được|đạt|có|phải|thực hiện)\b|[;,.()]|$)", after)
    if noun and len(noun.group(1).split()) >= 1:
        return _cap(noun.group(1).strip())
    words = re.sub(r"\b(?:đạt|phấn đấu|phần đầu|bảo đảm|đảm bảo|tối thiểu|từ|trên|ít nhất)\b", " ",
                   before, flags=re.IGNORECASE)
    return _cap(" ".join(words.split()[-12:])) or "Tỷ lệ"


def _cap(text: str) -> str:
    text = text.strip(" ,;:-()")
    return text[:1].upper() + text[1:] if text else text


def malformed_percentages(text: str) -> list[str]:
    """Figures written with a "%" that cannot be a percentage goal (see _ODD_PERCENT)."""
    if "%" not in text:
        return []
    return [m.group(0) for m in _ODD_PERCENT.finditer(text)
            if not (m.group(0)[0] in "-−" and _RANGE_BEFORE.search(text[:m.start()]))]


def extract_targets(text: str, default_year: int | None) -> list[TargetValue]:
    """Percentage goals in a paragraph or cell text (see module doc). Never raises."""
    try:
        cleaned = clean(text)
        return list(_extract_cached(cleaned, default_year)) if "%" in cleaned else []
    except Exception:
        return []


@lru_cache(maxsize=8192)     # objectives are copied from plan templates; values are not mutated
def _extract_cached(text: str, default_year: int | None) -> tuple[TargetValue, ...]:
    return tuple(_extract(text, default_year))


def _extract(text: str, default_year: int | None) -> list[TargetValue]:
    out: list[TargetValue] = []
    for sentence in sentences(text):
        sentence = _LIST_MARK.sub("", sentence, count=1)
        clauses = _clauses(sentence)
        for ci, clause in enumerate(clauses):
            matches = [m for m in _PERCENT.finditer(clause) if not _RANGE_AFTER.match(clause[m.end():])
                       and not re.search(r"\d\s*%?\s*[-–]\s*(?:dưới|đến|tới)?\s*$", clause[:m.start()])]
            if not matches:
                continue
            pieces = _sub_clauses(clause, matches)
            shared = _shared_subjects(clauses, ci) if len(matches) == 1 else []
            # "100% … cấp tỉnh, 90% … cấp xã … vào năm 2027": a year after the last figure is
            # every figure's that names none of its own.
            tail_year = _tail_year(clause[matches[-1].end():]) if len(matches) > 1 else None
            previous: tuple[str, str, str] | None = None    # (piece_before, comparator, direction)
            for m, piece in zip(matches, pieces):
                value = float(m.group(1).replace(",", "."))
                before, after = clause[:m.start()], clause[m.end():]
                piece_before = piece[: max(0, piece.find(m.group(0)))] if m.group(0) in piece else before
                comparator = _comparator(before, after)
                own_year = _year(piece, piece_before, after, None)
                year = own_year if own_year is not None else tail_year if tail_year is not None else default_year
                direction = "decrease" if _DECREASE.search(piece_before.lower()) else "increase"
                if previous and not piece_before.strip() and _CHANGE_VERB_ONLY.match(previous[0]):
                    # "Cắt giảm ít nhất 30% thời gian và 20% chi phí": the verb and its cue
                    # govern every figure of the list.
                    comparator, direction = previous[1], previous[2]
                previous = (piece_before, comparator, direction)
                if shared:
                    for subject in shared + [clause]:
                        out.append(TargetValue(text=sentence.rstrip(". "), metric=_cap(_subject(subject)),
                                               value=value, comparator=comparator, year=year,
                                               direction=direction))
                    continue
                out.append(TargetValue(text=piece.strip().rstrip(". "),
                                       metric=_metric(clause, m.start()), value=value,
                                       comparator=comparator, year=year, direction=direction))
    return out


def _sub_clauses(clause: str, matches: list[re.Match[str]]) -> list[str]:
    """One piece per percentage: split at ' và ' / ', ' / '. ' between two of them."""
    if len(matches) == 1:
        return [clause]
    pieces, start = [], 0
    for i, m in enumerate(matches):
        end = len(clause)
        if i + 1 < len(matches):
            window = clause[m.end():matches[i + 1].start()]
            cut = None
            for sep in (". ", " và ", ", "):
                pos = window.rfind(sep)
                if pos >= 0:
                    cut = m.end() + pos
                    break
            end = cut if cut is not None else matches[i + 1].start()
        pieces.append(clause[start:end].strip(" ,."))
        start = end + 1 if end < len(clause) else end
        if clause[start - 1:start + 3].startswith(" và"):
            start += 3
    return [p if p else clause for p in pieces]


def _shared_subjects(clauses: list[str], index: int) -> list[str]:
    """Earlier ';'-clauses with no number of their own that share the subject's head words
    ("mức độ hài lòng về A; mức độ hài lòng về B đạt 90%")."""
    head = fold(clauses[index]).split()[:3]
    out = []
    j = index - 1
    while j >= 0 and not _PERCENT.search(clauses[j]):
        if fold(clauses[j]).split()[:3] == head and len(head) == 3:
            out.insert(0, clauses[j])
        else:
            break
        j -= 1
    return out


def _subject(clause: str) -> str:
    return re.split(r"\s+(?:đạt|là)\s+", clause)[0]


def _year(piece: str, before: str, after: str, default_year: int | None) -> int | None:
    after_cue = _YEAR_AFTER.match(after)
    if after_cue and _BASELINE.search(after_cue.group(0)):
        after_cue = None          # the year the change is measured from, not the target's
    cue = _YEAR_CUE.search(piece) or after_cue or _YEAR_BEFORE.search(before)
    if cue:
        return int(cue.group(1))
    lead = re.match(r"^\s*(?:đến|tới|vào)\s+năm\s+(\d{4})", before, re.IGNORECASE)
    return int(lead.group(1)) if lead else default_year


def _tail_year(tail: str) -> int | None:
    cue = _YEAR_CUE.search(tail)
    return int(cue.group(1)) if cue and not _BASELINE.search(tail[:cue.start()]) else None
