"""The committed corpus of bad inputs (tests/fixtures/bad): each gives a correct load or a clear error, and the
good file loaded in the same run is still there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from plangraph.ingest.pipeline import load_paths
from plangraph.store.counts import stats
from plangraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLE_FILES, SAMPLES

BAD = Path(__file__).parent / "fixtures" / "bad"
GOOD = SAMPLES / SAMPLE_FILES["000"]  # 48 tasks

# file → ("failed", words of the error) or ("loaded", tasks, a finding code (or None), its line)
EXPECTED: dict[str, tuple] = {
    "empty.txt": ("failed", "the file is empty"),
    "binary.txt": ("failed", "binary file, not text"),
    "cp1252_lossy.txt": ("failed", "not recognised as a plan document"),
    "no_header.txt": ("failed", "not recognised as a plan document"),
    "not_a_plan.txt": ("failed", "not recognised as a plan document"),
    "utf16.txt": ("loaded", 97, "W101", 9),
    # Windows-1258 cannot encode the footnote mark "⁴" (saved as "?"): the footnote line is no longer one, and the
    # continuation row after the page break (line 191) is reported instead of joined to task 93.
    "cp1258.txt": ("loaded", 97, "W105", 191),
    "mojibake.txt": ("loaded", 97, "W101", 9),
    "bom.txt": ("loaded", 97, "W101", 9),
    "crlf.txt": ("loaded", 97, "W101", 9),
    "decomposed.txt": ("loaded", 97, "W101", 9),
    "duplicated_rows.txt": ("loaded", 97, "W107", 23),
    "truncated.txt": ("loaded", 45, "W201", 98),
    "no_tasks.txt": ("loaded", 0, "W304", 1),
    "malformed_html.md": ("loaded", 72, "W102", 206),
}


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.name != "README.md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_loads_correctly_or_fails_clearly(name: str, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_paths([GOOD, BAD / name], store).as_dict()
        docs = {d["file"]: d for d in report["documents"]}
        assert docs[GOOD.name]["status"] == "loaded" and docs[GOOD.name]["tasks"] == 48
        doc, expected = docs[name], EXPECTED[name]
        assert doc["status"] == expected[0], doc
        if expected[0] == "failed":
            assert doc["error"].startswith(f"{name}: ") and expected[1] in doc["error"]
            assert stats(store)["nodes"]["Task"] == 48  # the good file is whole, nothing of the bad one
        else:
            assert doc["tasks"] == expected[1]
            assert (expected[2], expected[3]) in {(f["code"], f.get("line")) for f in doc["findings"]}
            assert stats(store)["nodes"]["Task"] == 48 + expected[1]
    finally:
        store.close()


def test_encodings_and_normal_forms_give_the_same_tasks_as_the_clean_file(tmp_path: Path) -> None:
    def titles(path: Path, where: Path) -> list[str]:
        store = EmbeddedStore(where)
        try:
            load_paths([path], store)
            return [r[0] for r in store.run_read("MATCH (t:Task) RETURN t.title ORDER BY t.source_line").rows]
        finally:
            store.close()

    clean = titles(SAMPLES / SAMPLE_FILES["003"], tmp_path / "clean")
    for name in ("utf16.txt", "mojibake.txt", "bom.txt", "crlf.txt", "decomposed.txt"):
        assert titles(BAD / name, tmp_path / name) == clean, name


def test_a_large_generated_table_loads_whole(tmp_path: Path) -> None:
    rows = 5_000
    head = (SAMPLES / SAMPLE_FILES["003"]).read_text("utf-8").splitlines()
    header_at = next(i for i, line in enumerate(head) if line.startswith("STT\t"))
    body = [
        f"{n}.\tTriển khai nhiệm vụ chuyển đổi số số {n} trên địa bàn xã\tPhòng Văn hóa - Xã hội\t"
        f"Công an xã\tKế hoạch\tQuý {1 + n % 4}/2026"
        for n in range(1, rows + 1)
    ]
    big = tmp_path / "big_plan.txt"
    big.write_text("\n".join(head[: header_at + 1] + body) + "\n", encoding="utf-8")
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        started = time.perf_counter()
        report = load_paths([big], store).as_dict()
        elapsed = time.perf_counter() - started
        assert report["documents"][0]["status"] == "loaded", report["documents"][0]
        assert report["documents"][0]["tasks"] == rows and stats(store)["nodes"]["Task"] == rows
        assert elapsed < 600  # a guard against a hang, not a performance target (see benchmarks/)
    finally:
        store.close()
