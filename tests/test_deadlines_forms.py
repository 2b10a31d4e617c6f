"""Deadline forms seen in plans the dev corpus lacks: lists and ranges of periods, bare
month/year, impossible dates, open-ended periods, OCR slips, and the contract's own examples
they could break."""
from __future__ import annotations

import pytest

from normalize.deadlines import parse_deadline

W, D, R, F, U = "window", "due_by", "recurring", "from", "unspecified"


@pytest.mark.parametrize("raw,kind,start,due,recurrence", [
    # Lists and ranges of quarters: start of the first .. end of the last.
    ("Quý I và Quý II năm 2026", W, "2026-01-01", "2026-06-30", None),
    ("Quý II và Quý III/2026", W, "2026-04-01", "2026-09-30", None),
    ("Quý I, Quý II năm 2026", W, "2026-01-01", "2026-06-30", None),
    ("Quý III/2026 - Quý IV/2026", W, "2026-07-01", "2026-12-31", None),
    ("Quý I đến Quý III năm 2026", W, "2026-01-01", "2026-09-30", None),
    ("Quý II - III/2026", W, "2026-04-01", "2026-09-30", None),
    ("Quý III, IV năm 2026", W, "2026-07-01", "2026-12-31", None),
    ("Quý IV/2026 - Quý I/2027", W, "2026-10-01", "2027-03-31", None),
    ("Hoàn thành trong Quý I và Quý II năm 2026", D, None, "2026-06-30", None),
    # Lists and ranges of months, also across years.
    ("Tháng 3 và tháng 9/2026", W, "2026-03-01", "2026-09-30", None),
    ("Tháng 6, tháng 12/2026", W, "2026-06-01", "2026-12-31", None),
    ("Tháng 11/2026 - Tháng 01/2027", W, "2026-11-01", "2027-01-31", None),
    ("Tháng 12/2026 - 01/2027", W, "2026-12-01", "2027-01-31", None),
    ("Từ tháng 11/2026 đến tháng 02/2027", W, "2026-11-01", "2027-02-28", None),
    ("Từ tháng 4 đến tháng 6/2026", W, "2026-04-01", "2026-06-30", None),
    ("Tháng 3/2026 và tháng 9/2026", W, "2026-03-01", "2026-09-30", None),
    ("Tháng 01-05 năm 2026", W, "2026-01-01", "2026-05-31", None),
    # Month/year without "tháng", Q-quarters.
    ("10/2026", W, "2026-10-01", "2026-10-31", None),
    ("Trước 10/2026", D, None, "2026-10-31", None),
    ("Q2/2026", W, "2026-04-01", "2026-06-30", None),
    ("Q2-Q3/2026", W, "2026-04-01", "2026-09-30", None),
    ("Q2", U, None, None, None),
    ("Số 10/2026", U, None, None, None),                     # a document number, not October
    # Impossible dates are reported, never reduced to their year.
    ("Trước ngày 31/02/2026", U, None, None, None),
    ("31/4/2026", U, None, None, None),
    ("ngày 31 tháng 02 năm 2026", U, None, None, None),
    ("Tháng 13/2026", U, None, None, None),
    ("Quý V/2026", U, None, None, None),
    ("Quý IX/2026", U, None, None, None),
    ("Tháng 9 và tháng 3/2026", U, None, None, None),        # goes backwards
    ("Quý I/2026, báo cáo Quý IV/2026", U, None, None, None),  # two dated periods, not joined
    # Relative and open-ended.
    ("Trước ngày 15 tháng cuối quý", R, None, None, "quarterly"),
    ("Cuối quý năm 2026", R, None, None, "quarterly"),
    ("Trước ngày cuối tháng", R, None, None, "monthly"),
    ("Cuối quý IV/2026", W, "2026-10-01", "2026-12-31", None),
    ("Quý IV/2026 và các năm tiếp theo", F, "2026-10-01", None, None),
    ("2026 và các năm tiếp theo", F, "2026-01-01", None, None),
    ("Từ Quý II/2026 trở đi", F, "2026-04-01", None, None),
    ("Tháng 4/2026 trở đi", F, "2026-04-01", None, None),
    ("Từ tháng 4/2026", F, "2026-04-01", None, None),
    # Years: the fallback only when nothing date-like is left unread.
    ("Đầu năm 2026", W, "2026-01-01", "2026-12-31", None),
    ("Cuối năm 2026", W, "2026-01-01", "2026-12-31", None),
    ("Trước cuối năm 2026", D, None, "2026-12-31", None),
    ("Năm 2026, 2027", W, "2026-01-01", "2027-12-31", None),
    ("Năm 2026 - 2027", W, "2026-01-01", "2027-12-31", None),
    ("Giai đoạn 2026-2030", W, "2026-01-01", "2030-12-31", None),
    ("Trong năm 2026 (dự kiến 2027)", U, None, None, None),
    ("Kế hoạch số 15/KH-UBND năm 2026", U, None, None, None),
    # Day dates.
    ("30/6 năm 2026", D, None, "2026-06-30", None),
    ("Trước ngày 15 tháng 3", D, None, "2026-03-15", None),
    ("Trước ngày 15 tháng 12 năm 2026", D, None, "2026-12-15", None),
    ("Từ ngày 01/4/2026 đến hết Quý II/2026", W, "2026-04-01", "2026-06-30", None),
    ("Từ ngày 01/01/2026 đến ngày 31/12/2026", W, "2026-01-01", "2026-12-31", None),
    ("15/01/2026 - 30/01/2026", W, "2026-01-15", "2026-01-30", None),
    # OCR slips of scanned plans.
    ("Quý HI/2026", W, "2026-07-01", "2026-09-30", None),
    ("Quý H/2026", W, "2026-04-01", "2026-06-30", None),
    ("Quý l/2026", W, "2026-01-01", "2026-03-31", None),
    ("Quý 1/2026", W, "2026-01-01", "2026-03-31", None),
    ("Quý 2/2026", W, "2026-04-01", "2026-06-30", None),
    ("Quý Ĩ năm 2026", W, "2026-01-01", "2026-03-31", None),
    ("Tháng 01-052026", W, "2026-01-01", "2026-05-31", None),
    ("Thường, xuyên", R, None, None, "continuous"),
    ("Thường .. xuyên", R, None, None, "continuous"),
    ("Thườngxuyên", R, None, None, "continuous"),
    ("Quý IIIV/2026", U, None, None, None),                  # no numeral: not guessed
    ("Quý I năm 206", W, "2026-01-01", "2026-03-31", None),  # the one plan year it can be
    ("Quý I/20266", W, "2026-01-01", "2026-03-31", None),
    ("Quý I năm 205", U, None, None, None),                  # 2025 or 2005: not the plan's
    ("Quý I/20260", W, "2026-01-01", "2026-03-31", None),
    # The contract's examples and the forms the new rules could break.
    ("Quý I/2026", W, "2026-01-01", "2026-03-31", None),
    ("Quý I năm 2026", W, "2026-01-01", "2026-03-31", None),
    ("Quý IV/2027", W, "2027-10-01", "2027-12-31", None),
    ("Quý III,IV/2026", W, "2026-07-01", "2026-12-31", None),
    ("Tháng 01-05/2026", W, "2026-01-01", "2026-05-31", None),
    ("Tháng 7-10/2026", W, "2026-07-01", "2026-10-31", None),
    ("Tháng 10-2026", W, "2026-10-01", "2026-10-31", None),
    ("Tháng 5", W, "2026-05-01", "2026-05-31", None),          # the plan's one year
    ("Quý I", W, "2026-01-01", "2026-03-31", None),
    ("Trước ngày 15/01/2026", D, None, "2026-01-15", None),
    ("chậm nhất tháng 01/2026", D, None, "2026-01-31", None),
    ("Xong trong Quý II/2026", D, None, "2026-06-30", None),
    ("Chậm nhất Quý III/2026 - Quý IV/2026", D, None, "2026-12-31", None),
    ("Cả năm 2026", W, "2026-01-01", "2026-12-31", None),
    ("Trong năm 2026", W, "2026-01-01", "2026-12-31", None),
    ("2026", W, "2026-01-01", "2026-12-31", None),
    ("2025 - 2035", W, "2025-01-01", "2035-12-31", None),
    ("6 tháng đầu năm 2026", W, "2026-01-01", "2026-06-30", None),
    ("Từ năm 2026", F, "2026-01-01", None, None),
    ("Thường xuyên", R, None, None, "continuous"),
    ("Hằng quý, năm", R, None, None, "quarterly"),
    ("Quý I hằng năm", R, None, None, "annual"),
    ("tháng 6 và tháng 12 hằng năm", R, None, None, "annual"),
    ("Trước ngày 31/01 năm liền kề", R, None, None, "annual"),
    ("Trước ngày 05 của tháng liền kề", R, None, None, "monthly"),
])
def test_deadline_forms(raw, kind, start, due, recurrence) -> None:
    value = parse_deadline(raw, 2026, 2026)
    assert (value.kind, value.start, value.due, value.recurrence) == (kind, start, due, recurrence)


@pytest.mark.parametrize("raw,plan,kind,start,due", [
    ("Quý I năm 206", (2026, 2030), W, "2026-01-01", "2026-03-31"),   # only 2026 fits
    ("Quý I năm 202", (2026, 2030), U, None, None),                   # 2026..2029 all fit
    ("Quý I năm 206", (None, None), U, None, None),
    ("Tháng 5", (2026, 2030), U, None, None),                         # which year?
    ("Quý I", (2026, 2030), U, None, None),
    ("Trước ngày 15 tháng 3", (2026, 2030), U, None, None),
    ("Tháng 11/2026 - Tháng 01/2027", (2026, 2030), W, "2026-11-01", "2027-01-31"),
    ("Quý IV/2026 và các năm tiếp theo", (2026, 2030), F, "2026-10-01", None),
])
def test_deadline_forms_depending_on_the_plan_period(raw, plan, kind, start, due) -> None:
    value = parse_deadline(raw, *plan)
    assert (value.kind, value.start, value.due) == (kind, start, due)


def test_period_lists_inside_a_composite_cell() -> None:
    value = parse_deadline(["- Ban hành kế hoạch: Quý I và Quý II năm 2026.",
                            "- Báo cáo: Tháng 6, tháng 12/2026."], 2026, 2026)
    assert value.kind == "composite" and value.due == "2026-06-30"
    assert [(p.kind, p.start, p.due) for p in value.parts] == [
        ("window", "2026-01-01", "2026-06-30"), ("window", "2026-06-01", "2026-12-31")]


C = "conditional"


@pytest.mark.parametrize("raw,plan,kind,start,due", [
    # day ranges with the year written once: the start takes the end's year
    ("Từ ngày 15/6 đến ngày 30/6/2026", (2026, 2026), W, "2026-06-15", "2026-06-30"),
    ("Từ 15/6 - 30/6/2026", (2026, 2026), W, "2026-06-15", "2026-06-30"),
    ("15/6 - 30/6/2026", (2026, 2030), W, "2026-06-15", "2026-06-30"),
    ("Từ ngày 15/12 đến ngày 15/01/2027", (2026, 2030), W, "2026-12-15", "2027-01-15"),
    ("Từ 15/6/2026 đến 30/6", (2026, 2030), W, "2026-06-15", "2026-06-30"),
    ("Từ 15/6/2026 - 30/6/2026", (2026, 2030), W, "2026-06-15", "2026-06-30"),   # not "from"
    ("Từ 15/6 đến 30/6", (2026, 2026), W, "2026-06-15", "2026-06-30"),            # the plan's one year
    ("Từ 15/6 đến 30/6", (2026, 2030), U, None, None),                            # which year?
    ("Từ ngày 15/6 đến ngày 31/6/2026", (2026, 2026), U, None, None),             # no 31 June
    ("từ tháng 6 đến tháng 8/2026", (2026, 2030), W, "2026-06-01", "2026-08-31"),
    ("01/2026 - 12/2026", (2026, 2026), W, "2026-01-01", "2026-12-31"),           # months, not days
    # a range broken over two lines of a narrow cell is one range
    (["Giai đoạn 2026", "- 2027"], (2026, 2030), W, "2026-01-01", "2027-12-31"),
    (["2026 -", "2027"], (2026, 2030), W, "2026-01-01", "2027-12-31"),
    # ad hoc work and deadlines relative to an event depend on that event
    ("Đột xuất", (2026, 2026), C, None, None),
    ("Đột xuất khi có phản ánh, kiến nghị", (2026, 2026), C, None, None),
    ("Trước mỗi đợt kiểm tra 05 ngày làm việc", (2026, 2026), C, None, None),
    ("Sau 15 ngày kể từ ngày kết thúc kiểm tra", (2026, 2026), C, None, None),
    ("Trong vòng 30 ngày kể từ ngày ban hành Kế hoạch", (2026, 2026), C, None, None),
])
def test_day_ranges_ad_hoc_and_relative_deadlines(raw, plan, kind, start, due) -> None:
    value = parse_deadline(raw, *plan)
    assert (value.kind, value.start, value.due) == (kind, start, due)
    if kind == C:
        assert value.condition == value.raw


@pytest.mark.parametrize("raw,recurrence", [
    ("Định kỳ, đột xuất", "periodic"),           # a schedule beside "đột xuất" decides
    ("Hằng quý và đột xuất", "quarterly"),
    ("Thường xuyên, đột xuất", "continuous"),
])
def test_ad_hoc_beside_a_schedule_is_recurring(raw: str, recurrence: str) -> None:
    value = parse_deadline(raw, 2026, 2026)
    assert (value.kind, value.recurrence) == (R, recurrence)


def test_bulleted_lines_are_still_a_composite() -> None:
    value = parse_deadline(["- Quý I/2026", "- Quý III/2026"], 2026, 2026)
    assert value.kind == "composite" and len(value.parts) == 2


def test_a_stray_opening_quote_hides_no_rule() -> None:
    assert parse_deadline("“Theo Thông báo của Đoàn kiểm tra", 2026, 2026).kind == C


def test_a_dash_left_over_from_the_cell_before_does_not_hide_a_range() -> None:
    from normalize.deadlines import deadline_dict

    got = deadline_dict(["Quý I/2026 - - Quý IV/2026"], 2026, 2026)
    assert (got["kind"], got["start"], got["due"]) == ("window", "2026-01-01", "2026-12-31")
    assert got["raw"] == "Quý I/2026 - - Quý IV/2026"
