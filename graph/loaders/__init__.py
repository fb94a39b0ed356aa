"""The format registry: one Protocol, one registry (DESIGN.md §7.2).

Adding a format means adding one module with a class that satisfies
:class:`Loader`, one line in :data:`REGISTRY`, and one fixture folder.
"""

from __future__ import annotations

from typing import Protocol

from plangraph.errors import FormatError
from plangraph.model import Document, SourceText


class Loader(Protocol):
    """Turns decoded text of one format family into a :class:`Document`."""

    name: str
    extensions: tuple[str, ...]

    def sniff(self, source: SourceText) -> float:
        """Confidence in [0, 1] that `source` is of this format, judged by content."""
        ...

    def parse(self, source: SourceText) -> Document: ...


def _registry() -> dict[str, Loader]:
    from plangraph.loaders.docx import DocxLoader
    from plangraph.loaders.html import HtmlLoader
    from plangraph.loaders.markdown import MarkdownLoader
    from plangraph.loaders.pdf import PdfLoader
    from plangraph.loaders.pdftext import PdfTextLoader
    from plangraph.loaders.tsv import TabTableLoader
    from plangraph.loaders.webtext import WebTextLoader

    loaders: list[Loader] = [
        TabTableLoader(),
        MarkdownLoader(),
        PdfTextLoader(),
        DocxLoader(),
        PdfLoader(),
        WebTextLoader(),
        HtmlLoader(),
    ]
    return {loader.name: loader for loader in loaders}


REGISTRY: dict[str, Loader] = _registry()

# Below this confidence a file is not taken for a plan document.
MIN_CONFIDENCE = 0.3


def detect(source: SourceText) -> Loader:
    """The loader whose format fits `source` best; FormatError when none fits."""
    extension = source.name.rsplit(".", 1)[-1].lower() if "." in source.name else ""
    scored: list[tuple[float, str]] = []
    for name, loader in REGISTRY.items():
        score = loader.sniff(source)
        if score > 0 and extension in loader.extensions:
            score += 0.05  # the extension only breaks ties between content judgements
        scored.append((score, name))
    best_score, best = max(scored)
    if best_score < MIN_CONFIDENCE:
        raise FormatError(
            f"{source.name}: not recognised as a plan document (no task table, "
            "no markdown plan structure, no PDF-text task table). Supported formats: "
            + ", ".join(sorted(REGISTRY))
            + ". Check that the file is a plan exported as text."
        )
    return REGISTRY[best]
