"""Shim for the text family (parsers/flattext/quality.py): the header mapping lives in parsers.plan.table_header. Remove once it imports it from there."""
from parsers.plan.table_header import header_mapping  # noqa: F401
