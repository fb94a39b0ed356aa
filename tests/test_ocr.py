"""Scanned PDFs read by OCR (issue 32): a scan made from a sample, a text layer without a Unicode map, the cache,
--no-ocr, and hostile scans stopped at their limits.

The scans are made here (tests/scans.py): sample 000 written as Word, printed to PDF by LibreOffice, rendered to
grey images at 200 dpi with grain, dust and a slight skew, and bound into a PDF without text. Needs Poppler and
Tesseract with its Vietnamese model (`.ci/run` installs poppler-utils, tesseract-ocr, tesseract-ocr-vie).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.cli import main
from plangraph.errors import FormatError
from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes, read_file
from plangraph.ingest.text import fold
from plangraph.loaders import detect, ocr
from plangraph.loaders.docx import soffice
from plangraph.model import Interpretation, TaskRecord
from tests.conftest import SAMPLE_FILES, SAMPLES
from tests.office import render_docx, to_pdf
from tests.scans import scan_pdf

pytestmark = pytest.mark.skipif(
    (ocr.missing() is not None or soffice() is None) and not os.environ.get("CI"),
    reason="OCR needs poppler-utils, tesseract-ocr and tesseract-ocr-vie, the fixtures LibreOffice (.ci/run)",
)


@pytest.fixture(autouse=True)
def _ocr_cache(tmp_path: Path) -> object:
    """Each test with a cache of its own (nothing read by another test is reused)."""
    before = ocr.options()
    ocr.configure(before, cache_dir=tmp_path / "ocr", enabled=True)
    yield
    ocr.configure(before)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scan")
    source = read_file(SAMPLES / SAMPLE_FILES["000"])
    document = detect(source).parse(source)
    return to_pdf([render_docx(document, out / "000.docx")], out)[0]


@pytest.fixture(scope="module")
def sample_scan(sample_pdf: Path) -> Path:
    return scan_pdf(sample_pdf, sample_pdf.with_name("000-scan.pdf"), dpi=200)


@pytest.fixture(scope="module")
def scan_reading(sample_scan: Path, tmp_path_factory: pytest.TempPathFactory) -> Interpretation:
    before = ocr.options()
    ocr.configure(before, cache_dir=tmp_path_factory.mktemp("ocr"), enabled=True)
    try:
        return read_document(read_file(sample_scan))[0]
    finally:
        ocr.configure(before)


def _same(a: str, b: str) -> bool:
    return SequenceMatcher(None, fold(a), fold(b)).ratio() >= 0.85


def _read_with_owner_and_deadline(want: TaskRecord, got: list[TaskRecord]) -> bool:
    """A task of the text read from the scan: its title (allowing OCR's slips), its leads, its deadline."""
    match = max(got, key=lambda task: SequenceMatcher(None, fold(task.title), fold(want.title)).ratio())
    return (
        _same(match.title, want.title)
        and len(match.lead) == len(want.lead)
        and all(_same(a.name, b.name) for a, b in zip(match.lead, want.lead, strict=True))
        and (match.due.start, match.due.end, match.due.recurrence)
        == (want.due.start, want.due.end, want.due.recurrence)
    )


def _share_read(reading: Interpretation) -> float:
    want = read_document(read_file(SAMPLES / SAMPLE_FILES["000"]))[0].tasks
    assert want and reading.tasks
    return sum(_read_with_owner_and_deadline(task, list(reading.tasks)) for task in want) / len(want)


def test_a_scan_of_a_sample_is_read_by_ocr_with_its_pages_and_confidence(scan_reading: Interpretation) -> None:
    codes = [f.code for f in scan_reading.findings]
    assert "W401" in codes  # read by OCR, with the confidence
    assert all(task.page is not None for task in scan_reading.tasks if task.origin == "table")


def test_every_task_read_from_a_scan_carries_the_confidence_of_its_text(
    scan_reading: Interpretation, sample_pdf: Path
) -> None:
    confidences = [task.ocr_confidence for task in scan_reading.tasks]
    assert confidences and all(c is not None and 0 < c <= 100 for c in confidences)
    # the least of the rows a task was read from: a page's mean lies above the least of its tasks
    pages = [float(f.message.rsplit("mean confidence ", 1)[1].rstrip("%")) for f in scan_reading.findings
             if f.code == "W401"]  # fmt: skip
    assert min(c for c in confidences if c is not None) <= pages[0]
    # the same document from its text layer: nothing read by OCR, no confidence
    text_layer, _ = read_document(read_file(sample_pdf))
    assert text_layer.tasks and all(task.ocr_confidence is None for task in text_layer.tasks)


def test_a_scan_of_a_sample_reads_95_percent_of_its_tasks_with_owners_and_deadlines(
    scan_reading: Interpretation,
) -> None:
    # Measured on this scan: 48 of 48 tasks with their title, leads and deadline (31, 65%, before the column
    # rules cut where a letter touches them, the marks left by erased rules and the misread page numbers).
    assert _share_read(scan_reading) >= 0.95


def test_a_text_layer_without_a_unicode_map_is_detected_and_read_by_ocr(sample_pdf: Path, tmp_path: Path) -> None:
    # The first page of the rendered sample, its fonts' ToUnicode maps renamed away (same length: offsets hold).
    first = tmp_path / "first.pdf"
    subprocess.run(["pdfseparate", "-f", "1", "-l", "1", str(sample_pdf), str(first)], check=True)
    data = first.read_bytes()
    assert b"/ToUnicode" in data
    broken = data.replace(b"/ToUnicode", b"/XoUnicode")
    interpretation, _ = read_document(read_bytes(broken, "broken.pdf"))
    findings = {f.code: f for f in interpretation.findings}
    assert "W403" in findings and "read by OCR instead" in findings["W403"].message
    leads = {a.name for task in interpretation.tasks for a in task.lead}
    assert "Sở Nội vụ" in leads and len(interpretation.tasks) >= 4
    # The same file with a good text layer is read from it, never by OCR.
    good, _ = read_document(read_bytes(data, "good.pdf"))
    assert not any(f.code.startswith("W4") for f in good.findings)
    # With OCR off, the garbage is read as it is, and said.
    ocr.configure(ocr.options(), enabled=False)
    try:
        document = detect(read_bytes(broken, "broken.pdf")).parse(read_bytes(broken, "broken.pdf"))
    finally:
        ocr.configure(ocr.options(), enabled=True)
    assert any(f.code == "W403" and "OCR is off" in f.message for f in document.findings)


def test_ocr_is_kept_by_digest_so_a_reload_does_not_read_again(
    sample_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = scan_pdf(sample_pdf, tmp_path / "scan.pdf", dpi=200, noise=8, pages=2)
    first = read_document(read_file(scan))[0]
    kept = list((tmp_path / "ocr").rglob("*.json.gz"))
    assert len(kept) == 1 and kept[0].name.startswith(first.document.source.sha256)

    def no_ocr(*_: object) -> bytes:
        raise AssertionError("a kept page was read again")

    monkeypatch.setattr(ocr, "_run", no_ocr)
    again = read_document(read_file(scan))[0]
    assert [t.title for t in again.tasks] == [t.title for t in first.tasks]
    assert [t.ocr_confidence for t in again.tasks] == [t.ocr_confidence for t in first.tasks]  # kept with the words


def test_no_ocr_refuses_scans_as_before_and_text_shows_the_ocr(sample_pdf: Path, tmp_path: Path) -> None:
    scan = scan_pdf(sample_pdf, tmp_path / "scan.pdf", dpi=200, noise=8, pages=2)
    runner = CliRunner()
    store = tmp_path / "graph.lbdb"
    refused = runner.invoke(main, ["load", str(scan), "--store", str(store), "--no-ocr"])
    assert refused.exit_code == 1 and "no text layer" in refused.output and "OCR is off" in refused.output
    loaded = runner.invoke(main, ["load", str(scan), "--store", str(store), "--quiet"])
    assert loaded.exit_code == 0, loaded.output
    query = "MATCH (t:Task) RETURN count(t) AS n, count(t.ocr_confidence) AS sure, min(t.ocr_confidence) AS least"
    answer = runner.invoke(main, ["cypher", query, "--store", str(store), "--format", "json"])
    assert answer.exit_code == 0, answer.output
    row = json.loads(answer.output)[0]
    assert row["n"] > 0 and row["sure"] == row["n"] and 0 < row["least"] <= 100  # every task, from a scan, says it
    shown = runner.invoke(main, ["text", str(scan), "--store", str(store)])
    assert shown.exit_code == 0 and "Sở Nội vụ" in shown.output
    assert list((tmp_path / "ocr").rglob("*.json.gz"))  # kept beside the store
    ocr.configure(ocr.options(), enabled=False)
    with pytest.raises(FormatError, match="no text layer.*OCR is off"):
        read_document(read_file(scan))


def test_the_programs_run_under_their_own_memory_and_time_limits() -> None:
    options = ocr.OcrOptions(page_memory_mb=200, page_timeout_s=2)
    with pytest.raises(ocr.PageFailed, match="200 MB|stopped at its limits"):
        ocr._run("allocating", [sys.executable, "-c", "b = bytearray(2**30); print(len(b))"], None, options)
    with pytest.raises(ocr.PageFailed, match="longer than 2 s|stopped at its limits"):
        ocr._run("spinning", [sys.executable, "-c", "while True: pass"], None, options)
