"""Thresholds of the reader of tables printed without ruling lines (parsers.pdf.borderless*),
named with the reason for each; "× size" is a multiple of the font size (the body's or the
line's)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BorderlessSettings:
    word_gap: float = 0.5             # × size: words closer than this run on (a phrase over a gutter is a section row)
    gutter_inset: float = 0.25        # × size: a column bound this far inside a word cuts it
    header_phrase_gap: float = 0.7    # × size (5 pt at least): header text is not justified, a wider gap parts two labels
    header_line_gap: float = 0.35     # × size: header lines no further apart are one band
    header_space_above: float = 0.6   # × size: a header that is not bold starts after this much space
    row_gap: float = 0.45             # × size: without a TT column, a vertical gap this wide starts a row
    wrapped_number_gap: float = 0.5   # × size: a row number wrapped in a narrow TT column ("3.1." over "1")
    table_end_gap: float = 2.5        # × size: a vertical gap this wide ends the table body
    near_line_gap: float = 0.5        # × size: a dropped line this close to a kept one is taken back
    rule_span: float = 0.6            # share of the table's width a horizontal rule crosses to bound rows
    seq_column_share: float = 0.6     # share of the first column's words that are row numbers: a TT column


SETTINGS = BorderlessSettings()
