"""A small PDF writer for tests: simple (one byte a character) fonts under any /BaseFont name,
with an optional /ToUnicode map, text laid out in paragraphs and ruled tables, and JPEG page
images. Enough to draw what old plans look like when printed to PDF, e.g. text typed in the
TCVN3 font ".VnTime": its bytes are the font's codes, which a reader shows as WinAnsi
("KÕ ho¹ch") unless it knows the font.

Fonts are not embedded: readers substitute a font to draw them and still report the /BaseFont
name and the character codes, which is what the parsers work from. Widths are Helvetica's
(from pdfminer's metrics), written in /Widths so that every reader places glyphs the same way.
"""
from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass, field

from pdfminer.fontmetrics import FONT_METRICS

_HELVETICA = FONT_METRICS["Helvetica"][1]
_HELVETICA_BOLD = FONT_METRICS["Helvetica-Bold"][1]


def _cp1252(code: int) -> str:
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(code)


def to_bytes(text: str) -> bytes:
    """Text whose characters are byte codes read as cp1252 (what normalize.legacy.from_unicode
    gives) -> the bytes; characters beyond cp1252 (C1 controls) as latin-1."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            out += ch.encode("latin-1")
    return bytes(out)


@dataclass
class Font:
    """A simple font: `base` is its /BaseFont ("ABCDEF+.VnTime,Bold" is allowed). `legacy`
    ("tcvn3" / "vni"): the codes draw that encoding's letters, so each code is as wide as the
    letter it stands for (TCVN3 0xAD is "ư", as wide as "u", not a narrow hyphen; VNI marks
    take no width)."""
    base: str
    bold: bool = False
    to_unicode: dict[int, str] | None = None     # code -> text, written as a /ToUnicode CMap
    encoding: str | None = "WinAnsiEncoding"
    legacy: str | None = None

    def widths(self) -> list[int]:
        metrics = _HELVETICA_BOLD if self.bold else _HELVETICA
        out = []
        for code in range(32, 256):
            glyph = _cp1252(code)
            if self.legacy and code >= 0xA0:
                from normalize.legacy import to_unicode
                letter = unicodedata.normalize("NFD", to_unicode(glyph, self.legacy, restore_case=False))
                if letter and all(unicodedata.combining(c) for c in letter):
                    out.append(0)      # a VNI tone / vowel mark: drawn over the letter before it
                    continue
                glyph = letter[0] if letter and letter[0].isalpha() else glyph
                glyph = {"đ": "d", "Đ": "D", "ư": "u", "Ư": "U", "ơ": "o", "Ơ": "O"}.get(glyph, glyph)
            out.append(metrics.get(glyph, 556))
        return out

    def width(self, data: bytes, size: float) -> float:
        w = self.widths()
        return sum(w[b - 32] if b >= 32 else 0 for b in data) * size / 1000

    def objects(self, first: int) -> tuple[bytes, dict[int, bytes]]:
        """(font dictionary, extra objects numbered from `first`: descriptor, CMap stream)."""
        name = self.base.encode("latin-1")
        flags = 32 | (1 << 18 if self.bold else 0)
        extra = {first: (b"<< /Type /FontDescriptor /FontName /" + name + b" /Flags %d "
                         b"/FontBBox [-166 -225 1000 931] /ItalicAngle 0 /Ascent 718 /Descent -207 "
                         b"/CapHeight 718 /StemV %d >>" % (flags, 140 if self.bold else 88))}
        font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /" + name
                + b" /FirstChar 32 /LastChar 255 /Widths [" + " ".join(map(str, self.widths())).encode()
                + b"] /FontDescriptor %d 0 R" % first)
        if self.encoding:
            font += b" /Encoding /" + self.encoding.encode()
        if self.to_unicode:
            extra[first + 1] = _cmap(self.to_unicode)
            font += b" /ToUnicode %d 0 R" % (first + 1)
        return font + b" >>", extra


def _cmap(mapping: dict[int, str]) -> bytes:
    items = sorted(mapping.items())
    body = b""
    for k in range(0, len(items), 100):
        chunk = items[k:k + 100]
        body += b"%d beginbfchar\n" % len(chunk)
        body += b"".join(b"<%02X> <%s>\n" % (code, text.encode("utf-16-be").hex().upper().encode())
                         for code, text in chunk)
        body += b"endbfchar\n"
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Test-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n" + body +
            b"endcmap CMapName currentdict /CMapResource defineresource pop end end\n")


def _escape(data: bytes) -> bytes:
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class Page:
    """One page; coordinates given as (x, top) from the top-left corner."""
    width: float = 595.0
    height: float = 842.0
    ops: list[bytes] = field(default_factory=list)
    images: list[tuple[bytes, int, int]] = field(default_factory=list)   # JPEG data, pixel w, h

    def text(self, x: float, top: float, data: bytes, font: str, size: float = 13,
             invisible: bool = False) -> None:
        """Draw `data` (font codes) with its baseline at `top` + size."""
        mode = b"3 Tr " if invisible else b""
        self.ops.append(b"BT %s/%s %g Tf %g %g Td (%s) Tj ET\n"
                        % (mode, font.encode(), size, x, self.height - top - size, _escape(data)))

    def rule(self, x0: float, top0: float, x1: float, top1: float) -> None:
        self.ops.append(b"0.6 w %g %g m %g %g l S\n" % (x0, self.height - top0, x1, self.height - top1))

    def image(self, jpeg: bytes, px_width: int, px_height: int) -> None:
        """A full-page JPEG image (a scan)."""
        name = b"Im%d" % len(self.images)
        self.images.append((jpeg, px_width, px_height))
        self.ops.append(b"q %g 0 0 %g 0 0 cm /%s Do Q\n" % (self.width, self.height, name))


class Writer:
    """Lays out text in `fonts` (resource name -> Font) on pages, and writes the PDF.

    `encode(font, text)` turns the Unicode text to draw into the font's codes (e.g. TCVN3); by
    default text is drawn as cp1252."""

    def __init__(self, fonts: dict[str, Font], encode=None, margin: float = 70.0):
        self.fonts = fonts
        self.encode = encode or (lambda font, text: to_bytes(text))
        self.margin = margin
        self.pages: list[Page] = []
        self.page: Page | None = None
        self.top = 0.0

    # ------------------------------------------------------------------ layout

    def new_page(self, width: float = 595.0, height: float = 842.0) -> Page:
        self.page = Page(width, height)
        self.pages.append(self.page)
        self.top = self.margin
        return self.page

    def _lines(self, text: str, font: str, size: float, width: float) -> list[bytes]:
        f = self.fonts[font]
        lines: list[bytes] = []
        current = b""
        for word in self.encode(font, text).split(b" "):
            if not word:
                continue
            candidate = current + b" " + word if current else word
            if current and f.width(candidate, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines

    def paragraph(self, text: str, font: str = "F1", size: float = 13, indent: float = 0.0,
                  center: bool = False, after: float = 6.0) -> None:
        page = self.page
        left, width = self.margin, page.width - 2 * self.margin
        for k, line in enumerate(self._lines(text, font, size, width - indent)):
            x = left + (indent if k == 0 else 0)
            if center:
                x = left + (width - self.fonts[font].width(line, size)) / 2
            page.text(x, self.top, line, font, size)
            self.top += size * 1.35
        self.top += after

    def columns(self, left: list[tuple[str, str]], right: list[tuple[str, str]], size: float = 12,
                split: float = 0.42) -> None:
        """A letterhead: two centred columns of (text, font) lines."""
        page = self.page
        full = page.width - 2 * self.margin
        boxes = [(self.margin, full * split), (self.margin + full * split, full * (1 - split))]
        start, bottom = self.top, self.top
        for (x, width), lines in zip(boxes, (left, right)):
            top = start
            for text, font in lines:
                data = self.encode(font, text)
                page.text(x + (width - self.fonts[font].width(data, size)) / 2, top, data, font, size)
                top += size * 1.4
            bottom = max(bottom, top)
        self.top = bottom + 10

    def table(self, widths: list[float], rows: list[list[str]], font: str = "F1", header_font: str = "F2",
              size: float = 11, pad: float = 4.0) -> None:
        """A ruled table; the first row is the header (in `header_font`). A row of one cell
        spans all columns."""
        page = self.page
        xs = [self.margin]
        for w in widths:
            xs.append(xs[-1] + w)
        line_height = size * 1.3
        tops = [self.top]
        for r, row in enumerate(rows):
            f = header_font if r == 0 or len(row) == 1 else font
            spans = [(xs[0], xs[-1])] if len(row) == 1 else list(zip(xs, xs[1:]))
            height = 0.0
            for (x0, x1), cell in zip(spans, row):
                lines = self._lines(cell, f, size, x1 - x0 - 2 * pad)
                for k, line in enumerate(lines):
                    page.text(x0 + pad, tops[-1] + pad + k * line_height, line, f, size)
                height = max(height, len(lines) * line_height)
            tops.append(tops[-1] + height + 2 * pad)
            inner = [] if len(row) == 1 else xs[1:-1]
            for x in [xs[0], *inner, xs[-1]]:
                page.rule(x, tops[-2], x, tops[-1])
        for t in tops:
            page.rule(xs[0], t, xs[-1], t)
        self.top = tops[-1] + 10

    # ------------------------------------------------------------------ output

    def build(self) -> bytes:
        return build_pdf(self.pages, self.fonts)


def build_pdf(pages: list[Page], fonts: dict[str, Font]) -> bytes:
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    streams: dict[int, tuple[bytes, bytes]] = {}      # number -> (extra dictionary entries, data)
    number = 3
    font_refs = []
    for name, font in fonts.items():
        dictionary, extra = font.objects(number + 1)
        objects[number] = dictionary
        for k, obj in extra.items():
            if obj.startswith(b"/CIDInit"):
                streams[k] = (b"", obj)
            else:
                objects[k] = obj
        font_refs.append(b"/%s %d 0 R" % (name.encode(), number))
        number += 1 + len(extra)
    kids = []
    for page in pages:
        page_no, content_no = number, number + 1
        number += 2
        xobjects = []
        for k, (jpeg, w, h) in enumerate(page.images):
            streams[number] = (b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                               b"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode" % (w, h), jpeg)
            xobjects.append(b"/Im%d %d 0 R" % (k, number))
            number += 1
        resources = b"/Font << " + b" ".join(font_refs) + b" >>"
        if xobjects:
            resources += b" /XObject << " + b" ".join(xobjects) + b" >>"
        objects[page_no] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << %s >> "
                            b"/Contents %d 0 R >>" % (page.width, page.height, resources, content_no))
        streams[content_no] = (b"/Filter /FlateDecode", zlib.compress(b"".join(page.ops)))
        kids.append(b"%d 0 R" % page_no)
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(list(objects) + list(streams)):
        offsets[num] = len(out)
        if num in streams:
            extra, data = streams[num]
            body = b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)
        else:
            body = objects[num]
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    xref, size = len(out), max(offsets) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                    for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
