"""Fidelity, measured: a load scored against a reading by hand (`plangraph eval GOLD.json DOCS…`).

The reading by hand (the schema of `tests/data/web/gold.json`, from `shared/corpus/web`) lists, for each
document, its metadata and every task: its kind (`table` | `inline` | `duty`), reference, the start of its
text, its lead and supporting agencies as printed, its deadline as printed and the line where it starts.

Each document is read exactly as `plangraph load` reads it (same loaders, same isolation, no store). A
hand-read task is matched to a task plangraph found by the start of its text (diacritics, case and
punctuation aside), the nearest line breaking ties, or, failing that, by a near-identical start on the
same line. Then, per document and in total:

- tasks found / expected, by origin, and extra (found but not in the reading);
- lead and support precision and recall over matched tasks (agency names as printed, folded);
- deadlines: the printed deadline kept, over matched tasks that have one;
- metadata: plan number, kind, level, issuer and date, each right or wrong;
- the misses, with their line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from plangraph import vocabulary
from plangraph.errors import PlangraphError, Warnings
from plangraph.ingest.agencies import counted_communes
from plangraph.ingest.text import fold
from plangraph.model import Finding, GraphBatch

ORIGINS = ("table", "inline", "duty")


def _norm_key(short: str) -> str:
    return fold(short).replace(" ", "")


# The kind abbreviations of the reading ("KH", "QĐ", "CV") as the plan header spells them.
KINDS = {_norm_key(short): fold(name) for short, name in vocabulary.DOCUMENT_KINDS.items()}
PREFIX = 40  # characters of folded text that identify a task's start
NON_WORD = re.compile(r"[^a-z0-9]+")


class EvaluationError(PlangraphError):
    """The reading by hand cannot be used (not the gold schema, or no document of it was given)."""


def _norm(text: str | None) -> str:
    return NON_WORD.sub(" ", fold(text or "")).strip()


@dataclass(frozen=True)
class FoundTask:
    ref: str
    title: str
    line: int | None
    due_text: str | None
    lead: tuple[str, ...]
    support: tuple[str, ...]
    origin: str = "table"


def found_tasks(batch: GraphBatch) -> list[FoundTask]:
    """The tasks of a batch with their owners as printed (the `mention` kept on each edge)."""
    owners: dict[tuple[str, str], list[str]] = {}
    for edge in batch.edges:
        if edge.type in ("LED_BY", "SUPPORTED_BY") and edge.start_label == "Task":
            owners.setdefault((edge.type, edge.start_key), []).append(str(edge.props.get("mention") or ""))
    out = []
    for node in batch.nodes:
        if node.label == "Task":
            props = node.props
            out.append(
                FoundTask(
                    ref=str(props.get("ref") or ""),
                    title=str(props.get("title") or ""),
                    line=props.get("source_line"),
                    due_text=props.get("due_text"),
                    lead=tuple(owners.get(("LED_BY", node.key), [])),
                    support=tuple(owners.get(("SUPPORTED_BY", node.key), [])),
                    origin=str(props.get("origin") or "table"),
                )
            )
    return sorted(out, key=lambda t: (t.line or 0, t.ref))


def match(gold: list[dict[str, Any]], found: list[FoundTask]) -> list[tuple[dict[str, Any], FoundTask | None]]:
    """Each hand-read task with the found task it is (None: missed); a found task is used once."""
    free = list(range(len(found)))
    keys = [_norm(t.title) for t in found]
    out: list[tuple[dict[str, Any], FoundTask | None]] = []
    for task in gold:
        start = _norm(task.get("title_start"))[:PREFIX]
        line = task.get("line") or 0
        candidates = [
            i for i in free if start and (keys[i].startswith(start) or (keys[i] and start.startswith(keys[i])))
        ]
        if not candidates:  # the same line, nearly the same start (a word wrapped or cleaned differently)
            candidates = [
                i
                for i in free
                if abs((found[i].line or -9) - line) <= 1
                and SequenceMatcher(None, keys[i][:PREFIX], start).ratio() >= 0.75
            ]
        if candidates:
            best = min(candidates, key=lambda i: abs((found[i].line or 0) - line))
            free.remove(best)
            out.append((task, found[best]))
        else:
            out.append((task, None))
    return out


@dataclass
class Score:
    """Counts that add up across documents."""

    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORIGINS, 0))
    matched: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORIGINS, 0))
    found: int = 0
    extra: int = 0
    extra_by_origin: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORIGINS, 0))
    owners: dict[str, list[int]] = field(default_factory=lambda: {"lead": [0, 0, 0], "support": [0, 0, 0]})
    deadlines: list[int] = field(default_factory=lambda: [0, 0])  # right, with a deadline
    metadata: dict[str, list[int]] = field(default_factory=dict)  # field → [right, of]
    flagged: int = 0  # missed tasks that a finding points at ("assignment not read", W206; "items run together", W208)

    def add(self, other: Score) -> None:
        self.flagged += other.flagged
        for origin in ORIGINS:
            self.expected[origin] += other.expected[origin]
            self.matched[origin] += other.matched[origin]
        self.found += other.found
        self.extra += other.extra
        for origin in ORIGINS:
            self.extra_by_origin[origin] += other.extra_by_origin[origin]
        for role in self.owners:
            self.owners[role] = [a + b for a, b in zip(self.owners[role], other.owners[role], strict=True)]
        self.deadlines = [a + b for a, b in zip(self.deadlines, other.deadlines, strict=True)]
        for name, (right, of) in other.metadata.items():
            mine = self.metadata.setdefault(name, [0, 0])
            mine[0] += right
            mine[1] += of

    def owner_figures(self, role: str) -> dict[str, float]:
        correct, found, expected = self.owners[role]
        precision = correct / found if found else 0.0
        recall = correct / expected if expected else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}

    def as_dict(self) -> dict[str, Any]:
        expected, matched = sum(self.expected.values()), sum(self.matched.values())
        return {
            "expected": expected,
            "found": matched,
            "recall": round(matched / expected, 3) if expected else None,
            "extra": self.extra,
            "missed_flagged": self.flagged,
            "by_origin": {
                o: {"found": self.matched[o], "expected": self.expected[o], "extra": self.extra_by_origin[o]}
                for o in ORIGINS
            },
            "lead": self.owner_figures("lead"),
            "support": self.owner_figures("support"),
            "deadline": {"right": self.deadlines[0], "of": self.deadlines[1]},
            "metadata": {name: {"right": r, "of": of} for name, (r, of) in self.metadata.items()},
        }


def _origin(task: dict[str, Any]) -> str:
    kind = str(task.get("kind") or "")
    return kind if kind in ORIGINS else "duty"


# An owner is compared as the body it names: "Ủy ban nhân dân" and "UBND" are one word, and a post before the
# body ("Giám đốc các Sở", "Thủ trưởng các ngành") is its accountable head, kept apart on the edge.
OWNER_SPELLINGS = ((re.compile(r"\b(?:uy ban nhan dan)\b"), "ubnd"),)
OWNER_POST = re.compile(r"^(?:giam doc|thu truong|chu tich|nguoi dung dau|lanh dao|to truong|truong)\s+(?=cac\b|so\b)")


def _owner(text: str) -> str:
    key = _norm(text)
    for pattern, spelling in OWNER_SPELLINGS:
        key = pattern.sub(spelling, key)
    return OWNER_POST.sub("", key)


def _owner_counts(gold: Iterable[str], found: Iterable[str]) -> list[int]:
    # A reading by hand may keep a list of named communes as one entry ("Ủy ban nhân dân 04 xã: Gia Thuận, Tân
    # Điền, …"); plangraph gives each commune's body: the same bodies, compared one by one.
    gold = [one for g in gold for one in counted_communes(g)]
    expected, got = {_owner(g) for g in gold if _owner(g)}, {_owner(f) for f in found if _owner(f)}
    return [len(expected & got), len(got), len(expected)]


def _metadata(reading: dict[str, Any], plan: dict[str, Any] | None) -> dict[str, bool]:
    plan = plan or {}
    kind = _norm(reading.get("kind"))
    issuer_gold, issuer_found = _norm(reading.get("issuer")), _norm(plan.get("issuer"))
    return {
        "number": (reading.get("code") or None) == (plan.get("code") or None),
        "kind": bool(plan.get("kind")) and KINDS.get(kind.replace(" ", ""), kind) == _norm(plan.get("kind")),
        "level": reading.get("level") == plan.get("level"),
        "issuer": bool(issuer_found) and (issuer_gold in issuer_found or issuer_found in issuer_gold),
        # a date printed without its day ("ngày  tháng 4 năm 2026") is kept as its month ("2026-04")
        "date": (reading.get("issued_on") or None) == (plan.get("issued_on") or plan.get("issued_month") or None),
    }


@dataclass
class DocumentResult:
    file: str
    score: Score
    loaded: bool
    error: str | None = None
    misses: list[dict[str, Any]] = field(default_factory=list)
    wrong_metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _flagged(task: dict[str, Any], unread: list[str]) -> bool:
    """Whether a missed task is in a paragraph an "assignment not read" finding (W206) or an "items run together"
    finding (W208) quotes."""
    start = _norm(task.get("title_start"))[:30]
    return bool(start) and any(start in text for text in unread)


def evaluate_document(
    reading: dict[str, Any],
    batch: GraphBatch | None,
    error: str | None = None,
    findings: Iterable[Finding] = (),
) -> DocumentResult:
    score = Score()
    gold = list(reading.get("tasks") or [])
    for task in gold:
        score.expected[_origin(task)] += 1
    found = found_tasks(batch) if batch is not None else []
    plan = next((n.props for n in batch.nodes if n.label == "Plan"), None) if batch is not None else None
    pairs = match(gold, found)
    score.found = len(found)
    score.extra = len(found) - sum(1 for _, f in pairs if f is not None)
    used = {id(f) for _, f in pairs if f is not None}
    for task in found:
        if id(task) not in used:
            score.extra_by_origin[task.origin if task.origin in ORIGINS else "table"] += 1
    misses = []
    unread = [_norm(f.message) for f in findings if f.code in (Warnings.W206, Warnings.W208)]
    for task, hit in pairs:
        origin = _origin(task)
        if hit is None:
            flagged = _flagged(task, unread)
            score.flagged += int(flagged)
            misses.append(
                {
                    "kind": origin,
                    "ref": task.get("ref"),
                    "line": task.get("line"),
                    "title": task.get("title_start"),
                    "flagged": flagged,
                }
            )
            continue
        score.matched[origin] += 1
        for role, printed in (("lead", hit.lead), ("support", hit.support)):
            counts = _owner_counts(task.get(role) or [], printed)
            score.owners[role] = [a + b for a, b in zip(score.owners[role], counts, strict=True)]
        if task.get("due_text"):
            score.deadlines[1] += 1
            score.deadlines[0] += int(bool(hit.due_text) and _norm(task["due_text"]) in _norm(hit.due_text))
    checks = _metadata(reading, plan)
    score.metadata = {name: [int(ok), 1] for name, ok in checks.items()}
    wrong = {
        name: (reading.get({"number": "code", "date": "issued_on"}.get(name, name)), (plan or {}).get(
            {"number": "code", "date": "issued_on"}.get(name, name)))
        for name, ok in checks.items()
        if not ok
    }  # fmt: skip
    return DocumentResult(reading["file"], score, batch is not None, error, misses, wrong)


@dataclass
class Evaluation:
    documents: list[DocumentResult]

    @property
    def total(self) -> Score:
        total = Score()
        for document in self.documents:
            total.add(document.score)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": [
                {
                    "file": d.file,
                    "loaded": d.loaded,
                    "error": d.error,
                    **d.score.as_dict(),
                    "misses": d.misses,
                    "wrong_metadata": {k: {"expected": v[0], "found": v[1]} for k, v in d.wrong_metadata.items()},
                }
                for d in self.documents
            ],
            "total": self.total.as_dict(),
        }

    def render(self, misses: int = 5) -> str:
        lines = [
            f"{'document':<44} {'found':>9} {'extra':>5} {'table':>7} {'inline':>7} {'duty':>7} "
            f"{'lead F1':>7} {'supp F1':>7} {'metadata':>8}"
        ]
        for d in self.documents:
            s = d.score.as_dict()
            o = s["by_origin"]
            meta = sum(v["right"] for v in s["metadata"].values())
            name = d.file if len(d.file) <= 44 else d.file[:43] + "…"
            lines.append(
                f"{name:<44} {s['found']:>4}/{s['expected']:<4} {s['extra']:>5} "
                + " ".join(f"{o[k]['found']:>3}/{o[k]['expected']:<3}" for k in ORIGINS)
                + f" {s['lead']['f1']:>7.2f} {s['support']['f1']:>7.2f} {meta:>6}/5"
                + ("" if d.loaded else f"  not loaded: {d.error}")
            )
        for d in self.documents:
            shown = d.misses[:misses] if misses >= 0 else d.misses
            if d.misses or d.wrong_metadata:
                lines.append(f"\n{d.file}:")
            for name, (expected, found) in d.wrong_metadata.items():
                lines.append(f"  metadata {name}: expected {expected!r}, found {found!r}")
            for miss in shown:
                said = " (a finding quotes it)" if miss.get("flagged") else " (no finding)"
                lines.append(
                    f"  missed {miss['kind']} {miss['ref']} line {miss['line']}: {str(miss['title'])[:70]}{said}"
                )
            if len(d.misses) > len(shown):
                lines.append(f"  … {len(d.misses) - len(shown)} more missed (--misses -1 lists all)")
        t = self.total.as_dict()
        o = t["by_origin"]
        meta = t["metadata"]
        lines.append("")
        lines.append(
            f"Tasks: {t['found']} of {t['expected']} found ({100 * (t['recall'] or 0):.1f}%), {t['extra']} extra; "
            + ", ".join(f"{k} {o[k]['found']}/{o[k]['expected']} (+{o[k]['extra']})" for k in ORIGINS)
            + f"; missed {t['expected'] - t['found']}, of which flagged {t['missed_flagged']} (W206, W208)"
        )
        lines.append(
            f"Owners: lead P {t['lead']['precision']:.2f} R {t['lead']['recall']:.2f} F1 {t['lead']['f1']:.2f}; "
            f"support P {t['support']['precision']:.2f} R {t['support']['recall']:.2f} F1 {t['support']['f1']:.2f}; "
            f"deadlines kept {t['deadline']['right']}/{t['deadline']['of']}"
        )
        lines.append("Metadata: " + ", ".join(f"{k} {v['right']}/{v['of']}" for k, v in meta.items()))
        return "\n".join(lines)


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaluationError(f"{path}: cannot be read as JSON ({exc})") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("documents"), list):
        raise EvaluationError(f"{path}: not a reading by hand (a JSON object with a 'documents' list)")
    return gold


def evaluate_paths(gold_path: Path, paths: Iterable[str | Path], workers: int | None = None) -> Evaluation:
    """Read the documents under `paths` as `plangraph load` would, and score them against the reading."""
    from plangraph.ingest.pipeline import named_files, parse_files

    gold = load_gold(gold_path)
    files = {Path(name).name: (path, name) for path, name in named_files(paths)}
    readings = [d for d in gold["documents"] if d.get("file") in files]
    if not readings:
        raise EvaluationError(
            f"none of the {len(gold['documents'])} documents of {gold_path.name} is among the files given"
        )
    parsed = parse_files([files[r["file"]] for r in readings], workers=workers)
    results = [
        evaluate_document(reading, p.batch, p.report.error, p.report.findings)
        for reading, p in zip(readings, parsed, strict=True)
    ]
    return Evaluation(results)
