"""Progress of a batch: a tqdm bar with rate and ETA on a terminal, periodic log lines otherwise."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TextIO

log = logging.getLogger("kehoach")

LOG_EVERY_S = 10.0        # not a terminal (CI, a log file): one line at most every 10 s …
LOG_EVERY_FILES = 100     # … or every 100 files, whichever comes first, and at the end


class Progress:
    """`step(path)` after each file; `close()` at the end. Disabled: silent. Without
    `final_line`, log lines are only the periodic ones of a long run: a command whose own
    output says it is done (`validate`'s report) writes nothing on stderr for a short run."""

    def __init__(self, total: int, enabled: bool = True, stream: TextIO | None = None,
                 final_line: bool = True):
        self.total, self.done, self.enabled = total, 0, enabled and total > 0
        self.final_line = final_line
        self.stream = stream or sys.stderr
        self.started = self.last_log = time.monotonic()
        self.bar = None
        if self.enabled and self.stream.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, "
                                       "{rate_fmt}] {postfix}")

    def eta_seconds(self) -> float | None:
        if not self.done:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed / self.done * (self.total - self.done)

    def step(self, path: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix_str(Path(path).name[:40], refresh=False)
            self.bar.update(1)
            return
        now = time.monotonic()
        if (now - self.last_log >= LOG_EVERY_S or self.done % LOG_EVERY_FILES == 0
                or self.final_line and self.done == self.total):
            self.last_log = now
            eta = self.eta_seconds() or 0.0
            rate = self.done / max(1e-6, now - self.started)
            print(f"kehoach: {self.done}/{self.total} files ({100 * self.done / self.total:.0f}%), "
                  f"{rate:.1f} files/s, ETA {eta:.0f} s", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
