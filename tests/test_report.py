"""The load report on the samples: the data-quality findings a reader of the sources sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plangraph.ingest.pipeline import load_paths
from plangraph.model import Interpretation
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLES

EXPECTED_FINDINGS = [
    # (sample, code, line, words in the message)
    ("003", "W101", 9, "section I declares 4 tasks and lists 3"),  # "I. Công tác chỉ đạo, điều hành (4 nhiệm vụ)"
    ("003", "W101", 130, "section VII declares 3 tasks and lists 10"),  # no section VIII row in the source
    ("002", "W102", 206, "jumps from 2 to 5"),  # II.2 lists 1, 2, 5, 6
    ("002", "W102", 175, "jumps from 1 to 4"),  # Phụ lục I indicators 1, 4, 5
    ("002", "W103", 178, "starts at task 5"),  # Phụ lục I section II restarts at 5 after 5
    ("002", "W301", 3, "Số: /KH-SKHCN"),  # blank number: a draft
    ("002", "W302", 5, "ngày tháng 4 năm 2026"),  # blank day
    ("004", "W301", 5, "Số: /KH-BCĐ"),
    ("004", "W302", 3, "ngày tháng 10 năm 2025"),
]


@pytest.mark.parametrize(("sample", "code", "line", "words"), EXPECTED_FINDINGS)
def test_report_lists_sample_finding(
    samples: dict[str, Interpretation], sample: str, code: str, line: int, words: str
) -> None:
    found = [f for f in samples[sample].findings if f.code == code and f.line == line]
    assert found, [f.as_dict() for f in samples[sample].findings]
    assert words in found[0].message


def test_report_has_no_unexpected_findings_on_samples(samples: dict[str, Interpretation]) -> None:
    expected = {(s, c, ln) for s, c, ln, _ in EXPECTED_FINDINGS}
    actual = {(key, f.code, f.line) for key, i in samples.items() for f in i.findings}
    assert actual == expected


def test_report_json_holds_documents_and_totals(tmp_path) -> None:
    store = EmbeddedStore(tmp_path / "g.lbdb")
    report = load_paths([SAMPLES], store)
    data = json.loads(report.to_json())
    assert data["totals"] == {
        "documents": 5,
        "loaded": 5,
        "failed": 0,
        "tasks": 334,
        "indicators": 72,  # 5 indicator-table rows (002) + 67 distinct targets stated in task results
        "derivations": data["totals"]["derivations"],  # lineage: see test_lineage
        "agency_mentions": 824,
        "agency_mentions_resolved": 824,
        "findings": {"W101": 2, "W102": 2, "W103": 1, "W301": 2, "W302": 2},
    }
    commune = next(d for d in data["documents"] if d["file"].startswith("003"))
    assert commune["plan_code"] == "136/KH-UBND" and commune["level"] == "commune"
    assert any(f["code"] == "W101" and f["line"] == 9 for f in commune["findings"])


def test_report_render_names_file_and_line(samples: dict[str, Interpretation], tmp_path) -> None:
    store = EmbeddedStore(tmp_path / "g.lbdb")
    text = load_paths([SAMPLES / "003_806a7918b24a7b13.txt"], store).render()
    assert "W101 003_806a7918b24a7b13.txt:9  section I declares 4 tasks and lists 3" in text


def test_every_code_emitted_on_the_samples_and_the_bad_corpus_is_defined(tmp_path: Path) -> None:
    from plangraph.errors import CODES, Warnings

    bad = Path(__file__).resolve().parent / "fixtures" / "bad"
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_paths([SAMPLES, bad, Path(__file__).resolve().parent / "data" / "web"], store)
    finally:
        store.close()
    emitted = {f.code for d in report.documents for f in d.findings}
    assert emitted and emitted <= set(CODES)
    assert all(getattr(Warnings, code).description == CODES[code] for code in emitted)
    with pytest.raises(AttributeError):
        _ = Warnings.W999  # type: ignore[attr-defined]  # a mistyped code fails where it is written
