"""Plan metadata from prose lines: issuer, commune, province, number, date, title, period, signer."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from normalize.text import clean, fold, LOWER, UPPER

# A name word is a whole capitalised word: "UBND" is not a name "U" ("phường UBND phường").
_NAME_WORD = rf"(?:[{UPPER}][{LOWER}]*(?![^\W\d_])|\d+)"
_NAME = rf"({_NAME_WORD}(?:\s+{_NAME_WORD})*)"
# No leading \b: it makes the engine test every position (~3x slower on long paragraphs);
# these words never occur inside another Vietnamese word (syllables are space-separated).
_UNIT_WORDS = ("xã", "phường", "thị trấn", "đặc khu")
# One pattern per unit word: a pattern that starts with a literal is found by a fast substring
# scan, where an alternation is tried at every "t" and "p" of the text (~3x slower on prose).
_UNIT_PATTERNS = tuple((word, re.compile(word + r"\s+" + _NAME)) for word in _UNIT_WORDS)
_PROVINCE_NAME = re.compile(r"\b(?:tỉnh|Tỉnh)\s+" + _NAME)
_CITY_NAME = re.compile(r"\b[Tt]hành phố\s+(Hà Nội|Hồ Chí Minh|Hải Phòng|Đà Nẵng|Cần Thơ|Huế)")
_NUMBER = re.compile(rf"(?:\bSố|\bsố)\s*:?\s*([0-9A-Za-zĐđ.\-]*)\s*/\s*((?:KH|QĐ|TB|BC|CV|KL|TTr|NQ)\s*-\s*[{UPPER}]+(?:\s*-\s*[{UPPER}]+)?)")
_NUMBER_HINT = re.compile(r"/\s*(?:KH|QĐ|TB|BC|CV|KL|TTr|NQ)")   # cheap literal-led pre-test
_DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*(\d{4})", re.IGNORECASE)
_DATE_NUMERIC = re.compile(r"ngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_PERIOD_RANGE = re.compile(r"(?:giai đoạn|giai doan|thời kỳ)?\s*(\d{4})\s*[-–—]\s*(\d{4})")


_YEAR = re.compile(r"\bnăm\s+(\d{4})\b")
_ROLE = re.compile(r"^(?:(?:TM|KT|Q|TL|TUQ)\s*\.\s*)?(PHÓ CHỦ TỊCH|CHỦ TỊCH|ỦY BAN NHÂN DÂN.*|PHÓ TRƯỞNG BAN|TRƯỞNG BAN)\s*$")
_ANNEX_REF = re.compile(r"^\W*Kèm theo (?:Kế hoạch|Quyết định)", re.IGNORECASE)


@dataclass
class PlanMetadata:
    issuer: str | None = None
    commune: str | None = None
    province: str | None = None
    level: str = "commune"
    number: str | None = None
    number_blank: bool = False
    issued_date: str | None = None
    header_date: str | None = None
    annex_date: str | None = None
    header_number: str | None = None
    annex_number: str | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    signer_name: str | None = None
    signer_role: str | None = None
    signer_found: bool = False
    kind: str = "unknown"          # plan | decision | report | letter | notice | other | unknown
    # Date texts that name no real day ("ngày 99 tháng 01 năm 2025": an OCR or typing slip):
    # left out of the metadata and reported, never passed on as a value.
    invalid_dates: list[str] = field(default_factory=list)


def _title_case(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def _date_value(match: re.Match[str] | None) -> str | None:
    """'YYYY-MM-DD' (or 'YYYY-MM' / 'YYYY' when the day or month is left blank); None for a
    day or month that does not exist."""
    if not match:
        return None
    d, m, y = match.group(1), match.group(2), match.group(3)
    if m and not (1 <= int(m) <= 12):
        return None
    if d and m:
        try:
            return date(int(y), int(m), int(d)).isoformat()
        except ValueError:
            return None
    if m:
        return f"{int(y):04d}-{int(m):02d}"
    return f"{int(y):04d}"


def _read_date(match: re.Match[str] | None, meta: PlanMetadata) -> str | None:
    """The date of a match; an impossible one is kept aside, as printed, for an issue."""
    value = _date_value(match)
    text = " ".join(match.group(0).split()) if match else ""
    if match and value is None and (match.group(2) or match.group(1)) and text not in meta.invalid_dates:
        meta.invalid_dates.append(text)
    return value


def _completeness(value: str | None) -> int:
    return len(value or "")


def extract_metadata(lines: list[str]) -> PlanMetadata:
    """Metadata from the document's prose lines (letterhead, title, signature, annex header)."""
    meta = PlanMetadata()
    texts = [t for t in map(clean, lines) if t]
    head = texts[:60]

    _issuer(texts, head, meta)
    _number_and_date(texts, meta)
    _title_and_period(head, texts, meta)
    _signer(texts, meta)
    return meta


def _issuer(texts: list[str], head: list[str], meta: PlanMetadata) -> None:
    """Who issued it: level, commune, province, issuer (in place)."""
    communes: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    issuing: list[str] = []          # names in "UBND xã X" / "Ủy ban nhân dân phường Y"
    for t in texts:
        for start, kind, name in _unit_mentions(t):
            name = _trim_name(name)
            if name:
                communes[name] += 1
                kinds.setdefault(name, kind)
                if _ISSUER_BEFORE.search(t[max(0, start - 40):start]):
                    issuing.append(name)
    letterhead_unit = _letterhead_unit(head)
    provinces: Counter[str] = Counter()
    for t in texts:
        if "ỉnh" in t:
            for name in _PROVINCE_NAME.findall(t):
                name = _trim_name(name)
                if name:
                    provinces[name] += 1
        if "hành phố" in t:       # "thành phố" / "Thành phố"
            for name in _CITY_NAME.findall(t):
                provinces[name] += 1
    if letterhead_unit and letterhead_unit[0] in ("tỉnh", "thành phố"):
        meta.level = "province"
        meta.province = letterhead_unit[1]
        meta.issuer = f"UBND {letterhead_unit[0]} {letterhead_unit[1]}"
    else:
        if letterhead_unit:
            kind, name = letterhead_unit
            meta.commune = name
            kinds.setdefault(name, kind)
        elif communes:
            meta.commune = Counter(issuing).most_common(1)[0][0] if issuing else communes.most_common(1)[0][0]
        if meta.commune is None and _issued_by_province(texts):
            meta.level = "province"
        if provinces:
            meta.province = provinces.most_common(1)[0][0]
        if meta.commune:
            meta.issuer = f"UBND {kinds.get(meta.commune, 'xã')} {meta.commune}"
        elif meta.province and meta.level == "province":
            meta.issuer = f"UBND tỉnh {meta.province}"


def _letterhead_unit(head: list[str]) -> tuple[str, str] | None:
    """(kind, name) of the unit under "ỦY BAN NHÂN DÂN" in the letterhead, if it names one."""
    letterhead_unit = None
    for i, t in enumerate(head[:12]):
        if fold(t).startswith("uy ban nhan dan") or fold(t) == "ubnd":
            # In text read off a two-column letterhead the national motto may come between
            # "ỦY BAN NHÂN DÂN" and "TỈNH LÂM ĐỒNG".
            nxt = next((t2 for t2 in head[i + 1:i + 3] if not _MOTTO.match(fold(t2))), "")
            m = re.match(r"^(XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|TỈNH|THÀNH PHỐ)\s+(.+)$", nxt)
            inline = re.match(r"^(?:ỦY BAN NHÂN DÂN|UBND)\s+(XÃ|PHƯỜNG|TỈNH|THÀNH PHỐ)\s+(.+)$", t)
            m = inline or m
            if m:
                letterhead_unit = (m.group(1).lower(), _title_case(m.group(2)))
            break
    return letterhead_unit


def _number_and_date(texts: list[str], meta: PlanMetadata) -> None:
    """Number and issue date, from the header and from the annex's "kèm theo" line (in place)."""
    for t in texts:
        annex = ("theo" in t or "THEO" in t) and bool(_ANNEX_REF.search(t))
        m = _NUMBER.search(t) if ("ố" in t and _NUMBER_HINT.search(t)) else None
        if m and (annex or t.lstrip().startswith(("Số", "số"))):
            kind = re.sub(r"\s+", "", m.group(2))
            number = f"{m.group(1)}/{kind}" if m.group(1) else ""
            if annex and meta.annex_number is None:
                meta.annex_number = number
            elif not annex and meta.header_number is None:
                meta.header_number = number
        if annex and meta.annex_date is None:
            meta.annex_date = _read_date(_DATE_NUMERIC.search(t) or _DATE_WORDS.search(t), meta)
        elif meta.header_date is None and re.search(r",\s*ngày", t) and len(t) < 80:
            meta.header_date = _read_date(_DATE_WORDS.search(t) or _DATE_NUMERIC.search(t), meta)
    numbers = [n for n in (meta.header_number, meta.annex_number) if n]
    meta.number = numbers[0] if numbers else None
    meta.number_blank = meta.number is None and (meta.header_number == "" or meta.annex_number == "")
    dates = [d for d in (meta.header_date, meta.annex_date) if d]
    meta.issued_date = max(dates, key=_completeness) if dates else None


def _title_and_period(head: list[str], texts: list[str], meta: PlanMetadata) -> None:
    """Title, kind of document and period (in place)."""
    meta.title = _title(head)
    meta.kind = document_kind(head, texts)
    period_source = meta.title or ""
    rng = _PERIOD_RANGE.search(period_source)
    if rng and int(rng.group(1)) <= int(rng.group(2)):
        meta.period_start, meta.period_end = int(rng.group(1)), int(rng.group(2))
    else:
        year = _YEAR.search(period_source) or re.search(r"\b(20\d{2})\b", period_source)
        if year:
            meta.period_start = meta.period_end = int(year.group(1))
            if _STAGE.search(period_source):
                # "giai đoạn 2026 - 203:" (a garbled scan): the stage's end as the text repeats it
                meta.period_end = _stage_end(texts, meta.period_start) or meta.period_end
        elif meta.issued_date:
            meta.period_start = meta.period_end = int(meta.issued_date[:4])


# Capitalised words that start a new clause after a name ("xã Thường Xuân Về việc …",
# "tỉnh Nghệ An Theo …"). Compared exactly (case and tones): folding makes real name words
# look like them ("Tĩnh" ~ "Tỉnh", "Nam" ~ "Năm", "Vệ" ~ "Về", "Uy" ~ "Ủy", "Trọng" ~ "Trong").
_CLAUSE_WORDS = frozenset({"Về", "Và", "Tỉnh", "Huyện", "Thực", "Theo", "Trên", "Trong", "Của", "Đến",
                           "Ngày", "Số", "Kèm", "Ủy", "UBND", "Hoạch"})
# Words that are also the first syllable of real names ("xã Năm Căn", "xã Giai Xuân",
# "xã Kế Sách", "xã Ban Công"): a clause word only after the name's first word, or when
# followed by their clause partner ("Năm 2026", "Giai Đoạn", "Kế Hoạch", "Ban Hành") or nothing.
_NAME_OR_CLAUSE_WORDS = {"Năm": (), "Giai": ("Đoạn",), "Kế": ("Hoạch",), "Ban": ("Hành", "Chỉ")}


def _ends_name(words: list[str], i: int) -> bool:
    """Whether words[i] is no longer part of the name that words[:i] began."""
    w = words[i]
    if w.isdigit() or w in _CLAUSE_WORDS:
        return True
    partners = _NAME_OR_CLAUSE_WORDS.get(w)
    if partners is None:
        return False
    nxt = words[i + 1] if i + 1 < len(words) else None
    return i > 0 or nxt is None or nxt.isdigit() or nxt in partners


def _trim_name(name: str) -> str:
    words = name.split()
    out: list[str] = []
    for i in range(len(words)):
        if _ends_name(words, i):
            break
        out.append(words[i])
    return " ".join(out[:4])


# "UBND xã X": the issuer's words right before a unit mention (texts are cleaned: one space).
_ISSUER_BEFORE = re.compile(r"(?:UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN)\s+$")


_STAGE = re.compile(r"giai đoạn|thời kỳ", re.IGNORECASE)


def _stage_end(texts: list[str], start: int) -> int | None:
    """The end year the text gives most often to a stage "{start} - …", None when it gives none."""
    ends = Counter(int(m.group(2)) for t in texts if str(start) in t for m in _PERIOD_RANGE.finditer(t)
                   if int(m.group(1)) == start and start < int(m.group(2)) <= start + 10)
    return max(ends, key=lambda end: (ends[end], -end)) if ends else None


def _unit_mentions(text: str) -> list[tuple[int, str, str]]:
    """(position, unit word, name) of every "xã X" / "phường Y" … in the text, in text order."""
    found: list[tuple[int, str, str]] = []
    for word, pattern in _UNIT_PATTERNS:
        if word in text:
            found.extend((m.start(), word, m.group(1)) for m in pattern.finditer(text))
    if len(found) > 1:
        found.sort()
    return found


# "Ủy ban nhân dân tỉnh (Nghệ An) ban hành Kế hoạch …": the province is the subject; the
# name is often left out ("Ủy ban nhân dân tỉnh ban hành Kế hoạch … như sau").
_PROVINCE_ISSUES = re.compile(r"(?:Ủy ban nhân dân|UBND)\s+tỉnh(?:\s+[^,.;]{2,30}?)?\s+(?:ban hành|xây dựng)\s+kế hoạch",
                              re.IGNORECASE)
# A document cited in the preamble ("Căn cứ Quyết định … của UBND tỉnh X ban hành Kế hoạch …")
# names its issuer after "của"; the plan's own issuer is the sentence's subject.
_CITED = re.compile(r"\bcủa\s*$", re.IGNORECASE)
# The annex names its plan's issuer: "(Kèm theo Kế hoạch số 126/KH-UBND … của UBND tỉnh Lâm Đồng)".
_ANNEX_OF_PROVINCE = re.compile(r"Kèm theo Kế hoạch\b.*\bcủa\s+(?:Ủy ban nhân dân|UBND)\s+tỉnh\b", re.IGNORECASE)


def _issued_by_province(texts: list[str]) -> bool:
    """A provincial letterhead or signature block, or (a rendition without the letterhead) the
    opening sentence saying the province issues the plan ("Ủy ban nhân dân tỉnh Nghệ An ban
    hành Kế hoạch …"), or the annex saying whose plan it is attached to."""
    return (any(re.match(r"^(?:(?:TM|T/M)\s*\.\s*)?(?:ỦY BAN NHÂN DÂN|UBND)\s+TỈNH", t) for t in texts)
            or any(_province_subject(t) for t in texts[:40])
            or any(_ANNEX_OF_PROVINCE.search(t) for t in texts if "theo" in t or "THEO" in t))


def _province_subject(text: str) -> bool:
    if "ban hành" not in text.lower() and "xây dựng" not in text.lower():
        return False
    return any(not _CITED.search(text[:m.start()]) for m in _PROVINCE_ISSUES.finditer(text))


_MOTTO = re.compile(r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc)")
# The preamble glued to the title line (a text copy that lost the paragraph break).
_PREAMBLE_INSIDE = re.compile(r"\s(?:Căn cứ|Thực hiện (?:Nghị quyết|Quyết định|Chỉ thị|Công văn|Kế hoạch|"
                              r"Thông tư|Nghị định|Chương trình))\s")


def _title(head: list[str]) -> str | None:
    for i, t in enumerate(head):
        folded = fold(t).strip()
        if folded == "ke hoach" or folded.startswith("ke hoach ") and t[:8].isupper() and len(t) < 200:
            rest = t[len("KẾ HOẠCH"):].strip(" :")
            if rest:
                return rest
            for nxt in head[i + 1:i + 4]:
                glued = _PREAMBLE_INSIDE.search(nxt)
                if glued and 0 < glued.start() < 200:
                    nxt = nxt[:glued.start()]
                if nxt and not re.match(r"^(?:Căn cứ|I\.|-)", nxt) and not _PREAMBLE.match(nxt):
                    title = nxt
                    return title[:1].upper() + title[1:]
    return None


# "Thực hiện Nghị quyết số 76/NQ-CP …" opens the preamble; "Thực hiện công tác dân vận chính
# quyền năm 2026" is a title.
_PREAMBLE = re.compile(r"^Thực hiện\b.*(?:\bsố\s*\d|\d+/[A-ZĐ]|\b(?:Nghị quyết|Quyết định|Chỉ thị|Công văn|"
                       r"Kế hoạch|Thông tư|Nghị định|Chương trình)\s+số\b)|^.{200,}", re.IGNORECASE)


def _signer(texts: list[str], meta: PlanMetadata) -> None:
    # The signature block closes the main text: the last role line before the annex.
    end = next((i for i, t in enumerate(texts) if _ANNEX_REF.search(t)), len(texts))
    role_index = None
    for i in range(end - 1, -1, -1):
        t = texts[i].strip("* ")
        if _ROLE.match(t) and i > 5:
            role_index = i
            if not t.upper().startswith(("TM", "KT", "Q.", "TL", "ỦY BAN")):
                break
    if role_index is None:
        return
    meta.signer_found = True
    # Role: the signer's own title; "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" -> "PHÓ CHỦ TỊCH".
    j = role_index
    while j + 1 < end and _ROLE.match(texts[j + 1].strip("* ")):
        j += 1
    role_line = texts[j].strip("* ")
    m = _ROLE.match(role_line)
    role = m.group(1) if m else role_line
    meta.signer_role = None if role.startswith("ỦY BAN") else role
    for t in texts[j + 1:min(j + 8, end)]:
        t = t.strip("* ")
        if re.match(r"^\(?(?:đã ký|Đã ký|ký|Ký)", t) or not t:
            continue
        if t.startswith(("-", "+", "•")) or t.startswith(("Lưu", "Nơi nhận")):
            continue      # the recipients list, read between the role and the name (a page break)
        if re.match(rf"^(?:[{UPPER}][{LOWER}]+|[{UPPER}]+)(?:\s+(?:[{UPPER}][{LOWER}]+|[{UPPER}]+)){{1,4}}$", t) \
                and not _ROLE.match(t) and "Nơi nhận" not in t:
            meta.signer_name = _title_case(t) if t.isupper() else t
        break


# Document type words that open the title block, and number suffixes ("Số: 12/BC-UBND").
_KIND_TITLES = [
    ("ke hoach", "plan"), ("chuong trinh", "plan"), ("quyet dinh", "decision"), ("bao cao", "report"),
    ("thong bao", "notice"), ("ket luan", "notice"), ("to trinh", "other"), ("bien ban", "other"),
    ("giay moi", "other"), ("nghi quyet", "decision"), ("chi thi", "decision"), ("huong dan", "other"),
    ("cong van", "letter"),
]
_KIND_NUMBERS = {"KH": "plan", "CTr": "plan", "QĐ": "decision", "BC": "report", "TB": "notice",
                 "TTr": "other", "BB": "other", "GM": "other", "NQ": "decision", "CT": "decision",
                 "KL": "notice", "HD": "other"}
_NUMBER_KIND = re.compile(r"\bSố\s*:?\s*[0-9A-Za-z.\-]*\s*/\s*([A-Za-zĐđ]+)(?:\s*-\s*([A-ZĐ]+))?")


def document_kind(head: list[str], texts: list[str]) -> str:
    """What kind of administrative document this is, from its title block and number.

    A decision or letter that issues or attaches a plan ("ban hành Kế hoạch", "Kèm theo Kế
    hoạch") counts as a plan."""
    attaches_plan = any(_ANNEX_REF.search(t) and "hoạch" in t.lower() for t in texts) or any(
        re.search(r"ban hành Kế hoạch|phê duyệt Kế hoạch", t, re.IGNORECASE) for t in head[:25])
    for t in head[:25]:
        folded = fold(t).strip(" *#:")
        for word, kind in _KIND_TITLES:
            if folded == word or (folded.startswith(word + " ") and t[: len(word)].isupper()):
                return "plan" if attaches_plan or kind == "plan" else kind
    for t in head[:15]:
        m = _NUMBER_KIND.search(t)
        if m:
            kind = _KIND_NUMBERS.get(m.group(1))
            if kind is None and m.group(1).upper() in ("UBND", "VP", "SNV"):
                kind = "letter"      # "Số: 123/UBND-VP" is how official letters are numbered
            if kind:
                return "plan" if attaches_plan or kind == "plan" else kind
    if any(re.match(r"^V/v\b", t) for t in head[:15]):
        return "plan" if attaches_plan else "letter"
    return "plan" if attaches_plan else "unknown"
