"""Issue codes: every code a validation rule or a reader can report, with its default severity
and a one-line description, in one place (`kehoach rules` lists them in this order; severities
can be overridden per code in pyproject [tool.kehoach] / kehoach.toml).

Readers report a code as `parsers.model.ParserWarning(Code.X, message)`: a mistyped code is an
AttributeError where it is written, not a generic PARSER_WARNING.
"""
from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """An issue code: its value is its name; it carries `severity` and `description`."""

    def __new__(cls, value: str, severity: str, description: str) -> Code:
        code = str.__new__(cls, value)
        code._value_ = value
        code.severity = severity
        code.description = description
        return code

    MISSING_LEAD = "MISSING_LEAD", "error", "a task with no lead unit"
    UNPARSED_DEADLINE = "UNPARSED_DEADLINE", "error", "deadline text not understood"
    COMMUNE_MISMATCH = "COMMUNE_MISMATCH", "error", "the text names another commune as this plan's own"
    UNASSIGNED_CELLS = "UNASSIGNED_CELLS", "error", "row cells that could not be mapped to columns"
    DUPLICATE_SEQ = "DUPLICATE_SEQ", "warning", "a sequence number printed twice in one annex"
    SEQ_OUT_OF_ORDER = "SEQ_OUT_OF_ORDER", "warning", "a sequence number out of order"
    SEQ_GAP = "SEQ_GAP", "warning", "a sequence number missing from an annex"
    UNKNOWN_DEPARTMENT = "UNKNOWN_DEPARTMENT", "warning", "a unit mention that matches no department code"
    MISSING_DEADLINE = "MISSING_DEADLINE", "warning", "empty deadline cell"
    DEADLINE_OUTSIDE_PERIOD = "DEADLINE_OUTSIDE_PERIOD", "warning", "due after the plan period, or long before it"
    PERCENT_OVER_100 = "PERCENT_OVER_100", "warning", "a percentage goal above 100"
    INVALID_PERCENT = "INVALID_PERCENT", "warning", "a figure with '%' that is no percentage (negative, exponent, 4+ digits): not a target"
    DEADLINE_REVERSED = "DEADLINE_REVERSED", "warning", "a deadline window whose start lies after its end"
    NO_TASK_TABLE = "NO_TASK_TABLE", "warning", "no annex task table found"
    MISSING_NUMBER = "MISSING_NUMBER", "warning", "plan number left blank"
    MISSING_ISSUED_DATE = "MISSING_ISSUED_DATE", "warning", "issue date left blank"
    INVALID_DATE = "INVALID_DATE", "warning", "a date that does not exist (day 40, month 13): left out, the text is quoted"
    MISSING_SIGNER = "MISSING_SIGNER", "warning", "no signature block found"
    LEAD_BY_REFERENCE = "LEAD_BY_REFERENCE", "warning", "lead unit given only by reference to another document"
    PLAN_DATE_CONFLICT = "PLAN_DATE_CONFLICT", "warning", "header and annex give different numbers or dates"
    PARSER_WARNING = "PARSER_WARNING", "warning", "the reader had to repair or convert the input"
    NOT_A_PLAN = "NOT_A_PLAN", "warning", "the document is not a plan (report, letter, notice, decision): nothing extracted"
    NOTHING_EXTRACTED = "NOTHING_EXTRACTED", "error", "no task table and no target: not a valid plan (set it to \"warning\" or \"off\" where letters and reports are expected)"
    LEGACY_ENCODING_CONVERTED = "LEGACY_ENCODING_CONVERTED", "warning", "text in a legacy Vietnamese encoding was converted to Unicode"
    PDF_NO_TEXT_LAYER = "PDF_NO_TEXT_LAYER", "warning", "a PDF without a text layer (a scan): read with OCR where available"
    PDF_ROTATED_TEXT = "PDF_ROTATED_TEXT", "warning", "rotated characters (e.g. vertical margin text) were left out"
    PDF_BORDERLESS_TABLE = "PDF_BORDERLESS_TABLE", "warning", "an annex table without ruling lines was recovered from word positions"
    PDF_BORDERLESS_FAILED = "PDF_BORDERLESS_FAILED", "warning", "recovering a table without ruling lines failed on a page; its text was kept as prose"
    OCR_FALLBACK = "OCR_FALLBACK", "warning", "pages whose text layer is not real Vietnamese were read with OCR instead"
    PDF_UNREADABLE_FONTS = "PDF_UNREADABLE_FONTS", "warning", "fonts whose text layer gives no real text (a broken font map): their pages are read with OCR"
    PDF_IMAGE_WITH_TEXT_LAYER = "PDF_IMAGE_WITH_TEXT_LAYER", "warning", "page images under an invisible text layer (a scan with OCR text): read with OCR"
    PDF_PAGES_WITHOUT_TEXT = "PDF_PAGES_WITHOUT_TEXT", "warning", "some pages of a PDF with a text layer have none (scanned pages)"
    OCR_LOW_CONFIDENCE = "OCR_LOW_CONFIDENCE", "warning", "pages read by OCR with a low mean confidence (a poor scan): check the values"
    OCR_PAGE_FAILED = "OCR_PAGE_FAILED", "warning", "a scanned page could not be read; the other pages were"
    OCR_PAGE_TURNED = "OCR_PAGE_TURNED", "warning", "a scanned page lay sideways or upside down and was turned upright"
    OCR_PAGES_OUT_OF_RANGE = "OCR_PAGES_OUT_OF_RANGE", "warning", "OCR was asked for pages the document does not have"
    OCR_NO_TEXT = "OCR_NO_TEXT", "warning", "OCR recognised no text on any page"
    TEXT_FRAGMENT_UNPLACED = "TEXT_FRAGMENT_UNPLACED", "warning", "text inside a task table of flattened text that fits none of its columns: kept in the task's extra"
    TEXT_TABLE_UNCERTAIN = "TEXT_TABLE_UNCERTAIN", "warning", "a task table in flattened text was decoded with little agreement between its cells and their columns: check its rows"
