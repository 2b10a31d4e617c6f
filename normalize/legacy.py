"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI) <-> Unicode NFC.

Documents typed before Unicode store Vietnamese letters in 8-bit fonts: read without the font,
their text is Latin-1 garbage ("KÕ ho¹ch" in TCVN3, "Keá hoaïch" in VNI). The code tables live
in normalize/data/legacy_tcvn3.tsv and legacy_vni.tsv; this module turns them at import into
256-entry charmap tables (decoding at C speed) and list-based translate tables (encoding), so a
50 KB text converts in 2-4 ms either way.

Conventions (the data files tell the full story):
- "Legacy text" is a str whose code points are the legacy bytes (latin-1 reading). Bytes
  0x80-0x9F are read as cp1252, because ABC and VNI fonts keep the Windows punctuation (“ ” – …)
  there; the same punctuation arriving as real Unicode (from DOCX or PDF text) is kept as it is.
- VNI writes a letter as base + mark byte ("aù" = á): a mark decodes to combining characters
  and NFC composes them, so the base decides the case.
- TCVN3 (VN3) has no capitals with tone marks: their authors used an uppercase "H" font, in which
  the lowercase codes draw capitals (`uppercase_font=True`). To stay lossless, from_unicode writes
  such a capital as its toneless capital + the VN1/VN2 combining tone byte (0xB0-0xB4), which
  to_unicode composes back.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = ["detect_legacy", "from_font_name", "is_uppercase_font", "to_unicode", "from_unicode",
           "decode_legacy_bytes", "convert_font_text", "font_encoding", "ENCODINGS"]

ENCODINGS = ("tcvn3", "vni")
_ALIASES = {"tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "tcvn5712": "tcvn3", "vn3": "tcvn3",
            "vni": "vni", "vni-win": "vni", "vni-windows": "vni", "vniwin": "vni"}
_DATA = Path(__file__).parent / "data"


def _chars(field: str) -> str:
    """'U+1EA0 U+0301' -> the characters."""
    return "".join(chr(int(part[2:], 16)) for part in field.split())


def _rows(name: str) -> list[list[str]]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    body = [ln.split("\t") for ln in lines if ln and not ln.startswith("#")]
    return body[1:]   # first non-comment line is the header


# ---------------------------------------------------------------- shared character classes

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
# The 67 non-ASCII lowercase letters: 12 vowels x 5 tones, ă â ê ô ơ ư, đ.
_LOWER_LETTERS = "".join(sorted({unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONE_MARKS}
                                | set("ăâêôơưđ")))
_UPPER_LETTERS = _LOWER_LETTERS.upper()
# Letters only genuine Unicode Vietnamese has: neither legacy encoding ever produces them.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
# cp1252 reading of 0x80-0x9F (the five bytes cp1252 leaves undefined stay C1 controls).
_C1_AS_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                 if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_TABLE_SIZE = 0x1F00   # covers every Vietnamese letter; str.translate keeps what lies beyond


def _list_table(mapping: dict[int, str]) -> list[str]:
    """A str.translate table as a list: indexing is about 3x faster than dict lookups."""
    table = [chr(i) for i in range(_TABLE_SIZE)]
    for code, value in mapping.items():
        table[code] = value
    return table


# Case mapping limited to ASCII and Vietnamese letters: str.upper() would also turn 'µ' into
# Greek and 'ß' into 'SS', which legacy text may still hold.
_UPPER = _list_table({ord(c): c.upper() for c in "abcdefghijklmnopqrstuvwxyz" + _LOWER_LETTERS})
_NON_LATIN1 = re.compile(r"([^\x00-\xff]+)")
# Word stores text of a font it treats as a symbol font at U+F000 + byte.
_SYMBOL_PUA = re.compile("[\uf020-\uf0ff]")


def _pua_to_byte(m: re.Match[str]) -> str:
    return chr(ord(m.group()) - 0xF000)


def _charmap(text: str, table: str | dict[int, str]) -> str:
    """Map each code point below 256 (a legacy byte) through a 256-entry decoding table at C
    speed; anything beyond, e.g. a real Unicode quote, is kept. cp1252 punctuation goes back to
    its byte, whose table entry is that same punctuation."""
    if not text.isascii() and _SYMBOL_PUA.search(text):
        text = _SYMBOL_PUA.sub(_pua_to_byte, text)
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        try:
            raw = text.encode("latin-1")   # C1 controls: bytes read as latin-1
        except UnicodeEncodeError:
            parts = _NON_LATIN1.split(text)
            parts[::2] = [codecs.charmap_decode(p.encode("latin-1"), "strict", table)[0] for p in parts[::2]]
            return "".join(parts)
    return codecs.charmap_decode(raw, "strict", table)[0]


# ---------------------------------------------------------------- TCVN3 tables

def _build_tcvn3() -> tuple[str, str, dict[str, str], dict[int, str]]:
    """(decoding table, same for "H" fonts, tone byte -> combining mark, encoding map)."""
    normal: dict[int, str] = {i: chr(i) for i in range(256)} | _C1_AS_CP1252
    upper: dict[int, str] = dict(normal) | {ord(c): c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
    combining: dict[str, str] = {}
    encode: dict[int, str] = {}
    for code, uni, upper_font, kind, _name in _rows("legacy_tcvn3.tsv"):
        byte = chr(int(code, 16))
        if kind == "combining-tone":
            combining[byte] = _chars(uni)   # the byte itself stays until composed with its vowel
            continue
        normal[ord(byte)], upper[ord(byte)] = _chars(uni), _chars(upper_font)
        if kind == "vn3":
            encode[ord(_chars(uni))] = byte
    tone_byte = {mark: byte for byte, mark in combining.items()}
    # Capitals VN3 lacks: toneless capital (ASCII or 0xA1-0xA6) + combining tone byte.
    for letter in _UPPER_LETTERS:
        if ord(letter) not in encode:
            nfd = unicodedata.normalize("NFD", letter)   # "Ậ" is A + dot below + circumflex
            tone = next(c for c in nfd if c in _TONE_MARKS)
            base = unicodedata.normalize("NFC", nfd.replace(tone, ""))
            encode[ord(letter)] = encode.get(ord(base), base) + tone_byte[tone]
    return ("".join(normal[i] for i in range(256)), "".join(upper[i] for i in range(256)),
            combining, encode)


_TCVN3_DECODE, _TCVN3_DECODE_H, _TCVN3_COMBINING, _tcvn3_encode = _build_tcvn3()
_TCVN3_ENCODE = _list_table(_tcvn3_encode)
# For uppercase fonts every letter is typed with its lowercase code.
_TCVN3_ENCODE_H = _list_table({ord(c.upper()): _tcvn3_encode[ord(c)] for c in _LOWER_LETTERS}
                              | {ord(c): _tcvn3_encode[ord(c)] for c in _LOWER_LETTERS})
# A tone byte is a mark only right after a toneless vowel; elsewhere it stays '°', '±', '²' ...
_TCVN3_COMPOSE = re.compile("([" + _VOWELS + _VOWELS.upper() + "])([" + "".join(_TCVN3_COMBINING) + "])")
# Latin-1 characters the decoder reads as something else (from_unicode(strict=True) refuses them).
_TCVN3_COLLIDE = (frozenset(chr(c) for c in range(0xA1, 0x100) if _TCVN3_DECODE[c] != chr(c))
                  | frozenset(_TCVN3_COMBINING))
_TCVN3_ENCODABLE = frozenset(_tcvn3_encode)


def _compose_tcvn3(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(1) + _TCVN3_COMBINING[m.group(2)])


# ---------------------------------------------------------------- VNI tables

def _build_vni() -> tuple[dict[int, str], dict[int, str]]:
    """(decoding map byte -> text, encoding map). A mark byte decodes to the combining marks it
    adds to its base ("aá" -> a + U+0302 U+0301), which NFC then composes: so the base decides
    the case, and "Aá" reads "Ấ" as well as "AÁ" does."""
    encode: dict[int, str] = {}
    for uni, seq, _letter, _text in _rows("legacy_vni.tsv"):
        encode[ord(_chars(uni))] = "".join(chr(int(b, 16)) for b in seq.split())
    decode: dict[int, str] = {i: chr(i) for i in range(256)} | _C1_AS_CP1252
    for code, seq in encode.items():
        if len(seq) == 1:
            decode[ord(seq)] = chr(code)   # one-byte letters: í ì æ ó ò î ô(ơ) ö(ư) ñ(đ)
    for code, seq in encode.items():
        if len(seq) == 2:
            base = unicodedata.normalize("NFD", decode[ord(seq[0])])
            full = unicodedata.normalize("NFD", chr(code))
            marks = full[len(base):]
            if not full.startswith(base) or decode[ord(seq[1])] not in (seq[1], marks):
                raise ValueError(f"legacy_vni.tsv: inconsistent mark {seq[1]!r} in {seq!r}")
            decode[ord(seq[1])] = marks
    return decode, encode


_VNI_DECODE, _vni_encode = _build_vni()
_VNI_ENCODE = _list_table(_vni_encode)
_VNI_COLLIDE = frozenset(chr(c) for c in range(0xA1, 0x100) if _VNI_DECODE[c] != chr(c))
_VNI_ENCODABLE = frozenset(_vni_encode)


# ---------------------------------------------------------------- conversion

def _encoding(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    if key not in _ALIASES:
        raise ValueError(f"unknown legacy encoding {name!r}: expected one of {ENCODINGS}")
    return _ALIASES[key]


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


_L, _U = _LOWER_LETTERS, _UPPER_LETTERS
# Cheap pre-check for a lowercase Vietnamese letter among ASCII capitals ("HOạCH", "THủ").
_CAPS_HINT = re.compile(f"[{_L}][A-Z]|[A-Z][A-Z][{_L}]")
# Whole words written without lowercase ASCII that hold a lowercase Vietnamese letter.
_CAPS_WORD = re.compile(f"(?<![A-Za-z{_L}{_U}])[A-Z{_L}{_U}]*[{_L}][A-Z{_L}{_U}]*(?![A-Za-z{_L}{_U}])")
_ASCII_UPPER = re.compile("[A-Z]")
_ASCII_LOWER = re.compile("[a-z]")


def _caps_line(line: str) -> str:
    words = [m for m in _CAPS_WORD.finditer(line) if len(_ASCII_UPPER.findall(m.group())) >= 2]
    if not words:
        return line
    if not _ASCII_LOWER.search(line):   # a line in capitals: its short words too ('KÕ' -> 'KẾ')
        return _CAPS_WORD.sub(lambda m: m.group().translate(_UPPER), line)
    out, done = [], 0
    for m in words:
        out += [line[done:m.start()], m.group().translate(_UPPER)]
        done = m.end()
    return "".join(out) + line[done:]


def _restore_caps(text: str) -> str:
    """'KÕ HO¹CH' decodes to 'Kế HOạCH': a normal TCVN3 font has no toned capitals, so authors
    typed lowercase ones among capitals. A word with two or more ASCII capitals and no ASCII
    lowercase is such a word; on a line with no ASCII lowercase that holds one, the shorter
    words ('KÕ' -> 'KẾ') are capitals too. 'Số: /KH-UBND' (no such word) is left alone."""
    out, done = [], 0
    for hint in _CAPS_HINT.finditer(text):
        if hint.start() < done:
            continue   # its line is already handled
        start = text.rfind("\n", 0, hint.start()) + 1
        end = text.find("\n", hint.end())
        end = len(text) if end < 0 else end
        out += [text[done:start], _caps_line(text[start:end])]
        done = end
    return "".join(out) + text[done:] if out else text


def to_unicode(text: str, encoding: str, uppercase_font: bool = False, *, restore_case: bool = True) -> str:
    """Legacy text (code points = legacy bytes) -> Unicode NFC.

    uppercase_font: the text is set in an all-capitals font (TCVN3 ".VnTimeH"), so every letter
    is a capital. restore_case (TCVN3 only): capitalise toned letters inside words or lines that
    are otherwise capitals, since a normal TCVN3 font cannot hold toned capitals."""
    if _encoding(encoding) == "tcvn3":
        out = _charmap(text, _TCVN3_DECODE_H if uppercase_font else _TCVN3_DECODE)
        if any(byte in out for byte in _TCVN3_COMBINING):
            out = _TCVN3_COMPOSE.sub(_compose_tcvn3, out)
        out = _nfc(out)
        return _restore_caps(out) if restore_case and not uppercase_font else out
    # Marks decode to combining characters; NFC composes them with their base letters.
    out = unicodedata.normalize("NFC", _charmap(text, _VNI_DECODE))
    return out.translate(_UPPER) if uppercase_font else out


def from_unicode(text: str, encoding: str, *, uppercase_font: bool = False, strict: bool = False) -> str:
    """Unicode -> legacy text (code points = legacy bytes; encode with cp1252 to get the file).

    uppercase_font (TCVN3): write every letter with its lowercase code, as typed for an "H" font;
    to_unicode(..., uppercase_font=True) then gives text.upper(). Characters outside the encoding
    are kept; strict=True raises ValueError for those that would be misread when decoded."""
    enc = _encoding(encoding)
    text = _nfc(text)
    if enc == "tcvn3":
        table, collide, encodable = (_TCVN3_ENCODE_H if uppercase_font else _TCVN3_ENCODE,
                                     _TCVN3_COLLIDE, _TCVN3_ENCODABLE)
    else:
        table, collide, encodable = _VNI_ENCODE, _VNI_COLLIDE, _VNI_ENCODABLE
    if strict:
        clash = sorted(ch for ch in set(text)
                       if ord(ch) not in encodable and (ch in collide or 0x80 <= ord(ch) < 0xA0))
        if clash:
            raise ValueError(f"characters not representable in {enc}: {''.join(clash)!r}")
    return text.translate(table)


# ---------------------------------------------------------------- fonts

_SUBSET = re.compile(r"^[A-Z]{6}\+")   # PDF subset tag: "ABCDEF+VnTimeH"
# Style suffixes of PDF/PostScript names: "VnTimeH,Bold", "VnTimeH-BoldItalic", "VnTimeHBold".
_STYLE = re.compile(r"(?:[,\-\s]*(?:bold|italic|oblique|regular|semibold|demibold)"
                    r"|[,\-\s]+(?:bd|it|bi|mt|ps))+$", re.IGNORECASE)
# ".VnTime" / "_VnTime" in any case; without the dot only "Vn" + a capital ("VnTimeH" in PDFs),
# so that "VNI-Times" and ordinary names starting with "vn" are not taken for ABC fonts.
_TCVN3_FONT = re.compile(r"^[._](?i:vn)|^Vn(?=[A-Z])")
_VNI_FONT = re.compile(r"^VNI(?:[-_ ]|(?=[A-Z][a-z]))|^(?i:vni)[-_ ]")


def _bare_font(font: str) -> str:
    """'ABCDEF+.VnTimeH,Bold' -> '.VnTimeH,Bold' (quotes and PDF subset tag removed)."""
    return _SUBSET.sub("", font.strip().strip("\"'"))


def from_font_name(font: str | None) -> str | None:
    """Encoding implied by a font name: '.VnTime', '.VnTimeH', 'VnArial' (PDF) -> 'tcvn3';
    'VNI-Times', 'VNI-Helve' -> 'vni'; anything else -> None."""
    if not font:
        return None
    name = _bare_font(font)
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    if _VNI_FONT.match(name):
        return "vni"
    return None


def is_uppercase_font(font: str | None) -> bool:
    """True for the TCVN3 capitals-only fonts, named with a final 'H' (".VnTimeH", "VnArialH,Bold",
    ".VnArial NarrowH")."""
    if from_font_name(font) != "tcvn3":
        return False
    name = _STYLE.sub("", _bare_font(font or ""))
    return len(name) > 4 and name.endswith("H")


def font_encoding(font: str | None, sample: str | None = None) -> str | None:
    """Encoding to decode text drawn in `font`, checked against `sample` (all the text drawn in
    that font, e.g. across a PDF) when given: None when the sample already holds Unicode-only
    Vietnamese letters (a PDF whose ToUnicode map, or a DOCX whose converter, already produced
    Unicode) or shows no sign of legacy text; the detected encoding when the text says which."""
    enc = from_font_name(font)
    if enc is None or sample is None:
        return enc
    if _UNICODE_ONLY.search(sample):
        return None
    detected = detect_legacy(sample)
    if detected is not None:
        return detected
    return enc if _MARKERS.search(sample) else None


def text_encoding(font: str | None, sample: str) -> str | None:
    """Encoding of the text drawn in one font (all of it, e.g. on a PDF page): the font's name
    decides when it is a legacy name (font_encoding); any other font is legacy only when its
    text says so (detect_legacy). Word saves TCVN3 text in a font named "TimesNewRoman" when
    the legacy font was substituted, and converters rename fonts ("VNTIME")."""
    if from_font_name(font):
        return font_encoding(font, sample)
    if not sample or _UNICODE_ONLY.search(sample) or not _MARKERS.search(sample):
        return None
    return detect_legacy(sample)


def convert_font_text(text: str, font: str | None) -> str:
    """Text drawn in `font` (a DOCX run, a PDF character run) -> Unicode. Unchanged when the font
    is not a legacy one, or when the text already holds Unicode-only Vietnamese letters (a legacy
    font applied to text typed with a Unicode keyboard)."""
    enc = from_font_name(font)
    if enc is None or not text or _UNICODE_ONLY.search(text):
        return text
    return to_unicode(text, enc, uppercase_font=is_uppercase_font(font))


# ---------------------------------------------------------------- detection

_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEUS = ("(?:iêu|yêu|uyê|uya|uyu|ươi|ươu|uôi|oai|oay|oao|oeo|uây|ưu|ươ|ưi|ưa|uy|uơ|uô|"
            "uê|uâ|ui|ua|ôi|ơi|oo|oi|oe|oă|oa|iu|iê|ia|êu|eo|ây|âu|ay|au|ao|ai|yê|"
            "[aăâeêioôơuưy])")
_CODA = "(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(_ONSET + _NUCLEUS + _CODA)
_TONE_RE = re.compile(f"[{_TONE_MARKS}]")
# Tokens with at least one non-ASCII character, made of ASCII letters and everything either
# legacy encoding uses as a letter (ASCII-only words say nothing about the encoding).
_LETTERISH = "A-Za-z\u00a1-\u024f\u0300-\u036f\u1e00-\u1eff"
_TOKEN = re.compile(f"[A-Za-z]*[\u00a1-\u024f\u0300-\u036f\u1e00-\u1eff][{_LETTERISH}]*")
_VIET_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Latin-1 characters that Unicode Vietnamese never uses but TCVN3/VNI text is full of.
_MARKERS = re.compile("[" + re.escape("".join(sorted(
    ch for ch in _TCVN3_COLLIDE | _VNI_COLLIDE if ch not in _VIET_LATIN1 and ch not in "°±²³´"))) + "]")
_SAMPLE = 200_000   # characters looked at: enough for any plan, bounded time


@lru_cache(maxsize=65536)
def _is_syllable(token: str) -> bool:
    word = unicodedata.normalize("NFD", token.lower())
    if len(_TONE_RE.findall(word)) > 1:
        return False
    return _SYLLABLE.fullmatch(unicodedata.normalize("NFC", _TONE_RE.sub("", word))) is not None


def _scores(tokens: Counter[str], decoders: dict[str, Callable[[str], str]]) -> dict[str, float]:
    """Share of the tokens (weighted by count) that read as Vietnamese syllables under each
    decoder. The distinct tokens are decoded in one call, joined by newlines, which no decoder
    changes or moves."""
    distinct = list(tokens)
    joined = "\n".join(distinct)
    total = sum(tokens.values())
    result = {}
    for name, decode in decoders.items():
        decoded = decode(joined).split("\n")
        if len(decoded) != len(distinct):   # cannot happen with the decoders here; stay correct
            decoded = [decode(t) for t in distinct]
        valid = sum(tokens[t] for t, d in zip(distinct, decoded) if _is_syllable(d))
        result[name] = valid / total if total else 0.0
    return result


def _legacy_tokens(text: str) -> Counter[str] | None:
    """Non-ASCII tokens of a text that looks legacy-encoded, or None when it plainly is not."""
    sample = text[:_SAMPLE]
    if sample.isascii() or not _MARKERS.search(sample):
        return None   # no character typical of legacy text: ASCII, English, Unicode Vietnamese
    # One-character tokens are left out: a lone '·' or '©' would read as a TCVN3 vowel.
    tokens = Counter(t for t in _TOKEN.findall(sample) if len(t) > 1)
    distinct = "\n".join(tokens)
    markers = len(_MARKERS.findall(distinct))
    if markers == 0 or len(_UNICODE_ONLY.findall(distinct)) >= markers:
        return None   # Unicode Vietnamese with a few stray symbols
    return tokens if sum(tokens.values()) >= 2 else None


def _decide(scores: dict[str, float], n_tokens: int) -> str | None:
    legacy = sorted(((scores[e], e) for e in ENCODINGS), reverse=True)
    (best, enc), (second, _) = legacy
    others = max(v for k, v in scores.items() if k not in ENCODINGS)
    need = 0.6 if n_tokens >= 10 else 0.8   # few words: ask for more agreement
    if best >= need and best >= others + 0.25 and best >= second + 0.2:
        return enc
    return None


def _keep(text: str) -> str:
    return text


def detect_legacy(text: str) -> str | None:
    """'tcvn3', 'vni' or None, from the text alone: the encoding under which most words that
    carry non-ASCII characters read as Vietnamese syllables, clearly better than reading the text
    as it is. None for Unicode Vietnamese, English, plain ASCII, and anything unclear."""
    tokens = _legacy_tokens(text)
    if tokens is None:
        return None
    scores = _scores(tokens, {
        "unicode": _keep,
        "tcvn3": lambda t: to_unicode(t, "tcvn3", restore_case=False),
        "vni": lambda t: to_unicode(t, "vni"),
    })
    return _decide(scores, sum(tokens.values()))


def decode_legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """(Unicode text, 'tcvn3' | 'vni') for a text file written in a legacy font encoding, else None.

    Bytes that are not UTF-8 are read one byte per code point (latin-1, with 0x80-0x9F as cp1252
    punctuation) and must read better as TCVN3/VNI than as Windows-1258. Valid UTF-8 is checked
    too, for legacy text that was once read as Latin-1 and saved again as UTF-8."""
    try:
        text = data.decode("utf-8-sig")
        rivals: dict[str, Callable[[str], str]] = {"unicode": _keep}
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        rivals = {"unicode": _keep, "cp1258": _cp1258}
    tokens = _legacy_tokens(text)
    if tokens is None:
        return None
    scores = _scores(tokens, {
        **rivals,
        "tcvn3": lambda t: to_unicode(t, "tcvn3", restore_case=False),
        "vni": lambda t: to_unicode(t, "vni"),
    })
    enc = _decide(scores, sum(tokens.values()))
    return (to_unicode(text, enc), enc) if enc else None


def _cp1258(text: str) -> str:
    """Latin-1 text read as Windows-1258 instead (the other legacy reading of such bytes)."""
    try:
        return unicodedata.normalize("NFC", text.encode("latin-1").decode("cp1258"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
