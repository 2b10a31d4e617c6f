"""Worker warm-up: run a small made-up plan through the whole pipeline before the first file.

The first document a process converts pays one-off costs: imports, spaCy's pipeline, regex
compilation, pydantic's first validations, caches. Paying them here means a file's time limit
(and its reported seconds) measures that file, not the worker's start-up.
"""
from __future__ import annotations

# Invented plan (no real commune): letterhead, a percentage objective, a task table whose
# deadlines take the main rule paths (quarter, recurring, day date, conditional, in words), and
# an implementation section whose duties build the spaCy duty pipeline (normalize/duties).
_SAMPLE_PLAN = "\n".join([
    "ỦY BAN NHÂN DÂN",
    "XÃ AN BÌNH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 01/KH-UBND",
    "An Bình, ngày 05 tháng 01 năm 2026",
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2026",
    "I. MỤC TIÊU",
    "1. Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 98%; mức độ hài lòng của người dân đạt trên 90%.",
    "II. NHIỆM VỤ",
    "TT\tNội dung\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành",
    "I\tCải cách thủ tục hành chính\t\t\t\t",
    "1\tRà soát thủ tục hành chính\tBáo cáo\tVăn phòng HĐND và UBND\tCác phòng chuyên môn\tQuý II/2026",
    "2\tTuyên truyền cải cách hành chính\t- Kế hoạch; - Báo cáo\tPhòng Văn hóa - Xã hội\t\tThường xuyên",
    "3\tKiểm tra công vụ\tThông báo kết luận\tVăn phòng HĐND và UBND\tCông an xã\tTrước ngày 30/6/2026",
    "4\tBáo cáo kết quả\tBáo cáo\tVăn phòng HĐND và UBND\t\tTheo hướng dẫn của Sở Nội vụ",
    "5\tTổng kết\tBáo cáo\tVăn phòng HĐND và UBND\t\tngày mười lăm tháng 12 năm 2026",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng HĐND và UBND xã:",
    "- Chủ trì, phối hợp với các phòng chuyên môn triển khai Kế hoạch; định kỳ hằng quý báo cáo.",
    "Giao Công an xã phối hợp kiểm tra công vụ, báo cáo trước ngày 15/12/2026.",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Nguyễn Văn An",
]) + "\n"


def warm_up() -> None:
    """Convert the sample plan in memory (nothing is written)."""
    from ingest.readers import ReadOptions, read_document
    from ingest.assemble import SourceInfo, build_plan_document

    data = _SAMPLE_PLAN.encode("utf-8")
    document = read_document("txt", data, ReadOptions())
    result = build_plan_document(document, SourceInfo(path="warm-up.txt", sha256="0" * 64, format="txt",
                                                      pages=None), "warm-up")
    result.to_json()
    # Import the other format parsers too: their import time must not land on a file's clock.
    import parsers.docx  # noqa: F401
    import parsers.pdf  # noqa: F401
