"""Text normalisation shared by every loader and normaliser.

Raw and cleaned text are kept side by side (DESIGN.md §7.5): loaders store the
raw cell and call :func:`clean_cell` for the text the pipeline reads.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Superscript footnote markers printed after a cell, e.g. "Tháng 3/2026 ¹"
# (003 Lợi Bác commune plan, lines 65, 81, 168, 184).
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FOOTNOTE_MARKER = re.compile(f"\\s*([{SUPERSCRIPT_DIGITS}]+)")
# A footnote line below a table: "¹ Nhiệm vụ đã hoàn thành" (003, line 67).
FOOTNOTE_LINE = re.compile(f"^\\s*([{SUPERSCRIPT_DIGITS}]+)\\s*(\\S.*)$")
# A footnote line is short; a long line starting with a superscript is prose.
MAX_FOOTNOTE_LENGTH = 200

# HTML inside cells: <b>, <i>, <sub>, <ul style=…><li>…</li></ul> (002, 003, 004).
HTML_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
# LaTeX-like math in cells: "$\geq 80\%$" (004 Phụ lục I, line 156).
LATEX_MATH = re.compile(r"\$([^$]{1,80})\$")
LATEX_COMMANDS = {
    r"\geq": "≥",
    r"\ge": "≥",
    r"\leq": "≤",
    r"\le": "≤",
    r"\%": "%",
    r"\times": "×",
    r"\approx": "≈",
    r"\pm": "±",
    r"\,": " ",
}
LATEX_TEXT = re.compile(r"\\(?:text|mathrm|textbf)\{([^}]*)\}")
# Markdown emphasis around whole phrases: "**KẾ HOẠCH**", "*Phụ lục số I*".
MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
WHITESPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
# What WHITESPACE.sub(" ", …) changes: a space of another kind, or two spaces in a row (rare in real text).
UNEVEN_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]|  ")
# Zero-width and soft-hyphen characters that PDF and Word exports leave behind.
INVISIBLE = re.compile("[\u00ad\u200c\u200d\u2060\ufeff]")


def squeeze(text: str) -> str:
    """Each run of spaces (and tabs, no-break and other spaces) as one space: WHITESPACE.sub(" ", text), found by a
    search first, since most texts hold nothing to replace and a search is cheaper than making a new string."""
    return WHITESPACE.sub(" ", text) if UNEVEN_SPACE.search(text) else text


# Emphasis markers the web extractor left unpaired ("1.* *Trên cơ sở tài liệu …", "1. **Căn cứ …", "*2. *Giao …").
STRAY_EMPHASIS = re.compile(r"\*+")


@lru_cache(maxsize=8_192)
def plain_text(text: str) -> str:
    """A heading's or paragraph's text as the readers of the body take it: no "*", one space, trimmed.
    Memoised for one document's paragraphs (the task and duty readers both read every one; documents share few):
    a plan has a few thousand at most, and what is kept stays a few megabytes."""
    return squeeze(STRAY_EMPHASIS.sub("", text) if "*" in text else text).strip()


def normalize_document_text(text: str) -> str:
    """NFC, LF line ends, no BOM, no invisible characters; tabs are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", text)


def _latex(match: re.Match[str]) -> str:
    body = LATEX_TEXT.sub(r"\1", match.group(1))
    for command, symbol in sorted(LATEX_COMMANDS.items(), key=lambda kv: -len(kv[0])):
        body = body.replace(command, symbol)
    body = body.replace("{", "").replace("}", "")
    return WHITESPACE.sub(" ", body).strip()


def strip_html(text: str) -> str:
    """Drop tags, keeping list items apart; unescape entities."""

    def tag(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name in {"li", "br", "p", "div", "tr"}:
            return " "
        if name in {"td", "th"}:
            return " "
        return ""

    return html.unescape(HTML_TAG.sub(tag, text))


def superscript(number: int | str) -> str:
    """3 → "³", "12" → "¹²" (footnote markers as the text exports print them)."""
    return "".join(SUPERSCRIPT_DIGITS[int(d)] for d in str(number))


def footnote_line(text: str) -> tuple[str, str] | None:
    """(marker, note) when `text` is a footnote line ("¹ Nhiệm vụ đã hoàn thành"), else None."""
    match = FOOTNOTE_LINE.match(text)
    if match is None or len(text.strip()) > MAX_FOOTNOTE_LENGTH:
        return None
    return match.group(1), match.group(2).strip()


SUPERSCRIPT_ANY = re.compile(f"[{SUPERSCRIPT_DIGITS}]")


def split_footnote_markers(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove superscript markers; return the text and the markers found."""
    if not SUPERSCRIPT_ANY.search(text):  # the usual case, found without trying the marker at every space
        return text, ()
    markers = tuple(m.group(1) for m in FOOTNOTE_MARKER.finditer(text))
    return FOOTNOTE_MARKER.sub("", text), markers


def clean_cell(raw: str) -> str:
    """The text of a cell as a reader sees it: no tags, math as symbols, one space. (Each step runs only when
    the character it needs is there: a tag's "<", math's "$", emphasis's "*" or "_".)"""
    text = strip_html(raw) if "<" in raw else html.unescape(raw)
    if "$" in text:
        text = LATEX_MATH.sub(_latex, text)
    if "*" in text or "_" in text:
        text = MD_EMPHASIS.sub(r"\2", text)
    text, _ = split_footnote_markers(text)
    return squeeze(text.replace("\n", " ") if "\n" in text else text).strip()


# The Combining Diacritical Marks block (every one a nonspacing mark): Vietnamese tones and vowel marks.
COMBINING = re.compile("[\u0300-\u036f]")


def _folding_table() -> dict[int, str]:
    """Each precomposed Latin letter (Latin-1 to Latin Extended Additional: every Vietnamese letter) as its
    decomposition without the combining marks, and đ/Đ as d/D: what fold's general path makes of it."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = COMBINING.sub("", unicodedata.normalize("NFD", char))
        if base != char:
            table[code] = base
    return table


FOLDING = _folding_table()


@lru_cache(maxsize=1)
def _nonspacing_marks() -> re.Pattern[str]:
    """Every character of Unicode category Mn, as one character class of ranges."""
    codes = [c for c in range(0x110000) if unicodedata.category(chr(c)) == "Mn"]
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


def fold(text: str) -> str:
    """Lower-case ASCII folding for matching: "Chuyển đổi số" → "chuyen doi so"."""
    stripped = text.translate(FOLDING)  # precomposed letters, one table lookup each
    if not stripped.isascii():  # anything else (decomposed marks, other scripts): the general path
        stripped = COMBINING.sub("", unicodedata.normalize("NFD", stripped))
        if not stripped.isascii():  # dashes, quotes, other scripts; other nonspacing marks go
            stripped = _nonspacing_marks().sub("", stripped)
    return squeeze(stripped.lower()).strip()


def slug(text: str) -> str:
    """A stable identifier fragment: "tỉnh Lạng Sơn" → "tinh-lang-son"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def is_upper_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
