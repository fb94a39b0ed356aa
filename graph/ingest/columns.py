"""Recognise task-table header rows by their column names, in any spelling or order.

Spellings seen in the corpus (folded, i.e. lower case without diacritics):

    STT / Stt                                        → NUMBER
    Nội dung / Tên nhiệm vụ / Nhiệm vụ / Nội dung cụ thể / Nội dung chi tiết → TITLE
    Sản phẩm / Kết quả / Dự kiến kết quả             → PRODUCTS
    Cơ quan chủ trì / Chủ trì / Phòng, đơn (vị) chịu trách nhiệm / Cơ quan phụ trách … → LEAD
    Giải pháp, kiến nghị (a report's table of what each body is to do) → TITLE
    Tiến độ hiện tại / Khó khăn, vướng mắc / Nguồn lực (what is, not what is due) → EXTRA
    Theo dõi, kiểm tra, đôn đốc / Cơ quan theo dõi / Giám sát → MONITOR (its own relation, not support)
    Cơ quan phối hợp / Phối hợp / Đơn vị phối hợp    → SUPPORT
    Thời gian thực hiện / Thời gian hoàn thành / Thời hạn / Thời hạn thực hiện
      / Thời gian                                    → DUE
    Người đứng đầu chịu trách nhiệm                  → ACCOUNTABLE
    Nhóm nhiệm vụ → GROUP; Ghi chú → NOTE; Chỉ tiêu → INDICATOR; Đơn vị tính → UNIT
"""

from __future__ import annotations

import re
from functools import lru_cache

from plangraph.ingest.text import clean_cell, fold
from plangraph.model import ColumnRole

# Ordered: the first pattern that matches a folded header cell decides its role.
# More specific spellings come first ("nguoi dung dau chiu trach nhiem" before
# the lead column's "chiu trach nhiem"; "don vi tinh" before "don vi phoi hop").
COLUMN_PATTERNS: tuple[tuple[ColumnRole, re.Pattern[str]], ...] = (
    (ColumnRole.NUMBER, re.compile(r"^(stt|tt|so tt|so thu tu)\.?$")),
    (ColumnRole.ACCOUNTABLE, re.compile(r"nguoi dung dau|lanh dao chiu trach nhiem")),
    (ColumnRole.UNIT, re.compile(r"^don vi tinh$|^dvt$")),
    (ColumnRole.MONITOR, re.compile(r"^(?:co quan |don vi )?(?:theo doi|kiem tra, don doc|don doc|giam sat)")),
    (ColumnRole.SUPPORT, re.compile(r"phoi hop")),
    (ColumnRole.LEAD, re.compile(r"chu tri|chiu trach nhiem|don vi thuc hien|co quan thuc hien|phu trach")),
    # What a report's table says of the present ("Tiến độ hiện tại", "Khó khăn, vướng mắc"): not a deadline.
    (ColumnRole.EXTRA, re.compile(r"^tien do hien tai|^tinh hinh|^kho khan|^hien trang|^nguon luc")),
    (ColumnRole.DUE, re.compile(r"^thoi (gian|han)|^tien do|^han hoan thanh")),
    (ColumnRole.GROUP, re.compile(r"^nhom nhiem vu|^linh vuc$")),
    (ColumnRole.NOTE, re.compile(r"^ghi chu")),
    (ColumnRole.INDICATOR, re.compile(r"^chi tieu")),
    (ColumnRole.PRODUCTS, re.compile(r"san pham|ket qua")),
    (
        ColumnRole.TITLE,
        # "Tên dự án, nhiệm vụ", "Tên đề án", "Tên chương trình" (2530/QĐ-TTg Phụ lục II) name the task too.
        re.compile(
            r"^(noi dung|ten (nhiem vu|du an|de an|chuong trinh)|nhiem vu|cong viec|ten cong viec|nhiem vu, giai phap"
            r"|giai phap|kien nghi|de xuat)"
        ),
    ),
)

# A column that makes a table a report of what was done, not a list of tasks: "Vai trò (Chủ trì/Phối hợp)" in a
# report template (which part each body played).
NOT_TASKS = re.compile(r"^vai tro\b")
# A header needs a number or title column and at least this many known columns.
MIN_KNOWN_COLUMNS = 3


# Columns whose empty cell the table reader takes to mean "as above" (graph/tables.py). A vertically
# merged Word/PDF cell repeats its text in the rows it covers, except in these columns, where it reads
# as empty, as the text exports print it.
AS_ABOVE_ROLES = frozenset({ColumnRole.NUMBER, ColumnRole.GROUP})


def header_key(cell: str) -> str:
    """A header cell as its column name is matched: cleaned, folded, without surrounding " :."."""
    return fold(clean_cell(cell)).strip(" :.")


def _role_of_key(key: str) -> ColumnRole | None:
    if not key:
        return None
    for role, pattern in COLUMN_PATTERNS:
        if pattern.search(key):
            return role
    return None


def column_role(cell: str) -> ColumnRole | None:
    return _role_of_key(header_key(cell))


# Header cells are short labels; a data cell merely mentioning "sản phẩm" or
# "nhiệm vụ thường xuyên" is not one (003, row 63).
MAX_HEADER_WORDS = 14


def header_roles(cells: list[str] | tuple[str, ...]) -> tuple[ColumnRole, ...] | None:
    """Roles of a header row's columns, or None when the row is not a header.

    A header has at least three recognised column names, and its number column
    ("STT") or title column ("Nội dung", "Tên nhiệm vụ" …) is spelled exactly.
    Memoised per row: format detection and the table reader ask about the same rows.
    """
    return _header_roles(tuple(cells))


@lru_cache(maxsize=16_384)
def _header_roles(cells: tuple[str, ...]) -> tuple[ColumnRole, ...] | None:
    keys: list[str] = []
    for cell in cells:  # a data row usually has a long cell early on: stop there
        key = header_key(cell)
        if len(key.split()) > MAX_HEADER_WORDS:
            return None
        keys.append(key)
    if any(NOT_TASKS.match(key) for key in keys):
        return None
    roles = [_role_of_key(k) for k in keys]
    known = [r for r in roles if r is not None]
    if len(known) < MIN_KNOWN_COLUMNS:
        return None
    anchored = any(
        role in (ColumnRole.NUMBER, ColumnRole.TITLE, ColumnRole.INDICATOR) and key in COLUMN_NAMES
        for role, key in zip(roles, keys, strict=True)
    )
    if not anchored:
        return None
    # Two task columns ("Tên dự án, nhiệm vụ" | "Nội dung chính"): the leftmost names the task; the other's
    # text stays in the row as printed (its source text).
    titles = [i for i, role in enumerate(roles) if role is ColumnRole.TITLE]
    for i in titles[1:]:
        roles[i] = None
    return tuple(r if r is not None else ColumnRole.EXTRA for r in roles)


# Complete column names (folded), used where a header's cells are not separated
# and must be cut out of running text: "STT NỘI DUNG SẢN PHẨM CƠ QUAN CHỦ TRÌ …"
# (001, text extracted from a PDF).
COLUMN_NAMES: tuple[str, ...] = (
    "stt",
    "tt",
    "noi dung",
    "noi dung cu the",
    "noi dung chi tiet",
    "ten nhiem vu",
    "nhiem vu",
    "nhom nhiem vu",
    "san pham",
    "ket qua",
    "du kien ket qua",
    "co quan chu tri",
    "don vi chu tri",
    "chu tri",
    "co quan phoi hop",
    "don vi phoi hop",
    "phoi hop",
    "thoi gian thuc hien",
    "thoi gian hoan thanh",
    "thoi han thuc hien",
    "thoi han hoan thanh",
    "thoi han",
    "thoi gian",
    "nguoi dung dau chiu trach nhiem",
    "ghi chu",
    "chi tieu",
    "don vi tinh",
)
HEADER_WORDS = frozenset(word for name in COLUMN_NAMES for word in name.split())


def split_running_header(words: list[str]) -> list[str] | None:
    """Cut folded header words into column names, longest name first; None if a word is left over."""
    names: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 5), i, -1):
            candidate = " ".join(words[i:j])
            if candidate in COLUMN_NAMES:
                names.append(candidate)
                i = j
                break
        else:
            return None
    return names
