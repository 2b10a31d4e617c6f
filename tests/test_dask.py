"""The Dask executor writes the same outputs as the local run."""
from __future__ import annotations

from pathlib import Path

from conftest import dev_files
from ingest.batch import run_batch
from ingest.pool import Limits


def test_dask_local_cluster_matches_local_run(tmp_path: Path, core_out: Path) -> None:
    from distributed import LocalCluster

    import shutil
    inp = tmp_path / "in"
    inp.mkdir()
    for f in dev_files("txt", "docx"):
        shutil.copy(f, inp / f.name)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_batch([str(inp)], tmp_path / "out", 0, Limits(), progress=False, scheduler=cluster.scheduler_address)
    local = {p.name: p.read_bytes() for p in (core_out / "json").glob("*.json")}
    remote = {p.name: p.read_bytes() for p in (tmp_path / "out" / "json").glob("*.json")}
    assert remote == local and len(remote) == 6
