"""Build the review site: OUT/review/index.html, <plan_id>.html and <plan_id>/pNNN.jpg."""
from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from ingest.outputs import write_atomic
from ingest.review.html import INDEX_SCRIPT, SCRIPT, highlight, options, page, strip, word_marks
from ingest.review.pages import PageImage, RowBoxes, match_rows, render
from ingest.review.sources import DocxSource, Snippet, TextSource, locate_sources
from ingest.tables import AREA_NAMES, departments_table, document_key

log = logging.getLogger("kehoach")

TEXT_FORMATS = ("txt", "md")
SEVERITY_ORDER = ("error", "warning")
LOW_OCR_CONFIDENCE = 80.0    # Tesseract's mean word confidence below which a row is worth re-reading


def pages_needed(tasks: Sequence[Mapping]) -> list[int]:
    pages: set[int] = set()
    for t in tasks:
        p = t["provenance"]
        if p.get("page"):
            pages.update(range(p["page"], (p.get("page_end") or p["page"]) + 1))
    return sorted(pages)


def _render_pages(path: Path, tasks: Sequence[Mapping], scanned: bool) -> dict[int, PageImage]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return {n: render(pdf[n - 1], n, scanned) for n in pages_needed(tasks) if n <= len(pdf)}
    finally:
        pdf.close()


def _task_severity(doc: Mapping) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for issue in doc["issues"]:
        tid = (issue.get("location") or {}).get("task_id")
        if tid:
            out.setdefault(tid, set()).add(issue["severity"])
    return out


def _source_cell(task: Mapping, rows: list[RowBoxes] | None, pages: Mapping[int, PageImage],
                 snippet: Snippet | None, image_dir: str) -> str:
    if rows:
        html = "".join(strip(f"{image_dir}/p{r.page:03d}.jpg", pages[r.page].width, pages[r.page].height,
                             r.boxes, r.page) for r in rows)
        confidence = task["provenance"].get("ocr_confidence")
        if confidence is not None:
            low = " sev-error" if confidence < LOW_OCR_CONFIDENCE else ""
            html += f"<div class=\"pg{low}\">OCR confidence {confidence:.1f}</div>"
        return html
    marks = word_marks(dict(task))
    if snippet and snippet.lines is not None:
        lo, hi = snippet.focus or (0, 0)
        lines = []
        for n, text in snippet.lines:
            body = highlight(text, marks) if lo <= n <= hi else escape(text)
            cls = " class=\"focus\"" if lo <= n <= hi else ""
            lines.append(f"<span{cls}><span class=\"ln\">{n:5d} </span>{body}</span>")
        return f"<pre class=\"lines\">{''.join(lines)}</pre><div class=\"pg\">lines {lo}–{hi}</div>"
    if snippet and snippet.cells is not None:
        cells = "".join(f"<td>{highlight(c, marks)}</td>" for c in snippet.cells)
        prov = task["provenance"]
        return (f"<table class=\"cells\"><tr>{cells}</tr></table>"
                f"<div class=\"pg\">table {prov.get('table')}, row {prov.get('row')}</div>")
    prov = task["provenance"]
    if prov.get("page") in pages:      # the page is there, the row was not located on it
        page_no = prov["page"]
        return (f"<a href=\"{image_dir}/p{page_no:03d}.jpg\" target=\"_blank\">page {page_no}</a>"
                f"<div class=\"pg\">row {prov.get('row')} of table {prov.get('table')} not located on the page</div>")
    where = ", ".join(f"{k} {v}" for k, v in prov.items() if k in ("page", "table", "row", "line"))
    return f"<div class=\"pg\">source not available ({escape(where)})</div>"


def _plan_page(doc: Mapping, source: Path | None, names: Mapping[str, str], image_dir: Path,
               renditions: Sequence[Mapping] = ()) -> str:
    plan, tasks = doc["plan"], doc["tasks"]
    fmt = plan["source"]["format"]
    pages: dict[int, PageImage] = {}
    boxes: dict[int, list[RowBoxes]] = {}
    text_source: TextSource | DocxSource | None = None
    if source is not None and tasks:
        try:
            if fmt in ("pdf", "pdf-ocr"):
                pages = _render_pages(source, tasks, scanned=fmt == "pdf-ocr")
                boxes = match_rows(tasks, pages)
            elif fmt in TEXT_FORMATS:
                text_source = TextSource(source.read_bytes())
            elif fmt == "docx":
                text_source = DocxSource(source.read_bytes())
        except Exception as exc:   # a damaged source must not stop the site: rows show no source
            log.warning("review: cannot read %s: %s", source, exc)
    if pages:
        image_dir.mkdir(parents=True, exist_ok=True)
        for n, image in pages.items():
            write_atomic(image_dir / f"p{n:03d}.jpg", image.jpeg)
    severity = _task_severity(doc)
    order_of = {t["task_id"]: t["order"] for t in tasks}
    rel_images = image_dir.name

    meta_rows = [("Issuer", plan["issuer"]), ("Commune", plan["commune"]), ("Province", plan["province"]),
                 ("Number", plan["number"]), ("Issued", plan["issued_date"]), ("Title", plan["title"]),
                 ("Period", f"{plan['period_start']}–{plan['period_end']}"),
                 ("Signer", " · ".join(x for x in ((plan.get("signer") or {}).get("name"),
                                                  (plan.get("signer") or {}).get("role")) if x)),
                 ("Source", f"{plan['source']['path']} ({fmt}, {plan['source'].get('pages') or '–'} pages)"),
                 ("plan_id", plan["plan_id"])]
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v)) if v else '–'}</dd>" for k, v in meta_rows)
    others = [r for r in renditions if r["plan_id"] != plan["plan_id"]]
    if others:   # the same plan as .docx, .pdf, scan, .txt: compare the extractions side by side
        siblings = " · ".join(f"<a href=\"{escape(r['plan_id'])}.html\">{escape(r['source']['path'])}</a>"
                              for r in others)
        meta += f"<dt>Other renditions</dt><dd>{siblings}</dd>"
    issues = _issue_items(doc["issues"], order_of, pages, rel_images)
    rows = []
    for t in tasks:
        d = t["deadline"]
        sev = " ".join(s for s in SEVERITY_ORDER if s in severity.get(t["task_id"], set()))
        tags = "".join(f"<span class=\"badge tag-{s}\">{s}</span> " for s in sev.split())
        lead = ", ".join(escape(names.get(c, c)) for c in t["lead"]) or "–"
        coord = ", ".join(escape(names.get(c, c)) for c in t["coordinating"]) or "–"
        due = " → ".join(x for x in (d["start"], d["due"]) if x)
        rows.append(
            f"<tr class=\"task\" id=\"task-{t['order']}\" data-area=\"{escape(t['area'] or '')}\" "
            f"data-lead=\"{escape(' '.join(t['lead']))}\" data-start=\"{d['start'] or ''}\" "
            f"data-due=\"{d['due'] or ''}\" data-sev=\"{sev}\">"
            f"<td>{t['order']}<br><span class=\"pg\">{escape(t['seq'] or '')}</span></td>"
            f"<td class=\"content\">{tags}{escape(t['content'])}"
            f"<div class=\"pg\">{escape(AREA_NAMES.get(t['area'] or '', '–'))}</div>"
            f"<div class=\"pg\">Sản phẩm: {escape('; '.join(t['products']) or '–')}</div></td>"
            f"<td>{lead}<div class=\"pg\">{escape(t['lead_raw'])}</div><div class=\"pg\">phối hợp: {coord}</div></td>"
            f"<td>{escape(d['raw'])}<div class=\"pg\">{escape(d['kind'])} {escape(due)}</div></td>"
            f"<td class=\"src\" id=\"src-{t['order']}\">{_source_cell(t, boxes.get(t['order']), pages, text_source.snippet(t['provenance']) if text_source else None, rel_images)}</td></tr>")
    areas = sorted({t["area"] for t in tasks if t["area"]})
    leads = sorted({c for t in tasks for c in t["lead"]})
    filters = (
        "<div class=\"filters\">"
        f"<label>Area<select id=\"f-area\">{options([(a, AREA_NAMES.get(a, a)) for a in areas], 'all areas')}</select></label>"
        f"<label>Lead department<select id=\"f-lead\">{options([(c, names.get(c, c)) for c in leads], 'all units')}</select></label>"
        "<label>Deadline from<input type=\"date\" id=\"f-from\"></label>"
        "<label>to<input type=\"date\" id=\"f-to\"></label>"
        "<label>Issues<select id=\"f-sev\"><option value=\"\">all tasks</option><option value=\"any\">with an issue"
        "</option><option value=\"error\">with an error</option><option value=\"warning\">with a warning</option>"
        "<option value=\"none\">without issues</option></select></label>"
        f"<span><b id=\"shown-count\">{len(tasks)}</b> of {len(tasks)} tasks shown</span></div>")
    body = (f"<header><a href=\"index.html\">← all plans</a><h1>{escape(plan['title'] or plan['plan_id'])}</h1>"
            f"<dl class=\"meta\">{meta}</dl></header>"
            f"<section><h2>Issues ({len(doc['issues'])})</h2><ul class=\"issues\">{''.join(issues) or '<li>none</li>'}</ul></section>"
            f"<section><h2>Tasks ({len(tasks)})</h2>{filters}<table id=\"tasks\"><thead><tr><th>#</th><th>Content</th>"
            f"<th>Lead</th><th>Deadline</th><th>Source</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")
    return page(plan["title"] or plan["plan_id"], body, SCRIPT)


def _issue_items(doc_issues: Sequence[Mapping], order_of: Mapping[str, int], pages: Mapping[int, PageImage],
                 rel_images: str) -> list[str]:
    """The plan's issues as list items, each linked to its task, page or line."""
    issues = []
    for issue in doc_issues:
        loc = issue.get("location") or {}
        links = []
        if loc.get("task_id") in order_of:
            n = order_of[loc["task_id"]]
            links += [f"<a href=\"#task-{n}\">task {n}</a>", f"<a href=\"#src-{n}\">source</a>"]
        elif loc.get("page") in pages:
            links.append(f"<a href=\"{rel_images}/p{loc['page']:03d}.jpg\">page {loc['page']}</a>")
        elif loc.get("line"):
            links.append(f"line {loc['line']}")
        issues.append(f"<li class=\"issue\"><span class=\"sev-{issue['severity']}\">{issue['severity']}</span> "
                      f"<code>{escape(issue['code'])}</code> {escape(issue['message'])} {' · '.join(links)}</li>")
    return issues


def _index(docs: Sequence[Mapping], sources: Mapping[str, Path]) -> str:
    rows = []
    for doc in sorted(docs, key=lambda d: (d["plan"]["commune"] or "", document_key(d["plan"]),
                                           d["plan"]["plan_id"])):
        plan = doc["plan"]
        counts = {s: sum(i["severity"] == s for i in doc["issues"]) for s in SEVERITY_ORDER}
        rows.append(f"<tr><td><a href=\"{escape(plan['plan_id'])}.html\">{escape(plan['title'] or plan['plan_id'])}</a></td>"
                    f"<td>{escape(plan['commune'] or '–')}</td><td>{escape(plan['number'] or '–')}</td>"
                    f"<td>{escape(plan['issued_date'] or '–')}</td><td><code>{document_key(plan)[:8]}</code></td>"
                    f"<td>{escape(plan['source']['path'])}</td>"
                    f"<td>{plan['source']['format']}</td><td>{len(doc['tasks'])}</td>"
                    f"<td class=\"sev-error\">{counts['error'] or ''}</td><td class=\"sev-warning\">{counts['warning'] or ''}</td>"
                    f"<td>{'yes' if plan['plan_id'] in sources else 'no'}</td></tr>")
    body = ("<header><h1>kehoach review</h1><p>Every extracted task beside its source. "
            "<input id=\"q\" placeholder=\"filter plans\"></p></header><section><table><thead><tr><th>Plan</th>"
            "<th>Commune</th><th>Number</th><th>Issued</th><th title=\"the same for every rendition of a plan\">Document</th><th>Source</th><th>Format</th><th>Tasks</th>"
            "<th>Errors</th><th>Warnings</th><th>Source found</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")
    return page("kehoach review", body, INDEX_SCRIPT)


def build_site(out_dir: Path | str, dest: Path | str | None = None, source_roots: Sequence[Path] = ()) -> Path:
    """Write the review site of a `kehoach convert` output folder; returns index.html."""
    out_dir = Path(out_dir)
    json_dir = out_dir / "json"
    if not json_dir.is_dir():
        raise FileNotFoundError(f"no JSON outputs in {out_dir} (run `kehoach convert` first)")
    site = Path(dest) if dest else out_dir / "review"
    docs = [json.loads(p.read_text("utf-8")) for p in sorted(json_dir.glob("*.json"))]
    sources = locate_sources(out_dir, [d["plan"] for d in docs], source_roots)
    names = dict(zip(*departments_table().select(["code", "name"]).to_pydict().values()))
    site.mkdir(parents=True, exist_ok=True)
    by_key: dict[str, list[Mapping]] = {}
    for doc in docs:
        by_key.setdefault(document_key(doc["plan"]), []).append(doc["plan"])
    for doc in docs:
        pid = doc["plan"]["plan_id"]
        stale = site / pid
        if stale.is_dir():
            shutil.rmtree(stale)
        write_atomic(site / f"{pid}.html", _plan_page(doc, sources.get(pid), names, site / pid,
                                                      by_key[document_key(doc["plan"])]))
        log.info("review: %s", pid)
    index = site / "index.html"
    write_atomic(index, _index(docs, sources))
    return index
