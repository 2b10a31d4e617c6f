"""tests/render_text.py, the generator of the flattened-text test material: its crawl writer
reproduces the dev crawl's structure and words from the dev Word files, and the committed
crawl renditions of the synthetic and held-out plans are what it writes today (so a change to
the writer is seen). The PDF renditions depend on the tools' versions: they are checked by
`python tests/render_text.py --check-dev DEV`, not here."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import render_text  # noqa: E402

DATA = HERE / "data"
_CRAWL_PLACES = [HERE.parent.parent / "shared" / "corpus" / "dev" / "crawl",
                 Path("/work/shared/corpus/dev/crawl")]
DEV_CRAWL = next((p for p in _CRAWL_PLACES if p.is_dir() and any(p.glob("*.md"))), None)
DEV_DOCX = sorted((DATA / "dev").glob("*.docx"))


@pytest.mark.skipif(DEV_CRAWL is None or not DEV_DOCX, reason="dev crawl not available")
@pytest.mark.parametrize("docx_path", DEV_DOCX, ids=lambda p: p.stem[:3])
def test_crawl_writer_reproduces_the_dev_crawl(docx_path: Path) -> None:
    ref = (DEV_CRAWL / f"{docx_path.stem}.md").read_text(encoding="utf-8")
    whole = render_text.docx_crawl(docx_path, wrap=False)
    assert render_text._skeleton(whole) == render_text._skeleton(ref)          # every | and blank line in place
    assert whole.split() == ref.split()                        # the same words in the same order
    assert render_text._breaks(whole) <= render_text._breaks(ref)               # no line break the crawl lacks


@pytest.mark.parametrize("folder", ["synth", "heldout"])
def test_committed_crawl_renditions_are_current(folder: str) -> None:
    docs = sorted((DATA / folder).glob("*.docx"))
    assert docs
    for docx_path in docs:
        committed = (DATA / folder / "crawl" / f"{docx_path.stem}.md").read_text(encoding="utf-8")
        assert render_text.docx_crawl(docx_path) == committed, docx_path.name


def test_crawl_table_format() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Phụ lục").runs[0].bold = True
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "TT", "Nội dung", "Thời gian"
    t.cell(1, 0).merge(t.cell(1, 2)).text = "I. Cải cách thể chế"
    t.cell(2, 0).text, t.cell(2, 1).text = "1", "Rà soát\n- Báo cáo"
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "x.docx"
        d.save(p)
        text = render_text.docx_crawl(p, wrap=False)
    assert text == ("**Phụ lục**\n\n|\nTT\n|\nNội dung\n|\nThời gian\n|\n|\nI. Cải cách thể chế\n|\n"
                    "|\n1\n|\nRà soát\n- Báo cáo\n|\n|\n")
