"""`kehoach validate`: exit codes, output formats, configurable severities."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import DEV, DEV_IDS


def kehoach(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    for doc_id in DEV_IDS:
        shutil.copy(DEV / f"{doc_id}.docx", tmp_path / f"{doc_id}.docx")
    return tmp_path


def test_text_report_and_exit_code(plans: Path) -> None:
    # 003 copies another commune's name into a task: COMMUNE_MISMATCH is an error by default.
    result = kehoach("validate", *sorted(p.name for p in plans.glob("*.docx")), cwd=plans)
    assert result.returncode == 1, result.stderr
    assert "COMMUNE_MISMATCH" in result.stdout and "Hà Đông" in result.stdout
    assert "DEADLINE_OUTSIDE_PERIOD" in result.stdout and "Quý IV/2027" in result.stdout
    assert "DUPLICATE_SEQ" in result.stdout


def test_valid_file_exits_zero(plans: Path) -> None:
    result = kehoach("validate", f"{DEV_IDS[0]}.docx", cwd=plans)
    assert result.returncode == 0, result.stdout


def test_unreadable_file_exits_two(plans: Path) -> None:
    (plans / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    result = kehoach("validate", f"{DEV_IDS[0]}.docx", "broken.pdf", cwd=plans)
    assert result.returncode == 2
    assert "UNREADABLE" in result.stdout


def test_junit_output_parses(plans: Path) -> None:
    result = kehoach("validate", "--format", "junit", *sorted(p.name for p in plans.glob("*.docx")), cwd=plans)
    root = ET.fromstring(result.stdout.split("?>", 1)[1])
    suites = root.findall("testsuite")
    assert len(suites) == 3
    failed = {(s.get("name"), c.get("name")) for s in suites for c in s.findall("testcase")
              if c.find("failure") is not None}
    assert failed == {(f"{DEV_IDS[2]}.docx", "COMMUNE_MISMATCH")}


def test_github_annotations(plans: Path) -> None:
    result = kehoach("validate", "--format", "github", f"{DEV_IDS[2]}.docx", cwd=plans)
    lines = result.stdout.splitlines()
    assert any(l.startswith(f"::error file={DEV_IDS[2]}.docx") and "COMMUNE_MISMATCH" in l for l in lines)
    assert all(l.startswith(("::error", "::warning")) for l in lines)


def test_json_output(plans: Path) -> None:
    result = kehoach("validate", "--format", "json", f"{DEV_IDS[1]}.docx", cwd=plans)
    report = json.loads(result.stdout)
    codes = {i["code"] for i in report["files"][0]["issues"]}
    assert {"DUPLICATE_SEQ", "SEQ_OUT_OF_ORDER", "SEQ_GAP"} <= codes
    assert report["files"][0]["valid"] is True


def test_severity_config(plans: Path) -> None:
    (plans / "kehoach.toml").write_text('[severity]\nCOMMUNE_MISMATCH = "warning"\n'
                                        'DEADLINE_OUTSIDE_PERIOD = "error"\n', "utf-8")
    assert kehoach("validate", f"{DEV_IDS[2]}.docx", cwd=plans).returncode == 0
    assert kehoach("validate", f"{DEV_IDS[0]}.docx", cwd=plans).returncode == 1
    (plans / "kehoach.toml").write_text('[severity]\nNO_SUCH_RULE = "error"\n', "utf-8")
    bad = kehoach("validate", f"{DEV_IDS[0]}.docx", cwd=plans)
    assert bad.returncode == 2 and "unknown rule" in bad.stderr


def test_convert_cli_summary_and_rerun(plans: Path) -> None:
    first = kehoach("convert", ".", "--out", "out", "--workers", "1", cwd=plans)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "3 converted" in first.stdout
    second = kehoach("convert", ".", "--out", "out", "--workers", "1", cwd=plans)
    assert "3 unchanged" in second.stdout
    report = json.loads((plans / "out" / "report.json").read_text("utf-8"))
    assert [f["status"] for f in report["files"]] == ["skipped"] * 3


def test_every_parser_warning_code_is_a_rule():
    """Each warning code a parser can emit (ParserWarning(Code.X, …)) is listed by `kehoach
    rules` with a default severity, so that users can change its severity in their
    configuration."""
    import re
    from pathlib import Path

    from ingest.validation import DEFAULT_SEVERITY, RULE_DESCRIPTIONS

    root = Path(__file__).resolve().parent.parent
    emitted = set()
    for path in [*root.joinpath("parsers").rglob("*.py"), *root.joinpath("ingest").rglob("*.py")]:
        emitted |= set(re.findall(r"ParserWarning\(\s*Code\.([A-Z][A-Z0-9_]+)", path.read_text("utf-8")))
    assert {"LEGACY_ENCODING_CONVERTED", "TEXT_TABLE_UNCERTAIN", "OCR_FALLBACK"} <= emitted
    assert emitted <= set(DEFAULT_SEVERITY) & set(RULE_DESCRIPTIONS), emitted - set(DEFAULT_SEVERITY)