""".doc, .odt, .rtf: converted to DOCX by LibreOffice headless (`to_docx`); the registry has
the DOCX reader read the result."""
from parsers.word97.reader import to_docx

__all__ = ["to_docx"]
