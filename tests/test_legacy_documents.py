"""TCVN3 and VNI renditions of a dev plan (.txt and .docx, made here) give the same tasks and
targets as the Unicode original, with a LEGACY_ENCODING_CONVERTED warning."""
from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import DEV, DEV_IDS
from ingest.convert import convert_file
from normalize.legacy import from_unicode

FONTS = {"tcvn3": ".VnTime", "vni": "VNI-Times"}


def _essence(path: Path) -> tuple[list, list, set]:
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    doc = json.loads(outcome.json_text)
    tasks = [(t["seq"], t["area"], t["content"], t["products"], t["lead"], t["coordinating"], t["deadline"])
             for t in doc["tasks"]]
    targets = [(t["value"], t["comparator"], t["year"], t["text"]) for t in doc["targets"]]
    return tasks, targets, {i["code"] for i in doc["issues"]}


def _legacy_docx(source: Path, encoding: str, target: Path, font: str | None = None) -> None:
    document = docx.Document(str(source))
    for run in document.element.body.iter(qn("w:r")):
        for t in run.iter(qn("w:t")):
            t.text = from_unicode(t.text or "", encoding)
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), font or FONTS[encoding])
    document.save(str(target))


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_txt_matches_unicode(tmp_path: Path, encoding: str) -> None:
    source = DEV / f"{DEV_IDS[2]}.txt"
    legacy = tmp_path / f"{encoding}.txt"
    # Legacy-font text files were saved by Windows editors in the ANSI code page (cp1252).
    legacy.write_bytes(from_unicode(source.read_text("utf-8"), encoding).encode("cp1252"))
    tasks, targets, codes = _essence(legacy)
    original_tasks, original_targets, _ = _essence(source)
    assert tasks == original_tasks and targets == original_targets
    assert "LEGACY_ENCODING_CONVERTED" in codes


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_docx_matches_unicode(tmp_path: Path, encoding: str) -> None:
    source = DEV / f"{DEV_IDS[0]}.docx"
    legacy = tmp_path / f"{encoding}.docx"
    _legacy_docx(source, encoding, legacy)
    tasks, targets, codes = _essence(legacy)
    original_tasks, original_targets, _ = _essence(source)
    assert tasks == original_tasks and targets == original_targets
    assert "LEGACY_ENCODING_CONVERTED" in codes


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_bytes_under_a_unicode_font_name_match_unicode(tmp_path: Path, encoding: str) -> None:
    """A legacy document whose fonts were replaced by "Times New Roman" (the bytes kept): the
    text itself says which encoding it is in."""
    source = DEV / f"{DEV_IDS[0]}.docx"
    legacy = tmp_path / f"{encoding}-times.docx"
    _legacy_docx(source, encoding, legacy, font="Times New Roman")
    tasks, targets, codes = _essence(legacy)
    original_tasks, original_targets, _ = _essence(source)
    assert tasks == original_tasks and targets == original_targets
    assert "LEGACY_ENCODING_CONVERTED" in codes
