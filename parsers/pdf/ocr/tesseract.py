"""Tesseract through its C API (libtesseract 4/5, ctypes): one engine per thread, reused.

The C API is used instead of the `tesseract` command so that the model is loaded once per
worker and a cell is recognised by setting a rectangle on the page image already in memory
(no process start, no image file per cell). Tesseract runs single-threaded (OMP_THREAD_LIMIT=1
is set before the library is loaded): the batch runner parallelises over files.

A missing library or a missing Vietnamese model raises `TesseractMissing` (a ParseError) with
the command that installs it.
"""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import math
import os
import shutil
import sys
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np

from parsers.errors import ParseError

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"

# Page segmentation modes (tesseract::PageSegMode).
PSM_AUTO = 3
PSM_SINGLE_COLUMN = 4
PSM_SINGLE_BLOCK = 6
PSM_SINGLE_LINE = 7
# Result iterator levels (tesseract::PageIteratorLevel).
_RIL_BLOCK, _RIL_PARA, _RIL_TEXTLINE, _RIL_WORD = 0, 1, 2, 3


class TesseractMissing(ParseError):
    """Tesseract (the library) or its Vietnamese model is not installed."""


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float           # 0-100
    block: int
    par: int
    line: int             # (block, par, line) identifies Tesseract's text line
    baseline: float       # y of the line's baseline under the word's centre
    size: float           # Tesseract's estimate of the line's text size, in points


@dataclass(frozen=True)
class OcrLine:
    left: int
    top: int
    right: int
    bottom: int
    words: tuple[OcrWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_lib = None
_lib_error: str | None = None
_lib_lock = threading.Lock()
_local = threading.local()
_all_apis: list[int] = []


def _load_library():
    """The libtesseract shared library (cached), or raise TesseractMissing."""
    global _lib, _lib_error
    with _lib_lock:
        if _lib is not None:
            return _lib
        if _lib_error is not None:
            raise TesseractMissing(_lib_error)
        # Single-threaded recognition; must be in the environment before libgomp starts.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        candidates = []
        found = ctypes.util.find_library("tesseract")
        if found:
            candidates.append(found)
        candidates += ["libtesseract.so.5", "libtesseract.so.4", "libtesseract.so",
                       "libtesseract.5.dylib", "libtesseract.dylib", "libtesseract-5.dll"]
        lib = None
        for name in candidates:
            try:
                lib = ctypes.CDLL(name)
                break
            except OSError:
                continue
        if lib is None:
            where = shutil.which("tesseract")
            detail = (f"the `tesseract` program is at {where} but its library libtesseract "
                      "could not be loaded" if where else "neither libtesseract nor the "
                      "`tesseract` program was found")
            _lib_error = f"Tesseract OCR is not installed ({detail}); install it: {INSTALL_HINT}"
            raise TesseractMissing(_lib_error)
        try:
            _declare(lib)
        except AttributeError as exc:
            _lib_error = (f"the installed libtesseract is too old or incomplete ({exc}); "
                          f"Tesseract 4 or 5 is needed: {INSTALL_HINT}")
            raise TesseractMissing(_lib_error) from None
        version = (lib.TessVersion() or b"").decode("ascii", "replace")
        if not version[:1].isdigit() or int(version.split(".")[0]) < 4:
            _lib_error = f"Tesseract {version} is too old (4 or 5 is needed): {INSTALL_HINT}"
            raise TesseractMissing(_lib_error)
        _lib = lib
        atexit.register(_shutdown)
        return lib


def _declare(lib) -> None:
    vp, cp, ci = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    lib.TessVersion.restype = cp
    lib.TessVersion.argtypes = []
    lib.TessBaseAPICreate.restype = vp
    lib.TessBaseAPICreate.argtypes = []
    lib.TessBaseAPIDelete.argtypes = [vp]
    lib.TessBaseAPIEnd.argtypes = [vp]
    lib.TessBaseAPIInit3.restype = ci
    lib.TessBaseAPIInit3.argtypes = [vp, cp, cp]
    lib.TessBaseAPIGetDatapath.restype = cp
    lib.TessBaseAPIGetDatapath.argtypes = [vp]
    lib.TessBaseAPISetPageSegMode.argtypes = [vp, ci]
    lib.TessBaseAPISetVariable.restype = ci
    lib.TessBaseAPISetVariable.argtypes = [vp, cp, cp]
    lib.TessBaseAPISetImage.argtypes = [vp, vp, ci, ci, ci, ci]
    lib.TessBaseAPISetSourceResolution.argtypes = [vp, ci]
    lib.TessBaseAPISetRectangle.argtypes = [vp, ci, ci, ci, ci]
    lib.TessBaseAPIRecognize.restype = ci
    lib.TessBaseAPIRecognize.argtypes = [vp, vp]
    lib.TessBaseAPIClear.argtypes = [vp]
    lib.TessDeleteText.argtypes = [vp]
    ip = ctypes.POINTER(ctypes.c_int)
    lib.TessBaseAPIGetIterator.restype = vp
    lib.TessBaseAPIGetIterator.argtypes = [vp]
    lib.TessResultIteratorDelete.argtypes = [vp]
    lib.TessResultIteratorGetPageIterator.restype = vp
    lib.TessResultIteratorGetPageIterator.argtypes = [vp]
    lib.TessResultIteratorNext.restype = ci
    lib.TessResultIteratorNext.argtypes = [vp, ci]
    lib.TessResultIteratorGetUTF8Text.restype = vp
    lib.TessResultIteratorGetUTF8Text.argtypes = [vp, ci]
    lib.TessResultIteratorConfidence.restype = ctypes.c_float
    lib.TessResultIteratorConfidence.argtypes = [vp, ci]
    lib.TessResultIteratorWordFontAttributes.restype = vp
    lib.TessResultIteratorWordFontAttributes.argtypes = [vp, ip, ip, ip, ip, ip, ip, ip, ip]
    lib.TessPageIteratorIsAtBeginningOf.restype = ci
    lib.TessPageIteratorIsAtBeginningOf.argtypes = [vp, ci]
    lib.TessPageIteratorBoundingBox.restype = ci
    lib.TessPageIteratorBoundingBox.argtypes = [vp, ci, ip, ip, ip, ip]
    lib.TessPageIteratorBaseline.restype = ci
    lib.TessPageIteratorBaseline.argtypes = [vp, ci, ip, ip, ip, ip]


def _shutdown() -> None:
    lib = _lib
    if lib is None:
        return
    while _all_apis:
        handle = _all_apis.pop()
        try:
            lib.TessBaseAPIEnd(handle)
            lib.TessBaseAPIDelete(handle)
        except Exception:   # interpreter shutting down
            pass


def available(lang: str = "vie") -> str | None:
    """None when Tesseract and the model for `lang` can be used, else the reason why not."""
    try:
        engine(lang)
    except TesseractMissing as exc:
        return str(exc)
    return None


class Engine:
    """One Tesseract instance (not shared between threads)."""

    def __init__(self, lang: str = "vie"):
        lib = _load_library()
        self._lib = lib
        self._image: np.ndarray | None = None
        self._x_scale = 1.0
        self._own = False
        self._dpi = 300
        handle = lib.TessBaseAPICreate()
        if not handle:
            raise TesseractMissing("Tesseract could not be started (TessBaseAPICreate failed)")
        datapath = os.environ.get("TESSDATA_PREFIX")
        rc = lib.TessBaseAPIInit3(handle, datapath.encode() if datapath else None, lang.encode())
        if rc != 0:
            where = (lib.TessBaseAPIGetDatapath(handle) or b"").decode("utf-8", "replace") \
                or datapath or "the tessdata folder"
            lib.TessBaseAPIDelete(handle)
            model = "Vietnamese model (vie.traineddata)" if lang == "vie" else f"model {lang!r}"
            raise TesseractMissing(
                f"Tesseract's {model} is not installed (looked in {where}); install it: "
                f"apt-get install tesseract-ocr-{lang.split('+')[0]} (or set TESSDATA_PREFIX)")
        self._handle = handle
        _all_apis.append(handle)
        # No second pass over every line with the image inverted (white on black text does
        # not occur in these documents; it costs about 10% of the time).
        lib.TessBaseAPISetVariable(handle, b"tessedit_do_invert", b"0")
        # No fixed-pitch (typewriter) analysis of every text row: 3% fewer instructions on a
        # page, the same words.
        lib.TessBaseAPISetVariable(handle, b"textord_disable_pitch_test", b"1")
        # Paragraphs found from the geometry before recognition, not again from the recognised
        # text after it (DetectParagraphs(true) walks every word's text: ~1.4% of the
        # instructions of a prose page). Paragraph numbers are not used: lines are keyed by
        # Tesseract's line order; words, boxes and confidences are the same.
        lib.TessBaseAPISetVariable(handle, b"paragraph_text_based", b"0")
        lib.TessBaseAPISetVariable(handle, b"debug_file", b"/dev/null" if os.name != "nt" else b"NUL")

    def close(self) -> None:
        """Free the Tesseract instance (engines from `engine()` live as long as their thread)."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            try:
                _all_apis.remove(handle)
            except ValueError:
                pass
            self._lib.TessBaseAPIEnd(handle)
            self._lib.TessBaseAPIDelete(handle)

    def set_image(self, gray: np.ndarray, dpi: int, x_scale: float = 1.0) -> None:
        """Use a grayscale (uint8, 2-D) image for the following recognitions.

        `x_scale` < 1 squeezes the image horizontally before recognition (boxes given to and
        returned by `recognise` stay in the coordinates of `gray`): Tesseract's LSTM reads a
        text line in steps along its width after scaling it to a fixed height, so a narrower
        image is read proportionally faster (0.8: about 20% faster, words read the same)."""
        image = np.ascontiguousarray(gray, dtype=np.uint8)
        if x_scale != 1.0:
            from PIL import Image
            width = max(1, int(round(image.shape[1] * x_scale)))
            image = np.array(Image.fromarray(image).resize((width, image.shape[0]),
                                                              Image.Resampling.BILINEAR))
            image = np.ascontiguousarray(image)
        self._x_scale = image.shape[1] / gray.shape[1] if x_scale != 1.0 else 1.0
        self._own = image is not gray          # a copy of ours (may be painted by blank())
        self._dpi = dpi
        self._image = image          # keep the buffer alive while Tesseract points at it
        h, w = image.shape
        self._lib.TessBaseAPISetImage(self._handle, image.ctypes.data, w, h, 1, w)
        self._lib.TessBaseAPISetSourceResolution(self._handle, int(dpi))

    def blank(self, boxes: list[tuple[int, int, int, int]]) -> None:
        """Paint regions (x0, y0, x1, y1, coordinates of the image given to set_image) of the
        current image white: cheaper than setting a new image (no second squeeze)."""
        if self._image is None or not boxes:
            return
        if not self._own:
            self._image = self._image.copy()
            self._own = True
        sx = self._x_scale
        h, w = self._image.shape
        for x0, y0, x1, y1 in boxes:
            self._image[max(0, int(y0)):min(h, int(y1)),
                        max(0, int(x0 * sx)):min(w, int(math.ceil(x1 * sx)))] = 255
        self._lib.TessBaseAPISetImage(self._handle, self._image.ctypes.data, w, h, 1, w)
        self._lib.TessBaseAPISetSourceResolution(self._handle, int(self._dpi))

    def recognise(self, box: tuple[int, int, int, int] | None = None,
                  psm: int = PSM_AUTO) -> list[OcrWord]:
        """Words of the image (or of `box` = x0, y0, x1, y1 within it), in Tesseract's order."""
        if self._image is None:
            raise RuntimeError("set_image first")
        lib, handle = self._lib, self._handle
        lib.TessBaseAPISetPageSegMode(handle, psm)
        sx = self._x_scale
        if box is not None:
            h, w = self._image.shape
            x0, y0 = max(0, int(box[0] * sx)), max(0, int(box[1]))
            x1, y1 = min(w, int(math.ceil(box[2] * sx))), min(h, int(box[3]))
            if x1 - x0 < 3 or y1 - y0 < 3:
                return []
            lib.TessBaseAPISetRectangle(handle, x0, y0, x1 - x0, y1 - y0)
        if lib.TessBaseAPIRecognize(handle, None) != 0:
            return []
        words = self._words()
        if sx != 1.0:
            words = [OcrWord(w.text, int(w.left / sx), w.top, int(math.ceil(w.right / sx)), w.bottom,
                             w.conf, w.block, w.par, w.line, w.baseline, w.size) for w in words]
        return words

    def _words(self) -> list[OcrWord]:
        lib = self._lib
        it = lib.TessBaseAPIGetIterator(self._handle)
        if not it:
            return []
        page_it = lib.TessResultIteratorGetPageIterator(it)
        a, b, c, d = (ctypes.c_int() for _ in range(4))
        ra, rb, rc, rd = (ctypes.byref(v) for v in (a, b, c, d))
        flags = [ctypes.byref(ctypes.c_int()) for _ in range(6)]
        size, font_id = ctypes.c_int(), ctypes.c_int()
        rsize, rfont = ctypes.byref(size), ctypes.byref(font_id)
        at_start, get_text = lib.TessPageIteratorIsAtBeginningOf, lib.TessResultIteratorGetUTF8Text
        box_of, conf_of, step = lib.TessPageIteratorBoundingBox, lib.TessResultIteratorConfidence, \
            lib.TessResultIteratorNext
        nfc = unicodedata.normalize
        words: list[OcrWord] = []
        block = par = line = 0
        base = (0, 0, 1, 0)              # the current line's baseline: x1, y1, x2, y2
        line_size = 0.0
        try:
            while True:
                if at_start(page_it, _RIL_TEXTLINE):
                    line += 1
                    if at_start(page_it, _RIL_PARA):
                        par += 1
                        if at_start(page_it, _RIL_BLOCK):
                            block += 1
                    # Baseline and text size are properties of the line: read once per line.
                    if lib.TessPageIteratorBaseline(page_it, _RIL_TEXTLINE, ra, rb, rc, rd):
                        base = (a.value, b.value, c.value, d.value)
                    else:
                        base = None
                    lib.TessResultIteratorWordFontAttributes(it, *flags, rsize, rfont)
                    line_size = float(size.value)
                ptr = get_text(it, _RIL_WORD)
                text = ""
                if ptr:
                    try:
                        text = ctypes.string_at(ptr).decode("utf-8", "replace")
                    finally:
                        lib.TessDeleteText(ptr)
                    text = nfc("NFC", text).strip()
                if text and box_of(page_it, _RIL_WORD, ra, rb, rc, rd):
                    left, top, right, bottom = a.value, b.value, c.value, d.value
                    if base is not None and base[2] != base[0]:
                        x1, y1, x2, y2 = base
                        baseline = y1 + (y2 - y1) * ((left + right) / 2 - x1) / (x2 - x1)
                    else:
                        baseline = float(bottom if base is None else base[1])
                    conf = float(conf_of(it, _RIL_WORD))
                    words.append(OcrWord(text, left, top, right, bottom, min(max(conf, 0.0), 100.0),
                                         block, par, line, baseline, line_size))
                if not step(it, _RIL_WORD):
                    break
        finally:
            lib.TessResultIteratorDelete(it)
        return words


def group_lines(words: list[OcrWord]) -> list[OcrLine]:
    """Tesseract's text lines, in its reading order."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    out = []
    for ws in lines.values():
        ws = sorted(ws, key=lambda w: w.left)
        out.append(OcrLine(min(w.left for w in ws), min(w.top for w in ws),
                           max(w.right for w in ws), max(w.bottom for w in ws), tuple(ws)))
    return out


def engine(lang: str = "vie") -> Engine:
    """The calling thread's engine for `lang` (created on first use, then reused)."""
    cache = getattr(_local, "engines", None)
    if cache is None or getattr(_local, "pid", None) != os.getpid():
        cache = _local.engines = {}          # a forked worker starts its own engines
        _local.pid = os.getpid()
    if lang not in cache:
        cache[lang] = Engine(lang)
    return cache[lang]


__all__ = ["Engine", "OcrLine", "OcrWord", "TesseractMissing", "available", "engine", "group_lines",
           "PSM_AUTO", "PSM_SINGLE_BLOCK", "PSM_SINGLE_LINE", "PSM_SINGLE_COLUMN", "INSTALL_HINT"]

if sys.platform == "win32":   # pragma: no cover - documented, not tested
    INSTALL_HINT = "install Tesseract 5 with the Vietnamese language data (UB Mannheim build)"
