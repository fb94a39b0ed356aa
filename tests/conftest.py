"""Shared fixtures: the sample corpus read once, and an embedded store loaded with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.ingest.pipeline import load_paths, read_document
from plangraph.ingest.reading import read_file
from plangraph.model import Interpretation, TaskRecord
from plangraph.store.embedded import EmbeddedStore

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
# Short names for the five sample documents (see data/samples/README.md).
SAMPLE_FILES = {
    "000": "000_0c3d8e49def43607.txt",  # Lạng Sơn admin-reform plan 2026-2030, appendix table (tab-separated)
    "001": "001_da64ad30f6c622a0.txt",  # Lạng Sơn admin-reform plan 2026, text extracted from a PDF
    "002": "002_6574c376147333d0.txt",  # Đồng Nai Sở KH&CN plan, markdown with tables
    "003": "003_806a7918b24a7b13.txt",  # Lợi Bác commune plan for NQ 57, appendix table (tab-separated)
    "004": "004_90562d8295c9ca09.txt",  # Lào Cai steering committee Q4/2025 plan, markdown
}


@pytest.fixture(scope="session")
def samples() -> dict[str, Interpretation]:
    """Interpretation of every sample, keyed by its short name ("000" …)."""
    return {key: read_document(read_file(SAMPLES / name))[0] for key, name in SAMPLE_FILES.items()}


def task(interpretation: Interpretation, ref: str) -> TaskRecord:
    matches = [t for t in interpretation.tasks if t.ref == ref]
    assert len(matches) == 1, f"{len(matches)} tasks with ref {ref!r}"
    return matches[0]


def copy_store(source: Path, target: Path) -> Path:
    """A copy of an embedded store with what belongs to it: its journal (the documents its versions are built
    from), its lineage and counts records."""
    import shutil

    shutil.copy(source, target)
    journal = source.with_name(source.name + ".journal")
    if journal.exists():
        shutil.copytree(journal, target.with_name(target.name + ".journal"))
    for suffix in (".link.json", ".counts.json"):
        companion = source.with_name(source.name + suffix)
        if companion.exists():
            shutil.copy(companion, target.with_name(target.name + suffix))
    return target


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """An embedded store holding the five samples (shared, treat as read-only)."""
    store = EmbeddedStore(tmp_path_factory.mktemp("store") / "graph.lbdb")
    report = load_paths([SAMPLES], store)
    assert not report.failed, report.render()
    return store


def neo4j_or_skip() -> None:
    """A test on Neo4j needs the server .ci/run starts (tools/neo4j); in CI its absence is a failure."""
    import os

    if not os.environ.get("NEO4J_URI"):
        if os.environ.get("CI"):
            pytest.fail("NEO4J_URI is not set: .ci/run starts Neo4j (tools/neo4j/start.sh) before the tests")
        pytest.skip('no Neo4j server: eval "$(bash tools/neo4j/start.sh)" starts one')


def empty_neo4j(store: object) -> None:
    """Empty the test server in bounded transactions (one DETACH DELETE of a national graph passes the server's
    transaction memory limit)."""
    while store.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted").rows[0][0]:  # type: ignore[attr-defined]
        pass


@pytest.fixture(scope="module")
def neo4j_samples() -> object:
    """The samples in the Neo4j server (emptied first; one module at a time uses it)."""
    neo4j_or_skip()
    from plangraph.store.neo4j import Neo4jSettings, Neo4jStore

    store = Neo4jStore(Neo4jSettings.from_environment())
    empty_neo4j(store)
    report = load_paths([SAMPLES], store)
    assert not report.failed, report.render()
    yield store
    store.close()


ENGINES = ["embedded", "neo4j"]


def samples_on(request: pytest.FixtureRequest) -> object:
    """The samples' store on the engine a parametrised fixture's request names."""
    if request.param == "embedded":
        return request.getfixturevalue("loaded_store")
    return request.getfixturevalue("neo4j_samples")


@pytest.fixture(params=ENGINES)
def samples_store(request: pytest.FixtureRequest) -> object:
    """The samples on each engine: the test runs once on the embedded store and once on Neo4j."""
    return samples_on(request)


@pytest.fixture(scope="module", params=ENGINES)
def module_samples_store(request: pytest.FixtureRequest) -> object:
    """As `samples_store`, for module-scoped fixtures built on it (an index, an export)."""
    return samples_on(request)


def samples_store_at(path: Path) -> Path:
    """A new embedded store at `path` holding the samples (for tests that need one of their own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = EmbeddedStore(path)
    load_paths([SAMPLES], store)
    store.close()
    return path
