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


@pytest.fixture(scope="module")
def doc_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("doc")
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(folder),
                    *[str(DEV / f"{d}.docx") for d in DEV_IDS]], check=True, capture_output=True, timeout=300)
    return {d: folder / f"{d}.doc" for d in DEV_IDS}


@pytest.mark.parametrize("doc_id", DEV_IDS)
def test_doc_gives_same_tasks_as_docx(doc_files, doc_id: str) -> None:
    assert _tasks(doc_files[doc_id]) == _tasks(DEV / f"{doc_id}.docx")


def test_missing_libreoffice_is_a_clear_error(monkeypatch) -> None:
    import parsers.word97 as word97

    monkeypatch.setattr(word97.shutil, "which", lambda name: None)
    with pytest.raises(ParseError, match="LibreOffice"):
        word97.parse_word97(b"\xd0\xcf\x11\xe0", "doc")
