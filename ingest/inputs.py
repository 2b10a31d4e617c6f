"""What a batch was given: every path named or found under a named folder, each either a file
to convert or a reason why it is not converted (so the report accounts for every path)."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ingest.detect import SUPPORTED_SUFFIXES

_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as text that can always be printed and written as UTF-8: bytes of a file name
    that are not valid UTF-8 (a name copied from an old Windows or zip archive) are shown
    escaped (b'\\xe0' -> '\\xe0') instead of breaking the report."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Input:
    path: str                   # as named or found (may hold surrogate escapes: see display_path)
    reason: str | None = None   # why it is not converted; None: a regular file to convert
    failed: bool = False        # the reason is a failure (exit status 1), not a choice


def _kind(mode: int) -> str | None:
    for test, label in _NOT_REGULAR:
        if test(mode):
            return label
    return None


def _classify_named(path: Path) -> Input:
    """A path named on the command line: read whatever its extension (the format is told from
    the content), but only if it is a regular file: reading a FIFO or device would block."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Input(str(path), "file not found" if not path.is_symlink() else "broken symbolic link",
                     failed=True)
    except OSError as exc:
        return Input(str(path), f"cannot read the file: {exc.strerror}", failed=True)
    if stat.S_ISREG(mode):
        return Input(str(path))
    return Input(str(path), f"not a regular file ({_kind(mode) or 'special file'}): not read")


def _walk(folder: Path, root: Path, exclude: set[str], out: list[Input]) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        out.append(Input(str(folder), f"cannot read the folder: {exc.strerror}", failed=True))
        return
    if not entries and folder != root:
        out.append(Input(str(folder), "empty folder"))
    for entry in entries:
        path = Path(entry.path)
        if os.path.realpath(path) in exclude:
            continue                   # the output folder inside an input folder: ours, not input
        hidden = entry.name.startswith(".")
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            if hidden:
                out.append(Input(str(path), "hidden folder: not searched"))
            else:
                _walk(path, root, exclude, out)
            continue
        try:
            mode = entry.stat(follow_symlinks=True).st_mode
        except FileNotFoundError:
            out.append(Input(str(path), "broken symbolic link", failed=True))
            continue
        except OSError as exc:
            out.append(Input(str(path), f"cannot read the file: {exc.strerror}", failed=True))
            continue
        if stat.S_ISDIR(mode):
            out.append(Input(str(path), "symbolic link to a folder: not followed"))
        elif not stat.S_ISREG(mode):
            out.append(Input(str(path), f"not a regular file ({_kind(mode) or 'special file'}): not read"))
        elif hidden:
            out.append(Input(str(path), "hidden file"))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            out.append(Input(str(path), f"not a supported file type ({path.suffix.lower() or 'no extension'}; "
                                        f"supported: {' '.join(sorted(SUPPORTED_SUFFIXES))})"))
        else:
            out.append(Input(str(path)))


def collect_inputs(paths: list[str], exclude: list[Path] = ()) -> list[Input]:
    """One entry per path named and per path found under a named folder (recursively, not
    following links to folders, so a link loop cannot trap the walk), in a stable order.
    A file named twice (or found twice) is listed once."""
    excluded = {os.path.realpath(p) for p in exclude}
    found: list[Input] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            before = len(found)
            _walk(path, path, excluded, found)
            if len(found) == before:
                found.append(Input(str(path), "empty folder (no files)"))
        else:
            found.append(_classify_named(path))
    seen: set[str] = set()
    unique = []
    for entry in found:
        if entry.path not in seen:
            seen.add(entry.path)
            unique.append(entry)
    return unique
