"""Text of OCR output: the slips worth fixing, noise to drop, and whether a PDF text layer is
usable at all (`page_needs_ocr`)."""
from __future__ import annotations

import re
import unicodedata

from normalize.text import ROMAN_NUMERAL_IVX
from parsers.pdf.ocr.tesseract import OcrWord

_MARKER_GLUED = re.compile(rf"^((?:{ROMAN_NUMERAL_IVX}|\d{{1,2}})\.)(?=[^\W\d_])")
_GLUED_CAPS = re.compile(r"(?<=[^\W\d_]{2})(?=[^\W\d_]{2})")
_PUNCT_ONLY = re.compile(r"^[^\w]+$")
# Letters OCR reads instead of a list letter ("g)" -> "ø)").
_MARKER_LOOKALIKE = {"ø": "g", "Ø": "g", "ġ": "g", "ọ": "o", "ä": "a", "à": "a", "ê": "e", "è": "e",
                     "é": "e", "ï": "i", "ì": "i", "í": "i"}
_DASH_LOOKALIKE = {"~", "¬", "−", "_", "—"}
_QUARTER = re.compile(r"^[\[\]|!lI1]{1,3}V?(?=$|/|[.,;:)]|\s)|^IV(?=$|/|[.,;:)])")
# Two dots over a vowel do not occur in Vietnamese: they are a tilde read badly.
_DIAERESIS = str.maketrans("ÿŸïÏëËäÄöÖüÜ", "ỹỸĩĨẽẼãÃõÕũŨ")


def fix_words_indexed(words: list[str]) -> list[tuple[str, int]]:
    """Fix the OCR slips that matter downstream, on the words of one line; each fixed word
    comes with the index of the word it was made from (a word may be split in two):

    * 'I.MỤC ĐÍCH' -> 'I. MỤC ĐÍCH' (the narrow space after a numbering mark is lost);
    * 'ø) Mức độ' -> 'g) Mức độ' (a list letter read as a look-alike), '~ Sở' -> '- Sở';
    * 'Phục vụHCC' -> 'Phục vụ HCC' (the space before an abbreviation in capitals is lost);
    * 'Quý [I/2026' -> 'Quý II/2026' (the roman quarter after "Quý": [ ] | ! l 1 for I);
    * 'Sÿ' -> 'Sỹ' (two dots over a vowel: a tilde).
    """
    out: list[tuple[str, int]] = []
    for i, word in enumerate(words):
        if i == 0:
            marker = _MARKER_GLUED.match(word)
            if marker:
                out.append((marker.group(1), i))
                word = word[marker.end():]
            elif len(word) == 2 and word[1] == ")" and word[0] in _MARKER_LOOKALIKE:
                word = _MARKER_LOOKALIKE[word[0]] + ")"
            elif word in _DASH_LOOKALIKE and len(words) > 1:
                word = "-"          # the dash of a list item read as "~"
        if out and out[-1][0].lower() in ("quý", "qúy") and _QUARTER.match(word):
            m = _QUARTER.match(word)
            numeral = "".join("I" if ch in "[]|!l1I" else ch for ch in m.group(0))
            if numeral in ("I", "II", "III", "IV") and not m.group(0).isdigit():
                word = numeral + word[m.end():]
        out.extend((part, i) for part in fix_glued(word.translate(_DIAERESIS)).split(" ") if part)
    return out


def fix_words(words: list[str]) -> list[str]:
    """fix_words_indexed without the indexes."""
    return [text for text, _ in fix_words_indexed(words)]


def fix_line(text: str) -> str:
    return " ".join(fix_words(text.split()))


def fix_glued(text: str) -> str:
    """'Phục vụHCC' -> 'Phục vụ HCC': the space lost between a lower-case word and an
    abbreviation in capitals (the squeezed image narrows the gap)."""
    def split(m: re.Match) -> str:
        i = m.start()
        upper = 0
        while i + upper < len(text) and text[i + upper].isalpha() and text[i + upper].isupper():
            upper += 1
        following = text[i + upper:i + upper + 1]
        if text[i - 2:i].islower() and upper >= 2 and not (following.isalpha() and following.islower()):
            return " "
        return ""
    return _GLUED_CAPS.sub(split, text)


def is_noise(w: OcrWord) -> bool:
    """A speck or a stray bit of a rule read as punctuation, or a low-confidence scrap."""
    if _PUNCT_ONLY.match(w.text) and w.text not in ("-", "+", "–", "—", "*", "•", "(", ")", "%"):
        return w.conf < 60 or (len(w.text) == 1 and w.text in "'`.,‘’:;|!_^\"")
    return w.conf < 25 and len(w.text) <= 2


# --------------------------------------------------------------------------- text-layer check

_VIET_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_MOJIBAKE = set("ÐÞßæðøþÆØÅåÑñÇçÏïËëÖöÄäÜüÛûÎîÿ¸¹µ¶·¨ª«¬®¯±²³´¼½¾¿×÷¦¤¥¡¢£")
_VIET_TONED = re.compile(r"[àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                         re.IGNORECASE)
_COMMON_SYLLABLES = frozenset("""
và của các có được cho trong với là theo năm thực hiện xã ủy ban nhân dân kế hoạch cơ quan
công tác hành chính cải cách phòng người đơn vị về tỉnh huyện việc này những một số đã để
không đến trên tại từ quy định nội dung phối hợp chủ trì thời gian hoàn thành sản phẩm kết
quả báo cáo nhiệm vụ giải pháp chỉ tiêu mục đích yêu cầu triển khai tổ chức cán bộ chức
""".split())


def _case_flip(word: str) -> bool:
    """A capital between two small letters ("hiÖn", "tØnh"): legacy-encoding mojibake."""
    return any(word[i - 1].islower() and word[i].isupper() and word[i + 1].islower()
               for i in range(1, len(word) - 1))


def page_needs_ocr(text: str) -> bool:
    """Whether a PDF page's text layer is unusable and the page should be OCRed instead.

    True when the page has (almost) no text, or when the text is not Vietnamese: many Cyrillic,
    Greek, private-use, replacement or control characters (a font without a usable ToUnicode
    map, TCVN3/VNI bytes shown as Latin-1), or too few Vietnamese syllables among its words.
    """
    text = unicodedata.normalize("NFC", text or "")
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 40:
        return True
    strange = 0
    for ch in text:
        code = ord(ch)
        if (0x0400 <= code <= 0x04FF or 0x0370 <= code <= 0x03FF or 0xE000 <= code <= 0xF8FF
                or code == 0xFFFD or (code < 32 and ch not in "\n\r\t") or 0x80 <= code < 0xA0):
            strange += 1
    if strange > 0.05 * len(letters):
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 8:
        return True
    # Mojibake of legacy encodings (TCVN3 / VNI bytes shown as Latin-1 / cp1252): letters
    # Vietnamese does not use, Latin-1 symbols inside words, case flips inside a word.
    foreign = sum(1 for ch in text if ch in _MOJIBAKE)
    flips = sum(1 for w in re.findall(r"[^\W\d_]+", text) if _case_flip(w))
    if foreign > 0.03 * len(letters) or flips > 0.1 * len(words):
        return True
    vietnamese = sum(1 for w in words if w in _COMMON_SYLLABLES or _VIET_TONED.search(w)
                     or any(ch in _VIET_LETTERS for ch in w))
    return vietnamese < 0.35 * len(words)
