"""Page contents of a PDF with a text layer: words and ruling edges, in display coordinates.

Two interchangeable engines read a PDF into the same `PageData` (words + ruling edges, origin
at the top-left of the page as displayed, /Rotate applied):

* ``pdfium`` (default, pypdfium2; parsers.pdf.pdfium_pages): 5-10 times faster than pdfminer
  on these documents.
* ``pdfplumber`` (pdfminer.six, unicode_norm="NFC"): the reference engine, used to cross-check.

Ruling edges are straight horizontal / vertical segments of stroked paths and of filled
non-white paths (Word draws cell borders as thin filled rectangles); white or page-sized
backgrounds are left out.

Both feed their glyphs through the same word builder (`build_words`), so words are cut the same
way; combining accents drawn as separate glyphs are attached to their base letter first and
every word is NFC-normalised. Layout (lines, tables, paragraphs) is done in parsers.pdf.layout.

Words drawn in a legacy Vietnamese font (TCVN3 ".VnTime", ".VnTimeH", VNI "VNI-Times"; the
font name as the PDF gives it, subset tag "ABCDEF+" and style suffix allowed) carry the font's
8-bit codes read as WinAnsi ("KÕ ho¹ch"): they are converted to Unicode here (`legacy_texts`),
before layout, with one decision per font and page (normalize.legacy.font_encoding), a line's
words of one font converted together (VNI letters are base + mark glyphs; TCVN3 capitals typed
with lowercase toned letters are recognised on the whole line). The font of a word is the font
of its first glyph.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from normalize.legacy import from_font_name, is_uppercase_font, text_encoding, to_unicode
from parsers.errors import EncryptedDocumentError, ParseError
from parsers.pdf.page_settings import SETTINGS
from parsers.pdf.text_layer import FontText

# Words: thresholds in parsers.pdf.page_settings (x_tolerance, y_tolerance); tops/bottoms are
# derived from the baseline and the font size (ascent, descent), since glyph boxes vary per
# letter ("Ủ" is taller than "B", which would split one line in two).
# TCVN3 puts "ư" at byte 0xAD, which WinAnsi names "hyphen" (PDFium reads it as "-") and
# pdfminer reads as a space. Such a glyph is as wide as a letter, a real hyphen or space is not
# (about 1/3 and 1/4 em, SETTINGS.wide_hyphen): it is kept as this marker, read as "ư" in a
# TCVN3 font and as "-" in any other (normalize.legacy maps U+F000 + byte to the byte, as for
# symbol fonts).
WIDE_HYPHEN = "\uf0ad"
_BOLD_WEIGHT = 600     # a font weight from semibold (600) up is bold (the OpenType / CSS scale)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float = 0.0
    bold: bool = False
    italic: bool = False

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class PageData:
    number: int                    # 1-based
    width: float
    height: float
    words: list[Word]
    edges: list[dict]              # pdfplumber-style edge dicts (orientation "h" / "v")
    dropped_rotated: int = 0       # glyphs not upright on the displayed page (ignored)
    # Legacy fonts whose words were converted to Unicode: (font name, "tcvn3" | "vni").
    legacy_fonts: tuple[tuple[str, str], ...] = ()
    fonts: tuple[FontText, ...] = ()   # the words each font draws (parsers.pdf.text_layer judges them)
    image_cover: float = 0.0           # share of the page under its largest image
    visible_text: int = 0              # text objects drawn visibly / invisibly (render mode 3)
    invisible_text: int = 0


def build_words(chars: list[tuple]) -> list[tuple]:
    """Glyphs -> words, in reading order (lines top to bottom, words left to right).

    `chars` are (text, x0, x1, line_y, ref) in content order, text "" for a space (x0: where
    the space is drawn); line_y is the baseline (or any per-line key). Returns (text, x0, x1, line_y, ref of first glyph,
    line number).
    Combining marks drawn as their own glyphs are glued to the glyph before them, glyphs drawn
    twice at the same place (fake bold) are dropped, and word text is NFC-normalised.

    Words break where two neighbouring glyphs have a gap, or where the content has a space
    between a glyph and the glyph drawn after it, placed before that glyph. A writer that
    draws the letters its font lacks afterwards in a fallback font (LibreOffice does with
    "ệ", "ụ" in Liberation Serif) leaves a gap in the first run, which PDFium fills with a
    space; the fallback glyph sits in that gap, and "Nhi" + "ệ" + "m" is one word.

    A letter-spaced line (titles "Expanded by 2 pt": every glyph apart from the next) breaks
    only at gaps clearly wider than its letter gap, and at spaces of the content: the spaces
    PDFium makes up for each letter gap (ref -2 in `chars`) are not read there.
    """
    combining = unicodedata.combining
    x_tolerance, y_tolerance = SETTINGS.x_tolerance, SETTINGS.y_tolerance
    # [text, x0, x1, line_y, ref, content index, x of a space drawn after it or None,
    #  whether that space was made up by the reader]
    glued: list[list] = []
    for ch in chars:
        text = ch[0]
        if not text:
            if glued and glued[-1][6] is None:
                glued[-1][6] = ch[1]
                glued[-1][7] = ch[4] == -2
            continue
        if glued and combining(text[0]) and all(combining(c) for c in text) and glued[-1][6] is None:
            base = glued[-1]
            base[0] += text
            if ch[1] <= base[2] + x_tolerance:
                base[2] = max(base[2], ch[2])     # a mark drawn with its own advance
            continue
        glued.append([text, ch[1], ch[2], ch[3], ch[4], len(glued), None, False])
    if not glued:
        return []
    # Cluster line keys: sorted values closer than y_tolerance to their neighbour share a line.
    line_of: dict[float, int] = {}
    cluster, last = -1, None
    for y in sorted({g[3] for g in glued}):
        if last is None or y - last > y_tolerance:
            cluster += 1
        line_of[y] = cluster
        last = y
    ordered = sorted(glued, key=lambda g: (line_of[g[3]], g[1], g[5]))
    spaced = _letter_spacing(ordered, line_of)
    words: list[tuple] = []
    nfc = unicodedata.normalize
    parts: list[str] = []
    first = prev = None
    x1 = 0.0
    for g in ordered:
        if prev is not None:
            line = line_of[prev[3]]
            gap = spaced.get(line, x_tolerance)
            if (line_of[g[3]] != line or g[1] > x1 + gap
                    or (prev[6] is not None and g[5] == prev[5] + 1 and prev[6] <= g[1] + x_tolerance
                        and not (prev[7] and line in spaced))):
                word = nfc("NFC", "".join(parts))
                if word.strip():
                    words.append((word, first[1], x1, first[3], first[4], line_of[first[3]]))
                parts.clear()
                prev = None
            elif g[0] == prev[0] and abs(g[1] - prev[1]) < SETTINGS.same_glyph:
                continue          # the same glyph drawn twice (fake bold, shadow)
        if prev is None:
            first, x1 = g, g[2]
        elif g[2] > x1:
            x1 = g[2]
        parts.append(g[0])
        prev = g
    if prev is not None:
        word = nfc("NFC", "".join(parts))
        if word.strip():
            words.append((word, first[1], x1, first[3], first[4], line_of[first[3]]))
    return words


def _letter_spacing(ordered: list[list], line_of: dict[float, int]) -> dict[int, float]:
    """Lines set with letter spacing -> the gap that separates words on them: the line's
    median gap between neighbouring glyphs, plus half a space (a sixth of a glyph's width, at
    least 1 pt). Lines whose glyphs touch (almost all) are left out."""
    s = SETTINGS
    gaps: dict[int, list[float]] = {}
    widths: dict[int, list[float]] = {}
    for a, b in zip(ordered, ordered[1:]):
        line = line_of[a[3]]
        if line == line_of[b[3]]:
            gaps.setdefault(line, []).append(b[1] - a[2])
            widths.setdefault(line, []).append(a[2] - a[1])
    out: dict[int, float] = {}
    for line, values in gaps.items():
        if len(values) >= s.letter_spaced_gaps:
            values.sort()
            median = values[len(values) // 2]
            if median > s.letter_spaced:
                w = sorted(widths[line])[len(widths[line]) // 2]
                out[line] = median + max(s.letter_space_min, w / s.letter_space_part)
    return out


def is_bold(fontname: str, weight: int = -1) -> bool:
    name = fontname.lower()
    return weight >= _BOLD_WEIGHT or any(k in name for k in ("bold", "black", "heavy", "semibold", "demi"))


def is_italic(fontname: str) -> bool:
    name = fontname.lower()
    return "italic" in name or "oblique" in name


def legacy_texts(words: list[tuple], fonts: list[str],
                  sizes: list[float]) -> tuple[list[str] | None, tuple[tuple[str, str], ...]]:
    """Texts of `words` (from `build_words`) with the words drawn in legacy fonts converted to
    Unicode (None when no text changes), and the (font, encoding) pairs converted.

    `fonts` is the font name of each word. Whether a font holds legacy text is decided once per
    font from all its words on the page (normalize.legacy.text_encoding: a font named ".VnTime"
    whose text the PDF already maps to Unicode is left alone; a "TimesNewRoman" whose text is
    TCVN3 bytes is converted). Consecutive words of one font on one line (no gap wider than
    SETTINGS.legacy_run_gap font sizes between them: another table cell, another column)
    are converted as one string, so that TCVN3 capitals typed as lowercase toned letters
    ("KÕ HO¹CH") are recognised from their line."""
    s = SETTINGS
    samples: dict[str, list[str]] = {}
    for word, font in zip(words, fonts):
        samples.setdefault(font, []).append(word[0])
    decided = {}
    for font, texts in samples.items():
        encoding = text_encoding(font, " ".join(texts)[:s.legacy_sample].replace(WIDE_HYPHEN, "\xad"))
        if encoding:
            decided[font] = encoding
    if not decided:
        return _plain_hyphens(words), ()
    texts = [w[0] for w in words]
    i, n = 0, len(words)
    while i < n:
        font = fonts[i]
        encoding = decided.get(font)
        if encoding is None:
            if WIDE_HYPHEN in texts[i]:
                texts[i] = texts[i].replace(WIDE_HYPHEN, "-")
            i += 1
            continue
        j = i + 1
        while (j < n and fonts[j] == font and words[j][5] == words[i][5]
               and words[j][1] - words[j - 1][2] <= s.legacy_run_gap * max(sizes[j - 1], s.legacy_min_size)):
            j += 1
        upper = is_uppercase_font(font)
        run = texts[i:j] if encoding == "tcvn3" else [t.replace(WIDE_HYPHEN, "-") for t in texts[i:j]]
        out = to_unicode(" ".join(run), encoding, uppercase_font=upper).split(" ")
        if len(out) != len(run):      # cannot happen (no code decodes to a space); stay correct
            out = [to_unicode(t, encoding, uppercase_font=upper) for t in run]
        texts[i:j] = out
        i = j
    return texts, tuple(sorted(decided.items()))


def _plain_hyphens(words: list[tuple]) -> list[str] | None:
    """Word texts with wide hyphens read as hyphens, or None when there is none."""
    if not any(WIDE_HYPHEN in w[0] for w in words):
        return None
    return [w[0].replace(WIDE_HYPHEN, "-") for w in words]


def font_texts(words: list[Word], fonts: list[str], control_fonts: list[str]) -> tuple[FontText, ...]:
    by_font: dict[str, list[str]] = {}
    for word, font in zip(words, fonts):
        by_font.setdefault(font, []).append(word.text)
    controls: dict[str, int] = {}
    for font in control_fonts:
        controls[font] = controls.get(font, 0) + 1
    return tuple(FontText(font, tuple(by_font.get(font, ())), controls.get(font, 0))
                 for font in sorted(set(by_font) | set(controls)))


# --------------------------------------------------------------------------- pdfplumber engine

def _pdfminer_error(exc: Exception, password: str | None) -> ParseError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if isinstance(exc, PdfminerException):      # pdfplumber wraps what pdfminer raised
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc.__context__
        if isinstance(inner, Exception):
            exc = inner

    if isinstance(exc, PDFPasswordIncorrect):
        if password:
            return EncryptedDocumentError("PDF is encrypted and the password given is wrong")
        return EncryptedDocumentError("PDF is encrypted (password protected); no password given")
    if isinstance(exc, PDFEncryptionError):
        return EncryptedDocumentError(f"PDF encryption cannot be handled: {exc}")
    name = type(exc).__name__
    return ParseError(f"not a readable PDF (corrupt or truncated: {name}: {exc})")


def pdfplumber_pages(data: bytes, password: str | None = None) -> tuple[int, Iterator[PageData]]:
    """(page count, page iterator) read with pdfplumber / pdfminer.six."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "", unicode_norm="NFC")
        count = len(pdf.pages)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # pdfminer raises many types (PSEOF, PDFSyntaxError, KeyError …)
        raise _pdfminer_error(exc, password) from exc

    def pages() -> Iterator[PageData]:
        try:
            for index, page in enumerate(pdf.pages):
                try:
                    yield _pdfplumber_page(page, index + 1)
                except (ParseError, MemoryError, RecursionError):
                    raise
                except Exception as exc:
                    error = _pdfminer_error(exc, password)
                    if type(error) is ParseError:
                        error = ParseError(f"page {index + 1} of {count} could not be read ({error})")
                    raise error from exc
                finally:
                    page.close()
        finally:
            pdf.close()

    return count, pages()


def _pdfplumber_page(page, number: int) -> PageData:
    chars, dropped = [], 0
    tcvn3: dict[str, bool] = {}
    for ch in page.chars:
        text = ch.get("text") or ""
        if not ch.get("upright", True):
            dropped += 0 if text.isspace() else 1
            continue
        if text == " " and ch["x1"] - ch["x0"] > SETTINGS.wide_hyphen * (ch.get("size") or SETTINGS.default_size):
            font = ch.get("fontname") or ""
            if font not in tcvn3:
                tcvn3[font] = from_font_name(font) == "tcvn3"
            if tcvn3[font]:
                text = WIDE_HYPHEN        # pdfminer reads WinAnsi 0xAD as a space
        if text.isspace():
            if chars and chars[-1][0]:
                last = chars[-1]
                chars.append(("", ch["x0"], ch["x0"], last[3], None))
            continue
        chars.append((text, ch["x0"], ch["x1"], ch["bottom"], ch))
    found = build_words(chars)
    sizes = [w[4].get("size") or SETTINGS.default_size for w in found]
    fonts = [w[4].get("fontname") or "" for w in found]
    texts, legacy = legacy_texts(found, fonts, sizes)
    words = []
    for k, (text, x0, x1, _, first, _) in enumerate(found):
        size, fontname = sizes[k], fonts[k]
        baseline = first["bottom"] - SETTINGS.descent * size
        words.append(Word(texts[k] if texts else text, x0, x1, baseline - SETTINGS.ascent * size,
                          baseline + SETTINGS.descent * size, baseline, size=round(size, 1),
                          bold=is_bold(fontname), italic=is_italic(fontname)))
    edges = []
    for e in page.edges:
        if (e.get("object_type") == "rect" and not e.get("stroke", True)
                and e.get("non_stroking_color") in ((1,), (1, 1, 1), [1], [1, 1, 1])):
            continue   # white filled rectangle: a background
        edges.append(e)
    return PageData(number, float(page.width), float(page.height), words, edges, dropped_rotated=dropped,
                    legacy_fonts=legacy, fonts=font_texts(words, fonts, []))
