"""HTML of the review site: style, filter script, and the small builders of page fragments."""
from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

SRC_WIDTH_PX = 640           # width of a page strip beside its task row (page images scale to it)
STRIP_MARGIN_PX = 8          # page shown above and below a row's boxes
MAX_STRIP_PX = 420           # a very tall row (half a page) is cut: the page link shows it whole

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header,section{padding:12px 20px} h1{font-size:20px;margin:4px 0} h2{font-size:16px;margin:12px 0 6px}
a{color:#0b5cad} table{border-collapse:collapse;background:#fff} td,th{border:1px solid #d5d9e0;padding:4px 6px;vertical-align:top}
th{background:#eef1f5;text-align:left}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0} dl.meta dt{color:#5a6472}
.sev-error{color:#b00020;font-weight:600}.sev-warning{color:#9a6400;font-weight:600}
.issues li{margin:2px 0} .filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;background:#fff;
padding:8px 12px;border:1px solid #d5d9e0;position:sticky;top:0;z-index:3}
.filters label{display:flex;flex-direction:column;font-size:12px;color:#5a6472}
tr.task.hidden{display:none} td.content{max-width:420px} td.src{width:%(w)dpx}
.strip{display:block;position:relative;overflow:hidden;width:%(w)dpx;border:1px solid #aab;margin-bottom:4px;background:#fff}
.strip img{position:absolute;left:0;display:block}
.box{position:absolute;border:2px solid #e0115f;background:rgba(224,17,95,.08);box-sizing:border-box}
.pg{font-size:11px;color:#5a6472} pre.lines{margin:0;white-space:pre-wrap;font:12px/1.35 ui-monospace,monospace;max-width:%(w)dpx}
pre.lines .ln{color:#8a93a0;user-select:none} pre.lines .focus{background:#fff8d6;display:block}
mark{background:#ffe066;padding:0} mark.lead{background:#b6e3ff} mark.due{background:#c7f2c0}
table.cells td{font-size:12px} .badge{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;background:#eef1f5}
.tag-error{background:#ffd9df}.tag-warning{background:#ffecc2} tr.task:target{outline:3px solid #0b5cad}
""" % {"w": SRC_WIDTH_PX}

# Filters: area, lead department, deadline window (overlap of [start, due] with [from, to]),
# issue severity. Rows carry data-area, data-lead (codes), data-start/data-due (ISO), data-sev.
SCRIPT = """
function applyFilters(){
  const v=id=>document.getElementById(id).value;
  const area=v('f-area'),lead=v('f-lead'),from=v('f-from'),to=v('f-to'),sev=v('f-sev');
  let shown=0;
  document.querySelectorAll('tr.task').forEach(r=>{
    const d=r.dataset;let ok=true;
    if(area&&d.area!==area)ok=false;
    if(lead&&!(' '+d.lead+' ').includes(' '+lead+' '))ok=false;
    if(from||to){const s=d.start||d.due,e=d.due;if(!e)ok=false;else{if(from&&e<from)ok=false;if(to&&s>to)ok=false;}}
    if(sev==='any'&&!d.sev)ok=false;else if(sev==='none'&&d.sev)ok=false;
    else if(sev==='error'&&!d.sev.includes('error'))ok=false;else if(sev==='warning'&&!d.sev.includes('warning'))ok=false;
    r.classList.toggle('hidden',!ok);if(ok)shown++;});
  document.getElementById('shown-count').textContent=shown;
}
document.querySelectorAll('.filters select,.filters input').forEach(e=>{e.addEventListener('input',applyFilters);e.addEventListener('change',applyFilters);});
"""

INDEX_SCRIPT = """
document.getElementById('q').addEventListener('input',e=>{const q=e.target.value.toLowerCase();
document.querySelectorAll('tbody tr').forEach(r=>r.style.display=r.textContent.toLowerCase().includes(q)?'':'none');});
"""


def page(title: str, body: str, script: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width\"><style>{STYLE}</style></head>"
            f"<body>{body}<script>{script}</script></body></html>\n")


def options(values: Iterable[tuple[str, str]], all_label: str) -> str:
    return f"<option value=\"\">{escape(all_label)}</option>" + "".join(
        f"<option value=\"{escape(v)}\">{escape(label)}</option>" for v, label in values)


_WORD = re.compile(r"\w+", re.UNICODE)


def highlight(text: str, marks: dict[str, str]) -> str:
    """`text` escaped, with every word found in the task's fields marked (`marks`: folded word ->
    mark class: content, lead or due)."""
    out, last = [], 0
    for m in _WORD.finditer(text):
        kind = marks.get(m.group().casefold())
        if kind is None:
            continue
        out.append(escape(text[last:m.start()]))
        out.append(f"<mark class=\"{kind}\">{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def word_marks(task: dict) -> dict[str, str]:
    marks: dict[str, str] = {}
    fields = [("due", task["deadline"]["raw"]), ("lead", task["lead_raw"]), ("lead", task["coordinating_raw"]),
              ("content", " ".join([task.get("seq") or "", task["content"], *task["products"]]))]
    for kind, text in fields:
        for word in _WORD.findall(text or ""):
            marks.setdefault(word.casefold(), kind)
    return marks


def strip(image_href: str, img_w: int, img_h: int, boxes: list[tuple[float, float, float, float]],
          page_no: int) -> str:
    """A strip of the page image around a row (cropped to the row's width, so the table's text
    is as large as the column allows), the row's cell boxes drawn on it."""
    left = max(0.0, min(b[0] for b in boxes) - STRIP_MARGIN_PX / img_w)
    right = min(1.0, max(b[2] for b in boxes) + STRIP_MARGIN_PX / img_w)
    width = SRC_WIDTH_PX / max(1e-6, right - left)          # the whole page image's width in px
    height = img_h * width / img_w
    y0 = min(b[1] for b in boxes) * height
    y1 = max(b[3] for b in boxes) * height
    top = max(0.0, y0 - STRIP_MARGIN_PX)
    strip_h = min(MAX_STRIP_PX, y1 + STRIP_MARGIN_PX - top)
    shift = left * width
    spans = "".join(
        f"<span class=\"box\" style=\"left:{b[0] * width - shift:.1f}px;top:{b[1] * height - top:.1f}px;"
        f"width:{(b[2] - b[0]) * width:.1f}px;height:{(b[3] - b[1]) * height:.1f}px\"></span>"
        for b in boxes)
    return (f"<a class=\"strip\" href=\"{escape(image_href)}\" target=\"_blank\" title=\"page {page_no}\" "
            f"style=\"height:{strip_h:.0f}px\"><img loading=\"lazy\" alt=\"page {page_no}\" src=\"{escape(image_href)}\" "
            f"style=\"top:{-top:.1f}px;left:{-shift:.1f}px;width:{width:.1f}px;max-width:none\">{spans}</a>"
            f"<div class=\"pg\">page {page_no} · {len(boxes)} cells</div>")
