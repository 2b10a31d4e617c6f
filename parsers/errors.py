"""Errors a parser raises for input it cannot read; ingest turns them into report entries."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class ParseError(Exception):
    """The file cannot be read as the format it claims to be (message says why)."""


class EncryptedDocumentError(ParseError):
    """The file is encrypted and no (correct) password was given."""


def analysed(what: str, build: Callable[[], T]) -> T:
    """build(), an error the layout code did not expect (geometry it was not written for)
    reported as a ParseError naming `what`, not a crash; ParseError, MemoryError and
    RecursionError pass as they are."""
    try:
        return build()
    except (ParseError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise ParseError(f"{what} layout could not be analysed ({type(exc).__name__}: {exc})") from exc
