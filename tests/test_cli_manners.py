"""Command-line manners: help without a command, help on every option, -v/-q everywhere,
progress with ETA on a terminal and as periodic log lines otherwise."""
from __future__ import annotations

import argparse
import io
from pathlib import Path

from conftest import dev_files
from ingest.cli import build_parser, main
from ingest.progress import Progress


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
