"""The source archive (plangraph.ingest.sources): every loaded document's numbered text, kept by digest."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.cli import main
from plangraph.ingest.pipeline import load_paths
from plangraph.ingest.sources import SourceArchive
from plangraph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "data" / "office"


def test_the_archive_is_reached_by_digest_only(tmp_path: Path) -> None:
    archive = SourceArchive(tmp_path / "sources")
    digest = "ab" * 32
    archive.put(digest, "một\nhai")
    archive.put(digest, "ignored: the same digest is the same text")
    assert archive.get(digest) == "một\nhai"
    assert archive.get("cd" * 32) is None
    (tmp_path / "secret.txt").write_text("secret")
    for hostile in ("../secret", "../../etc/passwd", "/etc/passwd", "AB" * 32, "ab" * 31, ""):
        assert archive.get(hostile) is None
    with pytest.raises(ValueError):
        archive.put("../x", "text")
    assert not list((tmp_path / "sources").rglob(".*.part"))  # written whole


def test_a_load_keeps_the_text_plangraph_text_prints(tmp_path: Path) -> None:
    """For Word and PDF files the archive holds the loader's numbered text view, line for line."""
    files = sorted(p for p in OFFICE.iterdir() if p.suffix in (".docx", ".pdf"))
    assert files
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    report = load_paths(files, store, sources=SourceArchive(tmp_path / "sources"))
    store.close()
    assert not report.failed, report.render()
    runner = CliRunner()
    for path in files:
        printed = runner.invoke(main, ["text", str(path)])
        assert printed.exit_code == 0, printed.output
        plan = next(d.plan_id for d in report.documents if d.file == path.name)
        kept = runner.invoke(main, ["text", "--plan", plan, "--store", str(tmp_path / "graph.lbdb"), "--context", "0"])
        assert kept.exit_code == 0, kept.output
        body = kept.output.split("\n", 1)[1]  # after the "# file (plan): lines …" heading
        assert body.split("\n") == printed.output.split("\n"), path.name


def test_plangraph_text_of_a_plan_loaded_without_its_text_says_what_to_do(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    load_paths([ROOT / "data" / "samples" / "003_806a7918b24a7b13.txt"], store)  # no archive
    store.close()
    answer = CliRunner().invoke(main, ["text", "--plan", "136/KH-UBND", "--store", str(tmp_path / "graph.lbdb")])
    assert answer.exit_code != 0 and "load the file again" in answer.output
