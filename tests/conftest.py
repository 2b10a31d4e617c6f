"""Shared fixtures: the dev corpus copied into tests/data, converted once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.batch import run_batch
from ingest.pool import Limits

DATA = Path(__file__).parent / "data"
DEV = DATA / "dev"
GOLD = DATA / "gold"
DEV_IDS = ["000_d2de27e494264d19", "002_f6f77b1eeffe7669", "003_af92c9f39506e254"]


RENDITIONS = {  # rendition name -> file name suffix after the document id
    "txt": ".txt", "docx": ".docx", "pdf": ".pdf", "layout": ".layout.txt",
}


def dev_files(*renditions: str) -> list[Path]:
    """Dev plan files of the given renditions, e.g. dev_files("txt", "docx")."""
    return sorted(DEV / f"{doc}{RENDITIONS[r]}" for doc in DEV_IDS for r in renditions)


def convert_into(tmp: Path, files: list[Path], workers: int = 0) -> Path:
    inp = tmp / "in"
    inp.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, inp / f.name)
    out = tmp / "out"
    run_batch([str(inp)], out, workers, Limits(), progress=False)
    return out


# held-out plans tuned on (401-403 looked at, then 404-406); 407-409 are scored apart, untouched
TUNED_HELDOUT = ("401", "402", "403", "404", "405", "406")


def scored(tmp: Path, files: list[Path], gold: Path) -> dict[str, float]:
    """Reference metrics of `files` converted into `tmp`, scored against `gold`; every file
    must convert."""
    import json

    from ingest.evaluate import evaluate

    import shutil

    out = convert_into(tmp, files)
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["summary"]["error"] == 0, [f for f in report["files"] if f.get("status") == "error"]
    stems = {f.name.split(".")[0] for f in files}
    own_gold = tmp / "gold"            # the gold of these files only: a plan left out is not a miss
    own_gold.mkdir(exist_ok=True)
    for found in gold.glob("*.json"):
        if found.stem in stems:
            shutil.copy(found, own_gold / found.name)
    return evaluate(own_gold, out / "json")[0]


def assert_floors(metrics: dict[str, float], floors: dict[str, float]) -> None:
    low = {m: round(metrics[m], 4) for m, floor in floors.items() if metrics[m] < floor}
    assert not low, low


@pytest.fixture(scope="session")
def core_out(tmp_path_factory) -> Path:
    """Outputs of `convert` over the .txt and .docx renditions of the dev plans."""
    return convert_into(tmp_path_factory.mktemp("core"), dev_files("txt", "docx"))


@pytest.fixture(scope="session")
def core_metrics(core_out: Path) -> dict[str, float]:
    from ingest.evaluate import evaluate

    return evaluate(GOLD, core_out / "json")[0]
