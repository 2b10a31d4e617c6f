"""Prose of layout-flattened PDF text (see parsers.text.layout_text): lines wrapped at the page
width joined back into paragraphs, a paragraph ending at a sentence end, a short line, a list
marker or a change between capitals and ordinary text."""
from __future__ import annotations

import re

from normalize.text import collapse_spaces, fold, nfc
from parsers.model import Paragraph, Provenance


def norm(text: str) -> str:
    """NFC and tidy spaces; words are kept as written (no tone-mark rewriting)."""
    # U+FFFE: pdfium's mark for a hyphen at a line end it joined ("Văn hoá\ufffeXã hội")
    return collapse_spaces(nfc(text).replace("\u200b", "").replace("\ufeff", "").replace("\ufffe", "-"))


_MARKER = re.compile(
    r"^(?:[-+•▪●*–]\s|[a-zđ]\s?[).]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|"
    r"(?:X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3})[.)]\s|[A-ZĐ][.)]\s|\(|Điều\s+\d|Chương\s+[IVX])")
SENTENCE_END = re.compile(r"[.;:!?…]\s*$|\./\.\s*$")
ANNEX = re.compile(r"^\s*ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)


def is_caps_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and all(ch.isupper() for ch in letters)


def paragraphs(lines: list, width: int) -> list[Paragraph]:
    out: list[Paragraph] = []
    cur: list = []

    def flush() -> None:
        if not cur:
            return
        text = cur[0].text
        for ln in cur[1:]:
            if text.endswith("-") and not text.endswith((" -", "–")) and ln.text[:1].isalpha():
                text = f"{text}{ln.text}" if text[-2:-1].isalpha() else f"{text} {ln.text}"
            else:
                text = f"{text} {ln.text}"
        text = norm(text)
        list_item = bool(re.match(r"^[-+•▪●*–]\s|^[a-zđ]\)\s", text))
        out.append(Paragraph(text=text, provenance=Provenance(line=cur[0].no, line_end=cur[-1].no),
                             bold=is_caps_line(text) and len(text) < 200, list_item=list_item))
        cur.clear()

    for line in lines:
        if cur:
            prev, text = cur[-1].text, line.text
            first = next((ch for ch in text if ch.isalnum()), "")
            lower = first.islower()
            ended = bool(re.search(r"[.!?…]\s*$|\./\.\s*$", prev))
            paused = prev.rstrip().endswith((";", ":"))
            short = len(prev) < 0.78 * width
            if text.startswith("("):
                new = ended or paused or short
            else:
                new = (bool(_MARKER.match(text)) or ((ended or paused or short) and not lower)
                       or is_caps_line(text) != is_caps_line(prev) or bool(ANNEX.match(text))
                       or (prev.startswith("(") and prev.endswith(")")))
            if new:
                flush()
        cur.append(line)
    flush()
    return out


def prose_width(lines: list) -> int:
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= 30)
    if not lengths:
        return 80
    return lengths[int(0.8 * (len(lengths) - 1))]


SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[aeiouy]+"
                      r"(?:ng|nh|ch|[cmnpt])?$")


def mostly_words(text: str) -> bool:
    """Most tokens are Vietnamese syllables ("DANH MỤC NHIỆM VỤ"), not abbreviations: a line of
    a table's cells can be all capitals too ("HĐND, UBND UBND")."""
    tokens = [t for t in (re.sub(r"[^a-zđ]", "", fold(t).replace("đ", "d")) for t in text.split()) if t]
    return bool(tokens) and sum(1 for t in tokens if SYLLABLE.match(t)) >= 0.6 * len(tokens)
