"""Word lists for recovering annex tables from layout-flattened text (parsers.text.layout_table).

General Vietnamese administrative vocabulary only: the words typical of each column of a task
table (agency names, deadline phrases, product names). Keys are lower-case, NFC, in the
"hóa" / "ủy" tone convention, with surrounding punctuation removed (see `word_key`).
Weights are affinities: how much more likely the word is in that column than in running text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words of agency names (lead / coordinating columns).
AGENCY = {
    "phòng": 2.0, "văn": 0.6, "trung": 1.2, "tâm": 1.2, "ubnd": 1.4, "hđnd": 1.6,
    "hđnd&ubnd": 2.5, "ubnd&hđnd": 2.5, "hđnd-ubnd": 2.5, "các": 0.8, "ban": 1.2, "đơn": 0.6,
    "vị": 0.6, "chuyên": 1.2, "môn": 1.5, "liên": 0.8, "quan": 0.8, "quan;": 0.8, "ngành": 1.2,
    "đoàn": 1.2, "thể": 0.6, "thôn": 1.2, "thôn/khu": 1.5, "thôn/tổ": 1.5, "mttq": 2.0,
    "mặt": 0.8, "trận": 1.2, "quốc": 0.3, "công": 0.2, "an": 0.4, "quân": 0.5, "sự": 0.3,
    "xã": 0.9, "hội": 0.9, "hóa": 0.5, "hóa-": 1.5, "kinh": 0.9, "tế": 0.9, "vh-xh": 2.5,
    "vh-": 2.5, "vh": 2.0, "xh": 2.0, "vhxh": 2.5, "vhxxh": 2.5, "hcc": 2.0, "phục": 0.8,
    "vụ": 0.8, "cung": 0.8, "ứng": 0.6, "dvc": 1.5, "cấp": 0.5, "tổ": 0.4, "sở": 0.8,
    "nội": 0.4, "ủy": 0.8, "y": 0.4, "trạm": 1.5, "trường": 0.8, "khu": 0.8, "phố": 0.8,
    "&": 1.0, "–": 0.5, "bộ": 0.3, "phận": 0.8, "tư": 0.3, "pháp": 0.3, "tài": 0.2,
    "chính": 0.3, "hành": 0.2, "đảng": 0.6, "ủy,": 0.6, "tct": 1.0, "tổ công tác": 0.0,
    "bch": 1.5, "đơn vị": 0.0, "cơ": 0.3, "thuế": 0.4, "kho": 0.4, "bạc": 0.6,
    # abbreviated unit names: "P. VH-XH", "VP HĐND-UBND", "TT PVHCC", "UBMTTQ", "Hội LHPN"
    "p": 1.5, "vp": 2.0, "tt": 1.0, "pvhcc": 2.0, "ubmttq": 2.0, "lhpn": 1.5, "ccb": 1.2,
    "bhxh": 1.5, "kt": 1.0, "chủ": 0.3, "tịch": 0.6, "hđnd-": 2.0,
}

DEADLINE = {
    "thường": 2.0, "xuyên": 2.5, "quý": 2.5, "tháng": 1.8, "hằng": 1.2, "hàng": 1.0,
    "năm": 1.2, "ngày": 1.0, "trước": 1.5, "cả": 2.0, "trong": 0.4, "theo": 0.6,
    "hướng": 0.6, "dẫn": 0.6, "yêu": 0.4, "cầu": 0.4, "từ": 0.6, "đến": 0.4, "sau": 0.8,
    "khi": 0.4, "định": 0.4, "kỳ": 0.8, "chậm": 1.0, "nhất": 0.8, "hoàn": 0.3, "thành": 0.3,
    "đầu": 0.4, "cuối": 0.8, "giai": 0.2, "đoạn": 0.2, "tuần": 1.0, "liên": 0.2, "tục": 0.2,
}

PRODUCTS = {
    "-": 1.2, "+": 0.6, "kế": 0.8, "hoạch": 0.8, "hoạch;": 0.8, "báo": 1.2, "cáo": 1.2,
    "quyết": 0.8, "định": 0.5, "bản": 0.8, "thông": 0.3, "nghị": 0.6, "tờ": 1.0,
    "trình": 0.5, "đề": 0.4, "án": 0.4, "kết": 0.8, "quả": 0.8, "thực": 0.2, "hiện": 0.2,
    "liệu": 0.6, "danh": 0.6, "mục": 0.6, "nhật": 1.0, "ký": 0.8, "ảnh": 0.8, "hình": 0.4,
    "sơ": 0.4, "chế": 0.4, "công": 0.2, "văn": 0.3, "thẩm": 0.6, "quyền": 0.6, "có": 0.2,
    "tỷ": 0.5, "lệ": 0.4, "chương": 0.4, "hội": 0.2, "tập": 0.2, "huấn": 0.2,
}

CONTENT = {
    "triển": 0.5, "khai": 0.5, "tăng": 0.5, "cường": 0.5, "xây": 0.4, "dựng": 0.4,
    "rà": 0.6, "soát": 0.6, "nâng": 0.6, "cao": 0.5, "tiếp": 0.4, "tục": 0.4, "đẩy": 0.6,
    "mạnh": 0.6, "kiểm": 0.4, "tra": 0.4, "theo": 0.2, "dõi": 0.5, "đôn": 0.5, "đốc": 0.5,
    "giải": 0.3, "quyết": 0.2, "thủ": 0.4, "pháp": 0.3, "luật": 0.5,
    "nhằm": 0.8, "đảm": 0.4, "bảo": 0.3, "hiệu": 0.4, "quả": 0.2, "trên": 0.4, "địa": 0.4,
    "bàn": 0.4, "việc": 0.3, "về": 0.3, "và": 0.3, "với": 0.3, "cho": 0.3, "người": 0.5,
    "dân": 0.5, "doanh": 0.5, "nghiệp": 0.4, "tổ": 0.2, "chức": 0.3, "cán": 0.4, "bộ": 0.2,
    "viên": 0.3, "trách": 0.4, "nhiệm": 0.4, "quy": 0.2, "phạm": 0.5, "điện": 0.3, "tử": 0.3,
    "số": 0.2, "chuyển": 0.4, "đổi": 0.4, "ứng": 0.2, "dụng": 0.3, "nghệ": 0.3,
}

# The lead column names one unit ("Phòng Văn hóa - Xã hội", "Văn phòng HĐND&UBND xã"); the
# coordinating column is more often a plural list ("Các phòng, ban chuyên môn liên quan").
LEAD = dict(AGENCY)
LEAD.update({"các": 0.0, "liên": 0.2, "quan": 0.2, "quan;": 0.2, "môn": 0.7, "chuyên": 0.6,
             "ngành": 0.5, "đoàn": 0.5, "thôn": 0.3, "văn": 0.9, "phòng": 2.2, "trung": 1.4})
COORDINATING = dict(AGENCY)
COORDINATING.update({"các": 1.6, "liên": 1.2, "quan": 1.2, "quan;": 1.4, "môn": 1.6,
                     "chuyên": 1.5, "ngành": 1.5, "đoàn": 1.5, "thôn": 1.5, "văn": 0.3,
                     "phòng": 1.6, "trung": 0.9, "hđnd&ubnd": 1.0})

# Role -> (word weights, score of a word not in the list)
ROLE_LEXICON = {
    "content": (CONTENT, 0.0),
    "products": (PRODUCTS, -0.5),
    "lead": (LEAD, -1.6),
    "coordinating": (COORDINATING, -1.4),
    "deadline": (DEADLINE, -2.2),
    # a column of units that is neither lead nor coordinating ("Đơn vị được kiểm tra")
    "units": (AGENCY, -1.4),
}
OTHER_ROLE = ({}, -0.8)     # notes, monitor and unknown columns

# Words that start an agency name / a deadline phrase / a product: a cell's first line.
AGENCY_STARTS = {"phòng", "văn", "trung", "các", "ubnd", "hđnd", "ủy", "ban", "công", "đoàn",
                 "mttq", "ủy", "sở", "bộ", "tổ", "trạm", "trường", "đảng", "chi", "quân", "bch",
                 "thường", "hội", "cơ", "đơn", "-", "hđnd&ubnd", "thôn", "p", "vp", "tt", "ubmttq",
                 "chủ"}
DEADLINE_STARTS = {"cả", "thường", "quý", "tháng", "trước", "theo", "trong", "hằng", "hàng",
                   "từ", "sau", "năm", "định", "đến", "chậm", "ngày", "-", "liên"}

# Capitalised words that open a new agency name ("… Phục | Các Phòng ban …").
AGENCY_OPENERS = {"các", "trung", "ubnd", "ủy", "đoàn", "mttq", "công", "tổ", "sở", "phòng",
                  "văn", "bch", "đảng", "hđnd", "hđnd&ubnd", "trạm", "cơ", "đơn", "p", "vp", "tt",
                  "ubmttq"}


STRONG_OPENERS = {"các", "phòng", "văn", "trung", "sở", "đoàn", "mttq", "công", "tổ", "ủy", "bch",
                  "đảng", "trạm", "cơ", "đơn"}


def dash_kind(prev_token: str, prev_key: str, next_token: str, next_key: str,
              known_pair: bool) -> str:
    """What a free-standing dash between two words is: "bullet" (opens the next fragment),
    "internal" ("HĐND - UBND", "Văn hóa - Xã hội", "2025 - 2030") or "trailing" (ends a name
    broken after it, another column following: "Phòng Văn hóa - | Các phòng …").
    `known_pair`: the two words are seen around a dash / side by side in the prose."""
    if prev_token.endswith((".", ";", ":", ",")):
        return "bullet"
    first = next((ch for ch in next_token if ch.isalnum()), "")
    if first.isdigit() and prev_key[-1:].isdigit():
        return "internal"
    if known_pair:
        return "internal"
    if first.islower():
        return "trailing"
    if (prev_key in AGENCY or prev_key.rstrip("-–") in AGENCY) and next_key in AGENCY:
        return "trailing" if next_key in STRONG_OPENERS else "internal"
    return "bullet"


def agency_boundary(prev_key: str, key: str, next_key: str, token: str) -> float:
    """Bonus for cutting between two agency names: `token` opens a new one after agency words."""
    if not token[:1].isupper() or key not in AGENCY_OPENERS:
        return 0.0
    if key == "văn" and next_key != "phòng":
        return 0.0
    if key == "phòng" and prev_key == "văn":
        return 0.0
    if prev_key in AGENCY or prev_key.rstrip("-–") in AGENCY or prev_key.endswith("-"):
        return 1.2 if key == "các" else 0.8
    return 0.0


# Phrases that make a deadline cell ("Theo kế hoạch của UBND tỉnh", "Trước ngày 15/01/2026").
DEADLINE_PHRASES = (
    ("theo", "kế", "hoạch"), ("theo", "hướng", "dẫn"), ("theo", "yêu", "cầu"),
    ("theo", "quy", "định"), ("theo", "chỉ", "đạo"), ("theo", "lộ", "trình"),
    ("theo", "tiến", "độ"), ("trước", "ngày"), ("sau", "khi"), ("chậm", "nhất"),
    ("cả", "năm"), ("trong", "năm"), ("từ", "năm"), ("thường", "xuyên"),
)


def phrase_roles(keys: list[str]) -> list[dict[str, float]]:
    """Per token, extra role scores from the phrases it is part of."""
    out: list[dict[str, float]] = [{} for _ in keys]
    n = len(keys)
    for i in range(n):
        for phrase in DEADLINE_PHRASES:
            m = len(phrase)
            if i + m <= n and tuple(keys[i:i + m]) == phrase:
                for j in range(i, i + m):
                    out[j]["deadline"] = 1.2
    return out


_DATE_LIKE = re.compile(
    r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{4}|(?:19|20)\d\d|[ivx]{1,4}/(?:19|20)\d\d|"
    r"[ivx]{1,4},[ivx]{1,4}/(?:19|20)\d\d|\d{1,2}-|\d{1,2}-\d{1,2}/\d{4}|\d{1,2}-\d{1,2}/\d{1,2}/\d{4})$")
_ROMAN = re.compile(r"^[ivx]{1,4}$")
_STRIP = "\"'“”‘’()[]{}.,;:!?…"


_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "hoá" -> "hóa", "uỷ" -> "ủy"; the second vowel must carry no other mark ("luật", "hoặc" stay).
_OLD_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![\u0300-\u036f])(?![^\W\d_])")


def tone_convention(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


@lru_cache(maxsize=65536)
def word_key(token: str) -> str:
    """'Phòng' -> 'phòng', '(QPPL)' -> 'qppl', 'hoá-' -> 'hóa-', 'xuyên.' -> 'xuyên'."""
    return tone_convention(token).lower().strip(_STRIP)


@lru_cache(maxsize=65536)
def role_affinity(role: str, key: str) -> float:
    """Score of word `key` (word_key form) in a column of the given role; a compound written
    with a hyphen ("hóa-xã", "vh-xh") scores as the mean of its parts when unknown."""
    words, _ = ROLE_LEXICON.get(role, OTHER_ROLE)
    if key not in words and "-" in key.strip("-"):
        parts = [p for p in key.split("-") if p]
        if len(parts) > 1:
            return sum(_affinity(role, p) for p in parts) / len(parts)
    return _affinity(role, key)


def _affinity(role: str, key: str) -> float:
    words, default = ROLE_LEXICON.get(role, OTHER_ROLE)
    if role == "deadline" and key and (_DATE_LIKE.match(key) or _ROMAN.match(key)):
        return 2.0
    if not key:
        return 0.0 if role in ("content", "products") else -0.3
    if key in words:
        return words[key]
    if role == "deadline" and (key in AGENCY or key in ("của", "kế", "hoạch", "tỉnh", "xã")):
        return 0.2 if key == "của" else -0.6     # "Theo yêu cầu của Sở Nội vụ"
    if key.isdigit():
        return {"deadline": 0.5, "content": 0.0, "products": -0.3}.get(role, -1.0)
    return default
