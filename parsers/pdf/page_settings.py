"""Thresholds of the reading of a PDF page with a text layer: glyphs into words
(parsers.pdf.pages, parsers.pdf.pdfium_pages) and words into lines, two-column blocks and
paragraphs (parsers.pdf.layout), named with the reason for each. Lengths are in points; "× size"
is a multiple of the font size (of the line, or the larger of two lines)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSettings:
    # ---- glyphs -> words (both engines)
    x_tolerance: float = 1.5          # pt: a wider gap between two glyphs starts a new word
    y_tolerance: float = 3.0          # pt: glyphs (and words) whose baselines are closer share a line
    ascent: float = 0.80              # × size: a word's top above its baseline (glyph boxes vary: "Ủ" is taller than "B")
    descent: float = 0.22             # × size: a word's bottom below its baseline
    wide_hyphen: float = 0.42         # em: a "hyphen" or space glyph this wide is TCVN3's "ư" (a real one is 1/3–1/4 em)
    same_glyph: float = 1.0           # pt: the same glyph drawn again this close is fake bold or a shadow, dropped
    letter_spaced: float = 1.0        # pt: a line whose median glyph gap is wider is letter-spaced
    letter_spaced_gaps: int = 4       # glyph gaps a line needs before its spacing is judged
    letter_space_part: int = 6        # a letter-spaced line's word gap: median gap + glyph width / this (half a space)
    letter_space_min: float = 1.0     # pt: … and at least this
    default_size: float = 10.0        # pt: the size of a glyph whose font gives none
    legacy_run_gap: float = 1.5       # × size: a wider gap parts two runs of a legacy font (another cell, column)
    legacy_min_size: float = 1.0      # pt: the smallest size the run gap is measured with (a glyph of size 0)
    legacy_sample: int = 50000        # characters of a font's text read to decide its encoding
    # ---- page objects (pdfium engine)
    upright_angle: float = 0.05       # radians: a glyph turned further from upright is not read
    upright_skew: float = 1e-3        # a text matrix with a shear beyond this is not upright
    rule_thickness: float = 1.0       # pt: a path segment no thicker than this (and longer) is a rule
    background_segments: int = 5      # a filled shape of at most this many segments …
    background_share: float = 0.5     # … spread over this share of the page is a background, not rules
    white_fill: int = 250             # 0–255: a fill with every channel this light is white (a background)
    # ---- two-column blocks (letterhead, signature)
    gutter_min: float = 18.0          # pt: a gap within a line at least this wide may be a column gutter …
    gutter_size: float = 1.8          # × size: … and at least this wide
    gutter_min_width: float = 8       # pt: a gutter narrowed below this by a block's lines ends the block
    block_line_gap: float = 6         # × size: a vertical gap this wide ends a block
    block_lines: int = 2              # lines that make a block without further evidence
    dominant_gap: float = 2           # a one-line block's widest gap is at least this many times the next
    side_by_side: float = 0.8         # × size: baselines closer than this are one line of two columns
    aligned_left: float = 3           # pt: a column's lines whose starts spread no more are left-aligned
    aligned_centre: float = 6         # pt: … whose middles spread no more are centred
    column_tolerance_min: float = 4.0  # pt: how far a line may stray from its column's alignment …
    column_tolerance_size: float = 0.3  # × size: … or this, if more
    centre_tolerance: float = 2       # a centred column's lines may stray this many times as far (by their middles)
    marker_chars: int = 10            # a list marker ("a)", "Điều 1.") before a tab is this short …
    marker_words: int = 2             # … in this many words: the tab is no gutter
    lifted_lines: int = 3             # lines just above a block that may belong to its right column …
    lifted_gap: float = 1.5           # × size: … when no further above it than this
    column_wrap_gap: float = 1.2      # × size: a lower-case line this close below continues the column's line
    # ---- paragraphs of prose
    size_change: float = 1.0          # pt: a font size changing by more starts a paragraph
    paragraph_gap: float = 1.2        # × the usual line pitch: a wider baseline distance starts a paragraph …
    paragraph_gap_extra: float = 1.0  # pt: … plus this
    indent: float = 0.8               # × size: a first-line indent (from the last line and the margin)
    word_space: float = 0.3           # × size: a space; a line ending before the next word would fit ends its paragraph …
    right_slack: float = 2            # pt: … this far inside the right margin
    centred_indent: float = 1.5       # × size: a centred line stands at least this far from the left margin …
    centred_tolerance_min: float = 6.0   # pt: … with its two margins equal within this …
    centred_tolerance_share: float = 0.04  # … or this share of the text width, if more
    # ---- page numbers and margins
    page_number_top: float = 0.12     # share of the page height: a lone number above this is a page number …
    page_number_bottom: float = 0.88  # … or below this
    pitch_ratio: float = 1.3          # usual baseline distance / font size, when a document gives none
    pitch_ratio_min: float = 1.0      # baseline distances / size outside this range …
    pitch_ratio_max: float = 1.6      # … are no line pitch (a paragraph gap, a table)
    pitch_same_size: float = 0.5      # pt: two lines' sizes closer than this measure the pitch
    margin_line_words: int = 6        # words of a body line that measures the margins …
    margin_lines: int = 8             # … and how many such lines a page size needs
    margin_min_width: float = 100     # pt: margins closer than this are no text block (own bounds instead)
    margin_edge_share: float = 0.1    # share of the lines that start (end) at a margin …
    margin_edge_lines: int = 2        # … and at least this many
    margin_edge_near: float = 1.5     # pt: lines this close to the margin position give its exact value


SETTINGS = PageSettings()
