"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) <-> Unicode: tables, detection, fonts."""
from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.legacy import (convert_font_text, decode_legacy_bytes, detect_legacy, font_encoding,
                              from_font_name, from_unicode, is_uppercase_font, to_unicode)

DEV = Path(__file__).parent / "data" / "dev"
DEV_TEXTS = sorted(DEV.glob("*.txt"))   # the .txt and .layout.txt renditions of the dev plans
ENCODINGS = ["tcvn3", "vni"]

TONES = "\u0301\u0300\u0309\u0303\u0323"   # sắc, huyền, hỏi, ngã, nặng
LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in TONES}
               | set("ăâêôơưđ"))
UPPER = [c.upper() for c in LOWER]
LETTERS = LOWER + UPPER


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------ tables

def test_alphabet_is_complete() -> None:
    assert len(LOWER) == 67 and len(set(LETTERS)) == 134


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_letter_round_trips(encoding: str) -> None:
    codes = set()
    for letter in LETTERS:
        legacy = from_unicode(letter, encoding, strict=True)
        assert all(ord(c) < 0x100 for c in legacy), (encoding, letter, legacy)
        assert to_unicode(legacy, encoding) == letter, (encoding, letter, legacy)
        codes.add(legacy)
    assert len(codes) == 134   # no two letters share a code
    everything = " ".join(LETTERS) + "\n" + "".join(LETTERS)
    assert to_unicode(from_unicode(everything, encoding), encoding, restore_case=False) == everything


@pytest.mark.parametrize("letter,code", [
    ("à", "\xb5"), ("á", "\xb8"), ("ả", "\xb6"), ("ã", "\xb7"), ("ạ", "\xb9"), ("ă", "\xa8"),
    ("â", "\xa9"), ("ê", "\xaa"), ("ô", "\xab"), ("ơ", "\xac"), ("ư", "\xad"), ("đ", "\xae"),
    ("ế", "\xd5"), ("ệ", "\xd6"), ("ị", "\xde"), ("ố", "\xe8"), ("ợ", "\xee"), ("ự", "\xf9"),
    ("ỵ", "\xfe"), ("Ă", "\xa1"), ("Â", "\xa2"), ("Ê", "\xa3"), ("Ô", "\xa4"), ("Ơ", "\xa5"),
    ("Ư", "\xa6"), ("Đ", "\xa7"),
])
def test_tcvn3_codes(letter: str, code: str) -> None:
    assert from_unicode(letter, "tcvn3") == code
    assert to_unicode(code, "tcvn3") == letter


@pytest.mark.parametrize("letter,code", [
    ("á", "aù"), ("à", "aø"), ("ả", "aû"), ("ã", "aõ"), ("ạ", "aï"), ("â", "aâ"), ("ấ", "aá"),
    ("ậ", "aä"), ("ă", "aê"), ("ắ", "aé"), ("ặ", "aë"), ("ế", "eá"), ("ơ", "ô"), ("ớ", "ôù"),
    ("ư", "ö"), ("ự", "öï"), ("ĩ", "ó"), ("ỉ", "æ"), ("ị", "ò"), ("ỵ", "î"), ("ý", "yù"),
    ("đ", "ñ"), ("Đ", "Ñ"), ("Ế", "EÁ"), ("Ư", "Ö"), ("Ị", "Ò"),
])
def test_vni_codes(letter: str, code: str) -> None:
    assert from_unicode(letter, "vni") == code
    assert to_unicode(code, "vni") == letter


def test_known_phrases() -> None:
    assert to_unicode("KÕ ho¹ch c¶i c¸ch hµnh chÝnh", "tcvn3") == "Kế hoạch cải cách hành chính"
    assert to_unicode("Keá hoaïch caûi caùch haønh chính", "vni") == "Kế hoạch cải cách hành chính"
    assert to_unicode("Ngöôøi daân Ñoàng Thaùp", "vni") == "Người dân Đồng Tháp"
    assert to_unicode("Ng\xadêi d©n §ång Th¸p", "tcvn3") == "Người dân Đồng Tháp"


def test_tcvn3_capitals_and_uppercase_fonts() -> None:
    # Capitals VN3 lacks are written as toneless capital + combining tone byte.
    assert from_unicode("ẤP", "tcvn3") == "\xa2\xb3P"
    assert to_unicode("A\xb3", "tcvn3") == "Á"
    assert to_unicode("25\xb0C, 3\xb2", "tcvn3") == "25°C, 3²"   # not after a vowel: a symbol
    # An "H" font draws the lowercase codes (and ASCII) as capitals.
    assert to_unicode("kÕ ho¹ch", "tcvn3", uppercase_font=True) == "KẾ HOẠCH"
    text = "Kế hoạch của Ủy ban nhân dân tỉnh Đồng Tháp năm 2024"
    typed = from_unicode(text, "tcvn3", uppercase_font=True)
    assert typed == "KÕ ho¹ch cña ñy ban nh©n d©n tØnh ®ång Th¸p n¨m 2024"
    assert to_unicode(typed, "tcvn3", uppercase_font=True) == text.upper()
    for letter in LOWER:
        for variant in (letter, letter.upper()):
            h = from_unicode(variant, "tcvn3", uppercase_font=True)
            assert to_unicode(h, "tcvn3", uppercase_font=True) == letter.upper()


def test_tcvn3_restores_capitals_typed_in_a_normal_font() -> None:
    assert to_unicode("KÕ HO¹CH TRIÓN KHAI", "tcvn3") == "KẾ HOẠCH TRIỂN KHAI"
    assert to_unicode("UBND TØNH §åNG TH¸P", "tcvn3") == "UBND TỈNH ĐỒNG THÁP"
    assert to_unicode("C¨n cø KÕ HO¹CH sè 12", "tcvn3") == "Căn cứ Kế HOẠCH số 12"
    # A title-case word among acronyms is not a capitals word.
    assert to_unicode("Sè: 12/KH-UBND", "tcvn3") == "Số: 12/KH-UBND"
    assert to_unicode("KÕ HO¹CH", "tcvn3", restore_case=False) == "Kế HOạCH"


def test_punctuation_and_other_characters() -> None:
    # 0x93/0x94/0x96 are cp1252 quotes and dash, whether they come as bytes or as Unicode.
    assert to_unicode("\x93KÕ ho¹ch\x94 \x96 1", "tcvn3") == "“Kế hoạch” – 1"
    assert to_unicode("“KÕ ho¹ch” – 1", "tcvn3") == "“Kế hoạch” – 1"
    assert to_unicode("\x93Keá\x94", "vni") == "“Kế”"
    # Word stores symbol-font text at U+F000 + byte.
    assert to_unicode("K\uf0d5", "tcvn3") == "Kế"
    assert to_unicode("AÁp", "vni") == to_unicode("Aáp", "vni") == "Ấp"   # the base decides the case
    assert from_unicode("Kế → 2025", "vni") == "Keá → 2025"
    with pytest.raises(ValueError):
        from_unicode("3 × 4", "tcvn3", strict=True)   # '×' is 'ì' in TCVN3
    with pytest.raises(ValueError):
        to_unicode("x", "viscii")
    assert from_unicode("abc", "TCVN3") == to_unicode("abc", "VNI") == "abc"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(LETTERS + list("abcdeiouyAEIOUYghnkt .,;:-()/0123456789\n")),
               max_size=80))
def test_random_text_round_trips(text: str) -> None:
    for encoding in ENCODINGS:
        legacy = from_unicode(text, encoding, strict=True)
        assert to_unicode(legacy, encoding, restore_case=False) == text
        got = decode_legacy_bytes(legacy.encode("cp1252"))
        assert got is None or got[1] == encoding   # letter soup may be unclear, never misread


# ------------------------------------------------------------------ dev plans

@pytest.fixture(scope="module", params=[p.name for p in DEV_TEXTS])
def plan(request) -> str:
    return nfc((DEV / request.param).read_text(encoding="utf-8"))


def test_dev_plans_present() -> None:
    assert len(DEV_TEXTS) >= 3


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_dev_plan_round_trip_and_detection(plan: str, encoding: str) -> None:
    legacy = from_unicode(plan, encoding, strict=True)
    assert legacy != plan
    assert to_unicode(legacy, encoding) == plan
    assert detect_legacy(legacy) == encoding
    assert detect_legacy(plan) is None
    # Short pieces are recognised too (a DOCX paragraph, a table cell).
    start = len(legacy) // 2
    assert detect_legacy(legacy[start:start + 200]) == encoding


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_dev_plan_bytes(plan: str, encoding: str) -> None:
    legacy = from_unicode(plan, encoding)
    assert decode_legacy_bytes(legacy.encode("cp1252")) == (plan, encoding)
    # latin-1 bytes: the same file where 0x80-0x9F were written by a non-Windows tool.
    plain = plan.replace("“", '"').replace("”", '"').replace("–", "-")
    assert decode_legacy_bytes(from_unicode(plain, encoding).encode("latin-1")) == (plain, encoding)
    # Legacy text once read as latin-1 and saved again as UTF-8.
    assert decode_legacy_bytes(legacy.encode("utf-8")) == (plan, encoding)


def test_dev_plan_other_encodings_are_not_legacy(plan: str) -> None:
    assert decode_legacy_bytes(plan.encode("utf-8")) is None
    assert decode_legacy_bytes(plan.encode("utf-8-sig")) is None
    assert decode_legacy_bytes(windows_1258(plan)) is None   # Vietnamese ANSI reads better as such


def windows_1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed base letters, separate tones."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in decomposed if c in TONES)
            base = nfc("".join(c for c in decomposed if c not in TONES))
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


def test_conversion_is_fast(plan: str) -> None:
    text = (plan * (50_000 // len(plan) + 1))[:50_000]
    for encoding in ENCODINGS:
        legacy = from_unicode(text, encoding)
        best = min(_seconds(lambda: to_unicode(legacy, encoding)) for _ in range(3))
        assert best < 0.05, (encoding, best)   # a few ms normally; generous for a loaded CI


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ------------------------------------------------------------------ detection: negatives

@pytest.mark.parametrize("text", [
    "",
    "Plain ASCII text with numbers 1, 2, 3.",
    "The provincial People's Committee approved the administrative reform plan for 2024.",
    "Kế hoạch cải cách hành chính năm 2024 của Ủy ban nhân dân tỉnh.",
    "KẾ HOẠCH TRIỂN KHAI THỰC HIỆN",
    "Le gouvernement français a présenté un projet très attendu. À bientôt, Hélène!",
    "Die Straße führt über die Brücke zur Universität. Müller & Söhne, größte Bäckerei.",
    "El señor Núñez visitó la región andina; la niña comió piñata.",
    "Home · About · Contact © 2024 ® · Terms · Privacy",
    "Nhiệt độ 30°C ± 2°, diện tích 25 m² × 3",
])
def test_detect_none(text: str) -> None:
    assert detect_legacy(text) is None
    assert decode_legacy_bytes(text.encode("utf-8")) is None


def test_decode_bytes_of_foreign_latin1_text_is_none() -> None:
    text = "Le gouvernement français a présenté un projet très attendu. Où êtes-vous? Ça va."
    assert decode_legacy_bytes(text.encode("cp1252")) is None
    assert decode_legacy_bytes(b"plain ascii") is None


# ------------------------------------------------------------------ fonts

@pytest.mark.parametrize("font,encoding,upper", [
    (".VnTime", "tcvn3", False),
    (".VnTimeH", "tcvn3", True),
    (".VnArial", "tcvn3", False),
    (".VnArialH", "tcvn3", True),
    (".VnArial NarrowH", "tcvn3", True),
    (".VnBook-AntiquaH", "tcvn3", True),
    (".vntime", "tcvn3", False),
    ("VnTime", "tcvn3", False),                       # PDFs drop the dot
    ("ABCDEF+VnTimeH,Bold", "tcvn3", True),           # PDF subset tag and style
    ("ABCDEF+.VnTime-BoldItalic", "tcvn3", False),
    ("VNI-Times", "vni", False),
    ("VNI-Helve", "vni", False),
    ("VNI-Helve-Condense", "vni", False),
    ("ABCDEF+VNI-Times,Bold", "vni", False),
    ("VNI Times", "vni", False),
    ("Times New Roman", None, False),
    ("TimesNewRomanPSMT", None, False),
    ("Arial", None, False),
    ("vnTimes", None, False),
    ("", None, False),
    (None, None, False),
])
def test_font_names(font: str | None, encoding: str | None, upper: bool) -> None:
    assert from_font_name(font) == encoding
    assert is_uppercase_font(font) is upper


def test_convert_font_text() -> None:
    assert convert_font_text("KÕ ho¹ch", ".VnTime") == "Kế hoạch"
    assert convert_font_text("kÕ ho¹ch", ".VnTimeH") == "KẾ HOẠCH"
    assert convert_font_text("Keá hoaïch", "VNI-Times") == "Kế hoạch"
    assert convert_font_text("Keá hoaïch", "Times New Roman") == "Keá hoaïch"
    # A legacy font over text typed with a Unicode keyboard: already Unicode, left alone.
    assert convert_font_text("Kế hoạch", ".VnTime") == "Kế hoạch"
    assert convert_font_text("", ".VnTime") == ""


def test_font_encoding_checks_the_text_of_the_font(plan: str) -> None:
    sample = plan[:5000]
    assert font_encoding(".VnTime") == "tcvn3"
    assert font_encoding(".VnTime", from_unicode(sample, "tcvn3")) == "tcvn3"
    assert font_encoding("VNI-Times", from_unicode(sample, "vni")) == "vni"
    # The text says otherwise: trust the text.
    assert font_encoding(".VnTime", from_unicode(sample, "vni")) == "vni"
    # Already Unicode (a PDF ToUnicode map, a converted DOCX): leave it alone.
    assert font_encoding(".VnTime", sample) is None
    assert font_encoding("VNI-Times", "Các cơ quan") is None
    assert font_encoding("Arial", from_unicode(sample, "tcvn3")) is None
    # Too short to detect, but legacy-looking.
    assert font_encoding(".VnTime", "C¸c") == "tcvn3"
