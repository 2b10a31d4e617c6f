"""What a caller may tell a format reader, and the one signature every reader has."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from parsers.model import Document


@dataclass(frozen=True)
class ReadOptions:
    password: str | None = None      # a PDF's user password, when the caller knows it


class Reader(Protocol):
    """A format's reader: the file's bytes -> the shared document model."""

    def __call__(self, data: bytes, options: ReadOptions) -> Document: ...
