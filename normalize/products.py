"""'Sản phẩm / kết quả' cell -> list of product items."""
from __future__ import annotations

import re
from functools import lru_cache

from normalize.text import clean, LOWER, UPPER

_BULLET_SPLIT = re.compile(rf"(?:^|(?<=[\s.;,]))[-+•▪]\s*(?=\S)|(?<=\S)-(?=[{UPPER}])")
_TRAILING = re.compile(r"[\s;.,:\-–]+$")
_LEADING = re.compile(r"^[\s;.,:\-–+•]+")


def _tidy(item: str) -> str:
    return _LEADING.sub("", _TRAILING.sub("", item)).strip()


def split_products(lines: list[str]) -> list[str]:
    """Items in printed order: bullets / list items first; without bullets also ';', ', X'
    (a comma before a capitalised product name) and '. X' sentence breaks."""
    return list(_split_products(tuple(lines)))


@lru_cache(maxsize=16384)    # product cells repeat across the plans of a province
def _split_products(lines: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = [clean(line) for line in lines if clean(line)]
    if not cleaned:
        return ()
    bulleted = any(re.match(r"^\s*[-+•▪]", line) or re.search(r"[.;,]\s*[-+•]\s*\S", line) for line in cleaned)
    items: list[str] = []
    for line in cleaned:
        if bulleted:
            pieces = _BULLET_SPLIT.split(line)
            # Text after a full stop inside a bullet that starts a new capitalised product.
            for piece in pieces:
                items.extend(re.split(rf"(?<=\.)\s+(?=[{UPPER}][{LOWER}]+ (?:cáo|định|hoạch|bản|án)\b)", piece))
        else:
            for part in re.split(rf";|(?<=\.)\s+(?=[{UPPER}])", line):
                items.extend(re.split(rf",\s+(?=[{UPPER}])", part))
    return tuple(t for t in (_tidy(i) for i in items) if t)
