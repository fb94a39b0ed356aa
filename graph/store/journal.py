"""The documents an embedded store holds, as parsed: the record its graph is derived from (issue 30).

Beside the store `graph.lbdb` is the folder `graph.lbdb.journal/`:

- `batches/<sha256>.json.gz`: one document's batch (its plan, tasks, agencies, legal bases, indicators and
  their edges: plangraph.model.GraphBatch), written once under the digest of its content, never changed;
- `manifest.json`: which batch each loaded file stands at (`{"documents": {source_file: {"digest", "plan"}}}`),
  replaced atomically (written to a temporary file, flushed, renamed over).

The store records a batch *before* it writes it and takes the record back if the write fails, so the journal
never lacks a document the store holds; a writer killed between the two leaves the journal one document ahead,
which `plangraph check` reports and `plangraph repair` completes. `plangraph repair` builds a new store from the
journal alone (no document is parsed again) by the engine's bulk COPY into empty tables, links it, and puts it
in place of the old one in one rename (plangraph.store.repair).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from plangraph.errors import StoreError
from plangraph.model import EdgeRecord, GraphBatch, NodeRecord
from plangraph.schema import DOCUMENT_LABELS, REL_TYPES
from plangraph.store.codec import decode, encode

VERSION = 1
# What a document alone holds, counted per document in the manifest: its own nodes, and the relationships that
# start at them (lineage is the linker's, not a document's). Shared agencies and legal bases are not counted.
DOCUMENT_RELATIONSHIPS = tuple(
    rel.name
    for rel in REL_TYPES
    if rel.name != "DERIVES_FROM" and all(start in DOCUMENT_LABELS for start, _ in rel.pairs)
)


def document_counts(batch: GraphBatch) -> dict[str, int]:
    counts = {label: 0 for label in DOCUMENT_LABELS} | {name: 0 for name in DOCUMENT_RELATIONSHIPS}
    for label, _ in {(n.label, n.key) for n in batch.nodes}:
        if label in DOCUMENT_LABELS:
            counts[label] += 1
    for edge in {(e.type, e.start_label, e.start_key, e.end_label, e.end_key) for e in batch.edges}:
        if edge[0] in counts and edge[1] in DOCUMENT_LABELS:
            counts[edge[0]] += 1
    return counts


def journal_folder(store: str | Path) -> Path:
    path = Path(store)
    return path.with_name(f"{path.name}.journal")


def encode_batch(batch: GraphBatch) -> bytes:
    """A batch as JSON: the C encoder writes the plain values, `encode` (the workers' codec) tags the rest."""
    document = {
        "source_file": batch.source_file,
        "plan_id": batch.plan_id,
        "nodes": [[n.label, n.key, n.props] for n in batch.nodes],
        "edges": [[e.type, e.start_label, e.start_key, e.end_label, e.end_key, e.props] for e in batch.edges],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=encode).encode("utf-8")


def decode_batch(data: bytes) -> GraphBatch:
    document = json.loads(data)
    return GraphBatch(
        source_file=document["source_file"],
        plan_id=document["plan_id"],
        nodes=tuple(NodeRecord(label, key, decode(props)) for label, key, props in document["nodes"]),
        edges=tuple(EdgeRecord(t, sl, sk, el, ek, decode(props)) for t, sl, sk, el, ek, props in document["edges"]),
    )


def _write_atomically(path: Path, data: bytes, flush: bool = True) -> None:
    """Write `data` to a temporary file and rename it over `path` (flushed to disk first unless `flush` is False:
    the caller then syncs once for many files)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        if flush:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(temporary, path)


class Journal:
    """The journal beside one embedded store."""

    def __init__(self, store: str | Path) -> None:
        self.folder = journal_folder(store)
        self.batches = self.folder / "batches"
        self.manifest_path = self.folder / "manifest.json"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def expected_counts(self) -> dict[str, int] | None:
        """What the store's document nodes and relationships should number, from the manifest alone (None when an
        entry predates the counts)."""
        totals: dict[str, int] = {}
        for entry in self.documents().values():
            counts = entry.get("counts")
            if not isinstance(counts, dict):
                return None
            for name, count in counts.items():
                totals[name] = totals.get(name, 0) + int(count)
        return totals

    def documents(self) -> dict[str, dict[str, Any]]:
        """source_file → {"digest", "plan"} of every document the store should hold."""
        if not self.manifest_path.exists():
            return {}
        try:
            manifest = json.loads(self.manifest_path.read_text("utf-8"))
            documents: dict[str, dict[str, Any]] = manifest["documents"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the journal {self.manifest_path} cannot be read: {exc}") from exc
        return documents

    def _save(self, documents: dict[str, dict[str, Any]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"version": VERSION, "documents": documents}, ensure_ascii=False, sort_keys=True, indent=0)
        _write_atomically(self.manifest_path, data.encode("utf-8"))

    def record(self, batches: Sequence[GraphBatch], replacing: str | None = None) -> dict[str, dict[str, Any] | None]:
        """Record `batches` as what their files hold (and `replacing`'s plan as moved to the new file); returns
        what the manifest said of each file before, for :meth:`restore`."""
        self.batches.mkdir(parents=True, exist_ok=True)
        documents = self.documents()
        before: dict[str, dict[str, Any] | None] = {}
        written = False
        for batch in batches:
            data = encode_batch(batch)
            digest = hashlib.sha256(data).hexdigest()
            path = self.batches / f"{digest}.json.gz"
            if not path.exists():
                _write_atomically(path, gzip.compress(data, compresslevel=1), flush=False)
                written = True
            before.setdefault(batch.source_file, documents.get(batch.source_file))
            documents[batch.source_file] = {"digest": digest, "plan": batch.plan_id, "counts": document_counts(batch)}
        if written:
            os.sync()  # every new batch on disk before the manifest names it (one flush, not one per file)
        if replacing and replacing not in {b.source_file for b in batches}:
            before.setdefault(replacing, documents.get(replacing))
            documents.pop(replacing, None)
        self._save(documents)
        return before

    def restore(self, before: dict[str, dict[str, Any] | None]) -> None:
        """Put back what :meth:`record` changed for these files (their writes failed)."""
        if not before:
            return
        documents = self.documents()
        for file, entry in before.items():
            if entry is None:
                documents.pop(file, None)
            else:
                documents[file] = entry
        self._save(documents)

    def batch(self, digest: str) -> GraphBatch:
        path = self.batches / f"{digest}.json.gz"
        try:
            return decode_batch(gzip.decompress(path.read_bytes()))
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise StoreError(f"the journal's batch {path.name} cannot be read: {exc}") from exc

    def all_batches(self) -> Iterator[GraphBatch]:
        for _, entry in sorted(self.documents().items()):
            yield self.batch(entry["digest"])

    @property
    def divergence_path(self) -> Path:
        return self.folder.with_name(self.folder.name.removesuffix(".journal") + ".diverged.json")

    def diverged(self) -> list[str]:
        """What the last write's check found different from the journal ([] when nothing)."""
        try:
            lines: list[str] = json.loads(self.divergence_path.read_text("utf-8"))["differences"]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        return lines

    def mark(self, differences: list[str]) -> None:
        """Record (or clear, with []) what a write's check found different from the journal."""
        if differences:
            data = json.dumps({"differences": differences}, ensure_ascii=False).encode("utf-8")
            _write_atomically(self.divergence_path, data)
        else:
            self.divergence_path.unlink(missing_ok=True)

    def summary(self) -> dict[str, Any]:
        documents = self.documents()
        return {"documents": len(documents), "folder": str(self.folder)}
