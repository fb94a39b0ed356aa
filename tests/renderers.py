"""Render task tables in each format family, the way offices' exports print them.

Used by the synthetic-variant tests and the property tests: a table rendered
here and parsed back by plangraph must give the same tasks, cell by cell.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

from plangraph.loaders.pdftext import _vlen
from plangraph.model import ColumnRole

R = ColumnRole
HEADER_NAMES: dict[ColumnRole, list[str]] = {
    # Spellings seen in the corpus for each column.
    R.NUMBER: ["STT", "Stt"],
    R.TITLE: ["Nội dung", "Tên nhiệm vụ", "Nhiệm vụ", "Nội dung cụ thể", "Nội dung chi tiết"],
    R.PRODUCTS: ["Sản phẩm", "Kết quả", "Dự kiến kết quả"],
    R.LEAD: ["Cơ quan chủ trì", "Chủ trì"],
    R.SUPPORT: ["Cơ quan phối hợp", "Phối hợp", "Đơn vị phối hợp"],
    R.DUE: ["Thời gian thực hiện", "Thời gian hoàn thành", "Thời hạn", "Thời hạn thực hiện", "Thời gian"],
    R.ACCOUNTABLE: ["Người đứng đầu chịu trách nhiệm"],
    R.NOTE: ["Ghi chú"],
}
TITLES = [
    "Xây dựng Kế hoạch cải cách hành chính hằng năm của tỉnh",
    "Tổ chức triển khai Chiến lược dữ liệu quốc gia trên địa bàn",
    "Rà soát, sửa đổi, bổ sung các văn bản quy phạm pháp luật thuộc thẩm quyền",
    "Nâng cao chất lượng cung cấp dịch vụ công trực tuyến toàn trình",
    "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức",
    "Triển khai nền tảng số dùng chung của ngành, lĩnh vực",
    "Kiểm tra, đánh giá an toàn thông tin các hệ thống thông tin của tỉnh",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Phát triển hạ tầng mạng băng rộng và phủ sóng di động 5G",
    "Công bố, công khai thủ tục hành chính trên cơ sở dữ liệu quốc gia",
]
PRODUCTS = [
    "Kế hoạch của UBND tỉnh",
    "Văn bản chỉ đạo, hướng dẫn",
    "Báo cáo kết quả thực hiện",
    "Quyết định phê duyệt",
    "Chương trình, dự án, kế hoạch triển khai",
    "Các hệ thống thông tin được kiểm tra, đánh giá",
]
AGENCIES = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Công an tỉnh",
    "Văn phòng UBND tỉnh",
    "Sở Khoa học và Công nghệ",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Các sở, ban, ngành",
    "UBND các xã, phường",
    "Các cơ quan, đơn vị liên quan",
]
DEADLINES = [
    "Thường xuyên",
    "Quý I/2026",
    "Quý II, III/2026",
    "Tháng 6/2026",
    "Năm 2026",
    "Trong năm 2026",
    "31/12/2026",
    "Hằng năm",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass
class Row:
    number: str
    cells: dict[ColumnRole, str]


@dataclass
class Section:
    code: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Spec:
    """A task table: its columns (role, printed name) in order and its sections."""

    columns: list[tuple[ColumnRole, str]]
    sections: list[Section]

    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]


def random_spec(rng: random.Random, sections: int = 2, rows: int = 3, roles: list[ColumnRole] | None = None) -> Spec:
    roles = roles or [R.NUMBER, R.TITLE, R.PRODUCTS, R.LEAD, R.SUPPORT, R.DUE]
    columns = [(role, rng.choice(HEADER_NAMES[role])) for role in roles]
    out: list[Section] = []
    for s in range(sections):
        section = Section(ROMAN[s], rng.choice(["CẢI CÁCH THỂ CHẾ", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "CHÍNH QUYỀN SỐ"]))
        for n in range(rows):
            cells = {
                R.TITLE: " ".join(rng.sample(TITLES, rng.randint(1, 2))),
                R.PRODUCTS: rng.choice(PRODUCTS),
                R.LEAD: "; ".join(rng.sample(AGENCIES[:8], rng.randint(1, 2))),
                R.SUPPORT: "; ".join(rng.sample(AGENCIES, rng.randint(1, 3))),
                R.DUE: rng.choice(DEADLINES),
                R.ACCOUNTABLE: "Giám đốc " + rng.choice(AGENCIES[:8]),
                R.NOTE: "",
            }
            section.rows.append(Row(str(n + 1), {r: cells[r] for r in roles if r is not R.NUMBER}))
        out.append(section)
    return Spec(columns, out)


# --- tab-separated ------------------------------------------------------------


def _split_words(text: str, share: float) -> tuple[str, str]:
    words = text.split()
    if len(words) < 2:
        return text, ""
    cut = max(1, min(len(words) - 1, round(len(words) * share)))
    return " ".join(words[:cut]), " ".join(words[cut:])


def render_tsv(
    spec: Spec,
    *,
    split_after: set[int] = frozenset(),  # row indexes followed by a page break that splits the row
    repeat_header: bool = True,
    preamble: str = "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\n(Kèm theo Kế hoạch số: 12/KH-UBND ngày 5/3/2026 của UBND tỉnh Lạng Sơn)\n\n",
) -> str:
    header = "\t".join(name for _, name in spec.columns)
    lines = [header]
    index = 0
    for section in spec.sections:
        lines.append("\t".join([section.code, section.title] + [""] * (len(spec.columns) - 2)))
        for row in section.rows:
            cells = [row.number if role is R.NUMBER else row.cells.get(role, "") for role, _ in spec.columns]
            if index in split_after:
                first, rest = [], []
                for (role, _), cell in zip(spec.columns, cells, strict=True):
                    if role is R.NUMBER:
                        first.append(cell)
                        rest.append("")
                    else:
                        a, b = _split_words(cell, 0.5)
                        first.append(a)
                        rest.append(b)
                lines.append("\t".join(first))
                lines.append("")
                if repeat_header:
                    lines.append(header)
                lines.append("\t".join(rest))
            else:
                lines.append("\t".join(cells))
            index += 1
    return preamble + "\n".join(lines) + "\n"


def disguise(text: str, *, crlf: bool = False, nbsp: bool = False, nfd: bool = False) -> str:
    """What office software does to text on the way: CRLF, non-breaking spaces, decomposed accents."""
    if nbsp:
        text = text.replace("Sở Nội vụ", "Sở\u00a0Nội\u00a0vụ").replace(" ", " ", 3)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    if crlf:
        text = text.replace("\n", "\r\n")
    return text


# --- markdown -----------------------------------------------------------------


def render_markdown(spec: Spec, *, html: bool = True) -> str:
    def bold(text: str) -> str:
        return f"<b>{text}</b>" if html else text

    head = [
        "Số: 45/KH-UBND",
        "",
        "Lạng Sơn, ngày 12 tháng 5 năm 2026",
        "",
        "**KẾ HOẠCH**  ",
        "**Triển khai nhiệm vụ chuyển đổi số năm 2026**",
        "",
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;",
        "",
        "## **I. MỤC ĐÍCH, YÊU CẦU**",
        "",
        "Bảo đảm hoàn thành các nhiệm vụ đúng tiến độ.",
        "",
        "**PHỤ LỤC I**",
        "",
        "**DANH MỤC NHIỆM VỤ TRỌNG TÂM**",
        "",
        "\t".join(bold(name) for _, name in spec.columns),
    ]
    for section in spec.sections:
        head.append("\t".join([bold(section.code), bold(section.title)] + [""] * (len(spec.columns) - 2)))
        for row in section.rows:
            cells = []
            for role, _ in spec.columns:
                cell = row.number if role is R.NUMBER else row.cells.get(role, "")
                if html and role is R.PRODUCTS and cell:
                    cell = f'<ul style="list-style-type: none"> <li>{cell}</li> </ul>'
                cells.append(cell)
            head.append("\t".join(cells))
    return "\n".join(head) + "\n"


# --- text extracted from a PDF ------------------------------------------------


def wrap(text: str, width: float) -> list[str]:
    """Greedy word wrap at a printed width (Times New Roman proportions)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _vlen(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


PDF_WIDTHS = {R.TITLE: 44.0, R.PRODUCTS: 19.0, R.LEAD: 15.0, R.SUPPORT: 17.0, R.DUE: 13.0}


def render_pdftext(spec: Spec, rng: random.Random, *, page_lines: int = 60, merge_chance: float = 0.3) -> str:
    """Rows printed column after column, cells wrapped, short cells sometimes sharing a line,
    header and page number repeated at page breaks, rows cut across pages."""
    roles = [role for role, _ in spec.columns if role is not R.NUMBER]
    header_lines = ["STT " + " ".join(name.upper() for role, name in spec.columns if role in (R.TITLE, R.PRODUCTS))]
    for role, name in spec.columns:
        if role in (R.NUMBER, R.TITLE, R.PRODUCTS):
            continue
        words = name.upper().split()
        header_lines += [" ".join(words[:2]), " ".join(words[2:])] if len(words) > 2 else [" ".join(words)]
    header_lines = [h for h in header_lines if h]
    out: list[str] = [
        "PHỤ LỤC",
        "CÁC NHIỆM VỤ NĂM 2026",
        "(Kèm theo Kế hoạch số: 7/KH-UBND ngày 8/01/2026 của UBND tỉnh Lạng Sơn)",
        "",
    ]
    out += header_lines
    page, used = 1, 0

    def page_break() -> None:
        nonlocal page, used
        page += 1
        used = 0
        out.append("")
        out.append(str(page))
        out.append("")
        out.extend(header_lines)

    for section in spec.sections:
        if used + 2 > page_lines:
            page_break()
        out.append(f"{section.code} {section.title}")
        used += 1
        for row in section.rows:
            cells = [wrap(row.cells.get(role, ""), PDF_WIDTHS[role]) for role in roles]
            height = max(len(c) for c in cells)
            room = page_lines - used
            if room < 3:
                page_break()
                room = page_lines
            parts = [cells] if height <= room else [[c[:room] for c in cells], [c[room:] for c in cells]]
            for k, part in enumerate(parts):
                if k == 1:
                    page_break()
                lines = _print_part(part, rng, merge_chance)
                if k == 0:
                    if lines and rng.random() < 0.5:
                        lines[0] = f"{row.number} {lines[0]}"
                    else:
                        lines.insert(0, row.number)
                out.extend(lines)
                used += max((len(c) for c in part), default=0)
    return "\n".join(out) + "\n"


def _print_part(cells: list[list[str]], rng: random.Random, merge_chance: float) -> list[str]:
    lines: list[str] = []
    c = 0
    while c < len(cells):
        cell = cells[c]
        if (
            len(cell) == 1
            and c + 1 < len(cells)
            and len(cells[c + 1]) >= 1
            and cell[0][:1].isupper()
            and cells[c + 1][0][:1].isupper()
            and rng.random() < merge_chance
        ):
            # A one-line cell and the next cell's first line at the same height: one printed line.
            lines.append(f"{cell[0]} {cells[c + 1][0]}")
            lines.extend(cells[c + 1][1:])
            c += 2
            continue
        lines.extend(cell)
        c += 1
    return lines


def render_webtext(spec: Spec, rng: random.Random, *, wrap_chance: float = 0.5) -> str:
    """The table as a legal-document web page's text extractor prints it (tests/data/web): one cell per line
    group, a `|` line between cells, two `|` lines closing a row, header cells in bold, cells wrapped at a
    random word. The letterhead and the appendix title are cells of the same run, ending in the header row."""

    def cell(text: str, bold: bool = False) -> list[str]:
        words = text.split()
        if len(words) > 2 and rng.random() < wrap_chance:
            cut = rng.randrange(1, len(words))
            lines = [" ".join(words[:cut]), " ".join(words[cut:])]
        else:
            lines = [text]
        if bold:
            lines = ["**" + lines[0], *lines[1:]]
            lines[-1] += "**"
        return lines

    out = ["**ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN**", "|", "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**", "|", "|"]
    out += ["Số: 12/KH-UBND", "|", "Lạng Sơn, ngày 5 tháng 3 năm 2026", "|"]
    out += ["**PHỤ LỤC**", "DANH MỤC NHIỆM VỤ", "|"]  # runs into the header row, as in 2530/QĐ-TTg
    for k, (_, name) in enumerate(spec.columns):
        out += cell(name, bold=True) + (["|"] if k < len(spec.columns) - 1 else [])
    out += ["|", "|"]
    for section in spec.sections:
        out += [f"**{section.code}**", "|", *cell(section.title, bold=True), "|", "|"]
        for row in section.rows:
            cells = [row.number if role is R.NUMBER else row.cells.get(role, "") for role, _ in spec.columns]
            for k, text in enumerate(cells):
                out += (cell(text) if text else [""]) + (["|"] if k < len(cells) - 1 else [])
            out += ["|", "|"]
    return "\n".join(out) + "\n\nNơi nhận:\n- Như trên;\n"


def render_html(document: object, rng: random.Random | None = None) -> str:
    """A parsed document as a browser saves a legal-document page: the letterhead in a layout table, headings
    in bold paragraphs or <h2>, paragraphs in <p>, task tables in <table> with section rows merged across
    (colspan) and each column's runs of one text (a lead or group spanning its rows) merged down (rowspan);
    cell lines as <br>, entities escaped, a <script> and a <style> the loader must skip."""
    import html as htmllib

    from plangraph.ingest.columns import header_roles
    from plangraph.ingest.text import clean_cell
    from plangraph.model import Heading, Paragraph, Table

    rng = rng or random.Random(0)
    esc = htmllib.escape
    out = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Văn bản</title>",
        "<style>td { border: 1px solid } /* <table> */</style><script>var t = '<p>not a plan</p>';</script>",
        "</head><body>",
    ]
    blocks = list(document.blocks)  # type: ignore[attr-defined]
    letterhead: list[str] = []
    while blocks and isinstance(blocks[0], Paragraph) and len(letterhead) < 4:
        letterhead.append(blocks.pop(0).text)
    if letterhead:
        out.append("<table class='letterhead'>")
        out += [f"<tr><td><b>{esc(text)}</b></td></tr>" for text in letterhead]
        out.append("</table>")
    for block in blocks:
        if isinstance(block, Heading):
            out.append(
                f"<h2>{esc(block.text)}</h2>"
                if block.level and rng.random() < 0.5
                else f"<p><b>{esc(block.text)}</b></p>"
            )
        elif isinstance(block, Paragraph):
            out.append(f"<p>{esc(block.text)}</p>")
        elif isinstance(block, Table):
            out += _html_table(block, header_roles, clean_cell, esc)
    for marker, text in getattr(document, "footnotes", {}).items():
        out.append(f"<p>{esc(marker)} {esc(text)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_table(block: object, header_roles: object, clean_cell: object, esc: object) -> list[str]:
    from tests.office import _keep_markers

    rows = [[c.raw for c in row.cells] for row in block.rows]  # type: ignore[attr-defined]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    texts = [[clean_cell(c) for c in r] for r in rows]  # type: ignore[operator]
    covered: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], int] = {}
    roles = None
    for r, row in enumerate(texts):
        found = header_roles(row)  # type: ignore[operator]
        if found is not None:
            roles = found
            continue
        if roles is None:
            continue
        for c in range(width):
            if (r, c) in covered or not row[c] or roles[c] is ColumnRole.NUMBER:
                continue
            if roles[c] not in (ColumnRole.LEAD, ColumnRole.GROUP):
                continue
            down = r + 1
            while (
                down < len(texts)
                and header_roles(texts[down]) is None
                and (  # type: ignore[operator]
                    texts[down][c] == row[c] or (roles[c] is ColumnRole.GROUP and not texts[down][c])
                )
                and sum(1 for t in texts[down] if t) > 2
            ):
                covered.add((down, c))
                down += 1
            if down > r + 1:
                spans[(r, c)] = down - r
    out = ["<table border='1'>"]
    for r, raw in enumerate(rows):
        filled = [c for c in range(width) if texts[r][c]]
        cells = []
        if len(filled) == 1 and filled[0] == 0 and roles is not None and header_roles(texts[r]) is None:  # type: ignore[operator]
            cells.append(f"<td colspan='{width}'><b>{esc(texts[r][0])}</b></td>")  # type: ignore[operator]
        else:
            tag = "th" if header_roles(texts[r]) is not None else "td"  # type: ignore[operator]
            for c in range(width):
                if (r, c) in covered:
                    continue
                # Footnote markers kept where they are ("Tháng 3/2026¹": the task is done).
                lines = [esc(_keep_markers(p)) for p in re.split(r"<br\s*/?>|\n", raw[c]) if clean_cell(p)]  # type: ignore[operator]
                span = f" rowspan='{spans[(r, c)]}'" if (r, c) in spans else ""
                cells.append(f"<{tag}{span}>{'<br>'.join(lines)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out
