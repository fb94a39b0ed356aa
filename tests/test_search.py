"""The search index (GET /search) against a plain scan that scores every document as documented."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plangraph.errors import QueryError
from plangraph.ingest.text import fold
from plangraph.views.search import TOKEN, SearchIndex


def scan(index: SearchIndex, q: str, kinds: set[str] | None, limit: int, offset: int) -> dict:
    """Score every document: IDF of the query words it holds over the IDF of all of them, +1 when it
    holds them together in order (whole words: "số kế" is not in "số kết")."""
    needle = fold(q)
    words = TOKEN.findall(needle)
    n = len(index.docs)
    words_of = [set(TOKEN.findall(d["_f"])) for d in index.docs]
    df = {w: sum(1 for toks in words_of if w in toks) for w in set(words)}
    idf = {w: math.log(1 + n / c) for w, c in df.items() if c}
    total = sum(idf.get(w, 0.0) for w in words) or 1.0
    hits = []
    for doc, toks in zip(index.docs, words_of, strict=True):
        matched = [w for w in words if w in toks]
        if not matched or (kinds and doc["kind"] not in kinds):
            continue
        phrase = len(words) > 1 and f" {' '.join(words)} " in f" {' '.join(TOKEN.findall(doc['_f']))} "
        score = sum(idf[w] for w in matched) / total + (1.0 if phrase else 0.0)
        hits.append({**{k: v for k, v in doc.items() if k != "_f"}, "score": round(score, 4), "matched": matched})
    hits.sort(key=lambda h: (-h["score"], h["kind"], str(h["id"])))
    return {"total": len(hits), "items": hits[offset : offset + limit]}


@pytest.fixture(scope="module")
def index(module_samples_store: object) -> SearchIndex:
    return SearchIndex.build(module_samples_store)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("q", "kinds", "limit", "offset"),
    [
        ("chuyển đổi số xã", None, 20, 0),
        ("Sở Nội vụ", None, 50, 10),
        ("cải cách hành chính", {"task"}, 20, 0),
        ("công an", {"agency", "plan"}, 500, 0),
        ("57-NQ/TW", None, 20, 0),
        ("xã xã", None, 20, 5),
        ("không có từ này", None, 20, 0),
    ],
)
def test_the_index_ranks_as_a_scan_of_every_document(
    index: SearchIndex, q: str, kinds: set[str] | None, limit: int, offset: int
) -> None:
    page = index.search(q, kinds, limit, offset).as_dict()
    expected = scan(index, q, kinds, limit, offset)
    assert page["total"] == expected["total"]
    assert page["items"] == expected["items"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["xã", "số", "chuyển", "đổi", "Sở", "kế", "hoạch", "dữ", "liệu", "zz"]), min_size=1))
def test_any_words_rank_as_the_scan(index: SearchIndex, words: list[str]) -> None:
    q = " ".join(words)
    assert index.search(q, None, 30, 0).as_dict()["items"] == scan(index, q, None, 30, 0)["items"]


def test_a_query_without_words_is_refused(index: SearchIndex) -> None:
    with pytest.raises(QueryError, match="at least one word"):
        index.search(" -- ")
