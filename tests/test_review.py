"""The review site: built from real outputs (dev plans as .pdf, .docx, .txt and a scan),
opened in headless Chromium (Debian's chromium + chromium-driver, driven by Selenium), filters
clicked and the visible rows checked; screenshots saved under tests/artifacts/."""
from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import DEV, DEV_IDS, convert_into, dev_files
from ingest.review import build_site

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SCANNED = DEV_IDS[2]          # 003: the dev scan that OCRs fastest
BOX_TOLERANCE = 0.01          # a row's box on the scan and on the PDF: within 1% of the page height


@pytest.fixture(scope="module")
def review_out(tmp_path_factory) -> tuple[Path, float]:
    from parsers.pdf.ocr.tesseract import available

    if available("vie") is not None:
        pytest.skip("Tesseract (vie) is not installed: the scan cannot be converted")
    return _converted(tmp_path_factory)


def _converted(tmp_path_factory) -> tuple[Path, float]:
    out = convert_into(tmp_path_factory.mktemp("review"),
                       dev_files("pdf", "docx", "txt") + [DEV / f"{SCANNED}.scan.pdf"], workers=2)
    started = time.monotonic()
    build_site(out)
    return out, time.monotonic() - started


def _doc(out: Path, name: str) -> dict:
    [path] = [p for p in (out / "json").glob("*.json")
              if json.loads(p.read_text("utf-8"))["plan"]["source"]["path"] == name]
    return json.loads(path.read_text("utf-8"))


def _boxes_by_task(html: str) -> Counter:
    """task order -> number of cell boxes drawn in its source column."""
    import re

    counts: Counter = Counter()
    for m in re.finditer(r'<td class="src" id="src-(\d+)">(.*?)</td></tr>', html, re.S):
        counts[int(m.group(1))] = m.group(2).count('class="box"')
    return counts


def test_site_files_and_build_time(review_out: tuple[Path, float]) -> None:
    out, seconds = review_out
    site = out / "review"
    plans = list((out / "json").glob("*.json"))
    assert len(plans) == 10 and (site / "index.html").is_file()
    assert all((site / f"{p.stem}.html").is_file() for p in plans)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review_build_seconds.txt").write_text(f"{seconds:.1f}\n", "utf-8")
    assert seconds < 60
    # one light image per page holding tasks, and every task of the PDF and the scan boxed
    for name in (f"{SCANNED}.pdf", f"{SCANNED}.scan.pdf"):
        doc = _doc(out, name)
        pid = doc["plan"]["plan_id"]
        images = sorted((site / pid).glob("p*.jpg"))
        assert images and max(p.stat().st_size for p in images) < 250_000
        boxes = _boxes_by_task((site / f"{pid}.html").read_text("utf-8"))
        assert all(boxes[t["order"]] >= 5 for t in doc["tasks"]), name   # a box per cell of the row
    # text and DOCX: the task's source shown with its words marked
    for name in (f"{SCANNED}.txt", f"{SCANNED}.docx"):
        pid = _doc(out, name)["plan"]["plan_id"]
        html = (site / f"{pid}.html").read_text("utf-8")
        assert html.count("<mark") > 1000 and "source not available" not in html
        assert html.count("Other renditions") == 1 and f'href="{_doc(out, f"{SCANNED}.scan.pdf")["plan"]["plan_id"]}.html"' in html


def test_scan_boxes_fall_on_the_pdf_rows(review_out: tuple[Path, float]) -> None:
    """The scan is a print of the PDF: its rows (matched without any text, bottom-aligned) must
    be boxed where the PDF's rows (matched by the printed number of the text layer) are."""
    import pypdfium2 as pdfium

    from ingest.review.pages import match_rows, render
    from ingest.review.site import pages_needed

    out, _ = review_out
    found = {}
    for name, scanned in ((f"{SCANNED}.pdf", False), (f"{SCANNED}.scan.pdf", True)):
        doc = _doc(out, name)
        pdf = pdfium.PdfDocument(str(DEV / name))
        pages = {n: render(pdf[n - 1], n, scanned) for n in pages_needed(doc["tasks"])}
        found[scanned] = match_rows(doc["tasks"], pages)
    assert len(found[False]) == len(found[True]) == len(_doc(out, f"{SCANNED}.pdf")["tasks"])
    for order, rows in found[False].items():
        scan_rows = found[True][order]
        assert [r.page for r in rows] == [r.page for r in scan_rows], order    # continued rows too
        for text_row, scan_row in zip(rows, scan_rows):
            assert len(text_row.boxes) == len(scan_row.boxes) >= 5, order
            for a, b in zip(text_row.boxes, scan_row.boxes):
                assert all(abs(u - v) < BOX_TOLERANCE for u, v in zip(a, b)), order


needs_browser = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                   reason="Debian's chromium and chromium-driver are not installed")


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1300", "--hide-scrollbars"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _visible_rows(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [r.get_attribute("id") for r in driver.find_elements(By.CSS_SELECTOR, "tr.task") if r.is_displayed()]


def _show_tasks(driver, shot: Path) -> None:
    """Load every page image, scroll to the task table and save a screenshot."""
    driver.execute_script("document.querySelectorAll('img').forEach(i => i.loading = 'eager');")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not driver.execute_script(
            "return [...document.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0);"):
        time.sleep(0.2)
    driver.execute_script("document.getElementById('tasks').scrollIntoView();")
    shot.parent.mkdir(exist_ok=True)
    driver.save_screenshot(str(shot))


@needs_browser
def test_review_site_in_chromium(review_out: tuple[Path, float], browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, _ = review_out
    site = out / "review"
    browser.get((site / "index.html").as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == 10
    scan = _doc(out, f"{SCANNED}.scan.pdf")
    browser.find_element(By.CSS_SELECTOR, f"a[href='{scan['plan']['plan_id']}.html']").click()
    assert browser.title == scan["plan"]["title"]
    tasks = scan["tasks"]
    assert len(_visible_rows(browser)) == len(tasks)

    # area filter
    area = Counter(t["area"] for t in tasks if t["area"]).most_common(2)[1][0]
    Select(browser.find_element(By.ID, "f-area")).select_by_value(area)
    expected = [f"task-{t['order']}" for t in tasks if t["area"] == area]
    assert _visible_rows(browser) == expected
    assert browser.find_element(By.ID, "shown-count").text == str(len(expected))
    for row_id in expected:        # every visible row shows its page strip with the row's cells boxed
        row = browser.find_element(By.ID, row_id)
        assert len(row.find_elements(By.CSS_SELECTOR, ".strip .box")) >= 5
    _show_tasks(browser, ARTIFACTS / "review_scan.png")
    Select(browser.find_element(By.ID, "f-area")).select_by_value("")

    # lead department + deadline window
    lead = Counter(c for t in tasks for c in t["lead"]).most_common(1)[0][0]
    Select(browser.find_element(By.ID, "f-lead")).select_by_value(lead)
    browser.execute_script("for (const [id, v] of [['f-from', '2026-01-01'], ['f-to', '2026-06-30']]) {"
                           "const e = document.getElementById(id); e.value = v;"
                           "e.dispatchEvent(new Event('input'));}")
    window = [f"task-{t['order']}" for t in tasks if lead in t["lead"] and t["deadline"]["due"]
              and t["deadline"]["due"] >= "2026-01-01" and (t["deadline"]["start"] or t["deadline"]["due"]) <= "2026-06-30"]
    assert window and _visible_rows(browser) == window

    # issue severity, and an issue's links to its task and source
    browser.get((site / f"{scan['plan']['plan_id']}.html").as_uri())
    Select(browser.find_element(By.ID, "f-sev")).select_by_value("any")
    flagged = {i["location"]["task_id"] for i in scan["issues"] if i["location"].get("task_id")}
    assert _visible_rows(browser) == [f"task-{t['order']}" for t in tasks if t["task_id"] in flagged]
    link = browser.find_element(By.CSS_SELECTOR, "li.issue a[href^='#src-']")
    target = link.get_attribute("href").split("#")[1]
    assert browser.find_element(By.ID, target).find_elements(By.CSS_SELECTOR, ".box")

    # the text PDF of the same plan
    pdf = _doc(out, f"{SCANNED}.pdf")
    browser.get((site / f"{pdf['plan']['plan_id']}.html").as_uri())
    Select(browser.find_element(By.ID, "f-area")).select_by_value(area)
    assert _visible_rows(browser) == [f"task-{t['order']}" for t in pdf["tasks"] if t["area"] == area]
    _show_tasks(browser, ARTIFACTS / "review_pdf.png")

    # DOCX: the source row's cells with the task's words marked
    docx = _doc(out, f"{DEV_IDS[0]}.docx")
    browser.get((site / f"{docx['plan']['plan_id']}.html").as_uri())
    first = browser.find_element(By.ID, "src-1")
    assert first.find_elements(By.CSS_SELECTOR, "table.cells mark")
    _show_tasks(browser, ARTIFACTS / "review_docx.png")
