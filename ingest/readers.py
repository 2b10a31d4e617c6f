"""Format -> parser dispatch (the only place that picks a parser for a file)."""
from __future__ import annotations

from dataclasses import dataclass

from parsers.errors import ParseError
from parsers.model import Document


@dataclass(frozen=True)
class ReadOptions:
    password: str | None = None


def read_document(fmt: str, data: bytes, options: ReadOptions) -> Document:
    if fmt == "docx":
        from parsers.docx import parse_docx
        return parse_docx(data)
    if fmt == "pdf":
        from parsers.pdf import parse_pdf
        return parse_pdf(data, password=options.password)
    if fmt in ("txt", "md"):
        from parsers.text import decode_text, parse_text
        text = decode_text(data)
        try:
            from parsers.layout_text import looks_like_layout_text, parse_layout_text
        except ImportError:
            looks_like_layout_text = None
        if looks_like_layout_text is not None and looks_like_layout_text(text):
            return parse_layout_text(data)
        return parse_text(data, fmt)
    if fmt in ("doc", "odt"):
        from parsers.word97 import parse_word97
        return parse_word97(data, fmt)
    raise ParseError(f"unsupported format {fmt!r}")
