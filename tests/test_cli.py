"""The `plangraph` command line, run as a user would (click's runner, real embedded store)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.cli import main
from tests.conftest import SAMPLE_FILES, SAMPLES


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "graph.lbdb"
    result = CliRunner().invoke(main, ["load", str(SAMPLES), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_cli_load_prints_report_and_summary(tmp_path: Path) -> None:
    code, out = run(
        "load", str(SAMPLES / SAMPLE_FILES["003"]), "--store", str(tmp_path / "g"), "--report", str(tmp_path / "r.json")
    )
    assert code == 0
    assert "plan 136/KH-UBND (commune): 97 tasks" in out
    assert "W101 003_806a7918b24a7b13.txt:9" in out
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["totals"]["tasks"] == 97


def test_cli_load_names_documents_by_their_path_below_the_folder(tmp_path: Path) -> None:
    for folder, key in (("lang-son", "000"), ("loi-bac", "003")):
        (tmp_path / "plans" / folder).mkdir(parents=True)
        (tmp_path / "plans" / folder / "ke-hoach.txt").write_bytes((SAMPLES / SAMPLE_FILES[key]).read_bytes())
    report = tmp_path / "r.json"
    code, out = run("load", str(tmp_path / "plans"), "--store", str(tmp_path / "g"), "--report", str(report))
    assert code == 0, out
    files = [d["file"] for d in json.loads(report.read_text("utf-8"))["documents"]]
    assert files == ["lang-son/ke-hoach.txt", "loi-bac/ke-hoach.txt"]


def test_cli_load_exit_code_1_when_a_file_fails_and_others_load(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("Biên bản họp giao ban, không có bảng nhiệm vụ.\n", "utf-8")
    (folder / SAMPLE_FILES["000"]).write_bytes((SAMPLES / SAMPLE_FILES["000"]).read_bytes())
    code, out = run("load", str(folder), "--store", str(tmp_path / "g"))
    assert code == 1
    assert "✗ notes.txt: notes.txt: not recognised as a plan document" in out
    assert "1 of 2 documents loaded: 48 tasks" in out


def test_cli_load_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, out = run("load", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "g"))
    assert code == 2 and "does not exist" in out


def test_cli_cypher_table(store_path: Path) -> None:
    code, out = run(
        "cypher",
        "MATCH (p:Plan) WHERE p.code = $code RETURN p.level AS level",
        "-p",
        "code=136/KH-UBND",
        "--store",
        str(store_path),
    )
    assert code == 0
    assert out.splitlines()[0].strip() == "level"
    assert "commune" in out and "(1 row)" in out


def test_cli_cypher_json_keys_by_column_and_iso_dates(store_path: Path) -> None:
    code, out = run(
        "cypher",
        "MATCH (p:Plan) WHERE p.code = '110/KH-UBND' RETURN p.code AS code, p.issued_on AS issued",
        "--format",
        "json",
        "--store",
        str(store_path),
    )
    assert code == 0
    assert json.loads(out) == [{"code": "110/KH-UBND", "issued": "2026-03-25"}]


def test_cli_cypher_csv(store_path: Path) -> None:
    code, out = run(
        "cypher", "MATCH (p:Plan) RETURN p.level AS level ORDER BY level", "--format", "csv", "--store", str(store_path)
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert rows == [["level"], ["commune"], ["department"], ["province"], ["province"], ["province"]]


def test_cli_cypher_refuses_writes(store_path: Path) -> None:
    code, out = run("cypher", "MATCH (t:Task) DETACH DELETE t", "--store", str(store_path))
    assert code == 2 and "read-only" in out  # refused by the engine: a usage error
    code, out = run("cypher", "MATCH (t:Task) RETURN count(t) AS n", "--format", "json", "--store", str(store_path))
    assert json.loads(out) == [{"n": 334}]


def test_cli_cypher_bad_query_is_usage_error(store_path: Path) -> None:
    code, out = run("cypher", "MATCH (n:Nope RETURN n", "--store", str(store_path))
    assert code == 2 and "error:" in out


def test_cli_stats_json(store_path: Path) -> None:
    code, out = run("stats", "--format", "json", "--store", str(store_path))
    assert code == 0
    assert json.loads(out)["nodes"]["Task"] == 334


def test_cli_query_list_names_every_query() -> None:
    code, out = run("query", "--list")
    assert code == 0
    for name in ("agency-workload", "tasks-led-by", "tasks-of-plan"):
        assert f"{name}:" in out


def test_cli_query_runs_named_query(store_path: Path) -> None:
    code, out = run("query", "tasks-of-plan", "-p", "plan=136/KH-UBND", "--format", "json", "--store", str(store_path))
    rows = json.loads(out)
    assert code == 0 and len(rows) == 97
    # Line 10 prints "Trung tâm dịch vụ công ích": resolved to the commune's canonical unit.
    assert rows[0]["ref"] == "1" and rows[0]["leads"] == ["Trung tâm Dịch vụ công ích xã"]


def test_cli_query_unknown_name_is_usage_error(store_path: Path) -> None:
    code, out = run("query", "no-such-query", "--store", str(store_path))
    assert code == 2 and "available:" in out


def test_cli_store_from_environment(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGRAPH_STORE", str(store_path))
    code, out = run("stats", "--format", "json")
    assert code == 0 and json.loads(out)["nodes"]["Plan"] == 5


def test_cli_demo_loads_samples_and_runs_example(tmp_path: Path) -> None:
    code, out = run("demo", "--store", str(tmp_path / "g"))
    assert code == 0
    assert "Who leads the most tasks" in out
    assert any(
        line.startswith("Phòng Văn hóa - Xã hội") and "│ xã Lợi Bác, tỉnh Lạng Sơn" in line for line in out.splitlines()
    )


def test_cli_cascade_tree_and_json(store_path: Path) -> None:
    code, out = run("cascade", "NQ 57", "--store", str(store_path), "--max-tasks", "1")
    assert code == 0, out
    assert "├─ province: 1 plan(s), 3 task(s)" in out and "└─ commune: 1 plan(s), 97 task(s)" in out
    code, out = run("cascade", "Đề án 06", "--store", str(store_path), "--format", "json")
    assert code == 0 and json.loads(out)["counts"]["tasks_per_level"] == {"province": 68}
    code, out = run("cascade", "hello", "--store", str(store_path))
    assert code == 2 and "names no legal document" in out


def test_cli_gaps_coverage_overlaps_explain_link(store_path: Path) -> None:
    code, out = run("gaps", "136/KH-UBND", "--store", str(store_path))
    assert code == 0, out
    assert "Not carried (79):" in out and "Carried (18):" in out
    code, out = run("gaps", "136/KH-UBND", "--store", str(store_path), "--format", "csv")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 97
    code, out = run("coverage", "8536/VPCP-KSTT", "--store", str(store_path), "--format", "json")
    assert code == 0 and json.loads(out)["coverage"][-1]["share"] == 1.0
    code, out = run("overlaps", "--store", str(store_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and sum(json.loads(r["mandates"]) == ["06/QĐ-TTg", "57-NQ/TW"] for r in rows) == 3
    code, out = run("explain-link", "136/KH-UBND#8", "110/KH-UBND#VII.2.10", "--store", str(store_path))
    assert code == 0 and json.loads(out)["linked"] is True


def test_cli_link_and_analytics(store_path: Path) -> None:
    before = run("cypher", "MATCH ()-[d:DERIVES_FROM]->() RETURN count(d) AS n", "--store", str(store_path))[1]
    code, out = run("link", "--store", str(store_path))
    assert code == 0 and out.startswith("25 DERIVES_FROM links written")
    after = run("cypher", "MATCH ()-[d:DERIVES_FROM]->() RETURN count(d) AS n", "--store", str(store_path))[1]
    assert before == after  # relinking is idempotent
    code, out = run("analytics", "workload", "--as-of", "2026-11-22", "--store", str(store_path), "--format", "csv")
    rows = {r["agency"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and rows["Công an xã"]["lead"] == "29"
    code, out = run("analytics", "forest", "--store", str(store_path), "--format", "csv")
    assert code == 0 and "110/KH-UBND VII.2.10" in out
    code, out = run("analytics", "clusters", "--store", str(store_path), "--format", "json")
    assert code == 0 and json.loads(out)[0]["tasks"] == 3


def test_cli_agencies_of_a_jurisdiction_by_name_or_code_as_the_readme_prints(store_path: Path) -> None:
    code, by_name = run("agencies", "Lợi Bác", "--limit", "5", "--store", str(store_path))
    assert code == 0
    code, by_code = run("agencies", "06601", "--limit", "5", "--store", str(store_path))
    assert code == 0 and by_code == by_name  # the commune by its official code
    assert by_name.splitlines()[2].startswith("Phòng Văn hóa - Xã hội")  # (the README's example: test_readme_outputs)
    code, out = run("agencies", "--q", "so noi vu", "--format", "json", "--store", str(store_path))
    assert code == 0 and all("Nội vụ" in item["name"] for item in json.loads(out)["items"])
