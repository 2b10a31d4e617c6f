"""Every threshold and weight of the flattened-text table reader, each with its reason.
One object, so a reviewer sees them together and a test can vary them (pdfplumber's
TableSettings and camelot's parser arguments are the models)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FlatTextSettings:
    # --- header
    max_header_lines: int = 16         # a header wrapped one word a line over several columns
    max_header_line_chars: int = 200   # all labels on one line fit in this
    max_label_words: int = 9           # a header line is short; a longer line is a body row
    min_core_roles: int = 2            # content plus two of lead/coordinating/products/deadline

    # --- row anchors
    max_seq_jump: int = 3              # a misprinted or skipped number still opens a row

    # --- scores of one cell's text for a column (log-odds like, summed over a row)
    unit_weight: float = 3.0           # a lead/coordinating cell is unit names and little else
    deadline_weight: float = 2.5       # a deadline cell parses as a deadline and is short
    deadline_max_words: int = 16       # longer text that mentions a date is content
    product_bullet_bonus: float = 0.8  # product cells are usually bullet lists
    product_noun_bonus: float = 0.8    # ... of document nouns (Kế hoạch, Báo cáo, …)
    long_cell_words: int = 24          # a unit or deadline cell this long is content
    empty_cost: dict[str, float] = field(default_factory=lambda: {
        "content": 5.0,                # every task has a content cell
        "lead": 2.0,                   # almost every task names its lead
        "deadline": 2.0,
        "products": 1.2,
        "coordinating": 0.6,           # often left blank
    })
    other_empty_cost: float = 0.0      # notes, funding, monitoring columns: often blank ...
    other_text_cost: float = 0.8       # ... so text there needs some evidence
    continuation_empty_factor: float = 0.1   # after a page break most cells have nothing more

    # --- evidence that a line break is inside one cell (positive) or between cells (negative)
    lower_start: float = 2.5           # a line starting in lower case continues a sentence
    hyphen_end: float = 1.5            # "Văn hoá-" + "Xã hội": a word or name cut at a hyphen
    open_end: float = 2.5              # a line ending in a comma, "và", "của" … goes on (a cell never ends so)
    upper_start: float = -0.4          # a cell starts with a capital
    bullet_start: float = -0.3         # a bullet may start a new cell (or an item of the same)
    digit_start: float = 0.3           # "2026 của UBND xã": numbers go on more often than not
    inline_split_cost: float = 1.2     # two cells side by side on one line is the exception ...
    unit_after_unit: float = 2.0       # ... but not where two whole unit names meet with no separator
    max_continuation_words: int = 10   # after a page break a short line may hold several cells' ends
    merged_row_gain: float = 6.0       # a row read as two tasks (content merged over two rows) must fit clearly better

    # --- interleaved text (parsers.text.flattext.interleaved: cells side by side on each line)
    unit_start_fit: float = 1.5        # a line starting with a unit noun (Sở, Phòng, UBND …) opens a unit cell
    deadline_start_fit: float = 1.2    # a line mostly of date words ("Trước ngày") opens a deadline cell
    name_goes_on: float = 3.0          # a unit's name (or a date) cut by the line end and its next word
    column_trial_rows: int = 6         # rows decoded to place a label that stands above the header line
    pair_weight: float = 1.5          # two words seen side by side in the prose are one phrase
    first_line_readings: int = 4       # readings of a row's first line carried into its next lines
    inner_item_cost: float = 3.0       # a bullet after "…;" inside a piece starts another column's item
    interleaved_margin: float = 0.12   # the new interleaved reading replaces layout_*'s only when clearly more plausible
    row_beam: int = 12                 # readings of a row kept column by column
    piece_beam: int = 4                # ways of ending one column's pieces kept line by line
    first_line_quantile: float = 0.75  # first lines of wrapped cells are full, of others shorter; a few misread
    width_rounds: int = 2              # rows decoded with the first lines' widths, then with the widths learnt
    min_wrapped_lines: int = 3         # a width is learnt from at least this many wrapped lines
    width_quantile: float = 0.9        # wrapped lines are nearly full; the longest few may be misread
    width_over: float = 0.15           # proportional fonts: a line may hold this much more than the typical full one
    width_weight: float = 1.5          # ... each such step further over costs this
    width_under: float = 0.0           # widths are the longest line seen, a lower bound: a next word that fits ...
    underfull_cost: float = 5.0        # ... was not wrapped there: the next piece belongs elsewhere
    max_width_ratio: float = 1.6       # no piece of a column is longer than this times its width

    # --- space-aligned text (pdftotext -layout)
    aligned_min_share: float = 0.3     # lines holding two cells apart by 3+ spaces: a third (cells wrap)
    aligned_bias: float = 0.1          # a table read by column positions yields only to a clearly more plausible reading

    # --- choosing a reading
    convincing_quality: float = 0.9    # task rows this plausible need no second reading ...
    max_side_by_side_per_row: float = 0.9   # ... unless many lines hold two cells (interleaved)
    uncertain_quality: float = 0.75    # below this share of fitting cells a table is flagged
    min_row_share: float = 1 / 3       # an interleaved reading with fewer of the other's rows lost the table
    min_stacked_row_share: float = 2 / 3   # a reading-order one with fewer lost part of it
    interleaved_bias: float = 0.1      # then the interleaved reading wins unless clearly worse

    # --- column-by-column text (parsers.text.flattext.columnar)
    noise_box_cost: float = 4.0        # a box that is no cell (a stray label, a title) is rare
    carry_cost: float = 0.5            # text after a page break continues a cell only with evidence
    carry_content_bonus: float = 0.3   # the longest cell of a row, content, is the likeliest to run over a page
    plain_product_words: int = 8       # a longer products cell without a bullet or document noun ...
    plain_product_cost: float = 1.5    # ... is likelier a content sentence (and a bulleted content a product)
    columnar_header_window: int = 80   # column labels scattered over a page between a TT label and the next
    merge_beam: int = 16               # states kept per position of the column-merge search
    merge_skip: int = 2                # empty cells skipped in one step down a column
    jump_cost: float = 1.0             # the next cell neither below nor beside the last one
    columnar_inline_cost: float = 2.0  # a column-major box holds one column: a cell rarely starts mid-line
    collective_lead_cost: float = 1.5  # "Các phòng, ban liên quan" coordinates; a lead is one unit
    columnar_margin: float = 0.02      # the column-major reading must be clearly more plausible

    # --- bounds that keep decoding linear in the text
    max_cell_box_pieces: int = 40      # one cell of a column-major box (a long content cell)
    max_block_pieces: int = 600        # past this a page's boxes are not one block of rows
    max_line_words: dict[str, int] = field(default_factory=lambda: {
        "lead": 8, "coordinating": 10, "deadline": 6,    # words of one line of a unit or deadline cell (interleaved)
    })
    max_cell_lines: dict[str, int] = field(default_factory=lambda: {
        "lead": 8, "coordinating": 10, "deadline": 6,    # unit and deadline cells are short
    })
    max_joint_states: int = 150        # a row over one page break is decoded jointly up to this
    page_break_passes: int = 2         # re-decoding each page's part of a row with the others known
    max_row_pieces: int = 120          # past this a "row" is not one row (kept whole, flagged)


SETTINGS = FlatTextSettings()
