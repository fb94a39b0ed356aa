"""The documents an embedded store holds, as parsed: the record its graph is derived from (issue 30).

Beside the store `graph.lbdb` is the folder `graph.lbdb.journal/`:

- `batches/<sha256>.json.gz`: one document's batch (its plan, tasks, agencies, legal bases, indicators and
  their edges: plangraph.model.GraphBatch), written once under the digest of its content, never changed;
- `manifest.json`: which batch each loaded file stands at (`{"documents": {source_file: {"digest", "plan"}}}`),
  replaced atomically (written to a temporary file, flushed, renamed over);
- `manifest.next.json`: the manifest of the version a writer is about to put in the store's place, for the moment
  of its commit (plangraph.store.versions).

The journal is the source of truth and the store a view of it: every version of the store is built from the
batches its manifest names, by the engine's bulk COPY into empty tables (plangraph.store.embedded), and the
manifest changes with the store in one commit. `plangraph repair` builds a new store from the journal alone (no
document is parsed again) the same way (plangraph.store.repair).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from plangraph.errors import StoreError
from plangraph.model import EdgeRecord, GraphBatch, NodeRecord
from plangraph.schema import DOCUMENT_LABELS, REL_TYPES
from plangraph.store.codec import decode, encode

log = logging.getLogger(__name__)

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

    @property
    def next_manifest_path(self) -> Path:
        return self.folder / "manifest.next.json"

    def put(self, batch: GraphBatch) -> dict[str, Any]:
        """Write a document's batch under its digest (once: a batch is never changed) and return its manifest
        entry. Not flushed: :meth:`prepare` syncs every new batch before a manifest names it."""
        self.batches.mkdir(parents=True, exist_ok=True)
        data = encode_batch(batch)
        digest = hashlib.sha256(data).hexdigest()
        path = self.batches / f"{digest}.json.gz"
        if not path.exists():
            _write_atomically(path, gzip.compress(data, compresslevel=1), flush=False)
        return {"digest": digest, "plan": batch.plan_id, "counts": document_counts(batch)}

    def prepare(self, documents: dict[str, dict[str, Any]]) -> None:
        """Write the manifest of the store's next version beside the manifest (plangraph.store.versions.commit),
        every batch it names on disk first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        os.sync()  # every new batch on disk before a manifest names it (one flush, not one per file)
        data = json.dumps({"version": VERSION, "documents": documents}, ensure_ascii=False, sort_keys=True, indent=0)
        _write_atomically(self.next_manifest_path, data.encode("utf-8"))

    def promote(self) -> None:
        """The next manifest becomes the manifest (its version is the store now)."""
        os.replace(self.next_manifest_path, self.manifest_path)

    def prepared(self, digest: str) -> Any:
        """A batch's tables as a version copies them (plangraph.store.bulk.Prepared), from the file kept beside the
        batch (`tables/<digest>.arrow`), else prepared from the batch and kept. The kept file is a cache: one that
        cannot be read is made again."""
        from plangraph.store import bulk

        path = self.folder / "tables" / f"{digest}.arrow"
        try:
            return bulk.load_prepared(path.read_bytes())
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, IndexError, pa.ArrowException) as exc:
            log.warning("the kept tables of batch %s cannot be read (%s); preparing them again", digest[:12], exc)
            path.unlink(missing_ok=True)  # kept again below
        prepared = bulk.prepare(self.batch(digest))
        self.keep_prepared(digest, prepared)
        return prepared

    def keep_prepared(self, digest: str, prepared: Any) -> None:
        """Keep a batch's tables beside it (once: a digest's tables never change)."""
        from plangraph.store import bulk

        folder = self.folder / "tables"
        path = folder / f"{digest}.arrow"
        if path.exists():
            return
        folder.mkdir(parents=True, exist_ok=True)
        try:
            _write_atomically(path, bulk.dump_prepared(prepared), flush=False)
        except OSError as exc:  # a cache: the store is right without it
            log.warning("the tables of batch %s could not be kept: %s", digest[:12], exc)

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
