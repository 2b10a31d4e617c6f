"""The rules of the house (README, "Architecture"), checked on every CI run.

- the import contracts of pyproject.toml ([tool.importlinter]: layers, schema alone,
  normalize never imports parsers, no format imports another) with `lint-imports`;
- `ruff check` (pyflakes and a McCabe complexity ceiling, [tool.ruff]);
- no shipped function over 80 lines, no module over 500 lines, no module importing another
  module's `_private` name.

Known debts, if any, are listed below and may only shrink.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGES = ("ingest", "parsers", "normalize", "schema")
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 500
# Debt: functions over the limit today (lines), to split; none may grow, none may be added.
LONG_FUNCTIONS: dict[tuple[str, str], int] = {}
# Debt: modules over the limit today (lines).
LONG_MODULES: dict[str, int] = {}


def _shipped() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing() -> None:
    result = _run(str(BIN / "ruff"), "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", _shipped(), ids=_rel)
def test_functions_and_modules_are_short(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    rel = _rel(path)
    lines = source.count("\n")
    assert lines <= max(MAX_MODULE_LINES, LONG_MODULES.get(rel, 0)), f"{rel}: {lines} lines"
    for name, length in _functions(ast.parse(source)):
        limit = max(MAX_FUNCTION_LINES, LONG_FUNCTIONS.get((rel, name), 0))
        assert length <= limit, f"{rel}: {name} is {length} lines"


def test_the_debt_lists_hold_no_paid_debt() -> None:
    """A function or module split below the limit leaves the list (so the list only shrinks)."""
    long_functions = {(_rel(p), name) for p in _shipped()
                      for name, length in _functions(ast.parse(p.read_text(encoding="utf-8")))
                      if length > MAX_FUNCTION_LINES}
    long_modules = {_rel(p) for p in _shipped() if p.read_text(encoding="utf-8").count("\n") > MAX_MODULE_LINES}
    assert set(LONG_FUNCTIONS) == long_functions
    assert set(LONG_MODULES) == long_modules


def test_no_private_name_is_imported_from_another_module() -> None:
    found = []
    for path in _shipped():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                found += [f"{_rel(path)}: from {node.module} import {alias.name}"
                          for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert found == []
