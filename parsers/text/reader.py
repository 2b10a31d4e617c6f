"""The reader of text renditions (.txt, .md): text without table markup is flattened PDF text,
read by parsers.text.flattext (the more plausible of its readings; interleaved tables with cells
centred vertically by the layout_* modules); text with markup (tabs, pipes, HTML) is plain text."""
from __future__ import annotations

from parsers.model import Document
from parsers.options import ReadOptions
from parsers.text.flattext.pages import restore_page_breaks
from parsers.text.flattext.reader import choose_reading
from parsers.text.layout_text import looks_like_layout_text, parse_layout_decoded
from parsers.text.plain import decode_text_with_note, has_table_markup, parse_decoded_text


def read_txt(data: bytes, options: ReadOptions) -> Document:
    return read_text("txt", data)


def read_md(data: bytes, options: ReadOptions) -> Document:
    return read_text("md", data)


def read_text(fmt: str, data: bytes) -> Document:
    text, note = decode_text_with_note(data)
    if not has_table_markup(text):
        def interleaved() -> Document | None:
            paged = restore_page_breaks(text)
            return parse_layout_decoded(paged) if looks_like_layout_text(paged) else None

        document = choose_reading(text, interleaved)
        if document is not None:
            document.warnings[:0] = [note] if note else []
            return document
    return parse_decoded_text(text, fmt, [note] if note else [])
