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
    "txt": "parsers.registry:read_txt",
    "md": "parsers.registry:read_md",
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


# --- plain, HTML, markdown and flattened text -----------------------------------------------
# The text family (parsers/text.py, parsers/flattext/, parsers/layout_*) is being rewritten
# as parsers/text/; until then its reader is the former branch of ingest/readers.py, verbatim.

def read_txt(data: bytes, options: ReadOptions) -> Document:
    return _read_text("txt", data, options)


def read_md(data: bytes, options: ReadOptions) -> Document:
    return _read_text("md", data, options)


def _read_text(fmt: str, data: bytes, options: ReadOptions) -> Document:
    if fmt in ("txt", "md"):
        from parsers.flattext.pages import restore_page_breaks
        from parsers.flattext.reader import choose_reading
        from parsers.layout_text import looks_like_layout_text, parse_layout_decoded
        from parsers.text import decode_text_with_note, has_table_markup, parse_decoded_text
        text, note = decode_text_with_note(data)
        if not has_table_markup(text):
            # flattened text: tables in reading order, else interleaved (layout) text
            def interleaved() -> Document | None:
                paged = restore_page_breaks(text)
                return parse_layout_decoded(paged) if looks_like_layout_text(paged) else None

            document = choose_reading(text, interleaved)
            if document is not None:
                document.warnings[:0] = [note] if note else []
                return document
        return parse_decoded_text(text, fmt, [note] if note else [])
    raise ParseError(f"unsupported format {fmt!r}")
