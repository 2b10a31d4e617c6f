"""Whether a PDF's text layer can be read, font by font and page by page.

A text layer is unusable where the PDF gives no real text for its glyphs:

* a font without a usable ToUnicode map gives glyph ids or its own codes: control characters,
  letters of other scripts ("6Ӣ CÔNG 7+ѬѪ1*" for "SỞ CÔNG THƯƠNG": ASCII shifted by 29, the
  Vietnamese letters in Cyrillic or Arabic), punctuation where letters belong, words that are
  no Vietnamese syllables. Often only some fonts are broken (the bold one of the headings and
  table headers): the page text as a whole still looks Vietnamese, but the annex table cannot
  be found. So fonts are judged on all their text over the document;
* a scan with an invisible text layer (a "sandwich" PDF) has only the words of whatever OCR
  made it (without diacritics when it read English), and no ruling lines: its tables are in
  the image. Such pages are read like scans.

Legacy fonts (TCVN3, VNI) are converted before these checks (parsers.pdf.pages), so their
text is judged as the Unicode it converts to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import fold

_SYMBOL_FONT = re.compile(r"symbol|wingding|webding|dingbat|marlett|mt\s*extra|bookshelf", re.IGNORECASE)
# A Vietnamese syllable without its marks (folded): onset, one to three vowels, coda.
_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}"
                       r"(?:ng|nh|ch|[cmnpt])?$")
_WORD = re.compile(r"[^\W\d_]+")

MIN_CHARS = 12            # below this a font's text decides nothing
BROKEN_SHARE = 0.10       # strange characters (other scripts, controls, junk) of a broken font
MIN_SYLLABLE_SHARE = 0.5  # words that are Vietnamese syllables, in a font of some words
PAGE_GLYPHS = 20          # glyphs of broken fonts that make a page unreadable …
PAGE_SHARE = 0.02         # … or this share of its glyphs
IMAGE_COVER = 0.8         # a page image this large under invisible text: a scan


@dataclass(frozen=True)
class FontText:
    """What one font draws on one page: its words (after legacy conversion), and the
    characters the text layer gave as control codes (which end words, so are no word text)."""
    font: str
    words: tuple[str, ...]
    controls: int = 0

    @property
    def glyphs(self) -> int:
        return sum(len(w) for w in self.words) + self.controls


# What a plan's text is made of: printable ASCII but the junk, Latin letters and their marks,
# punctuation, currency and common symbols. Anything else (other scripts, private use,
# replacement and control characters) is strange in a Vietnamese plan.
_STRANGE = re.compile("[^ %(),\\-./0-9:;A-Za-z\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff"
                      "\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\u2190-\u22ff\u25a0-\u26ff]")
_SAMPLE = 20000       # characters of a font's text looked at (enough to tell)


def text_is_unusable(words: list[str], controls: int = 0) -> bool:
    """Whether the text a font draws (all of it) is no real text: many characters of other
    scripts, control codes or junk punctuation, or words that are no Vietnamese syllables.
    Too little text decides nothing (False)."""
    text = " ".join(words)[:_SAMPLE]
    chars = len(text) - text.count(" ") + controls
    if chars < MIN_CHARS:
        return False
    if controls + len(_STRANGE.findall(text)) >= BROKEN_SHARE * chars:
        return True
    tokens = [t for t in _WORD.findall(text[:4000]) if len(t) <= 7]
    if len(tokens) < 8:
        return False
    folded = [fold(t) for t in tokens]
    syllables = [t for t, f in zip(tokens, folded) if _SYLLABLE.match(f)]
    # (Words without marks are syllables too: a plan typed without marks prints that way, and
    # its image would not read better. An OCR layer without marks lies under a page image.)
    return len(syllables) < MIN_SYLLABLE_SHARE * len(tokens)


def unusable_fonts(fonts: list[FontText]) -> set[str]:
    """Fonts (over all pages) whose text is unusable; symbol fonts (bullets) are left out."""
    words: dict[str, list[str]] = {}
    controls: dict[str, int] = {}
    for f in fonts:
        words.setdefault(f.font, []).extend(f.words)
        controls[f.font] = controls.get(f.font, 0) + f.controls
    return {font for font in words if not _SYMBOL_FONT.search(font)
            and text_is_unusable(words[font], controls[font])}


def page_is_unusable(fonts: list[FontText], broken: set[str]) -> bool:
    """Whether a page draws enough of its text in broken fonts to be read as an image."""
    total = sum(f.glyphs for f in fonts)
    bad = sum(f.glyphs for f in fonts if f.font in broken)
    return bad >= PAGE_GLYPHS or (total > 0 and bad >= PAGE_SHARE * total)


def is_sandwich(image_cover: float, visible_text: int, invisible_text: int) -> bool:
    """A page image with only invisible text over it: a scan with an OCR text layer."""
    return image_cover >= IMAGE_COVER and invisible_text > 0 and visible_text == 0

