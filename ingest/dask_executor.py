"""Run the same per-file conversion on a Dask cluster (dask.distributed).

Workers need kehoach installed and read access to the input paths (shared storage); results
come back to this process, which writes every output exactly as the local run does.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ingest.convert import FileOutcome, convert_file
from ingest.pool import Limits


def _convert(path: str, password: str | None, severities: tuple[tuple[str, str], ...]) -> FileOutcome:
    return convert_file(path, password, dict(severities))


def run_dask(paths: Iterable[str], scheduler: str, limits: Limits) -> Iterator[FileOutcome]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # the extra is optional: say how to get it
        raise SystemExit("kehoach: --executor dask needs dask.distributed: pip install 'kehoach[dask]'") from exc
    with Client(scheduler, timeout="30s") as client:
        futures = client.map(_convert, list(paths), password=limits.password,
                             severities=limits.severities, pure=False)
        for future in as_completed(futures):
            try:
                yield future.result(timeout=limits.timeout_s)
            except Exception as exc:  # a lost worker or a timeout costs one file, not the batch
                yield FileOutcome(path=str(getattr(future, "key", "?")), status="error",
                                  error=f"dask task failed: {type(exc).__name__}: {exc}")
