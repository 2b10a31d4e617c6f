"""Department mentions -> codes, from the registry in normalize/data/departments.csv.

A cell can name several units ("Phòng VH-XH; các thôn"), with abbreviations (VH-XH, HCC,
DVC, HĐND), joiners ("&", "và", "–"), old/new tone marks, missing diacritics, a trailing
"xã" and small typos. Matching works on folded word tokens: abbreviations are expanded,
the longest registry alias wins, filler words ("liên quan", "trên địa bàn xã") are absorbed,
and what is left is fuzzy-matched (normalize/department_fuzzy.py); below the threshold a
mention keeps no code.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from normalize.department_fuzzy import NearSpellings, level_rank
from normalize.text import clean, fold
from normalize.unit_names import registry_rows

_WORDS = tomllib.loads(resources.files("normalize").joinpath("data/department_words.toml").read_text("utf-8"))
# Abbreviation -> expansion (folded words), and the ones that read differently next to another
# (token, neighbour before, neighbour after, expansion; None = any): normalize/data/department_words.toml
_ABBREVIATIONS: dict[str, str] = _WORDS["abbreviations"]
_IN_CONTEXT = [(t, b or None, a or None, e) for t, b, a, e in _WORDS["context"]["expansions"]]
_JOINERS = {"va", "&", "-", "–", "—", "/", ","}
_WORD = re.compile(r"\w+")   # the word tokens of _tokens
_FILLER = set(_WORDS["filler"]["words"])     # may trail or lead a unit name without changing it
_SEPARATORS = {";", ".", "+", "(", ")", ":", "\n"}
_REFERENCE = re.compile(r"^\s*(?:theo\s+(?:phân công|phan cong|quy định|quyết định|kế hoạch)|như\s+(?:phân công|tại))",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Department:
    code: str
    level: str               # commune | province | any
    canonical_name: str


@dataclass(frozen=True)
class Match:
    codes: list[str]                 # in printed order, no duplicates
    unknown: list[str]               # mentions that matched no code (raw text)
    by_reference: bool = False       # the cell only refers to another document


def _tokens(text: str) -> list[str]:
    """Folded word tokens with separators and joiners kept as their own tokens; abbreviations
    expanded ("P. VH-XH" -> phong van hoa - xa hoi)."""
    printed = re.findall(r"\w+|[;.+():&/,\-–—\n]", clean(text))
    raw = [fold(tok) for tok in printed]
    out: list[str] = []
    for k, tok in enumerate(raw):
        if tok in _ABBREVIATIONS and not _plain(printed[k]):
            out.append(tok)   # "Cả" (năm) is a word, not "CA" (Công an): abbreviations carry no tone marks
            continue
        if tok == "." and out and (out[-1] == "phong" and k >= 1 and raw[k - 1] == "p"
                                   or k + 1 < len(raw) and raw[k + 1] in _JOINERS):
            continue        # the dot of "P." (Phòng), or a stray dot before "và", "-", "&"
        if tok == "p" and k + 1 < len(raw) and raw[k + 1] == ".":
            out.append("phong")
            continue
        out.extend(_expand(tok, raw, k).split())
    return out


def _plain(token: str) -> bool:
    """Written without tone or vowel marks (đ aside): how abbreviations are printed."""
    return token.replace("đ", "d").replace("Đ", "D").isascii()


def _expand(tok: str, raw: list[str], k: int) -> str:
    if tok not in _ABBREVIATIONS:
        return tok

    def neighbour(step: int) -> str | None:
        j = k + step
        while 0 <= j < len(raw) and raw[j] in _JOINERS:
            j += step
        return raw[j] if 0 <= j < len(raw) else None

    before, after = neighbour(-1), neighbour(1)
    for word, want_before, want_after, expansion in _IN_CONTEXT:
        if word == tok and want_before in (None, before) and want_after in (None, after):
            return expansion
    return _ABBREVIATIONS[tok]


def _words(tokens: list[str]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in _JOINERS and t not in _SEPARATORS)


@dataclass(frozen=True)
class _Alias:
    words: tuple[str, ...]
    code: str
    level: str
    dropped: str | None = None      # the trailing level word ("xa", "tinh") this alias was made without


class Registry:
    def __init__(self, departments: list[Department], aliases: list[_Alias]):
        self.departments = {d.code: d for d in departments}
        self._by_first: dict[str, list[_Alias]] = {}
        # The same lists split by the alias's second word (one-word aliases under None): alias
        # words are never joiners, so a name's second word is the next non-joiner token.
        self._by_two: dict[tuple[str, str | None], list[_Alias]] = {}
        for alias in sorted(set(aliases), key=lambda a: (-len(a.words), a.code, a.words)):
            self._by_first.setdefault(alias.words[0], []).append(alias)
            second = alias.words[1] if len(alias.words) > 1 else None
            self._by_two.setdefault((alias.words[0], second), []).append(alias)
        self._all = sorted(set(aliases), key=lambda a: (a.words, a.code))
        self._one_word = {first for first, second in self._by_two if second is None}
        self._abbreviation_starts = _abbreviation_starts(set(self._by_first) | {"cac"})
        self.near_spellings = NearSpellings(self._all, _ABBREVIATIONS)   # fuzzy matching

    # -- matching ---------------------------------------------------------------------
    def may_name_units(self, text: str) -> bool:
        """False only when match(text, fuzzy=False) surely finds no code: no word starts a
        collective ("các …") or a one-word name, no two words in a row (joiners skipped) start
        a longer name, and no abbreviation may expand into one. A cheap test on the printed
        words (~1/6 of a match) for callers that weigh many candidate texts."""
        cleaned = clean(text)
        if "(" in cleaned:
            return True       # a role note dropped from between two words joins them
        previous: str | None = None     # the word before, when a name can start with it
        for word in _WORD.findall(cleaned):
            folded = fold(word)
            if folded == "va" or not folded:
                continue      # a joiner, skipped by the alias lookup too
            if folded in self._one_word or folded == "cac":
                return True
            if folded in _ABBREVIATIONS or folded == "p":
                if previous is not None or folded in self._abbreviation_starts:
                    return True
                previous = None
                continue
            if previous is not None and (previous, folded) in self._by_two:
                return True
            previous = folded if folded in self._by_first else None
        return False

    def match(self, text: str, level: str = "commune", fuzzy: bool = True) -> Match:
        """Codes of the units `text` names; `fuzzy` also tries near spellings (OCR slips),
        the costly part, which a caller weighing many candidate texts may leave out."""
        cleaned = clean(text)
        if not cleaned:
            return Match([], [])
        if _REFERENCE.match(_strip_marks(cleaned)):
            return Match([], [], by_reference=True)
        tokens = self._drop_titles(_drop_role_notes(_distribute(_tokens(cleaned))), level)
        mentions = _Mentions(self, level, fuzzy)
        codes, pending = mentions.codes, mentions.pending
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok in _SEPARATORS:
                mentions.flush(join_next=tok in "()")
                i += 1
                continue
            found = self._longest_at(tokens, i, level) if tok in self._by_first else None  # most start no name
            if found is None:
                mentions.word(tok)
                i += 1
                continue
            alias, end = found
            if pending and _collective_prefix(pending) and alias.code in ("ALL_UNITS",):
                pending.clear()
            qualifier = (pending[-1] == "thuoc") if pending else (i > 0 and tokens[i - 1] == "thuoc")
            mentions.flush()
            i = end
            if qualifier and codes:
                continue          # "Các phòng, ban thuộc UBND xã": whose units, not another unit
            _add(codes, alias.code)
            mentions.joinable = False
            # absorb filler that trails the name ("liên quan", "trên địa bàn xã")
            while i < len(tokens) and tokens[i] in _FILLER and self._longest_at(tokens, i, level) is None:
                i += 1
            i = self._skip_qualifier(tokens, i, level, alias.code)
        mentions.flush()
        return Match(codes, mentions.unknown)

    def _drop_titles(self, tokens: list[str], level: str) -> list[str]:
        """Leaders' titles before a unit ("Phó Chủ tịch UBND xã", "Các đồng chí Phó Chủ tịch
        UBND phường", "Chủ tịch, các Phó Chủ tịch UBND xã", "Lãnh đạo Phòng Kinh tế") name
        that unit: the titles go, the unit stays. A run of title words is dropped only when it
        holds a whole title and a unit's name starts right after what is dropped."""
        present = set(tokens)
        if not any(a in present and b in present for a, b in _TITLE_PAIRS):
            return tokens     # no title to drop (most cells): skip the walk
        out: list[str] = []
        i = 0
        while i < len(tokens):
            starts_run = tokens[i] in _TITLE_WORDS and (not out or out[-1] in _SEPARATORS or out[-1] in _JOINERS)
            end = i
            while starts_run and end < len(tokens) and (tokens[end] in _TITLE_WORDS or tokens[end] in _TITLE_JOINERS):
                end += 1
            run = [t for t in tokens[i:end] if t not in _TITLE_JOINERS]
            if starts_run and any(pair in _TITLE_PAIRS for pair in pairwise(run)):
                unit = next((j for j in range(i + 1, end + 1) if tokens[j - 1] not in _TITLE_JOINERS
                             and j < len(tokens) and self._longest_at(tokens, j, level) is not None), None)
                if unit is not None:
                    i = unit
                    continue
            out.append(tokens[i])
            i += 1
        return out

    def _skip_qualifier(self, tokens: list[str], i: int, level: str, code: str) -> int:
        """Index after what qualifies the unit just matched: a place name ("Thuế tỉnh Nghệ An",
        "Ban Quản lý Khu kinh tế Đông Nam") up to the next separator or joiner, or a
        parenthesised note ("Sở Nội vụ (Ban Thi đua - Khen thưởng)") naming no other unit.
        Words of an organisation ("công ty", "ngân hàng") are never a qualifier."""
        if i < len(tokens) and tokens[i] == "(":
            close = tokens.index(")", i) if ")" in tokens[i:] else -1
            inside = tokens[i + 1:close] if close > i else []
            named = {found[0].code for k in range(i + 1, close)
                     if (found := self._longest_at(tokens, k, level)) is not None}
            if inside and named <= {code} and not _PARTY.intersection(inside):
                return close + 1      # a part or an old name of the unit, not a unit of its own
            return i
        k = i
        while k < len(tokens) and tokens[k] not in _SEPARATORS and tokens[k] not in _JOINERS \
                and self._longest_at(tokens, k, level) is None:
            k += 1
        words = tokens[i:k]
        # "… 5 thành phố Hà Nội": a number, then a place word and its name
        place = [w for w in words if not w.isdigit()][:1] in (["tinh"], ["thanh"], ["huyen"], ["quan"], ["thi"])
        if 0 < len(words) <= (5 if place else 3) and not _PARTY.intersection(words) \
                and not _UNIT_WORDS.intersection(words):
            return k
        return i

    def _longest_at(self, tokens: list[str], i: int, level: str) -> tuple[_Alias, int] | None:
        first = tokens[i]
        if first not in self._by_first:
            return None
        j = i + 1
        while j < len(tokens) and tokens[j] in _JOINERS:
            j += 1
        # only the aliases whose second word comes next, then the one-word aliases (longer
        # first, as in _by_first: the order decides ties below)
        candidates = self._by_two.get((first, tokens[j]), []) if j < len(tokens) else []
        candidates = candidates + self._by_two.get((first, None), [])
        best: tuple[_Alias, int] | None = None
        for alias in candidates:
            j, k = i, 0
            while k < len(alias.words) and j < len(tokens):
                if tokens[j] in _JOINERS and tokens[j] != alias.words[k]:
                    j += 1
                    continue
                if tokens[j] != alias.words[k]:
                    break
                j += 1
                k += 1
            if k == len(alias.words):
                if alias.dropped and j < len(tokens) and \
                        _LEVEL_WORDS.get(tokens[j], _LEVEL_WORDS[alias.dropped]) != _LEVEL_WORDS[alias.dropped]:
                    continue      # "… thuộc UBND xã" is not the "… thuộc UBND tỉnh" alias
                if best is None or len(alias.words) > len(best[0].words) or (
                        len(alias.words) == len(best[0].words) and level_rank(alias.level, level)
                        < level_rank(best[0].level, level)):
                    best = (alias, j)
        return best

    def _collective(self, words: list[str]) -> str | None:
        if words[:1] != ["cac"] or len(words) < 2:
            return None
        second = words[1]
        if second in ("so",):
            return "CAC_SO_NGANH"
        if second in ("xa", "phuong"):
            return "UBND_CAP_XA"
        if second in ("thon", "khu", "to"):
            return "THON"
        if second in ("phong", "co", "don", "ban", "nganh", "bo", "trung"):
            return "ALL_UNITS"
        return None


class _Mentions:
    """The codes and the unknown mentions of a cell, as Registry.match reads its tokens."""

    def __init__(self, registry: Registry, level: str, fuzzy: bool):
        self.registry, self.level, self.fuzzy = registry, level, fuzzy
        self.codes: list[str] = []
        self.unknown: list[str] = []
        self.pending: list[str] = []     # unmatched word tokens of the current mention
        # Whether the last mention was unknown and the next one may belong to the same party
        # ("Ngân hàng … Đầu tư và Phát triển Việt Nam (BIDV)": one name, not three).
        self.joinable = False

    def word(self, tok: str) -> None:
        """A token that starts no name: a joiner may end the mention, a word joins it."""
        pending = self.pending
        if tok == "," and pending and pending[-1] in ("cac",):
            return
        if tok in _JOINERS and tok != "-":
            if tok == ",":
                # "Các cơ quan, đơn vị liên quan" is one collective mention.
                if not _collective_prefix(pending):
                    self.flush()
            elif tok == "va":
                self.flush(join_next=True)
            return
        if tok == "-":
            self.flush()
            return
        pending.append(tok)

    def flush(self, join_next: bool = False) -> None:
        """End the current mention: a collective, a near spelling of a name, or unknown."""
        codes, unknown = self.codes, self.unknown
        words = [w for w in self.pending if w not in _JOINERS]
        self.pending.clear()
        collective = self.registry._collective(words) if words else None   # "các đơn vị": all filler words
        if not collective and not [w for w in words if w not in _FILLER]:
            self.joinable = self.joinable and join_next
            return
        if not collective and codes and codes[-1] in _COLLECTIVE_CODES and _described_units(words):
            self.joinable = False   # "Các phòng, ban, đơn vị được kiểm tra": the list's last item
            return
        code = collective or (self.registry.near_spellings.closest(words, self.level) if self.fuzzy else None)
        if code:
            _add(codes, code)
            self.joinable = False
        elif self.joinable and unknown:
            unknown[-1] += " " + " ".join(words)
            self.joinable = join_next
        else:
            unknown.append(" ".join(words))
            self.joinable = join_next


# Party names, unit first words, leaders' titles, role notes: normalize/data/department_words.toml
_PARTY = set(_WORDS["party"]["words"])              # a party of its own, never a qualifier
_UNIT_WORDS = set(_WORDS["unit_starts"]["words"])   # "Phòng Kinh tế Phòng ABC" is two units
_TITLE_WORDS = set(_WORDS["titles"]["words"])
_TITLE_PAIRS = {tuple(pair) for pair in _WORDS["titles"]["pairs"]}
_TITLE_JOINERS = set(_WORDS["titles"]["joiners"])
_ROLE_NOTES = {tuple(phrase) for phrase in _WORDS["role_notes"]["phrases"]}
_COLLECTIVE_CODES = {"ALL_UNITS", "CAC_SO_NGANH", "UBND_CAP_XA"}


def _described_units(words: list[str]) -> bool:
    """"đơn vị được kiểm tra", "cơ quan được giao": filler unit words, then what is said of
    them after "được" (a passive verb), which names no unit."""
    if "duoc" not in words:
        return False
    head = words[:words.index("duoc")]
    return bool(head) and all(w in _FILLER for w in head)


def _drop_role_notes(tokens: list[str]) -> list[str]:
    """Drop "( Trưởng đoàn )" and the like: a role note names no unit (its words "trưởng",
    "đoàn" would otherwise read as a party's name and be kept as an unknown unit)."""
    if "(" not in tokens:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "(" and ")" in tokens[i + 1:i + 5]:
            close = tokens.index(")", i + 1)
            if tuple(tokens[i + 1:close]) in _ROLE_NOTES:
                i = close + 1
                continue
        out.append(tokens[i])
        i += 1
    return out


def _distribute(tokens: list[str]) -> list[str]:
    """"Các Sở: Tài chính, Tư pháp" -> "Sở Tài chính, Sở Tư pháp" (the head word of a
    collective followed by a colon applies to each name of the list)."""
    if "cac" not in tokens:
        return tokens         # no collective to distribute (most cells)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "cac" and i + 2 < len(tokens) and tokens[i + 1] in ("so", "phong") \
                and tokens[i + 2] == ":":
            head = tokens[i + 1]
            i += 3
            out.append(head)
            while i < len(tokens) and tokens[i] not in (";", "\n", "."):
                out.append(tokens[i])
                if tokens[i] in (",", "va", "&") and i + 1 < len(tokens) and tokens[i + 1] != head:
                    out.append(head)
                i += 1
            continue
        out.append(tokens[i])
        i += 1
    return out


def _strip_marks(text: str) -> str:
    return text.lstrip("-+•* ").strip()


def _collective_prefix(words: list[str]) -> bool:
    return bool(words) and words[0] == "cac"


def _add(codes: list[str], code: str) -> None:
    if code not in codes:
        codes.append(code)


_LEVEL_WORDS = {"xa": "commune", "phuong": "commune", "tinh": "province"}   # trailing word -> level


def _abbreviation_starts(starts: set[str]) -> frozenset[str]:
    """Abbreviations that may stand for (or expand to) a word of `starts`; "p" is "phòng"."""
    expansions: dict[str, set[str]] = {short: {short, *long.split()} for short, long in _ABBREVIATIONS.items()}
    for short, _before, _after, long in _IN_CONTEXT:
        expansions[short].update(long.split())
    return frozenset(short for short, words in expansions.items() if words & starts) | {"p"}


@lru_cache(maxsize=1)
def registry() -> Registry:
    departments: list[Department] = []
    aliases: list[_Alias] = []
    for code, level, names in registry_rows():
        dept = Department(code, level, names[0])
        departments.append(dept)
        for name in names:
            words = _words(_tokens(name))
            if not words:
                continue
            aliases.append(_Alias(words, dept.code, dept.level))
            # The same name without its trailing level word ("… xã", "… tỉnh") also counts.
            if len(words) > 2 and words[-1] in _LEVEL_WORDS:
                aliases.append(_Alias(words[:-1], dept.code, dept.level, dropped=words[-1]))
    return Registry(departments, aliases)


def may_name_units(text: str) -> bool:
    """False when match_departments(text, fuzzy=False) surely finds no code (Registry.may_name_units)."""
    return registry().may_name_units(text)


def match_departments(text: str, level: str = "commune", fuzzy: bool = True) -> Match:
    """Codes of the units a cell names (see module doc). Never raises."""
    cached = _cached_match(text, level, fuzzy)
    return Match(list(cached.codes), list(cached.unknown), cached.by_reference)


@lru_cache(maxsize=16384)   # the same unit cells repeat on most rows of a plan
def _cached_match(text: str, level: str, fuzzy: bool = True) -> Match:
    try:
        return registry().match(text, level, fuzzy)
    except Exception:  # a matcher bug must not lose the row: keep the raw text instead
        return Match([], [clean(text)] if clean(text) else [])
