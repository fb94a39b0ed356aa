"""Ingest: bytes → text → Document → interpretation → resolved entities → GraphBatch (DESIGN.md §4).

The format loaders live beside it in `plangraph.loaders`.
"""
