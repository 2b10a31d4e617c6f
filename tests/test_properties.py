"""Property-based tests of the normalizers, and a mutation fuzz of the text and DOCX parsers."""
from __future__ import annotations

import io
import random

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEV, DEV_IDS
from ingest.readers import ReadOptions, read_document
from ingest.assemble import SourceInfo, build_plan_document
from normalize.deadlines import parse_deadline
from normalize.departments import match_departments
from normalize.targets import extract_targets
from normalize.text import clean
from parsers.errors import ParseError

_PIECES = (list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789 /-.,;:()%&+\t\n")
           + ["á", "à", "ả", "ã", "ạ", "ế", "ề", "ộ", "ử", "ỹ", "Quý", "năm", "tháng", "ngày", "Sở",
              "Phòng", "UBND", "xã", "hoá", "uỷ", "\u0301", "<b>", "</li>", "–", "Thường xuyên",
              "Theo hướng dẫn", "tối thiểu", "trở lên", "IV", "2026", "12,5"])
VIETNAMESE = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(VIETNAMESE, st.integers(1990, 2100), st.integers(0, 10))
def test_deadline_parser_never_raises(text: str, start: int, span: int) -> None:
    value = parse_deadline(text, start, start + span)
    assert value.kind in {"due_by", "window", "recurring", "conditional", "from", "composite", "unspecified"}
    for day in (value.start, value.due):
        assert day is None or len(day) == 10


@settings(max_examples=300, deadline=None)
@given(VIETNAMESE, st.sampled_from(["commune", "province"]))
def test_department_matcher_never_raises(text: str, level: str) -> None:
    match = match_departments(text, level)
    assert len(match.codes) == len(set(match.codes))


@settings(max_examples=300, deadline=None)
@given(VIETNAMESE)
def test_text_normalization_idempotent(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@settings(max_examples=200, deadline=None)
@given(VIETNAMESE)
def test_target_extraction_never_raises(text: str) -> None:
    for target in extract_targets(text, 2026):
        assert target.comparator in {">=", ">", "=", "<=", "<"}


def _mutate_text(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    op = rng.choice(["truncate", "shuffle", "drop_cells", "noise", "duplicate", "join"])
    if op == "truncate":
        return text[: rng.randrange(len(text) + 1)]
    if op == "shuffle":
        start = rng.randrange(len(lines))
        window = lines[start:start + 20]
        rng.shuffle(window)
        lines[start:start + 20] = window
    elif op == "drop_cells":
        for i in rng.sample(range(len(lines)), k=min(30, len(lines))):
            cells = lines[i].split("\t")
            if len(cells) > 1:
                del cells[rng.randrange(len(cells))]
                lines[i] = "\t".join(cells)
    elif op == "noise":
        for _ in range(20):
            i = rng.randrange(len(lines))
            lines.insert(i, rng.choice(["<ul><li>", "\t\t\t", "| a | b |", "%%%", "Quý V/20260",
                                        "I", "TT\tNội dung\tCơ quan chủ trì\tThời gian", "\x0c", "99.\t"]))
    elif op == "duplicate":
        i = rng.randrange(len(lines))
        lines[i:i] = lines[i:i + 15]
    else:
        return text.replace("\n", " ", rng.randrange(1, 50))
    return "\n".join(lines)


def _run(fmt: str, data: bytes) -> None:
    try:
        document = read_document(fmt, data, ReadOptions())
    except ParseError:
        return
    build_plan_document(document, SourceInfo("fuzz", "0" * 64, fmt, None), "fuzz")


def test_mutation_fuzz_text_parser() -> None:
    rng = random.Random(20260101)
    runs = 0
    for doc_id in DEV_IDS:
        original = (DEV / f"{doc_id}.txt").read_text("utf-8")
        for _ in range(40):
            _run("txt", _mutate_text(original, rng).encode("utf-8"))
            runs += 1
    assert runs == 120


def _mutate_docx(data: bytes, rng: random.Random) -> bytes:
    document = docx.Document(io.BytesIO(data))
    op = rng.choice(["drop_rows", "shuffle_rows", "drop_cells_text", "noise", "truncate"])
    if op == "truncate":
        return data[: rng.randrange(len(data))]
    for table in document.tables:
        rows = table._tbl.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")
        if op == "drop_rows" and rows:
            for row in rng.sample(rows, k=min(len(rows), 3)):
                table._tbl.remove(row)
        elif op == "shuffle_rows" and len(rows) > 2:
            for row in rows:
                table._tbl.remove(row)
            rng.shuffle(rows)
            for row in rows:
                table._tbl.append(row)
        elif op == "drop_cells_text":
            for row in table.rows:
                for cell in row.cells:
                    if rng.random() < 0.2:
                        cell.text = ""
        elif op == "noise":
            for row in table.rows[:5]:
                row.cells[-1].text = rng.choice(["Quý IX/2026", "%", "Thường xuyên; 200%", "I", "(1)"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_mutation_fuzz_docx_parser() -> None:
    rng = random.Random(7)
    runs = 0
    for doc_id in DEV_IDS:
        original = (DEV / f"{doc_id}.docx").read_bytes()
        for _ in range(15):
            _run("docx", _mutate_docx(original, rng))
            runs += 1
    assert runs == 45
