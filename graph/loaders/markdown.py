"""Markdown plan documents (samples 002 and 004).

Header block ("Số: …/KH-…", place and date, bold title), headings, narrative
sections with "a) … - Cơ quan chủ trì: …" statements, and appendices (Phụ lục)
holding tab-separated tables whose cells may carry HTML.
"""

from __future__ import annotations

import re

from plangraph.loaders.blocks import split_blocks
from plangraph.loaders.tsv import count_tab_headers
from plangraph.model import Document, SourceText

# Markdown structure outside tables: headings, bold lines, emphasis, quotes
# ("## **II. NHIỆM VỤ TRỌNG TÂM**", "**KẾ HOẠCH**", "*Phụ lục số I*").
MARKDOWN_SIGNS = re.compile(r"^(?:#{1,6}\s|\*\*[^*]|\*[^*\s]|>\s)")


# A document number line and one more sign of an administrative document in its first lines.
DOCUMENT_NUMBER = re.compile(r"^\W*Số\s*:?\s*\d{0,5}\s*/\s*[A-ZĐ]", re.MULTILINE)
DOCUMENT_SIGNS = re.compile(
    r"^\W*(?:CỘNG H[ÒO]A XÃ HỘI|Độc lập\s*[-–]\s*Tự do|Kính gửi|V/v\b|[^\n,]{2,40}, ngày\s)", re.MULTILINE
)

ADDRESSEES = re.compile(r"^\W*Kính gửi\s*:", re.MULTILINE)
RECIPIENTS = re.compile(r"^\W*Nơi nhận\s*:", re.MULTILINE)


class MarkdownLoader:
    name = "markdown"
    extensions: tuple[str, ...] = ("md", "markdown", "txt")

    def sniff(self, source: SourceText) -> float:
        signs = sum(1 for line in source.text.split("\n") if "\t" not in line and MARKDOWN_SIGNS.match(line))
        if signs < 3:
            # Plain text with an administrative document's letterhead ("Số: 415/UBND-NC", "THÔNG BÁO", "Kính
            # gửi:"): a letter or a notice copied as text, read line by line as paragraphs.
            head = source.text[:4000]
            numbered = DOCUMENT_NUMBER.search(head) and DOCUMENT_SIGNS.search(head)
            letter = ADDRESSEES.search(head) and RECIPIENTS.search(source.text)  # a letter copied without its number
            return 0.35 if numbered or letter else 0.0
        has_tasks = count_tab_headers(source.text) > 0 or "Cơ quan chủ trì:" in source.text
        return 0.95 if has_tasks else 0.4

    def parse(self, source: SourceText) -> Document:
        blocks, footnotes = split_blocks(source.text, markdown=True)
        return Document(source=source, format=self.name, blocks=blocks, footnotes=footnotes)
