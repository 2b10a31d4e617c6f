"""Normalizers on the contract's own examples and on variants seen in plans."""
from __future__ import annotations

import pytest

from normalize.areas import area_of
from normalize.deadlines import parse_deadline
from normalize.departments import match_departments
from normalize.products import split_products
from normalize.targets import extract_targets
from normalize.text import clean, tone_convention


@pytest.mark.parametrize("raw,expected", [
    ("Văn hoá", "Văn hóa"), ("Đảng uỷ", "Đảng ủy"), ("thuỷ lợi", "thủy lợi"), ("khoẻ", "khỏe"),
    ("Quý I", "Quý I"), ("quý", "quý"), ("hoàn thành", "hoàn thành"), ("HOÁ", "HÓA"),
])
def test_tone_convention(raw: str, expected: str) -> None:
    assert tone_convention(raw) == expected


def test_tone_convention_fast_path_agrees_with_the_full_rewrite() -> None:
    """Texts the NFC pre-test lets through unchanged are exactly those the NFD rewrite would
    leave unchanged: every o/u + a/e/y + tone, after h/q/nothing, before a letter or not."""
    import unicodedata

    from normalize.text import _OLD_STYLE_TONE

    def full(text: str) -> str:
        moved = _OLD_STYLE_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2),
                                    unicodedata.normalize("NFD", text))
        return unicodedata.normalize("NFC", moved)

    samples = []
    for before in ("", "h", "q", "Q", "o"):
        for o in "oOuU":
            for vowel in "aeyAEY":
                for tone in "\u0300\u0301\u0303\u0309\u0323":
                    for after in ("", " x", "n", ".", "\u0302", "1"):
                        word = before + o + vowel + tone + after
                        samples += [word, unicodedata.normalize("NFC", word)]
    assert all(tone_convention(t) == full(t) for t in samples)
    assert tone_convention("hoạt động quản lý toàn diện") == "hoạt động quản lý toàn diện"


def test_clean_html_and_decomposed_accents() -> None:
    decomposed = "Ho\u0300a   <b>bi\u0300nh</b>\u00a0 "
    assert clean(decomposed) == "Hòa bình"
    assert clean(clean(decomposed)) == clean(decomposed)


@pytest.mark.parametrize("raw,kind,start,due,recurrence", [
    ("Trước ngày 15/01/2026", "due_by", None, "2026-01-15", None),
    ("chậm nhất tháng 01/2026", "due_by", None, "2026-01-31", None),
    ("Xong trong Quý II/2026", "due_by", None, "2026-06-30", None),
    ("Hoàn thành trong tháng 5/2026", "due_by", None, "2026-05-31", None),
    ("Quý I/2026", "window", "2026-01-01", "2026-03-31", None),
    ("Quý I năm 2026", "window", "2026-01-01", "2026-03-31", None),
    ("Tháng 01-05/2026", "window", "2026-01-01", "2026-05-31", None),
    ("Quý III,IV/2026", "window", "2026-07-01", "2026-12-31", None),
    ("Cả năm 2026", "window", "2026-01-01", "2026-12-31", None),
    ("Trong năm 2026", "window", "2026-01-01", "2026-12-31", None),
    ("2026", "window", "2026-01-01", "2026-12-31", None),
    ("2025 - 2035", "window", "2025-01-01", "2035-12-31", None),
    ("6 tháng đầu năm 2026", "window", "2026-01-01", "2026-06-30", None),
    ("Thường xuyên", "recurring", None, None, "continuous"),
    ("Trước ngày 31/01 năm liền kề", "recurring", None, None, "annual"),
    ("tháng 01 hằng năm", "recurring", None, None, "annual"),
    ("Trước ngày 05 của tháng liền kề", "recurring", None, None, "monthly"),
    ("Hằng quý, năm", "recurring", None, None, "quarterly"),
    ("6 tháng, 1 năm", "recurring", None, None, "semiannual"),
    ("Hàng năm", "recurring", None, None, "annual"),
    ("Định kỳ", "recurring", None, None, "periodic"),
    ("định kỳ hàng năm", "recurring", None, None, "annual"),
    ("Từ năm 2026", "from", "2026-01-01", None, None),
    ("", "unspecified", None, None, None),
    ("chưa xác định được", "unspecified", None, None, None),
])
def test_deadline_kinds(raw, kind, start, due, recurrence) -> None:
    value = parse_deadline(raw, 2026, 2026)
    assert (value.kind, value.start, value.due, value.recurrence) == (kind, start, due, recurrence)


def test_conditional_keeps_condition_text() -> None:
    value = parse_deadline("Theo hướng dẫn của Sở Nội vụ.", 2026, 2026)
    assert value.kind == "conditional" and value.condition == "Theo hướng dẫn của Sở Nội vụ"


def test_composite_deadline_parts_and_earliest_due() -> None:
    value = parse_deadline(["- Ban hành kế hoạch: chậm nhất tháng 01/2026.",
                            "- Hoàn thành: theo Kế hoạch của UBND tỉnh.",
                            "- Báo cáo: định kỳ hàng năm."], 2026, 2030)
    assert value.kind == "composite" and value.start is None and value.due == "2026-01-31"
    assert [p.kind for p in value.parts] == ["due_by", "conditional", "recurring"]
    assert value.parts[0].raw == "Ban hành kế hoạch: chậm nhất tháng 01/2026"


@pytest.mark.parametrize("text,codes", [
    ("Văn phòng HĐND&UBND xã", ["VP_HDND_UBND"]),
    ("Văn phòng HĐND – UBND", ["VP_HDND_UBND"]),
    ("Phòng VH-XH", ["PHONG_VHXH"]),
    ("Phòng VHXXH", ["PHONG_VHXH"]),                      # typo
    ("Trung dịch vụ công xã", ["TT_CUDVC"]),              # typo
    ("Phong Van hoa - Xa hoi", ["PHONG_VHXH"]),           # no diacritics
    ("Trung tâm Phục vụ HCC", ["TT_PVHCC"]),
    ("Trung tâm cung ứng DVC", ["TT_CUDVC"]),
    ("Các Phòng ban chuyên môn, Trung tâm Văn hóa, TT&TT, ban ngành đoàn thể liên quan; các thôn trên địa bàn xã",
     ["ALL_UNITS", "TT_VHTT", "MTTQ", "THON"]),
    ("- Tổ công tác Đề án 06 xã. - Phòng VH-XH", ["TO_DE_AN_06", "PHONG_VHXH"]),
    ("Các sở, ban, ngành", ["CAC_SO_NGANH"]),
    ("UBND các xã, phường, đặc khu", ["UBND_CAP_XA"]),
    ("Sở KH&CN", ["SO_KHCN"]),
])
def test_department_codes(text: str, codes: list[str]) -> None:
    assert match_departments(text).codes == codes


def test_unknown_party_keeps_no_code() -> None:
    match = match_departments("Công ty cổ phần Viễn thông ABC; Phòng Kinh tế")
    assert match.codes == ["PHONG_KT"] and match.unknown


def test_lead_by_reference() -> None:
    match = match_departments("Theo phân công tại Quyết định số 12/QĐ-UBND")
    assert match.by_reference and match.codes == []


def test_province_level_prefers_province_units() -> None:
    assert match_departments("Trung tâm Phục vụ hành chính công", "province").codes == ["TT_PVHCC_TINH"]
    assert match_departments("Trung tâm Phục vụ hành chính công", "commune").codes == ["TT_PVHCC"]


@pytest.mark.parametrize("text", [
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%.",
    "a) 100% thủ tục hành chính được công khai; 90% hồ sơ được số hóa",
    "Đạt 95% (năm 2026).) ",
    "Phấn đấu đạt 90%. Mức độ hài lòng đạt trên 85%.",
    "Tỷ lệ đạt 90%. + 5% so với năm trước",
    "Đạt 80%! Tiếp tục duy trì",
    "  Chỉ số đạt 70% …",
])
def test_sentences_skip_spacy_only_when_it_would_not_split(text: str) -> None:
    from normalize.targets import _nlp, _sentences

    by_spacy = tuple(s.text.strip() for s in _nlp()(text).sents if "%" in s.text)
    assert _sentences.__wrapped__(text) == by_spacy


def _exhaustive_fuzzy(words: list[str], level: str) -> str | None:
    """Reference for NearSpellings.closest: difflib's ratio() against every alias, no pruning."""
    import difflib

    from normalize.department_fuzzy import FUZZY_THRESHOLD, level_rank
    from normalize.departments import registry

    phrase = " ".join(w for w in words if w not in ("lien", "quan"))
    best_code, best_score = None, 0.0
    for alias in registry()._all:
        score = difflib.SequenceMatcher(None, phrase, " ".join(alias.words)).ratio()
        if score > best_score or (score == best_score and best_code and level_rank(alias.level, level) == 0):
            best_code, best_score = alias.code, score
    return best_code if best_score >= FUZZY_THRESHOLD else registry().near_spellings.misread_abbreviation(phrase, level)


def test_fuzzy_unit_match_prunes_without_changing_results() -> None:
    """Misspelt, shortened and padded unit names (derived from every alias) get the same code
    from the pruned fuzzy search as from comparing against every alias."""
    import random

    from normalize.departments import registry

    rnd = random.Random(7)
    phrases: list[list[str]] = []
    for alias in registry()._all[::2]:
        words = list(alias.words)
        edit = rnd.randrange(3)
        if edit == 0 and len(words) > 1:
            del words[rnd.randrange(len(words))]
        elif edit == 1:
            words.insert(rnd.randrange(len(words) + 1), rnd.choice(["xa", "phong", "van", "hoa", "lien"]))
        else:
            i = rnd.randrange(len(words))
            j = rnd.randrange(len(words[i]))
            words[i] = words[i][:j] + rnd.choice("aeioux") + words[i][j + 1:]
        phrases.append(words)
    hits = 0
    for words in phrases:
        for level in ("commune", "province"):
            expected = _exhaustive_fuzzy(words, level)
            assert registry().near_spellings.closest(words, level) == expected, words
            hits += expected is not None
    assert hits > len(phrases) // 2      # the edits keep most names recognisable


@pytest.mark.parametrize("lines,items", [
    (["- Kế hoạch; - Báo cáo rà soát"], ["Kế hoạch", "Báo cáo rà soát"]),
    (["Kế hoạch, Báo cáo kết quả thực hiện"], ["Kế hoạch", "Báo cáo kết quả thực hiện"]),
    (["Kế hoạch đào tạo, bồi dưỡng"], ["Kế hoạch đào tạo, bồi dưỡng"]),
    (["- Quyết định/ Văn bản đề nghị - Báo cáo kết quả thực hiện"],
     ["Quyết định/ Văn bản đề nghị", "Báo cáo kết quả thực hiện"]),
])
def test_products(lines, items) -> None:
    assert split_products(lines) == items


@pytest.mark.parametrize("heading,code", [
    ("Phụ lục số 01: Cải cách thể chế", "THE_CHE"),
    ("III. Cải cách thủ tục hành chính (TTHC)", "TTHC"),
    ("Cải cách tổ chức bộ máy hành chính nhà nước", "TO_CHUC_BO_MAY"),
    ("IV. Cải cách chế độ công vụ", "CONG_VU"),
    ("Cải cách tài chính công", "TAI_CHINH_CONG"),
    ("VII. Xây dựng Chính quyền điện tử, Chính quyền số", "CHINH_QUYEN_SO"),
    ("I. Chỉ đạo, điều hành, kiểm tra và tuyên truyền", "CHI_DAO_DIEU_HANH"),
    ("PHÂN CÔNG THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH", None),
])
def test_areas(heading, code) -> None:
    assert area_of(heading) == code


def test_targets_contract_examples() -> None:
    two = extract_targets("tỷ lệ giao dịch đạt tối thiểu 60% vào năm 2027 và tối thiểu 70% vào năm 2030.", 2030)
    assert [(t.value, t.comparator, t.year) for t in two] == [(60.0, ">=", 2027), (70.0, ">=", 2030)]
    dec = extract_targets("Đến năm 2030, giảm tối thiểu 12,5% chi hỗ trợ trực tiếp từ ngân sách.", 2030)
    assert [(t.value, t.comparator, t.direction) for t in dec] == [(12.5, ">=", "decrease")]
    assert [t.comparator for t in extract_targets("tỷ lệ đạt từ 80% trở lên.", 2026)] == [">="]
    # the counted noun between the figure and the cue ("từ 70% hộ kinh doanh trở lên")
    assert [t.comparator for t in extract_targets(
        "Tỷ lệ hộ kinh doanh dùng thanh toán không tiền mặt đạt từ 70% hộ kinh doanh trở lên.", 2026)] == [">="]
    assert [t.comparator for t in extract_targets("Giảm từ 20% xuống còn 10% số hồ sơ trễ hạn.", 2026)][0] == "="
    assert [t.comparator for t in extract_targets("Bảo đảm trên 98% hồ sơ đúng hạn.", 2026)] == [">"]
    assert [t.comparator for t in extract_targets("100% hồ sơ được số hóa.", 2026)] == ["="]
    shared = extract_targets("Mức độ hài lòng về A; mức độ hài lòng về B đạt tối thiểu 90%.", 2026)
    assert len(shared) == 2


def test_not_targets() -> None:
    assert extract_targets("Áp dụng TCVN ISO 9001:2015 tại xã.", 2026) == []
    assert extract_targets("Đơn vị tự bảo đảm từ 70%- dưới 100% chi thường xuyên", 2026) == []


@pytest.mark.parametrize("word", ["luật", "hoặc", "thuận", "quyết", "khuyến", "Thuận", "LUẬT", "hoạch",
                                  "toàn", "khoảng", "tuyển", "huỷ"])
def test_tone_move_never_touches_other_marks(word: str) -> None:
    import unicodedata
    cleaned = clean(word)
    assert sorted(unicodedata.normalize("NFD", cleaned)) == sorted(unicodedata.normalize("NFD", word))
    if word not in ("huỷ",):
        assert cleaned == word


def test_cleanup_only_moves_open_syllable_tones_in_real_text() -> None:
    """Over every word of the dev plans: cleanup keeps each word's letters and marks, and
    changes a word only by moving the tone of a final oa/oe/uy."""
    import re
    import unicodedata

    from conftest import DEV, DEV_IDS
    moved = re.compile(r"(?i)(?<!q)[oòóỏõọ][aàáảãạeèéẻẽẹ]$|(?<!q)u[yỳýỷỹỵ]$|(?<!q)[ùúủũụ]y$|[òóỏõọ]a$|[òóỏõọ]e$")
    for doc_id in DEV_IDS:
        for word in set(re.findall(r"\w+", unicodedata.normalize("NFC", (DEV / f"{doc_id}.txt").read_text("utf-8")))):
            cleaned = clean(word)
            assert sorted(unicodedata.normalize("NFD", cleaned)) == sorted(unicodedata.normalize("NFD", word)), word
            assert cleaned == word or moved.search(word), (word, cleaned)


@pytest.mark.parametrize("text,level,codes", [
    ("Trung tâm Phục vụ HGC", "commune", ["TT_PVHCC"]),        # OCR read HCC as HGC
    ("Trung tâm Phục vụ HCCC", "commune", ["TT_PVHCC"]),
    ("Trung tâm Phục vụ HGC", "province", ["TT_PVHCC_TINH"]),
    ("Trung tâm Văn hóa", "commune", []),                      # no abbreviation misread: no guess
    ("Trung tâm Phục vụ HC", "commune", []),                   # two letters short of any name
])
def test_misread_abbreviation_in_a_unit_name(text: str, level: str, codes: list[str]) -> None:
    from normalize.departments import match_departments

    assert match_departments(text, level).codes == codes


@pytest.mark.parametrize("text,value,comparator,year,direction", [
    # "Hà"/"hạ" and "giám" fold to the decrease cues "ha"/"giam": only "giảm", "hạ thấp/xuống" count
    ("Tỷ lệ hộ gia đình tại Hà Tĩnh có cáp quang đạt trên 95%.", 95.0, ">", 2026, "increase"),
    ("Hạ tầng băng rộng phủ 99% thôn.", 99.0, "=", 2026, "increase"),
    ("Kết quả giám sát đạt 90% yêu cầu.", 90.0, "=", 2026, "increase"),
    ("Hạ thấp 10% tỷ lệ hộ nghèo.", 10.0, "=", 2026, "decrease"),
    ("Giảm ít nhất 10% thời gian giải quyết.", 10.0, ">=", 2026, "decrease"),
    # negated bounds
    ("Tỷ lệ hồ sơ đúng hạn không dưới 90%.", 90.0, ">=", 2026, "increase"),
    ("Tỷ lệ hài lòng không thấp hơn 85%.", 85.0, ">=", 2026, "increase"),
    ("Tỷ lệ hồ sơ trễ hạn không vượt quá 5%.", 5.0, "<=", 2026, "increase"),
    ("Tỷ lệ hồ sơ trễ hạn dưới 2%.", 2.0, "<", 2026, "increase"),
    ("Tỷ lệ số hóa tối thiểu là 70%.", 70.0, ">=", 2026, "increase"),
    # the year a change is measured from is not the target's year; a 5-digit number is no year
    ("Số hồ sơ trực tuyến tăng 5% so với năm 2025.", 5.0, "=", 2026, "increase"),
    ("Tỷ lệ đạt 80% vào năm 20310.", 80.0, "=", 2026, "increase"),
    ("Tỷ lệ đạt 80% vào năm 2028.", 80.0, "=", 2028, "increase"),
])
def test_target_cues(text: str, value: float, comparator: str, year: int, direction: str) -> None:
    (target,) = extract_targets(text, 2026)
    assert (target.value, target.comparator, target.year, target.direction) == (value, comparator, year, direction)


@pytest.mark.parametrize("text,level,codes,unknown", [
    # abbreviations, read in context where one spelling has two meanings
    ("P. VH-XH", "commune", ["PHONG_VHXH"], []),
    ("Phòng KT, HT&ĐT", "commune", ["PHONG_KT"], []),
    ("TT PVHCC", "commune", ["TT_PVHCC"], []),
    ("BCH Quân sự xã", "commune", ["BCH_QS"], []),
    ("UBMTTQ Việt Nam phường", "commune", ["MTTQ"], []),
    ("Đoàn TN; Hội LHPN; Hội CCB", "commune", ["MTTQ"], []),
    ("Sở NN&MT", "province", ["SO_NN_MT"], []),
    ("Sở VH,TT&DL", "province", ["SO_VHTTDL"], []),
    ("Trung tâm Văn hóa, TT&TT", "commune", ["TT_VHTT"], []),
    ("Văn phòng HĐND. và UBND phường", "commune", ["VP_HDND_UBND"], []),   # a stray dot
    # whose units a collective names is no unit of its own; a province name is no commune unit
    ("Các phòng, ban, đơn vị thuộc UBND xã", "commune", ["ALL_UNITS"], []),
    ("Các cơ quan, đơn vị thuộc UBND phường", "commune", ["ALL_UNITS"], []),
    ("Các cơ quan chuyên môn thuộc UBND xã", "commune", ["ALL_UNITS"], []),
    ("Các cơ quan chuyên môn thuộc UBND tỉnh", "province", ["CAC_SO_NGANH"], []),
    ("Các Sở: Tài chính, Tư pháp, Nội vụ", "province", ["SO_TAI_CHINH", "SO_TU_PHAP", "SO_NOI_VU"], []),
    # qualifiers of a unit are no unknown party; parties of their own still are
    ("Thuế tỉnh Nghệ An", "province", ["THUE"], []),
    ("Sở Nội vụ (Ban Thi đua - Khen thưởng)", "province", ["SO_NOI_VU"], []),
    ("Sở Nội vụ (Phòng VH-XH)", "province", ["SO_NOI_VU", "PHONG_VHXH"], []),
    ("Phòng Kinh tế (Công ty ABC)", "commune", ["PHONG_KT"], ["cong ty abc"]),
    ("Ngân hàng Đầu tư và Phát triển (BIDV)", "commune", [], ["ngan hang dau tu phat trien bidv"]),
    ("VNPT Nghệ An, Viettel Nghệ An", "province", [], ["vnpt nghe an", "viettel nghe an"]),
    ("các thôn, buôn", "commune", ["THON"], []),
])
def test_unit_mentions_of_other_plans(text: str, level: str, codes: list[str], unknown: list[str]) -> None:
    match = match_departments(text, level)
    assert (match.codes, match.unknown) == (codes, unknown)


def test_clean_reads_hyphen_look_alikes_and_drops_soft_hyphens() -> None:
    from normalize.text import clean

    assert clean("Số: 12/KH\u2011UBND, tháng 7\u201010/2026") == "Số: 12/KH-UBND, tháng 7-10/2026"
    assert clean("cải\u00adcách hành chính") == "cảicách hành chính"


def test_metadata_of_layouts_the_dev_plans_lack() -> None:
    from normalize.metadata import extract_metadata

    # A title that starts with "Thực hiện" (no document cited) is the title, not the preamble.
    meta = extract_metadata(["ỦY BAN NHÂN DÂN", "XÃ KRÔNG BÚK", "Số: 05/KH-UBND", "KẾ HOẠCH",
                             "Thực hiện công tác dân vận chính quyền năm 2026",
                             "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND tỉnh Đắk Lắk;"])
    assert meta.title == "Thực hiện công tác dân vận chính quyền năm 2026"
    assert (meta.period_start, meta.period_end) == (2026, 2026)
    # No letterhead (a text copy): the opening sentence says the province issues the plan.
    meta = extract_metadata(["KẾ HOẠCH", "Chuyển đổi số tỉnh Nghệ An năm 2026",
                             "Ủy ban nhân dân tỉnh Nghệ An ban hành Kế hoạch chuyển đổi số năm 2026 như sau:"])
    assert (meta.level, meta.issuer, meta.province) == ("province", "UBND tỉnh Nghệ An", "Nghệ An")
    # The recipients list read between the signer's role and name (a page break in a PDF).
    meta = extract_metadata(["ỦY BAN NHÂN DÂN", "XÃ KRÔNG BÚK", "KẾ HOẠCH", "Dân vận chính quyền năm 2026",
                             "Nội dung kế hoạch.", "Nơi nhận:", "- UBND tỉnh;", "TM. ỦY BAN NHÂN DÂN",
                             "CHỦ TỊCH", "- UB MTTQ xã;", "- Lưu: VT.", "Y Khuê Niê"])
    assert (meta.signer_role, meta.signer_name) == ("CHỦ TỊCH", "Y Khuê Niê")


@pytest.mark.parametrize("header,role", [
    ("Đơn vị chủ tr", "lead"), ("Thòi gian hoàn thành", "deadline"), ("Cơ quan phối họp", "coordinating"),
    ("Sản phầm", "products"), ("Kinh phí", None), ("Đơn vị tính", None), ("Tên đơn vị", None),
])
def test_misread_headers_keep_their_column(header: str, role: str | None) -> None:
    """A header one or two letters off (an OCR slip) still names its column; other headers
    do not become a task column by being near one."""
    from parsers.plan.columns import vocabulary

    assert vocabulary().role_of(header) == role


def test_short_label_broken_over_two_lines_keeps_its_column() -> None:
    from parsers.plan.columns import vocabulary

    assert vocabulary().role_of("ST T") == "seq" and vocabulary().role_of("S TT") == "seq"


@pytest.mark.parametrize("kind,name,province", [
    ("xã", "Cẩm Xuyên", "Hà Tĩnh"), ("phường", "Thành Sen", "Hà Tĩnh"), ("xã", "Nam Đàn", "Nghệ An"),
    ("phường", "Nam Định", "Ninh Bình"), ("xã", "Hải Nam", "Quảng Trị"), ("xã", "Uy Nỗ", "Hà Nội"),
    ("xã", "Vệ An", "Bắc Ninh"), ("xã", "Bản Lầu", "Lào Cai"), ("xã", "Trọng Quan", "Hưng Yên"),
    ("xã", "Kế Sách", "Cần Thơ"), ("xã", "Năm Căn", "Cà Mau"), ("xã", "Giai Xuân", "Nghệ An"),
])
def test_names_with_words_that_fold_to_clause_words(kind: str, name: str, province: str) -> None:
    """'Tĩnh' folds to 'tinh', 'Nam' to 'nam', 'Vệ' to 've': names are compared with their
    tones, so they are not cut where 'Tỉnh', 'Năm', 'Về' would start a new clause."""
    from normalize.metadata import extract_metadata

    body = ["KẾ HOẠCH", f"Cải cách hành chính {kind} {name} năm 2026",
            f"Thực hiện Kế hoạch số 300/KH-UBND ngày 25/12/2025 của UBND tỉnh {province} về cải cách hành chính;",
            f"Ủy ban nhân dân {kind} {name} ban hành Kế hoạch như sau:"]
    with_letterhead = extract_metadata(["ỦY BAN NHÂN DÂN", f"{kind.upper()} {name.upper()}", "Số: 12/KH-UBND"] + body)
    without = extract_metadata(["Số: 12/KH-UBND", f"{name}, ngày 10 tháng 01 năm 2026"] + body)
    assert (with_letterhead.commune, with_letterhead.province) == (name, province)
    assert (without.issuer, without.commune, without.province) == (f"UBND {kind} {name}", name, province)


def test_clause_words_still_end_names() -> None:
    from normalize.metadata import _trim_name

    assert _trim_name("Thường Xuân Năm 2026") == "Thường Xuân"
    assert _trim_name("Cẩm Xuyên Giai") == "Cẩm Xuyên"          # "… Giai đoạn 2026 - 2030"
    assert _trim_name("Nghệ An Về") == "Nghệ An"
    assert _trim_name("Nghệ An Kế") == "Nghệ An"                # "… Kế hoạch"
    assert _trim_name("Hà Tĩnh Theo") == "Hà Tĩnh"


def test_province_plan_without_letterhead() -> None:
    from normalize.metadata import extract_metadata

    # "Ủy ban nhân dân tỉnh ban hành …" without the name, and the annex's "của UBND tỉnh X".
    meta = extract_metadata(["Số: 126/KH-UBND", "Lâm Đồng, ngày 20 tháng 01 năm 2026", "KẾ HOẠCH",
                             "Cải cách hành chính nhà nước tỉnh Lâm Đồng giai đoạn 2026 - 2030",
                             "Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành chính nhà nước như sau:"])
    assert (meta.level, meta.issuer, meta.province) == ("province", "UBND tỉnh Lâm Đồng", "Lâm Đồng")
    meta = extract_metadata(["KẾ HOẠCH", "Chuyển đổi số năm 2026", "Nội dung.",
                             "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND tỉnh Gia Lai)"])
    assert (meta.level, meta.issuer) == ("province", "UBND tỉnh Gia Lai")
    # A decision of the province cited in the preamble does not make the plan provincial.
    meta = extract_metadata(["KẾ HOẠCH", "Chuyển đổi số năm 2026",
                             "Căn cứ Quyết định số 5/QĐ-UBND của UBND tỉnh Gia Lai ban hành Kế hoạch chuyển đổi số;"])
    assert meta.level == "commune"
    # a ward of a centrally run city, the city named with a capital "Thành phố"
    meta = extract_metadata(["ỦY BAN NHÂN DÂN", "PHƯỜNG THỦ DẦU MỘT", "KẾ HOẠCH", "Cải cách hành chính năm 2026",
                             "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hồ Chí Minh về cải cách hành chính;"])
    assert (meta.commune, meta.province) == ("Thủ Dầu Một", "Hồ Chí Minh")


def test_letterhead_with_the_motto_between_its_lines_and_a_glued_preamble() -> None:
    from normalize.metadata import extract_metadata

    meta = extract_metadata(["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH LÂM ĐỒNG",
                             "Độc lập - Tự do - Hạnh phúc", "Số: 126/KH-UBND", "KẾ HOẠCH",
                             ("Cải cách hành chính tỉnh Lâm Đồng giai đoạn 2026 - 2030 Căn cứ Nghị quyết số "
                              "76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
                              "hành chính nhà nước giai đoạn 2021 - 2030;")])
    assert (meta.level, meta.issuer) == ("province", "UBND tỉnh Lâm Đồng")
    assert meta.title == "Cải cách hành chính tỉnh Lâm Đồng giai đoạn 2026 - 2030"
    assert (meta.period_start, meta.period_end) == (2026, 2030)


def test_whole_words_only_in_unit_names() -> None:
    from normalize.metadata import extract_metadata

    meta = extract_metadata(["Chủ tịch UBND phường UBND phường chỉ đạo",
                             "Ủy ban nhân dân phường Bắc Giang ban hành Kế hoạch"])
    assert meta.commune == "Bắc Giang"      # not "U" from "phường UBND"


@pytest.mark.parametrize("text,level,codes,unknown", [
    # a leader's title names the leader's unit; a role in a team names no unit
    ("Phó Chủ tịch UBND xã (Trưởng đoàn)", "commune", ["UBND_XA"], []),
    ("- Phó Chủ tịch UBND xã (Trưởng đoàn); - Phòng Văn hóa - Xã hội", "commune", ["UBND_XA", "PHONG_VHXH"], []),
    ("Các đồng chí Phó Chủ tịch UBND phường", "commune", ["UBND_XA"], []),
    ("Chủ tịch, các Phó Chủ tịch UBND xã", "commune", ["UBND_XA"], []),
    ("Lãnh đạo UBND xã", "commune", ["UBND_XA"], []),
    ("Lãnh đạo Phòng Kinh tế (Thành viên)", "commune", ["PHONG_KT"], []),
    ("Chủ tịch UBND tỉnh", "province", ["UBND_TINH"], []),
    ("Phó Chủ tịch phụ trách", "commune", [], ["pho chu tich phu trach"]),    # no unit: kept as said
    # a collective's last item described by a passive verb
    ("Các phòng, ban, đơn vị được kiểm tra", "commune", ["ALL_UNITS"], []),
    ("Ban Dân tộc và Tôn giáo", "province", ["SO_DTTG"], []),
    # units without a code stay unknown
    ("Kho bạc Nhà nước khu vực XV", "province", [], ["kho bac nha nuoc khu vuc xv"]),
    ("Chi cục Thuế khu vực", "province", ["THUE"], []),
])
def test_leaders_titles_and_roles(text: str, level: str, codes: list[str], unknown: list[str]) -> None:
    match = match_departments(text, level)
    assert (match.codes, match.unknown) == (codes, unknown)


@pytest.mark.parametrize("text,expected", [
    # one sentence, one year per figure
    ("Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình: năm 2026 đạt 80%, năm 2028 đạt 90%, năm 2030 đạt 100%.",
     [(80.0, "=", 2026), (90.0, "=", 2028), (100.0, "=", 2030)]),
    ("Tỷ lệ hồ sơ trực tuyến đến năm 2027 đạt 85%; đến năm 2030 đạt 100%.", [(85.0, "=", 2027), (100.0, "=", 2030)]),
    # a year after the last figure is every figure's
    ("100% hồ sơ công việc tại cấp tỉnh, 90% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng vào năm 2027.",
     [(100.0, "=", 2027), (90.0, "=", 2027)]),
    # the baseline year is no figure's year
    ("Tỷ lệ A năm 2026 đạt 60%, tăng 5% so với năm 2025.", [(60.0, "=", 2026), (5.0, "=", 2030)]),
])
def test_per_figure_years(text: str, expected: list[tuple[float, str, int]]) -> None:
    assert [(t.value, t.comparator, t.year) for t in extract_targets(text, 2030)] == expected


def test_change_verb_and_cue_govern_a_list_of_figures() -> None:
    targets = extract_targets("Cắt giảm ít nhất 30% thời gian giải quyết và 20% chi phí tuân thủ so với năm 2025.", 2030)
    assert [(t.value, t.comparator, t.direction) for t in targets] == [(30.0, ">=", "decrease"), (20.0, ">=", "decrease")]
    # a figure with its own subject keeps its own comparator
    targets = extract_targets("Mức độ hài lòng đạt trên 90% và 100% hồ sơ được số hóa.", 2030)
    assert [(t.value, t.comparator) for t in targets] == [(90.0, ">"), (100.0, "=")]


def test_a_stray_quote_before_the_figure_keeps_the_cue() -> None:
    (target,) = extract_targets('Kiểm tra ít nhất "50% phòng, ban, đơn vị.', 2026)
    assert target.comparator == ">="


def test_a_garbled_stage_end_in_the_title_is_taken_from_the_text() -> None:
    from normalize.metadata import extract_metadata

    lines = ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: 12/KH-UBND", "KẾ HOẠCH",
             "Cải cách hành chính tỉnh Lâm Đồng giai đoạn 2026 - 203:",
             "Thực hiện Nghị quyết về cải cách hành chính giai đoạn 2021 - 2030;",
             "Mục tiêu của giai đoạn 2026 - 2030 là nền hành chính phục vụ.",
             "Đến hết giai đoạn 2026-2030, 100% thủ tục được số hóa."]
    meta = extract_metadata(lines)
    assert (meta.period_start, meta.period_end) == (2026, 2030)
