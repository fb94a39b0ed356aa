"""plangraph: Vietnamese government plans as a graph of plans, tasks, agencies and the mandates they carry.

The small public surface (the rest is importable too, by concern: `plangraph.ingest`, `plangraph.loaders`,
`plangraph.store`, `plangraph.queries`, `plangraph.views`, `plangraph.cascade`, `plangraph.api`)::

    import plangraph

    store = plangraph.open_store("embedded", ".plangraph/graph.lbdb")
    report = plangraph.load_paths(plangraph.sample_documents(), store)   # load, report findings
    rows = plangraph.run_named(store, "tasks-led-by", {"agency": "Sở Nội vụ"}).records()
    tree = plangraph.cascade(store, "NQ 57")                              # how a mandate cascades
    store.close()

Every error plangraph raises on purpose is a `plangraph.PlangraphError`.
"""

from __future__ import annotations

from typing import Any

from plangraph.errors import PlangraphError
from plangraph.store import open_store

__all__ = ["PlangraphError", "cascade", "load_paths", "open_store", "run_named", "sample_documents"]


def __getattr__(name: str) -> Any:
    """The heavier parts (the loaders, spaCy, the linker) are imported when first used, so `import plangraph`
    stays quick."""
    if name == "load_paths":
        from plangraph.ingest.pipeline import load_paths

        return load_paths
    if name == "run_named":
        from plangraph.queries import run_named

        return run_named
    if name == "cascade":
        from plangraph.cascade.tree import cascade

        return cascade
    if name == "sample_documents":
        from plangraph.data import sample_documents

        return sample_documents
    raise AttributeError(f"module 'plangraph' has no attribute {name!r}")
