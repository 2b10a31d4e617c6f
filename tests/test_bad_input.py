"""Bad input never breaks a batch: each file gets a precise error, the rest are converted,
and nothing partial is left behind."""
from __future__ import annotations

import json
import os
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import DEV, DEV_IDS
from ingest.batch import run_batch
from ingest.pool import Limits

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 keeps base letters precomposed and tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tone)
    return "".join(out).encode("cp1258")


def _zip_bomb(path: Path) -> None:
    """A DOCX whose document.xml expands to ~1 GB of zeros (a few MB compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b"0" * (1 << 20)
            for _ in range(1024):
                handle.write(chunk)


def _entity_expansion(path: Path) -> None:
    source = DEV / f"{DEV_IDS[0]}.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as archive:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                lol = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                       + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
                       + ']>')
                data = lol.encode() + data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&i;", 1)
            archive.writestr(item, data)


def _encrypted_pdf(path: Path) -> None:
    import pypdfium2  # noqa: F401  (pdfplumber's dependency; used only to check it is present)
    from pdfminer.pdfparser import PDFParser  # noqa: F401
    # A minimal PDF with an /Encrypt dictionary in its trailer: readers must ask for a password.
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"3 0 obj<</Filter/Standard/V 1/R 2/O(0123456789abcdef0123456789abcdef)"
        b"/U(0123456789abcdef0123456789abcdef)/P -4>>endobj\n"
        b"trailer<</Root 1 0 R/Encrypt 3 0 R/ID[<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]>>\n%%EOF\n")


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    folder = tmp_path_factory.mktemp("bad") / "in"
    folder.mkdir()
    (folder / "rỗng.docx").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes((DEV / f"{DEV_IDS[0]}.pdf").read_bytes()[:4000])
    (folder / "html.docx").write_text("<html><body><p>Kế hoạch</p></body></html>", "utf-8")
    with zipfile.ZipFile(folder / "plain zip.docx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    _zip_bomb(folder / "bomb.docx")
    _entity_expansion(folder / "entities.docx")
    _encrypted_pdf(folder / "encrypted.pdf")
    (folder / "cp1258.txt").write_bytes(cp1258_bytes((DEV / f"{DEV_IDS[2]}.txt").read_text("utf-8")))
    (folder / "binary.txt").write_bytes(os.urandom(3000))
    (folder / "not a plan.md").write_text("# Thông báo\n\nNội dung cuộc họp giao ban tuần.\n", "utf-8")
    header = "TT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
    rows = "".join(f"{i}\tNhiệm vụ số {i}\tBáo cáo\tPhòng Kinh tế\tCác phòng ban\tQuý I/2026\n"
                   for i in range(1, 10001))
    (folder / "kế hoạch 10000 dòng.txt").write_text("KẾ HOẠCH\nThử nghiệm năm 2026\n\nPhụ lục\n" + header + rows, "utf-8")
    shutil.copy(DEV / f"{DEV_IDS[1]}.docx", folder / "Kế hoạch xã Thiên Phú.docx")
    shutil.copy(DEV / f"{DEV_IDS[1]}.docx", folder / "really a docx.pdf")
    (folder / "utf16.txt").write_bytes((DEV / f"{DEV_IDS[0]}.txt").read_text("utf-8").encode("utf-16"))
    out = folder.parent / "out"
    run_batch([str(folder)], out, workers=2, limits=Limits(timeout_s=120, memory_mb=1500), progress=False)
    report = json.loads((out / "report.json").read_text("utf-8"))
    return out, {Path(f["path"]).name: f for f in report["files"]}


@pytest.mark.parametrize("name,expected", [
    ("rỗng.docx", "empty file"),
    ("truncated.pdf", "PDF"),
    ("html.docx", "HTML"),
    ("plain zip.docx", "not a Word document"),
    ("bomb.docx", "too large"),
    ("encrypted.pdf", "encrypted"),
    ("binary.txt", "not UTF-8"),
])
def test_bad_file_reported(bad_batch, name: str, expected: str) -> None:
    _, files = bad_batch
    assert files[name]["status"] == "error"
    assert expected.lower() in files[name]["error"].lower()


def test_entity_expansion_is_not_expanded(bad_batch) -> None:
    _, files = bad_batch
    entry = files["entities.docx"]
    assert entry["status"] == "error" or entry["seconds"] < 30


def test_good_files_still_converted(bad_batch) -> None:
    out, files = bad_batch
    assert files["Kế hoạch xã Thiên Phú.docx"]["status"] == "ok"
    assert files["Kế hoạch xã Thiên Phú.docx"]["tasks"] == 36
    assert files["cp1258.txt"]["status"] == "ok" and files["cp1258.txt"]["tasks"] == 42
    assert files["not a plan.md"]["status"] == "ok" and files["not a plan.md"]["tasks"] == 0
    assert files["kế hoạch 10000 dòng.txt"]["tasks"] == 10000
    assert files["really a docx.pdf"]["status"] == "ok" and files["really a docx.pdf"]["format"] == "docx"
    assert files["really a docx.pdf"]["tasks"] == 36
    assert files["utf16.txt"]["status"] == "ok" and files["utf16.txt"]["tasks"] == 38


def test_nothing_partial_left(bad_batch) -> None:
    out, files = bad_batch
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".") and p.suffix == ".tmp"]
    assert leftovers == []
    written = {p.name for p in (out / "json").glob("*.json")}
    assert len(written) == sum(f["status"] == "ok" for f in files.values())
