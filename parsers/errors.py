"""Errors a parser raises for input it cannot read; ingest turns them into report entries."""


class ParseError(Exception):
    """The file cannot be read as the format it claims to be (message says why)."""


class EncryptedDocumentError(ParseError):
    """The file is encrypted and no (correct) password was given."""
