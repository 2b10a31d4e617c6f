"""Legacy .doc files (made from the dev .docx by LibreOffice) give the same tasks."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DEV, DEV_IDS
from ingest.convert import convert_file
from parsers.errors import ParseError


def _tasks(path: Path) -> list[tuple]:
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    doc = json.loads(outcome.json_text)
    return [(t["seq"], t["area"], t["content"], t["lead"], t["coordinating"], t["deadline"]["kind"],
             t["deadline"]["due"]) for t in doc["tasks"]]


def _converted(folder: Path, to: str, ids: list[str]) -> dict[str, Path]:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", to, "--outdir", str(folder),
                    *[str(DEV / f"{d}.docx") for d in ids]], check=True, capture_output=True, timeout=300)
    return {d: folder / f"{d}.{to}" for d in ids}


@pytest.fixture(scope="module")
def doc_files(tmp_path_factory) -> dict[str, Path]:
    return _converted(tmp_path_factory.mktemp("doc"), "doc", DEV_IDS)


@pytest.mark.parametrize("doc_id", DEV_IDS)
def test_doc_gives_same_tasks_as_docx(doc_files, doc_id: str) -> None:
    assert _tasks(doc_files[doc_id]) == _tasks(DEV / f"{doc_id}.docx")


def test_missing_libreoffice_is_a_clear_error(monkeypatch) -> None:
    import parsers.word97.reader as word97

    monkeypatch.setattr(word97.shutil, "which", lambda name: None)
    with pytest.raises(ParseError, match="LibreOffice"):
        word97.to_docx(b"\xd0\xcf\x11\xe0", "doc")


def test_rtf_gives_same_tasks_as_docx(tmp_path: Path) -> None:
    """An RTF copy of a plan (Word's "Rich Text Format") is read through LibreOffice too."""
    rtf = _converted(tmp_path, "rtf", DEV_IDS[1:2])[DEV_IDS[1]]
    assert rtf.read_bytes().startswith(b"{\\rtf")
    outcome = convert_file(str(rtf))
    assert outcome.status == "ok" and outcome.format == "rtf", outcome.error
    assert _tasks(rtf) == _tasks(DEV / f"{DEV_IDS[1]}.docx")
