"""Render a plan to DOCX (python-docx) and PDF (LibreOffice headless), as offices would have it.

The DOCX carries the document's blocks from its text form: headings in Word
heading styles or bold, paragraphs, and each task table as a real Word table
with a header row marked to repeat on every page, section rows merged across
the columns after the number, group cells merged down over their tasks,
cells of several lines or bullet items as several paragraphs (list items in
the "List Bullet" style) and bold cells in bold. Footnotes are real Word
footnotes when ``real_footnotes`` is set, otherwise the superscript markers
and the note lines below the table, as the text exports print them.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from plangraph.ingest.columns import header_roles
from plangraph.ingest.text import FOOTNOTE_MARKER, clean_cell
from plangraph.loaders.docx import libreoffice_convert, soffice
from plangraph.model import ColumnRole, Document, Heading, Paragraph, Table

BR = re.compile(r"<\s*br\s*/?\s*>|</\s*(?:li|p|div)\s*>", re.IGNORECASE)
LI = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
TSV_BULLETS = re.compile(r"(?:^|\s)-\s+(?=\S)")
SECTION_NUMBER = re.compile(r"^[IVXL]+(?:\s*\.\s*\d+)*\s*\.?(?:\s+\S.*)?$")


def _cell_paragraphs(raw: str) -> list[tuple[str, bool, bool]]:
    """(text, is_list_item, bold) for each paragraph the cell should hold."""
    bold = bool(re.fullmatch(r"\s*<b>.*</b>\s*|\s*\*\*.*\*\*\s*", raw, re.DOTALL))
    marked = LI.sub("\x01", raw)
    out: list[tuple[str, bool, bool]] = []
    for part in BR.split(marked):
        is_item = "\x01" in part
        text = _keep_markers(part.replace("\x01", " "))
        if not text:
            continue
        if text.startswith("- ") and TSV_BULLETS.search(text[2:]) and ";" in text:
            # "- Sở Nội vụ; - Các Sở …": one list paragraph per item
            for item in TSV_BULLETS.split(text):
                if item.strip():
                    out.append((item.strip(), True, bold))
            continue
        out.append((text[2:] if text.startswith("- ") and is_item else text, is_item, bold))
    return out


def _keep_markers(raw: str) -> str:
    """The cleaned text of a cell part, superscript footnote markers kept where they were."""
    pieces = []
    last = 0
    for m in FOOTNOTE_MARKER.finditer(raw):
        pieces.append(clean_cell(raw[last : m.start()]))
        pieces.append(m.group(1))
        last = m.end()
    pieces.append(clean_cell(raw[last:]))
    return "".join(p for p in pieces if p).strip()


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


class _Footnotes:
    """Adds real footnotes to a document built from python-docx's default template."""

    def __init__(self, document: docx.document.Document) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        self.document = document
        xml = (
            '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            "</w:footnote></w:footnotes>"
        )
        self.notes: list[str] = []
        self.part = Part(
            PackURI("/word/footnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            xml.encode(),
            document.part.package,
        )
        document.part.relate_to(self.part, RT.FOOTNOTES)

    def reference(self, paragraph: object, text: str) -> None:
        self.notes.append(text)
        run = paragraph.add_run()  # type: ignore[attr-defined]
        rpr = run._r.get_or_add_rPr()
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        rpr.append(align)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(len(self.notes)))
        run._r.append(ref)

    def finish(self) -> None:
        from xml.sax.saxutils import escape

        body = "".join(
            f'<w:footnote w:id="{i}"><w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:footnote>'
            for i, text in enumerate(self.notes, start=1)
        )
        self.part._blob = self.part.blob.replace(b"</w:footnotes>", body.encode() + b"</w:footnotes>")


def render_docx(document: Document, path: Path, *, real_footnotes: bool = False) -> Path:
    out = docx.Document()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    out.styles["Normal"].font.name = "DejaVu Sans"
    out.styles["Normal"].font.size = Pt(9)
    # Page furniture the PDF loader must drop: a running header and a page number in the footer.
    section.header.paragraphs[0].text = f"{document.source.name} (bản sao để thử)"
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    section.footer.paragraphs[0]._p.append(field)
    notes = _Footnotes(out) if real_footnotes and document.footnotes else None
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level > 0:
                p = out.add_heading(level=min(block.level, 9))
            else:
                p = out.add_paragraph()
            p.add_run(block.text).bold = True
        elif isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        elif isinstance(block, Table):
            _render_table(out, block, notes, document.footnotes)
    if document.footnotes and notes is None:
        for marker, text in document.footnotes.items():
            out.add_paragraph(f"{marker} {text}")
    if notes is not None:
        notes.finish()
    out.save(str(path))
    return path


def _render_table(
    out: docx.document.Document, block: Table, notes: _Footnotes | None, footnotes: dict[str, str]
) -> None:
    width = max(len(row.cells) for row in block.rows)
    table = out.add_table(rows=len(block.rows), cols=width)
    table.style = "Table Grid"
    roles: tuple[ColumnRole, ...] | None = None
    group_col: int | None = None
    group_top: int | None = None
    marks_used: dict[str, None] = {}
    for r, row in enumerate(block.rows):
        texts = [c.text for c in row.cells]
        header = header_roles(texts)
        word_row = table.rows[r]
        if header is not None:
            if roles is None:
                _repeat_header(word_row)
            roles = header
            group_col = next((i for i, role in enumerate(roles) if role is ColumnRole.GROUP), None)
            group_top = None
        for c in range(width):
            raw = row.cells[c].raw if c < len(row.cells) else ""
            cell = word_row.cells[c]
            cell.paragraphs[0].text = ""
            first = True
            for text, is_item, bold in _cell_paragraphs(raw):
                p = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                if is_item:
                    p.style = out.styles["List Bullet"]
                body, markers = text, []
                if notes is not None:
                    body = FOOTNOTE_MARKER.sub("", text)
                    markers = [m.group(1) for m in FOOTNOTE_MARKER.finditer(text)]
                run = p.add_run(body)
                run.bold = bold or None
                for marker in markers:
                    for single in marker:
                        if single in footnotes and notes is not None:
                            notes.reference(p, footnotes[single])
                            marks_used[single] = None
        non_empty = [i for i, t in enumerate(texts) if t]
        if header is None and non_empty and len(non_empty) <= 2 and SECTION_NUMBER.match(texts[non_empty[0]]):
            start = non_empty[-1]
            if start < width - 1:
                word_row.cells[start].merge(word_row.cells[width - 1])
            group_top = None
            continue
        if group_col is not None and header is None:
            if texts[group_col] if group_col < len(texts) else "":
                group_top = r
            elif group_top is not None:
                table.cell(group_top, group_col).merge(table.cell(r, group_col))


def to_pdf(paths: list[Path], outdir: Path, fmt: str = "pdf") -> list[Path]:
    """Print documents to PDF (or convert them to `fmt`) with LibreOffice, as plangraph converts .doc files."""
    if soffice() is None:
        raise RuntimeError("LibreOffice (soffice) is required: apt-get install libreoffice-writer")
    return libreoffice_convert(paths, outdir, fmt, timeout_s=600)
