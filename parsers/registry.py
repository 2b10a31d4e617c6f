"""Format -> reader: the one place that picks the reader for a file's format.

Every reader has one signature, `read(data: bytes, options: ReadOptions) -> Document`
(parsers/options.py). A format is either read by its own subpackage (`READERS`) or converted
to another format first (`CONVERTED`: .doc/.odt/.rtf through LibreOffice to DOCX). Readers are
imported when first used, so a batch of DOCX never loads the PDF or OCR stack. Adding a format
is a subpackage with a `read` and one line here.
"""
from __future__ import annotations

from importlib import import_module

from parsers.errors import ParseError
from parsers.model import Document
from parsers.options import Reader, ReadOptions

# format -> "module:function" of its reader
READERS: dict[str, str] = {
    "docx": "parsers.docx:read",
    "pdf": "parsers.pdf:read",
    "txt": "parsers.text.reader:read_txt",
    "md": "parsers.text.reader:read_md",
}
# format -> ("module:function" converting its bytes, format of the result)
CONVERTED: dict[str, tuple[str, str]] = {
    "doc": ("parsers.word97:to_docx", "docx"),
    "odt": ("parsers.word97:to_docx", "docx"),
    "rtf": ("parsers.word97:to_docx", "docx"),
}


def formats() -> list[str]:
    return sorted({*READERS, *CONVERTED})


def reader(fmt: str) -> Reader:
    """The reader of `fmt` (a ParseError for a format nobody reads)."""
    if fmt in CONVERTED:
        convert_target, into = CONVERTED[fmt]

        def read_converted(data: bytes, options: ReadOptions) -> Document:
            document = reader(into)(_load(convert_target)(data, fmt), options)
            document.format = fmt
            return document
        return read_converted
    if fmt not in READERS:
        raise ParseError(f"unsupported format {fmt!r}")
    return _load(READERS[fmt])


def read_document(fmt: str, data: bytes, options: ReadOptions) -> Document:
    return reader(fmt)(data, options)


def _load(target: str):
    module, name = target.split(":")
    return getattr(import_module(module), name)
