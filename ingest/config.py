"""Rule severities from kehoach.toml ([severity]) or pyproject.toml ([tool.kehoach.severity])."""
from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.validation import DEFAULT_SEVERITY

VALID = {"error", "warning", "off"}


class ConfigError(Exception):
    pass


def _table(path: Path) -> dict:
    data = tomllib.loads(path.read_text("utf-8"))
    if path.name == "pyproject.toml":
        return ((data.get("tool") or {}).get("kehoach") or {}).get("severity") or {}
    return data.get("severity") or {}


def find_config(start: Path) -> Path | None:
    """kehoach.toml, else a pyproject.toml with [tool.kehoach], in start or its parents."""
    for folder in [start, *start.parents]:
        for name in ("kehoach.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                try:
                    if name == "kehoach.toml" or "kehoach" in (tomllib.loads(candidate.read_text("utf-8"))
                                                               .get("tool") or {}):
                        return candidate
                except (tomllib.TOMLDecodeError, OSError):
                    continue
    return None


def load_severities(path: Path | None) -> dict[str, str]:
    """Code -> severity overrides ('off' drops the rule). Unknown codes or values are errors."""
    if path is None:
        return {}
    try:
        table = _table(path)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    out: dict[str, str] = {}
    for code, severity in table.items():
        if code not in DEFAULT_SEVERITY:
            raise ConfigError(f"{path}: unknown rule {code!r} (known: {', '.join(sorted(DEFAULT_SEVERITY))})")
        if severity not in VALID:
            raise ConfigError(f"{path}: severity of {code} must be one of {sorted(VALID)}, not {severity!r}")
        out[code] = severity
    return out
