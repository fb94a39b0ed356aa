"""How a scanned page's words and ruling lines become a page the layout reader reads (issue 32): the rules of a
table found where a letter touches them or a speck sits beside them, what is left of an erased rule not read as
text, a page number OCR misread dropped like the others. No OCR is run here: the pages are drawn, the words given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from plangraph.loaders import ocr
from plangraph.loaders.pdf import _furniture, _Line
from plangraph.model import Paragraph

DPI = 200


def _grid(columns: list[int], rows: list[int], width: int = 1200, height: int = 700) -> Any:
    """A white page with a ruled grid: horizontal rules at `rows` (2 px thick), vertical ones at `columns`."""
    pixels = np.full((height, width), 255, dtype=np.uint8)
    left, right = columns[0], columns[-1]
    for y in rows:
        pixels[y : y + 2, left : right + 2] = 40
    for x in columns:
        pixels[rows[0] : rows[-1] + 2, x : x + 2] = 40
    return pixels


def _verticals(pixels: Any) -> list[tuple[int, int, int]]:
    rules, _ = ocr._rules(pixels, DPI)
    return sorted((x0, top, bottom) for x0, top, x1, bottom in rules if top != bottom)


def test_a_column_rule_touching_a_letter_below_the_table_row_is_found_and_cut_at_the_rule() -> None:
    # A header row (100-140) over a row whose cell spans the columns (140-260): the rule at x=500 stops at the
    # header's bottom rule, where the stem of a letter of the spanning cell's text touches it.
    pixels = _grid([100, 900], [100, 140, 260])
    pixels[100:140, 500:502] = 40  # the header's column rule, none below it in the spanning row
    pixels[142:170, 500:503] = 40  # "T" of "PHÁT TRIỂN" under the rule, touching it
    pixels[142:145, 490:512] = 40
    found = _verticals(pixels)
    middle = [v for v in found if abs(v[0] - 500) <= 2]
    assert len(middle) == 1, found
    _, top, bottom = middle[0]
    assert top <= 102 and 139 <= bottom <= 142  # the header's height, not the letter's
    # The letter is not erased with the rule: its ink is still on the page.
    _, mask = ocr._rules(pixels, DPI)
    assert not mask[150:170, 500:503].any()


def test_a_speck_beside_a_rules_end_does_not_lose_the_column_rule() -> None:
    pixels = _grid([100, 500, 900], [100, 140, 260])
    pixels[98, 499:502] = 40  # a speck of dust just above the top rule, over the column rule
    assert any(abs(x - 500) <= 2 and top <= 102 and bottom >= 258 for x, top, bottom in _verticals(pixels))


def test_a_letters_stem_is_no_rule() -> None:
    pixels = _grid([100, 900], [100, 260])
    pixels[150:190, 400:403] = 40  # "l" inside the cell, touching no rule
    pixels[102:130, 600:603] = 40  # a stroke hanging from the top rule, ending in the cell
    assert [x for x, _, _ in _verticals(pixels) if 300 < x < 800] == []


def _tsv(words: list[tuple[str, int, int, int, int, float]]) -> str:
    """Tesseract's TSV of one line holding `words` (text, left, top, width, height, confidence)."""
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [header, "4\t1\t1\t1\t1\t0\t0\t100\t1000\t30\t-1\t"]
    for i, (text, left, top, width, height, conf) in enumerate(words, start=1):
        rows.append(f"5\t1\t1\t1\t1\t{i}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows)


def test_marks_left_where_a_rule_was_erased_are_not_text() -> None:
    rules = [(500, 50, 500, 400), (100, 300, 900, 300)]  # a column rule at x=500, a row rule at y=300
    tsv = _tsv(
        [
            ("phường", 380, 105, 90, 25, 96.0),
            ("-", 498, 108, 5, 12, 90.0),  # on the column rule: what its erasure left
            ("|", 499, 104, 3, 28, 86.0),
            ("a", 499, 104, 8, 20, 90.0),  # a letter on the rule stays (text, never a mark)
            ("-", 700, 110, 10, 4, 93.0),  # a dash in the text, away from any rule, stays ("kinh tế - xã hội")
            ("__", 600, 296, 12, 6, 81.0),  # on the row rule
        ]
    )
    page = ocr._page_from_tsv(tsv, ocr.PageRequest(1, 595, 842), 72 / DPI, rules)
    assert [w.text for line in page.lines for w in line.words] == ["phường", "a", "-"]
    # Without rules (a page with no table) every mark is read as before.
    plain = ocr._page_from_tsv(tsv, ocr.PageRequest(1, 595, 842), 72 / DPI)
    assert [w.text for line in plain.lines for w in line.words] == ["phường", "-", "|", "a", "-", "__"]


def _line(text: str, page: int, top: float, x0: float = 400.0, scanned: bool = True) -> _Line:
    return _Line(text, top, top + 8, x0, x0 + 6 * len(text), False, 6.0, page, scanned)


def test_a_page_number_ocr_misread_is_dropped_where_the_others_are() -> None:
    items: list[Any] = [_line(str(n) if n != 3 else "tỷ", n, 800.0) for n in range(1, 6)]
    items.append(_line("Hà", 4, 300.0))  # a short line in the body: kept
    items.append(_line("tỷ", 6, 790.0, x0=120.0))  # in the footer band, but not where the numbers are
    heights = {n: 842.0 for n in range(1, 7)}
    assert _furniture(items, heights) == {0, 1, 2, 3, 4}
    # From a text layer, a short line is what it says: only OCR misreads a number.
    items[2] = _line("tỷ", 3, 800.0, scanned=False)
    assert 2 not in _furniture(items, heights)


def test_a_units_code_with_a_digit_misread_as_a_letter_gets_its_digit() -> None:
    assert [ocr.unit_code(w) for w in ("V0I", "H0l,", "C04:", "V01", "VOI", "Hà", "PC06", "QĐ", "2025")] == [
        "V01",
        "H01,",
        "C04:",
        "V01",
        "VOI",  # letters only: a word
        "Hà",
        "PC06",
        "QĐ",
        "2025",
    ]
    page = ocr.OcrPage(1, 595, 842, [ocr.Line(100, 110, [ocr.Word(100, 130, "V0I", 70.0)])])
    assert "".join(c["text"] for c in ocr.page_objects(page)["char"]) == "V01"


def test_a_speck_where_an_items_number_was_is_kept_as_a_mark() -> None:
    words = [
        ("biểu;", 100, 100, 40, 20, 90.0),
        ("’", 145, 95, 4, 8, 22.0),  # a superscript number OCR could not read, between "; " and a capital
        ("Tuyên", 152, 100, 40, 20, 96.0),
        ("bố", 195, 100, 20, 20, 96.0),
        ("°", 218, 95, 4, 8, 30.0),  # dust between two words of a sentence
        ("lý", 225, 100, 14, 20, 96.0),
        ("V01,", 245, 100, 30, 20, 0.0),  # a unit's code read with no confidence at all: kept
        ("ii", 280, 100, 10, 20, 5.0),  # letters read with none: noise
        ("hội.", 300, 100, 30, 20, 95.0),
        ("“", 335, 95, 4, 8, 25.0),
        ("thêm", 342, 100, 30, 20, 96.0),  # after a stop, but lower case: not an item
    ]
    page = ocr._page_from_tsv(_tsv(words), ocr.PageRequest(1, 595, 842), 72 / DPI)
    assert [w.text for line in page.lines for w in line.words] == [
        "biểu;",
        ocr.ITEM_MARK,
        "Tuyên",
        "bố",
        "lý",
        "V01,",
        "hội.",
        "thêm",
    ]


def _page_of_paragraphs(scanned: bool) -> list[Any]:
    """A page of two paragraphs opening indented (x=120) whose lines wrap at the margin (x=82, right edge 548),
    the second line of the first starting with an item's mark OCR garbled; a banner wider than the text below."""
    rows = [
        (120, 548, "1. C04: # Chủ trì chuẩn bị nội dung Hội nghị gồm: bài"),
        (84, 548, "phát biểu khai mạc; Tuyên bố lý do giới thiệu đại biểu;"),
        (84, 548, "® Chủ trì xây dựng phóng sự tuyên truyền về công tác phòng,"),
        (83, 490, "chống ma tuý trong thời gian qua."),
        (117, 547, "2. V01: Chủ trì chuẩn bị nội dung Hội nghị gồm: kịch bản"),
        (82, 547, "điều hành; bài phát biểu chỉ đạo của Thủ tướng; đáp từ của"),
        (82, 547, "Bộ trưởng Bộ Công an; bảo đảm kết nối hệ thống trực tuyến giữa"),
        (82, 300, "các điểm cầu."),
        (117, 547, "3. Công an các địa phương mời và triệu tập đại biểu dự Hội nghị"),
        (81, 400, "theo Kế hoạch."),
        (72, 575, "BAN CHỈ ĐẠO TRUNG ƯƠNG CÁC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA"),  # wider than the text (a banner)
    ]
    return [
        _Line(text, 100 + 16 * i, 110 + 16 * i, x0, x1, False, 8.0, 5, scanned) for i, (x0, x1, text) in enumerate(rows)
    ]


def test_a_scanned_line_flush_with_the_margin_under_a_full_line_goes_on_the_paragraph(monkeypatch: Any) -> None:
    from plangraph.loaders import pdf

    for scanned in (True, False):
        items = _page_of_paragraphs(scanned)
        monkeypatch.setattr(pdf, "_read_pages", lambda *_, items=items: (items, {5: 842.0}, []))
        blocks = [b for b in pdf.read_pdf(b"", "scan.pdf")[0] if isinstance(b, Paragraph)]
        texts = [b.text[:12] for b in blocks]
        if scanned:  # the page's paragraphs open indented: "® Chủ trì …" goes on the one above
            assert texts == ["1. C04: # Ch", "2. V01: Chủ ", "3. Công an c", "BAN CHỈ ĐẠO "]
            assert all(b.scanned and b.page == 5 for b in blocks if not b.text.startswith("BAN"))
        else:  # a text layer: a line starting with a mark opens a paragraph, as before
            assert "® Chủ trì xâ" in texts
            assert not any(b.scanned or b.page for b in blocks)


def test_a_section_heading_whose_space_ocr_lost_gets_it_back() -> None:
    from plangraph.loaders.pdf import scan_line

    assert scan_line("V.KINH PHÍ THỰC HIỆN") == "V. KINH PHÍ THỰC HIỆN"
    assert scan_line("IV.PHÂN CÔNG NHIỆM VỤ") == "IV. PHÂN CÔNG NHIỆM VỤ"
    assert scan_line("VII.1 Tiếp tục hoàn thiện") == "VII.1 Tiếp tục hoàn thiện"  # a numbered item, left alone
    assert scan_line("V. KINH PHÍ") == "V. KINH PHÍ"
