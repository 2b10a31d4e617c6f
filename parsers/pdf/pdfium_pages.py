"""The pdfium engine (pypdfium2, the default): a PDF's pages as `PageData` — glyphs with their
fonts through pdfium's text page, ruling edges from the page objects (stroked and filled paths,
nested forms), images and invisible text for the text-layer check (see parsers.pdf.pages)."""
from __future__ import annotations

import ctypes
import math
from array import array
from dataclasses import dataclass
from typing import Iterator

from parsers.errors import EncryptedDocumentError, ParseError
from parsers.pdf.page_settings import SETTINGS
from parsers.pdf.pages import (WIDE_HYPHEN, PageData, Word, build_words, font_texts, is_bold, is_italic,
                                legacy_texts)


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
                chars.append(("", x, x, last[3], -2 if made_up else -1))   # ends a word (see build_words)
            continue
        if not upright_only:
            angle = raw.FPDFText_GetCharAngle(textpage, i)
            if angle >= 0:
                display = (angle + rotation) % (2 * math.pi)
                if min(display, 2 * math.pi - display) > SETTINGS.upright_angle:
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
        if text == "-" and x1 - x0 > SETTINGS.wide_hyphen * raw.FPDFText_GetFontSize(textpage, i):
            text = WIDE_HYPHEN
        chars.append((text, x0, x1 if x1 > x0 else x0, baseline, i))
    return chars, dropped


# Code points a text layer may give for a drawn hyphen (soft, non-breaking, Unicode, minus,
# figure dash, full-width): all read "-" so that "KH‑UBND" and "7‑10/2026" parse.
_HYPHENS = frozenset({0x00AD, 0x2010, 0x2011, 0x2012, 0x2212, 0xFF0D})
_MAX_FORM_DEPTH = 16      # nested form XObjects followed for rules
_ITALIC = 1 << 6          # PDF font descriptor flags
_FORCE_BOLD = 1 << 18
_FONT_NAME_BUFFER = 256   # bytes read of a font's name
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)   # a PDF transformation matrix that changes nothing


class _FontInfo:
    """Bold / italic / name of a glyph's font, with one reusable buffer."""

    def __init__(self, raw, textpage):
        self.raw, self.textpage = raw, textpage
        self.buffer = ctypes.create_string_buffer(_FONT_NAME_BUFFER)
        self.flags = ctypes.c_int()
        self.p_flags = ctypes.byref(self.flags)
        self.styles: dict[tuple[bytes, int], tuple[bool, bool, str]] = {}

    def __call__(self, index: int) -> tuple[bool, bool, str]:
        """(bold, italic, font name) of the glyph at `index`. The name is the PDF's BaseFont
        (with its subset tag: "ABCDEF+.VnTimeH"), also for fonts that are not embedded."""
        raw = self.raw
        length = raw.FPDFText_GetFontInfo(self.textpage, index, self.buffer, _FONT_NAME_BUFFER, self.p_flags)
        key = (self.buffer.raw[: max(0, min(length, _FONT_NAME_BUFFER) - 1)] if length else b"", self.flags.value)
        style = self.styles.get(key)
        if style is None:
            name = key[0].decode("utf-8", "replace")
            weight = raw.FPDFText_GetFontWeight(self.textpage, index)
            bold = is_bold(name, weight) or bool(key[1] & _FORCE_BOLD)
            italic = is_italic(name) or bool(key[1] & _ITALIC)
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
    walker = _ObjectWalker(raw, tf)
    walker.walk(lambda: raw.FPDFPage_CountObjects(page), lambda j: raw.FPDFPage_GetObject(page, j), _IDENTITY)
    return walker.found


class _ObjectWalker:
    """Reads a page's objects, and those of its nested forms, into an _Objects, with one set
    of reusable ctypes buffers."""

    def __init__(self, raw, tf: _Transform):
        self.raw, self.tf = raw, tf
        self.found = _Objects([])
        self.bounds = [ctypes.c_float() for _ in range(4)]
        self.matrix = raw.FS_MATRIX()
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.rgba = tuple(ctypes.c_uint() for _ in range(4))
        self.px, self.py = ctypes.c_float(), ctypes.c_float()
        self.page_area = tf.width * tf.height

    def walk(self, get_count, get_object, parent, depth=0) -> None:
        if depth > _MAX_FORM_DEPTH:
            return
        raw = self.raw
        for k in range(get_count()):
            obj = get_object(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                if depth == 0:
                    self._image(obj)
                continue
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_TEXT):
                continue
            m = _compose(self._matrix(obj), parent)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                self._text(obj, m)
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                self.walk(lambda o=obj: raw.FPDFFormObj_CountObjects(o),
                          lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j), m, depth + 1)
            else:
                self._path(obj, m)

    def _matrix(self, obj) -> tuple[float, ...]:
        matrix = self.matrix
        if self.raw.FPDFPageObj_GetMatrix(obj, matrix):
            return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        return _IDENTITY

    def _image(self, obj) -> None:
        """The share of the page under the image, when it is the largest so far."""
        if self.raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(b) for b in self.bounds)):
            left, bottom, right, top = (b.value for b in self.bounds)
            self.found.image_cover = max(self.found.image_cover,
                                         max(0.0, right - left) * max(0.0, top - bottom) / self.page_area)

    def _text(self, obj, m) -> None:
        """A text object: upright or not, drawn visibly or not."""
        raw, found = self.raw, self.found
        skew = SETTINGS.upright_skew
        if abs(m[1]) > skew or abs(m[2]) > skew or m[0] < 0 or m[3] < 0:
            found.rotated_text = True
        if raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
            found.invisible_text += 1
        else:
            found.visible_text += 1

    def _path(self, obj, m) -> None:
        """The horizontal and vertical segments of a path that may draw rules."""
        raw, tf = self.raw, self.tf
        if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(self.fill), ctypes.byref(self.stroke)):
            return
        stroked = bool(self.stroke.value)
        if not stroked and self._unseen_fill(obj):
            return
        segments = []
        for (xa, ya), (xb, yb) in _path_lines(raw, obj, self.px, self.py):
            segments.append((tf.point(*_apply(m, xa, ya)), tf.point(*_apply(m, xb, yb))))
        if (not stroked and 0 < len(segments) <= SETTINGS.background_segments
                and _spread(segments) > SETTINGS.background_share * self.page_area):
            return  # one filled shape as large as half the page: a background
        for (xa, ya), (xb, yb) in segments:
            edge = _edge(xa, ya, xb, yb)
            if edge is not None:
                self.found.edges.append(edge)

    def _unseen_fill(self, obj) -> bool:
        """An unstroked path that draws no rule: not filled either (a clip or an invisible
        path), or filled white / transparent (a background)."""
        raw = self.raw
        if self.fill.value == raw.FPDF_FILLMODE_NONE:
            return True
        r, g, b, a = self.rgba
        if raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g),
                                        ctypes.byref(b), ctypes.byref(a)):
            return a.value == 0 or min(r.value, g.value, b.value) >= SETTINGS.white_fill
        return False


def _spread(segments) -> float:
    """The area of the box around the segments' points."""
    xs = [x for seg in segments for x, _ in seg]
    ys = [y for seg in segments for _, y in seg]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


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
    thin = SETTINGS.rule_thickness
    if bottom - top <= thin and x1 - x0 > thin:
        y = (top + bottom) / 2
        return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
                "width": x1 - x0, "height": 0.0, "object_type": "line"}
    if x1 - x0 <= thin and bottom - top > thin:
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
        found = build_words(chars)
        sizes = [get_size(textpage.raw, w[4]) or SETTINGS.default_size for w in found]
        styles = [font_of(w[4]) for w in found]
        control_fonts = [font_of(i)[2] for i in controls]
    finally:
        textpage.close()
    fonts = [s[2] for s in styles]
    texts, legacy = legacy_texts(found, fonts, sizes)
    words = []
    for k, ((text, x0, x1, baseline, _, _), size, (bold, italic, _)) in enumerate(zip(found, sizes, styles)):
        words.append(Word(texts[k] if texts else text, x0, x1, baseline - SETTINGS.ascent * size,
                          baseline + SETTINGS.descent * size, baseline, size=round(size, 1), bold=bold,
                          italic=italic))
    return PageData(number, tf.width, tf.height, words, objects.edges, dropped_rotated=dropped,
                    legacy_fonts=legacy, fonts=font_texts(words, fonts, control_fonts),
                    image_cover=round(objects.image_cover, 3), visible_text=objects.visible_text,
                    invisible_text=objects.invisible_text)
