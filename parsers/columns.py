"""Shim for the text family (parsers/flattext, parsers/layout_*): the column vocabulary lives in parsers.plan.columns. Remove once they import it from there."""
from parsers.plan.columns import CORE_ROLES, vocabulary  # noqa: F401
