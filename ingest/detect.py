"""What a file really is, from its bytes (the extension is only a hint)."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = {".docx", ".pdf", ".txt", ".md", ".doc", ".odt", ".rtf"}


@dataclass(frozen=True)
class Detected:
    format: str | None        # docx, pdf, txt, md, doc, odt, rtf; None when unsupported
    problem: str | None = None


def detect(path: Path, head: bytes, data: bytes | None = None) -> Detected:
    suffix = path.suffix.lower()
    if not head:
        return Detected(None, "empty file (0 bytes)")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return Detected("pdf")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Detected("doc")
    if head.lstrip()[:5] == b"{\\rtf":
        return Detected("rtf")
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) and suffix in (".docx", ".doc", ".pdf"):
        return Detected(None, f"the file is HTML/XML text saved with a {suffix} extension, not a real {suffix[1:].upper()}")
    if suffix in (".docx", ".pdf", ".odt"):
        return Detected(None, f"the file has a {suffix} extension but its content is not {suffix[1:].upper()} "
                              f"(starts with {head[:8]!r})")
    if suffix == ".md":
        return Detected("md")
    return Detected("txt")


def _zip_kind(data: bytes | None) -> Detected:
    if data is None:
        return Detected(None, "zip archive could not be read")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Detected("docx")
            if "content.xml" in names and "mimetype" in names:
                return Detected("odt")
    except zipfile.BadZipFile as exc:
        return Detected(None, f"corrupt zip/DOCX container: {exc}")
    return Detected(None, "a zip archive that is not a Word document (no word/document.xml)")
