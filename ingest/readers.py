"""Format -> document: ingest's one call into the parsers (parsers/registry.py picks the reader)."""
from __future__ import annotations

from parsers.options import ReadOptions
from parsers.registry import read_document

__all__ = ["ReadOptions", "read_document"]
