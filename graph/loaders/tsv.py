"""Tab-separated task tables exported from Word/Excel (samples 000 and 003).

The document is text lines with tables whose cells are separated by tabs; the
few lines of prose around the tables (appendix title, "Kèm theo Kế hoạch số …")
become paragraphs.
"""

from __future__ import annotations

from plangraph.ingest.columns import header_roles
from plangraph.loaders.blocks import split_blocks
from plangraph.model import Document, SourceText


def count_tab_headers(text: str) -> int:
    """How many lines are tab-separated task-table header rows."""
    return sum(1 for line in text.split("\n") if "\t" in line and header_roles(line.split("\t")) is not None)


class TabTableLoader:
    name = "tsv"
    extensions: tuple[str, ...] = ("tsv", "txt", "tab")

    def sniff(self, source: SourceText) -> float:
        lines = [line for line in source.text.split("\n") if line.strip()]
        if not lines:
            return 0.0
        tabbed = sum(1 for line in lines if line.count("\t") >= 2)
        if count_tab_headers(source.text) == 0:
            return 0.0
        share = tabbed / len(lines)
        markdownish = sum(1 for line in lines if line.lstrip().startswith(("#", "**")))
        return min(0.9, 0.5 + share) - (0.3 if markdownish >= 3 else 0.0)

    def parse(self, source: SourceText) -> Document:
        blocks, footnotes = split_blocks(source.text, markdown=False)
        return Document(source=source, format=self.name, blocks=blocks, footnotes=footnotes)
