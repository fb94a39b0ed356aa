"""How a scanned page's words and ruling lines become a page the layout reader reads (issue 32): the rules of a
table found where a letter touches them or a speck sits beside them, what is left of an erased rule not read as
text, a page number OCR misread dropped like the others. No OCR is run here: the pages are drawn, the words given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from plangraph.loaders import ocr
from plangraph.loaders.pdf import _furniture, _Line

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
