"""Hostile and unlucky files (issue 14): each is a finding on its own file; the rest of the run loads whole,
with no traceback, in bounded memory. The files are generated from the samples."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from plangraph.ingest.pipeline import load_paths
from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLE_FILES, SAMPLES
from tests.scans import huge_image_pdf, image_pages_pdf, jbig2_bomb_pdf

SAMPLE = (SAMPLES / SAMPLE_FILES["000"]).read_bytes()
LINES = SAMPLE.decode().split("\n")


def _docx(patch_xml: object = None, pad: int = 0) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH số 12/KH-UBND")
    table = document.add_table(rows=2, cols=3)
    for i, text in enumerate(["STT", "Nội dung", "Cơ quan chủ trì", "1", "Rà soát thủ tục", "Sở Nội vụ"]):
        table.cell(i // 3, i % 3).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                if callable(patch_xml):
                    data = patch_xml(data)
                if pad:
                    data = data.replace(b"</w:body>", b"<!--" + b" " * pad + b"--></w:body>")
            target.writestr(item.filename, data)
    return out.getvalue()


def _row(number: str) -> str:
    cells = LINES[9].split("\t")
    cells[0] = number
    return "\n".join(LINES[:9] + ["\t".join(cells)] + LINES[10:])


def _cut(at: int) -> int:
    return SAMPLE.index(b"\n", at)


# name → (bytes, expected outcome: "loaded" or a phrase of the failure's reason)
HOSTILE: dict[str, tuple[bytes, str]] = {
    "bom-invalid.txt": (b"\xef\xbb\xbf" + SAMPLE[: _cut(500)] + b"\xff" + SAMPLE[_cut(500) :], "is not UTF-8"),
    "quy-0000.txt": (
        SAMPLE.decode().replace("Hằng năm", "Quý II/0000", 1).replace("110/KH", "901/KH").encode(),
        "loaded",
    ),
    "long-number.txt": (_row("9" * 5000).replace("110/KH", "902/KH").encode(), "loaded"),
    "pdf-marker.txt": (
        SAMPLE.replace(b"110/KH", b"903/KH")[:200] + b" %PDF-1.4 " + SAMPLE[200:].replace(b"110/KH", b"903/KH"),
        "loaded",
    ),
    "nul-early.txt": (SAMPLE[:100] + b"\x00" + SAMPLE[100:].replace(b"110/KH", b"904/KH"), "loaded"),
    "nul-late.txt": (SAMPLE[: _cut(6000)].replace(b"110/KH", b"905/KH") + b"\x00" + SAMPLE[_cut(6000) :], "loaded"),
    "binary.txt": (bytes(range(256)) * 64, "binary file"),
    "gridspan.docx": (
        _docx(lambda b: b.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000000"/>', 1)),
        "loaded",
    ),
    "gridbefore.docx": (
        _docx(lambda b: b.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="1000000000"/></w:trPr>', 1)),
        "loaded",
    ),
    "zipbomb.docx": (_docx(pad=400_000_000), "zip bomb"),
    # Scans (issue 32): stopped before any page is rendered, by their page count or their images' size.
    "scan-2000-pages.pdf": (image_pages_pdf(2000), "OCR reads at most 100 pages"),
    "scan-30000px.pdf": (huge_image_pdf(30_000), "30,000 × 30,000 pixels"),
    "scan-jbig2-bomb.pdf": (jbig2_bomb_pdf(), "decompression bomb"),
}


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-files")
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / os.fsdecode(b"ke-hoach-\xff\xfe.txt")).write_bytes(SAMPLE.replace(b"110/KH", b"906/KH"))
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_one_finding_and_the_samples_load_whole(
    hostile_folder: Path, tmp_path: Path, name: str
) -> None:
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_paths([SAMPLES, hostile_folder / name], store)
        outcome = {d.file: d for d in report.documents}
        for sample in SAMPLE_FILES.values():
            assert outcome[sample].status == "loaded"
        expected = HOSTILE[name][1]
        if expected == "loaded":
            assert outcome[name].status == "loaded", outcome[name].error
            assert outcome[name].tasks > 0
        else:
            assert outcome[name].status == "failed" and expected in (outcome[name].error or "")
        assert stats(store)["nodes"]["Task"] >= 334
    finally:
        store.close()


def test_a_file_name_that_is_not_utf8_is_loaded_and_reported(hostile_folder: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_paths([hostile_folder / os.fsdecode(b"ke-hoach-\xff\xfe.txt")], store)
        assert report.documents[0].file == "ke-hoach-\\xff\\xfe.txt" and report.documents[0].status == "loaded"
        report.render()  # printable
    finally:
        store.close()


def test_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_paths([fifo, SAMPLES / SAMPLE_FILES["003"]], store)
        assert "not a regular file" in (report.documents[0].error or "")
        assert report.documents[1].status == "loaded"
    finally:
        store.close()


def test_cli_load_of_samples_beside_every_bad_file_prints_no_traceback_and_stays_under_1_gib(
    hostile_folder: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    # A small wrapper runs the load and reports the peak RSS of its largest process (the loader or a worker).
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
        "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    command = [sys.executable, "-m", "plangraph.cli", "load", "--store", str(tmp_path / "g.lbdb"), str(SAMPLES),
               str(hostile_folder), str(fifo)]  # fmt: skip
    done = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr  # some files failed, the rest loaded
    assert "Traceback" not in done.stdout + done.stderr
    assert all(f"✓ {sample}" in done.stdout for sample in SAMPLE_FILES.values())
    peak_kib = int(done.stdout.rsplit("PEAK_KIB", 1)[1])
    assert peak_kib < 1024 * 1024, f"peak {peak_kib / 1024:.0f} MiB"
