"""Page contents of a PDF with a text layer: words and ruling edges, in display coordinates.

Two interchangeable engines read a PDF into the same `PageData` (words + ruling edges, origin
at the top-left of the page as displayed, /Rotate applied):

* ``pdfium`` (default, pypdfium2): 5-10 times faster than pdfminer on these documents.
* ``pdfplumber`` (pdfminer.six, unicode_norm="NFC"): the reference engine, used to cross-check.

Ruling edges are straight horizontal / vertical segments of stroked paths and of filled
non-white paths (Word draws cell borders as thin filled rectangles); white or page-sized
backgrounds are left out.

Both feed their glyphs through the same word builder (`_words`), so words are cut the same
way; combining accents drawn as separate glyphs are attached to their base letter first and
every word is NFC-normalised. Layout (lines, tables, paragraphs) is done in parsers.pdf.layout.

Words drawn in a legacy Vietnamese font (TCVN3 ".VnTime", ".VnTimeH", VNI "VNI-Times"; the
font name as the PDF gives it, subset tag "ABCDEF+" and style suffix allowed) carry the font's
8-bit codes read as WinAnsi ("KÕ ho¹ch"): they are converted to Unicode here (`_legacy_texts`),
before layout, with one decision per font and page (normalize.legacy.font_encoding), a line's
words of one font converted together (VNI letters are base + mark glyphs; TCVN3 capitals typed
with lowercase toned letters are recognised on the whole line). The font of a word is the font
of its first glyph.
"""
from __future__ import annotations

import ctypes
import io
import math
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Iterator

from normalize.legacy import from_font_name, is_uppercase_font, text_encoding, to_unicode
from parsers.errors import EncryptedDocumentError, ParseError
from parsers.pdf.text_layer import FontText

# Words: a gap wider than X_TOLERANCE points between two glyphs starts a new word; glyphs whose
# baselines are closer than Y_TOLERANCE points are on the same line.
X_TOLERANCE = 1.5
Y_TOLERANCE = 3.0
# Tops/bottoms are derived from the baseline and the font size (glyph boxes vary per letter:
# "Ủ" is taller than "B", which would split one line in two).
_ASCENT = 0.80
_DESCENT = 0.22
# TCVN3 puts "ư" at byte 0xAD, which WinAnsi names "hyphen" (PDFium reads it as "-") and
# pdfminer reads as a space. Such a glyph is as wide as a letter, a real hyphen or space is not
# (about 1/3 and 1/4 em): it is kept as this marker, read as "ư" in a TCVN3 font and as "-"
# in any other (normalize.legacy maps U+F000 + byte to the byte, as for symbol fonts).
_WIDE_HYPHEN = "\uf0ad"
_WIDE = 0.42        # em


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


def _words(chars: list[tuple]) -> list[tuple]:
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
            if ch[1] <= base[2] + X_TOLERANCE:
                base[2] = max(base[2], ch[2])     # a mark drawn with its own advance
            continue
        glued.append([text, ch[1], ch[2], ch[3], ch[4], len(glued), None, False])
    if not glued:
        return []
    # Cluster line keys: sorted values closer than Y_TOLERANCE to their neighbour share a line.
    line_of: dict[float, int] = {}
    cluster, last = -1, None
    for y in sorted({g[3] for g in glued}):
        if last is None or y - last > Y_TOLERANCE:
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
            gap = spaced.get(line, X_TOLERANCE)
            if (line_of[g[3]] != line or g[1] > x1 + gap
                    or (prev[6] is not None and g[5] == prev[5] + 1 and prev[6] <= g[1] + X_TOLERANCE
                        and not (prev[7] and line in spaced))):
                word = nfc("NFC", "".join(parts))
                if word.strip():
                    words.append((word, first[1], x1, first[3], first[4], line_of[first[3]]))
                parts.clear()
                prev = None
            elif g[0] == prev[0] and abs(g[1] - prev[1]) < 1.0:
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
    gaps: dict[int, list[float]] = {}
    widths: dict[int, list[float]] = {}
    for a, b in zip(ordered, ordered[1:]):
        line = line_of[a[3]]
        if line == line_of[b[3]]:
            gaps.setdefault(line, []).append(b[1] - a[2])
            widths.setdefault(line, []).append(a[2] - a[1])
    out: dict[int, float] = {}
    for line, values in gaps.items():
        if len(values) >= 4:
            values.sort()
            median = values[len(values) // 2]
            if median > _LETTER_SPACED:
                w = sorted(widths[line])[len(widths[line]) // 2]
                out[line] = median + max(1.0, w / 6)
    return out


_LETTER_SPACED = 1.0      # pt: a line whose median glyph gap is wider is letter-spaced


def _is_bold(fontname: str, weight: int = -1) -> bool:
    name = fontname.lower()
    return weight >= 600 or any(k in name for k in ("bold", "black", "heavy", "semibold", "demi"))


def _is_italic(fontname: str) -> bool:
    name = fontname.lower()
    return "italic" in name or "oblique" in name


# Words of one legacy font on one line are converted together unless a gap wider than this
# many font sizes separates them (another table cell, another column).
_RUN_GAP = 1.5


def _legacy_texts(words: list[tuple], fonts: list[str],
                  sizes: list[float]) -> tuple[list[str] | None, tuple[tuple[str, str], ...]]:
    """Texts of `words` (from `_words`) with the words drawn in legacy fonts converted to
    Unicode (None when no text changes), and the (font, encoding) pairs converted.

    `fonts` is the font name of each word. Whether a font holds legacy text is decided once per
    font from all its words on the page (normalize.legacy.text_encoding: a font named ".VnTime"
    whose text the PDF already maps to Unicode is left alone; a "TimesNewRoman" whose text is
    TCVN3 bytes is converted). Consecutive words of one font on one line
    are converted as one string, so that TCVN3 capitals typed as lowercase toned letters
    ("KÕ HO¹CH") are recognised from their line."""
    samples: dict[str, list[str]] = {}
    for word, font in zip(words, fonts):
        samples.setdefault(font, []).append(word[0])
    decided = {}
    for font, texts in samples.items():
        encoding = text_encoding(font, " ".join(texts)[:50000].replace(_WIDE_HYPHEN, "\xad"))
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
            if _WIDE_HYPHEN in texts[i]:
                texts[i] = texts[i].replace(_WIDE_HYPHEN, "-")
            i += 1
            continue
        j = i + 1
        while (j < n and fonts[j] == font and words[j][5] == words[i][5]
               and words[j][1] - words[j - 1][2] <= _RUN_GAP * max(sizes[j - 1], 1.0)):
            j += 1
        upper = is_uppercase_font(font)
        run = texts[i:j] if encoding == "tcvn3" else [t.replace(_WIDE_HYPHEN, "-") for t in texts[i:j]]
        out = to_unicode(" ".join(run), encoding, uppercase_font=upper).split(" ")
        if len(out) != len(run):      # cannot happen (no code decodes to a space); stay correct
            out = [to_unicode(t, encoding, uppercase_font=upper) for t in run]
        texts[i:j] = out
        i = j
    return texts, tuple(sorted(decided.items()))


def _plain_hyphens(words: list[tuple]) -> list[str] | None:
    """Word texts with wide hyphens read as hyphens, or None when there is none."""
    if not any(_WIDE_HYPHEN in w[0] for w in words):
        return None
    return [w[0].replace(_WIDE_HYPHEN, "-") for w in words]


# --------------------------------------------------------------------------- pdfium engine

class _Transform:
    """PDF user space -> displayed page (top-left origin, /Rotate applied)."""

    def __init__(self, box: tuple[float, float, float, float], rotation: int):
        self.x0, self.y0, self.x1, self.y1 = box
        self.rotation = rotation % 360
        w, h = self.x1 - self.x0, self.y1 - self.y0
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.x0, self.y1 - y
        if r == 90:
            return y - self.y0, x - self.x0
        if r == 180:
            return self.x1 - x, y - self.y0
        return self.y1 - y, self.x1 - x

    def rect(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _pdfium_chars(raw, textpage, tf: _Transform, check_angles: bool,
                  controls: list[int] | None = None) -> tuple[list[tuple], int]:
    """Glyphs in content order as (text, x0, x1, baseline, char index); "" for a space. Words
    get their height from the font size afterwards. The indexes of glyphs the text layer gives
    as control codes (a font without a usable ToUnicode map) are appended to `controls`."""
    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return [], 0
    buffer = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(textpage, 0, n, buffer)
    units = array("H", bytes(buffer)[: 2 * max(0, got - 1)]) if got > 0 else array("H")
    if len(units) != n:
        # FPDFText_GetText leaves out some control characters (a font without a usable
        # ToUnicode map gives codes 0x02, 0x03): the buffer no longer lines up with the
        # character indexes, so every later glyph would get another glyph's box. Read the
        # characters one by one instead.
        get_unicode = raw.FPDFText_GetUnicode
        units = array("H", (get_unicode(textpage, i) & 0xFFFF for i in range(n)))
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    p_ox, p_oy = ctypes.byref(ox), ctypes.byref(oy)
    get_box, get_origin = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin
    is_generated = raw.FPDFText_IsGenerated
    chars: list[tuple] = []
    dropped = 0
    rotation = math.radians(tf.rotation)
    upright_only = tf.rotation == 0 and not check_angles
    high = None
    for i in range(min(n, len(units))):
        u = units[i]
        if 0xD800 <= u < 0xDC00:
            high = u
            continue
        if 0xDC00 <= u < 0xE000 and high is not None:
            text = chr(0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00))
        elif u in (0xFFFE, 0x0002) or u in _HYPHENS:
            text = "-"          # PDFium marks a hyphen that ends a line as a soft hyphen; and
            #                    a drawn soft / non-breaking / Unicode hyphen is a hyphen
        else:
            text = chr(u)
        high = None
        if u <= 0x20 or text.isspace():
            if u < 0x20 and u not in (0x09, 0x0A, 0x0D) and controls is not None:
                controls.append(i)
            if chars and chars[-1][0]:
                last = chars[-1]
                x = last[2]
                if u == 0x20 and get_box(textpage, i, rect):
                    x = rect.left - tf.x0 if upright_only else tf.rect(rect.left, rect.bottom,
                                                                        rect.right, rect.top)[0]
                made_up = u == 0x20 and is_generated(textpage, i) == 1
                chars.append(("", x, x, last[3], -2 if made_up else -1))   # ends a word (see _words)
            continue
        if not upright_only:
            angle = raw.FPDFText_GetCharAngle(textpage, i)
            if angle >= 0:
                display = (angle + rotation) % (2 * math.pi)
                if min(display, 2 * math.pi - display) > 0.05:
                    dropped += 1
                    continue
        if not get_box(textpage, i, rect):
            continue
        get_origin(textpage, i, p_ox, p_oy)
        if upright_only:
            x0, x1, baseline = rect.left - tf.x0, rect.right - tf.x0, tf.y1 - oy.value
        else:
            x0, _, x1, _ = tf.rect(rect.left, rect.bottom, rect.right, rect.top)
            _, baseline = tf.point(ox.value, oy.value)
        if text == "-" and x1 - x0 > _WIDE * raw.FPDFText_GetFontSize(textpage, i):
            text = _WIDE_HYPHEN
        chars.append((text, x0, x1 if x1 > x0 else x0, baseline, i))
    return chars, dropped


# Code points a text layer may give for a drawn hyphen (soft, non-breaking, Unicode, minus,
# figure dash, full-width): all read "-" so that "KH‑UBND" and "7‑10/2026" parse.
_HYPHENS = frozenset({0x00AD, 0x2010, 0x2011, 0x2012, 0x2212, 0xFF0D})
_MAX_FORM_DEPTH = 16      # nested form XObjects followed for rules
_ITALIC = 1 << 6          # PDF font descriptor flags
_FORCE_BOLD = 1 << 18


class _FontInfo:
    """Bold / italic / name of a glyph's font, with one reusable buffer."""

    def __init__(self, raw, textpage):
        self.raw, self.textpage = raw, textpage
        self.buffer = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.p_flags = ctypes.byref(self.flags)
        self.styles: dict[tuple[bytes, int], tuple[bool, bool, str]] = {}

    def __call__(self, index: int) -> tuple[bool, bool, str]:
        """(bold, italic, font name) of the glyph at `index`. The name is the PDF's BaseFont
        (with its subset tag: "ABCDEF+.VnTimeH"), also for fonts that are not embedded."""
        raw = self.raw
        length = raw.FPDFText_GetFontInfo(self.textpage, index, self.buffer, 256, self.p_flags)
        key = (self.buffer.raw[: max(0, min(length, 256) - 1)] if length else b"", self.flags.value)
        style = self.styles.get(key)
        if style is None:
            name = key[0].decode("utf-8", "replace")
            weight = raw.FPDFText_GetFontWeight(self.textpage, index)
            bold = _is_bold(name, weight) or bool(key[1] & _FORCE_BOLD)
            italic = _is_italic(name) or bool(key[1] & _ITALIC)
            style = self.styles[key] = (bold, italic, name)
        return style


@dataclass
class _Objects:
    edges: list[dict]                 # straight horizontal / vertical path segments
    rotated_text: bool = False        # any text object not upright
    image_cover: float = 0.0          # share of the page under its largest image
    visible_text: int = 0             # text objects drawn visibly / invisibly
    invisible_text: int = 0


def _pdfium_objects(raw, page, tf: _Transform) -> _Objects:
    """The page's rules, text objects and images (see _Objects)."""
    found = _Objects([])
    edges = found.edges
    bounds = [ctypes.c_float() for _ in range(4)]
    matrix = raw.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    px, py = ctypes.c_float(), ctypes.c_float()
    page_area = tf.width * tf.height

    def walk(get_count, get_object, parent, depth=0):
        if depth > _MAX_FORM_DEPTH:
            return
        for k in range(get_count()):
            obj = get_object(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                if depth == 0 and raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(b) for b in bounds)):
                    left, bottom, right, top = (b.value for b in bounds)
                    found.image_cover = max(found.image_cover,
                                            max(0.0, right - left) * max(0.0, top - bottom) / page_area)
                continue
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_TEXT):
                continue
            m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            if raw.FPDFPageObj_GetMatrix(obj, matrix):
                m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            m = _compose(m, parent)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                if abs(m[1]) > 1e-3 or abs(m[2]) > 1e-3 or m[0] < 0 or m[3] < 0:
                    found.rotated_text = True
                if raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
                    found.invisible_text += 1
                else:
                    found.visible_text += 1
                continue
            if kind == raw.FPDF_PAGEOBJ_FORM:
                walk(lambda o=obj: raw.FPDFFormObj_CountObjects(o),
                     lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j), m, depth + 1)
                continue
            if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
                continue
            stroked = bool(stroke.value)
            if not stroked:
                if fill.value == raw.FPDF_FILLMODE_NONE:
                    continue     # neither stroked nor filled: a clip or an invisible path
                if raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g),
                                                ctypes.byref(b), ctypes.byref(a)):
                    if a.value == 0 or min(r.value, g.value, b.value) >= 250:
                        continue  # white / transparent fill: a background, not a rule
            segments = []
            for (xa, ya), (xb, yb) in _path_lines(raw, obj, px, py):
                segments.append((tf.point(*_apply(m, xa, ya)), tf.point(*_apply(m, xb, yb))))
            if not stroked and 0 < len(segments) <= 5:
                xs = [x for seg in segments for x, _ in seg]
                ys = [y for seg in segments for _, y in seg]
                if (max(xs) - min(xs)) * (max(ys) - min(ys)) > 0.5 * page_area:
                    continue  # one filled shape as large as half the page: a background
            for (xa, ya), (xb, yb) in segments:
                edge = _edge(xa, ya, xb, yb)
                if edge is not None:
                    edges.append(edge)

    walk(lambda: raw.FPDFPage_CountObjects(page), lambda j: raw.FPDFPage_GetObject(page, j),
         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return found


def _compose(m, parent):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = parent
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _path_lines(raw, obj, px, py) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    lines = []
    start = current = None
    for s in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, s)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py)):
            continue
        point = (px.value, py.value)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = current = point
        elif kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            lines.append((current, point))
            current = point
        else:
            current = point       # curves are not rules
        if raw.FPDFPathSegment_GetClose(seg) and start is not None and current is not None:
            if current != start:
                lines.append((current, start))
            current = start
    return lines


def _edge(xa: float, ya: float, xb: float, yb: float) -> dict | None:
    x0, x1 = min(xa, xb), max(xa, xb)
    top, bottom = min(ya, yb), max(ya, yb)
    if bottom - top <= 1.0 and x1 - x0 > 1.0:
        y = (top + bottom) / 2
        return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
                "width": x1 - x0, "height": 0.0, "object_type": "line"}
    if x1 - x0 <= 1.0 and bottom - top > 1.0:
        x = (x0 + x1) / 2
        return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
                "width": 0.0, "height": bottom - top, "object_type": "line"}
    return None


def _pdfium_error(exc: Exception, password: str | None) -> ParseError:
    code = getattr(exc, "err_code", None)
    import pypdfium2.raw as raw
    if code == raw.FPDF_ERR_PASSWORD:
        if password:
            return EncryptedDocumentError("PDF is encrypted and the password given is wrong")
        return EncryptedDocumentError("PDF is encrypted (password protected); no password given")
    if code == raw.FPDF_ERR_SECURITY:
        return EncryptedDocumentError("PDF uses an unsupported encryption / security handler")
    if code == raw.FPDF_ERR_FORMAT:
        return ParseError("not a readable PDF (corrupt or truncated: PDFium data format error)")
    return ParseError(f"not a readable PDF: {exc}")


def pdfium_pages(data: bytes, password: str | None = None) -> tuple[int, Iterator[PageData]]:
    """(page count, page iterator) read with PDFium."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        raise _pdfium_error(exc, password) from exc
    count = len(document)

    def pages() -> Iterator[PageData]:
        try:
            for index in range(count):
                try:
                    page = document[index]
                except pdfium.PdfiumError as exc:
                    raise ParseError(f"page {index + 1} of {count} could not be read "
                                     f"(corrupt PDF: {exc})") from exc
                try:
                    yield _pdfium_page(raw, page, index + 1)
                finally:
                    page.close()
        finally:
            document.close()

    return count, pages()


def _pdfium_page(raw, page, number: int) -> PageData:
    box = raw.FS_RECTF()
    if raw.FPDF_GetPageBoundingBox(page.raw, box):
        bounds = (box.left, box.bottom, box.right, box.top)
    else:
        bounds = tuple(page.get_cropbox())
    tf = _Transform(bounds, page.get_rotation())
    objects = _pdfium_objects(raw, page.raw, tf)
    textpage = page.get_textpage()
    controls: list[int] = []
    try:
        chars, dropped = _pdfium_chars(raw, textpage.raw, tf, objects.rotated_text, controls)
        font_of = _FontInfo(raw, textpage.raw)
        get_size = raw.FPDFText_GetFontSize
        found = _words(chars)
        sizes = [get_size(textpage.raw, w[4]) or 10.0 for w in found]
        styles = [font_of(w[4]) for w in found]
        control_fonts = [font_of(i)[2] for i in controls]
    finally:
        textpage.close()
    fonts = [s[2] for s in styles]
    texts, legacy = _legacy_texts(found, fonts, sizes)
    words = []
    for k, ((text, x0, x1, baseline, _, _), size, (bold, italic, _)) in enumerate(zip(found, sizes, styles)):
        words.append(Word(texts[k] if texts else text, x0, x1, baseline - _ASCENT * size,
                          baseline + _DESCENT * size, baseline, size=round(size, 1), bold=bold,
                          italic=italic))
    return PageData(number, tf.width, tf.height, words, objects.edges, dropped_rotated=dropped,
                    legacy_fonts=legacy, fonts=_font_texts(words, fonts, control_fonts),
                    image_cover=round(objects.image_cover, 3), visible_text=objects.visible_text,
                    invisible_text=objects.invisible_text)


def _font_texts(words: list[Word], fonts: list[str], control_fonts: list[str]) -> tuple[FontText, ...]:
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
        if text == " " and ch["x1"] - ch["x0"] > _WIDE * (ch.get("size") or 10.0):
            font = ch.get("fontname") or ""
            if font not in tcvn3:
                tcvn3[font] = from_font_name(font) == "tcvn3"
            if tcvn3[font]:
                text = _WIDE_HYPHEN        # pdfminer reads WinAnsi 0xAD as a space
        if text.isspace():
            if chars and chars[-1][0]:
                last = chars[-1]
                chars.append(("", ch["x0"], ch["x0"], last[3], None))
            continue
        chars.append((text, ch["x0"], ch["x1"], ch["bottom"], ch))
    found = _words(chars)
    sizes = [w[4].get("size") or 10.0 for w in found]
    fonts = [w[4].get("fontname") or "" for w in found]
    texts, legacy = _legacy_texts(found, fonts, sizes)
    words = []
    for k, (text, x0, x1, _, first, _) in enumerate(found):
        size, fontname = sizes[k], fonts[k]
        baseline = first["bottom"] - _DESCENT * size
        words.append(Word(texts[k] if texts else text, x0, x1, baseline - _ASCENT * size,
                          baseline + _DESCENT * size, baseline, size=round(size, 1),
                          bold=_is_bold(fontname), italic=_is_italic(fontname)))
    edges = []
    for e in page.edges:
        if (e.get("object_type") == "rect" and not e.get("stroke", True)
                and e.get("non_stroking_color") in ((1,), (1, 1, 1), [1], [1, 1, 1])):
            continue   # white filled rectangle: a background
        edges.append(e)
    return PageData(number, float(page.width), float(page.height), words, edges, dropped_rotated=dropped,
                    legacy_fonts=legacy, fonts=_font_texts(words, fonts, []))
