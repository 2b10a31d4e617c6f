"""The paragraphs of a plan -> its duties, one per duty of one addressee (contract v1.1).

Reading order, format-free (the parsers' document model only):
- The body starts at the first section heading (a roman numeral, or a heading of the section
  vocabulary) and ends at "Nơi nhận" / an annex title: the preamble's "UBND xã ban hành Kế
  hoạch" and the distribution list assign nothing.
- Section headings (roman and decimal numbering) open zones: the implementation part
  ("TỔ CHỨC THỰC HIỆN", "Trách nhiệm …", "Phân công …"), parts that assign nothing (goals,
  funding: "Mục đích, yêu cầu", "Kinh phí"), and the rest of the body.
- In the implementation part, an addressee heading ("a) Phòng Văn hóa – Xã hội", "2. Sở Nội
  vụ:", "Đề nghị Ủy ban MTTQ …", "Trưởng phòng, ban … có trách nhiệm:") heads the items that
  follow it: each bullet or paragraph is one duty, until a marker of the heading's rank or
  above, or a section heading. "Sở Nội vụ: chủ trì …" (the label and its duties on one line)
  is a heading and its first duties. An item that names its own subject takes that subject.
- Anywhere in the body outside goals and funding, a sentence whose subject is a unit
  ("Sở Tài chính phối hợp …", "Căn cứ …, các phòng ban khẩn trương …") or that names one after
  "Giao / Đề nghị / Yêu cầu" is one duty of that unit.
Notes in parentheses ("(Chi tiết tại Phụ lục …)") and closing framing ("Trên đây là Kế hoạch
…") are no duties themselves; a closing sentence that addresses units is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.duties.model import Duty, Paragraph, Provenance
from normalize.duties.nlp import View, unit_first_words, view
from normalize.duties.roles import role_of
from normalize.duties.timing import find_timing
from normalize.duties.units import Addressee, code_addressee, find_subject
from normalize.duties.vocab import vocab
from normalize.headings import heading_level
from normalize.text import clean, fold, fold_words

# A heading line is short: an addressee heading with a collective list runs to ~25 words.
MAX_ADDRESSEE_HEADING_WORDS = 30
MAX_SECTION_HEADING_WORDS = 20
# Paragraph results kept per process: implementation sections are copied from templates.
PARAGRAPH_CACHE = 8192
# A roman heading's numeral here: no C and at most five letters (narrower than
# normalize.text.ROMAN_NUMERAL, kept so that the duties of a plan stay as they were).
_HEADING_ROMAN = r"[IVXL]{1,5}"
_MARKER = re.compile(rf"^\s*(?:(?P<roman>{_HEADING_ROMAN})\s*[.):\-–]|(?P<decimal>\d{{1,2}}(?:\.\d{{1,2}})*)\s*[.)]"
                      r"|(?P<letter>[a-zđ])\s*[.)]|(?P<bullet>[-+•*–]))\s*")
_RANK = {"roman": 1, "decimal": 2, "letter": 5, "bullet": 6, None: 7}
_NOTE = re.compile(r"^\(.*\)\.?$")
_CLOSING = re.compile(r"^tren day la\b")
_ONE_LINE_LABEL = re.compile(r"^(?P<label>[^:;.]{3,160}?):\s*(?P<rest>\S.*)$")
_LIST_NOUN_BEFORE = {"va", ",", "cac", "nhung"}
_SENTENCE_END = re.compile(r"[.;:!?…)\]”\"]\s*$")
_ITEM_SPLIT = re.compile(r"(?<=[;:.])\s*[-+•]\s+(?=\S)")


@dataclass(frozen=True)
class _Heading:
    rank: float
    unit_raw: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Context:
    level: str
    plan_start: int | None
    plan_end: int | None
    places: frozenset[str]


def _marker(text: str) -> tuple[str | None, float, int]:
    """(kind, rank, length) of a leading list marker; decimal ranks by depth ("2.1." > "2.")."""
    m = _MARKER.match(text)
    if not m:
        return None, _RANK[None], 0
    kind = next(k for k in ("roman", "decimal", "letter", "bullet") if m.group(k))
    rank = float(_RANK[kind])
    if kind == "decimal":
        rank += m.group("decimal").count(".") * 0.5
    return kind, rank, m.end()


def _section_kind(body: str) -> str:
    f = f" {fold_words(body)} "
    v = vocab()
    if any(f" {w} " in f for w in v.implementation):
        return "impl"
    if any(f" {w} " in f for w in v.no_duties) and not any(f" {w} " in f for w in v.work):
        return "none"
    return "body"


def _section_kind_opening(body: str) -> str | None:
    """The zone a paragraph opens when it starts with section vocabulary, else None."""
    f = fold_words(body)
    v = vocab()
    if any(f.startswith(w) for w in v.implementation if w not in ("phan cong",)):
        return "impl"
    if any(f.startswith(w) for w in v.no_duties):
        return "none"
    return None


def _continues(previous: str, kind: str | None, body: str, bulleted: bool) -> bool:
    """The paragraph continues the previous item: it has no marker (or a dash that is a word's
    hyphen wrapped to the line start: "- xã hội của xã") and the item was left unfinished (no
    sentence end, or a colon that introduces what follows), or the item was bulleted (a list
    of bullets does not go on with an unmarked item: a wrapped line of a layout rendition)."""
    if _NOTE.match(body) or not body or _CLOSING.match(fold_words(body)):
        return False
    unfinished = not _SENTENCE_END.search(previous) or previous.rstrip().endswith(":")
    if kind is None:
        return unfinished or bulleted
    # a bullet that continues: a hyphen wrapped to the line start, or a sub-item of an item
    # that ends with a colon ("- Chủ trì các nội dung sau: / + … / + …")
    return kind == "bullet" and ((body[:1].islower() and not _SENTENCE_END.search(previous))
                                 or previous.rstrip().endswith(":"))


def _unfinished_sentence(text: str) -> bool:
    """A paragraph cut mid-sentence (a crawled page breaks lines): long, no sentence end."""
    return len(text.split()) > MAX_SECTION_HEADING_WORDS // 2 and not _SENTENCE_END.search(text)


def _is_section_heading(markup_level: int | None, bold: bool, text: str, kind: str | None, body: str) -> bool:
    if kind not in ("roman", "decimal", None) or len(body.split()) > MAX_SECTION_HEADING_WORDS:
        return False
    if kind is None:   # unnumbered: only a line in capitals or marked as a heading
        return (body.isupper() or markup_level is not None) and not body.endswith((".", ";"))
    return heading_level(text, markup_level, bold) is not None or not body.rstrip().endswith((".", ";", ","))


def _strip_framing(label: str) -> tuple[int, int]:
    """Offsets of the addressee inside a heading label, without cue words and suffixes."""
    v = vocab()
    start, end = 0, len(label.rstrip(" :"))
    f = fold_words(label)
    for cue in v.cues:
        if f.startswith(cue + " "):
            start = _word_offset(label, len(cue.split()))
            break
    tail = fold_words(label[start:end])
    for suffix in v.suffixes:
        if tail.endswith(" " + suffix):
            end = _word_end(label[:end], len(suffix.split()))
            break
    return start, end


def _word_offset(text: str, n: int) -> int:
    """Offset of the (n+1)-th word of text."""
    words = list(re.finditer(r"\S+", text))
    return words[n].start() if n < len(words) else len(text)


def _word_end(text: str, n: int) -> int:
    """End offset of text without its last n words."""
    words = list(re.finditer(r"\S+", text))
    return words[-n - 1].end() if n < len(words) else 0


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _addressee_heading(label: str, ctx: _Context) -> tuple[str, tuple[str, ...]] | None:
    """(unit_raw, codes) when the label is an addressee and nothing else."""
    if len(label.split()) > MAX_ADDRESSEE_HEADING_WORDS or label.rstrip().endswith((".", ";", ",")):
        return None
    a, b = _strip_framing(label)
    phrase = label[a:b].strip(" ,:")
    if not phrase:
        return None
    v = view(phrase)
    if not (0 in v.ents or 0 in v.heads):
        return None
    if any(i not in v.in_unit and not (i > 0 and v.norms[i - 1] in _LIST_NOUN_BEFORE) for i in v.verbs):
        # a verb outside unit names is a sentence, not a label (a verb word after "và", "các"
        # is a noun of a unit list: "MTTQ và tổ chức thành viên")
        return None
    codes = code_addressee(phrase, ctx.level, ctx.places)
    if not [c for c in codes if c != "UNKNOWN"]:
        folded = fold_words(phrase)
        if not any(folded == h or folded.startswith(h + " ") for h in vocab().strong_heads):
            return None
        codes = ("UNKNOWN",)          # a named body the registry lacks: kept, reported
    return phrase, codes


def extract_duties(paragraphs: list[Paragraph], level: str, plan_start: int | None,
                   plan_end: int | None, places: frozenset[str] = frozenset()) -> list[Duty]:
    """Duties of a plan, in document order (see module doc)."""
    ctx = _Context(level, plan_start, plan_end, places)
    signature = tuple((p.text, p.heading_level, p.bold) for p in paragraphs[:_body_end(paragraphs)])
    duties: list[Duty] = []
    for found, first, last in _walk(signature, ctx):
        prov = paragraphs[first].provenance
        if last != first:
            prov = prov.spanning(paragraphs[last].provenance)
        duties.extend(_to_duties(found, prov))
    return duties


def _body_end(paragraphs: list[Paragraph]) -> int:
    """Index after the paragraph where the walk surely stops ("Nơi nhận" after a roman-numbered
    section): what follows (distribution list, signature, annexes, a copy's trailing note) does
    not change the duties, so it is left out of the memo key."""
    v = vocab()
    for i, p in enumerate(paragraphs):
        text = clean(p.text)
        low = text[:40].lower()
        if not any(w in low for w in v.end_of_body_words):
            continue                  # cheap pre-test for the end-of-body words (Nơi nhận, Phụ lục)
        kind, _, mlen = _marker(text)
        body = text[mlen:].strip()
        if len(body.split()) <= 15 and any(fold_words(body).startswith(w) for w in v.end_of_body) and any(
                _marker(clean(q.text))[0] == "roman" for q in paragraphs[:i]):
            return i + 1
    return len(paragraphs)


# Plans read per process whose duties are kept whole (the text of a plan and its reading
# context decide them; copies of a plan, reruns of a batch, warm-up and conversion repeat).
PLAN_CACHE = 64
_Line = tuple[str, int | None, bool]        # (text, markup heading level, bold) of a paragraph


@lru_cache(maxsize=PLAN_CACHE)
def _walk(signature: tuple[_Line, ...], ctx: _Context) -> tuple[tuple[tuple[_Found, ...], int, int], ...]:
    """(duties, first paragraph, last paragraph) in document order."""
    v = vocab()
    out: list[tuple[tuple[_Found, ...], int, int]] = []
    zones: list[tuple[float, str]] = []          # (rank, kind) of the open section headings
    heading: _Heading | None = None
    pending: _Item | None = None                 # the last item, which the next line may continue
    in_body = False
    prose: tuple[str, int, int] | None = None     # paragraph read for inline duties, and its span

    def flush() -> None:
        nonlocal pending, prose
        if pending is not None:
            out.append((_item_found(pending.text, pending.at, pending.heading, ctx), pending.first, pending.last))
            pending = None
        if prose is not None:
            out.append((_inline_found(prose[0], ctx), prose[1], prose[2]))
            prose = None

    for index, (raw, markup_level, bold) in enumerate(signature):
        text = clean(raw)
        if not text or not any(c.isalnum() for c in text):
            continue          # a table rule or stray punctuation line of a crawled page
        kind, rank, mlen = _marker(text)
        body = text[mlen:].strip()
        f = fold_words(body)
        if in_body and any(f.startswith(w) for w in v.end_of_body) and len(body.split()) <= 15:
            break
        bullet = text[:1] if kind == "bullet" else ""
        if pending is not None and ((bullet and bullet == pending.sublist)
                                    or _continues(pending.text, kind, body, pending.bulleted)):
            # an item broken over two paragraphs (a page, a blank line, a wrapped line), or
            # the sub-items its colon opened
            sublist = pending.sublist or (bullet if pending.text.rstrip().endswith(":") else "")
            joined = f"{pending.text} {text if kind == 'bullet' else body}"
            pending = _Item(joined, pending.at, pending.first, index, pending.heading, pending.bulleted, sublist)
            continue
        if prose is not None and kind is None and _unfinished_sentence(prose[0]) and not _NOTE.match(body):
            prose = (f"{prose[0]} {body}", prose[1], index)    # a sentence wrapped over lines
            continue
        flush()
        if kind != "bullet" and _is_section_heading(markup_level, bold, text, kind, body) and (
                kind == "roman" or _section_kind(body) != "body" or in_body):
            addressee = _addressee_heading(body, ctx) if _zone(zones) == "impl" else None
            if addressee is None:
                in_body = True
                _open_zone(zones, rank, _section_kind(body))
                heading = None
                continue
        if kind in ("roman", "decimal") and _section_kind_opening(body) is not None:
            # a heading run into its first sentence by a layout rendition ("3. Trách nhiệm của
            # các phòng, ban … Giao đồng chí …"): the heading opens its zone, the rest is read
            in_body = True
            _open_zone(zones, rank, _section_kind_opening(body))
            heading = None
        if not in_body:
            continue
        zone = _zone(zones)
        if zone == "none" or _NOTE.match(body):
            continue
        if heading is not None and rank <= heading.rank:
            heading = None                        # a sibling or a parent of the addressee heading
        if zone == "impl" and kind != "bullet":
            found = _addressee_heading(body, ctx)
            if found is not None:
                heading = _Heading(rank, found[0], found[1])
                continue
            labelled = _labelled_duties(text, body, mlen, rank, index, ctx)
            if labelled is not None:
                heading = labelled[0]
                out.extend(labelled[1])
                continue
        if _CLOSING.match(f):
            heading = None                        # "Trên đây là Kế hoạch …" closes the list
        if heading is not None:
            pending = _Item(text, mlen, index, index, heading, bulleted=kind == "bullet")
            continue
        prose = (text, index, index)
    flush()
    return tuple(item for item in out if item[0])


def _open_zone(zones: list[tuple[float, str]], rank: float, kind: str) -> None:
    """A section heading of `rank` closes the zones of its rank and below and opens its own."""
    while zones and zones[-1][0] >= rank:
        zones.pop()
    zones.append((rank, kind))


def _labelled_duties(text: str, body: str, mlen: int, rank: float, index: int, ctx: _Context
                     ) -> tuple[_Heading, list[tuple[tuple[_Found, ...], int, int]]] | None:
    """ "Sở X: chủ trì …; phối hợp …": a one-line addressee label and its duties, or None."""
    label = _ONE_LINE_LABEL.match(body)
    if label is None or not (found := _addressee_heading(label.group("label"), ctx)):
        return None
    heading = _Heading(rank, found[0], found[1])
    rest_at = mlen + (len(body) - len(label.group("rest")))
    return heading, [(_item_found(text[:item_end], item_at, heading, ctx), index, index)
                     for item_at, item_end in _items(text, rest_at)]


@dataclass
class _Item:
    text: str
    at: int                   # where the item's text starts (after its marker)
    first: int                # paragraphs it spans
    last: int
    heading: _Heading
    bulleted: bool = False    # the item had a bullet: an unmarked line after it continues it
    sublist: str = ""         # bullet of the sub-items a colon opened ("… sau: + A; + B")


def _zone(zones: list[tuple[float, str]]) -> str:
    """The zone in force: the implementation part reaches into its sub-headings; a goals or
    funding heading holds only until a sub-heading that names the work ("1. Mục tiêu" under
    "II. MỤC TIÊU, NHIỆM VỤ …" holds none; "2. Nội dung, nhiệm vụ" under it does)."""
    seen_body = False
    for _, kind in reversed(zones):
        if kind == "impl":
            return "impl"
        if kind == "none":
            return "body" if seen_body else "none"
        seen_body = True
    return "body"


def _items(text: str, at: int) -> list[tuple[int, int]]:
    """(start, end) of the bulleted items of the rest of a one-line label ("Sở X: - Chủ trì …;
    - Phối hợp …"): a bullet counts after ";", ":" or ".", not inside a name ("Văn hóa - Xã hội")."""
    bounds, last = [], at
    for m in _ITEM_SPLIT.finditer(text, at):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    out = []
    for a, b in bounds:
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip("-+• "))
        if text[a:b].strip(" -+•;"):
            out.append((a, len(text[:b].rstrip())))
    return out


@dataclass(frozen=True)
class _Found:
    """A duty as read from its text, before it gets its place in the document."""
    unit: tuple[str, ...]
    unit_raw: str
    duty: str
    role: str
    deadline: dict
    spans: tuple[tuple[str, int, int], ...]


def _copy_deadline(d: dict) -> dict:
    parts = d.get("parts")
    return {**d, "parts": [_copy_deadline(x) for x in parts] if parts is not None else None}


def _to_duties(found: tuple[_Found, ...], provenance: Provenance) -> list[Duty]:
    return [Duty(unit=list(f.unit), unit_raw=f.unit_raw, duty=f.duty, role=f.role,
                 deadline=_copy_deadline(f.deadline), provenance=provenance,
                 spans={k: [a, b] for k, a, b in f.spans}) for f in found]


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _item_found(text: str, at: int, heading: _Heading, ctx: _Context) -> tuple[_Found, ...]:
    """One duty: the item text from `at` (its marker removed) under an addressee heading."""
    if not text[at:].strip():
        return ()
    v = view(text)
    first = v.token_at(at)
    own = find_subject(v, (first, len(v)), ctx.level, ctx.places)
    if own is not None and first < len(v) and (own.start - v.idx[first] <= 2 or first in v.cues):
        # the item names its own subject ("Các cơ quan chủ trì …", "Giao Công an xã …")
        return (_found(v, at, len(text), own, own.predicate, ctx),)
    unit = Addressee(-1, -1, heading.codes, first)
    return (_found(v, at, len(text), unit, first, ctx, unit_raw=heading.unit_raw),)


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _inline_found(text: str, ctx: _Context) -> tuple[_Found, ...]:
    """Duties of the sentences of a paragraph that name their addressee."""
    if not _may_name_addressee(text):
        return ()
    v = view(text)
    out = []
    for sent in v.sents:
        who = find_subject(v, sent, ctx.level, ctx.places)
        if who is None:
            continue
        sent_text = v.span_text(*sent)
        start = v.idx[sent[0]]
        _, _, mlen = _marker(sent_text)
        if _section_kind_opening(sent_text[mlen:]) is not None:
            start = _cue_start(v, who)      # a heading run into the sentence: from the cue on
        elif _CLOSING.match(fold_words(sent_text)):
            start = _clause_start(v, sent, who)    # "Trên đây là Kế hoạch …, yêu cầu X …"
        else:
            start += mlen
        out.append(_found(v, start, v.ends[sent[1] - 1], who, who.predicate, ctx))
    return tuple(out)


@lru_cache(maxsize=1)
def _addressee_pretest() -> re.Pattern[str]:
    """A cheap test on the folded text that lets through every paragraph find_subject could
    read a subject in (a cue or condition word anywhere, or a unit word at the start of the
    paragraph, after a list marker, a sentence end or a comma); most task paragraphs of a plan
    fail it and skip the spaCy pass (a superset: folding only merges words)."""
    v = vocab()
    firsts = {name.split()[0] for name in unit_first_words()} | {h.split()[0] for h in v.heads + v.leader_titles}
    cues = sorted(set(v.cues) | {"trong qua trinh", "neu", "khi", "truong hop"})
    words = "|".join(re.escape(w) for w in sorted(firsts, key=len, reverse=True))
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b"
                      r"|(?:^|[.!?,]\s*)(?:(?:[a-z0-9]{1,3}|[ivxl]{1,5})\s*[.)]\s*|[-+*]\s*)?[\"'“(]?(?:" + words + r")\b")


def _may_name_addressee(text: str) -> bool:
    return _addressee_pretest().search(fold(text)) is not None


def _cue_start(v: View, who: Addressee) -> int:
    """Start of the "Giao / Đề nghị / Yêu cầu" cue right before the addressee (else the addressee)."""
    for start, end in v.cues.items():
        if end < len(v) and v.idx[end] == who.start:
            return v.idx[start]
    return who.start


def _clause_start(v: View, sent: tuple[int, int], who: Addressee) -> int:
    """Start of the clause that holds the addressee (after the last comma before it)."""
    start = v.idx[sent[0]]
    for i in range(*sent):
        if v.idx[i] >= who.start:
            break
        if v.texts[i] == ",":
            start = v.ends[i]
    gap = v.text[start:who.start]
    return start + len(gap) - len(gap.lstrip())


def _found(v: View, start: int, end: int, who: Addressee, predicate: int, ctx: _Context,
           unit_raw: str | None = None) -> _Found:
    raw = v.text[start:end]
    start += len(raw) - len(raw.lstrip())
    duty_text = raw.strip()
    cue = role_of(v, predicate, v.token_at(end))
    timing = find_timing(duty_text, ctx.plan_start, ctx.plan_end)
    spans = []
    if who.start >= start:
        spans.append(("unit", who.start - start, who.end - start))
    if cue.start is not None and cue.end is not None:
        spans.append(("role", cue.start - start, cue.end - start))
    if timing.start is not None and timing.end is not None:
        spans.append(("deadline", timing.start, timing.end))
    return _Found(unit=who.codes, unit_raw=unit_raw if unit_raw is not None else v.text[who.start:who.end],
                  duty=duty_text, role=cue.role, deadline=timing.deadline, spans=tuple(spans))
