"""Task lineage: `(lower:Task)-[:DERIVES_FROM {score, method, …}]->(higher:Task)`.

A lower-level task carries out a higher-level one when its text says the same
thing in other words. The linker never compares all pairs:

- blocking by jurisdiction and level (DESIGN §2): a commune or department task
  may derive only from tasks of higher levels of its own province, or of the
  centre; province tasks only from the centre;
- inside a block, TF-IDF vectors on normalised Vietnamese — syllable unigrams and
  bigrams (with diacritics) and character 3–5-grams of the folded text — and a
  sparse product of the lower against the higher tasks, keeping the top k;
- the score adds evidence beyond the words: a shared mandate or citation, and
  matching section themes.

Each edge keeps its evidence: the text score, the shared terms and the shared
legal documents, and whether the lower task's deadline falls after its parent's.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from plangraph.ingest.text import fold

LEVEL_RANK = {"national": 0, "province": 1, "department": 2, "district": 3, "commune": 4}
METHOD = "tfidf(syllable 1-2 + char 3-5) + legal + theme"
# Chosen on the labelled pairs of tests/data/lineage_pairs.csv: the highest F1 with precision at least 0.9
# (README: "Task lineage").
THRESHOLD = 0.31
TOP_K = 3
WEIGHTS = {"syllables": 0.6, "chars": 0.4, "legal": 0.15, "theme": 0.05}
# Words that say nothing about what a task is: verbs of assignment and filler.
STOPWORDS = frozenset(
    """và của các cho với về theo tại trên để được trong có là những đến từ này đã sẽ thì hoặc như
    khi sau trước bằng do đối the một số tiếp tục triển khai thực hiện tổ chức xây dựng nâng cao tăng cường
    đẩy mạnh bảo đảm đảm bảo hiệu quả quy định phối hợp chủ trì""".split()
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class TaskText:
    id: str
    plan_id: str
    level: str
    province: str | None
    title: str
    products: str
    section_title: str
    due_end: date | None
    legal: frozenset[str]  # mandates and citations


@dataclass(frozen=True)
class Link:
    lower: str
    higher: str
    score: float
    text_score: float
    shared_terms: tuple[str, ...]
    shared_legal: tuple[str, ...]
    deadline_after_parent: bool

    def row(self) -> dict[str, Any]:
        return {
            "from_id": self.lower,
            "to_id": self.higher,
            "score": round(self.score, 4),
            "method": METHOD,
            "text_score": round(self.text_score, 4),
            "shared_terms": list(self.shared_terms),
            "shared_legal": list(self.shared_legal),
            "deadline_after_parent": self.deadline_after_parent,
        }


def levels_to_relink(changed: Iterable[str | None]) -> tuple[str, ...] | None:
    """The levels of a province whose blocks a change of its plans at the `changed` levels reaches: each block
    (province, level) is scored among its lower tasks and the candidates above them, so a block changes when its
    own level changed or a level above it did. Commune plans reloaded: the commune block only; a department plan:
    the department, district and commune blocks. None (every level) when a changed level is a province's own or
    not known (a plan whose level was not read)."""
    ranks = [LEVEL_RANK.get(level or "", 0) for level in changed]
    floor = min(ranks, default=0)
    if floor <= LEVEL_RANK["province"]:
        return None
    return tuple(level for level, rank in LEVEL_RANK.items() if rank >= floor)


def may_derive(lower: TaskText, higher: TaskText) -> bool:
    """Jurisdiction containment and level order."""
    lo, hi = LEVEL_RANK.get(lower.level), LEVEL_RANK.get(higher.level)
    if lo is None or hi is None or hi >= lo:
        return False
    return higher.level == "national" or (higher.province is not None and higher.province == lower.province)


def _syllables(text: str) -> list[str]:
    words = [w for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


# Citation boilerplate says nothing about the work: "Kế hoạch số 230-KH/TU, ngày 29/4/2025 của Ban Thường vụ
# Tỉnh ủy". Shared legal documents count separately (WEIGHTS["legal"]).
CITATION = re.compile(
    r"(?:Luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kế hoạch|Công văn|Thông báo|Thông tư)?\s*(?:số\s*)?"
    r"\d+(?:\.\d+)?(?:[-/][\wĐđ&.-]+)+(?:,?\s*ngày\s*\d{1,2}(?:/|\s+tháng\s+)\d{1,2}(?:/|\s+năm\s+)\d{4})?"
    r"(?:\s+của\s+(?:Ban Thường vụ Tỉnh [uủ]y|Bộ Chính trị|Chính phủ|Thủ tướng Chính phủ|UBND tỉnh))?"
)


def _document(task: TaskText) -> str:
    return CITATION.sub(" ", f"{task.title} {task.title} {task.products}")


def _blocks(lowers: list[TaskText], highers: list[TaskText]) -> Iterable[tuple[list[TaskText], list[TaskText]]]:
    """Lower tasks grouped by province and level, with the higher tasks they may derive from."""
    national = [h for h in highers if h.level == "national"]
    by_province: dict[str | None, list[TaskText]] = defaultdict(list)
    for h in highers:
        if h.level != "national":
            by_province[h.province].append(h)
    groups: dict[tuple[str | None, str], list[TaskText]] = defaultdict(list)
    for task in lowers:
        groups[(task.province, task.level)].append(task)
    for (province, level), members in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        rank = LEVEL_RANK[level]
        candidates = [
            h for h in by_province.get(province, []) + national if LEVEL_RANK.get(h.level, len(LEVEL_RANK)) < rank
        ]
        if candidates:
            yield members, candidates


# Link blocks in worker processes from this many lower tasks up (one block per province and level).
PARALLEL_FROM = 20_000


def link_tasks(
    tasks: list[TaskText],
    threshold: float = THRESHOLD,
    top_k: int = TOP_K,
    workers: int | None = None,
    provinces: set[str | None] | None = None,
    levels: Mapping[str | None, Collection[str]] | None = None,
) -> list[Link]:
    """DERIVES_FROM links among `tasks` (every task may be lower or higher). Blocks are independent:
    with many tasks they are linked in `workers` processes (default: one per core), same result.
    `provinces`: only the lower tasks of these provinces (their blocks are linked as they would be among all
    tasks: a block's candidates are its province's higher tasks and the national ones); `levels`: in a province
    it names, only the lower tasks of these levels (see :func:`levels_to_relink`)."""
    lowers = [
        t
        for t in tasks
        if LEVEL_RANK.get(t.level, 0) > 0
        and (provinces is None or t.province in provinces)
        and (levels is None or t.province not in levels or t.level in levels[t.province])
    ]
    blocks = list(_blocks(lowers, tasks))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    links: list[Link] = []
    if workers <= 1 or len(blocks) < 2 or len(lowers) < PARALLEL_FROM:
        for members, candidates in blocks:
            links.extend(_link_block(members, candidates, threshold, top_k))
        return links
    # Forked, as the parsing workers are (plangraph.ingest.pipeline.parse_files): they only compute.
    with ProcessPoolExecutor(min(workers, len(blocks)), mp_context=multiprocessing.get_context("fork")) as pool:
        # Largest blocks first keeps both workers busy to the end; results are put back in block order.
        order = sorted(range(len(blocks)), key=lambda b: -len(blocks[b][0]))
        futures = {b: pool.submit(_link_block, *blocks[b], threshold, top_k) for b in order}
        for b in range(len(blocks)):
            links.extend(futures[b].result())
    return links


def _link_block(lowers: list[TaskText], highers: list[TaskText], threshold: float, top_k: int) -> list[Link]:
    # scikit-learn and SciPy are imported here: a command that does not link must not wait for them.
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    # In id order, and ties broken by id below: the links must not depend on the order the store returns
    # tasks in (a reloaded document's tasks come back last; two plans with the same task text tie).
    lowers, highers = sorted(lowers, key=lambda t: t.id), sorted(highers, key=lambda t: t.id)
    corpus = [_document(t) for t in lowers + highers]
    if not any(_syllables(doc) for doc in corpus[: len(lowers)]) or not any(
        _syllables(d) for d in corpus[len(lowers) :]
    ):
        return []  # nothing to compare (titles that are only numbers or citations)
    syllables = TfidfVectorizer(analyzer=_syllables, sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=fold)
    s_matrix = syllables.fit_transform(corpus)
    c_matrix = chars.fit_transform(corpus)
    n = len(lowers)
    text = WEIGHTS["syllables"] * (s_matrix[:n] @ s_matrix[n:].T) + WEIGHTS["chars"] * (c_matrix[:n] @ c_matrix[n:].T)
    text = sparse.csr_matrix(text)
    sections = [t.section_title for t in lowers + highers]
    if any(_syllables(s) for s in sections):
        themes = TfidfVectorizer(analyzer=_syllables).fit_transform(sections)
        theme = sparse.csr_matrix(themes[:n] @ themes[n:].T)
    else:  # no section headings in this block (flat lists): no theme evidence
        theme = sparse.csr_matrix((n, len(highers)))
    vocabulary = np.array(syllables.get_feature_names_out())
    out: list[Link] = []
    # Dense per block (lower × higher tasks of one province and level: a few million cells): reading rows of a
    # sparse matrix one by one costs more than the products.
    text_rows, theme_rows = text.toarray(), theme.toarray()
    for i, lower in enumerate(lowers):
        row = text_rows[i]
        if not row.any():
            continue
        theme_row = theme_rows[i]
        scored: list[tuple[float, float, int, tuple[str, ...]]] = []
        for j in np.argsort(-row, kind="stable")[: max(top_k * 4, 10)]:
            higher = highers[j]
            if row[j] <= 0 or not may_derive(lower, higher):
                continue
            shared = tuple(sorted(lower.legal & higher.legal))
            bonus = (WEIGHTS["legal"] if shared else 0.0) + (WEIGHTS["theme"] if theme_row[j] > 0.3 else 0.0)
            scored.append((min(1.0, float(row[j]) + bonus), float(row[j]), int(j), shared))
        scored.sort(key=lambda s: (-s[0], highers[s[2]].id))
        for score, text_score, j, shared in scored[:top_k]:
            if score < threshold:
                break
            higher = highers[j]
            terms = _shared_terms(s_matrix, i, n + j, vocabulary)
            late = bool(lower.due_end and higher.due_end and lower.due_end > higher.due_end)
            out.append(Link(lower.id, higher.id, score, text_score, terms, shared, late))
    return out


def _shared_terms(matrix: Any, a: int, b: int, vocabulary: Any, limit: int = 8) -> tuple[str, ...]:
    """The heaviest terms two tasks share, for the evidence shown by `plangraph explain-link`."""
    # Element access on a sparse matrix costs microseconds each; read the rows' arrays (CSR) directly.
    ptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    right_weight = dict(zip(indices[ptr[b] : ptr[b + 1]].tolist(), data[ptr[b] : ptr[b + 1]].tolist(), strict=True))
    left = zip(indices[ptr[a] : ptr[a + 1]].tolist(), data[ptr[a] : ptr[a + 1]].tolist(), strict=True)
    products = [(-w * right_weight[k], int(k)) for k, w in left if k in right_weight]
    products.sort()
    return tuple(str(vocabulary[k]) for _, k in products[:limit])
