"""DOCX (python-docx): `reader` walks the body in order (merged cells, layout tables read as
text); `fonts` converts runs in TCVN3 / VNI fonts."""
from parsers.docx.reader import parse_docx, read

__all__ = ["parse_docx", "read"]
