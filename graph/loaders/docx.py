"""Word documents (.docx, and old .doc through LibreOffice) read as blocks.

The body is walked in order: paragraphs become headings (Word heading styles,
or a paragraph in bold throughout, as the markdown family's "**KẾ HOẠCH**") or
paragraphs; tables become :class:`~plangraph.model.Table` values read cell by cell,
so the same table reader, interpretation, normalisation and resolution stages
as the text families do the rest (DESIGN.md §4).

What Word tables carry that text exports flatten, and how it is read:
- a horizontally merged cell (``gridSpan``, section rows "I | CÔNG TÁC …"):
  its text in its first column, the columns it covers empty;
- a vertically merged cell (``vMerge``): the top cell's text repeated in the
  rows below, except in the number and group columns, where an empty cell
  already means "as above" to the table reader;
- header rows marked to repeat on each page are one row in the file;
- several paragraphs and bullet lists inside a cell: joined, list items
  prefixed "- " (as "- Sở Nội vụ; - Các Sở …" in the text exports);
- footnotes: the reference becomes a superscript marker and the footnote's
  text joins the document's footnotes (status "Nhiệm vụ đã hoàn thành");
- a table with no task header row in its first rows is layout (the header
  block's two columns "UBND TỈNH … | CỘNG HÒA …"): its paragraphs are read
  as paragraphs.

Provenance: a DOCX has no fixed pages, so ``line`` counts the body's
paragraphs and table rows from 1 (the numbering of ``plangraph text FILE``);
when Word saved its page layout (``lastRenderedPageBreak``) rows also get
their page.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from plangraph.errors import FormatError, ReadError
from plangraph.ingest.columns import AS_ABOVE_ROLES, header_roles
from plangraph.ingest.text import clean_cell, footnote_line, superscript
from plangraph.model import Block, Cell, Document, Heading, Paragraph, SourceText, Table, TableRow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
HEADER_SEARCH_ROWS = 4  # a task table's header is among its first rows
# A table without a task header this large is a table of data (sites, rankings, members), kept as a table: its
# cells are not sentences to be read as duties; a smaller one lays out a letterhead or a signature.
DATA_TABLE_ROWS = 4
DATA_TABLE_COLUMNS = 3
DOC_CONVERT_TIMEOUT_S = 120
# Bounds on a Word file's ZIP container, checked before it is parsed (a 0.6 MB zip bomb inflated to GBs).
MAX_ZIP_MEMBERS = 5_000
MAX_MEMBER_BYTES = 100_000_000  # one part inflated (document.xml of a 300-page plan is a few MB)
MAX_INFLATED_BYTES = 300_000_000  # every part together
MAX_RATIO = 200  # inflated / compressed, for parts over 1 MB (Word's XML compresses 5-30×)
# Columns a table row may span when the table declares no grid (gridSpan="1000000000" is clamped).
MAX_GRID_COLUMNS = 64


NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
MAX_LEVELS = 9  # Word's list levels: ilvl 0…8
BULLET_FORMATS = ("bullet", "none")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """Word's letter numbering: a … z, then aa, bb … (it repeats the letter)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word displays it in format `fmt` (w:numFmt)."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class Numbering:
    """Word's automatic numbering (the numbering part), rendered as displayed: the numbers and letters of
    "1.", "a)", "2.1." are not in a numbered paragraph's text, only in its w:numPr (list and level)."""

    levels: dict[tuple[str, int], tuple[str, str, int]] = field(
        default_factory=dict
    )  # (numId, ilvl) → fmt, text, start
    counters: dict[str, list[int]] = field(default_factory=dict)  # numId → the counter of each level

    @classmethod
    def read(cls, document: Any) -> Numbering:
        numbering = cls()
        for rel in document.part.rels.values():
            if rel.reltype != NUMBERING_REL or rel.is_external:
                continue
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
            for node in root.iterfind(f"{W}abstractNum"):
                abstract[_attr(node, "abstractNumId") or ""] = _levels(node)
            for num in root.iterfind(f"{W}num"):
                ref = num.find(f"{W}abstractNumId")
                levels = dict(abstract.get(_attr(ref, "val") or "", {}) if ref is not None else {})
                for override in num.iterfind(f"{W}lvlOverride"):
                    ilvl = _int(_attr(override, "ilvl"), 0)
                    if (lvl := override.find(f"{W}lvl")) is not None:
                        levels.update(_levels(override, lvl))
                    start = override.find(f"{W}startOverride")
                    if start is not None and ilvl in levels:
                        fmt, text, _ = levels[ilvl]
                        levels[ilvl] = (fmt, text, _int(_attr(start, "val"), 1))
                for ilvl, level in levels.items():
                    numbering.levels[(_attr(num, "numId") or "", ilvl)] = level
            break
        return numbering

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The number a paragraph of list `num_id` at level `ilvl` displays ("2.", "b)", "1.3."); "-" for a
        bullet; None when the list is not defined (numId 0 switches numbering off)."""
        level = self.levels.get((num_id, ilvl))
        if level is None:
            return None
        fmt, text, start = level
        if fmt in BULLET_FORMATS:
            return "-"
        counters = self.counters.setdefault(num_id, [0] * MAX_LEVELS)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, MAX_LEVELS):
            counters[deeper] = 0
        out = text
        for k in range(ilvl + 1):
            if f"%{k + 1}" in out:
                above = self.levels.get((num_id, k))
                value = counters[k] or (above[2] if above else 1)
                out = out.replace(f"%{k + 1}", format_number(value, above[0] if above else "decimal"))
        return out.strip() or None


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, min(int(value or ""), 10_000))
    except ValueError:
        return default


def _levels(node: Any, only: Any = None) -> dict[int, tuple[str, str, int]]:
    out: dict[int, tuple[str, str, int]] = {}
    for lvl in [only] if only is not None else node.iterfind(f"{W}lvl"):
        ilvl = _int(_attr(lvl, "ilvl"), 0)
        if ilvl >= MAX_LEVELS:
            continue
        fmt = lvl.find(f"{W}numFmt")
        text = lvl.find(f"{W}lvlText")
        start = lvl.find(f"{W}start")
        out[ilvl] = (
            (_attr(fmt, "val") or "decimal") if fmt is not None else "decimal",
            (_attr(text, "val") or "") if text is not None else "",
            _int(_attr(start, "val"), 1) if start is not None else 1,
        )
    return out


@dataclass
class _Walk:
    """State while walking one document body."""

    styles: dict[str, tuple[str, bool]]  # style id → (name, bold)
    footnote_texts: dict[str, str]  # footnote id → text
    paged: bool
    numbering: Numbering = field(default_factory=Numbering)
    blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)  # marker → text
    footnote_marks: dict[str, str] = field(default_factory=dict)  # footnote id → marker
    page: int = 1

    def line(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)


def _attr(element: Any, name: str) -> str | None:
    value = element.get(f"{W}{name}")
    return None if value is None else str(value)


def _is_on(prop: Any) -> bool:
    """A toggle property (<w:b/>, <w:b w:val="0"/>)."""
    return prop is not None and _attr(prop, "val") not in ("0", "false", "off")


def _paragraph_text(p: Any, walk: _Walk, in_cell: bool) -> tuple[str, bool]:
    """Text of a paragraph and whether every visible run is bold."""
    parts: list[str] = []
    all_bold = True
    style_id = p.find(f"{W}pPr/{W}pStyle")
    style_bold = walk.styles.get(_attr(style_id, "val") or "", ("", False))[1] if style_id is not None else False
    for node in p.iter(f"{W}r"):
        run_props = node.find(f"{W}rPr")
        bold = style_bold
        if run_props is not None and run_props.find(f"{W}b") is not None:
            bold = _is_on(run_props.find(f"{W}b"))
        for child in node:
            tag = child.tag
            if tag == f"{W}t":
                text = child.text or ""
                parts.append(text)
                if text.strip() and not bold:
                    all_bold = False
            elif tag == f"{W}tab":
                parts.append(" " if in_cell else "\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if _attr(child, "type") == "page":
                    walk.page += 1
                parts.append("\n")
            elif tag == f"{W}lastRenderedPageBreak":
                walk.page += 1
            elif tag == f"{W}footnoteReference":
                parts.append(_footnote_marker(_attr(child, "id") or "", walk))
    # NFC, as every reader expects: Word keeps what was typed, and Vietnamese keyboards type decomposed marks
    # ("o" + U+0323 for "ọ") as often as precomposed ones.
    text = unicodedata.normalize("NFC", "".join(parts))
    num = p.find(f"{W}pPr/{W}numPr")
    label = None
    if num is not None:
        num_id, ilvl = num.find(f"{W}numId"), num.find(f"{W}ilvl")
        label = walk.numbering.label(
            (_attr(num_id, "val") or "") if num_id is not None else "",
            _int(_attr(ilvl, "val"), 0) if ilvl is not None else 0,
        )
    if label is not None:  # Word's own numbering, as displayed: "1.", "a)", "2.1.", or a bullet
        text = f"{label} {text.strip()}"
    elif (num is not None and num.find(f"{W}numId") is None) or _style_name(p, walk).lower().startswith("list"):
        text = f"- {text.strip()}"
    return text, all_bold and bool(text.strip())


def _footnote_marker(footnote_id: str, walk: _Walk) -> str:
    """Word numbers footnotes in the order they are referenced."""
    if footnote_id not in walk.footnote_marks:
        marker = superscript(len(walk.footnote_marks) + 1)
        walk.footnote_marks[footnote_id] = marker
        if footnote_id in walk.footnote_texts:
            walk.footnotes[marker] = walk.footnote_texts[footnote_id]
    return walk.footnote_marks[footnote_id]


def _style_name(p: Any, walk: _Walk) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is None:
        return ""
    return walk.styles.get(_attr(style, "val") or "", (_attr(style, "val") or "", False))[0]


def _heading_level(p: Any, walk: _Walk) -> int | None:
    name = _style_name(p, walk).lower().replace(" ", "")
    if name == "title":
        return 1
    if name.startswith("heading") and name[7:].isdigit():
        return int(name[7:])
    outline = p.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None and (_attr(outline, "val") or "").isdigit():
        return int(_attr(outline, "val") or "0") + 1
    return None


def _paragraph(p: Any, walk: _Walk) -> None:
    text, bold = _paragraph_text(p, walk, in_cell=False)
    flat = " ".join(text.split("\n")).strip()
    lineno = walk.line(flat)
    if not flat:
        return
    if (footnote := footnote_line(flat)) is not None:
        walk.footnotes[footnote[0]] = footnote[1]
        return
    level = _heading_level(p, walk)
    if level is not None:
        walk.blocks.append(Heading(line=lineno, text=clean_cell(flat), level=level))
    elif bold:
        walk.blocks.append(Heading(line=lineno, text=clean_cell(flat), level=0))
    else:
        walk.blocks.append(Paragraph(line=lineno, text=clean_cell(flat)))


def _cell_paragraphs(tc: Any, walk: _Walk) -> list[str]:
    """The cell's paragraphs (nested tables' paragraphs included, in order)."""
    out = []
    for p in tc.iter(f"{W}p"):
        text, _ = _paragraph_text(p, walk, in_cell=True)
        text = " ".join(text.split())
        if text:
            out.append(text)
    return out


def _row_cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == f"{W}tc":
            yield child
        elif child.tag == f"{W}sdt":  # a content control around cells
            yield from child.iterfind(f"{W}sdtContent/{W}tc")


def _count(element: Any, default: int, ceiling: int) -> int:
    """A count attribute (gridSpan, gridBefore) as a number within [0, ceiling]; `default` if unreadable."""
    if element is None:
        return default
    value = (_attr(element, "val") or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        return default
    return min(int(value), ceiling)


def _grid_rows(tbl: Any, walk: _Walk) -> list[tuple[list[str], list[bool], int]]:
    """Each row as grid-column texts, which cells continue a vertical merge, and the row's page.
    Spans are clamped to the table's grid (a hostile gridSpan of a billion columns is not a billion cells)."""
    rows: list[tuple[list[str], list[bool], int]] = []
    above: dict[int, str] = {}
    grid = len(tbl.findall(f"{W}tblGrid/{W}gridCol")) or MAX_GRID_COLUMNS
    grid = min(grid, MAX_GRID_COLUMNS * 4)
    for tr in tbl.iterfind(f"{W}tr"):
        page = walk.page
        texts: list[str] = []
        continued: list[bool] = []
        for _ in range(_count(tr.find(f"{W}trPr/{W}gridBefore"), 0, grid)):
            texts.append("")
            continued.append(False)
        for tc in _row_cells(tr):
            span = max(1, _count(tc.find(f"{W}tcPr/{W}gridSpan"), 1, max(1, grid - len(texts))))
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            column = len(texts)
            if vmerge is not None and _attr(vmerge, "val") in (None, "continue"):
                text, is_continued = above.get(column, ""), True
                # the continued cell's own paragraphs (normally empty) still advance pages and footnotes
                _cell_paragraphs(tc, walk)
            else:
                text, is_continued = "<br>".join(_cell_paragraphs(tc, walk)), False
                above[column] = text
            texts.append(text)
            continued.append(is_continued)
            for _ in range(span - 1):
                texts.append("")
                continued.append(False)
        rows.append((texts, continued, page))
    return rows


def _table(tbl: Any, walk: _Walk) -> None:
    grid = _grid_rows(tbl, walk)
    roles = next(
        (r for texts, _, _ in grid[:HEADER_SEARCH_ROWS] if (r := header_roles([clean_cell(t) for t in texts]))),
        None,
    )
    columns = max((len(t) for t, _, _ in grid), default=0)
    if roles is None and (len(grid) < DATA_TABLE_ROWS or columns < DATA_TABLE_COLUMNS):
        # A layout table (the letterhead's two columns, a signature block): its paragraphs are read as
        # paragraphs, column by column.
        for column in range(columns):
            for texts, continued, _ in grid:
                if column < len(texts) and texts[column] and not continued[column]:
                    for part in texts[column].split("<br>"):
                        lineno = walk.line(part)
                        walk.blocks.append(Paragraph(line=lineno, text=clean_cell(part)))
        return
    keep_empty = {i for i, role in enumerate(roles) if role in AS_ABOVE_ROLES} if roles else set()
    rows: list[TableRow] = []
    first_line = 0
    for texts, continued, page in grid:
        cells = tuple(
            Cell(text="", raw="") if continued[i] and i in keep_empty else Cell(text=clean_cell(t), raw=t)
            for i, t in enumerate(texts)
        )
        lineno = walk.line("\t".join(texts))
        first_line = first_line or lineno
        rows.append(TableRow(line=lineno, cells=cells, page=page if walk.paged else None))
    walk.blocks.append(Table(line=first_line, rows=tuple(rows)))


def _styles(document: Any) -> dict[str, tuple[str, bool]]:
    out: dict[str, tuple[str, bool]] = {}
    for style in document.styles.element.iterfind(f"{W}style"):
        style_id = _attr(style, "styleId") or ""
        name_el = style.find(f"{W}name")
        name = (_attr(name_el, "val") if name_el is not None else None) or style_id
        bold = _is_on(style.find(f"{W}rPr/{W}b"))
        out[style_id] = (name, bold)
    return out


def _footnote_texts(document: Any) -> dict[str, str]:
    for rel in document.part.rels.values():
        if rel.reltype == FOOTNOTES_REL and not rel.is_external:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            texts = {}
            for note in root.iterfind(f"{W}footnote"):
                if _attr(note, "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = unicodedata.normalize("NFC", " ".join("".join(t.text or "" for t in note.iter(f"{W}t")).split()))
                texts[_attr(note, "id") or ""] = text
            return texts
    return {}


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(
    paths: list[Path], outdir: Path, fmt: str, timeout_s: int = DOC_CONVERT_TIMEOUT_S
) -> list[Path]:
    """Convert files with LibreOffice in headless mode, in one run with a private profile (so runs may
    overlap); returns the converted files' paths. Raises OSError/SubprocessError when it cannot run."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    subprocess.run(
        [program, "--headless", f"-env:UserInstallation=file://{outdir}/.lo-profile", "--convert-to", fmt,
         "--outdir", str(outdir), *map(str, paths)],
        check=True, capture_output=True, timeout=timeout_s,
    )  # fmt: skip
    return [outdir / f"{p.stem}.{fmt}" for p in paths]


def convert_doc(data: bytes, name: str) -> bytes:
    """Old binary Word → DOCX bytes through LibreOffice (headless); FormatError when it cannot."""
    if soffice() is None:
        raise FormatError(
            f"{name}: an old binary Word document (.doc). Install LibreOffice (soffice) to have it converted, "
            "or open it in Word, save it as .docx and load that file."
        )
    with tempfile.TemporaryDirectory(prefix="plangraph-doc-") as tmp:
        source = Path(tmp) / "document.doc"
        source.write_bytes(data)
        try:
            (converted,) = libreoffice_convert([source], Path(tmp), "docx")
        except (subprocess.SubprocessError, OSError) as exc:
            raise FormatError(
                f"{name}: LibreOffice could not convert this .doc file ({type(exc).__name__}). "
                "Open it in Word, save it as .docx and load that file."
            ) from exc
        if not converted.exists():
            raise FormatError(f"{name}: LibreOffice produced no .docx from this .doc file. Save it as .docx by hand.")
        return converted.read_bytes()


def check_container(data: bytes, name: str) -> None:
    """Refuse a ZIP container that inflates past the bounds, before any parser reads it: the parts are
    inflated in chunks and counted, so a lying size header does not help a zip bomb either."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError(f"{name}: not a readable Word document ({type(exc).__name__}); save it again.") from exc
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReadError(f"{name}: a Word file of {len(members):,} parts; not read (at most {MAX_ZIP_MEMBERS:,}).")
    total = 0
    for member in members:
        size = 0
        try:
            with archive.open(member) as part:
                while chunk := part.read(1 << 20):
                    size += len(chunk)
                    total += len(chunk)
                    ratio = size / max(1, member.compress_size)
                    if size > MAX_MEMBER_BYTES or total > MAX_INFLATED_BYTES or (size > 1 << 20 and ratio > MAX_RATIO):
                        raise ReadError(
                            f"{name}: the part {member.filename[:80]} inflates to more than {size:,} bytes "
                            f"({ratio:.0f}× its compressed size): a damaged file or a zip bomb; not read."
                        )
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError) as exc:
            raise ReadError(
                f"{name}: the part {member.filename[:80]} cannot be read ({type(exc).__name__}); save the file again."
            ) from exc


def parse_docx(data: bytes, name: str) -> tuple[tuple[Block, ...], dict[str, str], str]:
    """Blocks, footnotes (marker → text) and the numbered text view of a DOCX file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_container(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(
            f"{name}: not a readable Word document ({type(exc).__name__}). The file may be truncated; "
            "save it again from Word or LibreOffice."
        ) from exc
    body = document.element.body
    walk = _Walk(
        styles=_styles(document),
        footnote_texts=_footnote_texts(document),
        paged=any(True for _ in body.iter(f"{W}lastRenderedPageBreak")),
        numbering=Numbering.read(document),
    )
    for child in body:
        if child.tag == f"{W}p":
            _paragraph(child, walk)
        elif child.tag == f"{W}tbl":
            _table(child, walk)
        elif child.tag == f"{W}sdt":
            for inner in child.iterfind(f"{W}sdtContent/*"):
                if inner.tag == f"{W}p":
                    _paragraph(inner, walk)
                elif inner.tag == f"{W}tbl":
                    _table(inner, walk)
    return tuple(walk.blocks), walk.footnotes, "\n".join(walk.lines)


class DocxLoader:
    name = "docx"
    extensions: tuple[str, ...] = ("docx", "doc")

    def sniff(self, source: SourceText) -> float:
        return 1.0 if source.data is not None and source.encoding in ("docx", "doc") else 0.0

    def parse(self, source: SourceText) -> Document:
        if source.data is None:
            raise FormatError(f"{source.name}: not a Word file (read it with plangraph.ingest.reading.read_file).")
        data = convert_doc(source.data, source.name) if source.encoding == "doc" else source.data
        blocks, footnotes, text = parse_docx(data, source.name)
        return Document(source=replace(source, text=text), format=self.name, blocks=blocks, footnotes=footnotes)
