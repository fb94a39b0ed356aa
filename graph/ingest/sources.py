"""The text of every loaded document, kept beside the store so a task's source can be shown in context.

A task carries its source line and the row(s) it was read from; to show that line inside the whole document (the
explorer's source view, `GET /plans/{plan}/text`, `plangraph text --plan`) the document's text must outlive the
load. The archive keeps the text plangraph numbered — the `plangraph text` view: for DOCX and PDF files one line
per paragraph and per table row — under the digest of the original bytes (`Plan.source_sha256`), so:

- a file loaded again, or the same file under another name, is one entry;
- a reader names an entry by a digest from the graph, never by a path: nothing outside the archive's folder can
  be reached through it, whatever a graph holds;
- entries are written whole (a temporary file renamed into place), so a reader never sees half a text.

The folder is `PLANGRAPH_SOURCES_DIR`, by default `sources/` beside the store (as the upload folder).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

DIGEST = re.compile(r"^[0-9a-f]{64}$")


class SourceArchive:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, sha256: str) -> Path | None:
        if not DIGEST.match(sha256 or ""):
            return None
        return self.folder / sha256[:2] / f"{sha256}.txt"

    def put(self, sha256: str, text: str) -> None:
        """Keep `text` under `sha256` (nothing to do when it is kept already)."""
        path = self._path(sha256)
        if path is None:
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> str | None:
        """The text kept under `sha256`, or None (not a digest, or never kept here)."""
        path = self._path(sha256)
        if path is None or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")
