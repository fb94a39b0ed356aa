"""Search: an inverted index over tasks, plans, agencies and legal bases, diacritics-insensitive."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from plangraph.cascade.tree import ROWS
from plangraph.errors import QueryError
from plangraph.ingest.text import fold
from plangraph.queries import internal_query
from plangraph.store.base import Reader
from plangraph.views.pages import MAX_PAGE, Page

SEARCH_SOURCES = {
    "task": internal_query("views-search-sources-task"),
    "plan": internal_query("views-search-sources-plan"),
    "agency": internal_query("views-search-sources-agency"),
    "legal": internal_query("views-search-sources-legal"),
}
TOKEN = re.compile(r"\w+")
KINDS = tuple(SEARCH_SOURCES)


@dataclass
class SearchIndex:
    """Folded (diacritics-free) text of tasks, plans, agencies and legal bases, ranked by IDF-weighted overlap.

    An inverted index: each word's documents as an array, so a search costs in proportion to the
    documents holding its words, not to the whole graph (benchmarks/RESULTS.md)."""

    docs: list[dict[str, Any]]
    postings: dict[str, np.ndarray]  # word → indices of the documents holding it
    idf: dict[str, float]
    kinds: np.ndarray  # kind of each document, as an index into KINDS
    order: np.ndarray  # rank of each document by (kind, id): the tie-break of equal scores

    @classmethod
    def build(cls, store: Reader) -> SearchIndex:
        docs: list[dict[str, Any]] = []
        holding: dict[str, list[int]] = {}
        for kind, text in SEARCH_SOURCES.items():
            for r in store.run_read(text, row_limit=ROWS).records():
                body = " ".join(str(r[k] or "") for k in ("label", "text", "extra"))
                found = TOKEN.findall(fold(body))
                for word in set(found):
                    holding.setdefault(word, []).append(len(docs))
                folded = f" {' '.join(found)} "  # its words, folded, one space apart: phrases are substrings
                docs.append(
                    {
                        "kind": kind,
                        "id": r["id"],
                        "label": r["label"],
                        "text": r["text"],
                        "context": r["context"],
                        "_f": folded,
                    }
                )
        n = max(1, len(docs))
        postings = {word: np.asarray(ids, dtype=np.int64) for word, ids in holding.items()}
        ranked = sorted(range(len(docs)), key=lambda i: (docs[i]["kind"], str(docs[i]["id"])))
        order = np.empty(len(docs), dtype=np.int64)
        order[ranked] = np.arange(len(docs))
        kinds = np.asarray([KINDS.index(d["kind"]) for d in docs], dtype=np.int8)
        return cls(docs, postings, {w: math.log(1 + n / len(ids)) for w, ids in holding.items()}, kinds, order)

    def search(self, q: str, kinds: set[str] | None = None, limit: int = 20, offset: int = 0) -> Page:
        needle = fold(q)
        words = TOKEN.findall(needle)
        if not words:
            raise QueryError("q must contain at least one word")
        limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
        total_weight = sum(self.idf.get(w, 0.0) for w in words) or 1.0
        scores = np.zeros(len(self.docs))
        present = np.zeros(len(self.docs), dtype=np.int64)  # how many of the distinct words each document holds
        for word in words:
            if word in self.postings:
                scores[self.postings[word]] += self.idf[word]
        distinct = set(words)
        for word in distinct:
            if word in self.postings:
                present[self.postings[word]] += 1
        scores /= total_weight
        hit = present > 0
        if kinds:
            hit &= np.isin(self.kinds, [KINDS.index(k) for k in kinds if k in KINDS])
        if len(words) > 1:  # the words together, in order, as whole words: +1
            phrase = f" {' '.join(words)} "
            for i in np.nonzero(hit & (present == len(distinct)))[0]:
                if phrase in self.docs[i]["_f"]:
                    scores[i] += 1.0
        found = np.nonzero(hit)[0]
        rounded = np.round(scores[found], 4)
        ranked = found[np.lexsort((self.order[found], -rounded))][offset : offset + limit]
        items = []
        for i in ranked:
            doc = self.docs[i]
            matched = [w for w in words if w in self.postings and _holds(self.postings[w], i)]
            items.append(
                {**{k: v for k, v in doc.items() if k != "_f"}, "score": round(float(scores[i]), 4), "matched": matched}
            )
        return Page(items, len(found), limit, offset)


def _holds(posting: np.ndarray, doc: int) -> bool:
    """Whether a sorted posting array holds a document index."""
    at = int(np.searchsorted(posting, doc))
    return at < len(posting) and int(posting[at]) == doc
