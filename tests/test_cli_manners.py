"""Command-line manners.

Issue 16: help without a command, help on every option, -v/-q everywhere, progress with ETA
on a terminal and as periodic log lines otherwise.

Issue 14: the command line fails with one clear line and the right exit status, never a
traceback; validate and eval refuse to call nothing (or the wrong folder) a success."""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import DEV, DEV_IDS, GOLD, dev_files
from ingest.cli import EXIT_BROKEN_PIPE, EXIT_OUTPUT, EXIT_USAGE, build_parser, main
from ingest.convert import FileOutcome
from ingest.progress import Progress
from ingest.validate_report import as_github, as_junit

ROOT = Path(__file__).resolve().parents[1]
KEHOACH = str(ROOT / ".venv" / "bin" / "kehoach")


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([KEHOACH, *args], capture_output=True, text=True, timeout=300, **kwargs)


def _one_clear_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr


def test_out_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    result = _run("convert", str(DEV / f"{DEV_IDS[0]}.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == EXIT_OUTPUT and "not a folder" in result.stderr
    _one_clear_line(result.stderr)


def test_read_only_out(tmp_path: Path) -> None:
    """A read-only file system (a read-only bind of a folder; root ignores permission bits)."""
    out = tmp_path / "ro"
    out.mkdir()
    if subprocess.run(["mount", "--bind", "-o", "ro", str(out), str(out)], capture_output=True).returncode:
        pytest.skip("cannot make a read-only mount here")
    subprocess.run(["mount", "-o", "remount,bind,ro", str(out)], capture_output=True)
    try:
        result = _run("convert", str(DEV / f"{DEV_IDS[0]}.txt"), "--out", str(out))
    finally:
        subprocess.run(["umount", str(out)], check=False)
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert "read-only" in result.stderr or "cannot" in result.stderr
    _one_clear_line(result.stderr)


def test_output_piped_into_head(tmp_path: Path) -> None:
    # the reader is gone before kehoach writes (as `head` is after its lines of a long output)
    command = f"set -o pipefail; {KEHOACH} validate {DEV / (DEV_IDS[0] + '.txt')} --workers 0 | true"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300,
                            executable="/bin/bash")
    assert result.stderr == ""
    assert result.returncode == EXIT_BROKEN_PIPE


def _fake_soffice(folder: Path, marker: str) -> dict[str, str]:
    """A 'soffice' that never finishes and leaves a child of its own behind (as soffice.bin)."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\nsleep {marker} &\nsleep {marker}\n")
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


def _alive(marker: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                cmdline = Path(f"/proc/{name}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if cmdline[:2] == [b"sleep", marker.encode()]:
                found.append(int(name))
    return found


def test_timeout_kills_the_helper_and_its_temp_files(tmp_path: Path) -> None:
    marker = "987.5"
    env = _fake_soffice(tmp_path / "bin", marker)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env["TMPDIR"] = str(temp)
    (tmp_path / "slow.rtf").write_text("{\\rtf1 slow}")
    result = _run("convert", str(tmp_path / "slow.rtf"), "--out", str(tmp_path / "out"), "--workers", "1",
                  "--timeout", "3", env=env)
    assert result.returncode == 1 and "time limit" in result.stdout
    time.sleep(0.5)
    assert _alive(marker) == []
    assert list(temp.iterdir()) == []                # worker and LibreOffice temp folders gone


def test_libreoffice_time_limit_kills_its_process_group(tmp_path: Path, monkeypatch) -> None:
    """to_docx's own time limit: soffice and the soffice.bin it started both go."""
    from parsers.errors import ParseError
    from parsers.word97 import to_docx

    marker = "985.5"
    env = _fake_soffice(tmp_path / "bin", marker)
    monkeypatch.setenv("PATH", env["PATH"])
    started = time.monotonic()
    with pytest.raises(ParseError, match="within 2 s"):
        to_docx(b"{\\rtf1 slow}", "rtf", timeout_s=2)
    assert time.monotonic() - started < 10
    time.sleep(0.3)
    assert _alive(marker) == []


def test_ctrl_c_one_line_exit_130(tmp_path: Path) -> None:
    marker = "986.5"
    env = _fake_soffice(tmp_path / "bin", marker)
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(DEV / f"{DEV_IDS[0]}.txt", inp / "a.txt")
    for name in ("b.rtf", "c.rtf"):
        (inp / name).write_text("{\\rtf1 slow}")
    process = subprocess.Popen([KEHOACH, "convert", str(inp), "--out", str(tmp_path / "out"), "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while not _alive(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    os.killpg(process.pid, signal.SIGINT)            # what the terminal does on Ctrl-C
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    _one_clear_line(stderr)
    assert "interrupted" in stderr
    time.sleep(0.5)
    assert _alive(marker) == []
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert {Path(f["path"]).name for f in report["files"]} == {"a.txt", "b.rtf", "c.rtf"}


# -- validate -------------------------------------------------------------------------


def test_junit_escapes_control_characters() -> None:
    outcome = FileOutcome(path="a\x1bb.txt", status="ok", issue_list=[
        {"severity": "error", "code": "MISSING_LEAD", "message": "bad \x01 text \x1b[31m", "location": {}}],
        errors=1, issues=1)
    unreadable = FileOutcome(path="c.pdf", status="error", error="garbage \x00\x0b here")
    root = ET.fromstring(as_junit([outcome, unreadable]).encode("utf-8"))    # parses: well-formed
    texts = " ".join(e.text or "" for e in root.iter()) + " ".join(v for e in root.iter() for v in e.attrib.values())
    assert "\\x1b" in texts and "\\x01" in texts and "\x1b" not in texts


def test_github_annotations_escape_values() -> None:
    outcome = FileOutcome(path="evil\n::error file=x::injected,a:b.txt", status="ok", issue_list=[
        {"severity": "warning", "code": "SEQ_GAP", "message": "line1\nline2 100%", "location": {"line": 3}}],
        issues=1)
    lines = as_github([outcome]).splitlines()
    assert len(lines) == 1
    assert lines[0] == ("::warning file=evil%0A%3A%3Aerror file=x%3A%3Ainjected%2Ca%3Ab.txt,line=3,"
                        "title=SEQ_GAP::line1%0Aline2 100%25")


def test_validate_empty_folder_exits_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["validate", str(tmp_path / "empty")]) == EXIT_USAGE
    assert "nothing to validate" in capsys.readouterr().err


def test_validate_a_letter_is_not_a_valid_plan(tmp_path: Path) -> None:
    from builders import cover_letter

    path = cover_letter(tmp_path / "letter.docx")
    assert main(["validate", str(path), "--workers", "0"]) == 1
    config = tmp_path / "kehoach.toml"
    config.write_text('[severity]\nNOTHING_EXTRACTED = "warning"\n', "utf-8")
    assert main(["validate", str(path), "--workers", "0", "--config", str(config)]) == 0


# -- eval -----------------------------------------------------------------------------


def test_eval_wrong_gold_folder_is_an_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "pred").mkdir()
    assert main(["eval", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path / "pred"),
                 "--min", "tasks.recall=0.9"]) == EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err


def test_eval_missing_predictions_count_as_missed(tmp_path: Path, capsys) -> None:
    from ingest.evaluate import evaluate

    pred = tmp_path / "pred"
    pred.mkdir()
    assert main(["eval", "--gold", str(GOLD), "--pred", str(pred), "--min", "tasks.recall=0.5"]) == 1
    assert "BELOW FLOOR" in capsys.readouterr().out
    shutil.copy(GOLD / f"{DEV_IDS[0]}.json", pred / "one.json")        # one of three predicted
    metrics, _ = evaluate(GOLD, pred)
    gold_tasks = [len(json.loads(p.read_text("utf-8"))["tasks"]) for p in sorted(GOLD.glob("*.json"))]
    assert metrics["docs.coverage"] == round(1 / 3, 4)
    assert metrics["tasks.recall"] == round(gold_tasks[0] / sum(gold_tasks), 4)
    assert metrics["tasks.precision"] == 1.0


# --- issue 16 ---

def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kehoach") and "convert" in out and "review" in out and "export" in out


def test_every_option_has_help_and_every_command_has_v_and_q() -> None:
    commands = _commands()
    assert {"convert", "validate", "rules", "schema", "eval", "export", "review"} <= set(commands)
    for name, parser in commands.items():
        options = {opt for a in parser._actions for opt in a.option_strings}
        assert {"-v", "--verbose", "-q", "--quiet"} <= options, name
        for action in parser._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"{name} {action.option_strings or action.dest}"


def test_progress_is_log_lines_off_a_terminal() -> None:
    stream = io.StringIO()
    bar = Progress(3, stream=stream)
    for name in ("a.txt", "b.txt", "c.txt"):
        bar.step(name)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines and lines[-1].startswith("kehoach: 3/3 files (100%)") and "ETA" in lines[-1]


def test_progress_bar_with_eta_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(2, stream=stream)
    bar.step("a.txt")
    bar.step("b.txt")
    bar.close()
    text = stream.getvalue()
    assert "2/2" in text and "<" in text and "kehoach:" not in text     # tqdm: [elapsed<remaining]


def test_convert_logs_progress_and_quiet_silences_it(tmp_path: Path, capsys) -> None:
    paths = [str(p) for p in dev_files("txt")]
    assert main(["convert", *paths, "--out", str(tmp_path / "a"), "--workers", "0"]) == 0
    captured = capsys.readouterr()
    assert "kehoach: 3/3 files (100%)" in captured.err and "ETA" in captured.err
    assert "3 converted" in captured.out
    assert main(["convert", *paths, "--out", str(tmp_path / "b"), "--workers", "0", "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "3/3" not in captured.err
    assert main(["export", str(tmp_path / "b"), "--to", "csv", "-q"]) == 0
    assert (tmp_path / "b" / "csv" / "tasks.csv").is_file()
    assert main(["rules", "-v"]) == 0
