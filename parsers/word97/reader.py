"""Legacy Word (.doc), OpenDocument (.odt) and RTF files, read through LibreOffice.

LibreOffice (headless) converts the file to DOCX in a private temporary folder and profile,
with a time limit (`to_docx`); the registry (parsers/registry.py) then has the DOCX reader
read it like any other Word file.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parsers.errors import ParseError

CONVERT_TIMEOUT_S = 120


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ParseError("reading .doc/.odt/.rtf needs LibreOffice, which is not installed "
                     "(Debian: apt-get install libreoffice-writer-nogui; the setup script installs it)")


def _lift_memory_cap() -> None:
    """LibreOffice maps far more address space than it uses: lift a worker's soft cap."""
    try:
        import resource
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


def to_docx(data: bytes, fmt: str = "doc", timeout_s: float = CONVERT_TIMEOUT_S) -> bytes:
    """The file converted to DOCX by LibreOffice (a ParseError when it cannot be)."""
    soffice = _soffice()
    with tempfile.TemporaryDirectory(prefix="kehoach-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{fmt}"
        source.write_bytes(data)
        # A private profile lets several workers run LibreOffice at once.
        profile = (folder / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx", "--outdir", str(folder / "out"), str(source)]
        # A process group of its own: on a time limit the whole group goes (soffice starts
        # soffice.bin, which subprocess.run's timeout alone would leave running).
        helper = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "HOME": tmp}, preexec_fn=_lift_memory_cap,
                                  process_group=0)
        try:
            helper.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            os.killpg(helper.pid, signal.SIGKILL)
            helper.wait()
            raise ParseError(f"LibreOffice did not convert the .{fmt} file within {timeout_s:g} s") from exc
        converted = folder / "out" / "input.docx"
        if not converted.exists():
            raise ParseError(f"LibreOffice could not convert the .{fmt} file (corrupt or not a Word document)")
        return converted.read_bytes()
