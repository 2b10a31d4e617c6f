"""Text renditions of plans laid out as the dev plans are not: a plan on another subject than
administrative reform, section rows alone in the TT column, a task cell merged over two rows
and flattened to text."""
from __future__ import annotations

import json
from pathlib import Path

from ingest.convert import convert_file

HEADER = "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\tSản phẩm"


def _plan(title: str, rows: list[str]) -> str:
    return "\n\n".join([
        "ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "Số: 15/KH-UBND", "Nghệ An, ngày 12 tháng 01 năm 2026",
        "KẾ HOẠCH", title, "I. MỤC TIÊU",
        "- Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt tối thiểu 98%.",
        "PHỤ LỤC", f"DANH MỤC NHIỆM VỤ {title.upper()}",
    ]) + "\n\n" + "\n".join([HEADER, *rows]) + "\n"


def _convert(tmp_path: Path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    outcome = convert_file(str(path))
    assert outcome.status == "ok", outcome.error
    return json.loads(outcome.json_text)


def test_plan_on_another_subject_names_no_reform_area_from_its_topics(tmp_path: Path) -> None:
    """'Chuyển đổi số' and 'thể chế số' are this plan's own topics, not the reform areas
    (CHINH_QUYEN_SO, THE_CHE); a section that names a reform area outright still counts."""
    doc = _convert(tmp_path, "cds.txt", _plan("Chuyển đổi số tỉnh Nghệ An năm 2026", [
        "I\tHOÀN THIỆN THỂ CHẾ SỐ\t\t\t\t",
        "1\tBan hành quy chế dữ liệu số\tSở Khoa học và Công nghệ\tCác sở, ban, ngành\tQuý II/2026\tQuyết định",
        "II\tKINH TẾ SỐ\t\t\t\t",
        "2\tPhát triển thương mại điện tử\tSở Công Thương\tUBND các xã, phường\tNăm 2026\tBáo cáo",
        "III\tXÂY DỰNG CHÍNH QUYỀN SỐ\t\t\t\t",
        "3\tNâng cấp hệ thống một cửa điện tử\tVăn phòng UBND tỉnh\tSở Nội vụ\tQuý III/2026\tHệ thống",
    ]))
    assert [t["area"] for t in doc["tasks"]] == [None, None, "CHINH_QUYEN_SO"]


def test_reform_plan_keeps_its_loose_area_headings(tmp_path: Path) -> None:
    doc = _convert(tmp_path, "cchc.txt", _plan("Cải cách hành chính tỉnh Nghệ An năm 2026", [
        "I\tCHUYỂN ĐỔI SỐ\t\t\t\t",
        "1\tNâng cấp hệ thống một cửa điện tử\tVăn phòng UBND tỉnh\tSở Nội vụ\tQuý III/2026\tHệ thống",
    ]))
    assert [t["area"] for t in doc["tasks"]] == ["CHINH_QUYEN_SO"]


def test_arabic_numbered_section_alone_in_the_tt_column(tmp_path: Path) -> None:
    """'3. Cải cách thủ tục hành chính' alone on its row (a merged cell flattened to text) heads
    the tasks under it; it is neither skipped nor a task."""
    doc = _convert(tmp_path, "sections.txt", _plan("Cải cách hành chính tỉnh Nghệ An năm 2026", [
        "1. Cải cách thể chế\t\t\t\t\t",
        "1.1\tRà soát văn bản quy phạm pháp luật\tSở Tư pháp\tCác sở, ban, ngành\tQuý II/2026\tBáo cáo",
        "2. Cải cách thủ tục hành chính\t\t\t\t\t",
        "2.1\tRà soát thủ tục hành chính\tVăn phòng UBND tỉnh\tCác sở, ban, ngành\tQuý III/2026\tBáo cáo",
    ]))
    assert [(t["seq"], t["area"]) for t in doc["tasks"]] == [("1.1", "THE_CHE"), ("2.1", "TTHC")]
    assert [t["provenance"]["section"] for t in doc["tasks"]] == ["1. Cải cách thể chế",
                                                                  "2. Cải cách thủ tục hành chính"]


def test_task_merged_over_two_rows_flattened_to_text(tmp_path: Path) -> None:
    """A second row with no TT and no content but its own lead and deadline is the lower half
    of a merged task cell: one task per row, the shared text repeated (contract)."""
    doc = _convert(tmp_path, "merged.txt", _plan("Cải cách hành chính tỉnh Nghệ An năm 2026", [
        "1\tTriển khai nền tảng số\tSở Khoa học và Công nghệ\tCác sở, ban, ngành\tQuý I/2026\tBáo cáo",
        "\t\tUBND các xã, phường\t\tQuý III/2026\tBáo cáo",
        "2\tĐào tạo kỹ năng số cho công chức, viên chức\tSở Nội vụ\t\tNăm 2026\tKế hoạch",
        "\tcấp tỉnh và cấp xã\t\t\t\t",
    ]))
    tasks = doc["tasks"]
    assert [(t["seq"], t["lead"], t["deadline"]["due"]) for t in tasks] == [
        ("1", ["SO_KHCN"], "2026-03-31"), ("1", ["UBND_CAP_XA"], "2026-09-30"), ("2", ["SO_NOI_VU"], "2026-12-31")]
    assert tasks[0]["content"] == tasks[1]["content"] == "Triển khai nền tảng số"
    assert tasks[2]["content"] == "Đào tạo kỹ năng số cho công chức, viên chức cấp tỉnh và cấp xã"
    assert "DUPLICATE_SEQ" not in {i["code"] for i in doc["issues"]}


def test_docx_tracked_insertions_and_non_breaking_hyphens_are_text(tmp_path: Path) -> None:
    """Text in a tracked insertion (a plan sent with its changes still tracked) is the plan's
    text; a non-breaking hyphen (w:noBreakHyphen, as in "KH‑UBND") is a hyphen."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from builders import provincial_plan

    path = provincial_plan(tmp_path / "tracked.docx")
    document = docx.Document(path)
    title = next(p for p in document.paragraphs if p.text.startswith("Cải cách hành chính"))
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "Văn thư")
    for run in list(title._p.iter(qn("w:r"))):
        title._p.remove(run)
        inserted.append(run)
    title._p.append(inserted)
    deadline = document.tables[-1].rows[3].cells[5]          # task 1: "Quý II/2026"
    run = deadline.paragraphs[0].runs[0]
    run.text = "Tháng 7"
    run._r.append(OxmlElement("w:noBreakHyphen"))
    rest = OxmlElement("w:t")
    rest.text = "10/2026"
    run._r.append(rest)
    document.save(path)
    outcome = convert_file(str(path))
    doc = json.loads(outcome.json_text)
    assert doc["plan"]["title"] == "Cải cách hành chính nhà nước tỉnh Ninh Bình năm 2026"
    assert doc["tasks"][0]["deadline"]["raw"] == "Tháng 7-10/2026"
    assert (doc["tasks"][0]["deadline"]["start"], doc["tasks"][0]["deadline"]["due"]) == ("2026-07-01", "2026-10-31")


def test_lettered_area_lines_and_inline_labels_head_their_goals(tmp_path: Path) -> None:
    """In a text rendition (no bold), "a) Về cải cách thể chế" alone on its line heads the goals
    under it; "b) Về chính quyền số: 100% …" labels the goals of its own paragraph."""
    text = _plan("Chuyển đổi số tỉnh Nghệ An năm 2026", [
        "1\tBan hành quy chế dữ liệu số\tSở Khoa học và Công nghệ\tCác sở, ban, ngành\tQuý II/2026\tQuyết định",
    ]).replace("I. MỤC TIÊU", "I. MỤC TIÊU\n\na) Về cải cách thủ tục hành chính\n\n"
               "- 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.\n\n"
               "b) Về chính quyền số: 90% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.")
    doc = _convert(tmp_path, "labels.txt", text)
    areas = {t["value"]: t["area"] for t in doc["targets"]}
    assert areas[100.0] == "TTHC" and areas[90.0] == "CHINH_QUYEN_SO"


def test_dotted_numbering_is_checked_per_level(tmp_path: Path) -> None:
    """1.1, 1.2, 1.4 under section 1: '1.3' is missing; 2.1 starts a level of its own."""
    doc = _convert(tmp_path, "dotted.txt", _plan("Cải cách hành chính tỉnh Nghệ An năm 2026", [
        "1. Cải cách thể chế\t\t\t\t\t",
        "1.1\tRà soát văn bản\tSở Tư pháp\t\tQuý II/2026\tBáo cáo",
        "1.2\tKiểm tra văn bản\tSở Tư pháp\t\tQuý III/2026\tBáo cáo",
        "1.4\tTheo dõi thi hành pháp luật\tSở Tư pháp\t\tQuý IV/2026\tBáo cáo",
        "2. Cải cách thủ tục hành chính\t\t\t\t\t",
        "2.1\tRà soát thủ tục\tVăn phòng UBND tỉnh\t\tQuý II/2026\tBáo cáo",
        "2.1\tCông khai thủ tục\tVăn phòng UBND tỉnh\t\tQuý II/2026\tBáo cáo",
    ]))
    findings = [(i["code"], i["message"]) for i in doc["issues"] if i["code"].startswith(("SEQ", "DUPLICATE"))]
    assert ("SEQ_GAP", "seq '1.3' is missing from the numbering 1.1..1.4") in findings
    assert any(code == "DUPLICATE_SEQ" and "'2.1'" in message for code, message in findings)
    assert not any("'1.5'" in message or "'3" in message for _, message in findings)


def test_docx_text_boxes_and_content_controls_are_read(tmp_path: Path) -> None:
    """A plan number typed in a text box, and an annex table wrapped in a content control
    (templates do both), are part of the document."""
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    from builders import provincial_plan

    path = provincial_plan(tmp_path / "boxes.docx")
    document = docx.Document(path)
    letterhead = document.tables[0].cell(0, 0)
    letterhead.paragraphs[0]._p.getparent().remove(letterhead.paragraphs[-1]._p)   # "Số: …" out of the table
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    box = etree.fromstring(
        f'<w:p xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape>'
        f'<v:textbox><w:txbxContent><w:p><w:r><w:t>Số: 45/KH-UBND</w:t></w:r></w:p></w:txbxContent>'
        f'</v:textbox></v:shape></w:pict></w:r></w:p>')
    document.element.body.insert(1, box)
    annex = document.tables[-1]._tbl
    sdt = etree.SubElement(annex.getparent(), qn("w:sdt"))
    annex.addprevious(sdt)
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    content.append(annex)
    document.save(path)
    doc = json.loads(convert_file(str(path)).json_text)
    assert doc["plan"]["number"] == "45/KH-UBND"
    assert [t["seq"] for t in doc["tasks"]] == ["1", "2", "3"]


def test_html_tables_in_a_text_rendition(tmp_path: Path) -> None:
    """A plan saved as HTML-in-text: <table> rows and cells, a section row over all columns
    (colspan), a task cell over two rows with different leads (rowspan: one task per row)."""
    rows = "\n".join([
        "<table border=1>",
        "<tr><th>TT</th><th>Nội dung nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th>"
        "<th>Thời gian hoàn thành</th><th>Sản phẩm</th></tr>",
        "<tr><td colspan=\"6\"><b>I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH</b></td></tr>",
        "<tr><td rowspan=2>1</td><td rowspan=\"2\">Rà soát thủ tục hành chính</td><td>Văn phòng UBND tỉnh</td>"
        "<td>Các sở, ban, ngành</td><td>Quý II/2026</td><td>Báo cáo</td></tr>",
        "<tr><td>UBND các xã, phường</td><td></td><td>Quý III/2026</td><td>Báo cáo</td></tr>",
        "<tr><td>2</td><td>Công khai thủ tục<br>trên Cổng dịch vụ công</td><td>Sở Nội vụ</td><td></td>"
        "<td>Thường xuyên</td><td><ul><li>Danh mục</li><li>Báo cáo</li></ul></td></tr>",
        "</table>",
    ])
    text = _plan("Cải cách hành chính tỉnh Nghệ An năm 2026", []).replace(HEADER + "\n", rows + "\n")
    doc = _convert(tmp_path, "html.md", text)
    tasks = doc["tasks"]
    assert [(t["seq"], t["lead"], t["area"]) for t in tasks] == [
        ("1", ["VP_UBND_TINH"], "TTHC"), ("1", ["UBND_CAP_XA"], "TTHC"), ("2", ["SO_NOI_VU"], "TTHC")]
    assert tasks[0]["content"] == tasks[1]["content"] == "Rà soát thủ tục hành chính"
    assert tasks[2]["content"] == "Công khai thủ tục trên Cổng dịch vụ công"
    assert tasks[2]["products"] == ["Danh mục", "Báo cáo"]
    assert tasks[2]["provenance"]["line"] > tasks[0]["provenance"]["line"]


def test_dev_plan_as_html_tables_gives_the_tasks_of_its_text(tmp_path: Path) -> None:
    from conftest import DEV

    source = (DEV / "003_af92c9f39506e254.txt").read_text("utf-8")
    out, open_table = [], False
    for line in source.split("\n"):
        if "\t" in line:
            if not open_table:
                out.append("<table>")
                open_table = True
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if open_table and line.strip():
            out.append("</table>")
            open_table = False
        out.append(line)
    html = _convert(tmp_path, "003.md", "\n".join(out + (["</table>"] if open_table else [])))
    text = _convert(tmp_path, "003.txt", source)
    keys = ("seq", "area", "content", "products", "lead", "coordinating", "deadline")
    assert [[t[k] for k in keys] for t in html["tasks"]] == [[t[k] for k in keys] for t in text["tasks"]]
    assert len(html["targets"]) == len(text["targets"])


def test_docx_annex_inside_a_frame_table(tmp_path: Path) -> None:
    """The annex (title and task table) typed inside a one-cell table used as a box."""
    import copy

    import docx

    from builders import provincial_plan

    path = provincial_plan(tmp_path / "frame.docx")
    document = docx.Document(path)
    annex = document.tables[-1]._tbl
    frame = document.add_table(rows=1, cols=1)
    frame.style = "Table Grid"
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "PHỤ LỤC CÁC NHIỆM VỤ"
    cell._tc.append(copy.deepcopy(annex))
    cell.add_paragraph("")            # a cell must end with a paragraph
    annex.getparent().remove(annex)
    document.save(path)
    doc = json.loads(convert_file(str(path)).json_text)
    assert [t["seq"] for t in doc["tasks"]] == ["1", "2", "3"]
    assert doc["tasks"][0]["lead"] == ["SO_TU_PHAP"]


def test_start_and_end_columns_the_deadline_is_the_end(tmp_path: Path) -> None:
    header = "TT\tNội dung\tĐơn vị chủ trì\tThời gian bắt đầu\tThời gian kết thúc\tKết quả"
    text = _plan("Cải cách hành chính tỉnh Nghệ An năm 2026", [
        "1\tRà soát thủ tục hành chính\tVăn phòng UBND tỉnh\tTháng 01/2026\tQuý II/2026\tBáo cáo"]).replace(HEADER, header)
    (task,) = _convert(tmp_path, "start_end.txt", text)["tasks"]
    # one deadline from both columns, "start - end" (as a "Bắt đầu | Kết thúc" pair under one label)
    deadline = task["deadline"]
    assert (deadline["raw"], deadline["kind"]) == ("Tháng 01/2026 - Quý II/2026", "window")
    assert (deadline["start"], deadline["due"]) == ("2026-01-01", "2026-06-30")
    assert task["extra"] == {}
