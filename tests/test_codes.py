"""Issue codes live in one enum (schema/codes.py); readers emit typed warnings."""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

from ingest.validation import DEFAULT_SEVERITY, RULE_DESCRIPTIONS
from parsers.model import ParserWarning
from schema.codes import Code

ROOT = Path(__file__).resolve().parent.parent


def test_every_code_is_its_own_name_with_a_severity_and_description() -> None:
    for code in Code:
        assert code.value == code.name
        assert code.severity in ("error", "warning") and code.description
    assert DEFAULT_SEVERITY == {code.value: code.severity for code in Code}
    assert RULE_DESCRIPTIONS == {code.value: code.description for code in Code}


def test_a_parser_warning_is_its_code_and_message_and_the_old_string() -> None:
    warning = ParserWarning(Code.OCR_FALLBACK, "pages 2 have no usable text layer")
    assert warning == "OCR_FALLBACK: pages 2 have no usable text layer"
    assert warning.code is Code.OCR_FALLBACK and warning.message == "pages 2 have no usable text layer"
    again = pickle.loads(pickle.dumps(warning))        # documents cross worker processes
    assert again == warning and again.code is Code.OCR_FALLBACK and again.message == warning.message
    assert json.dumps([warning]) == json.dumps([str(warning)])


def test_no_parser_writes_a_code_as_a_string() -> None:
    """Every reader emits typed warnings (ParserWarning): a "CODE: message" literal, where a
    mistyped code would silently become a generic PARSER_WARNING, is written nowhere."""
    written = set()
    for path in (ROOT / "parsers").rglob("*.py"):
        written |= set(re.findall(r"[\"']([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+): ", path.read_text(encoding="utf-8")))
    assert not written, written
